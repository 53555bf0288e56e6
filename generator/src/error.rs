//! The generator's error type: every failure names where it happened.
//!
//! Spec problems are collected and reported together ([`Error::Spec`]): the
//! load stage replaces a bad schema by an empty one and carries on, so its
//! problems are listed with the model stage's. Each [`Problem`] has a JSON
//! pointer (and the line and column where the parser knows them). I/O
//! failures name the path ([`Error::Io`]); [`Error::Render`] is a generator
//! bug and carries the raw tokens.
//!
//! # Errors and warnings
//!
//! A defect is an **error** when nothing meaningful can be generated from
//! the document as written:
//! - it is not a document: not UTF-8, not JSON/YAML, empty, not an object,
//!   nested deeper than 128 levels, a YAML alias bomb, over 100 MiB, or a
//!   string over 1 MiB;
//! - it is not OpenAPI 3.0/3.1: Swagger 2.0, another version, no `info` or
//!   (3.0) no `paths`, or an object that shapes types or calls has the wrong
//!   shape (a parameter `in: body`, an operation that is a string, an
//!   unknown schema `type`, a security scheme of unknown `type`);
//! - a reference cannot be followed: a `$ref` to a missing component, a
//!   cycle of `$ref`s with no definition in it, an `allOf` that includes
//!   itself, an external `$ref` (bundle the spec first).
//!
//! A defect is a **warning** ([`Warning`]) when the generator can still
//! produce a crate that compiles and behaves sensibly, with a documented
//! fallback: a path template and its parameters that disagree, duplicate
//! operationIds, enum values or names that clash after naming, `required`
//! naming a missing property, a `default` of the wrong type, a response key
//! that is not a status, constructs Rust cannot express (`not`), and so on.
//! Real-world specs have these, and refusing them would help nobody.
//!
//! In particular, a defect in an object that does not shape the generated
//! types or calls is always a warning: servers and server variables (a
//! variable without `default` takes its first `enum` value or `""`), tags,
//! external docs, examples, links, callbacks, security requirements,
//! `info.contact`/`license`, encodings, response headers and the OAuth2 or
//! OpenID Connect details of a security scheme are repaired or dropped
//! (`load::repair`), and schema problems inside a callback, a response
//! header or an encoding are warnings too.
//!
//! With `Config { strict: true }` (`--strict` on the command line) every
//! warning is an error instead: the spec is rejected and every warning is
//! listed as a located problem.

use std::fmt;
use std::path::PathBuf;

/// One problem found in a spec, located by a JSON pointer (and, where the
/// parser knows it, a line and column).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    /// JSON pointer into the spec (`""` for the whole document).
    pub pointer: String,
    /// What is wrong, and what to do where that is not obvious.
    pub message: String,
    /// 1-based line and column, where the parser knows them.
    pub line_col: Option<(usize, usize)>,
}

impl Problem {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { pointer: pointer.into(), message: message.into(), line_col: None }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "(document)" } else { &self.pointer };
        write!(f, "at {pointer}")?;
        if let Some((line, col)) = self.line_col {
            write!(f, " (line {line}, column {col})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything that can stop a generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("cannot read", "cannot write", …).
        action: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The spec is not a document the generator can use; every problem found
    /// in the failing phase is listed.
    #[error("{}", format_problems(.origin, .problems))]
    Spec {
        /// The spec's name as given (its path).
        origin: String,
        /// The problems, in document order.
        problems: Vec<Problem>,
    },
    /// The configuration file (`--config`) cannot be used: unknown keys,
    /// values of the wrong type, bad globs or paths, references to
    /// schemas, tags or operations the spec does not have. Every problem
    /// found is listed, each located by its key (`filter.include_tags[1]`)
    /// and line.
    #[error("{}", format_problems(.origin, .problems))]
    Config {
        /// The configuration file's name as given (its path).
        origin: String,
        /// The problems, in file order.
        problems: Vec<Problem>,
    },
    /// Generated tokens did not parse as Rust: a generator bug. Carries the raw tokens.
    #[error("internal error: generated {file} does not parse as Rust ({message}); raw tokens:\n{tokens}")]
    Render {
        /// The generated file.
        file: String,
        /// The parser's message.
        message: String,
        /// The raw token text.
        tokens: String,
    },
}

impl Error {
    /// A spec error with a single problem.
    pub fn spec(origin: &str, problem: Problem) -> Self {
        Error::Spec { origin: origin.to_owned(), problems: vec![problem] }
    }

    /// `true` for a bad spec (as opposed to an I/O failure or a generator bug).
    pub fn is_spec_error(&self) -> bool {
        matches!(self, Error::Spec { .. })
    }
}

fn format_problems(origin: &str, problems: &[Problem]) -> String {
    let mut out = match problems.len() {
        1 => format!("{origin}: 1 problem:"),
        n => format!("{origin}: {n} problems:"),
    };
    for p in problems {
        out.push_str("\n  ");
        out.push_str(&p.to_string());
    }
    out
}

/// A construct the generator could not model exactly and replaced by a safe
/// fallback (`serde_json::Value`, raw bytes, …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer into the spec.
    pub pointer: String,
    /// What was done instead.
    pub message: String,
    /// Its stable kind (printed as a short code, and what a configuration
    /// allows or denies).
    pub kind: WarningKind,
}

impl Warning {
    /// A warning of `kind` at `pointer`.
    pub fn new(kind: WarningKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Warning { pointer: pointer.into(), message: message.into(), kind }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning[{}]: at {}: {}", self.kind, self.pointer, self.message)
    }
}

macro_rules! warning_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $code:literal,)*) => {
        /// The kinds of [`Warning`], each with a stable short code (`binary-part`).
        /// Codes never change meaning; new kinds may be added.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum WarningKind {
            $($(#[doc = $doc])* $variant,)*
        }

        impl WarningKind {
            /// Every kind, in code order of declaration.
            pub const ALL: &'static [WarningKind] = &[$(WarningKind::$variant,)*];

            /// The stable short code.
            pub fn code(self) -> &'static str {
                match self {
                    $(WarningKind::$variant => $code,)*
                }
            }

            /// The kind with this code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(WarningKind::$variant),)*
                    _ => None,
                }
            }

            /// What the kind means (its doc text).
            pub fn description(self) -> &'static str {
                match self {
                    $(WarningKind::$variant => concat!($($doc),*).trim_ascii(),)*
                }
            }
        }
    };
}

warning_kinds! {
    /// A schema Rust cannot express exactly (`not`, tuple `items`, a schema containing itself) is read as any JSON value.
    UntypedSchema = "untyped-schema",
    /// A second `oneOf`/`anyOf` inside an `allOf` is not merged; its fields are dropped.
    AllOfUnionDropped = "allof-union-dropped",
    /// Two enum values name the same Rust variant; the later one gets a suffix.
    EnumNameClash = "enum-name-clash",
    /// Enum values that do not match the schema's type are left out.
    EnumValueType = "enum-value-type",
    /// `required` names a property that does not exist; ignored.
    RequiredMissingProperty = "required-missing-property",
    /// A `default` that does not match its schema's type is documented only.
    DefaultTypeMismatch = "default-type-mismatch",
    /// A discriminator whose inline branches have no tag value; branches are tried in order.
    DiscriminatorUntagged = "discriminator-untagged",
    /// A path item `$ref` inside the document is not followed; its operations are skipped.
    PathItemRef = "path-item-ref",
    /// Two operations share an operationId; the later one gets a suffixed method name.
    DuplicateOperationId = "duplicate-operation-id",
    /// A parameter `$ref` to a missing component; the parameter is left out.
    ParameterRefMissing = "parameter-ref-missing",
    /// A path template and its declared path parameters disagree (or a `{` is unclosed).
    PathTemplate = "path-template",
    /// A request body offers several media types; the client sends one.
    RequestMediaTypes = "request-media-types",
    /// A binary value of a form or multipart body that is not a top-level property (an `additionalProperties` value) is sent as text.
    BinaryPart = "binary-part",
    /// An operation documents no responses; a 2XX body is returned as raw bytes.
    NoResponses = "no-responses",
    /// A response key that is not a status; the response is ignored.
    ResponseStatus = "response-status",
    /// A security scheme the client cannot send (unsupported HTTP scheme, cookie key, bad header name, `$ref`); skipped.
    AuthUnsupported = "auth-unsupported",
    /// A non-standard value read leniently (`required: "true"`, Swagger-2 style parameters, a parameter without a schema).
    NonStandard = "non-standard",
    /// A malformed schema keyword (wrong JSON type) is ignored.
    MalformedKeyword = "malformed-keyword",
    /// A malformed server or server variable: a variable without `default` takes its first `enum` value (or ""); a server without a string `url` is dropped.
    BadServer = "bad-server",
    /// A malformed tag (or operation tag name) is dropped; tags only document.
    BadTag = "bad-tag",
    /// A malformed `externalDocs` object is dropped; it only documents.
    BadExternalDocs = "bad-external-docs",
    /// A malformed `info.contact`, `info.license` or non-string `info.description`/`termsOfService` is dropped.
    BadInfo = "bad-info",
    /// A malformed example is dropped (a non-string `summary`/`description`/`externalValue` alone, keeping its `value`); examples never shape the client.
    BadExample = "bad-example",
    /// A malformed link is dropped; the client does not use links.
    BadLink = "bad-link",
    /// A malformed callback is dropped (schema problems inside one are warnings); the client does not use callbacks.
    BadCallback = "bad-callback",
    /// A malformed `encoding` entry is dropped; the client does not use encodings.
    BadEncoding = "bad-encoding",
    /// A malformed response header is dropped (schema problems inside one are warnings); response headers are not typed.
    BadResponseHeader = "bad-response-header",
    /// Malformed security requirement scopes read as `[]` (or the requirement is dropped); credentials are builder methods either way.
    BadSecurityRequirement = "bad-security-requirement",
    /// A malformed part of a security scheme the client does not use (OAuth2 `flows`, OpenID Connect URL, `bearerFormat`, a non-string `description`) is ignored; the scheme keeps its builder method.
    BadSecuritySchemeDetail = "bad-security-scheme-detail",
    /// An `x-rust-type` extension that cannot be used (missing or malformed `crate`, `version` or `path`, generic `parameters`); the schema is modelled as usual.
    RustTypeExtension = "rust-type-extension",
    /// An extra derive the configuration asks for cannot hold for a type (`Eq` on a type with an `f64`); it is left out for that type.
    DeriveSkipped = "derive-skipped",
    /// An operation with an HTTP method the client cannot call yet (OpenAPI 3.2 `query`, `additionalOperations`) is skipped.
    UnsupportedMethod = "unsupported-method",
    /// A parameter the client cannot send (an OpenAPI 3.2 `querystring` that is not form-encoded) is left out.
    UnsupportedParameter = "unsupported-parameter",
    /// A pagination extension (`x-speakeasy-pagination`, `x-fern-pagination`) that cannot be followed; the operation is not paginated.
    Pagination = "pagination",
    /// A streamed response (events, JSON Lines) next to other success bodies is read whole, as text.
    StreamFallback = "stream-fallback",
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Escapes one reference token of a JSON pointer (`~` → `~0`, `/` → `~1`).
pub fn pointer_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    push_pointer_token(&mut out, token);
    out
}

/// Appends `token`, escaped like [`pointer_token`], to `ptr` (no allocation
/// beyond growing `ptr`).
pub fn push_pointer_token(ptr: &mut String, token: &str) {
    if !token.contains(['~', '/']) {
        ptr.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => ptr.push_str("~0"),
            '/' => ptr.push_str("~1"),
            c => ptr.push(c),
        }
    }
}

/// Appends `/` and the escaped `token` to `ptr`.
pub fn push_child(ptr: &mut String, token: &str) {
    ptr.push('/');
    push_pointer_token(ptr, token);
}

/// Appends `/` and the index `i` to `ptr`.
pub fn push_index(ptr: &mut String, i: usize) {
    use std::fmt::Write as _;
    let _ = write!(ptr, "/{i}");
}
