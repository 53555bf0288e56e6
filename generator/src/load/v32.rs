//! OpenAPI 3.2 forms that `openapiv3` (a 3.0 model) would drop or refuse,
//! rewritten before the typed parse (3.2 is otherwise read like 3.1):
//!
//! - Media type objects that are a `$ref` to `#/components/mediaTypes/…`
//!   are replaced by the referenced object (chains followed; a missing
//!   target or a cycle is a problem).
//! - `in: querystring` parameters (the whole query string, described by
//!   `content`): with `application/x-www-form-urlencoded` content they are
//!   exactly an exploded `form` query object and become one; other media
//!   types cannot be sent by the client, so the parameter is marked
//!   [`SKIP`] (left out) with a warning. A `querystring` parameter with
//!   `schema` instead of `content` is read as form-encoded, with a warning.
//! - `query` operations and `additionalOperations` (HTTP methods the client
//!   cannot call yet) are skipped with a warning instead of silently.
//!
//! Streamed media types (`itemSchema`) are handled by [`super::sequential`].

use serde_json::{Map, Value};

use crate::error::{Problem, Warning, WarningKind, pointer_token, push_child, push_index};

/// Marks a parameter the client leaves out (read by the model).
pub const SKIP: &str = "x-openapi-rust-gen-skip";

/// Longest chain of media type `$ref`s followed.
const MAX_CHAIN: usize = 64;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Applies every rewrite to `doc`, collecting warnings and problems.
pub fn rewrite(doc: &mut Value, warnings: &mut Vec<Warning>, problems: &mut Vec<Problem>) {
    if has_media_type_refs(doc) {
        let media_types = doc.pointer("/components/mediaTypes").cloned();
        media_type_refs(doc, media_types.as_ref(), &mut String::new(), problems);
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let ptr = format!("/paths/{}", pointer_token(path));
            if item.contains_key("query") {
                warnings.push(Warning::new(
                    WarningKind::UnsupportedMethod,
                    format!("{ptr}/query"),
                    "`query` operations (OpenAPI 3.2) are not supported yet; this operation is skipped",
                ));
            }
            if let Some(Value::Object(extra)) = item.get("additionalOperations") {
                for method in extra.keys() {
                    warnings.push(Warning::new(
                        WarningKind::UnsupportedMethod,
                        format!("{ptr}/additionalOperations/{}", pointer_token(method)),
                        format!("`additionalOperations` (OpenAPI 3.2) are not supported yet; the {method} operation is skipped"),
                    ));
                }
            }
            querystring_list(item.get_mut("parameters"), &format!("{ptr}/parameters"), warnings);
            for method in METHODS {
                if let Some(Value::Object(op)) = item.get_mut(method) {
                    querystring_list(op.get_mut("parameters"), &format!("{ptr}/{method}/parameters"), warnings);
                }
            }
        }
    }
    if let Some(Value::Object(params)) = doc.pointer_mut("/components/parameters") {
        for (name, p) in params.iter_mut() {
            querystring(p, &format!("/components/parameters/{}", pointer_token(name)), warnings);
        }
    }
}

/// Whether [`media_type_refs`] has anything to replace (a walk of the same
/// parts without building pointers).
fn has_media_type_refs(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().any(has_media_type_refs),
        Value::Object(map) => map.iter().any(|(key, child)| {
            if no_media_types(key) {
                return false;
            }
            let here = key == "content"
                && matches!(child, Value::Object(content) if content.values().any(|mt| {
                    mt.get("$ref").and_then(Value::as_str).is_some_and(|r| r.starts_with("#/components/mediaTypes/"))
                }));
            here || has_media_type_refs(child)
        }),
        _ => false,
    }
}

/// `true` for a key whose value holds no media type objects: extensions
/// and examples (opaque), and schemas (a schema has no `content` map; most
/// of a big document is schemas).
fn no_media_types(key: &str) -> bool {
    key.starts_with("x-") || matches!(key, "example" | "examples" | "default" | "schema" | "schemas")
}

/// Replaces media type `$ref`s inside every `content` map.
fn media_type_refs(v: &mut Value, targets: Option<&Value>, ptr: &mut String, problems: &mut Vec<Problem>) {
    let Value::Object(map) = v else {
        if let Value::Array(items) = v {
            for (i, item) in items.iter_mut().enumerate() {
                let len = ptr.len();
                push_index(ptr, i);
                media_type_refs(item, targets, ptr, problems);
                ptr.truncate(len);
            }
        }
        return;
    };
    for (key, child) in map.iter_mut() {
        if no_media_types(key) {
            continue;
        }
        let len = ptr.len();
        push_child(ptr, key);
        if key == "content"
            && let Value::Object(content) = child
        {
            for (media, mt) in content.iter_mut() {
                let reference = mt.get("$ref").and_then(Value::as_str).map(str::to_owned);
                if let Some(reference) = reference.filter(|r| r.starts_with("#/components/mediaTypes/")) {
                    let at = format!("{ptr}/{}/$ref", pointer_token(media));
                    match follow(&reference, targets) {
                        Ok(target) => *mt = target,
                        Err(message) => {
                            problems.push(Problem::new(at, message));
                            *mt = Value::Object(Map::new());
                        }
                    }
                }
            }
        }
        media_type_refs(child, targets, ptr, problems);
        ptr.truncate(len);
    }
}

/// The media type object a `#/components/mediaTypes/…` reference names.
fn follow(reference: &str, targets: Option<&Value>) -> Result<Value, String> {
    let mut seen: Vec<String> = Vec::new();
    let mut current = reference.to_owned();
    loop {
        if seen.contains(&current) {
            return Err(format!("`$ref` {reference:?} is part of a cycle of media type references ({} → {current})", seen.join(" → ")));
        }
        if seen.len() > MAX_CHAIN {
            return Err(format!("a chain of more than {MAX_CHAIN} `$ref`s (from {reference:?}); point to the definition directly"));
        }
        let name = current.strip_prefix("#/components/mediaTypes/").map(super::resolve::unescape_token).unwrap_or_default();
        let Some(target) = targets.and_then(|t| t.get(&name)) else {
            return Err(format!(
                "`$ref` {current:?} points to a missing component (no `{name}` under `components.mediaTypes`)"
            ));
        };
        seen.push(current.clone());
        match target.get("$ref").and_then(Value::as_str) {
            Some(next) if next.starts_with("#/components/mediaTypes/") => current = next.to_owned(),
            _ => return Ok(target.clone()),
        }
    }
}

fn querystring_list(list: Option<&mut Value>, ptr: &str, warnings: &mut Vec<Warning>) {
    if let Some(Value::Array(items)) = list {
        for (i, p) in items.iter_mut().enumerate() {
            querystring(p, &format!("{ptr}/{i}"), warnings);
        }
    }
}

/// Rewrites one `in: querystring` parameter (see the module docs).
fn querystring(p: &mut Value, ptr: &str, warnings: &mut Vec<Warning>) {
    let Value::Object(p) = p else { return };
    if p.get("in").and_then(Value::as_str) != Some("querystring") {
        return;
    }
    p.insert("in".to_owned(), Value::String("query".to_owned()));
    let form = p.remove("content").and_then(|content| match content {
        Value::Object(content) => {
            let (media, mt) = content.into_iter().next()?;
            if media.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")) {
                Some(mt.get("schema").cloned().unwrap_or_else(|| Value::Object(Map::new())))
            } else {
                warnings.push(Warning::new(
                    WarningKind::UnsupportedParameter,
                    ptr,
                    format!("a `querystring` parameter with {media} content cannot be sent by the client; it is left out"),
                ));
                p.insert(SKIP.to_owned(), Value::Bool(true));
                p.insert("schema".to_owned(), Value::Object(Map::new()));
                None
            }
        }
        _ => None,
    });
    let schema = match form {
        Some(schema) => schema,
        None if p.contains_key(SKIP) => return,
        None => match p.get("schema").cloned() {
            Some(schema) => {
                warnings.push(Warning::new(
                    WarningKind::NonStandard,
                    ptr,
                    "a `querystring` parameter must describe the query string with `content`; its `schema` is read as form-encoded",
                ));
                schema
            }
            None => {
                warnings.push(Warning::new(
                    WarningKind::UnsupportedParameter,
                    ptr,
                    "a `querystring` parameter without `content`; it is left out",
                ));
                p.insert(SKIP.to_owned(), Value::Bool(true));
                p.insert("schema".to_owned(), Value::Object(Map::new()));
                return;
            }
        },
    };
    p.insert("schema".to_owned(), schema);
    p.insert("style".to_owned(), Value::String("form".to_owned()));
    p.insert("explode".to_owned(), Value::Bool(true));
}
