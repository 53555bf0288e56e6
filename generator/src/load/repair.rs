//! Repair: objects that do not shape the generated types or calls are read
//! leniently.
//!
//! `openapiv3` parses servers and server variables, tags, external docs,
//! examples, links, callbacks, security requirements, `info.contact` and
//! `info.license`, encodings, response headers and the OAuth2/OpenID details
//! of security schemes strictly, so one defect in any of them (Jira's
//! published document has a server variable without `default`) used to stop
//! the whole generation. None of them changes a type or a call, so each
//! defect is repaired here, before the typed parse, or the object is
//! dropped, with a located [`Warning`] that says which (an error under
//! `--strict`):
//!
//! - a server variable without `default` takes its first `enum` value, or
//!   `""`; numbers in `enum`/`default` become strings; a server without a
//!   string `url` is dropped;
//! - a bad tag, external docs object, link, callback, encoding or response
//!   header is dropped, as are `info.contact`/`info.license` and
//!   non-string `info.description`/`termsOfService`;
//! - an example keeps its `value`; a non-string `summary`, `description` or
//!   `externalValue` is dropped; an example that is not an object is dropped;
//! - a security requirement's scopes that are not a list of strings become
//!   `[]` (credentials are builder methods, whatever the requirements say);
//! - an OAuth2 scheme with bad `flows` keeps its bearer-token method.
//!
//! It runs after the rewrite of 3.1 forms ([`super::normalize`]), so schema
//! problems that rewrite found inside a callback, a response header or an
//! encoding, which the client never uses, become warnings too. Every object
//! ends with a check that `openapiv3` now reads it (anything this module does
//! not repair by hand is dropped whole); examples are checked by hand, since
//! reading them would copy their values.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::locate::json_kind;
use crate::error::{Problem, Warning, WarningKind, pointer_token};

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Repairs or drops the malformed objects of `doc` that do not shape the
/// generated crate. `problems` found inside objects the client does not use
/// are moved to `warnings`.
pub fn repair(doc: &mut Value, warnings: &mut Vec<Warning>, problems: &mut Vec<Problem>) {
    let Value::Object(root) = doc else { return };
    let mut r = Repair { warnings, problems };
    if let Some(Value::Object(info)) = root.get_mut("info") {
        r.info(info);
    }
    r.servers(root, "");
    r.tags(root);
    r.external_docs(root, "");
    r.security(root, "");
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            if path.starts_with('/') {
                r.path_item(item, &child("/paths", path));
            }
        }
    }
    if let Some(Value::Object(components)) = root.get_mut("components") {
        r.components(components);
    }
}

struct Repair<'a> {
    warnings: &'a mut Vec<Warning>,
    problems: &'a mut Vec<Problem>,
}

fn child(ptr: &str, key: &str) -> String {
    format!("{ptr}/{}", pointer_token(key))
}

/// The message of `openapiv3`'s failure to read `v` as a `T`, if it fails.
fn unreadable<T: DeserializeOwned>(v: &Value) -> Option<String> {
    T::deserialize(v).err().map(|e| e.to_string())
}

fn is_ref(v: &Value) -> bool {
    v.get("$ref").is_some_and(Value::is_string)
}

/// An entry of a map or list is kept, or dropped with this message.
type Verdict = Result<(), String>;

impl Repair<'_> {
    fn warn(&mut self, kind: WarningKind, ptr: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Warning::new(kind, ptr, message));
    }

    /// Removes `map[key]` with a warning at its pointer.
    fn drop_key(&mut self, map: &mut Map<String, Value>, key: &str, ptr: &str, kind: WarningKind, message: String) {
        map.shift_remove(key);
        self.warn(kind, child(ptr, key), message);
    }

    /// `map[key]`, when present and not `null`, must be a string; else it is dropped.
    fn optional_string(&mut self, map: &mut Map<String, Value>, key: &str, ptr: &str, kind: WarningKind) {
        if let Some(v) = map.get(key).filter(|v| !v.is_string() && !v.is_null()) {
            let message = format!("`{key}` must be a string, found {}; ignored", json_kind(v));
            self.drop_key(map, key, ptr, kind, message);
        }
    }

    /// Problems already found at or under `ptr` (in an object the client
    /// does not use) become warnings of `kind`.
    fn demote(&mut self, ptr: &str, kind: WarningKind, why: &str) {
        if self.problems.is_empty() {
            return;
        }
        let prefix = format!("{ptr}/");
        let (inside, rest): (Vec<Problem>, Vec<Problem>) =
            std::mem::take(self.problems).into_iter().partition(|p| p.pointer == ptr || p.pointer.starts_with(&prefix));
        *self.problems = rest;
        for p in inside {
            self.warn(kind, p.pointer, format!("{}; ignored: {why}", p.message));
        }
    }

    /// `map[key]` must be an object; each of its entries is checked by
    /// `entry` and dropped (with a warning) when it returns a message. A
    /// value that is not an object is dropped whole.
    fn each_entry(
        &mut self,
        map: &mut Map<String, Value>,
        key: &str,
        ptr: &str,
        kind: WarningKind,
        what: &str,
        mut entry: impl FnMut(&mut Self, &mut Value, &str) -> Verdict,
    ) {
        let Some(value) = map.get_mut(key) else { return };
        let Value::Object(entries) = value else {
            let message = format!("`{key}` must be a map of {what}, found {}; ignored", json_kind(value));
            self.drop_key(map, key, ptr, kind, message);
            return;
        };
        let here = child(ptr, key);
        let mut bad = Vec::new();
        for (name, v) in entries.iter_mut() {
            let at = child(&here, name);
            if let Err(message) = entry(self, v, &at) {
                bad.push((name.clone(), at, message));
            }
        }
        for (name, at, message) in bad {
            entries.shift_remove(&name);
            self.warn(kind, at, message);
        }
    }

    /// Like [`Self::each_entry`], for a list.
    fn each_item(
        &mut self,
        map: &mut Map<String, Value>,
        key: &str,
        ptr: &str,
        kind: WarningKind,
        what: &str,
        mut item: impl FnMut(&mut Self, &mut Value, &str) -> Verdict,
    ) {
        let Some(value) = map.get_mut(key) else { return };
        let Value::Array(items) = value else {
            let message = format!("`{key}` must be a list of {what}, found {}; ignored", json_kind(value));
            self.drop_key(map, key, ptr, kind, message);
            return;
        };
        let here = child(ptr, key);
        let mut kept = Vec::with_capacity(items.len());
        for (index, mut v) in std::mem::take(items).into_iter().enumerate() {
            let at = format!("{here}/{index}");
            match item(self, &mut v, &at) {
                Ok(()) => kept.push(v),
                Err(message) => self.warn(kind, at, message),
            }
        }
        *items = kept;
    }

    // ------------------------------------------------------------ document

    fn info(&mut self, info: &mut Map<String, Value>) {
        let kind = WarningKind::BadInfo;
        if let Some(e) = info.get("contact").and_then(unreadable::<Option<openapiv3::Contact>>) {
            self.drop_key(info, "contact", "/info", kind, format!("not a valid contact object ({e}); ignored"));
        }
        if let Some(e) = info.get("license").and_then(unreadable::<Option<openapiv3::License>>) {
            self.drop_key(info, "license", "/info", kind, format!("not a valid license object ({e}); ignored"));
        }
        self.optional_string(info, "termsOfService", "/info", kind);
        self.optional_string(info, "description", "/info", kind);
    }

    fn servers(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        self.each_item(map, "servers", ptr, WarningKind::BadServer, "server objects", Self::server);
    }

    fn server(&mut self, v: &mut Value, ptr: &str) -> Verdict {
        let kind = WarningKind::BadServer;
        let Value::Object(server) = v else {
            return Err(format!("a server must be an object, found {}; dropped", json_kind(v)));
        };
        match server.get("url") {
            Some(Value::String(_)) => {}
            None => return Err("a server without `url` is dropped".to_owned()),
            Some(other) => return Err(format!("the server `url` must be a string, found {}; the server is dropped", json_kind(other))),
        }
        self.optional_string(server, "description", ptr, kind);
        match server.get_mut("variables") {
            None | Some(Value::Null) => {}
            Some(Value::Object(variables)) => {
                let here = child(ptr, "variables");
                let mut bad = Vec::new();
                for (name, var) in variables.iter_mut() {
                    let at = child(&here, name);
                    match var {
                        Value::Object(var) => self.server_variable(var, &at),
                        other => bad.push((name.clone(), at, json_kind(other))),
                    }
                }
                for (name, at, found) in bad {
                    variables.shift_remove(&name);
                    self.warn(kind, at, format!("a server variable must be an object, found {found}; ignored"));
                }
            }
            Some(other) => {
                let message = format!("`variables` must be a map of server variables, found {}; ignored", json_kind(other));
                self.drop_key(server, "variables", ptr, kind, message);
            }
        }
        match unreadable::<openapiv3::Server>(v) {
            Some(e) => Err(format!("not a valid server object ({e}); dropped")),
            None => Ok(()),
        }
    }

    /// A variable without a `default` takes its first `enum` value (or
    /// `""`); numbers and booleans become strings.
    fn server_variable(&mut self, var: &mut Map<String, Value>, ptr: &str) {
        let kind = WarningKind::BadServer;
        fn as_text(v: &Value) -> Option<String> {
            match v {
                Value::String(s) => Some(s.clone()),
                Value::Number(_) | Value::Bool(_) => Some(v.to_string()),
                _ => None,
            }
        }
        match var.get_mut("enum") {
            None => {}
            Some(Value::Array(values)) if values.iter().all(Value::is_string) => {}
            Some(Value::Array(values)) => {
                let before = values.len();
                *values = values.iter().filter_map(as_text).map(Value::String).collect();
                let dropped = before - values.len();
                let message = if dropped == 0 {
                    "`enum` values must be strings; numbers and booleans read as strings".to_owned()
                } else {
                    format!("`enum` values must be strings; numbers and booleans read as strings, {dropped} other value(s) left out")
                };
                self.warn(kind, child(ptr, "enum"), message);
            }
            Some(other) => {
                let message = format!("`enum` must be a list of strings, found {}; ignored", json_kind(other));
                self.drop_key(var, "enum", ptr, kind, message);
            }
        }
        match var.get("default") {
            Some(Value::String(_)) => {}
            Some(d @ (Value::Number(_) | Value::Bool(_))) => {
                let text = d.to_string();
                self.warn(kind, child(ptr, "default"), format!("`default` must be a string; read as {text:?}"));
                var.insert("default".to_owned(), Value::String(text));
            }
            found => {
                let first = var.get("enum").and_then(|e| e.get(0)).and_then(Value::as_str).map(str::to_owned);
                let missing = match found {
                    None => "has no `default` (it is required)".to_owned(),
                    Some(other) => format!("has a `default` that is {}, not a string", json_kind(other)),
                };
                let message = match &first {
                    Some(value) => format!("the server variable {missing}; using its first `enum` value {value:?}"),
                    None => format!("the server variable {missing}; using \"\""),
                };
                self.warn(kind, ptr, message);
                var.insert("default".to_owned(), Value::String(first.unwrap_or_default()));
            }
        }
        self.optional_string(var, "description", ptr, kind);
    }

    fn tags(&mut self, root: &mut Map<String, Value>) {
        self.each_item(root, "tags", "", WarningKind::BadTag, "tag objects", |r, v, ptr| {
            let Value::Object(tag) = v else {
                return Err(format!("a tag must be an object, found {}; dropped", json_kind(v)));
            };
            if !tag.get("name").is_some_and(Value::is_string) {
                return Err("a tag needs a string `name`; dropped".to_owned());
            }
            r.optional_string(tag, "description", ptr, WarningKind::BadTag);
            r.external_docs(tag, ptr);
            match unreadable::<openapiv3::Tag>(v) {
                Some(e) => Err(format!("not a valid tag object ({e}); dropped")),
                None => Ok(()),
            }
        });
    }

    /// `map.externalDocs`, when present, must be an external documentation object.
    fn external_docs(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        if let Some(e) = map.get("externalDocs").and_then(unreadable::<Option<openapiv3::ExternalDocumentation>>) {
            self.drop_key(map, "externalDocs", ptr, WarningKind::BadExternalDocs, format!("not a valid external documentation object ({e}); ignored"));
        }
    }

    /// `map.security`: a list of security requirements (maps from scheme
    /// names to lists of scopes).
    fn security(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        if map.get("security").is_some_and(Value::is_null) {
            return;
        }
        self.each_item(map, "security", ptr, WarningKind::BadSecurityRequirement, "security requirements", |r, v, ptr| {
            let Value::Object(requirement) = v else {
                return Err(format!("a security requirement must be an object, found {}; ignored", json_kind(v)));
            };
            for (scheme, scopes) in requirement.iter_mut() {
                let all_strings = scopes.as_array().is_some_and(|s| s.iter().all(Value::is_string));
                if !all_strings {
                    let kept: Vec<Value> = scopes.as_array().map(|s| s.iter().filter(|v| v.is_string()).cloned().collect()).unwrap_or_default();
                    let message = format!(
                        "the scopes of `{scheme}` must be a list of strings, found {}; read as {}",
                        json_kind(scopes),
                        Value::Array(kept.clone())
                    );
                    *scopes = Value::Array(kept);
                    r.warn(WarningKind::BadSecurityRequirement, child(ptr, scheme), message);
                }
            }
            Ok(())
        });
    }

    fn path_item(&mut self, item: &mut Value, ptr: &str) {
        let Value::Object(item) = item else { return };
        if item.contains_key("$ref") {
            return;
        }
        self.servers(item, ptr);
        self.parameters(item, ptr);
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(method) {
                self.operation(op, &child(ptr, method));
            }
        }
    }

    fn operation(&mut self, op: &mut Map<String, Value>, ptr: &str) {
        // Operations inside callbacks (the top-level ones were done by
        // `normalize`): `responses` is optional in 3.1.
        op.entry("responses").or_insert_with(|| Value::Object(Map::new()));
        self.each_item(op, "tags", ptr, WarningKind::BadTag, "tag names", |_, v, _| match v {
            Value::String(_) => Ok(()),
            other => Err(format!("a tag name must be a string, found {}; ignored", json_kind(other))),
        });
        self.external_docs(op, ptr);
        self.security(op, ptr);
        self.servers(op, ptr);
        self.callbacks(op, ptr, false);
        self.parameters(op, ptr);
        if let Some(Value::Object(body)) = op.get_mut("requestBody") {
            self.request_body(body, &child(ptr, "requestBody"));
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            let here = child(ptr, "responses");
            for (code, response) in responses.iter_mut() {
                if !code.starts_with("x-") {
                    self.response(response, &child(&here, code));
                }
            }
        }
    }

    fn parameters(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        if let Some(Value::Array(params)) = map.get_mut("parameters") {
            let here = child(ptr, "parameters");
            for (i, p) in params.iter_mut().enumerate() {
                self.parameter(p, &format!("{here}/{i}"));
            }
        }
    }

    fn parameter(&mut self, p: &mut Value, ptr: &str) {
        let Value::Object(p) = p else { return };
        if p.contains_key("$ref") {
            return;
        }
        self.examples(p, ptr);
        self.content(p, ptr);
    }

    fn request_body(&mut self, body: &mut Map<String, Value>, ptr: &str) {
        if !body.contains_key("$ref") {
            self.content(body, ptr);
        }
    }

    fn response(&mut self, response: &mut Value, ptr: &str) {
        let Value::Object(response) = response else { return };
        if response.contains_key("$ref") {
            return;
        }
        self.headers(response, ptr, false);
        self.content(response, ptr);
        self.links(response, ptr);
    }

    /// `map.content`: media type objects.
    fn content(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        if let Some(Value::Object(content)) = map.get_mut("content") {
            let here = child(ptr, "content");
            for (media, m) in content.iter_mut() {
                if let Value::Object(m) = m {
                    let at = child(&here, media);
                    self.examples(m, &at);
                    self.encoding(m, &at);
                }
            }
        }
    }

    /// `map.examples`: a map of example objects (or `$ref`s). An example
    /// keeps its `value`; its non-string text fields are dropped.
    fn examples(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        self.each_entry(map, "examples", ptr, WarningKind::BadExample, "example objects", Self::example);
    }

    fn example(&mut self, v: &mut Value, ptr: &str) -> Verdict {
        let Value::Object(example) = v else {
            return Err(format!("an example must be an object (with the example in `value`), found {}; dropped", json_kind(v)));
        };
        if let Some(reference) = example.get("$ref") {
            return if reference.is_string() { Ok(()) } else { Err("`$ref` must be a string; the example is dropped".to_owned()) };
        }
        for key in ["summary", "description", "externalValue"] {
            self.optional_string(example, key, ptr, WarningKind::BadExample);
        }
        Ok(())
    }

    /// `media.encoding`: encoding objects, which the client does not use.
    fn encoding(&mut self, media: &mut Map<String, Value>, ptr: &str) {
        self.each_entry(media, "encoding", ptr, WarningKind::BadEncoding, "encoding objects", |r, v, ptr| {
            if let Value::Object(encoding) = v {
                r.headers(encoding, ptr, true);
            }
            r.demote(ptr, WarningKind::BadEncoding, "the client does not use `encoding`");
            match unreadable::<openapiv3::Encoding>(v) {
                Some(e) => Err(format!("not a valid encoding object ({e}); ignored: the client does not use `encoding`")),
                None => Ok(()),
            }
        });
    }

    /// `map.headers`: header objects of a response (or, with `in_encoding`,
    /// of an encoding), which the client does not read.
    fn headers(&mut self, map: &mut Map<String, Value>, ptr: &str, in_encoding: bool) {
        let (kind, why) = if in_encoding {
            (WarningKind::BadEncoding, "the client does not use `encoding`")
        } else {
            (WarningKind::BadResponseHeader, "response headers are not typed (they are in `ResponseValue::headers`)")
        };
        self.each_entry(map, "headers", ptr, kind, "header objects", |r, v, ptr| {
            if is_ref(v) {
                return Ok(());
            }
            if let Value::Object(header) = v {
                r.examples(header, ptr);
                r.content(header, ptr);
            }
            r.demote(ptr, kind, why);
            match unreadable::<openapiv3::Header>(v) {
                Some(e) => Err(format!("not a valid header object ({e}); ignored: {why}")),
                None => Ok(()),
            }
        });
    }

    /// `map.links`: link objects, which the client does not use.
    fn links(&mut self, map: &mut Map<String, Value>, ptr: &str) {
        self.each_entry(map, "links", ptr, WarningKind::BadLink, "link objects", Self::link);
    }

    fn link(&mut self, v: &mut Value, ptr: &str) -> Verdict {
        const WHY: &str = "the client does not use links";
        if is_ref(v) {
            return Ok(());
        }
        let Value::Object(link) = v else {
            return Err(format!("a link must be an object, found {}; ignored: {WHY}", json_kind(v)));
        };
        let targets = ["operationRef", "operationId"].iter().filter(|k| link.get(**k).is_some_and(Value::is_string)).count();
        if targets != 1 {
            return Err(format!("a link needs exactly one of `operationRef` and `operationId` (a string); ignored: {WHY}"));
        }
        if let Some(server) = link.get_mut("server")
            && let Err(message) = self.server(server, &child(ptr, "server"))
        {
            self.drop_key(link, "server", ptr, WarningKind::BadLink, message);
        }
        match unreadable::<openapiv3::Link>(v) {
            Some(e) => Err(format!("not a valid link object ({e}); ignored: {WHY}")),
            None => Ok(()),
        }
    }

    /// `map.callbacks`: callback objects (maps of path items), which the
    /// client does not use. An operation's callback may be a `$ref`, which
    /// `openapiv3` cannot read there: it is left out (nothing is lost).
    fn callbacks(&mut self, map: &mut Map<String, Value>, ptr: &str, refs_allowed: bool) {
        if !refs_allowed
            && let Some(Value::Object(callbacks)) = map.get_mut("callbacks")
        {
            callbacks.retain(|_, c| !is_ref(c));
        }
        self.each_entry(map, "callbacks", ptr, WarningKind::BadCallback, "callback objects", |r, v, ptr| {
            const WHY: &str = "the client does not use callbacks";
            if is_ref(v) {
                return Ok(());
            }
            let Value::Object(callback) = v else {
                return Err(format!("a callback must be a map of path items, found {}; ignored: {WHY}", json_kind(v)));
            };
            for (expression, item) in callback.iter_mut() {
                if !expression.starts_with("x-") {
                    r.path_item(item, &child(ptr, expression));
                }
            }
            r.demote(ptr, WarningKind::BadCallback, WHY);
            match unreadable::<openapiv3::Callback>(v) {
                Some(e) => Err(format!("not a valid callback object ({e}); ignored: {WHY}")),
                None => Ok(()),
            }
        });
    }

    // ---------------------------------------------------------- components

    fn components(&mut self, components: &mut Map<String, Value>) {
        let ptr = "/components";
        self.examples(components, ptr);
        self.headers(components, ptr, false);
        self.links(components, ptr);
        self.callbacks(components, ptr, true);
        for section in ["responses", "parameters", "requestBodies", "securitySchemes"] {
            let Some(Value::Object(entries)) = components.get_mut(section) else { continue };
            let here = child(ptr, section);
            for (name, v) in entries.iter_mut() {
                let at = child(&here, name);
                match (section, v) {
                    ("responses", v) => self.response(v, &at),
                    ("parameters", v) => self.parameter(v, &at),
                    ("requestBodies", Value::Object(body)) => self.request_body(body, &at),
                    ("securitySchemes", v) => self.security_scheme(v, &at),
                    _ => {}
                }
            }
        }
    }

    /// The parts of a security scheme the client does not use: OAuth2
    /// `flows` (every OAuth2 scheme gives a bearer-token method), the OpenID
    /// Connect URL, `bearerFormat` and a non-string `description`.
    fn security_scheme(&mut self, v: &mut Value, ptr: &str) {
        let kind = WarningKind::BadSecuritySchemeDetail;
        let Value::Object(scheme) = v else { return };
        if scheme.contains_key("$ref") {
            return;
        }
        self.optional_string(scheme, "description", ptr, kind);
        match scheme.get("type").and_then(Value::as_str) {
            Some("oauth2") => {
                let problem = match scheme.get("flows") {
                    None => Some("has no `flows`".to_owned()),
                    Some(flows) => unreadable::<openapiv3::OAuth2Flows>(flows).map(|e| format!("has invalid `flows` ({e})")),
                };
                if let Some(problem) = problem {
                    scheme.insert("flows".to_owned(), Value::Object(Map::new()));
                    self.warn(kind, ptr, format!("this OAuth2 scheme {problem}; ignored: the client takes the access token as a bearer token either way"));
                }
            }
            Some("openIdConnect") if !scheme.get("openIdConnectUrl").is_some_and(Value::is_string) => {
                scheme.insert("openIdConnectUrl".to_owned(), Value::String(String::new()));
                self.warn(kind, ptr, "this OpenID Connect scheme has no string `openIdConnectUrl`; ignored: the client takes the token as a bearer token either way");
            }
            Some("http") => self.optional_string(scheme, "bearerFormat", ptr, kind),
            _ => {}
        }
    }
}
