//! From Rust to the browser's files: cargo builds the app for
//! `wasm32-unknown-unknown` with the size-tuned `wasm-release` profile, wasm-split-cli
//! cuts a split app's wasm into the main module and the parts loaded on demand,
//! wasm-bindgen writes its JS loader, and wasm-opt (binaryen, from npm) shrinks every
//! wasm file.

use super::app::App;
use crate::sh::{cmd, run_cmd, target_dir, Result};
use std::{
    fs,
    path::{Path, PathBuf},
};

/// The profile in the root Cargo.toml.
const PROFILE: &str = "wasm-release";

/// The cargo feature that turns a split app's pages into parts loaded on demand.
const SPLIT_FEATURE: &str = "split";

/// `cargo build` of the app's binary; the path of the `.wasm` it leaves. A split app is
/// built with its `split` feature and with the linker's relocations kept
/// (`--emit-relocs`), which wasm-split-cli reads to know which function calls which.
pub fn cargo_build(app: &App) -> Result<PathBuf> {
    let target = ["--target", "wasm32-unknown-unknown", "--profile", PROFILE, "-p", app.package, "--bin", app.bin];
    if app.split {
        run_cmd(cmd("cargo").arg("rustc").args(target).args(["--features", SPLIT_FEATURE, "--", "-Clink-arg=--emit-relocs"]))?;
    } else {
        run_cmd(cmd("cargo").arg("build").args(target))?;
    }
    let dir = target_dir().join("wasm32-unknown-unknown").join(PROFILE);
    // Cargo keeps a binary's name as written; look for the crate-style one too.
    [app.bin.to_string(), app.bin.replace('-', "_")]
        .iter()
        .map(|name| dir.join(format!("{name}.wasm")))
        .find(|p| p.exists())
        .ok_or_else(|| format!("cargo built {}, but there is no {}.wasm in {}", app.bin, app.bin, dir.display()))
}

/// What wasm-split-cli wrote: the main module (for wasm-bindgen), the JS that fetches
/// the parts, and the parts, which go to the browser as they are (they must not pass
/// through wasm-bindgen).
pub struct Split {
    pub main: PathBuf,
    pub loader: PathBuf,
    /// `split_*.wasm` (one per lazily loaded function) and `chunk_*.wasm` (code two or
    /// more of them share), sorted by name.
    pub parts: Vec<PathBuf>,
}

/// `wasm-split-cli` into a fresh `out` folder.
pub fn split(app: &App, wasm: &Path, out: &Path) -> Result<Split> {
    fresh_dir(out)?;
    run_cmd(cmd("wasm-split-cli").arg(wasm).arg(out).args(["--target", "web", "--out-name", app.bin]))?;
    let mut parts: Vec<PathBuf> = fs::read_dir(out)
        .map_err(|e| format!("cannot read {}: {e}", out.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            (name.starts_with("split_") || name.starts_with("chunk_")) && name.ends_with(".wasm")
        })
        .collect();
    parts.sort();
    let split = Split { main: out.join(format!("{}.wasm", app.bin)), loader: out.join("__wasm_split.js"), parts };
    for needed in [&split.main, &split.loader] {
        if !needed.exists() {
            return Err(format!("wasm-split-cli left no {}", needed.display()));
        }
    }
    Ok(split)
}

/// What wasm-bindgen wrote for one app.
pub struct Bound {
    /// The ES module that loads the wasm (`--target web`).
    pub js: PathBuf,
    pub wasm: PathBuf,
    /// `snippets/`: JS that crates inline with `#[wasm_bindgen(inline_js)]`, if any.
    pub snippets: Option<PathBuf>,
}

/// `wasm-bindgen --target web` into a fresh `out` folder. A split app's main module
/// keeps the exports and names its parts call (`--keep-lld-exports --no-demangle`).
pub fn bindgen(app: &App, wasm: &Path, out: &Path) -> Result<Bound> {
    fresh_dir(out)?;
    let mut c = cmd("wasm-bindgen");
    c.args(["--target", "web", "--no-typescript", "--out-name", app.bin]);
    if app.split {
        c.args(["--keep-lld-exports", "--no-demangle"]);
    }
    run_cmd(c.arg("--out-dir").arg(out).arg(wasm))?;
    let snippets = out.join("snippets");
    Ok(Bound {
        js: out.join(format!("{}.js", app.bin)),
        wasm: out.join(format!("{}_bg.wasm", app.bin)),
        snippets: snippets.is_dir().then_some(snippets),
    })
}

/// The WebAssembly features rustc's wasm32 target emits, which wasm-opt must accept in
/// the split modules (it cannot read them from a target_features section there).
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// `wasm-opt -Oz` from `input` to `output`. The binaryen npm package puts wasm-opt in
/// `node_modules/.bin`, which [`cmd`] puts first on PATH. Only after a split: the
/// splitter needs the linker's relocations, which wasm-opt drops.
pub fn optimise(input: &Path, output: &Path) -> Result {
    run_cmd(cmd("wasm-opt").arg("-Oz").args(WASM_FEATURES).arg("--output").arg(output).arg(input))
}

/// [`optimise`] for every `(input, output)` pair, one per core at a time: a split app
/// has some two hundred parts, and one after another they took three minutes here.
pub fn optimise_all(jobs: &[(PathBuf, PathBuf)]) -> Result {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, jobs.len().max(1));
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| -> Result {
                    while let Some((input, output)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                        optimise(input, output)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers.into_iter().try_for_each(|w| w.join().unwrap_or_else(|_| Err("a wasm-opt worker panicked".to_string())))
    })
}

/// Where an app's intermediate files go (wasm-bindgen's output, the optimised wasm).
pub fn work_dir(app: &App) -> PathBuf {
    target_dir().join("web-build").join(app.bin)
}

fn fresh_dir(dir: &Path) -> Result {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}
