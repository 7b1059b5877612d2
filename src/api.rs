//! HTTP calls to the case server (same origin). Every failure is classified so the app can tell
//! "no signal, will retry" from "the server refused, the user must act".

pub mod blobs;
pub mod import;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use xiafang_core::file_edit::FileConflict;
use xiafang_core::{DeviceId, FileId, UserId};
use xiafang_core::{
    admin::{
        AccountSummary, Assignment, FileSummary, LegalVillage, NewAccount, PasswordReset,
        PlaceSummary,
    },
    api_error::{ApiError, ApiErrorCode},
    feed::{PullResponse, Standing},
    session::{LoginRequest, LoginResponse},
    upload::{AcksQuery, PushRequest, PushResponse},
};

/// A request that has not answered in this long is treated as lost and retried later.
const TIMEOUT_MS: u32 = 30_000;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiFailure {
    /// No connection, or the request timed out: try again later, nothing is lost.
    #[error("network unavailable")]
    Offline,
    /// The server answered with an error; `message` is its own explanation (in Chinese), e.g.
    /// which field of a new account is wrong.
    #[error("server refused: {status}")]
    Refused {
        status: u16,
        code: ApiErrorCode,
        message: String,
    },
    /// The server answered something this app version cannot read.
    #[error("unreadable response: {0}")]
    Unreadable(String),
    /// This phone's own signing key (which proves requests come from it) is unavailable.
    #[error("device key unavailable: {0}")]
    Device(String),
}

impl ApiFailure {
    pub fn is_signed_out(&self) -> bool {
        matches!(
            self,
            ApiFailure::Refused {
                code: ApiErrorCode::Unauthorized,
                ..
            }
        )
    }
}

fn with_timeout(builder: RequestBuilder) -> RequestBuilder {
    builder.abort_signal(Some(&web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS)))
}

thread_local! {
    /// How far the server's clock is ahead of this phone's, in milliseconds, as last seen in a
    /// response's `Date`: proofs are stamped in server time, so a phone whose clock is wrong
    /// (often, in villages) is never locked out.
    static SERVER_AHEAD_MS: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

/// The server's time now, in unix seconds, as far as this phone can tell.
fn server_now_secs() -> i64 {
    ((js_sys::Date::now() + SERVER_AHEAD_MS.with(|a| a.get())) / 1000.0).floor() as i64
}

/// Learns the server's clock from a response of ours (`Date` has whole seconds; good enough for
/// a window of minutes).
fn observe_server_date(response: &Response) {
    if let Some(date) = response.headers().get("date") {
        let server = js_sys::Date::parse(&date);
        if server.is_finite() {
            SERVER_AHEAD_MS.with(|a| a.set(server - js_sys::Date::now()));
        }
    }
}

/// A request built for a signed-in call: `signed` adds the session's credentials.
fn authorised(builder: RequestBuilder) -> RequestBuilder {
    with_timeout(builder)
}

/// Sends `request` as the session `token`: the bearer token and a proof that this phone, the
/// one the session was issued to, sent it (`PROOF_HEADER`, signed by the phone's own key). A
/// proof the server finds stale (the phone's clock was off) is sent once more, stamped with the
/// server's time learnt from its answer. Answers the response whatever its status.
async fn signed(token: &str, request: Result<Request, ApiFailure>) -> Result<Response, ApiFailure> {
    if token.is_empty() {
        // No token (the data is locked, or nobody signed in): nothing is sent at all.
        return Err(ApiFailure::Refused {
            status: 401,
            code: ApiErrorCode::Unauthorized,
            message: String::new(),
        });
    }
    let first: web_sys::Request = request?.into();
    // Kept before the first is sent: a sent request's body cannot be read again.
    let spare = web_sys::Request::clone(&first)
        .map_err(|e| ApiFailure::Device(crate::js_error::text(&e)))?;
    let response = send_proved(token, first).await?;
    if response.status() != 401 {
        return Ok(response);
    }
    match says_proof_stale(response).await {
        (response, false) => Ok(response),
        (_, true) => send_proved(token, spare).await,
    }
}

async fn send_proved(token: &str, raw: web_sys::Request) -> Result<Response, ApiFailure> {
    let url =
        web_sys::Url::new(&raw.url()).map_err(|e| ApiFailure::Device(crate::js_error::text(&e)))?;
    let path = format!("{}{}", url.pathname(), url.search());
    let at = server_now_secs();
    let message = xiafang_core::session::proof_message(&raw.method(), &path, at);
    let signature = crate::store::device_key::sign(message.as_bytes())
        .await
        .map_err(|e| ApiFailure::Device(e.to_string()))?;
    let proof = format!("{at}.{}", URL_SAFE_NO_PAD.encode(signature));
    let headers = raw.headers();
    let set = |name: &str, value: &str| {
        headers
            .set(name, value)
            .map_err(|e| ApiFailure::Device(crate::js_error::text(&e)))
    };
    set("Authorization", &format!("Bearer {token}"))?;
    set(xiafang_core::session::PROOF_HEADER, &proof)?;
    let response = Request::from(raw)
        .send()
        .await
        .map_err(|_| ApiFailure::Offline)?;
    observe_server_date(&response);
    Ok(response)
}

/// Whether a 401 says the proof was stale, read from a copy: the response comes back unread.
async fn says_proof_stale(response: Response) -> (Response, bool) {
    let raw: web_sys::Response = response.into();
    let stale = match web_sys::Response::clone(&raw) {
        Ok(copy) => Response::from(copy)
            .json::<ApiError>()
            .await
            .is_ok_and(|e| e.code == ApiErrorCode::ProofStale),
        Err(_) => false,
    };
    (Response::from(raw), stale)
}

/// A signed-in call whose answer is JSON.
async fn read_signed<T: DeserializeOwned>(
    token: &str,
    request: Result<Request, ApiFailure>,
) -> Result<T, ApiFailure> {
    read(Ok(signed(token, request).await?)).await
}

/// A signed-in call answered with "204 No Content".
async fn done_signed(token: &str, request: Result<Request, ApiFailure>) -> Result<(), ApiFailure> {
    done(Ok(signed(token, request).await?)).await
}

fn build(builder: RequestBuilder) -> Result<Request, ApiFailure> {
    builder
        .build()
        .map_err(|e| ApiFailure::Unreadable(e.to_string()))
}

/// The response when the server accepted the request; its error otherwise.
async fn accepted(sent: Result<Response, gloo_net::Error>) -> Result<Response, ApiFailure> {
    let response = sent.map_err(|_| ApiFailure::Offline)?;
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let (code, message) = match response.json::<ApiError>().await {
        Ok(error) => (error.code, error.message),
        // A proxy or captive portal answered instead of our server: the network is not usable.
        Err(_) if status == 502 || status == 503 || status == 504 => {
            return Err(ApiFailure::Offline);
        }
        Err(_) => (ApiErrorCode::Internal, String::new()),
    };
    Err(ApiFailure::Refused {
        status,
        code,
        message,
    })
}

async fn read<T: DeserializeOwned>(
    sent: Result<Response, gloo_net::Error>,
) -> Result<T, ApiFailure> {
    accepted(sent)
        .await?
        .json::<T>()
        .await
        .map_err(|e| ApiFailure::Unreadable(e.to_string()))
}

/// For requests answered with "204 No Content".
async fn done(sent: Result<Response, gloo_net::Error>) -> Result<(), ApiFailure> {
    accepted(sent).await.map(drop)
}

fn json_body<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, ApiFailure> {
    builder
        .json(body)
        .map_err(|e| ApiFailure::Unreadable(e.to_string()))
}

pub async fn login(username: &str, password: &str) -> Result<LoginResponse, ApiFailure> {
    // Made once per phone; the session will take only requests signed by its private half.
    let device_key = crate::store::device_key::proof_public_key()
        .await
        .map_err(|e| ApiFailure::Device(e.to_string()))?;
    let req = json_body(
        with_timeout(Request::post("/api/login")),
        &LoginRequest {
            username: username.to_owned(),
            password: password.to_owned(),
            // So an administrator can revoke this phone if it is lost.
            device_id: Some(crate::store::settings::device_id()),
            device_key: Some(device_key),
        },
    )?;
    read(req.send().await).await
}

/// Ends the session on the server, so its token opens nothing any more even with this phone.
pub async fn logout(token: &str) -> Result<(), ApiFailure> {
    done_signed(token, build(authorised(Request::post("/api/logout")))).await
}

/// One page of the change feed after `cursor`; the device id is for the server's audit log.
pub async fn pull(
    token: &str,
    standing: &Standing,
    device: DeviceId,
) -> Result<PullResponse, ApiFailure> {
    let device = device.to_string();
    let acked = standing.acked.map(|n| n.to_string());
    let builder = Request::get("/api/sync/pull")
        .query(standing.cursor.as_ref().map(|c| ("cursor", c.0.as_str())))
        .query([("device_id", device.as_str())])
        .query(acked.as_deref().map(|n| ("acked", n)));
    read_signed(token, build(authorised(builder))).await
}

/// Uploads a batch, its JSON gzip-compressed (`Content-Encoding: gzip`; the server inflates it)
/// where the browser has `CompressionStream`, as plain JSON where it has not.
pub async fn push(token: &str, batch: &PushRequest) -> Result<PushResponse, ApiFailure> {
    let json = serde_json::to_vec(batch).map_err(|e| ApiFailure::Unreadable(e.to_string()))?;
    let builder =
        authorised(Request::post("/api/sync/push")).header("Content-Type", "application/json");
    let req = match gzip(&json).await {
        Some(body) => builder.header("Content-Encoding", "gzip").body(body),
        None => builder.body(js_sys::Uint8Array::from(json.as_slice())),
    }
    .map_err(|e| ApiFailure::Unreadable(e.to_string()));
    read_signed(token, req).await
}

/// `bytes` gzip-compressed by the browser's `CompressionStream`; `None` where it has none.
async fn gzip(bytes: &[u8]) -> Option<js_sys::Uint8Array> {
    use wasm_bindgen::JsCast;
    // Looked up at run time: web-sys has it only behind its unstable APIs, and old browsers lack it.
    let class: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &"CompressionStream".into())
            .ok()?
            .dyn_into()
            .ok()?;
    let compress = js_sys::Reflect::construct(&class, &js_sys::Array::of1(&"gzip".into())).ok()?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let input = web_sys::Blob::new_with_u8_array_sequence(&parts).ok()?;
    // A CompressionStream is a { readable, writable } pair.
    let output = input
        .stream()
        .pipe_through(compress.unchecked_ref::<web_sys::ReadableWritablePair>());
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&output)).ok()?;
    let buffer = wasm_bindgen_futures::JsFuture::from(response.array_buffer().ok()?)
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buffer))
}

/// The outcomes the server already stored for this device's operations after `query.after`.
pub async fn acks(token: &str, query: &AcksQuery) -> Result<PushResponse, ApiFailure> {
    let after = query.after.to_string();
    let device = query.device_id.to_string();
    let builder = Request::get("/api/sync/acks")
        .query([("device_id", device.as_str()), ("after", after.as_str())]);
    read_signed(token, build(authorised(builder))).await
}

/// The values of a file's fields that lost to concurrent edits. Personal data: read when shown
/// and never kept on the phone.
pub async fn conflicts(token: &str, file: &FileId) -> Result<Vec<FileConflict>, ApiFailure> {
    let path = format!(
        "/api/files/{}/conflicts",
        js_sys::encode_uri_component(&file.0)
    );
    read_signed(token, build(authorised(Request::get(&path)))).await
}

// Administration (`/api/admin/…`): the server checks the caller is an administrator and that
// every account, file and place lies in the administrator's own area.

fn segment(id: &str) -> String {
    String::from(js_sys::encode_uri_component(id))
}

/// A signed-in GET whose answer is JSON.
async fn get_json<T: DeserializeOwned>(path: &str, token: &str) -> Result<T, ApiFailure> {
    read_signed(token, build(authorised(Request::get(path)))).await
}

pub async fn admin_accounts(token: &str) -> Result<Vec<AccountSummary>, ApiFailure> {
    get_json("/api/admin/accounts", token).await
}

/// The county's definitions of figures and time limits.
pub async fn rules(token: &str) -> Result<xiafang_core::figures::FigureRules, ApiFailure> {
    get_json("/api/rules", token).await
}

/// The legal team members serving the villages of the account's files, and its own villages.
pub async fn team(token: &str) -> Result<xiafang_core::legal::Team, ApiFailure> {
    get_json("/api/team", token).await
}

/// The places whose screening ledgers (排查台账) the account reads, with their villager groups.
pub async fn screening_places(
    token: &str,
) -> Result<Vec<xiafang_core::screening::LedgerPlace>, ApiFailure> {
    get_json("/api/screening/places", token).await
}

/// The places of the administrator's area, for choosing one instead of typing its id.
pub async fn admin_places(token: &str) -> Result<Vec<PlaceSummary>, ApiFailure> {
    get_json("/api/admin/places", token).await
}

/// The files of the administrator's area, for choosing one to assign.
pub async fn admin_files(token: &str) -> Result<Vec<FileSummary>, ApiFailure> {
    get_json("/api/admin/files", token).await
}

pub async fn create_account(token: &str, new: &NewAccount) -> Result<UserId, ApiFailure> {
    let req = json_body(authorised(Request::post("/api/admin/accounts")), new);
    read_signed(token, req).await
}

/// Disabling also ends the account's sessions.
pub async fn set_account_disabled(
    token: &str,
    account: &UserId,
    disabled: bool,
) -> Result<(), ApiFailure> {
    let verb = if disabled { "disable" } else { "enable" };
    let path = format!("/api/admin/accounts/{}/{verb}", segment(&account.0));
    done_signed(token, build(authorised(Request::post(&path)))).await
}

/// Also ends the account's sessions.
pub async fn reset_password(
    token: &str,
    account: &UserId,
    reset: &PasswordReset,
) -> Result<(), ApiFailure> {
    let path = format!("/api/admin/accounts/{}/password", segment(&account.0));
    let req = json_body(authorised(Request::post(&path)), reset);
    done_signed(token, req).await
}

/// Links an account to something (`POST`) or unlinks it (`DELETE`), e.g. a file or a village.
async fn link<B: Serialize>(token: &str, path: &str, body: &B, on: bool) -> Result<(), ApiFailure> {
    let builder = if on {
        Request::post(path)
    } else {
        Request::delete(path)
    };
    let req = json_body(authorised(builder), body);
    done_signed(token, req).await
}

pub async fn set_assignment(
    token: &str,
    assignment: &Assignment,
    assigned: bool,
) -> Result<(), ApiFailure> {
    link(token, "/api/admin/assignments", assignment, assigned).await
}

pub async fn set_legal_village(
    token: &str,
    village: &LegalVillage,
    serves: bool,
) -> Result<(), ApiFailure> {
    link(token, "/api/admin/legal-villages", village, serves).await
}

/// Revokes a lost phone; `device` is its id as typed (the server checks its form).
pub async fn revoke_device(token: &str, device: &str) -> Result<(), ApiFailure> {
    let path = format!("/api/admin/devices/{}/revoke", segment(device.trim()));
    done_signed(token, build(authorised(Request::post(&path)))).await
}

/// Every record chain and signed statement re-checked by the server (issue 19); findings about
/// files outside the administrator's area are only counted.
pub async fn admin_verify(token: &str) -> Result<xiafang_core::verify::VerifyReport, ApiFailure> {
    read_signed(token, build(authorised(Request::post("/api/admin/verify")))).await
}

/// A file the server wrote for download: its bytes, type and the name it suggests.
pub struct Download {
    pub bytes: Vec<u8>,
    pub mime: String,
    pub name: Option<String>,
}

/// A ledger (`visits`, `assistance`, `cases`) of the caller's area for `from`–`to`, as `xlsx`
/// or `csv`. Never kept on the phone.
pub async fn ledger(
    token: &str,
    kind: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: &str,
) -> Result<Download, ApiFailure> {
    let (from, to) = (from.to_string(), to.to_string());
    let builder = Request::get(&format!("/api/ledgers/{}", segment(kind))).query([
        ("from", from.as_str()),
        ("to", to.as_str()),
        ("format", format),
    ]);
    let response = accepted(Ok(signed(token, build(authorised(builder))).await?)).await?;
    let headers = response.headers();
    let name = headers
        .get("content-disposition")
        .and_then(|h| suggested_name(&h));
    let mime = headers.get("content-type").unwrap_or_default();
    let bytes = response
        .binary()
        .await
        .map_err(|e| ApiFailure::Unreadable(e.to_string()))?;
    Ok(Download { bytes, mime, name })
}

/// The UTF-8 name of `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266).
fn suggested_name(disposition: &str) -> Option<String> {
    let encoded = disposition.split("filename*=UTF-8''").nth(1)?;
    let encoded = encoded.split(';').next()?.trim();
    js_sys::decode_uri_component(encoded).ok().map(String::from)
}

// Issue 19: checking the phone's copies against the server's chains.

/// The stored heads of the files the account reads.
pub async fn chain_heads(token: &str) -> Result<xiafang_core::chain_check::ChainHeads, ApiFailure> {
    get_json("/api/chain/heads", token).await
}

/// One file's chain as stored, with the latest statement newer than `since`.
pub async fn file_chain(
    token: &str,
    file: &FileId,
    since: u64,
) -> Result<xiafang_core::chain_check::FileChain, ApiFailure> {
    get_json(
        &format!("/api/files/{}/chain?since={since}", segment(&file.0)),
        token,
    )
    .await
}

/// Tells the server what no longer matched (kept once however often it is sent).
pub async fn report_chain(
    token: &str,
    report: &xiafang_core::chain_check::ChainReport,
) -> Result<(), ApiFailure> {
    let path = format!("/api/files/{}/chain/reports", segment(&report.file.0));
    done_signed(token, json_body(authorised(Request::post(&path)), report)).await
}
