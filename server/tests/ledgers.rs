//! The office's ledgers (走访台账, 帮扶台账, 案件台账) as Excel workbooks read back by a real xlsx
//! reader, and as CSV: the expected rows with dates as dates and yuan as numbers, and only for
//! the places and files the supervisor's jurisdiction covers.

mod common;

use axum::http::{StatusCode, header};
use calamine::{Data, DataType, Reader, Xlsx};
use common::{TestServer, small_world};
use std::io::Cursor;
use xiafang_core::{DeviceId, Record, fixtures};

const PERIOD: &str = "from=2026-11-01&to=2026-11-30";

/// One visit and one 2,000-yuan assistance action in each township's file.
async fn seed(server: &TestServer) -> (Record, Record) {
    let mut ours = (None, None);
    for (name, file) in [("wang", "f-a1"), ("li", "f-b1")] {
        let token = server.login(name).await;
        let visit = fixtures::visit(file, name);
        let assistance = fixtures::assistance(file, name);
        let batch = common::batch(
            DeviceId::new_random(),
            1,
            &[visit.clone(), assistance.clone()],
        );
        server.push(&token, &batch).await;
        if name == "wang" {
            ours = (Some(visit), Some(assistance));
        }
    }
    (ours.0.unwrap(), ours.1.unwrap())
}

/// The first sheet of a workbook: its name and the rows of its table, header first (up to the
/// empty row before the signed statement, `tests/ledger_chain.rs`).
fn sheet(bytes: &[u8]) -> (String, Vec<Vec<Data>>) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec()))
        .expect("a workbook a real reader opens");
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).expect("the sheet");
    let table = range
        .rows()
        .take_while(|row| row.iter().any(|c| *c != Data::Empty))
        .map(<[Data]>::to_vec)
        .collect();
    (name, table)
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

#[tokio::test]
async fn the_visit_ledger_opens_in_excel_with_real_dates() {
    for server in TestServer::each(&small_world()).await {
        let (visit, _) = seed(&server).await;
        let sup = server.login("sup-a").await;
        let (status, headers, bytes) = server
            .get_bytes(&format!("/api/ledgers/visits?{PERIOD}"), &sup)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            headers[header::CONTENT_TYPE],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(
            headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains(".xlsx")
        );
        let (name, rows) = sheet(&bytes);
        assert_eq!(name, "走访台账");
        assert_eq!(text(&rows[0][0]), "走访时间");
        assert_eq!(text(&rows[0][3]), "信访人");
        assert_eq!(rows.len(), 2, "township ta holds one visit: {rows:?}");
        let at = rows[1][0].as_datetime().expect("a date cell, not text");
        assert_eq!(at, visit.occurred_at);
        let world = small_world();
        let file = &world
            .files
            .iter()
            .find(|f| f.file.id.0 == "f-a1")
            .unwrap()
            .file;
        assert_eq!(text(&rows[1][1]), file.township);
        assert_eq!(text(&rows[1][3]), file.name);
        // The recorder as the server names the account, not as the phone sent it.
        assert_eq!(text(&rows[1][13]), "wang 姓名");
    }
}

#[tokio::test]
async fn the_assistance_ledger_holds_yuan_as_numbers_county_wide() {
    for server in TestServer::each(&small_world()).await {
        seed(&server).await;
        let county = server.login("sup-county").await;
        let path = format!("/api/ledgers/assistance?{PERIOD}&place=county");
        let (status, _, bytes) = server.get_bytes(&path, &county).await;
        assert_eq!(status, StatusCode::OK);
        let (name, rows) = sheet(&bytes);
        assert_eq!(name, "帮扶台账");
        assert_eq!(rows.len(), 3, "one action in each township");
        for row in &rows[1..] {
            assert_eq!(row[5], Data::Float(2000.0), "yuan as a number");
            assert!(row[0].as_date().is_some());
        }
        // The same ledger as CSV for Excel.
        let (status, headers, bytes) = server
            .get_bytes(&format!("{path}&format=csv"), &county)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let csv = String::from_utf8(bytes).unwrap();
        let csv = csv.strip_prefix('\u{feff}').expect("a BOM for Excel");
        assert!(csv.starts_with("日期,乡镇（街道）,村（社区）,信访人,帮扶类别,金额（元）"));
        assert_eq!(csv.matches(",慰问金,2000,").count(), 2, "{csv}");
    }
}

#[tokio::test]
async fn ledgers_stay_within_the_jurisdiction() {
    for server in TestServer::each(&small_world()).await {
        seed(&server).await;
        let sup = server.login("sup-a").await;
        // Another township, a made-up place, a cadre and a legal member: all refused.
        for (token, path) in [
            (&sup, format!("/api/ledgers/visits?{PERIOD}&place=tb")),
            (&sup, format!("/api/ledgers/visits?{PERIOD}&place=b1")),
            (&sup, format!("/api/ledgers/visits?{PERIOD}&place=county")),
            (&sup, format!("/api/ledgers/visits?{PERIOD}&place=nowhere")),
            (
                &server.login("wang").await,
                format!("/api/ledgers/visits?{PERIOD}"),
            ),
            (
                &server.login("law").await,
                format!("/api/ledgers/cases?{PERIOD}"),
            ),
        ] {
            let (status, body) = server.get(&path, Some(token)).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(body["code"], "not_allowed", "{path}");
        }
        // Its own village is fine, and holds only that village's rows.
        let (status, _, bytes) = server
            .get_bytes(&format!("/api/ledgers/visits?{PERIOD}&place=a1"), &sup)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(sheet(&bytes).1.len(), 2);
        // The export is in the file's audit log.
        let (_, audit) = server.get("/api/files/f-a1/audit", Some(&sup)).await;
        assert!(audit.to_string().contains("\"export\""), "{audit}");
    }
}

#[tokio::test]
async fn bad_ledger_requests_are_refused_clearly() {
    for server in TestServer::each(&small_world()).await {
        let sup = server.login("sup-a").await;
        for (path, status) in [
            (
                "/api/ledgers/visits?from=2026-11-30&to=2026-11-01",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/ledgers/visits?from=2026-13-01&to=2026-12-31",
                StatusCode::BAD_REQUEST,
            ),
            ("/api/ledgers/visits?to=2026-12-31", StatusCode::BAD_REQUEST),
            (
                "/api/ledgers/visits?from=2000-01-01&to=2026-12-31",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/ledgers/visits?from=2026-11-01&to=2026-11-30&format=pdf",
                StatusCode::BAD_REQUEST,
            ),
            (
                "/api/ledgers/salaries?from=2026-11-01&to=2026-11-30",
                StatusCode::NOT_FOUND,
            ),
        ] {
            let (got, body) = server.get(path, Some(&sup)).await;
            assert_eq!(got, status, "{path}: {body}");
            assert!(
                body["message"].as_str().is_some_and(|m| !m.is_empty()),
                "{path}"
            );
        }
    }
}

/// 接访台账: each reception a row, its headcount a number a sum can add up to the person-visits.
#[tokio::test]
async fn the_reception_ledger_counts_people_as_numbers() {
    for server in TestServer::each(&small_world()).await {
        let sup = server.login("sup-a").await;
        let reception = fixtures::reception("f-a1", "sup-a");
        let batch = common::batch(DeviceId::new_random(), 1, &[reception]);
        server.push(&sup, &batch).await;
        let path = format!("/api/ledgers/receptions?{PERIOD}");
        let (status, _, bytes) = server.get_bytes(&path, &sup).await;
        assert_eq!(status, StatusCode::OK);
        let (name, rows) = sheet(&bytes);
        assert_eq!(name, "接访台账");
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert_eq!(text(&rows[0][7]), "来访人数");
        assert_eq!(rows[1][7], Data::Float(8.0));
        assert_eq!(text(&rows[1][8]), "郭某、郭某某、李某");
    }
}

/// 交办台账: one row per assignment round, the 催办 count a number, the report's day a date and a
/// late report shown late; a cadre is refused it.
#[tokio::test]
async fn the_task_ledger_lists_each_round_with_numbers_and_dates() {
    use chrono::NaiveDate;
    use xiafang_core::tasking::{Tasking, UrgeMethod};
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    for server in TestServer::each(&small_world()).await {
        let sup = server.login("sup-a").await;
        let step = |t, d| fixtures::on(fixtures::tasking("f-a1", "sup-a", t), day(d));
        let records = [
            step(
                Tasking::Assigned {
                    unit: "镇农业农村办".into(),
                    task: "核实土地补偿款发放情况".into(),
                    report_by: day(10),
                },
                2,
            ),
            step(
                Tasking::Urged {
                    how: UrgeMethod::Phone,
                    note: String::new(),
                },
                8,
            ),
            step(
                Tasking::Reported {
                    summary: "补偿款已足额发放".into(),
                    resolved: true,
                },
                12,
            ),
        ];
        let batch = common::batch(DeviceId::new_random(), 1, &records);
        server.push(&sup, &batch).await;
        let path = format!("/api/ledgers/tasks?{PERIOD}");
        let (status, _, bytes) = server.get_bytes(&path, &sup).await;
        assert_eq!(status, StatusCode::OK);
        let (name, rows) = sheet(&bytes);
        assert_eq!(name, "交办台账");
        assert_eq!(rows.len(), 2, "{rows:?}");
        let col = |h: &str| rows[0].iter().position(|c| text(c) == h).expect(h);
        let row = &rows[1];
        assert_eq!(text(&row[col("承办单位")]), "镇农业农村办");
        assert_eq!(row[col("催办次数")], Data::Float(1.0), "a number");
        assert_eq!(
            row[col("办结报告日期")].as_date(),
            Some(day(12)),
            "a date cell"
        );
        assert_eq!(text(&row[col("是否逾期报告")]), "逾期报告");
        // The same as CSV; a cadre gets neither.
        let (status, headers, bytes) = server.get_bytes(&format!("{path}&format=csv"), &sup).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let csv = String::from_utf8(bytes).unwrap();
        assert!(
            csv.contains(",镇农业农村办,核实土地补偿款发放情况,2026-11-10,1,"),
            "{csv}"
        );
        let cadre = server.login("wang").await;
        let (status, body) = server.get(&path, Some(&cadre)).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["code"], "not_allowed");
    }
}
