//! Builds the web app with trunk into `dist/`, then writes a brotli and a gzip copy of
//! each file beside it so the server sends compressed files without compressing per
//! request.

use crate::sh::{cmd, root, run_cmd, step, Result};
use std::{fs, io::Write, path::Path};

const COMPRESSIBLE: &[&str] = &["html", "js", "css", "wasm", "svg", "json", "webmanifest", "txt"];

pub fn build() -> Result {
    step("building the web app (trunk, release)");
    run_cmd(cmd("trunk").args(["build", "--release"]))?;
    let dist = root().join("dist");
    crate::icons::write_icons(&dist.join("icons"))?;
    write_service_worker(&dist)?;
    compress_dir(&dist)
}

/// Fills `dist/sw.js` with this build's file list and a build id derived from the
/// files' contents, so the service worker precaches exactly this build.
pub fn write_service_worker(dist: &Path) -> Result {
    let sw_path = dist.join("sw.js");
    let template_path = root().join("public/sw.js");
    let template = fs::read_to_string(&template_path).map_err(|e| format!("cannot read {}: {e}", template_path.display()))?;
    let mut files = Vec::new();
    list_files(dist, dist, &mut files)?;
    files.retain(|f| f != "/sw.js" && !f.ends_with(".br") && !f.ends_with(".gz"));
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for f in &files {
        let bytes = fs::read(dist.join(f.trim_start_matches('/'))).map_err(|e| e.to_string())?;
        for b in f.as_bytes().iter().chain(&bytes) {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    let list = files.iter().map(|f| format!("'{f}'")).collect::<Vec<_>>().join(", ");
    let sw = template
        .replace("__AISLE_BUILD__", &format!("{hash:016x}"))
        .replace("/*__AISLE_PRECACHE__*/[]", &format!("[{list}]"));
    if sw == template {
        return Err("public/sw.js lost its __AISLE_BUILD__ / __AISLE_PRECACHE__ placeholders".into());
    }
    fs::write(&sw_path, sw).map_err(|e| e.to_string())
}

fn list_files(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result {
    for entry in fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(base, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(format!("/{}", rel.to_string_lossy()));
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

/// Two builds for the deploy test: A is the build just made; B is the same app with a
/// marker in `index.html`, and so a different service worker, as any new deploy has.
pub fn prepare_deploy_builds(dist: &Path, out: &Path) -> Result<(std::path::PathBuf, std::path::PathBuf)> {
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
    write_service_worker(&b)?;
    compress_dir(&b)?;
    Ok((a, b))
}

fn copy_dir(from: &Path, to: &Path) -> Result {
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
