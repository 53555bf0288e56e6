//! Security schemes: the client builder's credential methods (bearer, basic,
//! API keys in a header or the query), named without clashing with its
//! other methods.

use openapiv3::ReferenceOr;

use super::*;
use crate::error::WarningKind;
use crate::naming::{self, Scope};

/// Methods of the generated `ClientBuilder` that credentials must not shadow.
const BUILDER_RESERVED: &[&str] = &[
    "timeout", "max_retries", "initial_backoff", "max_backoff", "reqwest_client", "build", "bearer", "basic",
    "api_key_header", "api_key_query",
];

impl<'a> Builder<'a> {
    pub(super) fn auth(&mut self) -> Vec<AuthScheme> {
        let Some(components) = self.api.components.as_ref() else { return Vec::new() };
        let mut scope = Scope::with_reserved(BUILDER_RESERVED);
        let mut out: Vec<AuthScheme> = Vec::new();
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
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                    (AuthKind::Bearer, description.clone(), "bearer_token".to_owned())
                }
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
            // One bearer token method serves every bearer/OAuth2 scheme.
            if out.iter().any(|a| a.kind == kind) {
                continue;
            }
            let method = if matches!(kind, AuthKind::Header(_) | AuthKind::Query(_)) {
                let base = naming::unraw(&preferred).to_owned();
                let base = if base.contains("key") || base.contains("token") { base } else { format!("{base}_key") };
                scope.unique(naming::escape_keyword(base))
            } else {
                scope.unique(preferred)
            };
            out.push(AuthScheme { method, spec_name: name.clone(), kind, doc: doc.map(|d| d.trim().to_owned()) });
        }
        out
    }
}

/// Header names must be lowercase visible ASCII token characters.
fn reqwest_header_invalid(name: &str) -> bool {
    name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}
