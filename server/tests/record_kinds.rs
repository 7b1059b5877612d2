//! Who may upload which kind of record (`xiafang_core::permissions`): casework by the accounts
//! assigned to the file; case steps by supervisors of the file's place and the cadres assigned
//! to it; reviews and supervision by supervisors of the place only. A review names another
//! author's visit or assistance of the same file, and what a supervisor records reaches the
//! cadre's phone, the timeline and the export. In the 交办 loop the office assigns, urges, signs
//! off (on records of the same file only) and sends back; the cadre on the file enters the unit's
//! report.

mod common;

use axum::http::StatusCode;
use common::{TestServer, account, batch, parse, small_world};
use std::collections::HashMap;
use xiafang_core::case_step::Step;
use xiafang_core::supervision::ReviewDecision::{Approve, Return};
use xiafang_core::warning::ReportLevel;
use xiafang_core::{DeviceId, Record, RecordBody, RecordId, fixtures};
use xiafang_core::{account::Role, feed::PullResponse, verdict::Outcome};
use xiafang_server::demo::Demo;

/// The small world, plus `sup-b` supervising the other township, the legal member assigned to
/// `f-a1`, and wang's visit on `f-a1` waiting for review (returned).
fn world() -> (Demo, Record) {
    let mut w = small_world();
    w.accounts.push(account("sup-b", Role::Supervisor, "tb"));
    w.files[0].assigned.push("law".into());
    let visit = fixtures::visit("f-a1", "wang");
    w.records.push(visit.clone());
    (w, visit)
}

/// Signs accounts in once and uploads single records for them.
struct Phones<'a> {
    server: &'a TestServer,
    tokens: HashMap<String, String>,
}

impl<'a> Phones<'a> {
    fn new(server: &'a TestServer) -> Self {
        Phones {
            server,
            tokens: HashMap::new(),
        }
    }

    async fn token(&mut self, who: &str) -> String {
        if !self.tokens.contains_key(who) {
            let token = self.server.login(who).await;
            self.tokens.insert(who.to_owned(), token);
        }
        self.tokens[who].clone()
    }

    /// "stored", or the code of the rejection.
    async fn upload(&mut self, who: &str, record: &Record) -> String {
        let token = self.token(who).await;
        let res = self
            .server
            .push(
                &token,
                &batch(DeviceId::new_random(), 1, std::slice::from_ref(record)),
            )
            .await;
        match &res.acks[0].outcome {
            Outcome::Stored => "stored".into(),
            Outcome::Rejected { reason } => serde_json::to_value(reason).expect("json")["code"]
                .as_str()
                .expect("code")
                .to_owned(),
            Outcome::Quarantined => "quarantined".into(),
        }
    }
}

const KINDS: [&str; 12] = [
    "visit",
    "assistance",
    "note",
    "case_step",
    "review",
    "supervision",
    "referral",
    "legal_opinion",
    "mediation",
    "visit_part",
    "plan",
    "milestone_met",
];

/// A record of `kind` on `f-a1` by `who`; a review approves `visit`.
fn record_of(kind: &str, who: &str, visit: &Record) -> Record {
    match kind {
        "visit" => fixtures::visit("f-a1", who),
        "assistance" => fixtures::assistance("f-a1", who),
        "note" => fixtures::note("f-a1", who),
        "case_step" => fixtures::case_step("f-a1", who, Step::Accepted { simplified: false }),
        "review" => fixtures::review(visit, who, Approve, ""),
        "supervision" => fixtures::listed("f-a1", who),
        "referral" => fixtures::referral("f-a1", who, "law"),
        "legal_opinion" => fixtures::legal_opinion("f-a1", who),
        "mediation" => fixtures::mediation("f-a1", who),
        "visit_part" => fixtures::visit_part(visit, who),
        "plan" => fixtures::plan("f-a1", who),
        "milestone_met" => fixtures::milestone_met("f-a1", who, fixtures::PLAN_MILESTONES[0].0),
        other => panic!("no kind {other}"),
    }
}

/// A review approving `of`, without comment.
fn approval_of(of: RecordId) -> RecordBody {
    RecordBody::Review(xiafang_core::supervision::Review {
        of,
        decision: Approve,
        comment: String::new(),
    })
}

const OK: &str = "stored";
const NO: &str = "not_permitted";
const ROLE: &str = "role_not_allowed";

/// (account, outcome per kind of `KINDS`) on file `f-a1` of township `ta`. 化解方案 and 里程碑完成
/// are supervision (包案): the supervisors of the place only.
#[rustfmt::skip]
const MATRIX: &[(&str, &str, [&str; 12])] = &[
    //                                              visit assist note step review superv. referral opinion mediation part plan met
    ("wang", "cadre assigned",                      [OK, OK, OK, OK, ROLE, ROLE, OK, ROLE, ROLE, OK, ROLE, ROLE]),
    ("li", "cadre not assigned",                    [NO; 12]),
    ("sup-a", "supervisor of the township",         [NO, NO, NO, OK, OK, OK, ROLE, ROLE, ROLE, NO, OK, OK]),
    ("sup-county", "county supervisor",             [NO, NO, NO, OK, OK, OK, ROLE, ROLE, ROLE, NO, OK, OK]),
    ("sup-b", "supervisor of another township",     [NO; 12]),
    ("admin-a", "administrator of the township",    [NO, NO, NO, ROLE, ROLE, ROLE, ROLE, ROLE, ROLE, NO, ROLE, ROLE]),
    ("law", "legal member assigned",                [OK, OK, OK, ROLE, ROLE, ROLE, ROLE, OK, OK, OK, ROLE, ROLE]),
];

#[tokio::test]
async fn each_role_uploads_exactly_its_record_kinds() {
    let (w, visit) = world();
    for server in TestServer::each(&w).await {
        let mut phones = Phones::new(&server);
        let mut wrong = Vec::new();
        for (who, what, expected) in MATRIX {
            for (kind, expected) in KINDS.iter().zip(expected) {
                let got = phones.upload(who, &record_of(kind, who, &visit)).await;
                if got != *expected {
                    wrong.push(format!("{who} ({what}) {kind}: {got}, expected {expected}"));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

#[tokio::test]
async fn a_review_must_name_someone_elses_visit_or_assistance_of_the_same_file() {
    let (mut w, visit) = world();
    // sup-a is also assigned to f-a1 here, so it can write a visit of its own.
    w.files[0].assigned.push("sup-a".into());
    let own_visit = fixtures::visit("f-a1", "sup-a");
    let note = fixtures::note("f-a1", "wang");
    let step = fixtures::case_step("f-a1", "sup-county", Step::Accepted { simplified: false });
    let li_visit = fixtures::visit("f-b1", "li");
    let help = fixtures::assistance("f-a1", "wang");
    w.records.extend([
        own_visit.clone(),
        note.clone(),
        step.clone(),
        li_visit.clone(),
        help.clone(),
    ]);
    for server in TestServer::each(&w).await {
        let mut phones = Phones::new(&server);
        let refused = "not_reviewable";
        // The county supervisor reads both files, yet a review on f-a1 cannot name f-b1's visit.
        let mut cross = fixtures::review(&li_visit, "sup-county", Approve, "");
        cross.file_id = "f-a1".into();
        assert_eq!(phones.upload("sup-county", &cross).await, refused);
        let mut cross = fixtures::review(&visit, "sup-county", Approve, "");
        cross.file_id = "f-b1".into();
        assert_eq!(phones.upload("sup-county", &cross).await, refused);
        let of_note = fixtures::review(&note, "sup-a", Approve, "");
        assert_eq!(phones.upload("sup-a", &of_note).await, refused);
        let of_step = fixtures::review(&step, "sup-a", Approve, "");
        assert_eq!(phones.upload("sup-a", &of_step).await, refused);
        let mut of_nothing = fixtures::review(&visit, "sup-a", Approve, "");
        if let RecordBody::Review(r) = &mut of_nothing.body {
            r.of = RecordId::new_random();
        }
        assert_eq!(phones.upload("sup-a", &of_nothing).await, refused);
        let own = fixtures::review(&own_visit, "sup-a", Approve, "");
        assert_eq!(phones.upload("sup-a", &own).await, refused, "self-review");

        // Another supervisor may review sup-a's visit; sup-a may review wang's assistance.
        let by_county = fixtures::review(&own_visit, "sup-county", Approve, "");
        assert_eq!(phones.upload("sup-county", &by_county).await, OK);
        let ok = fixtures::review(&help, "sup-a", Return, "请补签收单");
        assert_eq!(phones.upload("sup-a", &ok).await, OK);
        // An amendment is a review too: it cannot move over to the note.
        let moved = fixtures::amendment(&ok, approval_of(note.id));
        assert_eq!(phones.upload("sup-a", &moved).await, refused);
    }
}

#[tokio::test]
async fn supervisors_records_are_corrected_only_by_their_author_and_role() {
    let (w, visit) = world();
    for server in TestServer::each(&w).await {
        let mut phones = Phones::new(&server);
        let listing = fixtures::listed("f-a1", "sup-a");
        let review = fixtures::review(&visit, "sup-a", Return, "请补充参加人员职务");
        let step = fixtures::case_step("f-a1", "wang", Step::Accepted { simplified: false });
        assert_eq!(phones.upload("sup-a", &listing).await, OK);
        assert_eq!(phones.upload("sup-a", &review).await, OK);
        assert_eq!(phones.upload("wang", &step).await, OK);

        // Someone else's supervision record: another supervisor may not touch it, a cadre not
        // even record its kind.
        let void = fixtures::void(&listing, "挂错了档案");
        let mut by_county = void.clone();
        by_county.author = "sup-county".into();
        assert_eq!(
            phones.upload("sup-county", &by_county).await,
            "target_not_yours"
        );
        let mut by_wang = fixtures::void(&review, "不同意退回");
        by_wang.author = "wang".into();
        assert_eq!(phones.upload("wang", &by_wang).await, ROLE);
        // A supervisor may not void the cadre's step either.
        let mut step_void = fixtures::void(&step, "记错");
        step_void.author = "sup-a".into();
        assert_eq!(phones.upload("sup-a", &step_void).await, "target_not_yours");

        // Their authors correct them; an amendment keeps the kind.
        assert_eq!(phones.upload("sup-a", &void).await, OK);
        let approved = fixtures::amendment(&review, approval_of(visit.id));
        assert_eq!(phones.upload("sup-a", &approved).await, OK);
        let as_listing = fixtures::amendment(&review, listing.body.clone());
        assert_eq!(
            phones.upload("sup-a", &as_listing).await,
            "target_kind_mismatch"
        );
        let reply = fixtures::amendment(
            &step,
            RecordBody::CaseStep(xiafang_core::case_step::CaseStep {
                step: Step::Accepted { simplified: true },
                note: "按简易程序办理".into(),
            }),
        );
        assert_eq!(phones.upload("wang", &reply).await, OK);
    }
}

#[tokio::test]
async fn a_returned_visit_reaches_the_cadres_phone_timeline_and_export() {
    let (w, visit) = world();
    for server in TestServer::each(&w).await {
        let mut phones = Phones::new(&server);
        let back = fixtures::review(&visit, "sup-a", Return, "请补充参加人员职务");
        let step = fixtures::case_step("f-a1", "sup-county", Step::Accepted { simplified: false });
        assert_eq!(phones.upload("sup-a", &back).await, OK);
        assert_eq!(phones.upload("sup-county", &step).await, OK);

        let wang = phones.token("wang").await;
        let (status, body) = server.get("/api/sync/pull", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let pulled: PullResponse = parse(body);
        for r in [&back, &step].map(common::as_stored) {
            assert!(pulled.records.contains(&r), "wang's phone gets {r:?}");
        }
        // A supervisor of another township's phone does not.
        let sup_b = phones.token("sup-b").await;
        let (_, body) = server.get("/api/sync/pull", Some(&sup_b)).await;
        let pulled: PullResponse = parse(body);
        assert!(pulled.records.iter().all(|r| r.file_id.0 != "f-a1"));

        let (status, body) = server.get("/api/files/f-a1/records", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let timeline: Vec<Record> = parse(body);
        let (back, step) = (common::as_stored(&back), common::as_stored(&step));
        assert!(timeline.contains(&back) && timeline.contains(&step));

        let (status, _, csv) = server.get_bytes("/api/files/f-a1/export", &wang).await;
        assert_eq!(status, StatusCode::OK);
        let csv = String::from_utf8(csv).expect("utf-8");
        for text in ["退回修改", "请补充参加人员职务", "受理"] {
            assert!(csv.contains(text), "the export shows {text}:\n{csv}");
        }
    }
}

/// 接访 (a reception of petitioners) and 苗头 (an early sign reported up the levels) are recorded
/// like a case step: by supervisors of the file's place and the cadres assigned to it; a group
/// of more than five without representatives, or with more than five, is refused as invalid
/// whoever sends it.
#[tokio::test]
async fn receptions_and_early_signs_are_recorded_by_the_places_supervisors_and_the_files_cadres() {
    let (w, _) = world();
    #[rustfmt::skip]
    let expected = [
        ("wang", OK), ("li", NO), ("sup-a", OK), ("sup-county", OK), ("sup-b", NO),
        ("admin-a", ROLE), ("law", ROLE),
    ];
    for server in TestServer::each(&w).await {
        let mut phones = Phones::new(&server);
        let mut wrong = Vec::new();
        for (who, outcome) in expected {
            let sign = fixtures::warning("f-a1", who, ReportLevel::Township, false);
            for record in [fixtures::reception("f-a1", who), sign] {
                let got = phones.upload(who, &record).await;
                if got != outcome {
                    let kind = record.body.kind_key();
                    wrong.push(format!("{who} {kind}: {got}, expected {outcome}"));
                }
            }
        }
        for names in [vec![], vec!["甲", "乙", "丙", "丁", "戊", "己"]] {
            let mut r = fixtures::reception("f-a1", "sup-a");
            if let RecordBody::Reception(rec) = &mut r.body {
                rec.representatives = names.iter().map(|n| (*n).to_owned()).collect();
            }
            let got = phones.upload("sup-a", &r).await;
            if got != "invalid" {
                wrong.push(format!(
                    "representatives {names:?}: {got}, expected invalid"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

/// A 交办 record of `action` on `f-a1` by `who`; a sign-off rests on `visit`.
fn tasking_of(action: &str, who: &str, visit: &Record) -> Record {
    use xiafang_core::tasking::{Tasking, UrgeMethod};
    match action {
        "assigned" => fixtures::assigned("f-a1", who),
        "urged" => fixtures::tasking(
            "f-a1",
            who,
            Tasking::Urged {
                how: UrgeMethod::Phone,
                note: "电话提醒承办单位".into(),
            },
        ),
        "reported" => fixtures::unit_report("f-a1", who),
        "signed_off" => fixtures::signed_off(&[visit], who),
        "sent_back" => fixtures::tasking(
            "f-a1",
            who,
            Tasking::SentBack {
                reason: "未附答复书".into(),
                report_by: None,
            },
        ),
        other => panic!("no action {other}"),
    }
}

const ACTIONS: [&str; 5] = ["assigned", "urged", "reported", "signed_off", "sent_back"];

/// (account, outcome per action of `ACTIONS`) on file `f-a1` of township `ta`: the office runs
/// the loop, the cadre on the file enters the unit's report.
#[rustfmt::skip]
const TASKING: &[(&str, &str, [&str; 5])] = &[
    //                                              交办 催办 办结报告 销号 退回
    ("wang", "cadre assigned",                      [ROLE, ROLE, OK, ROLE, ROLE]),
    ("li", "cadre not assigned",                    [NO; 5]),
    ("sup-a", "supervisor of the township",         [OK; 5]),
    ("sup-county", "county supervisor",             [OK; 5]),
    ("sup-b", "supervisor of another township",     [NO; 5]),
    ("admin-a", "administrator of the township",    [ROLE; 5]),
    ("law", "legal member assigned",                [ROLE; 5]),
];

#[tokio::test]
async fn each_role_records_exactly_its_part_of_the_tasking_loop() {
    let (w, visit) = world();
    for server in TestServer::each(&w).await {
        let mut phones = Phones::new(&server);
        let mut wrong = Vec::new();
        for (who, what, expected) in TASKING {
            for (action, expected) in ACTIONS.iter().zip(expected) {
                let got = phones.upload(who, &tasking_of(action, who, &visit)).await;
                if got != *expected {
                    wrong.push(format!(
                        "{who} ({what}) {action}: {got}, expected {expected}"
                    ));
                }
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }
}

#[tokio::test]
async fn a_sign_off_rests_only_on_records_of_the_same_file() {
    let (mut w, visit) = world();
    let report = fixtures::unit_report("f-a1", "wang");
    let li_visit = fixtures::visit("f-b1", "li");
    let void = fixtures::void(&visit, "记错");
    let assigned = fixtures::assigned("f-a1", "sup-a");
    w.records
        .extend([report.clone(), li_visit.clone(), assigned.clone()]);
    for server in TestServer::each(&w).await {
        let mut phones = Phones::new(&server);
        let refused = "no_such_evidence";
        // The county supervisor reads both files, yet cannot sign f-a1 off on f-b1's visit.
        let cross = fixtures::signed_off(&[&report, &li_visit], "sup-county");
        assert_eq!(phones.upload("sup-county", &cross).await, refused);
        let mut invented = fixtures::signed_off(&[&report], "sup-a");
        if let RecordBody::Tasking(xiafang_core::tasking::Tasking::SignedOff { evidence, .. }) =
            &mut invented.body
        {
            evidence.push(RecordId::new_random());
        }
        assert_eq!(phones.upload("sup-a", &invented).await, refused);
        // A void withdraws; it is no evidence (uploaded by its author first).
        assert_eq!(phones.upload("wang", &void).await, OK);
        let on_void = fixtures::signed_off(&[&void], "sup-a");
        assert_eq!(phones.upload("sup-a", &on_void).await, refused);
        // Evidence uploaded earlier in the same batch counts: the report, then the sign-off.
        let fresh = fixtures::unit_report("f-a1", "sup-a");
        let sign = fixtures::signed_off(&[&fresh, &report], "sup-a");
        let token = server.login("sup-a").await;
        let res = server
            .push(&token, &batch(DeviceId::new_random(), 1, &[fresh, sign]))
            .await;
        assert!(
            res.acks.iter().all(|a| a.outcome == Outcome::Stored),
            "{:?}",
            res.acks
        );
    }
}

#[tokio::test]
async fn a_bad_plan_is_refused_with_its_fields_named_and_a_good_one_reaches_the_cadre() {
    use xiafang_core::supervision::Supervision;
    use xiafang_core::verdict::Rejection;
    use xiafang_core::{Field, Problem};
    let (w, _) = world();
    for server in TestServer::each(&w).await {
        let sup = server.login("sup-a").await;
        let refused = |outcome: &Outcome| match outcome {
            Outcome::Rejected {
                reason: Rejection::Invalid { errors },
            } => errors
                .iter()
                .map(|e| (e.field, e.problem))
                .collect::<Vec<_>>(),
            other => panic!("expected a refusal, got {other:?}"),
        };
        let mut blank = fixtures::plan("f-a1", "sup-a");
        let mut early = fixtures::plan("f-a1", "sup-a");
        if let RecordBody::Supervision(Supervision::Plan { milestones, .. }) = &mut blank.body {
            milestones[0].what = String::new();
        }
        if let RecordBody::Supervision(Supervision::Plan {
            milestones, team, ..
        }) = &mut early.body
        {
            // The fixture is dated 2026-11-20.
            milestones[1].due = "2026-11-01".parse().expect("date");
            team.clear();
        }
        let res = server
            .push(&sup, &batch(DeviceId::new_random(), 1, &[blank, early]))
            .await;
        assert_eq!(
            refused(&res.acks[0].outcome),
            [(Field::Milestones, Problem::Required)]
        );
        assert_eq!(
            refused(&res.acks[1].outcome),
            [
                (Field::Milestones, Problem::BeforeRecordDate),
                (Field::Team, Problem::Required)
            ]
        );

        let plan = fixtures::plan("f-a1", "sup-a");
        let met = fixtures::milestone_met("f-a1", "sup-a", fixtures::PLAN_MILESTONES[0].0);
        let res = server
            .push(
                &sup,
                &batch(DeviceId::new_random(), 1, &[plan.clone(), met.clone()]),
            )
            .await;
        assert!(
            res.acks.iter().all(|a| a.outcome == Outcome::Stored),
            "{res:?}"
        );
        let wang = server.login("wang").await;
        let (status, body) = server.get("/api/sync/pull", Some(&wang)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let pulled: PullResponse = parse(body);
        for r in [&plan, &met].map(common::as_stored) {
            assert!(pulled.records.contains(&r), "wang's phone gets {r:?}");
        }
    }
}
