//! A mutation fuzzer for the generator: `cargo xtask fuzz [--seconds N] [--seed S]`.
//!
//! Stable Rust has no `cargo fuzz` (it needs nightly sanitizers), so this is a
//! small hand-rolled loop with a fixed budget. It starts from real specs
//! (`spec/`, `tests/fixtures/`, `../shared/corpus/`), mutates them — on the
//! JSON value tree (delete, rename and duplicate keys, swap types, insert
//! `$ref`s, nest deeply, plant odd strings and numbers, splice subtrees) and
//! on the raw bytes (flip, insert, delete, truncate, YAML anchors and tabs) —
//! and runs every mutant through the whole pipeline ([`openapi_rust_gen::generate`]:
//! load → model → emit → render) under `catch_unwind`.
//!
//! A finding is a panic or an [`Error::Render`] (generated tokens that are not
//! Rust). Each one is saved under `tests/bad-specs/fuzz-found/` as
//! `crash-<hash>.json` so it can join the bad-spec catalogue. The random
//! generator is a seeded xorshift, so a run with the same seed, seeds and
//! execution budget is the same run.

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use openapi_rust_gen::{Config, Error};
use serde_json::{Map, Value, json};

/// How long a run lasts.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    /// A number of executions (deterministic; for tests).
    Executions(u64),
    /// Wall-clock time (for long runs).
    Time(Duration),
}

/// What to fuzz and for how long.
#[derive(Debug, Clone)]
pub struct FuzzConfig {
    /// The PRNG seed.
    pub seed: u64,
    /// When to stop.
    pub budget: Budget,
    /// Seed documents (bytes are read once).
    pub seeds: Vec<PathBuf>,
    /// Where findings are saved (`None`: not saved).
    pub crash_dir: Option<PathBuf>,
    /// Seed documents larger than this are skipped (mutating a 2 MB spec is slow).
    pub max_seed_bytes: usize,
    /// Print a progress line every this many executions (0: never).
    pub progress_every: u64,
    /// Also compile (`cargo check`) every this many generated crates, in
    /// this scratch directory (0 or `None`: never). A crate that does not
    /// compile is a finding too.
    pub compile_every: u64,
    /// Scratch directory for the compile checks.
    pub compile_dir: Option<PathBuf>,
    /// Write each input to `crash_dir/.current-input` before running it, so
    /// an input that aborts the process (a stack overflow cannot be caught)
    /// is not lost. Removed at the end of a run that did not abort.
    pub save_current: bool,
}

/// One input that broke the generator.
#[derive(Debug, Clone)]
pub struct Finding {
    /// What happened (panic message or render error, first line).
    pub message: String,
    /// The input, saved as `file` when a crash directory was given.
    pub input: Vec<u8>,
    /// Where it was saved.
    pub file: Option<PathBuf>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct FuzzReport {
    /// Inputs run through the generator.
    pub executions: u64,
    /// Of those, how many generated a crate.
    pub generated: u64,
    /// Of those, how many were rejected with a spec error.
    pub spec_errors: u64,
    /// Generated crates that were also compiled.
    pub compiled: u64,
    /// Panics and render errors (deduplicated by message).
    pub findings: Vec<Finding>,
    /// Wall-clock time.
    pub elapsed: Duration,
    /// The slowest single execution and its input size.
    pub slowest: (Duration, usize),
}

/// The seeds a full run starts from: `spec/`, `tests/fixtures/`, the
/// catalogue's `strict_*` documents (valid in the default mode; the rest are
/// rejected outright and make poor seeds), `tests/bad-specs/fuzz-found/` and
/// `../shared/corpus/` (those that exist), sorted.
pub fn default_seeds(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["spec", "tests/fixtures", "tests/bad-specs", "tests/bad-specs/fuzz-found", "../shared/corpus"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
            .filter(|p| dir != "tests/bad-specs" || p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("strict_")))
            .collect();
        found.sort();
        out.extend(found);
    }
    out
}

/// A seeded xorshift64* generator (no dependency, reproducible everywhere).
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed (0 is replaced by a constant).
    pub fn new(seed: u64) -> Self {
        Rng(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number below `n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    /// `true` with probability `1/n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
    /// One element of a non-empty slice.
    pub fn pick<'s, T>(&mut self, items: &'s [T]) -> &'s T {
        &items[self.below(items.len())]
    }
}

/// Strings that tend to break code generators.
const NASTY_STRINGS: &[&str] = &[
    "", " ", "_", "-", "0", "1abc", "self", "Self", "super", "crate", "type", "r#type", "async", "fn", "mod",
    "Option", "Result", "String", "Vec", "Box", "std", "core", "serde", "None", "Some", "Ok", "Err", "Client",
    "Error", "Value", "{id}", "{", "}", "{}", "/a/{x}/{x}", "/{", "$ref", "#/components/schemas/", "\"", "'", "\\",
    "\\u0000", "\u{0}", "\n", "\r\n", "\t", "*/", "/*", "//", "///", "#[cfg(x)]", "}; fn x() {", "é", "日本語", "🦀",
    "\u{202e}", "\u{2066}", "a\rb", "\r", "a b", "a-b", "a_b", "aB", "AB", "a.b", "a/b", "~0", "~1", "%7B", "null", "true", "1e309",
    "application/json", "text/plain", "multipart/form-data", "application/x-www-form-urlencoded", "*/*",
    "string", "integer", "number", "boolean", "array", "object", "date-time", "uuid", "binary", "int32", "int64",
];

const TYPE_NAMES: &[&str] = &["string", "integer", "number", "boolean", "array", "object", "null", "file", "int", "any"];

const KEYS: &[&str] = &[
    "type", "format", "items", "properties", "required", "enum", "const", "nullable", "allOf", "oneOf", "anyOf", "not",
    "additionalProperties", "default", "$ref", "description", "title", "discriminator", "parameters", "requestBody",
    "responses", "content", "schema", "in", "name", "operationId", "paths", "components", "schemas", "servers",
    "security", "securitySchemes", "style", "explode", "examples", "example", "prefixItems", "$defs", "minimum",
    "exclusiveMinimum", "readOnly", "writeOnly", "deprecated", "200", "default", "4XX", "get", "post", "x-extra",
];

fn random_string(rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => {
            let len = rng.below(12);
            (0..len).map(|_| char::from_u32(rng.below(0x3000) as u32).unwrap_or('?')).collect()
        }
        1 => rng.pick(KEYS).to_string(),
        _ => rng.pick(NASTY_STRINGS).to_string(),
    }
}

fn random_scalar(rng: &mut Rng) -> Value {
    match rng.below(9) {
        0 => Value::Null,
        1 => Value::Bool(rng.one_in(2)),
        2 => json!(rng.next_u64() as i64),
        3 => json!(rng.below(600)),
        4 => json!(-(rng.below(5) as i64)),
        5 => json!((rng.next_u64() % 10_000) as f64 / 7.0),
        6 => json!(u64::MAX),
        _ => Value::String(random_string(rng)),
    }
}

fn random_value(rng: &mut Rng, refs: &[String], depth: usize) -> Value {
    if depth > 3 {
        return random_scalar(rng);
    }
    match rng.below(8) {
        0 => Value::Array((0..rng.below(4)).map(|_| random_value(rng, refs, depth + 1)).collect()),
        1 | 2 => {
            let mut m = Map::new();
            for _ in 0..rng.below(4) {
                m.insert(random_string(rng), random_value(rng, refs, depth + 1));
            }
            Value::Object(m)
        }
        3 => json!({ "type": rng.pick(TYPE_NAMES) }),
        4 => json!({ "$ref": random_ref(rng, refs) }),
        5 => {
            let values: Vec<Value> = (0..rng.below(5)).map(|_| random_scalar(rng)).collect();
            json!({ "type": rng.pick(TYPE_NAMES), "enum": values })
        }
        _ => random_scalar(rng),
    }
}

fn random_ref(rng: &mut Rng, refs: &[String]) -> String {
    match rng.below(8) {
        0 => "#/components/schemas/DoesNotExist".to_owned(),
        1 => "other.yaml#/components/schemas/X".to_owned(),
        2 => "#/paths/~1a".to_owned(),
        3 => "#".to_owned(),
        4 => random_string(rng),
        _ if !refs.is_empty() => rng.pick(refs).clone(),
        _ => "#/components/schemas/A".to_owned(),
    }
}

/// Every `$ref` target the document can use (its component entries).
fn component_refs(doc: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(Value::Object(components)) = doc.get("components") {
        for (section, entries) in components {
            if let Value::Object(entries) = entries {
                for name in entries.keys() {
                    out.push(format!("#/components/{section}/{}", name.replace('~', "~0").replace('/', "~1")));
                }
            }
        }
    }
    out
}

/// A JSON pointer to a random node: a walk from the root that stops at random.
fn random_pointer(rng: &mut Rng, doc: &Value) -> String {
    let mut pointer = String::new();
    let mut v = doc;
    for _ in 0..(4 + rng.below(12)) {
        if rng.one_in(6) {
            break;
        }
        let next = match v {
            Value::Object(m) if !m.is_empty() => m.iter().nth(rng.below(m.len())).map(|(k, c)| (k.replace('~', "~0").replace('/', "~1"), c)),
            Value::Array(a) if !a.is_empty() => {
                let i = rng.below(a.len());
                Some((i.to_string(), &a[i]))
            }
            _ => None,
        };
        let Some((token, child)) = next else { break };
        pointer.push('/');
        pointer.push_str(&token);
        v = child;
    }
    pointer
}

/// A random subtree, cloned (for splicing).
fn random_subtree(rng: &mut Rng, doc: &Value) -> Value {
    let pointer = random_pointer(rng, doc);
    doc.pointer(&pointer).cloned().unwrap_or(Value::Null)
}

/// Applies one structural mutation somewhere in `doc`.
fn mutate_value(rng: &mut Rng, doc: &mut Value, refs: &[String]) {
    let donor = if rng.one_in(4) { Some(random_subtree(rng, doc)) } else { None };
    let op = rng.below(14);
    let pointer = random_pointer(rng, doc);
    let Some(node) = doc.pointer_mut(&pointer) else { return };
    match (op, node) {
        (0, Value::Object(m)) if !m.is_empty() => {
            if let Some(k) = m.keys().nth(rng.below(m.len())).cloned() {
                m.shift_remove(&k);
            }
        }
        (1, Value::Object(m)) if !m.is_empty() => {
            let i = rng.below(m.len());
            if let Some((k, v)) = m.iter().nth(i).map(|(k, v)| (k.clone(), v.clone())) {
                let new_key = if rng.one_in(2) { format!("{k}{}", rng.pick(&["_", "-", "2", " ", "X", ""])) } else { random_string(rng) };
                m.insert(new_key, v);
            }
        }
        (2, Value::Object(m)) if !m.is_empty() => {
            let i = rng.below(m.len());
            let key = m.keys().nth(i).cloned().unwrap_or_default();
            if let Some(v) = m.shift_remove(&key) {
                let k = key;
                let new_key = if rng.one_in(2) { k.to_uppercase() } else { random_string(rng) };
                m.insert(new_key, v);
            }
        }
        (3, node) => *node = random_scalar(rng),
        (4, node) => *node = random_value(rng, refs, 0),
        (5, Value::Object(m)) => {
            m.insert("$ref".to_owned(), Value::String(random_ref(rng, refs)));
        }
        (6, node) => {
            let max = if rng.one_in(8) { 140 } else { 20 };
            let depth = 1 + rng.below(max);
            let mut inner = node.take();
            for _ in 0..depth {
                inner = match rng.below(4) {
                    0 => json!({ "type": "array", "items": inner }),
                    1 => json!({ "allOf": [inner] }),
                    2 => json!({ "type": "object", "properties": { "p": inner } }),
                    _ => json!({ "oneOf": [inner, { "type": "string" }] }),
                };
            }
            *node = inner;
        }
        (7, Value::Object(m)) => {
            let key = rng.pick(KEYS).to_string();
            let value = match key.as_str() {
                "type" => json!(rng.pick(TYPE_NAMES)),
                "required" => json!([random_string(rng), random_string(rng)]),
                "enum" => Value::Array((0..rng.below(6)).map(|_| json!(rng.pick(NASTY_STRINGS))).collect()),
                "$ref" => json!(random_ref(rng, refs)),
                _ => random_value(rng, refs, 1),
            };
            m.insert(key, value);
        }
        (8, Value::String(s)) => {
            let extra = random_string(rng);
            let at = (0..=s.len()).filter(|i| s.is_char_boundary(*i)).nth(rng.below(s.len() + 1)).unwrap_or(0);
            s.insert_str(at, &extra);
        }
        (9, Value::Array(a)) if !a.is_empty() => {
            let i = rng.below(a.len());
            if rng.one_in(2) {
                a.remove(i);
            } else {
                let dup = a[i].clone();
                a.push(dup);
            }
        }
        (10, node) => {
            if let Some(d) = donor {
                *node = d;
            }
        }
        (11, node) => *node = json!(rng.pick(&[0i64, -1, i64::MAX, i64::MIN, 9_007_199_254_740_993])),
        (12, Value::Object(m)) => {
            // Clashing enum values and names.
            m.insert("type".to_owned(), json!("string"));
            m.insert("enum".to_owned(), json!(["a-b", "a_b", "A B", "aB", "", "_", "1", "self"]));
        }
        (13, Value::Object(m)) => {
            m.insert("x-long".to_owned(), Value::String("x".repeat(rng.below(100_000))));
        }
        (_, node) => *node = Value::Object(Map::new()),
    }
}

/// JSON pointers of every schema position in the document (component
/// schemas, `schema` keys, and the subschemas below them).
fn schema_pointers(doc: &Value) -> Vec<String> {
    fn walk(v: &Value, ptr: &mut String, in_schema: bool, out: &mut Vec<String>) {
        if in_schema && v.is_object() {
            out.push(ptr.clone());
        }
        let child = |ptr: &mut String, key: &str, f: &mut dyn FnMut(&mut String)| {
            let len = ptr.len();
            ptr.push('/');
            ptr.push_str(&key.replace('~', "~0").replace('/', "~1"));
            f(ptr);
            ptr.truncate(len);
        };
        match v {
            Value::Object(m) => {
                for (k, c) in m {
                    let is_schema = matches!(k.as_str(), "schema" | "items" | "additionalProperties" | "not")
                        || ptr == "/components/schemas"
                        || (in_schema && ptr.ends_with("/properties"));
                    let is_list = matches!(k.as_str(), "allOf" | "oneOf" | "anyOf") && in_schema;
                    child(ptr, k, &mut |ptr| {
                        if is_list {
                            if let Value::Array(items) = c {
                                for (i, item) in items.iter().enumerate() {
                                    let len = ptr.len();
                                    ptr.push_str(&format!("/{i}"));
                                    walk(item, ptr, true, out);
                                    ptr.truncate(len);
                                }
                            }
                        } else if k == "properties" && in_schema {
                            walk(c, ptr, true, out);
                            out.retain(|p| p != ptr.as_str());
                        } else {
                            walk(c, ptr, is_schema, out);
                        }
                    });
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let len = ptr.len();
                    ptr.push_str(&format!("/{i}"));
                    walk(item, ptr, false, out);
                    ptr.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, &mut String::new(), false, &mut out);
    out
}

fn property_name(rng: &mut Rng) -> String {
    match rng.below(3) {
        0 => rng.pick(NASTY_STRINGS).to_string(),
        1 => rng.pick(KEYS).to_string(),
        _ => random_string(rng),
    }
}

/// A schema that is valid in shape, with random content.
fn random_schema(rng: &mut Rng, refs: &[String], depth: usize) -> Value {
    let schema_refs: Vec<&String> = refs.iter().filter(|r| r.starts_with("#/components/schemas/")).collect();
    if depth > 3 || rng.one_in(4) {
        return match rng.below(6) {
            0 if !schema_refs.is_empty() => json!({ "$ref": rng.pick(&schema_refs) }),
            1 => json!({ "type": "string", "format": rng.pick(&["uuid", "date-time", "date", "binary", "byte", "email", "weird"]) }),
            2 => json!({ "type": rng.pick(&["integer", "number"]), "format": rng.pick(&["int32", "int64", "float", "double", "u8"]) }),
            3 => json!({ "type": "boolean" }),
            4 => json!({}),
            _ => json!({ "type": "string" }),
        };
    }
    let mut s = match rng.below(7) {
        0 => {
            let mut props = Map::new();
            for _ in 0..rng.below(5) {
                props.insert(property_name(rng), random_schema(rng, refs, depth + 1));
            }
            let names: Vec<Value> = props.keys().filter(|_| rng.one_in(2)).map(|k| json!(k)).collect();
            json!({ "type": "object", "properties": props, "required": names })
        }
        1 => json!({ "type": "array", "items": random_schema(rng, refs, depth + 1) }),
        2 => {
            let key = rng.pick(&["allOf", "oneOf", "anyOf"]).to_string();
            let parts: Vec<Value> = (0..1 + rng.below(3)).map(|_| random_schema(rng, refs, depth + 1)).collect();
            let mut m = Map::new();
            m.insert(key, Value::Array(parts));
            Value::Object(m)
        }
        3 => {
            let values: Vec<Value> = (0..1 + rng.below(6)).map(|_| json!(property_name(rng))).collect();
            json!({ "type": "string", "enum": values })
        }
        4 => {
            let values: Vec<Value> = (0..1 + rng.below(5)).map(|_| json!(rng.next_u64() as i64 % 1000)).collect();
            json!({ "type": "integer", "enum": values })
        }
        5 => json!({ "type": "object", "additionalProperties": random_schema(rng, refs, depth + 1) }),
        _ => json!({ "type": [rng.pick(TYPE_NAMES), "null"] }),
    };
    if let Value::Object(m) = &mut s {
        if rng.one_in(4) {
            m.insert("nullable".to_owned(), json!(true));
        }
        if rng.one_in(5) {
            m.insert("default".to_owned(), random_scalar(rng));
        }
        if rng.one_in(6) {
            m.insert("description".to_owned(), json!(random_string(rng)));
        }
    }
    s
}

/// Replaces or edits one schema somewhere in the document, keeping it a schema.
fn mutate_schema(rng: &mut Rng, doc: &mut Value, refs: &[String]) {
    let pointers = schema_pointers(doc);
    if pointers.is_empty() {
        return;
    }
    let pointer = rng.pick(&pointers).clone();
    let new = random_schema(rng, refs, 0);
    let Some(Value::Object(target)) = doc.pointer_mut(&pointer) else { return };
    match rng.below(6) {
        0 => *target = match new {
            Value::Object(m) => m,
            _ => Map::new(),
        },
        1 => {
            let props = target.entry("properties").or_insert_with(|| json!({}));
            if let Value::Object(props) = props {
                props.insert(property_name(rng), new);
            }
        }
        2 => {
            target.insert("nullable".to_owned(), json!(rng.one_in(2)));
        }
        3 => {
            let required = target.entry("required").or_insert_with(|| json!([]));
            if let Value::Array(r) = required {
                r.push(json!(property_name(rng)));
            }
        }
        4 => {
            target.insert("discriminator".to_owned(), json!({ "propertyName": property_name(rng) }));
        }
        _ => {
            let old = Value::Object(std::mem::take(target));
            let key = rng.pick(&["allOf", "oneOf", "anyOf"]).to_string();
            target.insert(key, json!([old, new]));
        }
    }
}

/// Adds or edits an operation: odd paths, parameters, operationIds, bodies and responses.
fn mutate_operation(rng: &mut Rng, doc: &mut Value, refs: &[String]) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else { return };
    if paths.is_empty() || rng.one_in(4) {
        let path = match rng.below(4) {
            0 => format!("/{}/{{{}}}", random_string(rng), property_name(rng)),
            1 => format!("/a/{{{}}}/{{{}}}", property_name(rng), property_name(rng)),
            2 => "/".to_owned(),
            _ => format!("/{}", random_string(rng)),
        };
        paths.insert(path, json!({}));
    }
    let i = rng.below(paths.len());
    let Some((path, item)) = paths.iter_mut().nth(i) else { return };
    let template: Vec<String> = path.split('{').skip(1).filter_map(|p| p.split('}').next()).map(str::to_owned).collect();
    let Value::Object(item) = item else { return };
    let method = rng.pick(&["get", "put", "post", "delete", "patch", "head", "options", "trace"]).to_string();
    let op = item.entry(method).or_insert_with(|| json!({ "responses": { "200": { "description": "ok" } } }));
    let Value::Object(op) = op else { return };
    match rng.below(5) {
        0 => {
            let name = if !template.is_empty() && rng.one_in(2) { rng.pick(&template).clone() } else { property_name(rng) };
            let location = rng.pick(&["path", "query", "header", "cookie"]).to_string();
            let param = json!({ "name": name, "in": location, "required": location == "path", "schema": random_schema(rng, refs, 1) });
            let params = op.entry("parameters").or_insert_with(|| json!([]));
            if let Value::Array(p) = params {
                p.push(param);
            }
        }
        1 => {
            op.insert("operationId".to_owned(), json!(property_name(rng)));
        }
        2 => {
            let media = rng.pick(&["application/json", "application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "application/octet-stream", "application/vnd.x+json"]).to_string();
            let mut content = Map::new();
            content.insert(media, json!({ "schema": random_schema(rng, refs, 0) }));
            op.insert("requestBody".to_owned(), json!({ "required": rng.one_in(2), "content": content }));
        }
        3 => {
            let code = rng.pick(&["200", "201", "204", "2XX", "400", "404", "4XX", "500", "default"]).to_string();
            let media = rng.pick(&["application/json", "text/plain", "application/xml", "application/octet-stream", "*/*"]).to_string();
            let mut content = Map::new();
            content.insert(media, json!({ "schema": random_schema(rng, refs, 0) }));
            let responses = op.entry("responses").or_insert_with(|| json!({}));
            if let Value::Object(r) = responses {
                r.insert(code, json!({ "description": random_string(rng), "content": content }));
            }
        }
        _ => {
            op.insert("deprecated".to_owned(), json!(true));
            op.insert("summary".to_owned(), json!(random_string(rng)));
        }
    }
}

/// Applies one byte-level mutation.
fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) {
    const SNIPPETS: &[&[u8]] = &[
        b"&a ", b"*a", b"<<: *a\n", b"!!binary ", b"!!int ", b": ", b"- ", b"\t", b"\n", b"---\n", b"...\n", b"{", b"}",
        b"[", b"]", b"\"", b"'", b"#", b"|\n", b">\n", b"? ", b"%YAML 1.1\n", b"\xff", b"\xc3", b"\0", b"\\u0000",
        b"\"$ref\": \"#/components/schemas/X\", ", b"1e999", b"-0", b"null",
    ];
    if bytes.is_empty() {
        bytes.extend_from_slice(SNIPPETS[rng.below(SNIPPETS.len())]);
        return;
    }
    let at = rng.below(bytes.len());
    match rng.below(7) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => bytes[at] = rng.below(256) as u8,
        2 => {
            let s = SNIPPETS[rng.below(SNIPPETS.len())];
            bytes.splice(at..at, s.iter().copied());
        }
        3 => {
            let end = (at + 1 + rng.below(64)).min(bytes.len());
            bytes.drain(at..end);
        }
        4 => bytes.truncate(at),
        5 => {
            let end = (at + 1 + rng.below(256)).min(bytes.len());
            let chunk: Vec<u8> = bytes[at..end].to_vec();
            let to = rng.below(bytes.len());
            bytes.splice(to..to, chunk);
        }
        _ => {
            // Swap indentation for a tab on some line.
            if let Some(nl) = bytes[at..].iter().position(|b| *b == b'\n') {
                let i = at + nl + 1;
                if i < bytes.len() && bytes[i] == b' ' {
                    bytes[i] = b'\t';
                }
            }
        }
    }
}

/// A seed document, ready to mutate.
struct Seed {
    bytes: Vec<u8>,
    value: Option<Value>,
    refs: Vec<String>,
}

fn load_seeds(paths: &[PathBuf], max_bytes: usize) -> Vec<Seed> {
    let mut seeds = Vec::new();
    for path in paths {
        let Ok(bytes) = std::fs::read(path) else { continue };
        if bytes.len() > max_bytes {
            continue;
        }
        let value = openapi_rust_gen::load::parse_text(&bytes, "seed").ok();
        let refs = value.as_ref().map(component_refs).unwrap_or_default();
        seeds.push(Seed { bytes, value, refs });
    }
    seeds
}

/// Makes one mutant of a random seed.
fn mutant(rng: &mut Rng, seeds: &[Seed]) -> Vec<u8> {
    let seed = rng.pick(seeds);
    match (&seed.value, rng.below(6)) {
        (Some(value), 0..=4) => {
            let mut doc = value.clone();
            for _ in 0..(1 + rng.below(3)) {
                // Mostly shape-keeping edits (they reach the model and emit
                // stages); sometimes anything goes.
                match rng.below(5) {
                    0 | 1 => mutate_schema(rng, &mut doc, &seed.refs),
                    2 => mutate_operation(rng, &mut doc, &seed.refs),
                    _ => mutate_value(rng, &mut doc, &seed.refs),
                }
            }
            let text = if rng.one_in(3) {
                serde_json::to_string(&doc)
            } else {
                serde_json::to_string_pretty(&doc)
            }
            .unwrap_or_default();
            // A leading comment sends JSON text through the YAML parser.
            let text = if rng.one_in(4) { format!("# yaml\n{text}") } else { text };
            let mut bytes = text.into_bytes();
            if rng.one_in(10) {
                mutate_bytes(rng, &mut bytes);
            }
            bytes
        }
        _ => {
            let mut bytes = seed.bytes.clone();
            for _ in 0..(1 + rng.below(4)) {
                mutate_bytes(rng, &mut bytes);
            }
            bytes
        }
    }
}

fn config() -> Config {
    Config {
        crate_name: "fuzzed-client".to_owned(),
        crate_version: None,
        spec_label: "fuzzed.json".to_owned(),
        regenerate: "cargo xtask fuzz".to_owned(),
        strict: false,
    }
}

/// Short stable hash of an input (FNV-1a), for file names.
pub fn hash_hex(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Outcome of one execution.
pub enum Outcome {
    /// A crate was generated.
    Generated,
    /// A spec error was reported.
    SpecError,
    /// A panic or render error: a generator bug.
    Bug(String),
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Installs a panic hook that, on the fuzz thread, records the message (with
/// location) instead of printing it; other threads keep the previous hook.
pub fn quiet_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() != Some("fuzz") {
            return previous(info);
        }
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".to_owned());
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("panic: {payload}{location}")));
    }));
}

/// Text rustc rejects although `syn` parses it: a carriage return (bare CR
/// is an error in doc comments) or a Unicode text-direction control (denied
/// in comments and literals).
pub fn lexically_bad(files: &std::collections::BTreeMap<String, String>) -> Option<String> {
    for (path, text) in files.iter().filter(|(path, _)| path.ends_with(".rs")) {
        if let Some(c) = text.chars().find(|c| matches!(c, '\r' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')) {
            return Some(format!("generated {path} contains {:?}, which rustc rejects", c));
        }
    }
    None
}

/// Generates the crate for `input` into a scratch workspace in `dir`
/// ([`crate::scratch`]) and runs `cargo check` on it (offline, with the
/// project's `Cargo.lock`); returns the first errors when it does not
/// compile.
fn compile_check(input: &[u8], dir: &Path) -> Option<String> {
    let config = config();
    let generated = openapi_rust_gen::generate(input, &config).ok()?;
    let mut ws = crate::scratch::Scratch::new(dir).ok()?;
    ws.add(&config.crate_name, &generated.files).ok()?;
    let out = ws.cargo(&["check", "--offline", "--quiet", "--message-format", "short"]).output().ok()?;
    if out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = text.lines().filter(|l| l.contains("error")).take(3).collect();
    Some(errors.join(" | "))
}

/// Runs one input through the whole pipeline.
pub fn execute(bytes: &[u8]) -> Outcome {
    let result = catch_unwind(AssertUnwindSafe(|| openapi_rust_gen::generate(bytes, &config())));
    match result {
        Ok(Ok(generated)) => match lexically_bad(&generated.files) {
            Some(problem) => Outcome::Bug(problem),
            None => Outcome::Generated,
        },
        Ok(Err(Error::Spec { .. })) => Outcome::SpecError,
        Ok(Err(e @ Error::Render { .. })) => Outcome::Bug(e.to_string().lines().next().unwrap_or_default().to_owned()),
        Ok(Err(e)) => Outcome::Bug(format!("unexpected error kind: {e}")),
        Err(_) => Outcome::Bug(LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| "panic".to_owned())),
    }
}

/// Runs the fuzzer. The loop runs on a thread with an 8 MiB stack (like a
/// program's main thread), so a stack overflow is a real finding.
pub fn run(cfg: &FuzzConfig) -> FuzzReport {
    let current: Arc<Mutex<(u64, Vec<u8>)>> = Arc::new(Mutex::new((0, Vec::new())));
    // (The execution counter is set to u64::MAX while a compile check runs: not a hang.)
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    quiet_panics();
    let watchdog = {
        let (current, done, dir) = (current.clone(), done.clone(), cfg.crash_dir.clone());
        std::thread::spawn(move || watchdog(&current, &done, dir.as_deref()))
    };
    let handle = {
        let (cfg, current) = (cfg.clone(), current.clone());
        std::thread::Builder::new()
            .name("fuzz".to_owned())
            .stack_size(8 << 20)
            .spawn(move || fuzz_loop(&cfg, &current))
            .map_err(|e| e.to_string())
    };
    let joined = handle.map(|h| h.join());
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let _ = watchdog.join();
    // Back to the default hook (panic messages printed again).
    drop(std::panic::take_hook());
    match joined {
        Ok(Ok(report)) => report,
        _ => FuzzReport {
            findings: vec![Finding { message: "the fuzz thread died".to_owned(), input: Vec::new(), file: None }],
            ..FuzzReport::default()
        },
    }
}

/// Saves the input of an execution that takes longer than a minute (a hang
/// cannot be interrupted, but it can be reported) as `slow-<hash>.json`.
fn watchdog(current: &Mutex<(u64, Vec<u8>)>, done: &std::sync::atomic::AtomicBool, dir: Option<&Path>) {
    let mut last = (u64::MAX, Instant::now());
    let mut reported = u64::MAX;
    while !done.load(std::sync::atomic::Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(200));
        let Ok(guard) = current.lock() else { return };
        let (n, input) = (&guard.0, &guard.1);
        if *n != last.0 || *n == u64::MAX {
            last = (*n, Instant::now());
        } else if last.1.elapsed() > Duration::from_secs(60) && reported != *n {
            reported = *n;
            let file = dir.map(|d| {
                let _ = std::fs::create_dir_all(d);
                let path = d.join(format!("slow-{}.json", hash_hex(input)));
                let _ = std::fs::write(&path, input);
                path
            });
            eprintln!("finding: execution {n} has run for over a minute (input saved as {file:?})");
        }
    }
}

fn fuzz_loop(cfg: &FuzzConfig, current: &Mutex<(u64, Vec<u8>)>) -> FuzzReport {
    let seeds = load_seeds(&cfg.seeds, cfg.max_seed_bytes);
    let mut report = FuzzReport::default();
    if seeds.is_empty() {
        return report;
    }
    let mut rng = Rng::new(cfg.seed);
    let start = Instant::now();
    let mut seen_messages = BTreeSet::new();
    loop {
        match cfg.budget {
            Budget::Executions(n) if report.executions >= n => break,
            Budget::Time(t) if start.elapsed() >= t => break,
            _ => {}
        }
        let input = mutant(&mut rng, &seeds);
        if let Ok(mut c) = current.lock() {
            c.0 = report.executions;
            c.1.clone_from(&input);
        }
        if let (true, Some(dir)) = (cfg.save_current, &cfg.crash_dir) {
            let _ = std::fs::create_dir_all(dir);
            let _ = std::fs::write(dir.join(CURRENT_INPUT), &input);
        }
        let t0 = Instant::now();
        let outcome = execute(&input);
        let took = t0.elapsed();
        if took > report.slowest.0 {
            report.slowest = (took, input.len());
        }
        report.executions += 1;
        match outcome {
            Outcome::Generated => {
                report.generated += 1;
                if let (Some(dir), true) = (&cfg.compile_dir, cfg.compile_every > 0 && report.generated.is_multiple_of(cfg.compile_every)) {
                    report.compiled += 1;
                    if let Ok(mut c) = current.lock() {
                        c.0 = u64::MAX;
                    }
                    let result = compile_check(&input, dir);
                    if let Ok(mut c) = current.lock() {
                        c.0 = report.executions;
                    }
                    if let Some(errors) = result {
                        let message = format!("generated crate does not compile: {errors}");
                        if seen_messages.insert(message.clone()) {
                            let file = cfg.crash_dir.as_ref().and_then(|d| {
                                let _ = std::fs::create_dir_all(d);
                                let path = d.join(format!("nocompile-{}.json", hash_hex(&input)));
                                std::fs::write(&path, &input).ok().map(|_| path)
                            });
                            eprintln!("finding: {message}{}", file.as_ref().map(|f| format!(" (saved {})", f.display())).unwrap_or_default());
                            report.findings.push(Finding { message, input: input.clone(), file });
                        }
                    }
                }
            }
            Outcome::SpecError => report.spec_errors += 1,
            Outcome::Bug(message) => {
                // One finding per distinct message (panic location), smallest input kept.
                let key = message.clone();
                if seen_messages.insert(key) {
                    let file = cfg.crash_dir.as_ref().and_then(|dir| {
                        let _ = std::fs::create_dir_all(dir);
                        let path = dir.join(format!("crash-{}.json", hash_hex(&input)));
                        std::fs::write(&path, &input).ok().map(|_| path)
                    });
                    eprintln!("finding: {message}{}", file.as_ref().map(|f| format!(" (saved {})", f.display())).unwrap_or_default());
                    report.findings.push(Finding { message, input, file });
                }
            }
        }
        if cfg.progress_every > 0 && report.executions.is_multiple_of(cfg.progress_every) {
            eprintln!(
                "fuzz: {} executions in {:.0?}: {} generated, {} spec errors, {} findings",
                report.executions,
                start.elapsed(),
                report.generated,
                report.spec_errors,
                report.findings.len()
            );
        }
    }
    report.elapsed = start.elapsed();
    if let (true, Some(dir)) = (cfg.save_current, &cfg.crash_dir) {
        let _ = std::fs::remove_file(dir.join(CURRENT_INPUT));
    }
    report
}

/// The file (in the crash directory) holding the input being run, with `save_current`.
pub const CURRENT_INPUT: &str = ".current-input";
