//! A TCP proxy in front of the server that mistreats requests the way a village's mobile network
//! does: per connection it reads one HTTP/1.1 request and, chosen by a seeded random generator,
//! passes it on, drops it, drops the answer after the server committed, sends it twice, delays
//! it, or cuts it midway.

use super::http;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use xiafang_core::upload::{PushRequest, PushResponse};
use xiafang_core::{DeviceId, RecordId};

/// How long the proxy waits for the server's whole answer.
const UPSTREAM_LIMIT: Duration = Duration::from_secs(15);
/// How long the proxy waits for a client's whole request.
const REQUEST_LIMIT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Pass,
    /// Close the connection without forwarding anything.
    DropRequest,
    /// Forward, read the server's whole answer (so it committed), then close without it.
    DropResponse,
    /// Forward two copies at once; answer with one of the two responses.
    Duplicate,
    /// Wait a few to a few hundred milliseconds, then forward.
    Delay,
    /// Forward only part of the request, then close both connections.
    CutBody,
}

impl Fault {
    pub const ALL: [Fault; 6] = [
        Fault::Pass,
        Fault::DropRequest,
        Fault::DropResponse,
        Fault::Duplicate,
        Fault::Delay,
        Fault::CutBody,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::Pass => "pass",
            Fault::DropRequest => "drop_request",
            Fault::DropResponse => "drop_response",
            Fault::Duplicate => "duplicate",
            Fault::Delay => "delay",
            Fault::CutBody => "cut_body",
        }
    }

    /// Half of the requests are mistreated, and only some of those lose their answer.
    fn pick(rng: &mut StdRng) -> Self {
        match rng.gen_range(0..100) {
            0..50 => Fault::Pass,
            50..60 => Fault::DropRequest,
            60..72 => Fault::DropResponse,
            72..82 => Fault::Duplicate,
            82..92 => Fault::Delay,
            _ => Fault::CutBody,
        }
    }
}

pub struct Proxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

struct Shared {
    /// The server instances, taken in turn per request (round-robin, no stickiness).
    upstreams: Vec<SocketAddr>,
    next: AtomicUsize,
    faults_on: AtomicBool,
    rng: Mutex<StdRng>,
    counts: [AtomicU64; Fault::ALL.len()],
    pushes_upstream: AtomicUsize,
    /// Every upload operation the server acknowledged in an answer the proxy received (whether or
    /// not the phone got it): (device, seq) → (record, when first acknowledged).
    acked: Mutex<HashMap<(DeviceId, u64), (RecordId, Instant)>>,
}

struct Request {
    raw: Vec<u8>,
    head_len: usize,
    path: String,
}

impl Proxy {
    pub async fn start(upstream: SocketAddr, seed: u64) -> Self {
        Proxy::round_robin(vec![upstream], seed).await
    }

    /// A proxy that sends each request to the next of `upstreams` in turn.
    pub async fn round_robin(upstreams: Vec<SocketAddr>, seed: u64) -> Self {
        assert!(!upstreams.is_empty(), "a proxy needs an upstream");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the proxy");
        let addr = listener.local_addr().expect("proxy address");
        let shared = Arc::new(Shared {
            upstreams,
            next: AtomicUsize::new(0),
            faults_on: AtomicBool::new(true),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            counts: Default::default(),
            pushes_upstream: AtomicUsize::new(0),
            acked: Mutex::new(HashMap::new()),
        });
        let accepting = Arc::clone(&shared);
        let task = tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    continue;
                };
                tokio::spawn(Arc::clone(&accepting).handle(client));
            }
        });
        Proxy { addr, shared, task }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// From now on every request passes untouched.
    pub fn stop_faults(&self) {
        self.shared.faults_on.store(false, Ordering::SeqCst);
    }

    /// Requests seen per fault kind.
    pub fn counts(&self) -> Vec<(Fault, u64)> {
        Fault::ALL
            .iter()
            .zip(&self.shared.counts)
            .map(|(fault, n)| (*fault, n.load(Ordering::SeqCst)))
            .collect()
    }

    /// Uploads the server is working on right now.
    pub fn pushes_in_flight(&self) -> usize {
        self.shared.pushes_upstream.load(Ordering::SeqCst)
    }

    /// When the server first acknowledged exactly this operation, if it did.
    pub fn acked_at(&self, device: DeviceId, seq: u64, record: RecordId) -> Option<Instant> {
        let acked = self.shared.acked.lock().expect("acked map");
        acked
            .get(&(device, seq))
            .filter(|(id, _)| *id == record)
            .map(|(_, at)| *at)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Counts an upload as in flight at the server while it lives.
struct InFlight<'a>(Option<&'a AtomicUsize>);

impl<'a> InFlight<'a> {
    fn new(counter: &'a AtomicUsize, is_push: bool) -> Self {
        if is_push {
            counter.fetch_add(1, Ordering::SeqCst);
        }
        InFlight(is_push.then_some(counter))
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if let Some(counter) = self.0 {
            counter.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Shared {
    /// The instance the next request goes to.
    fn upstream(&self) -> SocketAddr {
        let turn = self.next.fetch_add(1, Ordering::SeqCst);
        self.upstreams[turn % self.upstreams.len()]
    }

    async fn handle(self: Arc<Self>, mut client: TcpStream) {
        let Ok(Some(request)) = tokio::time::timeout(REQUEST_LIMIT, read_request(&mut client))
            .await
            .unwrap_or(Ok(None))
        else {
            return;
        };
        let (fault, delay, cut_at) = {
            let mut rng = self.rng.lock().expect("proxy rng");
            let fault = if self.faults_on.load(Ordering::SeqCst) {
                Fault::pick(&mut rng)
            } else {
                Fault::Pass
            };
            let delay = Duration::from_millis(rng.gen_range(3..300));
            // Somewhere inside the body, or inside the headers of a request without one.
            let cut_at = if request.raw.len() > request.head_len {
                rng.gen_range(request.head_len..request.raw.len())
            } else {
                rng.gen_range(1..request.head_len)
            };
            (fault, delay, cut_at)
        };
        let index = Fault::ALL.iter().position(|f| *f == fault).expect("known");
        self.counts[index].fetch_add(1, Ordering::SeqCst);
        let response = match fault {
            Fault::Pass => self.forward(&request).await,
            Fault::DropRequest => None,
            Fault::DropResponse => {
                // The server's answer is read in full, so whatever it does has been done.
                drop(self.forward(&request).await);
                None
            }
            Fault::Duplicate => {
                let (first, second) = tokio::join!(self.forward(&request), self.forward(&request));
                first.or(second)
            }
            Fault::Delay => {
                tokio::time::sleep(delay).await;
                self.forward(&request).await
            }
            Fault::CutBody => {
                if let Ok(mut upstream) = TcpStream::connect(self.upstream()).await {
                    // Whether the partial write arrives is up to the network; either way both
                    // connections close now.
                    upstream.write_all(&request.raw[..cut_at]).await.ok();
                }
                None
            }
        };
        if let Some(response) = response {
            // A client that gave up waiting is no longer there to answer; nothing to do then.
            if client.write_all(&response).await.is_ok() {
                client.shutdown().await.ok();
            }
        }
    }

    /// Sends the request to the server and returns its whole answer, or nothing if the server
    /// is down, dies meanwhile or does not answer in time.
    async fn forward(&self, request: &Request) -> Option<Vec<u8>> {
        let _in_flight = InFlight::new(&self.pushes_upstream, request.is_push());
        let exchange = async {
            let mut upstream = TcpStream::connect(self.upstream()).await.ok()?;
            upstream.write_all(&request.raw).await.ok()?;
            let mut response = Vec::new();
            upstream.read_to_end(&mut response).await.ok()?;
            Some(response)
        };
        let response = tokio::time::timeout(UPSTREAM_LIMIT, exchange)
            .await
            .ok()
            .flatten()?;
        if request.is_push() {
            self.note_acks(request, &response);
        }
        Some(response)
    }

    fn note_acks(&self, request: &Request, response: &[u8]) {
        let Ok(answer) = http::parse_response(response) else {
            return;
        };
        if answer.status != 200 {
            return;
        }
        let push: PushRequest =
            serde_json::from_slice(&request.raw[request.head_len..]).expect("a push we forwarded");
        let acks: PushResponse =
            serde_json::from_slice(&answer.body).expect("the server's answer to a push");
        let now = Instant::now();
        let mut acked = self.acked.lock().expect("acked map");
        for ack in acks.acks {
            acked
                .entry((push.device_id, ack.seq))
                .or_insert((ack.record_id, now));
        }
    }
}

impl Request {
    fn is_push(&self) -> bool {
        self.path == "/api/sync/push"
    }
}

/// One request: its headers and as many body bytes as Content-Length says. `None` if the client
/// closed before sending all of it.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Option<Request>> {
    let mut raw = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    let head_len = loop {
        if let Some(end) = http::header_end(&raw) {
            break end;
        }
        let n = client.read(&mut chunk).await?;
        if n == 0 || raw.len() > 64 * 1024 {
            return Ok(None);
        }
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_len]).into_owned();
    let path = head
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while raw.len() < head_len + length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        raw.extend_from_slice(&chunk[..n]);
    }
    raw.truncate(head_len + length);
    Ok(Some(Request {
        raw,
        head_len,
        path,
    }))
}
