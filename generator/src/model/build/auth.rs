//! Security schemes: the client builder's credential methods (bearer, basic,
//! API keys in a header or the query, each fixed or from a token provider;
//! OAuth2 client credentials), named without clashing with its other
//! methods.

use openapiv3::ReferenceOr;

use super::*;
use crate::error::WarningKind;
use crate::naming::{self, Scope};

/// Methods of the generated `ClientBuilder` that credentials must not shadow.
const BUILDER_RESERVED: &[&str] = &[
    "timeout", "max_retries", "initial_backoff", "max_backoff", "reqwest_client", "build", "bearer", "basic",
    "api_key_header", "api_key_query", "user_agent", "max_response_body_size", "on_request", "on_response",
    "oauth2_token_url", "oauth2_scope", "authorization", "bearer_provider", "api_key_header_provider",
    "api_key_query_provider", "client_credentials",
];

impl<'a> Builder<'a> {
    pub(super) fn auth(&mut self) -> Vec<AuthScheme> {
        let Some(components) = self.api.components.as_ref() else { return Vec::new() };
        let mut scope = Scope::with_reserved(BUILDER_RESERVED);
        let mut out: Vec<AuthScheme> = Vec::new();
        let push = |scope: &mut Scope, out: &mut Vec<AuthScheme>, kind: AuthKind, name: &str, doc: Option<String>, preferred: String| {
            // One bearer token method serves every bearer/OAuth2 scheme.
            if out.iter().any(|a| a.kind == kind) {
                return;
            }
            let method = if matches!(kind, AuthKind::Header(_) | AuthKind::Query(_)) {
                let base = naming::unraw(&preferred).to_owned();
                let base = if base.contains("key") || base.contains("token") { base } else { format!("{base}_key") };
                scope.unique(naming::escape_keyword(base))
            } else {
                scope.unique(preferred)
            };
            let provider = matches!(kind, AuthKind::Bearer | AuthKind::Header(_) | AuthKind::Query(_))
                .then(|| scope.unique(format!("{}_provider", naming::unraw(&method))));
            out.push(AuthScheme { method, spec_name: name.to_owned(), kind, doc: doc.map(|d| d.trim().to_owned()), provider });
        };
        for (name, scheme) in &components.security_schemes {
            let ptr = child("/components/securitySchemes", name);
            let scheme = match scheme {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { .. } => {
                    self.warn(WarningKind::AuthUnsupported, ptr, "security scheme `$ref`s are not followed; this scheme is skipped");
                    continue;
                }
            };
            use openapiv3::{APIKeyLocation, SecurityScheme as S};
            let (kind, doc, preferred) = match scheme {
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (AuthKind::Bearer, description.clone(), "bearer_token".to_owned())
                }
                S::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (AuthKind::Basic, description.clone(), "basic_auth".to_owned())
                }
                S::HTTP { scheme, .. } => {
                    self.warn(WarningKind::AuthUnsupported, ptr, format!("HTTP auth scheme {scheme:?} is not supported; send it with a custom reqwest client"));
                    continue;
                }
                S::OAuth2 { description, flows, .. } => {
                    if let Some(cc) = &flows.client_credentials {
                        push(&mut scope, &mut out, AuthKind::Bearer, name, description.clone(), "bearer_token".to_owned());
                        let kind = AuthKind::ClientCredentials { token_url: cc.token_url.clone() };
                        push(&mut scope, &mut out, kind, name, description.clone(), "oauth2_client_credentials".to_owned());
                        continue;
                    }
                    (AuthKind::Bearer, description.clone(), "bearer_token".to_owned())
                }
                S::OpenIDConnect { description, .. } => (AuthKind::Bearer, description.clone(), "bearer_token".to_owned()),
                S::APIKey { location, name: key, description, .. } => {
                    let kind = match location {
                        APIKeyLocation::Header => AuthKind::Header(key.to_ascii_lowercase()),
                        APIKeyLocation::Query => AuthKind::Query(key.clone()),
                        APIKeyLocation::Cookie => {
                            self.warn(WarningKind::AuthUnsupported, ptr, "cookie API keys are not supported; send the cookie with a custom reqwest client");
                            continue;
                        }
                    };
                    if let AuthKind::Header(h) = &kind
                        && reqwest_header_invalid(h) {
                            self.warn(WarningKind::AuthUnsupported, ptr, format!("API key header name {h:?} is not a valid header name; skipped"));
                            continue;
                        }
                    (kind, description.clone(), naming::snake_name(&name.to_string()))
                }
            };
            push(&mut scope, &mut out, kind, name, doc, preferred);
        }
        out
    }
}

/// Header names must be lowercase visible ASCII token characters.
fn reqwest_header_invalid(name: &str) -> bool {
    name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
