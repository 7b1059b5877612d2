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
        let report = server.state.db.verify_report(None).await.expect("verify");
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
