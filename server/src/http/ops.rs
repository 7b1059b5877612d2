//! For the operator, not the phones: readiness (`/api/ready`), the request metrics and log line
//! of every request (`observe`), and `/metrics` for Prometheus behind a token.

use super::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::{Duration, Instant};

/// A database that takes longer than this to answer is as good as none to a load balancer.
const READY_WITHIN: Duration = Duration::from_secs(3);

/// 200 once the database answers a query, 503 with a short reason otherwise. The reason names
/// no host, version or error text: the check may be reachable from outside.
pub async fn ready(State(state): State<AppState>) -> Response {
    match tokio::time::timeout(READY_WITHIN, state.db.answers()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(cause)) => {
            tracing::warn!(%cause, "not ready: the database did not answer");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
        Err(_) => {
            tracing::warn!(within = ?READY_WITHIN, "not ready: the database is too slow");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// `/metrics`, outside `/api`: for a scraper with its own token, not for phones' sessions (so it
/// is not in `tests/abuse_input.rs`'s table of API routes; `tests/operations.rs` tests it).
pub fn scrape() -> axum::Router<AppState> {
    axum::Router::new().route("/metrics", axum::routing::get(metrics))
}

/// `GET /metrics`: not there at all unless a token is configured (404), and only for a scraper
/// that presents it (401 otherwise).
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = &state.metrics_token else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !presented.is_some_and(|p| token.admits(p)) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))],
        )
            .into_response();
    }
    let figures = match state.db.figures().await {
        Ok(figures) => figures,
        Err(cause) => {
            tracing::warn!(%cause, "metrics: the database did not answer");
            return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response();
        }
    };
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(crate::metrics::CONTENT_TYPE),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        ],
        state.metrics.render(&figures),
    )
        .into_response()
}

/// Counts, times and logs every request under its route template, never its raw path.
pub async fn observe(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = method_label(req.method());
    let route = route_label(&req);
    // As sent: before `RequestDecompressionLayer` inflates a gzipped upload. A body without a
    // length (chunked) logs none.
    let bytes_in = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let started = Instant::now();
    let in_flight = state.metrics.start(method, &route);
    let res = next.run(req).await;
    drop(in_flight);
    let took = started.elapsed();
    let status = res.status().as_u16();
    state.metrics.answered(method, &route, status, took);
    tracing::info!(
        target: "xiafang_server::request",
        method,
        route = %route,
        status,
        latency_ms = took.as_secs_f64() * 1000.0,
        bytes_in,
        "request"
    );
    res
}

/// A fixed set, so that odd methods cannot make new series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// The matched route template; requests no API route matched are `/api/unmatched`, and
/// everything else (the PWA's files and routes) is `static`.
fn route_label(req: &Request) -> String {
    match req.extensions().get::<MatchedPath>() {
        Some(matched) if !matched.as_str().contains("{*") => matched.as_str().to_owned(),
        _ if req.uri().path().starts_with("/api/") => "/api/unmatched".to_owned(),
        _ => "static".to_owned(),
    }
}
