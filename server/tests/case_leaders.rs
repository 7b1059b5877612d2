//! 包案 leaders picked from the accounts: a supervisor's phone learns (with the legal team list,
//! `GET /api/team`) the supervisors of its own place and below, never another township's; a
//! leader record naming an account is stored only if that account is an enabled supervisor whose
//! place covers the file, and carries the server's name for it; a leader without an account is
//! still a typed name.

mod common;

use common::{TestServer, account, batch, small_world};
use xiafang_core::legal::Team;
use xiafang_core::record::RecordBody;
use xiafang_core::supervision::Supervision;
use xiafang_core::verdict::Outcome;
use xiafang_core::{DeviceId, Record, account::Role, fixtures};
use xiafang_server::demo::Demo;

/// The small world plus `sup-b` supervising the other township and `sup-a2`, a second supervisor
/// of township `ta`.
fn world() -> Demo {
    let mut w = small_world();
    w.accounts.push(account("sup-b", Role::Supervisor, "tb"));
    w.accounts.push(account("sup-a2", Role::Supervisor, "ta"));
    w
}

/// A 包案 leader record on `f-a1` by `sup-a`, naming `account` (or nobody).
fn leader(account: Option<&str>) -> Record {
    let mut r = fixtures::leader("f-a1", "sup-a", "王副书记", "南滨街道党工委副书记");
    if let RecordBody::Supervision(Supervision::Leader { account: a, .. }) = &mut r.body {
        *a = account.map(Into::into);
    }
    r
}

async fn leaders_listed(server: &TestServer, who: &str) -> Vec<String> {
    let token = server.login(who).await;
    let (status, body) = server.get("/api/team", Some(&token)).await;
    assert!(status.is_success(), "{body}");
    let team: Team = serde_json::from_value(body).expect("a team list");
    team.leaders.into_iter().map(|l| l.id.0).collect()
}

#[tokio::test]
async fn a_supervisor_lists_only_the_supervisors_of_their_place_and_below() {
    for server in TestServer::each(&world()).await {
        assert_eq!(leaders_listed(&server, "sup-a").await, ["sup-a", "sup-a2"]);
        let mut county = leaders_listed(&server, "sup-county").await;
        county.sort();
        assert_eq!(county, ["sup-a", "sup-a2", "sup-b", "sup-county"]);
        assert!(
            leaders_listed(&server, "wang").await.is_empty(),
            "a cadre names no leaders"
        );
        assert!(leaders_listed(&server, "admin-a").await.is_empty());
    }
}

#[tokio::test]
async fn a_leader_account_must_be_a_supervisor_over_the_file() {
    for server in TestServer::each(&world()).await {
        let token = server.login("sup-a").await;
        let cases = [
            (leader(Some("sup-a2")), None),
            (leader(Some("sup-county")), None),
            (leader(None), None),
            (leader(Some("sup-b")), Some("another township's supervisor")),
            (leader(Some("wang")), Some("a cadre")),
            (
                leader(Some("nobody")),
                Some("an account that does not exist"),
            ),
        ];
        for (seq, (record, refused)) in (1..).zip(cases) {
            let res = server
                .push(&token, &batch(DeviceId::new_random(), seq, &[record]))
                .await;
            match (&res.acks[0].outcome, refused) {
                (Outcome::Stored, None) => {}
                (Outcome::Rejected { reason }, Some(_)) => {
                    let json = serde_json::to_value(reason).unwrap();
                    assert_eq!(json["code"], "not_a_leader", "{json}");
                    assert!(
                        reason
                            .message(xiafang_core::Lang::Zh)
                            .contains("包案领导只能选"),
                        "a specific Chinese message"
                    );
                }
                (got, why) => panic!("{why:?}: {got:?}"),
            }
        }
        // The stored leader carries the server's name for the account, not the phone's.
        let (_, timeline) = server.get("/api/files/f-a1/records", Some(&token)).await;
        let text = timeline.to_string();
        assert!(text.contains("sup-a2 姓名"), "{text}");
        assert!(
            text.contains("王副书记"),
            "the leader without an account as typed"
        );
    }
}
