//! The server processes under test: the real release binary, one instance or several sharing
//! one PostgreSQL database, each with its own data directory and all with one chain signing key
//! (as docs/OPERATIONS.md, "Several instances", asks of a deployment).

use super::Result;
use super::client::Client;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

pub struct Servers {
    children: Vec<tokio::process::Child>,
    /// One port per instance; the first serves sign-ins and ingest.
    pub ports: Vec<u16>,
}

impl Servers {
    /// Starts `instances` processes one after the other, each answering `/api/health` before
    /// the next starts (the first runs the migrations and loads the world).
    pub async fn start(
        server_bin: &str,
        dist: &str,
        instances: usize,
        data_dir: &Path,
        db_url: &str,
        world: Option<&Path>,
    ) -> Result<Servers> {
        let mut servers = Servers {
            children: Vec::new(),
            ports: Vec::new(),
        };
        let key = data_dir.join("chain-key");
        for i in 0..instances.max(1) {
            let dir = if instances > 1 {
                data_dir.join(format!("instance-{i}"))
            } else {
                data_dir.to_path_buf()
            };
            std::fs::create_dir_all(&dir)?;
            let port = std::net::TcpListener::bind("127.0.0.1:0")?
                .local_addr()?
                .port();
            let mut command = tokio::process::Command::new(server_bin);
            if let Some(world) = world {
                command.arg("--demo-file").arg(world);
            }
            if instances > 1 {
                command.env("XIAFANG_CHAIN_KEY_FILE", &key);
            }
            let child = command
                .arg("--addr")
                .arg(format!("127.0.0.1:{port}"))
                .arg("--data-dir")
                .arg(&dir)
                .arg("--dist")
                .arg(dist)
                .env("XIAFANG_DATABASE_URL", db_url)
                // Not sqlx's "slow statement" lines: under saturation every push waits its turn.
                .env("RUST_LOG", "warn,sqlx::query=error")
                .stdout(Stdio::inherit())
                .kill_on_drop(true)
                .spawn()?;
            servers.children.push(child);
            servers.ports.push(port);
            healthy(port).await?;
        }
        Ok(servers)
    }

    pub fn port(&self) -> u16 {
        self.ports[0]
    }

    pub fn pids(&self) -> Vec<u32> {
        self.children.iter().filter_map(|c| c.id()).collect()
    }

    /// Resident memory of all instances together, in KiB.
    pub fn rss_kib(&self) -> u64 {
        self.pids().iter().filter_map(|&pid| rss_kib(pid)).sum()
    }

    pub async fn stop(mut self) {
        for child in &mut self.children {
            let _ = child.kill().await;
        }
    }
}

async fn healthy(port: u16) -> Result<()> {
    let started = Instant::now();
    // Loading a county of 20,000 files (`--world`) takes a while.
    while started.elapsed() < Duration::from_secs(300) {
        if let Ok(mut c) = Client::connect(port).await
            && let Ok((200, _)) = c.request("GET", "/api/health", None, None).await
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err("the server did not answer /api/health within 300 s".into())
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
