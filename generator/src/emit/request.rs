//! Emits the `request` module: one request value per operation, returned by
//! its `Client` method. Its type is the runtime's generic `Call<'a, O>` of
//! the operation's type `op::Name`, named `Name<'a>`; per operation this
//! module only adds the setters that fill optional inputs and the
//! `Operation` impl that decodes a response by status. The per-request
//! options (`timeout`, `max_retries`, `header`), `send` and `.await`
//! (through `IntoFuture`) are the runtime's, written once.
//!
//! Everything here is small and non-generic per operation: encoding,
//! sending and retrying are the shared runtime's.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Piece, doc_attrs, ident, type_tokens};
use crate::model::{
    Api, BodyKind, Encoding, Input, InputTarget, InputType, Operation, ParamLocation, Response, ResponseBody, StatusMatch, TypeRef,
};

/// The whole `request` module body: per operation, its request value's
/// name (a [`Call`](crate::runtime::Call) of its operation type), its
/// setters and its decoding; then the `op` module of operation types. The
/// same as [`request_part`] of all operations (the first part) followed by
/// [`op_module`].
pub fn request(api: &Api) -> TokenStream {
    let mut out = TokenStream::new();
    for piece in request_part(api, &api.operations, true, false) {
        if let Piece::Tokens(t) = piece {
            out.extend(t);
        }
    }
    out.extend(op_module(api));
    out
}

/// The request values of `ops`, a part of the operations, in order; the
/// `first` part starts with the module's doc. With `as_text`, each is
/// written as formatted text ([`request_text`]) where it can; without it,
/// all is tokens.
pub fn request_part(api: &Api, ops: &[Operation], first: bool, as_text: bool) -> Vec<Piece> {
    let mut tokens = if first {
        quote! {
            //! Request values: what each `Client` method returns. Set optional
            //! inputs and per-request options on it, then `.await` it to send.
        }
    } else {
        TokenStream::new()
    };
    let mut pieces = Vec::new();
    for op in ops {
        if as_text && let Some(text) = request_text(api, op) {
            pieces.push(Piece::Tokens(std::mem::take(&mut tokens)));
            pieces.extend(text);
            continue;
        }
        // Moved in, not interpolated: `quote!` would copy every item's tokens.
        // Behind the operation's features, like its `Client` method.
        tokens.extend(super::each_item(request_type(api, op), &super::cfg_attr(&op.features)));
    }
    pieces.push(Piece::Tokens(tokens));
    pieces.retain(|p| !matches!(p, Piece::Tokens(t) if t.is_empty()));
    pieces
}

/// The doc of an operation's request value.
fn request_doc(op: &Operation, success: &str, error: &str) -> String {
    format!(
        "The request of [`Client::{}`](crate::Client::{}) (`{} {}`): set optional inputs, then `.await` it (or call `send`) for a `Result<ResponseValue<{}>, Error<{}>>`.",
        crate::naming::unraw(&op.name),
        crate::naming::unraw(&op.name),
        op.method,
        op.path.replace('`', "'"),
        short_type(success),
        short_type(error),
    )
}

/// An operation's request value ([`request_type`]) as formatted text, the
/// text prettyplease prints for its tokens (a test compares the two), or
/// `None` where this does not lay it out the same: streamed and paginated
/// operations, a setter or decoding that does not fit the shapes below on
/// its lines.
fn request_text(api: &Api, op: &Operation) -> Option<Vec<Piece>> {
    use super::{MARGIN, wrapped};
    if super::stream::streamed(op).is_some() || super::stream::downloadable(op) {
        return None;
    }
    let cfg = super::cfg_line(&op.features);
    if cfg.len() > MARGIN {
        return None;
    }
    let name = &op.surface.request;
    let mut out = String::new();
    let text_of = |t: &Option<TypeRef>| t.as_ref().map_or_else(|| "()".to_owned(), |t| super::type_string(api, t));
    let (success, error) = (text_of(&op.success_type), text_of(&op.error_type));
    super::doc_text(&mut out, "", &request_doc(op, &success, &error));
    out.push_str(&cfg);
    wrapped(&format!("pub type {name}<'a> = "), &format!("crate::runtime::Call<'a, op::{name}>"), ";", 0, &mut out)?;
    // An item's first line, after its `cfg`: `None` if it is too wide.
    let head = |out: &mut String, line: String| {
        (line.len() <= MARGIN).then(|| {
            out.push_str(&cfg);
            out.push_str(&line);
            out.push('\n');
        })
    };
    let mut pieces = Vec::new();
    // A paginated operation's `pages` and `items` (tokens, formatted).
    let streams = if op.pagination.is_some() {
        let (_, error) = outcome_types(api, op);
        super::stream::methods(api, op, &error, || dispatch(api, op, false))
    } else {
        TokenStream::new()
    };
    if !op.surface.setters.is_empty() || !streams.is_empty() {
        head(&mut out, format!("impl<'a> {name}<'a> {{"))?;
        for input in &op.surface.setters {
            setter_text(api, op, input, &mut out)?;
        }
        if !streams.is_empty() {
            let name = ident(name);
            pieces.push(Piece::Text(std::mem::take(&mut out)));
            pieces.push(Piece::Inner(quote! { impl<'a> #name<'a> { #streams } }));
        }
        out.push_str("}\n");
    }
    head(&mut out, format!("impl crate::runtime::Operation for op::{name} {{"))?;
    wrapped("type Output = ", &success, ";", 4, &mut out)?;
    wrapped("type Error = ", &error, ";", 4, &mut out)?;
    out.push_str("    fn decode(response: crate::runtime::RawResponse) -> crate::runtime::Outcome<Self> {\n");
    out.push_str(&dispatch_text(api, op)?);
    out.push_str("    }\n}\n");
    pieces.push(Piece::Text(out));
    Some(pieces)
}

/// One setter ([`setter`]) as formatted text, if it has the layout this
/// writes: the signature on one line or one parameter per line; the call
/// on one line after `request: self.request`, or after `self` and
/// `.request` on lines of their own, its arguments on its line or one per
/// line.
fn setter_text(api: &Api, op: &Operation, input: &Input, out: &mut String) -> Option<()> {
    use super::MARGIN;
    let ty = super::type_text(setter_type(api, &input.ty));
    let mut signature = format!("    pub fn {}(self, value: {ty}) -> Self {{\n", input.name);
    if signature.len() - 1 > MARGIN {
        let value = format!("        value: {ty},\n");
        if value.len() - 1 > MARGIN {
            return None;
        }
        signature = format!("    pub fn {}(\n        self,\n{value}    ) -> Self {{\n", input.name);
    }
    let call = super::type_text(apply_input(api, op, input, TokenStream::new(), &quote!(value)));
    let mut body = format!("            request: self.request{call},\n");
    if body.len() - 1 > MARGIN {
        body = format!("            request: self\n                .request\n                {call},\n");
        if call.len() + 17 > MARGIN {
            let (method, args) = call.split_once('(')?;
            let args = args.strip_suffix(')')?;
            body = format!("            request: self\n                .request\n                {method}(\n");
            for arg in split_args(args)? {
                let line = format!("                    {arg},\n");
                if line.len() - 1 > MARGIN {
                    return None;
                }
                body.push_str(&line);
            }
            body.push_str("                ),\n");
        }
    }
    super::doc_text(out, "    ", &input_doc(op, input));
    if lint_sensitive(crate::naming::unraw(&input.name)) {
        out.push_str("    #[allow(clippy::wrong_self_convention, clippy::should_implement_trait)]\n");
    }
    out.push_str(&signature);
    out.push_str("        Self {\n");
    out.push_str(&body);
    out.push_str("            ..self\n        }\n    }\n");
    Some(())
}

/// The arguments of a call's text, split at its top-level commas; `None`
/// if the brackets or strings do not close.
pub(super) fn split_args(args: &str) -> Option<Vec<&str>> {
    Some(super::split_top_level(args, ',')?.into_iter().map(|a| a.trim_start_matches(',').trim()).collect())
}

/// The arms of a decoding by status, in match order (codes, ranges, then
/// `default`): `action` of each documented response (`true`: a success),
/// the success statuses left out without `success`.
fn arms<T>(op: &Operation, success: bool, action: impl Fn(&Response, bool) -> T) -> Vec<(StatusMatch, T)> {
    let successes = op.success.iter().filter(|_| success).map(|r| (r.status, action(r, true)));
    let mut arms: Vec<(StatusMatch, T)> = successes.chain(op.errors.iter().map(|r| (r.status, action(r, false)))).collect();
    arms.sort_by_key(|(s, _)| match s {
        StatusMatch::Code(c) => (0, *c),
        StatusMatch::Range(r) => (1, *r),
        StatusMatch::Default => (2, 0),
    });
    arms
}

/// The body of `decode` ([`dispatch`] with the success statuses) as
/// formatted text at the indentation of a method body, if each action is a
/// plain call (no closure).
fn dispatch_text(api: &Api, op: &Operation) -> Option<String> {
    let arms = arms(op, true, |r, success| plain_action(op, r, success));
    match arms.as_slice() {
        [(StatusMatch::Default, a)] => return Some(format!("        {}\n", (*a)?)),
        [] => return Some("        response.unexpected()\n".to_owned()),
        _ => {}
    }
    // A JSON body decoded into a variant of the response or error enum:
    // `response.map(|body| …)` or `response.error(|body| …)`, by status.
    let enum_json = |status: StatusMatch| -> Option<(&str, String)> {
        let (ty, method, r) = match op.success.iter().find(|r| r.status == status) {
            Some(r) => (op.success_type.as_ref().filter(|_| op.success_by_status), "map", r),
            None => (op.error_type.as_ref().filter(|_| op.errors_by_status), "error", op.errors.iter().find(|r| r.status == status)?),
        };
        match (ty, &r.body) {
            (Some(TypeRef::Named(e)), ResponseBody::Json(_)) => Some((method, format!("crate::types::{}::{}", api.type_name(*e), r.variant))),
            _ => None,
        }
    };
    let mut out = String::from("        match response.status.as_u16() {\n");
    for (status, a) in &arms {
        let pattern = match status {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(r) => format!("{}..={}", r * 100, r * 100 + 99),
            StatusMatch::Default => "_".to_owned(),
        };
        if let Some((method, path)) = enum_json(*status) {
            // The layout prettyplease gives it when neither the arm, nor the
            // call, nor the closure's body fits on one line.
            let decode = format!("crate::runtime::from_json(body).map({path})");
            let arm = format!("            {pattern} => response.{method}(|body| {decode}),");
            if arm.len() <= super::MARGIN || 16 + arm.len() - 12 - pattern.len() - 4 <= super::MARGIN || 24 + decode.len() <= super::MARGIN {
                return None;
            }
            let map = format!("                            .map({path})\n");
            let map = if map.len() - 1 <= super::MARGIN { map } else { format!("                            .map(\n                                {path},\n                            )\n") };
            out.push_str(&format!(
                "            {pattern} => {{\n                response\n                    .{method}(|body| {{\n                        crate::runtime::from_json(body)\n{map}                    }})\n            }}\n"
            ));
            continue;
        }
        out.push_str(&format!("            {pattern} => {},\n", (*a)?));
    }
    if !arms.iter().any(|(s, _)| *s == StatusMatch::Default) {
        out.push_str("            _ => response.unexpected(),\n");
    }
    out.push_str("        }\n");
    Some(out)
}

/// The `op` module of operation types, which ends the `request` module.
pub fn op_module(api: &Api) -> TokenStream {
    let markers: TokenStream = api.operations.iter().map(|op| super::each_item(marker(op), &super::cfg_attr(&op.features))).collect();
    quote! {
        /// One type per operation, naming it in its request value's type
        /// (`Call<'a, op::GetThing>`); each implements
        /// [`Operation`](crate::Operation): what the operation decodes to.
        pub mod op {
            #markers
        }
    }
}

/// [`op_module`] as formatted text (the text prettyplease prints for its
/// tokens; a test compares the two), or its tokens where a `cfg` line is
/// too wide to be sure of.
pub fn op_module_text(api: &Api) -> Piece {
    let mut out = String::from(
        "/// One type per operation, naming it in its request value's type\n\
         /// (`Call<'a, op::GetThing>`); each implements\n\
         /// [`Operation`](crate::Operation): what the operation decodes to.\n\
         pub mod op {\n",
    );
    for op in &api.operations {
        let cfg = super::cfg_line(&op.features);
        if cfg.len() + 4 > super::MARGIN {
            return Piece::Tokens(op_module(api));
        }
        out.push_str(&format!("    ///{}\n", marker_doc(op).trim_end_matches(' ')));
        if !cfg.is_empty() {
            out.push_str("    ");
            out.push_str(&cfg);
        }
        out.push_str(&format!("    #[derive(Debug)]\n    pub enum {} {{}}\n", op.surface.request));
    }
    if api.operations.is_empty() {
        out.truncate(out.len() - 1);
        out.push_str("}\n");
    } else {
        out.push_str("}\n");
    }
    Piece::Text(out)
}

/// The doc of an operation's type.
fn marker_doc(op: &Operation) -> String {
    super::doc_safe(&format!(" The `{} {}` operation.", op.method, op.path.replace('`', "'")))
}

/// The operation type of one operation (never a value: only named).
fn marker(op: &Operation) -> TokenStream {
    let name = ident(&op.surface.request);
    let doc = marker_doc(op);
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        pub enum #name {}
    }
}

/// The request value of one operation: its name, its setters and extra
/// methods, and its decoding (the generic [`Call`](crate::runtime::Call)
/// does the rest: per-request options, `send`, `IntoFuture`).
fn request_type(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.surface.request);
    let (success, error) = outcome_types(api, op);
    let doc = doc_attrs(Some(&request_doc(op, &success.to_string(), &error.to_string())));
    let setters: Vec<TokenStream> = op.surface.setters.iter().map(|s| setter(api, op, s)).collect();
    let streams = super::stream::methods(api, op, &error, || dispatch(api, op, false));
    let inherent = if setters.is_empty() && streams.is_empty() {
        quote!()
    } else {
        quote! {
            impl<'a> #name<'a> {
                #(#setters)*
                #streams
            }
        }
    };
    let (decode, send) = match super::stream::streamed(op) {
        Some((_, read)) => (dispatch(api, op, false), super::stream::send_streamed(op, &read)),
        None => (dispatch(api, op, true), quote!()),
    };
    quote! {
        #doc
        pub type #name<'a> = crate::runtime::Call<'a, op::#name>;

        #inherent

        impl crate::runtime::Operation for op::#name {
            type Output = #success;
            type Error = #error;
            fn decode(response: crate::runtime::RawResponse) -> crate::runtime::Outcome<Self> {
                #decode
            }
            #send
        }
    }
}

/// A type's tokens as short doc text: without the `crate::types::` and
/// `::std::…` paths.
fn short_type(t: &str) -> String {
    let text = t.replace(' ', "");
    let text = text.replace("crate::types::", "").replace("::std::vec::", "").replace("::std::string::", "").replace("::std::collections::", "");
    text.replace("::std::option::", "").replace("::serde_json::", "").replace("crate::", "").replace(',', ", ")
}

/// The success and error types (`()` for none); a streamed success is
/// its stream of items (`crate::EventStream<T>`).
fn outcome_types(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    let tokens = |t: &Option<TypeRef>| t.as_ref().map(|t| type_tokens(api, t)).unwrap_or_else(|| quote!(()));
    let success = tokens(&op.success_type);
    let success = match super::stream::streamed(op) {
        Some((wrapper, _)) => quote!(#wrapper<#success>),
        None => success,
    };
    (success, tokens(&op.error_type))
}

/// One setter: takes its value and sets the input.
fn setter(api: &Api, op: &Operation, input: &Input) -> TokenStream {
    let name = ident(&input.name);
    let ty = setter_type(api, &input.ty);
    let set = apply_input(api, op, input, quote!(self.request), &quote!(value));
    let doc = doc_attrs(Some(&input_doc(op, input)));
    // `as_…`, `is_…`, `to_…`, `from_…` or an operator's name taking `self`
    // by value is what these lints expect of other methods, not setters.
    let allow = if lint_sensitive(crate::naming::unraw(&input.name)) {
        quote!(#[allow(clippy::wrong_self_convention, clippy::should_implement_trait)])
    } else {
        quote!()
    };
    quote! {
        #doc
        #allow
        pub fn #name(self, value: #ty) -> Self {
            Self { request: #set, ..self }
        }
    }
}

/// Names clippy holds to conventions a by-value setter does not follow.
fn lint_sensitive(name: &str) -> bool {
    const OPERATORS: &[&str] = &["add", "sub", "mul", "div", "rem", "shl", "shr", "bitand", "bitor", "bitxor", "neg", "not"];
    ["as_", "is_", "to_", "from_"].iter().any(|p| name.starts_with(p)) || OPERATORS.contains(&name)
}

/// The doc of a setter or argument: what it sets, and the spec's description.
pub(super) fn input_doc(op: &Operation, input: &Input) -> String {
    let (what, doc) = match input.target {
        InputTarget::Param(i) => match op.params.get(i) {
            Some(p) => (format!("The `{}` {} parameter.", p.wire.replace('`', "'"), p.location.as_str()), p.doc.as_deref()),
            None => (String::new(), None),
        },
        InputTarget::Body => ("The request body.".to_owned(), op.body.as_ref().and_then(|b| b.doc.as_deref())),
    };
    match doc.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => format!("{what}\n\n{d}"),
        None => what,
    }
}

/// The Rust type an argument or setter takes.
pub(super) fn setter_type(api: &Api, t: &InputType) -> TokenStream {
    match t {
        InputType::Str => quote!(&str),
        InputType::Bytes => quote!(&[u8]),
        InputType::Slice(item) => {
            let item = type_tokens(api, item);
            quote!(&[#item])
        }
        InputType::Ref(t) => {
            let t = type_tokens(api, t);
            quote!(&#t)
        }
        InputType::IntoString => quote!(impl ::std::convert::Into<::std::string::String>),
        InputType::IntoBytes => quote!(impl ::std::convert::Into<::std::vec::Vec<u8>>),
        InputType::IntoFile => quote!(impl ::std::convert::Into<crate::FilePart>),
        InputType::Strings => {
            quote!(impl ::std::iter::IntoIterator<Item = impl ::std::convert::Into<::std::string::String>>)
        }
        InputType::Items(item) => {
            let item = type_tokens(api, item);
            quote!(impl ::std::iter::IntoIterator<Item = #item>)
        }
        InputType::Value(t) => type_tokens(api, t),
    }
}

/// An input's value (the variable `v`) as the reference the runtime's
/// encoders take: arguments are references already; setter values are
/// converted and borrowed.
fn value_ref(api: &Api, t: &InputType, v: &TokenStream) -> TokenStream {
    match t {
        InputType::Str | InputType::Bytes | InputType::Slice(_) | InputType::Ref(_) => quote!(#v),
        InputType::IntoString => quote!(&::std::convert::Into::<::std::string::String>::into(#v)),
        InputType::IntoBytes => quote!(&::std::convert::Into::<::std::vec::Vec<u8>>::into(#v)),
        InputType::IntoFile => quote!(&::std::convert::Into::<crate::FilePart>::into(#v)),
        InputType::Strings => quote! {
            &#v.into_iter().map(::std::convert::Into::into).collect::<::std::vec::Vec<::std::string::String>>()
        },
        InputType::Items(item) => {
            let item = type_tokens(api, item);
            quote!(&#v.into_iter().collect::<::std::vec::Vec<#item>>())
        }
        InputType::Value(_) => quote!(&#v),
    }
}

/// The bytes of a raw (binary or text) body input `v`, owned.
fn body_bytes(t: &InputType, v: &TokenStream) -> TokenStream {
    match t {
        InputType::IntoBytes => quote!(::std::convert::Into::<::std::vec::Vec<u8>>::into(#v)),
        InputType::IntoString => quote!(::std::string::String::into_bytes(::std::convert::Into::into(#v))),
        InputType::Str => quote!(#v.as_bytes().to_vec()),
        _ => quote!(#v.to_vec()),
    }
}

/// The runtime's name for an encoding.
pub(super) fn style(e: Encoding) -> TokenStream {
    let variant = ident(style_name(e));
    quote!(crate::runtime::Style::#variant)
}

/// The name of the runtime's `Style` variant for an encoding.
pub(super) fn style_name(e: Encoding) -> &'static str {
    match e {
        Encoding::Scalar => "Scalar",
        Encoding::Exploded => "Exploded",
        Encoding::CommaJoined => "CommaJoined",
        Encoding::SpaceJoined => "SpaceJoined",
        Encoding::PipeJoined => "PipeJoined",
        Encoding::DeepObject => "DeepObject",
        Encoding::FormObject => "FormObject",
        Encoding::ObjectCommaJoined => "ObjectCommaJoined",
    }
}

/// The parameter slot of query, header and cookie parameter `index`: its
/// place among them, in the operation's parameter order.
pub(super) fn slot(op: &Operation, index: usize) -> usize {
    op.params.iter().take(index).filter(|p| p.location != ParamLocation::Path).count()
}

/// `REQUEST.…(v)`: sets `input` (its value in the variable `v`) on the
/// runtime request `request`. Path parameters are not inputs set this way:
/// they are written into the path when the request is made.
pub(super) fn apply_input(api: &Api, op: &Operation, input: &Input, request: TokenStream, v: &TokenStream) -> TokenStream {
    match input.target {
        InputTarget::Param(i) => {
            let Some(p) = op.params.get(i) else { return request };
            let wire = p.wire.as_str();
            let st = style(p.encoding);
            let n = Literal::usize_unsuffixed(slot(op, i));
            let value = value_ref(api, &input.ty, v);
            match p.location {
                ParamLocation::Query => quote!(#request.query(#n, #wire, #st, #value)),
                ParamLocation::Header => quote!(#request.header(#n, #wire, #st, #value)),
                ParamLocation::Cookie => quote!(#request.cookie(#n, #wire, #st, #value)),
                ParamLocation::Path => request,
            }
        }
        InputTarget::Body => {
            let Some(b) = &op.body else { return request };
            let media = if b.media_type.contains('*') { "application/octet-stream".to_owned() } else { b.media_type.clone() };
            let value = value_ref(api, &input.ty, v);
            let encoding = b.encoding.iter().map(|(wire, media)| quote!((#wire, #media)));
            match b.kind {
                BodyKind::Json => quote!(#request.json(#value)),
                BodyKind::Form if b.by_parts => quote!(#request.parts(#value, false, &[])),
                BodyKind::Form => quote!(#request.form(#value)),
                BodyKind::Multipart if b.by_parts => quote!(#request.parts(#value, true, &[#(#encoding),*])),
                BodyKind::Multipart => quote!(#request.multipart(#value, &[#(#encoding),*])),
                BodyKind::Bytes if input.ty == InputType::IntoFile => {
                    quote!(#request.file(#media, ::std::convert::Into::<crate::FilePart>::into(#v)))
                }
                BodyKind::Bytes | BodyKind::Text => {
                    let bytes = body_bytes(&input.ty, v);
                    quote!(#request.bytes(#media, #bytes))
                }
            }
        }
    }
}

/// The decoding of each documented status (a `match` on the status, or the
/// one action when only `default` is documented); without `success`, of
/// the error statuses only (the success was streamed).
fn dispatch(api: &Api, op: &Operation, success: bool) -> TokenStream {
    let arms = arms(op, success, |r, success| if success { success_action(api, op, r) } else { error_action(api, op, r) });
    // Only a catch-all (`default` alone), or nothing: no `match` on the status.
    match arms.as_slice() {
        [(StatusMatch::Default, action)] => return quote!(#action),
        [] => return quote!(response.unexpected()),
        _ => {}
    }
    let has_default = arms.iter().any(|(s, _)| *s == StatusMatch::Default);
    let mut arm_tokens: Vec<TokenStream> = arms.iter().map(|(s, action)| {
        let pat = status_pattern(*s);
        quote!(#pat => #action,)
    }).collect();
    if !has_default {
        arm_tokens.push(quote!(_ => response.unexpected(),));
    }
    quote! {
        match response.status.as_u16() {
            #(#arm_tokens)*
        }
    }
}

pub(super) fn status_pattern(s: StatusMatch) -> TokenStream {
    match s {
        StatusMatch::Code(c) => {
            let l = Literal::u16_unsuffixed(c);
            quote!(#l)
        }
        StatusMatch::Range(r) => {
            let lo = Literal::u16_unsuffixed(r * 100);
            let hi = Literal::u16_unsuffixed(r * 100 + 99);
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// How a documented response is decoded when that is one runtime call
/// without a closure (`response.json()`), as code text; `None` for a
/// closure (into a response or error enum's variant, or text errors).
fn plain_action(op: &Operation, r: &Response, success: bool) -> Option<&'static str> {
    if success {
        if let Some(TypeRef::Named(_)) = op.success_type.as_ref().filter(|_| op.success_by_status) {
            return None;
        }
        return Some(match (&op.success_type, &r.body) {
            (None, _) | (Some(_), ResponseBody::Empty) => "response.empty()",
            (Some(_), ResponseBody::Json(_)) => "response.json()",
            // A streamed success is returned before decoding (`stream::send_streaming`).
            (Some(_), ResponseBody::Text | ResponseBody::Events(_) | ResponseBody::JsonLines { .. }) => "response.text()",
            (Some(_), ResponseBody::Bytes) => "response.bytes()",
        });
    }
    let error_enum = op.error_type.as_ref().filter(|_| op.errors_by_status);
    match (&op.error_type, error_enum, &r.body) {
        (Some(_), Some(TypeRef::Named(_)), ResponseBody::Json(_) | ResponseBody::Text) | (Some(_), None, ResponseBody::Text) => None,
        (Some(_), None, ResponseBody::Json(_)) => Some("response.error(crate::runtime::from_json)"),
        _ => Some("response.error_untyped()"),
    }
}

/// How a documented success response is decoded.
fn success_action(api: &Api, op: &Operation, r: &Response) -> TokenStream {
    if let Some(call) = plain_action(op, r, true) {
        return call.parse().unwrap_or_default();
    }
    match op.success_type.as_ref() {
        Some(TypeRef::Named(e)) => enum_decode(r, api.type_name(*e), quote!(map)),
        _ => quote!(response.unexpected()),
    }
}

/// How a documented error response is decoded.
fn error_action(api: &Api, op: &Operation, r: &Response) -> TokenStream {
    if let Some(call) = plain_action(op, r, false) {
        return call.parse().unwrap_or_default();
    }
    match op.error_type.as_ref() {
        Some(TypeRef::Named(e)) if op.errors_by_status => enum_decode(r, api.type_name(*e), quote!(error)),
        _ => quote!(response.error(|body| ::std::result::Result::Ok(::std::string::String::from_utf8_lossy(body).into_owned()))),
    }
}

/// Decodes one response into its variant of the operation's response or error enum.
fn enum_decode(r: &Response, enum_name: &str, method: TokenStream) -> TokenStream {
    let e = ident(enum_name);
    let v = ident(&r.variant);
    let path = quote!(crate::types::#e::#v);
    match &r.body {
        ResponseBody::Json(_) => quote!(response.#method(|body| crate::runtime::from_json(body).map(#path))),
        // A stream is never a variant of a response enum (the model reads it as text then).
        ResponseBody::Text | ResponseBody::Events(_) | ResponseBody::JsonLines { .. } => {
            quote!(response.#method(|body| ::std::result::Result::Ok(#path(::std::string::String::from_utf8_lossy(body).into_owned()))))
        }
        ResponseBody::Bytes => quote!(response.#method(|body| ::std::result::Result::Ok(#path(body.to_vec())))),
        ResponseBody::Empty => quote!(response.#method(|_| ::std::result::Result::Ok(#path))),
    }
}
