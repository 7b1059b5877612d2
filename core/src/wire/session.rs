//! Signing in, and the proof every signed-in request carries.

use crate::base::cipher::CipherKind;
use crate::base::ids::DeviceId;
use crate::records::account::Account;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The phone signing in, so an administrator can later revoke it if it is lost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<DeviceId>,
    /// The public half of the phone's signing key (ECDSA P-256, the uncompressed SEC1 point in
    /// base64url): every request of the session must be signed by its private half
    /// (`PROOF_HEADER`), which never leaves the phone. Required; optional here only so an old
    /// app's sign-in gets a readable refusal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_key: Option<String>,
}

/// How long a session lasts on the server after a password sign-in, in days.
pub const SESSION_DAYS: i64 = 30;

/// The header by which a request proves it comes from the phone its session was issued to:
/// `<unix seconds>.<base64url signature>`, the signature (ECDSA P-256 with SHA-256, IEEE P1363
/// `r‖s`, as Web Crypto makes it) over `proof_message`.
pub const PROOF_HEADER: &str = "x-xiafang-proof";

/// How far a proof's time may lie from the server's, either way: phones' clocks in villages are
/// often minutes off, and a phone told `proof_stale` corrects its offset from the server's
/// `Date` and retries once.
pub const PROOF_WINDOW_SECS: i64 = 600;

/// What a request's proof signs: a fixed context (so the key signs nothing else usefully), the
/// method, the path with its query exactly as sent, and the time.
pub fn proof_message(method: &str, path_and_query: &str, at_unix_secs: i64) -> String {
    format!("xiafang-proof-v1\n{method}\n{path_and_query}\n{at_unix_secs}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    pub account: Account,
    /// With a device id in the request: the server's secret for this phone and account (32
    /// bytes, base64), which opens the phone's data after wrong PINs locked it. Sent only in
    /// answer to a password, never to a session token, so a copied session cannot fetch it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_secret: Option<String>,
    /// The cipher this deployment seals phones' data with (sent with `device_secret`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_cipher: Option<CipherKind>,
}
