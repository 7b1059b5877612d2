//! The server half of `cargo xtask bench`: starts the real release server binary on a fresh
//! demo-seeded database, measures ingest through `POST /api/sync/push` against a plain loop of
//! the same inserts into the same database, then simulated devices pushing and pulling for a
//! fixed time (with `--no-ingest`: in a county of one cadre account and file per device, so each
//! phone pulls what its own account reads). Prints one `FIGURE <key> <value> <unit>` line per
//! figure for xtask to collect.
//!
//! Usage: `load --server-bin PATH --dist DIR --backend sqlite|postgres [--pg-admin URL]
//! [--runs N] [--devices N] [--seconds S] [--period-ms P] [--instances N] [--batch N]`
//!
//! `--world N` gives the county N cadres (10 files each) of which `--devices` sync, to see what
//! a county's size does to the cost of a sync (keys `load_<backend>_<devices>of<N>_…`).
//!
//! `--import-files N` runs only the import of a county's workbook of N files (`load/import.rs`).
//!
//! `--batch 0` makes every sync a pull with nothing to push, as a phone that is open and
//! online pulls every 5 minutes (keys `…_idle_…`); each phone has pulled once before it starts.
//!
//! With `--instances N` (PostgreSQL only) N server processes share the database and each phone
//! sends its requests to them in turn, with no stickiness. Every load pass also says what a
//! sync cost (`load/cost.rs`): server and database CPU, bytes each way, WAL, growth on disk.
//!
//! The load has two forms. Without `--period-ms` (or with 0) it is a closed loop: every device
//! pushes again as soon as it has its answers, which measures throughput at saturation (and
//! latency there is only queue length). With `--period-ms P` it is open-loop and paced: every
//! device syncs once per P ms at a random phase, and latency counts from the time the sync was
//! due, so a server that falls behind cannot hide it (no coordinated omission).

#[path = "../tests/support/phone_key.rs"]
mod phone_key;

#[path = "load/client.rs"]
mod client;
#[path = "load/cost.rs"]
mod cost;
#[path = "load/import.rs"]
mod import;
#[path = "load/phones.rs"]
mod phones;
#[path = "load/servers.rs"]
mod servers;

use client::{Client, sign_in, sign_in_phones};
use phones::{LoadPass, load};
use servers::Servers;

use sqlx::any::AnyPoolOptions;
use sqlx::{Connection, Executor};
use std::time::Instant;
use xiafang_core::chain::{ChainHash, link};
use xiafang_core::fixtures;
use xiafang_core::upload::{Op, PushRequest, PushResponse};
use xiafang_core::{DeviceId, Record};

/// Files the demo assigns to wangjg, so his pushes are accepted.
const FILES: [&str; 3] = ["file-guo", "file-pan", "file-zhou"];
const AUTHOR: &str = "u-wangjg";
const INGEST_DEVICES: usize = 4;
const INGEST_BATCHES: usize = 10;
const INGEST_BATCH: usize = 50;
const LOAD_BATCH: usize = 20;
/// What the phone's engine asks after each good run (`core::engine`'s `succeeded`, the chain
/// check in `src/sync/chains.rs`), so a simulated sync costs what a phone's does.
const AFTER_RUN: [&str; 4] = [
    "/api/rules",
    "/api/team",
    "/api/screening/places",
    "/api/chain/heads",
];
/// Devices share this many sessions: a password sign-in costs an argon2 hash, and the push
/// endpoint does not tie a session to one device.
const SESSIONS: usize = 8;

type Error = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, Error>;

struct Args {
    server_bin: String,
    dist: String,
    backend: String,
    pg_admin: Option<String>,
    runs: usize,
    devices: usize,
    seconds: u64,
    /// 0: closed loop; otherwise each device syncs once per this many milliseconds.
    period_ms: u64,
    ingest: bool,
    /// Server processes sharing the database (more than one: PostgreSQL only).
    instances: usize,
    /// Records a sync pushes (0: it only pulls).
    batch: usize,
    /// Cadres in the county (at least `devices`), each with their own files.
    world: usize,
    /// Only the import pass (`load/import.rs`): a county's workbook of this many files.
    import_files: usize,
}

fn args() -> Result<Args> {
    let mut a = Args {
        server_bin: String::new(),
        dist: String::new(),
        backend: "sqlite".into(),
        pg_admin: None,
        runs: 5,
        devices: 100,
        seconds: 60,
        period_ms: 0,
        ingest: true,
        instances: 1,
        batch: LOAD_BATCH,
        world: 0,
        import_files: 0,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--server-bin" => a.server_bin = value()?,
            "--dist" => a.dist = value()?,
            "--backend" => a.backend = value()?,
            "--pg-admin" => a.pg_admin = Some(value()?),
            "--runs" => a.runs = value()?.parse()?,
            "--devices" => a.devices = value()?.parse()?,
            "--seconds" => a.seconds = value()?.parse()?,
            "--period-ms" => a.period_ms = value()?.parse()?,
            "--instances" => a.instances = value()?.parse::<usize>()?.max(1),
            "--batch" => a.batch = value()?.parse()?,
            "--world" => a.world = value()?.parse()?,
            "--import-files" => a.import_files = value()?.parse()?,
            // `cargo bench` passes `--bench` to every bench binary.
            "--no-ingest" => a.ingest = false,
            "--bench" => {}
            other => return Err(format!("unknown flag {other}").into()),
        }
    }
    if a.server_bin.is_empty() {
        return Err("--server-bin is required".into());
    }
    if a.instances > 1 && a.backend != "postgres" {
        return Err(
            "--instances above 1 needs --backend postgres (SQLite is one process's file)".into(),
        );
    }
    Ok(a)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = args()?;
    let tmp = std::env::temp_dir().join(format!("xiafang-bench-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let db_url = match (args.backend.as_str(), &args.pg_admin) {
        ("sqlite", _) => format!("sqlite://{}?mode=rwc", tmp.join("xiafang.db").display()),
        ("postgres", Some(admin)) => fresh_pg_database(admin).await?,
        _ => return Err("--backend postgres needs --pg-admin".into()),
    };
    if args.import_files > 0 {
        let result = import::import_pass(
            &args.server_bin,
            &args.backend,
            &tmp,
            &db_url,
            args.import_files,
        )
        .await;
        let _ = std::fs::remove_dir_all(&tmp);
        drop_pg_database(&args, &db_url).await;
        return result;
    }
    // A load-only run gets a county of one account per phone (`own_world`); the ingest run
    // keeps the demo, whose files its plain loop writes to.
    let world = if args.ingest {
        None
    } else {
        let path = tmp.join("world.json");
        let world = own_world(args.devices, args.world.max(args.devices))?;
        std::fs::write(&path, serde_json::to_vec(&world)?)?;
        Some(path)
    };
    let server = Servers::start(
        &args.server_bin,
        &args.dist,
        args.instances,
        &tmp,
        &db_url,
        world.as_deref(),
    )
    .await?;
    let probe = cost::Db::open(&db_url).await?;
    let result = measure(&args, &server, &db_url, &probe).await;
    server.stop().await;
    // The database's share is read once the server's connections are closed (their statistics
    // are flushed as they exit).
    let result = match result {
        Ok(Some(mut pass)) => {
            async {
                probe.settle().await?;
                pass.used.db = probe.snapshot().await?.since(&pass.db_before);
                pass.used
                    .figures(probe.is_postgres(), &|name| format!("{}_{name}", pass.key));
                Ok(())
            }
            .await
        }
        Ok(None) => Ok(()),
        Err(e) => Err(e),
    };
    probe.close().await;
    if result.is_ok() && args.ingest {
        verify_time(&args, &tmp, &db_url).await?;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    drop_pg_database(&args, &db_url).await;
    result
}

/// The pass's PostgreSQL database is dropped when it is done: a full bench makes a dozen, each
/// up to hundreds of MB.
async fn drop_pg_database(args: &Args, db_url: &str) {
    let (Some(admin), Some((_, name))) = (&args.pg_admin, db_url.rsplit_once('/')) else {
        return;
    };
    if args.backend != "postgres" {
        return;
    }
    if let Ok(mut conn) = sqlx::AnyConnection::connect(admin).await {
        let _ = conn
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await;
    }
}

/// Runs ingest and the load; a load pass comes back with what it used so far, for `main` to
/// add the database's share after stopping the server.
async fn measure(
    args: &Args,
    server: &Servers,
    db_url: &str,
    probe: &cost::Db,
) -> Result<Option<LoadPass>> {
    let b = &args.backend;
    let tokens = if args.ingest {
        sign_in(server.port(), SESSIONS).await?
    } else {
        sign_in_phones(server.port(), args.devices).await?
    };

    if args.ingest {
        let mut http = Vec::new();
        let mut plain = Vec::new();
        let mut one_by_one = Vec::new();
        for run in 0..args.runs {
            http.push(ingest_http(server.port(), &tokens, run).await?);
            plain.push(ingest_plain(db_url, INGEST_BATCH).await?);
            one_by_one.push(ingest_plain(db_url, 1).await?);
        }
        let (http, plain) = (median(&mut http), median(&mut plain));
        let one_by_one = median(&mut one_by_one);
        figure(&format!("ingest_{b}_http_records_per_s"), http, "rec/s");
        // Like with like: the plain loop commits batches of a push's size.
        figure(&format!("ingest_{b}_plain_records_per_s"), plain, "rec/s");
        figure(&format!("ingest_{b}_ratio"), http / plain, "ratio");
        // What the chain link adds to storing a record: the canonical form and one SHA-256.
        if b == "sqlite" {
            figure("chain_link_us_per_record", link_cost_us(), "µs");
        }
        // For reference, a loop committing each record on its own (the old, flattering base).
        figure(
            &format!("ingest_{b}_plain_each_records_per_s"),
            one_by_one,
            "rec/s",
        );
    }

    let pass = if args.seconds > 0 {
        Some(load(args, server, &tokens, probe).await?)
    } else {
        None
    };
    if args.ingest {
        pin_guess_native();
    }
    Ok(pass)
}

/// What one offline guess at a phone's PIN costs natively on this machine: the phone's
/// argon2id at its own parameters (the HMAC pepper after it is negligible). The attacker's
/// cost per PIN; 10⁶ of them is the whole space.
fn pin_guess_native() {
    use xiafang_core::pin::{ARGON2_M_KIB, ARGON2_P, ARGON2_T};
    let params = argon2::Params::new(ARGON2_M_KIB, ARGON2_T, ARGON2_P, Some(32)).expect("params");
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = [0u8; 32];
    let runs = 10;
    let start = Instant::now();
    for guess in 0..runs {
        argon
            .hash_password_into(
                format!("{guess:06}").as_bytes(),
                b"sixteen byte salt",
                &mut out,
            )
            .expect("argon2");
    }
    let each_ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
    figure("pin_guess_native_ms", each_ms, "ms");
    figure(
        "pin_space_native_core_hours",
        each_ms * 1e6 / 3_600_000.0,
        "h",
    );
}

fn figure(key: &str, value: f64, unit: &str) {
    println!("FIGURE {key} {value:.3} {unit}");
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn fresh_pg_database(admin: &str) -> Result<String> {
    sqlx::any::install_default_drivers();
    let name = format!("xiafang_bench_{}", std::process::id());
    let mut conn = sqlx::AnyConnection::connect(admin).await?;
    conn.execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
    Ok(format!("{base}/{name}"))
}

fn records(n: usize, salt: usize) -> Vec<Record> {
    let files: Vec<String> = FILES.iter().map(|f| f.to_string()).collect();
    records_of(n, salt, &files, AUTHOR)
}

/// `n` valid records by `author` on `files` in turn: visits, assistance and notes.
fn records_of(n: usize, salt: usize, files: &[String], author: &str) -> Vec<Record> {
    (0..n)
        .map(|i| {
            let file = &files[i % files.len()];
            match (i + salt) % 3 {
                0 => fixtures::visit(file, author),
                1 => fixtures::assistance(file, author),
                _ => fixtures::note(file, author),
            }
        })
        .collect()
}

/// Files each simulated cadre is assigned: a county's 20,000 files over 2,000 cadres.
const FILES_PER_PHONE: usize = 10;

/// The phone's files in `own_world`.
fn phone_files(d: usize) -> Vec<String> {
    (0..FILES_PER_PHONE)
        .map(|f| format!("file-phone{d}-{f}"))
        .collect()
}

/// The load phase's county: one cadre account per simulated phone, each with its own files, so
/// a phone's pull carries what its own account may read (as in a real county, where a cadre
/// sees the changes to their own files), not every other phone's uploads. The county's other
/// `cadres - devices` cadres are there by their files only, all assigned to one more account:
/// every account costs an argon2 hash when the world is loaded, ≈ 0.1 s each.
fn own_world(devices: usize, cadres: usize) -> Result<serde_json::Value> {
    let demo: serde_json::Value = serde_json::from_str(include_str!("../demo/demo.json"))?;
    let villages: Vec<String> = demo["places"]
        .as_array()
        .ok_or("demo places")?
        .iter()
        .filter(|p| p["kind"] == "village")
        .filter_map(|p| p["id"].as_str().map(str::to_owned))
        .collect();
    let template = demo["files"][0]["file"].clone();
    let mut accounts = Vec::new();
    let mut files = Vec::new();
    for d in 0..cadres {
        // The silent cadres' files belong to `u-phone{devices}`, which never syncs.
        let owner = d.min(devices);
        if d == owner {
            accounts.push(serde_json::json!({
                "id": format!("u-phone{d}"),
                "username": format!("phone{d}"),
                "display_name": format!("干部{d}"),
                "role": "cadre",
                "place": "county-ruian",
                "password": "xiafang2026",
            }));
        }
        for (f, id) in phone_files(d).into_iter().enumerate() {
            let mut file = template.clone();
            file["id"] = id.into();
            file["name"] = format!("信访人{d}-{f}").into();
            files.push(serde_json::json!({
                "village_id": villages[(d + f) % villages.len()],
                "assigned": [format!("u-phone{owner}")],
                "file": file,
            }));
        }
    }
    Ok(serde_json::json!({
        "places": demo["places"],
        "accounts": accounts,
        "files": files,
        "records": [],
    }))
}

fn push_body(device: DeviceId, first_seq: u64, records: Vec<Record>) -> Result<Vec<u8>> {
    let ops = records
        .into_iter()
        .enumerate()
        .map(|(i, record)| Op {
            seq: first_seq + i as u64,
            record,
        })
        .collect();
    Ok(serde_json::to_vec(&PushRequest {
        device_id: device,
        ops,
        device_time: chrono::Utc::now(),
    })?)
}

/// Pushes one batch and checks every record was stored.
async fn push(c: &mut Client, token: &str, body: &[u8], expect: usize) -> Result<()> {
    let (status, resp) = c
        .request("POST", "/api/sync/push", Some(token), Some(body))
        .await?;
    if status != 200 {
        return Err(format!("push answered {status}: {}", String::from_utf8_lossy(&resp)).into());
    }
    let resp: PushResponse = serde_json::from_slice(&resp)?;
    let stored = resp
        .acks
        .iter()
        .filter(|a| matches!(a.outcome, xiafang_core::verdict::Outcome::Stored))
        .count();
    if stored != expect {
        return Err(format!("push stored {stored} of {expect}: {:?}", resp.acks.first()).into());
    }
    Ok(())
}

/// Records per second through the push endpoint, `INGEST_DEVICES` devices at once.
async fn ingest_http(port: u16, tokens: &[String], run: usize) -> Result<f64> {
    let mut bodies = Vec::new();
    for d in 0..INGEST_DEVICES {
        let device = DeviceId::new_random();
        let mut batches = Vec::new();
        for b in 0..INGEST_BATCHES {
            let seq = (b * INGEST_BATCH + 1) as u64;
            batches.push(push_body(device, seq, records(INGEST_BATCH, run + d + b))?);
        }
        bodies.push(batches);
    }
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (d, batches) in bodies.into_iter().enumerate() {
        let token = tokens[d % tokens.len()].clone();
        tasks.push(tokio::spawn(async move {
            let mut c = Client::connect(port).await?;
            for body in batches {
                push(&mut c, &token, &body, INGEST_BATCH).await?;
            }
            Ok::<_, Error>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let n = (INGEST_DEVICES * INGEST_BATCHES * INGEST_BATCH) as f64;
    Ok(n / started.elapsed().as_secs_f64())
}

/// Records per second of a plain loop of the same inserts (the record row at the next feed
/// position, like the server) into the same database, committing `batch` records per
/// How long `xiafang-server verify` (every chain and signed statement, issue 19) takes over the
/// database the ingest runs filled, and over how many records.
async fn verify_time(args: &Args, data_dir: &std::path::Path, db_url: &str) -> Result<()> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .connect(db_url)
        .await?;
    let records: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM records")
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    let started = Instant::now();
    let out = tokio::process::Command::new(&args.server_bin)
        .arg("verify")
        .arg("--data-dir")
        .arg(data_dir)
        .env("XIAFANG_DATABASE_URL", db_url)
        .output()
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    if !out.status.success() {
        return Err(format!("verify failed: {}", String::from_utf8_lossy(&out.stdout)).into());
    }
    let b = &args.backend;
    figure(&format!("verify_{b}_records"), records as f64, "records");
    figure(&format!("verify_{b}_s"), seconds, "s");
    Ok(())
}

/// Microseconds to make one record's chain link (canonical form and SHA-256), over 20,000
/// records of the bench's mix.
fn link_cost_us() -> f64 {
    let recs = records(20_000, 0);
    let started = Instant::now();
    let mut prev = ChainHash::GENESIS;
    for r in &recs {
        prev = link(&prev, r);
    }
    std::hint::black_box(prev);
    started.elapsed().as_secs_f64() * 1e6 / recs.len() as f64
}

/// transaction: `INGEST_BATCH` compares like with like (a push commits its batch at once), 1 is
/// what a naive loop does.
async fn ingest_plain(db_url: &str, batch: usize) -> Result<f64> {
    sqlx::any::install_default_drivers();
    let sqlite = db_url.starts_with("sqlite:");
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    // The server's own settings (server/src/db/mod.rs).
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                         PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect(db_url)
        .await?;
    let n = INGEST_DEVICES * INGEST_BATCHES * INGEST_BATCH;
    let recs = records(n, 0);
    let device = DeviceId::new_random().to_string();
    let started = Instant::now();
    for chunk in recs.chunks(batch) {
        let mut tx = pool.begin().await?;
        for record in chunk {
            let position: i64 =
                sqlx::query_scalar("UPDATE feed_head SET seq = seq + 1 WHERE id = 1 RETURNING seq")
                    .fetch_one(&mut *tx)
                    .await?;
            // Like the server: the file's last link, and this record's link on it (issue 19).
            let prev: Option<String> = sqlx::query_scalar(
                "SELECT chain_hash FROM records WHERE file_id = $1 ORDER BY feed_seq DESC LIMIT 1",
            )
            .bind(&record.file_id.0)
            .fetch_optional(&mut *tx)
            .await?;
            let prev = prev
                .and_then(|h| ChainHash::from_hex(&h))
                .unwrap_or(ChainHash::GENESIS);
            sqlx::query(
                "INSERT INTO records (id, file_id, author_id, kind, occurred_at, body, device_id, \
                 received_at, feed_seq, chain_hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(record.id.to_string())
            .bind(&record.file_id.0)
            .bind(&record.author.0)
            .bind(record.body.kind_key())
            .bind(record.occurred_at.format("%Y-%m-%dT%H:%M:%S").to_string())
            .bind(serde_json::to_string(record)?)
            .bind(&device)
            .bind(chrono::Utc::now().to_rfc3339())
            .bind(position)
            .bind(link(&prev, record).to_hex())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
    }
    let rate = n as f64 / started.elapsed().as_secs_f64();
    pool.close().await;
    Ok(rate)
}
