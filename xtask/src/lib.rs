//! Project automation behind `cargo xtask` (the alias is in `.cargo/config.toml`).
//!
//! [`codegen`] is the one code-generation path: `cargo xtask codegen` writes
//! every crate in [`TARGETS`] (`generated-client/` from `spec/openapi.yaml`,
//! and the small clients the end-to-end tests compile from fixture specs),
//! while `cargo xtask codegen --check` and the test suite call it in check
//! mode. Each crate's version follows what each spec change does to its Rust
//! API ([`versioning`]).
//!
//! [`diff`] is `cargo xtask diff OLD NEW [--json]`: the same API change
//! report for any two specs. [`fuzz`] is the generator's mutation fuzzer
//! (`cargo xtask fuzz --seconds N`).
//!
//! [`corpus`] is `cargo xtask corpus [DIR]`: generates and `cargo check`s a
//! crate for every spec of a directory of real-world documents.
//! [`pagination`] is `cargo xtask pagination PATH…`: which operations each
//! spec has paginated, by rule. [`stream_memory`] is `cargo xtask
//! stream-memory`: the peak memory of a 1 GiB download streamed through a
//! generated client.
//!
//! [`examples`] is `cargo xtask examples [DIR…]`: every example the specs
//! of real-world directories ship must decode into its generated type and
//! re-encode unchanged.
//!
//! [`bench::bench`] is `cargo xtask bench`: how fast the generator is and
//! how cheap its output is to compile.
//!
//! [`scratch`] is the one way to compile generated crates: a temporary
//! workspace of them, checked or built by one cargo command.

pub mod bench;
pub mod corpus;
pub mod examples;
pub mod fuzz;
pub mod scratch;
pub mod stream_memory;
pub mod pagination;
pub mod versioning;

use std::path::{Path, PathBuf};

use openapi_rust_gen::{Config, Generated, output};

use crate::versioning::Versioned;

/// One generated crate: its spec, its configuration file, where it goes and
/// its package name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// The spec, relative to the workspace root.
    pub spec: &'static str,
    /// The configuration file (`--config`), relative to the workspace root, if any.
    pub config: Option<&'static str>,
    /// The crate directory, relative to the workspace root.
    pub out: &'static str,
    /// The package name.
    pub crate_name: &'static str,
    /// Whether a generator warning fails codegen: our own specs must be
    /// clean; fixtures that document fallbacks on purpose are not.
    pub strict: bool,
}

/// Every crate `cargo xtask codegen` writes; the first is the project's client.
pub const TARGETS: &[Target] = &[
    Target { spec: SPEC, config: None, out: OUT, crate_name: CRATE_NAME, strict: true },
    // A string path parameter, for the end-to-end escaping test (tests/tests/e2e.rs).
    Target { spec: "tests/fixtures/path_escape.yaml", config: None, out: "tests/clients/path-escape", crate_name: "path-escape-client", strict: true },
    // Unions and additionalProperties, for the decoding tests (tests/tests/decoding.rs).
    Target { spec: "tests/fixtures/unions_discriminator.yaml", config: None, out: "tests/clients/unions", crate_name: "unions-client", strict: true },
    Target {
        spec: "tests/fixtures/additional_properties.yaml",
        config: None,
        out: "tests/clients/additional-properties",
        crate_name: "additional-properties-client",
        strict: true,
    },
    // Every other fixture with parameters or a request body, for the wire
    // tests (tests/tests/wire_params.rs): each operation is called with every
    // setter and what arrives is asserted. Fixtures that document generator
    // warnings on purpose are generated without `strict`.
    Target { spec: "tests/fixtures/query_styles.yaml", config: None, out: "tests/clients/query-styles", crate_name: "query-styles-client", strict: true },
    Target { spec: "tests/fixtures/params_responses.yaml", config: None, out: "tests/clients/params-responses", crate_name: "params-responses-client", strict: true },
    Target { spec: "tests/fixtures/bodies.yaml", config: None, out: "tests/clients/bodies", crate_name: "bodies-client", strict: false },
    Target { spec: "tests/fixtures/component_refs.yaml", config: None, out: "tests/clients/component-refs", crate_name: "component-refs-client", strict: false },
    Target { spec: "tests/fixtures/enum_edge_cases.yaml", config: None, out: "tests/clients/enum-edge-cases", crate_name: "enum-edge-cases-client", strict: false },
    Target { spec: "tests/fixtures/enum_variant_names.yaml", config: None, out: "tests/clients/enum-variant-names", crate_name: "enum-variant-names-client", strict: true },
    Target { spec: "tests/fixtures/names.yaml", config: None, out: "tests/clients/names", crate_name: "names-client", strict: true },
    Target { spec: "tests/fixtures/no_operation_id.yaml", config: None, out: "tests/clients/no-operation-id", crate_name: "no-operation-id-client", strict: false },
    Target { spec: "tests/fixtures/hostile_text.json", config: None, out: "tests/clients/hostile-text", crate_name: "hostile-text-client", strict: true },
    Target { spec: "tests/fixtures/nedzo_fastapi_31.json", config: None, out: "tests/clients/nedzo-fastapi-31", crate_name: "nedzo-fastapi-31-client", strict: true },
    Target { spec: "tests/fixtures/param_names.yaml", config: None, out: "tests/clients/param-names", crate_name: "param-names-client", strict: true },
    Target { spec: "tests/fixtures/param_types.yaml", config: None, out: "tests/clients/param-types", crate_name: "param-types-client", strict: true },
    Target { spec: "tests/fixtures/inline_nesting.yaml", config: None, out: "tests/clients/inline-nesting", crate_name: "inline-nesting-client", strict: true },
    // Responses the spec does not promise, for tests/tests/e2e_decoding.rs.
    Target { spec: "tests/fixtures/tolerant_decoding.yaml", config: None, out: "tests/clients/tolerant-decoding", crate_name: "tolerant-decoding-client", strict: true },
    // Schemas replaced by existing Rust types (a configuration file and
    // `x-rust-type`), for the end-to-end test of their wire format (tests/tests/e2e.rs).
    Target {
        spec: "tests/fixtures/config_replace.yaml",
        config: Some("tests/fixtures/config_replace.toml"),
        out: "tests/clients/replaced",
        crate_name: "replaced-client",
        strict: true,
    },
    // Paginated lists, events, JSON Lines and downloads, for tests/tests/streams_e2e.rs.
    Target { spec: "tests/fixtures/stream_service.yaml", config: None, out: "tests/clients/stream-service", crate_name: "stream-service-client", strict: true },
    // File uploads and binary bodies, for the upload tests (tests/tests/uploads.rs).
    Target { spec: "tests/fixtures/uploads.yaml", config: None, out: "tests/clients/uploads", crate_name: "uploads-client", strict: true },
    // OAuth2 client credentials, API keys and redirects, for the credential tests (tests/tests/credentials.rs).
    Target {
        spec: "tests/fixtures/oauth2_client_credentials.yaml",
        config: None,
        out: "tests/clients/oauth2",
        crate_name: "oauth2-client",
        strict: true,
    },
    // Shapes real specs' examples decoded wrongly (`cargo xtask examples`), for tests/tests/decoding.rs.
    Target { spec: "tests/fixtures/real_examples.yaml", config: None, out: "tests/clients/real-examples", crate_name: "real-examples-client", strict: true },
];

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
        // Our own specs must be clean: a warning (a fallback) fails codegen.
        strict: true,
    };
    openapi_rust_gen::generate_file(&root.join(SPEC), &config).map_err(|e| format!("error: {e}"))
}

/// Generates the client for the default spec in memory, versioned by the
/// change since the spec snapshot in `generated-client/`.
pub fn generate_versioned() -> Result<Versioned, String> {
    generate_target(&TARGETS[0])
}

/// Generates one target's crate in memory, versioned by the change since the
/// spec snapshot in its directory.
pub fn generate_target(target: &Target) -> Result<Versioned, String> {
    versioning::generate(&root(), target, COMMAND)
}

/// Regenerates every crate in [`TARGETS`] (or checks them). Writing prints
/// each API change report and version decision first. In check mode, stale
/// files are an error naming them, each report and the version it demands,
/// and the command to run. Returns the generator's warnings.
pub fn codegen(mode: Mode) -> Result<Vec<String>, String> {
    let root = root();
    let mut warnings = Vec::new();
    let mut stale_report = Vec::new();
    for target in TARGETS {
        let versioned = generate_target(target)?;
        let generated = &versioned.generated;
        warnings.extend(generated.warnings.iter().map(|w| format!("{}: {w}", target.spec)));
        let out = root.join(target.out);
        match mode {
            Mode::Write => {
                println!("{}", versioned.summary(target.crate_name));
                output::write(&out, &generated.files).map_err(|e| format!("error: {e}"))?
            }
            Mode::Check => {
                let stale = output::stale(&out, &generated.files).map_err(|e| format!("error: {e}"))?;
                if !stale.is_empty() {
                    let list: Vec<String> = stale.iter().map(|s| format!("  {}/{s}", target.out)).collect();
                    stale_report.push(format!("{}\n{}", list.join("\n"), versioned.demand(target.crate_name)));
                }
            }
        }
    }
    if !stale_report.is_empty() {
        return Err(format!(
            "generated code is stale (spec or generator changed):\n{}\nrun: {COMMAND}",
            stale_report.join("\n")
        ));
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
