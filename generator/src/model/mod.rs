//! Stage 2, model: the intermediate representation between the spec and the
//! emitted code. Plain data with every Rust name already final; no tokens.
//!
//! [`build`] turns a loaded spec into an [`Api`]; the emit stage only reads it.

pub mod build;

use serde_json::Value;

use crate::error::Warning;

/// Everything the generated crate contains.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`, as written.
    pub spec_version: String,
    /// The first `servers` URL, if any.
    pub default_server: Option<String>,
    /// Credentials the client builder offers, from `components.securitySchemes`.
    pub auth: Vec<AuthScheme>,
    /// Named types, in a stable order (components first, then inline types as met).
    pub types: Vec<TypeDef>,
    /// Operations in document order.
    pub operations: Vec<Operation>,
    /// Constructs replaced by a fallback.
    pub warnings: Vec<Warning>,
    /// Crates the generated crate needs beyond its fixed ones (for
    /// replacement types and extra derives), sorted by name.
    pub dependencies: Vec<Dependency>,
    /// Cargo features of the generated crate (per-tag features), if any.
    pub features: Option<Features>,
}

/// A dependency of the generated crate: a line `name = spec` of its
/// `[dependencies]` table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dependency {
    /// The package name (as cargo spells it: `rust_decimal`).
    pub name: String,
    /// The TOML value: `"1"` or `{ version = "1", features = ["serde"] }`.
    pub spec: String,
}

/// The per-tag cargo features of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Features {
    /// One feature per tag: (feature name, the tag as written in the spec),
    /// sorted by feature name.
    pub tags: Vec<(String, String)>,
    /// The default features (`full`, which enables every tag feature,
    /// unless the configuration says otherwise).
    pub default: Vec<String>,
}

impl Api {
    /// The named type `id` refers to.
    pub fn type_def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.0]
    }

    /// The Rust name of the type `id` refers to.
    pub fn type_name(&self, id: TypeId) -> &str {
        &self.types[id.0].name
    }
}

/// A named type: its index in [`Api::types`]. Only meaningful with the
/// [`Api`] it comes from (compare types of two models by name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A credential the client can send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthScheme {
    /// Builder method name (`bearer_token`, `api_key`, …).
    pub method: String,
    /// The scheme's name in the spec.
    pub spec_name: String,
    /// Where the credential goes.
    pub kind: AuthKind,
    /// The scheme's description.
    pub doc: Option<String>,
    /// The builder method taking a token provider instead of a fixed
    /// credential (bearer tokens and API keys).
    pub provider: Option<String>,
}

/// How a credential is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer …`.
    Bearer,
    /// HTTP basic.
    Basic,
    /// An API key in a header (lowercased name).
    Header(String),
    /// An API key in a query parameter.
    Query(String),
    /// OAuth2 client credentials: bearer tokens fetched from this token URL
    /// (as written in the spec; may be relative to the server).
    ClientCredentials {
        /// The flow's `tokenUrl`.
        token_url: String,
    },
}

/// A reference to a Rust type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::DateTime<Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// Raw bytes (`Vec<u8>`), for binary response bodies.
    Bytes,
    /// A file to upload (`FilePart`: bytes, a path or a stream): a binary
    /// property of a form or multipart body, or a binary request body.
    File,
    /// Any JSON value.
    Json,
    /// A JSON object with any fields.
    JsonObject,
    /// A type in `types`: an index into [`Api::types`].
    Named(TypeId),
    /// An existing Rust type, by its path (`rust_decimal::Decimal`): a
    /// replacement from the configuration or a schema's `x-rust-type`.
    External(String),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`: a nullable array item or map value.
    Option(Box<TypeRef>),
    /// `Box<T>`, breaking a recursive type.
    Boxed(Box<TypeRef>),
}

impl TypeRef {
    /// Calls `f` with every named type inside this reference (behind `Vec`,
    /// maps, `Option` and `Box` too).
    pub fn for_each_id(&self, f: &mut impl FnMut(TypeId)) {
        match self {
            TypeRef::Named(id) => f(*id),
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Boxed(i) => i.for_each_id(f),
            _ => {}
        }
    }

    /// [`Self::for_each_id`], mutably.
    pub fn for_each_id_mut(&mut self, f: &mut impl FnMut(&mut TypeId)) {
        match self {
            TypeRef::Named(id) => f(id),
            TypeRef::Vec(i) | TypeRef::Map(i) | TypeRef::Option(i) | TypeRef::Boxed(i) => i.for_each_id_mut(f),
            _ => {}
        }
    }

    /// `true` for a file part, or a list, option or box of them.
    pub fn holds_file(&self) -> bool {
        match self {
            TypeRef::File => true,
            TypeRef::Vec(i) | TypeRef::Option(i) | TypeRef::Boxed(i) => i.holds_file(),
            _ => false,
        }
    }
}

/// A named type in the generated `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The final Rust name.
    pub name: String,
    /// Where it comes from in the spec (JSON pointer).
    pub pointer: String,
    /// Doc text (title and description).
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Derives beyond the ones every type of its kind has (paths such as
    /// `::std::hash::Hash`), from the configuration.
    pub derives: Vec<String>,
    /// Compiled only when one of these cargo features is enabled; empty:
    /// always compiled.
    pub features: Vec<String>,
}

impl TypeDef {
    /// A type with no extra derives, always compiled.
    pub fn new(name: String, pointer: String, doc: Option<String>, kind: TypeKind) -> Self {
        TypeDef { name, pointer, doc, kind, derives: Vec::new(), features: Vec::new() }
    }
}

/// The shapes of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct {
        /// Fields in spec order.
        fields: Vec<Field>,
        /// `additionalProperties` with a schema, next to properties: a flattened map.
        additional: Option<TypeRef>,
    },
    /// An open string enum: known values plus a catch-all keeping any other value.
    StringEnum {
        /// Known values.
        variants: Vec<EnumVariant>,
        /// Name of the catch-all variant.
        other: String,
    },
    /// An integer enum: a newtype with one constant per known value (open by construction).
    IntEnum {
        /// Known values, as (constant name, value).
        values: Vec<(String, i64)>,
    },
    /// `oneOf`/`anyOf`: an untagged enum tried in order.
    Union {
        /// Variants in spec order.
        variants: Vec<UnionVariant>,
    },
    /// A type alias.
    Alias(TypeRef),
    /// Several success (or error) bodies of one operation, by status.
    Responses {
        /// One variant per status (or range, or `default`).
        variants: Vec<ResponseVariant>,
    },
}

impl TypeKind {
    /// Calls `f` with every type reference the kind holds.
    pub fn for_each_ref(&self, f: &mut impl FnMut(&TypeRef)) {
        match self {
            TypeKind::Struct { fields, additional } => fields.iter().map(|x| &x.ty).chain(additional).for_each(f),
            TypeKind::Union { variants } => variants.iter().for_each(|v| f(&v.ty)),
            TypeKind::Alias(t) => f(t),
            TypeKind::Responses { variants } => variants.iter().filter_map(|v| v.ty.as_ref()).for_each(f),
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
        }
    }

    /// [`Self::for_each_ref`], mutably.
    pub fn for_each_ref_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        match self {
            TypeKind::Struct { fields, additional } => fields.iter_mut().map(|x| &mut x.ty).chain(additional).for_each(f),
            TypeKind::Union { variants } => variants.iter_mut().for_each(|v| f(&mut v.ty)),
            TypeKind::Alias(t) => f(t),
            TypeKind::Responses { variants } => variants.iter_mut().filter_map(|v| v.ty.as_mut()).for_each(f),
            TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => {}
        }
    }
}

/// A value of an open string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// Rust variant name.
    pub name: String,
    /// The exact wire value.
    pub value: String,
}

/// One branch of a union.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnionVariant {
    /// Rust variant name.
    pub name: String,
    /// Its type.
    pub ty: TypeRef,
    /// Discriminator `(property, value)` pairs that select this variant when
    /// decoding (empty without a discriminator: variants are tried in order).
    pub tags: Vec<(String, String)>,
}

/// One variant of an operation's response enum.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseVariant {
    /// Rust variant name (`Status200`, `Status4xx`, `Default`).
    pub name: String,
    /// The body type (`None` for no body).
    pub ty: Option<TypeRef>,
    /// Doc text: the response description.
    pub doc: Option<String>,
}

/// Whether a field must be present and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Presence {
    /// Required, not nullable: `T`.
    Required,
    /// Required and nullable: `Option<T>`, key always sent.
    RequiredNullable,
    /// Optional, not nullable: `Option<T>`, left out when `None`.
    Optional,
    /// Optional and nullable: `Nullable<T>` (absent, null, value).
    OptionalNullable,
}

impl Presence {
    /// The presence for a field given the two spec facts.
    pub fn of(required: bool, nullable: bool) -> Self {
        match (required, nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust field name.
    pub name: String,
    /// The wire (JSON) name.
    pub wire: String,
    /// The value type (without the presence wrapper).
    pub ty: TypeRef,
    /// Required × nullable.
    pub presence: Presence,
    /// Doc text.
    pub doc: Option<String>,
    /// The spec's `default`, exposed as a constant; never sent implicitly.
    pub default: Option<Value>,
    /// Name of the constant exposing the default.
    pub default_const: Option<String>,
}

/// An HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Rust method name.
    pub name: String,
    /// The spec's operationId, if any.
    pub operation_id: Option<String>,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, as written.
    pub path: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Doc text (summary and description).
    pub doc: Option<String>,
    /// `true` if the operation is deprecated.
    pub deprecated: bool,
    /// Path segments, each a list of literal and parameter parts.
    pub segments: Vec<Vec<SegmentPart>>,
    /// Parameters: path ones in template order, then query, header, cookie.
    pub params: Vec<Param>,
    /// Query pairs written into the path key itself (`/rest?method=x`),
    /// sent with every call before the query parameters.
    pub fixed_query: Vec<(String, String)>,
    /// The request body, if any.
    pub body: Option<Body>,
    /// Success responses (2xx, or `default` when no 2xx is documented).
    pub success: Vec<Response>,
    /// Error responses (documented non-2xx, ranges and `default`).
    pub errors: Vec<Response>,
    /// The success type (a response enum when several types are possible).
    pub success_type: Option<TypeRef>,
    /// The typed error body (an error enum when several types are possible).
    pub error_type: Option<TypeRef>,
    /// `true` when `success_type` is a per-status enum (several success body types).
    pub success_by_status: bool,
    /// `true` when `error_type` is a per-status enum (several error body types).
    pub errors_by_status: bool,
    /// What the generated code offers for this operation: its arguments and
    /// setters (emit writes it, diff compares it).
    pub surface: Surface,
    /// The operation's tags, as written in the spec.
    pub tags: Vec<String>,
    /// Compiled only when one of these cargo features is enabled; empty:
    /// always compiled.
    pub features: Vec<String>,
    /// How to walk the operation's pages, when it is paginated.
    pub pagination: Option<Pagination>,
}

/// The Rust surface of one operation, decided once in the model so that
/// emit and diff agree on it: `client.method(args…)` returns a request
/// value of type `request`, which has one setter per optional input and
/// sends when awaited. Its success and error types are the operation's
/// `success_type` and `error_type`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Surface {
    /// The request value's type name (in the generated `request` module).
    pub request: String,
    /// The method's arguments, in order: path parameters (path order), then
    /// required query, header and cookie parameters, then a required body.
    pub args: Vec<Input>,
    /// Optional inputs, one setter each (parameters in order, then the body).
    pub setters: Vec<Input>,
}

/// One argument or setter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// The argument or setter name (final).
    pub name: String,
    /// What it sets.
    pub target: InputTarget,
    /// The Rust type it takes.
    pub ty: InputType,
}

/// What an input sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputTarget {
    /// The parameter at this index of `Operation::params`.
    Param(usize),
    /// The request body.
    Body,
}

/// The Rust type an argument or setter takes. Arguments borrow (`Str`,
/// `Bytes`, `Slice`, `Ref`); setters take their value (the other variants).
#[derive(Debug, Clone, PartialEq)]
pub enum InputType {
    /// `&str`.
    Str,
    /// `&[u8]`.
    Bytes,
    /// `&[T]`.
    Slice(TypeRef),
    /// `&T`.
    Ref(TypeRef),
    /// `impl Into<String>`.
    IntoString,
    /// `impl Into<Vec<u8>>`.
    IntoBytes,
    /// `impl Into<FilePart>`: a file to upload (bytes, a path or a stream).
    IntoFile,
    /// `impl IntoIterator<Item = impl Into<String>>`.
    Strings,
    /// `impl IntoIterator<Item = T>`.
    Items(TypeRef),
    /// `T`.
    Value(TypeRef),
}

/// How the pages of a paginated operation are walked; the rules that find
/// it are in `build::pagination`'s module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Where the next page comes from.
    pub rule: PageRule,
    /// What said the operation is paginated.
    pub source: PageSource,
    /// The path from the page body to its items (empty: the body is the array).
    pub items: FieldPath,
    /// The type of one item.
    pub item: TypeRef,
    /// A boolean saying whether more pages follow: `(path, true)` for
    /// `has_more`-like fields, `(path, false)` for `done`-like ones.
    pub more: Option<(FieldPath, bool)>,
    /// The total number of items ([`PageRule::Offset`]) or of pages
    /// ([`PageRule::Page`]).
    pub total: Option<FieldPath>,
}

/// Where a paginated operation's next page comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum PageRule {
    /// A cursor read from the page is sent in a query parameter.
    Cursor {
        /// The cursor parameter.
        param: ParamRef,
        /// The next cursor in the page.
        next: FieldPath,
        /// The field (a bare `next`) may hold the next page's absolute URL
        /// instead of a cursor: such a value is followed as a URL.
        or_url: bool,
    },
    /// A query parameter moves by the number of items received (`by_items`) or by one.
    Offset {
        /// The offset parameter.
        param: ParamRef,
        /// The page size parameter, if any (fewer items than asked ends).
        limit: Option<ParamRef>,
        /// The offset counts items (else pages).
        by_items: bool,
    },
    /// A query parameter counts pages.
    Page {
        /// The page number parameter.
        param: ParamRef,
        /// The number of the first page (the parameter's default or minimum, else 1).
        first: i64,
    },
    /// The page holds the next page's URL.
    NextUrl {
        /// The next page's URL in the page.
        next: FieldPath,
    },
    /// The `Link` response header (RFC 8288) names the next page (`rel="next"`).
    Link,
}

impl PageRule {
    /// A short name for reports: `cursor`, `offset`, `page`, `next-url`, `link`.
    pub fn name(&self) -> &'static str {
        match self {
            PageRule::Cursor { .. } => "cursor",
            PageRule::Offset { .. } => "offset",
            PageRule::Page { .. } => "page",
            PageRule::NextUrl { .. } => "next-url",
            PageRule::Link => "link",
        }
    }
}

/// What said an operation is paginated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageSource {
    /// The `x-speakeasy-pagination` extension.
    Speakeasy,
    /// The `x-fern-pagination` extension.
    Fern,
    /// A recognised shape of parameters, fields and headers.
    Detected,
}

/// A parameter of the operation: its index in [`Operation::params`] and its wire name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamRef {
    /// Index in [`Operation::params`].
    pub index: usize,
    /// The wire (query) name.
    pub wire: String,
}

/// A path of struct fields from a response body (empty: the body itself).
pub type FieldPath = Vec<FieldStep>;

/// One field on a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldStep {
    /// Rust field name.
    pub field: String,
    /// Wire (JSON) name.
    pub wire: String,
    /// How the field is wrapped (`Option`, `Nullable`).
    pub presence: Presence,
    /// The field's type is boxed (`Box<T>`).
    pub boxed: bool,
}

impl Operation {
    /// Calls `f` with every type reference of the operation: parameters,
    /// body, response bodies, success and error types.
    pub fn for_each_ref_mut(&mut self, f: &mut impl FnMut(&mut TypeRef)) {
        self.params.iter_mut().for_each(|p| f(&mut p.ty));
        if let Some(b) = &mut self.body {
            f(&mut b.ty);
        }
        for r in self.success.iter_mut().chain(&mut self.errors) {
            if let ResponseBody::Json(t) | ResponseBody::Events(t) | ResponseBody::JsonLines { item: t, .. } = &mut r.body {
                f(t);
            }
        }
        self.success_type.iter_mut().chain(&mut self.error_type).for_each(&mut *f);
        if let Some(p) = &mut self.pagination {
            f(&mut p.item);
        }
    }
}

/// One part of a path segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SegmentPart {
    /// Literal text.
    Literal(String),
    /// The value of the path parameter with this Rust name.
    Param(String),
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

impl ParamLocation {
    /// The spec's name for it (`in: path`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// How a query parameter is serialized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `form`, exploded: `a=1&a=2`; objects as their fields.
    FormExplode,
    /// `form`, not exploded: `a=1,2`.
    Form,
    /// `deepObject`: `a[x]=1`.
    DeepObject,
    /// `spaceDelimited`: `a=1%202`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
}

/// How a parameter value is written on the wire, decided from its location,
/// style and what its type is (an enum or an alias of a scalar is a scalar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// One value as text: `a=x` (strings as they are, enums as their wire
    /// value, numbers, booleans, dates, uuids; JSON text for a value whose
    /// shape the spec leaves open).
    Scalar,
    /// An array, one pair per item: `a=1&a=2` (form, exploded).
    Exploded,
    /// An array as one comma-separated value: `a=1,2` (form not exploded;
    /// path, header and cookie values).
    CommaJoined,
    /// An array as one space-separated value (`spaceDelimited`).
    SpaceJoined,
    /// An array as one `|`-separated value (`pipeDelimited`).
    PipeJoined,
    /// An object, one pair per field: `a[x]=1&a[y]=2` (`deepObject`).
    DeepObject,
    /// An object, one pair per field: `x=1&y=2` (form, exploded).
    FormObject,
    /// An object as one comma-separated list of fields and values:
    /// `a=x,1,y,2` (form not exploded; path, header and cookie values).
    ObjectCommaJoined,
}

/// An operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust argument name.
    pub name: String,
    /// Wire name.
    pub wire: String,
    /// Location.
    pub location: ParamLocation,
    /// Type.
    pub ty: TypeRef,
    /// Required (path parameters always are).
    pub required: bool,
    /// Query serialization, as the spec states it.
    pub style: QueryStyle,
    /// How the value is written, from the style and what the type is.
    pub encoding: Encoding,
    /// Doc text.
    pub doc: Option<String>,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Rust argument name.
    pub name: String,
    /// How it is encoded.
    pub kind: BodyKind,
    /// Its type.
    pub ty: TypeRef,
    /// Required.
    pub required: bool,
    /// The media type sent.
    pub media_type: String,
    /// Doc text.
    pub doc: Option<String>,
    /// Content types of some parts of a multipart body, as (property wire
    /// name, media type): the spec's per-property `encoding`, else a binary
    /// property's `contentMediaType`. Only single, concrete media types.
    pub encoding: Vec<(String, String)>,
    /// The body's struct has file fields: it is sent part by part (form or
    /// multipart), not through `serde`.
    pub by_parts: bool,
}

/// Request body encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// JSON (`application/json`, `+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// Raw bytes with the media type.
    Bytes,
    /// Text with the media type.
    Text,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A range `1XX`…`5XX` (the leading digit).
    Range(u16),
    /// `default`.
    Default,
}

/// How a response body is decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    /// No body.
    Empty,
    /// JSON into a type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// A stream of server-sent events (`text/event-stream`) whose `data`
    /// decodes into the type (`String`: the text as it is).
    Events(TypeRef),
    /// A stream of JSON values of the type: one per line (JSON Lines,
    /// NDJSON) or, with `seq`, one per RS-separated record (`json-seq`).
    JsonLines {
        /// The type of one item.
        item: TypeRef,
        /// `application/json-seq` framing.
        seq: bool,
    },
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// Its body.
    pub body: ResponseBody,
    /// Description.
    pub doc: Option<String>,
    /// Variant name in the operation's response or error enum.
    pub variant: String,
}
