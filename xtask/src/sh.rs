//! Running things: the workspace's folders, commands with the project's tools on
//! PATH, a scratch folder, and the API server as the tests and benchmarks run it.

use std::{
    io::{BufRead, BufReader},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};


/// The demo shop's account for bank transfers (`cargo xtask run` and the tests'
/// servers): the example IBAN from the IBAN standard, which belongs to no one.
pub const DEMO_BANK_ACCOUNT: &str = "Aisle Demo Shop, DE89 3704 0044 0532 0130 00, COBADEFFXXX";

/// The demo shop's VAT number on its invoices: the German format's usual example.
pub const DEMO_VAT_ID: &str = "DE123456789";

pub type Result<T = ()> = std::result::Result<T, String>;

/// The workspace root (the parent of this crate's folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set (a relative one is
/// taken from the workspace root, as cargo does when run there), else `target/`. The
/// binaries run here must be the ones just built, not a stale copy in `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

pub fn step(what: &str) {
    println!("\n==> {what}");
}

/// Numbered steps of one longer task, each announced like [`step`] with the time since
/// the task began: `==> [web 2/6] wasm-bindgen (1m 12s)`.
pub struct Steps {
    label: &'static str,
    total: usize,
    done: usize,
    started: Instant,
}

impl Steps {
    pub fn new(label: &'static str, total: usize) -> Steps {
        Steps { label, total, done: 0, started: Instant::now() }
    }

    pub fn next(&mut self, what: &str) {
        self.done += 1;
        println!("\n==> [{} {}/{}] {what} ({})", self.label, self.done, self.total, elapsed(self.started.elapsed()));
    }

    /// The closing line, with the whole task's time.
    pub fn finish(&self, what: &str) {
        println!("==> {what} in {}", elapsed(self.started.elapsed()));
    }
}

/// `12s`, `1m 12s`.
pub fn elapsed(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{s}s")
    } else {
        format!("{}m {}s", s / 60, s % 60)
    }
}

/// A command run from the workspace root with the project's tool folders on PATH.
pub fn cmd(program: &str) -> Command {
    let mut c = Command::new(program);
    c.current_dir(root()).env("PATH", path_with_tools());
    c
}

/// Runs a command to completion; a failure names the command.
pub fn run_cmd(c: &mut Command) -> Result {
    let status = c.status().map_err(|e| format!("cannot start {:?}: {e}", c.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", c.get_program()))
    }
}

/// The API server as `cargo build -p aisle-api` leaves it, which the tests run.
pub fn debug_server() -> PathBuf {
    target_dir().join("debug/aisle-api")
}

pub fn tempdir(prefix: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("{prefix}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    Ok(dir)
}

/// The real API server on a free loopback port with a fresh database, stopped on drop.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    pub fn start(database_url: &str, data: &Path) -> Result<Server> {
        Server::start_with(&debug_server(), database_url, data)
    }

    pub fn start_with(bin: &Path, database_url: &str, data: &Path) -> Result<Server> {
        Server::start_env(bin, database_url, data, &[])
    }

    pub fn start_env(bin: &Path, database_url: &str, data: &Path, env: &[(&str, &str)]) -> Result<Server> {
        let mut child = cmd(&bin.to_string_lossy())
            .arg("serve")
            // Tests and benchmarks start from the catalogue alone: the demo photos take
            // seconds to draw after the "running" line, while tests would already be
            // asking. Tests that want photos upload their own.
            .env("AISLE_DEMO_PHOTOS", "off")
            // Bank transfer is offered, as in the demo (`cargo xtask run`).
            .env("AISLE_BANK_ACCOUNT", DEMO_BANK_ACCOUNT)
            .env("AISLE_SHOP_VAT_ID", DEMO_VAT_ID)
            // Every test signs in from 127.0.0.1: the whole run is one "household".
            .env("AISLE_ACCOUNT_LIMIT", "1000")
            .envs(env.iter().copied())
            .env("DATABASE_URL", database_url)
            .env("AISLE_MAIL_DIR", data.join("mail"))
            .env("AISLE_ADDR", "127.0.0.1:0")
            .env("AISLE_WEB_DIR", root().join("dist"))
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the API server: {e}"))?;
        let out = child.stdout.take().ok_or("no server output")?;
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(std::result::Result::ok) {
                if let Some(url) = line.strip_prefix("Aisle is running at ") {
                    let _ = tx.send(url.trim_end_matches('/').to_string());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(url) => {
                println!("server at {url}");
                Ok(Server { child, url })
            }
            Err(_) => {
                let _ = child.kill();
                Err("the API server did not start within 60 s".into())
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// PATH with cargo's bin folder and the npm tools (wasm-opt) in front.
pub fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME").map(PathBuf::from).or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo"))) {
        dirs.push(home.join("bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}
