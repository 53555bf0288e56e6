//! openapi-rust-gen: turns an OpenAPI 3.0/3.1 document into a typed Rust
//! client crate.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] (read, normalize 3.1, parse, resolve) → [`model`] (IR, names from
//! [`naming`]) → [`emit`] (tokens) → [`render`] (syn + prettyplease) →
//! [`output`] (atomic write or freshness check). [`generate`] runs the first
//! four; the caller decides whether to write or check.
//!
//! [`diff`] compares the models of two specs and classifies each change for
//! Rust users (breaking, additive, docs-only); [`diff_specs`] runs it on two
//! documents.

pub mod diff;
pub mod emit;
pub mod error;
pub mod load;
pub mod model;
pub mod naming;
pub mod output;
pub mod render;

use std::collections::BTreeMap;
use std::path::Path;

pub use error::{Error, Problem, Warning};

/// The static runtime every generated crate contains.
const RUNTIME: &str = include_str!("../templates/runtime.rs");

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// The package name of the generated crate (`nedzo-client`).
    pub crate_name: String,
    /// The crate version; `None` takes `info.version` when it is semver, else `0.1.0`.
    pub crate_version: Option<String>,
    /// How the spec is named in the generated header (a relative path, never absolute).
    pub spec_label: String,
    /// The command that regenerates the output, named in the generated header.
    pub regenerate: String,
    /// Treat every warning as an error: the spec is rejected, with every
    /// warning listed as a located problem, instead of generating with
    /// fallbacks. See [`error`] for which defects are errors and which are
    /// warnings.
    pub strict: bool,
}

/// A generated crate, in memory.
#[derive(Debug, Clone)]
pub struct Generated {
    /// File path (relative, `/`-separated) → content.
    pub files: BTreeMap<String, String>,
    /// The model it was emitted from.
    pub api: model::Api,
    /// Constructs that fell back to a safe type.
    pub warnings: Vec<Warning>,
}

/// Reads the spec at `path` and generates the crate in memory.
pub fn generate_file(path: &Path, config: &Config) -> Result<Generated, Error> {
    let io = |source| Error::Io { action: "cannot read", path: path.to_owned(), source };
    // Refuse an oversized file before reading it into memory.
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > load::MAX_SPEC_BYTES as u64 {
        return Err(Error::spec(&config.spec_label, load::too_big(len)));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    generate(&bytes, config)
}

/// Loads and models a spec without emitting code (for reports and diffs).
pub fn model_of(bytes: &[u8], origin: &str) -> Result<model::Api, Error> {
    let loaded = load::load_partial(bytes, origin)?;
    let built = model::build::build(&loaded.api);
    let mut problems = loaded.problems;
    let mut api = match built {
        Ok(api) if problems.is_empty() => api,
        Ok(_) => return Err(Error::Spec { origin: origin.to_owned(), problems }),
        Err(more) => {
            problems.extend(more);
            return Err(Error::Spec { origin: origin.to_owned(), problems });
        }
    };
    api.warnings.extend(loaded.warnings);
    api.warnings.sort();
    api.warnings.dedup();
    Ok(api)
}

/// Compares two specs (JSON or YAML bytes, each with its name for errors)
/// and reports what the change does to the generated Rust API ([`diff`]).
pub fn diff_specs(old: &[u8], old_origin: &str, new: &[u8], new_origin: &str) -> Result<diff::Report, Error> {
    let old = model_of(old, old_origin)?;
    let new = model_of(new, new_origin)?;
    Ok(diff::diff(&old, &new))
}

/// Generates the crate for spec bytes (JSON or YAML) in memory.
pub fn generate(bytes: &[u8], config: &Config) -> Result<Generated, Error> {
    let api = model_of(bytes, &config.spec_label)?;
    if config.strict && !api.warnings.is_empty() {
        let problems = api.warnings.iter().map(|w| Problem::new(w.pointer.clone(), format!("{} [strict mode: warnings are errors]", w.message))).collect();
        return Err(Error::Spec { origin: config.spec_label.clone(), problems });
    }
    let header = render::header(&config.spec_label, &config.regenerate);
    let version = config.crate_version.clone().unwrap_or_else(|| emit::krate::crate_version(&api.spec_version));
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), emit::krate::cargo_toml(&header, &config.crate_name, &version, &api));
    files.insert("src/lib.rs".to_owned(), render::rust_file("src/lib.rs", emit::krate::lib_rs(&api, &config.crate_name), &header)?);
    files.insert("src/types.rs".to_owned(), render::rust_file("src/types.rs", emit::types::types(&api), &header)?);
    files.insert("src/client.rs".to_owned(), render::rust_file("src/client.rs", emit::client::client(&api), &header)?);
    files.insert("src/runtime.rs".to_owned(), format!("{header}\n{RUNTIME}"));
    let warnings = api.warnings.clone();
    Ok(Generated { files, api, warnings })
}
