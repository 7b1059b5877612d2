//! Small things kept in localStorage: the session, this device's identity and its hybrid logical
//! clock, the language, the time of the last successful upload, whether an upload may have gone
//! unanswered, and whether the browser was asked to keep the storage.

use chrono::{DateTime, Utc};
use gloo_storage::{LocalStorage, Storage};
use xiafang_core::account::Account;
use xiafang_core::hlc::Clock;
use xiafang_core::{DeviceId, Lang};

const SESSION: &str = "xiafang.session";
const DEVICE: &str = "xiafang.device";
const LANG: &str = "xiafang.lang";
const LAST_UPLOAD: &str = "xiafang.last_upload";
const UPLOAD_IN_FLIGHT: &str = "xiafang.upload_in_flight";
const PERSIST_ASKED: &str = "xiafang.persist_asked";
const CLOCK: &str = "xiafang.clock";

/// Who signed in on this phone, kept in the clear for the sign-in and PIN screens. The token is
/// not here: it is kept sealed with the data (`vault::keep_token`) and is in memory only while
/// the data is open.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    pub account: Account,
    /// When the server ends the session by itself (`SESSION_DAYS` after the sign-in), for the
    /// sign-out that could not reach the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "xiafang_core::dates::wire::date_time_opt")]
    pub expires: Option<DateTime<Utc>>,
}

/// The session as kept, including what a version before sealed tokens wrote.
#[derive(serde::Deserialize)]
struct Kept {
    account: Account,
    #[serde(default)]
    #[serde(deserialize_with = "xiafang_core::dates::wire::date_time_opt")]
    expires: Option<DateTime<Utc>>,
    /// A token kept in the clear by an older version.
    #[serde(default)]
    token: Option<String>,
}

pub fn session() -> Option<Session> {
    let kept: Kept = LocalStorage::get(SESSION).ok()?;
    let session = Session {
        account: kept.account,
        expires: kept.expires,
    };
    if kept.token.is_some() {
        // Kept in the clear by an older version, and bound to no phone key, so the server
        // takes it no more: dropped, not sealed. The account stays, so the PIN still opens the
        // data offline and unsent records wait; one password sign-in uploads them.
        if let Err(e) = save_session(&session) {
            web_sys::console::warn_1(&format!("clear token not dropped: {e}").into());
        }
    }
    Some(session)
}

pub fn save_session(session: &Session) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(SESSION, session)
}

/// Signing out forgets only the session: records not yet uploaded stay on the phone.
pub fn clear_session() {
    LocalStorage::delete(SESSION);
}

/// This browser's device id, created on first use.
pub fn device_id() -> DeviceId {
    if let Ok(id) = LocalStorage::get::<DeviceId>(DEVICE) {
        return id;
    }
    let id = DeviceId::new_random();
    if let Err(e) = LocalStorage::set(DEVICE, id) {
        // Without a stored id the next start makes a new one; uploads stay exactly-once because
        // the server also recognises each record by its own id.
        web_sys::console::warn_1(&format!("device id not stored: {e}").into());
    }
    id
}

pub(super) fn forget_device_id() {
    LocalStorage::delete(DEVICE);
}

/// This device's hybrid logical clock, as last saved. Stamps must go on increasing across
/// restarts, so whoever ticks it saves it back (`save_clock`) before using the stamps.
pub fn clock() -> Clock {
    let device = device_id();
    match LocalStorage::get::<Clock>(CLOCK) {
        Ok(kept) if kept.device() == device => kept,
        Ok(kept) => {
            // The device id was renewed (a new database): a new clock for it, but one that
            // goes on after every stamp the old one made.
            let mut renewed = Clock::new(device);
            renewed.observe(&kept.clone().tick(i64::MIN), i64::MIN);
            renewed
        }
        Err(gloo_storage::errors::StorageError::KeyNotFound(_)) => Clock::new(device),
        Err(e) => {
            // The wall clock still drives new stamps; only a device whose clock also went back
            // could stamp below what it stamped before.
            web_sys::console::warn_1(
                &format!("stored clock unreadable, starting anew: {e}").into(),
            );
            Clock::new(device)
        }
    }
}

pub fn save_clock(clock: &Clock) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(CLOCK, clock)
}

pub fn lang() -> Lang {
    LocalStorage::get(LANG).unwrap_or_default()
}

pub fn save_lang(lang: Lang) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(LANG, lang)
}

pub fn last_upload() -> Option<DateTime<Utc>> {
    // Read through core's reader, not chrono's (issue 17: chrono's parser left the wasm).
    let at: xiafang_core::dates::wire::Utc3339 = LocalStorage::get(LAST_UPLOAD).ok()?;
    Some(at.0)
}

pub fn save_last_upload(at: DateTime<Utc>) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(LAST_UPLOAD, at)
}

/// Whether an upload was sent and its answer never settled (the page closed, the network
/// dropped): the server may have stored it, so the next run asks for its acknowledgements first.
pub fn upload_in_flight() -> bool {
    LocalStorage::get::<bool>(UPLOAD_IN_FLIGHT).unwrap_or(false)
}

pub fn mark_upload_in_flight() -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(UPLOAD_IN_FLIGHT, true)
}

pub fn clear_upload_in_flight() {
    LocalStorage::delete(UPLOAD_IN_FLIGHT);
}

pub(super) fn persistence_asked() -> bool {
    LocalStorage::get::<bool>(PERSIST_ASKED).unwrap_or(false)
}

pub(super) fn save_persistence_asked() -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(PERSIST_ASKED, true)
}

const RULES: &str = "xiafang.rules";

/// The county's definitions of figures and time limits, as last fetched from the server; the
/// national defaults before the first fetch. Nothing personal, so kept in the clear.
pub fn rules() -> xiafang_core::figures::FigureRules {
    LocalStorage::get(RULES).unwrap_or_default()
}

pub fn save_rules(
    rules: &xiafang_core::figures::FigureRules,
) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(RULES, rules)
}

const TEAM: &str = "xiafang.team";

/// The legal team as last fetched (`GET /api/team`), so referrals and joint visits can be
/// written offline. Officials' names and villages only: kept in the clear like the rules.
pub fn team() -> xiafang_core::legal::Team {
    LocalStorage::get(TEAM).unwrap_or_default()
}

pub fn save_team(
    team: &xiafang_core::legal::Team,
) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(TEAM, team)
}

const SCREENING_PLACES: &str = "xiafang.screening_places";

/// The places whose screening ledgers the account reads, as last fetched
/// (`GET /api/screening/places`), so the 排查 form and view work offline. Officials' geography
/// only: kept in the clear like the team.
pub fn screening_places() -> Vec<xiafang_core::screening::LedgerPlace> {
    LocalStorage::get(SCREENING_PLACES).unwrap_or_default()
}

pub fn save_screening_places(
    places: &[xiafang_core::screening::LedgerPlace],
) -> Result<(), gloo_storage::errors::StorageError> {
    LocalStorage::set(SCREENING_PLACES, places)
}

const ERASED: &str = "xiafang.erased";

/// Forgets everything this app keeps in localStorage (session, device, clock, cursor marks) and
/// leaves only a note for the sign-in page that the phone was erased on the server's order.
pub fn erase_all() {
    LocalStorage::clear();
    if let Err(e) = LocalStorage::set(ERASED, true) {
        web_sys::console::warn_1(&format!("erase note not kept: {e}").into());
    }
}

const SIGNED_OUT_OFFLINE: &str = "xiafang.signed_out_offline";

/// Notes that a sign-out could not reach the server, whose session then lasts until `until`
/// (`None`: unknown, at most `SESSION_DAYS`), for the sign-in page to say so.
pub fn note_signed_out_offline(until: Option<DateTime<Utc>>) {
    if let Err(e) = LocalStorage::set(SIGNED_OUT_OFFLINE, until) {
        web_sys::console::warn_1(&format!("sign-out note not kept: {e}").into());
    }
}

/// The note of a sign-out that did not reach the server, if any; reading it clears it.
pub fn take_signed_out_offline() -> Option<Option<DateTime<Utc>>> {
    let note = LocalStorage::get::<Option<xiafang_core::dates::wire::Utc3339>>(SIGNED_OUT_OFFLINE)
        .ok()
        .map(|at| at.map(|at| at.0));
    LocalStorage::delete(SIGNED_OUT_OFFLINE);
    note
}

/// Whether this phone was erased because it was revoked; reading it clears the note.
pub fn take_erased() -> bool {
    let erased = LocalStorage::get::<bool>(ERASED).unwrap_or(false);
    LocalStorage::delete(ERASED);
    erased
}
