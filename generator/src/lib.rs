//! openapi-rust-gen: turns an OpenAPI 3.0/3.1 document into a typed Rust
//! client crate.
//!
//! The pipeline runs one way, one module per stage:
//! [`load`] (read, normalize 3.1, parse, resolve) → [`model`] (IR, names from
//! [`naming`]) → [`transform`] (filter, prune, replace, derives, features, as
//! the [`config_file`] asks) → [`emit`] (tokens) → [`render`] (syn +
//! prettyplease) → [`output`] (atomic write or freshness check).
//!
//! [`Generator`] is the one entry point (the command line, `cargo xtask` and
//! the tests use it): [`Generator::model`] runs load, model and transform,
//! [`Generator::emit`] the rest up to file texts in memory, and
//! [`Generator::generate`] both; the caller decides whether to write or
//! check. [`generate`] and [`generate_file`] are shorthands for a generator
//! without a configuration file.
//!
//! [`diff`] compares the models of two specs and classifies each change for
//! Rust users (breaking, additive, docs-only); [`diff_specs`] runs it on two
//! documents. [`version`] reads crate versions and `info.version` (the `semver` crate).

pub mod config_file;
pub mod diff;
pub mod emit;
pub mod error;
pub mod load;
pub mod model;
pub mod naming;
pub mod output;
pub mod process_stats;
pub mod render;
pub mod transform;
pub mod version;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

pub use config_file::ConfigFile;
pub use error::{Error, Problem, Warning, WarningKind};

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

/// Wall time of each pipeline stage of one run, in order (for the CLI's
/// `--stats` and `cargo xtask bench`).
#[derive(Debug, Clone, Default)]
pub struct Stages(pub Vec<(&'static str, Duration)>);

impl Stages {
    /// Runs `f`, adding its wall time to stage `name`.
    pub fn time<R>(&mut self, name: &'static str, f: impl FnOnce() -> R) -> R {
        let start = Instant::now();
        let r = f();
        self.add(name, start.elapsed());
        r
    }

    /// Adds `took` to stage `name`.
    pub fn add(&mut self, name: &'static str, took: Duration) {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, d)) => *d += took,
            None => self.0.push((name, took)),
        }
    }
}

/// The generator: a [`Config`] (which crate to write) and a
/// [`ConfigFile`] (what to generate from the spec; empty by default).
///
/// ```no_run
/// # fn main() -> Result<(), openapi_rust_gen::Error> {
/// use openapi_rust_gen::{Config, ConfigFile, Generator};
/// let config = Config {
///     crate_name: "pets-client".to_owned(),
///     crate_version: None,
///     spec_label: "pets.yaml".to_owned(),
///     regenerate: "openapi-rust-gen --spec pets.yaml --out pets-client --crate-name pets-client".to_owned(),
///     strict: false,
/// };
/// let file = ConfigFile::from_toml("[filter]\ninclude_tags = [\"pets\"]\n", "pets.toml");
/// let generator = Generator::new(config).with_config_file(file);
/// let api = generator.model(&std::fs::read("pets.yaml").map_err(|source| {
///     openapi_rust_gen::Error::Io { action: "cannot read", path: "pets.yaml".into(), source }
/// })?)?;
/// // … inspect or diff the model …
/// let generated = generator.emit(api)?;
/// openapi_rust_gen::output::write("pets-client".as_ref(), &generated.files)?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Generator {
    /// Which crate to write.
    pub config: Config,
    /// What to generate from the spec (`--config FILE`).
    pub config_file: ConfigFile,
}

impl Generator {
    /// A generator without a configuration file.
    pub fn new(config: Config) -> Self {
        Generator { config, config_file: ConfigFile::default() }
    }

    /// The same generator with a configuration file.
    pub fn with_config_file(mut self, config_file: ConfigFile) -> Self {
        self.config_file = config_file;
        self
    }

    /// Reads the spec at `path` and generates the crate in memory.
    pub fn generate_file(&self, path: &Path) -> Result<Generated, Error> {
        self.generate_file_staged(path, &mut Stages::default())
    }

    /// [`Self::generate_file`], recording the time of each stage.
    pub fn generate_file_staged(&self, path: &Path, stages: &mut Stages) -> Result<Generated, Error> {
        let bytes = read_spec(path, &self.config.spec_label, stages)?;
        self.generate_staged(&bytes, stages)
    }

    /// Generates the crate for spec bytes (JSON or YAML) in memory.
    pub fn generate(&self, bytes: &[u8]) -> Result<Generated, Error> {
        self.generate_staged(bytes, &mut Stages::default())
    }

    /// [`Self::generate`], recording the time of each stage.
    pub fn generate_staged(&self, bytes: &[u8], stages: &mut Stages) -> Result<Generated, Error> {
        let api = self.model_staged(bytes, stages)?;
        self.emit_staged(api, stages)
    }

    /// Loads, models and transforms a spec: the model the crate is emitted
    /// from. Spec problems come first ([`Error::Spec`]); then every problem
    /// of the configuration file, those found reading it and those found
    /// against this spec, together ([`Error::Config`]).
    pub fn model(&self, bytes: &[u8]) -> Result<model::Api, Error> {
        self.model_staged(bytes, &mut Stages::default())
    }

    /// [`Self::model`], recording the time of each stage.
    pub fn model_staged(&self, bytes: &[u8], stages: &mut Stages) -> Result<model::Api, Error> {
        let (api, document) = model_and_document(bytes, &self.config.spec_label, stages)?;
        // The typed document (a big spec's is many small allocations) is
        // freed on another core while the model is transformed.
        std::thread::scope(|s| {
            s.spawn(move || drop(document));
            stages.time("transform", || transform::transform(api, &self.config_file))
        })
        .map_err(|problems| Error::Config { origin: self.config_file.origin.clone(), problems })
    }

    /// Emits and renders the crate for a model from [`Self::model`]. Warnings
    /// the configuration allows are dropped; warnings it denies (all of
    /// them with [`Config::strict`], except those it allows) are an
    /// [`Error::Spec`] listing each.
    pub fn emit(&self, api: model::Api) -> Result<Generated, Error> {
        self.emit_staged(api, &mut Stages::default())
    }

    /// [`Self::emit`], recording the time of each stage.
    pub fn emit_staged(&self, mut api: model::Api, stages: &mut Stages) -> Result<Generated, Error> {
        let config = &self.config;
        let policy = &self.config_file.warnings;
        api.warnings.retain(|w| !policy.allow.contains(&w.kind));
        let denied: Vec<Problem> = api
            .warnings
            .iter()
            .filter_map(|w| {
                let why = if config.strict {
                    "strict mode: warnings are errors"
                } else if policy.deny.contains(&w.kind) {
                    "denied by the configuration"
                } else {
                    return None;
                };
                Some(Problem::new(w.pointer.clone(), format!("{} [{}; {why}]", w.message, w.kind)))
            })
            .collect();
        if !denied.is_empty() {
            return Err(Error::Spec { origin: config.spec_label.clone(), problems: denied });
        }
        let header = render::header(&config.spec_label, &config.regenerate);
        let version = config.crate_version.clone().unwrap_or_else(|| emit::krate::crate_version(&api.spec_version));
        let mut files = BTreeMap::new();
        files.insert("Cargo.toml".to_owned(), emit::krate::cargo_toml(&header, &config.crate_name, &version, &api));
        let lib = stages.time("emit", || emit::krate::lib_rs(&api, &config.crate_name));
        files.insert("src/lib.rs".to_owned(), stages.time("format", || render::rust_file("src/lib.rs", lib, &header))?);
        let start = Instant::now();
        let [types, client, request] = render_parallel(&api, &format!("{header}\n"), stages)?;
        stages.add("emit+format_wall", start.elapsed());
        files.insert("src/types.rs".to_owned(), types);
        files.insert("src/client.rs".to_owned(), client);
        files.insert("src/request.rs".to_owned(), request);
        files.insert("src/runtime.rs".to_owned(), format!("{header}\n{RUNTIME}"));
        let warnings = api.warnings.clone();
        Ok(Generated { files, api, warnings })
    }
}

/// Reads a spec file, refusing an oversized one before reading it into memory.
fn read_spec(path: &Path, label: &str, stages: &mut Stages) -> Result<Vec<u8>, Error> {
    let io = |source| Error::Io { action: "cannot read", path: path.to_owned(), source };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > load::MAX_SPEC_BYTES as u64 {
        return Err(Error::spec(label, load::too_big(len)));
    }
    stages.time("read", || std::fs::read(path)).map_err(io)
}

/// Reads the spec at `path` and generates the crate in memory (no configuration file).
pub fn generate_file(path: &Path, config: &Config) -> Result<Generated, Error> {
    Generator::new(config.clone()).generate_file(path)
}

/// [`generate_file`], recording the time of each stage.
pub fn generate_file_staged(path: &Path, config: &Config, stages: &mut Stages) -> Result<Generated, Error> {
    Generator::new(config.clone()).generate_file_staged(path, stages)
}

/// Loads and models a spec without emitting code or applying any
/// configuration (for reports and diffs).
pub fn model_of(bytes: &[u8], origin: &str) -> Result<model::Api, Error> {
    model_of_staged(bytes, origin, &mut Stages::default())
}

fn model_of_staged(bytes: &[u8], origin: &str, stages: &mut Stages) -> Result<model::Api, Error> {
    model_and_document(bytes, origin, stages).map(|(api, _)| api)
}

/// The model of a spec and the typed document it was built from (for the
/// caller to free where it costs least).
fn model_and_document(bytes: &[u8], origin: &str, stages: &mut Stages) -> Result<(model::Api, openapiv3::OpenAPI), Error> {
    let loaded = load::load_partial_staged(bytes, origin, stages)?;
    let built = stages.time("model", || model::build::build(&loaded.api));
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
    Ok((api, loaded.api))
}

/// Compares two specs (JSON or YAML bytes, each with its name for errors)
/// and reports what the change does to the generated Rust API ([`diff`]).
pub fn diff_specs(old: &[u8], old_origin: &str, new: &[u8], new_origin: &str) -> Result<diff::Report, Error> {
    let old = model_of(old, old_origin)?;
    let new = model_of(new, new_origin)?;
    Ok(diff::diff(&old, &new))
}

/// Generates the crate for spec bytes (JSON or YAML) in memory (no configuration file).
pub fn generate(bytes: &[u8], config: &Config) -> Result<Generated, Error> {
    Generator::new(config.clone()).generate(bytes)
}

/// [`generate`], recording the time of each stage.
pub fn generate_staged(bytes: &[u8], config: &Config, stages: &mut Stages) -> Result<Generated, Error> {
    Generator::new(config.clone()).generate_staged(bytes, stages)
}

/// Runs `run(0)` … `run(jobs - 1)` on all cores (this thread and one more
/// per further core, each taking the next job until none is left) and
/// returns the results in job order, so they do not depend on the thread
/// count; `None` if a thread failed (a bug: `run` does not panic).
pub(crate) fn on_all_cores<T: Send>(jobs: usize, run: impl Fn(usize) -> T + Sync) -> Option<Vec<T>> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(jobs);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let job = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            if job >= jobs {
                return done;
            }
            done.push((job, run(job)));
        }
    };
    let mut results: Vec<(usize, T)> = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(worker)).collect();
        let mut all = worker();
        for h in handles {
            all.extend(h.join().unwrap_or_default());
        }
        all
    });
    results.sort_by_key(|(job, _)| *job);
    (results.len() == jobs).then(|| results.into_iter().map(|(_, r)| r).collect())
}

/// Types emitted and formatted together, as one unit of parallel work.
const TYPES_PER_PART: usize = 200;

/// Operations whose `Client` methods, or request values, are emitted and
/// formatted together, as one unit of parallel work.
const OPERATIONS_PER_PART: usize = 100;

/// One unit of parallel work: a part of a generated file.
enum Part<'a> {
    /// Types of `types.rs`; the first part starts with the module doc.
    Types(&'a [model::TypeDef], bool),
    /// The start of `client.rs`.
    ClientHead,
    /// `impl Client` with the methods of some operations.
    ClientMethods(&'a [model::Operation]),
    /// Request values of some operations; the first part starts with the module doc.
    Requests(&'a [model::Operation], bool),
    /// The `op` module that ends `request.rs`.
    OpModule,
}

impl Part<'_> {
    fn emit(&self, api: &model::Api) -> Vec<emit::Piece> {
        let tokens = |t| vec![emit::Piece::Tokens(t)];
        match *self {
            Part::Types(types, first) => emit::types::types_part(api, types, first, true),
            Part::ClientHead => tokens(emit::client::client_head(api)),
            Part::ClientMethods(ops) => emit::client::client_methods(api, ops),
            Part::Requests(ops, first) => emit::request::request_part(api, ops, first, true),
            Part::OpModule => vec![emit::request::op_module_text(api)],
        }
    }

    fn file(&self) -> &'static str {
        match self {
            Part::Types(..) => "src/types.rs",
            Part::ClientHead | Part::ClientMethods(_) => "src/client.rs",
            Part::Requests(..) | Part::OpModule => "src/request.rs",
        }
    }
}

/// Emits and formats `types.rs`, `client.rs` and `request.rs` in parts (of
/// [`TYPES_PER_PART`] types or [`OPERATIONS_PER_PART`] operations) on all
/// cores; each part is emitted and formatted on one thread (token streams
/// cannot move between threads) and the formatted parts are joined in
/// order, so the output does not depend on the thread count (and equals
/// formatting each file in one pass: a test checks it). Adds the summed
/// thread time of each step to `emit` and `format`.
fn render_parallel(api: &model::Api, header: &str, stages: &mut Stages) -> Result<[String; 3], Error> {
    let type_parts: Vec<&[model::TypeDef]> = if api.types.is_empty() { vec![&[]] } else { api.types.chunks(TYPES_PER_PART).collect() };
    let op_parts: Vec<&[model::Operation]> =
        if api.operations.is_empty() { vec![&[]] } else { api.operations.chunks(OPERATIONS_PER_PART).collect() };
    let mut parts: Vec<Part> = type_parts.iter().enumerate().map(|(i, t)| Part::Types(t, i == 0)).collect();
    parts.push(Part::ClientHead);
    parts.extend(op_parts.iter().map(|ops| Part::ClientMethods(ops)));
    parts.extend(op_parts.iter().enumerate().map(|(i, ops)| Part::Requests(ops, i == 0)));
    parts.push(Part::OpModule);
    let run = |job: usize| -> (Result<String, Error>, Duration, Duration) {
        let Some(part) = parts.get(job) else { return (Ok(String::new()), Duration::ZERO, Duration::ZERO) };
        let start = Instant::now();
        let (pieces, docs) = emit::with_doc_text(|| part.emit(api));
        let emitted = Instant::now();
        let text = render::pieces(part.file(), pieces, &docs, || part.emit(api));
        (text, emitted - start, emitted.elapsed())
    };
    let Some(results) = on_all_cores(parts.len(), run) else {
        return Err(Error::Render { file: "src/types.rs".to_owned(), message: "a formatting thread failed".to_owned(), tokens: String::new() });
    };
    // Each file starts with `header`, sized for the whole file.
    let bytes = |file: &str| results.iter().zip(&parts).filter(|(_, p)| p.file() == file).map(|((t, ..), _)| t.as_ref().map_or(0, String::len)).sum::<usize>();
    let start = |file: &str| {
        let mut text = String::with_capacity(header.len() + bytes(file));
        text.push_str(header);
        text
    };
    let (mut types, mut client, mut request) = (start("src/types.rs"), start("src/client.rs"), start("src/request.rs"));
    let mut methods = Vec::new();
    for (part, (text, emit_time, format_time)) in parts.iter().zip(results) {
        stages.add("emit", emit_time);
        stages.add("format", format_time);
        let text = text?;
        match part {
            Part::Types(..) => types.push_str(&text),
            Part::ClientHead => client.push_str(&text),
            Part::ClientMethods(_) => methods.push(text),
            Part::Requests(..) | Part::OpModule => request.push_str(&text),
        }
    }
    client.push_str(&render::join_blocks(&methods));
    Ok([types, client, request])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        Config {
            crate_name: "perf-test".to_owned(),
            crate_version: None,
            spec_label: "spec.json".to_owned(),
            regenerate: "regen".to_owned(),
            strict: false,
        }
    }

    /// A spec with more than two parts' worth of schemas (structs, enums,
    /// references between them) and one operation per schema.
    fn big_spec() -> Vec<u8> {
        let n = 2 * TYPES_PER_PART + 7;
        let mut schemas = serde_json::Map::new();
        let mut paths = serde_json::Map::new();
        for i in 0..n {
            let schema = if i % 3 == 0 {
                serde_json::json!({"type": "string", "enum": ["a", "b", format!("v{i}")], "description": format!("Enum {i}.")})
            } else {
                serde_json::json!({
                    "type": "object",
                    "description": format!("Object {i}, with a long description that goes on and on well past the width of a line as prettyplease prints it.\n\n- a list item\n  continued\n\n```json\n{{\"x\": 1}}\n```"),
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "integer", "description": "The identifier.\n\nSecond paragraph   "},
                        "other": {"$ref": format!("#/components/schemas/S{}", (i + 1) % n)},
                        "inline": {"type": "object", "properties": {"x": {"type": "string"}}},
                    },
                })
            };
            schemas.insert(format!("S{i}"), schema);
            paths.insert(
                format!("/s{i}/{{k{}}}", "x".repeat(i * 7 % 71)),
                serde_json::json!({"post": {"operationId": format!("get{i}"), "summary": "Get one", "description": "Gets one.\n\nMore.",
                    // Setters of every width, broken and not.
                    "parameters": [
                        {"name": "q", "in": "query", "description": "A query.", "schema": {"type": "string"}},
                        // Arguments of every width.
                        {"name": format!("k{}", "x".repeat(i * 7 % 71)), "in": "path", "required": true, "schema": {"type": "string"}},
                        {"name": format!("r{}", "x".repeat(i % 90)), "in": "query", "required": true, "schema": {"type": "array", "items": {"type": "integer"}}},
                        {"name": format!("p{}", "x".repeat(i % 80)), "in": "query", "schema": {"type": "string"}},
                        {"name": format!("h{}", "x".repeat(i % 80)), "in": "header", "schema": {"type": "array", "items": {"type": "integer"}}},
                        {"name": format!("n{}", "x".repeat(i % 80)), "in": "query", "schema": {"type": "integer"}},
                    ],
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/WideAlias{}{}", i % 64, "x".repeat(20 + i % 64))}}}},
                    "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/S{i}")}}},
                }}}}),
            );
        }
        // Paginated operations (their `pages` and `items` between setters written as text).
        for i in 0..8 {
            paths.insert(
                format!("/list{i}"),
                serde_json::json!({"get": {"operationId": format!("list{i}"),
                    "parameters": [
                        {"name": "offset", "in": "query", "schema": {"type": "integer"}},
                        {"name": format!("l{}", "x".repeat(i * 9)), "in": "query", "schema": {"type": "string"}},
                    ],
                    "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                        "type": "array", "items": {"$ref": format!("#/components/schemas/S{i}")}}}}}},
                }}),
            );
        }
        // Types wide enough to be broken across lines, at several widths.
        for i in 0..64 {
            let long = "x".repeat(20 + i);
            let item = serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}});
            schemas.insert(
                format!("Wide{i}"),
                serde_json::json!({
                    "type": "object",
                    "properties": {
                        format!("list_{long}"): {"type": "array", "items": {"type": "array", "items": item}},
                        format!("map_{long}"): {"type": "object", "additionalProperties": {"type": "array", "items": item}},
                        "r#type": {"type": "string", "enum": ["a b", "c\"d", "e\\f", "tab\tx"]},
                    },
                    "additionalProperties": {"type": "array", "items": {"$ref": format!("#/components/schemas/Wide{i}")}},
                }),
            );
            schemas.insert(format!("WideAlias{i}{long}"), serde_json::json!({"type": "array", "items": {"type": "array", "items": item}}));
            // Unions (without and with a discriminator), names of every width.
            let mut union = serde_json::json!({"oneOf": [
                {"$ref": format!("#/components/schemas/Wide{i}")},
                {"type": "integer"},
                {"type": "array", "items": {"$ref": format!("#/components/schemas/WideAlias{i}{long}")}},
            ]});
            if i % 2 == 0 {
                union["description"] = serde_json::json!("A union.");
            }
            if i % 7 == 0 {
                union = serde_json::json!({"oneOf": [{"$ref": "#/components/schemas/S1"}, {"$ref": "#/components/schemas/S2"}],
                    "discriminator": {"propertyName": "id"}});
            }
            schemas.insert(format!("Union{i}{long}"), union);
        }
        let spec = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "Big", "version": "1.0.0"},
            "paths": paths,
            "components": {"schemas": schemas},
        });
        serde_json::to_vec(&spec).expect("a JSON value serializes")
    }

    #[test]
    fn parts_formatted_in_parallel_equal_one_pass() {
        let config = config();
        let generated = generate(&big_spec(), &config).expect("generates");
        assert!(generated.api.types.len() > 2 * TYPES_PER_PART, "the spec must need several parts");
        let header = render::header(&config.spec_label, &config.regenerate);
        let one_pass = render::pieces("src/types.rs", emit::types::types_part(&generated.api, &generated.api.types, true, false), &[], Vec::new).expect("formats");
        assert_eq!(generated.files["src/types.rs"], format!("{header}\n{one_pass}"));
        assert!(one_pass.contains("    /// The identifier.\n    ///\n    /// Second paragraph\n"), "{one_pass}");
        // Wide types were broken, at one and at two levels, and some were not.
        assert!(one_pass.contains("::std::option::Option<\n        ::std::vec::Vec<\n            ::std::vec::Vec<"), "{one_pass}");
        assert!(one_pass.contains(" = ::std::vec::Vec<\n    ::std::vec::Vec<"), "{one_pass}");
        assert!(one_pass.contains("pub additional_properties: ::std::collections::BTreeMap<\n"), "{one_pass}");
        assert!(one_pass.contains(" = ::std::vec::Vec<\n    ::std::vec::Vec<crate::types::"), "{one_pass}");
        assert!(one_pass.matches("data did not match any variant of Union").count() > 50, "unions are covered");
        assert!(generated.api.operations.len() > 2 * OPERATIONS_PER_PART, "the spec must need several parts of operations");
        let client = render::rust_file("src/client.rs", emit::client::client(&generated.api), &header).expect("formats");
        assert_eq!(generated.files["src/client.rs"], client);
        let request = render::rust_file("src/request.rs", emit::request::request(&generated.api), &header).expect("formats");
        assert_eq!(generated.files["src/request.rs"], request);
        assert!(!generated.files.values().any(|f| f.contains(emit::DOC_MARKER)), "no doc marker is left");
        assert!(request.contains("pub fn items("), "paginated operations are covered");
    }

    #[test]
    fn stages_are_recorded_in_pipeline_order() {
        let mut stages = Stages::default();
        generate_staged(&big_spec(), &config(), &mut stages).expect("generates");
        let names: Vec<&str> = stages.0.iter().map(|(n, _)| *n).collect();
        assert_eq!(names, ["parse", "normalize", "deserialize", "model", "transform", "emit", "format", "emit+format_wall"]);
    }

    #[test]
    fn extensions_are_left_alone_by_normalization() {
        // GitHub's spec keeps old request schemas inside an extension, with
        // `null` where a schema would be; normalizing them would reject it.
        let spec = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "X", "version": "1"},
            "paths": {"/a": {"post": {
                "operationId": "a",
                "x-breaking-changes": [{"patch": {"requestBody": {"content": {"application/json": {
                    "schema": {"properties": {"gone": null}}
                }}}}}],
                "responses": {"204": {"description": "done"}},
            }}},
        });
        let bytes = serde_json::to_vec(&spec).expect("serializes");
        assert!(generate(&bytes, &config()).is_ok());
    }

    #[test]
    fn an_invalid_document_still_names_the_place() {
        let spec = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "X", "version": "1"},
            "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": ["not", "text"]}}}}},
        });
        let bytes = serde_json::to_vec(&spec).expect("serializes");
        let message = generate(&bytes, &config()).expect_err("rejected").to_string();
        // The fast read has no position; the re-read with tracking finds it.
        assert!(message.contains("at /paths"), "{message}");
    }
}
