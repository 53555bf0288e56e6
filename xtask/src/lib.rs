//! Project automation behind `cargo xtask` (the alias is in `.cargo/config.toml`).
//!
//! [`codegen`] is the one code-generation path: `cargo xtask codegen` writes
//! `generated-client/` from `spec/openapi.yaml`, while `cargo xtask codegen
//! --check` and the test suite call it in check mode. The crate's version
//! follows what each spec change does to its Rust API ([`versioning`]).
//!
//! [`diff`] is `cargo xtask diff OLD NEW [--json]`: the same API change
//! report for any two specs.

pub mod versioning;

use std::path::{Path, PathBuf};

use openapi_rust_gen::{Config, Generated, output};

use crate::versioning::Versioned;

/// The default spec, relative to the workspace root.
pub const SPEC: &str = "spec/openapi.yaml";
/// The generated crate, relative to the workspace root.
pub const OUT: &str = "generated-client";
/// The generated package name.
pub const CRATE_NAME: &str = "nedzo-client";
/// The command that regenerates the client.
pub const COMMAND: &str = "cargo xtask codegen";

/// The workspace root (from this crate's manifest directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// Write the output, or only check that it is fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Regenerate the files.
    Write,
    /// Fail on stale files.
    Check,
}

/// Generates the client for the default spec in memory.
pub fn generate_default() -> Result<Generated, String> {
    let root = root();
    let config = Config {
        crate_name: CRATE_NAME.to_owned(),
        crate_version: None,
        spec_label: SPEC.to_owned(),
        regenerate: COMMAND.to_owned(),
    };
    openapi_rust_gen::generate_file(&root.join(SPEC), &config).map_err(|e| format!("error: {e}"))
}

/// Generates the client for the default spec in memory, versioned by the
/// change since the spec snapshot in `generated-client/`.
pub fn generate_versioned() -> Result<Versioned, String> {
    versioning::generate(&root(), SPEC, OUT, CRATE_NAME, COMMAND)
}

/// Regenerates `generated-client/` (or checks it) from `spec/openapi.yaml`.
/// Writing prints the API change report and the version decision first. In
/// check mode, a stale file is an error naming it, the report and the
/// version it demands, and the command to run.
pub fn codegen(mode: Mode) -> Result<Vec<String>, String> {
    let root = root();
    let versioned = generate_versioned()?;
    let generated = &versioned.generated;
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    let out = root.join(OUT);
    match mode {
        Mode::Write => {
            println!("{}", versioned.summary(CRATE_NAME));
            output::write(&out, &generated.files).map_err(|e| format!("error: {e}"))?
        }
        Mode::Check => {
            let stale = output::stale(&out, &generated.files).map_err(|e| format!("error: {e}"))?;
            if !stale.is_empty() {
                let list: Vec<String> = stale.iter().map(|s| format!("  {OUT}/{s}")).collect();
                return Err(format!(
                    "generated code is stale (spec or generator changed):\n{}\n{}\nrun: {COMMAND}",
                    list.join("\n"),
                    versioned.demand(CRATE_NAME)
                ));
            }
        }
    }
    Ok(warnings)
}

/// `cargo xtask diff OLD NEW [--json]`: the API change report between two
/// specs (paths relative to the current directory), as text or JSON.
pub fn diff(old: &Path, new: &Path, json: bool) -> Result<String, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("error: cannot read {}: {e}", p.display()));
    let (old_bytes, new_bytes) = (read(old)?, read(new)?);
    let report = openapi_rust_gen::diff_specs(&old_bytes, &old.to_string_lossy(), &new_bytes, &new.to_string_lossy())
        .map_err(|e| format!("error: {e}"))?;
    Ok(if json { report.to_json() } else { report.to_text() })
}
