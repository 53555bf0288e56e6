//! Snapshot and compile helpers for fixture specs: one helper generates a
//! fixture's crate in memory, renders it as one reviewable text for insta,
//! and can compile a set of generated crates together in one scratch
//! workspace (`xtask::scratch`).

use std::path::{Path, PathBuf};

use openapi_rust_gen::{Config, Generated};
use xtask::scratch::Scratch;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Fixture specs under `tests/fixtures/` (top level only), sorted.
pub fn fixture_specs() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .collect();
    specs.sort();
    specs
}

/// The crate name used for a fixture: `fixture-<stem>`.
pub fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    format!("fixture-{}", stem.replace('_', "-").to_ascii_lowercase())
}

/// Generates a fixture's crate in memory (panics with the generator's error).
pub fn generate(spec: &Path) -> Generated {
    let rel = spec.strip_prefix(root()).unwrap_or(spec).to_string_lossy().replace('\\', "/");
    let config = Config {
        crate_name: crate_name(spec),
        crate_version: None,
        spec_label: rel.clone(),
        regenerate: format!("cargo test -p integration-tests --test snapshots ({rel})"),
        strict: false,
    };
    openapi_rust_gen::generate_file(spec, &config).unwrap_or_else(|e| panic!("{e}"))
}

/// One text for a snapshot: every generated file except the static runtime,
/// then the warnings.
pub fn snapshot_text(generated: &Generated) -> String {
    let mut out = String::new();
    for (path, content) in &generated.files {
        if path == "src/runtime.rs" {
            continue;
        }
        out.push_str(&format!("===== {path} =====\n{content}\n"));
    }
    if !generated.warnings.is_empty() {
        out.push_str("===== warnings =====\n");
        for w in &generated.warnings {
            out.push_str(&format!("{w}\n"));
        }
    }
    out
}

/// Writes the crates as members of one scratch workspace in `ws`
/// (`xtask::scratch`) and runs `cargo clippy -- -D warnings` over all of
/// them (one shared target directory). Returns cargo's combined output on
/// failure.
pub fn compile_all(ws: &Path, crates: &[(String, Generated)]) -> Result<(), String> {
    let mut scratch = Scratch::new(ws)?;
    for (crate_name, generated) in crates {
        scratch.add(crate_name, &generated.files)?;
    }
    let out = scratch
        .cargo(&["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }
}
