//! The spec's schemas as JSON Schema 2020-12, for the `jsonschema` validator.
//!
//! The validator sees the whole document (registered under [`BASE`]), so
//! local `$ref`s resolve as the spec means them; each example is checked
//! against `{"$ref": "<BASE>#<pointer>"}`. The document is rewritten first,
//! at schema positions only:
//!
//! - `nullable: true` (OpenAPI 3.0; honoured in 3.1 documents too, as the
//!   generator does) allows `null`: `type: T` becomes `type: [T, "null"]`
//!   and an `enum` gains `null`; a schema whose other keywords would still
//!   reject `null` (`$ref`, `allOf`/`anyOf`/`oneOf`, `not`, `const`) is
//!   wrapped as `anyOf: [<schema>, {type: null}]`. Wrapping moves the
//!   schema one level down, so pointers into it (our own and the
//!   document's `$ref`s) are translated ([`Converted::translate`]).
//! - A schema with `properties` (or an `additionalProperties` schema) and no
//!   `type` is an object, one with `items` and no `type` an array: the
//!   generator reads them so (a struct, a map, a `Vec`), as OpenAPI tools do,
//!   and an example that is something else there is a spec defect.
//! - OpenAPI 3.0 only: siblings of `$ref` are ignored (as 3.0 says), and
//!   boolean `exclusiveMinimum`/`exclusiveMaximum` become numeric.
//! - Formats are asserted where the generated Rust type depends on them:
//!   `date-time`, `date` and `uuid` strings (checked by the validator), and
//!   `int32`/`int64` integers (as `minimum`/`maximum`). Other formats
//!   (`email`, `uri`, …) are annotations, as in JSON Schema 2020-12: any
//!   string decodes into a Rust `String`.

use std::collections::{BTreeSet, HashMap, HashSet};

use jsonschema::{Draft, Registry, Validator};
use serde_json::{Map, Value, json};

/// The URI the document is registered under (never fetched: nothing is retrieved).
pub const BASE: &str = "https://spec.invalid/openapi.json";

/// Formats the validator checks; `float` is kept for the comparison (the
/// validator does not know it); others are dropped (see the module docs).
const KEPT_FORMATS: &[&str] = &["date-time", "date", "uuid", "float"];

/// The rewritten document and where wrapping moved schemas.
pub struct Converted {
    /// The document, its schemas in JSON Schema 2020-12 form.
    pub doc: Value,
    /// Pointers (in the original document) of schemas wrapped in `anyOf`.
    wrapped: BTreeSet<String>,
}

impl Converted {
    /// A pointer of the original document as a pointer into the rewritten one.
    pub fn translate(&self, pointer: &str) -> String {
        if self.wrapped.is_empty() {
            return pointer.to_owned();
        }
        // The wrapper keeps the wrapped schema's pointer; what was inside it
        // is now inside `anyOf/0`.
        let mut original = String::new();
        let mut out = String::new();
        for token in pointer.split('/').skip(1) {
            if self.wrapped.contains(&original) {
                out.push_str("/anyOf/0");
            }
            original.push('/');
            original.push_str(token);
            out.push('/');
            out.push_str(token);
        }
        out
    }
}

impl Converted {
    /// The schemas that apply to a value validated against `s`: `s` and,
    /// recursively, its `$ref` target and `allOf`/`anyOf`/`oneOf` parts
    /// (every branch: any of them may be the one that matched).
    fn applicable<'v>(&'v self, s: &'v Value, out: &mut Vec<&'v Value>) {
        if out.len() > 4096 || out.iter().any(|seen| std::ptr::eq(*seen, s)) {
            return;
        }
        out.push(s);
        if let Some(target) = s.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix('#')).and_then(|p| self.doc.pointer(&percent_decode(p))) {
            self.applicable(target, out);
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            for part in s.get(key).and_then(Value::as_array).into_iter().flatten() {
                self.applicable(part, out);
            }
        }
    }

    /// The schemas that can apply at `at` (a JSON pointer into a value of
    /// the schema at `schema`, a pointer of the original document), through
    /// `properties`, `additionalProperties`, `items` and composition. `None`
    /// when the schema is not found.
    pub fn schemas_at(&self, schema: &str, at: &str) -> Option<Vec<&Value>> {
        let root = self.doc.pointer(&self.translate(schema))?;
        let mut here = Vec::new();
        self.applicable(root, &mut here);
        for token in at.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let mut next = Vec::new();
            for s in &here {
                let child = match token.parse::<usize>() {
                    Ok(_) if s.get("items").is_some_and(Value::is_object) => s.get("items"),
                    _ => s.get("properties").and_then(|p| p.get(&token)).or_else(|| s.get("additionalProperties").filter(|a| a.is_object())),
                };
                if let Some(child) = child {
                    self.applicable(child, &mut next);
                }
            }
            here = next;
        }
        Some(here)
    }

    /// Whether the number at `at` is declared a 32-bit float (`format: float`).
    pub fn is_float32(&self, schema: &str, at: &str) -> bool {
        self.schemas_at(schema, at).is_some_and(|here| here.iter().any(|s| s.get("format").and_then(Value::as_str) == Some("float")))
    }
}

/// Rewrites the schemas of `doc` (see the module docs).
pub fn convert(doc: &Value, is_31: bool) -> Converted {
    let mut doc = doc.clone();
    let mut c = Converter { is_31, wrapped: BTreeSet::new() };
    c.document(&mut doc, &mut String::new());
    let converted = Converted { doc, wrapped: c.wrapped };
    if converted.wrapped.is_empty() {
        return converted;
    }
    // `$ref`s into wrapped schemas follow them.
    let mut doc = converted.doc.clone();
    fix_refs(&mut doc, &converted);
    Converted { doc, wrapped: converted.wrapped }
}

fn fix_refs(v: &mut Value, c: &Converted) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && let Some(ptr) = r.strip_prefix('#')
            {
                let decoded = percent_decode(ptr);
                let moved = c.translate(&decoded);
                if moved != decoded {
                    *r = format!("#{}", fragment(&moved));
                }
            }
            for (_, child) in m.iter_mut() {
                fix_refs(child, c);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| fix_refs(i, c)),
        _ => {}
    }
}

struct Converter {
    is_31: bool,
    wrapped: BTreeSet<String>,
}

fn push(ptr: &mut String, token: &str) -> usize {
    let len = ptr.len();
    ptr.push('/');
    ptr.push_str(&token.replace('~', "~0").replace('/', "~1"));
    len
}

impl Converter {
    /// Walks the non-schema parts of the document, entering schemas where
    /// OpenAPI puts them.
    fn document(&mut self, v: &mut Value, ptr: &mut String) {
        match v {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    let len = push(ptr, key);
                    match key.as_str() {
                        "schema" => self.schema(child, ptr),
                        "schemas" if ptr.as_str() == "/components/schemas" => {
                            if let Value::Object(schemas) = child {
                                for (name, s) in schemas.iter_mut() {
                                    let len = push(ptr, name);
                                    self.schema(s, ptr);
                                    ptr.truncate(len);
                                }
                            }
                        }
                        "example" | "examples" | "default" => {}
                        k if k.starts_with("x-") => {}
                        _ => self.document(child, ptr),
                    }
                    ptr.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let len = push(ptr, &i.to_string());
                    self.document(item, ptr);
                    ptr.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn schema(&mut self, v: &mut Value, ptr: &mut String) {
        let Value::Object(map) = v else { return };
        for key in ["items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else", "unevaluatedItems", "unevaluatedProperties", "additionalItems"] {
            if let Some(child) = map.get_mut(key) {
                let len = push(ptr, key);
                self.schema(child, ptr);
                ptr.truncate(len);
            }
        }
        for key in ["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"] {
            if let Some(Value::Object(children)) = map.get_mut(key) {
                let len = push(ptr, key);
                for (name, child) in children.iter_mut() {
                    let len = push(ptr, name);
                    self.schema(child, ptr);
                    ptr.truncate(len);
                }
                ptr.truncate(len);
            }
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            if let Some(Value::Array(children)) = map.get_mut(key) {
                let len = push(ptr, key);
                for (i, child) in children.iter_mut().enumerate() {
                    let len = push(ptr, &i.to_string());
                    self.schema(child, ptr);
                    ptr.truncate(len);
                }
                ptr.truncate(len);
            }
        }
        if !self.is_31 {
            if map.contains_key("$ref") {
                map.retain(|k, _| k == "$ref" || k == "nullable");
            }
            for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
                match map.get(exclusive) {
                    Some(Value::Bool(true)) => match map.remove(inclusive) {
                        Some(bound) => {
                            map.insert(exclusive.to_owned(), bound);
                        }
                        None => {
                            map.remove(exclusive);
                        }
                    },
                    Some(Value::Bool(false)) => {
                        map.remove(exclusive);
                    }
                    _ => {}
                }
            }
        }
        // Read as the generator reads it (as OpenAPI tools do): a schema with
        // `properties` or `additionalProperties` and no `type` is an object
        // (a struct or map), one with `items` an array.
        if !map.contains_key("type") {
            if map.contains_key("properties") || map.get("additionalProperties").is_some_and(Value::is_object) {
                map.insert("type".to_owned(), json!("object"));
            } else if map.contains_key("items") {
                map.insert("type".to_owned(), json!("array"));
            }
        }
        formats(map);
        let nullable = match map.remove("nullable") {
            Some(Value::Bool(b)) => b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        if nullable {
            self.allow_null(v, ptr);
        }
    }

    /// Makes the schema at `ptr` accept `null` too.
    fn allow_null(&mut self, v: &mut Value, ptr: &str) {
        let Value::Object(map) = v else { return };
        let composed = ["$ref", "allOf", "anyOf", "oneOf", "not", "const"].iter().any(|k| map.contains_key(*k));
        if !composed {
            match map.get_mut("type") {
                Some(Value::String(t)) => {
                    let t = std::mem::take(t);
                    map.insert("type".to_owned(), json!([t, "null"]));
                }
                Some(Value::Array(types)) if !types.iter().any(|t| t == "null") => types.push(json!("null")),
                _ => {}
            }
            if let Some(Value::Array(values)) = map.get_mut("enum")
                && !values.iter().any(Value::is_null)
            {
                values.push(Value::Null);
            }
            return;
        }
        let inner = std::mem::take(map);
        *v = json!({"anyOf": [Value::Object(inner), {"type": "null"}]});
        self.wrapped.insert(ptr.to_owned());
    }
}

/// Keeps `format` only where the Rust type depends on it; integer formats
/// become bounds.
fn formats(map: &mut Map<String, Value>) {
    let Some(format) = map.get("format").and_then(Value::as_str).map(str::to_owned) else {
        map.remove("format");
        return;
    };
    let integer = match map.get("type") {
        Some(Value::String(t)) => t == "integer",
        Some(Value::Array(ts)) => ts.iter().any(|t| t == "integer"),
        _ => false,
    };
    let bounds = match format.as_str() {
        "int32" if integer => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        "int64" if integer => Some((i64::MIN, i64::MAX)),
        _ => None,
    };
    if let Some((low, high)) = bounds {
        let tighter = |existing: Option<&Value>, limit: i64, pick_max: bool| -> Value {
            match existing.and_then(Value::as_f64) {
                Some(e) if (pick_max && e > limit as f64) || (!pick_max && e < limit as f64) => existing.cloned().unwrap_or(Value::Null),
                _ => Value::from(limit),
            }
        };
        let min = tighter(map.get("minimum"), low, true);
        let max = tighter(map.get("maximum"), high, false);
        map.insert("minimum".to_owned(), min);
        map.insert("maximum".to_owned(), max);
    }
    if !KEPT_FORMATS.contains(&format.as_str()) || (format == "float" && integer) {
        map.remove("format");
    }
}

/// A JSON pointer as a URI fragment (percent-encoded where URIs need it).
pub fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(h);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Validators for the schemas of one document, compiled on first use.
pub struct Validators<'a> {
    converted: &'a Converted,
    registry: Registry<'a>,
    cache: HashMap<String, Result<Validator, String>>,
}

impl<'a> Validators<'a> {
    /// Registers the (converted) document.
    pub fn new(converted: &'a Converted) -> Result<Self, String> {
        let registry = Registry::new()
            .draft(Draft::Draft202012)
            .retrieve_known_draft_meta_schemas(false)
            .add(BASE, &converted.doc)
            .and_then(|b| b.prepare())
            .map_err(|e| format!("the document cannot be used as a JSON Schema resource: {e}"))?;
        Ok(Validators { converted, registry, cache: HashMap::new() })
    }

    /// The validator for the schema at `pointer` (of the original document),
    /// or why it cannot be built (a broken `$ref`, a pattern the regex engine
    /// rejects, …).
    pub fn get(&mut self, pointer: &str) -> Result<&Validator, &str> {
        if !self.cache.contains_key(pointer) {
            let target = format!("{BASE}#{}", fragment(&self.converted.translate(pointer)));
            let built = jsonschema::options()
                .with_draft(Draft::Draft202012)
                .with_registry(&self.registry)
                .should_validate_formats(true)
                .build(&json!({ "$ref": target }))
                .map_err(|e| one_line(&e.to_string()));
            self.cache.insert(pointer.to_owned(), built);
        }
        match &self.cache[pointer] {
            Ok(v) => Ok(v),
            Err(e) => Err(e.as_str()),
        }
    }

    /// The object keys of `value` (as `(JSON pointer of the object, key)`)
    /// that the schema at `pointer` declares: those its `properties`,
    /// `patternProperties` or `additionalProperties` evaluated in a subschema
    /// the value is valid against (the keywords' annotations, JSON Schema
    /// 2020-12). In a `oneOf`, only the branch that matched counts. A key
    /// of a valid value that is not among them is one its schema does not
    /// declare: the generated type has no field for it.
    pub fn declared_keys(&mut self, pointer: &str, value: &Value) -> Result<HashSet<(String, String)>, String> {
        let validator = self.get(pointer).map_err(str::to_owned)?;
        let evaluation = validator.evaluate(value);
        let mut keys = HashSet::new();
        for entry in evaluation.iter_annotations() {
            let keyword = entry.schema_location.rsplit('/').next().unwrap_or("");
            if !matches!(keyword, "properties" | "patternProperties" | "additionalProperties" | "unevaluatedProperties") {
                continue;
            }
            for key in entry.annotations.value().as_array().into_iter().flatten().filter_map(Value::as_str) {
                keys.insert((entry.instance_location.as_str().to_owned(), key.to_owned()));
            }
        }
        Ok(keys)
    }

    /// `None` when `value` is valid against the schema at `pointer`, else the
    /// validator's first reason (with where in the value it applies).
    pub fn check(&mut self, pointer: &str, value: &Value) -> Result<Option<String>, String> {
        let validator = self.get(pointer).map_err(str::to_owned)?;
        Ok(validator.iter_errors(value).next().map(|e| {
            let at = e.instance_path().to_string();
            let at = if at.is_empty() { String::new() } else { format!(" (at {at})") };
            format!("{}{at}", one_line(&e.to_string()))
        }))
    }
}

/// A message on one line, shortened to a readable length.
pub fn one_line(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    const MAX: usize = 240;
    if flat.chars().count() <= MAX {
        return flat;
    }
    let cut: String = flat.chars().take(MAX).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(doc: Value, is_31: bool, pointer: &str, value: Value) -> Option<String> {
        let converted = convert(&doc, is_31);
        let mut validators = Validators::new(&converted).expect("registry");
        validators.check(pointer, &value).expect("validator")
    }

    #[test]
    fn nullable_allows_null_in_every_shape() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "S": {"type": "string", "nullable": true, "enum": ["a"]},
            "R": {"$ref": "#/components/schemas/O", "nullable": true},
            "O": {"type": "object", "required": ["x"], "properties": {"x": {"type": "integer", "nullable": true}}},
            "A": {"allOf": [{"$ref": "#/components/schemas/O"}], "nullable": true, "properties": {"y": {"type": "string"}}},
            "P": {"$ref": "#/components/schemas/A/properties/y"},
        }}});
        for name in ["S", "R", "A"] {
            assert_eq!(check(doc.clone(), false, &format!("/components/schemas/{name}"), Value::Null), None, "{name}");
        }
        assert!(check(doc.clone(), false, "/components/schemas/O", Value::Null).is_some());
        assert!(check(doc.clone(), false, "/components/schemas/S", json!("b")).is_some());
        assert_eq!(check(doc.clone(), false, "/components/schemas/O", json!({"x": null})), None);
        // Pointers into a wrapped schema still work, ours and the document's.
        assert!(check(doc.clone(), false, "/components/schemas/A/properties/y", json!(1)).is_some());
        assert!(check(doc.clone(), false, "/components/schemas/P", json!(1)).is_some());
        assert_eq!(check(doc, false, "/components/schemas/P", json!("s")), None);
    }

    #[test]
    fn openapi_30_keywords_become_json_schema() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "E": {"type": "number", "minimum": 1, "exclusiveMinimum": true},
            "I": {"type": "integer", "format": "int32"},
            "D": {"type": "string", "format": "date-time"},
            "M": {"type": "string", "format": "email"},
            "X": {"$ref": "#/components/schemas/I", "description": "siblings are ignored", "maximum": 1},
        }}});
        assert!(check(doc.clone(), false, "/components/schemas/E", json!(1)).is_some());
        assert_eq!(check(doc.clone(), false, "/components/schemas/E", json!(1.5)), None);
        let too_big = check(doc.clone(), false, "/components/schemas/I", json!(3_000_000_000u64)).expect("int32 bound");
        assert!(too_big.contains("2147483647"), "{too_big}");
        assert!(check(doc.clone(), false, "/components/schemas/D", json!("2020-01-01")).is_some());
        assert_eq!(check(doc.clone(), false, "/components/schemas/D", json!("2020-01-01T10:00:00+02:00")), None);
        assert_eq!(check(doc.clone(), false, "/components/schemas/M", json!("not an email")), None);
        assert_eq!(check(doc.clone(), false, "/components/schemas/X", json!(5)), None);
        let untyped = json!({"openapi": "3.0.3", "components": {"schemas": {
            "O": {"properties": {"a": {}}}, "M": {"additionalProperties": {"properties": {"v": {}}}}, "A": {"items": {}},
        }}});
        assert!(check(untyped.clone(), false, "/components/schemas/O", json!("text")).is_some());
        assert!(check(untyped.clone(), false, "/components/schemas/M", json!({"k": "text"})).is_some());
        assert!(check(untyped.clone(), false, "/components/schemas/A", json!({})).is_some());
        assert_eq!(check(untyped, false, "/components/schemas/M", json!({"k": {"v": 1}})), None);
    }

    #[test]
    fn declared_keys_are_those_of_the_branch_that_matched() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"properties": {"list": {"type": "array", "items": {"oneOf": [
                {"type": "object", "required": ["x"], "properties": {"x": {}}},
                {"type": "object", "required": ["y"], "properties": {"y": {}, "only_y": {}}}]}}}}]},
            "B": {"type": "object", "nullable": true, "properties": {"b": {}, "map": {"additionalProperties": {"properties": {"v": {}}}}}},
            "F": {"type": "object", "properties": {"f": {"type": "number", "format": "float"}}},
        }}});
        let c = convert(&doc, false);
        let mut v = Validators::new(&c).expect("registry");
        let value = json!({"b": 1, "other": 2, "list": [{"y": 1, "only_y": 2, "x2": 3}], "map": {"k": {"v": 1, "w": 2}}});
        let keys = v.declared_keys("/components/schemas/A", &value).expect("evaluates");
        let has = |at: &str, key: &str| keys.contains(&(at.to_owned(), key.to_owned()));
        assert!(has("", "b") && has("", "list") && has("", "map") && !has("", "other"));
        assert!(has("/list/0", "y") && has("/list/0", "only_y") && !has("/list/0", "x2"));
        assert!(has("/map", "k") && has("/map/k", "v") && !has("/map/k", "w"));
        assert!(c.is_float32("/components/schemas/F", "/f") && !c.is_float32("/components/schemas/B", "/b"));
    }

    #[test]
    fn pointers_are_fragments() {
        assert_eq!(fragment("/paths/~1a~1{id}/get"), "/paths/~1a~1%7Bid%7D/get");
        assert_eq!(percent_decode("/a%7Bb%7D"), "/a{b}");
        let doc = json!({"openapi": "3.1.0", "paths": {"/a/{id} x": {"get": {"responses": {"200": {"content": {"application/json": {
            "schema": {"type": ["integer", "null"]}}}}}}}}});
        let ptr = "/paths/~1a~1{id} x/get/responses/200/content/application~1json/schema";
        assert_eq!(check(doc.clone(), true, ptr, Value::Null), None);
        assert!(check(doc, true, ptr, json!("s")).is_some());
    }
}
