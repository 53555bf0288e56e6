//! Stage 1, load: spec text → JSON value → normalized 3.0 shape (with the
//! objects that do not shape the crate repaired, [`repair`]) → typed
//! `openapiv3::OpenAPI`, plus `$ref` resolution ([`resolve`]).
//!
//! This stage knows document formats and OpenAPI versions; it does not know
//! Rust.

pub mod locate;
pub mod normalize;
pub mod repair;
pub mod sequential;
pub mod v32;
pub mod resolve;

use serde_json::Value;

use crate::error::{Error, Problem};

/// Largest spec accepted, in bytes.
pub const MAX_SPEC_BYTES: usize = 100 * 1024 * 1024;

/// Longest string (value or key) accepted anywhere in a spec, in bytes. Real
/// descriptions and examples are far shorter; a longer string is almost
/// certainly a mistake (an embedded file) and would end up in generated docs.
pub const MAX_STRING_BYTES: usize = 1024 * 1024;

/// How deep the JSON and YAML parsers nest before they stop (their
/// recursion limit); named in the error so the message is clear.
pub const MAX_DEPTH: usize = 128;

/// A parsed spec: the typed document and the (normalized) value it came from.
pub struct Loaded {
    /// The typed document, without `components.examples` (see `deserialize`).
    pub api: openapiv3::OpenAPI,
    /// `true` when the source declared OpenAPI 3.1.
    pub is_31: bool,
    /// What normalization could not keep exactly.
    pub warnings: Vec<crate::error::Warning>,
    /// Problems that did not stop loading (the offending schema was replaced
    /// by an empty one so the rest can be checked): the spec must still be
    /// rejected, with these reported together with later ones.
    pub problems: Vec<Problem>,
}

/// A parser message without its trailing " at line L column C" (the
/// location is shown separately).
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(" column ") => &message[..i],
        _ => message,
    }
}

/// The problem for a parser error: recursion-limit errors get a clear message.
fn parse_problem(format: &str, message: &str, line_col: Option<(usize, usize)>) -> Problem {
    let short = strip_location(message);
    let text = if short.contains("repetition limit exceeded") {
        "the YAML aliases (`*name`) expand to too many values (a \"billion laughs\" document); \
         the parser stops to bound memory. Write the repeated parts out, or use `$ref`s"
            .to_owned()
    } else if short.contains("recursion limit exceeded") {
        format!(
            "the document nests more than {MAX_DEPTH} levels deep (objects and lists inside each other); \
             the {format} parser stops there. No real API needs this: flatten the structure with `$ref`s to named components"
        )
    } else {
        format!("invalid {format}: {short}")
    };
    let mut p = Problem::new("", text);
    p.line_col = line_col;
    p
}

/// Whether any string (value or key) is longer than [`MAX_STRING_BYTES`];
/// meanwhile `refs_out` is set if any `$ref` anywhere is a string that
/// does not start with `#` (a reference to another file, or something
/// normalization leaves for [`resolve::external_refs_problem`] to judge).
fn has_long_string(v: &Value, refs_out: &mut bool) -> bool {
    match v {
        Value::String(s) => s.len() > MAX_STRING_BYTES,
        Value::Array(items) => items.iter().any(|i| has_long_string(i, refs_out)),
        Value::Object(map) => map.iter().any(|(k, item)| {
            if k == "$ref" && matches!(item, Value::String(r) if !r.starts_with('#')) {
                *refs_out = true;
            }
            k.len() > MAX_STRING_BYTES || has_long_string(item, refs_out)
        }),
        _ => false,
    }
}

/// Finds strings (values and keys) longer than [`MAX_STRING_BYTES`].
fn long_strings(v: &Value, pointer: &mut String, out: &mut Vec<Problem>) {
    let too_long = |len: usize, pointer: &str, what: &str| {
        Problem::new(
            pointer,
            format!(
                "this {what} is {len} bytes long; the limit is {MAX_STRING_BYTES} bytes per string. \
                 Move large content (embedded files, huge examples) out of the spec"
            ),
        )
    };
    match v {
        Value::String(s) if s.len() > MAX_STRING_BYTES => out.push(too_long(s.len(), pointer, "string")),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&i.to_string());
                long_strings(item, pointer, out);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                let len = pointer.len();
                pointer.push('/');
                if k.len() > MAX_STRING_BYTES {
                    let mut end = 64;
                    while !k.is_char_boundary(end) {
                        end -= 1;
                    }
                    pointer.push_str(&crate::error::pointer_token(&k[..end]));
                    pointer.push('…');
                    out.push(too_long(k.len(), pointer, "key"));
                } else {
                    pointer.push_str(&crate::error::pointer_token(k));
                    long_strings(item, pointer, out);
                }
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// The problem for a document over [`MAX_SPEC_BYTES`].
pub fn too_big(len: u64) -> Problem {
    Problem::new(
        "",
        format!("the document is {len} bytes; the limit is {MAX_SPEC_BYTES} bytes (100 MiB). Split it, or move large examples out"),
    )
}

/// Parses spec bytes (JSON or YAML, detected from the content) into a JSON value.
pub fn parse_text(bytes: &[u8], origin: &str) -> Result<Value, Error> {
    parse_value(bytes, origin).map(|(value, _)| value)
}

/// [`parse_text`], and whether the value has a `$ref` that does not start
/// with `#` anywhere (see [`has_long_string`]).
fn parse_value(bytes: &[u8], origin: &str) -> Result<(Value, bool), Error> {
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(Error::spec(origin, too_big(bytes.len() as u64)));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        let mut p = Problem::new("", format!("the document is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()));
        p.line_col = Some((line, col));
        Error::spec(origin, p)
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::spec(origin, Problem::new("", "the document is empty; expected an OpenAPI 3.0, 3.1 or 3.2 document")));
    }
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text)
            .map_err(|e| Error::spec(origin, parse_problem("JSON", &e.to_string(), Some((e.line(), e.column())))))?
    } else {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
            let mut p = parse_problem("YAML", &e.to_string(), e.location().map(|l| (l.line(), l.column())));
            if e.location().is_some_and(|l| text.get(l.index()..).is_some_and(|rest| rest.starts_with('\t'))) {
                p.message.push_str(" (a tab: YAML indentation must use spaces, not tabs)");
            }
            Error::spec(origin, p)
        })?;
        yaml_to_json(yaml, "").map_err(|p| Error::spec(origin, p))?
    };
    // Most documents have no long string: a walk without pointers says so.
    let mut refs_out = false;
    if has_long_string(&value, &mut refs_out) {
        let mut long = Vec::new();
        long_strings(&value, &mut String::new(), &mut long);
        return Err(Error::Spec { origin: origin.to_owned(), problems: long });
    }
    Ok((value, refs_out))
}

/// Converts YAML to JSON, turning non-string keys (`200:`) into strings.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, Problem> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| Problem::new(pointer, format!("the number {f} cannot be represented in JSON")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => return Err(Problem::new(pointer, "a mapping key is not a string, number or boolean")),
                };
                let child = format!("{pointer}/{}", crate::error::pointer_token(&key));
                let v = yaml_to_json(v, &child)?;
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Reads, normalizes and parses a spec; any problem is an error.
pub fn load(bytes: &[u8], origin: &str) -> Result<Loaded, Error> {
    let loaded = load_partial(bytes, origin)?;
    if loaded.problems.is_empty() {
        Ok(loaded)
    } else {
        Err(Error::Spec { origin: origin.to_owned(), problems: loaded.problems })
    }
}

/// Like [`load`], but problems that leave a usable document (a bad schema,
/// replaced by an empty one) are returned in [`Loaded::problems`] so the
/// caller can report them together with the model's.
pub fn load_partial(bytes: &[u8], origin: &str) -> Result<Loaded, Error> {
    load_partial_staged(bytes, origin, &mut crate::Stages::default())
}

/// [`load_partial`], recording the time of each step (`parse`, `normalize`,
/// `deserialize`).
pub fn load_partial_staged(bytes: &[u8], origin: &str, stages: &mut crate::Stages) -> Result<Loaded, Error> {
    let (mut value, refs_out) = stages.time("parse", || parse_value(bytes, origin))?;
    let normalized = stages
        .time("normalize", || normalize::normalize(&mut value))
        .map_err(|problems| Error::Spec { origin: origin.to_owned(), problems })?;
    let mut problems = normalized.problems;
    // References to other files: one problem for all of them (bundle first).
    // Only looked for when the parsed document had a `$ref` not starting
    // with `#` anywhere: normalization writes no reference that was not in
    // the document, so without one there is none to find.
    if let Some(problem) = refs_out.then(|| stages.time("normalize", || resolve::external_refs_problem(&value))).flatten() {
        problems.push(problem);
        return Err(Error::Spec { origin: origin.to_owned(), problems });
    }
    // The value is moved in (no string is copied); only a failure reads the
    // document again, to locate the problem in it.
    let loaded = |api| Loaded { api, is_31: normalized.is_31, warnings: normalized.warnings, problems: Vec::new() };
    match stages.time("deserialize", || deserialize(value, bytes.len())) {
        Ok(api) => Ok(Loaded { problems, ..loaded(api) }),
        Err(()) => {
            let mut value = parse_text(bytes, origin)?;
            let _ = normalize::normalize(&mut value);
            // The whole document's error, as one pass gives it.
            let e = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(value.clone()) {
                Ok(api) => return Ok(Loaded { problems, ..loaded(api) }),
                Err(e) => e,
            };
            problems.extend(locate::problems(&value, &e.to_string()));
            Err(Error::Spec { origin: origin.to_owned(), problems })
        }
    }
}

/// Documents of at least this many bytes are read on all cores.
const SPLIT_BYTES: usize = 256 * 1024;

/// How many parts `components.schemas` is read in (when split): many, so
/// that a run of big schemas does not keep one core busy after the other
/// is done.
const SCHEMA_PARTS: usize = 32;

/// How many parts `paths` is read in (when split).
const PATH_PARTS: usize = 8;

/// `map`'s entries in `parts` runs of about the same length, in order.
fn runs(map: serde_json::Map<String, Value>, parts: usize) -> Vec<serde_json::Map<String, Value>> {
    let per_part = map.len().div_ceil(parts).max(1);
    let mut out = Vec::new();
    let mut run = serde_json::Map::new();
    for (key, value) in map {
        run.insert(key, value);
        if run.len() == per_part {
            out.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() || out.is_empty() {
        out.push(run);
    }
    out
}

/// One part of a document read on its own (see [`deserialize`]).
enum Part {
    /// The document without `paths` and `components.schemas`.
    Root(Value),
    /// A run of `paths` entries (path items and extensions), in order.
    Paths(serde_json::Map<String, Value>),
    /// A run of `components.schemas` entries, in order.
    Schemas(serde_json::Map<String, Value>),
    /// What is not read (`components.examples`), only freed.
    Unread(Value),
}

/// A part, read.
enum Read {
    Root(Box<openapiv3::OpenAPI>),
    Paths(openapiv3::Paths),
    Schemas(indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::Schema>>),
    Unread,
}

impl Part {
    fn read(self) -> Result<Read, serde_json::Error> {
        use serde::Deserialize as _;
        // From a borrowed value: strings buffered for `openapiv3`'s untagged
        // and flattened types are then borrowed too, not copied.
        Ok(match self {
            Part::Root(v) => Read::Root(Box::new(openapiv3::OpenAPI::deserialize(&v)?)),
            Part::Paths(m) => Read::Paths(openapiv3::Paths::deserialize(&Value::Object(m))?),
            Part::Schemas(m) => Read::Schemas(indexmap::IndexMap::deserialize(&Value::Object(m))?),
            Part::Unread(value) => {
                drop(value);
                Read::Unread
            }
        })
    }
}

/// The typed document of a normalized value, without
/// `components.examples`: nothing after loading reads them (normalize has
/// checked them, `repair`), and a big spec's are a fifth of it (GitHub's:
/// 1.5 MB of 6.7). A big document is read on all cores in parts: `paths`,
/// runs of `components.schemas` entries, and the rest with those two left
/// empty, each part read exactly as it is read inside the whole document,
/// then put together in document order. On failure the caller reads the
/// whole document again for the error.
fn deserialize(value: Value, document_bytes: usize) -> Result<openapiv3::OpenAPI, ()> {
    use serde::Deserialize as _;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let Value::Object(mut root) = value else { return openapiv3::OpenAPI::deserialize(value).map_err(drop) };
    let empty = || Value::Object(serde_json::Map::new());
    let examples = root.get_mut("components").and_then(|c| c.get_mut("examples")).filter(|e| e.is_object()).map(|e| std::mem::replace(e, empty()));
    if cores < 2 || document_bytes < SPLIT_BYTES || !root.get("paths").is_some_and(Value::is_object) {
        drop(examples);
        return openapiv3::OpenAPI::deserialize(Value::Object(root)).map_err(drop);
    }
    let mut parts = Vec::new();
    if let Some(Value::Object(paths)) = root.get_mut("paths").map(|p| std::mem::replace(p, empty())) {
        parts.extend(runs(paths, PATH_PARTS).into_iter().map(Part::Paths));
    }
    let schemas = root.get_mut("components").and_then(|c| c.get_mut("schemas")).filter(|s| s.is_object());
    if let Some(Value::Object(schemas)) = schemas.map(|s| std::mem::replace(s, empty())) {
        parts.extend(runs(schemas, SCHEMA_PARTS).into_iter().filter(|run| !run.is_empty()).map(Part::Schemas));
    }
    // The document's extensions are JSON values already: moved into the
    // typed document as they are, not read through `openapiv3`'s flattened
    // map (which buffers and copies them; GitHub's `x-webhooks` is 0.6 MB).
    let (extensions, rest): (serde_json::Map<String, Value>, serde_json::Map<String, Value>) =
        root.into_iter().partition(|(key, _)| key.starts_with("x-"));
    parts.push(Part::Root(Value::Object(rest)));
    parts.extend(examples.map(Part::Unread));
    let jobs: Vec<std::sync::Mutex<Option<Part>>> = parts.into_iter().map(|p| std::sync::Mutex::new(Some(p))).collect();
    let take = |i: usize| jobs.get(i).and_then(|job| job.lock().ok()?.take()).map(Part::read);
    let read = crate::on_all_cores(jobs.len(), take).ok_or(())?;
    let (mut paths, mut schemas, mut api) = (None, indexmap::IndexMap::new(), None);
    for r in read {
        match r {
            Some(Ok(Read::Paths(run))) => {
                let all = paths.get_or_insert_with(openapiv3::Paths::default);
                all.paths.extend(run.paths);
                all.extensions.extend(run.extensions);
            }
            Some(Ok(Read::Schemas(run))) => schemas.extend(run),
            Some(Ok(Read::Root(a))) => api = Some(a),
            Some(Ok(Read::Unread)) => {}
            _ => return Err(()),
        }
    }
    let (Some(mut api), Some(paths)) = (api, paths) else { return Err(()) };
    api.paths = paths;
    api.extensions = extensions.into_iter().collect();
    if !schemas.is_empty() {
        api.components.as_mut().ok_or(())?.schemas = schemas;
    }
    Ok(*api)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parse says whether a `$ref` to another file may be anywhere:
    /// the later search for them runs only then.
    #[test]
    fn parse_notes_references_outside_the_document() {
        let flag = |doc: &str| parse_value(doc.as_bytes(), "t").map(|(_, refs_out)| refs_out).expect("parses");
        assert!(!flag(r##"{"a": {"$ref": "#/components/schemas/A"}, "b": [{"$ref": "#/x"}]}"##));
        assert!(flag(r##"{"a": [{"b": {"$ref": "other.yaml#/A"}}]}"##));
        assert!(flag(r##"{"x-ext": {"$ref": "https://example.com/a.json"}}"##), "anywhere, extensions too");
        assert!(!flag(r##"{"a": {"$ref": 3}}"##), "only strings are references");
    }

    /// Read in parts on all cores, a document is what one pass reads.
    #[test]
    fn parts_read_as_one_pass() {
        let mut paths = serde_json::Map::new();
        let mut schemas = serde_json::Map::new();
        for i in 0..100 {
            let op = serde_json::json!({"get": {"operationId": format!("get{i}"), "responses": {"200": {"description": "ok"}}}});
            paths.insert(format!("/p{i}"), op);
            schemas.insert(format!("S{i}"), serde_json::json!({"type": "object", "properties": {"a": {"$ref": format!("#/components/schemas/S{}", i + 1)}}}));
        }
        paths.insert("x-extension".to_owned(), serde_json::json!({"kept": true}));
        let doc = serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": paths,
            "components": {
                "schemas": schemas,
                "parameters": {"P": {"name": "p", "in": "query", "schema": {"type": "string"}}},
                "examples": {"E": {"value": {"id": 1}}},
            },
            "x-root": 1,
            "x-webhooks": {"push": {"post": {"summary": "a webhook"}}},
        });
        let mut one_pass: openapiv3::OpenAPI = serde::Deserialize::deserialize(&doc).expect("reads");
        let in_parts = deserialize(doc, SPLIT_BYTES).expect("reads in parts");
        // Only `components.examples` is left out.
        assert_eq!(one_pass.components.as_mut().map(|c| std::mem::take(&mut c.examples).len()), Some(1));
        assert_eq!(in_parts, one_pass);
        assert_eq!(in_parts.paths.paths.keys().nth(57).map(String::as_str), Some("/p57"));
        assert!(in_parts.paths.extensions.contains_key("x-extension"));
        assert_eq!(in_parts.extensions.keys().collect::<Vec<_>>(), ["x-root", "x-webhooks"]);
    }
}
