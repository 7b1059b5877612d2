//! A throwaway PostgreSQL cluster for the server tests: Debian's `postgresql` binaries, `initdb`
//! and `pg_ctl` in a temporary directory on a free port, no system service. Stopped and removed
//! when dropped, also when a test fails.

use crate::cmd::{self, Result};
use std::path::PathBuf;
use std::process::Command;

pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    /// initdb refuses to run as root, so as root the cluster belongs to Debian's `postgres` user.
    as_postgres: bool,
}

impl Cluster {
    pub fn start() -> Result<Cluster> {
        let bin = bin_dir().ok_or("PostgreSQL is not installed (Debian package postgresql)")?;
        let as_postgres = cmd::output_line("id", &["-u"]).as_deref() == Some("0");
        let dir = std::env::temp_dir().join(format!("xiafang-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if as_postgres {
            cmd::run(Command::new("chown").args(["postgres:postgres"]).arg(&dir))?;
        }
        let port = free_port()?;
        let cluster = Cluster {
            dir,
            bin,
            port,
            as_postgres,
        };
        let data = cluster.dir.join("data");
        cmd::run(cluster.tool("initdb").arg("-D").arg(&data).args([
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        ]))?;
        // fsync off: the cluster lives only for this test run.
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200",
            cluster.dir.display()
        );
        cmd::run(
            cluster
                .tool("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &options, "-l"])
                .arg(cluster.dir.join("log"))
                .args(["-w", "start"]),
        )?;
        Ok(cluster)
    }

    /// The URL of the cluster's maintenance database; tests create their own databases in it.
    pub fn admin_url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn tool(&self, name: &str) -> Command {
        let path = self.bin.join(name);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        c.current_dir(&self.dir);
        c
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.join("data");
        let stopped = self
            .tool("pg_ctl")
            .arg("-D")
            .arg(&data)
            .args(["-m", "immediate", "stop"])
            .status();
        if !matches!(stopped, Ok(s) if s.success()) {
            eprintln!(
                "could not stop the test PostgreSQL in {}",
                self.dir.display()
            );
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The newest installed PostgreSQL's binaries (`/usr/lib/postgresql/<major>/bin`).
pub fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| {
            let e = e.ok()?;
            let major = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((major, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn free_port() -> Result<u16> {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    let port = probe.local_addr().map_err(|e| e.to_string())?.port();
    Ok(port)
}
