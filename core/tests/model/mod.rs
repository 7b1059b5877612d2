//! The world of `protocol_model.rs`: phones running the shipping engine, a server of maps and a
//! network that loses, duplicates and reorders what passes through it.

mod phone;
mod server;

use chrono::{DateTime, TimeDelta, Utc};
use phone::{Call, Outgoing, Phone};
use proptest::prelude::*;
use proptest::sample::Index;
use server::Server;
use uuid::Uuid;
use xiafang_core::engine::{Answer, Event, Failure};
use xiafang_core::upload::{Op, SyncState};
use xiafang_core::{DeviceId, Record, RecordId, UserId, fixtures};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Valid,
    /// Fails validation (no recorder name).
    Invalid,
    /// Names another account as its author.
    Foreign,
}

#[derive(Debug, Clone)]
pub enum Action {
    Save(Index, Kind),
    /// 立即上传.
    UploadNow(Index),
    /// A timer the engine set fires (a retry, the minute tick).
    Fire(Index, Index),
    /// The app comes back on screen.
    Foreground(Index),
    /// Delivers any request still in flight: old copies arrive late and out of order.
    Deliver(Index),
    Respond(Index),
    /// The phone stops waiting for an answer; its request may still arrive later.
    TimeOut(Index),
    DropRequest(Index),
    /// The server applied the request, but its answer never reaches the phone.
    LoseResponse(Index),
    Duplicate(Index),
    /// The app's storage is wiped but its device id survives, so seq numbers start again at 1.
    /// Only happens with an empty outbox (otherwise records would be lost by design).
    Reinstall(Index),
}

pub fn action() -> impl Strategy<Value = Action> {
    let kind =
        prop_oneof![6 => Just(Kind::Valid), 1 => Just(Kind::Invalid), 1 => Just(Kind::Foreign)];
    let i = any::<Index>;
    prop_oneof![
        4 => (i(), kind).prop_map(|(d, k)| Action::Save(d, k)),
        2 => i().prop_map(Action::UploadNow),
        2 => (i(), i()).prop_map(|(d, t)| Action::Fire(d, t)),
        1 => i().prop_map(Action::Foreground),
        5 => i().prop_map(Action::Deliver),
        4 => i().prop_map(Action::Respond),
        2 => i().prop_map(Action::TimeOut),
        1 => i().prop_map(Action::DropRequest),
        1 => i().prop_map(Action::LoseResponse),
        2 => i().prop_map(Action::Duplicate),
        1 => i().prop_map(Action::Reinstall),
    ]
}

#[derive(Clone)]
struct Request {
    phone: usize,
    id: u64,
    call: Call,
}

pub struct World {
    pub phones: Vec<Phone>,
    pub server: Server,
    requests: Vec<Request>,
    responses: Vec<(usize, u64, Answer)>,
    /// Every record saved, with the phone and kind: the sequential model.
    pub saved: Vec<(usize, Kind, Record)>,
    next_id: u64,
    now: DateTime<Utc>,
}

/// What healing took.
pub struct Healed {
    /// Pushes of the phone that pushed most once the network was good.
    pub most_pushes: usize,
    /// Operations pushed again once the network was good although the server had acknowledged
    /// them: the acks call after an unanswered push should have settled them.
    pub resent_after_ack: usize,
}

impl World {
    pub fn new(phones: usize, batch: usize) -> Self {
        let mut world = World {
            phones: (0..phones)
                .map(|n| {
                    let device = DeviceId(Uuid::from_u128(n as u128 + 1));
                    Phone::new(device, UserId(format!("u{n}")), batch)
                })
                .collect(),
            server: Server::default(),
            requests: vec![],
            responses: vec![],
            saved: vec![],
            next_id: 0,
            now: DateTime::from_timestamp(1_800_000_000, 0).expect("a valid time"),
        };
        for phone in 0..phones {
            world.open(phone);
        }
        world
    }

    fn open(&mut self, phone: usize) {
        let opened = Event::Opened {
            online: true,
            visible: true,
        };
        self.feed(phone, opened);
    }

    fn feed(&mut self, phone: usize, event: Event) {
        let sent = self.phones[phone].feed(event, self.now, &mut self.next_id);
        self.requests
            .extend(
                sent.into_iter()
                    .map(|Outgoing { id, call }| Request { phone, id, call }),
            );
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
        p.store.outbox.push(Op {
            seq: p.store.next_seq,
            record: record.clone(),
        });
        p.store.next_seq += 1;
        p.states.insert(record.id, SyncState::Pending);
        self.saved.push((phone, kind, record));
        self.feed(phone, Event::Saved);
    }

    fn deliver(&mut self, request: &Request) {
        let answer = self.phones[request.phone].answer(&mut self.server, &request.call, self.now);
        self.responses.push((request.phone, request.id, answer));
    }

    fn respond(&mut self, phone: usize, id: u64, answer: Answer) {
        if self.phones[phone].awaiting == Some(id) {
            self.phones[phone].awaiting = None;
            self.feed(phone, Event::Answer(answer));
        }
    }

    fn time_out(&mut self, phone: usize) {
        if self.phones[phone].awaiting.take().is_some() {
            self.feed(phone, Event::Failed(Failure::Offline));
        }
    }

    pub fn step(&mut self, action: Action) {
        self.now += TimeDelta::seconds(1);
        let n = self.phones.len();
        let (reqs, resps) = (self.requests.len(), self.responses.len());
        match action {
            Action::Save(d, kind) => self.save(d.index(n), kind),
            Action::UploadNow(d) => self.feed(d.index(n), Event::UploadNow),
            Action::Fire(d, t) => {
                let phone = d.index(n);
                let timers = &mut self.phones[phone].timers;
                if !timers.is_empty() {
                    let timer = timers.remove(t.index(timers.len()));
                    self.feed(phone, Event::Timer(timer));
                }
            }
            Action::Foreground(d) => self.feed(d.index(n), Event::Foreground),
            Action::Deliver(i) if reqs > 0 => {
                let request = self.requests.remove(i.index(reqs));
                self.deliver(&request);
            }
            Action::Respond(i) if resps > 0 => {
                let (phone, id, answer) = self.responses.remove(i.index(resps));
                self.respond(phone, id, answer);
            }
            Action::TimeOut(d) => self.time_out(d.index(n)),
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
                let phone = d.index(n);
                if self.phones[phone].store.outbox.is_empty() {
                    self.phones[phone].reinstall();
                    self.open(phone);
                }
            }
            _ => {}
        }
    }

    /// The network heals: whatever is still in flight arrives (what those answers make the
    /// phones send is the last the faulty network loses), phones stop waiting for answers that
    /// were lost, then every request is answered at once and each phone uploads.
    pub fn heal(&mut self) -> Healed {
        for request in std::mem::take(&mut self.requests) {
            self.deliver(&request);
        }
        for (phone, id, answer) in std::mem::take(&mut self.responses) {
            self.respond(phone, id, answer);
        }
        self.requests.clear();
        for phone in 0..self.phones.len() {
            self.time_out(phone);
        }
        let mut healed = Healed {
            most_pushes: 0,
            resent_after_ack: 0,
        };
        for phone in 0..self.phones.len() {
            self.now += TimeDelta::minutes(10);
            let mut pushes = 0;
            self.feed(phone, Event::UploadNow);
            // A good network: each request is answered as soon as it is made.
            while let Some(request) = self.requests.pop() {
                if let Call::Push(push) = &request.call {
                    pushes += 1;
                    healed.resent_after_ack += push
                        .ops
                        .iter()
                        .filter(|op| self.server.acknowledged(push.device_id, op))
                        .count();
                }
                self.deliver(&request);
                let (phone, id, answer) = self.responses.pop().expect("an answer");
                self.respond(phone, id, answer);
            }
            healed.most_pushes = healed.most_pushes.max(pushes);
        }
        healed
    }
}
