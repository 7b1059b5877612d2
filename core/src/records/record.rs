//! The records written on a file: home visits, assistance actions, conversation notes, and the
//! entries that correct them or edit the file. The file's history is a ledger: once uploaded a
//! record is never changed in place; a correction is a new record that amends or voids an earlier
//! one (`ledger.rs` says how they combine), and a change to the file is a `FileEdit` record.

use crate::base::ids::{FileId, RecordId, UserId};
use crate::records::attachment::{Photo, Signature};
use crate::records::case_step::{CaseStep, Evaluation};
use crate::records::file_edit::FileEdit;
use crate::records::legal::{LegalOpinion, Mediation, MediationOutcome, Referral, VisitPart};
use crate::records::reception::Reception;
use crate::records::screening::Screening;
use crate::records::supervision::{Review, Supervision};
use crate::records::tasking::Tasking;
use crate::records::warning::Warning;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// One entry of a file's timeline, as saved on the phone and stored by the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: RecordId,
    pub file_id: FileId,
    pub author: UserId,
    /// The recorder's name at the time of writing, so the timeline reads without a user lookup.
    pub author_name: String,
    /// When it happened (local time, as the cadre entered it).
    #[serde(deserialize_with = "crate::base::dates::wire::naive_date_time")]
    pub occurred_at: NaiveDateTime,
    /// When the phone saved it (device clock, which may be wrong; shown, never trusted for order).
    #[serde(deserialize_with = "crate::base::dates::wire::date_time")]
    pub saved_at: DateTime<Utc>,
    /// This record replaces an earlier record of the same kind by the same author; the timeline
    /// shows both, and only this one counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amends: Option<RecordId>,
    pub body: RecordBody,
}

/// Read by hand (`records::readers`), not by the derive.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RecordBody {
    Visit(Visit),
    Assistance(Assistance),
    Note(Note),
    /// Withdraws an earlier record (entered on the wrong file, say); both stay in the ledger.
    Void(Void),
    /// Changes an editable field of the petitioner's file (phone, address, …).
    FileEdit(FileEdit),
    /// A step of the matter's lifecycle (登记, 受理, 答复, …), written by the petition office.
    CaseStep(CaseStep),
    /// A supervisor's approval or return of a cadre's record.
    Review(Review),
    /// Listed supervision, the case-owning leader, or lifting supervision.
    Supervision(Supervision),
    /// A cadre refers the file to a legal team member (法律意见, 人民调解).
    Referral(Referral),
    /// A legal team member's opinion and the channel recommended.
    LegalOpinion(LegalOpinion),
    /// A people's mediation (人民调解) and its outcome.
    Mediation(Mediation),
    /// One participant's own part of a joint visit.
    VisitPart(VisitPart),
    /// Someone's handwritten signature confirming a record (the petitioner, a recipient, the
    /// parties of a mediation).
    Signature(Signature),
    /// A photo attached to a record (a receipt, the house, a document).
    Photo(Photo),
    /// Petitioners received in person (接访): one batch, its headcount the person-visits.
    Reception(Reception),
    /// An early sign (苗头) reported up the levels, or settled.
    Warning(Warning),
    /// 交办 to a handling unit, 催办, the unit's 办结报告, 审核销号 or 退回重办.
    Tasking(Tasking),
    /// A place's 矛盾纠纷排查, on the place's screening ledger (`records::screening`).
    Screening(Screening),
}

/// The general name of a kind by its stable key (`RecordBody::kind_key`), for where only the
/// key is at hand: a stored row whose body may no longer be readable.
pub fn kind_label_of(key: &str, lang: crate::base::lang::Lang) -> Option<&'static str> {
    let (zh, en) = match key {
        "visit" => ("走访记录", "Visit"),
        "assistance" => ("帮扶措施", "Assistance"),
        "note" => ("谈心记录", "Conversation note"),
        "void" => ("作废说明", "Voided record"),
        "file_edit" => ("档案信息修改", "File change"),
        "case_step" => ("办理步骤", "Case step"),
        "review" => ("审核意见", "Review"),
        "supervision" => ("督办", "Supervision"),
        "referral" => ("转介法律服务团队", "Referral to the legal team"),
        "legal_opinion" => ("法律意见", "Legal opinion"),
        "mediation" => ("人民调解", "People's mediation"),
        "visit_part" => ("联合走访记录", "Part of a joint visit"),
        "signature" => ("签名确认", "Signature"),
        "photo" => ("照片", "Photo"),
        "reception" => ("接访", "Reception"),
        "warning" => ("苗头预警", "Early warning"),
        "tasking" => ("交办", "Tasking"),
        "screening" => ("矛盾纠纷排查", "Dispute screening"),
        _ => return None,
    };
    Some(lang.pick(zh, en))
}

impl RecordBody {
    pub fn kind_label(&self, lang: crate::base::lang::Lang) -> &'static str {
        match self {
            RecordBody::Visit(v) => v.kind.label(lang),
            RecordBody::Assistance(_) => lang.pick("帮扶措施", "Assistance"),
            RecordBody::Note(_) => lang.pick("谈心记录", "Conversation note"),
            RecordBody::Void(_) => lang.pick("作废说明", "Voided record"),
            RecordBody::FileEdit(_) => lang.pick("档案信息修改", "File change"),
            RecordBody::CaseStep(s) => s.step.label(lang),
            RecordBody::Review(r) => r.decision.label(lang),
            RecordBody::Supervision(s) => s.label(lang),
            RecordBody::Referral(_) => lang.pick("转介法律服务团队", "Referral to the legal team"),
            RecordBody::LegalOpinion(_) => lang.pick("法律意见", "Legal opinion"),
            RecordBody::Mediation(_) => lang.pick("人民调解", "People's mediation"),
            RecordBody::VisitPart(_) => lang.pick("联合走访记录", "Part of a joint visit"),
            RecordBody::Signature(_) => lang.pick("签名确认", "Signature"),
            RecordBody::Photo(_) => lang.pick("照片", "Photo"),
            RecordBody::Reception(r) => r.kind.label(lang),
            RecordBody::Warning(_) => lang.pick("苗头预警", "Early warning"),
            RecordBody::Tasking(t) => t.label(lang),
            RecordBody::Screening(_) => lang.pick("矛盾纠纷排查", "Dispute screening"),
        }
    }

    /// The stable name of the body's kind (also the database's `records.kind`).
    pub fn kind_key(&self) -> &'static str {
        match self {
            RecordBody::Visit(_) => "visit",
            RecordBody::Assistance(_) => "assistance",
            RecordBody::Note(_) => "note",
            RecordBody::Void(_) => "void",
            RecordBody::FileEdit(_) => "file_edit",
            RecordBody::CaseStep(_) => "case_step",
            RecordBody::Review(_) => "review",
            RecordBody::Supervision(_) => "supervision",
            RecordBody::Referral(_) => "referral",
            RecordBody::LegalOpinion(_) => "legal_opinion",
            RecordBody::Mediation(_) => "mediation",
            RecordBody::VisitPart(_) => "visit_part",
            RecordBody::Signature(_) => "signature",
            RecordBody::Photo(_) => "photo",
            RecordBody::Reception(_) => "reception",
            RecordBody::Warning(_) => "warning",
            RecordBody::Tasking(_) => "tasking",
            RecordBody::Screening(_) => "screening",
        }
    }

    /// What people type can be amended or voided (a wrong date, a step on the wrong file);
    /// corrections and edits cannot. A supervisor changes a decision with a new review, but may
    /// void one given on the wrong record.
    pub fn is_correctable(&self) -> bool {
        matches!(
            self,
            RecordBody::Visit(_)
                | RecordBody::Assistance(_)
                | RecordBody::Note(_)
                | RecordBody::CaseStep(_)
                | RecordBody::Review(_)
                | RecordBody::Supervision(_)
                | RecordBody::Referral(_)
                | RecordBody::LegalOpinion(_)
                | RecordBody::Mediation(_)
                | RecordBody::VisitPart(_)
                | RecordBody::Signature(_)
                | RecordBody::Photo(_)
                | RecordBody::Reception(_)
                | RecordBody::Warning(_)
                | RecordBody::Tasking(_)
                | RecordBody::Screening(_)
        )
    }

    /// Whether a correction may replace this record with an amended copy. A signature or a photo
    /// is withdrawn (voided) and taken again, never edited: its image is what it is.
    pub fn is_amendable(&self) -> bool {
        self.is_correctable() && !matches!(self, RecordBody::Signature(_) | RecordBody::Photo(_))
    }

    /// A one-line account of a lifecycle, supervision or legal team record (timeline, exports),
    /// in `lang`. Each field is named by the label of the form that wrote it (`labelled`), and
    /// a choice by its own label.
    pub fn summary(&self, lang: crate::base::lang::Lang) -> String {
        use crate::base::problem::Field as F;
        use crate::records::case_step::Step;
        use crate::records::labelled::{join, labelled as l, plain};
        use crate::records::supervision::Supervision as S;
        let sep = lang.pick("、", ", ");
        let text = match self {
            RecordBody::CaseStep(c) => match &c.step {
                Step::Registered { received } => join([l(F::Received, received.to_string(), lang)]),
                Step::Routed { route, to } => {
                    join([plain(route.label(lang)), l(F::RoutedTo, to, lang)])
                }
                Step::BodyReceived { body } => join([l(F::ReceivingBody, body, lang)]),
                Step::Objected { reason } => join([l(F::ObjectionReason, reason, lang)]),
                Step::Notified { go_to, .. } => join([l(F::GoTo, go_to, lang)]),
                Step::Accepted { simplified: true } => lang.pick("简易办理", "Simplified").into(),
                Step::Extended {
                    days,
                    approver,
                    approver_role,
                    reason,
                    ..
                } => {
                    let role = approver_role.map_or("", |r| r.label(lang));
                    join([
                        l(
                            F::ExtensionDays,
                            format!("{days} {}", lang.pick("天", "days")),
                            lang,
                        ),
                        l(F::Approver, format!("{approver} {role}"), lang),
                        l(F::ExtensionReason, reason, lang),
                    ])
                }
                Step::Replied { outcome } => outcome.label(lang).into(),
                Step::Served { document, how } => {
                    format!("{} · {}", document.label(lang), how.label(lang))
                }
                Step::Rated {
                    evaluation,
                    comment,
                } => join([
                    plain(evaluation.label(lang)),
                    l(F::RatingComment, comment, lang),
                ]),
                Step::ReviewDecided { outcome } | Step::ReReviewDecided { outcome } => {
                    outcome.label(lang).into()
                }
                Step::FollowUpDone { carried_out } => {
                    let (zh, en) = if *carried_out {
                        ("已落实", "carried out")
                    } else {
                        ("未落实", "not carried out")
                    };
                    lang.pick(zh, en).into()
                }
                Step::LegalRoute { route } => route.label(lang).into(),
                Step::Resolution { resolution } => resolution.label(lang).into(),
                Step::Accepted { .. }
                | Step::Closed
                | Step::ReviewRequested
                | Step::ReReviewRequested
                | Step::Final => String::new(),
            },
            RecordBody::Review(r) => join([l(F::ReviewComment, &r.comment, lang)]),
            RecordBody::Supervision(S::Listed {
                deadline,
                mode,
                reason,
            }) => join([
                plain(mode.label(lang)),
                l(F::Deadline, deadline.to_string(), lang),
                l(F::SupervisionReason, reason, lang),
            ]),
            RecordBody::Supervision(S::Leader {
                name,
                post,
                unit,
                responsible,
                ..
            }) => join([
                plain(name.clone()),
                l(F::LeaderPost, post, lang),
                l(F::ResponsibleUnit, unit, lang),
                l(F::Responsible, responsible, lang),
            ]),
            RecordBody::Supervision(S::Lifted { note }) => join([l(F::LiftNote, note, lang)]),
            RecordBody::Supervision(S::Plan {
                plan,
                milestones,
                team,
            }) => {
                let steps: Vec<String> = milestones
                    .iter()
                    .map(|m| format!("{}（{}）", m.what, m.due))
                    .collect();
                join([
                    l(F::Plan, plan, lang),
                    l(F::Milestones, steps.join(sep), lang),
                    l(F::Team, team.join(sep), lang),
                ])
            }
            RecordBody::Supervision(S::MilestoneMet { what, note }) => join([
                l(F::MilestoneMet, what, lang),
                l(F::MilestoneNote, note, lang),
            ]),
            RecordBody::Referral(r) => join([
                l(F::ReferredTo, &r.to_name, lang),
                plain(r.need.label(lang)),
                l(F::ReferralNote, &r.note, lang),
            ]),
            RecordBody::LegalOpinion(o) => join([
                plain(o.channel.label(lang)),
                l(F::Opinion, &o.opinion, lang),
            ]),
            RecordBody::Mediation(m) => match (m.outcome, m.channel) {
                (MediationOutcome::Failed, Some(route)) => join([
                    plain(m.outcome.label(lang)),
                    l(F::MediationChannel, route.label(lang), lang),
                ]),
                (MediationOutcome::Failed, None) => m.outcome.label(lang).into(),
                _ => join([plain(m.outcome.label(lang)), l(F::Terms, &m.terms, lang)]),
            },
            RecordBody::VisitPart(p) => {
                join([l(F::PartRole, &p.role, lang), l(F::PartText, &p.text, lang)])
            }
            RecordBody::Signature(s) => join([
                plain(s.signer_role.label(lang)),
                l(F::Signer, &s.signer, lang),
            ]),
            RecordBody::Photo(p) => join([
                plain(p.subject.label(lang)),
                l(F::Caption, &p.caption, lang),
            ]),
            RecordBody::Reception(r) => {
                let people = match lang {
                    crate::base::lang::Lang::Zh => format!("{} 人", r.headcount),
                    crate::base::lang::Lang::En => format!("{} people", r.headcount),
                };
                join([
                    l(F::ReceptionLeader, &r.leader, lang),
                    l(F::Headcount, people, lang),
                    l(F::Requests, &r.requests, lang),
                ])
            }
            RecordBody::Warning(w) => {
                let to = format!(
                    "{}{}",
                    lang.pick("报告至", "reported to "),
                    w.reported_to.label(lang)
                );
                let settled = w
                    .settled
                    .then(|| lang.pick("已稳控化解", "settled").to_owned());
                join([
                    plain(w.sign.label(lang)),
                    plain(to),
                    l(F::WarningWhat, &w.what, lang),
                    settled,
                ])
            }
            RecordBody::Tasking(t) => t.summary(lang),
            RecordBody::Screening(s) => s.summary(lang),
            _ => String::new(),
        };
        match self {
            RecordBody::CaseStep(c) => join([plain(text), l(F::StepNote, &c.note, lang)]),
            _ => text,
        }
    }
}

/// Voids an earlier record of the same file by the same author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Void {
    pub target: RecordId,
    pub reason: String,
}

labeled_enum!(
    /// How the visit happened.
    VisitKind {
        Home = "home" => ("上门走访", "Home visit"),
        Appointment = "appointment" => ("约访", "Appointment"),
        FollowUp = "follow_up" => ("回访", "Follow-up visit"),
        Phone = "phone" => ("电话联系", "Phone call"),
    }
);

labeled_enum!(
    /// The petitioner's state of mind (思想动态) as the visitors judged it.
    Mood {
        Calm = "calm" => ("平稳", "Calm"),
        Resistant = "resistant" => ("有抵触", "Resistant"),
        Agitated = "agitated" => ("情绪激动", "Agitated"),
        EscalationSigns = "escalation_signs" => ("有越级访/集访苗头", "Signs of skip-level or collective petitioning"),
    }
);

labeled_enum!(
    /// Risk level used for follow-up planning.
    RiskLevel {
        Ordinary = "ordinary" => ("一般", "Ordinary"),
        Watch = "watch" => ("关注", "Watch"),
        Key = "key" => ("重点", "Key"),
    }
);

/// A home visit (走访记录). No national template exists; these are the common fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub kind: VisitKind,
    pub place: String,
    /// Who took part, each with their role, e.g. "王建国（驻村干部）".
    pub participants: Vec<String>,
    /// What the petitioner said and asked for (诉求).
    pub requests: String,
    pub mood: Mood,
    pub risk: RiskLevel,
    /// Law and policy explained (释法明理).
    pub explained: String,
    /// Measures taken (稳控/化解措施).
    pub measures: String,
    pub next_step: String,
    #[serde(default, deserialize_with = "crate::base::dates::wire::naive_date_opt")]
    pub next_due: Option<NaiveDate>,
    /// Only when the cadre chose to record it: location is never required (no fingertip formalism).
    pub location: Option<GeoPoint>,
    /// Legal team members who took part (a joint visit): each sees the file on their own phone
    /// if it lies in one of their villages, and adds their own part (`VisitPart`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joined: Vec<TeamMember>,
    /// What the petitioner thought of how the matter is being handled, if asked on this visit;
    /// it counts in the satisfaction figure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<VisitEvaluation>,
    /// What the petitioner declined (to sign, to be visited at all): recorded as it happened,
    /// never forced. A refused visit needs no requests; a refused signature stands in for one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<Refusal>,
    /// The petitioner's own view in their words (信访人意见), above all on a 回访: whether what
    /// was decided was carried out, and what they still ask.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub petitioner_view: String,
}

labeled_enum!(
    /// What a petitioner may decline on a visit. Declining is their right: the record says so
    /// and nothing else is asked of them or of the cadre.
    Refusal {
        Signature = "signature" => ("拒绝签字", "Refused to sign"),
        Visit = "visit" => ("拒绝接受走访", "Refused the visit"),
    }
);

impl Visit {
    /// The petitioner would not see the visitors: there is nothing they asked to record.
    pub fn was_refused(&self) -> bool {
        self.refused.contains(&Refusal::Visit)
    }
}

/// A legal team member named on a record, with their name at the time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: UserId,
    pub name: String,
}

/// The petitioner's evaluation given on a visit (满意 / 基本满意 / 不满意).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitEvaluation {
    pub rating: Evaluation,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

impl Visit {
    /// Splits "王建国（驻村干部）、李律师，张三" into names, whatever separator was typed.
    pub fn split_participants(text: &str) -> Vec<String> {
        text.split(['、', '，', ',', ';', '；', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

labeled_enum!(
    /// Kinds of livelihood assistance (帮扶措施).
    AssistanceKind {
        CondolenceMoney = "condolence_money" => ("慰问金", "Condolence money"),
        Goods = "goods" => ("慰问品", "Goods"),
        WelfareApplication = "welfare_application" => ("低保/临时救助申请", "Minimum living / emergency aid application"),
        Medical = "medical" => ("医疗救助", "Medical aid"),
        Housing = "housing" => ("住房/安居", "Housing"),
        Jobs = "jobs" => ("就业帮扶", "Job help"),
        LegalAid = "legal_aid" => ("法律援助", "Legal aid"),
        Counselling = "counselling" => ("心理疏导", "Counselling"),
        Other = "other" => ("其他", "Other"),
    }
);

impl AssistanceKind {
    /// Kinds that are a payment, so an amount must be given.
    pub fn is_money(self) -> bool {
        matches!(self, AssistanceKind::CondolenceMoney)
    }
}

labeled_enum!(
    /// `Delivered` reads 已发放/已落实, as petition bureaus say of money, goods and measures: 送达
    /// is for documents served on the petitioner (`case_step::Document`).
    AssistanceStatus {
        Planned = "planned" => ("计划中", "Planned"),
        Applied = "applied" => ("已申请", "Applied"),
        Delivered = "delivered" => ("已发放/已落实", "Delivered"),
        Refused = "refused" => ("对方拒收", "Refused"),
    }
);

/// A livelihood assistance action (帮扶措施).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assistance {
    pub kind: AssistanceKind,
    /// In fen; required for money, optional (the value of goods, say) otherwise.
    pub amount_fen: Option<i64>,
    /// What was handed over or applied for.
    pub items: String,
    pub funding_source: String,
    pub status: AssistanceStatus,
}

/// A conversation note (谈心记录): often the most sensitive record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Who spoke with the petitioner.
    pub speaker: String,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::Visit;

    #[test]
    fn participants_split_on_any_separator() {
        assert_eq!(
            Visit::split_participants("王建国（驻村干部）、李律师，张三,\n 赵六 "),
            vec!["王建国（驻村干部）", "李律师", "张三", "赵六"]
        );
        assert!(Visit::split_participants(" 、 ").is_empty());
    }
}
