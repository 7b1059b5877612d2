//! Finding a file by what one types, and taking its case record away as a spreadsheet: what is
//! matched, what input is refused, and a CSV that Excel opens correctly and cannot be tricked by.

mod common;

use axum::http::{StatusCode, header};
use chrono::{Duration, NaiveDate};
use common::{TestServer, file, parse, small_world};
use xiafang_core::audit::{AuditAction, AuditEntry};
use xiafang_core::search::{MatchedField, SearchHit};
use xiafang_core::{DeviceId, Note, Record, RecordBody, fixtures};

/// The small world plus `f-guo` in village a1 (wang's), with Latin letters, wildcard characters
/// and a distinct address to search for.
fn world() -> xiafang_server::demo::Demo {
    let mut world = small_world();
    let mut guo = file("f-guo", "a1", &["wang"]);
    guo.file.name = "Guo Xiansheng 郭先生".into();
    guo.file.address = "阁一村3组".into();
    guo.file.matter.summary = "集体资产分配款 100%_到位".into();
    world.files.push(guo);
    world
}

#[tokio::test]
async fn a_search_term_must_have_one_to_fifty_characters() {
    for server in TestServer::each(&world()).await {
        let wang = server.login("wang").await;
        let too_long = "郭".repeat(51);
        for path in [
            "/api/search".to_owned(),
            "/api/search?q=".to_owned(),
            "/api/search?q=%20%20%09".to_owned(),
            format!("/api/search?q={}", common::query_escape(&too_long)),
        ] {
            let (status, body) = server.get(&path, Some(&wang)).await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
            assert_eq!(body["code"], "bad_search", "{path}");
            assert_eq!(body["message"], "请输入 1–50 个字的搜索内容");
        }
        // Fifty characters, padded with spaces, are fine.
        let (status, _) = server
            .search(&wang, &format!("  {}  ", "郭".repeat(50)))
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = server.get("/api/search?q=f-", None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn a_search_matches_name_village_address_and_request_literally() {
    for server in TestServer::each(&world()).await {
        let wang = server.login("wang").await;
        let (status, body) = server.search(&wang, "gUO xian").await;
        assert_eq!(status, StatusCode::OK);
        let hits: Vec<SearchHit> = parse(body);
        assert_eq!(
            hits,
            vec![SearchHit {
                file_id: "f-guo".into(),
                name: "Guo Xiansheng 郭先生".into(),
                village: "a1".into(),
                matched: vec![MatchedField::Name],
            }]
        );
        assert_eq!(server.found(&wang, "阁一村3").await, vec!["f-guo"]);
        assert_eq!(server.found(&wang, "分配款").await, vec!["f-guo"]);
        // Wildcards are characters like any other: they match only where they are written.
        assert_eq!(server.found(&wang, "100%_").await, vec!["f-guo"]);
        assert_eq!(server.found(&wang, "%").await, vec!["f-guo"]);
        assert_eq!(server.found(&wang, "_").await, vec!["f-guo"]);
        for q in ["1_0", "集体%到位", "!", "f-_1"] {
            assert!(server.found(&wang, q).await.is_empty(), "{q}");
        }
        // Sorted by name; the village finds every file in it.
        assert_eq!(server.found(&wang, "A1").await, vec!["f-a1", "f-guo"]);
        // Household details are not searchable: they are not what a file is found by.
        assert!(server.found(&wang, "独居").await.is_empty());
    }
}

#[tokio::test]
async fn each_file_a_search_shows_is_in_its_audit_log() {
    for server in TestServer::each(&world()).await {
        let wang = server.login("wang").await;
        assert_eq!(server.found(&wang, "郭先生").await, vec!["f-guo"]);
        let sup = server.login("sup-a").await;
        for (file, searched) in [("f-guo", true), ("f-a1", false)] {
            let (_, body) = server
                .get(&format!("/api/files/{file}/audit"), Some(&sup))
                .await;
            let log: Vec<AuditEntry> = parse(body);
            let by_wang = log
                .iter()
                .any(|e| e.action == AuditAction::Search && e.account.0 == "wang");
            assert_eq!(by_wang, searched, "{file}");
        }
    }
}

/// A minimal RFC 4180 reader, so the test reads the file as a spreadsheet would.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(
        cell.is_empty() && row.is_empty(),
        "the last line ends with a newline"
    );
    rows
}

fn note_saying(file: &str, text: &str, day: u32) -> Record {
    let mut note = fixtures::note(file, "wang");
    note.body = RecordBody::Note(Note {
        speaker: "王建国".into(),
        text: text.into(),
    });
    note.occurred_at = NaiveDate::from_ymd_opt(2026, 11, day)
        .and_then(|d| d.and_hms_opt(15, 0, 0))
        .unwrap();
    note
}

#[tokio::test]
async fn the_exported_case_record_opens_in_excel_and_cannot_run_formulas() {
    for server in TestServer::each(&world()).await {
        let wang = server.login("wang").await;
        let visit = fixtures::visit("f-a1", "wang"); // 2026-11-20 09:30
        let mut money = fixtures::assistance("f-a1", "wang"); // 2,000 yuan
        money.occurred_at -= Duration::days(2);
        let formula = "=HYPERLINK(\"http://evil.example\",\"点我\")";
        let records = [
            note_saying("f-a1", formula, 23),
            visit.clone(),
            note_saying("f-a1", "+1, -2 和 @SUM(A1)\n第二行", 22),
            money.clone(),
            note_saying("f-a1", "-1+1", 24),
            note_saying("f-a1", "@SUM(A1:A9)", 25),
        ];
        server
            .push(&wang, &common::batch(DeviceId::new_random(), 1, &records))
            .await;

        let (status, headers, bytes) = server.get_bytes("/api/files/f-a1/export", &wang).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename=\""),
            "{disposition}"
        );
        assert!(
            disposition.contains("filename*=UTF-8''%E4%BF%A1%E8%AE%BF%E6%A1%A3%E6%A1%88-f-a1-"),
            "{disposition}"
        );
        assert_eq!(headers[header::CACHE_CONTROL], "no-store");
        assert_eq!(
            &bytes[..3],
            b"\xEF\xBB\xBF",
            "UTF-8 byte-order mark for Excel"
        );

        let rows = read_csv(std::str::from_utf8(&bytes[3..]).unwrap());
        assert_eq!(
            rows[0],
            [
                "记录编号",
                "日期",
                "时间",
                "类型",
                "记录人",
                "地点",
                "参加人员",
                "内容",
                "思想动态",
                "风险等级",
                "帮扶类别",
                "金额（元）",
                "资金来源",
                "帮扶状态",
                "下一步完成时限",
                "更正情况"
            ]
        );
        assert_eq!(rows.len(), 1 + records.len());
        assert!(rows.iter().all(|r| r.len() == 16));
        // In the order things happened, whatever the upload order.
        let dates: Vec<&str> = rows[1..].iter().map(|r| r[1].as_str()).collect();
        assert_eq!(
            dates,
            [
                "2026-11-18",
                "2026-11-20",
                "2026-11-22",
                "2026-11-23",
                "2026-11-24",
                "2026-11-25"
            ]
        );
        let (money_row, visit_row) = (&rows[1], &rows[2]);
        assert_eq!(money_row[0], money.id.to_string());
        assert_eq!(
            (&*money_row[3], &*money_row[10], &*money_row[11]),
            ("帮扶措施", "慰问金", "2000")
        );
        assert_eq!(visit_row[0], visit.id.to_string());
        assert_eq!(
            (&*visit_row[2], &*visit_row[5]),
            ("09:30", "阁一村郭先生家中")
        );
        assert_eq!(visit_row[14], "2026-11-27");
        // Text a spreadsheet would run shows as typed, behind a quote mark; commas, quotes and
        // line breaks inside a cell survive.
        assert_eq!(rows[3][7], "'+1, -2 和 @SUM(A1)\n第二行");
        assert_eq!(rows[4][7], format!("'{formula}"));
        assert_eq!(rows[5][7], "'-1+1");
        assert_eq!(rows[6][7], "'@SUM(A1:A9)");
        for row in &rows {
            for cell in row {
                assert!(!cell.starts_with(['=', '+', '-', '@']), "{cell}");
            }
        }

        // Exporting is logged like reading.
        let sup = server.login("sup-a").await;
        let (_, body) = server.get("/api/files/f-a1/audit", Some(&sup)).await;
        let log: Vec<AuditEntry> = parse(body);
        assert!(
            log.iter()
                .any(|e| e.action == AuditAction::Export && e.account.0 == "wang")
        );
    }
}
