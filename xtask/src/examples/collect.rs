//! Finds every example in a spec and the generated Rust type it must decode
//! into, through the generator's model (never its output text).
//!
//! - Component schemas: `example` and 3.1 `examples` of
//!   `/components/schemas/X` decode into the type whose `TypeDef.pointer`
//!   is that schema (wrapped in `Option` when the schema allows `null`:
//!   the generator puts nullability at the places that use a type).
//! - Request bodies: media-type `example`/`examples.*.value` of the media
//!   type the client sends (or one with the same schema) decode into the
//!   operation's body type. Responses: those of the JSON media type the
//!   client decodes (or one with the same schema) into the response's body
//!   type, found by status. Parameters: into the parameter's type.
//! - Schemas nested in these (`properties`, `items`, `additionalProperties`,
//!   `oneOf`/`anyOf` branches, single-part `allOf`): into the type the model
//!   gives that place — a struct field's type (in `Option` unless required
//!   and not nullable), a `Vec`'s item, a map's value, a union's variant, or
//!   the named type whose `TypeDef.pointer` is the schema.
//!
//! Examples of non-JSON media types are not collected (their text is not
//! JSON). An example that cannot be given a type (a part of an `allOf`, a
//! schema inside `not`, a header the client sets itself, …) is counted as
//! untyped with the reason.

use std::collections::{HashMap, HashSet};

use openapi_rust_gen::model::{Api, Operation, Presence, ResponseBody, StatusMatch, TypeId, TypeKind, TypeRef};
use serde_json::Value;

/// Where an example is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A component schema (or a schema nested in one).
    Component,
    /// A request body (or a schema nested in one): a dropped key is a field
    /// the user set that never reaches the server.
    Request,
    /// A response body (or a schema nested in one).
    Response,
    /// A parameter (or its schema).
    Parameter,
}

impl Kind {
    /// A short label.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Component => "schema",
            Kind::Request => "request",
            Kind::Response => "response",
            Kind::Parameter => "parameter",
        }
    }
}

/// One example found in the spec.
#[derive(Debug, Clone)]
pub struct Example {
    /// JSON pointer of the example value where it is used.
    pub pointer: String,
    /// What it is an example of.
    pub kind: Kind,
    /// JSON pointer of the schema it is checked against.
    pub schema: String,
    /// The example.
    pub value: Value,
    /// The Rust type it must decode into, or why there is none.
    pub ty: Result<TypeRef, String>,
    /// Decode into `Option<ty>` when the schema allows `null` (component
    /// schemas, whose nullability the generator puts at the use sites).
    pub option_if_nullable: bool,
}

/// Every example of `doc`, with its type from `api`.
pub fn collect(doc: &Value, api: &Api) -> Vec<Example> {
    let mut by_pointer: HashMap<&str, TypeId> = HashMap::new();
    for (i, t) in api.types.iter().enumerate() {
        if !matches!(t.kind, TypeKind::Responses { .. }) {
            by_pointer.entry(t.pointer.as_str()).or_insert(TypeId(i));
        }
    }
    let mut w = Walker {
        doc,
        api,
        by_pointer,
        seen: HashSet::new(),
        seen_objects: HashSet::new(),
        out: Vec::new(),
    };
    if let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") {
        for (name, s) in schemas {
            let ptr = format!("/components/schemas/{}", token(name));
            let ty = w.by_pointer.get(ptr.as_str()).map(|id| TypeRef::Named(*id));
            w.schema(&ptr, s, ty.ok_or_else(|| "no type for this component".to_owned()), Kind::Component, Typed::Root);
        }
    }
    let ops: HashMap<&str, &Operation> = api.operations.iter().map(|o| (o.pointer.as_str(), o)).collect();
    if let Some(Value::Object(paths)) = doc.get("paths") {
        for (path, item) in paths {
            let path_ptr = format!("/paths/{}", token(path));
            let Value::Object(item) = item else { continue };
            for method in ["get", "put", "post", "delete", "options", "head", "patch", "trace"] {
                let op_ptr = format!("{path_ptr}/{method}");
                let (Some(Value::Object(op)), Some(model)) = (item.get(method), ops.get(op_ptr.as_str())) else { continue };
                for (base, params) in [(&path_ptr, item.get("parameters")), (&op_ptr, op.get("parameters"))] {
                    if let Some(Value::Array(params)) = params {
                        for (i, p) in params.iter().enumerate() {
                            w.parameter(&format!("{base}/parameters/{i}"), p, model);
                        }
                    }
                }
                if let Some(rb) = op.get("requestBody") {
                    w.request_body(&format!("{op_ptr}/requestBody"), rb, model);
                }
                if let Some(Value::Object(responses)) = op.get("responses") {
                    for (code, r) in responses {
                        w.response(&format!("{op_ptr}/responses/{}", token(code)), code, r, model);
                    }
                }
            }
        }
    }
    w.out
}

/// A JSON pointer token.
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// Whether the examples of a schema can be typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typed {
    /// The root of a component schema.
    Root,
    /// A schema with its own type.
    Yes,
    /// Only a part of the type (an `allOf` part, a branch merged with
    /// `allOf` parts): its properties are the type's, its examples are not.
    Part,
}

/// The generator's choice of JSON media types (first JSON one wins).
fn is_json_media(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*" || (m.starts_with("application/") && m.contains("json"))
}

struct Walker<'a> {
    doc: &'a Value,
    api: &'a Api,
    /// Schema pointer → the named type modelled from it.
    by_pointer: HashMap<&'a str, TypeId>,
    /// Example pointers already collected.
    seen: HashSet<String>,
    /// Shared objects (component parameters, bodies, responses) already walked.
    seen_objects: HashSet<String>,
    out: Vec<Example>,
}

impl<'a> Walker<'a> {
    /// Follows local `$ref`s of a non-schema object: the object and its pointer.
    fn resolve(&self, v: &'a Value, ptr: &str) -> Option<(&'a Value, String)> {
        let mut v = v;
        let mut ptr = ptr.to_owned();
        for _ in 0..16 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let target = r.strip_prefix('#')?;
                    v = self.doc.pointer(target)?;
                    ptr = target.to_owned();
                }
                None => return Some((v, ptr)),
            }
        }
        None
    }

    fn add(&mut self, pointer: String, kind: Kind, schema: &str, value: &Value, ty: Result<TypeRef, String>, option_if_nullable: bool) {
        if !self.seen.insert(pointer.clone()) {
            return;
        }
        self.out.push(Example { pointer, kind, schema: schema.to_owned(), value: value.clone(), ty, option_if_nullable });
    }

    /// The examples of a parameter, media type or response content:
    /// `example` and `examples.*.value` (following `$ref`s to components).
    fn media_examples(&mut self, ptr: &str, obj: &'a Value, kind: Kind, schema: &str, ty: &Result<TypeRef, String>) {
        if let Some(v) = obj.get("example").filter(|v| !v.is_null()) {
            self.add(format!("{ptr}/example"), kind, schema, v, ty.clone(), false);
        }
        match obj.get("examples") {
            Some(Value::Object(examples)) => {
                for (name, e) in examples {
                    let eptr = format!("{ptr}/examples/{}", token(name));
                    let Some((e, _)) = self.resolve(e, &eptr) else { continue };
                    if let Some(v) = e.get("value") {
                        self.add(format!("{eptr}/value"), kind, schema, v, ty.clone(), false);
                    }
                }
            }
            Some(Value::Array(examples)) => {
                for (i, v) in examples.iter().enumerate() {
                    self.add(format!("{ptr}/examples/{i}"), kind, schema, v, ty.clone(), false);
                }
            }
            _ => {}
        }
    }

    fn parameter(&mut self, ptr: &str, p: &'a Value, op: &Operation) {
        let Some((p, pptr)) = self.resolve(p, ptr) else { return };
        if !self.seen_objects.insert(pptr.clone()) {
            return;
        }
        let (Some(name), Some(location)) = (p.get("name").and_then(Value::as_str), p.get("in").and_then(Value::as_str)) else { return };
        let ty = op
            .params
            .iter()
            .find(|q| q.wire == name && format!("{:?}", q.location).eq_ignore_ascii_case(location))
            .map(|q| q.ty.clone())
            .ok_or_else(|| format!("the client has no {location} parameter {name:?} (set by the client itself, or skipped)"));
        let Some(schema) = p.get("schema") else { return };
        let sptr = format!("{pptr}/schema");
        self.media_examples(&pptr, p, Kind::Parameter, &sptr, &ty);
        self.schema(&sptr, schema, ty, Kind::Parameter, Typed::Yes);
    }

    fn request_body(&mut self, ptr: &str, rb: &'a Value, op: &Operation) {
        let Some((rb, rptr)) = self.resolve(rb, ptr) else { return };
        if !self.seen_objects.insert(rptr.clone()) {
            return;
        }
        let Some(Value::Object(content)) = rb.get("content") else { return };
        let chosen = op.body.as_ref().and_then(|b| content.get(&b.media_type).map(|mt| (b, mt.get("schema"))));
        for (media, mt) in content {
            if !is_json_media(media) {
                continue;
            }
            let mptr = format!("{rptr}/content/{}", token(media));
            let ty = match chosen {
                Some((body, schema)) if body.media_type == *media || (schema.is_some() && mt.get("schema") == schema) => Ok(body.ty.clone()),
                Some((body, _)) => Err(format!("the client sends {}, not {media}", body.media_type)),
                None => Err("the client sends no body".to_owned()),
            };
            let sptr = format!("{mptr}/schema");
            self.media_examples(&mptr, mt, Kind::Request, &sptr, &ty);
            if let Some(schema) = mt.get("schema") {
                self.schema(&sptr, schema, ty, Kind::Request, Typed::Yes);
            }
        }
    }

    fn response(&mut self, ptr: &str, code: &str, r: &'a Value, op: &Operation) {
        let Some((r, rptr)) = self.resolve(r, ptr) else { return };
        if !self.seen_objects.insert(rptr.clone()) {
            return;
        }
        let Some(Value::Object(content)) = r.get("content") else { return };
        let status = match code.to_ascii_uppercase().as_str() {
            "DEFAULT" => Some(StatusMatch::Default),
            c if c.len() == 3 && c.ends_with("XX") => c[..1].parse().ok().map(StatusMatch::Range),
            c => c.parse().ok().map(StatusMatch::Code),
        };
        let model = op.success.iter().chain(&op.errors).find(|resp| Some(resp.status) == status);
        let first_json = content.iter().find(|(m, _)| is_json_media(m));
        for (media, mt) in content {
            if !is_json_media(media) {
                continue;
            }
            let mptr = format!("{rptr}/content/{}", token(media));
            let ty = match (model.map(|m| &m.body), first_json) {
                (Some(ResponseBody::Json(t)), Some((first, fmt))) if first == media || (fmt.get("schema").is_some() && fmt.get("schema") == mt.get("schema")) => Ok(t.clone()),
                (Some(ResponseBody::Json(_)), Some((first, _))) => Err(format!("the client decodes {first}, not {media}")),
                (Some(_), _) => Err("the client does not decode this response as JSON".to_owned()),
                (None, _) => Err(format!("the client has no response for status {code}")),
            };
            let sptr = format!("{mptr}/schema");
            self.media_examples(&mptr, mt, Kind::Response, &sptr, &ty);
            if let Some(schema) = mt.get("schema") {
                self.schema(&sptr, schema, ty, Kind::Response, Typed::Yes);
            }
        }
    }

    /// The examples of a schema and of the schemas nested in it.
    fn schema(&mut self, ptr: &str, s: &'a Value, ty: Result<TypeRef, String>, kind: Kind, typed: Typed) {
        let Value::Object(m) = s else { return };
        let own = self.by_pointer.get(ptr).map(|id| TypeRef::Named(*id));
        let ty = match (ty, own) {
            (Ok(t), _) => Ok(t),
            (Err(_), Some(own)) => Ok(own),
            (Err(e), None) => Err(e),
        };
        let example_ty = match typed {
            Typed::Part => Err("a part of an `allOf` (or a branch merged with one) is not a type of its own".to_owned()),
            _ => ty.clone(),
        };
        let option_if_nullable = typed == Typed::Root;
        if let Some(v) = m.get("example").filter(|v| !v.is_null()) {
            self.add(format!("{ptr}/example"), kind, ptr, v, example_ty.clone(), option_if_nullable);
        }
        if let Some(Value::Array(examples)) = m.get("examples") {
            for (i, v) in examples.iter().enumerate() {
                self.add(format!("{ptr}/examples/{i}"), kind, ptr, v, example_ty.clone(), option_if_nullable);
            }
        }
        if m.contains_key("$ref") {
            return;
        }
        let why = |what: &str| format!("the model has no type for this {what}");
        if let Some(Value::Object(props)) = m.get("properties") {
            for (name, p) in props {
                let child_ty = ty.as_ref().ok().and_then(|t| self.field(t, name)).ok_or_else(|| why("property"));
                self.schema(&format!("{ptr}/properties/{}", token(name)), p, child_ty, kind, Typed::Yes);
            }
        }
        if let Some(items) = m.get("items") {
            let child_ty = match ty.as_ref().map(|t| self.resolved(t)) {
                Ok(TypeRef::Vec(item)) => Ok(*item),
                _ => Err(why("array item")),
            };
            self.schema(&format!("{ptr}/items"), items, child_ty, kind, Typed::Yes);
        }
        if let Some(extra @ Value::Object(_)) = m.get("additionalProperties") {
            let child_ty = match ty.as_ref().map(|t| self.resolved(t)) {
                Ok(TypeRef::Map(value)) => Ok(*value),
                Ok(TypeRef::JsonObject) => Ok(TypeRef::Json),
                Ok(TypeRef::Named(id)) => match &self.api.type_def(id).kind {
                    TypeKind::Struct { additional: Some(t), .. } => Ok(t.clone()),
                    _ => Err(why("map value")),
                },
                _ => Err(why("map value")),
            };
            self.schema(&format!("{ptr}/additionalProperties"), extra, child_ty, kind, Typed::Yes);
        }
        let all_of = m.get("allOf").and_then(Value::as_array);
        if let Some(parts) = all_of {
            let part = if parts.len() == 1 && typed != Typed::Part { Typed::Yes } else { Typed::Part };
            for (i, p) in parts.iter().enumerate() {
                self.schema(&format!("{ptr}/allOf/{i}"), p, ty.clone(), kind, part);
            }
        }
        for key in ["oneOf", "anyOf"] {
            let Some(branches) = m.get(key).and_then(Value::as_array) else { continue };
            // A union of one type plus `null` is that type (normalized away).
            let non_null = branches.iter().filter(|b| !is_null_schema(b)).count();
            let merged = all_of.is_some() || typed == Typed::Part;
            let variants = match ty.as_ref().map(|t| self.resolved(t)) {
                Ok(TypeRef::Named(id)) => match &self.api.type_def(id).kind {
                    TypeKind::Union { variants } if variants.len() == non_null => Some(variants.iter().map(|v| v.ty.clone()).collect::<Vec<_>>()),
                    _ => None,
                },
                _ => None,
            };
            let mut index = 0;
            for (i, b) in branches.iter().enumerate() {
                if is_null_schema(b) {
                    continue;
                }
                let bty = if non_null == 1 && !merged {
                    ty.clone()
                } else {
                    variants.as_ref().and_then(|v| v.get(index).cloned()).ok_or_else(|| why("union branch"))
                };
                index += 1;
                self.schema(&format!("{ptr}/{key}/{i}"), b, bty, kind, if merged { Typed::Part } else { Typed::Yes });
            }
        }
    }

    /// A type without `Option`/`Box` wrappers and with aliases followed.
    fn resolved(&self, t: &TypeRef) -> TypeRef {
        let mut t = t.clone();
        for _ in 0..32 {
            t = match t {
                TypeRef::Option(i) | TypeRef::Boxed(i) => *i,
                TypeRef::Named(id) => match &self.api.type_def(id).kind {
                    TypeKind::Alias(a) => a.clone(),
                    _ => return TypeRef::Named(id),
                },
                other => return other,
            };
        }
        t
    }

    /// The type of property `wire` of a struct type (or of the first
    /// variant of a union of structs that has it: properties next to a
    /// `oneOf` are merged into every branch), as decoded on its own.
    fn field(&self, t: &TypeRef, wire: &str) -> Option<TypeRef> {
        self.field_at(t, wire, 0)
    }

    fn field_at(&self, t: &TypeRef, wire: &str, depth: usize) -> Option<TypeRef> {
        let TypeRef::Named(id) = self.resolved(t) else { return None };
        let fields = match &self.api.type_def(id).kind {
            TypeKind::Struct { fields, .. } => fields,
            TypeKind::Union { variants } if depth < 8 => return variants.iter().find_map(|v| self.field_at(&v.ty, wire, depth + 1)),
            _ => return None,
        };
        let f = fields.iter().find(|f| f.wire == wire)?;
        Some(match f.presence {
            Presence::Required => f.ty.clone(),
            _ => TypeRef::Option(Box::new(f.ty.clone())),
        })
    }
}

/// `{type: "null"}` (3.1) or `{nullable: true}` alone: a `null` branch.
fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        || v.as_object().is_some_and(|m| m.keys().all(|k| k == "nullable" || k == "description" || k == "title") && m.get("nullable") == Some(&Value::Bool(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn examples(doc: Value) -> Vec<(String, Result<String, String>)> {
        let bytes = serde_json::to_vec(&doc).expect("serializes");
        let api = openapi_rust_gen::model_of(&bytes, "test.json").expect("models");
        collect(&doc, &api)
            .into_iter()
            .map(|e| (e.pointer, e.ty.map(|t| openapi_rust_gen::emit::type_path(&api, &t, "::c"))))
            .collect()
    }

    #[test]
    fn examples_get_the_type_of_their_place() {
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}, "example": 7}],
                "post": {
                    "operationId": "addPet",
                    "parameters": [{"name": "Accept", "in": "header", "schema": {"type": "string"}, "example": "x"}],
                    "requestBody": {"content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Pet"},
                        "examples": {"a": {"value": {"name": "a"}}, "b": {"$ref": "#/components/examples/B"}},
                    }}},
                    "responses": {"200": {"description": "ok", "content": {
                        "application/json": {"schema": {"type": "object", "properties": {
                            "tags": {"type": "array", "items": {"type": "string", "example": "t"}},
                        }}, "example": {"tags": []}},
                        "text/plain": {"example": "not json"},
                    }}},
                },
            }},
            "components": {
                "examples": {"B": {"value": {"name": "b"}}},
                "schemas": {
                    "Pet": {"type": "object", "required": ["name"], "nullable": true, "example": {"name": "p"}, "properties": {
                        "name": {"type": "string", "example": "n"},
                        "age": {"type": "integer", "format": "int32", "example": 3},
                    }},
                    "Shape": {"oneOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "string", "example": "s"}]},
                    "Both": {"allOf": [{"$ref": "#/components/schemas/Pet"}, {"type": "object", "example": {}, "properties": {"x": {"type": "boolean", "example": true}}}]},
                },
            },
        });
        let found = examples(doc);
        let get = |p: &str| found.iter().find(|(ptr, _)| ptr == p).map(|(_, t)| t.clone()).unwrap_or_else(|| panic!("{p} not found in {found:?}"));
        let ty = |p: &str| get(p).unwrap_or_else(|e| panic!("{p}: {e}")).replace(' ', "");
        assert_eq!(ty("/components/schemas/Pet/example"), "::c::types::Pet");
        assert_eq!(ty("/components/schemas/Pet/properties/name/example"), "::std::string::String");
        assert_eq!(ty("/components/schemas/Pet/properties/age/example"), "::std::option::Option<i32>");
        assert_eq!(ty("/components/schemas/Shape/oneOf/1/example"), "::std::string::String");
        assert_eq!(ty("/components/schemas/Both/allOf/1/properties/x/example"), "::std::option::Option<bool>");
        assert!(get("/components/schemas/Both/allOf/1/example").is_err());
        assert_eq!(ty("/paths/~1pets~1{id}/parameters/0/example"), "i64");
        assert!(get("/paths/~1pets~1{id}/post/parameters/0/example").is_err(), "Accept is set by the client");
        assert_eq!(ty("/paths/~1pets~1{id}/post/requestBody/content/application~1json/examples/a/value"), "::c::types::Pet");
        assert_eq!(ty("/paths/~1pets~1{id}/post/requestBody/content/application~1json/examples/b/value"), "::c::types::Pet");
        assert_eq!(ty("/paths/~1pets~1{id}/post/responses/200/content/application~1json/example"), "::c::types::AddPetResponse");
        assert_eq!(
            ty("/paths/~1pets~1{id}/post/responses/200/content/application~1json/schema/properties/tags/items/example"),
            "::std::string::String"
        );
        assert!(found.iter().all(|(p, _)| !p.contains("text~1plain")));
    }
}
