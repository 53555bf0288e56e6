//! Builds the model from a loaded spec: resolves references, names every
//! type, parameter and operation (through [`crate::naming`]), and records a
//! warning with a JSON pointer wherever a construct falls back to a safe type.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr,
    Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::*;
use crate::error::{Problem, WarningKind, pointer_token};
use crate::load::normalize::NULL_ONLY;
use crate::load::resolve::Resolver;
use crate::naming::{self, Scope};

/// Methods of the generated `Client` that operations must not shadow.
const CLIENT_RESERVED: &[&str] = &["new", "builder", "base_url", "execute", "execute_raw", "url", "build", "backoff", "clone", "fmt"];
/// Methods of the generated `ClientBuilder` that credentials must not shadow.
const BUILDER_RESERVED: &[&str] = &[
    "timeout", "max_retries", "initial_backoff", "max_backoff", "reqwest_client", "build", "bearer", "basic",
    "api_key_header", "api_key_query",
];

/// Builds the model of `api`. Every problem found is reported together.
pub fn build(api: &OpenAPI) -> Result<Api, Vec<Problem>> {
    let mut b = Builder {
        api,
        resolver: Resolver::new(api),
        types: Vec::new(),
        type_scope: Scope::new(),
        components: HashMap::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        all_of_chain: Vec::new(),
        inline_stack: Vec::new(),
        inline_done: HashMap::new(),
    };
    b.components();
    let operations = b.operations();
    let auth = b.auth();
    b.break_cycles();
    if !b.problems.is_empty() {
        return Err(b.problems);
    }
    let mut warnings = b.warnings;
    warnings.sort();
    warnings.dedup();
    Ok(Api {
        title: api.info.title.clone(),
        description: api.info.description.clone(),
        spec_version: api.info.version.clone(),
        default_server: api.servers.first().map(|s| s.url.clone()).filter(|u| u.starts_with("http")),
        auth,
        types: b.types,
        operations,
        warnings,
    })
}

struct Builder<'a> {
    api: &'a OpenAPI,
    resolver: Resolver<'a>,
    types: Vec<TypeDef>,
    type_scope: Scope,
    /// Component schema name → Rust type name.
    components: HashMap<&'a str, String>,
    problems: Vec<Problem>,
    warnings: Vec<Warning>,
    /// The `$ref`s being merged into an `allOf` (to report cycles).
    all_of_chain: Vec<String>,
    /// Addresses of the inline schemas being modelled (to stop cycles).
    inline_stack: Vec<usize>,
    /// Inline schemas already modelled (by address), with their type.
    inline_done: HashMap<usize, (TypeRef, bool)>,
}

fn child(ptr: &str, token: &str) -> String {
    format!("{ptr}/{}", pointer_token(token))
}

/// Title and description, joined.
fn doc_of(title: Option<&str>, description: Option<&str>) -> Option<String> {
    let parts: Vec<&str> = [title, description].into_iter().flatten().map(str::trim).filter(|s| !s.is_empty()).collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some((*one).to_owned()),
        [t, d] if d.starts_with(t) => Some((*d).to_owned()),
        _ => Some(parts.join("\n\n")),
    }
}

fn is_json_media(media: &str) -> bool {
    let m = media.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m == "application/*" || (m.starts_with("application/") && m.contains("json"))
}

fn is_text_media(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.starts_with("text/") || m.contains("xml") || m.contains("csv")
}

impl<'a> Builder<'a> {
    fn warn(&mut self, kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, pointer, message));
    }

    fn new_type(&mut self, hint: &str, pointer: &str, doc: Option<String>) -> (String, usize) {
        let name = self.type_scope.unique(naming::type_name(hint));
        let idx = self.types.len();
        self.types.push(TypeDef { name: name.clone(), pointer: pointer.to_owned(), doc, kind: TypeKind::Alias(TypeRef::Json) });
        (name, idx)
    }

    // ---------------------------------------------------------------- schemas

    fn components(&mut self) {
        let Some(components) = self.api.components.as_ref() else { return };
        for name in components.schemas.keys() {
            let rust = self.type_scope.unique(naming::type_name(name));
            self.components.insert(name.as_str(), rust);
        }
        for (name, schema) in &components.schemas {
            let rust = self.components[name.as_str()].clone();
            let ptr = child("/components/schemas", name);
            let idx = self.types.len();
            self.types.push(TypeDef { name: rust.clone(), pointer: ptr.clone(), doc: None, kind: TypeKind::Alias(TypeRef::Json) });
            let (kind, doc) = match schema {
                ReferenceOr::Reference { .. } => (TypeKind::Alias(self.schema_type(schema, &rust, &ptr).0), None),
                ReferenceOr::Item(s) => {
                    let doc = doc_of(s.schema_data.title.as_deref(), s.schema_data.description.as_deref());
                    self.all_of_chain = vec![format!("#/components/schemas/{}", pointer_token(name))];
                    let defined = self.define(&rust, s, &ptr);
                    self.all_of_chain.clear();
                    let kind = match defined {
                        Some(kind) => kind,
                        None => TypeKind::Alias(self.inline_type(s, &rust, &ptr).0),
                    };
                    (kind, doc)
                }
            };
            self.types[idx].kind = kind;
            self.types[idx].doc = doc;
        }
    }

    /// The Rust type of a schema (reference or inline) and whether it is nullable.
    fn schema_type(&mut self, schema: &'a ReferenceOr<Schema>, hint: &str, ptr: &str) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_type(reference, ptr),
            ReferenceOr::Item(s) => self.inline_type(s, hint, ptr),
        }
    }

    fn boxed_schema_type(&mut self, schema: &'a ReferenceOr<Box<Schema>>, hint: &str, ptr: &str) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_type(reference, ptr),
            ReferenceOr::Item(s) => self.inline_type(s, hint, ptr),
        }
    }

    fn reference_type(&mut self, reference: &str, ptr: &str) -> (TypeRef, bool) {
        let r = ReferenceOr::<Schema>::Reference { reference: reference.to_owned() };
        match self.resolver.schema(&r, ptr) {
            Ok((target, _)) => {
                let name = Resolver::schema_ref_name(reference).and_then(|n| self.components.get(n.as_str()).cloned());
                match name {
                    Some(name) => (TypeRef::Named(name), target.schema_data.nullable || is_null_only(target)),
                    None => {
                        self.problems.push(Problem::new(ptr, format!("`$ref` {reference:?} does not name a schema")));
                        (TypeRef::Json, false)
                    }
                }
            }
            Err(p) => {
                self.problems.push(p);
                (TypeRef::Json, false)
            }
        }
    }

    /// If the schema needs a named type of its own (struct, enum, union,
    /// merged `allOf`), builds its kind.
    fn define(&mut self, name: &str, s: &'a Schema, ptr: &str) -> Option<TypeKind> {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => {
                let values: Vec<&str> = st.enumeration.iter().flatten().map(String::as_str).collect();
                (!values.is_empty()).then(|| self.string_enum(&values, ptr))
            }
            SchemaKind::Type(Type::Integer(it)) => {
                let values: Vec<i64> = it.enumeration.iter().flatten().copied().collect();
                (!values.is_empty()).then(|| int_enum(&values))
            }
            SchemaKind::Type(Type::Object(ot)) => {
                if ot.properties.is_empty() {
                    return None;
                }
                Some(self.struct_kind(name, &ot.properties, &ot.required, ot.additional_properties.as_ref(), ptr))
            }
            SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches } => {
                let non_null: Vec<&'a ReferenceOr<Schema>> = branches.iter().collect();
                if non_null.len() < 2 {
                    return None;
                }
                let key = if matches!(s.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                Some(self.union_kind(name, &non_null, s.schema_data.discriminator.as_ref(), &child(ptr, key)))
            }
            SchemaKind::AllOf { all_of } => {
                if all_of.len() < 2 {
                    return None;
                }
                Some(self.all_of_kind(name, all_of, ptr))
            }
            SchemaKind::Any(any) => {
                if !any.all_of.is_empty() {
                    let mut parts: Vec<&'a ReferenceOr<Schema>> = any.all_of.iter().collect();
                    let extra = if any.properties.is_empty() { None } else { Some((&any.properties, &any.required)) };
                    if parts.len() < 2 && extra.is_none() && any.one_of.is_empty() && any.any_of.is_empty() {
                        return None;
                    }
                    let mut merged = Merged::default();
                    for (i, part) in parts.drain(..).enumerate() {
                        self.merge_part(&mut merged, part, &format!("{ptr}/allOf/{i}"), 0);
                    }
                    if let Some((props, req)) = extra {
                        merged.add(props, req, ptr);
                    }
                    if !any.one_of.is_empty() || !any.any_of.is_empty() {
                        let key = if any.one_of.is_empty() { "anyOf" } else { "oneOf" };
                        let branches = any.one_of.iter().chain(any.any_of.iter()).collect();
                        merged.unions.push((branches, s.schema_data.discriminator.as_ref(), child(ptr, key)));
                    }
                    return Some(self.merged_struct(name, merged, ptr));
                }
                let branches: Vec<&'a ReferenceOr<Schema>> = any.one_of.iter().chain(any.any_of.iter()).collect();
                if branches.len() >= 2 {
                    let key = if any.one_of.is_empty() { "anyOf" } else { "oneOf" };
                    return Some(self.union_kind(name, &branches, s.schema_data.discriminator.as_ref(), &child(ptr, key)));
                }
                if !any.properties.is_empty() {
                    return Some(self.struct_kind(name, &any.properties, &any.required, any.additional_properties.as_ref(), ptr));
                }
                let values: Vec<&str> = any.enumeration.iter().filter_map(Value::as_str).collect();
                if !values.is_empty() && values.len() == any.enumeration.len() {
                    return Some(self.string_enum(&values, ptr));
                }
                None
            }
            _ => None,
        }
    }

    /// The type of an inline schema; named types get a name from `hint`.
    fn inline_type(&mut self, s: &'a Schema, hint: &str, ptr: &str) -> (TypeRef, bool) {
        // An inline schema reached again while it is being modelled: a cycle
        // through `allOf` merging (which copies a referenced schema's inline
        // parts) that would otherwise recurse forever.
        let key = s as *const Schema as usize;
        if self.inline_stack.contains(&key) {
            self.warn(WarningKind::UntypedSchema, 
                ptr,
                "this schema contains itself through `allOf` and `$ref`s (the merged parts include it again); the inner occurrence is read as any JSON value",
            );
            return (TypeRef::Json, s.schema_data.nullable);
        }
        // Modelled before (an `allOf` merge copies a referenced schema's
        // inline parts): the same type again, not a copy. Without this, nested
        // merges model copies of copies, exponentially.
        if let Some(done) = self.inline_done.get(&key) {
            return done.clone();
        }
        self.inline_stack.push(key);
        let result = self.inline_type_inner(s, hint, ptr);
        self.inline_stack.pop();
        self.inline_done.insert(key, result.clone());
        result
    }

    fn inline_type_inner(&mut self, s: &'a Schema, hint: &str, ptr: &str) -> (TypeRef, bool) {
        let nullable = s.schema_data.nullable;
        if is_null_only(s) {
            return (TypeRef::Json, true);
        }
        // Single-part compositions (normalized `$ref` + nullable) are the part itself.
        match &s.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                let (t, n) = self.schema_type(&all_of[0], hint, &format!("{ptr}/allOf/0"));
                return (t, n || nullable);
            }
            SchemaKind::OneOf { one_of: b } | SchemaKind::AnyOf { any_of: b } if b.len() == 1 => {
                let key = if matches!(s.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                let (t, n) = self.schema_type(&b[0], hint, &format!("{ptr}/{key}/0"));
                return (t, n || nullable);
            }
            SchemaKind::Any(any) if any.all_of.len() == 1 && any.properties.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() => {
                let (t, n) = self.schema_type(&any.all_of[0], hint, &format!("{ptr}/allOf/0"));
                return (t, n || nullable);
            }
            _ => {}
        }
        if self.definable(s) {
            let doc = doc_of(s.schema_data.title.as_deref(), s.schema_data.description.as_deref());
            let (name, idx) = self.new_type(hint, ptr, doc);
            let kind = self.define(&name, s, ptr).unwrap_or(TypeKind::Alias(TypeRef::Json));
            self.types[idx].kind = kind;
            return (TypeRef::Named(name), nullable);
        }
        let t = match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => string_format(&st.format),
            SchemaKind::Type(Type::Integer(it)) => match &it.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(nt)) => match &nt.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Object(ot)) => self.map_type(ot.additional_properties.as_ref(), hint, ptr),
            SchemaKind::Type(Type::Array(at)) => match &at.items {
                Some(items) => {
                    let (t, n) = self.boxed_schema_type(items, &format!("{hint} item"), &child(ptr, "items"));
                    TypeRef::Vec(Box::new(if n { TypeRef::Option(Box::new(t)) } else { t }))
                }
                None => TypeRef::Vec(Box::new(TypeRef::Json)),
            },
            SchemaKind::Any(any) => match (any.typ.as_deref(), &any.items) {
                (_, Some(items)) => {
                    let (t, _) = self.boxed_schema_type(items, &format!("{hint} item"), &child(ptr, "items"));
                    TypeRef::Vec(Box::new(t))
                }
                (Some("string"), _) => match any.format.as_deref() {
                    Some("uuid") => TypeRef::Uuid,
                    Some("date-time") => TypeRef::DateTime,
                    Some("date") => TypeRef::Date,
                    _ => TypeRef::String,
                },
                (Some("integer"), _) => TypeRef::I64,
                (Some("number"), _) => TypeRef::F64,
                (Some("boolean"), _) => TypeRef::Bool,
                (Some("object"), _) | (None, _) if any.additional_properties.is_some() => {
                    self.map_type(any.additional_properties.as_ref(), hint, ptr)
                }
                (Some("object"), _) => TypeRef::JsonObject,
                _ => TypeRef::Json,
            },
            SchemaKind::Not { .. } => {
                self.warn(WarningKind::UntypedSchema, ptr, "`not` cannot be expressed as a Rust type; any JSON value is accepted");
                TypeRef::Json
            }
            _ => TypeRef::Json,
        };
        (t, nullable)
    }

    /// `true` when [`Self::define`] would give the schema a named type.
    fn definable(&self, s: &Schema) -> bool {
        match &s.schema_kind {
            SchemaKind::Type(Type::String(st)) => st.enumeration.iter().any(Option::is_some),
            SchemaKind::Type(Type::Integer(it)) => it.enumeration.iter().any(Option::is_some),
            SchemaKind::Type(Type::Object(ot)) => !ot.properties.is_empty(),
            SchemaKind::OneOf { one_of: b } | SchemaKind::AnyOf { any_of: b } => b.len() >= 2,
            SchemaKind::AllOf { all_of } => all_of.len() >= 2,
            SchemaKind::Any(any) => {
                any.all_of.len() >= 2
                    || (!any.all_of.is_empty() && !any.properties.is_empty())
                    || any.one_of.len() + any.any_of.len() >= 2
                    || (any.all_of.is_empty() && !any.properties.is_empty())
                    || (!any.enumeration.is_empty() && any.enumeration.iter().all(Value::is_string))
            }
            _ => false,
        }
    }

    fn map_type(&mut self, additional: Option<&'a AdditionalProperties>, hint: &str, ptr: &str) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(s)) => {
                let (t, nullable) = self.schema_type(s, &format!("{hint} value"), &child(ptr, "additionalProperties"));
                let t = if nullable { TypeRef::Option(Box::new(t)) } else { t };
                TypeRef::Map(Box::new(t))
            }
            _ => TypeRef::JsonObject,
        }
    }

    fn string_enum(&mut self, values: &[&str], ptr: &str) -> TypeKind {
        let mut scope = Scope::new();
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        let mut first_with: BTreeMap<String, &str> = BTreeMap::new();
        for v in values {
            if !seen.insert(*v) {
                continue;
            }
            let base = naming::variant_name(v);
            let name = scope.unique(base.clone());
            match first_with.get(&base) {
                Some(first) if name != base => self.warn(WarningKind::EnumNameClash, 
                    format!("{ptr}/enum"),
                    format!("enum values {first:?} and {v:?} both name the variant `{base}`; {v:?} becomes `{name}`"),
                ),
                _ => {
                    first_with.insert(base, v);
                }
            }
            variants.push(EnumVariant { name, value: (*v).to_owned() });
        }
        let other = scope.unique("Unknown".to_owned());
        TypeKind::StringEnum { variants, other }
    }

    fn struct_kind(
        &mut self,
        name: &str,
        properties: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &'a [String],
        additional: Option<&'a AdditionalProperties>,
        ptr: &str,
    ) -> TypeKind {
        let mut merged = Merged::default();
        merged.add(properties, required, ptr);
        merged.additional = additional;
        self.merged_struct(name, merged, ptr)
    }

    /// The type of merged `allOf` parts: a struct or, when a part is a
    /// `oneOf`/`anyOf`, a union of one struct per branch
    /// (`allOf(A, oneOf(B, C))` is `oneOf(allOf(A, B), allOf(A, C))`).
    fn merged_struct(&mut self, name: &str, mut merged: Merged<'a>, ptr: &str) -> TypeKind {
        if merged.unions.is_empty() {
            return self.merged_fields(name, merged, ptr);
        }
        let (branches, discriminator, uptr) = merged.unions.remove(0);
        for (_, _, extra) in std::mem::take(&mut merged.unions) {
            self.warn(WarningKind::AllOfUnionDropped, extra, "a second `oneOf`/`anyOf` in one `allOf` is not merged; its fields are dropped");
        }
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        for (i, branch) in branches.into_iter().enumerate() {
            let bptr = format!("{uptr}/{i}");
            let label = match branch {
                ReferenceOr::Reference { reference } => Resolver::schema_ref_name(reference).unwrap_or_else(|| format!("variant {i}")),
                ReferenceOr::Item(_) => format!("variant {i}"),
            };
            let mut one = merged.clone();
            // A branch may name the schema being defined (a recursive union):
            // its nested union is dropped below, so this is not an `allOf` cycle.
            let chain = std::mem::take(&mut self.all_of_chain);
            self.merge_part(&mut one, branch, &bptr, 0);
            self.all_of_chain = chain;
            for (_, _, nested) in std::mem::take(&mut one.unions) {
                self.warn(WarningKind::AllOfUnionDropped, nested, "a `oneOf`/`anyOf` inside a branch merged into an `allOf` is not merged; its fields are dropped");
            }
            let (type_name, idx) = self.new_type(&format!("{name} {label}"), &bptr, None);
            let kind = self.merged_fields(&type_name, one, ptr);
            self.types[idx].kind = kind;
            let tags = match (discriminator, branch) {
                (Some(d), ReferenceOr::Reference { reference }) => discriminator_tags(d, reference),
                _ => Vec::new(),
            };
            variants.push(UnionVariant { name: scope.unique(naming::variant_name(&label)), ty: TypeRef::Named(type_name), tags });
        }
        TypeKind::Union { variants }
    }

    fn merged_fields(&mut self, name: &str, merged: Merged<'a>, ptr: &str) -> TypeKind {
        // The emitted struct keeps extra properties in `additional_properties`.
        let has_extra = matches!(merged.additional, Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true)));
        let mut scope = if has_extra { Scope::with_reserved(&["additional_properties"]) } else { Scope::new() };
        let mut fields = Vec::new();
        for req in &merged.required {
            if !merged.properties.contains_key(req.as_str()) {
                self.warn(WarningKind::RequiredMissingProperty, ptr, format!("`required` names {req:?}, which is not a property; ignored"));
            }
        }
        for (wire, (schema, pptr)) in &merged.properties {
            let hint = format!("{name} {wire}");
            let (ty, nullable) = self.boxed_schema_type(schema, &hint, pptr);
            let required = merged.required.contains(*wire);
            let field_name = scope.unique(naming::snake_name(wire));
            let (doc, default) = match schema {
                ReferenceOr::Item(s) => (
                    doc_of(s.schema_data.title.as_deref(), s.schema_data.description.as_deref()),
                    s.schema_data.default.clone(),
                ),
                ReferenceOr::Reference { .. } => (None, None),
            };
            let default_const = default.as_ref().and_then(|d| {
                if default_fits(&ty, d) {
                    Some(naming::const_name(&format!("default {}", naming::unraw(&field_name))))
                } else {
                    self.warn(WarningKind::DefaultTypeMismatch, pptr.clone(), format!("`default` {d} does not match the property's type; documented only"));
                    None
                }
            });
            fields.push(Field {
                name: field_name,
                wire: (*wire).to_owned(),
                ty,
                presence: Presence::of(required, nullable),
                doc,
                default,
                default_const,
            });
        }
        let additional = match merged.additional {
            Some(AdditionalProperties::Schema(s)) => {
                let (t, _) = self.schema_type(s, &format!("{name} additional"), &child(ptr, "additionalProperties"));
                Some(t)
            }
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    /// Collects properties of an `allOf` part (following references and nested `allOf`).
    fn merge_part(&mut self, merged: &mut Merged<'a>, part: &'a ReferenceOr<Schema>, ptr: &str, depth: usize) {
        if depth > 32 {
            self.problems.push(Problem::new(ptr, "`allOf` nested more than 32 levels deep; flatten it"));
            return;
        }
        let (schema, base_ptr) = match part {
            ReferenceOr::Item(s) => (s, ptr.to_owned()),
            ReferenceOr::Reference { reference } if self.all_of_chain.contains(reference) => {
                let mut chain = self.all_of_chain.clone();
                chain.push(reference.clone());
                self.problems.push(Problem::new(
                    ptr,
                    format!("`allOf` includes itself through `$ref`s ({}); a schema cannot contain its own properties, break the cycle", chain.join(" → ")),
                ));
                return;
            }
            ReferenceOr::Reference { reference } if merged.merged_refs.contains(reference) => return,
            ReferenceOr::Reference { reference } => match self.resolver.schema(part, ptr) {
                Ok((s, _)) => {
                    merged.merged_refs.insert(reference.clone());
                    self.all_of_chain.push(reference.clone());
                    (s, reference.trim_start_matches('#').to_owned())
                }
                Err(p) => {
                    self.problems.push(p);
                    return;
                }
            },
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(ot)) => {
                merged.add(&ot.properties, &ot.required, &base_ptr);
                if ot.additional_properties.is_some() {
                    merged.additional = ot.additional_properties.as_ref();
                }
            }
            SchemaKind::AllOf { all_of } => {
                for (i, p) in all_of.iter().enumerate() {
                    self.merge_part(merged, p, &format!("{base_ptr}/allOf/{i}"), depth + 1);
                }
            }
            SchemaKind::Any(any) => {
                for (i, p) in any.all_of.iter().enumerate() {
                    self.merge_part(merged, p, &format!("{base_ptr}/allOf/{i}"), depth + 1);
                }
                merged.add(&any.properties, &any.required, &base_ptr);
                if !any.one_of.is_empty() || !any.any_of.is_empty() {
                    let key = if any.one_of.is_empty() { "anyOf" } else { "oneOf" };
                    let branches = any.one_of.iter().chain(any.any_of.iter()).collect();
                    merged.unions.push((branches, schema.schema_data.discriminator.as_ref(), child(&base_ptr, key)));
                }
            }
            SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                merged.unions.push((branches.iter().collect(), schema.schema_data.discriminator.as_ref(), child(&base_ptr, key)));
            }
            _ => {}
        }
        if matches!(part, ReferenceOr::Reference { .. }) {
            self.all_of_chain.pop();
        }
    }

    fn all_of_kind(&mut self, name: &str, parts: &'a [ReferenceOr<Schema>], ptr: &str) -> TypeKind {
        let mut merged = Merged::default();
        for (i, part) in parts.iter().enumerate() {
            self.merge_part(&mut merged, part, &format!("{ptr}/allOf/{i}"), 0);
        }
        self.merged_struct(name, merged, ptr)
    }

    fn union_kind(
        &mut self,
        name: &str,
        branches: &[&'a ReferenceOr<Schema>],
        discriminator: Option<&'a openapiv3::Discriminator>,
        ptr: &str,
    ) -> TypeKind {
        let mut scope = Scope::new();
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, branch) in branches.iter().enumerate() {
            let (ty, _) = self.schema_type(branch, &format!("{name} variant {i}"), &format!("{ptr}/{i}"));
            if !seen.insert(ty.clone()) {
                continue;
            }
            let base = match &ty {
                TypeRef::Named(n) => n.clone(),
                other => kind_word(other).to_owned(),
            };
            let tags = match (discriminator, branch) {
                (Some(d), ReferenceOr::Reference { reference }) => discriminator_tags(d, reference),
                _ => Vec::new(),
            };
            variants.push(UnionVariant { name: scope.unique(naming::variant_name(&base)), ty, tags });
        }
        if let Some(d) = discriminator
            && variants.iter().any(|v| v.tags.is_empty())
        {
            self.warn(WarningKind::DiscriminatorUntagged, 
                child(ptr.rsplit_once('/').map_or(ptr, |(p, _)| p), "discriminator"),
                format!("discriminator {:?}: inline branches have no tag value; they are tried in order", d.property_name),
            );
        }
        TypeKind::Union { variants }
    }

    // ------------------------------------------------------------- recursion

    /// Boxes fields that make a type contain itself, and replaces aliases
    /// that refer to themselves (which Rust cannot express) with JSON values.
    fn break_cycles(&mut self) {
        let index: HashMap<String, usize> = self.types.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
        // Aliases that reach themselves through aliases only.
        let alias_cycles: Vec<usize> = (0..self.types.len())
            .filter(|&i| {
                let TypeKind::Alias(t) = &self.types[i].kind else { return false };
                let mut stack: Vec<String> = Vec::new();
                named_in(t, &mut stack);
                let mut seen = BTreeSet::new();
                while let Some(n) = stack.pop() {
                    let Some(&j) = index.get(&n) else { continue };
                    if j == i {
                        return true;
                    }
                    if !seen.insert(j) {
                        continue;
                    }
                    if let TypeKind::Alias(t) = &self.types[j].kind {
                        named_in(t, &mut stack);
                    }
                }
                false
            })
            .collect();
        for i in alias_cycles {
            let ptr = self.types[i].pointer.clone();
            self.warn(WarningKind::UntypedSchema, ptr, "this schema refers to itself with no object in between; it is read as any JSON value");
            self.types[i].kind = TypeKind::Alias(TypeRef::Json);
        }
        // Direct (unboxed) containment edges.
        let edges: Vec<Vec<usize>> = self
            .types
            .iter()
            .map(|t| {
                let mut out = Vec::new();
                let mut push = |ty: &TypeRef| {
                    if let Some(n) = direct_named(ty)
                        && let Some(&j) = index.get(n) {
                            out.push(j);
                        }
                };
                match &t.kind {
                    TypeKind::Struct { fields, .. } => fields.iter().for_each(|f| push(&f.ty)),
                    TypeKind::Union { variants } => variants.iter().for_each(|v| push(&v.ty)),
                    TypeKind::Alias(ty) => push(ty),
                    TypeKind::Responses { variants } => variants.iter().filter_map(|v| v.ty.as_ref()).for_each(push),
                    _ => {}
                }
                out
            })
            .collect();
        let scc = tarjan(&edges);
        for i in 0..self.types.len() {
            let my = scc[i];
            let needs_box = |ty: &TypeRef| direct_named(ty).and_then(|n| index.get(n)).is_some_and(|&j| scc[j] == my);
            match &mut self.types[i].kind {
                TypeKind::Struct { fields, .. } => {
                    for f in fields.iter_mut() {
                        if needs_box(&f.ty) {
                            f.ty = TypeRef::Boxed(Box::new(f.ty.clone()));
                        }
                    }
                }
                TypeKind::Union { variants } => {
                    for v in variants.iter_mut() {
                        if needs_box(&v.ty) {
                            v.ty = TypeRef::Boxed(Box::new(v.ty.clone()));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    // ------------------------------------------------------------ operations

    fn operations(&mut self) -> Vec<Operation> {
        let mut scope = Scope::with_reserved(CLIENT_RESERVED);
        let mut ops = Vec::new();
        let mut ids: BTreeMap<&str, String> = BTreeMap::new();
        for (path, item) in self.api.paths.iter() {
            let path_ptr = child("/paths", path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { reference } if !reference.starts_with('#') => {
                    self.problems.push(Problem::new(
                        format!("{path_ptr}/$ref"),
                        format!("external path item `$ref` {reference:?} cannot be followed; bundle the spec into one document first (for example with `redocly bundle`)"),
                    ));
                    continue;
                }
                ReferenceOr::Reference { reference } => {
                    self.warn(WarningKind::PathItemRef, path_ptr, format!("path item `$ref` {reference:?} cannot be followed; its operations are skipped"));
                    continue;
                }
            };
            for (method, op) in item.iter() {
                let ptr = child(&path_ptr, method);
                if let Some(id) = op.operation_id.as_deref() {
                    if let Some(first) = ids.get(id) {
                        self.warn(WarningKind::DuplicateOperationId, 
                            format!("{ptr}/operationId"),
                            format!("operationId {id:?} is also used at {first}; this one gets a suffixed method name"),
                        );
                    } else {
                        ids.insert(id, ptr.clone());
                    }
                }
                let raw_name = match op.operation_id.as_deref() {
                    Some(id) if !id.trim().is_empty() => naming::snake_name(id),
                    _ => naming::snake_name(&format!("{method} {}", path.replace(['{', '}'], " "))),
                };
                let name = scope.unique(raw_name);
                if let Some(op) = self.operation(name, method, path, &item.parameters, op, &ptr) {
                    ops.push(op);
                }
            }
        }
        ops
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        name: String,
        method: &str,
        path: &str,
        path_params: &'a [ReferenceOr<Parameter>],
        op: &'a openapiv3::Operation,
        ptr: &str,
    ) -> Option<Operation> {
        let type_base = naming::type_name(&name);
        let mut arg_scope = Scope::with_reserved(&["self"]);
        // Parameters: operation-level ones override path-level ones.
        let mut declared: Vec<(&'a Parameter, String)> = Vec::new();
        let all = path_params
            .iter()
            .enumerate()
            .map(|(i, p)| (p, format!("{}/parameters/{i}", ptr.rsplit_once('/').map_or("", |(a, _)| a))))
            .chain(op.parameters.iter().enumerate().map(|(i, p)| (p, format!("{ptr}/parameters/{i}"))));
        for (p, pptr) in all {
            match self.resolver.parameter(p, &pptr) {
                Ok((param, _)) => {
                    let key = (param.parameter_data_ref().name.as_str(), location_of(param));
                    declared.retain(|(d, _)| (d.parameter_data_ref().name.as_str(), location_of(d)) != key);
                    declared.push((param, pptr));
                }
                Err(problem) => match p {
                    // A dangling local reference: the parameter is left out
                    // (a path parameter then falls back to a string).
                    ReferenceOr::Reference { reference } if self.resolver.parameter_missing(reference) => {
                        self.warn(WarningKind::ParameterRefMissing, pptr, format!("{}; the parameter is left out", problem.message));
                    }
                    _ => self.problems.push(problem),
                },
            }
        }
        // The path template.
        let mut segments: Vec<Vec<SegmentPart>> = Vec::new();
        let mut template_names: Vec<String> = Vec::new();
        // A path key may carry a fixed query (`/rest?method=x`): sent as query pairs.
        let (template, fixed_query) = match path.split_once('?') {
            Some((template, query)) => {
                let pairs = query
                    .split('&')
                    .filter(|p| !p.is_empty())
                    .map(|p| {
                        let (k, v) = p.split_once('=').unwrap_or((p, ""));
                        (k.to_owned(), v.to_owned())
                    })
                    .collect();
                (template, pairs)
            }
            None => (path, Vec::new()),
        };
        for seg in template.split('/').filter(|s| !s.is_empty()) {
            let mut parts = Vec::new();
            let mut rest = seg;
            while let Some(open) = rest.find('{') {
                if open > 0 {
                    parts.push(SegmentPart::Literal(rest[..open].to_owned()));
                }
                let Some(close) = rest[open..].find('}') else {
                    self.warn(WarningKind::PathTemplate, ptr, format!("unclosed `{{` in path template {path:?}; kept as literal text"));
                    break;
                };
                let pname = &rest[open + 1..open + close];
                template_names.push(pname.to_owned());
                parts.push(SegmentPart::Param(pname.to_owned()));
                rest = &rest[open + close + 1..];
            }
            if !rest.is_empty() {
                parts.push(SegmentPart::Literal(rest.to_owned()));
            }
            segments.push(parts);
        }
        let mut params = Vec::new();
        let mut wire_to_arg: HashMap<String, String> = HashMap::new();
        // Path parameters in template order.
        for tname in &template_names {
            if wire_to_arg.contains_key(tname) {
                continue;
            }
            let found = declared
                .iter()
                .find(|(p, _)| location_of(p) == ParamLocation::Path && p.parameter_data_ref().name == *tname);
            let param = match found {
                Some((p, pptr)) => self.param(p, pptr, &type_base, &mut arg_scope),
                None => {
                    self.warn(WarningKind::PathTemplate, 
                        ptr,
                        format!("path template {path:?} uses `{{{tname}}}`, but no such path parameter is declared; it is taken as a string"),
                    );
                    Param {
                        name: arg_scope.unique(naming::snake_name(tname)),
                        wire: tname.clone(),
                        location: ParamLocation::Path,
                        ty: TypeRef::String,
                        required: true,
                        style: QueryStyle::Form,
                        doc: None,
                    }
                }
            };
            wire_to_arg.insert(tname.clone(), param.name.clone());
            params.push(param);
        }
        for (p, pptr) in &declared {
            if location_of(p) == ParamLocation::Path && !template_names.contains(&p.parameter_data_ref().name) {
                self.warn(WarningKind::PathTemplate, 
                    pptr.clone(),
                    format!(
                        "path parameter {:?} does not appear in the path template {path:?}; it is left out",
                        p.parameter_data_ref().name
                    ),
                );
            }
        }
        for loc in [ParamLocation::Query, ParamLocation::Header, ParamLocation::Cookie] {
            for (p, pptr) in &declared {
                if location_of(p) == loc {
                    if loc == ParamLocation::Header
                        && ["accept", "content-type", "authorization"].contains(&p.parameter_data_ref().name.to_ascii_lowercase().as_str())
                    {
                        continue;
                    }
                    let param = self.param(p, pptr, &type_base, &mut arg_scope);
                    params.push(param);
                }
            }
        }
        for seg in &mut segments {
            for part in seg.iter_mut() {
                if let SegmentPart::Param(wire) = part
                    && let Some(arg) = wire_to_arg.get(wire.as_str()) {
                        *part = SegmentPart::Param(arg.clone());
                    }
            }
        }
        let body = op.request_body.as_ref().and_then(|rb| self.body(rb, &format!("{ptr}/requestBody"), &type_base, &mut arg_scope));
        let (success, errors) = self.responses(&op.responses, &format!("{ptr}/responses"), &type_base);
        let (success_type, success_by_status) = self.outcome_type(&success, &format!("{type_base} response"), ptr, true);
        let (error_type, errors_by_status) = self.outcome_type(&errors, &format!("{type_base} error"), ptr, false);
        Some(Operation {
            name,
            operation_id: op.operation_id.clone(),
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            pointer: ptr.to_owned(),
            doc: doc_of(op.summary.as_deref(), op.description.as_deref()),
            deprecated: op.deprecated,
            segments,
            params,
            fixed_query,
            body,
            success,
            errors,
            success_type,
            error_type,
            success_by_status,
            errors_by_status,
        })
    }

    fn param(&mut self, p: &'a Parameter, ptr: &str, type_base: &str, scope: &mut Scope) -> Param {
        let data = p.parameter_data_ref();
        let hint = format!("{type_base} {}", data.name);
        let (ty, _) = match &data.format {
            ParameterSchemaOrContent::Schema(s) => self.schema_type(s, &hint, &format!("{ptr}/schema")),
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((media, mt)) => match &mt.schema {
                    Some(s) => self.schema_type(s, &hint, &format!("{ptr}/content/{}/schema", pointer_token(media))),
                    None => (TypeRef::String, false),
                },
                None => (TypeRef::String, false),
            },
        };
        let location = location_of(p);
        let style = match p {
            Parameter::Query { style: openapiv3::QueryStyle::DeepObject, .. } => QueryStyle::DeepObject,
            Parameter::Query { .. } if data.explode == Some(false) => QueryStyle::Form,
            _ => QueryStyle::FormExplode,
        };
        Param {
            name: scope.unique(naming::snake_name(&data.name)),
            wire: data.name.clone(),
            location,
            ty,
            required: data.required || location == ParamLocation::Path,
            style,
            doc: data.description.clone(),
        }
    }

    fn body(&mut self, rb: &'a ReferenceOr<openapiv3::RequestBody>, ptr: &str, type_base: &str, scope: &mut Scope) -> Option<Body> {
        let (rb, _) = match self.resolver.request_body(rb, ptr) {
            Ok(found) => found,
            Err(p) => {
                self.problems.push(p);
                return None;
            }
        };
        let pick = |pred: &dyn Fn(&str) -> bool| rb.content.iter().find(|(m, _)| pred(m));
        let chosen = pick(&|m| is_json_media(m))
            .map(|c| (c, BodyKind::Json))
            .or_else(|| pick(&|m| m.starts_with("application/x-www-form-urlencoded")).map(|c| (c, BodyKind::Form)))
            .or_else(|| pick(&|m| m.starts_with("multipart/")).map(|c| (c, BodyKind::Multipart)))
            .or_else(|| pick(&|m| is_text_media(m)).map(|c| (c, BodyKind::Text)))
            .or_else(|| rb.content.iter().next().map(|c| (c, BodyKind::Bytes)));
        let ((media, mt), kind) = chosen?;
        if rb.content.len() > 1 {
            let others: Vec<&str> = rb.content.keys().filter(|k| *k != media).map(String::as_str).collect();
            self.warn(WarningKind::RequestMediaTypes, ptr, format!("several request media types; the client sends {media} (not {})", others.join(", ")));
        }
        let mptr = format!("{ptr}/content/{}/schema", pointer_token(media));
        let ty = match kind {
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => match &mt.schema {
                Some(s) => self.schema_type(s, &format!("{type_base} body"), &mptr).0,
                None => TypeRef::Json,
            },
            BodyKind::Text => TypeRef::String,
            BodyKind::Bytes => TypeRef::Bytes,
        };
        if matches!(kind, BodyKind::Multipart | BodyKind::Form)
            && let Some(schema) = &mt.schema
        {
            self.warn_binary_parts(schema, &mptr);
        }
        Some(Body {
            name: scope.unique("body".to_owned()),
            kind,
            ty,
            required: rb.required,
            media_type: media.clone(),
            doc: rb.description.clone(),
        })
    }

    /// Form and multipart bodies are sent field by field as text: a binary
    /// (`format: binary`) property cannot carry non-UTF-8 file content.
    fn warn_binary_parts(&mut self, schema: &'a ReferenceOr<Schema>, ptr: &str) {
        let Ok((s, name)) = self.resolver.schema(schema, ptr) else { return };
        let base = name.map_or_else(|| ptr.to_owned(), |n| child("/components/schemas", n));
        let SchemaKind::Type(Type::Object(ot)) = &s.schema_kind else { return };
        for (prop, p) in &ot.properties {
            let ReferenceOr::Item(p) = p else { continue };
            let binary = |s: &Schema| {
                matches!(&s.schema_kind, SchemaKind::Type(Type::String(st)) if st.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
            };
            let is_binary = binary(p)
                || matches!(&p.schema_kind, SchemaKind::Type(Type::Array(at)) if matches!(&at.items, Some(ReferenceOr::Item(i)) if binary(i)));
            if is_binary {
                self.warn(WarningKind::BinaryPart, 
                    format!("{base}/properties/{}", pointer_token(prop)),
                    "a binary part is sent as a text field (`String`); file content that is not UTF-8 cannot be sent",
                );
            }
        }
    }

    fn responses(&mut self, responses: &'a openapiv3::Responses, ptr: &str, type_base: &str) -> (Vec<Response>, Vec<Response>) {
        let mut entries: Vec<(StatusMatch, &'a ReferenceOr<openapiv3::Response>, String)> = Vec::new();
        for (code, r) in &responses.responses {
            let (status, token) = match code {
                openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                openapiv3::StatusCode::Range(r) => (StatusMatch::Range(*r), format!("{r}XX")),
            };
            entries.push((status, r, child(ptr, &token)));
        }
        let has_2xx = entries
            .iter()
            .any(|(s, _, _)| matches!(s, StatusMatch::Code(200..=299) | StatusMatch::Range(2)));
        if let Some(d) = &responses.default {
            entries.push((StatusMatch::Default, d, format!("{ptr}/default")));
        }
        if entries.is_empty() {
            // Nothing documented: any 2XX is a success with an untyped body.
            self.warn(WarningKind::NoResponses, ptr, "no responses are documented; a 2XX response is returned as raw bytes");
            let success = Response { status: StatusMatch::Range(2), body: ResponseBody::Bytes, doc: None, variant: "Status2xx".to_owned() };
            return (vec![success], Vec::new());
        }
        let is_success = |s: &StatusMatch| match s {
            StatusMatch::Code(c) => (200..300).contains(c),
            StatusMatch::Range(r) => *r == 2,
            StatusMatch::Default => !has_2xx,
        };
        let success_with_body = entries.iter().filter(|(s, _, _)| is_success(s)).count();
        let mut success = Vec::new();
        let mut errors = Vec::new();
        for (status, r, rptr) in entries {
            let ok = is_success(&status);
            let word = match status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(r) => format!("{r}xx"),
                StatusMatch::Default => "default".to_owned(),
            };
            let hint = match (ok, success_with_body) {
                (true, 1) => format!("{type_base} response"),
                (true, _) => format!("{type_base} response {word}"),
                (false, _) => format!("{type_base} error {word}"),
            };
            let (resp, _) = match self.resolver.response(r, &rptr) {
                Ok(found) => found,
                Err(p) => {
                    self.problems.push(p);
                    continue;
                }
            };
            let pick = |pred: &dyn Fn(&str) -> bool| resp.content.iter().find(|(m, _)| pred(m));
            let body = if let Some((media, mt)) = pick(&|m| is_json_media(m)) {
                match &mt.schema {
                    Some(s) => {
                        let (t, _) = self.schema_type(s, &hint, &format!("{rptr}/content/{}/schema", pointer_token(media)));
                        ResponseBody::Json(t)
                    }
                    None => ResponseBody::Json(TypeRef::Json),
                }
            } else if pick(&|m| is_text_media(m)).is_some() {
                ResponseBody::Text
            } else if resp.content.is_empty() {
                ResponseBody::Empty
            } else {
                ResponseBody::Bytes
            };
            let variant = naming::variant_name(&match status {
                StatusMatch::Code(c) => format!("status {c}"),
                StatusMatch::Range(r) => format!("status {r}xx"),
                StatusMatch::Default => "default".to_owned(),
            });
            let response = Response {
                status,
                body,
                doc: Some(resp.description.trim().to_owned()).filter(|d| !d.is_empty()),
                variant,
            };
            if ok { success.push(response) } else { errors.push(response) }
        }
        (success, errors)
    }

    /// The success or error type of an operation: the one body type, or an
    /// enum by status when the responses differ (then the flag is `true`).
    fn outcome_type(&mut self, responses: &[Response], hint: &str, ptr: &str, success: bool) -> (Option<TypeRef>, bool) {
        let relevant: Vec<&Response> = responses
            .iter()
            .filter(|r| success || matches!(r.body, ResponseBody::Json(_) | ResponseBody::Text))
            .collect();
        let mut distinct: Vec<&ResponseBody> = Vec::new();
        for r in &relevant {
            if !distinct.contains(&&r.body) {
                distinct.push(&r.body);
            }
        }
        match distinct.as_slice() {
            [] => (None, false),
            [one] => (body_type(one), false),
            _ => {
                let doc = Some(if success {
                    "The documented success responses, by status.".to_owned()
                } else {
                    "The documented error bodies, by status.".to_owned()
                });
                let (name, idx) = self.new_type(hint, ptr, doc);
                let variants = relevant
                    .iter()
                    .map(|r| ResponseVariant { name: r.variant.clone(), ty: body_type(&r.body), doc: r.doc.clone() })
                    .collect();
                self.types[idx].kind = TypeKind::Responses { variants };
                (Some(TypeRef::Named(name)), true)
            }
        }
    }

    // -------------------------------------------------------------- security

    fn auth(&mut self) -> Vec<AuthScheme> {
        let Some(components) = self.api.components.as_ref() else { return Vec::new() };
        let mut scope = Scope::with_reserved(BUILDER_RESERVED);
        let mut out: Vec<AuthScheme> = Vec::new();
        for (name, scheme) in &components.security_schemes {
            let ptr = child("/components/securitySchemes", name);
            let scheme = match scheme {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.warn(WarningKind::AuthUnsupported, ptr, "security scheme `$ref`s are not followed; this scheme is skipped");
                    continue;
                }
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let (kind, doc, preferred) = match scheme {
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (AuthKind::Bearer, description.clone(), "bearer_token".to_owned())
                }
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (AuthKind::Basic, description.clone(), "basic_auth".to_owned())
                }
                S::HTTP { scheme, .. } => {
                    self.warn(WarningKind::AuthUnsupported, ptr, format!("HTTP auth scheme {scheme:?} is not supported; send it with a custom reqwest client"));
                    continue;
                }
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                    (AuthKind::Bearer, description.clone(), "bearer_token".to_owned())
                }
                S::APIKey { location, name: key, description, .. } => {
                    let kind = match location {
                        APIKeyLocation::Header => AuthKind::Header(key.to_ascii_lowercase()),
                        APIKeyLocation::Query => AuthKind::Query(key.clone()),
                        APIKeyLocation::Cookie => {
                            self.warn(WarningKind::AuthUnsupported, ptr, "cookie API keys are not supported; send the cookie with a custom reqwest client");
                            continue;
                        }
                    };
                    if let AuthKind::Header(h) = &kind
                        && reqwest_header_invalid(h) {
                            self.warn(WarningKind::AuthUnsupported, ptr, format!("API key header name {h:?} is not a valid header name; skipped"));
                            continue;
                        }
                    (kind, description.clone(), naming::snake_name(&name.to_string()))
                }
            };
            // One bearer token method serves every bearer/OAuth2 scheme.
            if out.iter().any(|a| a.kind == kind) {
                continue;
            }
            let method = if matches!(kind, AuthKind::Header(_) | AuthKind::Query(_)) {
                let base = naming::unraw(&preferred).to_owned();
                let base = if base.contains("key") || base.contains("token") { base } else { format!("{base}_key") };
                scope.unique(naming::escape_keyword(base))
            } else {
                scope.unique(preferred)
            };
            out.push(AuthScheme { method, spec_name: name.clone(), kind, doc: doc.map(|d| d.trim().to_owned()) });
        }
        out
    }
}

/// Header names must be lowercase visible ASCII token characters.
fn reqwest_header_invalid(name: &str) -> bool {
    name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn body_type(body: &ResponseBody) -> Option<TypeRef> {
    match body {
        ResponseBody::Empty => None,
        ResponseBody::Json(t) => Some(t.clone()),
        ResponseBody::Text => Some(TypeRef::String),
        ResponseBody::Bytes => Some(TypeRef::Bytes),
    }
}

/// The discriminator values selecting the branch `reference`: the mapping
/// entries naming it (as a `$ref` or a bare schema name) or, without one,
/// the schema's component name.
fn discriminator_tags(d: &openapiv3::Discriminator, reference: &str) -> Vec<(String, String)> {
    let name = Resolver::schema_ref_name(reference);
    let mut values: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, target)| *target == reference || name.as_deref() == Some(target.as_str()))
        .map(|(value, _)| value.clone())
        .collect();
    if values.is_empty()
        && let Some(name) = name
    {
        values.push(name);
    }
    values.into_iter().map(|v| (d.property_name.clone(), v)).collect()
}

fn location_of(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn is_null_only(s: &Schema) -> bool {
    s.schema_data.extensions.get(NULL_ONLY) == Some(&Value::Bool(true))
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}

fn int_enum(values: &[i64]) -> TypeKind {
    let mut scope = Scope::new();
    let mut seen = BTreeSet::new();
    let values = values
        .iter()
        .filter(|v| seen.insert(**v))
        .map(|v| {
            let base = if *v < 0 { format!("minus {}", v.unsigned_abs()) } else { format!("v {v}") };
            (scope.unique(naming::const_name(&base)), *v)
        })
        .collect();
    TypeKind::IntEnum { values }
}

fn kind_word(t: &TypeRef) -> &'static str {
    match t {
        TypeRef::String => "String",
        TypeRef::Bool => "Boolean",
        TypeRef::I32 | TypeRef::I64 => "Integer",
        TypeRef::F32 | TypeRef::F64 => "Number",
        TypeRef::Uuid => "Uuid",
        TypeRef::DateTime => "DateTime",
        TypeRef::Date => "Date",
        TypeRef::Bytes => "Bytes",
        TypeRef::Json => "Value",
        TypeRef::JsonObject | TypeRef::Map(_) => "Object",
        TypeRef::Vec(_) => "Array",
        TypeRef::Option(i) => kind_word(i),
        TypeRef::Named(_) | TypeRef::Boxed(_) => "Variant",
    }
}

/// Whether a spec default can be a Rust constant of the field's type.
fn default_fits(ty: &TypeRef, d: &Value) -> bool {
    match ty {
        TypeRef::Bool => d.is_boolean(),
        TypeRef::I32 => d.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        TypeRef::I64 => d.is_i64(),
        TypeRef::F32 | TypeRef::F64 => d.is_number(),
        TypeRef::String => d.is_string(),
        TypeRef::Named(_) | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => d.is_string(),
        _ => true,
    }
}

/// The named type a reference holds directly (not behind a `Vec`, map or box).
fn direct_named(t: &TypeRef) -> Option<&String> {
    match t {
        TypeRef::Named(n) => Some(n),
        _ => None,
    }
}

/// Every named type inside a reference.
fn named_in(t: &TypeRef, out: &mut Vec<String>) {
    match t {
        TypeRef::Named(n) => out.push(n.clone()),
        TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Boxed(i) | TypeRef::Option(i) => named_in(i, out),
        _ => {}
    }
}

/// Strongly connected components (Tarjan, iterative); returns the component of each node.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0;
    let mut comps = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index[root] = next;
        low[root] = next;
        next += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(top) = work.last_mut() {
            let (v, ei) = *top;
            if let Some(&w) = edges[v].get(ei) {
                top.1 += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp[w] = comps;
                    if w == v {
                        break;
                    }
                }
                comps += 1;
            }
        }
    }
    // A node alone in its component is only recursive through a self-edge.
    let mut size = vec![0usize; comps];
    for &c in &comp {
        size[c] += 1;
    }
    comp.iter()
        .enumerate()
        .map(|(v, &c)| if size[c] == 1 && !edges[v].contains(&v) { comps + v } else { c })
        .collect()
}

/// A `oneOf`/`anyOf` met among `allOf` parts: its branches, discriminator and pointer.
type UnionPart<'a> = (Vec<&'a ReferenceOr<Schema>>, Option<&'a openapiv3::Discriminator>, String);

/// Properties collected from one schema or several `allOf` parts.
#[derive(Default, Clone)]
struct Merged<'a> {
    properties: IndexMap<&'a str, (&'a ReferenceOr<Box<Schema>>, String)>,
    required: BTreeSet<String>,
    additional: Option<&'a AdditionalProperties>,
    unions: Vec<UnionPart<'a>>,
    /// The `$ref`s already merged (merging one twice adds nothing, and
    /// re-walking shared parts is exponential in diamond-shaped `allOf`s).
    merged_refs: BTreeSet<String>,
}

impl<'a> Merged<'a> {
    fn add(&mut self, props: &'a IndexMap<String, ReferenceOr<Box<Schema>>>, required: &'a [String], ptr: &str) {
        for (k, v) in props {
            self.properties.insert(k.as_str(), (v, format!("{ptr}/properties/{}", pointer_token(k))));
        }
        self.required.extend(required.iter().cloned());
    }
}
