//! Emits the `client` module: one method per operation on `Client`, taking
//! the operation's required inputs and returning its request value (see
//! [`super::request`]), and the credential methods of `ClientBuilder` the
//! spec's security schemes call for.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Piece, doc_attrs, ident, request};
use crate::model::{Api, AuthKind, AuthScheme, Encoding, InputTarget, Operation, ParamLocation, SegmentPart};

/// The whole `client` module body: [`client_head`], then
/// [`client_methods`] of all operations.
pub fn client(api: &Api) -> TokenStream {
    let mut out = client_head(api);
    let ops = api.operations.iter().map(|op| super::each_item(operation(api, op), &super::cfg_attr(&op.features)));
    out.extend(quote! {
        impl crate::Client {
            #(#ops)*
        }
    });
    out
}

/// The start of the `client` module: its doc, the default server's URL and
/// the credential methods of `ClientBuilder`.
pub fn client_head(api: &Api) -> TokenStream {
    let auth = api.auth.iter().map(auth_methods);
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
    }
}

/// `impl Client` with the methods of `ops`, each written as formatted text
/// ([`operation_text`]) where it can, else formatted from tokens between
/// the text. Formatted in parts (a part of the operations each), the
/// blocks join into one: the first line of each block after the first and
/// the last line of each before the last go.
pub fn client_methods(api: &Api, ops: &[Operation]) -> Vec<Piece> {
    let mut pieces = vec![Piece::Text("impl crate::Client {\n".to_owned())];
    if ops.is_empty() {
        return vec![Piece::Text("impl crate::Client {}\n".to_owned())];
    }
    for op in ops {
        match operation_text(api, op) {
            Some(text) => pieces.push(Piece::Text(text)),
            None => {
                let method = super::each_item(operation(api, op), &super::cfg_attr(&op.features));
                pieces.push(Piece::Inner(quote! { impl crate::Client { #method } }));
            }
        }
    }
    pieces.push(Piece::Text("}\n".to_owned()));
    pieces
}

/// One operation's method ([`operation`]) as formatted text, the text
/// prettyplease prints for its tokens (a test compares the two), or `None`
/// where this does not lay it out the same.
fn operation_text(api: &Api, op: &Operation) -> Option<String> {
    use super::MARGIN;
    let cfg = super::cfg_line(&op.features);
    if cfg.len() + 4 > MARGIN {
        return None;
    }
    let mut out = String::new();
    super::doc_text(&mut out, "    ", &method_doc(op));
    if !cfg.is_empty() {
        out.push_str("    ");
        out.push_str(&cfg);
    }
    if op.deprecated {
        out.push_str("    #[deprecated]\n");
    }
    if op.surface.args.len() > 6 {
        out.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    let args: Vec<String> =
        op.surface.args.iter().map(|a| format!("{}: {}", a.name, super::type_text(request::setter_type(api, &a.ty)))).collect();
    let returns = format!(") -> crate::request::{}<'_> {{\n", op.surface.request);
    let flat = format!("    pub fn {}(&self{}{returns}", op.name, args.iter().map(|a| format!(", {a}")).collect::<String>());
    if flat.len() - 1 <= MARGIN {
        out.push_str(&flat);
    } else {
        out.push_str(&format!("    pub fn {}(\n        &self,\n", op.name));
        for a in &args {
            let line = format!("        {a},\n");
            if line.len() - 1 > MARGIN {
                return None;
            }
            out.push_str(&line);
        }
        if returns.len() + 3 > MARGIN {
            return None;
        }
        out.push_str("    ");
        out.push_str(&returns);
    }
    // The request: `Request::new(…)` then one call per line.
    let links = request_links(api, op);
    if 12 + links.iter().map(String::len).sum::<usize>() < MARGIN {
        return None;
    }
    let (first, rest) = links.split_first()?;
    out.push_str("        crate::runtime::call(\n            self,\n            ");
    out.push_str(first);
    out.push('\n');
    for (i, link) in rest.iter().enumerate() {
        let end = if i + 1 == rest.len() { "," } else { "" };
        // The comma after the last call does not count.
        let line = format!("                {link}{end}\n");
        if 16 + link.len() <= MARGIN {
            out.push_str(&line);
            continue;
        }
        let (method, args) = link.split_once('(')?;
        out.push_str(&format!("                {method}(\n"));
        for arg in request::split_args(args.strip_suffix(')')?)? {
            let line = format!("                    {arg},\n");
            if line.len() - 1 > MARGIN {
                return None;
            }
            out.push_str(&line);
        }
        out.push_str(&format!("                ){end}\n"));
    }
    out.push_str("        )\n    }\n");
    Some(out)
}


/// The builder methods of one security scheme: the fixed credential, and
/// the token provider variant where there is one.
fn auth_methods(a: &AuthScheme) -> TokenStream {
    let m = ident(&a.method);
    let scheme = &a.spec_name;
    let (mut text, sends) = match &a.kind {
        AuthKind::Bearer => (format!("Sends `Authorization: Bearer <token>` with every request (security scheme `{scheme}`)."), "`Authorization: Bearer <token>`".to_owned()),
        AuthKind::Basic => (format!("Sends HTTP basic authentication with every request (security scheme `{scheme}`)."), String::new()),
        AuthKind::Header(h) => (format!("Sends the API key in the `{h}` header with every request (security scheme `{scheme}`)."), format!("the API key in the `{h}` header")),
        AuthKind::Query(q) => (format!("Sends the API key in the `{q}` query parameter with every request (security scheme `{scheme}`)."), format!("the API key in the `{q}` query parameter")),
        AuthKind::ClientCredentials { token_url } => (
            format!(
                "Gets bearer tokens with the OAuth2 client-credentials grant from `{token_url}` (security scheme `{scheme}`; a relative URL is resolved against the base URL, `oauth2_token_url(..)` sets another one, `oauth2_scope(..)` the scope asked for).\n\nEach token is sent as `Authorization: Bearer <token>`, cached until shortly before it expires (`expires_in`), fetched by one request while concurrent ones wait for it, and fetched anew after a `401` (then the request is sent once more). A failed token request is an `ErrorKind::Credentials` error."
            ),
            String::new(),
        ),
    };
    let with_doc = |text: &mut String| {
        if let Some(d) = &a.doc {
            text.push_str("\n\n");
            text.push_str(d);
        }
        text.push_str("\n\nThe credential is only sent to the base URL's origin, and never appears in `Debug` output or errors.");
        doc_attrs(Some(text))
    };
    let doc = with_doc(&mut text);
    let fixed = match &a.kind {
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
        AuthKind::ClientCredentials { token_url } => quote! {
            #doc
            pub fn #m(
                self,
                client_id: impl ::std::convert::Into<::std::string::String>,
                client_secret: impl ::std::convert::Into<::std::string::String>,
            ) -> Self {
                self.client_credentials(#token_url, client_id, client_secret)
            }
        },
    };
    let Some(provider) = &a.provider else { return fixed };
    let p = ident(provider);
    let call = match &a.kind {
        AuthKind::Header(h) => quote!(self.api_key_header_provider(#h, provider)),
        AuthKind::Query(q) => quote!(self.api_key_query_provider(#q, provider)),
        _ => quote!(self.bearer_provider(provider)),
    };
    let mut text = format!(
        "Sends {sends} with the token `provider` gives, asked for each attempt (security scheme `{scheme}`): for credentials that expire.\n\n`provider` is an async function taking a [`TokenRequest`](crate::TokenRequest) and returning `Result<impl Into<String>, impl Into<Box<dyn Error + Send + Sync>>>`; it may cache. After a `401` it is asked once more, with `is_refresh()` true, and the request is sent once more with the fresh token. A provider error is an `ErrorKind::Credentials` error."
    );
    let doc = with_doc(&mut text);
    quote! {
        #fixed
        #doc
        pub fn #p<F, Fut, T, X>(self, provider: F) -> Self
        where
            F: ::std::ops::Fn(crate::TokenRequest) -> Fut + ::std::marker::Send + ::std::marker::Sync + 'static,
            Fut: ::std::future::Future<Output = ::std::result::Result<T, X>> + ::std::marker::Send + 'static,
            T: ::std::convert::Into<::std::string::String> + 'static,
            X: ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + ::std::marker::Send + ::std::marker::Sync>> + 'static,
        {
            #call
        }
    }
}

/// One operation's method: takes the required inputs, starts the runtime
/// request (path, then each argument) and returns the request value.
fn operation(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let request_type = ident(&op.surface.request);
    let doc = doc_attrs(Some(&method_doc(op)));
    let deprecated = if op.deprecated { quote!(#[deprecated]) } else { quote!() };
    let args: Vec<TokenStream> = op
        .surface
        .args
        .iter()
        .map(|a| {
            let n = ident(&a.name);
            let t = request::setter_type(api, &a.ty);
            quote!(#n: #t)
        })
        .collect();
    let allow = if args.len() > 6 { quote!(#[allow(clippy::too_many_arguments)]) } else { quote!() };
    let request = request_chain(api, op);
    quote! {
        #doc
        #deprecated
        #allow
        pub fn #name(&self, #(#args),*) -> crate::request::#request_type<'_> {
            crate::runtime::call(self, #request)
        }
    }
}

/// The runtime request a method makes: `Request::new`, the operation's id
/// and path template (for hooks and tracing: the operationId, else the
/// method name, and the template, never the filled-in path), its path,
/// fixed query parameters and arguments.
fn request_chain(api: &Api, op: &Operation) -> TokenStream {
    // One writer of the chain: its text (`request_links`), as tokens. The
    // text is made of identifiers, literals and paths, so it always parses.
    request_links(api, op).concat().parse().unwrap_or_default()
}

/// [`request_chain`] as text: `Request::new(…)`, then each call: one
/// `path` or `path_param` per segment of the path, `append`/`append_param`
/// for the rest of a segment with several parts (`{file}.json`), fixed
/// query parameters, then the arguments.
fn request_links(api: &Api, op: &Operation) -> Vec<String> {
    let lit = super::string_literal;
    let slots = op.params.iter().filter(|p| p.location != ParamLocation::Path).count();
    let operation_id = op.operation_id.as_deref().unwrap_or(crate::naming::unraw(&op.name));
    let mut links = vec![
        format!("crate::runtime::Request::new(::reqwest::Method::{}, {slots})", op.method),
        format!(".operation({}, {})", lit(operation_id), lit(&op.path)),
    ];
    for seg in &op.segments {
        for (i, part) in seg.iter().enumerate() {
            links.push(match (i, part) {
                (0, SegmentPart::Literal(l)) => format!(".path({})", lit(l)),
                (_, SegmentPart::Literal(l)) => format!(".append({})", lit(l)),
                (i, SegmentPart::Param(arg)) => {
                    let encoding = op.params.iter().find(|p| p.name == *arg).map_or(Encoding::Scalar, |p| p.encoding);
                    let call = if i == 0 { "path_param" } else { "append_param" };
                    format!(".{call}({arg}, crate::runtime::Style::{})", request::style_name(encoding))
                }
            });
        }
    }
    for (k, v) in &op.fixed_query {
        links.push(format!(".fixed_query({}, {})", lit(k), lit(v)));
    }
    for a in &op.surface.args {
        let n = ident(&a.name);
        // Path arguments were written into the path above: no call.
        let call = super::type_text(request::apply_input(api, op, a, TokenStream::new(), &quote!(#n)));
        if !call.is_empty() {
            links.push(call);
        }
    }
    links
}

/// The method's doc: the operation's, its HTTP method and path, its
/// arguments and where its optional inputs are set.
fn method_doc(op: &Operation) -> String {
    let mut text = op.doc.clone().unwrap_or_default();
    if !text.is_empty() {
        text.push_str("\n\n");
    }
    text.push_str(&format!("`{} {}`", op.method, op.path));
    let documented: Vec<String> = op
        .surface
        .args
        .iter()
        .filter_map(|a| {
            let doc = match a.target {
                InputTarget::Param(i) => op.params.get(i).and_then(|p| p.doc.as_ref()),
                InputTarget::Body => op.body.as_ref().and_then(|b| b.doc.as_ref()),
            }?;
            Some(format!("- `{}`: {}", crate::naming::unraw(&a.name), doc.trim().replace('\n', " ")))
        })
        .collect();
    if !documented.is_empty() {
        text.push_str("\n\n# Arguments\n");
        text.push_str(&documented.join("\n"));
    }
    if !op.surface.setters.is_empty() {
        let setters: Vec<String> = op.surface.setters.iter().map(|s| format!("`{}`", crate::naming::unraw(&s.name))).collect();
        text.push_str(&format!(
            "\n\nOptional inputs are set on the returned [`{}`](crate::request::{}): {}.",
            op.surface.request,
            op.surface.request,
            setters.join(", ")
        ));
    }
    text
}

