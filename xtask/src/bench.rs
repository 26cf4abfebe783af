//! `cargo xtask bench`: Aisle's speed, measured the same way every time, against its
//! budgets. Builds the release web app and server, seeds a 10,000-product catalogue
//! into a fresh SQLite file, starts the server on loopback, then measures:
//!
//! - sizes: the wasm (the main module and the parts loaded on demand), JS and CSS
//!   (raw, gzip, brotli) and everything a first visit to the home page downloads
//!   (brotli), and what it really fetches, counted in Chromium
//!   (`bench/first_load.mjs`);
//! - the browser (`bench/browser.mjs`, Playwright driving Debian's Chromium): cold
//!   load and offline repeat load to the first product painted, layout shift (CLS) on
//!   cold loads of home, a category and a product at desktop and phone size, largest
//!   contentful paint on a phone on slow 4G, route changes with
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
        step("what home's first visit fetches, counted in Chromium");
        let mut counted = node_figures("bench/first_load.mjs", &server.url, "size", "the first-load count")?;
        for f in &mut counted {
            // The budget counts every response of a cold visit, API answers included.
            if f.name == FIRST_LOAD_COUNTED {
                f.budget = Some(Budget::AtMost(150.0));
            }
        }
        figures.extend(counted);
        step("browser: Playwright driving Chromium");
        figures.extend(browser(&server.url)?);
    }
    step("API under load");
    let api = crate::bench_api::run(&server.url, &data, &bin);
    // Last on this server: the import adds 10,000 products.
    let admin = api.is_ok().then(|| admin(&server.url, &bin, &database_url, &data));
    drop(server);
    figures.extend(api?);
    if let Some(admin) = admin {
        figures.extend(admin?);
    }

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

/// The built files' sizes, app by app, and the code each app needs to start: the
/// back office's is its first load (budget 250 KB brotli; shoppers never download
/// it). The storefront's is not: a cold visit to home, a category or a product is
/// shown from the page the server writes, before the code arrives, so its 150 KB
/// budget is on the browser's count of that visit (`FIRST_LOAD_COUNTED`).
pub fn sizes(dist: &Path) -> Result<Vec<Figure>> {
    let mut figures = app_sizes(dist, "", STOREFRONT_CODE, None)?;
    let staff = dist.join("staff");
    if staff.exists() {
        figures.extend(app_sizes(&staff, "back office: ", "first load, back office (brotli)", Some(250.0))?);
    }
    Ok(figures)
}

/// What the storefront downloads to start, after the page the server wrote.
const STOREFRONT_CODE: &str = "storefront code to start (brotli)";

fn app_sizes(dir: &Path, prefix: &str, total_name: &str, budget: Option<f64>) -> Result<Vec<Figure>> {
    let list = |dir: &Path| -> Result<Vec<std::path::PathBuf>> {
        Ok(std::fs::read_dir(dir).map_err(|e| format!("no build at {}: {e}", dir.display()))?.flatten().map(|e| e.path()).collect())
    };
    let entries = list(dir)?;
    // An app split into parts loaded on demand has its code in `pkg-<hash>/`.
    let split_dir = entries.iter().find(|p| p.is_dir() && p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("{}-", web::SPLIT_DIR))));
    let code = match split_dir {
        Some(d) => list(d)?,
        None => entries.clone(),
    };
    let find = |files: &[std::path::PathBuf], suffix: &str| files.iter().find(|p| p.is_file() && p.to_string_lossy().ends_with(suffix)).cloned();
    let mut figures = Vec::new();
    let mut first_load = 0usize;
    for (label, suffix) in [("wasm", "_bg.wasm"), ("JS loader", ".js"), ("CSS", ".css"), ("index.html", "index.html")] {
        let path = match suffix {
            ".js" => code.iter().find(|p| p.extension().is_some_and(|e| e == "js") && !p.ends_with("sw.js") && !p.ends_with(SPLIT_LOADER)).cloned(),
            "_bg.wasm" => find(&code, suffix),
            _ => find(&entries, suffix),
        };
        let Some(path) = path else { return Err(format!("no {label} in {}", dir.display())) };
        let raw = std::fs::read(&path).map_err(|e| e.to_string())?;
        let br = web::brotli_bytes(&raw)?.len();
        let gz = web::gzip_bytes(&raw)?.len();
        first_load += br;
        figures.push(Figure::new("size", format!("{prefix}{label} raw"), raw.len() as f64 / 1000.0, "KB"));
        figures.push(Figure::new("size", format!("{prefix}{label} gzip"), gz as f64 / 1000.0, "KB"));
        figures.push(Figure::new("size", format!("{prefix}{label} brotli"), br as f64 / 1000.0, "KB"));
    }
    if split_dir.is_some() {
        // The split loader comes with the first visit; the parts (a page's code, the help
        // panel's, and the pieces they share) only when something needs them. Home
        // needs none to draw (the end-to-end test `every_page_offline` checks it).
        let loader = find(&code, SPLIT_LOADER).ok_or_else(|| format!("no {SPLIT_LOADER} in {}", dir.display()))?;
        let loader_br = web::brotli_bytes(&std::fs::read(&loader).map_err(|e| e.to_string())?)?.len();
        first_load += loader_br;
        figures.push(Figure::new("size", format!("{prefix}split loader brotli"), loader_br as f64 / 1000.0, "KB"));
        let mut parts: Vec<(usize, usize)> = Vec::new();
        for part in code.iter().filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".wasm") && (name.starts_with("split_") || name.starts_with("chunk_"))
        }) {
            let raw = std::fs::read(part).map_err(|e| e.to_string())?;
            parts.push((raw.len(), web::brotli_bytes(&raw)?.len()));
        }
        let (raw, br): (usize, usize) = (parts.iter().map(|p| p.0).sum(), parts.iter().map(|p| p.1).sum());
        figures.push(Figure::new("size", format!("{prefix}wasm parts loaded on demand"), parts.len() as f64, "files"));
        figures.push(Figure::new("size", format!("{prefix}wasm parts loaded on demand raw"), raw as f64 / 1000.0, "KB"));
        figures.push(Figure::new("size", format!("{prefix}wasm parts loaded on demand brotli (each alone)"), br as f64 / 1000.0, "KB"));
        let largest = parts.iter().map(|p| p.1).max().unwrap_or(0);
        figures.push(Figure::new("size", format!("{prefix}largest wasm part brotli"), largest as f64 / 1000.0, "KB"));
    }
    // The manifest and icon come with the first visit too.
    for extra in ["manifest.webmanifest", "icon.svg"] {
        if let Some(path) = find(&entries, extra) {
            let raw = std::fs::read(&path).map_err(|e| e.to_string())?;
            first_load += web::brotli_bytes(&raw)?.len();
        }
    }
    let total = Figure::new("size", total_name, first_load as f64 / 1000.0, "KB");
    figures.push(match budget {
        Some(kb) => total.budget(Budget::AtMost(kb)),
        None => total,
    });
    Ok(figures)
}

/// The browser's count of a cold visit to home (`bench/first_load.mjs`).
const FIRST_LOAD_COUNTED: &str = "home first load, every response to first product (as sent)";

/// What wasm-split-cli calls the JS that fetches the parts.
const SPLIT_LOADER: &str = "__wasm_split.js";

/// Runs a node script that prints one `name<TAB>value<TAB>unit` line per figure.
fn node_figures(script: &str, base: &str, group: &'static str, what: &str) -> Result<Vec<Figure>> {
    let output = cmd("node")
        .arg(script)
        .env("AISLE_URL", base)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if !output.status.success() {
        return Err(format!("{what} failed"));
    }
    Ok(script_figures(&String::from_utf8_lossy(&output.stdout), group, ""))
}

/// Runs `bench/admin.mjs` as a staff member made for it: a 1600 × 1200 photo upload
/// (budget 5 s) and a 10,000-product CSV import (budget 30 s).
fn admin(base: &str, bin: &Path, database_url: &str, data: &Path) -> Result<Vec<Figure>> {
    step("back office: a photo upload and a 10,000-product CSV import");
    const EMAIL: &str = "bench-staff@aisle.test";
    const PASSWORD: &str = "bench staff password";
    run_cmd(
        cmd(&bin.to_string_lossy())
            .args(["create-staff", "--email", EMAIL, "--name", "Bench Staff"])
            .env("DATABASE_URL", database_url)
            .env("AISLE_STAFF_PASSWORD", PASSWORD),
    )?;
    let photo = data.join("photo.png");
    write_photo(&photo, 1600, 1200)?;
    let output = cmd("node")
        .args(["bench/admin.mjs", &photo.to_string_lossy()])
        .env("AISLE_URL", base)
        .env("AISLE_STAFF_EMAIL", EMAIL)
        .env("AISLE_STAFF_PASSWORD", PASSWORD)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot start node: {e}"))?;
    if !output.status.success() {
        return Err("the back office benchmark failed".into());
    }
    let mut figures = script_figures(&String::from_utf8_lossy(&output.stdout), "api", "");
    for f in &mut figures {
        f.budget = match f.name.as_str() {
            n if n.starts_with("photo upload") => Some(Budget::AtMost(5000.0)),
            n if n.starts_with("CSV import of 10,000") => Some(Budget::AtMost(30_000.0)),
            _ => None,
        };
    }
    Ok(figures)
}

/// A photo-like PNG: smooth colour with fine noise, which encoders cannot shortcut.
fn write_photo(path: &Path, width: u32, height: u32) -> Result {
    let file = std::fs::File::create(path).map_err(|e| e.to_string())?;
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut seed = 0x2545_F491u32;
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let noise = (seed % 24) as u32;
            pixels.extend([((x * 200 / width) + noise) as u8, ((y * 200 / height) + noise) as u8, (120 + noise) as u8]);
        }
    }
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&pixels).map_err(|e| e.to_string())
}

/// Runs `bench/browser.mjs`.
fn browser(base: &str) -> Result<Vec<Figure>> {
    let mut figures = node_figures("bench/browser.mjs", base, "browser", "the browser benchmark")?;
    for f in &mut figures {
        f.budget = browser_budget(&f.name);
    }
    Ok(figures)
}

/// The budget of a figure `bench/browser.mjs` printed, if it has one.
fn browser_budget(name: &str) -> Option<Budget> {
    match name {
        "offline repeat load to first product" => Some(Budget::AtMost(150.0)),
        n if n.starts_with("route change") => Some(Budget::AtMost(16.0)),
        "search query in the app, p95" => Some(Budget::AtMost(5.0)),
        "category sort and filter in the app, p95" => Some(Budget::AtMost(16.0)),
        "filter tap to first 24 painted, p95" => Some(Budget::AtMost(50.0)),
        "IndexedDB sync of 10,000 products" => Some(Budget::AtMost(1000.0)),
        "IndexedDB load of 10,000 products" => Some(Budget::AtMost(100.0)),
        // Nothing drawn moves as a page loads ("good" is 0.1 or less, the aim 0).
        n if n.starts_with("layout shift (CLS)") => Some(Budget::AtMost(0.1)),
        // Lighthouse's "good" on a simulated mid-range phone.
        n if n.starts_with("largest contentful paint") => Some(Budget::AtMost(2500.0)),
        _ => None,
    }
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
    fn a_split_build_counts_its_main_wasm_first_and_its_parts_apart() {
        let dir = std::env::temp_dir().join(format!("aisle-bench-sizes-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let pkg = dir.join("pkg-0123456789abcdef");
        std::fs::create_dir_all(&pkg).expect("dir");
        let files = [
            (dir.join("index.html"), "<html></html>"),
            (dir.join("main-0123456789abcdef.css"), "body{}"),
            (dir.join("sw.js"), "self"),
            (pkg.join("aisle.js"), "export default 1"),
            (pkg.join("aisle_bg.wasm"), "main wasm"),
            (pkg.join("__wasm_split.js"), "import './aisle.js'"),
            (pkg.join("split_cart_1.wasm"), "a page"),
            (pkg.join("chunk_1.wasm"), "shared"),
            (pkg.join("chunk_1.wasm.br"), "a copy"),
        ];
        for (path, text) in &files {
            std::fs::write(path, text).expect("file");
        }
        let figures = app_sizes(&dir, "", STOREFRONT_CODE, None);
        let _ = std::fs::remove_dir_all(&dir);
        let figures = figures.expect("sizes");
        let value = |name: &str| figures.iter().find(|f| f.name == name).map(|f| f.value).unwrap_or_else(|| panic!("no {name}"));
        assert_eq!(value("wasm raw"), 0.009);
        assert_eq!(value("JS loader raw"), 0.016);
        assert_eq!(value("wasm parts loaded on demand"), 2.0);
        assert_eq!(value("wasm parts loaded on demand raw"), 0.012);
        let br = |text: &str| web::brotli_bytes(text.as_bytes()).expect("brotli").len() as f64 / 1000.0;
        let first = br("main wasm") + br("export default 1") + br("import './aisle.js'") + br("body{}") + br("<html></html>");
        assert!((value(STOREFRONT_CODE) - first).abs() < 1e-9, "only the main wasm and its loaders, not the parts");
    }

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

    #[test]
    fn layout_shift_and_largest_paint_have_budgets() {
        let cls = Figure::new("browser", "layout shift (CLS), home, phone", 0.25, "CLS").budget(browser_budget("layout shift (CLS), home, phone").unwrap());
        assert_eq!(cls.verdict(), "MISSED");
        assert_eq!(browser_budget("layout shift (CLS), product, desktop"), Some(Budget::AtMost(0.1)));
        assert_eq!(browser_budget("largest contentful paint, home, phone on slow 4G"), Some(Budget::AtMost(2500.0)));
        assert_eq!(browser_budget("cold load to first product"), None);
    }
}
