//! Phones upload through a network that drops, duplicates, delays and cuts requests, to the real
//! server binary, which is killed with SIGKILL in the middle of uploads and started again.
//! Afterwards the server holds exactly the records the phones saved: none lost, none twice, each
//! as it was saved.

mod common;
mod support;

use chrono::Utc;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::de::DeserializeOwned;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::http;
use support::process::ServerProcess;
use support::proxy::Proxy;
use tokio::task::{JoinError, JoinSet};
use xiafang_core::protocol::{next_batch, settles};
use xiafang_core::{DeviceId, Record, RecordBody, RecordId, fixtures};
use xiafang_core::{
    session::LoginResponse,
    upload::{Ack, MAX_BATCH_OPS, Op, PushRequest, PushResponse},
    verdict::Outcome,
};

const RECORDS_PER_PHONE: usize = 25;
const PHONES_PER_CADRE: usize = 2;
const BATCH_OPS: usize = 10;
const KILLS: u32 = 3;
/// Once the network is good again and the server stays up, every outbox must empty this fast.
const DRAIN_LIMIT: Duration = Duration::from_secs(60);
/// A bound on the phase with faults, in case something hangs instead of failing.
const FAULT_PHASE_LIMIT: Duration = Duration::from_secs(120);
/// How long a phone waits for one answer.
const CALL_LIMIT: Duration = Duration::from_secs(5);
const DEMO_PASSWORD: &str = "xiafang2026";

/// A cadre of the demo data and the files assigned to them (`server/demo/demo.json`).
struct Cadre {
    username: &'static str,
    id: &'static str,
    name: &'static str,
    files: [&'static str; 3],
}

const CADRES: [Cadre; 2] = [
    Cadre {
        username: "wangjg",
        id: "u-wangjg",
        name: "王建国",
        files: ["file-guo", "file-pan", "file-zhou"],
    },
    Cadre {
        username: "lixm",
        id: "u-lixm",
        name: "李晓梅",
        files: ["file-huang", "file-yang", "file-lei"],
    },
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn saved_records_reach_the_server_exactly_once_through_network_faults_and_crashes() {
    let seed = match std::env::var("XIAFANG_FAULT_SEED") {
        Ok(s) => s
            .parse()
            .unwrap_or_else(|e| panic!("XIAFANG_FAULT_SEED={s}: {e}")),
        Err(_) => rand::random(),
    };
    println!(
        "fault seed {seed} (XIAFANG_FAULT_SEED={seed} repeats the random choices; timing still varies)"
    );
    for db in common::fresh_databases().await {
        // SQLite: the server's own file in its data directory. PostgreSQL: the fresh database.
        let url = (db.backend == "postgres").then_some(db.url.as_str());
        run(seed, db.backend, url).await;
    }
}

async fn run(seed: u64, backend: &str, database_url: Option<&str>) {
    let started = Instant::now();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let server = ServerProcess::start(data_dir.path(), database_url).await;
    let direct = server.addr();
    let demo_records = timelines(direct).await;
    let proxy = Arc::new(Proxy::start(direct, seed).await);
    let server = Arc::new(tokio::sync::Mutex::new(server));

    let phone_count = CADRES.len() * PHONES_PER_CADRE;
    let board = Arc::new(Board::new(phone_count));
    let mut running = JoinSet::new();
    for index in 0..phone_count {
        let phone = Phone::new(index, &CADRES[index / PHONES_PER_CADRE], seed);
        running.spawn(phone.run(Arc::clone(&proxy), Arc::clone(&board)));
    }
    let killer = tokio::spawn(kill_and_restart(
        Arc::clone(&server),
        Arc::clone(&proxy),
        seed,
    ));

    // Faults and kills go on until every phone has saved all its records and the last restart
    // is done; phones that emptied their outbox meanwhile are finished.
    let mut phones = Vec::new();
    while board.saved.load(Ordering::SeqCst) < phone_count * RECORDS_PER_PHONE
        || !killer.is_finished()
    {
        while let Some(done) = running.try_join_next() {
            phones.push(finished(done));
        }
        assert!(
            started.elapsed() < FAULT_PHASE_LIMIT,
            "[{backend}] the phase with faults did not end within {FAULT_PHASE_LIMIT:?}: {}",
            board.describe()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let kills = killer.await.expect("kill-and-restart task");
    proxy.stop_faults();
    let faults_stopped = Instant::now();
    let drained = tokio::time::timeout(DRAIN_LIMIT, async {
        while let Some(done) = running.join_next().await {
            phones.push(finished(done));
        }
    })
    .await;
    assert!(
        drained.is_ok(),
        "[{backend}] outboxes not empty {DRAIN_LIMIT:?} after the faults stopped: {}",
        board.describe()
    );
    let drain_time = faults_stopped.elapsed();
    phones.sort_by_key(|p| p.index);

    let stored = timelines(direct).await;
    check_server_holds_exactly_what_phones_saved(&demo_records, &stored, &phones);

    let total = phones
        .iter()
        .fold(PhoneStats::default(), |sum, p| sum.add(&p.stats));
    let counts = proxy.counts();
    let requests: u64 = counts.iter().map(|(_, n)| n).sum();
    let per_fault: Vec<String> = counts
        .iter()
        .map(|(fault, n)| format!("{}={n}", fault.name()))
        .collect();
    println!(
        "faults[{backend}] seed={seed} requests={requests} ({}) kills={} ({} mid-upload) \
         pushes={} unanswered={} acks_calls={} logins={} signed_out={} \
         resent_after_ack={} (after an acks call that knew: {}) \
         settled_by_acks_without_answer={} records={} \
         drained {:.1}s after faults stopped, took {:.1}s",
        per_fault.join(" "),
        kills.total,
        kills.mid_upload,
        total.pushes,
        total.unanswered,
        total.acks_calls,
        total.logins,
        total.signed_out,
        total.resent_after_ack,
        total.resent_after_known_ack,
        total.settled_unanswered,
        phones.iter().map(|p| p.saved.len()).sum::<usize>(),
        drain_time.as_secs_f64(),
        started.elapsed().as_secs_f64(),
    );
    assert_eq!(
        total.resent_after_known_ack, 0,
        "[{backend}] phones resent operations the acks call should have settled"
    );
    assert_eq!(
        total.signed_out, 0,
        "[{backend}] phones were signed out: sessions did not survive a server restart"
    );
    server.lock().await.kill().await;
}

/// What the phones report while they run, for a clear message if they get stuck.
struct Board {
    saved: AtomicUsize,
    waiting: Vec<AtomicUsize>,
    last_failure: Mutex<Vec<String>>,
}

impl Board {
    fn new(phones: usize) -> Self {
        Board {
            saved: AtomicUsize::new(0),
            waiting: (0..phones).map(|_| AtomicUsize::new(0)).collect(),
            last_failure: Mutex::new(vec![String::new(); phones]),
        }
    }

    fn describe(&self) -> String {
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

fn finished(done: Result<Phone, JoinError>) -> Phone {
    match done {
        Ok(phone) => phone,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(e) => panic!("phone task: {e}"),
    }
}

#[derive(Debug, Default)]
struct Kills {
    total: u32,
    /// Kills while the proxy was waiting for the server's answer to an upload.
    mid_upload: u32,
}

/// SIGKILLs the server a few times at random moments, preferably while an upload is at the
/// server, and starts it again on the same port and data after a short pause.
async fn kill_and_restart(
    server: Arc<tokio::sync::Mutex<ServerProcess>>,
    proxy: Arc<Proxy>,
    seed: u64,
) -> Kills {
    let mut rng = StdRng::seed_from_u64(seed.rotate_left(17));
    let mut kills = Kills::default();
    for _ in 0..KILLS {
        tokio::time::sleep(Duration::from_millis(rng.gen_range(150..600))).await;
        // Wait for an upload at the server, then kill somewhere inside it: between or within
        // its operations' transactions. If none comes, kill anyway.
        let waiting = Instant::now();
        let mid_upload = loop {
            if proxy.pushes_in_flight() > 0 {
                tokio::time::sleep(Duration::from_millis(rng.gen_range(0..4))).await;
                if proxy.pushes_in_flight() > 0 {
                    break true;
                }
            }
            if waiting.elapsed() > Duration::from_secs(3) {
                break false;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        };
        let mut server = server.lock().await;
        server.kill().await;
        kills.total += 1;
        kills.mid_upload += u32::from(mid_upload);
        tokio::time::sleep(Duration::from_millis(rng.gen_range(50..300))).await;
        server.restart().await;
    }
    kills
}

#[derive(Debug, Default, Clone, Copy)]
struct PhoneStats {
    pushes: u32,
    /// Uploads that got no usable answer (then the phone asks for acks before sending again).
    unanswered: u32,
    acks_calls: u32,
    logins: u32,
    /// 401 answers to a token the server gave out.
    signed_out: u32,
    /// Operations sent again although the server had already acknowledged them (its answer
    /// was lost, or is still on its way after the phone stopped waiting).
    resent_after_ack: u32,
    /// Of those, the ones acknowledged before the phone's last acks call was sent: that call
    /// should have settled them, so this must stay 0.
    resent_after_known_ack: u32,
    /// Operations an acks call settled although no answer acknowledging them ever left the
    /// server: applied by a request the server was killed in, or whose connection was cut.
    settled_unanswered: u32,
}

impl PhoneStats {
    fn add(self, other: &PhoneStats) -> PhoneStats {
        PhoneStats {
            pushes: self.pushes + other.pushes,
            unanswered: self.unanswered + other.unanswered,
            acks_calls: self.acks_calls + other.acks_calls,
            logins: self.logins + other.logins,
            signed_out: self.signed_out + other.signed_out,
            resent_after_ack: self.resent_after_ack + other.resent_after_ack,
            resent_after_known_ack: self.resent_after_known_ack + other.resent_after_known_ack,
            settled_unanswered: self.settled_unanswered + other.settled_unanswered,
        }
    }
}

/// A phone as the upload protocol sees it: records saved into an outbox with increasing seq,
/// uploaded in batches, settled only by an acknowledgement of exactly that operation.
struct Phone {
    index: usize,
    cadre: &'static Cadre,
    id: DeviceId,
    rng: StdRng,
    token: Option<String>,
    next_seq: u64,
    outbox: Vec<Op>,
    saved: Vec<Record>,
    outcomes: HashMap<RecordId, Outcome>,
    /// The last upload got no answer: ask what the server stored before sending again.
    unanswered: bool,
    /// When the last completed acks call was sent.
    asked_acks_at: Option<Instant>,
    stats: PhoneStats,
}

enum Answer<T> {
    Ok(T),
    SignedOut,
    Nothing(String),
}

/// One API call; anything but a readable 200 (or a 401) is no answer.
async fn call<T: DeserializeOwned>(
    to: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> Answer<T> {
    match http::send(to, method, path, token, body.as_deref(), CALL_LIMIT).await {
        Err(why) => Answer::Nothing(why),
        Ok(r) if r.status == 401 => Answer::SignedOut,
        Ok(r) if r.status != 200 => Answer::Nothing(format!(
            "HTTP {}: {}",
            r.status,
            String::from_utf8_lossy(&r.body)
        )),
        Ok(r) => serde_json::from_slice(&r.body).map_or_else(
            |e| Answer::Nothing(format!("unreadable answer: {e}")),
            Answer::Ok,
        ),
    }
}

fn login_body(cadre: &Cadre) -> Vec<u8> {
    serde_json::json!({"username": cadre.username, "password": DEMO_PASSWORD})
        .to_string()
        .into_bytes()
}

impl Phone {
    fn new(index: usize, cadre: &'static Cadre, seed: u64) -> Self {
        Phone {
            index,
            cadre,
            id: DeviceId::new_random(),
            rng: StdRng::seed_from_u64(seed.wrapping_add(1 + index as u64)),
            token: None,
            next_seq: 1,
            outbox: Vec::new(),
            saved: Vec::new(),
            outcomes: HashMap::new(),
            unanswered: false,
            asked_acks_at: None,
            stats: PhoneStats::default(),
        }
    }

    /// Saves and uploads, interleaved, until everything is saved and the outbox is empty.
    async fn run(mut self, proxy: Arc<Proxy>, board: Arc<Board>) -> Phone {
        let mut failures = 0u32;
        while self.saved.len() < RECORDS_PER_PHONE || !self.outbox.is_empty() {
            let saving = self.saved.len() < RECORDS_PER_PHONE
                && (self.outbox.is_empty() || self.rng.gen_bool(0.5));
            let pause_ms = if saving {
                for _ in 0..self.rng.gen_range(1..=2) {
                    if self.saved.len() < RECORDS_PER_PHONE {
                        self.save();
                        board.saved.fetch_add(1, Ordering::SeqCst);
                    }
                }
                self.rng.gen_range(30..150)
            } else {
                match self.upload(&proxy).await {
                    Ok(()) => {
                        failures = 0;
                        self.rng.gen_range(30..150)
                    }
                    Err(why) => {
                        failures += 1;
                        board.last_failure.lock().expect("board")[self.index] = why;
                        (20u64 << failures.min(4)).min(200) + self.rng.gen_range(0..20)
                    }
                }
            };
            board.waiting[self.index].store(self.outbox.len(), Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(pause_ms)).await;
        }
        self
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

    /// One upload attempt: sign in if needed, learn what a lost answer said, send one batch.
    async fn upload(&mut self, proxy: &Proxy) -> Result<(), String> {
        let token = self.sign_in(proxy.addr()).await?;
        if self.unanswered {
            self.ask_acks(proxy, &token).await?;
            self.unanswered = false;
        }
        let ops = next_batch(&self.outbox, BATCH_OPS).to_vec();
        if ops.is_empty() {
            return Ok(());
        }
        for op in &ops {
            if let Some(acked) = proxy.acked_at(self.id, op.seq, op.record.id) {
                self.stats.resent_after_ack += 1;
                if self.asked_acks_at.is_some_and(|asked| acked < asked) {
                    self.stats.resent_after_known_ack += 1;
                }
            }
        }
        let request = PushRequest {
            device_id: self.id,
            ops,
            device_time: Utc::now(),
        };
        let body = serde_json::to_vec(&request).expect("serialise a push");
        self.stats.pushes += 1;
        let answer = call::<PushResponse>(
            proxy.addr(),
            "POST",
            "/api/sync/push",
            Some(&token),
            Some(body),
        )
        .await;
        match answer {
            Answer::Ok(response) => {
                assert_eq!(
                    response.acks.len(),
                    request.ops.len(),
                    "one acknowledgement per operation: {response:?}"
                );
                for (op, ack) in request.ops.iter().zip(&response.acks) {
                    assert!(settles(op, ack), "acks out of order: {response:?}");
                }
                self.settle(&response.acks);
                Ok(())
            }
            // Refused before anything was applied: nothing to recover.
            Answer::SignedOut => self.signed_out(),
            Answer::Nothing(why) => {
                self.unanswered = true;
                self.stats.unanswered += 1;
                Err(format!("push: {why}"))
            }
        }
    }

    async fn sign_in(&mut self, to: SocketAddr) -> Result<String, String> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        match call::<LoginResponse>(to, "POST", "/api/login", None, Some(login_body(self.cadre)))
            .await
        {
            Answer::Ok(login) => {
                assert_eq!(login.account.id.0, self.cadre.id, "signed in as another");
                self.stats.logins += 1;
                self.token = Some(login.token.clone());
                Ok(login.token)
            }
            Answer::SignedOut => panic!("the demo password of {} was refused", self.cadre.username),
            Answer::Nothing(why) => Err(format!("login: {why}")),
        }
    }

    /// Settles what the server already stored from the outbox, so none of it is sent again.
    async fn ask_acks(&mut self, proxy: &Proxy, token: &str) -> Result<(), String> {
        let Some(first) = self.outbox.first() else {
            return Ok(());
        };
        let asked = Instant::now();
        let mut after = first.seq - 1;
        loop {
            self.stats.acks_calls += 1;
            let path = format!("/api/sync/acks?device_id={}&after={after}", self.id);
            match call::<PushResponse>(proxy.addr(), "GET", &path, Some(token), None).await {
                Answer::Ok(page) => {
                    assert!(
                        page.acks.is_sorted_by_key(|a| a.seq)
                            && page.acks.iter().all(|a| a.seq > after),
                        "acks after {after} must be above it, oldest first: {page:?}"
                    );
                    for ack in &page.acks {
                        let waiting = self.outbox.iter().any(|op| settles(op, ack));
                        if waiting && proxy.acked_at(self.id, ack.seq, ack.record_id).is_none() {
                            self.stats.settled_unanswered += 1;
                        }
                    }
                    self.settle(&page.acks);
                    match page.acks.last() {
                        Some(last) if page.acks.len() >= MAX_BATCH_OPS => after = last.seq,
                        _ => break,
                    }
                }
                Answer::SignedOut => return self.signed_out(),
                Answer::Nothing(why) => return Err(format!("acks: {why}")),
            }
        }
        self.asked_acks_at = Some(asked);
        Ok(())
    }

    fn settle(&mut self, acks: &[Ack]) {
        for ack in acks {
            if let Some(at) = self.outbox.iter().position(|op| settles(op, ack)) {
                let op = self.outbox.remove(at);
                self.outcomes.insert(op.record.id, ack.outcome.clone());
            }
        }
    }

    fn signed_out(&mut self) -> Result<(), String> {
        self.token = None;
        self.stats.signed_out += 1;
        Err("signed out (401)".into())
    }
}

fn expect<T>(answer: Answer<T>, what: &str) -> T {
    match answer {
        Answer::Ok(value) => value,
        Answer::SignedOut => panic!("{what}: 401"),
        Answer::Nothing(why) => panic!("{what}: {why}"),
    }
}

/// Every file's timeline as its cadre reads it, straight from the server (not through the proxy).
async fn timelines(server: SocketAddr) -> HashMap<&'static str, Vec<Record>> {
    let mut timelines = HashMap::new();
    for cadre in &CADRES {
        let login: LoginResponse = expect(
            call(server, "POST", "/api/login", None, Some(login_body(cadre))).await,
            &format!("sign in as {}", cadre.username),
        );
        for file in cadre.files {
            let path = format!("/api/files/{file}/records");
            let records = expect(
                call(server, "GET", &path, Some(&login.token), None).await,
                &format!("read {file}"),
            );
            timelines.insert(file, records);
        }
    }
    timelines
}

/// Each file holds its demo records plus exactly the phones' records for it: none missing, none
/// unexpected, none twice, each equal to what was saved.
fn check_server_holds_exactly_what_phones_saved(
    before: &HashMap<&'static str, Vec<Record>>,
    after: &HashMap<&'static str, Vec<Record>>,
    phones: &[Phone],
) {
    for phone in phones {
        assert_eq!(phone.saved.len(), RECORDS_PER_PHONE);
        for record in &phone.saved {
            assert_eq!(
                phone.outcomes.get(&record.id),
                Some(&Outcome::Stored),
                "phone {}: record {} was not acknowledged as stored",
                phone.index,
                record.id
            );
        }
    }
    for (file, stored) in after {
        let mut expected: HashMap<RecordId, &Record> =
            before[file].iter().map(|r| (r.id, r)).collect();
        for record in phones.iter().flat_map(|p| &p.saved) {
            if record.file_id.0 == *file {
                assert!(
                    expected.insert(record.id, record).is_none(),
                    "test bug: id {} saved twice",
                    record.id
                );
            }
        }
        let mut seen = HashSet::new();
        for record in stored {
            assert!(seen.insert(record.id), "{file}: {} stored twice", record.id);
        }
        let lost: Vec<&RecordId> = expected.keys().filter(|id| !seen.contains(*id)).collect();
        let unexpected: Vec<&RecordId> = seen
            .iter()
            .filter(|id| !expected.contains_key(*id))
            .collect();
        assert!(
            lost.is_empty() && unexpected.is_empty(),
            "{file}: lost {lost:?}, unexpected {unexpected:?}"
        );
        for record in stored {
            assert_eq!(
                record, expected[&record.id],
                "{file}: record {} changed on the way",
                record.id
            );
        }
    }
    for phone in phones {
        for record in &phone.saved {
            let timeline = &after[record.file_id.0.as_str()];
            assert!(
                timeline.iter().any(|r| r.id == record.id),
                "phone {}: record {} missing from the timeline of {}",
                phone.index,
                record.id,
                record.file_id
            );
        }
    }
}
