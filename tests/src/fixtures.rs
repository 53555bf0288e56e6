//! Snapshot and compile helpers for fixture specs: one helper generates a
//! fixture's crate in memory, renders it as one reviewable text for insta,
//! and can compile a set of generated crates together in one scratch
//! workspace (`xtask::scratch`).

use std::path::{Path, PathBuf};

use openapi_rust_gen::{Config, ConfigFile, Generated, Generator};
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

/// The generator for a fixture: its configuration file is the `.toml` next
/// to the spec (`config_filter.yaml` → `config_filter.toml`), if there is one.
pub fn generator(spec: &Path) -> Generator {
    let rel = |p: &Path| p.strip_prefix(root()).unwrap_or(p).to_string_lossy().replace('\\', "/");
    let config = Config {
        crate_name: crate_name(spec),
        crate_version: None,
        spec_label: rel(spec),
        regenerate: format!("cargo test -p integration-tests --test snapshots ({})", rel(spec)),
        strict: false,
    };
    let toml = spec.with_extension("toml");
    match toml.is_file() {
        true => Generator::new(config).with_config_file(ConfigFile::from_file(&toml, &rel(&toml)).unwrap_or_else(|e| panic!("{e}"))),
        false => Generator::new(config),
    }
}

/// Generates a fixture's crate in memory (panics with the generator's error).
pub fn generate(spec: &Path) -> Generated {
    generator(spec).generate_file(spec).unwrap_or_else(|e| panic!("{e}"))
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

/// The cargo arguments that check a generated crate with each of its
/// features alone, with none, with `full` and with the defaults (nothing
/// when it has no per-tag features).
pub fn feature_runs(crate_name: &str, generated: &Generated) -> Vec<Vec<String>> {
    let Some(features) = &generated.api.features else { return Vec::new() };
    let run = |extra: &[&str]| -> Vec<String> { ["-p", crate_name].iter().chain(extra).map(|s| (*s).to_owned()).collect() };
    let mut runs = vec![run(&["--no-default-features"]), run(&[]), run(&["--no-default-features", "--features", "full"])];
    runs.extend(features.tags.iter().map(|(f, _)| run(&["--no-default-features", "--features", f])));
    runs
}

/// Writes the crates as members of one scratch workspace in `ws`
/// (`xtask::scratch`) and runs `cargo clippy -- -D warnings` over all of
/// them (one shared target directory). Returns cargo's combined output on
/// failure.
pub fn compile_all(ws: &Path, crates: &[(String, Generated)]) -> Result<(), String> {
    compile_all_with(ws, crates, &[vec!["--workspace".to_owned()]])
}

/// [`compile_all`], with `cargo clippy` run once per argument list (such as
/// `["--workspace"]`, or `["-p", "NAME", "--no-default-features", "--features", "pets"]`).
pub fn compile_all_with(ws: &Path, crates: &[(String, Generated)], runs: &[Vec<String>]) -> Result<(), String> {
    let mut scratch = Scratch::new(ws)?;
    for (crate_name, generated) in crates {
        scratch.add(crate_name, &generated.files)?;
    }
    for extra in runs {
        let mut args = vec!["clippy", "--all-targets", "--quiet"];
        args.extend(extra.iter().map(String::as_str));
        args.extend(["--", "-D", "warnings"]);
        let out = scratch.cargo(&args).output().map_err(|e| format!("cannot run cargo: {e}"))?;
        if !out.status.success() {
            return Err(format!("with {extra:?}:\n{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)));
        }
    }
    Ok(())
}
