//! Builds the web apps ([`app::APPS`]) into `dist/` in release mode, each the same way:
//!
//! 1. cargo builds the app's binary for `wasm32-unknown-unknown` with the size-tuned
//!    `wasm-release` profile;
//! 2. for an app that loads its pages on demand ([`app::App::split`]), wasm-split-cli
//!    cuts the wasm into the main module and the parts (`split_*.wasm` per lazily
//!    loaded function, `chunk_*.wasm` for code they share) with `__wasm_split.js`, which
//!    fetches them; wasm-bindgen writes the JS loader (`--target web`) for the main one;
//! 3. wasm-opt `-Oz` shrinks every wasm file (never before the split: it drops the
//!    relocations the splitter reads);
//! 4. the loader, the wasm and the stylesheet get content-hashed names
//!    (`aisle-<16 hex>.js`, `aisle-<16 hex>_bg.wasm`, `main-<16 hex>.css`; a split app's
//!    files keep the names its split loader expects, in a folder `pkg-<16 hex>/` hashed
//!    over all of them), so a deploy never mixes the files of two builds and the server
//!    can cache them forever; the files the page's `copy-file` links name (manifest,
//!    icon, service worker) are copied as they are;
//! 5. `index.html` is the page with its `data-trunk` links replaced by links to those
//!    files and the module script that starts the app.
//!
//! Then the icons are drawn, each service worker learns its app's files (the
//! storefront's never lists the back office's folder), and every text file gets a
//! brotli and a gzip copy beside it, so the server sends compressed files without
//! compressing per request. The build is made in a folder of its own under cargo's
//! target folder and replaces `dist/` only when it is complete.
//!
//! trunk is only the development server (`trunk serve`): it reads the same `index.html`
//! links, and the build checks that they still name what [`app::App`] says.

mod app;
mod page;
mod publish;
mod wasm;

pub use publish::{brotli_bytes, gzip_bytes, prepare_deploy_builds};

use crate::sh::{root, target_dir, Result, Steps};
use app::{App, APPS};
use page::{Built, TrunkLink};
use publish::Fnv;
use std::{fs, path::Path};

/// A split app's wasm files, its JS loader and the split loader go into one folder
/// named `pkg-<16 hex digits of them all>` (the server caches its files forever).
pub const SPLIT_DIR: &str = "pkg";

/// The steps [`build_app`] announces for each app; one more closes the build.
const STEPS_PER_APP: usize = 5;

pub fn build() -> Result {
    let mut steps = Steps::new("web", APPS.len() * STEPS_PER_APP + 1);
    let stage = target_dir().join("web-build/dist");
    let _ = fs::remove_dir_all(&stage);
    for app in APPS {
        build_app(app, &stage.join(app.out), &mut steps)?;
    }
    steps.next("icons, service worker's file list, .br and .gz copies");
    for app in APPS {
        let dir = stage.join(app.out);
        if app.icons {
            crate::icons::write_icons(&dir.join("icons"))?;
        }
        publish::write_service_worker(app, &dir)?;
    }
    publish::compress_dir(&stage)?;
    let dist = root().join("dist");
    replace_dir(&stage, &dist)?;
    steps.finish(&format!("web app built into {}", dist.display()));
    Ok(())
}

/// Steps 1 to 5 for one app, into `out`.
fn build_app(app: &App, out: &Path, steps: &mut Steps) -> Result {
    let template_path = root().join(app.html);
    let template = fs::read_to_string(&template_path).map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
    let page_dir = template_path.parent().unwrap_or(&template_path).to_path_buf();
    let links = page::trunk_links(&template);
    let copied = check_links(app, &page_dir, &links)?;

    steps.next(&format!("{}: cargo build --profile wasm-release -p {} --bin {}", app.name, app.package, app.bin));
    let built_wasm = wasm::cargo_build(app)?;

    let work = wasm::work_dir(app);
    let (bound, split) = if app.split {
        steps.next(&format!("{}: wasm-split-cli, wasm-bindgen --target web", app.name));
        let split = wasm::split(app, &built_wasm, &work.join("split"))?;
        (wasm::bindgen(app, &split.main, &work.join("bindgen"))?, Some(split))
    } else {
        steps.next(&format!("{}: wasm-bindgen --target web", app.name));
        (wasm::bindgen(app, &built_wasm, &work.join("bindgen"))?, None)
    };

    steps.next(&format!("{}: wasm-opt -Oz", app.name));
    let optimised = work.join(format!("{}_opt.wasm", app.bin));
    let mut jobs = vec![(bound.wasm.clone(), optimised.clone())];
    let mut parts = Vec::new();
    if let Some(split) = &split {
        let opt_dir = work.join("split-opt");
        let _ = fs::remove_dir_all(&opt_dir);
        fs::create_dir_all(&opt_dir).map_err(|e| format!("cannot create {}: {e}", opt_dir.display()))?;
        for part in &split.parts {
            let name = part.file_name().ok_or("a split part has no name")?.to_string_lossy().into_owned();
            jobs.push((part.clone(), opt_dir.join(&name)));
            parts.push(name);
        }
    }
    wasm::optimise_all(&jobs)?;
    let mut parts: Vec<(String, Vec<u8>)> = parts
        .into_iter()
        .zip(jobs.iter().skip(1))
        .map(|(name, (_, to))| Ok((name, read(to)?)))
        .collect::<Result<_>>()?;
    if let Some(split) = &split {
        parts.push(("__wasm_split.js".to_string(), read(&split.loader)?));
    }

    steps.next(&format!("{}: content-hashed files, and the files the page copies", app.name));
    fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let js = read(&bound.js)?;
    let wasm_bytes = read(&optimised)?;
    let (js_name, wasm_name) = if app.split {
        // The split loader fetches the parts by the names wasm-split-cli gave them, next
        // to itself and the main module: all of them go, unrenamed, into one folder named
        // by the hash of them all, so a deploy never mixes the parts of two builds.
        let mut all: Vec<&[u8]> = vec![js.as_slice(), wasm_bytes.as_slice()];
        for (name, bytes) in &parts {
            all.push(name.as_bytes());
            all.push(bytes);
        }
        let dir = format!("{SPLIT_DIR}-{}", hex_hash(&all));
        let pkg = out.join(&dir);
        fs::create_dir_all(&pkg).map_err(|e| format!("cannot create {}: {e}", pkg.display()))?;
        let (js_name, wasm_name) = (format!("{}.js", app.bin), format!("{}_bg.wasm", app.bin));
        write(&pkg.join(&js_name), &js)?;
        write(&pkg.join(&wasm_name), &wasm_bytes)?;
        for (name, bytes) in &parts {
            write(&pkg.join(name), bytes)?;
        }
        if let Some(snippets) = &bound.snippets {
            publish::copy_dir(snippets, &pkg.join("snippets"))?;
        }
        (format!("{dir}/{js_name}"), format!("{dir}/{wasm_name}"))
    } else {
        // One hash over both: the loader and its wasm only ever go together.
        let base = format!("{}-{}", app.bin, hex_hash(&[&js, &wasm_bytes]));
        let (js_name, wasm_name) = (format!("{base}.js"), format!("{base}_bg.wasm"));
        write(&out.join(&js_name), &js)?;
        write(&out.join(&wasm_name), &wasm_bytes)?;
        if let Some(snippets) = &bound.snippets {
            publish::copy_dir(snippets, &out.join("snippets"))?;
        }
        (js_name, wasm_name)
    };
    let css_path = root().join(app.css);
    let css = page::minify_css(&fs::read_to_string(&css_path).map_err(|e| format!("cannot read {}: {e}", css_path.display()))?);
    let css_stem = css_path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "style".into());
    let css_name = format!("{css_stem}-{}.css", hex_hash(&[css.as_bytes()]));
    write(&out.join(&css_name), css.as_bytes())?;
    for from in &copied {
        let name = from.file_name().ok_or_else(|| format!("{} names no file", from.display()))?;
        fs::copy(from, out.join(name)).map_err(|e| format!("cannot copy {}: {e}", from.display()))?;
    }

    steps.next(&format!("{}: index.html", app.name));
    let url = |name: &str| format!("{}{name}", app.prefix);
    let html = page::index_html(&template, &Built { css: &url(&css_name), js: &url(&js_name), wasm: &url(&wasm_name) })
        .map_err(|e| format!("{}: {e}", template_path.display()))?;
    write(&out.join("index.html"), html.as_bytes())
}

/// The page's `data-trunk` links must say what `app` says (the binary, the stylesheet),
/// so that `trunk serve` and this build show the same app; returns the files its
/// `copy-file` links name.
fn check_links(app: &App, page_dir: &Path, links: &[TrunkLink]) -> Result<Vec<std::path::PathBuf>> {
    let mut copied = Vec::new();
    let (mut rust, mut css) = (false, false);
    for link in links {
        let href = link.get("href").map(|h| page_dir.join(h));
        match link.get("rel") {
            Some("rust") => {
                if link.get("data-bin") != Some(app.bin) {
                    return Err(format!("{}'s rust link must say data-bin=\"{}\"", app.html, app.bin));
                }
                rust = true;
            }
            Some("css") => {
                if href.as_deref() != Some(&*root().join(app.css)) {
                    return Err(format!("{}'s css link must name {}", app.html, app.css));
                }
                css = true;
            }
            Some("copy-file") => copied.push(href.ok_or_else(|| format!("a copy-file link of {} has no href", app.html))?),
            other => return Err(format!("{}: the release build does not handle data-trunk rel={other:?}", app.html)),
        }
    }
    if !(rust && css) {
        return Err(format!("{} needs its data-trunk rust and css links (trunk serve reads them)", app.html));
    }
    Ok(copied)
}

/// 16 hex digits of the parts' content hash, for file names.
fn hex_hash(parts: &[&[u8]]) -> String {
    let mut h = Fnv::new();
    for p in parts {
        h.write(p);
    }
    format!("{:016x}", h.finish())
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result {
    fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// `to` replaced by `from`: a rename when both are on one disk, else a copy.
fn replace_dir(from: &Path, to: &Path) -> Result {
    if to.exists() {
        fs::remove_dir_all(to).map_err(|e| format!("cannot remove the old {}: {e}", to.display()))?;
    }
    if fs::rename(from, to).is_ok() {
        return Ok(());
    }
    publish::copy_dir(from, to)?;
    let _ = fs::remove_dir_all(from);
    Ok(())
}
