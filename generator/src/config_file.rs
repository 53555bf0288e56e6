//! The configuration file (`--config FILE`, TOML): what to generate beyond
//! the spec's own content. Every key is documented in the README's
//! Configuration section:
//!
//! - `[filter]`: which operations to keep (by tag, operationId glob, path
//!   prefix); the transform stage prunes the types no kept operation reaches;
//! - `[replace]`: existing Rust types for schemas (with their dependency);
//! - `[derives]`: extra derives for all types or per type;
//! - `[features]`: per-tag cargo features;
//! - `[warnings]`: warning kinds to allow or deny.
//!
//! Reading never stops at the first problem: every unknown key, value of the
//! wrong type, bad glob or bad path is recorded with its key
//! (`filter.include_tags[1]`) and line, the rest of the file is still read,
//! and [`crate::Generator`] reports these problems together with the ones
//! only the model can reveal (a tag, operation or schema the spec does not
//! have), as one [`Error::Config`].

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::error::{Error, Problem, WarningKind};

/// A configuration file, read.
#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    /// Its name, as given (for errors).
    pub origin: String,
    /// `[filter]`.
    pub filter: Filter,
    /// `[replace]`, in file order.
    pub replace: Vec<Replacement>,
    /// `[derives]`.
    pub derives: Derives,
    /// `[features]`.
    pub features: FeatureConfig,
    /// `[warnings]`.
    pub warnings: WarningConfig,
    /// Problems found while reading.
    problems: Vec<Problem>,
}

/// A value with where it was written: its key path and line/column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// The key path (`filter.include_tags[1]`).
    pub key: String,
    /// 1-based line and column.
    pub line_col: Option<(usize, usize)>,
}

impl<T> Located<T> {
    /// A problem about this value.
    pub fn problem(&self, message: impl Into<String>) -> Problem {
        Problem { pointer: self.key.clone(), message: message.into(), line_col: self.line_col }
    }
}

/// `[filter]`: an operation is kept when it matches every `include_*` list
/// that is given (any entry of the list) and no `exclude_*` entry.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Tags, as written in the spec.
    pub include_tags: Vec<Located<String>>,
    /// Tags, as written in the spec.
    pub exclude_tags: Vec<Located<String>>,
    /// operationId globs.
    pub include_operations: Vec<Located<Glob>>,
    /// operationId globs.
    pub exclude_operations: Vec<Located<Glob>>,
    /// Path prefixes (whole segments: `/pets` covers `/pets/{id}`, not `/petstore`).
    pub include_paths: Vec<Located<String>>,
    /// Path prefixes.
    pub exclude_paths: Vec<Located<String>>,
}

impl Filter {
    /// `true` when any filter key is given.
    pub fn is_active(&self) -> bool {
        !(self.include_tags.is_empty()
            && self.exclude_tags.is_empty()
            && self.include_operations.is_empty()
            && self.exclude_operations.is_empty()
            && self.include_paths.is_empty()
            && self.exclude_paths.is_empty())
    }

    /// Whether an operation with these tags, operationId and path is kept.
    pub fn keeps(&self, tags: &[String], operation_id: Option<&str>, path: &str) -> bool {
        let tag = |list: &[Located<String>]| list.iter().any(|t| tags.contains(&t.value));
        let id = |list: &[Located<Glob>]| operation_id.is_some_and(|id| list.iter().any(|g| g.value.matches(id)));
        let prefix = |list: &[Located<String>]| list.iter().any(|p| path_under(path, &p.value));
        let included = (self.include_tags.is_empty() || tag(&self.include_tags))
            && (self.include_operations.is_empty() || id(&self.include_operations))
            && (self.include_paths.is_empty() || prefix(&self.include_paths));
        included && !tag(&self.exclude_tags) && !id(&self.exclude_operations) && !prefix(&self.exclude_paths)
    }
}

/// `true` when `path` is `prefix` or lies under it, by whole segments.
pub fn path_under(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || prefix.ends_with('/') || rest.starts_with('/'),
        None => false,
    }
}

/// A glob over operationIds: `*` matches any run of characters, `?` any one
/// character; everything else matches itself (case-sensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob(String);

impl Glob {
    /// The glob, or why it is not one this generator reads.
    pub fn new(text: &str) -> Result<Glob, String> {
        if text.is_empty() {
            return Err("an empty glob matches nothing".to_owned());
        }
        if let Some(c) = text.chars().find(|c| matches!(c, '[' | ']' | '{' | '}' | '\\')) {
            return Err(format!("`{c}` is not glob syntax here: only `*` (any characters) and `?` (one character) are special"));
        }
        if text.starts_with('!') {
            return Err("a leading `!` does not negate here; use the `exclude_*` keys".to_owned());
        }
        Ok(Glob(text.to_owned()))
    }

    /// The glob as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `text` matches the whole glob.
    pub fn matches(&self, text: &str) -> bool {
        let p: Vec<char> = self.0.chars().collect();
        let t: Vec<char> = text.chars().collect();
        // Greedy matching with backtracking to the last `*`: linear in
        // practice, never exponential.
        let (mut pi, mut ti) = (0, 0);
        let mut star: Option<(usize, usize)> = None;
        while ti < t.len() {
            if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == '*' {
                star = Some((pi, ti));
                pi += 1;
            } else if let Some((sp, st)) = star {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|c| *c == '*')
    }
}

/// Which named type an entry is about: `#/components/schemas/Money` (a JSON
/// pointer to the schema, as in a `$ref`) or the Rust type name (`Money`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// A JSON pointer, without the leading `#`.
    Pointer(String),
    /// A Rust type name.
    Name(String),
}

impl Selector {
    fn parse(text: &str) -> Selector {
        match text.strip_prefix('#') {
            Some(pointer) => Selector::Pointer(pointer.to_owned()),
            None => Selector::Name(text.to_owned()),
        }
    }
}

/// `[replace]`: an existing Rust type used for a schema.
#[derive(Debug, Clone)]
pub struct Replacement {
    /// The schema.
    pub target: Located<Selector>,
    /// The type's path, absolute (`::rust_decimal::Decimal`).
    pub path: Located<String>,
    /// The dependency that provides it, if it is not in every generated crate.
    pub dependency: Option<Located<crate::model::Dependency>>,
    /// Traits beyond `Debug`, `Clone`, `PartialEq`, `Serialize` and
    /// `Deserialize` the type implements (so types containing it can
    /// derive them).
    pub impls: Vec<DeriveName>,
}

/// A trait named in `[derives]` or in a replacement's `impls`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeriveName {
    /// `Eq`.
    Eq,
    /// `Hash`.
    Hash,
    /// `PartialOrd`.
    PartialOrd,
    /// `Ord` (implies `Eq` and `PartialOrd`).
    Ord,
    /// Another derive macro, by its absolute path (`::schemars::JsonSchema`).
    Path(String),
}

impl DeriveName {
    /// The standard derives this module knows by name, in the order they are emitted.
    pub const STD: [DeriveName; 4] = [DeriveName::Eq, DeriveName::Hash, DeriveName::PartialOrd, DeriveName::Ord];

    fn parse(text: &str) -> Result<DeriveName, String> {
        match text.trim() {
            "Eq" => Ok(DeriveName::Eq),
            "Hash" => Ok(DeriveName::Hash),
            "PartialOrd" => Ok(DeriveName::PartialOrd),
            "Ord" => Ok(DeriveName::Ord),
            "Debug" | "Clone" | "PartialEq" | "Serialize" | "Deserialize" => {
                Err(format!("`{text}` is derived for every type already"))
            }
            t if t.contains("::") => crate::naming::rust_path(t).map(DeriveName::Path).map_err(|why| format!("{t:?} {why}")),
            t => Err(format!(
                "`{t}` is not a derive this generator knows (Eq, Hash, PartialOrd, Ord); name another derive macro by its path (`schemars::JsonSchema`)"
            )),
        }
    }

    /// The path generated code derives it by.
    pub fn path(&self) -> &str {
        match self {
            DeriveName::Eq => "::std::cmp::Eq",
            DeriveName::Hash => "::std::hash::Hash",
            DeriveName::PartialOrd => "::std::cmp::PartialOrd",
            DeriveName::Ord => "::std::cmp::Ord",
            DeriveName::Path(p) => p,
        }
    }

    /// How it is named in messages (`Eq`, `schemars::JsonSchema`).
    pub fn label(&self) -> &str {
        match self {
            DeriveName::Path(p) => p.trim_start_matches("::"),
            other => other.path().rsplit("::").next().unwrap_or_default(),
        }
    }
}

/// One entry of a `[derives]` list.
#[derive(Debug, Clone)]
pub struct Derive {
    /// What to derive.
    pub name: Located<DeriveName>,
    /// The crate providing a derive macro given by path, if not in every generated crate.
    pub dependency: Option<Located<crate::model::Dependency>>,
}

/// `[derives]`: extra derives for every type (`all`) and per type (`[derives.types]`).
#[derive(Debug, Clone, Default)]
pub struct Derives {
    /// For every type.
    pub all: Vec<Derive>,
    /// For one type each.
    pub types: Vec<(Located<Selector>, Vec<Derive>)>,
}

/// `[features]`.
#[derive(Debug, Clone, Default)]
pub struct FeatureConfig {
    /// One cargo feature per tag.
    pub per_tag: bool,
    /// The default features (tag names, feature names or `full`); `None`: `["full"]`.
    pub default: Option<Vec<Located<String>>>,
}

/// `[warnings]`: kinds (by code) to allow (not reported) or deny (errors).
#[derive(Debug, Clone, Default)]
pub struct WarningConfig {
    /// Not reported.
    pub allow: Vec<WarningKind>,
    /// Errors.
    pub deny: Vec<WarningKind>,
}

/// The dependencies of every generated crate (a configured dependency may not repeat them).
pub const FIXED_DEPENDENCIES: &[&str] =
    &["bytes", "chrono", "form_urlencoded", "futures-core", "reqwest", "rustls", "serde", "serde_json", "serde_path_to_error", "sse-stream", "tokio", "tracing", "uuid"];

/// The TLS backend features of every generated crate (a tag's feature may not take their names).
pub const TLS_FEATURES: &[&str] = &["rustls", "rustls-ring", "native-tls"];

impl ConfigFile {
    /// Reads a configuration file's text. Never fails: problems are kept
    /// (see [`Self::problems`]) and reported by [`crate::Generator`]
    /// together with the problems found against the spec.
    pub fn from_toml(text: &str, origin: &str) -> ConfigFile {
        let mut reader = Reader { text, problems: Vec::new() };
        let mut config = ConfigFile { origin: origin.to_owned(), ..ConfigFile::default() };
        let (root, errors) = DeTable::parse_recoverable(text);
        for e in errors {
            let line_col = e.span().map(|s| reader.line_col(s.start));
            reader.problems.push(Problem { pointer: String::new(), message: format!("not valid TOML: {}", e.message().trim()), line_col });
        }
        for (key, value) in root.get_ref() {
            let name = key.get_ref().as_ref();
            match name {
                "filter" => reader.filter(value, &mut config.filter),
                "replace" => reader.replace(value, &mut config.replace),
                "derives" => reader.derives(value, &mut config.derives),
                "features" => reader.features(value, &mut config.features),
                "warnings" => reader.warnings(value, &mut config.warnings),
                other => reader.unknown(key, other, "", &["filter", "replace", "derives", "features", "warnings"]),
            }
        }
        reader.problems.sort_by_key(|p| p.line_col);
        config.problems = reader.problems;
        config
    }

    /// Reads a configuration file.
    pub fn from_file(path: &std::path::Path, origin: &str) -> Result<ConfigFile, Error> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io { action: "cannot read", path: path.to_owned(), source })?;
        match String::from_utf8(bytes) {
            Ok(text) => Ok(ConfigFile::from_toml(&text, origin)),
            Err(_) => Err(Error::Config { origin: origin.to_owned(), problems: vec![Problem::new("", "the file is not UTF-8 text")] }),
        }
    }

    /// The problems found while reading (the model adds more).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// `true` when the file changes what is generated from the spec's model
    /// (beyond warnings).
    pub fn transforms(&self) -> bool {
        self.filter.is_active() || !self.replace.is_empty() || !self.derives.all.is_empty() || !self.derives.types.is_empty() || self.features.per_tag
    }
}

/// Reads values out of the parsed table, collecting problems.
struct Reader<'t> {
    text: &'t str,
    problems: Vec<Problem>,
}

type Value<'i> = Spanned<DeValue<'i>>;

/// A key path segment, quoted when it is not a bare TOML key.
fn key_segment(key: &str) -> String {
    if !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() { key_segment(key) } else { format!("{parent}.{}", key_segment(key)) }
}

impl<'t> Reader<'t> {
    fn line_col(&self, offset: usize) -> (usize, usize) {
        let before = &self.text[..offset.min(self.text.len())];
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, col)
    }

    fn at(&self, span: Range<usize>) -> Option<(usize, usize)> {
        Some(self.line_col(span.start))
    }

    fn problem(&mut self, key: &str, span: Range<usize>, message: impl Into<String>) {
        let line_col = self.at(span);
        self.problems.push(Problem { pointer: key.to_owned(), message: message.into(), line_col });
    }

    fn located<T>(&self, value: T, key: String, span: Range<usize>) -> Located<T> {
        Located { value, key, line_col: self.at(span) }
    }

    fn unknown(&mut self, key: &Spanned<std::borrow::Cow<'_, str>>, name: &str, parent: &str, known: &[&str]) {
        let full = join(parent, name);
        self.problem(&full, key.span(), format!("unknown key `{name}`; expected one of: {}", known.join(", ")));
    }

    /// The value as a table, or a problem.
    fn table<'v, 'i>(&mut self, value: &'v Value<'i>, key: &str) -> Option<&'v DeTable<'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(t),
            other => {
                self.problem(key, value.span(), format!("expected a table, found {}", other.type_str()));
                None
            }
        }
    }

    fn string(&mut self, value: &Value<'_>, key: &str) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => Some(s.to_string()),
            other => {
                self.problem(key, value.span(), format!("expected a string, found {}", other.type_str()));
                None
            }
        }
    }

    /// An array's items with their keys (`key[i]`), or a problem.
    fn array<'v, 'i>(&mut self, value: &'v Value<'i>, key: &str) -> Vec<(String, &'v Value<'i>)> {
        match value.get_ref() {
            DeValue::Array(items) => items.iter().enumerate().map(|(i, v)| (format!("{key}[{i}]"), v)).collect(),
            other => {
                self.problem(key, value.span(), format!("expected an array, found {}", other.type_str()));
                Vec::new()
            }
        }
    }

    fn strings(&mut self, value: &Value<'_>, key: &str) -> Vec<Located<String>> {
        let mut out = Vec::new();
        for (k, item) in self.array(value, key) {
            if let Some(s) = self.string(item, &k) {
                out.push(self.located(s, k, item.span()));
            }
        }
        out
    }

    fn filter(&mut self, value: &Value<'_>, filter: &mut Filter) {
        let Some(table) = self.table(value, "filter") else { return };
        for (key, v) in table {
            let name = key.get_ref().as_ref();
            let full = join("filter", name);
            match name {
                "include_tags" => filter.include_tags = self.strings(v, &full),
                "exclude_tags" => filter.exclude_tags = self.strings(v, &full),
                "include_operations" | "exclude_operations" => {
                    let mut globs = Vec::new();
                    for s in self.strings(v, &full) {
                        match Glob::new(&s.value) {
                            Ok(g) => globs.push(Located { value: g, key: s.key, line_col: s.line_col }),
                            Err(why) => self.problems.push(s.problem(format!("bad glob {:?}: {why}", s.value))),
                        }
                    }
                    if name == "include_operations" {
                        filter.include_operations = globs;
                    } else {
                        filter.exclude_operations = globs;
                    }
                }
                "include_paths" | "exclude_paths" => {
                    let mut prefixes = Vec::new();
                    for s in self.strings(v, &full) {
                        if s.value.starts_with('/') {
                            prefixes.push(s);
                        } else {
                            self.problems.push(s.problem(format!("path prefix {:?} must start with `/`", s.value)));
                        }
                    }
                    if name == "include_paths" {
                        filter.include_paths = prefixes;
                    } else {
                        filter.exclude_paths = prefixes;
                    }
                }
                other => self.unknown(
                    key,
                    other,
                    "filter",
                    &["include_tags", "exclude_tags", "include_operations", "exclude_operations", "include_paths", "exclude_paths"],
                ),
            }
        }
    }

    /// A `dependency = 'name = spec'` value.
    fn dependency(&mut self, value: &Value<'_>, key: &str) -> Option<Located<crate::model::Dependency>> {
        let text = self.string(value, key)?;
        let fail = |why: &str| format!("expected one dependency line such as 'rust_decimal = \"1\"' ({why})");
        let parsed = match DeTable::parse(&text) {
            Ok(t) => t,
            Err(e) => {
                self.problem(key, value.span(), fail(e.message().trim()));
                return None;
            }
        };
        let entries: Vec<_> = parsed.get_ref().iter().collect();
        let [(name, spec)] = entries.as_slice() else {
            self.problem(key, value.span(), fail(&format!("found {} keys", entries.len())));
            return None;
        };
        let name = name.get_ref().to_string();
        if !matches!(spec.get_ref(), DeValue::String(_) | DeValue::Table(_)) {
            self.problem(key, value.span(), fail("the value must be a version string or an inline table"));
            return None;
        }
        if FIXED_DEPENDENCIES.contains(&name.as_str()) {
            self.problem(key, value.span(), format!("`{name}` is a dependency of every generated crate already; leave `dependency` out"));
            return None;
        }
        let spec = text.get(spec.span()).unwrap_or_default().trim().to_owned();
        Some(self.located(crate::model::Dependency { name, spec }, key.to_owned(), value.span()))
    }

    fn replace(&mut self, value: &Value<'_>, out: &mut Vec<Replacement>) {
        let Some(table) = self.table(value, "replace") else { return };
        for (target, v) in table {
            let tkey = join("replace", target.get_ref());
            let Some(entry) = self.table(v, &tkey) else { continue };
            let (mut path, mut dependency, mut impls) = (None, None, Vec::new());
            for (key, v) in entry {
                let name = key.get_ref().as_ref();
                let full = join(&tkey, name);
                match name {
                    "path" => {
                        if let Some(p) = self.string(v, &full) {
                            match crate::naming::rust_path(&p) {
                                Ok(p) => path = Some(self.located(p, full, v.span())),
                                Err(why) => self.problem(&full, v.span(), format!("{p:?} {why}")),
                            }
                        }
                    }
                    "dependency" => dependency = self.dependency(v, &full),
                    "impls" => {
                        for s in self.strings(v, &full) {
                            match DeriveName::parse(&s.value) {
                                Ok(d) => impls.push(d),
                                Err(why) => self.problems.push(s.problem(why)),
                            }
                        }
                    }
                    other => self.unknown(key, other, &tkey, &["path", "dependency", "impls"]),
                }
            }
            match path {
                Some(path) => out.push(Replacement {
                    target: self.located(Selector::parse(target.get_ref()), tkey, target.span()),
                    path,
                    dependency,
                    impls,
                }),
                None if entry.is_empty() || !entry.contains_key("path") => {
                    self.problem(&tkey, v.span(), "a replacement needs `path` (the Rust type to use)")
                }
                None => {}
            }
        }
    }

    fn derive_list(&mut self, value: &Value<'_>, key: &str) -> Vec<Derive> {
        let mut out = Vec::new();
        for (k, item) in self.array(value, key) {
            match item.get_ref() {
                DeValue::String(s) => match DeriveName::parse(s) {
                    Ok(d) => out.push(Derive { name: self.located(d, k, item.span()), dependency: None }),
                    Err(why) => self.problem(&k, item.span(), why),
                },
                DeValue::Table(t) => {
                    let (mut name, mut dependency) = (None, None);
                    for (key, v) in t {
                        let field = key.get_ref().as_ref();
                        let full = join(&k, field);
                        match field {
                            "path" => {
                                if let Some(p) = self.string(v, &full) {
                                    match DeriveName::parse(&p) {
                                        Ok(d) => name = Some(self.located(d, k.clone(), item.span())),
                                        Err(why) => self.problem(&full, v.span(), why),
                                    }
                                }
                            }
                            "dependency" => dependency = self.dependency(v, &full),
                            other => self.unknown(key, other, &k, &["path", "dependency"]),
                        }
                    }
                    match name {
                        Some(name) => out.push(Derive { name, dependency }),
                        None if !t.contains_key("path") => self.problem(&k, item.span(), "a derive table needs `path`"),
                        None => {}
                    }
                }
                other => self.problem(&k, item.span(), format!("expected a derive name, path or `{{ path, dependency }}` table, found {}", other.type_str())),
            }
        }
        out
    }

    fn derives(&mut self, value: &Value<'_>, derives: &mut Derives) {
        let Some(table) = self.table(value, "derives") else { return };
        for (key, v) in table {
            let name = key.get_ref().as_ref();
            match name {
                "all" => derives.all = self.derive_list(v, "derives.all"),
                "types" => {
                    let Some(types) = self.table(v, "derives.types") else { continue };
                    for (target, list) in types {
                        let tkey = join("derives.types", target.get_ref());
                        let list = self.derive_list(list, &tkey);
                        derives.types.push((self.located(Selector::parse(target.get_ref()), tkey, target.span()), list));
                    }
                }
                other => self.unknown(key, other, "derives", &["all", "types"]),
            }
        }
    }

    fn features(&mut self, value: &Value<'_>, features: &mut FeatureConfig) {
        let Some(table) = self.table(value, "features") else { return };
        for (key, v) in table {
            let name = key.get_ref().as_ref();
            match name {
                "per_tag" => match v.get_ref() {
                    DeValue::Boolean(b) => features.per_tag = *b,
                    other => self.problem("features.per_tag", v.span(), format!("expected true or false, found {}", other.type_str())),
                },
                "default" => features.default = Some(self.strings(v, "features.default")),
                other => self.unknown(key, other, "features", &["per_tag", "default"]),
            }
        }
        if let (false, Some(Some(first))) = (features.per_tag, features.default.as_ref().map(|d| d.first())) {
            self.problems.push(first.problem("`features.default` needs `per_tag = true`"));
        }
    }

    fn warnings(&mut self, value: &Value<'_>, warnings: &mut WarningConfig) {
        let Some(table) = self.table(value, "warnings") else { return };
        let mut seen: Vec<(WarningKind, String)> = Vec::new();
        for (key, v) in table {
            let name = key.get_ref().as_ref();
            let list = match name {
                "allow" => &mut warnings.allow,
                "deny" => &mut warnings.deny,
                other => {
                    self.unknown(key, other, "warnings", &["allow", "deny"]);
                    continue;
                }
            };
            let full = join("warnings", name);
            let mut kinds = Vec::new();
            for code in self.strings(v, &full) {
                match WarningKind::from_code(&code.value) {
                    Some(kind) => match seen.iter().find(|(k, _)| *k == kind) {
                        Some((_, first)) => self.problems.push(code.problem(format!("`{}` is also listed at {first}", code.value))),
                        None => {
                            seen.push((kind, code.key.clone()));
                            kinds.push(kind);
                        }
                    },
                    None => {
                        let known: Vec<&str> = WarningKind::ALL.iter().map(|k| k.code()).collect();
                        self.problems.push(code.problem(format!("unknown warning code {:?}; the codes are: {}", code.value, known.join(", "))));
                    }
                }
            }
            *list = kinds;
        }
    }
}

/// A TOML basic string with `s` in it.
pub fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> ConfigFile {
        ConfigFile::from_toml(text, "gen.toml")
    }

    fn messages(config: &ConfigFile) -> Vec<String> {
        config.problems().iter().map(Problem::to_string).collect()
    }

    #[test]
    fn globs_match_whole_ids() {
        let g = |s: &str| Glob::new(s).expect("a glob");
        assert!(g("list*").matches("listPets"));
        assert!(!g("list*").matches("getList"));
        assert!(g("*Pet*").matches("getPetById"));
        assert!(g("get?et").matches("getPet"));
        assert!(!g("get?et").matches("getPPet"));
        assert!(g("*").matches(""));
        assert!(g("a*b*c").matches("aXXbYYbc"));
        assert!(!g("a*b*c").matches("aXXbYYb"));
        assert!(g("exact").matches("exact") && !g("exact").matches("exactly"));
        // No blow-up on many stars.
        assert!(!g(&"a*".repeat(30)).matches(&"a".repeat(29)));
        assert!(Glob::new("").is_err());
        assert!(Glob::new("get[A-Z]").is_err());
        assert!(Glob::new("{a,b}").is_err());
        assert!(Glob::new("!x").is_err());
    }

    #[test]
    fn path_prefixes_are_whole_segments() {
        assert!(path_under("/pets", "/pets"));
        assert!(path_under("/pets/{id}", "/pets"));
        assert!(!path_under("/petstore", "/pets"));
        assert!(path_under("/pets/{id}", "/pets/"));
        assert!(path_under("/anything", "/"));
    }

    #[test]
    fn reads_every_key() {
        let c = read(
            r##"
[filter]
include_tags = ["pets"]
exclude_operations = ["*Legacy"]
include_paths = ["/v1"]

[replace]
"#/components/schemas/Money" = { path = "rust_decimal::Decimal", dependency = 'rust_decimal = { version = "1", features = ["serde"] }', impls = ["Eq", "Hash"] }

[derives]
all = ["Hash", "Eq"]
types = { Pet = ["Ord", { path = "schemars::JsonSchema", dependency = 'schemars = "1"' }] }

[features]
per_tag = true
default = ["pets"]

[warnings]
allow = ["untyped-schema"]
deny = ["binary-part"]
"##,
        );
        assert!(c.problems().is_empty(), "{:?}", messages(&c));
        assert_eq!(c.filter.include_tags[0].value, "pets");
        assert_eq!(c.filter.include_tags[0].key, "filter.include_tags[0]");
        assert_eq!(c.filter.include_tags[0].line_col, Some((3, 17)));
        assert!(c.filter.exclude_operations[0].value.matches("getPetLegacy"));
        let r = &c.replace[0];
        assert_eq!(r.target.value, Selector::Pointer("/components/schemas/Money".to_owned()));
        assert_eq!(r.path.value, "::rust_decimal::Decimal");
        let dep = r.dependency.as_ref().expect("a dependency");
        assert_eq!((dep.value.name.as_str(), dep.value.spec.as_str()), ("rust_decimal", r#"{ version = "1", features = ["serde"] }"#));
        assert_eq!(r.impls, [DeriveName::Eq, DeriveName::Hash]);
        assert_eq!(c.derives.all.iter().map(|d| d.name.value.clone()).collect::<Vec<_>>(), [DeriveName::Hash, DeriveName::Eq]);
        let (pet, list) = &c.derives.types[0];
        assert_eq!(pet.value, Selector::Name("Pet".to_owned()));
        assert_eq!(list[1].name.value, DeriveName::Path("::schemars::JsonSchema".to_owned()));
        assert_eq!(list[1].dependency.as_ref().map(|d| d.value.spec.as_str()), Some("\"1\""));
        assert!(c.features.per_tag);
        assert_eq!(c.warnings.allow, [WarningKind::UntypedSchema]);
        assert_eq!(c.warnings.deny, [WarningKind::BinaryPart]);
    }

    #[test]
    fn every_problem_is_reported_with_its_key_and_line() {
        let c = read(
            r#"[filter]
include_tag = ["pets"]
include_operations = ["get[0-9]", 3]
include_paths = ["pets"]

[replace]
Money = { path = "Decimal" }
Other = { dependency = 'x = "1"' }

[derives]
all = ["Default", "Hash"]

[features]
default = ["pets"]

[warnings]
allow = ["binary-part", "no-such-code"]
deny = ["binary-part"]

[colour]
"#,
        );
        let got = messages(&c);
        let codes: Vec<&str> = WarningKind::ALL.iter().map(|k| k.code()).collect();
        let unknown_code = format!("at warnings.allow[1] (line 17, column 25): unknown warning code \"no-such-code\"; the codes are: {}", codes.join(", "));
        let expected = [
            "at filter.include_tag (line 2, column 1): unknown key `include_tag`; expected one of: include_tags, exclude_tags, include_operations, exclude_operations, include_paths, exclude_paths",
            "at filter.include_operations[0] (line 3, column 23): bad glob \"get[0-9]\": `[` is not glob syntax here: only `*` (any characters) and `?` (one character) are special",
            "at filter.include_operations[1] (line 3, column 35): expected a string, found integer",
            "at filter.include_paths[0] (line 4, column 18): path prefix \"pets\" must start with `/`",
            "at replace.Money.path (line 7, column 18): \"Decimal\" is not a path with a crate or module (`krate::Type`)",
            "at replace.Other (line 8, column 9): a replacement needs `path` (the Rust type to use)",
            "at derives.all[0] (line 11, column 8): `Default` is not a derive this generator knows (Eq, Hash, PartialOrd, Ord); name another derive macro by its path (`schemars::JsonSchema`)",
            "at features.default[0] (line 14, column 12): `features.default` needs `per_tag = true`",
            &unknown_code,
            "at warnings.deny[0] (line 18, column 9): `binary-part` is also listed at warnings.allow[0]",
            "at colour (line 20, column 2): unknown key `colour`; expected one of: filter, replace, derives, features, warnings",
        ];
        assert_eq!(got, expected);
    }

    #[test]
    fn bad_toml_and_bad_dependencies_are_located() {
        let c = read("[filter\ninclude_tags = 1\n");
        let got = messages(&c);
        assert!(got.iter().any(|m| m.starts_with("at (document) (line 1, column") && m.contains("not valid TOML")), "{got:?}");
        let c = read("[replace]\nA = { path = \"a::B\", dependency = 'not toml' }\nB = { path = \"uuid::Uuid\", dependency = 'uuid = \"1\"' }\n");
        let got = messages(&c);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with("at replace.A.dependency (line 2, column 35): expected one dependency line"), "{got:?}");
        assert_eq!(got[1], "at replace.B.dependency (line 3, column 41): `uuid` is a dependency of every generated crate already; leave `dependency` out");
    }
}
