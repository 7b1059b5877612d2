//! Demo data from the seed documents' stories, loaded into an empty database on first start so a
//! newcomer can sign in and see real-looking files. Production deployments start with `--no-demo`.
//!
//! The data is written around **2026-11-27** (its `day`): on that day the supervisor
//! (zhaoxf) sees 郭先生's matter listed for supervision and overdue for handling (due 11-09),
//! owned by two leaders (包案) with a 化解方案 whose second milestone (11-20) is overdue, the
//! city leader's other case (潘女士) with a milestone met late, 雷女士's extended matter due on
//! 11-30, 周先生's closed matter with its follow-up visit due on 11-29, two matters handled in
//! time, one returned visit and several waiting for review.
//! `server/tests/demo.rs` pins them to that day. The first start tells the same stories around
//! its own day (`Demo::around`): every date moves by the days between, so the demo never goes
//! stale — a deadline two days off is two days off whenever a newcomer first starts. Every record
//! is one its author could upload (`xiafang_core::permissions`): steps by zhaoxf or the assigned
//! cadre, supervision and reviews by zhaoxf.

use crate::db::Db;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use xiafang_core::account::Role;
use xiafang_core::{PetitionerFile, Record};

/// The demo file, checked at compile time into the binary so first start needs no other files.
const DEMO_JSON: &str = include_str!("../demo/demo.json");

/// The signatures drawn on the demo's 事实确认书: the images its signature records name by hash.
const DEMO_IMAGES: [&[u8]; 2] = [
    include_bytes!("../demo/signature-huang.png"),
    include_bytes!("../demo/signature-tielu.png"),
];

#[derive(Debug, Deserialize)]
pub struct Demo {
    /// The day the stories are written around; a world without one is stored as written.
    #[serde(default)]
    pub day: Option<NaiveDate>,
    pub places: Vec<DemoPlace>,
    pub accounts: Vec<DemoAccount>,
    pub files: Vec<DemoFile>,
    /// History already on the server: visits, assistance and notes from the stories.
    pub records: Vec<Record>,
    /// The images the records' signatures and photos show, stored with them.
    #[serde(skip)]
    pub images: Vec<DemoImage>,
}

/// An image of the demo, stored as a complete blob owned by the record's author.
#[derive(Debug, Clone)]
pub struct DemoImage {
    pub mime: &'static str,
    pub bytes: &'static [u8],
}

#[derive(Debug, Deserialize)]
pub struct DemoPlace {
    pub id: String,
    pub name: String,
    /// "county", "township" or "village".
    pub kind: String,
    pub parent: Option<String>,
    /// A village's villager groups (村民小组), where the county uses them.
    #[serde(default)]
    pub groups: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct DemoAccount {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Id of the place the account belongs to.
    pub place: String,
    /// Demo-only password, printed at start; real accounts are created by an administrator.
    pub password: String,
    #[serde(default)]
    pub legal_title: Option<xiafang_core::account::LegalTitle>,
    /// For legal team members: ids of the villages they serve (包联村社).
    #[serde(default)]
    pub villages: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct DemoFile {
    /// Id of the village place the petitioner lives in.
    pub village_id: String,
    /// Account ids of the cadres the file is assigned to.
    pub assigned: Vec<String>,
    pub file: PetitionerFile,
}

pub fn demo() -> Demo {
    let mut demo: Demo =
        serde_json::from_str(DEMO_JSON).expect("demo/demo.json matches the demo types (tested)");
    demo.images = DEMO_IMAGES
        .iter()
        .map(|bytes| DemoImage {
            mime: "image/png",
            bytes,
        })
        .collect();
    demo
}

/// Loads the demo, told around `today`, into an empty database. Returns the accounts so `main`
/// can print them.
pub async fn seed(db: &Db, today: NaiveDate) -> Result<Vec<DemoAccount>, crate::db::DbError> {
    seed_from(db, demo().around(today)).await
}

impl Demo {
    /// The same stories told around `today`: every date and time in the files and records
    /// (what happened, when it was entered, every deadline, session and due day) moves by the
    /// days from `day` to `today`, so each deadline stands as it stood on `day`.
    pub fn around(mut self, today: NaiveDate) -> Demo {
        let Some(day) = self.day else {
            return self;
        };
        let days = (today - day).num_days();
        for f in &mut self.files {
            f.file = moved(&f.file, days);
        }
        self.records = self.records.iter().map(|r| moved(r, days)).collect();
        self.signed_again();
        self.day = Some(today);
        self
    }

    /// Each signature confirms its record's text as the record now reads: the signed text holds
    /// the record's date, which `around` moved, and a signer signs what they are shown that day.
    fn signed_again(&mut self) {
        let hashes: Vec<(usize, String)> = self
            .records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| match &r.body {
                xiafang_core::RecordBody::Signature(sig) => {
                    let signed = self.records.iter().find(|t| t.id == sig.of)?;
                    let text = xiafang_core::kinds::signed_text(signed)?;
                    Some((i, xiafang_core::attachment::sha256_hex(text.as_bytes())))
                }
                _ => None,
            })
            .collect();
        for (i, hash) in hashes {
            if let xiafang_core::RecordBody::Signature(sig) = &mut self.records[i].body {
                sig.text_hash = hash;
            }
        }
    }
}

/// `value` with every date and time in it moved by `days`. Walking the JSON finds the dates of
/// record kinds added later without this code knowing them; no text the demo's people typed is
/// a bare date.
fn moved<T: serde::Serialize + DeserializeOwned>(value: &T, days: i64) -> T {
    let mut json = serde_json::to_value(value).expect("demo values serialise");
    shift(&mut json, Duration::days(days));
    serde_json::from_value(json).expect("moving a date keeps its format")
}

fn shift(value: &mut Value, by: Duration) {
    match value {
        Value::String(text) => {
            if let Some(moved) = shifted_text(text, by) {
                *text = moved;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| shift(v, by)),
        Value::Object(fields) => fields.values_mut().for_each(|v| shift(v, by)),
        _ => {}
    }
}

fn shifted_text(text: &str, by: Duration) -> Option<String> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some((day + by).to_string());
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some((at + by).format("%Y-%m-%dT%H:%M:%S%.f").to_string());
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|at| (at + by).to_rfc3339())
}

/// Loads another world of the same shape (`--demo-file`, e.g. the benchmark's 2,000 files) into
/// an empty database, after the same checks: the places, accounts, files and records must fit
/// together (here) and every record must pass `Record::validate` (in `seed_demo`).
pub async fn seed_from(db: &Db, demo: Demo) -> Result<Vec<DemoAccount>, crate::db::DbError> {
    check(&demo).map_err(crate::db::DbError::Demo)?;
    db.seed_demo(&demo).await?;
    Ok(demo.accounts)
}

/// Reads a demo file of the shape of `demo/demo.json`.
pub fn from_file(path: &std::path::Path) -> Result<Demo, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// What a world must satisfy before it is stored: every place's parent, account's place, file's
/// village and assignee, and record's file and author exists.
pub fn check(demo: &Demo) -> Result<(), String> {
    use std::collections::HashSet;
    let places: HashSet<&str> = demo.places.iter().map(|p| p.id.as_str()).collect();
    let accounts: HashSet<&str> = demo.accounts.iter().map(|a| a.id.as_str()).collect();
    let mut files: HashSet<String> = demo.files.iter().map(|f| f.file.id.0.clone()).collect();
    // Every place has its screening ledger (`db/screening.rs`).
    files.extend(demo.places.iter().filter_map(|p| {
        let level = xiafang_core::screening::PlaceLevel::from_key(&p.kind)?;
        Some(xiafang_core::screening::ledger_id(level, &p.id).0)
    }));
    let missing =
        |what: &str, id: &str, of: &str| Err(format!("{what} {id} of {of} does not exist"));
    for p in &demo.places {
        if let Some(parent) = p.parent.as_deref().filter(|id| !places.contains(id)) {
            return missing("place", parent, &p.id);
        }
    }
    for a in &demo.accounts {
        if let Some(place) = std::iter::once(&a.place)
            .chain(&a.villages)
            .find(|id| !places.contains(id.as_str()))
        {
            return missing("place", place, &a.username);
        }
    }
    for f in &demo.files {
        if !places.contains(f.village_id.as_str()) {
            return missing("village", &f.village_id, &f.file.id.0);
        }
        if let Some(account) = f.assigned.iter().find(|a| !accounts.contains(a.as_str())) {
            return missing("account", account, &f.file.id.0);
        }
        // A file names a villager group (村民小组) only among its village's.
        let groups = demo
            .places
            .iter()
            .find(|p| p.id == f.village_id)
            .map(|p| &p.groups);
        if !f.file.group.is_empty() && !groups.is_some_and(|g| g.contains(&f.file.group)) {
            return missing("villager group", &f.file.group, &f.file.id.0);
        }
    }
    for r in &demo.records {
        if !files.contains(&r.file_id.0) {
            return missing("file", &r.file_id.0, &r.id.to_string());
        }
        if !accounts.contains(r.author.0.as_str()) {
            return missing("author", &r.author.0, &r.id.to_string());
        }
    }
    Ok(())
}
