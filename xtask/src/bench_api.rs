//! The API half of `cargo xtask bench`: throughput and latency under load on loopback,
//! and a peer serving the same catalogue for comparison.
//!
//! Every load runs for [`SECONDS`] against 127.0.0.1 with [`CONNECTIONS`] connections
//! and stops by itself:
//!
//! - product reads: `wrk` (Debian's) with a Lua script asking for random product ids,
//!   `GET /api/products/{id}`;
//! - category pages: random category and page, `GET /api/categories/{slug}/products?page=`;
//! - order placement: `bench/orders.mjs`, 64 guest shoppers each looping new session →
//!   cart item → `POST /api/orders`;
//! - the soak: [`SOAK_SECONDS`] of product reads (wrk) and order placements together,
//!   with [`SOAK_SOCKETS`] live-chat sockets held open (`bench/sockets.mjs`); every
//!   request and every socket must come through without an error;
//! - the peer: the same 10,000 products, as the API returns them, served by json-server
//!   (what a shop might otherwise put up for the same job) under the same product-read
//!   load, `GET /products/{id}`; the table gives the ratios.

use crate::{
    figures::{script_figures, BENCH_PRODUCTS, Budget, Figure},
    sh::{cmd, root, step, Result},
};
use std::{
    fmt::Write as _,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::{Child, Stdio},
    time::{Duration, Instant},
};

/// Length of each load.
pub const SECONDS: u32 = 10;
/// Concurrent connections (and virtual shoppers for orders).
pub const CONNECTIONS: u32 = 64;
/// The soak: how long, and how many chat sockets stay open meanwhile.
pub const SOAK_SECONDS: u32 = 60;
pub const SOAK_SOCKETS: u32 = 500;
/// wrk's threads: one per core of the 2-core machine the budgets are set for.
const WRK_THREADS: u32 = 2;

/// Measures the running server at `base` (its data folder is `data`, its binary `bin`).
pub fn run(base: &str, data: &Path, _bin: &Path) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();

    step(&format!("API: product reads (wrk, {CONNECTIONS} connections, {SECONDS} s)"));
    let products_lua = data.join("products.lua");
    write(&products_lua, &product_script("/api/products/", BENCH_PRODUCTS))?;
    let aisle = wrk(base, &products_lua, SECONDS)?;
    figures.extend(aisle.figures("product read", Some(Budget::AtLeast(60_000.0)), Some(Budget::AtMost(5.0))));

    step("API: reading the catalogue for the category pages and the peer");
    let db_json = data.join("db.json");
    let categories = export_catalogue(base, &db_json)?;

    step(&format!("API: category pages (wrk, {CONNECTIONS} connections, {SECONDS} s)"));
    let categories_lua = data.join("categories.lua");
    write(&categories_lua, &category_script(&categories))?;
    let pages = wrk(base, &categories_lua, SECONDS)?;
    // Listings are read as often as products by crawlers and first visits.
    figures.extend(pages.figures("category page read", Some(Budget::AtLeast(20_000.0)), Some(Budget::AtMost(10.0))));

    step(&format!("API: order placement ({CONNECTIONS} shoppers, {SECONDS} s)"));
    figures.extend(orders(base, "")?);

    step(&format!("soak: {SOAK_SECONDS} s of product reads and order placements with {SOAK_SOCKETS} chat sockets open"));
    figures.extend(soak(base, &products_lua)?);

    step(&format!("peer: json-server serving the same {BENCH_PRODUCTS} products"));
    let peer = Peer::start(&db_json)?;
    let peer_lua = data.join("peer.lua");
    write(&peer_lua, &product_script("/products/", BENCH_PRODUCTS))?;
    let peer_result = wrk(&peer.url, &peer_lua, SECONDS);
    drop(peer);
    let theirs = peer_result?;
    if theirs.errors * 100 > theirs.requests {
        return Err(format!("json-server failed {} of {} requests; no comparison", theirs.errors, theirs.requests));
    }
    figures.push(Figure::new("api", "peer (json-server) product read", theirs.requests_per_sec, "req/s"));
    figures.push(Figure::new("api", "peer (json-server) product read p99", theirs.p99_ms, "ms"));
    figures.push(Figure::new("api", "Aisle ÷ json-server, product reads", aisle.requests_per_sec / theirs.requests_per_sec, "×"));
    figures.push(Figure::new("api", "json-server ÷ Aisle, product read p99", theirs.p99_ms / aisle.p99_ms, "×"));
    Ok(figures)
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Lua that gives each wrk thread its own random sequence.
const SEED_PER_THREAD: &str = r#"local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(os.time() * 1000 + seed)
end
"#;

/// A wrk script asking for random ids 1..=`products` under `prefix`, a different
/// sequence in each thread.
fn product_script(prefix: &str, products: u32) -> String {
    format!(
        r#"-- Random product ids, a different sequence per thread.
{SEED_PER_THREAD}function request()
  return wrk.format("GET", "{prefix}" .. math.random(1, {products}))
end
"#
    )
}

/// A wrk script asking for a random page of a random category.
fn category_script(categories: &[(String, u32)]) -> String {
    let mut table = String::new();
    for (slug, pages) in categories {
        let _ = writeln!(table, "  {{ \"{slug}\", {pages} }},");
    }
    format!(
        r#"-- A random page of a random category.
local categories = {{
{table}}}
{SEED_PER_THREAD}function request()
  local c = categories[math.random(1, #categories)]
  return wrk.format("GET", "/api/categories/" .. c[1] .. "/products?page=" .. math.random(1, c[2]))
end
"#
    )
}

/// Writes the catalogue as json-server's `db.json` and returns each category's slug
/// and page count (`bench/catalogue.mjs`).
fn export_catalogue(base: &str, db_json: &Path) -> Result<Vec<(String, u32)>> {
    let out = cmd("node")
        .arg("bench/catalogue.mjs")
        .arg(base)
        .arg(db_json)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if !out.status.success() {
        return Err("reading the catalogue (bench/catalogue.mjs) failed".into());
    }
    let categories = parse_categories(&String::from_utf8_lossy(&out.stdout));
    if categories.is_empty() {
        return Err("the API listed no category".into());
    }
    Ok(categories)
}

fn parse_categories(text: &str) -> Vec<(String, u32)> {
    text.lines()
        .filter_map(|l| {
            let (slug, pages) = l.split_once('\t')?;
            // Slugs go into a Lua string: only what a slug may hold.
            let safe = !slug.is_empty() && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            safe.then(|| Some((slug.to_string(), pages.trim().parse().ok()?)))?
        })
        .collect()
}

/// The same server on PostgreSQL (a throwaway local cluster; see `bench.rs`): product
/// reads and order placements, to compare with SQLite. The cluster runs with
/// `fsync=off`, so order figures are an upper bound for a durable PostgreSQL.
pub fn run_postgres(base: &str, data: &Path) -> Result<Vec<Figure>> {
    let mut figures = Vec::new();
    step(&format!("PostgreSQL: product reads (wrk, {CONNECTIONS} connections, {SECONDS} s)"));
    let products_lua = data.join("products-pg.lua");
    write(&products_lua, &product_script("/api/products/", BENCH_PRODUCTS))?;
    figures.extend(wrk(base, &products_lua, SECONDS)?.figures("PostgreSQL: product read", None, None));
    step(&format!("PostgreSQL: order placement ({CONNECTIONS} shoppers, {SECONDS} s)"));
    figures.extend(orders(base, "PostgreSQL: ")?);
    Ok(figures)
}

/// Runs `bench/orders.mjs`, which prints one `name<TAB>value<TAB>unit` line per figure;
/// each figure's name gets `prefix`.
fn orders(base: &str, prefix: &str) -> Result<Vec<Figure>> {
    let out = cmd("node")
        .args(["bench/orders.mjs", base, &SECONDS.to_string(), &CONNECTIONS.to_string()])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if !out.status.success() {
        return Err("the order benchmark (bench/orders.mjs) failed".into());
    }
    let figures = script_figures(&String::from_utf8_lossy(&out.stdout), "api", prefix);
    if figures.is_empty() {
        return Err("the order benchmark printed no figure".into());
    }
    Ok(figures)
}

/// Reads and orders at once for [`SOAK_SECONDS`], with [`SOAK_SOCKETS`] chat sockets
/// held open from before the load starts until after it ends.
fn soak(base: &str, products_lua: &Path) -> Result<Vec<Figure>> {
    let sockets = cmd("node")
        .args(["bench/sockets.mjs", base, &SOAK_SOCKETS.to_string(), &(SOAK_SECONDS + 10).to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start node: {e}"))?;
    // Let the sockets open (in batches of 50) before the load begins.
    std::thread::sleep(Duration::from_secs(5));
    let orders = cmd("node")
        .args(["bench/orders.mjs", base, &SOAK_SECONDS.to_string(), &CONNECTIONS.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| format!("cannot start node: {e}"))?;
    let reads = wrk(base, products_lua, SOAK_SECONDS);
    let orders = orders.wait_with_output().map_err(|e| e.to_string())?;
    let sockets = sockets.wait_with_output().map_err(|e| e.to_string())?;
    let reads = reads?;
    if !orders.status.success() || !sockets.status.success() {
        return Err("the soak's order or socket script failed".into());
    }
    let mut figures = vec![
        Figure::new("api", "soak: product read", reads.requests_per_sec, "req/s"),
        Figure::new("api", "soak: product read p99", reads.p99_ms, "ms"),
        Figure::new("api", "soak: product read errors", reads.errors as f64, "errors").budget(Budget::AtMost(0.0)),
    ];
    figures.extend(script_figures(&String::from_utf8_lossy(&orders.stdout), "api", "soak: "));
    for mut f in script_figures(&String::from_utf8_lossy(&sockets.stdout), "api", "soak: ") {
        f.budget = match f.name.as_str() {
            "soak: chat sockets held" => Some(Budget::AtLeast(f64::from(SOAK_SOCKETS))),
            _ => Some(Budget::AtMost(0.0)),
        };
        figures.push(f);
    }
    if figures.len() < 6 {
        return Err("the soak's scripts printed too few figures".into());
    }
    Ok(figures)
}


/// What one wrk run measured.
#[derive(Debug, Clone, PartialEq)]
struct WrkResult {
    requests: u64,
    requests_per_sec: f64,
    p50_ms: f64,
    p99_ms: f64,
    /// Non-2xx/3xx answers and socket errors together.
    errors: u64,
}

impl WrkResult {
    fn figures(&self, label: &str, rate: Option<Budget>, p99: Option<Budget>) -> Vec<Figure> {
        let mut f = vec![
            Figure::new("api", label, self.requests_per_sec, "req/s"),
            Figure::new("api", format!("{label} p50"), self.p50_ms, "ms"),
            Figure::new("api", format!("{label} p99"), self.p99_ms, "ms"),
            Figure::new("api", format!("{label} errors"), self.errors as f64, "errors").budget(Budget::AtMost(0.0)),
        ];
        f[0].budget = rate;
        f[2].budget = p99;
        f
    }
}

/// `wrk` against `base` with `script`, for [`SECONDS`] on [`CONNECTIONS`] connections.
fn wrk(base: &str, script: &Path, seconds: u32) -> Result<WrkResult> {
    let out = cmd("wrk")
        .arg(format!("-t{WRK_THREADS}"))
        .arg(format!("-c{CONNECTIONS}"))
        .arg(format!("-d{seconds}s"))
        .arg("--latency")
        .arg("-s")
        .arg(script)
        .arg(base)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    print!("{text}");
    if !out.status.success() {
        return Err(format!("wrk failed ({})", out.status));
    }
    parse_wrk(&text)
}

fn parse_wrk(text: &str) -> Result<WrkResult> {
    let mut r = WrkResult { requests: 0, requests_per_sec: f64::NAN, p50_ms: f64::NAN, p99_ms: f64::NAN, errors: 0 };
    for line in text.lines().map(str::trim) {
        if let Some(v) = line.strip_prefix("Requests/sec:") {
            r.requests_per_sec = v.trim().parse().map_err(|_| format!("wrk: bad rate {v:?}"))?;
        } else if let Some(v) = line.strip_prefix("50%") {
            r.p50_ms = duration_ms(v.trim()).ok_or_else(|| format!("wrk: bad latency {v:?}"))?;
        } else if let Some(v) = line.strip_prefix("99%") {
            r.p99_ms = duration_ms(v.trim()).ok_or_else(|| format!("wrk: bad latency {v:?}"))?;
        } else if let Some(v) = line.strip_prefix("Non-2xx or 3xx responses:") {
            r.errors += v.trim().parse::<u64>().unwrap_or(0);
        } else if let Some(v) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            r.errors += v.split(',').filter_map(|p| p.split_whitespace().nth(1)?.parse::<u64>().ok()).sum::<u64>();
        } else if let Some((n, rest)) = line.split_once(" requests in ") {
            if rest.contains("read") {
                r.requests = n.trim().parse().unwrap_or(0);
            }
        }
    }
    if r.requests_per_sec.is_nan() || r.p50_ms.is_nan() || r.p99_ms.is_nan() {
        return Err("wrk printed no rate or latency distribution".into());
    }
    Ok(r)
}

/// wrk's durations ("250.00us", "1.20ms", "2.01s", "1.00m") in milliseconds.
fn duration_ms(s: &str) -> Option<f64> {
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.trim().parse().ok()?;
    let factor = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return None,
    };
    Some(n * factor)
}

/// json-server on a free loopback port serving `db.json`, stopped on drop.
struct Peer {
    child: Child,
    url: String,
}

impl Peer {
    fn start(db_json: &Path) -> Result<Peer> {
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| format!("no free port: {e}"))?.port();
        let bin = root().join("node_modules/.bin/json-server");
        let child = cmd(&bin.to_string_lossy())
            .arg(db_json)
            .args(["--host", "127.0.0.1", "--port", &port.to_string(), "--quiet"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start json-server: {e}"))?;
        let peer = Peer { child, url: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if http_status(port, "/products/1") == Some(200) {
                println!("json-server at {}", peer.url);
                return Ok(peer);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Err("json-server did not answer within 30 s".into())
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The status code of `GET path` on 127.0.0.1:`port`, if anything answers.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").ok()?;
    let mut head = [0u8; 16];
    s.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head).ok()?.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRK: &str = "Running 10s test @ http://127.0.0.1:41233
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   635.91us    0.89ms  12.92ms   93.69%
    Req/Sec    32.20k     8.07k   42.00k    86.54%
  Latency Distribution
     50%  250.00us
     75%  491.00us
     90%  700.00us
     99%    5.80ms
  641234 requests in 10.00s, 164.40MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec:  64123.40
Transfer/sec:     16.44MB
";

    #[test]
    fn reads_wrk_output() {
        let r = parse_wrk(WRK).unwrap();
        assert_eq!(r, WrkResult { requests: 641_234, requests_per_sec: 64_123.4, p50_ms: 0.25, p99_ms: 5.8, errors: 15 });
        assert!(parse_wrk("Running 10s test\n").is_err());
    }

    #[test]
    fn converts_wrk_durations() {
        assert_eq!(duration_ms("812.00us"), Some(0.812));
        assert_eq!(duration_ms("1.50ms"), Some(1.5));
        assert_eq!(duration_ms("2.00s"), Some(2000.0));
        assert_eq!(duration_ms("1.00m"), Some(60_000.0));
        assert_eq!(duration_ms("fast"), None);
    }

    #[test]
    fn keeps_only_safe_category_slugs() {
        let cats = parse_categories("kitchen\t35\nhome-living\t35\nbad\"slug\t3\nbooks\tmany\n");
        assert_eq!(cats, vec![("kitchen".to_string(), 35), ("home-living".to_string(), 35)]);
        let lua = category_script(&cats);
        assert!(lua.contains("{ \"kitchen\", 35 },"), "{lua}");
        assert!(product_script("/api/products/", 10_000).contains("\"/api/products/\" .. math.random(1, 10000)"));
    }
}
