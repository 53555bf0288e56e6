//! Sequential (streamed) media types: server-sent events and JSON Lines.
//!
//! OpenAPI 3.2 describes one item of a stream with `itemSchema` on the media
//! type object (FastAPI already writes it into 3.1 documents); older specs
//! put a schema under `schema`. `openapiv3` knows neither meaning, so after
//! normalization each streamed response media type gets, under `schema`,
//! the schema of **one item** as the client decodes it, and the marker
//! [`ITEM`] holding the JSON pointer that schema came from:
//!
//! - `text/event-stream` (SSE): the item is an event's `data`. With
//!   `itemSchema` (an event object with `data`, `event`, `id`, `retry`):
//!   `data`'s `contentSchema` when it has one (JSON text decoded into it),
//!   else `data`'s own schema when it is not a string (decoded as JSON),
//!   else a string. Without `itemSchema`, `schema` is taken as the data's
//!   schema (the older convention), unless it describes event objects
//!   (only `data`/`event`/`id`/`retry` properties), alone or as an array,
//!   which are read as above. Neither: a string.
//! - `application/jsonl`, `application/x-ndjson` (and the other JSON Lines
//!   names) and `application/json-seq`: `itemSchema`, else the `items` of
//!   an array `schema`, else `schema` itself; neither: any JSON value.
//!
//! Request bodies are not rewritten (the client sends them whole).

use serde_json::{Map, Value, json};

use crate::error::pointer_token;

/// Marks a media type whose `schema` is the schema of one streamed item;
/// its value is the JSON pointer of that schema in the spec.
pub const ITEM: &str = "x-openapi-rust-gen-item-schema";

/// How a streamed body is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sequential {
    /// `text/event-stream`: server-sent events.
    Events,
    /// JSON Lines / NDJSON: one JSON value per line.
    JsonLines,
    /// `application/json-seq` (RFC 7464): records that start with RS (0x1E).
    JsonSeq,
}

/// The framing of a media type, if it is a streamed one.
pub fn sequential(media: &str) -> Option<Sequential> {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match m.as_str() {
        "text/event-stream" => Some(Sequential::Events),
        "application/jsonl" | "application/x-jsonl" | "application/jsonlines" | "application/x-jsonlines" | "application/x-ndjson"
        | "application/ndjson" => Some(Sequential::JsonLines),
        "application/json-seq" => Some(Sequential::JsonSeq),
        _ => None,
    }
}

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Rewrites every streamed response media type of `doc` (already
/// normalized) as described in the module docs.
pub fn item_schemas(doc: &mut Value) {
    // Taken out while the responses are rewritten (never rewritten here
    // itself, and read whole by every lookup), then put back: not a copy.
    let schemas = doc.pointer_mut("/components/schemas").map(Value::take).unwrap_or(Value::Null);
    // Each response's streamed media types; its pointer is only made for those.
    let visit = |rptr: &dyn Fn() -> String, response: &mut Value| {
        let Some(Value::Object(content)) = response.get_mut("content") else { return };
        for (media, mt) in content.iter_mut() {
            let (Some(kind), Value::Object(mt)) = (sequential(media), mt) else { continue };
            let mptr = format!("{}/content/{}", rptr(), pointer_token(media));
            let (schema, at) = item_schema(kind, mt, &mptr, &schemas);
            mt.insert("schema".to_owned(), schema);
            mt.insert(ITEM.to_owned(), Value::String(at));
        }
    };
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            for method in METHODS {
                if let Some(Value::Object(rs)) = item.get_mut(method).and_then(|op| op.get_mut("responses")) {
                    for (code, response) in rs.iter_mut() {
                        visit(&|| format!("/paths/{}/{method}/responses/{}", pointer_token(path), pointer_token(code)), response);
                    }
                }
            }
        }
    }
    if let Some(Value::Object(rs)) = doc.get_mut("components").and_then(|c| c.get_mut("responses")) {
        for (name, response) in rs.iter_mut() {
            visit(&|| format!("/components/responses/{}", pointer_token(name)), response);
        }
    }
    if let Some(slot) = doc.pointer_mut("/components/schemas") {
        *slot = schemas;
    }
}

/// The schema of one item and where it comes from.
fn item_schema(kind: Sequential, mt: &mut Map<String, Value>, mptr: &str, schemas: &Value) -> (Value, String) {
    let item = mt.remove("itemSchema");
    let schema = mt.get("schema").cloned();
    match kind {
        Sequential::Events => match (item, schema) {
            (Some(item), _) => event_data(&item, &format!("{mptr}/itemSchema"), schemas),
            (None, Some(schema)) => {
                let sptr = format!("{mptr}/schema");
                let resolved = resolve(&schema, schemas);
                if is_event_object(resolved, schemas) {
                    return event_data(&schema, &sptr, schemas);
                }
                if resolved.get("type").and_then(Value::as_str) == Some("array")
                    && let Some(items) = resolved.get("items")
                    && is_event_object(resolve(items, schemas), schemas)
                {
                    return event_data(items, &format!("{sptr}/items"), schemas);
                }
                (schema, sptr)
            }
            (None, None) => (json!({"type": "string"}), mptr.to_owned()),
        },
        Sequential::JsonLines | Sequential::JsonSeq => match (item, schema) {
            (Some(item), _) => (item, format!("{mptr}/itemSchema")),
            (None, Some(schema)) => {
                let resolved = resolve(&schema, schemas);
                match resolved.get("items") {
                    Some(items) if resolved.get("type").and_then(Value::as_str) == Some("array") => {
                        (items.clone(), format!("{mptr}/schema/items"))
                    }
                    _ => (schema, format!("{mptr}/schema")),
                }
            }
            (None, None) => (json!({}), mptr.to_owned()),
        },
    }
}

/// The schema of an event's `data`, given the schema of the event object.
fn event_data(event: &Value, ptr: &str, schemas: &Value) -> (Value, String) {
    let resolved = resolve(event, schemas);
    let Some(data) = resolved.get("properties").and_then(|p| p.get("data")) else {
        return (json!({"type": "string"}), ptr.to_owned());
    };
    // Where `data` is: inside this schema, or in the component it refers to.
    let data_ptr = match event.get("$ref").and_then(Value::as_str) {
        Some(r) => format!("{}/properties/data", r.trim_start_matches('#')),
        None => format!("{ptr}/properties/data"),
    };
    if let Some(content) = data.get("contentSchema") {
        return (content.clone(), format!("{data_ptr}/contentSchema"));
    }
    let data_resolved = resolve(data, schemas);
    if data_resolved.get("type").and_then(Value::as_str) == Some("string") {
        let json_text = data_resolved
            .get("contentMediaType")
            .and_then(Value::as_str)
            .is_some_and(|m| m.to_ascii_lowercase().contains("json"));
        // JSON text without a schema: any JSON value.
        return (if json_text { json!({}) } else { json!({"type": "string"}) }, data_ptr);
    }
    (data.clone(), data_ptr)
}

/// An object schema whose properties are only SSE fields, `data` among them.
fn is_event_object(schema: &Value, _schemas: &Value) -> bool {
    let Some(Value::Object(props)) = schema.get("properties") else { return false };
    props.contains_key("data") && props.keys().all(|k| matches!(k.as_str(), "data" | "event" | "id" | "retry"))
}

/// Follows local `#/components/schemas/…` references (at most 64).
fn resolve<'v>(mut schema: &'v Value, schemas: &'v Value) -> &'v Value {
    for _ in 0..64 {
        let Some(name) = schema.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/components/schemas/")) else {
            return schema;
        };
        match schemas.get(super::resolve::unescape_token(name)) {
            Some(next) => schema = next,
            None => return schema,
        }
    }
    schema
}
