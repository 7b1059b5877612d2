//! Security headers on every response, above all a strict Content-Security-Policy: the page may
//! run only its own script files, the one inline start-up script Trunk writes (allowed by its
//! hash, computed from the built `index.html`), and WebAssembly; it may talk only to this origin.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy for a PWA whose shell is `index_html` (or none, when only the API is served).
pub fn content_security_policy(index_html: Option<&str>) -> String {
    let hashes: String = index_html
        .map(inline_scripts)
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; \
         manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

/// The text of each inline `<script>` (one without `src`).
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let Some(open_end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + open_end];
        let body_start = start + open_end + 1;
        let Some(close) = rest[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") {
            found.push(&rest[body_start..body_start + close]);
        }
        rest = &rest[body_start + close..];
    }
    found
}

/// Adds the security headers to every response of `router`.
pub fn harden<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    dist: Option<&Path>,
) -> Router<S> {
    let index = dist.and_then(|d| std::fs::read_to_string(d.join("index.html")).ok());
    let csp = content_security_policy(index.as_deref());
    let headers = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (header::REFERRER_POLICY, "no-referrer".to_owned()),
        (header::X_FRAME_OPTIONS, "DENY".to_owned()),
        (
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains".to_owned(),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            // The camera is for receipts and documents; location stays off unless a cadre asks.
            "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()".to_owned(),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin".to_owned(),
        ),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        let value = HeaderValue::from_str(&value).expect("header values are ASCII");
        router.layer(SetResponseHeaderLayer::overriding(name, value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_inline_scripts_are_hashed() {
        let html = r#"<script type="module">init();</script><script src="/a.js"></script>"#;
        assert_eq!(inline_scripts(html), vec!["init();"]);
        let csp = content_security_policy(Some(html));
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init();"));
        assert!(csp.contains(&format!("'sha256-{expected}'")), "{csp}");
        assert!(!csp.contains("unsafe-inline"));
        assert!(content_security_policy(None).starts_with("default-src 'none'"));
    }
}
