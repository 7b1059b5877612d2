//! Valid example records for tests (here and in the server's tests), one per kind.

use crate::base::ids::{FileId, RecordId, UserId};
use crate::record::*;
use chrono::{NaiveDate, TimeZone, Utc};

fn record(file: &str, author: &str, body: RecordBody) -> Record {
    Record {
        id: RecordId::new_random(),
        file_id: FileId::from(file),
        author: UserId::from(author),
        author_name: "王建国".into(),
        occurred_at: NaiveDate::from_ymd_opt(2026, 11, 20)
            .and_then(|d| d.and_hms_opt(9, 30, 0))
            .expect("valid date"),
        saved_at: Utc.with_ymd_and_hms(2026, 11, 20, 2, 0, 0).unwrap(),
        amends: None,
        body,
    }
}

pub fn visit(file: &str, author: &str) -> Record {
    record(
        file,
        author,
        RecordBody::Visit(Visit {
            kind: VisitKind::Home,
            place: "阁一村郭先生家中".into(),
            participants: vec!["王建国（驻村干部）".into(), "李律师（法律顾问）".into()],
            requests: "要求重新核算集体资产分配款".into(),
            mood: Mood::Calm,
            risk: RiskLevel::Watch,
            explained: "解释了村集体资产分配的政策依据".into(),
            measures: "约定下周由街道召集村委会再议".into(),
            next_step: "街道召集村委会议".into(),
            next_due: NaiveDate::from_ymd_opt(2026, 11, 27),
            location: None,
            joined: vec![],
            evaluation: None,
            refused: vec![],
            petitioner_view: String::new(),
        }),
    )
}

pub fn assistance(file: &str, author: &str) -> Record {
    record(
        file,
        author,
        RecordBody::Assistance(Assistance {
            kind: AssistanceKind::CondolenceMoney,
            amount_fen: Some(200_000),
            items: "春节慰问金".into(),
            funding_source: "街道帮扶资金".into(),
            status: AssistanceStatus::Delivered,
        }),
    )
}

pub fn note(file: &str, author: &str) -> Record {
    record(
        file,
        author,
        RecordBody::Note(Note {
            speaker: "王建国".into(),
            text: "谈及父亲身体，情绪平稳，愿意接受调解".into(),
        }),
    )
}

/// Amends `earlier` with new content of the same kind, by the same author.
pub fn amendment(earlier: &Record, body: RecordBody) -> Record {
    Record {
        id: RecordId::new_random(),
        amends: Some(earlier.id),
        body,
        ..earlier.clone()
    }
}

/// Voids `earlier`, by the same author.
pub fn void(earlier: &Record, reason: &str) -> Record {
    Record {
        id: RecordId::new_random(),
        amends: None,
        body: RecordBody::Void(Void {
            target: earlier.id,
            reason: reason.into(),
        }),
        ..earlier.clone()
    }
}

/// An edit of one field of `file`, from the value the author saw.
pub fn file_edit(
    file: &str,
    author: &str,
    field: crate::records::file_edit::EditableField,
    base: &str,
    value: &str,
    stamp: crate::base::hlc::Hlc,
) -> Record {
    record(
        file,
        author,
        RecordBody::FileEdit(crate::records::file_edit::FileEdit {
            field,
            base: base.into(),
            value: value.into(),
            stamp,
        }),
    )
}

/// A petitioner file as registered by the petition office.
pub fn file(id: &str) -> crate::records::file::PetitionerFile {
    use crate::file::*;
    PetitionerFile {
        id: FileId::from(id),
        name: "郭先生".into(),
        sex: Sex::Male,
        birth_year: Some(1968),
        phone: Some("13800000001".into()),
        township: "南滨街道".into(),
        village: "阁一村".into(),
        group: String::new(),
        address: "阁一村三组".into(),
        household: "独居".into(),
        tags: vec!["独居".into()],
        matter: Matter {
            summary: "集体资产分配".into(),
            category: Category::CollectiveAssets,
            since: NaiveDate::from_ymd_opt(2014, 3, 1).expect("valid date"),
            channel: Channel::Visit,
            classification: Classification::Grievance,
            level_reached: Level::County,
            flags: vec![MatterFlag::Repeat],
            resolution: Resolution::InProgress,
            case_leader: None,
            visits_before_app: 102,
            accused: vec![],
        },
        id_number: None,
    }
}

/// `r`, happening on `day` (at 09:30) instead of the fixtures' usual day.
pub fn on(r: Record, day: NaiveDate) -> Record {
    Record {
        occurred_at: day.and_hms_opt(9, 30, 0).expect("valid time"),
        // Entered the same day, at 18:00 China time.
        saved_at: day.and_hms_opt(10, 0, 0).expect("valid time").and_utc(),
        ..r
    }
}

/// `r` on `day`, entered into the app on `entered` (at 18:00 China time): after the fact.
pub fn entered(r: Record, day: NaiveDate, entered: NaiveDate) -> Record {
    Record {
        saved_at: entered.and_hms_opt(10, 0, 0).expect("valid time").and_utc(),
        ..on(r, day)
    }
}

/// A lifecycle step on `file`, written by the petition office account `author`.
pub fn case_step(file: &str, author: &str, step: crate::records::case_step::Step) -> Record {
    record(
        file,
        author,
        RecordBody::CaseStep(crate::records::case_step::CaseStep {
            step,
            note: String::new(),
        }),
    )
}

/// A supervision record on `file`.
pub fn supervision(
    file: &str,
    author: &str,
    s: crate::records::supervision::Supervision,
) -> Record {
    record(file, author, RecordBody::Supervision(s))
}

/// Naming `name`, holding `post`, a case-owning leader of `file` (包案领导), with the unit and
/// person responsible.
pub fn leader(file: &str, author: &str, name: &str, post: &str) -> Record {
    supervision(
        file,
        author,
        crate::records::supervision::Supervision::Leader {
            name: name.into(),
            account: None,
            post: post.into(),
            unit: "南滨街道办事处".into(),
            responsible: "王建国".into(),
        },
    )
}

/// The milestones of `plan`: a meeting due 2026-12-10 and the payment due 2027-01-31.
pub const PLAN_MILESTONES: [(&str, &str); 2] = [
    ("召开村民代表会议重新核算", "2026-12-10"),
    ("兑现集体资产分配款", "2027-01-31"),
];

/// A resolution plan (化解方案) for `file` with `PLAN_MILESTONES` and a working group.
pub fn plan(file: &str, author: &str) -> Record {
    use crate::records::ownership::Milestone;
    supervision(
        file,
        author,
        crate::records::supervision::Supervision::Plan {
            plan: "由街道牵头，依法重新核算集体资产分配，解决生活困难".into(),
            milestones: PLAN_MILESTONES
                .iter()
                .map(|(what, due)| Milestone {
                    what: (*what).into(),
                    due: due.parse().expect("valid date"),
                })
                .collect(),
            team: vec!["王副书记（专班负责人）".into(), "王建国（驻村干部）".into()],
        },
    )
}

/// The milestone `what` of `file`'s plan met (里程碑完成).
pub fn milestone_met(file: &str, author: &str, what: &str) -> Record {
    supervision(
        file,
        author,
        crate::records::supervision::Supervision::MilestoneMet {
            what: what.into(),
            note: "已召开，形成会议纪要".into(),
        },
    )
}

/// Listing `file` for on-site supervision until 2026-12-20.
pub fn listed(file: &str, author: &str) -> Record {
    supervision(
        file,
        author,
        crate::records::supervision::Supervision::Listed {
            deadline: NaiveDate::from_ymd_opt(2026, 12, 20).expect("valid date"),
            mode: crate::records::supervision::SupervisionMode::OnSite,
            reason: "多次越级上访，资产分配款争议久拖未决".into(),
        },
    )
}

/// A supervisor's review of `of`, on the same file, a day after it.
pub fn review(
    of: &Record,
    author: &str,
    decision: crate::records::supervision::ReviewDecision,
    comment: &str,
) -> Record {
    let mut r = record(
        &of.file_id.0,
        author,
        RecordBody::Review(crate::records::supervision::Review {
            of: of.id,
            decision,
            comment: comment.into(),
        }),
    );
    r.author_name = "张督查".into();
    r.occurred_at = of.occurred_at + chrono::Duration::days(1);
    r
}

/// A cadre's referral of `file` to the legal team member `to`, for a legal opinion.
pub fn referral(file: &str, author: &str, to: &str) -> Record {
    record(
        file,
        author,
        RecordBody::Referral(crate::records::legal::Referral {
            to: UserId::from(to),
            to_name: "李律师".into(),
            need: crate::records::legal::ReferralNeed::Opinion,
            note: "集体资产分配款争议，请出具法律意见".into(),
        }),
    )
}

/// A legal opinion on `file` recommending arbitration.
pub fn legal_opinion(file: &str, author: &str) -> Record {
    let mut r = record(
        file,
        author,
        RecordBody::LegalOpinion(crate::records::legal::LegalOpinion {
            question: "集体资产分配款核算是否有误".into(),
            facts: "村民代表会议决议及分配名册".into(),
            law: "《村民委员会组织法》第二十四条".into(),
            opinion: "分配方案经村民会议讨论决定，争议可申请仲裁或诉讼".into(),
            channel: crate::records::legal::Channel::Arbitration,
        }),
    );
    r.author_name = "李律师".into();
    r
}

/// A mediation on `file` that reached an agreement.
pub fn mediation(file: &str, author: &str) -> Record {
    let mut r = record(
        file,
        author,
        RecordBody::Mediation(crate::records::legal::Mediation {
            parties: vec!["郭某（申请人）".into(), "阁一村村委会".into()],
            dispute: "集体资产分配款争议".into(),
            facts: "2019年分配方案未将郭某列入分配名单".into(),
            sessions: vec![
                NaiveDate::from_ymd_opt(2026, 11, 13).expect("valid date"),
                NaiveDate::from_ymd_opt(2026, 11, 20).expect("valid date"),
            ],
            outcome: crate::records::legal::MediationOutcome::Agreement,
            terms: "村委会于十二月底前补发分配款 3,000 元".into(),
            channel: None,
        }),
    );
    r.author_name = "赵调解员".into();
    r
}

/// `author`'s own part, as a lawyer, of the joint visit `of`.
pub fn visit_part(of: &Record, author: &str) -> Record {
    let mut r = record(
        &of.file_id.0,
        author,
        RecordBody::VisitPart(crate::records::legal::VisitPart {
            of: of.id,
            role: "律师".into(),
            text: "向郭先生解释了村民会议决议的效力和申请仲裁的期限".into(),
        }),
    );
    r.author_name = "李律师".into();
    r
}

/// The petitioner's signature confirming `of` as it reads now, drawn as a small PNG.
pub fn signature(of: &Record, author: &str) -> Record {
    use crate::records::attachment::{BlobRef, Signature, SignerRole, sha256_hex};
    use crate::records::kinds::signed_text;
    let text = signed_text(of).expect("a signable record");
    record(
        &of.file_id.0,
        author,
        RecordBody::Signature(Signature {
            of: of.id,
            signer: "郭某".into(),
            signer_role: SignerRole::Petitioner,
            text_hash: sha256_hex(text.as_bytes()),
            image: BlobRef {
                sha256: sha256_hex(b"signature png"),
                size: 13,
                mime: "image/png".into(),
            },
        }),
    )
}

/// A photo of the receipt for `of`.
pub fn photo(of: &Record, author: &str) -> Record {
    use crate::records::attachment::{BlobRef, Photo, PhotoSubject, sha256_hex};
    record(
        &of.file_id.0,
        author,
        RecordBody::Photo(Photo {
            of: of.id,
            subject: PhotoSubject::Receipt,
            caption: "慰问金签收单".into(),
            image: BlobRef {
                sha256: sha256_hex(b"receipt jpeg"),
                size: 12,
                mime: "image/jpeg".into(),
            },
        }),
    )
}

/// A leader's reception day: a group of eight who named three representatives.
pub fn reception(file: &str, author: &str) -> Record {
    use crate::records::reception::{Reception, ReceptionKind};
    record(
        file,
        author,
        RecordBody::Reception(Reception {
            kind: ReceptionKind::LeaderDay,
            leader: "张志强（县委副书记）".into(),
            place: "县信访接待中心".into(),
            headcount: 8,
            representatives: vec!["郭某".into(), "郭某某".into(), "李某".into()],
            requests: "要求公开集体资产账目".into(),
            response: "责成街道一个月内公开账目并答复".into(),
        }),
    )
}

/// An early sign on `file` of `sign`, reported to `to`; `settled` closes it.
pub fn warning(
    file: &str,
    author: &str,
    to: crate::records::warning::ReportLevel,
    settled: bool,
) -> Record {
    use crate::records::warning::{SignKind, Warning};
    record(
        file,
        author,
        RecordBody::Warning(Warning {
            sign: SignKind::SkipLevel,
            what: "扬言去市里上访".into(),
            reported_to: to,
            measures: "包村干部每日联系".into(),
            settled,
        }),
    )
}

/// A 交办/催办/销号 record on `file`.
pub fn tasking(file: &str, author: &str, t: crate::records::tasking::Tasking) -> Record {
    record(file, author, RecordBody::Tasking(t))
}

/// `file` assigned to 县住建局 with a report due 2026-12-10.
pub fn assigned(file: &str, author: &str) -> Record {
    tasking(
        file,
        author,
        crate::records::tasking::Tasking::Assigned {
            unit: "县住建局".into(),
            task: "核实附属房屋评估价并书面答复".into(),
            report_by: NaiveDate::from_ymd_opt(2026, 12, 10).expect("valid date"),
        },
    )
}

/// The handling unit's 办结报告 on `file`.
pub fn unit_report(file: &str, author: &str) -> Record {
    tasking(
        file,
        author,
        crate::records::tasking::Tasking::Reported {
            summary: "已重新评估附属房屋并当面答复".into(),
            resolved: true,
        },
    )
}

/// 审核销号 resting on `evidence`, on the file of the first of them.
pub fn signed_off(evidence: &[&Record], author: &str) -> Record {
    tasking(
        &evidence[0].file_id.0,
        author,
        crate::records::tasking::Tasking::SignedOff {
            evidence: evidence.iter().map(|r| r.id).collect(),
            note: "报告属实，予以销号".into(),
        },
    )
}

/// A screening of `place` at `level` that found nothing new, on the place's ledger.
pub fn screening(
    level: crate::records::screening::ScreeningLevel,
    place: &str,
    author: &str,
) -> Record {
    use crate::records::screening::{Screening, ScreeningLevel};
    let body = Screening {
        level,
        place: place.into(),
        place_name: "阁一村".into(),
        group: if level == ScreeningLevel::Group {
            "第三村民小组".into()
        } else {
            String::new()
        },
        participants: vec!["王建国".into(), "村调解主任 林秀英".into()],
        scope: "走访全村重点户、网格内住户".into(),
        covered: 42,
        nothing_new: true,
        findings: vec![],
    };
    record(&body.ledger().0, author, RecordBody::Screening(body))
}
