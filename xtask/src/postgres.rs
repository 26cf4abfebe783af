//! A throwaway PostgreSQL server from Debian's `postgresql` package, for tests that
//! need the real thing rather than SQLite.

use crate::{sh::{step, tempdir, Result}, tools::newest_bin_dir};
use std::{
    net::TcpListener,
    path::PathBuf,
    process::{Child, ChildStdin, Command, Output, Stdio},
    sync::atomic::{AtomicUsize, Ordering},
    time::Instant,
};

/// The system user Debian's package creates; initdb refuses to run as root.
const SYSTEM_USER: &str = "postgres";

/// A throwaway PostgreSQL cluster on a free loopback port in a temporary directory,
/// stopped and removed on drop.
pub struct Postgres {
    pub url: String,
    dir: PathBuf,
    bin: PathBuf,
    as_system_user: bool,
    /// Stops the server if this process dies without dropping us (Ctrl-C, kill): the
    /// postmaster runs in a session of its own, so it would otherwise outlive us.
    guard: Option<(Child, ChildStdin)>,
}

impl Postgres {
    pub fn start() -> Result<Postgres> {
        let started = Instant::now();
        let bin = bin_dir()?;
        let as_system_user = is_root();
        // Several per process (tests) must not share a directory.
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = tempdir(&format!("aisle-postgres-{}", COUNT.fetch_add(1, Ordering::Relaxed)))?;
        let mut pg = Postgres { url: String::new(), dir, bin, as_system_user, guard: None };
        if as_system_user {
            let chown = Command::new("chown").arg(SYSTEM_USER).arg(&pg.dir).output();
            check(chown, "chown")?;
        }
        pg.guard = Some(pg.spawn_guard()?);

        let initdb = pg
            .tool("initdb")
            .arg("-D")
            .arg(pg.data())
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"])
            .output();
        check(initdb, "initdb")?;

        // The port is free when we look but may be taken before the server binds it.
        let mut last_error = String::new();
        for _ in 0..3 {
            let port = free_port()?;
            // A throwaway cluster: durability buys nothing, and a small WAL keeps it
            // near the size of its live databases (a full disk failed a CI run).
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -k '{}' -c fsync=off -c synchronous_commit=off \
                 -c full_page_writes=off -c max_connections=300 -c max_wal_size=64MB -c min_wal_size=32MB",
                pg.dir.display()
            );
            let start = pg.tool("pg_ctl").arg("-w").arg("-D").arg(pg.data()).arg("-o").arg(options).arg("-l").arg(pg.log()).arg("start").output();
            match check(start, "pg_ctl start") {
                Ok(()) => {
                    pg.url = format!("postgres://postgres@127.0.0.1:{port}/postgres");
                    println!("PostgreSQL started in {:.1?} ({})", started.elapsed(), pg.dir.display());
                    return Ok(pg);
                }
                Err(e) => last_error = e,
            }
            if !pg.log_tail(10).contains("Address already in use") {
                break;
            }
        }
        // The log goes with the directory on drop, so its end goes into the error.
        Err(format!("{last_error}\nend of the server's log:\n{}", pg.log_tail(20)))
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.join("log")
    }

    fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(self.log()).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    /// One of the server's programs, as the `postgres` user when we are root. Run from
    /// the cluster's directory: that user may not be allowed into the current one.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        let mut c = if self.as_system_user {
            let mut c = Command::new("runuser");
            c.args(["-u", SYSTEM_USER, "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        c.current_dir(&self.dir);
        c
    }

    /// A shell that waits for its stdin to close, then stops the server and removes
    /// the directory if they are still there. It ignores the signals that end us (Ctrl-C,
    /// a closed terminal, a group-wide TERM) and quits by itself once we are gone.
    fn spawn_guard(&self) -> Result<(Child, ChildStdin)> {
        let stop = self.tool("pg_ctl");
        let script = r#"trap '' INT HUP TERM; cat >/dev/null; dir=$1; shift
if [ -d "$dir" ]; then "$@" >/dev/null 2>&1; rm -rf "$dir"; fi"#;
        let mut child = Command::new("sh")
            .args(["-c", script, "postgres-guard"])
            .arg(&self.dir)
            .arg(stop.get_program())
            .args(stop.get_args())
            .args(["stop", "-m", "immediate", "-w", "-D"])
            .arg(self.data())
            .current_dir(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start sh: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin for the guard")?;
        Ok((child, stdin))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let stop = self.tool("pg_ctl").args(["stop", "-m", "immediate", "-w", "-D"]).arg(self.data()).output();
        if let Err(e) = check(stop, "pg_ctl stop") {
            // Never started, or already gone: nothing to stop.
            if self.data().join("postmaster.pid").exists() {
                eprintln!("{e}");
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some((mut child, stdin)) = self.guard.take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

/// `/usr/lib/postgresql/<highest version>/bin`, installing the package when missing.
fn bin_dir() -> Result<PathBuf> {
    if let Some(bin) = newest_bin_dir() {
        return Ok(bin);
    }
    crate::tools::ensure_postgres()?;
    newest_bin_dir().ok_or_else(|| "no initdb under /usr/lib/postgresql/*/bin after installing postgresql".into())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot find a free port: {e}"))?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A captured command's failure, with what it printed.
fn check(output: std::io::Result<Output>, what: &str) -> Result {
    let out = output.map_err(|e| format!("cannot run {what}: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    ))
}

/// `cargo xtask postgres`: one server until Ctrl-C or the end of stdin.
pub fn serve() -> Result {
    step("starting a throwaway PostgreSQL");
    let pg = Postgres::start()?;
    println!("PostgreSQL is running at {} (Ctrl-C stops it)", pg.url);
    // Enter or end of input stops it too, for scripts that hold our stdin.
    let _ = std::io::stdin().read_line(&mut String::new());
    drop(pg);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Needs PostgreSQL's server package and psql: `cargo test -p xtask -- --ignored`.
    #[test]
    #[ignore]
    fn starts_serves_and_cleans_up() {
        let pg = Postgres::start().unwrap();
        let psql = |sql: &str| {
            let out = Command::new("psql").args([pg.url.as_str(), "-XAtc", sql]).output().unwrap();
            assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        };
        assert_eq!(psql("select 1"), "1");
        assert_eq!(psql("show max_connections"), "300");
        psql("create database scratch");
        let scratch = format!("{}/scratch", pg.url.rsplit_once('/').unwrap().0);
        let out = Command::new("psql").args([scratch.as_str(), "-XAtc", "select current_database()"]).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "scratch");
        psql("drop database scratch");

        let (dir, pid_file) = (pg.dir.clone(), pg.data().join("postmaster.pid"));
        let pid = std::fs::read_to_string(&pid_file).unwrap().lines().next().unwrap().to_string();
        drop(pg);
        assert!(!dir.exists(), "{} is left behind", dir.display());
        // A zombie has stopped; it waits for an init that may reap orphans late.
        let stat = std::fs::read_to_string(Path::new("/proc").join(&pid).join("stat")).unwrap_or_default();
        let state = stat.rsplit_once(") ").map(|(_, rest)| &rest[..1]);
        assert!(matches!(state, None | Some("Z")), "postmaster {pid} still runs: {stat}");
    }
}
