//! Spec evolution: what a change of the spec does to the generated Rust API.
//!
//! [`diff`] compares two models ([`Api`]) and returns a [`Report`]: one
//! [`Group`] for the crate as a whole, one per operation (the `Client`
//! method) and one per named type, each listing [`Change`]s classified for
//! someone whose code compiles against the old crate. [`next_version`]
//! turns the report's overall [`Level`] into the generated crate's next
//! version. The report renders as text ([`Report::to_text`]), Markdown for
//! a changelog ([`Report::to_markdown`]) and JSON ([`Report::to_json`]).
//!
//! Comparing models rather than documents means the report speaks of what
//! users compile against (method and type names, argument lists, setters,
//! field types), and is blind to spec edits that change no Rust item
//! (reordered keys, examples, a `$ref` instead of an inline copy). An
//! operation's Rust signature is read from its [`Surface`](crate::model::Surface),
//! the same description emit writes the code from: `client.op(args…)`
//! returns a request value with one setter per optional input.
//!
//! # The rules
//!
//! Items are matched by their Rust names: operations by method name, types
//! by type name, fields by field name, enum values by wire value, setters by
//! setter name; arguments are positional.
//!
//! **Breaking**: code that compiled against the old crate may stop compiling,
//! or a value may decode into something else:
//! - an operation, type, field, setter, enum value, union variant, builder
//!   method or constant removed (renaming is a removal plus an addition: a
//!   renamed optional parameter renames its setter);
//! - a method's argument list changed: the required inputs (path
//!   parameters, required query, header and cookie parameters, a required
//!   body) are positional, so one added, removed, reordered or retyped
//!   breaks every call;
//! - an optional input made required (its setter becomes an argument) or a
//!   required one made optional (its argument becomes a setter);
//! - a setter's type changed (`impl Into<String>` → `i32`), or the request
//!   value's type renamed;
//! - a field's Rust type changed, including by its presence: required `T`,
//!   required nullable or optional `Option<T>`, optional nullable
//!   `Nullable<T>`. A response field going from optional to required is
//!   breaking too: decoding still works, but `Option<T>` became `T`;
//! - a field added to a struct users build (any type reachable from a request,
//!   or from no operation at all) unless the field is optional and the struct
//!   still derives `Default` (all fields optional): a required field, or any
//!   field in a struct that has required fields, breaks struct literals;
//! - a struct users build that no longer derives `Default`;
//! - a method's success or error type changed (`Result<ResponseValue<S>,
//!   Error<E>>`), including the first typed error response (`E` goes from
//!   `()` to a type) or a new body type that turns `S` or `E` into an enum;
//! - a variant added to a closed enum: a union (`oneOf`/`anyOf`, which has no
//!   catch-all variant and decodes by trying variants in order) or an
//!   operation's response/error enum; any change of a union's variant order;
//! - a documented response removed, moved between success and error, or
//!   given another body;
//! - (from the configuration file) a type that no longer derives a trait
//!   it derived; an operation or type now behind a cargo feature it was not
//!   behind, or behind another one; a cargo feature removed; a feature
//!   leaving the default features.
//!
//! **Additive**: code that compiled still compiles and decodes the same way:
//! - an operation, type, builder method or constant added;
//! - an optional parameter or an optional request body added: a new setter
//!   (`.expand(true)`, `.body(..)`) that existing calls do not use;
//! - an optional field added to a struct that derives `Default` (build
//!   request structs with `..Default::default()`: struct literals listing
//!   every field are not covered by this promise), or any field added to a
//!   type only reachable from responses, and such a type losing `Default`
//!   (those types are read, not built);
//! - a value added to a string or integer enum: the generated enums are open,
//!   so the value was already received, as `Other("…")` or the raw integer,
//!   and string enums are `#[non_exhaustive]`, so every `match` on them
//!   already has a wildcard arm;
//! - a documented response added where the method's types stay the same;
//! - what goes on the wire without changing a Rust signature: the HTTP method
//!   or path, a parameter's wire name, location or style (including a renamed
//!   required parameter at the same argument position with the same type), a field's JSON name
//!   when its Rust name stays, presence changes that keep the Rust type
//!   (required nullable ↔ optional, both `Option<T>`), the request media type,
//!   the default server URL, a field's documented default value;
//! - an operation (un)deprecated;
//! - (from the configuration file) a type that derives a trait more; an
//!   operation or type compiled under more features, or always; a cargo
//!   feature added; features added to the default features.
//!
//! **Docs-only**: documentation text (descriptions, summaries, the title,
//! `info.version`) and defaults that only appear in docs.
//!
//! The report's level is its most severe change; [`next_version`] maps it to
//! a semver bump: breaking → next major (next minor below 1.0), additive →
//! next minor, docs-only → next patch, no change → same version.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::Serialize;

use crate::model::{
    Api, AuthKind, AuthScheme, Body, EnumVariant, Field, Input, InputTarget, InputType, Operation, Param, ParamLocation, Presence,
    QueryStyle, Response, ResponseBody, StatusMatch, TypeDef, TypeKind, TypeRef,
};

/// How a change affects code compiled against the old crate (ordered by severity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Only documentation text changed.
    DocsOnly,
    /// Compatible: existing code still compiles and decodes the same way.
    Additive,
    /// Existing code may stop compiling or decode differently.
    Breaking,
}

impl Level {
    /// `breaking`, `additive` or `docs-only`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::DocsOnly => "docs-only",
            Level::Additive => "additive",
            Level::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a group of changes is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// The crate as a whole: docs, default server, client builder credentials.
    Crate,
    /// One operation, i.e. one `Client` method.
    Operation,
    /// One named type in the `types` module.
    Type,
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Its classification.
    pub level: Level,
    /// What changed, in a sentence (Rust items in backticks).
    pub message: String,
}

/// The changes to one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    /// What kind of item.
    pub scope: Scope,
    /// Its Rust name (the method or type name; `crate` for the crate).
    pub name: String,
    /// What it is: `PATCH /v1/contact/{id}` for an operation, `struct` for a type.
    pub label: String,
    /// The changes, most significant first within the order they were found.
    pub changes: Vec<Change>,
}

impl Group {
    /// The group's most severe change.
    pub fn level(&self) -> Option<Level> {
        self.changes.iter().map(|c| c.level).max()
    }

    fn title(&self) -> String {
        match self.scope {
            Scope::Crate => "crate".to_owned(),
            Scope::Operation => format!("operation `{}` ({})", self.name, self.label),
            Scope::Type => format!("type `{}` ({})", self.name, self.label),
        }
    }
}

/// Every change between two models.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The most severe change; `None` when the Rust API is the same.
    pub level: Option<Level>,
    /// How many changes of each level.
    pub counts: Counts,
    /// The crate group first, then operations, then types, each by name.
    pub groups: Vec<Group>,
}

/// Number of changes per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Breaking changes.
    pub breaking: usize,
    /// Additive changes.
    pub additive: usize,
    /// Documentation changes.
    pub docs_only: usize,
}

impl Report {
    /// `true` when nothing changed in the Rust API.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// One-line summary: `breaking (2 breaking, 1 additive)` or `no API change`.
    pub fn summary(&self) -> String {
        let Some(level) = self.level else { return "no API change".to_owned() };
        let mut parts = Vec::new();
        for (n, what) in [(self.counts.breaking, "breaking"), (self.counts.additive, "additive"), (self.counts.docs_only, "docs-only")] {
            if n > 0 {
                parts.push(format!("{n} {what}"));
            }
        }
        format!("{level} ({})", parts.join(", "))
    }

    /// The report as plain text, one line per change, grouped.
    pub fn to_text(&self) -> String {
        let mut out = format!("API change: {}\n", self.summary());
        for g in &self.groups {
            out.push('\n');
            out.push_str(&g.title());
            out.push('\n');
            for c in &g.changes {
                out.push_str(&format!("  {:<9}  {}\n", c.level.as_str(), c.message));
            }
        }
        out
    }

    /// The report as a Markdown list (for a changelog entry).
    pub fn to_markdown(&self) -> String {
        if self.is_empty() {
            return "No change to the Rust API.\n".to_owned();
        }
        let mut out = format!("API change: {}.\n\n", self.summary());
        for g in &self.groups {
            out.push_str(&format!("- {}\n", g.title()));
            for c in &g.changes {
                out.push_str(&format!("  - **{}**: {}\n", c.level, c.message));
            }
        }
        out
    }

    /// The report as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()))
    }
}

/// The version after a change of `level` from `current` (a crate version,
/// see [`crate::version::parse`]: `MAJOR.MINOR.PATCH`, optional `v` prefix;
/// a pre-release or build suffix is dropped on a bump): breaking → next
/// major (next minor below 1.0), additive → next minor, docs-only → next
/// patch, `None` → `current` unchanged.
pub fn next_version(current: &str, level: Option<Level>) -> Result<String, String> {
    use crate::version::Version;
    let Some(level) = level else { return Ok(current.to_owned()) };
    let v = crate::version::parse(current)?;
    let next = |n: u64| n.checked_add(1).ok_or_else(|| format!("version `{current}` cannot be bumped"));
    let bumped = match level {
        Level::Breaking if v.major == 0 => Version::new(0, next(v.minor)?, 0),
        Level::Breaking => Version::new(next(v.major)?, 0, 0),
        Level::Additive => Version::new(v.major, next(v.minor)?, 0),
        Level::DocsOnly => Version::new(v.major, v.minor, next(v.patch)?),
    };
    Ok(bumped.to_string())
}

/// Compares two models; see the module docs for the rules.
pub fn diff(old: &Api, new: &Api) -> Report {
    let ctx = Ctx { old, new, old_output_only: output_only(old), new_output_only: output_only(new) };
    let mut groups = Vec::new();

    let crate_changes = crate_changes(old, new);
    if !crate_changes.is_empty() {
        groups.push(Group { scope: Scope::Crate, name: "crate".to_owned(), label: String::new(), changes: crate_changes });
    }

    let old_ops: BTreeMap<&str, &Operation> = old.operations.iter().map(|o| (o.name.as_str(), o)).collect();
    let new_ops: BTreeMap<&str, &Operation> = new.operations.iter().map(|o| (o.name.as_str(), o)).collect();
    for name in old_ops.keys().chain(new_ops.keys()).collect::<BTreeSet<_>>() {
        let (o, n) = (old_ops.get(name).copied(), new_ops.get(name).copied());
        let (changes, op) = match (o, n) {
            (Some(o), Some(n)) => (ctx.operation_changes(o, n), n),
            (None, Some(n)) => (vec![change(Level::Additive, "operation added")], n),
            (Some(o), None) => (vec![change(Level::Breaking, "operation removed")], o),
            (None, None) => continue,
        };
        if !changes.is_empty() {
            groups.push(Group { scope: Scope::Operation, name: (*name).to_owned(), label: format!("{} {}", op.method, op.path), changes });
        }
    }

    let old_types: BTreeMap<&str, &TypeDef> = old.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let new_types: BTreeMap<&str, &TypeDef> = new.types.iter().map(|t| (t.name.as_str(), t)).collect();
    for name in old_types.keys().chain(new_types.keys()).collect::<BTreeSet<_>>() {
        let (o, n) = (old_types.get(name).copied(), new_types.get(name).copied());
        let (changes, t) = match (o, n) {
            (Some(o), Some(n)) => (ctx.type_changes(o, n), n),
            (None, Some(n)) => (vec![change(Level::Additive, "type added")], n),
            (Some(o), None) => (vec![change(Level::Breaking, "type removed")], o),
            (None, None) => continue,
        };
        if !changes.is_empty() {
            groups.push(Group { scope: Scope::Type, name: (*name).to_owned(), label: kind_name(&t.kind).to_owned(), changes });
        }
    }

    let mut counts = Counts::default();
    for c in groups.iter().flat_map(|g| &g.changes) {
        match c.level {
            Level::Breaking => counts.breaking += 1,
            Level::Additive => counts.additive += 1,
            Level::DocsOnly => counts.docs_only += 1,
        }
    }
    let level = groups.iter().filter_map(Group::level).max();
    Report { level, counts, groups }
}

fn change(level: Level, message: impl Into<String>) -> Change {
    Change { level, message: message.into() }
}

/// Both models (type references are resolved through the model they come
/// from) and facts about them the classification needs.
struct Ctx<'a> {
    old: &'a Api,
    new: &'a Api,
    old_output_only: BTreeSet<String>,
    new_output_only: BTreeSet<String>,
}

// ---------------------------------------------------------------- rendering

/// A type reference of `api` as a Rust user reads it (short paths).
fn rust(api: &Api, t: &TypeRef) -> String {
    match t {
        TypeRef::String => "String".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::F32 => "f32".to_owned(),
        TypeRef::F64 => "f64".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::DateTime => "DateTime<Utc>".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Bytes => "Vec<u8>".to_owned(),
        TypeRef::File => "FilePart".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::JsonObject => "serde_json::Map<String, Value>".to_owned(),
        TypeRef::Named(id) => api.type_name(*id).to_owned(),
        TypeRef::External(path) => path.trim_start_matches("::").to_owned(),
        TypeRef::Vec(i) => format!("Vec<{}>", rust(api, i)),
        TypeRef::Map(i) => format!("BTreeMap<String, {}>", rust(api, i)),
        TypeRef::Option(i) => format!("Option<{}>", rust(api, i)),
        TypeRef::Boxed(i) => format!("Box<{}>", rust(api, i)),
    }
}

/// Whether `a` (of `old`) and `b` (of `new`) are the same Rust type: named
/// types are the same when their names are.
fn same_type(old: &Api, a: &TypeRef, new: &Api, b: &TypeRef) -> bool {
    match (a, b) {
        (TypeRef::Named(x), TypeRef::Named(y)) => old.type_name(*x) == new.type_name(*y),
        (TypeRef::Vec(x), TypeRef::Vec(y))
        | (TypeRef::Map(x), TypeRef::Map(y))
        | (TypeRef::Option(x), TypeRef::Option(y))
        | (TypeRef::Boxed(x), TypeRef::Boxed(y)) => same_type(old, x, new, y),
        _ => a == b,
    }
}

/// [`same_type`] for optional types (`None`: no body or `()`).
fn same_outcome(old: &Api, a: Option<&TypeRef>, new: &Api, b: Option<&TypeRef>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_type(old, a, new, b),
        (a, b) => a.is_none() && b.is_none(),
    }
}

/// [`same_type`] for response bodies.
fn same_body(old: &Api, a: &ResponseBody, new: &Api, b: &ResponseBody) -> bool {
    match (a, b) {
        (ResponseBody::Json(a), ResponseBody::Json(b)) | (ResponseBody::Events(a), ResponseBody::Events(b)) => same_type(old, a, new, b),
        (ResponseBody::JsonLines { item: a, seq: x }, ResponseBody::JsonLines { item: b, seq: y }) => x == y && same_type(old, a, new, b),
        (a, b) => a == b,
    }
}

/// The Rust type of a struct field, with its presence wrapper.
fn field_type(api: &Api, f: &Field) -> String {
    let t = rust(api, &f.ty);
    match f.presence {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{t}>"),
        Presence::OptionalNullable => format!("Nullable<{t}>"),
    }
}

fn presence_words(p: Presence) -> &'static str {
    match p {
        Presence::Required => "required",
        Presence::RequiredNullable => "required, nullable",
        Presence::Optional => "optional",
        Presence::OptionalNullable => "optional, nullable",
    }
}

fn is_optional(p: Presence) -> bool {
    matches!(p, Presence::Optional | Presence::OptionalNullable)
}

fn is_nullable(p: Presence) -> bool {
    matches!(p, Presence::RequiredNullable | Presence::OptionalNullable)
}

/// An argument or setter type of `api`'s surface as a Rust user reads it.
fn input_type(api: &Api, t: &InputType) -> String {
    match t {
        InputType::Str => "&str".to_owned(),
        InputType::Bytes => "&[u8]".to_owned(),
        InputType::Slice(item) => format!("&[{}]", rust(api, item)),
        InputType::Ref(t) => format!("&{}", rust(api, t)),
        InputType::IntoString => "impl Into<String>".to_owned(),
        InputType::IntoBytes => "impl Into<Vec<u8>>".to_owned(),
        InputType::IntoFile => "impl Into<FilePart>".to_owned(),
        InputType::Strings => "impl IntoIterator<Item = impl Into<String>>".to_owned(),
        InputType::Items(item) => format!("impl IntoIterator<Item = {}>", rust(api, item)),
        InputType::Value(t) => rust(api, t),
    }
}

/// Whether two surface types (of `old` and of `new`) are the same Rust type.
fn same_input(old: &Api, a: &InputType, new: &Api, b: &InputType) -> bool {
    match (a, b) {
        (InputType::Slice(x), InputType::Slice(y))
        | (InputType::Ref(x), InputType::Ref(y))
        | (InputType::Items(x), InputType::Items(y))
        | (InputType::Value(x), InputType::Value(y)) => same_type(old, x, new, y),
        (a, b) => a == b,
    }
}

fn style(s: QueryStyle) -> &'static str {
    match s {
        QueryStyle::FormExplode => "form, exploded",
        QueryStyle::Form => "form",
        QueryStyle::DeepObject => "deepObject",
        QueryStyle::SpaceDelimited => "spaceDelimited",
        QueryStyle::PipeDelimited => "pipeDelimited",
    }
}

fn status(s: StatusMatch) -> String {
    match s {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("{r}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

fn response_body(api: &Api, b: &ResponseBody) -> String {
    match b {
        ResponseBody::Empty => "no body".to_owned(),
        ResponseBody::Json(t) => format!("JSON `{}`", rust(api, t)),
        ResponseBody::Text => "text".to_owned(),
        ResponseBody::Bytes => "bytes".to_owned(),
        ResponseBody::Events(t) => format!("events of `{}`", rust(api, t)),
        ResponseBody::JsonLines { item, .. } => format!("JSON Lines of `{}`", rust(api, item)),
    }
}

fn outcome(api: &Api, t: Option<&TypeRef>) -> String {
    t.map(|t| rust(api, t)).unwrap_or_else(|| "()".to_owned())
}

fn kind_name(k: &TypeKind) -> &'static str {
    match k {
        TypeKind::Struct { .. } => "struct",
        TypeKind::StringEnum { .. } => "string enum",
        TypeKind::IntEnum { .. } => "integer enum",
        TypeKind::Union { .. } => "union",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Responses { .. } => "response enum",
    }
}

fn norm_doc(d: Option<&str>) -> String {
    d.map(|d| d.split_whitespace().collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

fn doc_changed(old: Option<&str>, new: Option<&str>) -> bool {
    norm_doc(old) != norm_doc(new)
}

// ---------------------------------------------------------------- reachability

/// Names of the named types inside a type reference of `api`.
fn named_in(api: &Api, t: &TypeRef, out: &mut Vec<String>) {
    t.for_each_id(&mut |id| out.push(api.type_name(id).to_owned()));
}

/// Every named type reachable from `roots`.
fn reachable(api: &Api, roots: Vec<String>) -> BTreeSet<String> {
    let types: BTreeMap<&str, &TypeDef> = api.types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(t) = types.get(name.as_str()) else { continue };
        t.kind.for_each_ref(&mut |r| named_in(api, r, &mut stack));
    }
    seen
}

/// Types reachable from responses and not from any request: users read them
/// but do not build them.
fn output_only(api: &Api) -> BTreeSet<String> {
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    for op in &api.operations {
        op.params.iter().for_each(|p| named_in(api, &p.ty, &mut inputs));
        if let Some(b) = &op.body {
            named_in(api, &b.ty, &mut inputs);
        }
        for r in op.success.iter().chain(&op.errors) {
            if let ResponseBody::Json(t) = &r.body {
                named_in(api, t, &mut outputs);
            }
        }
        op.success_type.iter().chain(&op.error_type).for_each(|t| named_in(api, t, &mut outputs));
    }
    let inputs = reachable(api, inputs);
    reachable(api, outputs).into_iter().filter(|t| !inputs.contains(t)).collect()
}

// ---------------------------------------------------------------- crate

fn crate_changes(old: &Api, new: &Api) -> Vec<Change> {
    let mut out = Vec::new();
    if old.title.trim() != new.title.trim() {
        out.push(change(Level::DocsOnly, format!("title changed: \"{}\" → \"{}\"", old.title.trim(), new.title.trim())));
    }
    if doc_changed(old.description.as_deref(), new.description.as_deref()) {
        out.push(change(Level::DocsOnly, "crate description changed"));
    }
    if old.spec_version != new.spec_version {
        out.push(change(Level::DocsOnly, format!("spec version {} → {}", old.spec_version, new.spec_version)));
    }
    match (&old.default_server, &new.default_server) {
        (Some(o), Some(n)) if o != n => out.push(change(Level::Additive, format!("`Client::DEFAULT_BASE_URL` changed: {o} → {n}"))),
        (None, Some(n)) => out.push(change(Level::Additive, format!("`Client::DEFAULT_BASE_URL` added: {n}"))),
        (Some(o), None) => out.push(change(Level::Breaking, format!("`Client::DEFAULT_BASE_URL` removed (was {o})"))),
        _ => {}
    }
    let old_auth: BTreeMap<&str, &AuthScheme> = old.auth.iter().map(|a| (a.method.as_str(), a)).collect();
    let new_auth: BTreeMap<&str, &AuthScheme> = new.auth.iter().map(|a| (a.method.as_str(), a)).collect();
    for name in old_auth.keys().chain(new_auth.keys()).collect::<BTreeSet<_>>() {
        let what = format!("credential method `ClientBuilder::{name}`");
        match (old_auth.get(name), new_auth.get(name)) {
            (None, Some(n)) => out.push(change(Level::Additive, format!("{what} added ({})", auth_kind(&n.kind)))),
            (Some(_), None) => out.push(change(Level::Breaking, format!("{what} removed"))),
            (Some(o), Some(n)) => {
                if o.kind != n.kind {
                    // Basic authentication and client credentials take two
                    // arguments of their own types; the rest one string.
                    let signature = |k: &AuthKind| match k {
                        AuthKind::Basic => 0,
                        AuthKind::ClientCredentials { .. } => 1,
                        _ => 2,
                    };
                    let same_signature = signature(&o.kind) == signature(&n.kind);
                    let level = if same_signature { Level::Additive } else { Level::Breaking };
                    out.push(change(level, format!("{what} now sends {} (was {})", auth_kind(&n.kind), auth_kind(&o.kind))));
                }
                match (&o.provider, &n.provider) {
                    (None, Some(p)) => out.push(change(Level::Additive, format!("credential method `ClientBuilder::{p}` added (a token provider)"))),
                    (Some(p), None) => out.push(change(Level::Breaking, format!("credential method `ClientBuilder::{p}` removed"))),
                    _ => {}
                }
                if o.spec_name != n.spec_name || doc_changed(o.doc.as_deref(), n.doc.as_deref()) {
                    out.push(change(Level::DocsOnly, format!("{what}: documentation changed")));
                }
            }
            (None, None) => {}
        }
    }
    feature_changes(old, new, &mut out);
    out
}

/// A change of the cargo features an item is compiled under (empty: always).
fn gate_changes(old: &[String], new: &[String], out: &mut Vec<Change>) {
    let list = |f: &[String]| f.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(" or ");
    if old == new {
        return;
    }
    match (old.is_empty(), new.is_empty()) {
        (true, true) => {}
        (false, true) => out.push(change(Level::Additive, format!("now always compiled (was behind feature {})", list(old)))),
        // Fewer features enable it: code built with only a dropped one loses it.
        _ if !old.is_empty() && old.iter().all(|f| new.contains(f)) => {
            out.push(change(Level::Additive, format!("now also compiled with feature {}", list(new))))
        }
        (true, false) => out.push(change(Level::Breaking, format!("now only compiled with feature {}", list(new)))),
        (false, false) => out.push(change(Level::Breaking, format!("now behind feature {} (was {})", list(new), list(old)))),
    }
}

/// Changes to the crate's cargo features.
fn feature_changes(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let names = |api: &Api| -> Vec<String> { api.features.iter().flat_map(|f| f.tags.iter().map(|(n, _)| n.clone())).collect() };
    let defaults = |api: &Api| -> Vec<String> { api.features.iter().flat_map(|f| f.default.clone()).collect() };
    let (old_names, new_names) = (names(old), names(new));
    for f in new_names.iter().filter(|f| !old_names.contains(f)) {
        out.push(change(Level::Additive, format!("cargo feature `{f}` added")));
    }
    for f in old_names.iter().filter(|f| !new_names.contains(f)) {
        out.push(change(Level::Breaking, format!("cargo feature `{f}` removed")));
    }
    let (old_default, new_default) = (defaults(old), defaults(new));
    if old_default != new_default {
        let level = if old_default.iter().all(|f| new_default.contains(f)) { Level::Additive } else { Level::Breaking };
        out.push(change(level, format!("default cargo features changed: {old_default:?} → {new_default:?}")));
    }
}

fn auth_kind(k: &AuthKind) -> String {
    match k {
        AuthKind::Bearer => "a bearer token".to_owned(),
        AuthKind::Basic => "HTTP basic credentials".to_owned(),
        AuthKind::Header(h) => format!("an API key in the `{h}` header"),
        AuthKind::Query(q) => format!("an API key in the `{q}` query parameter"),
        AuthKind::ClientCredentials { token_url } => format!("OAuth2 client credentials (tokens from `{token_url}`)"),
    }
}

// ---------------------------------------------------------------- operations

/// One argument or setter of an operation (from its surface) and what it
/// sets.
struct Arg<'a> {
    input: &'a Input,
    target: Target<'a>,
}

/// What an argument or setter sets.
#[derive(Clone, Copy)]
enum Target<'a> {
    Param(&'a Param),
    Body(&'a Body),
}

impl Arg<'_> {
    fn name(&self) -> &str {
        &self.input.name
    }

    fn describe(&self) -> String {
        match self.target {
            Target::Param(p) => format!("{} parameter `{}`", p.location.as_str(), p.wire),
            Target::Body(b) => format!("request body ({})", b.media_type),
        }
    }

    fn is_body(&self) -> bool {
        matches!(self.target, Target::Body(_))
    }

    /// The same input in another version: same name, and a body for a body.
    fn same_input(&self, other: &Arg<'_>) -> bool {
        self.name() == other.name() && self.is_body() == other.is_body()
    }
}

/// `inputs` of `op` (its arguments or its setters) with what they set.
fn inputs<'a>(op: &'a Operation, inputs: &'a [Input]) -> Vec<Arg<'a>> {
    inputs
        .iter()
        .filter_map(|input| {
            let target = match input.target {
                InputTarget::Param(i) => Target::Param(op.params.get(i)?),
                InputTarget::Body => Target::Body(op.body.as_ref()?),
            };
            Some(Arg { input, target })
        })
        .collect()
}

impl Ctx<'_> {
    fn operation_changes(&self, o: &Operation, n: &Operation) -> Vec<Change> {
        let mut out = Vec::new();
        if o.method != n.method || o.path != n.path {
            out.push(change(Level::Additive, format!("now calls `{} {}` (was `{} {}`)", n.method, n.path, o.method, o.path)));
        }
        match (o.deprecated, n.deprecated) {
            (false, true) => out.push(change(Level::Additive, "now deprecated")),
            (true, false) => out.push(change(Level::Additive, "no longer deprecated")),
            _ => {}
        }
        self.input_changes(o, n, &mut out);
        self.response_changes(o, n, &mut out);
        gate_changes(&o.features, &n.features, &mut out);
        self.pagination_changes(o, n, &mut out);
        if doc_changed(o.doc.as_deref(), n.doc.as_deref()) {
            out.push(change(Level::DocsOnly, "documentation changed"));
        }
        out
    }

    /// `.pages()` and `.items()` gained or lost, or their item type changed.
    fn pagination_changes(&self, o: &Operation, n: &Operation, out: &mut Vec<Change>) {
        let (old, new) = (self.old, self.new);
        match (&o.pagination, &n.pagination) {
            (None, Some(p)) => out.push(change(Level::Additive, format!("now paginated ({}): `.pages()` and `.items()` added", p.rule.name()))),
            (Some(p), None) => {
                out.push(change(Level::Breaking, format!("no longer paginated (was {}): `.pages()` and `.items()` removed", p.rule.name())))
            }
            (Some(a), Some(b)) => {
                if !same_type(old, &a.item, new, &b.item) {
                    out.push(change(
                        Level::Breaking,
                        format!("page item type changed: `{}` → `{}`", rust(old, &a.item), rust(new, &b.item)),
                    ));
                }
                if a.rule.name() != b.rule.name() {
                    out.push(change(Level::Additive, format!("pages are now walked by {} (was {})", b.rule.name(), a.rule.name())));
                }
            }
            (None, None) => {}
        }
    }

    /// Changes to the method's arguments, the request type and its setters.
    fn input_changes(&self, o: &Operation, n: &Operation, out: &mut Vec<Change>) {
        if o.surface.request != n.surface.request {
            out.push(change(
                Level::Breaking,
                format!("request type renamed: `request::{}` → `request::{}`", o.surface.request, n.surface.request),
            ));
        }
        let (old_args, new_args) = (inputs(o, &o.surface.args), inputs(n, &n.surface.args));
        let (old_setters, new_setters) = (inputs(o, &o.surface.setters), inputs(n, &n.surface.setters));
        self.argument_changes((&old_args, &old_setters), (&new_args, &new_setters), out);
        self.setter_changes((&old_args, &old_setters), (&new_args, &new_setters), out);
    }

    /// Arguments are positional: any change to their types or order breaks
    /// calls; renaming one at the same position with the same type does not.
    fn argument_changes(&self, (old_args, old_setters): (&[Arg<'_>], &[Arg<'_>]), (new_args, new_setters): (&[Arg<'_>], &[Arg<'_>]), out: &mut Vec<Change>) {
        let (old, new) = (self.old, self.new);
        let same_signature = old_args.len() == new_args.len()
            && old_args.iter().zip(new_args).all(|(a, b)| same_input(old, &a.input.ty, new, &b.input.ty));
        if same_signature {
            // Same argument types in the same order: every call still compiles,
            // whatever happened to names; pair the arguments by position.
            for (a, b) in old_args.iter().zip(new_args) {
                if a.name() != b.name() || a.is_body() != b.is_body() {
                    out.push(change(
                        Level::Additive,
                        format!(
                            "argument `{}` renamed to `{}`: now the {} (was the {}); same position and type, so calls still compile",
                            a.name(),
                            b.name(),
                            b.describe(),
                            a.describe()
                        ),
                    ));
                } else {
                    wire_details(a, b, out);
                }
            }
            return;
        }
        let before = out.iter().filter(|c| c.level == Level::Breaking).count();
        for b in new_args {
            if let Some(a) = old_args.iter().find(|a| a.same_input(b)) {
                if !same_input(old, &a.input.ty, new, &b.input.ty) {
                    out.push(change(
                        Level::Breaking,
                        format!("argument `{}` type changed: `{}` → `{}`", b.name(), input_type(old, &a.input.ty), input_type(new, &b.input.ty)),
                    ));
                }
                wire_details(a, b, out);
            } else if let Some(a) = old_setters.iter().find(|a| a.same_input(b)) {
                out.push(change(
                    Level::Breaking,
                    format!("{} is now required: argument `{}: {}` (was the setter `.{}(..)`); every call must pass it", b.describe(), b.name(), input_type(new, &b.input.ty), a.name()),
                ));
                wire_details(a, b, out);
            } else {
                out.push(change(
                    Level::Breaking,
                    format!("argument `{}: {}` added ({}, required); every call must pass it", b.name(), input_type(new, &b.input.ty), b.describe()),
                ));
            }
        }
        for a in old_args.iter().filter(|a| !new_args.iter().any(|b| b.same_input(a))) {
            match new_setters.iter().find(|b| b.same_input(a)) {
                Some(b) => out.push(change(
                    Level::Breaking,
                    format!("{} is now optional: no longer the argument `{}`, set it with `.{}(..)`", b.describe(), a.name(), b.name()),
                )),
                None => out.push(change(Level::Breaking, format!("argument `{}` removed ({})", a.name(), a.describe()))),
            }
        }
        if out.iter().filter(|c| c.level == Level::Breaking).count() == before {
            let sig = |api: &Api, args: &[Arg<'_>]| args.iter().map(|a| input_type(api, &a.input.ty)).collect::<Vec<_>>().join(", ");
            out.push(change(Level::Breaking, format!("argument order changed: ({}) → ({})", sig(old, old_args), sig(new, new_args))));
        }
    }

    /// Setters are by name: a new one is additive, a removed or retyped one
    /// breaking (renaming a parameter renames its setter). Inputs that moved
    /// between arguments and setters are reported with the arguments.
    fn setter_changes(&self, (old_args, old_setters): (&[Arg<'_>], &[Arg<'_>]), (new_args, new_setters): (&[Arg<'_>], &[Arg<'_>]), out: &mut Vec<Change>) {
        let (old, new) = (self.old, self.new);
        for b in new_setters {
            if let Some(a) = old_setters.iter().find(|a| a.same_input(b)) {
                if !same_input(old, &a.input.ty, new, &b.input.ty) {
                    out.push(change(
                        Level::Breaking,
                        format!("setter `.{}(..)` type changed: `{}` → `{}`", b.name(), input_type(old, &a.input.ty), input_type(new, &b.input.ty)),
                    ));
                }
                wire_details(a, b, out);
            } else if !old_args.iter().any(|a| a.same_input(b)) {
                out.push(change(
                    Level::Additive,
                    format!("setter `.{}({})` added ({}, optional)", b.name(), input_type(new, &b.input.ty), b.describe()),
                ));
            }
        }
        for a in old_setters {
            if !new_setters.iter().any(|b| b.same_input(a)) && !new_args.iter().any(|b| b.same_input(a)) {
                out.push(change(Level::Breaking, format!("setter `.{}(..)` removed ({})", a.name(), a.describe())));
            }
        }
    }
}

/// Changes of one argument or setter that keep its Rust type: wire details and docs.
fn wire_details(a: &Arg<'_>, b: &Arg<'_>, out: &mut Vec<Change>) {
    match (a.target, b.target) {
        (Target::Param(a), Target::Param(b)) => {
            if a.name == b.name && (a.wire != b.wire || a.location != b.location) {
                out.push(change(
                    Level::Additive,
                    format!("parameter `{}` now sent as {} parameter `{}` (was {} parameter `{}`)", b.name, b.location.as_str(), b.wire, a.location.as_str(), a.wire),
                ));
            }
            if a.style != b.style && b.location == ParamLocation::Query {
                out.push(change(Level::Additive, format!("parameter `{}` serialization changed: {} → {}", b.name, style(a.style), style(b.style))));
            }
            if doc_changed(a.doc.as_deref(), b.doc.as_deref()) {
                out.push(change(Level::DocsOnly, format!("parameter `{}`: documentation changed", b.name)));
            }
        }
        (Target::Body(a), Target::Body(b)) => {
            if a.media_type != b.media_type && a.kind == b.kind {
                out.push(change(Level::Additive, format!("request body now sent as {} (was {})", b.media_type, a.media_type)));
            } else if a.kind != b.kind {
                out.push(change(Level::Additive, format!("request body encoding changed: {} → {}", a.media_type, b.media_type)));
            }
            if doc_changed(a.doc.as_deref(), b.doc.as_deref()) {
                out.push(change(Level::DocsOnly, "request body: documentation changed"));
            }
        }
        _ => {}
    }
}

impl Ctx<'_> {
    fn response_changes(&self, o: &Operation, n: &Operation, out: &mut Vec<Change>) {
        let (old, new) = (self.old, self.new);
        let index = |op: &Operation| -> BTreeMap<StatusMatch, (bool, Response)> {
            let mut m = BTreeMap::new();
            for r in &op.success {
                m.entry(r.status).or_insert((false, r.clone()));
            }
            for r in &op.errors {
                m.entry(r.status).or_insert((true, r.clone()));
            }
            m
        };
        let (old_r, new_r) = (index(o), index(n));
        let kind = |is_error: bool| if is_error { "error" } else { "success" };
        for s in old_r.keys().chain(new_r.keys()).collect::<BTreeSet<_>>() {
            let st = status(*s);
            match (old_r.get(s), new_r.get(s)) {
                (None, Some((e, r))) => out.push(change(Level::Additive, format!("{} response {st} added ({})", kind(*e), response_body(new, &r.body)))),
                (Some((e, r)), None) => out.push(change(
                    Level::Breaking,
                    format!("{} response {st} removed (was {}); it is now an unexpected status", kind(*e), response_body(old, &r.body)),
                )),
                (Some((oe, or)), Some((ne, nr))) => {
                    if oe != ne {
                        out.push(change(Level::Breaking, format!("response {st} moved from {} to {}", kind(*oe), kind(*ne))));
                    }
                    if !same_body(old, &or.body, new, &nr.body) {
                        out.push(change(
                            Level::Breaking,
                            format!("{} response {st} body changed: {} → {}", kind(*ne), response_body(old, &or.body), response_body(new, &nr.body)),
                        ));
                    }
                    if doc_changed(or.doc.as_deref(), nr.doc.as_deref()) {
                        out.push(change(Level::DocsOnly, format!("{} response {st}: description changed", kind(*ne))));
                    }
                }
                (None, None) => {}
            }
        }
        if !same_outcome(old, o.success_type.as_ref(), new, n.success_type.as_ref()) {
            out.push(change(
                Level::Breaking,
                format!("success type changed: `ResponseValue<{}>` → `ResponseValue<{}>`", outcome(old, o.success_type.as_ref()), outcome(new, n.success_type.as_ref())),
            ));
        }
        if !same_outcome(old, o.error_type.as_ref(), new, n.error_type.as_ref()) {
            out.push(change(
                Level::Breaking,
                format!("error type changed: `Error<{}>` → `Error<{}>`", outcome(old, o.error_type.as_ref()), outcome(new, n.error_type.as_ref())),
            ));
        }
    }
}

// ---------------------------------------------------------------- types

impl Ctx<'_> {
    fn type_changes(&self, o: &TypeDef, n: &TypeDef) -> Vec<Change> {
        let mut out = Vec::new();
        match (&o.kind, &n.kind) {
            (TypeKind::Struct { fields: of, additional: oa }, TypeKind::Struct { fields: nf, additional: na }) => {
                self.struct_changes(&n.name, (of, oa.as_ref()), (nf, na.as_ref()), &mut out)
            }
            (TypeKind::StringEnum { variants: ov, other: oo }, TypeKind::StringEnum { variants: nv, other: no }) => {
                string_enum_changes(ov, nv, &mut out);
                if oo != no {
                    out.push(change(Level::Breaking, format!("catch-all variant renamed: `{oo}` → `{no}`")));
                }
            }
            (TypeKind::IntEnum { values: ov }, TypeKind::IntEnum { values: nv }) => int_enum_changes(ov, nv, &mut out),
            (TypeKind::Union { variants: ov }, TypeKind::Union { variants: nv }) => {
                let old: Vec<(&str, Option<&TypeRef>)> = ov.iter().map(|v| (v.name.as_str(), Some(&v.ty))).collect();
                let new: Vec<(&str, Option<&TypeRef>)> = nv.iter().map(|v| (v.name.as_str(), Some(&v.ty))).collect();
                variant_changes(self, &old, &new, "union: exhaustive matches must handle it, and values may decode into it", &mut out);
                let old_names: Vec<&str> = old.iter().map(|v| v.0).filter(|x| new.iter().any(|v| v.0 == *x)).collect();
                let new_names: Vec<&str> = new.iter().map(|v| v.0).filter(|x| old.iter().any(|v| v.0 == *x)).collect();
                if old_names != new_names {
                    out.push(change(Level::Breaking, "variant order changed: decoding tries variants in order, so values may decode differently"));
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                if !same_type(self.old, a, self.new, b) {
                    out.push(change(Level::Breaking, format!("now an alias of `{}` (was `{}`)", rust(self.new, b), rust(self.old, a))));
                }
            }
            (TypeKind::Responses { variants: ov }, TypeKind::Responses { variants: nv }) => {
                let old: Vec<(&str, Option<&TypeRef>)> = ov.iter().map(|v| (v.name.as_str(), v.ty.as_ref())).collect();
                let new: Vec<(&str, Option<&TypeRef>)> = nv.iter().map(|v| (v.name.as_str(), v.ty.as_ref())).collect();
                variant_changes(self, &old, &new, "closed enum: exhaustive matches must handle it", &mut out);
                for v in nv {
                    if let Some(ov) = ov.iter().find(|x| x.name == v.name)
                        && doc_changed(ov.doc.as_deref(), v.doc.as_deref())
                    {
                        out.push(change(Level::DocsOnly, format!("variant `{}`: documentation changed", v.name)));
                    }
                }
            }
            (a, b) => out.push(change(Level::Breaking, format!("kind changed: {} → {}", kind_name(a), kind_name(b)))),
        }
        for d in n.derives.iter().filter(|d| !o.derives.contains(d)) {
            out.push(change(Level::Additive, format!("now derives `{}`", d.trim_start_matches("::"))));
        }
        for d in o.derives.iter().filter(|d| !n.derives.contains(d)) {
            out.push(change(Level::Breaking, format!("no longer derives `{}`", d.trim_start_matches("::"))));
        }
        gate_changes(&o.features, &n.features, &mut out);
        if doc_changed(o.doc.as_deref(), n.doc.as_deref()) {
            out.push(change(Level::DocsOnly, "documentation changed"));
        }
        out
    }

    fn struct_changes(&self, name: &str, (of, oa): (&[Field], Option<&TypeRef>), (nf, na): (&[Field], Option<&TypeRef>), out: &mut Vec<Change>) {
        // `emit::types` derives `Default` exactly when every field is optional.
        let old_default = of.iter().all(|f| is_optional(f.presence));
        let new_default = nf.iter().all(|f| is_optional(f.presence));
        // A type users only read (reachable from responses only, before and after).
        let read_only = self.old_output_only.contains(name) && self.new_output_only.contains(name);
        let added_level = |optional: bool| if read_only || (optional && new_default) { Level::Additive } else { Level::Breaking };
        let why = |optional: bool| {
            if read_only {
                "; the type only appears in responses"
            } else if optional && new_default {
                "; build the struct with `..Default::default()`"
            } else if optional {
                "; struct literals must set it (the struct has required fields, so no `Default`)"
            } else {
                "; struct literals must set it"
            }
        };
        let old_fields: BTreeMap<&str, &Field> = of.iter().map(|f| (f.name.as_str(), f)).collect();
        let new_fields: BTreeMap<&str, &Field> = nf.iter().map(|f| (f.name.as_str(), f)).collect();
        for f in nf {
            let Some(old) = old_fields.get(f.name.as_str()) else {
                let optional = is_optional(f.presence);
                out.push(change(
                    added_level(optional),
                    format!("field `{}` added: `{}` ({}){}", f.name, field_type(self.new, f), presence_words(f.presence), why(optional)),
                ));
                continue;
            };
            self.field_changes(old, f, out);
        }
        for f in of {
            if !new_fields.contains_key(f.name.as_str()) {
                out.push(change(Level::Breaking, format!("field `{}` removed (was `{}`, JSON `{}`)", f.name, field_type(self.old, f), f.wire)));
            }
        }
        match (oa, na) {
            (None, Some(t)) => out.push(change(
                added_level(true),
                format!("field `additional_properties` added: `BTreeMap<String, {}>` (properties not listed){}", rust(self.new, t), why(true)),
            )),
            (Some(t), None) => out.push(change(Level::Breaking, format!("field `additional_properties` removed (was `BTreeMap<String, {}>`)", rust(self.old, t)))),
            (Some(a), Some(b)) if !same_type(self.old, a, self.new, b) => out.push(change(
                Level::Breaking,
                format!("field `additional_properties` type changed: `BTreeMap<String, {}>` → `BTreeMap<String, {}>`", rust(self.old, a), rust(self.new, b)),
            )),
            _ => {}
        }
        if old_default && !new_default && read_only {
            out.push(change(Level::Additive, "no longer implements `Default` (it has a required field now); the type only appears in responses"));
        } else if old_default && !new_default {
            out.push(change(Level::Breaking, "no longer implements `Default` (it has a required field now)"));
        } else if !old_default && new_default {
            out.push(change(Level::Additive, "now implements `Default` (every field is optional)"));
        }
    }

    fn field_changes(&self, o: &Field, n: &Field, out: &mut Vec<Change>) {
        let name = &n.name;
        let (ot, nt) = (field_type(self.old, o), field_type(self.new, n));
        let type_changed = !same_type(self.old, &o.ty, self.new, &n.ty);
        if type_changed || ot != nt {
            let mut why = Vec::new();
            if type_changed {
                why.push("type changed".to_owned());
            }
            match (is_optional(o.presence), is_optional(n.presence)) {
                (true, false) => why.push("now required".to_owned()),
                (false, true) => why.push("now optional".to_owned()),
                _ => {}
            }
            match (is_nullable(o.presence), is_nullable(n.presence)) {
                (false, true) => why.push("now nullable".to_owned()),
                (true, false) => why.push("no longer nullable".to_owned()),
                _ => {}
            }
            out.push(change(Level::Breaking, format!("field `{name}` {}: `{ot}` → `{nt}`", why.join(", "))));
        } else if o.presence != n.presence {
            out.push(change(
                Level::Additive,
                format!("field `{name}` now {} (was {}); the Rust type stays `{nt}`", presence_words(n.presence), presence_words(o.presence)),
            ));
        }
        if o.wire != n.wire {
            out.push(change(Level::Additive, format!("field `{name}` JSON name changed: `{}` → `{}`", o.wire, n.wire)));
        }
        match (&o.default_const, &n.default_const) {
            (Some(a), None) => out.push(change(Level::Breaking, format!("constant `{a}` removed (field `{name}` has no default now)"))),
            (Some(a), Some(b)) if a != b => out.push(change(Level::Breaking, format!("constant `{a}` renamed to `{b}`"))),
            (None, Some(b)) => out.push(change(Level::Additive, format!("constant `{b}` added (default of field `{name}`)"))),
            _ => {}
        }
        if o.default != n.default {
            let show = |d: &Option<serde_json::Value>| d.as_ref().map(ToString::to_string).unwrap_or_else(|| "none".to_owned());
            let level = if o.default_const.is_some() && n.default_const.is_some() { Level::Additive } else { Level::DocsOnly };
            out.push(change(level, format!("field `{name}` default changed: {} → {}", show(&o.default), show(&n.default))));
        }
        if doc_changed(o.doc.as_deref(), n.doc.as_deref()) {
            out.push(change(Level::DocsOnly, format!("field `{name}`: documentation changed")));
        }
    }
}

fn string_enum_changes(o: &[EnumVariant], n: &[EnumVariant], out: &mut Vec<Change>) {
    let old: BTreeMap<&str, &str> = o.iter().map(|v| (v.value.as_str(), v.name.as_str())).collect();
    let new: BTreeMap<&str, &str> = n.iter().map(|v| (v.value.as_str(), v.name.as_str())).collect();
    for v in n {
        match old.get(v.value.as_str()) {
            None => out.push(change(
                Level::Additive,
                format!("value {:?} added (variant `{}`); the open enum received it as the catch-all variant before", v.value, v.name),
            )),
            Some(was) if *was != v.name => {
                out.push(change(Level::Breaking, format!("variant for {:?} renamed: `{was}` → `{}`", v.value, v.name)))
            }
            Some(_) => {}
        }
    }
    for v in o {
        if !new.contains_key(v.value.as_str()) {
            out.push(change(Level::Breaking, format!("value {:?} removed (variant `{}`)", v.value, v.name)));
        }
    }
}

fn int_enum_changes(o: &[(String, i64)], n: &[(String, i64)], out: &mut Vec<Change>) {
    let old: BTreeMap<i64, &str> = o.iter().map(|(c, v)| (*v, c.as_str())).collect();
    let new: BTreeMap<i64, &str> = n.iter().map(|(c, v)| (*v, c.as_str())).collect();
    for (c, v) in n {
        match old.get(v) {
            None => out.push(change(Level::Additive, format!("value {v} added (constant `{c}`)"))),
            Some(was) if was != c => out.push(change(Level::Breaking, format!("constant for {v} renamed: `{was}` → `{c}`"))),
            Some(_) => {}
        }
    }
    for (c, v) in o {
        if !new.contains_key(v) {
            out.push(change(Level::Breaking, format!("value {v} removed (constant `{c}`)")));
        }
    }
}

/// Variants (name, value type; `None` for a unit variant) of an enum in
/// `ctx.old` and in `ctx.new`.
type Variants<'a> = [(&'a str, Option<&'a TypeRef>)];

fn variant_changes(ctx: &Ctx<'_>, old: &Variants<'_>, new: &Variants<'_>, added_note: &str, out: &mut Vec<Change>) {
    let show = |api: &Api, t: Option<&TypeRef>| t.map(|t| format!("({})", rust(api, t))).unwrap_or_default();
    for (name, ty) in new {
        match old.iter().find(|(n, _)| n == name) {
            None => out.push(change(Level::Breaking, format!("variant `{name}{}` added; {added_note}", show(ctx.new, *ty)))),
            Some((_, was)) if !same_outcome(ctx.old, *was, ctx.new, *ty) => out.push(change(
                Level::Breaking,
                format!("variant `{name}` type changed: {} → {}", or_unit(&show(ctx.old, *was)), or_unit(&show(ctx.new, *ty))),
            )),
            Some(_) => {}
        }
    }
    for (name, ty) in old {
        if !new.iter().any(|(n, _)| n == name) {
            out.push(change(Level::Breaking, format!("variant `{name}{}` removed", show(ctx.old, *ty))));
        }
    }
}

fn or_unit(s: &str) -> String {
    if s.is_empty() { "no value".to_owned() } else { format!("`{}`", s.trim_start_matches('(').trim_end_matches(')')) }
}
