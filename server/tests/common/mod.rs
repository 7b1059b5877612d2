//! A real server over a real database, driven through the same router the binary serves. Every
//! test runs once per backend: a SQLite file in a temporary directory, and a fresh database in
//! the PostgreSQL cluster named by `XIAFANG_TEST_POSTGRES` (`cargo xtask test` starts one).
//! Without it a test fails, unless `XIAFANG_TEST_SQLITE_ONLY=1` says PostgreSQL is left out.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tower::ServiceExt;
use xiafang_core::{Category, DeviceId, Matter, PetitionerFile, Record, Sex};
use xiafang_core::{
    account::Role,
    session::LoginResponse,
    upload::{Op, PushRequest, PushResponse},
};
use xiafang_server::db::Db;
use xiafang_server::demo::{Demo, DemoAccount, DemoFile, DemoPlace};
use xiafang_server::{AppState, app};

// Also loaded by `support::http` in tests that use both: each client keeps its own tokens.
#[allow(clippy::duplicate_mod)]
#[path = "../support/phone_key.rs"]
mod phone_key;
#[allow(unused_imports)]
pub use phone_key::{
    new_phone_key, proof, proof_for, public_key, remember_key, remember_sign_in, with_phone_key,
};

pub struct TestServer {
    /// `None` for a second handle on a running server (see `over`).
    pub db: Option<TestDb>,
    pub state: AppState,
}

/// A fresh, empty database of one backend.
pub struct TestDb {
    pub backend: &'static str,
    pub url: String,
    /// Keeps the SQLite file's directory alive as long as the test runs.
    _dir: Option<tempfile::TempDir>,
    /// The cluster's admin URL of a PostgreSQL database, which is dropped with it: a suite run
    /// makes hundreds, and a developer's shared cluster would keep every one.
    admin: Option<String>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(admin) = self.admin.take() else {
            return;
        };
        let Some((_, name)) = self.url.rsplit_once('/') else {
            return;
        };
        let name = name.to_owned();
        // Its own thread and runtime: a drop cannot await, and may run inside a test's runtime.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            runtime.block_on(async {
                use sqlx::Connection;
                let mut conn = sqlx::PgConnection::connect(&admin).await.ok()?;
                let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                sqlx::Executor::execute(&mut conn, sql.as_str()).await.ok()
            })
        });
        let _ = dropped.join();
    }
}

impl TestDb {
    pub async fn open(&self) -> Db {
        Db::connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("open {} database: {e}", self.backend))
    }
}

/// One fresh database per backend under test.
pub async fn fresh_databases() -> Vec<TestDb> {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut dbs = vec![TestDb {
        backend: "sqlite",
        url: xiafang_server::db::sqlite_url(&dir.path().join("xiafang.db")),
        _dir: Some(dir),
        admin: None,
    }];
    match postgres_choice() {
        Postgres::Cluster(admin_url) => dbs.push(fresh_postgres(&admin_url).await),
        Postgres::LeftOut => eprintln!("{SQLITE_ONLY}=1: PostgreSQL left out as asked"),
    }
    dbs
}

/// A developer's quick run may leave PostgreSQL out, but only by saying so: a suite that skipped
/// half its backends quietly would pass the test command while proving nothing about PostgreSQL.
pub const SQLITE_ONLY: &str = "XIAFANG_TEST_SQLITE_ONLY";

enum Postgres {
    Cluster(String),
    LeftOut,
}

fn postgres_choice() -> Postgres {
    postgres_choice_from(
        std::env::var("XIAFANG_TEST_POSTGRES").ok(),
        std::env::var(SQLITE_ONLY).ok(),
    )
    .unwrap_or_else(|why| panic!("{why}"))
}

fn postgres_choice_from(
    cluster: Option<String>,
    sqlite_only: Option<String>,
) -> Result<Postgres, String> {
    match (cluster, sqlite_only.as_deref()) {
        (Some(url), _) if !url.is_empty() => Ok(Postgres::Cluster(url)),
        (_, Some("1")) => Ok(Postgres::LeftOut),
        _ => Err(format!(
            "XIAFANG_TEST_POSTGRES is not set, so the PostgreSQL half of this test cannot run. \
             `cargo xtask test` starts a cluster and sets it; to run on SQLite alone on purpose, \
             set {SQLITE_ONLY}=1"
        )),
    }
}

#[test]
fn postgres_is_left_out_only_when_asked() {
    let url = || Some("postgres://x/y".to_owned());
    assert!(matches!(
        postgres_choice_from(url(), None),
        Ok(Postgres::Cluster(_))
    ));
    assert!(matches!(
        postgres_choice_from(url(), Some("1".into())),
        Ok(Postgres::Cluster(_))
    ));
    assert!(matches!(
        postgres_choice_from(None, Some("1".into())),
        Ok(Postgres::LeftOut)
    ));
    assert!(postgres_choice_from(None, None).is_err());
    assert!(postgres_choice_from(Some(String::new()), None).is_err());
    assert!(postgres_choice_from(None, Some("0".into())).is_err());
}

/// A new database in the test cluster, so tests never see each other's data.
async fn fresh_postgres(admin_url: &str) -> TestDb {
    use sqlx::Connection;
    let name = format!("xf_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .expect("connect to the test PostgreSQL cluster");
    sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create test database");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url, |(base, _)| base);
    TestDb {
        backend: "postgres",
        url: format!("{base}/{name}"),
        _dir: None,
        admin: Some(admin_url.to_owned()),
    }
}

pub const PASSWORD: &str = "test-password";

fn place(id: &str, kind: &str, parent: Option<&str>) -> DemoPlace {
    DemoPlace {
        id: id.into(),
        name: id.into(),
        kind: kind.into(),
        parent: parent.map(Into::into),
        groups: Vec::new(),
    }
}

pub fn account(id: &str, role: Role, place: &str) -> DemoAccount {
    DemoAccount {
        id: id.into(),
        username: id.into(),
        display_name: format!("{id} 姓名"),
        role,
        place: place.into(),
        password: PASSWORD.into(),
        legal_title: (role == Role::Legal).then_some(xiafang_core::account::LegalTitle::Lawyer),
        villages: Vec::new(),
    }
}

pub fn file(id: &str, village: &str, assigned: &[&str]) -> DemoFile {
    DemoFile {
        village_id: village.into(),
        assigned: assigned.iter().map(|s| s.to_string()).collect(),
        file: PetitionerFile {
            id: id.into(),
            name: format!("{id} 信访人"),
            sex: Sex::Male,
            birth_year: Some(1950),
            phone: None,
            township: "t".into(),
            village: village.into(),
            group: String::new(),
            address: "村口".into(),
            household: "独居".into(),
            tags: vec![],
            matter: Matter {
                summary: "诉求".into(),
                category: Category::CollectiveAssets,
                since: chrono::NaiveDate::from_ymd_opt(2014, 3, 1).unwrap(),
                channel: xiafang_core::file::Channel::Visit,
                classification: xiafang_core::file::Classification::Grievance,
                level_reached: xiafang_core::file::Level::County,
                flags: vec![],
                resolution: xiafang_core::file::Resolution::InProgress,
                case_leader: None,
                visits_before_app: 3,
                accused: vec![],
            },
            id_number: None,
        },
    }
}

/// Two townships; cadre `wang` has file `f-a1` in village `a1` of township `ta`; cadre `li` has
/// `f-b1` in `b1` of `tb`; supervisor `sup-a` oversees township `ta`, `sup-county` the county;
/// `admin-a` administers township `ta`; `law` is a legal team member of `ta`.
pub fn small_world() -> Demo {
    Demo {
        images: Vec::new(),
        day: None,
        places: vec![
            place("county", "county", None),
            place("ta", "township", Some("county")),
            place("tb", "township", Some("county")),
            place("a1", "village", Some("ta")),
            place("b1", "village", Some("tb")),
        ],
        accounts: vec![
            account("wang", Role::Cadre, "ta"),
            account("li", Role::Cadre, "tb"),
            account("sup-a", Role::Supervisor, "ta"),
            account("sup-county", Role::Supervisor, "county"),
            account("admin-a", Role::Admin, "ta"),
            account("law", Role::Legal, "ta"),
        ],
        files: vec![file("f-a1", "a1", &["wang"]), file("f-b1", "b1", &["li"])],
        records: vec![],
    }
}

impl TestServer {
    /// A server over each backend's fresh database, seeded with `world`.
    pub async fn each(world: &Demo) -> Vec<Self> {
        let mut servers = Vec::new();
        for test_db in fresh_databases().await {
            let db = test_db.open().await;
            db.seed_demo(world).await.expect("seed");
            servers.push(Self::with_db(test_db, db));
        }
        servers
    }

    fn with_db(test_db: TestDb, db: Db) -> Self {
        eprintln!("-- on {}", test_db.backend);
        let state = AppState::new(db, None);
        TestServer {
            db: Some(test_db),
            state,
        }
    }

    /// Another handle on the same running server, for a concurrent task.
    pub fn over(state: AppState) -> Self {
        TestServer { db: None, state }
    }

    /// The same database opened again by a new server process.
    pub async fn restart(self) -> Self {
        let TestServer { db, state } = self;
        let db = db.expect("restart the server that owns the database");
        drop(state);
        let reopened = db.open().await;
        Self::with_db(db, reopened)
    }

    /// The whole response, headers included.
    pub async fn raw(&self, req: Request<Body>) -> axum::response::Response {
        app(self.state.clone())
            .oneshot(req)
            .await
            .expect("infallible")
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, serde_json::Value) {
        let res = self.raw(req).await;
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    /// A sign-in (`/api/login`) without a `device_key` gets one made here, as a phone would,
    /// and the returned token is remembered with it so `authorised` can sign for it.
    pub async fn post<T: Serialize>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &T,
    ) -> (StatusCode, serde_json::Value) {
        let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            req = authorised(req, t);
        }
        let mut body = serde_json::to_value(body).expect("serialise");
        let signed_in = (path == "/api/login").then(|| remember_sign_in(&mut body));
        let bytes = serde_json::to_vec(&body).expect("serialise");
        let (status, answer) = self.send(req.body(Body::from(bytes)).unwrap()).await;
        if let Some(remember) = signed_in {
            remember(&answer);
        }
        (status, answer)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, serde_json::Value) {
        let mut req = Request::get(path);
        if let Some(t) = token {
            req = authorised(req, t);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// One page of the change feed for `token`, from `cursor` (from the start without one).
    pub async fn pull(
        &self,
        token: &str,
        cursor: Option<&xiafang_core::feed::Cursor>,
    ) -> xiafang_core::feed::PullResponse {
        let path = match cursor {
            Some(c) => format!("/api/sync/pull?cursor={}", c.0),
            None => "/api/sync/pull".to_owned(),
        };
        let (status, body) = self.get(&path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        parse(body)
    }

    pub async fn login(&self, username: &str) -> String {
        let (status, body) = self
            .post(
                "/api/login",
                None,
                &serde_json::json!({"username": username, "password": PASSWORD}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        parse::<LoginResponse>(body).token
    }
}

/// `records` as one upload from `device`, numbered from `first_seq`.
pub fn batch(device: DeviceId, first_seq: u64, records: &[Record]) -> PushRequest {
    PushRequest {
        device_id: device,
        ops: records
            .iter()
            .enumerate()
            .map(|(i, r)| Op {
                seq: first_seq + i as u64,
                record: r.clone(),
            })
            .collect(),
        device_time: chrono::Utc::now(),
    }
}

impl TestServer {
    /// Uploads `req` and returns the server's answer, which must be a 200.
    pub async fn push(&self, token: &str, req: &PushRequest) -> PushResponse {
        let (status, body) = self.post("/api/sync/push", Some(token), req).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        parse(body)
    }
}

/// `builder` carrying `token`'s credentials. Every test request made with a session goes
/// through here (or the helpers above), so how a request proves its session is decided in one
/// place: the bearer token and the proof header signed, now, by the key the token's sign-in
/// sent (the builder's method and URI must be set). A token nobody signed in for here goes
/// without a proof, as a thief's would.
pub fn authorised(
    builder: axum::http::request::Builder,
    token: &str,
) -> axum::http::request::Builder {
    let method = builder
        .method_ref()
        .map_or("GET", |m| m.as_str())
        .to_owned();
    let path = builder
        .uri_ref()
        .and_then(|u| u.path_and_query())
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
    match proof_for(token, &method, &path) {
        Some(proof) => builder.header(xiafang_core::session::PROOF_HEADER, proof),
        None => builder,
    }
}

pub fn parse<T: DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"))
}

/// `text` percent-encoded for a query string (everything but unreserved ASCII).
pub fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl TestServer {
    /// `GET /api/search?q=…` with `q` encoded as a browser would.
    pub async fn search(&self, token: &str, q: &str) -> (StatusCode, serde_json::Value) {
        let path = format!("/api/search?q={}", query_escape(q));
        self.get(&path, Some(token)).await
    }

    /// The ids of the files a search finds, in the order given; the search must succeed.
    pub async fn found(&self, token: &str, q: &str) -> Vec<String> {
        let (status, body) = self.search(token, q).await;
        assert_eq!(status, StatusCode::OK, "{q}: {body}");
        parse::<Vec<xiafang_core::search::SearchHit>>(body)
            .into_iter()
            .map(|hit| hit.file_id.0)
            .collect()
    }

    /// A response that is not JSON (a download): status, headers and the raw bytes.
    pub async fn get_bytes(
        &self,
        path: &str,
        token: &str,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let req = authorised(Request::get(path), token)
            .body(Body::empty())
            .unwrap();
        let res = self.raw(req).await;
        let (parts, body) = res.into_parts();
        let bytes = body.collect().await.expect("body").to_bytes();
        (parts.status, parts.headers, bytes.to_vec())
    }
}

impl TestServer {
    /// `PUT path` with `body` as raw bytes (a piece of a photo), for `token`'s session.
    pub async fn put_bytes(
        &self,
        path: &str,
        token: &str,
        body: Vec<u8>,
    ) -> (StatusCode, serde_json::Value) {
        let req = authorised(Request::put(path), token)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }
}

/// `record` as the server stores and hands it out: every account it names called by that
/// account's name in these test worlds (`account` names `id` "{id} 姓名"), whatever the phone sent.
pub fn as_stored(record: &Record) -> Record {
    record
        .clone()
        .with_account_names(|id| Some(format!("{} 姓名", id.0)))
}

/// The demo accounts' password (`server/demo/demo.json`).
pub const DEMO_PASSWORD: &str = "xiafang2026";

/// The demo account `username` as a sign-in finds it, its demo password checked.
pub async fn demo_sign_in(
    db: &xiafang_server::db::Db,
    username: &str,
) -> xiafang_core::account::Account {
    let (account, hash) = db
        .account_for_login(username)
        .await
        .expect("query")
        .unwrap_or_else(|| panic!("{username} can sign in"));
    assert!(
        xiafang_server::auth::verify_password(DEMO_PASSWORD, &hash),
        "{username}'s password"
    );
    account
}

/// Runs one statement straight on the test's database, behind the server's back, as someone
/// with access to the database could (the tamper tests of the record chains).
pub async fn sql_behind(url: &str, statement: &str, binds: &[&str]) {
    let pool = sqlx::AnyPool::connect(url).await.expect("connects");
    let mut q = sqlx::query(statement);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(&pool).await.expect("statement runs");
    pool.close().await;
}

/// What someone with the database and this code can do: change a record and recompute every
/// stored link of its file so that the chain agrees with itself again.
pub async fn rewrite_and_rehash(url: &str, file: &str, record: &str, from: &str, to: &str) {
    sql_behind(
        url,
        "UPDATE records SET body = REPLACE(body, $1, $2) WHERE id = $3",
        &[from, to, record],
    )
    .await;
    let pool = sqlx::AnyPool::connect(url).await.expect("connects");
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM records WHERE file_id = $1 ORDER BY feed_seq")
            .bind(file)
            .fetch_all(&pool)
            .await
            .expect("rows");
    let mut prev = xiafang_core::chain::ChainHash::GENESIS;
    for (id, body) in rows {
        let value: serde_json::Value = serde_json::from_str(&body).expect("json");
        prev = xiafang_core::chain::link_canonical(
            &prev,
            &xiafang_core::canonical::canonical_json(&value),
        );
        sqlx::query("UPDATE records SET chain_hash = $1 WHERE id = $2")
            .bind(prev.to_hex())
            .bind(id)
            .execute(&pool)
            .await
            .expect("rehash");
    }
    pool.close().await;
}
