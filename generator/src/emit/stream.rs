//! Emits what request values of streamed and paginated operations add to
//! the `request` module (the runtime's `Pages`, `Items`, `EventStream`,
//! `JsonLines` and `ByteStream` do the work; per operation this is only the
//! rule, the field accessors and the statuses):
//!
//! - an operation whose success body is a stream (server-sent events, JSON
//!   Lines) sends with the runtime's `send_streamed` (its `Operation::send`):
//!   `.await` gives the stream once the headers arrive; other statuses are
//!   read whole and decoded as usual;
//! - an operation with a binary (or text) success body keeps `.await` (the
//!   whole body as `Vec<u8>`) and gains `.into_stream()` (the body as a
//!   `ByteStream`);
//! - both get `.idle_timeout(..)`;
//! - a paginated operation (`Operation::pagination`) gets `.pages()` and
//!   `.items()`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ident, type_tokens};
use crate::model::{Api, FieldPath, Operation, PageRule, Pagination, ParamLocation, ParamRef, Presence, ResponseBody, StatusMatch, TypeRef};

/// How a streamed success body is read: the runtime wrapper type, the
/// `Streaming` method that makes it, and the `Accept` header asking for it
/// (JSON too, for error bodies).
fn read(body: &ResponseBody) -> Option<(TokenStream, Read)> {
    let events = "text/event-stream, application/json;q=0.5";
    match body {
        ResponseBody::Events(TypeRef::String) => Some((quote!(crate::EventStream), Read { method: quote!(events_text()), accept: events })),
        ResponseBody::Events(_) => Some((quote!(crate::EventStream), Read { method: quote!(events_json()), accept: events })),
        ResponseBody::JsonLines { seq: true, .. } => Some((
            quote!(crate::JsonLines),
            Read { method: quote!(json_lines(true)), accept: "application/json-seq, application/json;q=0.5" },
        )),
        ResponseBody::JsonLines { seq: false, .. } => Some((
            quote!(crate::JsonLines),
            Read { method: quote!(json_lines(false)), accept: "application/jsonl, application/x-ndjson, application/json;q=0.5" },
        )),
        _ => None,
    }
}

/// How a streamed body is asked for and read.
pub(super) struct Read {
    /// The `Streaming` method call (`events_json()`).
    method: TokenStream,
    /// The `Accept` header.
    accept: &'static str,
}

/// The `.await` output wrapper of an operation whose success is a stream
/// (`crate::EventStream`), with how it is read.
pub(super) fn streamed(op: &Operation) -> Option<(TokenStream, Read)> {
    if op.success_by_status {
        return None;
    }
    op.success.first().and_then(|r| read(&r.body))
}

/// The operation's success body can also be read as a byte stream (`into_stream`).
pub(super) fn downloadable(op: &Operation) -> bool {
    !op.success_by_status && op.success.first().is_some_and(|r| matches!(r.body, ResponseBody::Bytes | ResponseBody::Text))
}

/// The `accept` argument of `execute_stream`.
fn accept_arg(read: &Read) -> TokenStream {
    match read.accept {
        "" => quote!(::std::option::Option::None),
        accept => quote!(::std::option::Option::Some(#accept)),
    }
}

/// Which statuses are streamed: a `fn(u16) -> bool` closure. A `default`
/// success streams every status not documented as an error.
fn streams(op: &Operation) -> TokenStream {
    let by_default = op.success.iter().any(|r| r.status == StatusMatch::Default);
    let (negate, statuses): (TokenStream, Vec<StatusMatch>) = if by_default {
        (quote!(!), op.errors.iter().map(|r| r.status).collect())
    } else {
        (quote!(), op.success.iter().map(|r| r.status).collect())
    };
    if by_default && statuses.is_empty() {
        return quote!(|_| true);
    }
    let pats = statuses.into_iter().map(super::request::status_pattern);
    quote!(|status| #negate matches!(status, #(#pats)|*))
}

/// The `Operation::send` of an operation whose success is a stream: the
/// runtime's `send_streamed` with its `Accept`, its streamed statuses and
/// how the stream is read.
pub(super) fn send_streamed(op: &Operation, read: &Read) -> TokenStream {
    let accept = accept_arg(read);
    let streams = streams(op);
    let method = &read.method;
    quote! {
        #[allow(private_interfaces)]
        fn send(client: &crate::Client, request: crate::runtime::Request) -> crate::runtime::BoxFuture<'_, crate::runtime::Outcome<Self>> {
            let send = crate::runtime::send_streamed::<Self>;
            ::std::boxed::Box::pin(send(client, request, #accept, #streams, |response| response.#method))
        }
    }
}

/// The body of `into_stream`: sends the variables `request` with `client`
/// by `execute_stream`; a streamed status returns `response.READ`, any
/// other is read whole and decoded by `decode_errors` (which matches
/// `response.status`).
fn send_streaming(op: &Operation, read: &Read, decode_errors: TokenStream) -> TokenStream {
    let accept = accept_arg(read);
    let streams = streams(op);
    let read = &read.method;
    quote! {
        let response = match client.execute_stream(request, #accept).await {
            ::std::result::Result::Ok(response) => response,
            ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
        };
        let streams: fn(u16) -> bool = #streams;
        if streams(response.status()) {
            return response.#read;
        }
        let response = match response.read().await {
            ::std::result::Result::Ok(response) => response,
            ::std::result::Result::Err(error) => return ::std::result::Result::Err(error),
        };
        #decode_errors
    }
}

/// The methods a request value gains: `idle_timeout`, `into_stream`,
/// `pages` and `items`, as they apply.
pub(super) fn methods(api: &Api, op: &Operation, error: &TokenStream, decode_errors: impl Fn() -> TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let download = downloadable(op);
    if streamed(op).is_some() || download {
        out.extend(quote! {
            /// Bounds the wait for each next piece of the streamed response
            /// body, for this request (instead of the client's
            /// [`idle_timeout`](crate::ClientBuilder::idle_timeout)).
            pub fn idle_timeout(self, idle: ::std::time::Duration) -> Self {
                Self { request: self.request.idle_timeout(idle), ..self }
            }
        });
    }
    if download {
        // The same `Accept` as `.await` sends.
        let send = send_streaming(op, &Read { method: quote!(bytes_stream()), accept: "" }, decode_errors());
        out.extend(quote! {
            /// Sends the request and returns the response as soon as its
            /// headers arrive, its body a [`ByteStream`](crate::ByteStream)
            /// read piece by piece: a large download never sits in memory
            /// whole (`.await` reads it whole into a `Vec<u8>`). The timeout
            /// covers the headers; nothing is retried once the body started.
            pub async fn into_stream(self) -> ::std::result::Result<crate::ResponseValue<crate::ByteStream>, crate::Error<#error>> {
                let (client, request) = (self.client, self.request);
                #send
            }
        });
    }
    if let Some(p) = &op.pagination {
        out.extend(pages(api, op, p, error));
    }
    out
}

/// `.pages()` and `.items()` of a paginated operation.
fn pages(api: &Api, op: &Operation, p: &Pagination, error: &TokenStream) -> TokenStream {
    let page = op.success_type.as_ref().map(|t| type_tokens(api, t)).unwrap_or_else(|| quote!(()));
    let item = type_tokens(api, &p.item);
    let param = |r: &ParamRef| {
        let slot = Literal::usize_unsuffixed(op.params.iter().take(r.index).filter(|p| p.location != ParamLocation::Path).count());
        let name = &r.wire;
        quote!(crate::runtime::PageParam { slot: #slot, name: #name })
    };
    let rule = match &p.rule {
        PageRule::Cursor { param: c, or_url, .. } => {
            let c = param(c);
            quote!(crate::runtime::PageRule::Cursor { param: #c, or_url: #or_url })
        }
        PageRule::Offset { param: o, limit, by_items } => {
            let o = param(o);
            let limit = match limit {
                Some(l) => {
                    let name = &l.wire;
                    quote!(::std::option::Option::Some(#name))
                }
                None => quote!(::std::option::Option::None),
            };
            quote!(crate::runtime::PageRule::Offset { param: #o, limit: #limit, by_items: #by_items })
        }
        PageRule::Page { param: n, first } => {
            let n = param(n);
            let first = Literal::i64_unsuffixed(*first);
            quote!(crate::runtime::PageRule::Page { param: #n, first: #first })
        }
        PageRule::NextUrl { .. } => quote!(crate::runtime::PageRule::NextUrl),
        PageRule::Link => quote!(crate::runtime::PageRule::Link),
    };
    let none = quote!(::std::option::Option::None);
    let items_len = match access(&p.items) {
        (items, false) => quote!(#items.len()),
        (items, true) => quote!(#items.map_or(0, ::std::vec::Vec::len)),
    };
    let next = match &p.rule {
        PageRule::Cursor { next, .. } | PageRule::NextUrl { next } => match access(next) {
            (next, false) => quote!(::std::option::Option::Some(crate::runtime::PageInfo::text(&#next))),
            (next, true) => quote!(#next.map(crate::runtime::PageInfo::text)),
        },
        _ => none.clone(),
    };
    let more = match p.more.as_ref().map(|(path, positive)| (access(path), *positive)) {
        Some(((more, false), true)) => quote!(::std::option::Option::Some(#more)),
        Some(((more, true), true)) => quote!(#more.copied()),
        Some(((done, false), false)) => quote!(::std::option::Option::Some(!#done)),
        Some(((done, true), false)) => quote!(#done.map(|done| !*done)),
        None => none.clone(),
    };
    let total = match p.total.as_ref().map(access) {
        Some((total, false)) => quote!(crate::runtime::PageInfo::count(&#total)),
        Some((total, true)) => quote!(#total.and_then(crate::runtime::PageInfo::count)),
        None => none,
    };
    let take = take(&p.items);
    let marker = ident(&op.surface.request);
    let rule_doc = rule_doc(op, p);
    quote! {
        #[doc = #rule_doc]
        ///
        /// Every setter and option given applies to every page. A page is
        /// fetched when the stream is read, never twice; an error is
        /// yielded once and ends the stream.
        pub fn pages(self) -> crate::Pages<'a, #page, #error> {
            crate::runtime::Pages::new(
                self.client,
                self.request,
                #rule,
                |page: &#page| crate::runtime::PageInfo { items: #items_len, next: #next, more: #more, total: #total },
                |client, request| crate::runtime::call::<op::#marker>(client, request).send(),
            )
        }

        /// Every item of every page, in order (see [`Self::pages`]).
        pub fn items(self) -> crate::Items<'a, #item, #page, #error> {
            self.pages().items(|page: #page| #take)
        }
    }
}

/// The doc line of `pages`: which rule finds the next page.
fn rule_doc(op: &Operation, p: &Pagination) -> String {
    let wires = |path: &FieldPath| path.iter().map(|s| s.wire.as_str()).collect::<Vec<_>>().join(".");
    let how = match &p.rule {
        PageRule::Cursor { param, next, .. } => format!("the `{}` cursor in each page goes into the `{}` query parameter", wires(next), param.wire),
        PageRule::Offset { param, by_items: true, .. } => format!("the `{}` query parameter moves by the items received", param.wire),
        PageRule::Offset { param, .. } => format!("the `{}` query parameter moves by one", param.wire),
        PageRule::Page { param, .. } => format!("the `{}` query parameter counts pages", param.wire),
        PageRule::NextUrl { next } => format!("each page's `{}` URL is followed", wires(next)),
        PageRule::Link => "the `Link` header's `rel=\"next\"` URL is followed".to_owned(),
    };
    let _ = op;
    format!(" Every page of the list, as a stream: {how}.")
}

/// The value at `path` in the variable `page` (a `&Page`): the place itself
/// (`page.data.items`, `false`), or an `Option<&T>` of it when a field on
/// the way is optional (`true`).
fn access(path: &FieldPath) -> (TokenStream, bool) {
    let mut expr = quote!(page);
    let mut optional = false;
    for step in path {
        let f = ident(&step.field);
        expr = match (optional, step.presence) {
            (false, Presence::Required) => quote!(#expr.#f),
            (false, Presence::Optional | Presence::RequiredNullable) => quote!(#expr.#f.as_ref()),
            (false, Presence::OptionalNullable) => quote!(#expr.#f.as_option()),
            (true, Presence::Required) => quote!(#expr.map(|v| &v.#f)),
            (true, Presence::Optional | Presence::RequiredNullable) => quote!(#expr.and_then(|v| v.#f.as_ref())),
            (true, Presence::OptionalNullable) => quote!(#expr.and_then(|v| v.#f.as_option())),
        };
        optional |= step.presence != Presence::Required;
    }
    (expr, optional)
}

/// The items of the page in the variable `page` (owned), as a `Vec`.
fn take(path: &FieldPath) -> TokenStream {
    let mut expr = quote!(page);
    let mut optional = false;
    for step in path {
        let f = ident(&step.field);
        let field = if step.boxed { quote!((*v.#f)) } else { quote!(v.#f) };
        expr = match (optional, step.presence) {
            (false, Presence::Required) if step.boxed => quote!((*#expr.#f)),
            (false, Presence::Required) => quote!(#expr.#f),
            (false, Presence::Optional | Presence::RequiredNullable) if step.boxed => quote!(#expr.#f.map(|v| *v)),
            (false, Presence::Optional | Presence::RequiredNullable) => quote!(#expr.#f),
            (false, Presence::OptionalNullable) if step.boxed => quote!(#expr.#f.into_option().map(|v| *v)),
            (false, Presence::OptionalNullable) => quote!(#expr.#f.into_option()),
            (true, Presence::Required) => quote!(#expr.map(|v| #field)),
            (true, Presence::Optional | Presence::RequiredNullable) if step.boxed => quote!(#expr.and_then(|v| v.#f).map(|v| *v)),
            (true, Presence::Optional | Presence::RequiredNullable) => quote!(#expr.and_then(|v| v.#f)),
            (true, Presence::OptionalNullable) if step.boxed => quote!(#expr.and_then(|v| v.#f.into_option()).map(|v| *v)),
            (true, Presence::OptionalNullable) => quote!(#expr.and_then(|v| v.#f.into_option())),
        };
        optional |= step.presence != Presence::Required;
    }
    if optional { quote!(#expr.unwrap_or_default()) } else { expr }
}
