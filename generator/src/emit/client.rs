//! Emits the `client` module: one async method per operation on `Client`,
//! and the credential methods of `ClientBuilder` the spec's security schemes
//! call for. Each method only states its inputs and how to decode; the
//! shared runtime does the rest.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, ident, type_tokens};
use crate::model::{
    Api, AuthKind, BodyKind, Encoding, InputType, Operation, Param, ParamLocation, Response, ResponseBody, SegmentPart,
    StatusMatch, TypeRef,
};

/// The whole `client` module body.
pub fn client(api: &Api) -> TokenStream {
    let ops = api.operations.iter().map(|op| operation(api, op));
    let auth = api.auth.iter().map(|a| {
        let m = ident(&a.method);
        let mut text = match &a.kind {
            AuthKind::Bearer => format!("Sends `Authorization: Bearer <token>` with every request (security scheme `{}`).", a.spec_name),
            AuthKind::Basic => format!("Sends HTTP basic authentication with every request (security scheme `{}`).", a.spec_name),
            AuthKind::Header(h) => format!("Sends the API key in the `{h}` header with every request (security scheme `{}`).", a.spec_name),
            AuthKind::Query(q) => format!("Sends the API key in the `{q}` query parameter with every request (security scheme `{}`).", a.spec_name),
        };
        if let Some(d) = &a.doc {
            text.push_str("\n\n");
            text.push_str(d);
        }
        text.push_str("\n\nThe credential never appears in `Debug` output or errors.");
        let doc = doc_attrs(Some(&text));
        match &a.kind {
            AuthKind::Bearer => quote! {
                #doc
                pub fn #m(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.bearer(token)
                }
            },
            AuthKind::Basic => quote! {
                #doc
                pub fn #m(
                    self,
                    user: impl ::std::convert::Into<::std::string::String>,
                    password: ::std::option::Option<::std::string::String>,
                ) -> Self {
                    self.basic(user, password)
                }
            },
            AuthKind::Header(h) => quote! {
                #doc
                pub fn #m(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.api_key_header(#h, key)
                }
            },
            AuthKind::Query(q) => quote! {
                #doc
                pub fn #m(self, key: impl ::std::convert::Into<::std::string::String>) -> Self {
                    self.api_key_query(#q, key)
                }
            },
        }
    });
    let auth_block = if api.auth.is_empty() {
        quote!()
    } else {
        quote! { impl crate::ClientBuilder { #(#auth)* } }
    };
    let server = api.default_server.as_ref().map(|url| {
        quote! {
            impl crate::Client {
                /// The server the API documents.
                pub const DEFAULT_BASE_URL: &'static str = #url;
            }
        }
    });
    quote! {
        //! One method per API operation.
        #server
        #auth_block
        impl crate::Client {
            #(#ops)*
        }
    }
}

/// The Rust type an argument takes.
fn input_type(api: &Api, t: &InputType) -> TokenStream {
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
        InputType::Optional(inner) => {
            let inner = input_type(api, inner);
            quote!(::std::option::Option<#inner>)
        }
    }
}

/// The runtime's name for an encoding.
fn style(e: Encoding) -> TokenStream {
    let variant = match e {
        Encoding::Scalar => quote!(Scalar),
        Encoding::Exploded => quote!(Exploded),
        Encoding::CommaJoined => quote!(CommaJoined),
        Encoding::SpaceJoined => quote!(SpaceJoined),
        Encoding::PipeJoined => quote!(PipeJoined),
        Encoding::DeepObject => quote!(DeepObject),
        Encoding::FormObject => quote!(FormObject),
        Encoding::ObjectCommaJoined => quote!(ObjectCommaJoined),
    };
    quote!(crate::runtime::Style::#variant)
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let method = ident(&op.method);
    // Documentation.
    let mut text = op.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}`", op.method, op.path));
    let documented: Vec<String> = op
        .params
        .iter()
        .filter_map(|p| p.doc.as_ref().map(|d| format!("- `{}`: {}", crate::naming::unraw(&p.name), d.trim().replace('\n', " "))))
        .chain(op.body.iter().filter_map(|b| b.doc.as_ref().map(|d| format!("- `{}`: {}", b.name, d.trim().replace('\n', " ")))))
        .collect();
    if !documented.is_empty() {
        text.push_str("\n\n# Arguments\n");
        text.push_str(&documented.join("\n"));
    }
    let doc = doc_attrs(Some(&text));
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };

    // Arguments.
    let args: Vec<TokenStream> = op
        .surface
        .args
        .iter()
        .map(|a| {
            let n = ident(&a.name);
            let t = input_type(api, &a.ty);
            quote!(#n: #t)
        })
        .collect();
    let path_style = |arg: &str| style(op.params.iter().find(|p| p.name == arg).map_or(Encoding::Scalar, |p| p.encoding));
    let allow = if args.len() > 6 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };

    // Path.
    let mut prelude = Vec::new();
    let mut seg_exprs = Vec::new();
    for (i, seg) in op.segments.iter().enumerate() {
        match seg.as_slice() {
            [SegmentPart::Literal(l)] => seg_exprs.push(quote!(#l)),
            [SegmentPart::Param(arg)] => {
                let var = quote::format_ident!("segment_{}", i);
                let a = ident(arg);
                let st = path_style(arg);
                prelude.push(quote! { let #var = crate::runtime::to_param(#a, #st); });
                seg_exprs.push(quote!(#var.as_str()));
            }
            parts => {
                let var = quote::format_ident!("segment_{}", i);
                let pieces = parts.iter().map(|p| match p {
                    SegmentPart::Literal(l) => quote!(#l),
                    SegmentPart::Param(arg) => {
                        let a = ident(arg);
                        let st = path_style(arg);
                        quote!(crate::runtime::to_param(#a, #st).as_str())
                    }
                });
                prelude.push(quote! { let #var: ::std::string::String = [#(#pieces),*].concat(); });
                seg_exprs.push(quote!(#var.as_str()));
            }
        }
    }
    let nseg = Literal::usize_unsuffixed(seg_exprs.len());

    // Query, headers, cookies.
    let fixed = op.fixed_query.iter().map(|(k, v)| quote! { request.fixed_query(#k, #v); });
    let mut setters = Vec::new();
    let mut has_cookies = false;
    for p in op.params.iter().filter(|p| p.location != ParamLocation::Path) {
        let n = ident(&p.name);
        let wire = &p.wire;
        let set = match p.location {
            ParamLocation::Query => query_setter(p, wire),
            ParamLocation::Header => {
                let st = style(p.encoding);
                quote! { request.header(#wire, #st, value); }
            }
            ParamLocation::Cookie => {
                has_cookies = true;
                continue;
            }
            ParamLocation::Path => unreachable!("filtered above"),
        };
        setters.push(if p.required {
            bind(&n, set)
        } else {
            quote! { if let ::std::option::Option::Some(value) = #n { #set } }
        });
    }
    let cookie_block = if !has_cookies {
        quote!()
    } else {
        let cookie_sets = op.params.iter().filter(|p| p.location == ParamLocation::Cookie).map(|p| {
            let n = ident(&p.name);
            let wire = &p.wire;
            let prefix = format!("{wire}=");
            let st = style(p.encoding);
            let push = quote! { cookies.push([#prefix, crate::runtime::to_param(value, #st).as_str()].concat()); };
            if p.required {
                bind(&n, push)
            } else {
                quote! { if let ::std::option::Option::Some(value) = #n { #push } }
            }
        });
        quote! {
            let mut cookies: ::std::vec::Vec<::std::string::String> = ::std::vec::Vec::new();
            #(#cookie_sets)*
            if !cookies.is_empty() {
                request.header("cookie", crate::runtime::Style::Scalar, &cookies.join("; "));
            }
        }
    };

    // Body.
    let body = op.body.as_ref().map(|b| {
        let n = ident(&b.name);
        let media = if b.media_type.contains('*') { "application/octet-stream".to_owned() } else { b.media_type.clone() };
        let set = match b.kind {
            BodyKind::Json => quote!(request.json(value);),
            BodyKind::Form => quote!(request.form(value);),
            BodyKind::Multipart => quote!(request.multipart(value);),
            BodyKind::Bytes => quote!(request.bytes(#media, value.to_vec());),
            BodyKind::Text => quote!(request.bytes(#media, value.as_bytes().to_vec());),
        };
        if b.required {
            bind(&n, set)
        } else {
            quote! { if let ::std::option::Option::Some(value) = #n { #set } }
        }
    });

    // Responses.
    let success_ty = op.success_type.as_ref().map(|t| type_tokens(api, t)).unwrap_or_else(|| quote!(()));
    let error_ty = op.error_type.as_ref().map(|t| type_tokens(api, t)).unwrap_or_else(|| quote!(()));
    let success_enum = op.success_type.as_ref().filter(|_| op.success_by_status);
    let error_enum = op.error_type.as_ref().filter(|_| op.errors_by_status);
    let mut arms: Vec<(StatusMatch, TokenStream)> = Vec::new();
    for r in &op.success {
        let action = match success_enum {
            Some(TypeRef::Named(e)) => enum_decode(r, api.type_name(*e), quote!(map)),
            _ => match (&op.success_type, &r.body) {
                (None, _) => quote!(response.empty()),
                (Some(_), ResponseBody::Json(_)) => quote!(response.json()),
                (Some(_), ResponseBody::Text) => quote!(response.text()),
                (Some(_), ResponseBody::Bytes) => quote!(response.bytes()),
                (Some(_), ResponseBody::Empty) => quote!(response.empty()),
            },
        };
        arms.push((r.status, action));
    }
    for r in &op.errors {
        let action = match (&op.error_type, error_enum, &r.body) {
            (Some(_), Some(TypeRef::Named(e)), ResponseBody::Json(_) | ResponseBody::Text) => enum_decode(r, api.type_name(*e), quote!(error)),
            (Some(_), None, ResponseBody::Json(_)) => quote!(response.error(|body| ::serde_json::from_slice(body))),
            (Some(_), None, ResponseBody::Text) => {
                quote!(response.error(|body| ::std::result::Result::Ok(::std::string::String::from_utf8_lossy(body).into_owned())))
            }
            _ => quote!(response.error_untyped()),
        };
        arms.push((r.status, action));
    }
    arms.sort_by_key(|(s, _)| match s {
        StatusMatch::Code(c) => (0, *c),
        StatusMatch::Range(r) => (1, *r),
        StatusMatch::Default => (2, 0),
    });
    let has_default = arms.iter().any(|(s, _)| *s == StatusMatch::Default);
    let mut arm_tokens: Vec<TokenStream> = arms
        .iter()
        .map(|(s, action)| {
            let pat = match s {
                StatusMatch::Code(c) => {
                    let l = Literal::u16_unsuffixed(*c);
                    quote!(#l)
                }
                StatusMatch::Range(r) => {
                    let lo = Literal::u16_unsuffixed(r * 100);
                    let hi = Literal::u16_unsuffixed(r * 100 + 99);
                    quote!(#lo..=#hi)
                }
                StatusMatch::Default => quote!(_),
            };
            quote!(#pat => #action,)
        })
        .collect();
    if !has_default {
        arm_tokens.push(quote!(_ => response.unexpected(),));
    }
    // Only a catch-all (`default` alone): no `match` on the status.
    let dispatch = match arms.as_slice() {
        [(StatusMatch::Default, action)] => quote!(#action),
        _ => quote! {
            match response.status.as_u16() {
                #(#arm_tokens)*
            }
        },
    };

    quote! {
        #doc
        #deprecated
        #allow
        pub async fn #name(&self, #(#args),*) -> ::std::result::Result<crate::ResponseValue<#success_ty>, crate::Error<#error_ty>> {
            #(#prelude)*
            let segments: [&str; #nseg] = [#(#seg_exprs),*];
            #[allow(unused_mut)]
            let mut request = crate::runtime::Request::new(::reqwest::Method::#method, &segments);
            #(#fixed)*
            #(#setters)*
            #cookie_block
            #body
            let response = match self.execute(request).await {
                ::std::result::Result::Ok(response) => response,
                ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
            };
            #dispatch
        }
    }
}

/// `{ let value = ARG; SET }`, without the `let` when the argument is
/// itself called `value` (clippy: redundant_locals).
fn bind(arg: &proc_macro2::Ident, set: TokenStream) -> TokenStream {
    if arg == "value" { quote! { { #set } } } else { quote! { { let value = #arg; #set } } }
}

fn query_setter(p: &Param, wire: &str) -> TokenStream {
    let st = style(p.encoding);
    quote! { request.query(#wire, #st, value); }
}

/// Decodes one response into its variant of the operation's response or error enum.
fn enum_decode(r: &Response, enum_name: &str, method: TokenStream) -> TokenStream {
    let e = ident(enum_name);
    let v = ident(&r.variant);
    let path = quote!(crate::types::#e::#v);
    match &r.body {
        ResponseBody::Json(_) => quote!(response.#method(|body| ::serde_json::from_slice(body).map(#path))),
        ResponseBody::Text => quote!(response.#method(|body| ::std::result::Result::Ok(#path(::std::string::String::from_utf8_lossy(body).into_owned())))),
        ResponseBody::Bytes => quote!(response.#method(|body| ::std::result::Result::Ok(#path(body.to_vec())))),
        ResponseBody::Empty => quote!(response.#method(|_| ::std::result::Result::Ok(#path))),
    }
}
