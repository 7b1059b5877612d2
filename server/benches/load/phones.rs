//! The simulated phones of a load pass: each signs its requests, pushes and pulls like the
//! shipping engine (and refreshes what it refreshes after a good run), spread over the
//! instances in turn; the pass's latencies, errors and what it used.

use super::client::Client;
use super::servers::Servers;
use super::{
    AFTER_RUN, AUTHOR, Args, FILES, Result, cost, figure, percentile, phone_files, push, push_body,
    records_of,
};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;
use xiafang_core::DeviceId;
use xiafang_core::feed::PullResponse;

#[derive(Default)]
struct LoadStats {
    push_ms: Vec<f64>,
    pull_ms: Vec<f64>,
    errors: u64,
    records: u64,
    /// Requests answered, the refreshes after each run included.
    requests: u64,
    /// Syncs (push and pull) that completed.
    syncs: u64,
    bytes_out: u64,
    bytes_in: u64,
}

/// One simulated phone: its connections (one per instance), operation numbers and cursor.
struct Phone {
    ports: Vec<u16>,
    token: String,
    /// The files this phone writes to, as `author`.
    files: Vec<String>,
    author: String,
    device: DeviceId,
    salt: usize,
    clients: Vec<Option<Client>>,
    /// Syncs begun, which picks the instances of the next one.
    begun: usize,
    seq: u64,
    cursor: Option<String>,
    /// Records each sync pushes (0: pull only).
    batch: usize,
    stats: LoadStats,
}

impl Phone {
    /// One sync: push a batch (`--batch`, 20 by default), then pull one page. The push's
    /// latency counts from `due` (when the sync should have started), the pull's from when the
    /// push answered (from `due` when there is nothing to push).
    /// With several instances the push and the pull go to different ones, in turn, so no
    /// phone sticks to one.
    async fn sync(&mut self, due: Instant) {
        let n = self.ports.len();
        let push_to = (self.salt + self.begun) % n;
        let pull_to = (push_to + 1) % n;
        self.begun += 1;
        let result = self.push_and_pull(due, push_to, pull_to).await;
        for c in self.clients.iter_mut().flatten() {
            self.stats.bytes_out += std::mem::take(&mut c.bytes_out);
            self.stats.bytes_in += std::mem::take(&mut c.bytes_in);
        }
        match result {
            Ok(()) => self.stats.syncs += 1,
            Err(e) => {
                if self.stats.errors == 0 {
                    eprintln!("device {}: {e}", self.salt);
                }
                self.stats.errors += 1;
                self.clients.iter_mut().for_each(|c| *c = None);
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }

    async fn client(&mut self, i: usize) -> Result<&mut Client> {
        if self.clients[i].is_none() {
            self.clients[i] = Some(Client::connect(self.ports[i]).await?);
        }
        Ok(self.clients[i].as_mut().expect("connected above"))
    }

    async fn push_and_pull(&mut self, due: Instant, push_to: usize, pull_to: usize) -> Result<()> {
        let token = self.token.clone();
        let n = self.batch;
        if n > 0 {
            let batch = records_of(n, self.salt, &self.files, &self.author);
            let body = push_body(self.device, self.seq, batch)?;
            push(self.client(push_to).await?, &token, &body, n).await?;
            self.stats.push_ms.push(due.elapsed().as_secs_f64() * 1e3);
            self.stats.records += n as u64;
            self.seq += n as u64;
            self.stats.requests += 1;
            self.pull(pull_to, &token, Instant::now()).await?;
        } else {
            self.pull(pull_to, &token, due).await?;
        }
        let n = self.ports.len();
        for (i, path) in AFTER_RUN.iter().enumerate() {
            let c = self.client((pull_to + 1 + i) % n).await?;
            let (status, _) = c.request("GET", path, Some(&token), None).await?;
            if status != 200 {
                return Err(format!("{path} answered {status}").into());
            }
            self.stats.requests += 1;
        }
        Ok(())
    }

    /// Pulls one page of the change feed from instance `to` and keeps its cursor.
    async fn pull(&mut self, to: usize, token: &str, since: Instant) -> Result<()> {
        let device = self.device;
        let path = match self.cursor.as_ref() {
            Some(cur) => format!("/api/sync/pull?device_id={device}&cursor={cur}"),
            None => format!("/api/sync/pull?device_id={device}"),
        };
        let c = self.client(to).await?;
        let (status, resp) = c.request("GET", &path, Some(token), None).await?;
        if status != 200 {
            return Err(format!("pull answered {status}").into());
        }
        self.stats.pull_ms.push(since.elapsed().as_secs_f64() * 1e3);
        self.stats.requests += 1;
        let page: PullResponse = serde_json::from_slice(&resp)?;
        self.cursor = Some(page.cursor.0);
        Ok(())
    }
}

/// A load pass's figures so far: what it used, the database's counters when it began and the
/// prefix of its keys.
pub struct LoadPass {
    pub used: cost::Used,
    pub db_before: cost::DbSnapshot,
    pub key: String,
}

/// `devices` phones, each pushing a batch of 20, pulling one page and refreshing what a phone
/// refreshes after a run: back to back (closed loop, `period_ms` 0) or once per period at a
/// random phase (paced).
pub async fn load(
    args: &Args,
    server: &Servers,
    tokens: &[String],
    probe: &cost::Db,
) -> Result<LoadPass> {
    // Two instances on PostgreSQL are keyed `postgres_x2`, beside the one-instance figures.
    let b = match args.instances {
        1 => args.backend.clone(),
        n => format!("{}_x{n}", args.backend),
    };
    let stats = Arc::new(Mutex::new(LoadStats::default()));
    let period = Duration::from_millis(args.period_ms);
    let mut phones = Vec::new();
    for d in 0..args.devices {
        let (files, author) = if args.ingest {
            (
                FILES.iter().map(|f| f.to_string()).collect(),
                AUTHOR.to_owned(),
            )
        } else {
            (phone_files(d), format!("u-phone{d}"))
        };
        let mut phone = Phone {
            ports: server.ports.clone(),
            token: tokens[d % tokens.len()].clone(),
            files,
            author,
            device: DeviceId::new_random(),
            salt: d,
            clients: server.ports.iter().map(|_| None).collect(),
            begun: 0,
            seq: 1,
            cursor: None,
            batch: args.batch,
            stats: LoadStats::default(),
        };
        if args.batch == 0 {
            // An idle phone has its copy already: what it pulls from here on is what changed.
            let token = phone.token.clone();
            phone.pull(0, &token, Instant::now()).await?;
            phone.stats = LoadStats::default();
            for c in phone.clients.iter_mut().flatten() {
                (c.bytes_in, c.bytes_out) = (0, 0);
            }
        }
        phones.push(phone);
    }
    let db_before = probe.snapshot().await?;
    let cpu_before = cost::cpu_s(&server.pids());
    let start = Instant::now();
    let deadline = start + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for mut phone in phones {
        let stats = stats.clone();
        let phase = if period.is_zero() {
            Duration::ZERO
        } else {
            period.mul_f64(rand::random::<f64>())
        };
        tasks.push(tokio::spawn(async move {
            if period.is_zero() {
                while Instant::now() < deadline {
                    phone.sync(Instant::now()).await;
                }
            } else {
                // Open loop: the k-th sync is due at start + phase + k × period whether or not
                // the previous one has finished; a late one counts its lateness.
                let mut due = start + phase;
                while due < deadline {
                    tokio::time::sleep_until(due.into()).await;
                    phone.sync(due).await;
                    due += period;
                }
            }
            let mut all = stats.lock().await;
            all.push_ms.extend(phone.stats.push_ms);
            all.pull_ms.extend(phone.stats.pull_ms);
            all.errors += phone.stats.errors;
            all.records += phone.stats.records;
            all.requests += phone.stats.requests;
            all.syncs += phone.stats.syncs;
            all.bytes_out += phone.stats.bytes_out;
            all.bytes_in += phone.stats.bytes_in;
        }));
    }
    let mut peak_rss = 0;
    let (mut waiting, mut active, mut samples) = (0.0, 0.0, 0u32);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        peak_rss = peak_rss.max(server.rss_kib());
        if let Some((w, a)) = probe.sample_activity().await? {
            (waiting, active, samples) = (waiting + w, active + a, samples + 1);
        }
    }
    for t in tasks {
        t.await?;
    }
    let elapsed = start.elapsed().as_secs_f64();
    let server_cpu_s = cost::cpu_s(&server.pids()) - cpu_before;
    let mut s = stats.lock().await;
    s.push_ms.sort_by(f64::total_cmp);
    s.pull_ms.sort_by(f64::total_cmp);
    let mut all: Vec<f64> = s.push_ms.iter().chain(&s.pull_ms).copied().collect();
    all.sort_by(f64::total_cmp);
    let n = if args.world > args.devices {
        format!("{}of{}", args.devices, args.world)
    } else {
        args.devices.to_string()
    };
    let form = match (period.is_zero(), args.batch) {
        (true, _) => "",
        (false, 0) => "_idle",
        (false, _) => "_paced",
    };
    let key = |name: &str| format!("load_{b}_{n}{form}_{name}");
    if !period.is_zero() {
        figure(&key("period_ms"), args.period_ms as f64, "ms");
        figure(
            &key("offered_records_per_s"),
            (args.devices * args.batch) as f64 / period.as_secs_f64(),
            "rec/s",
        );
    }
    figure(&key("devices_seconds"), elapsed, "s");
    figure(&key("records_per_s"), s.records as f64 / elapsed, "rec/s");
    figure(&key("requests_per_s"), s.requests as f64 / elapsed, "req/s");
    figure(&key("p50_ms"), percentile(&all, 0.5), "ms");
    figure(&key("p99_ms"), percentile(&all, 0.99), "ms");
    if !s.push_ms.is_empty() {
        figure(&key("push_p99_ms"), percentile(&s.push_ms, 0.99), "ms");
    }
    figure(&key("pull_p99_ms"), percentile(&s.pull_ms, 0.99), "ms");
    figure(&key("errors"), s.errors as f64, "count");
    figure(&key("server_peak_rss_mib"), peak_rss as f64 / 1024.0, "MiB");
    // The database's share is added after the server stops (`main`).
    let used = cost::Used {
        syncs: s.syncs,
        records: s.records,
        server_cpu_s,
        bytes_to_server: s.bytes_out,
        bytes_from_server: s.bytes_in,
        db: cost::DbSnapshot::default(),
        activity: (samples > 0)
            .then(|| (waiting / f64::from(samples), active / f64::from(samples))),
    };
    Ok(LoadPass {
        used,
        db_before,
        key: key("").trim_end_matches('_').to_owned(),
    })
}
