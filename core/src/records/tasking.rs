//! 交办 with a report-back deadline: the petition office assigns a matter to a handling unit
//! (承办单位) with a date by which the unit must report (限期报告), phones or writes to the unit
//! before and after that date (催办), receives the unit's 办结报告, and signs it off (审核销号)
//! on the records it rests on, or sends it back to be handled again (退回重办). The seeds call
//! this 挂牌销号: "对转办、交办的信访案件逐件登记挂号，实行动态管理、审核销号", with 限期办理 and
//! 督办; one county's 12345 centre phones units "将要到办结期限" (seeds 001, 003).

use crate::base::ids::RecordId;
use crate::base::lang::Lang;
use chrono::NaiveDate;
use serde::Serialize;

/// One step of the 交办/催办/销号 loop with a handling unit. Read by hand
/// (`records::readers`), not by the derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Tasking {
    /// 交办: the matter goes to `unit`, which must report what it did by `report_by`. A new
    /// assignment starts a new round.
    Assigned {
        unit: String,
        /// What the unit must do (交办事项及要求).
        task: String,
        report_by: NaiveDate,
    },
    /// 催办: the office pressed the unit (before the deadline, as a reminder, or after it).
    Urged {
        how: UrgeMethod,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// The unit's 办结报告, entered by the cadre on the file (the unit's own) or by the office.
    Reported {
        summary: String,
        /// The unit says the petitioner's request is resolved (not only handled).
        #[serde(default)]
        resolved: bool,
    },
    /// 审核销号: the office checked the report against `evidence` (records of the same file: the
    /// report, visits, photos, a signature) and takes the matter off its list.
    SignedOff {
        evidence: Vec<RecordId>,
        note: String,
    },
    /// 审核不通过，退回重办: the unit must handle it again and report again, by `report_by` if
    /// a new date is given, else by the date it had.
    SentBack {
        reason: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        report_by: Option<NaiveDate>,
    },
}

labeled_enum!(
    /// How the office pressed the unit (the seeds' 六联督办 as far as a unit is concerned).
    UrgeMethod {
        Phone = "phone" => ("电话催办", "By phone"),
        Written = "written" => ("书面催办", "In writing"),
        OnSite = "on_site" => ("现场催办", "On site"),
    }
);

labeled_enum!(
    /// The five actions, as a form offers them.
    TaskingAction {
        Assigned = "assigned" => ("交办", "Assign"),
        Urged = "urged" => ("催办", "Urge"),
        Reported = "reported" => ("办结报告", "Unit's report"),
        SignedOff = "signed_off" => ("审核销号", "Sign off"),
        SentBack = "sent_back" => ("退回重办", "Send back"),
    }
);

/// Most records one sign-off names as its evidence.
pub const MAX_EVIDENCE: usize = 30;

impl Tasking {
    pub fn action(&self) -> TaskingAction {
        match self {
            Tasking::Assigned { .. } => TaskingAction::Assigned,
            Tasking::Urged { .. } => TaskingAction::Urged,
            Tasking::Reported { .. } => TaskingAction::Reported,
            Tasking::SignedOff { .. } => TaskingAction::SignedOff,
            Tasking::SentBack { .. } => TaskingAction::SentBack,
        }
    }

    /// The timeline's name of the record.
    pub fn label(&self, lang: Lang) -> &'static str {
        match self {
            Tasking::Assigned { .. } => lang.pick("交办", "Assigned to a unit"),
            Tasking::Urged { how, .. } => how.label(lang),
            Tasking::Reported { .. } => lang.pick("办结报告", "Unit's report"),
            Tasking::SignedOff { .. } => lang.pick("审核销号", "Signed off"),
            Tasking::SentBack { .. } => lang.pick("退回重办", "Sent back"),
        }
    }

    /// A one-line account for the timeline and exports, each field named by the form's label.
    pub fn summary(&self, lang: Lang) -> String {
        use crate::base::problem::Field as F;
        use crate::records::labelled::{join, labelled as l, plain};
        match self {
            Tasking::Assigned {
                unit,
                task,
                report_by,
            } => join([
                l(F::TaskUnit, unit, lang),
                l(F::ReportBy, report_by.to_string(), lang),
                l(F::Task, task, lang),
            ]),
            Tasking::Urged { note, .. } => join([l(F::UrgeNote, note, lang)]),
            Tasking::Reported { summary, resolved } => {
                let state = match resolved {
                    true => lang.pick("已化解", "resolved"),
                    false => lang.pick("未化解", "not resolved"),
                };
                join([plain(state), l(F::ReportSummary, summary, lang)])
            }
            Tasking::SignedOff { evidence, note } => {
                let count = match lang {
                    Lang::Zh => format!("{} 条", evidence.len()),
                    Lang::En => format!("{} records", evidence.len()),
                };
                join([l(F::Evidence, count, lang), l(F::SignOffNote, note, lang)])
            }
            Tasking::SentBack { reason, report_by } => join([
                l(F::SendBackReason, reason, lang),
                report_by.and_then(|day| l(F::ReportBy, day.to_string(), lang)),
            ]),
        }
    }
}
