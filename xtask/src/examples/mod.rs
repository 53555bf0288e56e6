//! `cargo xtask examples [DIR…]`: every example a spec ships must decode
//! into the generated Rust type and come back unchanged.
//!
//! For every spec in each DIR (default `../shared/corpus` and
//! `../shared/corpus-large`, relative to the workspace root):
//!
//! 1. The crate is generated with the generator library, and every example
//!    of a component schema, request body, response body and parameter
//!    (`example`, `examples.*.value`, 3.1 schema `examples`, also on
//!    nested schemas) is found with the Rust type it must decode into, from
//!    the generator's model ([`collect`]).
//! 2. Each example is validated against its own schema with the
//!    `jsonschema` crate (JSON Schema 2020-12; the whole document is the
//!    resource, so local `$ref`s resolve; OpenAPI 3.0's `nullable` becomes
//!    a type union, see [`schema`] for every rewrite). A **schema-invalid**
//!    example is a defect of the spec: listed with its pointer and the
//!    validator's reason, not held against the generator.
//! 3. Every **schema-valid** example with a type is decoded by a harness
//!    built together with the generated crates in one workspace
//!    (`target/examples/`, [`harness`]), and re-encoded. It passes when the
//!    re-encoded JSON is accepted by the schema and equals the example by
//!    this rule ([`compare`]): objects are compared without regard to key
//!    order; numbers by value (`1.0` equals `1`), and as 32-bit floats
//!    where the schema says `format: float` (the Rust type is `f32`);
//!    strings exactly, except RFC 3339 date-times naming the same instant
//!    (an offset becomes UTC, `.500` becomes `.5`) and UUIDs with the same
//!    bits (case, hyphens). A dropped or added key, `null` for an absent key
//!    or the reverse, and any other changed value is a failure — for a
//!    request body a dropped key is a field the user set that never reaches
//!    the server. One exception: a key the schema does not declare (no
//!    subschema the example matched evaluated it with `properties`,
//!    `patternProperties` or `additionalProperties`: the validator's
//!    annotations, so in a `oneOf` only the branch that matched counts) has
//!    no field in the generated type; dropping it is not held against the
//!    generator, and such examples are listed as spec defects of their own
//!    kind (the schema lacks a property its example shows).
//!
//! It prints a table per directory (examples found, spec defects, schema-
//! valid, untyped, decoded, round-tripped, of those with undeclared keys,
//! failures), every failure with its JSON pointer, type and error, every
//! spec defect with its reason, the examples with undeclared keys, and the
//! totals; it fails when any schema-valid example fails or a spec's crate
//! cannot be generated or built. Every example and its outcome is also
//! written to `target/examples/results.jsonl` (one JSON object per line:
//! spec, pointer, kind, outcome, type, message).

pub mod collect;
pub mod compare;
pub mod harness;
pub mod schema;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use openapi_rust_gen::model::TypeRef;
use serde_json::Value;

use self::collect::Kind;

/// The default directories, relative to the workspace root.
pub const DEFAULT_DIRS: &[&str] = &["../shared/corpus", "../shared/corpus-large"];

/// A schema-valid example that did not decode or round-trip.
#[derive(Debug, Clone)]
pub struct Failure {
    /// JSON pointer of the example.
    pub pointer: String,
    /// What it is an example of.
    pub kind: Kind,
    /// The Rust type it was decoded into.
    pub ty: String,
    /// What went wrong.
    pub message: String,
}

/// What happened to one spec's examples.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The spec's file name.
    pub spec: String,
    /// The generated package name.
    pub crate_name: String,
    /// Why the crate could not be generated (or compiled).
    pub error: Option<String>,
    /// Seconds spent generating the crate.
    pub generate_secs: f64,
    /// Examples found.
    pub found: usize,
    /// Schema-invalid examples: (pointer, the validator's reason).
    pub defects: Vec<(String, String)>,
    /// Examples whose schema the validator cannot compile: (pointer, why).
    pub unvalidated: Vec<(String, String)>,
    /// Schema-valid examples without a Rust type: (pointer, why).
    pub untyped: Vec<(String, String)>,
    /// Schema-valid examples.
    pub valid: usize,
    /// Decoded into their type.
    pub decoded: usize,
    /// Decoded, re-encoded equal and accepted by the schema.
    pub round_tripped: usize,
    /// Round-tripped examples with keys their schema does not declare,
    /// which the generated type ignores: (pointer, kind, the keys).
    pub ignored: Vec<(String, Kind, String)>,
    /// Schema-valid, typed examples that failed.
    pub failures: Vec<Failure>,
}

impl Row {
    /// Generated, and every schema-valid typed example round-tripped.
    pub fn passed(&self) -> bool {
        self.error.is_none() && self.failures.is_empty()
    }
}

/// The rows of one directory.
#[derive(Debug, Clone, Default)]
pub struct DirReport {
    /// The directory as given.
    pub dir: String,
    /// One row per spec, by file name.
    pub rows: Vec<Row>,
}

/// The result of a run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One section per directory.
    pub dirs: Vec<DirReport>,
    /// Seconds of the `cargo build` of the workspace and the harness run.
    pub build_secs: f64,
    /// Wall time of the whole run.
    pub wall_secs: f64,
}

/// Sums of a set of rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Specs.
    pub specs: usize,
    /// Examples found.
    pub found: usize,
    /// Spec defects (schema-invalid examples).
    pub defects: usize,
    /// Examples whose schema the validator could not compile.
    pub unvalidated: usize,
    /// Schema-valid examples.
    pub valid: usize,
    /// Schema-valid examples without a type.
    pub untyped: usize,
    /// Decoded.
    pub decoded: usize,
    /// Round-tripped.
    pub round_tripped: usize,
    /// Round-tripped with undeclared keys ignored.
    pub ignored: usize,
    /// Failed.
    pub failed: usize,
    /// Specs whose crate could not be generated or compiled.
    pub errors: usize,
}

impl Totals {
    fn of<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Totals {
        let mut t = Totals::default();
        for r in rows {
            t.specs += 1;
            t.found += r.found;
            t.defects += r.defects.len();
            t.unvalidated += r.unvalidated.len();
            t.valid += r.valid;
            t.untyped += r.untyped.len();
            t.decoded += r.decoded;
            t.round_tripped += r.round_tripped;
            t.ignored += r.ignored.len();
            t.failed += r.failures.len();
            t.errors += usize::from(r.error.is_some());
        }
        t
    }
}

impl Report {
    /// Every spec generated and every schema-valid typed example round-tripped.
    pub fn passed(&self) -> bool {
        self.dirs.iter().flat_map(|d| &d.rows).all(Row::passed)
    }

    /// The totals over every directory.
    pub fn totals(&self) -> Totals {
        Totals::of(self.dirs.iter().flat_map(|d| &d.rows))
    }

    /// The tables, the failures, the spec defects and the totals.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let header = |out: &mut String, width: usize| {
            let _ = writeln!(
                out,
                "{:width$}  {:>6}  {:>7}  {:>6}  {:>7}  {:>7}  {:>7}  {:>6}  {:>6}  {:>5}",
                "spec", "found", "defects", "valid", "untyped", "decoded", "rtrip", "undecl", "failed", "gen s"
            );
        };
        let line = |out: &mut String, width: usize, name: &str, t: &Totals, gen_secs: Option<f64>| {
            let _ = writeln!(
                out,
                "{name:width$}  {:>6}  {:>7}  {:>6}  {:>7}  {:>7}  {:>7}  {:>6}  {:>6}  {:>5}",
                t.found,
                t.defects + t.unvalidated,
                t.valid,
                t.untyped,
                t.decoded,
                t.round_tripped,
                t.ignored,
                t.failed,
                gen_secs.map(|s| format!("{s:.1}")).unwrap_or_default(),
            );
        };
        for d in &self.dirs {
            let width = d.rows.iter().map(|r| r.spec.len()).max().unwrap_or(4).max(12);
            let _ = writeln!(out, "\n{}:", d.dir);
            header(&mut out, width);
            for r in &d.rows {
                line(&mut out, width, &r.spec, &Totals::of([r]), Some(r.generate_secs));
                if let Some(e) = &r.error {
                    let _ = writeln!(out, "    ERROR {e}");
                }
                for f in &r.failures {
                    let _ = writeln!(out, "    FAIL {} [{}] {}: {}", f.pointer, f.kind.label(), f.ty, f.message);
                }
            }
            line(&mut out, width, "total", &Totals::of(&d.rows), None);
        }
        let _ = writeln!(out, "\nspec defects (schema-invalid examples; not held against the generator):");
        for r in self.dirs.iter().flat_map(|d| &d.rows) {
            for (pointer, reason) in &r.defects {
                let _ = writeln!(out, "  {}: {pointer}: {reason}", r.spec);
            }
            for (pointer, reason) in &r.unvalidated {
                let _ = writeln!(out, "  {}: {pointer}: the schema cannot be compiled by the validator: {reason}", r.spec);
            }
        }
        let _ = writeln!(
            out,
            "\nexamples with properties their schema does not declare (spec defects: the generated type has no field for them, \
             so a response ignores them and a request cannot send them):"
        );
        for r in self.dirs.iter().flat_map(|d| &d.rows) {
            for (pointer, kind, keys) in &r.ignored {
                let _ = writeln!(out, "  {}: {pointer} [{}]: {keys}", r.spec, kind.label());
            }
        }
        let mut untyped: BTreeMap<&str, usize> = BTreeMap::new();
        for r in self.dirs.iter().flat_map(|d| &d.rows) {
            for (_, why) in &r.untyped {
                *untyped.entry(why.as_str()).or_default() += 1;
            }
        }
        if !untyped.is_empty() {
            let _ = writeln!(out, "\nschema-valid examples without a Rust type to decode into, by reason:");
            for (why, n) in untyped {
                let _ = writeln!(out, "  {n:>6}  {why}");
            }
        }
        let t = self.totals();
        let _ = writeln!(
            out,
            "\ntotal: {} specs, {} examples: {} spec defects, {} schema-valid ({} untyped), {} decoded, {} round-tripped \
             ({} with undeclared keys ignored), {} failed; {} specs not generated or not compiled; build and run {:.0}s, wall {:.0}s",
            t.specs,
            t.found,
            t.defects + t.unvalidated,
            t.valid,
            t.untyped,
            t.decoded,
            t.round_tripped,
            t.ignored,
            t.failed,
            t.errors,
            self.build_secs,
            self.wall_secs
        );
        out
    }
}

/// One spec on its way through the run.
struct Spec {
    row: Row,
    converted: Option<schema::Converted>,
    files: BTreeMap<String, String>,
    /// (example, its type text) for each schema-valid typed example.
    pending: Vec<(collect::Example, String)>,
    /// One line per example for `results.jsonl`.
    log: Vec<Value>,
}

impl Spec {
    fn log(&mut self, pointer: &str, kind: Kind, outcome: &str, ty: Option<&str>, message: Option<&str>) {
        self.log.push(serde_json::json!({
            "spec": self.row.spec, "pointer": pointer, "kind": kind.label(), "outcome": outcome, "type": ty, "message": message,
        }));
    }
}

fn prepare(path: &Path, crate_name: String) -> Spec {
    let spec = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut s = Spec {
        row: Row { spec: spec.clone(), crate_name: crate_name.clone(), ..Row::default() },
        converted: None,
        files: BTreeMap::new(),
        pending: Vec::new(),
        log: Vec::new(),
    };
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            s.row.error = Some(format!("cannot read {}: {e}", path.display()));
            return s;
        }
    };
    let doc = match openapi_rust_gen::load::parse_text(&bytes, &spec) {
        Ok(doc) => doc,
        Err(e) => {
            s.row.error = Some(schema::one_line(&e.to_string()));
            return s;
        }
    };
    let config = openapi_rust_gen::Config {
        crate_name: crate_name.clone(),
        crate_version: None,
        spec_label: spec.clone(),
        regenerate: "cargo xtask examples".to_owned(),
        strict: false,
    };
    let start = Instant::now();
    let generated = openapi_rust_gen::generate(&bytes, &config);
    s.row.generate_secs = start.elapsed().as_secs_f64();
    let generated = match generated {
        Ok(g) => g,
        Err(e) => {
            s.row.error = Some(format!("the generator refuses it: {}", schema::one_line(&e.to_string())));
            return s;
        }
    };
    let examples = collect::collect(&doc, &generated.api);
    s.row.found = examples.len();
    let is_31 = doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1"));
    let converted = schema::convert(&doc, is_31);
    let mut validators = match schema::Validators::new(&converted) {
        Ok(v) => v,
        Err(e) => {
            s.row.error = Some(e);
            return s;
        }
    };
    let root = format!("::{}", crate_name.replace('-', "_"));
    for ex in examples {
        match validators.check(&ex.schema, &ex.value) {
            Err(why) => {
                s.log(&ex.pointer, ex.kind, "unvalidated", None, Some(&why));
                s.row.unvalidated.push((ex.pointer, why));
            }
            Ok(Some(reason)) => {
                s.log(&ex.pointer, ex.kind, "defect", None, Some(&reason));
                s.row.defects.push((ex.pointer, reason));
            }
            Ok(None) => {
                s.row.valid += 1;
                match &ex.ty {
                    Err(why) => {
                        s.log(&ex.pointer, ex.kind, "untyped", None, Some(why));
                        s.row.untyped.push((ex.pointer.clone(), why.clone()));
                    }
                    Ok(ty) => {
                        let nullable = ex.option_if_nullable && matches!(validators.check(&ex.schema, &Value::Null), Ok(None));
                        let ty = if nullable && !matches!(ty, TypeRef::Option(_)) { TypeRef::Option(Box::new(ty.clone())) } else { ty.clone() };
                        let text = openapi_rust_gen::emit::type_path(&generated.api, &ty, &root);
                        s.pending.push((ex, text));
                    }
                }
            }
        }
    }
    drop(validators);
    s.converted = Some(converted);
    s.files = generated.files;
    s
}

/// Compares each harness result with its example and fills in the row.
fn finish(s: &mut Spec, results: &std::collections::HashMap<usize, Result<String, String>>, first_id: usize) {
    let Some(converted) = s.converted.take() else { return };
    let mut validators = match schema::Validators::new(&converted) {
        Ok(v) => v,
        Err(e) => {
            s.row.error = Some(e);
            return;
        }
    };
    let pending = std::mem::take(&mut s.pending);
    for (i, (ex, ty)) in pending.iter().enumerate() {
        let result = results.get(&(first_id + i)).cloned().unwrap_or_else(|| Err("no result from the harness".to_owned()));
        let outcome = match result {
            Err(e) => Err(format!("does not decode: {}", schema::one_line(&e))),
            Ok(text) => {
                s.row.decoded += 1;
                match serde_json::from_str::<Value>(&text) {
                    Err(e) => Err(format!("re-encoded text is not JSON: {e}")),
                    Ok(again) => {
                        // Keys the schema does not declare have no place in the
                        // generated type; a `format: float` number is compared
                        // as the 32-bit float it is declared to be.
                        let differences: Vec<_> = compare::differences(&ex.value, &again)
                            .into_iter()
                            .filter(|d| !(d.same_f32 && converted.is_float32(&ex.schema, &d.at)))
                            .collect();
                        let declared = if differences.iter().any(|d| d.dropped.is_some()) {
                            validators.declared_keys(&ex.schema, &ex.value).unwrap_or_default()
                        } else {
                            Default::default()
                        };
                        let (ignored, real): (Vec<_>, Vec<_>) = differences
                            .into_iter()
                            .partition(|d| d.dropped.as_ref().is_some_and(|k| !declared.contains(&(d.at.clone(), k.clone()))));
                        if let Some(first) = real.first() {
                            let more = if real.len() > 1 { format!(" (and {} more)", real.len() - 1) } else { String::new() };
                            Err(format!("re-encoded differs: {}{more}", first.text))
                        } else {
                            if !ignored.is_empty() {
                                let keys: Vec<String> = ignored.iter().map(|d| format!("{}/{}", d.at, d.dropped.as_deref().unwrap_or_default())).collect();
                                s.row.ignored.push((ex.pointer.clone(), ex.kind, keys.join(", ")));
                            }
                            match validators.check(&ex.schema, &again) {
                                Ok(None) => Ok(()),
                                Ok(Some(reason)) => Err(format!("re-encoded is rejected by the schema: {reason}")),
                                Err(e) => Err(format!("re-encoded cannot be validated: {e}")),
                            }
                        }
                    }
                }
            }
        };
        let ty = ty.replace(' ', "");
        match outcome {
            Ok(()) => {
                s.row.round_tripped += 1;
                s.log(&ex.pointer, ex.kind, "round-tripped", Some(&ty), None);
            }
            Err(message) => {
                s.log(&ex.pointer, ex.kind, "failed", Some(&ty), Some(&message));
                s.row.failures.push(Failure { pointer: ex.pointer.clone(), kind: ex.kind, ty, message });
            }
        }
    }
}

/// Runs every spec of `dirs` (default [`DEFAULT_DIRS`]).
pub fn examples(root: &Path, dirs: &[PathBuf]) -> Result<Report, String> {
    let start = Instant::now();
    let dirs: Vec<(String, PathBuf)> = if dirs.is_empty() {
        DEFAULT_DIRS.iter().map(|d| ((*d).to_owned(), root.join(d))).collect()
    } else {
        dirs.iter().map(|d| (d.display().to_string(), d.clone())).collect()
    };
    let mut sections: Vec<(String, Vec<Spec>)> = Vec::new();
    let mut names = std::collections::BTreeSet::new();
    for (label, dir) in &dirs {
        let dir = dir.canonicalize().map_err(|e| format!("cannot open {}: {e}", dir.display()))?;
        let specs = crate::corpus::specs(&dir)?;
        eprintln!("examples: {} specs in {}", specs.len(), dir.display());
        let mut prepared = Vec::new();
        for path in specs {
            let base = crate::corpus::crate_name(&path);
            let mut name = base.clone();
            let mut n = 1;
            while !names.insert(name.clone()) {
                n += 1;
                name = format!("{base}-{n}");
            }
            let s = prepare(&path, name);
            eprintln!(
                "examples: {}: {} examples, {} schema-valid with a type ({:.1}s)",
                s.row.spec,
                s.row.found,
                s.pending.len(),
                s.row.generate_secs
            );
            prepared.push(s);
        }
        sections.push((label.clone(), prepared));
    }
    let mut ws = crate::scratch::Scratch::reuse(crate::scratch::target_dir().join("examples"))?;
    let mut report = Report::default();
    // Build; a crate that does not compile is left out and the rest rebuilt.
    let mut broken: BTreeMap<String, String> = BTreeMap::new();
    let results = loop {
        let mut crates: Vec<(String, &BTreeMap<String, String>)> = Vec::new();
        let mut types: Vec<String> = Vec::new();
        let mut type_index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let mut jobs = Vec::new();
        let mut id = 0;
        for s in sections.iter().flat_map(|(_, specs)| specs) {
            let include = !s.pending.is_empty() && !broken.contains_key(&s.row.crate_name);
            if include {
                crates.push((s.row.crate_name.clone(), &s.files));
            }
            for (ex, ty) in &s.pending {
                if include {
                    let next = types.len();
                    let ty = *type_index.entry(ty.clone()).or_insert_with(|| {
                        types.push(ty.clone());
                        next
                    });
                    jobs.push(harness::Job { id, ty, json: ex.value.to_string() });
                }
                id += 1;
            }
        }
        eprintln!(
            "examples: building {} crates and the harness ({} types, {} examples) in {}",
            crates.len(),
            types.len(),
            jobs.len(),
            ws.dir().display()
        );
        let build_start = Instant::now();
        let outcome = harness::build_and_run(&mut ws, &crates, &types, &jobs)?;
        report.build_secs += build_start.elapsed().as_secs_f64();
        match outcome {
            harness::Outcome::Ran(results) => break results,
            harness::Outcome::CratesFailed(failed) if failed.keys().all(|k| !broken.contains_key(k)) => broken.extend(failed),
            harness::Outcome::CratesFailed(failed) => return Err(format!("cargo build failed again: {failed:?}")),
        }
    };
    let mut id = 0;
    let mut log = String::new();
    for (label, mut specs) in sections {
        let mut rows = Vec::new();
        for s in &mut specs {
            let first = id;
            id += s.pending.len();
            if let Some(e) = broken.get(&s.row.crate_name) {
                s.row.error = Some(format!("the generated crate does not compile: {e}"));
            } else {
                finish(s, &results, first);
            }
            for line in &s.log {
                let _ = writeln!(log, "{line}");
            }
            rows.push(std::mem::take(&mut s.row));
        }
        report.dirs.push(DirReport { dir: label, rows });
    }
    let results = ws.dir().join("results.jsonl");
    std::fs::write(&results, log).map_err(|e| format!("cannot write {}: {e}", results.display()))?;
    eprintln!("examples: every example and its outcome: {}", results.display());
    report.wall_secs = start.elapsed().as_secs_f64();
    Ok(report)
}
