//! Resolve: local `$ref` lookup (`#/components/...`) with chains followed
//! and cycles detected. External references are reported as problems.

use openapiv3::{OpenAPI, Parameter, ReferenceOr, RequestBody, Response, Schema};

use crate::error::Problem;

/// Longest `$ref` chain followed before it is called a cycle.
const MAX_CHAIN: usize = 64;

/// Looks up `$ref`s in one document.
pub struct Resolver<'a> {
    api: &'a OpenAPI,
}

/// The components section a reference points into.
fn component_name<'r>(reference: &'r str, section: &str) -> Option<&'r str> {
    let rest = reference.strip_prefix("#/components/")?;
    let rest = rest.strip_prefix(section)?;
    rest.strip_prefix('/')
}

/// Decodes one JSON pointer token (`~1` → `/`, `~0` → `~`) and percent-escapes.
pub fn unescape_token(token: &str) -> String {
    let decoded = token.replace("~1", "/").replace("~0", "~");
    if decoded.contains('%') {
        percent_decode(&decoded)
    } else {
        decoded
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(b);
                i += 3;
                continue;
            }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

macro_rules! resolver_fn {
    ($fn:ident, $ty:ty, $section:literal, $field:ident) => {
        /// Follows a reference (and any chain of references) to the item.
        /// Returns the item and, when it came from `components`, its name.
        pub fn $fn<'b>(
            &self,
            item: &'b ReferenceOr<$ty>,
            pointer: &str,
        ) -> Result<(&'b $ty, Option<&'b str>), Problem>
        where
            'a: 'b,
        {
            let api: &'a OpenAPI = self.api;
            let mut current = item;
            let mut name = None;
            let mut seen: Vec<&str> = Vec::new();
            loop {
                match current {
                    ReferenceOr::Item(item) => return Ok((item, name)),
                    ReferenceOr::Reference { reference } => {
                        if seen.len() > MAX_CHAIN {
                            return Err(Problem::new(
                                pointer,
                                format!(
                                    "a chain of more than {MAX_CHAIN} `$ref`s (from {:?}); point to the definition directly",
                                    seen.first().copied().unwrap_or_default()
                                ),
                            ));
                        }
                        if seen.contains(&reference.as_str()) {
                            seen.push(reference);
                            // Start the chain at the component being resolved, when it is one.
                            let own = format!("#{pointer}");
                            let is_component = pointer.starts_with("/components/") && pointer.matches('/').count() == 3;
                            if is_component && let Some(k) = seen.iter().position(|r| *r == own) {
                                seen.truncate(k + 1);
                                seen.insert(0, &own);
                            }
                            return Err(Problem::new(
                                pointer,
                                format!(
                                    "`$ref` cycle with no object in it: {}; one of them must be a definition, not only a `$ref`",
                                    seen.join(" → ")
                                ),
                            ));
                        }
                        seen.push(reference);
                        let Some(key) = component_name(reference, $section) else {
                            return Err(unresolvable(reference, $section, pointer));
                        };
                        let key_decoded = unescape_token(key);
                        let found = api
                            .components
                            .as_ref()
                            .and_then(|c| c.$field.get_key_value(key_decoded.as_str()));
                        match found {
                            Some((k, next)) => {
                                name = Some(k.as_str());
                                current = next;
                            }
                            None => {
                                return Err(Problem::new(
                                    pointer,
                                    format!("`$ref` {reference:?} points to a missing component (no `{key_decoded}` under `components.{}`)", $section),
                                ));
                            }
                        }
                    }
                }
            }
        }
    };
}

fn unresolvable(reference: &str, section: &str, pointer: &str) -> Problem {
    if !reference.starts_with('#') {
        Problem::new(
            pointer,
            format!(
                "external `$ref` {reference:?} cannot be followed; bundle the spec into one document first (for example with `redocly bundle`)"
            ),
        )
    } else {
        Problem::new(pointer, format!("`$ref` {reference:?} must point into `#/components/{section}/`"))
    }
}

/// Every `$ref` to another file, in document order: the JSON pointer of the
/// object holding it, and the reference. Examples, defaults and extensions
/// are data, not references, and are not searched.
pub fn external_refs(doc: &serde_json::Value) -> Vec<(String, String)> {
    fn walk(v: &serde_json::Value, ptr: &mut String, out: &mut Vec<(String, String)>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(r)) = map.get("$ref")
                    && !r.starts_with('#')
                {
                    out.push((ptr.clone(), r.clone()));
                }
                for (key, child) in map {
                    if matches!(key.as_str(), "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-") {
                        continue;
                    }
                    let len = ptr.len();
                    ptr.push('/');
                    ptr.push_str(&crate::error::pointer_token(key));
                    walk(child, ptr, out);
                    ptr.truncate(len);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = ptr.len();
                    ptr.push('/');
                    ptr.push_str(&i.to_string());
                    walk(child, ptr, out);
                    ptr.truncate(len);
                }
            }
            _ => {}
        }
    }
    /// Whether `walk` would find anything (no pointers built).
    fn any(v: &serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(map) => map.iter().any(|(key, child)| match key.as_str() {
                "$ref" if matches!(child, serde_json::Value::String(r) if !r.starts_with('#')) => true,
                "example" | "examples" | "default" | "enum" | "const" => false,
                k => !k.starts_with("x-") && any(child),
            }),
            serde_json::Value::Array(items) => items.iter().any(any),
            _ => false,
        }
    }
    let mut out = Vec::new();
    if any(doc) {
        walk(doc, &mut String::new(), &mut out);
    }
    out
}

/// One problem for a document that refers to other files: the first such
/// reference, and how many there are.
pub fn external_refs_problem(doc: &serde_json::Value) -> Option<Problem> {
    let refs = external_refs(doc);
    let (pointer, reference) = refs.first()?;
    let more = match refs.len() {
        1 => String::new(),
        n => format!(" (one of {n} references to other files)"),
    };
    Some(Problem::new(
        pointer.as_str(),
        format!(
            "`$ref` {reference:?} points to another file{more}; only references inside the document (`#/...`) are followed. Bundle the spec into one document first (for example with `redocly bundle`)"
        ),
    ))
}

impl<'a> Resolver<'a> {
    /// A resolver over `api`.
    pub fn new(api: &'a OpenAPI) -> Self {
        Resolver { api }
    }

    resolver_fn!(schema, Schema, "schemas", schemas);
    resolver_fn!(parameter, Parameter, "parameters", parameters);
    resolver_fn!(request_body, RequestBody, "requestBodies", request_bodies);
    resolver_fn!(response, Response, "responses", responses);

    /// `true` when `reference` is a local `#/components/parameters/…`
    /// reference naming a parameter that is not there (a dangling reference,
    /// as opposed to an external or malformed one).
    pub fn parameter_missing(&self, reference: &str) -> bool {
        component_name(reference, "parameters").is_some_and(|key| {
            let key = unescape_token(key);
            self.api.components.as_ref().is_none_or(|c| !c.parameters.contains_key(key.as_str()))
        })
    }

    /// The component schema name a `$ref` points to, if it is a schema reference.
    pub fn schema_ref_name(reference: &str) -> Option<String> {
        component_name(reference, "schemas").map(unescape_token)
    }

    /// Like [`Self::schema`], for the boxed references of `items` and `additionalProperties`.
    pub fn boxed_schema<'b>(
        &self,
        item: &'b ReferenceOr<Box<Schema>>,
        pointer: &str,
    ) -> Result<(&'b Schema, Option<&'b str>), Problem>
    where
        'a: 'b,
    {
        let api: &'a OpenAPI = self.api;
        match item {
            ReferenceOr::Item(s) => Ok((s, None)),
            ReferenceOr::Reference { reference } => {
                let key = component_name(reference, "schemas").ok_or_else(|| unresolvable(reference, "schemas", pointer))?;
                let key = unescape_token(key);
                let next = api
                    .components
                    .as_ref()
                    .and_then(|c| c.schemas.get(key.as_str()))
                    .ok_or_else(|| {
                        Problem::new(
                            pointer,
                            format!("`$ref` {reference:?} points to a missing component (no `{key}` under `components.schemas`)"),
                        )
                    })?;
                self.schema(next, pointer).map(|(s, name)| {
                    let name = name.or_else(|| {
                        api.components.as_ref().and_then(|c| c.schemas.get_key_value(key.as_str())).map(|(k, _)| k.as_str())
                    });
                    (s, name)
                })
            }
        }
    }
}
