//! Project automation behind `cargo xtask` (the alias is in `.cargo/config.toml`).
//!
//! [`codegen`] is the one code-generation path: `cargo xtask codegen` writes
//! `generated-client/` from `spec/openapi.yaml`, while `cargo xtask codegen
//! --check` and the test suite call it in check mode.

use std::path::{Path, PathBuf};

use openapi_rust_gen::{Config, Generated, output};

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

/// Regenerates `generated-client/` (or checks it) from `spec/openapi.yaml`.
/// In check mode, a stale file is an error naming it and the command to run.
pub fn codegen(mode: Mode) -> Result<Vec<String>, String> {
    let root = root();
    let generated = generate_default()?;
    let warnings: Vec<String> = generated.warnings.iter().map(ToString::to_string).collect();
    let out = root.join(OUT);
    match mode {
        Mode::Write => output::write(&out, &generated.files).map_err(|e| format!("error: {e}"))?,
        Mode::Check => {
            let stale = output::stale(&out, &generated.files).map_err(|e| format!("error: {e}"))?;
            if !stale.is_empty() {
                let list: Vec<String> = stale.iter().map(|s| format!("  {OUT}/{s}")).collect();
                return Err(format!(
                    "generated code is stale (spec or generator changed):\n{}\nrun: {COMMAND}",
                    list.join("\n")
                ));
            }
        }
    }
    Ok(warnings)
}
