//! Importing a county's ledgers (issue 18 item 1) on SQLite and PostgreSQL: the demo world as a
//! filled-in workbook comes in whole through the same reading and storing path the command and
//! the screen use, its files reach the assigned cadre's phone and their chains verify; a
//! workbook with faults lists each by sheet, row and column and stores nothing (also when only
//! its last row is wrong); importing the same workbook again adds nothing; an administrator
//! cannot import into another township.

mod common;

use common::{PASSWORD, TestServer, fresh_databases, small_world};
use xiafang_core::UserId;
use xiafang_core::ledger_import::{SheetKind, Workbook, columns};
use xiafang_server::demo;
use xiafang_server::import::{example, read_into, template_csv, template_xlsx};

/// The demo world's example workbook, written as xlsx and read back as an office's file is.
fn demo_xlsx() -> Workbook {
    let bytes = template_xlsx(&example::demo_workbook(&demo::demo())).expect("xlsx");
    let mut book = Workbook::default();
    read_into(&mut book, &bytes).expect("read back");
    book
}

/// Files, accounts and assignments in the database at `url`.
async fn counts(url: &str) -> (i64, i64, i64) {
    let pool = sqlx::AnyPool::connect(url).await.expect("pool");
    let n = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .expect(sql)
        }
    };
    (
        n("SELECT COUNT(*) FROM files WHERE ledger = 0").await,
        n("SELECT COUNT(*) FROM accounts").await,
        n("SELECT COUNT(*) FROM assignments").await,
    )
}

#[tokio::test]
async fn the_demo_example_imports_whole_once_and_its_files_reach_the_assigned_cadre() {
    sqlx::any::install_default_drivers();
    let demo = demo::demo();
    for test_db in fresh_databases().await {
        let db = test_db.open().await;
        let admin = UserId("u-admin".into());
        let book = demo_xlsx();

        let dry = db.import(&book, None, &admin, true).await.expect("dry run");
        assert!(dry.problems.is_empty(), "{:?}", dry.problems);
        assert!(!dry.stored);
        assert_eq!(
            counts(&test_db.url).await,
            (0, 0, 0),
            "a dry run stores nothing"
        );

        let done = db.import(&book, None, &admin, false).await.expect("import");
        assert!(done.stored && done.problems.is_empty(), "{done:?}");
        assert_eq!(done.new.files as usize, demo.files.len());
        assert_eq!(done.new.accounts as usize, demo.accounts.len());
        let visits = demo
            .records
            .iter()
            .filter(|r| r.amends.is_none() && r.body.kind_key() == "visit")
            .count();
        assert!(visits > 0);
        assert_eq!(
            done.new.visits as usize, visits,
            "every visit on paper came in"
        );
        let (files, accounts, assignments) = counts(&test_db.url).await;
        assert_eq!(
            (files, accounts),
            (demo.files.len() as i64, demo.accounts.len() as i64)
        );
        assert!(assignments >= 9, "{assignments}");

        // The same workbook again, here as CSV files: nothing new.
        let mut again = Workbook::default();
        for (_, bytes) in template_csv(&example::demo_workbook(&demo)) {
            read_into(&mut again, &bytes).expect("csv");
        }
        let twice = db.import(&again, None, &admin, false).await.expect("again");
        assert!(twice.problems.is_empty(), "{:?}", twice.problems);
        assert_eq!(twice.new.total(), 0, "{twice:?}");
        assert_eq!(counts(&test_db.url).await, (files, accounts, assignments));

        // Imported accounts have no usable password until an administrator sets one.
        let server = TestServer::over(xiafang_server::AppState::new(db, None));
        let (status, _) = server
            .post(
                "/api/login",
                None,
                &serde_json::json!({"username": "wangjg", "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, axum::http::StatusCode::UNAUTHORIZED);
        let hash = xiafang_server::auth::hash_password(PASSWORD).expect("hash");
        server
            .state
            .db
            .set_password_hash(&UserId("u-wangjg".into()), &hash)
            .await
            .expect("set");
        let token = server.login("wangjg").await;
        let page = server.pull(&token, None).await;
        let mut names: Vec<String> = page.files.iter().map(|f| f.name.clone()).collect();
        names.sort();
        let mut want: Vec<String> = demo
            .files
            .iter()
            .filter(|f| f.assigned.iter().any(|a| a == "u-wangjg"))
            .map(|f| f.file.name.clone())
            .collect();
        want.sort();
        assert_eq!(names, want);
        // Each file as the demo has it, but for its id.
        for got in &page.files {
            let mut expected = demo
                .files
                .iter()
                .find(|f| f.file.name == got.name)
                .expect("demo file")
                .file
                .clone();
            expected.id = got.id.clone();
            assert_eq!(got, &expected);
        }
        // The visits on paper came down with them, each in its file's chain.
        let theirs = page
            .records
            .iter()
            .filter(|r| r.body.kind_key() == "visit")
            .count();
        assert!(theirs > 0, "{:?}", page.records);
        let report = server
            .state
            .db
            .verify_report(None, None)
            .await
            .expect("verify");
        assert!(report.all_match(), "{report:?}");
    }
}

fn grid(kind: SheetKind, rows: &[Vec<&str>]) -> (SheetKind, Vec<Vec<String>>) {
    let mut g = vec![columns(kind).iter().map(|c| c.name.to_owned()).collect()];
    g.extend(
        rows.iter()
            .map(|r| r.iter().map(|c| (*c).to_owned()).collect()),
    );
    (kind, g)
}

fn file_row<'a>(name: &'a str, id: &'a str, township: &'a str, village: &'a str) -> Vec<&'a str> {
    vec![
        name,
        "男",
        "",
        id,
        "",
        township,
        village,
        "",
        "某地",
        "",
        "",
        "要求补偿",
        "征地拆迁",
        "2024-03-01",
        "来访",
        "申诉求决类",
        "县",
        "",
        "化解中",
        "",
        "",
    ]
}

#[tokio::test]
async fn a_fault_in_the_last_row_stores_nothing_and_each_fault_is_named() {
    sqlx::any::install_default_drivers();
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("db").url.clone();
        let db = &server.state.db;
        let before = counts(&url).await;
        let mut rows: Vec<Vec<&str>> = (0..50).map(|_| file_row("甲", "", "ta", "a1")).collect();
        rows.push(file_row("乙", "330399197001010014", "ta", "a1"));
        let book = Workbook::from_grids(vec![
            grid(
                SheetKind::Accounts,
                &[vec!["newcadre", "新干部", "干部", "", "county", "ta", ""]],
            ),
            grid(SheetKind::Files, &rows),
        ]);
        let admin = UserId("admin-a".into());
        let report = db
            .import(&book, Some("ta"), &admin, false)
            .await
            .expect("import");
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["信访人档案 第 52 行 身份证号：身份证号校验位不对，请核对"]
        );
        assert!(!report.stored);
        assert_eq!(
            counts(&url).await,
            before,
            "nothing of the workbook was stored"
        );
    }
}

#[tokio::test]
async fn an_administrator_cannot_import_into_another_township() {
    sqlx::any::install_default_drivers();
    for server in TestServer::each(&small_world()).await {
        let url = server.db.as_ref().expect("db").url.clone();
        let db = &server.state.db;
        let before = counts(&url).await;
        let book = Workbook::from_grids(vec![
            grid(SheetKind::Places, &[vec!["county", "tb", "b2", ""]]),
            grid(SheetKind::Files, &[file_row("丙", "", "tb", "b1")]),
            grid(
                SheetKind::Accounts,
                &[vec!["spy", "某人", "督办人员", "", "county", "", ""]],
            ),
        ]);
        let admin = UserId("admin-a".into());
        let report = db
            .import(&book, Some("ta"), &admin, false)
            .await
            .expect("import");
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "地点 第 2 行 村（社区）：不在您的管辖范围内",
                "账号 第 2 行 县（市、区）：不在您的管辖范围内",
                "信访人档案 第 2 行 村（社区）：不在您的管辖范围内",
            ]
        );
        assert_eq!(counts(&url).await, before);
    }
}

/// `POST /api/admin/import` with `bytes` as the body.
async fn post_import(
    server: &TestServer,
    token: &str,
    query: &str,
    bytes: Vec<u8>,
) -> (axum::http::StatusCode, serde_json::Value) {
    let req = common::authorised(
        axum::http::Request::post(format!("/api/admin/import{query}")),
        token,
    )
    .body(axum::body::Body::from(bytes))
    .expect("request");
    server.send(req).await
}

#[tokio::test]
async fn only_an_administrator_imports_over_http_and_sees_the_problems_in_chinese() {
    sqlx::any::install_default_drivers();
    for server in TestServer::each(&small_world()).await {
        let csv = "\u{feff}信访人姓名,身份证号,乡镇（街道）,村（社区）,用户名,职责\r\n\
                   f-a1 信访人,,ta,a1,nobody,责任干部\r\n"
            .as_bytes()
            .to_vec();
        for who in ["wang", "sup-a", "law", "sup-county"] {
            let token = server.login(who).await;
            let (status, _) = post_import(&server, &token, "?dry_run=1", csv.clone()).await;
            assert_eq!(status, axum::http::StatusCode::FORBIDDEN, "{who}");
        }
        let admin = server.login("admin-a").await;
        let (status, body) = post_import(&server, &admin, "?dry_run=1", csv.clone()).await;
        assert_eq!(status, axum::http::StatusCode::OK, "{body}");
        let report: xiafang_core::ledger_import::ImportReport = common::parse(body);
        let lines: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            ["分派 第 2 行 用户名：没有这个用户名的账号（系统和“账号”表中都没有）"]
        );
        let good = csv_replace(&csv, "nobody", "wang");
        let (status, body) = post_import(&server, &admin, "", good.clone()).await;
        assert_eq!(status, axum::http::StatusCode::OK, "{body}");
        let report: xiafang_core::ledger_import::ImportReport = common::parse(body);
        assert!(report.stored && report.problems.is_empty(), "{report:?}");
        assert_eq!(report.already.assignments, 1, "wang was already assigned");

        let (status, _) =
            post_import(&server, &admin, "", b"not a workbook \xff\xfe".to_vec()).await;
        assert_eq!(status, axum::http::StatusCode::BAD_REQUEST);
        let huge = vec![b'a'; xiafang_server::import::MAX_UPLOAD_BYTES + 1];
        let (status, _) = post_import(&server, &admin, "", huge).await;
        assert_eq!(status, axum::http::StatusCode::PAYLOAD_TOO_LARGE);
    }
}

fn csv_replace(csv: &[u8], from: &str, to: &str) -> Vec<u8> {
    String::from_utf8(csv.to_vec())
        .expect("utf-8")
        .replace(from, to)
        .into_bytes()
}

#[tokio::test]
async fn a_case_owning_leader_is_stored_once_as_a_record_in_the_files_chain() {
    sqlx::any::install_default_drivers();
    for server in TestServer::each(&small_world()).await {
        let db = &server.state.db;
        let sheet = |who: &'static str| {
            Workbook::from_grids(vec![grid(
                SheetKind::Assignments,
                &[vec!["f-a1 信访人", "", "ta", "a1", who, "包案领导"]],
            )])
        };
        let admin = UserId("admin-a".into());
        let wrong = db
            .import(&sheet("wang"), Some("ta"), &admin, false)
            .await
            .expect("import");
        let lines: Vec<String> = wrong.problems.iter().map(ToString::to_string).collect();
        assert_eq!(lines, ["分派 第 2 行 用户名：此职责须由督办人员担任"]);

        let done = db
            .import(&sheet("sup-a"), Some("ta"), &admin, false)
            .await
            .expect("import");
        assert!(done.stored && done.problems.is_empty(), "{done:?}");
        assert_eq!(done.new.leaders, 1);
        let again = db
            .import(&sheet("sup-a"), Some("ta"), &admin, false)
            .await
            .expect("again");
        assert_eq!((again.new.leaders, again.already.leaders), (0, 1));

        let records = db
            .records_for_file(&xiafang_core::FileId("f-a1".into()))
            .await
            .expect("records");
        let leaders: Vec<_> = records
            .iter()
            .filter(|r| {
                matches!(
                    &r.body,
                    xiafang_core::RecordBody::Supervision(
                        xiafang_core::supervision::Supervision::Leader { account: Some(a), .. }
                    ) if a.0 == "sup-a"
                )
            })
            .collect();
        assert_eq!(leaders.len(), 1, "{records:?}");
        assert_eq!(leaders[0].author.0, "admin-a");
        let report = db.verify_report(None, None).await.expect("verify");
        assert!(report.all_match(), "{report:?}");
        let (status, body) = server
            .get(
                "/api/files/f-a1/audit",
                Some(&server.login("admin-a").await),
            )
            .await;
        assert_eq!(status, axum::http::StatusCode::OK, "{body}");
        assert!(
            body.to_string().contains(&leaders[0].id.to_string()),
            "{body}"
        );
    }
}
