//! `allOf` merging: the properties of every part (following references and
//! nested `allOf`s) collected into one struct, or into one struct per branch
//! when a part is a `oneOf`/`anyOf`; struct fields with presence and defaults.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use super::*;
use super::unions::discriminator_tags;
use crate::error::{Problem, WarningKind, pointer_token};
use crate::load::resolve::Resolver;
use crate::naming::{self, Scope};

impl<'a> Builder<'a> {
    pub(super) fn struct_kind(
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
    pub(super) fn merged_struct(&mut self, name: &str, mut merged: Merged<'a>, ptr: &str) -> TypeKind {
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
            let (type_name, id) = self.new_type(&format!("{name} {label}"), &bptr, None);
            let kind = self.merged_fields(&type_name, one, ptr);
            self.types[id.0].kind = kind;
            let tags = match (discriminator, branch) {
                (Some(d), ReferenceOr::Reference { reference }) => discriminator_tags(d, reference),
                _ => Vec::new(),
            };
            variants.push(UnionVariant { name: scope.unique(naming::variant_name(&label)), ty: TypeRef::Named(id), tags });
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
    pub(super) fn merge_part(&mut self, merged: &mut Merged<'a>, part: &'a ReferenceOr<Schema>, ptr: &str, depth: usize) {
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

    pub(super) fn all_of_kind(&mut self, name: &str, parts: &'a [ReferenceOr<Schema>], ptr: &str) -> TypeKind {
        let mut merged = Merged::default();
        for (i, part) in parts.iter().enumerate() {
            self.merge_part(&mut merged, part, &format!("{ptr}/allOf/{i}"), 0);
        }
        self.merged_struct(name, merged, ptr)
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

/// A `oneOf`/`anyOf` met among `allOf` parts: its branches, discriminator and pointer.
pub(super) type UnionPart<'a> = (Vec<&'a ReferenceOr<Schema>>, Option<&'a openapiv3::Discriminator>, String);

/// Properties collected from one schema or several `allOf` parts.
#[derive(Default, Clone)]
pub(super) struct Merged<'a> {
    pub(super) properties: IndexMap<&'a str, (&'a ReferenceOr<Box<Schema>>, String)>,
    pub(super) required: BTreeSet<String>,
    pub(super) additional: Option<&'a AdditionalProperties>,
    pub(super) unions: Vec<UnionPart<'a>>,
    /// The `$ref`s already merged (merging one twice adds nothing, and
    /// re-walking shared parts is exponential in diamond-shaped `allOf`s).
    pub(super) merged_refs: BTreeSet<String>,
}

impl<'a> Merged<'a> {
    pub(super) fn add(&mut self, props: &'a IndexMap<String, ReferenceOr<Box<Schema>>>, required: &'a [String], ptr: &str) {
        for (k, v) in props {
            self.properties.insert(k.as_str(), (v, format!("{ptr}/properties/{}", pointer_token(k))));
        }
        self.required.extend(required.iter().cloned());
    }
}
