//! What `/metrics` tells Prometheus, kept per process: Prometheus scrapes every instance and adds
//! them up, so nothing here changes what any request is answered. The figures that belong to the
//! whole deployment (images still being uploaded) are read from the database at each scrape, so
//! every instance tells the same.
//!
//! Labels never carry a raw path or a name: a request is counted under its route template
//! (`/api/files/{id}/records`), since file ids and usernames are personal data.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};
use std::time::Duration;
use subtle::ConstantTimeEq;
use xiafang_core::verdict::Outcome;

/// The media type of what `Metrics::render` writes (OpenMetrics text, which Prometheus reads).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: String,
}

/// From 5 ms to ≈ 20 s: a health check takes about a millisecond, a large upload on SQLite
/// with `synchronous = FULL` seconds.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.005, 2.0, 13))
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    in_flight: Family<RouteLabels, Gauge>,
    uploads: Family<OutcomeLabels, Counter>,
    pending_uploads: Gauge,
    pending_bytes: Gauge,
    connections: Family<StateLabels, Gauge>,
}

/// What the database tells at a scrape.
pub struct DbFigures {
    pub pending_image_uploads: i64,
    pub pending_image_bytes: i64,
    pub connections_in_use: i64,
    pub connections_idle: i64,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("xiafang");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's head to its response's head, by method and route template",
            latency.clone(),
        );
        let in_flight = Family::<RouteLabels, Gauge>::default();
        registry.register(
            "http_requests_in_flight",
            "Requests being answered now, by method and route template",
            in_flight.clone(),
        );
        let uploads = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "uploaded_records",
            "Records in phones' uploads, by what the server decided: stored, rejected, quarantined",
            uploads.clone(),
        );
        // Present from the start, so a rate over the first upload is right.
        for outcome in ["stored", "rejected", "quarantined"] {
            drop(uploads.get_or_create(&OutcomeLabels {
                outcome: outcome.into(),
            }));
        }
        let pending_uploads = Gauge::default();
        registry.register(
            "pending_image_uploads",
            "Photo and signature uploads begun but not complete (the whole database)",
            pending_uploads.clone(),
        );
        let pending_bytes = Gauge::default();
        registry.register(
            "pending_image_bytes",
            "Bytes stored of photo and signature uploads not yet complete (the whole database)",
            pending_bytes.clone(),
        );
        let connections = Family::<StateLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "This process's database connections, in use or idle",
            connections.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            in_flight,
            uploads,
            pending_uploads,
            pending_bytes,
            connections,
        }
    }
}

/// `value` as the text format wants a label value: prometheus-client writes values as given, and
/// a route template is the router's text, not ours to trust blindly.
fn escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Counts a request as in flight until dropped.
pub struct InFlight(Gauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Metrics {
    /// Marks a request on `route` as being answered.
    pub fn start(&self, method: &str, route: &str) -> InFlight {
        let gauge = self
            .in_flight
            .get_or_create(&RouteLabels {
                method: method.into(),
                route: escaped(route),
            })
            .clone();
        gauge.inc();
        InFlight(gauge)
    }

    /// Counts an answered request.
    pub fn answered(&self, method: &str, route: &str, status: u16, took: Duration) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.into(),
                route: escaped(route),
                status: status.to_string(),
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.into(),
                route: escaped(route),
            })
            .observe(took.as_secs_f64());
    }

    /// Counts the records of one upload as the upload handler decided them.
    pub fn uploaded(&self, outcomes: &[Outcome]) {
        for outcome in outcomes {
            let outcome = match outcome {
                Outcome::Stored => "stored",
                Outcome::Rejected { .. } => "rejected",
                Outcome::Quarantined => "quarantined",
            };
            self.uploads
                .get_or_create(&OutcomeLabels {
                    outcome: outcome.into(),
                })
                .inc();
        }
    }

    /// Everything, in the text format, with the database's figures as of now.
    pub fn render(&self, db: &DbFigures) -> String {
        self.pending_uploads.set(db.pending_image_uploads);
        self.pending_bytes.set(db.pending_image_bytes);
        for (state, value) in [
            ("in_use", db.connections_in_use),
            ("idle", db.connections_idle),
        ] {
            self.connections
                .get_or_create(&StateLabels {
                    state: state.into(),
                })
                .set(value);
        }
        let mut text = String::new();
        // Writing into a String cannot fail.
        encode(&mut text, &self.registry).expect("metrics encode into a String");
        text
    }
}

/// The secret a scraper must present (`Authorization: Bearer …`). Only its digest is kept, so
/// comparing takes the same time whatever the guess, and a debug print shows nothing.
#[derive(Clone)]
pub struct MetricsToken([u8; 32]);

impl MetricsToken {
    pub fn new(secret: &str) -> Self {
        MetricsToken(Sha256::digest(secret.as_bytes()).into())
    }

    pub fn admits(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        bool::from(self.0.ct_eq(&digest))
    }
}

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MetricsToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_configured_token_is_admitted() {
        let token = MetricsToken::new("s3cret-token");
        assert!(token.admits("s3cret-token"));
        assert!(!token.admits("s3cret-tokeN"));
        assert!(!token.admits(""));
        assert!(!format!("{token:?}").contains("s3cret"));
    }

    #[test]
    fn label_values_are_escaped_as_the_format_says() {
        let metrics = Metrics::default();
        metrics.answered("GET", "/a\"b\\c\nd", 200, Duration::from_millis(3));
        let text = metrics.render(&DbFigures {
            pending_image_uploads: 0,
            pending_image_bytes: 0,
            connections_in_use: 0,
            connections_idle: 0,
        });
        assert!(text.contains(r#"route="/a\"b\\c\nd""#), "{text}");
    }
}
