//! One label per field: the one-line account of each record kind (timeline, print page, exports)
//! names every field it shows with the label the form that wrote it uses (`Field`), so an old
//! wording ("限期报告" for 限期报告日期, "专班" for 工作专班成员) is caught here.

use chrono::NaiveDate;
use xiafang_core::case_step::{ApproverRole, Step};
use xiafang_core::record::RecordBody;
use xiafang_core::supervision::Supervision;
use xiafang_core::tasking::{Tasking, UrgeMethod};
use xiafang_core::{Field, Lang, Record, fixtures};

fn step(s: Step, note: &str) -> Record {
    let mut r = fixtures::case_step("f1", "o1", s);
    if let RecordBody::CaseStep(c) = &mut r.body {
        c.note = note.into();
    }
    r
}

fn task(t: Tasking) -> Record {
    fixtures::tasking("f1", "o1", t)
}

/// Each record and the fields (and values) its summary must show under the form's label.
fn table() -> Vec<(Record, Vec<(Field, &'static str)>)> {
    let day = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let visit = fixtures::visit("f1", "u1");
    vec![
        (
            step(Step::Registered { received: day }, "来信"),
            vec![(Field::Received, "2026-12-10"), (Field::StepNote, "来信")],
        ),
        (
            step(
                Step::Routed {
                    route: xiafang_core::case_step::Route::Own,
                    to: "南滨街道".into(),
                },
                "",
            ),
            vec![(Field::RoutedTo, "南滨街道")],
        ),
        (
            step(
                Step::BodyReceived {
                    body: "县住建局".into(),
                },
                "",
            ),
            vec![(Field::ReceivingBody, "县住建局")],
        ),
        (
            step(
                Step::Objected {
                    reason: "不属本单位职责".into(),
                },
                "",
            ),
            vec![(Field::ObjectionReason, "不属本单位职责")],
        ),
        (
            step(
                Step::Notified {
                    accepted: false,
                    go_to: "向人民法院起诉".into(),
                },
                "",
            ),
            vec![(Field::GoTo, "向人民法院起诉")],
        ),
        (
            step(
                Step::Extended {
                    days: 30,
                    approver: "张局长".into(),
                    approver_role: Some(ApproverRole::Head),
                    reason: "需要现场勘查".into(),
                    reason_told: true,
                },
                "",
            ),
            vec![
                (Field::ExtensionDays, "30"),
                (Field::Approver, "张局长"),
                (Field::ExtensionReason, "需要现场勘查"),
            ],
        ),
        (
            fixtures::review(
                &visit,
                "s1",
                xiafang_core::supervision::ReviewDecision::Return,
                "请补充诉求",
            ),
            vec![(Field::ReviewComment, "请补充诉求")],
        ),
        (
            fixtures::listed("f1", "s1"),
            vec![
                (Field::Deadline, "2026-12-20"),
                (Field::SupervisionReason, "多次越级上访"),
            ],
        ),
        (
            fixtures::leader("f1", "s1", "王副书记", "南滨街道党工委副书记"),
            vec![
                (Field::LeaderPost, "南滨街道党工委副书记"),
                (Field::ResponsibleUnit, "南滨街道办事处"),
                (Field::Responsible, "王建国"),
            ],
        ),
        (
            fixtures::supervision(
                "f1",
                "s1",
                Supervision::Lifted {
                    note: "已化解".into(),
                },
            ),
            vec![(Field::LiftNote, "已化解")],
        ),
        (
            fixtures::plan("f1", "s1"),
            vec![
                (Field::Plan, "由街道牵头"),
                (Field::Milestones, "召开村民代表会议重新核算（2026-12-10）"),
                (Field::Team, "王副书记（专班负责人）"),
            ],
        ),
        (
            fixtures::milestone_met("f1", "s1", "召开村民代表会议重新核算"),
            vec![
                (Field::MilestoneMet, "召开村民代表会议重新核算"),
                (Field::MilestoneNote, "已召开"),
            ],
        ),
        (
            fixtures::referral("f1", "u1", "law"),
            vec![
                (Field::ReferredTo, "李律师"),
                (Field::ReferralNote, "集体资产分配款争议"),
            ],
        ),
        (
            fixtures::legal_opinion("f1", "law"),
            vec![(Field::Opinion, "分配方案经村民会议讨论决定")],
        ),
        (
            fixtures::mediation("f1", "law"),
            vec![(Field::Terms, "村委会于十二月底前补发")],
        ),
        (
            fixtures::visit_part(&visit, "law"),
            vec![(Field::PartRole, "律师"), (Field::PartText, "向郭先生解释")],
        ),
        (
            fixtures::signature(&visit, "u1"),
            vec![(Field::Signer, "郭某")],
        ),
        (
            fixtures::photo(&visit, "u1"),
            vec![(Field::Caption, "慰问金签收单")],
        ),
        (
            fixtures::reception("f1", "s1"),
            vec![(Field::ReceptionLeader, "张志强"), (Field::Headcount, "8")],
        ),
        (
            task(Tasking::Assigned {
                unit: "县住建局".into(),
                task: "核实评估价".into(),
                report_by: day,
            }),
            vec![
                (Field::TaskUnit, "县住建局"),
                (Field::Task, "核实评估价"),
                (Field::ReportBy, "2026-12-10"),
            ],
        ),
        (
            task(Tasking::Urged {
                how: UrgeMethod::Phone,
                note: "提醒按期报告".into(),
            }),
            vec![(Field::UrgeNote, "提醒按期报告")],
        ),
        (
            fixtures::unit_report("f1", "u1"),
            vec![(Field::ReportSummary, "已重新评估")],
        ),
        (
            fixtures::signed_off(&[&visit], "s1"),
            vec![(Field::Evidence, "1"), (Field::SignOffNote, "报告属实")],
        ),
        (
            task(Tasking::SentBack {
                reason: "未附答复书".into(),
                report_by: Some(day),
            }),
            vec![
                (Field::SendBackReason, "未附答复书"),
                (Field::ReportBy, "2026-12-10"),
            ],
        ),
    ]
}

#[test]
fn each_summary_names_its_fields_with_the_forms_labels() {
    let mut wrong = Vec::new();
    for (record, fields) in table() {
        for lang in [Lang::Zh, Lang::En] {
            let summary = record.body.summary(lang);
            let sep = lang.pick("：", ": ");
            for (field, value) in &fields {
                let expected = format!("{}{sep}{value}", field.label(lang));
                if !summary.contains(&expected) {
                    wrong.push(format!(
                        "{}: «{summary}» lacks «{expected}»",
                        record.body.kind_key()
                    ));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
