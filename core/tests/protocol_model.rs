//! Drives the exactly-once rules through a lossy network: phones save records into outboxes and
//! send batches (`next_batch`, `settles`), a server of in-memory maps applies each operation with
//! `decide`, and the network drops, duplicates, delays and reorders requests and responses. Once
//! it heals, every outbox must empty and the server must hold what a sequential run would:
//! every valid record once, in each phone's save order, and every invalid one rejected.

use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::HashMap;
use uuid::Uuid;
use xiafang_core::protocol::{Decision, Prior, decide, next_batch, settles};
use xiafang_core::{DeviceId, Record, RecordId, UserId, fixtures};
use xiafang_core::{
    upload::{Ack, Op, SyncState},
    verdict::{Outcome, Rejection},
};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Valid,
    /// Fails validation (no recorder name).
    Invalid,
    /// Names another account as its author.
    Foreign,
}

#[derive(Debug, Clone)]
enum Action {
    Save(Index, Kind),
    Send(Index),
    /// Delivers any request still in flight: old copies arrive late and out of order.
    Deliver(Index),
    Respond(Index),
    DropRequest(Index),
    /// The server applied the request, but its answer never reaches the phone.
    LoseResponse(Index),
    Duplicate(Index),
    /// The app's storage is wiped but its device id survives, so seq numbers start again at 1.
    /// Only happens with an empty outbox (otherwise records would be lost by design).
    Reinstall(Index),
}

fn action() -> impl Strategy<Value = Action> {
    let kind =
        prop_oneof![6 => Just(Kind::Valid), 1 => Just(Kind::Invalid), 1 => Just(Kind::Foreign)];
    prop_oneof![
        4 => (any::<Index>(), kind).prop_map(|(d, k)| Action::Save(d, k)),
        4 => any::<Index>().prop_map(Action::Send),
        4 => any::<Index>().prop_map(Action::Deliver),
        3 => any::<Index>().prop_map(Action::Respond),
        1 => any::<Index>().prop_map(Action::DropRequest),
        1 => any::<Index>().prop_map(Action::LoseResponse),
        2 => any::<Index>().prop_map(Action::Duplicate),
        1 => any::<Index>().prop_map(Action::Reinstall),
    ]
}

struct Phone {
    device: DeviceId,
    account: UserId,
    next_seq: u64,
    /// In seq order, as the phone's store keeps it.
    outbox: Vec<Op>,
    states: HashMap<RecordId, SyncState>,
}

impl Phone {
    fn settle(&mut self, acks: &[Ack]) {
        for ack in acks {
            match self.outbox.iter().position(|op| settles(op, ack)) {
                Some(at) => {
                    let op = self.outbox.remove(at);
                    self.states
                        .insert(op.record.id, SyncState::from(&ack.outcome));
                }
                // A late copy of an answer already settled must say the same thing.
                None => assert_eq!(
                    self.states.get(&ack.record_id),
                    Some(&SyncState::from(&ack.outcome)),
                    "a late ack contradicts the first: {ack:?}"
                ),
            }
        }
    }
}

#[derive(Default)]
struct Server {
    device_ops: HashMap<(DeviceId, u64), (RecordId, Outcome)>,
    records: HashMap<RecordId, Record>,
    /// Record ids in the order they were stored.
    ledger: Vec<RecordId>,
}

impl Server {
    fn push(&mut self, account: &UserId, request: &Request) -> Vec<Ack> {
        request
            .ops
            .iter()
            .map(|op| Ack {
                seq: op.seq,
                record_id: op.record.id,
                outcome: self.apply(account, request.device, op),
            })
            .collect()
    }

    /// What `server/src/db.rs` does in one transaction, with maps for tables.
    fn apply(&mut self, account: &UserId, device: DeviceId, op: &Op) -> Outcome {
        let refusal = if op.record.author != *account {
            Some(Rejection::AuthorMismatch)
        } else {
            op.record
                .validate()
                .err()
                .map(|errors| Rejection::Invalid { errors })
        };
        let key = (device, op.seq);
        let prior = Prior {
            seen: self
                .device_ops
                .get(&key)
                .map(|(id, outcome)| (*id, outcome)),
            existing: self.records.get(&op.record.id),
            refusal,
        };
        let decision = decide(op, prior);
        let outcome = decision.outcome();
        match decision {
            Decision::Repeat(_) => return outcome,
            Decision::Insert => {
                self.records.insert(op.record.id, op.record.clone());
                self.ledger.push(op.record.id);
            }
            Decision::Record(_) => {}
        }
        self.device_ops
            .entry(key)
            .or_insert((op.record.id, outcome.clone()));
        outcome
    }
}

#[derive(Clone)]
struct Request {
    phone: usize,
    device: DeviceId,
    ops: Vec<Op>,
}

struct World {
    phones: Vec<Phone>,
    server: Server,
    requests: Vec<Request>,
    responses: Vec<(usize, Vec<Ack>)>,
    batch: usize,
    /// Every record saved, with the phone and kind: the sequential model.
    saved: Vec<(usize, Kind, Record)>,
}

impl World {
    fn new(phones: usize, batch: usize) -> Self {
        let phones = (0..phones)
            .map(|n| Phone {
                device: DeviceId(Uuid::from_u128(n as u128 + 1)),
                account: UserId(format!("u{n}")),
                next_seq: 1,
                outbox: vec![],
                states: HashMap::new(),
            })
            .collect();
        Self {
            phones,
            server: Server::default(),
            requests: vec![],
            responses: vec![],
            batch,
            saved: vec![],
        }
    }

    fn save(&mut self, phone: usize, kind: Kind) {
        let p = &mut self.phones[phone];
        let author = match kind {
            Kind::Foreign => "someone-else".to_owned(),
            _ => p.account.0.clone(),
        };
        let mut record = fixtures::note("f1", &author);
        record.id = RecordId(Uuid::from_u128(self.saved.len() as u128 + 1));
        if kind == Kind::Invalid {
            record.author_name.clear();
        }
        p.outbox.push(Op {
            seq: p.next_seq,
            record: record.clone(),
        });
        p.next_seq += 1;
        p.states.insert(record.id, SyncState::Pending);
        self.saved.push((phone, kind, record));
    }

    fn send(&mut self, phone: usize) {
        let p = &self.phones[phone];
        let ops = next_batch(&p.outbox, self.batch).to_vec();
        if !ops.is_empty() {
            let device = p.device;
            self.requests.push(Request { phone, device, ops });
        }
    }

    fn deliver(&mut self, request: &Request) {
        let acks = self
            .server
            .push(&self.phones[request.phone].account, request);
        self.responses.push((request.phone, acks));
    }

    fn step(&mut self, action: Action) {
        let n = self.phones.len();
        let (reqs, resps) = (self.requests.len(), self.responses.len());
        match action {
            Action::Save(d, kind) => self.save(d.index(n), kind),
            Action::Send(d) => self.send(d.index(n)),
            Action::Deliver(i) if reqs > 0 => {
                let request = self.requests.remove(i.index(reqs));
                self.deliver(&request);
            }
            Action::Respond(i) if resps > 0 => {
                let (phone, acks) = self.responses.remove(i.index(resps));
                self.phones[phone].settle(&acks);
            }
            Action::DropRequest(i) if reqs > 0 => {
                self.requests.remove(i.index(reqs));
            }
            Action::LoseResponse(i) if resps > 0 => {
                self.responses.remove(i.index(resps));
            }
            Action::Duplicate(i) if reqs > 0 => {
                let copy = self.requests[i.index(reqs)].clone();
                self.requests.push(copy);
            }
            Action::Reinstall(d) => {
                let p = &mut self.phones[d.index(n)];
                if p.outbox.is_empty() {
                    p.next_seq = 1;
                }
            }
            _ => {}
        }
    }

    /// The network heals: whatever is still in flight arrives, then each phone sends until its
    /// outbox is empty. Returns how many rounds of sends that took.
    fn heal(&mut self) -> usize {
        for request in std::mem::take(&mut self.requests) {
            self.deliver(&request);
        }
        for (phone, acks) in std::mem::take(&mut self.responses) {
            self.phones[phone].settle(&acks);
        }
        let mut rounds = 0;
        while self.phones.iter().any(|p| !p.outbox.is_empty()) && rounds < 1_000 {
            rounds += 1;
            for phone in 0..self.phones.len() {
                self.send(phone);
            }
            for request in std::mem::take(&mut self.requests) {
                self.deliver(&request);
            }
            for (phone, acks) in std::mem::take(&mut self.responses) {
                self.phones[phone].settle(&acks);
            }
        }
        rounds
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn lossy_network_converges_to_the_sequential_model(
        phones in 2..=4usize,
        batch in 1..=3usize,
        actions in prop::collection::vec(action(), 0..120),
    ) {
        let mut world = World::new(phones, batch);
        for action in actions {
            world.step(action);
        }
        let longest = world.phones.iter().map(|p| p.outbox.len()).max().unwrap_or(0);
        let rounds = world.heal();
        // Liveness: once the network heals, every round settles a full batch of every outbox.
        prop_assert!(world.phones.iter().all(|p| p.outbox.is_empty()), "outboxes never emptied");
        prop_assert!(rounds <= longest.div_ceil(batch), "{rounds} rounds for {longest} ops");

        let server = &world.server;
        let valid: Vec<RecordId> = world
            .saved
            .iter()
            .filter(|(_, kind, _)| *kind == Kind::Valid)
            .map(|(_, _, r)| r.id)
            .collect();
        // No loss, no duplicate: the ledger holds exactly the valid records, each once.
        let mut stored = server.ledger.clone();
        stored.sort();
        let mut expected = valid.clone();
        expected.sort();
        prop_assert_eq!(stored, expected);
        prop_assert_eq!(server.records.len(), valid.len());

        for (phone, kind, record) in &world.saved {
            let state = &world.phones[*phone].states[&record.id];
            match kind {
                Kind::Valid => {
                    prop_assert_eq!(state, &SyncState::Uploaded);
                    prop_assert_eq!(&server.records[&record.id], record);
                }
                Kind::Invalid => prop_assert!(
                    matches!(state, SyncState::Rejected { reason: Rejection::Invalid { .. } }),
                    "{:?}", state
                ),
                Kind::Foreign => prop_assert_eq!(
                    state,
                    &SyncState::Rejected { reason: Rejection::AuthorMismatch }
                ),
            }
        }

        // Each phone's records reach the server in the order they were saved.
        for phone in 0..phones {
            let saved_order: Vec<RecordId> = world
                .saved
                .iter()
                .filter(|(p, kind, _)| *p == phone && *kind == Kind::Valid)
                .map(|(_, _, r)| r.id)
                .collect();
            let device = world.phones[phone].device;
            let stored_order: Vec<RecordId> = server
                .ledger
                .iter()
                .copied()
                .filter(|id| saved_order.contains(id))
                .collect();
            prop_assert_eq!(stored_order, saved_order, "phone {} ({})", phone, device);
        }
    }
}
