//! The generated surface, decided once every type is final: how each
//! parameter is encoded (from its location, its style and what its type
//! is, looked up in the type table) and each operation's Rust surface (the
//! request type, arguments and setters that emit writes and diff compares).

use super::*;

/// What a parameter's type is, for encoding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A string, number, boolean, date, uuid, or an enum of those.
    Scalar,
    /// An array.
    Array,
    /// An object: a struct or a map.
    Object,
    /// Not known before run time (any JSON value, a union).
    Open,
}

impl Builder<'_> {
    /// Decides every parameter's encoding and every operation's surface.
    pub(super) fn surfaces(&self, operations: &mut [Operation]) {
        // Request types live in their own module: unique among themselves.
        let mut requests = Scope::new();
        for op in operations {
            op.surface.request = requests.unique(naming::type_name(naming::unraw(&op.name)));
            encode_params(&self.types, op);
        }
    }
}

/// Decides the encoding of an operation's parameters and the arguments and
/// setters of its surface (keeping its request type name) from what their
/// types are in `types` (again, after the transform stage replaced types).
pub(crate) fn encode_params(types: &[TypeDef], op: &mut Operation) {
    for p in &mut op.params {
        p.encoding = encoding(p.location, p.style, shape(types, &p.ty));
    }
    let request = std::mem::take(&mut op.surface.request);
    op.surface = surface(types, op, request);
}

/// What `t` is, following aliases.
fn shape(types: &[TypeDef], t: &TypeRef) -> Shape {
    let mut t = t;
    // An alias chain is at most as long as the type table (cycles were broken).
    for _ in 0..=types.len() {
        t = match t {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(inner) => inner,
                TypeKind::Struct { .. } => return Shape::Object,
                TypeKind::StringEnum { .. } | TypeKind::IntEnum { .. } => return Shape::Scalar,
                TypeKind::Union { .. } | TypeKind::Responses { .. } => return Shape::Open,
            },
            TypeRef::Option(inner) | TypeRef::Boxed(inner) => inner,
            TypeRef::Vec(_) => return Shape::Array,
            TypeRef::Map(_) | TypeRef::JsonObject => return Shape::Object,
            // An existing Rust type is written as serde writes it.
            TypeRef::Json | TypeRef::External(_) => return Shape::Open,
            TypeRef::String
            | TypeRef::Bool
            | TypeRef::I32
            | TypeRef::I64
            | TypeRef::F32
            | TypeRef::F64
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date
            | TypeRef::Bytes
            | TypeRef::File => return Shape::Scalar,
        };
    }
    Shape::Open
}

/// How a parameter is written. Query parameters follow their style; path,
/// header and cookie values are one text each (`simple` style): arrays
/// comma-separated, objects as comma-separated fields and values.
fn encoding(location: ParamLocation, style: QueryStyle, shape: Shape) -> Encoding {
    let query = location == ParamLocation::Query;
    match (shape, style) {
        (Shape::Scalar, _) => Encoding::Scalar,
        (Shape::Array, QueryStyle::FormExplode | QueryStyle::DeepObject) if query => Encoding::Exploded,
        (Shape::Array, QueryStyle::SpaceDelimited) if query => Encoding::SpaceJoined,
        (Shape::Array, QueryStyle::PipeDelimited) if query => Encoding::PipeJoined,
        (Shape::Array, _) => Encoding::CommaJoined,
        (Shape::Object | Shape::Open, QueryStyle::DeepObject) if query => Encoding::DeepObject,
        (Shape::Object, QueryStyle::FormExplode) if query => Encoding::FormObject,
        (Shape::Object, _) => Encoding::ObjectCommaJoined,
        (Shape::Open, _) => Encoding::Scalar,
    }
}

/// Methods every request value has, which setters must not shadow: the
/// per-request options, sending, and what later features add (pages, items,
/// streams). `body` is the optional body's setter.
const REQUEST_RESERVED: &[&str] = &["timeout", "max_retries", "header", "send", "into_future", "pages", "items", "into_stream", "idle_timeout", "body"];

/// The argument type of a value passed by reference.
fn by_ref(t: &TypeRef) -> InputType {
    match t {
        TypeRef::String => InputType::Str,
        TypeRef::Bytes => InputType::Bytes,
        TypeRef::Vec(item) => InputType::Slice((**item).clone()),
        other => InputType::Ref(other.clone()),
    }
}

/// `t` with aliases of named types followed to what they name.
fn unalias<'t>(types: &'t [TypeDef], mut t: &'t TypeRef) -> &'t TypeRef {
    // An alias chain is at most as long as the type table (cycles were broken).
    for _ in 0..=types.len() {
        match t {
            TypeRef::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(inner) => t = inner,
                _ => return t,
            },
            _ => return t,
        }
    }
    t
}

/// The setter type of a value passed by value: strings (and aliases of
/// strings) as `impl Into<String>`, arrays as any `IntoIterator`.
fn by_value(types: &[TypeDef], t: &TypeRef) -> InputType {
    match unalias(types, t) {
        TypeRef::String => InputType::IntoString,
        TypeRef::Bytes => InputType::IntoBytes,
        TypeRef::Vec(item) if *unalias(types, item) == TypeRef::String => InputType::Strings,
        TypeRef::Vec(item) => InputType::Items((**item).clone()),
        _ => InputType::Value(t.clone()),
    }
}

/// The operation's request type, arguments (required inputs) and setters
/// (optional inputs, named uniquely and never like a request method).
fn surface(types: &[TypeDef], op: &Operation, request: String) -> Surface {
    let mut args = Vec::new();
    let mut setters = Vec::new();
    let mut names = Scope::with_reserved(REQUEST_RESERVED);
    for (i, p) in op.params.iter().enumerate() {
        let target = InputTarget::Param(i);
        if p.required {
            args.push(Input { name: p.name.clone(), target, ty: by_ref(&p.ty) });
        } else {
            setters.push(Input { name: names.unique(naming::snake_name(&p.wire)), target, ty: by_value(types, &p.ty) });
        }
    }
    if let Some(b) = &op.body {
        let target = InputTarget::Body;
        let (arg, setter) = match b.kind {
            // A file: bytes, a path or a stream.
            BodyKind::Bytes => (InputType::IntoFile, InputType::IntoFile),
            BodyKind::Text => (InputType::Str, InputType::IntoString),
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => match by_value(types, &b.ty) {
                InputType::IntoString => (by_ref(&b.ty), InputType::IntoString),
                _ => (by_ref(&b.ty), InputType::Value(b.ty.clone())),
            },
        };
        if b.required {
            args.push(Input { name: b.name.clone(), target, ty: arg });
        } else {
            setters.push(Input { name: "body".to_owned(), target, ty: setter });
        }
    }
    Surface { request, args, setters }
}
