//! 包案 (case ownership) folded from a file's records: several leaders with their posts, the plan
//! that counts after corrections, each milestone's standing (met late is never on time), and
//! each leader's own visits; and what a plan or a milestone met must say to be stored.

use chrono::NaiveDate;
use xiafang_core::case::*;
use xiafang_core::ownership::Milestone;
use xiafang_core::record::{RecordBody, TeamMember};
use xiafang_core::supervision::Supervision;
use xiafang_core::{Field, Problem, Record, fixtures};

fn d(text: &str) -> NaiveDate {
    text.parse().expect("test date")
}

fn on(day: &str, r: Record) -> Record {
    fixtures::on(r, d(day))
}

fn status(records: &[Record], today: &str) -> CaseStatus {
    let mut f = fixtures::file("f1");
    f.matter.case_leader = Some("街道包案领导".into());
    case_status(&f, records, &CaseRules::default(), d(today))
}

const MEETING: &str = fixtures::PLAN_MILESTONES[0].0;
const PAYMENT: &str = fixtures::PLAN_MILESTONES[1].0;

fn milestone<'a>(s: &'a CaseStatus, what: &str) -> &'a MilestoneState {
    let plan = s.plan.as_ref().expect("a plan");
    plan.milestones
        .iter()
        .find(|m| m.what == what)
        .expect("milestone")
}

#[test]
fn several_leaders_in_the_order_named_a_later_record_updates_one_and_a_void_drops_it() {
    let s = status(&[], "2026-12-01");
    let names = |s: &CaseStatus| s.leaders.iter().map(|l| l.name.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&s),
        ["街道包案领导"],
        "the registered leader stands alone"
    );

    let wang = on(
        "2026-11-01",
        fixtures::leader("f1", "s1", "王副书记", "南滨街道党工委副书记"),
    );
    let chen = on(
        "2026-11-02",
        fixtures::leader("f1", "s1", "陈副市长", "分管副市长"),
    );
    let s = status(&[wang.clone(), chen.clone()], "2026-12-01");
    assert_eq!(
        names(&s),
        ["王副书记", "陈副市长"],
        "records replace the registered leader"
    );
    let first = &s.leaders[0];
    assert_eq!(
        (
            first.post.as_str(),
            first.unit.as_str(),
            first.responsible.as_str()
        ),
        ("南滨街道党工委副书记", "南滨街道办事处", "王建国")
    );

    let moved = on(
        "2026-11-20",
        fixtures::leader("f1", "s1", "王副书记", "瑞安市副市长"),
    );
    let s = status(&[wang.clone(), chen.clone(), moved], "2026-12-01");
    assert_eq!(names(&s), ["王副书记", "陈副市长"]);
    assert_eq!(
        s.leaders[0].post, "瑞安市副市长",
        "the latest record for a name counts"
    );

    let void = fixtures::void(&chen, "记错了领导");
    let s = status(&[wang, chen, void], "2026-12-01");
    assert_eq!(names(&s), ["王副书记"]);
}

#[test]
fn milestones_stand_as_met_late_recorded_late_overdue_due_soon_or_open() {
    let plan = on("2026-11-20", fixtures::plan("f1", "s1"));
    let s = status(std::slice::from_ref(&plan), "2026-12-01");
    let p = s.plan.as_ref().expect("plan");
    assert_eq!(p.made.on, d("2026-11-20"));
    assert_eq!(p.team.len(), 2);
    assert_eq!(
        p.milestones
            .iter()
            .map(|m| (m.what.as_str(), m.due, m.status))
            .collect::<Vec<_>>(),
        [
            (MEETING, d("2026-12-10"), DeadlineStatus::Open),
            (PAYMENT, d("2027-01-31"), DeadlineStatus::Open)
        ]
    );
    let status_on = |records: &[Record], today| milestone(&status(records, today), MEETING).status;
    assert_eq!(
        status_on(std::slice::from_ref(&plan), "2026-12-07"),
        DeadlineStatus::DueSoon
    );
    assert_eq!(
        status_on(std::slice::from_ref(&plan), "2026-12-10"),
        DeadlineStatus::DueSoon
    );
    assert_eq!(
        status_on(std::slice::from_ref(&plan), "2026-12-11"),
        DeadlineStatus::Overdue
    );

    let met = |day: &str, entered: &str| {
        fixtures::entered(
            fixtures::milestone_met("f1", "s1", MEETING),
            d(day),
            d(entered),
        )
    };
    let in_time = [plan.clone(), met("2026-12-09", "2026-12-09")];
    assert_eq!(status_on(&in_time, "2026-12-20"), DeadlineStatus::Met);
    let m = milestone(&status(&in_time, "2026-12-20"), MEETING).clone();
    assert_eq!(
        m.met.map(|m| (m.on, m.what)),
        Some((d("2026-12-09"), "已召开，形成会议纪要".into()))
    );
    // Done in time but entered after the due day: shown late, never on time.
    let entered_late = [plan.clone(), met("2026-12-09", "2026-12-12")];
    assert_eq!(
        status_on(&entered_late, "2026-12-20"),
        DeadlineStatus::MetRecordedLate
    );
    let late = [plan.clone(), met("2026-12-15", "2026-12-15")];
    assert_eq!(status_on(&late, "2026-12-20"), DeadlineStatus::MetLate);
    // The other milestone is untouched, and the open list puts the soonest first.
    let s = status(&late, "2027-02-02");
    assert_eq!(milestone(&s, PAYMENT).status, DeadlineStatus::Overdue);
    let open: Vec<&str> = s
        .plan
        .as_ref()
        .unwrap()
        .open()
        .iter()
        .map(|m| m.what.as_str())
        .collect();
    assert_eq!(open, [PAYMENT]);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
}

#[test]
fn the_latest_plan_counts_after_corrections_and_a_milestone_met_must_be_in_the_plan() {
    let plan = on("2026-11-20", fixtures::plan("f1", "s1"));
    let body = |steps: &[(&str, &str)]| {
        RecordBody::Supervision(Supervision::Plan {
            plan: "修订后的方案".into(),
            milestones: steps
                .iter()
                .map(|(what, due)| Milestone {
                    what: (*what).into(),
                    due: d(due),
                })
                .collect(),
            team: vec!["王副书记".into()],
        })
    };
    let amended = fixtures::amendment(
        &plan,
        body(&[(MEETING, "2026-12-20"), ("入户走访", "2026-12-30")]),
    );
    let amended = on("2026-11-20", amended);
    let s = status(&[plan.clone(), amended.clone()], "2026-12-18");
    let p = s.plan.as_ref().unwrap();
    assert_eq!(p.plan, "修订后的方案");
    assert_eq!(
        p.milestones
            .iter()
            .map(|m| (m.what.as_str(), m.status))
            .collect::<Vec<_>>(),
        [
            (MEETING, DeadlineStatus::DueSoon),
            ("入户走访", DeadlineStatus::Open)
        ],
        "an amendment replaces the plan whole, and its due dates count"
    );

    // A later plan (not an amendment) replaces it too; a voided one does not count.
    let later = on(
        "2026-12-01",
        fixtures::supervision(
            "f1",
            "s1",
            match body(&[("签订息访协议", "2027-03-01")]) {
                RecordBody::Supervision(s) => s,
                _ => unreachable!(),
            },
        ),
    );
    let s = status(&[plan.clone(), later.clone()], "2026-12-15");
    assert_eq!(s.plan.as_ref().unwrap().milestones[0].what, "签订息访协议");
    let void = fixtures::void(&later, "方案未经专班讨论");
    let s = status(&[plan.clone(), later, void], "2026-12-15");
    assert_eq!(s.plan.as_ref().unwrap().milestones.len(), 2);

    // Naming no milestone of the plan (or coming before any plan) is kept and flagged.
    let stray = on(
        "2026-12-02",
        fixtures::milestone_met("f1", "s1", "不存在的里程碑"),
    );
    let early = on("2026-11-10", fixtures::milestone_met("f1", "s1", MEETING));
    let s = status(&[plan.clone(), stray.clone(), early.clone()], "2026-12-05");
    let flagged: Vec<_> = s.problems.iter().map(|p| (p.record, p.kind)).collect();
    assert_eq!(
        flagged,
        [
            (early.id, CaseProblemKind::NoSuchMilestone),
            (stray.id, CaseProblemKind::NoSuchMilestone)
        ]
    );
    assert_eq!(milestone(&s, MEETING).status, DeadlineStatus::Open);
}

fn own_visit(day: &str, author: &str, participants: &[&str], joined: &[&str]) -> Record {
    let mut v = on(day, fixtures::visit("f1", author));
    if let RecordBody::Visit(body) = &mut v.body {
        body.participants = participants.iter().map(|p| (*p).to_owned()).collect();
        body.joined = joined
            .iter()
            .map(|id| TeamMember {
                id: (*id).into(),
                name: "某人".into(),
            })
            .collect();
        body.next_due = None;
    }
    v
}

fn received(day: &str, author: &str, leader: &str) -> Record {
    let mut r = on(day, fixtures::reception("f1", author));
    if let RecordBody::Reception(rec) = &mut r.body {
        rec.leader = leader.into();
    }
    r
}

fn leader_with(name: &str, account: Option<&str>) -> Record {
    let mut leader = fixtures::leader("f1", "s1", name, "南滨街道党工委副书记");
    if let RecordBody::Supervision(Supervision::Leader { account: a, .. }) = &mut leader.body {
        *a = account.map(Into::into);
    }
    on("2026-10-01", leader)
}

#[test]
fn a_leader_without_an_account_is_matched_by_name_in_visits_and_receptions() {
    let records = vec![
        leader_with("王副书记", None),
        own_visit(
            "2026-10-20",
            "u1",
            &["王建国（驻村干部）", "王副书记（南滨街道党工委副书记）"],
            &[],
        ),
        // Another 王 is not the leader.
        own_visit("2026-11-10", "u1", &["王副书记长", "王建国"], &[]),
        own_visit("2026-11-12", "u1", &["王建国（驻村干部）"], &[]),
    ];
    let s = status(&records, "2026-12-01");
    let l = &s.leaders[0];
    assert_eq!(l.account, None);
    assert_eq!((l.own_visits, l.last_own_visit), (1, Some(d("2026-10-20"))));

    // A reception (接访) the leader held counts too; one another leader held does not.
    let mut more = records.clone();
    more.push(received(
        "2026-11-20",
        "clerk",
        "王副书记（南滨街道党工委副书记）",
    ));
    more.push(received("2026-11-25", "clerk", "张志强（县委副书记）"));
    let l = &status(&more, "2026-12-01").leaders[0];
    assert_eq!((l.own_visits, l.last_own_visit), (2, Some(d("2026-11-20"))));
}

#[test]
fn a_leader_with_an_account_is_matched_by_the_account_not_by_a_namesake() {
    let records = vec![
        leader_with("王副书记", Some("u-wangzs")),
        // Written by the leader's account, and one where the leader's account joined.
        own_visit("2026-10-05", "u-wangzs", &[], &[]),
        own_visit("2026-11-03", "u1", &["王建国（驻村干部）"], &["u-wangzs"]),
        // A namesake: another 王副书记 (of another township) in a visit's participants, and a
        // reception a clerk entered under that name. Not the leader's account: not theirs.
        own_visit("2026-11-10", "u1", &["王副书记（云周街道）"], &[]),
        received("2026-11-20", "clerk", "王副书记"),
        // A reception the leader entered with their own account is theirs.
        received("2026-11-22", "u-wangzs", "王副书记"),
    ];
    let s = status(&records, "2026-12-01");
    let l = &s.leaders[0];
    assert_eq!(l.account, Some("u-wangzs".into()));
    assert_eq!((l.own_visits, l.last_own_visit), (3, Some(d("2026-11-22"))));

    // Two leaders of the same name with different accounts are two leaders.
    let mut two = records.clone();
    two.push(leader_with("王副书记", Some("u-wang2")));
    let s = status(&two, "2026-12-01");
    assert_eq!(s.leaders.len(), 2, "{:?}", s.leaders);
    assert_eq!(s.leaders[1].own_visits, 0);
}

fn problems(r: &Record) -> Vec<(Field, Problem)> {
    r.validate()
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.problem))
        .collect()
}

/// A change to a plan's text, milestones and team.
type PlanEdit = dyn Fn(&mut String, &mut Vec<Milestone>, &mut Vec<String>);

#[test]
fn a_plan_needs_its_text_milestones_due_from_its_day_and_a_team() {
    let ok = fixtures::plan("f1", "s1");
    assert_eq!(problems(&ok), []);
    let with = |f: &PlanEdit| {
        let mut r = ok.clone();
        if let RecordBody::Supervision(Supervision::Plan {
            plan,
            milestones,
            team,
        }) = &mut r.body
        {
            f(plan, milestones, team);
        }
        problems(&r)
    };
    assert_eq!(
        with(&|p, _, _| p.clear()),
        [(Field::Plan, Problem::Required)]
    );
    assert_eq!(
        with(&|_, m, _| m.clear()),
        [(Field::Milestones, Problem::Required)]
    );
    assert_eq!(
        with(&|_, m, _| m[1].what = " ".into()),
        [(Field::Milestones, Problem::Required)]
    );
    assert_eq!(
        with(&|_, m, _| m[1].what = "<b>会议</b>".into()),
        [(Field::Milestones, Problem::Markup)]
    );
    assert_eq!(
        with(&|_, m, _| m[1].what = m[0].what.clone()),
        [(Field::Milestones, Problem::Duplicate)]
    );
    // The fixture plan is dated 2026-11-20.
    assert_eq!(
        with(&|_, m, _| m[0].due = d("2026-11-19")),
        [(Field::Milestones, Problem::BeforeRecordDate)]
    );
    assert_eq!(with(&|_, m, _| m[0].due = d("2026-11-20")), []);
    assert_eq!(
        with(&|_, m, _| m[0].due = d("2201-01-01")),
        [(Field::Milestones, Problem::DateOutOfRange)]
    );
    assert_eq!(
        with(&|_, m, _| {
            let first = m[0].clone();
            *m = (0..31)
                .map(|i| Milestone {
                    what: format!("第{i}步"),
                    ..first.clone()
                })
                .collect();
        }),
        [(Field::Milestones, Problem::TooMany { max: 30 })]
    );
    assert_eq!(
        with(&|_, _, t| t.clear()),
        [(Field::Team, Problem::Required)]
    );
    assert_eq!(
        with(&|_, _, t| t.push("很".repeat(51))),
        [(Field::Team, Problem::TooLong { max: 50 })]
    );

    let met = fixtures::milestone_met("f1", "s1", "");
    assert_eq!(problems(&met), [(Field::MilestoneMet, Problem::Required)]);
    let mut leader = fixtures::leader("f1", "s1", "王副书记", &"长".repeat(101));
    assert_eq!(
        problems(&leader),
        [(Field::LeaderPost, Problem::TooLong { max: 100 })]
    );
    if let RecordBody::Supervision(Supervision::Leader {
        post,
        unit,
        responsible,
        ..
    }) = &mut leader.body
    {
        post.clear();
        unit.clear();
        responsible.clear();
    }
    assert_eq!(
        problems(&leader),
        [],
        "post, unit and person may be empty, as on old records"
    );
}

#[test]
fn old_leader_records_without_post_still_read() {
    let json = r#"{"type":"supervision","action":"leader","name":"陈副县长"}"#;
    let body: RecordBody = serde_json::from_str(json).expect("old record reads");
    let RecordBody::Supervision(Supervision::Leader {
        name,
        post,
        unit,
        responsible,
        account,
    }) = &body
    else {
        panic!("a leader")
    };
    assert_eq!(
        (
            name.as_str(),
            post.as_str(),
            unit.as_str(),
            responsible.as_str(),
            account
        ),
        ("陈副县长", "", "", "", &None)
    );
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        json,
        "written back the same"
    );
}
