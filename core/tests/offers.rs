//! What a phone offers on a file: exactly what the judge would take from its account.

use xiafang_core::account::Role;
use xiafang_core::fixtures;
use xiafang_core::judge::{Offer, correction_offered, may_attach, offers, phone_reach};
use xiafang_core::ledger::Standing;
use xiafang_core::supervision::ReviewDecision;

#[test]
fn each_role_is_offered_exactly_what_the_judge_takes() {
    use Offer::*;
    let cases: [(Role, &[Offer], bool); 4] = [
        (
            Role::Cadre,
            &[
                Visit, Assistance, Note, EditFile, CaseStep, Referral, Reception, Warning, Tasking,
            ],
            true,
        ),
        (
            Role::Supervisor,
            &[CaseStep, Supervision, Reception, Warning, Tasking],
            false,
        ),
        (Role::Admin, &[], false),
        (
            Role::Legal,
            &[Visit, Assistance, Note, EditFile, LegalOpinion, Mediation],
            true,
        ),
    ];
    for (role, expected, attaches) in cases {
        let reach = phone_reach(role);
        assert_eq!(offers(role, reach), expected, "{role:?}");
        assert_eq!(may_attach(role, reach), attaches, "{role:?} attaching");
    }
}

#[test]
fn corrections_are_offered_to_the_author_of_a_current_record_they_may_still_write() {
    let visit = fixtures::visit("f1", "u1");
    let review = fixtures::review(&visit, "s1", ReviewDecision::Approve, "");
    let void = fixtures::void(&visit, "记错");
    let current = Standing::Current;
    let voided = Standing::Voided {
        by: void.id,
        reason: "记错".into(),
    };
    let cases = [
        ("my visit", "u1", Role::Cadre, &visit, &current, true),
        (
            "another's visit",
            "u2",
            Role::Cadre,
            &visit,
            &current,
            false,
        ),
        ("my voided visit", "u1", Role::Cadre, &visit, &voided, false),
        ("my void", "u1", Role::Cadre, &void, &current, false),
        ("my review", "s1", Role::Supervisor, &review, &current, true),
        (
            "a review I wrote as a cadre now",
            "s1",
            Role::Cadre,
            &review,
            &current,
            false,
        ),
        (
            "my visit, now a supervisor",
            "u1",
            Role::Supervisor,
            &visit,
            &current,
            false,
        ),
    ];
    for (name, me, role, record, standing, expected) in cases {
        let offered = correction_offered(&me.into(), role, phone_reach(role), record, standing);
        assert_eq!(offered, expected, "{name}");
    }
}

#[test]
fn the_tasking_form_offers_the_office_the_loop_and_the_cadre_the_report() {
    use xiafang_core::judge::tasking_actions;
    use xiafang_core::tasking::TaskingAction::*;
    let cases: [(Role, &[xiafang_core::tasking::TaskingAction]); 4] = [
        (Role::Cadre, &[Reported]),
        (
            Role::Supervisor,
            &[Assigned, Urged, Reported, SignedOff, SentBack],
        ),
        (Role::Admin, &[]),
        (Role::Legal, &[]),
    ];
    for (role, expected) in cases {
        assert_eq!(
            tasking_actions(role, phone_reach(role)),
            expected,
            "{role:?}"
        );
    }
}
