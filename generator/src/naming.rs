//! Naming: every Rust identifier the generator emits is made here.
//!
//! heck does the casing; this module adds what casing alone gets wrong:
//! keywords (raw identifiers, or a `_` suffix for `self`, `Self`, `super`,
//! `crate` that cannot be raw), names that start with a digit (a prefix),
//! names that are empty after casing (a fallback), and clashes (a stable
//! numeric suffix, in order of first use). The same input always gives the
//! same name.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use heck::{ToKebabCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

/// Keywords of every Rust edition up to 2024, plus reserved words.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits camel humps that heck keeps together in all-caps words and maps
/// symbols that carry meaning to words, so `+1`/`-1` or `>=`/`<=` differ.
fn words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '+' => out.push_str(" plus "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '*' => out.push_str(" star "),
            '@' => out.push_str(" at "),
            '.' | '/' | ':' | '-' | '_' | ' ' | '[' | ']' | '{' | '}' | '(' | ')' | '$' | '#' | ',' | ';' | '\'' | '"'
            | '&' | '|' | '!' | '?' | '%' | '^' | '~' | '`' | '\\' => out.push(' '),
            // Identifiers stay ASCII: other letters separate words.
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Keeps only characters valid in an identifier after casing.
fn ident_chars(s: &str) -> String {
    s.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

fn finish(cased: String, fallback: &str, digit_prefix: &str) -> String {
    let mut name = ident_chars(&cased);
    if name.is_empty() || name.chars().all(|c| c == '_') {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{digit_prefix}{name}");
    }
    name
}

/// A type name (`UpperCamelCase`): `Response_ContactData_` → `ResponseContactData`.
pub fn type_name(raw: &str) -> String {
    let name = finish(words(raw).to_upper_camel_case(), "Type", "T");
    if name == "Self" { "Self_".to_owned() } else { name }
}

/// An enum variant name (`UpperCamelCase`).
pub fn variant_name(raw: &str) -> String {
    let name = finish(words(raw).to_upper_camel_case(), "Empty", "V");
    if name == "Self" { "Self_".to_owned() } else { name }
}

/// A field, parameter or method name (`snake_case`); keywords become raw identifiers.
pub fn snake_name(raw: &str) -> String {
    thread_local! {
        /// Names already made: a big spec repeats property names (`id`,
        /// `url`, `created_at`) thousands of times, and casing is not free.
        static MADE: std::cell::RefCell<HashMap<String, String>> = std::cell::RefCell::new(HashMap::default());
    }
    if let Some(name) = MADE.with(|made| made.borrow().get(raw).cloned()) {
        return name;
    }
    let name = escape_keyword(finish(words(raw).to_snake_case(), "value", "_"));
    MADE.with(|made| made.borrow_mut().insert(raw.to_owned(), name.clone()));
    name
}

/// A constant name (`SCREAMING_SNAKE_CASE`).
pub fn const_name(raw: &str) -> String {
    finish(words(raw).to_shouty_snake_case(), "VALUE", "_")
}

/// `type` → `r#type`; `self` → `self_`.
pub fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// The identifier without a raw prefix (for building derived names).
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The path of an existing Rust type as generated code writes it: checked
/// to be a type path (`rust_decimal::Decimal`,
/// `std::collections::BTreeSet<String>`) and made absolute (`::` in front,
/// unless it starts with `crate::`).
pub fn rust_path(path: &str) -> Result<String, String> {
    let path = path.trim();
    match syn::parse_str::<syn::TypePath>(path) {
        Ok(p) if p.qself.is_none() && p.path.segments.len() >= 2 => {}
        Ok(_) => return Err("is not a path with a crate or module (`krate::Type`)".to_owned()),
        Err(e) => return Err(format!("is not a Rust type path ({e})")),
    }
    Ok(if path.starts_with("::") || path.starts_with("crate::") { path.to_owned() } else { format!("::{path}") })
}

/// A cargo feature name (`kebab-case`) for a tag: `Pet Store` → `pet-store`.
pub fn feature_name(raw: &str) -> String {
    let kebab = words(raw).to_kebab_case();
    let name: String = kebab.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if name.is_empty() { "tag".to_owned() } else { name }
}

/// Unique feature names for tags, in order: clashes (after casing, or with
/// `reserved` names such as `full` and `default`) get `-2`, `-3`, ….
pub fn feature_names<'t>(tags: impl IntoIterator<Item = &'t str>, reserved: &[&str]) -> Vec<String> {
    let mut used: HashSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    tags.into_iter()
        .map(|tag| {
            let base = feature_name(tag);
            let mut name = base.clone();
            let mut n = 2;
            while !used.insert(name.clone()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// One namespace: hands out unique names, adding `2`, `3`, … on clashes.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    used: HashSet<String>,
    /// Per clashing base name, the suffix to try next (names are never
    /// released, so every smaller suffix is known to be taken; this keeps
    /// thousands of clashes linear).
    next: HashMap<String, usize>,
}

impl Scope {
    /// An empty scope.
    pub fn new() -> Self {
        Scope::default()
    }

    /// A scope where `reserved` names are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope { used: reserved.iter().map(|s| (*s).to_owned()).collect(), next: HashMap::default() }
    }

    /// Reserves `name` or, if taken, the first free `name2`, `name3`, … (`name_2` for snake case).
    pub fn unique(&mut self, name: String) -> String {
        if self.used.insert(unraw(&name).to_owned()) {
            return name;
        }
        let base = unraw(&name).to_owned();
        let snake = base.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_');
        let mut n = self.next.get(&base).copied().unwrap_or(2);
        loop {
            // `Self_` + 2 is `Self2`, `self_` + 2 is `self_2` (no `__`).
            let stem = base.trim_end_matches('_');
            let candidate = if snake { format!("{stem}_{n}") } else { format!("{stem}{n}") };
            n += 1;
            if self.used.insert(candidate.clone()) {
                self.next.insert(base, n);
                return candidate;
            }
        }
    }

    /// `true` if `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.used.contains(unraw(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn casing_and_escapes() {
        assert_eq!(type_name("Response_ContactData_"), "ResponseContactData");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(type_name("2fa-config"), "T2faConfig");
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("gen"), "r#gen");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("updateContact"), "update_contact");
        assert_eq!(snake_name("2fa"), "_2fa");
        assert_eq!(snake_name(""), "value");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "V1");
        assert_eq!(const_name("dnc"), "DNC");
    }

    #[test]
    fn feature_names_are_kebab_and_unique() {
        assert_eq!(feature_name("Pet Store"), "pet-store");
        assert_eq!(feature_name("actions"), "actions");
        assert_eq!(feature_name("code-scanning"), "code-scanning");
        assert_eq!(feature_name("OAuth2Apps"), "o-auth2-apps");
        assert_eq!(feature_name("日本"), "tag");
        assert_eq!(feature_names(["full", "a b", "A-B", "x"], &["full", "default"]), ["full-2", "a-b", "a-b-2", "x"]);
    }

    #[test]
    fn rust_paths_are_checked_and_absolute() {
        assert_eq!(rust_path("rust_decimal::Decimal").as_deref(), Ok("::rust_decimal::Decimal"));
        assert_eq!(rust_path("::std::net::IpAddr").as_deref(), Ok("::std::net::IpAddr"));
        assert_eq!(rust_path("crate::types::Pet").as_deref(), Ok("crate::types::Pet"));
        assert_eq!(rust_path("std::collections::BTreeSet<String>").as_deref(), Ok("::std::collections::BTreeSet<String>"));
        assert!(rust_path("Decimal").is_err());
        assert!(rust_path("rust decimal").is_err());
        assert!(rust_path("a::b; fn x() {}").is_err());
        assert!(rust_path("").is_err());
    }

    #[test]
    fn clashes_get_stable_suffixes() {
        let mut scope = Scope::new();
        assert_eq!(scope.unique(variant_name("ACTIVATED")), "Activated");
        assert_eq!(scope.unique(variant_name("activated")), "Activated2");
        let mut scope = Scope::new();
        assert_eq!(scope.unique(snake_name("type")), "r#type");
        assert_eq!(scope.unique(snake_name("Type")), "type_2");
        let mut scope = Scope::new();
        assert_eq!(scope.unique(variant_name("self")), "Self_");
        assert_eq!(scope.unique(variant_name("Self")), "Self2");
        assert_eq!(variant_name("über"), "Ber");
        let mut scope = Scope::new();
        assert_eq!(scope.unique(snake_name("self")), "self_");
        assert_eq!(scope.unique(snake_name("Self")), "self_2");
        assert_eq!(snake_name("日本"), "value");
    }

    #[test]
    fn clash_suffixes_skip_names_taken_since() {
        let mut s = Scope::new();
        assert_eq!(s.unique("a".into()), "a");
        assert_eq!(s.unique("a".into()), "a_2");
        assert_eq!(s.unique("a_3".into()), "a_3");
        assert_eq!(s.unique("a".into()), "a_4");
        assert_eq!(s.unique("a".into()), "a_5");
        assert_eq!(s.unique("A".into()), "A");
        assert_eq!(s.unique("A".into()), "A2");
        // Thousands of clashes stay linear (each call starts where the last ended).
        for i in 6..5_000 {
            assert_eq!(s.unique("a".into()), format!("a_{i}"));
        }
    }
}
