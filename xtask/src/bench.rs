//! `cargo xtask bench`: Aisle's speed, measured the same way every time, against its
//! budgets. Builds the release web app and server, seeds a 10,000-product catalogue
//! into a fresh SQLite file, starts the server on loopback, then measures:
//!
//! - sizes: the wasm, JS and CSS (raw, gzip, brotli) and everything a first visit to
//!   the home page downloads (brotli);
//! - the browser (`bench/browser.mjs`, Playwright driving Debian's Chromium): cold
//!   load and offline repeat load to the first product painted, route changes with
//!   data cached, search (the query inside the app, and each keystroke until its
//!   results are painted), IndexedDB sync and load of 10,000 products;
//! - the API (`bench_api`): requests per second and latency under 64 connections, and
//!   the same catalogue served by a peer for comparison; then product reads and order
//!   placements again with the server on a throwaway PostgreSQL.
//!
//! Each browser figure is the median of several runs. The results go to
//! `target/bench/bench.json` and `target/bench/bench.md` (the README carries the
//! table); the command fails when a budget is missed. Unit tests carry no timings.

use crate::{
    figures::{script_figures, trim, BENCH_PRODUCTS, Budget, Figure},
    sh::{cmd, root, run_cmd, step, Result, Server},
    tools,
    web,
};
use std::{fmt::Write as _, path::Path, process::Stdio};

/// `part` is `None` for everything, or `Some("api")` for the API figures alone (no web
/// build, no sizes, no browser).
pub fn run(part: Option<&str>) -> Result {
    let api_only = match part {
        None => false,
        Some("api") => true,
        Some(other) => return Err(format!("unknown bench part {other:?}: `cargo xtask bench` or `cargo xtask bench api`")),
    };
    if !api_only {
        tools::ensure_build_tools()?;
        tools::ensure_test_tools()?;
    }
    tools::ensure_bench_tools()?;
    if !api_only {
        web::build()?;
    }
    step("building the API server (release)");
    run_cmd(cmd("cargo").args(["build", "--release", "-p", "aisle-api"]))?;
    let bin = crate::sh::target_dir().join("release/aisle-api");

    let data = crate::sh::tempdir("aisle-bench")?;
    let database_url = format!("sqlite://{}", data.join("aisle.db").display());
    step(&format!("seeding {BENCH_PRODUCTS} products"));
    run_cmd(cmd(&bin.to_string_lossy()).args(["seed", "--products", &BENCH_PRODUCTS.to_string()]).env("DATABASE_URL", &database_url))?;
    let server = Server::start_with(&bin, &database_url, &data)?;

    let mut figures = Vec::new();
    if !api_only {
        figures.extend(sizes(&root().join("dist"))?);
        step("browser: Playwright driving Chromium");
        figures.extend(browser(&server.url)?);
    }
    step("API under load");
    let api = crate::bench_api::run(&server.url, &data, &bin);
    drop(server);
    figures.extend(api?);

    step("API on PostgreSQL");
    let pg = crate::postgres::Postgres::start()?;
    run_cmd(cmd(&bin.to_string_lossy()).args(["seed", "--products", &BENCH_PRODUCTS.to_string()]).env("DATABASE_URL", &pg.url))?;
    let server = Server::start_with(&bin, &pg.url, &data)?;
    let on_postgres = crate::bench_api::run_postgres(&server.url, &data);
    drop((server, pg));
    let _ = std::fs::remove_dir_all(&data);
    figures.extend(on_postgres?);

    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let table = markdown(&figures);
    std::fs::write(out.join("bench.md"), &table).map_err(|e| e.to_string())?;
    std::fs::write(out.join("bench.json"), json(&figures)).map_err(|e| e.to_string())?;
    println!("\n{table}\nwritten to target/bench/bench.md and target/bench/bench.json");
    if !api_only {
        // The front page carries the budgets, the performance page every figure.
        fill_block(&root().join("README.md"), "bench", &budget_table(&figures))?;
        fill_block(&root().join("docs/performance.md"), "bench", &table)?;
        println!("and into README.md and docs/performance.md");
    }
    let missed: Vec<&Figure> = figures.iter().filter(|f| f.verdict() == "MISSED").collect();
    if missed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} budget(s) missed: {}", missed.len(), missed.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join(", ")))
    }
}

/// The built files' sizes, and what a first visit to the home page transfers.
pub fn sizes(dist: &Path) -> Result<Vec<Figure>> {
    let entries: Vec<_> = std::fs::read_dir(dist).map_err(|e| format!("no build at {}: {e}", dist.display()))?.flatten().map(|e| e.path()).collect();
    let find = |suffix: &str| entries.iter().find(|p| p.to_string_lossy().ends_with(suffix)).cloned();
    let mut figures = Vec::new();
    let mut first_load = 0usize;
    for (label, suffix) in [("wasm", "_bg.wasm"), ("JS loader", ".js"), ("CSS", ".css"), ("index.html", "index.html")] {
        let path = if suffix == ".js" {
            entries.iter().find(|p| p.extension().is_some_and(|e| e == "js") && !p.ends_with("sw.js")).cloned()
        } else {
            find(suffix)
        };
        let Some(path) = path else { return Err(format!("no {label} in {}", dist.display())) };
        let raw = std::fs::read(&path).map_err(|e| e.to_string())?;
        let br = web::brotli_bytes(&raw)?.len();
        let gz = web::gzip_bytes(&raw)?.len();
        first_load += br;
        figures.push(Figure::new("size", format!("{label} raw"), raw.len() as f64 / 1000.0, "KB"));
        figures.push(Figure::new("size", format!("{label} gzip"), gz as f64 / 1000.0, "KB"));
        figures.push(Figure::new("size", format!("{label} brotli"), br as f64 / 1000.0, "KB"));
    }
    // The manifest and icon come with the first visit too.
    for extra in ["manifest.webmanifest", "icon.svg"] {
        if let Some(path) = find(extra) {
            let raw = std::fs::read(&path).map_err(|e| e.to_string())?;
            first_load += web::brotli_bytes(&raw)?.len();
        }
    }
    figures.push(Figure::new("size", "first load, home (brotli)", first_load as f64 / 1000.0, "KB").budget(Budget::AtMost(150.0)));
    Ok(figures)
}

/// Runs `bench/browser.mjs`, which prints one `name<TAB>value<TAB>unit` line per figure.
fn browser(base: &str) -> Result<Vec<Figure>> {
    let output = cmd("node")
        .args(["bench/browser.mjs"])
        .env("AISLE_URL", base)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if !output.status.success() {
        return Err("the browser benchmark failed".into());
    }
    let mut figures = script_figures(&String::from_utf8_lossy(&output.stdout), "browser", "");
    for f in &mut figures {
        f.budget = match f.name.as_str() {
            "offline repeat load to first product" => Some(Budget::AtMost(150.0)),
            n if n.starts_with("route change") => Some(Budget::AtMost(16.0)),
            "search query in the app, p95" => Some(Budget::AtMost(5.0)),
            "IndexedDB sync of 10,000 products" => Some(Budget::AtMost(1000.0)),
            "IndexedDB load of 10,000 products" => Some(Budget::AtMost(100.0)),
            _ => None,
        };
    }
    Ok(figures)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{cores} cores, {cpu}")
}

fn markdown(figures: &[Figure]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "Measured by `cargo xtask bench` on {} ({} products).\n", machine(), BENCH_PRODUCTS);
    for (group, title) in [("size", "Size"), ("browser", "Browser (headless Chromium, median)"), ("api", "API (loopback, 64 connections)")] {
        let rows: Vec<&Figure> = figures.iter().filter(|f| f.group == group).collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(s, "| {title} | value | budget | |\n|---|---|---|---|");
        for f in rows {
            let budget = f.budget.map(|b| b.describe(&f.unit)).unwrap_or_default();
            let _ = writeln!(s, "| {} | {} {} | {} | {} |", f.name, trim(f.value), f.unit, budget, f.verdict());
        }
        s.push('\n');
    }
    s
}

/// The figures that have a budget, as the README's table.
fn budget_table(figures: &[Figure]) -> String {
    let mut s = String::from("| figure | value | budget | |\n|---|---|---|---|\n");
    for f in figures.iter().filter(|f| f.budget.is_some()) {
        let budget = f.budget.map(|b| b.describe(&f.unit)).unwrap_or_default();
        let _ = writeln!(s, "| {} | {} {} | {} | {} |", f.name, trim(f.value), f.unit, budget, f.verdict());
    }
    s
}

/// Replaces what stands between `<!-- name:start -->` and `<!-- name:end -->` in a file.
fn fill_block(path: &Path, name: &str, text: &str) -> Result {
    let doc = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let (start, end) = (format!("<!-- {name}:start -->\n"), format!("<!-- {name}:end -->"));
    let (Some(a), Some(b)) = (doc.find(&start), doc.find(&end)) else {
        return Err(format!("{} has no {start} … {end} block", path.display()));
    };
    let updated = format!("{}{text}{}", &doc[..a + start.len()], &doc[b..]);
    std::fs::write(path, updated).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn json(figures: &[Figure]) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let items: Vec<String> = figures
        .iter()
        .map(|f| {
            let budget = match f.budget {
                Some(Budget::AtMost(v)) => format!("{{\"at_most\":{v}}}"),
                Some(Budget::AtLeast(v)) => format!("{{\"at_least\":{v}}}"),
                None => "null".into(),
            };
            format!(
                "{{\"group\":\"{}\",\"name\":\"{}\",\"value\":{},\"unit\":\"{}\",\"budget\":{budget},\"ok\":{}}}",
                f.group,
                esc(&f.name),
                f.value,
                esc(&f.unit),
                f.verdict() != "MISSED"
            )
        })
        .collect();
    format!("{{\"machine\":\"{}\",\"products\":{},\"figures\":[\n  {}\n]}}\n", esc(&machine()), BENCH_PRODUCTS, items.join(",\n  "))
}

#[cfg(test)]
mod tests {
    use super::*;


    #[test]
    fn budgets_hold_or_are_missed() {
        assert!(Budget::AtMost(16.0).holds(16.0));
        assert!(!Budget::AtMost(16.0).holds(16.1));
        assert!(Budget::AtLeast(60_000.0).holds(70_000.0));
        assert!(!Budget::AtLeast(60_000.0).holds(1.0));
        let f = [Figure::new("api", "reads", 70_000.0, "req/s").budget(Budget::AtLeast(60_000.0))];
        let md = markdown(&f);
        assert!(md.contains("| reads | 70000 req/s | ≥ 60000 req/s | ok |"), "{md}");
        assert!(json(&f).contains("\"ok\":true"));
    }
}
