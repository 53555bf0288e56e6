//! Schema typing: the Rust type of every schema (a reference, a scalar, an
//! array or map, or a named type), component and inline named types, and
//! string and integer enums.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
use serde_json::Value;

use super::*;
use super::all_of::Merged;
use crate::error::{Problem, WarningKind, pointer_token};
use crate::load::normalize::NULL_ONLY;
use crate::load::resolve::Resolver;
use crate::naming::{self, Scope};

impl<'a> Builder<'a> {
    pub(super) fn components(&mut self) {
        let Some(components) = self.api.components.as_ref() else { return };
        for name in components.schemas.keys() {
            let rust = self.type_scope.unique(naming::type_name(name));
            let id = self.reserve_type(rust, &child("/components/schemas", name), None);
            self.components.insert(name.as_str(), id);
        }
        for (name, schema) in &components.schemas {
            let idx = self.components[name.as_str()];
            let rust = self.types[idx.0].name.clone();
            let ptr = child("/components/schemas", name);
            self.order.push(idx);
            let (kind, doc) = match schema {
                ReferenceOr::Reference { .. } => (TypeKind::Alias(self.schema_type(schema, &rust, &ptr).0), None),
                ReferenceOr::Item(s) => {
                    let doc = doc_of(s.schema_data.title.as_deref(), s.schema_data.description.as_deref());
                    self.all_of_chain = vec![format!("#/components/schemas/{}", pointer_token(name))];
                    let defined = match self.rust_type(s, &ptr) {
                        Some(existing) => Some(TypeKind::Alias(existing)),
                        None => self.define(&rust, s, &ptr),
                    };
                    self.all_of_chain.clear();
                    let kind = match defined {
                        Some(kind) => kind,
                        None => TypeKind::Alias(self.inline_type(s, &rust, &ptr).0),
                    };
                    (kind, doc)
                }
            };
            self.types[idx.0].kind = kind;
            self.types[idx.0].doc = doc;
        }
    }

    /// The Rust type of a schema (reference or inline) and whether it is nullable.
    pub(super) fn schema_type(&mut self, schema: &'a ReferenceOr<Schema>, hint: &str, ptr: &str) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_type(reference, ptr),
            ReferenceOr::Item(s) => self.inline_type(s, hint, ptr),
        }
    }

    pub(super) fn boxed_schema_type(&mut self, schema: &'a ReferenceOr<Box<Schema>>, hint: &str, ptr: &str) -> (TypeRef, bool) {
        match schema {
            ReferenceOr::Reference { reference } => self.reference_type(reference, ptr),
            ReferenceOr::Item(s) => self.inline_type(s, hint, ptr),
        }
    }

    fn reference_type(&mut self, reference: &str, ptr: &str) -> (TypeRef, bool) {
        let r = ReferenceOr::<Schema>::Reference { reference: reference.to_owned() };
        match self.resolver.schema(&r, ptr) {
            Ok((target, _)) => {
                let id = Resolver::schema_ref_name(reference).and_then(|n| self.components.get(n.as_str()).copied());
                match id {
                    Some(id) => (TypeRef::Named(id), self.allows_null(target, 0)),
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
                // Properties next to a `oneOf`/`anyOf` belong to every branch,
                // as if they were an `allOf` part: one merged struct per branch.
                let sibling_union = !any.properties.is_empty() && any.one_of.len() + any.any_of.len() > 0;
                if !any.all_of.is_empty() || sibling_union {
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
                    // `additionalProperties` next to the `allOf` applies to the merged object.
                    if any.additional_properties.is_some() {
                        merged.additional = any.additional_properties.as_ref();
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

    /// Whether a schema allows `null`: `nullable`, 3.1's `type: "null"`, or
    /// a `oneOf`/`anyOf` with a branch that allows it (through `$ref`s). A
    /// union's nullability belongs to the places that use it (`Option`,
    /// `Nullable`), like any other type's.
    fn allows_null(&self, s: &'a Schema, depth: usize) -> bool {
        if s.schema_data.nullable || is_null_only(s) {
            return true;
        }
        let branches: Vec<&'a ReferenceOr<Schema>> = match &s.schema_kind {
            SchemaKind::OneOf { one_of: b } | SchemaKind::AnyOf { any_of: b } => b.iter().collect(),
            SchemaKind::Any(any) if any.all_of.is_empty() => any.one_of.iter().chain(&any.any_of).collect(),
            _ => return false,
        };
        depth < 8
            && branches.into_iter().any(|b| match b {
                ReferenceOr::Item(b) => self.allows_null(b, depth + 1),
                ReferenceOr::Reference { .. } => self.resolver.schema(b, "").is_ok_and(|(t, _)| self.allows_null(t, depth + 1)),
            })
    }

    fn inline_type_inner(&mut self, s: &'a Schema, hint: &str, ptr: &str) -> (TypeRef, bool) {
        let nullable = self.allows_null(s, 0);
        if is_null_only(s) {
            return (TypeRef::Json, true);
        }
        if let Some(existing) = self.rust_type(s, ptr) {
            return (existing, nullable);
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
            let (name, id) = self.new_type(hint, ptr, doc);
            let kind = self.define(&name, s, ptr).unwrap_or(TypeKind::Alias(TypeRef::Json));
            self.types[id.0].kind = kind;
            return (TypeRef::Named(id), nullable);
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
