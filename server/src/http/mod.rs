//! The HTTP application: the JSON API under `/api` and the built PWA for everything else.

mod admin;
mod audit;
mod blobs;
mod chain_check;
mod dictionary;
mod error;
mod export;
mod extract;
mod files;
mod import;
mod ledgers;
mod ops;
mod review;
mod screening;
mod search;
mod security;
mod session;
mod static_files;
mod sync;
mod team;
mod verify;

pub use dictionary::{KEPT_FILES, ShellHistory, dcz};
pub use error::HttpError;
pub use extract::{ApiJson, ApiPath, ApiQuery, ReadableFile, SignedIn, SupervisedFile, Uploader};

use crate::db::Db;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post};
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::CompressionLevel;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use xiafang_core::upload::MAX_BODY_BYTES;

#[derive(Clone)]
pub struct AppState {
    pub db: Arc<Db>,
    /// The built PWA; `None` serves the API only (tests).
    pub dist: Option<PathBuf>,
    /// Password checks and hashing, on a bounded pool of blocking threads.
    pub passwords: Arc<crate::auth::PasswordPool>,
    /// The cipher phones seal their data with, told to each at sign-in.
    pub device_cipher: xiafang_core::cipher::CipherKind,
    /// The county's definitions of figures and time limits, for the ledgers and the phones.
    pub rules: Arc<xiafang_core::figures::FigureRules>,
    /// This process's request and upload counts, for `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// The token `/metrics` asks for; without one it is not served.
    pub metrics_token: Option<crate::metrics::MetricsToken>,
    /// Held while an administrator's chain check runs: one at a time in this process (and in the
    /// deployment, by `Db::try_verify_turn`; `http/verify.rs`).
    pub verifying: Arc<tokio::sync::Mutex<()>>,
    /// Held while a workbook is read and imported: one at a time in this process, so what
    /// reading costs (up to `import::LIMITS`) is not multiplied by repeated requests
    /// (`http/import.rs`).
    pub importing: Arc<tokio::sync::Mutex<()>>,
    /// The public keys this deployment signs statements with or did (`chain_key::
    /// trusted_public_keys`), for the chain check to name a statement signed by any other.
    pub trusted_chain_keys: Option<Arc<[String]>>,
    /// The last releases' wasm files, so an update's wasm goes as a delta against the one the
    /// phone holds (`dictionary.rs`); `None` sends every wasm whole.
    pub shell_history: Option<Arc<ShellHistory>>,
}

impl AppState {
    pub fn new(db: Db, dist: Option<PathBuf>) -> Self {
        AppState {
            db: Arc::new(db),
            dist,
            passwords: Arc::new(crate::auth::PasswordPool::for_this_machine()),
            device_cipher: Default::default(),
            rules: Arc::default(),
            metrics: Arc::default(),
            metrics_token: None,
            verifying: Arc::default(),
            importing: Arc::default(),
            trusted_chain_keys: None,
            shell_history: None,
        }
    }

    /// The deployment's signing keys, present and replaced (`chain_key::trusted_public_keys`).
    pub fn with_trusted_chain_keys(mut self, keys: Option<Vec<String>>) -> Self {
        self.trusted_chain_keys = keys.map(Arc::from);
        self
    }

    /// The shell history in the data directory (`ShellHistory::open`).
    pub fn with_shell_history(mut self, history: Option<ShellHistory>) -> Self {
        self.shell_history = history.map(Arc::new);
        self
    }

    /// This deployment's figure and time-limit rules (`--rules`).
    pub fn with_rules(mut self, rules: xiafang_core::figures::FigureRules) -> Self {
        self.rules = Arc::new(rules);
        self
    }

    /// The token a Prometheus scraper presents to `/metrics`.
    pub fn with_metrics_token(mut self, token: Option<crate::metrics::MetricsToken>) -> Self {
        self.metrics_token = token;
        self
    }

    /// This deployment's choice of phone cipher (`--device-cipher`).
    pub fn with_device_cipher(mut self, cipher: xiafang_core::cipher::CipherKind) -> Self {
        self.device_cipher = cipher;
        self
    }
}

/// The whole application, as the binary serves it and the tests call it.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ops::ready))
        .route("/login", post(session::login))
        .route("/me", get(session::me))
        .route("/logout", post(session::logout))
        .route("/sync/pull", get(sync::pull))
        .route("/sync/push", post(sync::push))
        .route("/sync/acks", get(sync::acks))
        .route("/devices", get(sync::devices))
        .route("/files/{id}/records", get(files::records))
        .route("/files/{id}/conflicts", get(files::conflicts))
        .route("/files/{id}/audit", get(files::audit))
        .route("/files/{id}/export", get(export::export))
        // Issue 19, the phone's check of its copies against the chains.
        .route("/chain/heads", get(chain_check::heads))
        .route("/files/{id}/chain", get(chain_check::file_chain))
        .route(
            "/files/{id}/chain/reports",
            get(chain_check::reports).post(chain_check::report),
        )
        .route("/audit/export", get(audit::export))
        .route("/search", get(search::search))
        .route(
            "/blobs/{sha256}",
            get(blobs::download)
                .put(blobs::put)
                .layer(DefaultBodyLimit::max(blobs::MAX_PIECE_BYTES)),
        )
        .route("/blobs/{sha256}/upload", get(blobs::status))
        .route("/rules", get(session::rules))
        .route("/team", get(team::team))
        .route("/screening/places", get(screening::places))
        .route("/ledgers/{kind}", get(ledgers::ledger))
        .route("/admin/places", get(admin::places))
        .route("/admin/files", get(admin::files))
        .route(
            "/admin/accounts",
            get(admin::accounts).post(admin::create_account),
        )
        .route("/admin/accounts/{id}/disable", post(admin::disable))
        .route("/admin/verify", post(verify::verify))
        .route(
            "/admin/import",
            post(import::import).layer(DefaultBodyLimit::max(crate::import::MAX_UPLOAD_BYTES)),
        )
        .route("/admin/devices/{id}/revoke", post(admin::revoke_device))
        .route("/quarantine", get(review::quarantined))
        .route("/quarantine/{device}/{record}/accept", post(review::accept))
        .route("/quarantine/{device}/{record}/reject", post(review::reject))
        .route("/admin/accounts/{id}/enable", post(admin::enable))
        .route("/admin/accounts/{id}/password", post(admin::reset_password))
        .route("/admin/accounts/{id}/unlock", post(admin::unlock))
        .route(
            "/admin/assignments",
            post(admin::assign).delete(admin::unassign),
        )
        .route(
            "/admin/legal-villages",
            post(admin::add_legal_village).delete(admin::remove_legal_village),
        )
        .fallback(|| async { HttpError::NotFound })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A phone may send its upload gzipped (`Content-Encoding: gzip`); other encodings are
        // answered 415. The body limits above are enforced where a handler reads the body, on
        // what this layer hands it, i.e. on the inflated bytes, so a small gzip that inflates
        // past the limit is refused with 413 (tests/compression.rs).
        .layer(RequestDecompressionLayer::new())
        // Personal data must never sit in a shared or browser HTTP cache.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let mut router = Router::new().nest("/api", api).merge(ops::scrape());
    if let Some(dist) = &state.dist {
        router = static_files::serve(router, dist, state.shell_history.clone());
    }
    let router = router.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        ops::observe,
    ));
    security::harden(router, state.dist.as_deref())
        // API answers (and any static file the build left uncompressed): brotli for browsers
        // that take it, gzip otherwise. Quality 5, not brotli's default 11: compressing on the
        // fly per request, the wasm takes ≈ 5 s of CPU at 11 and ≈ 0.1 s at 5. The PWA's files
        // come precompressed at 11 (`static_files`); a response that already has a
        // Content-Encoding is passed through as it is.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(5)))
        .with_state(state)
}
