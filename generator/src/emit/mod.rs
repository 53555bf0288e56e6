//! Stage 3, emit: model → token streams (with `quote!`) and the few files
//! that are not Rust (`Cargo.toml`). Names come from the model; this stage
//! decides none. Paths in generated code are fully qualified (`::std::…`,
//! `::serde::…`, `crate::types::…`) so no spec name can shadow them.

pub mod client;
pub mod krate;
pub mod types;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::TypeRef;

/// A Rust identifier from a final name (raw identifiers allowed).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The tokens of a type reference.
pub fn type_tokens(t: &TypeRef) -> TokenStream {
    match t {
        TypeRef::String => quote!(::std::string::String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Bytes => quote!(::std::vec::Vec<u8>),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        TypeRef::Named(n) => {
            let n = ident(n);
            quote!(crate::types::#n)
        }
        TypeRef::Vec(i) => {
            let i = type_tokens(i);
            quote!(::std::vec::Vec<#i>)
        }
        TypeRef::Map(i) => {
            let i = type_tokens(i);
            quote!(::std::collections::BTreeMap<::std::string::String, #i>)
        }
        TypeRef::Option(i) => {
            let i = type_tokens(i);
            quote!(::std::option::Option<#i>)
        }
        TypeRef::Boxed(i) => {
            let i = type_tokens(i);
            quote!(::std::boxed::Box<#i>)
        }
    }
}

/// `#[doc = …]` attributes for spec text, made safe for rustdoc: code fences
/// become `text` blocks (never doctests), indentation that would make an
/// indented code block is removed.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else { return TokenStream::new() };
    let lines = doc_lines(doc);
    quote! { #( #[doc = #lines] )* }
}

/// The doc text as `#[doc]` line strings (each with a leading space).
pub fn doc_lines(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in doc.trim().lines() {
        let trimmed = line.trim_start();
        let mut text = if in_fence { line.trim_end().to_owned() } else { trimmed.trim_end().to_owned() };
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !in_fence {
                text = format!("{}text", &trimmed[..3]);
            } else {
                text = trimmed[..3].to_owned();
            }
            in_fence = !in_fence;
        }
        out.push(if text.is_empty() { String::new() } else { format!(" {text}") });
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    out
}
