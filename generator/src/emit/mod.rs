//! Stage 3, emit: model → token streams (with `quote!`) and the few files
//! that are not Rust (`Cargo.toml`). Names come from the model; this stage
//! decides none. Paths in generated code are fully qualified (`::std::…`,
//! `::serde::…`, `crate::types::…`) so no spec name can shadow them.
//!
//! The items a big spec has thousands of (structs, enums, aliases, request
//! values, `Client` methods) are also written as formatted text, the text
//! prettyplease prints for their tokens, where their layout is one this
//! stage knows ([`Piece`]): parsing and formatting tokens was most of the
//! generation time. The token writers stay the reference: a test compares
//! the two outputs byte for byte.

pub mod client;
pub mod krate;
pub mod request;
pub mod stream;
pub mod types;

use proc_macro2::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};

use crate::model::{Api, TypeRef};

/// A piece of a generated file, in order: items to format, or items that
/// are already formatted text (one `de_struct!` call per struct and one
/// `open_enum!` call per open enum, written one field or value per line so
/// that a field or value added is a one-line diff; prettyplease would pack
/// a macro's tokens into lines, reflowing the rest).
pub enum Piece {
    /// Items, formatted by `render`.
    Tokens(TokenStream),
    /// Items as formatted text, each line ending in `\n`.
    Text(String),
    /// One item (`impl X { … }`) whose first and last lines are dropped
    /// once formatted: its inner items, to go between text pieces that
    /// write the rest of the block.
    Inner(TokenStream),
}

/// The widest line prettyplease keeps whole when it could break it.
pub const MARGIN: usize = 89;

/// Writes `prefix`, type text `ty` and `suffix` as one line at `indent`,
/// or, when that is wider than [`MARGIN`] and `ty` has generic arguments,
/// broken as prettyplease breaks them: `Path<` on the first line, each
/// argument on its own line one level in (broken the same way when it is
/// too wide), then `>` and `suffix`. `None` for a wide type of another
/// shape.
pub fn wrapped(prefix: &str, ty: &str, suffix: &str, indent: usize, out: &mut String) -> Option<()> {
    let pad = " ".repeat(indent);
    // An argument's comma (of the broken list around it) does not count.
    let counted = if prefix.is_empty() { 0 } else { suffix.len() };
    if indent + prefix.len() + ty.len() + counted <= MARGIN || !ty.contains('<') {
        out.push_str(&format!("{pad}{prefix}{ty}{suffix}\n"));
        return Some(());
    }
    let (path, args) = ty.split_once('<')?;
    let args = args.strip_suffix('>')?;
    if path.contains(['(', '[', '&', ' ']) {
        return None;
    }
    out.push_str(&format!("{pad}{prefix}{path}<\n"));
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in args.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                wrapped("", args[start..i].trim(), ",", indent + 4, out)?;
                start = i + 1;
            }
            _ => {}
        }
    }
    wrapped("", args[start..].trim(), ",", indent + 4, out)?;
    out.push_str(&format!("{pad}>{suffix}\n"));
    Some(())
}

/// Code text split before each `at` outside brackets and string
/// literals (each piece after the first starts with `at`): a method chain
/// into its receiver and calls, arguments at their commas. `None` if the
/// brackets or strings do not close.
pub fn split_top_level(text: &str, at: char) -> Option<Vec<&str>> {
    let mut out = Vec::new();
    let (mut depth, mut start, mut in_str, mut escaped) = (0usize, 0, false, false);
    for (i, c) in text.char_indices() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '(' | '[' | '<' => depth += 1,
            ')' | ']' | '>' => depth = depth.checked_sub(1)?,
            c if c == at && depth == 0 => {
                out.push(&text[start..i]);
                start = i;
            }
            _ => {}
        }
    }
    (depth == 0 && !in_str).then(|| {
        out.push(&text[start..]);
        out
    })
}

/// A string literal's text as tokens print it (`Literal::string`), without
/// making the token for the common case of a string with nothing to escape.
pub fn string_literal(s: &str) -> String {
    if s.bytes().all(|b| b.is_ascii_alphanumeric() || b" _-./:@$+*,;=!?#%&()[]{}<>|~^`".contains(&b)) {
        format!("\"{s}\"")
    } else {
        proc_macro2::Literal::string(s).to_string()
    }
}

/// `#[cfg(...)]` of [`cfg_attr`] as a line of text (empty for no features).
pub fn cfg_line(features: &[String]) -> String {
    let attr = cfg_attr(features);
    if attr.is_empty() { String::new() } else { format!("{}\n", type_text(attr)) }
}

/// Type tokens (of [`type_tokens`]) as text, spaced as prettyplease prints a
/// type: `::std::option::Option<crate::types::Pet>`, `&'a str`, `(A, B)`;
/// also an attribute like [`cfg_attr`]'s (`#[cfg(feature = "a")]`).
pub fn type_text(tokens: TokenStream) -> String {
    fn walk(tokens: TokenStream, out: &mut String) {
        // The previous token was a word (identifier or literal): a word after it needs a space.
        let mut after_word = false;
        // The previous token was a keyword (`mut`, `dyn`): a group after it needs a space too.
        let mut after_keyword = false;
        for tt in tokens {
            let keyword = matches!(&tt, TokenTree::Ident(i) if ["mut", "dyn", "impl", "const"].iter().any(|k| i == k));
            match tt {
                TokenTree::Ident(i) => {
                    if after_word {
                        out.push(' ');
                    }
                    out.push_str(&i.to_string());
                    after_word = true;
                }
                TokenTree::Literal(l) => {
                    if after_word {
                        out.push(' ');
                    }
                    out.push_str(&l.to_string());
                    after_word = true;
                }
                TokenTree::Punct(p) => {
                    if after_keyword {
                        out.push(' ');
                    }
                    match p.as_char() {
                        ',' | ';' => out.extend([p.as_char(), ' ']),
                        '+' | '=' => out.extend([' ', p.as_char(), ' ']),
                        c => out.push(c),
                    }
                    after_word = false;
                }
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::None => ("", ""),
                    };
                    if after_keyword {
                        out.push(' ');
                    }
                    out.push_str(open);
                    walk(g.stream(), out);
                    out.push_str(close);
                    after_word = true;
                }
            }
            after_keyword = keyword;
        }
    }
    let mut out = String::new();
    walk(tokens, &mut out);
    out
}

/// A Rust identifier from a final name (raw identifiers allowed).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The tokens of a type reference (named types resolved through `api`).
pub fn type_tokens(api: &Api, t: &TypeRef) -> TokenStream {
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
        TypeRef::File => quote!(crate::FilePart),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        TypeRef::Named(id) => {
            let n = ident(api.type_name(*id));
            quote!(crate::types::#n)
        }
        // Checked to be a type path when it entered the model.
        TypeRef::External(path) => syn::parse_str::<syn::Type>(path).map(|t| quote!(#t)).unwrap_or_else(|_| quote!(::serde_json::Value)),
        TypeRef::Vec(i) => {
            let i = type_tokens(api, i);
            quote!(::std::vec::Vec<#i>)
        }
        TypeRef::Map(i) => {
            let i = type_tokens(api, i);
            quote!(::std::collections::BTreeMap<::std::string::String, #i>)
        }
        TypeRef::Option(i) => {
            let i = type_tokens(api, i);
            quote!(::std::option::Option<#i>)
        }
        TypeRef::Boxed(i) => {
            let i = type_tokens(api, i);
            quote!(::std::boxed::Box<#i>)
        }
    }
}

/// [`type_tokens`] as text ([`type_text`] of them), written directly: the
/// types of a big spec's fields are many, and tokens are not free.
pub fn type_string(api: &Api, t: &TypeRef) -> String {
    let mut out = String::new();
    push_type(api, t, &mut out);
    out
}

fn push_type(api: &Api, t: &TypeRef, out: &mut String) {
    let wrap = |open: &str, inner: &TypeRef, out: &mut String| {
        out.push_str(open);
        push_type(api, inner, out);
        out.push('>');
    };
    match t {
        TypeRef::String => out.push_str("::std::string::String"),
        TypeRef::Bool => out.push_str("bool"),
        TypeRef::I32 => out.push_str("i32"),
        TypeRef::I64 => out.push_str("i64"),
        TypeRef::F32 => out.push_str("f32"),
        TypeRef::F64 => out.push_str("f64"),
        TypeRef::Uuid => out.push_str("::uuid::Uuid"),
        TypeRef::DateTime => out.push_str("::chrono::DateTime<::chrono::Utc>"),
        TypeRef::Date => out.push_str("::chrono::NaiveDate"),
        TypeRef::Bytes => out.push_str("::std::vec::Vec<u8>"),
        TypeRef::File => out.push_str("crate::FilePart"),
        TypeRef::Json => out.push_str("::serde_json::Value"),
        TypeRef::JsonObject => out.push_str("::serde_json::Map<::std::string::String, ::serde_json::Value>"),
        TypeRef::Named(id) => {
            out.push_str("crate::types::");
            out.push_str(api.type_name(*id));
        }
        TypeRef::External(_) => out.push_str(&type_text(type_tokens(api, t))),
        TypeRef::Vec(i) => wrap("::std::vec::Vec<", i, out),
        TypeRef::Map(i) => wrap("::std::collections::BTreeMap<::std::string::String, ", i, out),
        TypeRef::Option(i) => wrap("::std::option::Option<", i, out),
        TypeRef::Boxed(i) => wrap("::std::boxed::Box<", i, out),
    }
}

/// `#[cfg(feature = "a")]` or `#[cfg(any(feature = "a", feature = "b"))]`
/// for an item compiled only with one of `features`; nothing when empty.
pub fn cfg_attr(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        several => quote!(#[cfg(any(#(feature = #several),*))]),
    }
}

/// Puts `attr` on every top-level item of `items`, after the item's doc
/// attributes (an item ends after a `;` or a `{ … }` block at the top level;
/// attributes and the item's other groups are inside it).
pub fn each_item(items: TokenStream, attr: &TokenStream) -> TokenStream {
    if attr.is_empty() {
        return items;
    }
    let is_doc = |g: &Group| g.delimiter() == Delimiter::Bracket && matches!(g.stream().into_iter().next(), Some(TokenTree::Ident(i)) if i == "doc");
    let mut out = TokenStream::new();
    // Before the item's first token that is not part of a doc attribute.
    let mut pending = true;
    let mut iter = items.into_iter().peekable();
    while let Some(tt) = iter.next() {
        if pending {
            let doc_attr = matches!(&tt, TokenTree::Punct(p) if p.as_char() == '#')
                && matches!(iter.peek(), Some(TokenTree::Group(g)) if is_doc(g));
            if doc_attr {
                out.extend([tt]);
                out.extend(iter.next());
                continue;
            }
            out.extend(attr.clone());
        }
        pending = match &tt {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace,
            _ => false,
        };
        out.extend([tt]);
    }
    out
}

/// Adds `derives` (paths) to the first `#[derive(…)]` of `items`.
pub fn add_derives(items: TokenStream, derives: &[String]) -> TokenStream {
    if derives.is_empty() {
        return items;
    }
    let extra: Vec<TokenStream> = derives.iter().filter_map(|d| syn::parse_str::<syn::Path>(d).ok()).map(|p| quote!(#p)).collect();
    let mut done = false;
    items
        .into_iter()
        .map(|tt| match tt {
            TokenTree::Group(g) if !done && g.delimiter() == Delimiter::Bracket => {
                let mut inner = g.stream().into_iter();
                match (inner.next(), inner.next(), inner.next()) {
                    (Some(TokenTree::Ident(id)), Some(TokenTree::Group(list)), None) if id == "derive" => {
                        done = true;
                        let list = list.stream();
                        let mut group = Group::new(Delimiter::Bracket, quote!(derive(#list, #(#extra),*)));
                        group.set_span(g.span());
                        TokenTree::Group(group)
                    }
                    _ => TokenTree::Group(g),
                }
            }
            other => other,
        })
        .collect()
}

/// The items of one named type with its extra derives and its feature gate.
pub fn decorate(t: &crate::model::TypeDef, items: TokenStream) -> TokenStream {
    each_item(add_derives(items, &t.derives), &cfg_attr(&t.features))
}

/// A type reference as Rust source text for code outside the generated
/// crate (test harnesses, `cargo xtask examples`): [`type_tokens`] with the
/// generated crate's root `crate` replaced by `root` (such as `::my_client`).
pub fn type_path(api: &Api, t: &TypeRef, root: &str) -> String {
    type_tokens(api, t).to_string().replace("crate ::", &format!("{root} ::"))
}

/// The width of a Markdown list marker starting `line` (`- `, `* `, `+ `,
/// `1. `, `1) `), if it is a list item.
fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") "))).then_some(digits + 2)
}

/// `#[doc = …]` attributes for spec text, made safe for rustdoc: code fences
/// become `text` blocks (never doctests), indentation that would make an
/// indented code block is removed.
///
/// Inside [`with_doc_text`], the lines are set aside and one marker
/// attribute stands for them (see there).
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else { return TokenStream::new() };
    let lines = doc_lines(doc);
    if lines.is_empty() {
        return TokenStream::new();
    }
    let set_aside = DOC_TEXT.with(|docs| {
        docs.borrow_mut().as_mut().map(|docs| {
            docs.push(lines.clone());
            format!("{DOC_MARKER}{}", docs.len() - 1)
        })
    });
    match set_aside {
        Some(marker) => quote! { #[doc = #marker] },
        None => quote! { #( #[doc = #lines] )* },
    }
}

/// Starts the text of a doc marker attribute: `#[doc = "\u{7}12"]` stands
/// for the doc lines numbered 12. Doc lines never contain it ([`doc_safe`]
/// shows control characters escaped).
pub const DOC_MARKER: char = '\u{7}';

thread_local! {
    /// The doc lines set aside by [`doc_attrs`] inside [`with_doc_text`].
    static DOC_TEXT: std::cell::RefCell<Option<Vec<Vec<String>>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `emit` with the spec's doc text set aside: each [`doc_attrs`] gives
/// one short marker attribute instead of an attribute per line, and its
/// lines are returned, numbered by marker, for `render::fill_docs` to put
/// back after formatting. Long doc text is most of a big spec's output, and
/// it need not go through the Rust parser and the formatter: prettyplease
/// prints a doc attribute as one `///` line at the item's indentation
/// whatever its length, so a marker has the layout of the lines it stands
/// for and the result is byte-identical (a test checks it).
pub fn with_doc_text<R>(emit: impl FnOnce() -> R) -> (R, Vec<Vec<String>>) {
    let outer = DOC_TEXT.with(|docs| docs.borrow_mut().replace(Vec::new()));
    let result = emit();
    let docs = DOC_TEXT.with(|docs| std::mem::replace(&mut *docs.borrow_mut(), outer)).unwrap_or_default();
    (result, docs)
}

/// Spec text as formatted `///` lines at `indent`: [`doc_lines`] as
/// prettyplease prints the attributes [`doc_attrs`] makes of them.
pub fn doc_text(out: &mut String, indent: &str, doc: &str) {
    doc_line_text(out, indent, &doc_lines(doc));
}

/// [`doc_lines`]' lines as formatted `///` lines at `indent` (trimmed as
/// prettyplease trims doc lines).
pub fn doc_line_text(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        out.push_str(indent);
        out.push_str("///");
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
}

/// The doc text as `#[doc]` line strings (each with a leading space).
pub fn doc_lines(doc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    // Inside a list item: the indentation its continuation lines need
    // (a lazy continuation reads as an accident to rustdoc and clippy).
    let mut item_indent: Option<usize> = None;
    let doc = doc.replace('\t', "    ");
    for line in doc.trim().lines() {
        let trimmed = line.trim_start();
        let mut text = if in_fence { line.trim_end().to_owned() } else { trimmed.trim_end().to_owned() };
        if !in_fence {
            if text.is_empty() || text.starts_with("```") || text.starts_with("~~~") {
                item_indent = None;
            } else if let Some(width) = list_marker_width(&text) {
                item_indent = Some(width);
            } else if let Some(width) = item_indent {
                text = format!("{}{text}", " ".repeat(width));
            }
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !in_fence {
                text = format!("{}text", &trimmed[..3]);
            } else {
                text = trimmed[..3].to_owned();
            }
            in_fence = !in_fence;
        }
        out.push(if text.is_empty() { String::new() } else { format!(" {}", doc_safe(&text)) });
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    out
}

/// One line of doc text made acceptable to rustc in a `///` comment: a bare
/// carriage return is an error there, and so are the Unicode text-direction
/// controls (shown escaped instead, as rustc suggests); other control
/// characters are shown escaped as well.
pub fn doc_safe(line: &str) -> String {
    // Most text is printable ASCII, which stays as it is.
    if line.bytes().all(|b| (b' '..=b'~').contains(&b) || b == b'\t') {
        return line.to_owned();
    }
    let mut out = String::with_capacity(line.len());
    for c in line.chars() {
        match c {
            '\r' => out.push(' '),
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => out.push_str(&c.escape_unicode().to_string()),
            // Other invisible controls (NUL, escape, …) are shown escaped too.
            c if c.is_control() && c != '\t' => out.push_str(&c.escape_debug().to_string()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `type_text` spaces a type as prettyplease prints it.
    #[test]
    fn type_text_matches_prettyplease() {
        let types = [
            "::std::option::Option<crate::types::Pet>",
            "crate::Nullable<::std::vec::Vec<::std::vec::Vec<u8>>>",
            "::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>",
            "&'static str",
            "&mut [u8]",
            "(i64, ::std::string::String)",
            "()",
            "[u8; 4]",
            "::std::boxed::Box<dyn ::std::error::Error + Send + Sync>",
            "rust_decimal::Decimal",
        ];
        for ty in types {
            let parsed: syn::Type = syn::parse_str(ty).expect("a type");
            let file: syn::File = syn::parse_quote!(type T = #parsed;);
            let printed = prettyplease::unparse(&file);
            let expected = printed.trim().trim_start_matches("type T = ").trim_end_matches(';');
            assert_eq!(type_text(quote!(#parsed)), expected, "{ty}");
        }
    }

    #[test]
    fn type_string_is_the_text_of_type_tokens() {
        use crate::model::{TypeDef, TypeKind};
        let pet = TypeDef::new("Pet".to_owned(), String::new(), None, TypeKind::Alias(TypeRef::Json));
        let api = Api {
            title: "T".to_owned(),
            description: None,
            spec_version: "1".to_owned(),
            default_server: None,
            auth: Vec::new(),
            types: vec![pet],
            operations: Vec::new(),
            warnings: Vec::new(),
            dependencies: Vec::new(),
            features: None,
        };
        let leaves = [
            TypeRef::String, TypeRef::Bool, TypeRef::I32, TypeRef::I64, TypeRef::F32, TypeRef::F64, TypeRef::Uuid, TypeRef::DateTime,
            TypeRef::Date, TypeRef::Bytes, TypeRef::File, TypeRef::Json, TypeRef::JsonObject, TypeRef::Named(crate::model::TypeId(0)),
            TypeRef::External("rust_decimal::Decimal".to_owned()), TypeRef::External("std::collections::BTreeSet<String>".to_owned()),
        ];
        for leaf in leaves {
            let boxed = |t: &TypeRef| Box::new(t.clone());
            let nested = [
                leaf.clone(),
                TypeRef::Vec(boxed(&leaf)),
                TypeRef::Map(boxed(&TypeRef::Option(boxed(&leaf)))),
                TypeRef::Boxed(boxed(&TypeRef::Vec(boxed(&TypeRef::Map(boxed(&leaf)))))),
            ];
            for t in nested {
                assert_eq!(type_string(&api, &t), type_text(type_tokens(&api, &t)), "{t:?}");
            }
        }
    }

    #[test]
    fn string_literal_is_the_token_text() {
        for s in ["", "a-b_c.d/e:f", "with space", "quote\"d", "back\\slash", "new\nline", "tab\t", "ünï", "it's", "{x}[y](z)", "\u{7}"] {
            assert_eq!(string_literal(s), proc_macro2::Literal::string(s).to_string(), "{s:?}");
        }
    }

    #[test]
    fn cfg_line_names_each_feature() {
        assert_eq!(cfg_line(&[]), "");
        assert_eq!(cfg_line(&["repos".to_owned()]), "#[cfg(feature = \"repos\")]\n");
        assert_eq!(cfg_line(&["a".to_owned(), "b-c".to_owned()]), "#[cfg(any(feature = \"a\", feature = \"b-c\"))]\n");
    }
}
