//! Locate: when the normalized document does not deserialize as
//! `openapiv3::OpenAPI`, find every place that is wrong.
//!
//! `openapiv3` flattens extensions into nearly every object, which hides the
//! path of a failure from `serde_path_to_error`, and its untagged enums
//! (`$ref` or item, schema kinds) replace the real cause with "did not match
//! any variant". So on failure this module walks the JSON value with
//! knowledge of the OpenAPI object structure, deserializes each object on its
//! own, descends into the children of the ones that fail, and reports the
//! deepest failing objects, each with its JSON pointer. It only runs on the
//! error path.

use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{Problem, pointer_token};

/// The kinds of OpenAPI object the walk knows.
#[derive(Clone, Copy)]
enum Kind {
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    MediaType,
    Header,
    Schema,
    SecurityScheme,
    Example,
    Link,
    Server,
    Tag,
    Info,
}

/// Every problem that stops `value` from deserializing as an OpenAPI document.
/// `fallback` is the whole-document error, used when nothing more precise is found.
pub fn problems(doc: &Value, fallback: &str) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Value::Object(root) = doc {
        if let Some(info) = root.get("info") {
            check(Kind::Info, info, "/info", &mut out);
        }
        if let Some(Value::Object(paths)) = root.get("paths") {
            for (path, item) in paths {
                if path.starts_with("x-") {
                    continue;
                }
                check(Kind::PathItem, item, &format!("/paths/{}", pointer_token(path)), &mut out);
            }
        }
        if let Some(Value::Array(servers)) = root.get("servers") {
            for (i, s) in servers.iter().enumerate() {
                check(Kind::Server, s, &format!("/servers/{i}"), &mut out);
            }
        }
        if let Some(Value::Array(tags)) = root.get("tags") {
            for (i, t) in tags.iter().enumerate() {
                check(Kind::Tag, t, &format!("/tags/{i}"), &mut out);
            }
        }
        if let Some(Value::Object(components)) = root.get("components") {
            let sections = [
                ("schemas", Kind::Schema),
                ("responses", Kind::Response),
                ("parameters", Kind::Parameter),
                ("examples", Kind::Example),
                ("requestBodies", Kind::RequestBody),
                ("headers", Kind::Header),
                ("securitySchemes", Kind::SecurityScheme),
                ("links", Kind::Link),
            ];
            for (section, kind) in sections {
                if let Some(Value::Object(entries)) = components.get(section) {
                    for (name, v) in entries {
                        check(kind, v, &format!("/components/{section}/{}", pointer_token(name)), &mut out);
                    }
                }
            }
        }
    }
    if out.is_empty()
        && let Value::Object(root) = doc
    {
        // A top-level field the walk does not enter (`security`, `tags`,
        // `externalDocs`, …): try each one alone on a minimal document.
        for (key, v) in root {
            if matches!(key.as_str(), "openapi" | "info" | "paths") || key.starts_with("x-") {
                continue;
            }
            let mut minimal = serde_json::Map::new();
            for k in ["openapi", "info"] {
                if let Some(v) = root.get(k) {
                    minimal.insert(k.to_owned(), v.clone());
                }
            }
            minimal.insert("paths".to_owned(), Value::Object(serde_json::Map::new()));
            minimal.insert(key.clone(), v.clone());
            if let Some(e) = try_as::<openapiv3::OpenAPI>(&Value::Object(minimal)) {
                out.push(Problem::new(format!("/{}", pointer_token(key)), format!("`{key}` is not valid: {e}")));
            }
        }
    }
    if out.is_empty() {
        // Somewhere the walk does not know (callbacks, …).
        out.push(Problem::new("", format!("not a valid OpenAPI 3.0 document: {fallback}")));
    }
    out
}

/// Checks one object (a `$ref` or the item itself); pushes the deepest problems found.
fn check(kind: Kind, v: &Value, ptr: &str, out: &mut Vec<Problem>) {
    if let Value::Object(m) = v
        && m.contains_key("$ref")
    {
        if !m.get("$ref").is_some_and(Value::is_string) {
            out.push(Problem::new(format!("{ptr}/$ref"), "`$ref` must be a string"));
        }
        return;
    }
    let err = match kind {
        Kind::PathItem => try_as::<openapiv3::PathItem>(v),
        Kind::Operation => try_as::<openapiv3::Operation>(v),
        Kind::Parameter => try_as::<openapiv3::Parameter>(v),
        Kind::RequestBody => try_as::<openapiv3::RequestBody>(v),
        Kind::Responses => try_as::<openapiv3::Responses>(v),
        Kind::Response => try_as::<openapiv3::Response>(v),
        Kind::MediaType => try_as::<openapiv3::MediaType>(v),
        Kind::Header => try_as::<openapiv3::Header>(v),
        Kind::Schema => try_as::<openapiv3::Schema>(v),
        Kind::SecurityScheme => try_as::<openapiv3::SecurityScheme>(v),
        Kind::Example => try_as::<openapiv3::Example>(v),
        Kind::Link => try_as::<openapiv3::Link>(v),
        Kind::Server => try_as::<openapiv3::Server>(v),
        Kind::Tag => try_as::<openapiv3::Tag>(v),
        Kind::Info => try_as::<openapiv3::Info>(v),
    };
    let Some(err) = err else { return };
    let before = out.len();
    children(kind, v, ptr, out);
    if out.len() > before {
        return;
    }
    let message = match (kind, v) {
        (_, Value::Object(_)) => leaf_message(kind, v, &err),
        (_, other) => format!("expected {} {} object, found {}", article(kind), name_of(kind), json_kind(other)),
    };
    out.push(Problem::new(ptr, message));
}

fn try_as<T: DeserializeOwned>(v: &Value) -> Option<String> {
    T::deserialize(v).err().map(|e| e.to_string())
}

/// A message for an object whose children are fine: for a schema, the part
/// that fails (its common fields or its type-specific ones).
fn leaf_message(kind: Kind, v: &Value, err: &str) -> String {
    if let Kind::Schema = kind {
        if let Some(e) = try_as::<openapiv3::SchemaData>(v) {
            return format!("not a valid schema: {e}");
        }
        if v.get("type").is_some()
            && let Some(e) = try_as::<openapiv3::Type>(v)
        {
            return format!("not a valid schema: {e}");
        }
    }
    format!("not a valid {} object: {err}", name_of(kind))
}

fn article(kind: Kind) -> &'static str {
    if matches!(kind, Kind::Operation | Kind::Example | Kind::Info) { "an" } else { "a" }
}

fn name_of(kind: Kind) -> &'static str {
    match kind {
        Kind::PathItem => "path item",
        Kind::Operation => "operation",
        Kind::Parameter => "parameter",
        Kind::RequestBody => "request body",
        Kind::Responses => "responses",
        Kind::Response => "response",
        Kind::MediaType => "media type",
        Kind::Header => "header",
        Kind::Schema => "schema",
        Kind::SecurityScheme => "security scheme",
        Kind::Example => "example",
        Kind::Link => "link",
        Kind::Server => "server",
        Kind::Tag => "tag",
        Kind::Info => "info",
    }
}

/// What kind of JSON value this is, in words.
pub fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn each_in_object(v: &Value, key: &str, kind: Kind, ptr: &str, out: &mut Vec<Problem>) {
    if let Some(Value::Object(m)) = v.get(key) {
        for (name, child) in m {
            check(kind, child, &format!("{ptr}/{key}/{}", pointer_token(name)), out);
        }
    }
}

fn each_in_array(v: &Value, key: &str, kind: Kind, ptr: &str, out: &mut Vec<Problem>) {
    if let Some(Value::Array(items)) = v.get(key) {
        for (i, child) in items.iter().enumerate() {
            check(kind, child, &format!("{ptr}/{key}/{i}"), out);
        }
    }
}

fn one(v: &Value, key: &str, kind: Kind, ptr: &str, out: &mut Vec<Problem>) {
    if let Some(child) = v.get(key) {
        check(kind, child, &format!("{ptr}/{key}"), out);
    }
}

/// Checks the known children of an object of `kind`.
fn children(kind: Kind, v: &Value, ptr: &str, out: &mut Vec<Problem>) {
    match kind {
        Kind::PathItem => {
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                one(v, method, Kind::Operation, ptr, out);
            }
            each_in_array(v, "parameters", Kind::Parameter, ptr, out);
            each_in_array(v, "servers", Kind::Server, ptr, out);
        }
        Kind::Operation => {
            each_in_array(v, "parameters", Kind::Parameter, ptr, out);
            one(v, "requestBody", Kind::RequestBody, ptr, out);
            one(v, "responses", Kind::Responses, ptr, out);
            each_in_array(v, "servers", Kind::Server, ptr, out);
        }
        Kind::Parameter | Kind::Header => {
            one(v, "schema", Kind::Schema, ptr, out);
            each_in_object(v, "content", Kind::MediaType, ptr, out);
            each_in_object(v, "examples", Kind::Example, ptr, out);
        }
        Kind::RequestBody => each_in_object(v, "content", Kind::MediaType, ptr, out),
        Kind::Responses => {
            if let Value::Object(m) = v {
                for (code, r) in m {
                    if !code.starts_with("x-") {
                        check(Kind::Response, r, &format!("{ptr}/{}", pointer_token(code)), out);
                    }
                }
            }
        }
        Kind::Response => {
            each_in_object(v, "content", Kind::MediaType, ptr, out);
            each_in_object(v, "headers", Kind::Header, ptr, out);
            each_in_object(v, "links", Kind::Link, ptr, out);
        }
        Kind::MediaType => {
            one(v, "schema", Kind::Schema, ptr, out);
            each_in_object(v, "examples", Kind::Example, ptr, out);
        }
        Kind::Schema => {
            each_in_object(v, "properties", Kind::Schema, ptr, out);
            one(v, "items", Kind::Schema, ptr, out);
            if v.get("additionalProperties").is_some_and(Value::is_object) {
                one(v, "additionalProperties", Kind::Schema, ptr, out);
            }
            one(v, "not", Kind::Schema, ptr, out);
            for key in ["allOf", "oneOf", "anyOf"] {
                each_in_array(v, key, Kind::Schema, ptr, out);
            }
        }
        Kind::SecurityScheme | Kind::Example | Kind::Link | Kind::Server | Kind::Tag | Kind::Info => {}
    }
}
