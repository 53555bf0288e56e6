//! Extra derives (`[derives]`): which types get which, and where a derive
//! cannot hold.
//!
//! A derive holds for a type when every field (variant, map value) type
//! implements the trait: `f64` implements `PartialOrd` only;
//! `serde_json::Value` is treated as implementing none of `Eq`, `Hash`,
//! `PartialOrd`, `Ord`; a replacement type implements what its `impls` lists;
//! the runtime's `Nullable<T>` implements the standard traits but no derive
//! given by path; open enums implement all four standard traits already.
//! Types refer to each other (recursively, too), so this is a greatest fixed
//! point: every requested derive is assumed to hold, and those with a field
//! that fails are dropped until nothing changes. Each dropped derive is a
//! `derive-skipped` warning naming the type and the field that stops it.

use std::collections::HashMap;

use crate::config_file::{ConfigFile, Derive, DeriveName};
use crate::error::{Warning, WarningKind};
use crate::model::{Api, Presence, TypeDef, TypeKind, TypeRef};

/// Aliases followed before giving up (an alias chain is short; this only stops a cycle).
const MAX_ALIASES: usize = 64;

/// Whether a kind carries a `#[derive]` extra derives can join.
fn derivable(kind: &TypeKind) -> bool {
    !matches!(kind, TypeKind::Alias(_))
}

/// The standard traits a kind implements without being asked.
fn native(kind: &TypeKind, d: &DeriveName) -> bool {
    matches!(kind, TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. }) && !matches!(d, DeriveName::Path(_))
}

/// One place in a type that must implement the trait: its label and type.
struct Part<'a> {
    label: String,
    ty: &'a TypeRef,
    nullable: bool,
}

fn parts(t: &TypeDef) -> Vec<Part<'_>> {
    match &t.kind {
        TypeKind::Struct { fields, additional } => fields
            .iter()
            .map(|f| Part { label: format!("field `{}`", crate::naming::unraw(&f.name)), ty: &f.ty, nullable: f.presence == Presence::OptionalNullable })
            .chain(additional.iter().map(|ty| Part { label: "field `additional_properties`".to_owned(), ty, nullable: false }))
            .collect(),
        TypeKind::Union { variants } => {
            variants.iter().map(|v| Part { label: format!("variant `{}`", v.name), ty: &v.ty, nullable: false }).collect()
        }
        TypeKind::Responses { variants } => variants
            .iter()
            .filter_map(|v| v.ty.as_ref().map(|ty| Part { label: format!("variant `{}`", v.name), ty, nullable: false }))
            .collect(),
        TypeKind::Alias(_) | TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => Vec::new(),
    }
}

struct Checker<'a> {
    api: &'a Api,
    /// Per replacement path, the traits its `impls` lists.
    impls: HashMap<&'a str, &'a [DeriveName]>,
    /// Per type, the requested derives and whether each still holds.
    holds: Vec<Vec<(DeriveName, bool)>>,
}

impl Checker<'_> {
    fn has(&self, i: usize, d: &DeriveName) -> bool {
        native(&self.api.types[i].kind, d) || self.holds[i].iter().any(|(x, ok)| x == d && *ok)
    }

    /// Why `t` does not implement `d`, if it does not.
    fn fails(&self, t: &TypeRef, d: &DeriveName, depth: usize) -> Option<String> {
        let std_only = |ok: bool, what: &str| (!ok).then(|| format!("`{what}`, which does not implement `{}`", d.label()));
        match t {
            TypeRef::String | TypeRef::Bool | TypeRef::I32 | TypeRef::I64 | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date | TypeRef::Bytes => None,
            TypeRef::F32 | TypeRef::F64 => {
                let what = if *t == TypeRef::F32 { "f32" } else { "f64" };
                std_only(matches!(d, DeriveName::PartialOrd | DeriveName::Path(_)), what)
            }
            TypeRef::Json => std_only(matches!(d, DeriveName::Path(_)), "serde_json::Value"),
            TypeRef::JsonObject => std_only(matches!(d, DeriveName::Path(_)), "serde_json::Map"),
            // A file part (bytes, a path or a stream) has no order or hash.
            TypeRef::File => std_only(matches!(d, DeriveName::Path(_)), "FilePart"),
            TypeRef::External(p) => {
                let declared = self.impls.get(p.as_str()).is_some_and(|list| list.contains(d));
                (!declared).then(|| {
                    format!("`{}`, which is not declared to implement `{}` (list it in the replacement's `impls`)", p.trim_start_matches("::"), d.label())
                })
            }
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Boxed(i) => self.fails(i, d, depth),
            TypeRef::Named(id) => {
                let (i, n) = (id.0, self.api.type_name(*id));
                match &self.api.types[i].kind {
                    TypeKind::Alias(target) if depth < MAX_ALIASES => self.fails(target, d, depth + 1),
                    TypeKind::Alias(_) => Some(format!("`{n}`, an alias that does not end")),
                    _ if self.has(i, d) => None,
                    _ => Some(format!("`{n}`, which does not derive `{}`", d.label())),
                }
            }
        }
    }

    /// Why type `i` cannot derive `d`, if it cannot (given what holds now).
    fn blocked(&self, i: usize, d: &DeriveName) -> Option<String> {
        if *d == DeriveName::Ord {
            for needed in [DeriveName::Eq, DeriveName::PartialOrd] {
                if !self.has(i, &needed) {
                    return Some(format!("`{}` is not derived for it", needed.label()));
                }
            }
        }
        for part in parts(&self.api.types[i]) {
            if part.nullable && matches!(d, DeriveName::Path(_)) {
                return Some(format!("its {} is a `Nullable<_>`, which implements only the standard traits", part.label));
            }
            if let Some(why) = self.fails(part.ty, d, 0) {
                return Some(format!("its {} is {why}", part.label));
            }
        }
        None
    }
}

/// Sets each type's extra derives; warns for each one that cannot hold.
pub(super) fn apply(api: &mut Api, config: &ConfigFile, selected: &[(usize, &[Derive])]) {
    if config.derives.all.is_empty() && selected.is_empty() {
        return;
    }
    let mut requested: Vec<Vec<DeriveName>> = vec![Vec::new(); api.types.len()];
    let mut warnings = Vec::new();
    for (i, t) in api.types.iter().enumerate() {
        if derivable(&t.kind) {
            requested[i].extend(config.derives.all.iter().map(|d| d.name.value.clone()));
        }
    }
    for (i, list) in selected {
        let t = &api.types[*i];
        if derivable(&t.kind) {
            requested[*i].extend(list.iter().map(|d| d.name.value.clone()));
        } else if !list.is_empty() {
            warnings.push(Warning::new(
                WarningKind::DeriveSkipped,
                t.pointer.clone(),
                format!("`{}` is a type alias; derives go on the type it names", t.name),
            ));
        }
    }
    for list in &mut requested {
        if list.contains(&DeriveName::Ord) {
            list.extend([DeriveName::Eq, DeriveName::PartialOrd]);
        }
        // Standard derives first, in a fixed order; then paths as given.
        let mut ordered: Vec<DeriveName> = DeriveName::STD.iter().filter(|d| list.contains(d)).cloned().collect();
        for d in list.iter() {
            if matches!(d, DeriveName::Path(_)) && !ordered.contains(d) {
                ordered.push(d.clone());
            }
        }
        *list = ordered;
    }
    let mut checker = Checker {
        api,
        impls: config.replace.iter().map(|r| (r.path.value.as_str(), r.impls.as_slice())).collect(),
        holds: requested.iter().map(|l| l.iter().map(|d| (d.clone(), true)).collect()).collect(),
    };
    let mut reasons: Vec<(usize, DeriveName, String)> = Vec::new();
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..checker.holds.len() {
            for k in 0..checker.holds[i].len() {
                let (d, ok) = &checker.holds[i][k];
                if !*ok || native(&checker.api.types[i].kind, d) {
                    continue;
                }
                let d = d.clone();
                if let Some(why) = checker.blocked(i, &d) {
                    checker.holds[i][k].1 = false;
                    reasons.push((i, d, why));
                    changed = true;
                }
            }
        }
    }
    let holds = checker.holds;
    for (i, d, why) in reasons {
        let t = &api.types[i];
        warnings.push(Warning::new(WarningKind::DeriveSkipped, t.pointer.clone(), format!("`{}` is not derived for `{}`: {why}", d.label(), t.name)));
    }
    for (t, list) in api.types.iter_mut().zip(holds) {
        t.derives = list.into_iter().filter(|(d, ok)| *ok && !native(&t.kind, d)).map(|(d, _)| d.path().to_owned()).collect();
    }
    api.warnings.extend(warnings);
}
