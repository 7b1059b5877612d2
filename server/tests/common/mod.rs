//! A real server over a real SQLite file in a temporary directory, driven through the same
//! router the binary serves.

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use tower::ServiceExt;
use xiafang_core::sync::{LoginResponse, Role};
use xiafang_core::{Category, Matter, PetitionerFile, Sex};
use xiafang_server::db::Db;
use xiafang_server::demo::{Demo, DemoAccount, DemoFile, DemoPlace};
use xiafang_server::{AppState, app};

pub struct TestServer {
    pub dir: tempfile::TempDir,
    pub state: AppState,
}

pub const PASSWORD: &str = "test-password";

fn place(id: &str, kind: &str, parent: Option<&str>) -> DemoPlace {
    DemoPlace {
        id: id.into(),
        name: id.into(),
        kind: kind.into(),
        parent: parent.map(Into::into),
    }
}

fn account(id: &str, role: Role, place: &str) -> DemoAccount {
    DemoAccount {
        id: id.into(),
        username: id.into(),
        display_name: format!("{id} 姓名"),
        role,
        place: place.into(),
        password: PASSWORD.into(),
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
            },
        },
    }
}

/// Two townships; cadre `wang` has file `f-a1` in village `a1` of township `ta`; cadre `li` has
/// `f-b1` in `b1` of `tb`; supervisor `sup-a` oversees township `ta`.
pub fn small_world() -> Demo {
    Demo {
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
        ],
        files: vec![file("f-a1", "a1", &["wang"]), file("f-b1", "b1", &["li"])],
        records: vec![],
    }
}

impl TestServer {
    pub async fn start(world: &Demo) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&dir.path().join("xiafang.db"))
            .await
            .expect("open db");
        db.seed_demo(world).await.expect("seed");
        Self::with_db(dir, db)
    }

    fn with_db(dir: tempfile::TempDir, db: Db) -> Self {
        let state = AppState {
            db: Arc::new(db),
            dist: None,
        };
        TestServer { dir, state }
    }

    /// The same database file opened again by a new server process.
    pub async fn restart(self) -> Self {
        let TestServer { dir, state } = self;
        drop(state);
        let db = Db::open(&dir.path().join("xiafang.db"))
            .await
            .expect("reopen db");
        Self::with_db(dir, db)
    }

    pub async fn send(&self, req: Request<Body>) -> (StatusCode, serde_json::Value) {
        let res = app(self.state.clone())
            .oneshot(req)
            .await
            .expect("infallible");
        let status = res.status();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
        (status, json)
    }

    pub async fn post<T: Serialize>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &T,
    ) -> (StatusCode, serde_json::Value) {
        let mut req = Request::post(path).header(header::CONTENT_TYPE, "application/json");
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = serde_json::to_vec(body).expect("serialise");
        self.send(req.body(Body::from(body)).unwrap()).await
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, serde_json::Value) {
        let mut req = Request::get(path);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        self.send(req.body(Body::empty()).unwrap()).await
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

pub fn parse<T: DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"))
}
