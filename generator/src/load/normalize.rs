//! Normalize: rewrites a JSON value in place so `openapiv3` (which models
//! OpenAPI 3.0) reads it without losing meaning.
//!
//! - Version check: OpenAPI 3.0.x, 3.1.x and 3.2.x; Swagger 2.0 and unknown
//!   versions get a clear error. 3.2 is read like 3.1; its new forms are
//!   rewritten by [`super::v32`], and streamed media types (`itemSchema`,
//!   also found in 3.1 documents) by [`super::sequential`].
//! - 3.1 forms: `type: [T, "null"]`, `type: "null"`, `anyOf`/`oneOf` with a
//!   `{type: "null"}` branch, `const`, `examples` arrays, numeric
//!   `exclusiveMinimum`/`exclusiveMaximum`, `$ref` with a `nullable` sibling.
//! - 3.1 binary strings: `contentMediaType` without `contentEncoding` →
//!   `format: binary` (with the media type kept for the model).
//! - Non-standard 3.0 values seen in real specs: `required: "false"`,
//!   responses without `description`, enum values of the wrong JSON type,
//!   `type: file`, a boolean `required` inside a schema, a malformed
//!   `externalDocs` in a schema.
//! - Then [`super::repair`] repairs or drops malformed objects that do not
//!   shape the generated crate (servers, tags, examples, links, …).

use serde_json::{Map, Value, json};

use crate::error::{Problem, Warning, WarningKind, pointer_token, push_child, push_index};

/// Marks a schema that only allows `null` (3.1 `type: "null"`).
pub const NULL_ONLY: &str = "x-openapi-rust-gen-null";

/// The media type of binary string content (3.1 `contentMediaType`), kept
/// for the model (the default content type of a file part).
pub const CONTENT_MEDIA_TYPE: &str = "x-openapi-rust-gen-content-media-type";

/// What normalization found out.
pub struct Normalized {
    /// `true` when the document declared OpenAPI 3.1 or 3.2.
    pub is_31: bool,
    /// Information that could not be kept exactly.
    pub warnings: Vec<Warning>,
    /// Problems in schemas; each bad schema was replaced by an empty one so
    /// the rest of the document can still be checked.
    pub problems: Vec<Problem>,
}

/// Checks the version and rewrites the document into 3.0 shapes.
pub fn normalize(doc: &mut Value) -> Result<Normalized, Vec<Problem>> {
    let Value::Object(root) = doc else {
        return Err(vec![Problem::new(
            "",
            format!(
                "the document is {}, not an object; expected an OpenAPI 3.0, 3.1 or 3.2 document (an object with `openapi`, `info` and `paths`)",
                crate::load::locate::json_kind(doc)
            ),
        )]);
    };
    let mut problems = Vec::new();
    if let Some(swagger) = root.get("swagger") {
        let version = swagger.as_str().map(str::to_owned).unwrap_or_else(|| swagger.to_string());
        return Err(vec![Problem::new(
            "/swagger",
            format!(
                "this is a Swagger {version} document; only OpenAPI 3.0, 3.1 and 3.2 are supported. Convert it first (for example with swagger2openapi)"
            ),
        )]);
    }
    let is_31 = match root.get("openapi") {
        None => {
            return Err(vec![Problem::new(
                "",
                "no `openapi` version field; expected `openapi: 3.0.x`, `3.1.x` or `3.2.x` at the top level",
            )]);
        }
        Some(Value::String(v)) if v.starts_with("3.0") => false,
        Some(Value::String(v)) if v.starts_with("3.1") || v.starts_with("3.2") => true,
        Some(Value::String(v)) => {
            return Err(vec![Problem::new(
                "/openapi",
                format!("unsupported OpenAPI version {v:?}; supported: 3.0.x, 3.1.x and 3.2.x"),
            )]);
        }
        Some(other) => {
            return Err(vec![Problem::new(
                "/openapi",
                format!("the OpenAPI version must be a string like \"3.0.3\", found {other}"),
            )]);
        }
    };
    match root.get_mut("info") {
        Some(Value::Object(info)) => {
            for key in ["title", "version"] {
                match info.get(key) {
                    Some(Value::String(_)) => {}
                    Some(Value::Number(n)) => {
                        let s = n.to_string();
                        info.insert(key.to_owned(), Value::String(s));
                    }
                    None => problems.push(Problem::new("/info", format!("`info.{key}` is missing"))),
                    Some(_) => problems.push(Problem::new(format!("/info/{key}"), format!("`info.{key}` must be a string"))),
                }
            }
        }
        Some(_) => problems.push(Problem::new("/info", "`info` must be an object")),
        None => problems.push(Problem::new("", "`info` is missing (it needs at least `title` and `version`)")),
    }
    match root.get("paths") {
        Some(Value::Object(_)) => {}
        None if is_31 => {
            root.insert("paths".to_owned(), json!({}));
        }
        None => problems.push(Problem::new("", "`paths` is missing (use `paths: {}` for a document without operations)")),
        Some(_) => problems.push(Problem::new("/paths", "`paths` must be an object")),
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut n = Normalizer { warnings: Vec::new(), problems };
    n.operations_without_responses(doc);
    super::v32::rewrite(doc, &mut n.warnings, &mut n.problems);
    n.document(doc, &mut String::new());
    super::repair::repair(doc, &mut n.warnings, &mut n.problems);
    super::sequential::item_schemas(doc);
    Ok(Normalized { is_31, warnings: n.warnings, problems: n.problems })
}

/// The keys of a schema that hold subschemas (one bit each in [`SchemaKeys::present`]).
const CHILD_KEYS: [&str; 12] = [
    "items",
    "additionalProperties",
    "not",
    "contentSchema",
    "properties",
    "$defs",
    "definitions",
    "patternProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "prefixItems",
];

/// What one pass over a schema's keys tells (no key is looked up by hash:
/// most schemas need none of the rewrites, and a big spec has many).
struct SchemaKeys {
    /// Bit `i` set when the schema has key [`CHILD_KEYS`]`[i]`.
    present: u16,
    /// `false` when none of the rewrites and checks after the subschemas
    /// can apply: no nonstandard `type`, `const`, `examples`, `enum`,
    /// `anyOf`/`oneOf`, `discriminator`, `externalDocs`,
    /// `contentMediaType`, numeric `exclusiveMinimum`/`exclusiveMaximum`,
    /// string `nullable`, non-list `required`, non-string `format`, nor a
    /// `$ref` next to `nullable`.
    rewrite: bool,
}

impl SchemaKeys {
    fn of(map: &Map<String, Value>) -> Self {
        let mut present = 0u16;
        let mut rewrite = false;
        let (mut has_ref, mut has_nullable) = (false, false);
        for (key, value) in map {
            if let Some(bit) = CHILD_KEYS.iter().position(|k| k == key) {
                present |= 1 << bit;
            }
            match key.as_str() {
                "type" => {
                    let standard = matches!(value, Value::String(t) if matches!(t.as_str(), "string" | "number" | "integer" | "boolean" | "array" | "object"));
                    rewrite |= !standard;
                }
                "anyOf" | "oneOf" | "const" | "examples" | "enum" | "discriminator" | "externalDocs" | "contentMediaType" => rewrite = true,
                "exclusiveMinimum" | "exclusiveMaximum" => rewrite |= value.is_number(),
                "nullable" => {
                    has_nullable = true;
                    rewrite |= value.is_string();
                }
                "required" => rewrite |= !value.is_array(),
                "format" => rewrite |= !value.is_string(),
                "$ref" => has_ref = true,
                _ => {}
            }
        }
        SchemaKeys { present, rewrite: rewrite || (has_ref && has_nullable) }
    }
}

struct Normalizer {
    warnings: Vec<Warning>,
    problems: Vec<Problem>,
}

fn with_child<R>(ptr: &mut String, key: &str, f: impl FnOnce(&mut String) -> R) -> R {
    let len = ptr.len();
    push_child(ptr, key);
    let r = f(ptr);
    ptr.truncate(len);
    r
}

fn with_index<R>(ptr: &mut String, i: usize, f: impl FnOnce(&mut String) -> R) -> R {
    let len = ptr.len();
    push_index(ptr, i);
    let r = f(ptr);
    ptr.truncate(len);
    r
}

impl Normalizer {
    fn warn(&mut self, kind: WarningKind, ptr: &str, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, ptr, message));
    }

    /// Walks non-schema parts of the document, entering schema mode at schema positions.
    fn document(&mut self, v: &mut Value, ptr: &mut String) {
        match v {
            Value::Object(map) => {
                // Parameter and header objects: `required: "true"` as a string.
                if let Some(Value::String(s)) = map.get("required") {
                    let b = s.eq_ignore_ascii_case("true");
                    self.warn(WarningKind::NonStandard, ptr, format!("`required` is the string {s:?}; read as {b}"));
                    map.insert("required".to_owned(), Value::Bool(b));
                }
                for (key, child) in map.iter_mut() {
                    with_child(ptr, key, |ptr| match key.as_str() {
                        "schema" => self.schema(child, ptr),
                        "schemas" if ptr.as_str() == "/components/schemas" => {
                            if let Value::Object(schemas) = child {
                                for (name, s) in schemas.iter_mut() {
                                    with_child(ptr, name, |ptr| self.schema(s, ptr));
                                }
                            }
                        }
                        "responses" => {
                            if let Value::Object(responses) = child {
                                if !ptr.starts_with("/components/") {
                                    for code in responses.keys().filter(|c| !is_status_key(c)) {
                                        let at = format!("{ptr}/{}", pointer_token(code));
                                        self.warn(WarningKind::ResponseStatus, 
                                            &at,
                                            format!("{code:?} is not a response status (use a code like \"200\", a range like \"4XX\", or \"default\"); this response is ignored"),
                                        );
                                    }
                                }
                                for r in responses.values_mut() {
                                    if let Value::Object(r) = r
                                        && !r.contains_key("$ref") && !r.contains_key("description") {
                                            r.insert("description".to_owned(), Value::String(String::new()));
                                        }
                                }
                            }
                            self.document(child, ptr)
                        }
                        "parameters" | "headers" => {
                            self.parameters(child, ptr);
                            self.document(child, ptr)
                        }
                        "itemSchema" if is_media_type_key(ptr) => self.schema(child, ptr),
                        "example" | "examples" | "default" => {}
                        // Extensions are opaque: never rewrite what is inside them.
                        k if k.starts_with("x-") => {}
                        _ => self.document(child, ptr),
                    });
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    with_index(ptr, i, |ptr| self.document(item, ptr));
                }
            }
            _ => {}
        }
    }

    /// Operations without `responses` (required, but left out by some
    /// specs) get an empty one: the call's response is then untyped.
    fn operations_without_responses(&mut self, doc: &mut Value) {
        let Some(Value::Object(paths)) = doc.get_mut("paths") else { return };
        for item in paths.values_mut() {
            let Value::Object(item) = item else { continue };
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                if let Some(Value::Object(op)) = item.get_mut(method)
                    && !op.contains_key("responses")
                {
                    // The model warns about an operation without responses.
                    op.insert("responses".to_owned(), json!({}));
                }
            }
        }
    }

    /// Parameter (or header) objects without `schema` or `content` get an empty schema.
    fn parameters(&mut self, v: &mut Value, ptr: &mut String) {
        let fix = |p: &mut Value, ptr: &str, this: &mut Self| {
            let Value::Object(p) = p else { return };
            if p.get("schema").is_some_and(Value::is_null) {
                p.remove("schema");
            }
            if p.contains_key("$ref") || p.contains_key("schema") || p.contains_key("content") {
                return;
            }
            // Swagger 2 style: `type`, `format`, `items`, `enum` on the parameter itself.
            if let Some(Value::String(_)) = p.get("type") {
                let mut schema = Map::new();
                for key in ["type", "format", "items", "enum", "default", "minimum", "maximum", "pattern"] {
                    if let Some(v) = p.remove(key) {
                        schema.insert(key.to_owned(), v);
                    }
                }
                this.warn(WarningKind::NonStandard, ptr, "parameter has `type` but no `schema` (Swagger 2 style); read as `schema`");
                p.insert("schema".to_owned(), Value::Object(schema));
            } else {
                this.warn(WarningKind::NonStandard, ptr, "parameter has neither `schema` nor `content`; read as a string");
                p.insert("schema".to_owned(), json!({"type": "string"}));
            }
        };
        match v {
            Value::Array(items) => {
                for (i, p) in items.iter_mut().enumerate() {
                    with_index(ptr, i, |ptr| fix(p, ptr, self));
                }
            }
            Value::Object(map) => {
                for (k, p) in map.iter_mut() {
                    with_child(ptr, k, |ptr| fix(p, ptr, self));
                }
            }
            _ => {}
        }
    }

    /// Normalizes one schema and everything below it.
    fn schema(&mut self, v: &mut Value, ptr: &mut String) {
        match v {
            Value::Bool(true) => {
                *v = json!({});
                return;
            }
            Value::Bool(false) => {
                *v = json!({"not": {}});
                return;
            }
            Value::Object(_) => {}
            _ => {
                self.problems.push(Problem::new(
                    ptr.as_str(),
                    format!("a schema must be an object (or `true`/`false`), found {}", crate::load::locate::json_kind(v)),
                ));
                *v = json!({});
                return;
            }
        }
        let Value::Object(map) = v else { return };
        let keys = SchemaKeys::of(map);
        self.children(map, ptr, keys.present);
        if !keys.rewrite {
            // Nothing below would change this schema or say anything about it.
            return;
        }
        self.type_keyword(map, ptr);
        content_media_type(map);
        if let Some(c) = map.remove("const")
            && !map.contains_key("enum") {
                map.insert("enum".to_owned(), Value::Array(vec![c]));
            }
        if let Some(Value::Array(mut examples)) = map.remove("examples")
            && !map.contains_key("example") && !examples.is_empty() {
                map.insert("example".to_owned(), examples.swap_remove(0));
            }
        for (ex, inc) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
            if let Some(Value::Number(n)) = map.get(ex).cloned() {
                map.insert(inc.to_owned(), Value::Number(n));
                map.insert(ex.to_owned(), Value::Bool(true));
            }
        }
        if let Some(Value::String(s)) = map.get("nullable") {
            let b = s.eq_ignore_ascii_case("true");
            map.insert("nullable".to_owned(), Value::Bool(b));
        }
        if map.get("required").is_some_and(|r| !r.is_array()) {
            self.warn(WarningKind::MalformedKeyword, ptr, "`required` inside a schema must be a list of property names; ignored");
            map.remove("required");
        }
        if let Some(docs) = map.get("externalDocs")
            && let Err(e) = <Option<openapiv3::ExternalDocumentation> as serde::Deserialize>::deserialize(docs)
        {
            self.warn(WarningKind::BadExternalDocs, &format!("{ptr}/externalDocs"), format!("not a valid external documentation object ({e}); ignored"));
            map.remove("externalDocs");
        }
        if map.get("format").is_some_and(|f| !f.is_string()) {
            map.remove("format");
        }
        if let Some(Value::Object(d)) = map.get("discriminator") {
            if !d.get("propertyName").is_some_and(Value::is_string) {
                self.warn(WarningKind::MalformedKeyword, ptr, "`discriminator` without `propertyName`; ignored");
                map.remove("discriminator");
            }
        } else if map.contains_key("discriminator") {
            map.remove("discriminator");
        }
        self.null_branches(map, ptr);
        self.enum_values(map, ptr);
        // A `$ref` with siblings: keep `nullable` by wrapping the reference in `allOf`.
        if map.contains_key("$ref") && map.get("nullable") == Some(&Value::Bool(true)) {
            let r = map.remove("$ref").unwrap_or(Value::Null);
            map.insert("allOf".to_owned(), json!([{ "$ref": r }]));
        }
    }

    /// The subschemas of a schema; `present` has the [`CHILD_KEYS`] bits of
    /// the keys the schema has.
    fn children(&mut self, map: &mut Map<String, Value>, ptr: &mut String, present: u16) {
        let has = |key: &str| CHILD_KEYS.iter().position(|k| *k == key).is_some_and(|bit| present & (1 << bit) != 0);
        for key in ["items", "additionalProperties", "not", "contentSchema"] {
            if !has(key) {
                continue;
            }
            if let Some(child) = map.get_mut(key) {
                if key == "items" && child.is_array() {
                    self.warn(WarningKind::UntypedSchema, ptr, "tuple-style `items` (an array) is not supported; items read as any value");
                    *child = json!({});
                }
                if key == "additionalProperties" && child.is_boolean() {
                    continue;
                }
                with_child(ptr, key, |ptr| self.schema(child, ptr));
            }
        }
        for key in ["properties", "$defs", "definitions", "patternProperties"] {
            if !has(key) {
                continue;
            }
            if let Some(Value::Object(props)) = map.get_mut(key) {
                with_child(ptr, key, |ptr| {
                    for (name, p) in props.iter_mut() {
                        with_child(ptr, name, |ptr| self.schema(p, ptr));
                    }
                });
            }
        }
        if has("properties") && map.get("properties").is_some_and(|p| !p.is_object()) {
            self.warn(WarningKind::MalformedKeyword, ptr, "`properties` must be an object; ignored");
            map.remove("properties");
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if !has(key) {
                continue;
            }
            if let Some(Value::Array(items)) = map.get_mut(key) {
                with_child(ptr, key, |ptr| {
                    for (i, item) in items.iter_mut().enumerate() {
                        with_index(ptr, i, |ptr| self.schema(item, ptr));
                    }
                });
            }
        }
    }

    fn type_keyword(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        match map.get("type").cloned() {
            Some(Value::Array(types)) => {
                let mut names: Vec<String> = Vec::new();
                let mut nullable = false;
                for t in &types {
                    match t.as_str() {
                        Some("null") => nullable = true,
                        Some(name) if !names.iter().any(|n| n == name) => names.push(name.to_owned()),
                        Some(_) => {}
                        None => self.problems.push(Problem::new(
                            format!("{ptr}/type"),
                            format!("`type` entries must be strings, found {}", crate::load::locate::json_kind(t)),
                        )),
                    }
                }
                map.remove("type");
                if nullable {
                    map.insert("nullable".to_owned(), Value::Bool(true));
                }
                match names.len() {
                    0 => {
                        map.insert(NULL_ONLY.to_owned(), Value::Bool(true));
                    }
                    1 => {
                        map.insert("type".to_owned(), Value::String(names.remove(0)));
                    }
                    _ if !map.contains_key("anyOf") && !map.contains_key("oneOf") => {
                        // Integer is a subset of number: `[integer, number]` is a number.
                        if names.len() == 2 && names.contains(&"integer".to_owned()) && names.contains(&"number".to_owned()) {
                            map.insert("type".to_owned(), Value::String("number".into()));
                        } else {
                            let branches = names.iter().map(|n| json!({ "type": n })).collect();
                            map.insert("anyOf".to_owned(), Value::Array(branches));
                        }
                    }
                    _ => {}
                }
            }
            Some(Value::String(t)) => match t.as_str() {
                "null" => {
                    map.remove("type");
                    map.insert("nullable".to_owned(), Value::Bool(true));
                    map.insert(NULL_ONLY.to_owned(), Value::Bool(true));
                }
                "file" => {
                    map.insert("type".to_owned(), Value::String("string".into()));
                    map.insert("format".to_owned(), Value::String("binary".into()));
                }
                "string" | "number" | "integer" | "boolean" | "array" | "object" => {}
                other => {
                    self.problems.push(Problem::new(
                        format!("{ptr}/type"),
                        format!(
                            "unknown schema type {other:?}; expected one of string, number, integer, boolean, array, object, null"
                        ),
                    ));
                    map.remove("type");
                }
            },
            Some(other) => {
                self.problems.push(Problem::new(
                    format!("{ptr}/type"),
                    format!("`type` must be a string or a list of strings, found {}", crate::load::locate::json_kind(&other)),
                ));
                map.remove("type");
            }
            None => {}
        }
    }

    /// `anyOf`/`oneOf` with a `{type: "null"}` branch → the other branch, nullable.
    fn null_branches(&mut self, map: &mut Map<String, Value>, _ptr: &str) {
        for key in ["anyOf", "oneOf"] {
            let Some(Value::Array(branches)) = map.get_mut(key) else { continue };
            let before = branches.len();
            branches.retain(|b| !is_null_only(b));
            if branches.len() == before {
                continue;
            }
            map.insert("nullable".to_owned(), Value::Bool(true));
            let Some(Value::Array(branches)) = map.get_mut(key) else { continue };
            match branches.len() {
                0 => {
                    map.remove(key);
                    map.insert(NULL_ONLY.to_owned(), Value::Bool(true));
                }
                1 => {
                    let branch = branches.remove(0);
                    map.remove(key);
                    let Value::Object(branch) = branch else { continue };
                    if branch.contains_key("$ref") {
                        let all_of = map.entry("allOf").or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(all) = all_of {
                            all.push(Value::Object(branch));
                        }
                    } else {
                        for (k, v) in branch {
                            if k == "nullable" {
                                continue;
                            }
                            map.entry(k).or_insert(v);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Enum values must match the schema's type for `openapiv3`; `null` means nullable.
    fn enum_values(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        let ty = map.get("type").and_then(Value::as_str).map(str::to_owned);
        let Some(Value::Array(values)) = map.get_mut("enum") else {
            if map.contains_key("enum") {
                self.warn(WarningKind::MalformedKeyword, ptr, "`enum` must be a list; ignored");
                map.remove("enum");
            }
            return;
        };
        let had_null = values.iter().any(Value::is_null);
        values.retain(|v| !v.is_null());
        let mut dropped = Vec::new();
        match ty.as_deref() {
            Some("string") => {
                for v in values.iter_mut() {
                    match v {
                        Value::String(_) => {}
                        Value::Number(_) | Value::Bool(_) => *v = Value::String(v.to_string()),
                        _ => dropped.push(v.to_string()),
                    }
                }
                values.retain(Value::is_string);
            }
            Some("integer") => {
                values.retain(|v| {
                    let ok = v.as_i64().is_some() || v.as_str().is_some_and(|s| s.parse::<i64>().is_ok());
                    if !ok {
                        dropped.push(v.to_string());
                    }
                    ok
                });
                for v in values.iter_mut() {
                    if let Some(i) = v.as_str().and_then(|s| s.parse::<i64>().ok()) {
                        *v = Value::from(i);
                    }
                }
            }
            Some("number") => values.retain(|v| {
                let ok = v.is_number();
                if !ok {
                    dropped.push(v.to_string());
                }
                ok
            }),
            Some("boolean") => values.retain(|v| {
                let ok = v.is_boolean();
                if !ok {
                    dropped.push(v.to_string());
                }
                ok
            }),
            _ => {}
        }
        if !dropped.is_empty() {
            self.warn(WarningKind::EnumValueType, ptr, format!("enum values {} do not match the schema type; left out", dropped.join(", ")));
        }
        if had_null {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
}

/// 3.1 `contentMediaType` on a string without `contentEncoding`: the string
/// is raw content of that media type, i.e. a file (FastAPI publishes
/// `UploadFile` as `{type: string, contentMediaType:
/// application/octet-stream}`). It becomes 3.0's `format: binary`, the media
/// type kept as [`CONTENT_MEDIA_TYPE`]. Encoded content (`contentEncoding:
/// base64`) and text media types (`text/*`, JSON, XML, YAML) stay strings.
fn content_media_type(map: &mut Map<String, Value>) {
    let Some(media) = map.remove("contentMediaType") else { return };
    let encoded = map.remove("contentEncoding").is_some();
    let Value::String(media) = media else { return };
    let m = media.to_ascii_lowercase();
    let textual = m.starts_with("text/") || m.contains("json") || m.contains("xml") || m.contains("yaml");
    if encoded || textual || map.get("type").and_then(Value::as_str) != Some("string") {
        return;
    }
    match map.get("format").and_then(Value::as_str) {
        None => {
            map.insert("format".to_owned(), Value::String("binary".into()));
        }
        Some("binary") => {}
        Some(_) => return,
    }
    map.insert(CONTENT_MEDIA_TYPE.to_owned(), Value::String(media));
}

fn is_null_only(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.get(NULL_ONLY) == Some(&Value::Bool(true)) && !m.contains_key("type") && !m.contains_key("$ref"),
        _ => false,
    }
}

/// `true` when `ptr` (ending in the key) is a key of a media type object:
/// `…/content/<media type>/<key>`.
fn is_media_type_key(ptr: &str) -> bool {
    let mut tokens = ptr.rsplit('/');
    tokens.next();
    tokens.next();
    tokens.next() == Some("content")
}

/// A key allowed in a responses object: `default`, `200`, `4XX`, or an extension.
fn is_status_key(key: &str) -> bool {
    let b = key.as_bytes();
    key == "default"
        || key.starts_with("x-")
        || (b.len() == 3
            && (b'1'..=b'9').contains(&b[0])
            && (b[1..].iter().all(u8::is_ascii_digit) || b[1..].eq_ignore_ascii_case(b"XX")))
}
