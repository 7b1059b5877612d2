//! The real `xiafang-server` binary as a child process on a fixed port, which the test kills with
//! SIGKILL and starts again over the same data directory or database.

use super::http;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// How long a (re)started server may take to answer `/api/health`.
const START_LIMIT: Duration = Duration::from_secs(30);

pub struct ServerProcess {
    addr: SocketAddr,
    args: Vec<String>,
    /// Environment given to the binary on every start, e.g. a shared chain key file.
    env: Vec<(String, String)>,
    log: PathBuf,
    child: Option<Child>,
}

/// A free port on 127.0.0.1 (free when asked; nothing else on this machine races for it).
pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free local port")
}

impl ServerProcess {
    /// Starts the server with its data in `data_dir` (the SQLite file there, or `database_url`)
    /// and waits until it answers.
    pub async fn start(data_dir: &Path, database_url: Option<&str>) -> Self {
        ServerProcess::start_with_env(data_dir, database_url, &[]).await
    }

    /// `start`, with these environment variables set for the binary (on restarts too).
    pub async fn start_with_env(
        data_dir: &Path,
        database_url: Option<&str>,
        env: &[(&str, &str)],
    ) -> Self {
        ServerProcess::start_with(data_dir, database_url, &[], env).await
    }

    /// `start_with_env` with more options on the command line (on restarts too).
    pub async fn start_with(
        data_dir: &Path,
        database_url: Option<&str>,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let addr = free_addr();
        let mut args = vec![
            "--addr".to_owned(),
            addr.to_string(),
            "--data-dir".to_owned(),
            data_dir.display().to_string(),
            // No PWA is needed; the server only warns that there is none.
            "--dist".to_owned(),
            data_dir.join("no-dist").display().to_string(),
        ];
        if let Some(url) = database_url {
            args.extend(["--database-url".to_owned(), url.to_owned()]);
        }
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        let mut server = ServerProcess {
            addr,
            args,
            env: env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            log: data_dir.join("server.log"),
            child: None,
        };
        server.spawn().await;
        server
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// SIGKILL: no graceful shutdown, no chance to finish a request or a transaction.
    pub async fn kill(&mut self) {
        let mut child = self.child.take().expect("server is running");
        child.start_kill().expect("send SIGKILL to the server");
        child.wait().await.expect("reap the killed server");
    }

    /// Starts the binary again on the same port and data.
    pub async fn restart(&mut self) {
        assert!(self.child.is_none(), "restart a server that was killed");
        self.spawn().await;
    }

    /// Starts the binary again on the same port and data directory, on another database (the
    /// unit's database URL switched after a move).
    pub async fn restart_on(&mut self, database_url: &str) {
        if let Some(at) = self.args.iter().position(|a| a == "--database-url") {
            self.args.drain(at..at + 2);
        }
        self.args
            .extend(["--database-url".to_owned(), database_url.to_owned()]);
        self.restart().await;
    }

    async fn spawn(&mut self) {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("open the server log");
        let mut command = Command::new(env!("CARGO_BIN_EXE_xiafang-server"));
        command
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log.try_clone().expect("server log handle")))
            .stderr(Stdio::from(log))
            .kill_on_drop(true);
        // The command line says everything; the developer's environment must not add to it.
        for var in [
            "XIAFANG_ADDR",
            "XIAFANG_DATA_DIR",
            "XIAFANG_DATABASE_URL",
            "XIAFANG_DIST",
            "XIAFANG_NO_DEMO",
            "XIAFANG_CHAIN_KEY_FILE",
        ] {
            command.env_remove(var);
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        let mut child = command.spawn().expect("start xiafang-server");
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("poll the server process") {
                panic!(
                    "xiafang-server exited at start ({status}); its log:\n{}",
                    self.log_tail()
                );
            }
            let health = http::send(
                self.addr,
                "GET",
                "/api/health",
                None,
                None,
                Duration::from_secs(1),
            )
            .await;
            if health.is_ok_and(|r| r.status == 200) {
                break;
            }
            if started.elapsed() > START_LIMIT {
                child.start_kill().ok();
                panic!(
                    "xiafang-server did not answer /api/health within {START_LIMIT:?}; its log:\n{}",
                    self.log_tail()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.child = Some(child);
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_else(|e| format!("({e})"));
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }
}

impl Drop for ServerProcess {
    /// Also on a failed assertion: never leave a server running behind the test.
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            child.start_kill().ok();
        }
    }
}
