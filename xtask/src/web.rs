//! Builds the web app with trunk into `dist/`, then writes a brotli and a gzip copy of
//! each file beside it so the server sends compressed files without compressing per
//! request.

use crate::{cmd, root, run_cmd, step, Result};
use std::{fs, io::Write, path::Path};

const COMPRESSIBLE: &[&str] = &["html", "js", "css", "wasm", "svg", "json", "webmanifest", "txt"];

pub fn build() -> Result {
    step("building the web app (trunk, release)");
    run_cmd(cmd("trunk").args(["build", "--release"]))?;
    compress_dir(&root().join("dist"))
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
