//! What happens to a built app's folder before it ships: its service worker learns
//! the build's files (every part of a split app too, so each page opens offline after
//! one visit), every text file gets a brotli and a gzip copy, and the deploy
//! test gets two builds to switch between.

use super::app::{App, STOREFRONT};
use crate::sh::{root, Result};
use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
};

const COMPRESSIBLE: &[&str] = &["html", "js", "css", "wasm", "svg", "json", "webmanifest", "txt"];

/// Fills the app's service worker (in `dir`, the app's folder of the build) with this
/// build's file list and a build id derived from the files' contents, so the service
/// worker precaches exactly this build. Nothing is listed from the folders other apps
/// own (`not_precached`), nor the worker itself, nor the compressed copies.
pub fn write_service_worker(app: &App, dir: &Path) -> Result {
    let Some(template) = app.service_worker else { return Ok(()) };
    let template_path = root().join(template);
    let name = template_path.file_name().ok_or("the service worker has no file name")?;
    let sw_path = dir.join(name);
    let template = fs::read_to_string(&template_path).map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
    let files = precached_files(app, dir, &name.to_string_lossy())?;
    let mut hash = Fnv::new();
    for f in &files {
        hash.write(f.as_bytes());
        hash.write(&fs::read(dir.join(f)).map_err(|e| format!("cannot read {f}: {e}"))?);
    }
    let list = files.iter().map(|f| format!("'{}{f}'", app.prefix)).collect::<Vec<_>>().join(", ");
    let sw = template
        .replace("__AISLE_BUILD__", &format!("{:016x}", hash.finish()))
        .replace("/*__AISLE_PRECACHE__*/[]", &format!("[{list}]"));
    if sw == template {
        return Err(format!("{} lost its __AISLE_BUILD__ / __AISLE_PRECACHE__ placeholders", template_path.display()));
    }
    fs::write(&sw_path, sw).map_err(|e| e.to_string())
}

/// The files of `dir` the service worker precaches, as paths relative to it, sorted.
fn precached_files(app: &App, dir: &Path, sw_name: &str) -> Result<Vec<String>> {
    let mut files = Vec::new();
    list_files(dir, dir, &mut files)?;
    files.retain(|f| {
        f != sw_name
            && !f.ends_with(".br")
            && !f.ends_with(".gz")
            && !app.not_precached.iter().any(|other| f.starts_with(&format!("{}/", other.trim_end_matches('/'))))
    });
    files.sort();
    Ok(files)
}

/// 64-bit FNV-1a: a content hash for names and build ids (cache busting, not security).
pub struct Fnv(u64);

impl Fnv {
    pub fn new() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    pub fn finish(&self) -> u64 {
        self.0
    }
}

/// Paths relative to `base`, with `/` between folders.
fn list_files(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result {
    for entry in fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(base, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
        }
    }
    Ok(())
}

pub fn compress_dir(dir: &Path) -> Result {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            compress_dir(&path)?;
            continue;
        }
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let data = fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        write_with_suffix(&path, "br", &brotli_bytes(&data)?)?;
        write_with_suffix(&path, "gz", &gzip_bytes(&data)?)?;
    }
    Ok(())
}

fn write_with_suffix(path: &Path, suffix: &str, bytes: &[u8]) -> Result {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    fs::write(&name, bytes).map_err(|e| format!("cannot write {}: {e}", Path::new(&name).display()))
}

pub fn brotli_bytes(data: &[u8]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

pub fn gzip_bytes(data: &[u8]) -> Result<Vec<u8>> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(data).map_err(|e| e.to_string())?;
    w.finish().map_err(|e| e.to_string())
}

/// Two builds for the deploy test: A is the build just made; B is the same storefront
/// with a marker in `index.html`, and so a different service worker, as any new deploy
/// has.
pub fn prepare_deploy_builds(dist: &Path, out: &Path) -> Result<(PathBuf, PathBuf)> {
    let (a, b) = (out.join("build-a"), out.join("build-b"));
    for dir in [&a, &b] {
        let _ = fs::remove_dir_all(dir);
        copy_dir(dist, dir)?;
    }
    let index = b.join("index.html");
    let html = fs::read_to_string(&index).map_err(|e| e.to_string())?;
    let marked = html.replacen("<title>", "<meta name=\"aisle-build\" content=\"B\"><title>", 1);
    if marked == html {
        return Err("index.html has no <title> to mark build B by".into());
    }
    fs::write(&index, marked).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(&b).map_err(|e| e.to_string())?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".br") || name.ends_with(".gz") {
            fs::remove_file(entry.path()).map_err(|e| e.to_string())?;
        }
    }
    write_service_worker(&STOREFRONT, &b)?;
    compress_dir(&b)?;
    Ok((a, b))
}

pub fn copy_dir(from: &Path, to: &Path) -> Result {
    fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(from).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        let target = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &target)?;
        } else {
            fs::copy(&path, &target).map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_storefront_precaches_every_part_but_never_the_back_office() {
        let dir = std::env::temp_dir().join(format!("aisle-precache-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        for f in ["index.html", "index.html.br", "sw.js", "aisle-0123456789abcdef_bg.wasm", "icons/icon-192.png", "staff/index.html", "staff/staff-0123456789abcdef.js",
            "pkg-0123456789abcdef/aisle.js", "pkg-0123456789abcdef/chunk_7.wasm", "pkg-0123456789abcdef/chunk_7.wasm.br"] {
            let path = dir.join(f);
            fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            fs::write(&path, f).expect("file");
        }
        let files = precached_files(&STOREFRONT, &dir, "sw.js");
        let _ = fs::remove_dir_all(&dir);
        assert_eq!(
            files.expect("list"),
            ["aisle-0123456789abcdef_bg.wasm", "icons/icon-192.png", "index.html", "pkg-0123456789abcdef/aisle.js", "pkg-0123456789abcdef/chunk_7.wasm"]
        );
    }

    #[test]
    fn deploy_build_b_has_its_own_page_and_service_worker() {
        let tmp = std::env::temp_dir().join(format!("aisle-deploy-builds-{}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        let dist = tmp.join("dist");
        fs::create_dir_all(&dist).expect("dist");
        fs::write(dist.join("index.html"), "<html><head><title>Aisle</title></head></html>").expect("page");
        fs::write(dist.join("aisle-0123456789abcdef.js"), "js").expect("js");
        write_service_worker(&STOREFRONT, &dist).expect("service worker");
        compress_dir(&dist).expect("compress");
        let (a, b) = prepare_deploy_builds(&dist, &tmp.join("out")).expect("builds");
        let read = |p: PathBuf| fs::read_to_string(p).expect("read");
        let (sw_a, sw_b) = (read(a.join("sw.js")), read(b.join("sw.js")));
        let page_b = read(b.join("index.html"));
        let sw_b_br = fs::read(b.join("sw.js.br")).expect("B's compressed worker");
        let _ = fs::remove_dir_all(&tmp);
        assert!(sw_a.contains("['/aisle-0123456789abcdef.js', '/index.html']"), "{sw_a}");
        assert!(sw_b.contains("['/aisle-0123456789abcdef.js', '/index.html']"), "{sw_b}");
        assert_ne!(sw_a, sw_b, "B's worker has another build id");
        assert!(page_b.contains("<meta name=\"aisle-build\" content=\"B\">"), "{page_b}");
        assert_eq!(sw_b_br, brotli_bytes(sw_b.as_bytes()).expect("brotli"), "B's copies are B's");
    }
}
