//! A phone of the fault test: the shipping sync engine (`xiafang_core::engine`) and a native
//! shell that carries its commands out over real HTTP through the faulty proxy, with an
//! in-memory outbox for storage and timers compressed `TIME_SCALE` times.

use super::http;
use super::proxy::Proxy;
use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::de::DeserializeOwned;
use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use xiafang_core::engine::{Answer, Command, Engine, Event, Failure, Moment, Start, Timer};
use xiafang_core::protocol::{next_batch, settles};
use xiafang_core::{DeviceId, Record, RecordBody, RecordId, fixtures};
use xiafang_core::{
    feed::{Cursor, PullResponse, Standing},
    session::LoginResponse,
    upload::{Ack, AcksQuery, Op, PushRequest, PushResponse},
    verdict::Outcome,
};

pub const RECORDS_PER_PHONE: usize = 25;
const BATCH_OPS: usize = 10;
/// How long a phone waits for one answer.
const CALL_LIMIT: Duration = Duration::from_secs(5);
/// The engine's waits (retry backoff from 1 s, the minute tick) pass this many times faster.
const TIME_SCALE: u64 = 100;
pub const DEMO_PASSWORD: &str = "xiafang2026";

/// A cadre of the demo data and the files assigned to them (`server/demo/demo.json`).
pub struct Cadre {
    pub username: &'static str,
    pub id: &'static str,
    pub name: &'static str,
    pub files: [&'static str; 3],
}

/// What the phones report while they run, for a clear message if they get stuck.
pub struct Board {
    pub saved: AtomicUsize,
    waiting: Vec<AtomicUsize>,
    last_failure: Mutex<Vec<String>>,
}

impl Board {
    pub fn new(phones: usize) -> Self {
        Board {
            saved: AtomicUsize::new(0),
            waiting: (0..phones).map(|_| AtomicUsize::new(0)).collect(),
            last_failure: Mutex::new(vec![String::new(); phones]),
        }
    }

    pub fn describe(&self) -> String {
        let failures = self.last_failure.lock().expect("board");
        let phones: Vec<String> = self
            .waiting
            .iter()
            .zip(failures.iter())
            .enumerate()
            .map(|(i, (waiting, failure))| {
                format!(
                    "phone {i}: {} in outbox, last failure: {failure}",
                    waiting.load(Ordering::SeqCst)
                )
            })
            .collect();
        format!(
            "{} records saved; {}",
            self.saved.load(Ordering::SeqCst),
            phones.join("; ")
        )
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct PhoneStats {
    pub runs: u32,
    pub pushes: u32,
    /// Uploads that got no usable answer (then the engine asks for acks before sending again).
    pub unanswered: u32,
    pub acks_calls: u32,
    pub pulls: u32,
    pub logins: u32,
    /// 401 answers to a token the server gave out.
    pub signed_out: u32,
    /// Operations sent again although the server had already acknowledged them (its answer
    /// was lost, or is still on its way after the phone stopped waiting).
    pub resent_after_ack: u32,
    /// Of those, the ones acknowledged before the phone's last complete acks call was sent:
    /// that call should have settled them, so this must stay 0.
    pub resent_after_known_ack: u32,
    /// Operations an acks call settled although no answer acknowledging them ever left the
    /// server: applied by a request the server was killed in, or whose connection was cut.
    pub settled_unanswered: u32,
}

impl PhoneStats {
    pub fn add(self, o: &PhoneStats) -> PhoneStats {
        PhoneStats {
            runs: self.runs + o.runs,
            pushes: self.pushes + o.pushes,
            unanswered: self.unanswered + o.unanswered,
            acks_calls: self.acks_calls + o.acks_calls,
            pulls: self.pulls + o.pulls,
            logins: self.logins + o.logins,
            signed_out: self.signed_out + o.signed_out,
            resent_after_ack: self.resent_after_ack + o.resent_after_ack,
            resent_after_known_ack: self.resent_after_known_ack + o.resent_after_known_ack,
            settled_unanswered: self.settled_unanswered + o.settled_unanswered,
        }
    }
}

pub enum Reply<T> {
    Ok(T),
    SignedOut,
    Nothing(String),
}

/// One API call; anything but a readable 200 (or a 401) is no answer.
pub async fn call<T: DeserializeOwned>(
    to: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> Reply<T> {
    match http::send(to, method, path, token, body.as_deref(), CALL_LIMIT).await {
        Err(why) => Reply::Nothing(why),
        Ok(r) if r.status == 401 => Reply::SignedOut,
        Ok(r) if r.status != 200 => Reply::Nothing(format!(
            "HTTP {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        )),
        Ok(r) => serde_json::from_slice(&r.body).map_or_else(
            |e| Reply::Nothing(format!("unreadable answer: {e}")),
            Reply::Ok,
        ),
    }
}

pub fn login_body(cadre: &Cadre) -> Vec<u8> {
    serde_json::json!({"username": cadre.username, "password": DEMO_PASSWORD})
        .to_string()
        .into_bytes()
}

/// The engine and what the phone's storage would hold.
pub struct Phone {
    pub index: usize,
    cadre: &'static Cadre,
    id: DeviceId,
    rng: StdRng,
    engine: Engine,
    token: Option<String>,
    next_seq: u64,
    outbox: Vec<Op>,
    pub saved: Vec<Record>,
    pub outcomes: HashMap<RecordId, Outcome>,
    in_flight: bool,
    cursor: Option<Cursor>,
    /// The last operation the server acknowledged, told to the feed with each pull.
    acked: Option<u64>,
    /// How many records this phone saves before it may stop (`RECORDS_PER_PHONE` by default).
    pub quota: usize,
    /// A run of the phone stops only after a download page was applied (`run_until_pulled`).
    must_pull: bool,
    pulled: bool,
    /// Pages that asked for everything again (`PullResponse::resend`), and the records requeued.
    pub resends: u32,
    pub requeued: usize,
    /// Pages that told the phone to forget its downloaded copy and start over (`reset`).
    pub resets: u32,
    /// How often each record came down the feed: more than once means a download repeated.
    pub downloaded: HashMap<RecordId, u32>,
    /// When the last acks call that ended a settle round was sent.
    asked_acks_at: Option<Instant>,
    timers: Vec<(Instant, Timer)>,
    /// Why the last request got no usable answer, for the board.
    last_failure: String,
    pub stats: PhoneStats,
}

impl Phone {
    pub fn new(index: usize, cadre: &'static Cadre, seed: u64) -> Self {
        let id = DeviceId::new_random();
        Phone {
            index,
            cadre,
            id,
            rng: StdRng::seed_from_u64(seed.wrapping_add(1 + index as u64)),
            engine: Engine::new(id, None).with_batch(BATCH_OPS),
            token: None,
            next_seq: 1,
            outbox: Vec::new(),
            saved: Vec::new(),
            outcomes: HashMap::new(),
            in_flight: false,
            cursor: None,
            acked: None,
            quota: RECORDS_PER_PHONE,
            must_pull: false,
            pulled: false,
            resends: 0,
            requeued: 0,
            resets: 0,
            downloaded: HashMap::new(),
            asked_acks_at: None,
            timers: Vec::new(),
            last_failure: String::new(),
            stats: PhoneStats::default(),
        }
    }

    /// Saves now and then while the engine runs, until everything is saved and the outbox is
    /// empty. Saves land between the engine's steps, as on a phone.
    pub async fn run(mut self, proxy: Arc<Proxy>, board: Arc<Board>) -> Phone {
        let mut events = VecDeque::from([Event::Opened {
            online: true,
            visible: true,
        }]);
        let mut next_save = Instant::now();
        loop {
            let saving = self.saved.len() < self.quota;
            if saving && Instant::now() >= next_save {
                for _ in 0..self.rng.gen_range(1..=2) {
                    if self.saved.len() < self.quota {
                        self.save();
                        board.saved.fetch_add(1, Ordering::SeqCst);
                    }
                }
                events.push_back(Event::Saved);
                next_save = Instant::now() + Duration::from_millis(self.rng.gen_range(30..150));
            }
            if let Some(event) = events.pop_front() {
                let at = Moment {
                    now: Utc::now(),
                    random: self.rng.r#gen(),
                };
                for command in self.engine.handle(event, at) {
                    if let Some(answer) = self.execute(command, &proxy, &board).await {
                        events.push_back(answer);
                    }
                }
                board.waiting[self.index].store(self.outbox.len(), Ordering::SeqCst);
                continue;
            }
            if !saving && self.outbox.is_empty() && (self.pulled || !self.must_pull) {
                return self;
            }
            // Idle: sleep until the next save or timer, whichever comes first.
            let timer = self.timers.iter().map(|(at, _)| *at).min();
            let wake = match (saving, timer) {
                (true, Some(t)) => t.min(next_save),
                (true, None) => next_save,
                (false, Some(t)) => t,
                (false, None) => panic!("phone {}: no timer and nothing to do", self.index),
            };
            tokio::time::sleep_until(wake.into()).await;
            let now = Instant::now();
            let (due, later): (Vec<_>, Vec<_>) =
                self.timers.drain(..).partition(|(at, _)| *at <= now);
            self.timers = later;
            events.extend(due.into_iter().map(|(_, timer)| Event::Timer(timer)));
        }
    }

    /// Runs again (the app opened anew) until `quota` records are saved, the outbox is empty and
    /// one download was applied: what a phone does at its next sync.
    pub async fn run_until_pulled(
        mut self,
        quota: usize,
        proxy: Arc<Proxy>,
        board: Arc<Board>,
    ) -> Phone {
        self.quota = quota;
        self.must_pull = true;
        self.pulled = false;
        self.timers.clear();
        self.engine = Engine::new(self.id, None).with_batch(BATCH_OPS);
        self.run(proxy, board).await
    }

    /// What the phone's `Store::apply_pull` does with `resend`: every record the server
    /// acknowledged goes back into the outbox under a new operation number.
    fn requeue_acknowledged(&mut self) {
        let queued: std::collections::HashSet<RecordId> =
            self.outbox.iter().map(|op| op.record.id).collect();
        let again: Vec<Record> = self
            .saved
            .iter()
            .filter(|r| !queued.contains(&r.id))
            .filter(|r| {
                matches!(
                    self.outcomes.get(&r.id),
                    Some(Outcome::Stored | Outcome::Quarantined)
                )
            })
            .cloned()
            .collect();
        self.requeued += again.len();
        for record in again {
            self.outcomes.remove(&record.id);
            self.outbox.push(Op {
                seq: self.next_seq,
                record,
            });
            self.next_seq += 1;
        }
    }

    /// Records saved while the phone has no connection: they wait in its outbox.
    pub fn save_offline(&mut self, records: usize) {
        for _ in 0..records {
            self.save();
        }
    }

    /// A new record on one of the cadre's files, saved with the next seq.
    fn save(&mut self) {
        let n = self.saved.len();
        let file = self.cadre.files[self.rng.gen_range(0..self.cadre.files.len())];
        let mut record = match n % 3 {
            0 => fixtures::visit(file, self.cadre.id),
            1 => fixtures::assistance(file, self.cadre.id),
            _ => fixtures::note(file, self.cadre.id),
        };
        record.author_name = self.cadre.name.to_owned();
        record.saved_at = Utc::now();
        record.occurred_at += chrono::TimeDelta::minutes(n as i64);
        if let RecordBody::Note(note) = &mut record.body {
            note.text = format!("{}（手机 {} 第 {} 条）", note.text, self.index + 1, n + 1);
        }
        self.outbox.push(Op {
            seq: self.next_seq,
            record: record.clone(),
        });
        self.next_seq += 1;
        self.saved.push(record);
    }

    /// Carries out one command; returns the event that answers it, if it has one.
    async fn execute(&mut self, command: Command, proxy: &Proxy, board: &Board) -> Option<Event> {
        let answer = match command {
            Command::StartRun => {
                self.stats.runs += 1;
                Event::RunStart(match self.sign_in(proxy.addr()).await {
                    Ok(()) => Start::Ready {
                        upload_in_flight: self.in_flight,
                        device_id: self.id,
                    },
                    // Not signed in yet: as a phone with no credentials, the next tick tries again.
                    Err(_) => Start::PhoneLocked,
                })
            }
            Command::ReadOutbox { max } => Event::Outbox(next_batch(&self.outbox, max).to_vec()),
            Command::MarkInFlight => return self.mark(true),
            Command::ClearInFlight => return self.mark(false),
            Command::Push(request) => self.push(proxy, request).await,
            Command::AskAcks(query) => self.ask_acks(proxy, query).await,
            Command::Settle { ops, acks } => {
                self.settle(&ops, &acks);
                Event::Written
            }
            Command::ReadCursor => Event::Cursor(Standing {
                cursor: self.cursor.clone(),
                acked: self.acked,
            }),
            Command::Pull(standing) => self.pull(proxy, standing).await,
            Command::ApplyPull(page) => {
                self.resets += u32::from(page.reset);
                for record in &page.records {
                    *self.downloaded.entry(record.id).or_default() += 1;
                }
                if page.resend {
                    self.resends += 1;
                    self.requeue_acknowledged();
                }
                self.cursor = Some(page.cursor);
                self.pulled = true;
                Event::Written
            }
            Command::ListImages => Event::Images(vec![]),
            Command::CountPending { ticket } => Event::Counted {
                ticket,
                records: self.outbox.len() as u32,
                images: 0,
            },
            Command::Wait { timer, ms } => {
                let at = Instant::now() + Duration::from_millis(ms / TIME_SCALE);
                self.timers.push((at, timer));
                return None;
            }
            Command::EndRun
            | Command::KeepLastUpload(_)
            | Command::Changed(_)
            | Command::RefreshRules
            | Command::RefreshTeam
            | Command::FetchMissingImages => return None,
            other => panic!("these phones have no images and are never revoked: {other:?}"),
        };
        if let Event::Failed(_) = &answer {
            board.last_failure.lock().expect("board")[self.index] = self.last_failure.clone();
        }
        Some(answer)
    }

    fn mark(&mut self, in_flight: bool) -> Option<Event> {
        self.in_flight = in_flight;
        None
    }

    async fn sign_in(&mut self, to: SocketAddr) -> Result<(), String> {
        if self.token.is_some() {
            return Ok(());
        }
        let body = Some(login_body(self.cadre));
        match call::<LoginResponse>(to, "POST", "/api/login", None, body).await {
            Reply::Ok(login) => {
                assert_eq!(login.account.id.0, self.cadre.id, "signed in as another");
                self.stats.logins += 1;
                self.token = Some(login.token);
                Ok(())
            }
            Reply::SignedOut => panic!("the demo password of {} was refused", self.cadre.username),
            Reply::Nothing(why) => Err(format!("login: {why}")),
        }
    }

    fn token(&self) -> &str {
        self.token.as_deref().expect("a run starts signed in")
    }

    fn failed<T>(&mut self, reply: Reply<T>, what: &str) -> Result<T, Failure> {
        match reply {
            Reply::Ok(value) => Ok(value),
            // Refused before anything was applied: nothing to recover.
            Reply::SignedOut => {
                self.token = None;
                self.stats.signed_out += 1;
                self.last_failure = format!("{what}: 401");
                Err(Failure::SignedOut)
            }
            Reply::Nothing(why) => {
                self.last_failure = format!("{what}: {why}");
                Err(Failure::Offline)
            }
        }
    }

    async fn push(&mut self, proxy: &Proxy, request: PushRequest) -> Event {
        for op in &request.ops {
            if let Some(acked) = proxy.acked_at(self.id, op.seq, op.record.id) {
                self.stats.resent_after_ack += 1;
                if self.asked_acks_at.is_some_and(|asked| acked < asked) {
                    self.stats.resent_after_known_ack += 1;
                }
            }
        }
        let body = serde_json::to_vec(&request).expect("serialise a push");
        self.stats.pushes += 1;
        let path = "/api/sync/push";
        let reply =
            call::<PushResponse>(proxy.addr(), "POST", path, Some(self.token()), Some(body));
        match self.failed(reply.await, "push") {
            Ok(response) => {
                assert_eq!(
                    response.acks.len(),
                    request.ops.len(),
                    "one acknowledgement per operation: {response:?}"
                );
                for (op, ack) in request.ops.iter().zip(&response.acks) {
                    assert!(settles(op, ack), "acks out of order: {response:?}");
                }
                Event::Answer(Answer::Pushed(response))
            }
            Err(failure) => {
                self.stats.unanswered += u32::from(failure == Failure::Offline);
                Event::Failed(failure)
            }
        }
    }

    async fn ask_acks(&mut self, proxy: &Proxy, query: AcksQuery) -> Event {
        let asked = Instant::now();
        self.stats.acks_calls += 1;
        let path = format!(
            "/api/sync/acks?device_id={}&after={}",
            query.device_id, query.after
        );
        let reply = call::<PushResponse>(proxy.addr(), "GET", &path, Some(self.token()), None);
        match self.failed(reply.await, "acks") {
            Ok(page) => {
                assert!(
                    page.acks.is_sorted_by_key(|a| a.seq)
                        && page.acks.iter().all(|a| a.seq > query.after),
                    "acks after {} must be above it, oldest first: {page:?}",
                    query.after
                );
                for ack in &page.acks {
                    let waiting = self.outbox.iter().any(|op| settles(op, ack));
                    if waiting && proxy.acked_at(self.id, ack.seq, ack.record_id).is_none() {
                        self.stats.settled_unanswered += 1;
                    }
                }
                if page.acks.len() < xiafang_core::upload::MAX_BATCH_OPS {
                    self.asked_acks_at = Some(asked);
                }
                Event::Answer(Answer::Acks(page))
            }
            Err(failure) => Event::Failed(failure),
        }
    }

    async fn pull(&mut self, proxy: &Proxy, standing: Standing) -> Event {
        self.stats.pulls += 1;
        let mut path = format!("/api/sync/pull?device_id={}", self.id);
        if let Some(cursor) = standing.cursor {
            path.push_str(&format!("&cursor={}", percent_encoded(&cursor.0)));
        }
        if let Some(acked) = standing.acked {
            path.push_str(&format!("&acked={acked}"));
        }
        let reply = call::<PullResponse>(proxy.addr(), "GET", &path, Some(self.token()), None);
        match self.failed(reply.await, "pull") {
            Ok(page) => Event::Answer(Answer::Pulled(page)),
            Err(failure) => Event::Failed(failure),
        }
    }

    /// What the phone's `Store::settle` does: only an ack of exactly that operation ends it.
    fn settle(&mut self, ops: &[Op], acks: &[Ack]) {
        for ack in acks {
            if !ops.iter().any(|op| settles(op, ack)) {
                continue;
            }
            if let Some(at) = self.outbox.iter().position(|op| settles(op, ack)) {
                let op = self.outbox.remove(at);
                self.acked = self.acked.max(Some(op.seq));
                self.outcomes.insert(op.record.id, ack.outcome.clone());
            }
        }
    }
}

fn percent_encoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
