//! Emits the `types` module: structs, open enums, unions, aliases and the
//! per-operation response and error enums.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Piece, doc_attrs, ident, type_tokens};
use crate::model::{Api, Field, Presence, TypeDef, TypeKind, TypeRef, UnionVariant};

/// The whole `types` module body.
pub fn types(api: &Api) -> Vec<Piece> {
    types_part(api, &api.types, true, true)
}

/// The items of `types` only (with the module doc when `first`): the
/// module body in parts that can be emitted and formatted independently.
/// `types` is a slice of `api.types` (names are resolved through `api`).
/// Consecutive token items are one piece (formatted together).
/// With `as_text`, structs, string enums, aliases and unions are written as
/// formatted text ([`item_text`]) where it can; without it, all is tokens.
pub fn types_part(api: &Api, types: &[TypeDef], first: bool, as_text: bool) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut tokens = if first { quote!(#![doc = " Models of the API's request and response bodies."]) } else { TokenStream::new() };
    for t in types {
        if as_text && let Some(text) = item_text(api, t) {
            let (de, rest) = extras(api, t);
            pieces.push(Piece::Tokens(std::mem::take(&mut tokens)));
            let mut text = text;
            if let Some(de) = de {
                text.push_str(&super::cfg_line(&t.features));
                text.push_str(&de);
            }
            pieces.push(Piece::Text(text));
            tokens.extend(super::decorate(t, rest));
            continue;
        }
        let (items, de, rest) = type_def(api, t);
        // Moved in, not interpolated: `quote!` would copy every item's tokens.
        tokens.extend(super::decorate(t, items));
        if let Some(de) = de {
            pieces.push(Piece::Tokens(std::mem::take(&mut tokens)));
            pieces.push(Piece::Text(format!("{}{de}", super::cfg_line(&t.features))));
        }
        tokens.extend(super::decorate(t, rest));
    }
    pieces.push(Piece::Tokens(tokens));
    pieces.retain(|p| !matches!(p, Piece::Tokens(t) if t.is_empty()));
    pieces
}

/// The items of a struct, string enum, alias or union without a
/// discriminator (before its macro call, if it has one) as formatted text, the
/// text prettyplease would print for its tokens (a test compares the two on
/// every kind and width), without the cost of parsing and formatting it;
/// `None` for other kinds and for what this does not lay out the same
/// (extra derives, a long `cfg`, a type that does not break like a path
/// with generic arguments).
fn item_text(api: &Api, t: &TypeDef) -> Option<String> {
    let cfg = super::cfg_line(&t.features);
    if !t.derives.is_empty() || cfg.len() > super::MARGIN {
        return None;
    }
    let mut out = String::new();
    let doc = |out: &mut String, indent: &str, text: Option<&str>| {
        if let Some(text) = text {
            super::doc_text(out, indent, text);
        }
    };
    doc(&mut out, "", t.doc.as_deref());
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            out.push_str(&cfg);
            let all_optional = fields.iter().all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
            out.push_str(if all_optional { "#[derive(Debug, Clone, PartialEq, Default)]\n" } else { "#[derive(Debug, Clone, PartialEq)]\n" });
            if fields.is_empty() && additional.is_none() {
                out.push_str(&format!("pub struct {} {{}}\n", t.name));
                return Some(out);
            }
            out.push_str(&format!("pub struct {} {{\n", t.name));
            for f in fields {
                doc(&mut out, "    ", field_doc(f).as_deref());
                super::wrapped(&format!("pub {}: ", f.name), &field_type_text(api, f), ",", 4, &mut out)?;
            }
            if let Some(t) = additional {
                out.push_str("    /// Properties not listed above.\n");
                let ty = format!("::std::collections::BTreeMap<::std::string::String, {}>", super::type_string(api, t));
                super::wrapped("pub additional_properties: ", &ty, ",", 4, &mut out)?;
            }
            out.push_str("}\n");
        }
        TypeKind::StringEnum { variants, other } => {
            if t.doc.is_some() {
                out.push_str("///\n");
            }
            out.push_str(&format!(
                "/// An open enum: a value this client does not know yet is kept in the `{other}` variant and sent back unchanged.\n\
                 ///\n\
                 /// `#[non_exhaustive]`: values the API adds later become variants\n\
                 /// without breaking a `match` (it needs a wildcard arm).\n"
            ));
            out.push_str(&cfg);
            out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\n");
            out.push_str(&format!("pub enum {} {{\n", t.name));
            for v in variants {
                let line = format!(" `{}`", v.value.escape_debug());
                if line.starts_with('/') || line.contains('\n') {
                    return None;
                }
                out.push_str(&format!("    ///{}\n    {},\n", line.trim_end_matches(' '), v.name));
            }
            out.push_str(&format!("    /// A value not documented when this client was generated.\n    {other}(::std::string::String),\n}}\n"));
        }
        TypeKind::Alias(target) => {
            out.push_str(&cfg);
            super::wrapped(&format!("pub type {} = ", t.name), &super::type_string(api, target), ";", 0, &mut out)?;
        }
        TypeKind::Union { variants } if variants.iter().all(|v| v.tags.is_empty()) => union_text(api, t, variants, &cfg, &mut out)?,
        _ => return None,
    }
    Some(out)
}

/// A union without a discriminator ([`union_def`]) as formatted text after
/// its doc, if each variant fits on its line.
fn union_text(api: &Api, t: &TypeDef, variants: &[UnionVariant], cfg: &str, out: &mut String) -> Option<()> {
    let name = &t.name;
    let head = format!("impl<'de> ::serde::Deserialize<'de> for {name} {{");
    if head.len() > super::MARGIN {
        return None;
    }
    if t.doc.is_some() {
        out.push_str("///\n");
    }
    out.push_str("/// One of several shapes; decoding picks the one that keeps the most fields of the value.\n");
    out.push_str(cfg);
    out.push_str("#[derive(Debug, Clone, PartialEq, ::serde::Serialize)]\n#[serde(untagged)]\n#[allow(clippy::large_enum_variant)]\n");
    out.push_str(&format!("pub enum {name} {{\n"));
    for v in variants {
        let line = format!("    {}({}),\n", v.name, super::type_string(api, &v.ty));
        if line.len() - 1 > super::MARGIN {
            return None;
        }
        out.push_str(&line);
    }
    out.push_str("}\n");
    out.push_str(cfg);
    out.push_str(&head);
    out.push_str(
        "\n    fn deserialize<D: ::serde::Deserializer<'de>>(\n        deserializer: D,\n    ) -> ::std::result::Result<Self, D::Error> {\n        \
         let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(\n            deserializer,\n        )?;\n        \
         let mut best: ::std::option::Option<(usize, Self)> = ::std::option::Option::None;\n",
    );
    for v in variants {
        let decode = if holds_int(api, &v.ty) { "crate::runtime::whole(&value)" } else { "::serde::Deserialize::deserialize(&value)" };
        let set = format!("            let v = Self::{}(v);\n", v.name);
        if set.len() - 1 > super::MARGIN {
            return None;
        }
        out.push_str(&format!("        if let ::std::result::Result::Ok(v) = {decode} {{\n"));
        out.push_str(&set);
        out.push_str(
            "            let dropped = crate::runtime::dropped_keys(&value, &v);\n            if dropped == 0 {\n                \
             return ::std::result::Result::Ok(v);\n            }\n            \
             if best.as_ref().is_none_or(|(fewest, _)| dropped < *fewest) {\n                \
             best = ::std::option::Option::Some((dropped, v));\n            }\n        }\n",
        );
    }
    out.push_str(&format!(
        "        best.map(|(_, v)| v)\n            .ok_or_else(|| ::serde::de::Error::custom(\n                {},\n            ))\n    }}\n}}\n",
        super::string_literal(&format!("data did not match any variant of {name}"))
    ));
    Some(())
}


/// A union. Decoding reads the value once, then: with a discriminator, the
/// variant its tag names; else (or for an unknown or missing tag) the
/// variant that decodes and drops the fewest keys of the value
/// (`runtime::dropped_keys`), the first in spec order among equals, so a
/// variant that would ignore fields never wins over one that keeps them.
/// Encoding writes the variant as it is (`untagged`).
fn union_def(api: &Api, doc: &TokenStream, sep: &TokenStream, name: &proc_macro2::Ident, variants: &[UnionVariant]) -> TokenStream {
    let vs = variants.iter().map(|v| {
        let n = ident(&v.name);
        let t = type_tokens(api, &v.ty);
        quote! { #n(#t) }
    });
    let by_tag = variants.iter().flat_map(|v| {
        let n = ident(&v.name);
        v.tags.iter().map(move |(property, value)| {
            quote! {
                if value.get(#property).and_then(::serde_json::Value::as_str) == ::std::option::Option::Some(#value) {
                    // The path inside the variant goes into the message (`barks: invalid type …`).
                    return ::serde_path_to_error::deserialize(value).map(Self::#n).map_err(::serde::de::Error::custom);
                }
            }
        })
    });
    let in_order = variants.iter().map(|v| {
        let n = ident(&v.name);
        // Integers accept an integral float (`3.0`) through the runtime's `whole`.
        let decode = if holds_int(api, &v.ty) { quote!(crate::runtime::whole(&value)) } else { quote!(::serde::Deserialize::deserialize(&value)) };
        quote! {
            if let ::std::result::Result::Ok(v) = #decode {
                let v = Self::#n(v);
                let dropped = crate::runtime::dropped_keys(&value, &v);
                if dropped == 0 {
                    return ::std::result::Result::Ok(v);
                }
                if best.as_ref().is_none_or(|(fewest, _)| dropped < *fewest) {
                    best = ::std::option::Option::Some((dropped, v));
                }
            }
        }
    });
    let no_match = format!("data did not match any variant of {name}");
    let how = if variants.iter().any(|v| !v.tags.is_empty()) {
        quote!(#[doc = " One of several shapes, told apart by a discriminator property."])
    } else {
        quote!(#[doc = " One of several shapes; decoding picks the one that keeps the most fields of the value."])
    };
    quote! {
        #doc
        #sep
        #how
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#vs,)*
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #(#by_tag)*
                let mut best: ::std::option::Option<(usize, Self)> = ::std::option::Option::None;
                #(#in_order)*
                best.map(|(_, v)| v).ok_or_else(|| ::serde::de::Error::custom(#no_match))
            }
        }
    }
}

/// One type's items: before its runtime macro call (formatted text: a
/// struct's `de_struct!`, an open enum's `open_enum!`), that call, and
/// after it.
fn type_def(api: &Api, t: &TypeDef) -> (TokenStream, Option<String>, TokenStream) {
    let doc = doc_attrs(t.doc.as_deref());
    // A blank doc line between the spec's text and ours, only when there is spec text.
    let sep = if t.doc.is_some() { quote!(#[doc = ""]) } else { quote!() };
    let name = ident(&t.name);
    let items = match &t.kind {
        TypeKind::Struct { fields, additional } => return struct_def(api, &doc, &name, fields, additional.as_ref(), !t.derives.is_empty()),
        TypeKind::StringEnum { variants, other } => {
            let other = ident(other);
            let vnames: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
            let values: Vec<_> = variants.iter().map(|v| v.value.as_str()).collect();
            // Escaped like a Rust string (line breaks and invisible controls shown as escapes).
            let vdocs = values.iter().map(|v| format!(" `{}`", v.escape_debug()));
            let open_doc = format!(
                " An open enum: a value this client does not know yet is kept in the `{other}` variant and sent back unchanged."
            );
            let items = quote! {
                #doc
                #sep
                #[doc = #open_doc]
                ///
                /// `#[non_exhaustive]`: values the API adds later become variants
                /// without breaking a `match` (it needs a wildcard arm).
                #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
                #[non_exhaustive]
                pub enum #name {
                    #( #[doc = #vdocs] #vnames, )*
                    /// A value not documented when this client was generated.
                    #other(::std::string::String),
                }

            };
            return (items, Some(open_enum_call(&t.name, variants, &other.to_string())), TokenStream::new());
        }
        TypeKind::IntEnum { values } => {
            let consts = values.iter().map(|(cname, v)| {
                let c = ident(cname);
                let lit = Literal::i64_unsuffixed(*v);
                let d = format!(" `{v}`");
                quote! { #[doc = #d] pub const #c: Self = Self(#lit); }
            });
            quote! {
                #doc
                #sep
                /// An open integer enum: the constants are the documented values; any other value is kept.
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(#[serde(deserialize_with = "crate::runtime::whole")] pub i64);

                impl #name {
                    #(#consts)*
                }
            }
        }
        TypeKind::Union { variants } => union_def(api, &doc, &sep, &name, variants),
        TypeKind::Alias(target) => {
            let target = type_tokens(api, target);
            quote! {
                #doc
                pub type #name = #target;
            }
        }
        TypeKind::Responses { variants } => {
            let vs = variants.iter().map(|v| {
                let n = ident(&v.name);
                let d = doc_attrs(v.doc.as_deref());
                match &v.ty {
                    Some(t) => {
                        let t = type_tokens(api, t);
                        quote! { #d #n(#t) }
                    }
                    None => quote! { #d #n },
                }
            });
            quote! {
                #doc
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#vs,)*
                }
            }
        }
    };
    (items, None, TokenStream::new())
}

/// An open enum's `open_enum!` call as text, one value per line (a value
/// added is a one-line diff).
fn open_enum_call(name: &str, variants: &[crate::model::EnumVariant], other: &str) -> String {
    let mut call = format!("crate::runtime::open_enum!(\n    {name},\n    {other},\n");
    for v in variants {
        call.push_str(&format!("    {} = {},\n", v.name, super::string_literal(&v.value)));
    }
    call.push_str(");\n");
    call
}

/// What follows a type's main item when that is written as text
/// ([`item_text`]): the runtime macro call (as formatted text), and items.
fn extras(api: &Api, t: &TypeDef) -> (Option<String>, TokenStream) {
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            let (de, rest) = struct_extras(api, &ident(&t.name), fields, additional.as_ref(), !t.derives.is_empty());
            (Some(de), rest)
        }
        TypeKind::StringEnum { variants, other } => (Some(open_enum_call(&t.name, variants, other)), TokenStream::new()),
        _ => (None, TokenStream::new()),
    }
}

/// A struct's `de_struct!` call (text) and the items after it: the
/// constants of its defaults and its `ToParts` impl.
fn struct_extras(api: &Api, name: &proc_macro2::Ident, fields: &[Field], additional: Option<&TypeRef>, serde_attrs: bool) -> (String, TokenStream) {
    let parts = to_parts(name, fields, additional);
    let consts: Vec<TokenStream> = fields.iter().filter_map(default_const).collect();
    let impl_block = if consts.is_empty() {
        quote!()
    } else {
        quote! {
            impl #name {
                #(#consts)*
            }
        }
    };
    (de_struct(api, name, fields, additional.is_some(), serde_attrs), quote!(#impl_block #parts))
}

/// A struct. Its serde impls come from `runtime::de_struct!`; a struct the
/// configuration gives extra derives keeps serde's `Serialize` derive and
/// the `#[serde]` field attributes, which such derives may read (schemars).
fn struct_def(
    api: &Api,
    doc: &TokenStream,
    name: &proc_macro2::Ident,
    fields: &[Field],
    additional: Option<&TypeRef>,
    serde_attrs: bool,
) -> (TokenStream, Option<String>, TokenStream) {
    let all_optional = fields.iter().all(|f| matches!(f.presence, Presence::Optional | Presence::OptionalNullable));
    let default = if all_optional { quote!(Default,) } else { quote!() };
    let fs = fields.iter().map(|f| field(api, f, serde_attrs));
    let flatten = if serde_attrs { quote!(#[serde(flatten)]) } else { quote!() };
    let extra = additional.map(|t| {
        let t = type_tokens(api, t);
        quote! {
            /// Properties not listed above.
            #flatten
            pub additional_properties: ::std::collections::BTreeMap<::std::string::String, #t>,
        }
    });
    let (de, rest) = struct_extras(api, name, fields, additional, serde_attrs);
    let serialize = if serde_attrs { quote!(::serde::Serialize) } else { quote!() };
    let def = quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default #serialize)]
        pub struct #name {
            #(#fs)*
            #extra
        }
    };
    (def, Some(de), rest)
}

/// A struct's serde impls: one `runtime::de_struct!` call, as formatted
/// text with a line per field, naming each field's wire name, its type
/// (as in the struct), how it is read (`whole` for integers, else `plain`)
/// and what its absence means (`req`: an error, `None` for a nullable one;
/// `opt`: its default, and left out when encoding). `both` writes
/// `Serialize` too; `de` only `Deserialize`, for a struct that keeps serde's
/// `Serialize` derive and its `#[serde]` field attributes.
fn de_struct(api: &Api, name: &proc_macro2::Ident, fields: &[Field], additional: bool, serde_attrs: bool) -> String {
    let mode = if serde_attrs { "de" } else { "both" };
    let extra = if additional { ", additional_properties" } else { "" };
    if fields.is_empty() {
        return format!("crate::runtime::de_struct!({mode} {name}, []{extra});\n");
    }
    let mut out = format!("crate::runtime::de_struct!({mode} {name}, [\n");
    for f in fields {
        let read = if holds_int(api, &f.ty) { "whole" } else { "plain" };
        let missing = match f.presence {
            Presence::Required | Presence::RequiredNullable => "req",
            Presence::Optional | Presence::OptionalNullable => "opt",
        };
        // The slot's type, written out: inferred from the struct literal at
        // the end instead, it costs type checking about a tenth more.
        out.push_str(&format!(
            "    ({}, {}, {}, {read}, {missing}),\n",
            f.name,
            super::string_literal(&f.wire),
            field_type_text(api, f)
        ));
    }
    out.push_str(&format!("]{extra});\n"));
    out
}

/// A struct with file fields (the body of a form or multipart request) is
/// sent part by part: files as files, every other field as text.
fn to_parts(name: &proc_macro2::Ident, fields: &[Field], additional: Option<&TypeRef>) -> TokenStream {
    if !fields.iter().any(|f| f.ty.holds_file()) {
        return TokenStream::new();
    }
    let calls = fields.iter().map(|f| {
        let n = ident(&f.name);
        let wire = &f.wire;
        if f.ty.holds_file() { quote!(parts.file(#wire, &self.#n);) } else { quote!(parts.text(#wire, &self.#n);) }
    });
    let extra = additional.map(|_| quote!(parts.additional(&self.additional_properties);));
    quote! {
        impl crate::runtime::ToParts for #name {
            fn to_parts(&self, parts: &mut crate::runtime::Parts) {
                #(#calls)*
                #extra
            }
        }
    }
}

/// A field's type as declared in its struct: its schema's type, in an
/// `Option` or `Nullable` as its presence says.
fn field_type(api: &Api, f: &Field) -> TokenStream {
    let ty = type_tokens(api, &f.ty);
    match f.presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(::std::option::Option<#ty>),
        Presence::OptionalNullable => quote!(crate::Nullable<#ty>),
    }
}

/// A field's doc: the spec's text and its default.
fn field_doc(f: &Field) -> Option<String> {
    let mut doc_text = f.doc.clone().unwrap_or_default();
    if let Some(d) = &f.default {
        if !doc_text.is_empty() {
            doc_text.push_str("\n\n");
        }
        match &f.default_const {
            Some(c) => doc_text.push_str(&format!(
                "Default (applied by the server when the field is left out; never sent implicitly): `{d}`, also `Self::{c}`."
            )),
            None => doc_text.push_str(&format!("Default (applied by the server when the field is left out): `{d}`.")),
        }
    }
    (!doc_text.is_empty()).then_some(doc_text)
}

/// [`field_type`] as text, written directly ([`super::type_string`]).
fn field_type_text(api: &Api, f: &Field) -> String {
    let ty = super::type_string(api, &f.ty);
    match f.presence {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => format!("::std::option::Option<{ty}>"),
        Presence::OptionalNullable => format!("crate::Nullable<{ty}>"),
    }
}

fn field(api: &Api, f: &Field, serde_attrs: bool) -> TokenStream {
    let name = ident(&f.name);
    let doc = doc_attrs(field_doc(f).as_deref());
    let unraw = crate::naming::unraw(&f.name);
    let full_ty = field_type(api, f);
    let attrs = if serde_attrs { serde_attrs_of(api, f, unraw) } else { quote!() };
    quote! {
        #doc
        #attrs
        pub #name: #full_ty,
    }
}

/// The `#[serde]` attributes of a field of a struct that keeps serde's
/// `Serialize` derive (see `struct_def`): its wire name, and what
/// `runtime::de_struct!` does for it, for derives that read them.
fn serde_attrs_of(api: &Api, f: &Field, unraw: &str) -> TokenStream {
    let rename = if unraw != f.wire {
        let w = &f.wire;
        quote!(#[serde(rename = #w)])
    } else {
        quote!()
    };
    let mut args = match f.presence {
        Presence::Required | Presence::RequiredNullable => vec![],
        Presence::Optional => vec![quote!(default), quote!(skip_serializing_if = "::std::option::Option::is_none")],
        Presence::OptionalNullable => vec![quote!(default), quote!(skip_serializing_if = "crate::Nullable::is_absent")],
    };
    // Integers accept an integral float (`3.0`) through the runtime's `whole`.
    if holds_int(api, &f.ty) {
        if f.presence == Presence::RequiredNullable {
            // A missing key still reads as `None`, as without `deserialize_with`.
            args.push(quote!(default));
        }
        args.push(quote!(deserialize_with = "crate::runtime::whole"));
    }
    let attr = if args.is_empty() { quote!() } else { quote!(#[serde(#(#args),*)]) };
    quote!(#rename #attr)
}

/// `true` when a type holds `i32`/`i64` where the runtime's `whole` reads it
/// (directly, in a `Vec`, map or `Option`, or through type aliases).
fn holds_int(api: &Api, t: &TypeRef) -> bool {
    fn walk(api: &Api, t: &TypeRef, depth: usize) -> bool {
        match t {
            TypeRef::I32 | TypeRef::I64 => true,
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) => walk(api, inner, depth),
            // A bound keeps a (malformed) cycle of aliases from recursing forever.
            TypeRef::Named(id) if depth < 16 => matches!(&api.type_def(*id).kind, TypeKind::Alias(target) if walk(api, target, depth + 1)),
            _ => false,
        }
    }
    walk(api, t, 0)
}

fn default_const(f: &Field) -> Option<TokenStream> {
    let cname = ident(f.default_const.as_deref()?);
    let d = f.default.as_ref()?;
    let doc = format!(" The spec's default for `{}`.", f.wire.escape_debug());
    let (ty, value) = match (&f.ty, d) {
        (TypeRef::Bool, serde_json::Value::Bool(b)) => (quote!(bool), quote!(#b)),
        (TypeRef::I32, v) => {
            let lit = Literal::i32_unsuffixed(i32::try_from(v.as_i64()?).ok()?);
            (quote!(i32), quote!(#lit))
        }
        (TypeRef::I64, v) => {
            let lit = Literal::i64_unsuffixed(v.as_i64()?);
            (quote!(i64), quote!(#lit))
        }
        (TypeRef::F32, v) => {
            let lit = Literal::f32_unsuffixed(v.as_f64()? as f32);
            (quote!(f32), quote!(#lit))
        }
        (TypeRef::F64, v) => {
            let lit = Literal::f64_unsuffixed(v.as_f64()?);
            (quote!(f64), quote!(#lit))
        }
        (TypeRef::String | TypeRef::Named(_) | TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date, serde_json::Value::String(s)) => {
            (quote!(&'static str), quote!(#s))
        }
        _ => return None,
    };
    Some(quote! {
        #[doc = #doc]
        pub const #cname: #ty = #value;
    })
}
