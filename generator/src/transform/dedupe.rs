//! Deduplication of structurally identical types: an inline schema with the
//! same shape as a type met before it becomes a type alias of that type.
//!
//! Big specs repeat the same inline schema many times (GitHub's has 3,009
//! open string enums of 760 shapes): each copy would be a type of its own,
//! with its impls and serde code for the compiler to check. An alias costs
//! nearly nothing to check, and every name stays what it was, so code that
//! names either type keeps compiling.
//!
//! The rules:
//! - Two types have the same shape when they are the same kind with the
//!   same Rust field, variant and constant names, wire names, presence,
//!   defaults and field types, where a field type naming a type that became
//!   an alias counts as naming its target. Docs do not count.
//! - Only inline schemas become aliases. A component schema
//!   (`#/components/schemas/Name`) is always its own type: its name is the
//!   spec's and users may implement their own traits on it.
//! - The target is the first type of that shape in model order (components
//!   first, then inline types as met), so the result is deterministic and
//!   names never move.
//! - Integer enums and aliases are left alone (a newtype's constructor
//!   cannot be called through an alias), and so are the types the
//!   configuration gives derives of their own (`pinned`).
//! - The comparison repeats until nothing changes: two structs whose fields
//!   name two identical enums are identical once the enums are merged.
//!
//! What a user can notice: the alias's docs say which type it is the same
//! as, and a trait the user implements for both names now has one type (the
//! second impl conflicts). `diff` reports a type that becomes an alias as a
//! kind change.

use std::collections::hash_map::Entry;

use rustc_hash::FxHashMap as HashMap;
use std::fmt::Write as _;

use crate::model::{Api, Presence, TypeDef, TypeId, TypeKind, TypeRef};

/// Turns every inline type with the shape of an earlier type into an
/// alias of it; the types at `pinned` are neither merged nor merged into.
/// Returns how many types became aliases.
pub(super) fn dedupe(api: &mut Api, pinned: &[usize]) -> usize {
    let n = api.types.len();
    // Alias → the type it now stands for.
    let mut target: Vec<Option<usize>> = vec![None; n];
    // Each type's shape key, and the types its key names (through aliases):
    // a key is written again only when one of those has become an alias.
    let mut keys: Vec<Option<Key>> = vec![None; n];
    let mut names: Vec<Vec<usize>> = vec![Vec::new(); n];
    let skipped = |i: usize, t: &TypeDef| matches!(t.kind, TypeKind::Alias(_) | TypeKind::IntEnum { .. }) || pinned.contains(&i);
    let mut merged = 0;
    loop {
        for (i, t) in api.types.iter().enumerate() {
            if skipped(i, t) || keys[i].is_some() && !names[i].iter().any(|&u| target[u].is_some()) {
                continue;
            }
            let mut text = keys[i].take().map(|k| k.text).unwrap_or_default();
            text.clear();
            names[i].clear();
            shape_key(t, &target, &mut text, &mut names[i]);
            keys[i] = Some(Key::new(text));
        }
        let mut first: HashMap<&Key, usize> = HashMap::default();
        let mut aliased = Vec::new();
        for (i, t) in api.types.iter().enumerate() {
            let Some(key) = keys[i].as_ref().filter(|_| !skipped(i, t)) else { continue };
            match first.entry(key) {
                Entry::Vacant(v) => {
                    v.insert(i);
                }
                Entry::Occupied(o) if !is_component(&t.pointer) => aliased.push((i, *o.get())),
                Entry::Occupied(_) => {}
            }
        }
        if aliased.is_empty() {
            return merged;
        }
        merged += aliased.len();
        for (i, of) in aliased {
            let canonical = api.types[of].name.clone();
            let t = &mut api.types[i];
            let note = format!("The same type as [`{canonical}`] (an inline schema of the same shape).");
            t.doc = Some(match t.doc.take() {
                Some(d) => format!("{d}\n\n{note}"),
                None => note,
            });
            t.kind = TypeKind::Alias(TypeRef::Named(TypeId(of)));
            target[i] = Some(of);
        }
    }
}

/// A shape key with its hash, worked out once (the keys are compared again
/// in every round).
#[derive(Clone, PartialEq, Eq)]
struct Key {
    hash: u64,
    text: String,
}

impl Key {
    fn new(text: String) -> Self {
        use std::hash::BuildHasher as _;
        // Any fixed hasher will do: the hash only speeds up comparing texts.
        let hash = rustc_hash::FxBuildHasher.hash_one(&text);
        Key { hash, text }
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// `true` for the pointer of a component schema (`/components/schemas/Name`).
fn is_component(pointer: &str) -> bool {
    pointer.strip_prefix("/components/schemas/").is_some_and(|rest| !rest.contains('/'))
}

/// The type a reference stands for, through the aliases made so far.
fn resolve(mut id: usize, target: &[Option<usize>]) -> usize {
    while let Some(t) = target.get(id).copied().flatten() {
        id = t;
    }
    id
}

/// Writes a text that is equal for two types exactly when they have the
/// same shape (docs left out). Every string is written with its length
/// first, so no two different shapes can write the same text. The types
/// the key names are added to `names`.
fn shape_key(t: &TypeDef, target: &[Option<usize>], out: &mut String, names: &mut Vec<usize>) {
    let mut ty = |r: &TypeRef, out: &mut String| type_key(r, target, out, names);
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            out.push_str("struct{");
            for f in fields {
                text(out, &f.name);
                text(out, &f.wire);
                out.push_str(match f.presence {
                    Presence::Required => "R:",
                    Presence::RequiredNullable => "RN:",
                    Presence::Optional => "O:",
                    Presence::OptionalNullable => "ON:",
                });
                ty(&f.ty, out);
                optional_text(out, f.default.as_ref().map(ToString::to_string).as_deref());
                optional_text(out, f.default_const.as_deref());
                out.push(';');
            }
            out.push('}');
            if let Some(a) = additional {
                out.push('+');
                ty(a, out);
            }
        }
        TypeKind::StringEnum { variants, other } => {
            out.push_str("enum");
            text(out, other);
            out.push('{');
            for v in variants {
                text(out, &v.name);
                text(out, &v.value);
            }
            out.push('}');
        }
        TypeKind::Union { variants } => {
            out.push_str("union{");
            for v in variants {
                text(out, &v.name);
                ty(&v.ty, out);
                let _ = write!(out, ":{}:", v.tags.len());
                for (property, value) in &v.tags {
                    text(out, property);
                    text(out, value);
                }
                out.push(';');
            }
            out.push('}');
        }
        TypeKind::Responses { variants } => {
            out.push_str("responses{");
            for v in variants {
                text(out, &v.name);
                match &v.ty {
                    Some(t) => ty(t, out),
                    None => out.push_str("()"),
                }
                out.push(';');
            }
            out.push('}');
        }
        TypeKind::IntEnum { .. } | TypeKind::Alias(_) => {
            let _ = write!(out, "{:?}", t.kind);
        }
    }
}

/// Writes `s` as its length, `:`, and `s`.
fn text(out: &mut String, s: &str) {
    let _ = write!(out, "{}:", s.len());
    out.push_str(s);
}

/// Writes `-` for `None`, else `+` and the text.
fn optional_text(out: &mut String, s: Option<&str>) {
    match s {
        Some(s) => {
            out.push('+');
            text(out, s);
        }
        None => out.push('-'),
    }
}

fn type_key(r: &TypeRef, target: &[Option<usize>], out: &mut String, names: &mut Vec<usize>) {
    let mut inner = |w: &str, i: &TypeRef, out: &mut String| {
        out.push_str(w);
        out.push('<');
        type_key(i, target, out, names);
        out.push('>');
    };
    match r {
        TypeRef::Named(TypeId(n)) => {
            let id = resolve(*n, target);
            names.push(id);
            let _ = write!(out, "@{id}");
        }
        TypeRef::Vec(i) => inner("Vec", i, out),
        TypeRef::Map(i) => inner("Map", i, out),
        TypeRef::Option(i) => inner("Option", i, out),
        TypeRef::Boxed(i) => inner("Box", i, out),
        other => {
            let _ = write!(out, "{other:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumVariant, Field};

    fn api(types: Vec<TypeDef>) -> Api {
        Api {
            title: "T".to_owned(),
            description: None,
            spec_version: "1".to_owned(),
            default_server: None,
            auth: Vec::new(),
            types,
            operations: Vec::new(),
            warnings: Vec::new(),
            dependencies: Vec::new(),
            features: None,
        }
    }

    fn open_enum(name: &str, pointer: &str, values: &[&str]) -> TypeDef {
        TypeDef::new(
            name.to_owned(),
            pointer.to_owned(),
            Some(format!("Docs of {name}.")),
            TypeKind::StringEnum {
                variants: values.iter().map(|v| EnumVariant { name: v.to_uppercase(), value: (*v).to_owned() }).collect(),
                other: "Unknown".to_owned(),
            },
        )
    }

    fn strukt(name: &str, pointer: &str, field_type: usize) -> TypeDef {
        TypeDef::new(
            name.to_owned(),
            pointer.to_owned(),
            None,
            TypeKind::Struct {
                fields: vec![Field {
                    name: "state".to_owned(),
                    wire: "state".to_owned(),
                    ty: TypeRef::Named(TypeId(field_type)),
                    presence: Presence::Required,
                    doc: Some(format!("field of {name}")),
                    default: None,
                    default_const: None,
                }],
                additional: None,
            },
        )
    }

    #[test]
    fn identical_inline_schemas_become_aliases_of_the_first_transitively() {
        let mut a = api(vec![
            open_enum("AState", "/paths/~1a/get/responses/200/content/application~1json/schema/properties/state", &["open", "closed"]),
            strukt("A", "/paths/~1a/get/responses/200/content/application~1json/schema", 0),
            open_enum("BState", "/paths/~1b/get/responses/200/content/application~1json/schema/properties/state", &["open", "closed"]),
            strukt("B", "/paths/~1b/get/responses/200/content/application~1json/schema", 2),
            open_enum("CState", "/paths/~1c/get/responses/200/content/application~1json/schema/properties/state", &["open", "merged"]),
        ]);
        assert_eq!(dedupe(&mut a, &[]), 2);
        let kinds: Vec<_> = a.types.iter().map(|t| (t.name.as_str(), &t.kind)).collect();
        assert_eq!(kinds[2].1, &TypeKind::Alias(TypeRef::Named(TypeId(0))));
        // B's field names BState, now an alias of AState: B is then the same as A.
        assert_eq!(kinds[3].1, &TypeKind::Alias(TypeRef::Named(TypeId(1))));
        assert!(matches!(kinds[4].1, TypeKind::StringEnum { .. }), "a different value set stays a type");
        let doc = a.types[2].doc.as_deref().unwrap_or_default();
        assert!(doc.starts_with("Docs of BState.") && doc.contains("[`AState`]"), "{doc}");
        // A second run finds nothing more.
        assert_eq!(dedupe(&mut a, &[]), 0);
    }

    #[test]
    fn component_schemas_stay_types_and_docs_do_not_count() {
        let mut a = api(vec![
            open_enum("Color", "/components/schemas/Color", &["red"]),
            open_enum("Colour", "/components/schemas/Colour", &["red"]),
            open_enum("PaintColor", "/components/schemas/Paint/properties/color", &["red"]),
        ]);
        assert_eq!(dedupe(&mut a, &[]), 1);
        assert!(matches!(a.types[1].kind, TypeKind::StringEnum { .. }), "a component is never an alias");
        assert_eq!(a.types[2].kind, TypeKind::Alias(TypeRef::Named(TypeId(0))));
    }

    #[test]
    fn pinned_types_are_neither_merged_nor_merged_into() {
        let shape = |n: &str| open_enum(n, &format!("/paths/~1{n}/x"), &["open"]);
        let mut a = api(vec![shape("a"), shape("b"), shape("c")]);
        assert_eq!(dedupe(&mut a, &[0, 1]), 0, "c alone is unpinned");
        let mut a = api(vec![shape("a"), shape("b"), shape("c")]);
        assert_eq!(dedupe(&mut a, &[0]), 1);
        assert_eq!(a.types[2].kind, TypeKind::Alias(TypeRef::Named(TypeId(1))));
    }

    #[test]
    fn different_variant_or_field_names_are_different_shapes() {
        let mut renamed = open_enum("B", "/paths/~1b/x", &["open"]);
        if let TypeKind::StringEnum { other, .. } = &mut renamed.kind {
            *other = "Unknown2".to_owned();
        }
        let mut a = api(vec![open_enum("A", "/paths/~1a/x", &["open"]), renamed]);
        assert_eq!(dedupe(&mut a, &[]), 0);
    }
}
