//! Stage 5, write: puts a generated crate on disk atomically, or checks that
//! the files on disk are up to date.
//!
//! The new crate is assembled in a temporary sibling directory (with every
//! hand-written file of the old one, such as `examples/`, copied over) and
//! swapped in with renames; any failure before the swap leaves the old
//! directory untouched.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::render::is_generated;

fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.to_owned();
    move |source| Error::Io { action, path, source }
}

/// Every file under `dir` (relative paths with `/`), skipping `target/` and hidden entries.
fn list_files(dir: &Path) -> Result<Vec<String>, Error> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let abs = dir.join(&rel);
        for entry in fs::read_dir(&abs).map_err(io("cannot list", &abs))? {
            let entry = entry.map_err(io("cannot list", &abs))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') || (rel.as_os_str().is_empty() && name == "target") {
                continue;
            }
            let child = rel.join(&name);
            let ty = entry.file_type().map_err(io("cannot stat", &entry.path()))?;
            if ty.is_dir() {
                stack.push(child);
            } else if ty.is_file() {
                out.push(child.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Writes `files` as the generated content of `out`, atomically.
pub fn write(out: &Path, files: &BTreeMap<String, String>) -> Result<(), Error> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io("cannot create", &parent))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".to_owned());
    let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let result = (|| {
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(io("cannot remove", &tmp))?;
        }
        fs::create_dir_all(&tmp).map_err(io("cannot create", &tmp))?;
        if out.exists() {
            for rel in list_files(out)? {
                if files.contains_key(&rel) {
                    continue;
                }
                let src = out.join(&rel);
                let content = fs::read(&src).map_err(io("cannot read", &src))?;
                if is_generated(&content) {
                    continue; // a generated file the new output no longer has
                }
                let dst = tmp.join(&rel);
                if let Some(p) = dst.parent() {
                    fs::create_dir_all(p).map_err(io("cannot create", p))?;
                }
                fs::write(&dst, content).map_err(io("cannot write", &dst))?;
            }
        }
        for (rel, content) in files {
            let dst = tmp.join(rel);
            if let Some(p) = dst.parent() {
                fs::create_dir_all(p).map_err(io("cannot create", p))?;
            }
            fs::write(&dst, content).map_err(io("cannot write", &dst))?;
        }
        if out.exists() {
            fs::rename(out, &old).map_err(io("cannot move aside", out))?;
            if let Err(e) = fs::rename(&tmp, out) {
                let _ = fs::rename(&old, out);
                return Err(io("cannot move into place", out)(e));
            }
            fs::remove_dir_all(&old).map_err(io("cannot remove", &old))?;
        } else {
            fs::rename(&tmp, out).map_err(io("cannot move into place", out))?;
        }
        Ok(())
    })();
    if result.is_err() && tmp.exists() {
        let _ = fs::remove_dir_all(&tmp);
    }
    result
}

/// The files that differ from `files` under `out`: changed, missing, or
/// generated files the new output no longer has. Empty when up to date.
pub fn stale(out: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, Error> {
    let mut stale = Vec::new();
    for (rel, content) in files {
        match fs::read(out.join(rel)) {
            Ok(on_disk) if on_disk == content.as_bytes() => {}
            _ => stale.push(rel.clone()),
        }
    }
    if out.exists() {
        for rel in list_files(out)? {
            if !files.contains_key(&rel) {
                let path = out.join(&rel);
                let content = fs::read(&path).map_err(io("cannot read", &path))?;
                if is_generated(&content) {
                    stale.push(rel);
                }
            }
        }
    }
    stale.sort();
    Ok(stale)
}
