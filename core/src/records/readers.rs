//! How the internally tagged record enums are read: `RecordBody` (tag `type`), `CaseStep`'s
//! flattened `Step` (tag `step`), `Supervision` and `Tasking` (tag `action`). Each is written by
//! its own derive; here an externally tagged `#[serde(remote)]` copy of each enum reads the
//! variant through `base::tagged`, from the object's text, instead of serde's `Content`
//! buffering (issue 17: the phone's wasm). A field added to an enum is added to its copy here
//! too (the compiler insists), with `#[serde(default)]` where older records lack it; a variant
//! added to an enum must be added here by hand (the compiler does not see it missing; for steps
//! and tasking actions `core/tests/wire_golden_records.rs` does), with its golden text.

use crate::base::ids::{RecordId, UserId};
use crate::base::tagged;
use crate::records::attachment::{Photo, Signature};
use crate::records::case_step::*;
use crate::records::file::Resolution;
use crate::records::file_edit::FileEdit;
use crate::records::legal::{LegalOpinion, Mediation, Referral, VisitPart};
use crate::records::ownership::Milestone;
use crate::records::reception::Reception;
use crate::records::record::{Assistance, Note, RecordBody, Visit, Void};
use crate::records::screening::Screening;
use crate::records::supervision::{Review, Supervision, SupervisionMode};
use crate::records::tasking::{Tasking, UrgeMethod};
use crate::records::warning::Warning;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer};

impl<'de> Deserialize<'de> for RecordBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        tagged::read(deserializer, "type", |object| {
            RecordBodyDef::deserialize(object)
        })
    }
}

impl<'de> Deserialize<'de> for CaseStep {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        tagged::read(deserializer, "step", |object| {
            Ok(CaseStep {
                step: StepDef::deserialize(object)?,
                note: object.string("note")?.unwrap_or_default(),
            })
        })
    }
}

impl<'de> Deserialize<'de> for Step {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        tagged::read(deserializer, "step", |object| StepDef::deserialize(object))
    }
}

impl<'de> Deserialize<'de> for Supervision {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        tagged::read(deserializer, "action", |object| {
            SupervisionDef::deserialize(object)
        })
    }
}

impl<'de> Deserialize<'de> for Tasking {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        tagged::read(deserializer, "action", |object| {
            TaskingDef::deserialize(object)
        })
    }
}

#[derive(Deserialize)]
#[serde(remote = "RecordBody", rename_all = "snake_case")]
enum RecordBodyDef {
    Visit(Visit),
    Assistance(Assistance),
    Note(Note),
    Void(Void),
    FileEdit(FileEdit),
    CaseStep(CaseStep),
    Review(Review),
    Supervision(Supervision),
    Referral(Referral),
    LegalOpinion(LegalOpinion),
    Mediation(Mediation),
    VisitPart(VisitPart),
    Signature(Signature),
    Photo(Photo),
    Reception(Reception),
    Warning(Warning),
    Tasking(Tasking),
    Screening(Screening),
}

#[derive(Deserialize)]
#[serde(remote = "Step", rename_all = "snake_case")]
enum StepDef {
    Registered {
        #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
        received: NaiveDate,
    },
    Routed {
        route: Route,
        to: String,
    },
    BodyReceived {
        body: String,
    },
    Objected {
        reason: String,
    },
    Notified {
        accepted: bool,
        #[serde(default)]
        go_to: String,
    },
    Accepted {
        #[serde(default)]
        simplified: bool,
    },
    Extended {
        days: u16,
        approver: String,
        #[serde(default)]
        approver_role: Option<ApproverRole>,
        reason: String,
        #[serde(default)]
        reason_told: bool,
    },
    Replied {
        outcome: ReplyOutcome,
    },
    Served {
        document: Document,
        how: ServiceMethod,
    },
    Rated {
        evaluation: Evaluation,
        #[serde(default)]
        comment: String,
    },
    Closed,
    ReviewRequested,
    ReviewDecided {
        outcome: ReviewOutcome,
    },
    ReReviewRequested,
    ReReviewDecided {
        outcome: ReviewOutcome,
    },
    Final,
    FollowUpDone {
        carried_out: bool,
    },
    LegalRoute {
        route: LegalRoute,
    },
    Resolution {
        resolution: Resolution,
    },
}

#[derive(Deserialize)]
#[serde(remote = "Supervision", rename_all = "snake_case")]
enum SupervisionDef {
    Listed {
        #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
        deadline: NaiveDate,
        mode: SupervisionMode,
        reason: String,
    },
    Leader {
        name: String,
        #[serde(default)]
        account: Option<UserId>,
        #[serde(default)]
        post: String,
        #[serde(default)]
        unit: String,
        #[serde(default)]
        responsible: String,
    },
    Lifted {
        note: String,
    },
    Plan {
        plan: String,
        milestones: Vec<Milestone>,
        #[serde(default)]
        team: Vec<String>,
    },
    MilestoneMet {
        what: String,
        #[serde(default)]
        note: String,
    },
}

#[derive(Deserialize)]
#[serde(remote = "Tasking", rename_all = "snake_case")]
enum TaskingDef {
    Assigned {
        unit: String,
        task: String,
        #[serde(deserialize_with = "crate::base::dates::wire::naive_date")]
        report_by: NaiveDate,
    },
    Urged {
        how: UrgeMethod,
        #[serde(default)]
        note: String,
    },
    Reported {
        summary: String,
        #[serde(default)]
        resolved: bool,
    },
    SignedOff {
        evidence: Vec<RecordId>,
        note: String,
    },
    SentBack {
        reason: String,
        #[serde(default)]
        #[serde(deserialize_with = "crate::base::dates::wire::naive_date_opt")]
        report_by: Option<NaiveDate>,
    },
}
