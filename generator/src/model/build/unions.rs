//! `oneOf`/`anyOf` unions: one variant per distinct branch type, named after
//! it, with the discriminator values that select it.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema};

use super::*;
use crate::error::WarningKind;
use crate::load::resolve::Resolver;
use crate::naming::{self, Scope};

impl<'a> Builder<'a> {
    pub(super) fn union_kind(
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
                TypeRef::Named(id) => self.types[id.0].name.clone(),
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
}

/// The discriminator values selecting the branch `reference`: the mapping
/// entries naming it (as a `$ref` or a bare schema name) or, without one,
/// the schema's component name.
pub(super) fn discriminator_tags(d: &openapiv3::Discriminator, reference: &str) -> Vec<(String, String)> {
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
        TypeRef::File => "File",
        TypeRef::Json => "Value",
        TypeRef::JsonObject | TypeRef::Map(_) => "Object",
        TypeRef::Vec(_) => "Array",
        TypeRef::Option(i) => kind_word(i),
        TypeRef::Named(_) | TypeRef::Boxed(_) | TypeRef::External(_) => "Variant",
    }
}
