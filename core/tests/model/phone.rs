//! A phone: the shipping engine and a shell that carries out its commands against an in-memory
//! outbox, answering storage at once and handing requests to the network.

use super::server::Server;
use chrono::{DateTime, Utc};
use std::collections::{HashMap, VecDeque};
use xiafang_core::engine::{Answer, Command, Engine, Event, Moment, Start, Timer};
use xiafang_core::feed::Standing;
use xiafang_core::protocol::{next_batch, settles};
use xiafang_core::{DeviceId, RecordId, UserId};
use xiafang_core::{
    feed::Cursor,
    upload::{Ack, AcksQuery, Op, PushRequest, SyncState},
};

/// What the app keeps in IndexedDB and localStorage; a reinstall wipes it.
#[derive(Default)]
pub struct Store {
    pub next_seq: u64,
    /// In seq order, as the phone's store keeps it.
    pub outbox: Vec<Op>,
    in_flight: bool,
    cursor: Option<Cursor>,
}

#[derive(Debug, Clone)]
pub enum Call {
    Push(PushRequest),
    Acks(AcksQuery),
    Pull,
}

pub struct Phone {
    pub device: DeviceId,
    pub account: UserId,
    batch: usize,
    pub engine: Engine,
    pub store: Store,
    /// Each record's state as the phone last settled it; kept across reinstalls for the checks.
    pub states: HashMap<RecordId, SyncState>,
    /// The request the engine waits for; an answer to any other comes too late and is dropped.
    pub awaiting: Option<u64>,
    pub timers: Vec<Timer>,
}

/// The network's side of the shell: a request to send, numbered.
pub struct Outgoing {
    pub id: u64,
    pub call: Call,
}

impl Phone {
    pub fn new(device: DeviceId, account: UserId, batch: usize) -> Phone {
        Phone {
            device,
            account,
            batch,
            engine: Engine::new(device, None).with_batch(batch),
            store: Store {
                next_seq: 1,
                ..Store::default()
            },
            states: HashMap::new(),
            awaiting: None,
            timers: vec![],
        }
    }

    /// The app's storage is wiped but its device id survives: numbering starts again at 1.
    pub fn reinstall(&mut self) {
        self.engine = Engine::new(self.device, None).with_batch(self.batch);
        self.store = Store {
            next_seq: 1,
            ..Store::default()
        };
        self.awaiting = None;
        self.timers.clear();
    }

    /// Feeds `event` and carries out every command that follows; storage answers at once.
    /// Returns the requests to send.
    pub fn feed(&mut self, event: Event, now: DateTime<Utc>, next_id: &mut u64) -> Vec<Outgoing> {
        let at = Moment { now, random: 0.5 };
        let mut events = VecDeque::from([event]);
        let mut outgoing = Vec::new();
        while let Some(event) = events.pop_front() {
            for command in self.engine.handle(event, at) {
                let call = match command {
                    Command::Push(request) => Call::Push(request),
                    Command::AskAcks(query) => Call::Acks(query),
                    Command::Pull { .. } => Call::Pull,
                    other => {
                        events.extend(self.store_side(other));
                        continue;
                    }
                };
                *next_id += 1;
                self.awaiting = Some(*next_id);
                outgoing.push(Outgoing { id: *next_id, call });
            }
        }
        outgoing
    }

    fn store_side(&mut self, command: Command) -> Option<Event> {
        let store = &mut self.store;
        match command {
            Command::StartRun => Some(Event::RunStart(Start::Ready {
                upload_in_flight: store.in_flight,
                device_id: self.device,
            })),
            Command::ReadOutbox { max } => {
                Some(Event::Outbox(next_batch(&store.outbox, max).to_vec()))
            }
            Command::MarkInFlight => {
                store.in_flight = true;
                None
            }
            Command::ClearInFlight => {
                store.in_flight = false;
                None
            }
            Command::Settle { ops, acks } => {
                self.settle(&ops, &acks);
                Some(Event::Written)
            }
            Command::ReadCursor => Some(Event::Cursor(Standing {
                cursor: store.cursor.clone(),
                acked: None,
            })),
            Command::ApplyPull(page) => {
                store.cursor = Some(page.cursor);
                Some(Event::Written)
            }
            Command::ListImages => Some(Event::Images(vec![])),
            Command::CountPending { ticket } => Some(Event::Counted {
                ticket,
                records: store.outbox.len() as u32,
                images: 0,
            }),
            Command::Wait { timer, .. } => {
                self.timers.push(timer);
                None
            }
            Command::EndRun
            | Command::KeepLastUpload(_)
            | Command::Changed(_)
            | Command::RefreshRules
            | Command::RefreshTeam
            | Command::FetchMissingImages => None,
            other => panic!("this model has no images and no revoked phone: {other:?}"),
        }
    }

    /// What `Store::settle` does: only an ack of exactly that operation ends its life.
    fn settle(&mut self, ops: &[Op], acks: &[Ack]) {
        for ack in acks {
            let Some(op) = ops.iter().find(|op| settles(op, ack)) else {
                continue;
            };
            match self.store.outbox.iter().position(|o| o == op) {
                Some(at) => {
                    self.store.outbox.remove(at);
                    self.states
                        .insert(op.record.id, SyncState::from(&ack.outcome));
                }
                // Already settled: a second answer must say the same thing.
                None => assert_eq!(
                    self.states.get(&ack.record_id),
                    Some(&SyncState::from(&ack.outcome)),
                    "a late ack contradicts the first: {ack:?}"
                ),
            }
        }
    }

    /// The server's answer to a call from this phone.
    pub fn answer(&self, server: &mut Server, call: &Call, now: DateTime<Utc>) -> Answer {
        match call {
            Call::Push(request) => Answer::Pushed(server.push(&self.account, request)),
            Call::Acks(query) => Answer::Acks(server.acks(query)),
            Call::Pull => Answer::Pulled(server.pull(now)),
        }
    }
}
