//! Where a file's early signs (苗头) stand: the open one, the highest level it has reached and
//! since when, or when the last one was settled. Reports are read in the order they happened;
//! corrections count as the ledger says (`ledger::effective`).

use crate::folds::ledger::effective;
use crate::records::record::{Record, RecordBody};
use crate::records::warning::{ReportLevel, SignKind};
use chrono::NaiveDate;

/// A sign reported and not yet settled, or the last one settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningState {
    pub sign: SignKind,
    /// The latest report's account of it.
    pub what: String,
    /// The highest level it has been reported to.
    pub level: ReportLevel,
    /// The day it was first reported.
    pub since: NaiveDate,
    /// The day it reached `level`.
    pub escalated_on: NaiveDate,
    /// The day a report said it was settled; `None` while it is open.
    pub settled_on: Option<NaiveDate>,
}

impl WarningState {
    pub fn is_open(&self) -> bool {
        self.settled_on.is_none()
    }
}

/// The file's latest sign as of `today` (reports dated later have not happened yet).
pub fn warning_state(records: &[Record], today: NaiveDate) -> Option<WarningState> {
    episodes(effective(records), today).pop()
}

/// Every sign of the file as of `today`, oldest first: each runs from its first report to the
/// report that settled it. `counted` are the file's records that count (`ledger::effective`).
pub fn episodes<'a>(
    counted: impl IntoIterator<Item = &'a Record>,
    today: NaiveDate,
) -> Vec<WarningState> {
    let mut reports: Vec<&Record> = counted
        .into_iter()
        .filter(|r| r.occurred_at.date() <= today)
        .filter(|r| matches!(r.body, RecordBody::Warning(_)))
        .collect();
    reports.sort_by_key(|r| (r.occurred_at, r.saved_at));
    let mut all: Vec<WarningState> = Vec::new();
    for r in reports {
        let RecordBody::Warning(w) = &r.body else {
            continue;
        };
        let on = r.occurred_at.date();
        match all.last_mut() {
            // Another report of the open sign: it keeps its start, rises if reported higher.
            Some(s) if s.is_open() => {
                s.sign = w.sign;
                s.what = w.what.clone();
                if w.reported_to.rank() > s.level.rank() {
                    s.level = w.reported_to;
                    s.escalated_on = on;
                }
                if w.settled {
                    s.settled_on = Some(on);
                }
            }
            // The first sign, or a new one after the last was settled.
            _ => all.push(WarningState {
                sign: w.sign,
                what: w.what.clone(),
                level: w.reported_to,
                since: on,
                escalated_on: on,
                settled_on: w.settled.then_some(on),
            }),
        }
    }
    all
}
