//! The runtime shared by every operation: client configuration, the one
//! non-generic request path (URL, headers, body, retries, timeout), the error
//! type and the three-state [`Nullable`] field type.
//!
//! This file is the same in every crate the generator writes; the generated
//! `client.rs` and `request.rs` only state each operation's inputs (which
//! parameter goes where, in which style) and how to decode its responses.
//!
//! The client runs on any tokio runtime, `current_thread` included, whose
//! I/O and time drivers are enabled (`enable_all()`, as `#[tokio::main]` and
//! `#[tokio::test]` do).
//!
//! Also here: file uploads ([`FilePart`], multipart forms rebuilt for each
//! attempt), credentials that expire (token providers, OAuth2 client
//! credentials, the rule that credentials only go to the base URL's origin,
//! redirects followed by the client itself), the response size limit,
//! `on_request`/`on_response` hooks, and with the `tracing` feature one span
//! per request; and streamed responses (bytes, server-sent events, JSON
//! Lines) and pages.
//!
//! The request path: [`Client::execute`] (a body read whole, within the
//! request timeout and the size limit) and [`Client::execute_stream`] (a
//! body streamed once the headers arrived) both go through
//! [`Client::send`], the one retry loop: credentials fetched per attempt,
//! one more attempt after a `401` when a token provider can refresh,
//! backoff, redirects followed by [`Client::attempt`] with the one origin
//! rule ([`Client::sends_credentials_to`]) on every request, hooks, tracing
//! events. A page of a paginated operation is a copy of the request sent
//! through the same path (a next-page URL from the server is its first URL).
#![allow(dead_code)]

use ::std::fmt;
use ::std::time::Duration;

/// The value of an optional, nullable field: left out, sent as `null`, or set.
///
/// `Absent` is the default and is never serialized (the field is skipped),
/// so a request only carries the fields the caller set. Deserializing a
/// present `null` gives [`Nullable::Null`]; a missing key gives
/// [`Nullable::Absent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Nullable<T> {
    /// The field is left out: on a request, the server keeps its value.
    #[default]
    Absent,
    /// The field is present and `null`: on a request, the server clears it.
    Null,
    /// The field is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` when the field is left out (used to skip it when serializing).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// `true` when the field is present and `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// `true` when the field holds a value.
    pub fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if there is one (both `Absent` and `Null` give `None`).
    pub fn as_option(&self) -> ::std::option::Option<&T> {
        match self {
            Nullable::Value(v) => ::std::option::Option::Some(v),
            _ => ::std::option::Option::None,
        }
    }

    /// The value, if there is one (both `Absent` and `Null` give `None`).
    pub fn into_option(self) -> ::std::option::Option<T> {
        match self {
            Nullable::Value(v) => ::std::option::Option::Some(v),
            _ => ::std::option::Option::None,
        }
    }

    /// `None` when absent, `Some(None)` when null, `Some(Some(v))` with a value.
    pub fn into_nested_option(self) -> ::std::option::Option<::std::option::Option<T>> {
        match self {
            Nullable::Absent => ::std::option::Option::None,
            Nullable::Null => ::std::option::Option::Some(::std::option::Option::None),
            Nullable::Value(v) => ::std::option::Option::Some(::std::option::Option::Some(v)),
        }
    }

    /// Borrows the value: `Nullable<&T>`.
    pub fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }
}

impl<T> ::std::convert::From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> ::std::convert::From<::std::option::Option<T>> for Nullable<T> {
    /// `Some(v)` sets the field, `None` clears it (sends `null`).
    fn from(value: ::std::option::Option<T>) -> Self {
        match value {
            ::std::option::Option::Some(v) => Nullable::Value(v),
            ::std::option::Option::None => Nullable::Null,
        }
    }
}

impl<T> ::std::convert::From<Nullable<T>> for ::std::option::Option<T> {
    fn from(value: Nullable<T>) -> Self {
        value.into_option()
    }
}

impl<T: ::serde::Serialize> ::serde::Serialize for Nullable<T> {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => v.serialize(serializer),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: ::serde::Deserialize<'de>> ::serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        let value: ::std::option::Option<T> = ::serde::Deserialize::deserialize(deserializer)?;
        ::std::result::Result::Ok(value.into())
    }
}

/// The conversions of an open string enum of `types`, written once here
/// instead of in full for every enum: `as_str`, `From<&str>`,
/// `From<String>`, `FromStr`, `Display`, `Serialize` and `Deserialize`
/// (as the wire string). A value that is no documented variant is kept in
/// the catch-all variant and sent back unchanged.
///
/// `open_enum!(Name, Other, Variant = "wire", ...)`: `Other` is the
/// catch-all variant holding a `String`.
#[allow(unused_macros)]
macro_rules! open_enum {
    ($name:ident, $other:ident $(, $variant:ident = $value:literal)* $(,)?) => {
        impl $name {
            /// The exact wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::$other(value) => value.as_str(),
                }
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::$other(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::$other(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            // Not `Self::Err`: a variant named `Err` would make it ambiguous.
            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use open_enum;

/// The `Serialize` (with `both`) and `Deserialize` impls of a struct of
/// `types`, written once here instead of serde's derives for every struct.
/// `Serialize` writes the fields in order as a map, leaving out an `opt`
/// field that is `None` or `Absent` ([`Skip`]), then the entries of the
/// `additional_properties` map; `de` alone is for a struct that keeps
/// serde's `Serialize` derive (one the configuration gives extra derives,
/// which may read its `#[serde]` attributes). `Deserialize` reads a JSON
/// object key by key
/// (no buffering, no sequence form, no field-identifier visitor), which
/// type-checks in a fraction of the derive's time on big APIs. It behaves as
/// the derive with the struct's `#[serde]` attributes did: keys are matched
/// by wire name, an unknown key is skipped (or kept in the
/// `additional_properties` map, when named last), a repeated key is an
/// error, a missing `opt` field is its `Default` (`None`, `Absent`), a
/// missing `req` field is an error naming it (`None` for an `Option`), and
/// a `whole` field reads integral floats as integers ([`whole`]). Each
/// field's type is given again, so that type inference knows the type of
/// its slot where it is made.
///
/// `de_struct!(both|de Name, [(field, "wire", Type, plain|whole, req|opt), ...] [, additional_properties])`
#[allow(unused_macros)]
macro_rules! de_struct {
    (both $name:ident, [$(($field:ident, $wire:literal, $ty:ty, $read:ident, $missing:ident)),* $(,)?] $(, $extra:ident)?) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                $(crate::runtime::de_struct!(@write $missing map $wire self.$field);)*
                $(for (key, value) in &self.$extra {
                    map.serialize_entry(key, value)?;
                })?
                map.end()
            }
        }
        crate::runtime::de_struct!(de $name, [$(($field, $wire, $ty, $read, $missing)),*] $(, $extra)?);
    };
    (de $name:ident, [$(($field:ident, $wire:literal, $ty:ty, $read:ident, $missing:ident)),* $(,)?] $(, $extra:ident)?) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(::std::concat!("struct ", ::std::stringify!($name)))
                    }
                    #[allow(unused_mut)]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<$name, A::Error> {
                        $(let mut $field: ::std::option::Option<$ty> = ::std::option::Option::None;)*
                        $(let mut $extra = ::std::collections::BTreeMap::new();)?
                        while let ::std::option::Option::Some(key) = map.next_key::<crate::runtime::Key<'de>>()? {
                            match key.as_str() {
                                $($wire => {
                                    if $field.is_some() {
                                        return ::std::result::Result::Err(<A::Error as ::serde::de::Error>::duplicate_field($wire));
                                    }
                                    $field = ::std::option::Option::Some(crate::runtime::de_struct!(@read $read map));
                                })*
                                _ => { crate::runtime::de_struct!(@other map key $($extra)?); }
                            }
                        }
                        ::std::result::Result::Ok($name {
                            $($field: crate::runtime::de_struct!(@missing $missing $field $wire),)*
                            $($extra,)?
                        })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    };
    (@read plain $map:ident) => { $map.next_value()? };
    (@read whole $map:ident) => { $map.next_value::<crate::runtime::AsWhole<_>>()?.0 };
    (@missing req $field:ident $wire:literal) => {
        match $field {
            ::std::option::Option::Some(value) => value,
            ::std::option::Option::None => crate::runtime::missing($wire)?,
        }
    };
    (@missing opt $field:ident $wire:literal) => { $field.unwrap_or_default() };
    (@write req $map:ident $wire:literal $value:expr) => { $map.serialize_entry($wire, &$value)? };
    (@write opt $map:ident $wire:literal $value:expr) => {
        if !crate::runtime::Skip::skip(&$value) {
            $map.serialize_entry($wire, &$value)?;
        }
    };
    (@other $map:ident $key:ident) => { $map.next_value::<::serde::de::IgnoredAny>()? };
    (@other $map:ident $key:ident $extra:ident) => { $extra.insert($key.into_string(), $map.next_value()?) };
}
#[allow(unused_imports)]
pub(crate) use de_struct;

/// An optional field's value that [`de_struct!`] leaves out when encoding.
pub(crate) trait Skip {
    fn skip(&self) -> bool;
}

impl<T> Skip for ::std::option::Option<T> {
    fn skip(&self) -> bool {
        self.is_none()
    }
}

impl<T> Skip for Nullable<T> {
    fn skip(&self) -> bool {
        self.is_absent()
    }
}

/// An object key as [`de_struct!`] reads it: borrowed from the input when
/// it can be.
pub(crate) struct Key<'de>(::std::borrow::Cow<'de, str>);

#[allow(dead_code)]
impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn into_string(self) -> ::std::string::String {
        self.0.into_owned()
    }
}

impl<'de> ::serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> ::serde::de::Visitor<'de> for Visitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E: ::serde::de::Error>(self, v: &'de str) -> ::std::result::Result<Key<'de>, E> {
                Ok(Key(::std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: ::serde::de::Error>(self, v: &str) -> ::std::result::Result<Key<'de>, E> {
                Ok(Key(::std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: ::serde::de::Error>(self, v: ::std::string::String) -> ::std::result::Result<Key<'de>, E> {
                Ok(Key(::std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The value of a missing `req` field of [`de_struct!`]: `None` for an
/// `Option` (as serde's derive), else the "missing field" error.
#[allow(dead_code)]
pub(crate) fn missing<'de, T: ::serde::Deserialize<'de>, E: ::serde::de::Error>(field: &'static str) -> ::std::result::Result<T, E> {
    T::deserialize(MissingField(field, ::std::marker::PhantomData))
}

struct MissingField<E>(&'static str, ::std::marker::PhantomData<E>);

impl<'de, E: ::serde::de::Error> ::serde::Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: ::serde::de::Visitor<'de>>(self, _visitor: V) -> ::std::result::Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: ::serde::de::Visitor<'de>>(self, visitor: V) -> ::std::result::Result<V::Value, E> {
        visitor.visit_none()
    }

    ::serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// A decoded response body with the status and headers it came with.
/// Dereferences to the body.
#[derive(Debug, Clone)]
pub struct ResponseValue<T> {
    inner: T,
    status: ::reqwest::StatusCode,
    headers: ::reqwest::header::HeaderMap,
}

impl<T> ResponseValue<T> {
    /// The HTTP status of the response.
    pub fn status(&self) -> ::reqwest::StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &::reqwest::header::HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }
}

impl<T> ::std::ops::Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> ::std::ops::DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

/// What went wrong, in broad strokes. See [`Error`] for the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client could not be configured (for example an invalid base URL).
    Config,
    /// The request could not be built (a body or parameter did not serialize).
    Request,
    /// No response arrived: connection refused or dropped, TLS, DNS.
    Transport,
    /// The request or its response took longer than the configured timeout.
    Timeout,
    /// The server answered with an error status the API documents; [`Error::typed`] holds its body.
    Status,
    /// The server answered with a status the API does not document for this operation.
    UnexpectedStatus,
    /// The response body could not be decoded into the documented type.
    Decode,
    /// A credential could not be obtained: a token provider failed, or the
    /// OAuth2 token endpoint refused or could not be reached.
    Credentials,
    /// The response body is larger than
    /// [`ClientBuilder::max_response_body_size`]; it was not read further.
    BodyTooLarge,
}

/// The error of every operation. `E` is the operation's documented error
/// body (a `…Error` enum in `types`), or `()` where none is documented.
///
/// Where a response arrived, it keeps the status, headers and raw body.
/// Neither `Display` nor `Debug` ever shows request headers, so credentials
/// cannot leak through it.
pub struct Error<E = ()>(::std::boxed::Box<ErrorInner<E>>);

struct ErrorInner<E> {
    kind: ErrorKind,
    status: ::std::option::Option<::reqwest::StatusCode>,
    headers: ::std::option::Option<::reqwest::header::HeaderMap>,
    body: ::std::option::Option<::std::vec::Vec<u8>>,
    typed: ::std::option::Option<E>,
    message: ::std::borrow::Cow<'static, str>,
    source: ::std::option::Option<::std::boxed::Box<dyn ::std::error::Error + Send + Sync + 'static>>,
}

impl<E> Error<E> {
    fn new(kind: ErrorKind, message: impl ::std::convert::Into<::std::borrow::Cow<'static, str>>) -> Self {
        Error(::std::boxed::Box::new(ErrorInner {
            kind,
            status: None,
            headers: None,
            body: None,
            typed: None,
            message: message.into(),
            source: None,
        }))
    }

    fn with_source(mut self, source: impl ::std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(::std::boxed::Box::new(source));
        self
    }

    fn with_response(mut self, response: RawResponse) -> Self {
        self.0.status = Some(response.status);
        self.0.headers = Some(response.headers);
        self.0.body = Some(response.body);
        self
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status, where a response arrived.
    pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
        self.0.status
    }

    /// The response headers, where a response arrived.
    pub fn headers(&self) -> ::std::option::Option<&::reqwest::header::HeaderMap> {
        self.0.headers.as_ref()
    }

    /// The raw response body, where a response arrived.
    pub fn body(&self) -> ::std::option::Option<&[u8]> {
        self.0.body.as_deref()
    }

    /// The raw response body as text (lossy UTF-8), where a response arrived.
    pub fn body_text(&self) -> ::std::option::Option<::std::string::String> {
        self.0.body.as_deref().map(|b| ::std::string::String::from_utf8_lossy(b).into_owned())
    }

    /// Decodes the raw response body as JSON into any type.
    pub fn body_json<T: ::serde::de::DeserializeOwned>(&self) -> ::std::option::Option<::serde_json::Result<T>> {
        self.0.body.as_deref().map(::serde_json::from_slice)
    }

    /// The decoded error body the API documents for this status.
    pub fn typed(&self) -> ::std::option::Option<&E> {
        self.0.typed.as_ref()
    }

    /// Takes the decoded error body the API documents for this status.
    pub fn into_typed(self) -> ::std::option::Option<E> {
        self.0.typed
    }

    /// `true` when the request or response took longer than the timeout.
    pub fn is_timeout(&self) -> bool {
        self.0.kind == ErrorKind::Timeout
    }

    /// `true` when no response arrived (connection refused or dropped).
    pub fn is_transport(&self) -> bool {
        self.0.kind == ErrorKind::Transport
    }

    /// `true` when the response body did not decode.
    pub fn is_decode(&self) -> bool {
        self.0.kind == ErrorKind::Decode
    }

    /// Where a response body failed to decode: the JSON path of the value
    /// that did not fit (`data.contact.id`, `items[2].price`; `""` for the
    /// body as a whole). Set for [`ErrorKind::Decode`] errors, and for
    /// [`ErrorKind::Status`] errors whose documented error body did not decode.
    pub fn decode_path(&self) -> ::std::option::Option<&str> {
        let source: &(dyn ::std::error::Error + 'static) = self.0.source.as_deref()?;
        source.downcast_ref::<DecodeError>().map(|e| e.path.as_str())
    }

    /// How long the server asked to wait before trying again (its
    /// `Retry-After` header, delay-seconds or an HTTP date), where a response
    /// arrived with one.
    pub fn retry_after(&self) -> ::std::option::Option<Duration> {
        self.0.headers.as_ref().and_then(retry_after)
    }

    /// `true` when trying the same request again later may succeed:
    /// transport failures, timeouts and statuses 408, 429, 502, 503, 504.
    /// The client has already retried these as configured, except timeouts
    /// (the server may have acted on the request) and waits longer than
    /// [`ClientBuilder::max_backoff`].
    pub fn is_retryable(&self) -> bool {
        match self.0.kind {
            ErrorKind::Transport | ErrorKind::Timeout => true,
            _ => self.0.status.is_some_and(is_retryable_status),
        }
    }

    /// Drops the typed body, keeping everything else (useful to unify error types).
    pub fn untyped(self) -> Error<()> {
        let inner = *self.0;
        Error(::std::boxed::Box::new(ErrorInner {
            kind: inner.kind,
            status: inner.status,
            headers: inner.headers,
            body: inner.body,
            typed: None,
            message: inner.message,
            source: inner.source,
        }))
    }

    fn map_typed<F>(self, typed: ::std::option::Option<F>) -> Error<F> {
        let inner = *self.0;
        Error(::std::boxed::Box::new(ErrorInner {
            kind: inner.kind,
            status: inner.status,
            headers: inner.headers,
            body: inner.body,
            typed,
            message: inner.message,
            source: inner.source,
        }))
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(status) = self.0.status {
            write!(f, "HTTP {status}: ")?;
        }
        f.write_str(&self.0.message)?;
        if let Some(source) = &self.0.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 512;
        let body = self.0.body.as_deref().map(|b| {
            let text = ::std::string::String::from_utf8_lossy(&b[..b.len().min(SHOWN)]).into_owned();
            if b.len() > SHOWN { format!("{text}… ({} bytes)", b.len()) } else { text }
        });
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("status", &self.0.status)
            .field("message", &self.0.message)
            .field("body", &body)
            .field("typed", &self.0.typed)
            .field("source", &self.0.source)
            .finish()
    }
}

impl<E: fmt::Debug> ::std::error::Error for Error<E> {
    fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
        self.0.source.as_deref().map(|s| s as &(dyn ::std::error::Error + 'static))
    }
}

fn is_retryable_status(status: ::reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// A bearer token or other credential: kept out of `Debug` output.
#[derive(Clone, PartialEq, Eq)]
struct Secret(::std::string::String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Clone, Debug)]
enum Credential {
    Bearer(Secret),
    Basic { user: ::std::string::String, password: ::std::option::Option<Secret> },
    Header { name: ::reqwest::header::HeaderName, value: Secret },
    Query { name: &'static str, value: Secret },
    /// A bearer token from a provider, asked for on every attempt.
    BearerSource(TokenSource),
    /// An API key in a header, from a provider.
    HeaderSource { name: ::reqwest::header::HeaderName, source: TokenSource },
    /// An API key in the query, from a provider.
    QuerySource { name: &'static str, source: TokenSource },
    /// OAuth2 client credentials, turned into a [`Credential::BearerSource`]
    /// by [`ClientBuilder::build`] (which knows the base URL and HTTP client).
    ClientCredentials(::std::boxed::Box<PendingClientCredentials>),
}

impl Credential {
    /// `true` for credentials a provider can refresh after a `401`.
    fn is_refreshable(&self) -> bool {
        matches!(self, Credential::BearerSource(_) | Credential::HeaderSource { .. } | Credential::QuerySource { .. })
    }

    /// `true` for the credentials that fill the `Authorization` header.
    fn is_authorization(&self) -> bool {
        matches!(
            self,
            Credential::Bearer(_) | Credential::Basic { .. } | Credential::BearerSource(_) | Credential::ClientCredentials(_)
        )
    }
}

/// The default request timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default number of retries after the first attempt.
pub const DEFAULT_MAX_RETRIES: u32 = 2;
/// The default limit of a response body read into memory (64 MiB).
pub const DEFAULT_MAX_RESPONSE_BODY_SIZE: usize = 64 * 1024 * 1024;
/// Redirects followed by one attempt, at most.
const MAX_REDIRECTS: usize = 10;
const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The API client. Cheap to clone: clones share one connection pool.
///
/// `Debug` never shows credentials.
#[derive(Clone, Debug)]
pub struct Client {
    base_url: ::reqwest::Url,
    http: ::reqwest::Client,
    credentials: ::std::vec::Vec<Credential>,
    user_agent: ::std::string::String,
    timeout: Duration,
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    idle_timeout: ::std::option::Option<Duration>,
    max_response_body_size: usize,
    hooks: Hooks,
}

/// Configures a [`Client`]; made by [`Client::builder`].
#[derive(Debug)]
pub struct ClientBuilder {
    base_url: ::std::string::String,
    http: ::std::option::Option<::reqwest::Client>,
    credentials: ::std::vec::Vec<Credential>,
    user_agent: ::std::string::String,
    timeout: Duration,
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    idle_timeout: ::std::option::Option<Duration>,
    max_response_body_size: usize,
    hooks: Hooks,
    oauth2_token_url: ::std::option::Option<::std::string::String>,
    oauth2_scope: ::std::option::Option<::std::string::String>,
}

impl Client {
    /// A client for `base_url` with default settings and no credentials.
    pub fn new(base_url: &str) -> ::std::result::Result<Self, Error> {
        Self::builder(base_url).build()
    }

    /// Starts configuring a client for `base_url` (for example the API's
    /// documented server, [`Client::DEFAULT_BASE_URL`] where the spec names one).
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_owned(),
            http: None,
            credentials: ::std::vec::Vec::new(),
            user_agent: USER_AGENT.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
            idle_timeout: None,
            max_response_body_size: DEFAULT_MAX_RESPONSE_BODY_SIZE,
            hooks: Hooks::default(),
            oauth2_token_url: None,
            oauth2_scope: None,
        }
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &::reqwest::Url {
        &self.base_url
    }
}

impl ClientBuilder {
    /// Replaces the credential that fills the `Authorization` header.
    fn authorization(mut self, credential: Credential) -> Self {
        self.credentials.retain(|c| !c.is_authorization());
        self.credentials.push(credential);
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub(crate) fn bearer(self, token: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.authorization(Credential::Bearer(Secret(token.into())))
    }

    /// Sends HTTP basic authentication with every request.
    pub(crate) fn basic(self, user: impl ::std::convert::Into<::std::string::String>, password: ::std::option::Option<::std::string::String>) -> Self {
        self.authorization(Credential::Basic { user: user.into(), password: password.map(Secret) })
    }

    /// Sends an API key in the header `name` with every request.
    pub(crate) fn api_key_header(mut self, name: &'static str, value: impl ::std::convert::Into<::std::string::String>) -> Self {
        let name = ::reqwest::header::HeaderName::from_static(name);
        self.credentials.retain(|c| !matches!(c, Credential::Header { name: n, .. } | Credential::HeaderSource { name: n, .. } if *n == name));
        self.credentials.push(Credential::Header { name, value: Secret(value.into()) });
        self
    }

    /// Sends an API key in the query parameter `name` with every request.
    pub(crate) fn api_key_query(mut self, name: &'static str, value: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.credentials.retain(|c| !matches!(c, Credential::Query { name: n, .. } | Credential::QuerySource { name: n, .. } if *n == name));
        self.credentials.push(Credential::Query { name, value: Secret(value.into()) });
        self
    }

    /// Sends `Authorization: Bearer <token>` with the token `provider` gives
    /// for each attempt (see [`TokenRequest`]).
    pub(crate) fn bearer_provider<F, Fut, T, X>(self, provider: F) -> Self
    where
        F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
        Fut: ::std::future::Future<Output = ::std::result::Result<T, X>> + Send + 'static,
        T: ::std::convert::Into<::std::string::String> + 'static,
        X: ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> + 'static,
    {
        self.authorization(Credential::BearerSource(TokenSource::from_fn(provider)))
    }

    /// Sends an API key from `provider` in the header `name`.
    pub(crate) fn api_key_header_provider<F, Fut, T, X>(mut self, name: &'static str, provider: F) -> Self
    where
        F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
        Fut: ::std::future::Future<Output = ::std::result::Result<T, X>> + Send + 'static,
        T: ::std::convert::Into<::std::string::String> + 'static,
        X: ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> + 'static,
    {
        let name = ::reqwest::header::HeaderName::from_static(name);
        self.credentials.retain(|c| !matches!(c, Credential::Header { name: n, .. } | Credential::HeaderSource { name: n, .. } if *n == name));
        self.credentials.push(Credential::HeaderSource { name, source: TokenSource::from_fn(provider) });
        self
    }

    /// Sends an API key from `provider` in the query parameter `name`.
    pub(crate) fn api_key_query_provider<F, Fut, T, X>(mut self, name: &'static str, provider: F) -> Self
    where
        F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
        Fut: ::std::future::Future<Output = ::std::result::Result<T, X>> + Send + 'static,
        T: ::std::convert::Into<::std::string::String> + 'static,
        X: ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> + 'static,
    {
        self.credentials.retain(|c| !matches!(c, Credential::Query { name: n, .. } | Credential::QuerySource { name: n, .. } if *n == name));
        self.credentials.push(Credential::QuerySource { name, source: TokenSource::from_fn(provider) });
        self
    }

    /// Fetches bearer tokens with the OAuth2 client-credentials grant from
    /// `token_url` (the spec's; relative to the base URL where it is relative).
    pub(crate) fn client_credentials(
        self,
        token_url: &'static str,
        client_id: impl ::std::convert::Into<::std::string::String>,
        client_secret: impl ::std::convert::Into<::std::string::String>,
    ) -> Self {
        self.authorization(Credential::ClientCredentials(::std::boxed::Box::new(PendingClientCredentials {
            token_url,
            client_id: client_id.into(),
            client_secret: Secret(client_secret.into()),
        })))
    }

    /// The token endpoint of the OAuth2 client-credentials flow, instead of
    /// the one the API documents (for example a staging server's). A relative
    /// URL is resolved against the base URL. Only used by
    /// `oauth2_client_credentials`, where the API has such a flow.
    pub fn oauth2_token_url(mut self, url: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.oauth2_token_url = Some(url.into());
        self
    }

    /// The `scope` asked for in OAuth2 client-credentials token requests
    /// (space-separated scopes; default: none, the server's default). Only
    /// used by `oauth2_client_credentials`, where the API has such a flow.
    pub fn oauth2_scope(mut self, scope: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.oauth2_scope = Some(scope.into());
        self
    }

    /// The time allowed for one attempt, from sending to the end of the body
    /// (default 30 s). Applies to a client given with [`Self::reqwest_client`] too.
    /// For a streamed response (server-sent events, JSON Lines, a download
    /// read as a stream) it covers connecting and receiving the headers; the
    /// gaps in its body are bounded by [`Self::idle_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed attempt is retried (default 2; `0` turns retries off).
    ///
    /// Retried, with the same request body: connection failures (refused,
    /// reset or closed before a response arrived) and statuses 408, 429, 502,
    /// 503 and 504. The wait is the server's `Retry-After` (delay-seconds or
    /// an HTTP date) where it sends one, else an exponential backoff with
    /// jitter. Timeouts are not retried, and neither is a request whose body
    /// is a one-shot stream ([`FilePart::stream`]).
    ///
    /// A connection failure may happen after the server acted on the
    /// request, so a non-idempotent request can then be applied twice; use
    /// `max_retries(0)` where that matters.
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = max_retries;
        self
    }

    /// The first backoff before a retry (default 200 ms); it doubles per retry,
    /// up to [`Self::max_backoff`]. The actual wait is a random time between
    /// half and all of it.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait before a retry (default 30 s). When the server's
    /// `Retry-After` asks for a longer wait, the client does not retry early:
    /// it returns the error at once ([`Error::retry_after`] tells how long).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest wait for the next piece of a streamed response body
    /// (server-sent events, JSON Lines, a download read as a stream) once its
    /// headers arrived; default: no limit. When it runs out, the stream
    /// yields a [`ErrorKind::Timeout`] error and ends. (For a streamed
    /// response, [`Self::timeout`] covers connecting and receiving the
    /// headers only.)
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }

    /// The largest response body read into memory, in bytes (default
    /// [`DEFAULT_MAX_RESPONSE_BODY_SIZE`], 64 MiB). A larger body is an
    /// [`ErrorKind::BodyTooLarge`] error, with the status and headers, and is
    /// not read further than the limit. Streamed bodies are not limited.
    pub fn max_response_body_size(mut self, bytes: usize) -> Self {
        self.max_response_body_size = bytes;
        self
    }

    /// Calls `hook` before each attempt is sent (each redirect too): it can
    /// read the request and add or change headers, e.g. a request id or a
    /// signature. Hooks run in the order they were added, after the
    /// credential headers are set (marked sensitive) and before API keys are
    /// added to the query (see [`HookRequest`]).
    pub fn on_request(mut self, hook: impl Fn(&mut HookRequest<'_>) + Send + Sync + 'static) -> Self {
        self.hooks.request.push(::std::sync::Arc::new(hook));
        self
    }

    /// Calls `hook` after each attempt (each redirect too) with its status, or
    /// none where no response arrived, and how long it took until the
    /// response headers: e.g. for metrics.
    pub fn on_response(mut self, hook: impl Fn(&HookResponse<'_>) + Send + Sync + 'static) -> Self {
        self.hooks.response.push(::std::sync::Arc::new(hook));
        self
    }

    /// The `User-Agent` header sent with every request (default
    /// `<crate name>/<crate version>` of this generated crate).
    pub fn user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses this `reqwest::Client` (proxies, TLS roots, pools) instead of a default one.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())` so that
    /// this client follows redirects itself and sends credentials only to
    /// the base URL's origin. Otherwise reqwest follows them: it drops
    /// `Authorization` on a redirect to another host, but not an API key
    /// header.
    pub fn reqwest_client(mut self, client: ::reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Builds the client. Fails if the base URL (or an OAuth2 token URL) is
    /// not an absolute http(s) URL.
    pub fn build(self) -> ::std::result::Result<Client, Error> {
        let mut base_url = ::reqwest::Url::parse(&self.base_url)
            .map_err(|e| Error::new(ErrorKind::Config, format!("invalid base URL {:?}", self.base_url)).with_source(e))?;
        if base_url.cannot_be_a_base() || !matches!(base_url.scheme(), "http" | "https") {
            return Err(Error::new(ErrorKind::Config, format!("base URL {:?} is not an http(s) URL", self.base_url)));
        }
        // Path segments are appended to the base path: drop one trailing slash.
        if let Ok(mut segments) = base_url.path_segments_mut() {
            segments.pop_if_empty();
        }
        // With the `rustls-ring` feature alone, reqwest has no crypto provider
        // of its own: install ring as the process default, unless the
        // application installed one already.
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
        if self.http.is_none() {
            let _ = ::rustls::crypto::ring::default_provider().install_default();
        }
        let http = match self.http {
            Some(http) => http,
            // Redirects are followed by `Client::attempt`, which knows which
            // origin may see the credentials.
            None => ::reqwest::Client::builder()
                .redirect(::reqwest::redirect::Policy::none())
                .build()
                .map_err(|e| Error::new(ErrorKind::Config, "could not build the HTTP client").with_source(e))?,
        };
        let mut credentials = self.credentials;
        for credential in &mut credentials {
            if let Credential::ClientCredentials(pending) = credential {
                let url = self.oauth2_token_url.as_deref().unwrap_or(pending.token_url);
                let token_url = base_url
                    .join(url)
                    .ok()
                    .filter(|u| matches!(u.scheme(), "http" | "https"))
                    .ok_or_else(|| Error::new(ErrorKind::Config, format!("the OAuth2 token URL {url:?} is not an http(s) URL")))?;
                let source = ClientCredentials {
                    token_url,
                    client_id: pending.client_id.clone(),
                    client_secret: pending.client_secret.clone(),
                    scope: self.oauth2_scope.clone(),
                    http: http.clone(),
                    timeout: self.timeout,
                    cache: ::tokio::sync::Mutex::new(None),
                };
                *credential = Credential::BearerSource(TokenSource(::std::sync::Arc::new(source)));
            }
        }
        Ok(Client {
            base_url,
            http,
            credentials,
            user_agent: self.user_agent,
            timeout: self.timeout,
            max_retries: self.max_retries,
            initial_backoff: self.initial_backoff,
            max_backoff: self.max_backoff,
            idle_timeout: self.idle_timeout,
            max_response_body_size: self.max_response_body_size,
            hooks: self.hooks,
        })
    }
}

/// A request body, already encoded, or parts that are read for each attempt.
///
/// Copies (for the next page of a paginated operation) share a one-shot
/// stream ([`FilePart::stream`]) with the original: whichever is sent
/// first takes it, and sending the other is an [`ErrorKind::Request`]
/// error. Every other body is copied whole.
#[derive(Clone)]
pub(crate) enum Body {
    Empty,
    Json(::std::vec::Vec<u8>),
    Form(::std::vec::Vec<(::std::string::String, ::std::string::String)>),
    Bytes { content_type: &'static str, data: ::std::vec::Vec<u8> },
    /// A whole binary body: bytes, a file or a stream.
    File { content_type: &'static str, file: FilePart },
    /// `multipart/form-data` (`multipart: true`) or a urlencoded form with
    /// file fields: the form is built anew for each attempt, from parts
    /// that are re-read, so that a retry sends the same content.
    Parts { multipart: bool, parts: ::std::vec::Vec<PartSpec> },
}

impl Body {
    /// `false` when the body holds a one-shot stream (then it is never sent twice).
    fn is_replayable(&self) -> bool {
        match self {
            Body::File { file, .. } => file.is_replayable(),
            Body::Parts { parts, .. } => parts.iter().all(|p| match &p.value {
                PartValue::File(file) => file.is_replayable(),
                PartValue::Text(_) => true,
            }),
            _ => true,
        }
    }
}

/// Everything an operation sends, built by the generated client method and
/// the request value's setters.
///
/// Each query, header and cookie parameter has a slot (its place in the
/// operation's parameter list), so values go out in the spec's order
/// whatever order the setters were called in, and setting one twice keeps
/// the last value. Encoding failures are kept and reported by
/// [`Client::execute`], so the generated code needs no error handling.
pub(crate) struct Request {
    method: ::reqwest::Method,
    segments: ::std::vec::Vec<::std::borrow::Cow<'static, str>>,
    fixed_query: ::std::vec::Vec<(&'static str, &'static str)>,
    slots: ::std::vec::Vec<Slot>,
    body: Body,
    timeout: ::std::option::Option<Duration>,
    max_retries: ::std::option::Option<u32>,
    extra_headers: ::std::vec::Vec<(::reqwest::header::HeaderName, ::reqwest::header::HeaderValue)>,
    failure: ::std::option::Option<Error>,
    /// The idle timeout of a streamed response (instead of the client's).
    idle_timeout: ::std::option::Option<Duration>,
    /// The `Accept` header, when not `application/json` (a streamed response's media types).
    accept: ::std::option::Option<&'static str>,
    /// A next page's URL (from a `Link` header or a page body), sent
    /// instead of the path and query.
    next_url: ::std::option::Option<::reqwest::Url>,
    operation_id: &'static str,
    path_template: &'static str,
}

/// The encoded value of one parameter.
#[derive(Clone)]
enum Slot {
    Unset,
    Query(::std::vec::Vec<(::std::borrow::Cow<'static, str>, ::std::string::String)>),
    Header(::reqwest::header::HeaderName, ::reqwest::header::HeaderValue),
    /// `name=value`, already checked to be valid in a header.
    Cookie(::std::string::String),
}

impl Request {
    /// A request with no path yet and `slots` parameter slots.
    pub fn new(method: ::reqwest::Method, slots: usize) -> Self {
        Request {
            method,
            segments: ::std::vec::Vec::new(),
            fixed_query: ::std::vec::Vec::new(),
            slots: ::std::iter::repeat_with(|| Slot::Unset).take(slots).collect(),
            body: Body::Empty,
            timeout: None,
            max_retries: None,
            extra_headers: ::std::vec::Vec::new(),
            failure: None,
            idle_timeout: None,
            accept: None,
            next_url: None,
            operation_id: "",
            path_template: "",
        }
    }

    /// A copy to send again (for the next page); an encoding failure is
    /// not copied (the first page reports it and the walk ends). A one-shot
    /// stream in the body is shared, not copied (see [`Body`]): a paginated
    /// request with one fails on its second page.
    fn copy(&self) -> Self {
        Request {
            method: self.method.clone(),
            segments: self.segments.clone(),
            fixed_query: self.fixed_query.clone(),
            slots: self.slots.clone(),
            body: self.body.clone(),
            timeout: self.timeout,
            max_retries: self.max_retries,
            extra_headers: self.extra_headers.clone(),
            failure: None,
            idle_timeout: self.idle_timeout,
            accept: self.accept,
            next_url: self.next_url.clone(),
            operation_id: self.operation_id,
            path_template: self.path_template,
        }
    }

    /// This request turned into the one for `page` (see [`Pages`]): a query
    /// parameter set (as the setter would), or a whole URL to follow.
    fn page(self, page: &PageRequest) -> Self {
        match page {
            PageRequest::First => self,
            PageRequest::Query { slot, name, value } => self.query(*slot, name, Style::Scalar, value),
            PageRequest::Url(url) => Request { next_url: Some(url.clone()), ..self },
        }
    }

    /// The idle timeout of a streamed response (instead of the client's).
    pub fn idle_timeout(mut self, idle: Duration) -> Self {
        self.idle_timeout = Some(idle);
        self
    }

    fn fail(&mut self, error: Error) {
        if self.failure.is_none() {
            self.failure = Some(error);
        }
    }

    fn set(mut self, slot: usize, value: Slot) -> Self {
        if let Some(place) = self.slots.get_mut(slot) {
            *place = value;
        }
        self
    }

    /// Appends a literal path segment.
    pub fn path(mut self, segment: &'static str) -> Self {
        self.segments.push(::std::borrow::Cow::Borrowed(segment));
        self
    }

    /// Appends a path segment holding a parameter value written in `style`.
    pub fn path_param<T: ::serde::Serialize + ?Sized>(mut self, value: &T, style: Style) -> Self {
        match param_value(value) {
            Ok(value) => self.segments.push(::std::borrow::Cow::Owned(text(style, value))),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Appends literal text to the last path segment (`{file}.json`).
    pub fn append(mut self, text: &'static str) -> Self {
        match self.segments.last_mut() {
            Some(last) => last.to_mut().push_str(text),
            None => self.segments.push(::std::borrow::Cow::Borrowed(text)),
        }
        self
    }

    /// Appends a parameter value to the last path segment (`v{version}`).
    pub fn append_param<T: ::serde::Serialize + ?Sized>(mut self, value: &T, style: Style) -> Self {
        match (param_value(value), self.segments.last_mut()) {
            (Ok(value), Some(last)) => last.to_mut().push_str(&text(style, value)),
            (Ok(value), None) => self.segments.push(::std::borrow::Cow::Owned(text(style, value))),
            (Err(e), _) => self.fail(e),
        }
        self
    }

    /// Adds a fixed query pair (written into the spec's path), sent before the parameters.
    pub fn fixed_query(mut self, name: &'static str, value: &'static str) -> Self {
        self.fixed_query.push((name, value));
        self
    }

    /// Sets query parameter `name` (slot `slot`), written in `style`.
    pub fn query<T: ::serde::Serialize + ?Sized>(mut self, slot: usize, name: &'static str, style: Style, value: &T) -> Self {
        match param_value(value) {
            Ok(value) => {
                let mut pairs = ::std::vec::Vec::new();
                query_pairs(&mut pairs, name, style, value);
                self.set(slot, Slot::Query(pairs))
            }
            Err(e) => {
                self.fail(e);
                self
            }
        }
    }

    /// Sets header parameter `name` (slot `slot`), its value written in `style`.
    pub fn header<T: ::serde::Serialize + ?Sized>(mut self, slot: usize, name: &'static str, style: Style, value: &T) -> Self {
        let checked = param_value(value).and_then(|value| {
            let name = ::reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::new(ErrorKind::Request, format!("{name:?} is not a valid header name")))?;
            let value = ::reqwest::header::HeaderValue::try_from(text(style, value))
                .map_err(|_| Error::new(ErrorKind::Request, format!("the value of header {name} cannot be sent in a header")))?;
            Ok((name, value))
        });
        match checked {
            Ok((name, value)) => self.set(slot, Slot::Header(name, value)),
            Err(e) => {
                self.fail(e);
                self
            }
        }
    }

    /// Sets cookie parameter `name` (slot `slot`), its value written in `style`.
    pub fn cookie<T: ::serde::Serialize + ?Sized>(mut self, slot: usize, name: &'static str, style: Style, value: &T) -> Self {
        let checked = param_value(value).and_then(|value| {
            let pair = format!("{name}={}", text(style, value));
            match ::reqwest::header::HeaderValue::from_str(&pair) {
                Ok(_) if !pair.contains(';') => Ok(pair),
                _ => Err(Error::new(ErrorKind::Request, format!("the value of cookie {name:?} cannot be sent in a cookie"))),
            }
        });
        match checked {
            Ok(pair) => self.set(slot, Slot::Cookie(pair)),
            Err(e) => {
                self.fail(e);
                self
            }
        }
    }

    /// Names the operation (its operationId, or the method name where the
    /// spec has none) and its path template, for hooks and tracing.
    pub fn operation(mut self, operation_id: &'static str, path_template: &'static str) -> Self {
        self.operation_id = operation_id;
        self.path_template = path_template;
        self
    }

    /// Encodes `body` as JSON.
    pub fn json<B: ::serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match ::serde_json::to_vec(body) {
            Ok(data) => self.body = Body::Json(data),
            Err(e) => self.fail(Error::new(ErrorKind::Request, "could not encode the request body as JSON").with_source(e)),
        }
        self
    }

    /// Encodes `body` as `application/x-www-form-urlencoded` (top-level fields).
    pub fn form<B: ::serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match object_fields(body) {
            Ok(fields) => self.body = Body::Form(fields),
            Err(e) => self.fail(e),
        }
        self
    }

    /// Encodes `body` as `multipart/form-data`: one text part per top-level
    /// field (nested values as JSON text); `encoding` gives the content type
    /// of some parts (the spec's per-property `encoding`).
    pub fn multipart<B: ::serde::Serialize + ?Sized>(mut self, body: &B, encoding: &[(&str, &str)]) -> Self {
        match object_fields(body) {
            Ok(fields) => {
                let mut parts: ::std::vec::Vec<PartSpec> =
                    fields.into_iter().map(|(name, text)| PartSpec { name, value: PartValue::Text(text), content_type: None }).collect();
                apply_encoding(&mut parts, encoding);
                self.body = Body::Parts { multipart: true, parts };
            }
            Err(e) => self.fail(e),
        }
        self
    }

    /// Encodes a body with file fields as `multipart/form-data`
    /// (`multipart`) or as a urlencoded form.
    pub fn parts<B: ToParts + ?Sized>(mut self, body: &B, multipart: bool, encoding: &[(&str, &str)]) -> Self {
        let mut parts = Parts::default();
        body.to_parts(&mut parts);
        match parts.failure {
            Some(e) => self.fail(e),
            None => {
                let mut parts = parts.parts;
                apply_encoding(&mut parts, encoding);
                self.body = Body::Parts { multipart, parts };
            }
        }
        self
    }

    /// Sends raw bytes with a media type.
    pub fn bytes(mut self, content_type: &'static str, data: ::std::vec::Vec<u8>) -> Self {
        self.body = Body::Bytes { content_type, data };
        self
    }

    /// Sends a file (bytes, a path or a stream) as the whole body, with a
    /// media type (the part's own, if it has one set).
    pub fn file(mut self, content_type: &'static str, file: FilePart) -> Self {
        self.body = Body::File { content_type, file };
        self
    }

    /// The time allowed for each attempt of this request (instead of the client's).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How many times this request is retried (instead of the client's setting).
    pub fn max_retries(mut self, max_retries: u32) -> Self {
        self.max_retries = Some(max_retries);
        self
    }

    /// Adds a header to this request. An invalid name or value is a
    /// [`ErrorKind::Request`] error when the request is sent (the value is
    /// never shown: it may be a credential).
    pub fn extra_header(mut self, name: &str, value: &str) -> Self {
        match ::reqwest::header::HeaderName::from_bytes(name.as_bytes()) {
            Ok(header) => match ::reqwest::header::HeaderValue::from_str(value) {
                Ok(value) => self.extra_headers.push((header, value)),
                Err(_) => self.fail(Error::new(ErrorKind::Request, format!("the value of header {name:?} cannot be sent in a header"))),
            },
            Err(_) => self.fail(Error::new(ErrorKind::Request, format!("{name:?} is not a valid header name"))),
        }
        self
    }
}

/// The future a request value turns into when awaited.
pub(crate) type BoxFuture<'a, T> = ::std::pin::Pin<::std::boxed::Box<dyn ::std::future::Future<Output = T> + Send + 'a>>;

/// What `.await` on a request to operation `O` gives: its decoded success,
/// or an error whose typed body is `O`'s error type.
pub type Outcome<O> = ::std::result::Result<ResponseValue<<O as Operation>::Output>, Error<<O as Operation>::Error>>;

/// One API operation, as its request value ([`Call`]) sees it: what a
/// success decodes to, what a documented error body decodes to, and how a
/// response is decoded by its status. The generated `request::op` module
/// has one (uninhabited) type implementing it per operation; only the
/// generated code implements it.
pub trait Operation: 'static {
    /// The decoded success (`()` when the operation documents no body).
    type Output: Send + 'static;
    /// The decoded body of a documented error status (`()` when none).
    type Error: Send + 'static;

    /// Decodes a response read whole, by its status.
    #[doc(hidden)]
    fn decode(response: RawResponse) -> Outcome<Self>;

    /// Sends `request` and decodes the response: the whole response read,
    /// then [`Operation::decode`]; a streamed operation returns its stream
    /// as soon as the headers arrive.
    #[doc(hidden)]
    #[allow(private_interfaces)]
    fn send(client: &Client, request: Request) -> BoxFuture<'_, Outcome<Self>> {
        ::std::boxed::Box::pin(async move {
            let response = client.execute(request).await?;
            Self::decode(response)
        })
    }
}

/// The `send` of an operation whose success body is a stream: sent with
/// [`Client::execute_stream`] (`accept` is its `Accept` header); a status
/// `streams` accepts is returned as soon as the headers arrive, read by
/// `read`; any other is read whole and decoded by [`Operation::decode`].
/// One async body for every streamed operation.
pub(crate) async fn send_streamed<O: Operation>(
    client: &Client,
    request: Request,
    accept: ::std::option::Option<&'static str>,
    streams: fn(u16) -> bool,
    read: fn(Streaming) -> Outcome<O>,
) -> Outcome<O> {
    let response = client.execute_stream(request, accept).await?;
    if streams(response.status()) {
        return read(response);
    }
    O::decode(response.read().await?)
}

/// A request to one operation, being built: what each `Client` method
/// returns (named per operation in the `request` module, such as
/// `request::GetThing<'a>`). Its operation's setters fill optional inputs;
/// the options here override the client's settings for this request only.
/// `.await` it (or call [`Call::send`]) to send it and decode the response.
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct Call<'a, O> {
    pub(crate) client: &'a Client,
    pub(crate) request: Request,
    pub(crate) operation: ::std::marker::PhantomData<fn() -> O>,
}

/// The request `request` to operation `O`, to send with `client`. A free
/// function, not `Call::new`: every name of a method on `Call` is one no
/// setter may take (a parameter may well be named `new`).
pub(crate) fn call<O: Operation>(client: &Client, request: Request) -> Call<'_, O> {
    Call { client, request, operation: ::std::marker::PhantomData }
}

impl<'a, O: Operation> Call<'a, O> {
    /// Overrides the client's timeout for this request.
    pub fn timeout(self, timeout: Duration) -> Self {
        Call { request: self.request.timeout(timeout), ..self }
    }

    /// Overrides the client's retry count for this request (`0`: no retries).
    pub fn max_retries(self, max_retries: u32) -> Self {
        Call { request: self.request.max_retries(max_retries), ..self }
    }

    /// Adds a header to this request; an invalid name or value is a `Request` error when sent.
    pub fn header(self, name: &str, value: &str) -> Self {
        Call { request: self.request.extra_header(name, value), ..self }
    }

    /// Sends the request and decodes the response (what `.await` does).
    pub fn send(self) -> BoxFuture<'a, Outcome<O>> {
        O::send(self.client, self.request)
    }
}

impl<O> fmt::Debug for Call<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call").field("operation", &self.request.operation_id).field("path", &self.request.path_template).finish_non_exhaustive()
    }
}

impl<'a, O: Operation> ::std::future::IntoFuture for Call<'a, O> {
    type Output = Outcome<O>;
    type IntoFuture = BoxFuture<'a, Outcome<O>>;
    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

/// How a parameter value is written; the generator decides it per parameter
/// from its location, style and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// One value as text (strings as they are, other values as JSON text).
    Scalar,
    /// An array, one query pair per item.
    Exploded,
    /// An array as one comma-separated value.
    CommaJoined,
    /// An array as one space-separated value.
    SpaceJoined,
    /// An array as one `|`-separated value.
    PipeJoined,
    /// An object, one query pair `name[field]` per field.
    DeepObject,
    /// An object, one query pair `field` per field.
    FormObject,
    /// An object as one comma-separated list of fields and values.
    ObjectCommaJoined,
}

/// A parameter value as JSON, to be written in a style.
fn param_value<T: ::serde::Serialize + ?Sized>(value: &T) -> ::std::result::Result<::serde_json::Value, Error> {
    ::serde_json::to_value(value).map_err(|e| Error::new(ErrorKind::Request, "could not encode a parameter").with_source(e))
}

/// The query pairs of parameter `name` holding `value`, written in `style`.
/// A value of another shape than the style expects (a union, any JSON
/// value) is written as one text; `null` object fields are left out.
fn query_pairs(
    out: &mut ::std::vec::Vec<(::std::borrow::Cow<'static, str>, ::std::string::String)>,
    name: &'static str,
    style: Style,
    value: ::serde_json::Value,
) {
    match (style, value) {
        (Style::Exploded, ::serde_json::Value::Array(items)) => {
            out.extend(items.into_iter().map(|item| (::std::borrow::Cow::Borrowed(name), param_text(item))));
        }
        (Style::DeepObject | Style::FormObject, ::serde_json::Value::Object(fields)) => {
            for (field, value) in fields.into_iter().filter(|(_, v)| !v.is_null()) {
                let key = if style == Style::DeepObject { format!("{name}[{field}]") } else { field };
                match value {
                    ::serde_json::Value::Array(items) => {
                        out.extend(items.into_iter().map(|item| (::std::borrow::Cow::Owned(key.clone()), param_text(item))))
                    }
                    other => out.push((::std::borrow::Cow::Owned(key), param_text(other))),
                }
            }
        }
        (style, value) => out.push((::std::borrow::Cow::Borrowed(name), text(style, value))),
    }
}

/// A value as one text in `style`: arrays joined by the style's separator
/// (a comma unless stated), objects as `field,value,…`, strings as they are,
/// other values as JSON text.
fn text(style: Style, value: ::serde_json::Value) -> ::std::string::String {
    match value {
        ::serde_json::Value::Array(items) => {
            let separator = match style {
                Style::SpaceJoined => " ",
                Style::PipeJoined => "|",
                _ => ",",
            };
            items.into_iter().map(param_text).collect::<::std::vec::Vec<_>>().join(separator)
        }
        ::serde_json::Value::Object(fields) if style == Style::ObjectCommaJoined => fields
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .flat_map(|(k, v)| [k, param_text(v)])
            .collect::<::std::vec::Vec<_>>()
            .join(","),
        other => param_text(other),
    }
}

/// The top-level fields of a serializable value, as text (strings as they are,
/// other values as JSON); `null` fields are left out.
fn object_fields<B: ::serde::Serialize + ?Sized>(
    body: &B,
) -> ::std::result::Result<::std::vec::Vec<(::std::string::String, ::std::string::String)>, Error> {
    let value = ::serde_json::to_value(body)
        .map_err(|e| Error::new(ErrorKind::Request, "could not encode the request body").with_source(e))?;
    let ::serde_json::Value::Object(map) = value else {
        return Err(Error::new(ErrorKind::Request, "a form body or object parameter must be a JSON object"));
    };
    Ok(map
        .into_iter()
        .filter(|(_, v)| !v.is_null())
        .flat_map(|(k, v)| match v {
            ::serde_json::Value::Array(items) => items.into_iter().map(|i| (k.clone(), param_text(i))).collect::<::std::vec::Vec<_>>(),
            other => vec![(k, param_text(other))],
        })
        .collect())
}

fn param_text(value: ::serde_json::Value) -> ::std::string::String {
    match value {
        ::serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

/// How many object keys of `value` (at any depth) `decoded`, encoded again,
/// no longer has (a changed shape counts as one). Decoding a union picks the
/// variant that drops the fewest, the first in spec order among equals: a
/// variant whose fields are all optional decodes any object but ignores
/// what another variant keeps.
pub(crate) fn dropped_keys<T: ::serde::Serialize>(value: &::serde_json::Value, decoded: &T) -> usize {
    fn dropped(sent: &::serde_json::Value, kept: &::serde_json::Value) -> usize {
        use ::serde_json::Value;
        match (sent, kept) {
            (Value::Object(sent), Value::Object(kept)) => sent.iter().map(|(k, v)| kept.get(k).map_or(1, |w| dropped(v, w))).sum(),
            (Value::Array(sent), Value::Array(kept)) if sent.len() == kept.len() => sent.iter().zip(kept).map(|(v, w)| dropped(v, w)).sum(),
            (Value::Object(_) | Value::Array(_), _) => 1,
            // Scalars may be written differently (`1.0` and `1`, a date-time's offset).
            _ => 0,
        }
    }
    ::serde_json::to_value(decoded).map_or(usize::MAX, |kept| dropped(value, &kept))
}

/// A response as it arrived, before decoding.
pub struct RawResponse {
    pub status: ::reqwest::StatusCode,
    pub headers: ::reqwest::header::HeaderMap,
    pub body: ::std::vec::Vec<u8>,
}

impl RawResponse {
    /// Decodes a JSON success body.
    pub(crate) fn json<T: ::serde::de::DeserializeOwned, E>(self) -> ::std::result::Result<ResponseValue<T>, Error<E>> {
        self.map(from_json)
    }

    /// A success with no body to decode.
    pub(crate) fn empty<E>(self) -> ::std::result::Result<ResponseValue<()>, Error<E>> {
        Ok(ResponseValue { inner: (), status: self.status, headers: self.headers })
    }

    /// A text success body (lossy UTF-8).
    pub(crate) fn text<E>(self) -> ::std::result::Result<ResponseValue<::std::string::String>, Error<E>> {
        let inner = ::std::string::String::from_utf8_lossy(&self.body).into_owned();
        Ok(ResponseValue { inner, status: self.status, headers: self.headers })
    }

    /// A binary success body.
    pub(crate) fn bytes<E>(self) -> ::std::result::Result<ResponseValue<::std::vec::Vec<u8>>, Error<E>> {
        let inner = self.body;
        Ok(ResponseValue { inner, status: self.status, headers: self.headers })
    }

    /// A success body decoded by `decode` (usually [`from_json`]), for
    /// example into one of several response types.
    pub(crate) fn map<T, E>(self, decode: impl FnOnce(&[u8]) -> ::std::result::Result<T, DecodeError>) -> ::std::result::Result<ResponseValue<T>, Error<E>> {
        match decode(&self.body) {
            Ok(inner) => Ok(ResponseValue { inner, status: self.status, headers: self.headers }),
            Err(e) => Err(self.decode_failed(e).map_typed(None)),
        }
    }

    fn decode_failed(self, e: DecodeError) -> Error {
        let message = format!("could not decode the response body{}", e.at());
        Error::new(ErrorKind::Decode, message).with_source(e).with_response(self)
    }

    /// A documented error status: decodes its body with `decode` into the
    /// operation's error type. An undecodable body still gives a
    /// [`ErrorKind::Status`] error, with the raw body, no typed body, and
    /// why it did not decode as its source.
    pub(crate) fn error<T, E>(self, decode: impl FnOnce(&[u8]) -> ::std::result::Result<E, DecodeError>) -> ::std::result::Result<T, Error<E>> {
        match decode(&self.body) {
            Ok(typed) => Err(self.status_error(None).map_typed(Some(typed))),
            Err(e) => Err(self.status_error(Some(e)).map_typed(None)),
        }
    }

    /// A documented error status (with why its body did not decode, if it did not).
    fn status_error(self, undecoded: ::std::option::Option<DecodeError>) -> Error {
        let status = self.status.as_u16();
        let error = match undecoded {
            None => Error::new(ErrorKind::Status, format!("the server answered with error status {status}")),
            Some(e) => {
                let message = format!("the server answered with error status {status}; its body did not decode{}", e.at());
                Error::new(ErrorKind::Status, message).with_source(e)
            }
        };
        error.with_response(self)
    }

    /// A documented error status without a body type.
    pub(crate) fn error_untyped<T, E>(self) -> ::std::result::Result<T, Error<E>> {
        Err(self.status_error(None).map_typed(None))
    }

    /// A status the operation does not document.
    pub(crate) fn unexpected<T, E>(self) -> ::std::result::Result<T, Error<E>> {
        let message = format!("unexpected status {}", self.status.as_u16());
        Err(Error::new(ErrorKind::UnexpectedStatus, message).with_response(self))
    }
}

/// Decodes a JSON body. On failure, the error names the JSON path of the
/// value that did not fit (tracked by `serde_path_to_error`; inside a union
/// it stops at the union); an empty body is its own error.
pub(crate) fn from_json<T: ::serde::de::DeserializeOwned>(body: &[u8]) -> ::std::result::Result<T, DecodeError> {
    if body.trim_ascii().is_empty() {
        return Err(DecodeError { path: ::std::string::String::new(), error: None });
    }
    let mut deserializer = ::serde_json::Deserializer::from_slice(body);
    let value = ::serde_path_to_error::deserialize(&mut deserializer).map_err(DecodeError::from)?;
    deserializer.end().map_err(|e| DecodeError { path: ::std::string::String::new(), error: Some(e) })?;
    Ok(value)
}

/// Why a body did not decode, and where (see [`Error::decode_path`]).
#[derive(Debug)]
pub(crate) struct DecodeError {
    /// The JSON path (`data.contact.id`, `items[2]`); `""` for the whole body.
    path: ::std::string::String,
    /// serde's message; `None` for an empty body.
    error: ::std::option::Option<::serde_json::Error>,
}

impl DecodeError {
    /// ` at PATH`, or nothing for the whole body.
    fn at(&self) -> ::std::string::String {
        if self.path.is_empty() { ::std::string::String::new() } else { format!(" at {}", self.path) }
    }
}

impl ::std::convert::From<::serde_path_to_error::Error<::serde_json::Error>> for DecodeError {
    fn from(e: ::serde_path_to_error::Error<::serde_json::Error>) -> Self {
        let path = e.path().to_string();
        let path = if path == "." { ::std::string::String::new() } else { path };
        DecodeError { path, error: Some(e.into_inner()) }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.error {
            Some(e) => fmt::Display::fmt(e, f),
            None => f.write_str("the body is empty; expected JSON"),
        }
    }
}

impl ::std::error::Error for DecodeError {}

/// Deserializes a field whose type holds an integer (`i64`, `i32`, in an
/// `Option`, [`Nullable`], `Vec` or map) leniently: a JSON number with a zero
/// fraction (`3.0`, as many JSON encoders write every number) is that
/// integer; a fraction (`3.5`) or a value out of range is still an error.
/// Generated fields use it with `#[serde(deserialize_with = "crate::runtime::whole")]`.
pub(crate) fn whole<'de, D: ::serde::Deserializer<'de>, T: Whole>(deserializer: D) -> ::std::result::Result<T, D::Error> {
    T::deserialize_whole(deserializer)
}

/// A type [`whole`] reads: an integer, or a container of them.
pub(crate) trait Whole: Sized {
    /// Deserializes, reading integral floats as integers.
    fn deserialize_whole<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error>;
}

/// A [`Whole`] value as a `Deserialize` one (for the items of containers,
/// and the integer fields of [`de_struct!`]).
pub(crate) struct AsWhole<T>(pub(crate) T);

impl<'de, T: Whole> ::serde::Deserialize<'de> for AsWhole<T> {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        T::deserialize_whole(deserializer).map(AsWhole)
    }
}

/// Reads an `i64` from any JSON integer or integral float. Used with
/// `deserialize_any`: serde's buffered values (inside untagged unions) only
/// offer a float to a visitor asked for "any".
struct WholeVisitor;

impl<'de> ::serde::de::Visitor<'de> for WholeVisitor {
    type Value = i64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }

    fn visit_i64<Er: ::serde::de::Error>(self, v: i64) -> ::std::result::Result<i64, Er> {
        Ok(v)
    }

    fn visit_u64<Er: ::serde::de::Error>(self, v: u64) -> ::std::result::Result<i64, Er> {
        i64::try_from(v).map_err(|_| Er::invalid_value(::serde::de::Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<Er: ::serde::de::Error>(self, v: f64) -> ::std::result::Result<i64, Er> {
        // 2^63 is exact as an f64; every integral float in [-2^63, 2^63) fits.
        if v.fract() == 0.0 && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&v) {
            Ok(v as i64)
        } else {
            Err(Er::invalid_value(::serde::de::Unexpected::Float(v), &self))
        }
    }
}

impl Whole for i64 {
    fn deserialize_whole<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        deserializer.deserialize_any(WholeVisitor)
    }
}

impl Whole for i32 {
    fn deserialize_whole<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        let v = deserializer.deserialize_any(WholeVisitor)?;
        i32::try_from(v).map_err(|_| ::serde::de::Error::invalid_value(::serde::de::Unexpected::Signed(v), &"an i32"))
    }
}

impl<T: Whole> Whole for ::std::option::Option<T> {
    fn deserialize_whole<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        let v: ::std::option::Option<AsWhole<T>> = ::serde::Deserialize::deserialize(deserializer)?;
        Ok(v.map(|w| w.0))
    }
}

impl<T: Whole> Whole for Nullable<T> {
    fn deserialize_whole<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        ::std::option::Option::<T>::deserialize_whole(deserializer).map(Nullable::from)
    }
}

impl<T: Whole> Whole for ::std::vec::Vec<T> {
    fn deserialize_whole<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        let v: ::std::vec::Vec<AsWhole<T>> = ::serde::Deserialize::deserialize(deserializer)?;
        Ok(v.into_iter().map(|w| w.0).collect())
    }
}

impl<T: Whole> Whole for ::std::collections::BTreeMap<::std::string::String, T> {
    fn deserialize_whole<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        let v: ::std::collections::BTreeMap<::std::string::String, AsWhole<T>> = ::serde::Deserialize::deserialize(deserializer)?;
        Ok(v.into_iter().map(|(k, w)| (k, w.0)).collect())
    }
}

/// A random number from the standard library's per-process random keys.
fn jitter() -> u64 {
    use ::std::hash::{BuildHasher, Hasher};
    let mut hasher = ::std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0x9e37_79b9_7f4a_7c15);
    hasher.finish()
}

/// `Retry-After` as a wait: delay-seconds or an HTTP date (a date in the
/// past is no wait). `None` when absent or unreadable.
fn retry_after(headers: &::reqwest::header::HeaderMap) -> ::std::option::Option<Duration> {
    let value = headers.get(::reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    retry_after_at(value, ::chrono::Utc::now())
}

fn retry_after_at(value: &str, now: ::chrono::DateTime<::chrono::Utc>) -> ::std::option::Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Too many digits to fit is still "a very long time".
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let date = http_date(value)?;
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

/// An HTTP date in any of the three formats HTTP allows: IMF-fixdate
/// (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37
/// GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
fn http_date(value: &str) -> ::std::option::Option<::chrono::DateTime<::chrono::Utc>> {
    if let Ok(date) = ::chrono::DateTime::parse_from_rfc2822(value) {
        return Some(date.with_timezone(&::chrono::Utc));
    }
    ["%A, %d-%b-%y %H:%M:%S GMT", "%a %b %e %H:%M:%S %Y"]
        .iter()
        .find_map(|format| ::chrono::NaiveDateTime::parse_from_str(value, format).ok())
        .map(|naive| naive.and_utc())
}

/// The credentials of one attempt, with the providers' tokens fetched.
#[derive(Debug)]
enum Applied<'a> {
    Bearer(::std::borrow::Cow<'a, Secret>),
    Basic { user: &'a str, password: ::std::option::Option<&'a Secret> },
    Header { name: &'a ::reqwest::header::HeaderName, value: ::std::borrow::Cow<'a, Secret> },
    Query { name: &'static str, value: ::std::borrow::Cow<'a, Secret> },
}

impl Applied<'_> {
    fn secret(&self) -> ::std::option::Option<&Secret> {
        match self {
            Applied::Bearer(value) | Applied::Header { value, .. } | Applied::Query { value, .. } => Some(value),
            Applied::Basic { password, .. } => *password,
        }
    }
}

/// An attempt that ended without a response to read.
enum AttemptError {
    /// reqwest failed (connection, timeout, a bad header).
    Http(::reqwest::Error),
    /// Anything else (a file that cannot be read, too many redirects).
    Other(Error),
}

/// A response and whether its request carried the credentials.
struct Sent {
    response: ::reqwest::Response,
    with_credentials: bool,
}

impl Client {
    /// The request URL, without credentials (they are added per attempt,
    /// where they apply: [`Client::sends_credentials_to`]): a next page's URL
    /// as the server gave it, else the base URL with the operation's path and
    /// query. Each path segment is percent-encoded as exactly one path
    /// segment (`/`, `?`, `#`, `%` and spaces included). A segment `.` or
    /// `..` is refused: URLs normalize it away (even percent-encoded), so it
    /// would address another resource.
    fn url(&self, request: &Request) -> ::std::result::Result<::reqwest::Url, Error> {
        if let Some(next) = &request.next_url {
            return Ok(next.clone());
        }
        if request.segments.iter().any(|s| matches!(s.as_ref(), "." | "..")) {
            return Err(Error::new(ErrorKind::Request, "a path parameter is `.` or `..`, which cannot be sent as a path segment"));
        }
        let mut url = self.base_url.clone();
        if let Ok(mut path) = url.path_segments_mut() {
            path.extend(request.segments.iter().map(|s| s.as_ref()));
        }
        let mut query: ::std::vec::Vec<(&str, &str)> = request.fixed_query.clone();
        for slot in &request.slots {
            if let Slot::Query(pairs) = slot {
                query.extend(pairs.iter().map(|(k, v)| (k.as_ref(), v.as_str())));
            }
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        Ok(url)
    }

    /// `true` when the client's credentials may be sent to `url`: it has the
    /// base URL's origin (scheme, host and port). Anything else — a redirect
    /// to another host, or an absolute URL taken from a response, such as a
    /// next-page link — is requested without them. The one origin rule of
    /// every request ([`Client::build_hop`]).
    pub(crate) fn sends_credentials_to(&self, url: &::reqwest::Url) -> bool {
        same_origin(&self.base_url, url)
    }

    /// The credentials for one attempt: static ones as they are, providers
    /// asked for a token (`refresh` after a `401`, naming the token that was
    /// rejected).
    async fn credentials_for_attempt<'a>(
        &'a self,
        refresh: bool,
        rejected: &[Applied<'_>],
    ) -> ::std::result::Result<::std::vec::Vec<Applied<'a>>, Error> {
        use ::std::borrow::Cow;
        let mut out = ::std::vec::Vec::with_capacity(self.credentials.len());
        for (i, credential) in self.credentials.iter().enumerate() {
            let rejected = if refresh { rejected.get(i).and_then(Applied::secret) } else { None };
            out.push(match credential {
                Credential::Bearer(token) => Applied::Bearer(Cow::Borrowed(token)),
                Credential::Basic { user, password } => Applied::Basic { user, password: password.as_ref() },
                Credential::Header { name, value } => Applied::Header { name, value: Cow::Borrowed(value) },
                Credential::Query { name, value } => Applied::Query { name, value: Cow::Borrowed(value) },
                Credential::BearerSource(source) => Applied::Bearer(Cow::Owned(source.token(refresh, rejected).await?)),
                Credential::HeaderSource { name, source } => {
                    Applied::Header { name, value: Cow::Owned(source.token(refresh, rejected).await?) }
                }
                Credential::QuerySource { name, source } => {
                    Applied::Query { name, value: Cow::Owned(source.token(refresh, rejected).await?) }
                }
                // Turned into a `BearerSource` by `ClientBuilder::build`.
                Credential::ClientCredentials(_) => continue,
            });
        }
        Ok(out)
    }

    /// One HTTP request of an attempt (the first, or one after a redirect):
    /// headers (`Accept` as the operation asks), body, the credentials where
    /// the URL has the base URL's origin, then the `on_request` hooks. Query
    /// credentials are added last, so that hooks never see them. With
    /// [`Timeout::Whole`] reqwest's timeout covers the request and its whole
    /// body; with [`Timeout::Headers`], [`Client::attempt`] bounds the wait
    /// for the headers instead.
    #[allow(clippy::too_many_arguments)]
    async fn build_hop(
        &self,
        request: &Request,
        url: &::reqwest::Url,
        method: &::reqwest::Method,
        with_body: bool,
        credentials: &[Applied<'_>],
        attempt: u32,
        timeout: Timeout,
    ) -> ::std::result::Result<(::reqwest::Request, bool), AttemptError> {
        let with_credentials = self.sends_credentials_to(url);
        let mut builder = self
            .http
            .request(method.clone(), url.clone())
            .header(::reqwest::header::USER_AGENT, self.user_agent.as_str())
            .header(::reqwest::header::ACCEPT, request.accept.unwrap_or("application/json"));
        if let Timeout::Whole = timeout {
            builder = builder.timeout(request.timeout.unwrap_or(self.timeout));
        }
        let mut cookies = ::std::vec::Vec::new();
        for slot in &request.slots {
            match slot {
                Slot::Header(name, value) => builder = builder.header(name, value),
                Slot::Cookie(pair) => cookies.push(pair.as_str()),
                Slot::Query(_) | Slot::Unset => {}
            }
        }
        // Cookies, and an `Authorization` header set by hand, are
        // credentials too: only for the base URL's origin.
        if !cookies.is_empty() && with_credentials {
            builder = builder.header(::reqwest::header::COOKIE, cookies.join("; "));
        }
        for (name, value) in &request.extra_headers {
            if !with_credentials && is_sensitive_header(name) {
                continue;
            }
            builder = builder.header(name, value);
        }
        if with_body {
            builder = with_body_of(builder, &request.body).await.map_err(AttemptError::Other)?;
        }
        if with_credentials {
            for credential in credentials {
                builder = match credential {
                    Applied::Bearer(token) => builder.bearer_auth(&token.0),
                    Applied::Basic { user, password } => builder.basic_auth(user, password.map(|p| &p.0)),
                    Applied::Header { name, value } => {
                        let mut value = ::reqwest::header::HeaderValue::from_str(&value.0).map_err(|_| {
                            AttemptError::Other(Error::new(
                                ErrorKind::Request,
                                format!("the credential for the `{name}` header is not a valid header value"),
                            ))
                        })?;
                        value.set_sensitive(true);
                        builder.header(*name, value)
                    }
                    Applied::Query { .. } => builder,
                };
            }
        }
        let mut built = builder.build().map_err(AttemptError::Http)?;
        if !self.hooks.request.is_empty() {
            let mut hook = HookRequest {
                request: &mut built,
                operation_id: request.operation_id,
                path_template: request.path_template,
                attempt,
            };
            for on_request in &self.hooks.request {
                on_request(&mut hook);
            }
        }
        if with_credentials {
            let present: ::std::vec::Vec<::std::string::String> = built.url().query_pairs().map(|(k, _)| k.into_owned()).collect();
            let missing: ::std::vec::Vec<(&str, &str)> = credentials
                .iter()
                .filter_map(|c| match c {
                    Applied::Query { name, value } if !present.iter().any(|p| p == name) => Some((*name, value.0.as_str())),
                    _ => None,
                })
                .collect();
            if !missing.is_empty() {
                built.url_mut().query_pairs_mut().extend_pairs(missing);
            }
        }
        Ok((built, with_credentials))
    }

    /// One attempt: the request, and the redirects it leads to (at most
    /// [`MAX_REDIRECTS`]). Credentials go only to the base URL's origin.
    /// Like browsers and reqwest, `301`, `302` and `303` turn into a `GET`
    /// without a body (`HEAD` stays); `307` and `308` keep the method and
    /// body, and are not followed when the body is a stream already sent.
    /// With [`Timeout::Headers`] each request of the attempt has the
    /// request timeout to receive its headers.
    async fn attempt(
        &self,
        request: &Request,
        url: &::reqwest::Url,
        credentials: &[Applied<'_>],
        attempt: u32,
        timeout: Timeout,
    ) -> ::std::result::Result<Sent, AttemptError> {
        let mut method = request.method.clone();
        let mut url = url.clone();
        let mut with_body = true;
        let mut redirects = 0;
        loop {
            let (built, with_credentials) = self.build_hop(request, &url, &method, with_body, credentials, attempt, timeout).await?;
            let started = (!self.hooks.response.is_empty()).then(::std::time::Instant::now);
            let result = match timeout {
                Timeout::Whole => self.http.execute(built).await.map_err(AttemptError::Http),
                Timeout::Headers => match ::tokio::time::timeout(request.timeout.unwrap_or(self.timeout), self.http.execute(built)).await {
                    Ok(result) => result.map_err(AttemptError::Http),
                    Err(_) => Err(AttemptError::Other(Error::new(
                        ErrorKind::Timeout,
                        "the request timed out before the response headers arrived",
                    ))),
                },
            };
            if let Some(started) = started {
                let info = HookResponse {
                    operation_id: request.operation_id,
                    path_template: request.path_template,
                    method: &method,
                    url: &url,
                    attempt,
                    status: result.as_ref().ok().map(::reqwest::Response::status),
                    headers: result.as_ref().ok().map(::reqwest::Response::headers),
                    elapsed: started.elapsed(),
                };
                for on_response in &self.hooks.response {
                    on_response(&info);
                }
            }
            let response = result?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let keeps_body = matches!(status, 307 | 308);
                let next = response
                    .headers()
                    .get(::reqwest::header::LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .and_then(|l| url.join(l).ok())
                    .filter(|u| matches!(u.scheme(), "http" | "https"));
                let body_lost = keeps_body && with_body && !request.body.is_replayable();
                if let Some(next) = next.filter(|_| !body_lost) {
                    if redirects == MAX_REDIRECTS {
                        return Err(AttemptError::Other(Error::new(
                            ErrorKind::Transport,
                            format!("the server redirected more than {MAX_REDIRECTS} times"),
                        )));
                    }
                    redirects += 1;
                    if !keeps_body {
                        with_body = false;
                        if method != ::reqwest::Method::HEAD {
                            method = ::reqwest::Method::GET;
                        }
                    }
                    url = next;
                    continue;
                }
            }
            return Ok(Sent { response, with_credentials });
        }
    }

    /// The wait before retry number `attempt + 1`: the server's `Retry-After`
    /// if it sent one, else exponential backoff with jitter. `None` when the
    /// server asks for longer than `max_backoff` (then no retry).
    fn backoff(&self, attempt: u32, headers: ::std::option::Option<&::reqwest::header::HeaderMap>) -> ::std::option::Option<Duration> {
        if let Some(wait) = headers.and_then(retry_after) {
            return (wait <= self.max_backoff).then_some(wait);
        }
        let exp = self.initial_backoff.saturating_mul(1u32 << attempt.min(16));
        let cap = exp.min(self.max_backoff);
        // Equal jitter: between half and all of the exponential backoff.
        let half = cap / 2;
        let extra = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        Some(half + Duration::from_nanos(if extra == 0 { 0 } else { jitter() % extra }))
    }

    /// Sends a request, retrying as configured, and reads the whole response
    /// (no further than [`ClientBuilder::max_response_body_size`]). The one
    /// non-generic path every operation with a buffered response goes
    /// through; [`Client::execute_stream`] is the other.
    pub(crate) async fn execute<E>(&self, mut request: Request) -> ::std::result::Result<RawResponse, Error<E>> {
        if let Some(failure) = request.failure.take() {
            return Err(failure.map_typed(None));
        }
        self.execute_raw(request).await.map_err(|e| e.map_typed(None))
    }

    /// [`Client::send`], then the whole body, inside the request's span.
    async fn execute_raw(&self, request: Request) -> ::std::result::Result<RawResponse, Error> {
        let whole = async {
            let response = self.send(&request, Timeout::Whole).await?;
            read_whole(response, self.max_response_body_size, None).await
        };
        traced(&request, whole, |response: &RawResponse| response.status).await
    }

    /// Sends a request whose success body is read as a stream: retried as
    /// configured until the headers arrive, never after; the timeout covers
    /// connecting and the headers. The body is read by the [`Streaming`]
    /// methods (a stream is not limited in size; an error body read whole
    /// is). With the `tracing` feature the request's span ends when the
    /// headers arrive.
    ///
    /// `accept` is the `Accept` header (the streamed media types), `None`
    /// for the usual `application/json`.
    pub(crate) async fn execute_stream<E>(&self, mut request: Request, accept: ::std::option::Option<&'static str>) -> ::std::result::Result<Streaming, Error<E>> {
        request.accept = accept.or(request.accept);
        if let Some(failure) = request.failure.take() {
            return Err(failure.map_typed(None));
        }
        let headers = self.send(&request, Timeout::Headers);
        let response = traced(&request, headers, ::reqwest::Response::status).await.map_err(|e| e.map_typed(None))?;
        Ok(Streaming {
            response,
            timeout: request.timeout.unwrap_or(self.timeout),
            idle: request.idle_timeout.or(self.idle_timeout),
            limit: self.max_response_body_size,
        })
    }

    /// The attempts of one request, until a response's headers arrive that
    /// are not retried: credentials per attempt, retries with backoff, one
    /// more attempt after a `401` when a token provider can refresh the
    /// token, redirects followed by [`Client::attempt`]. A request whose
    /// body is a one-shot stream is sent once. What `timeout` covers is the
    /// caller's: the whole body ([`Client::execute`]) or the headers
    /// ([`Client::execute_stream`]); the body is the caller's to read, and
    /// nothing is retried once it started.
    async fn send(&self, request: &Request, timeout: Timeout) -> ::std::result::Result<::reqwest::Response, Error> {
        let url = self.url(request)?;
        let replayable = request.body.is_replayable();
        let refreshable = self.credentials.iter().any(Credential::is_refreshable);
        let max_retries = request.max_retries.unwrap_or(self.max_retries);
        let mut retries = 0u32;
        let mut attempt = 0u32;
        let mut refreshed = false;
        let mut rejected: ::std::vec::Vec<Applied<'_>> = ::std::vec::Vec::new();
        loop {
            attempt += 1;
            trace_attempt(attempt);
            let refresh = !rejected.is_empty();
            let credentials = self.credentials_for_attempt(refresh, &rejected).await?;
            rejected.clear();
            let result = self.attempt(request, &url, &credentials, attempt, timeout).await;
            let retries_left = replayable && retries < max_retries;
            match result {
                Ok(Sent { response, with_credentials }) => {
                    let status = response.status();
                    trace_status(status);
                    if status == ::reqwest::StatusCode::UNAUTHORIZED && refreshable && with_credentials && replayable && !refreshed {
                        refreshed = true;
                        trace_retry(attempt, Duration::ZERO, &"401 Unauthorized: asking the token provider for a fresh token");
                        drop(response);
                        rejected = credentials;
                        continue;
                    }
                    let wait = if retries_left && is_retryable_status(status) { self.backoff(retries, Some(response.headers())) } else { None };
                    if let Some(wait) = wait {
                        drop(response);
                        trace_retry(attempt, wait, &format_args!("status {}", status.as_u16()));
                        ::tokio::time::sleep(wait).await;
                        retries += 1;
                        continue;
                    }
                    return Ok(response);
                }
                Err(AttemptError::Other(error)) => return Err(error),
                Err(AttemptError::Http(e)) => {
                    if e.is_timeout() {
                        return Err(Error::new(ErrorKind::Timeout, "the request timed out").with_source(e.without_url()));
                    }
                    if retries_left && (e.is_connect() || e.is_request()) {
                        if let Some(wait) = self.backoff(retries, None) {
                            trace_retry(attempt, wait, &"the connection failed");
                            ::tokio::time::sleep(wait).await;
                            retries += 1;
                            continue;
                        }
                    }
                    let kind = if e.is_builder() { ErrorKind::Request } else { ErrorKind::Transport };
                    return Err(Error::new(kind, "the request failed").with_source(e.without_url()));
                }
            }
        }
    }
}

/// What the request timeout covers.
#[derive(Clone, Copy)]
enum Timeout {
    /// Sending and the whole response body (reqwest's own timeout).
    Whole,
    /// Connecting and the response headers (the body is streamed).
    Headers,
}

/// Reads a whole response body into memory, no further than `limit` bytes,
/// within `timeout` where one is given (an error body of a streamed
/// operation; otherwise reqwest's timeout of the request covers it).
async fn read_whole(response: ::reqwest::Response, limit: usize, timeout: ::std::option::Option<Duration>) -> ::std::result::Result<RawResponse, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    let read = read_limited(response, limit);
    let result = match timeout {
        None => read.await,
        Some(timeout) => ::tokio::time::timeout(timeout, read).await.unwrap_or(Err(ReadError::Elapsed)),
    };
    let mut error = match result {
        Ok(body) => return Ok(RawResponse { status, headers, body }),
        Err(ReadError::TooLarge) => Error::new(
            ErrorKind::BodyTooLarge,
            format!("the response body is larger than the limit of {limit} bytes (ClientBuilder::max_response_body_size)"),
        ),
        Err(ReadError::Elapsed) => Error::new(ErrorKind::Timeout, "the response body could not be read within the timeout"),
        Err(ReadError::Http(e)) => {
            let kind = if e.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Transport };
            Error::new(kind, "the response body could not be read").with_source(e.without_url())
        }
    };
    error.0.status = Some(status);
    error.0.headers = Some(headers);
    Err(error)
}

/// With the `tracing` feature: `send` (one request's attempts) inside the
/// request's span, holding the operation id, method, path template (never
/// the filled-in path, query values or headers), final status, number of
/// attempts and duration, and `error.type` when it failed (the status for an
/// error status). `status` reads the status of what `send` gives.
#[cfg(feature = "tracing")]
async fn traced<T>(
    request: &Request,
    send: impl ::std::future::Future<Output = ::std::result::Result<T, Error>>,
    status: impl Fn(&T) -> ::reqwest::StatusCode,
) -> ::std::result::Result<T, Error> {
    let span = ::tracing::info_span!(
        "request",
        otel.name = %format_args!("{} {}", request.method, request.path_template),
        otel.kind = "client",
        operation_id = request.operation_id,
        http.request.method = %request.method,
        url.template = request.path_template,
        http.response.status_code = ::tracing::field::Empty,
        attempts = ::tracing::field::Empty,
        duration_ms = ::tracing::field::Empty,
        error.type = ::tracing::field::Empty,
    );
    let started = ::std::time::Instant::now();
    let result = ::tracing::Instrument::instrument(send, span.clone()).await;
    span.record("duration_ms", started.elapsed().as_secs_f64() * 1000.0);
    // As OpenTelemetry does: the status for an error status, else the kind.
    match &result {
        Ok(value) if status(value).as_u16() >= 400 => span.record("error.type", status(value).as_u16()),
        Ok(_) => &span,
        Err(error) => span.record("error.type", ::tracing::field::debug(error.kind())),
    };
    result
}

/// Without the `tracing` feature: `send` itself, at no cost.
#[cfg(not(feature = "tracing"))]
#[inline(always)]
fn traced<F, S>(_request: &Request, send: F, _status: S) -> F {
    send
}

// ---------------------------------------------------------------------------
// Streamed responses: bytes, server-sent events, JSON Lines, and pages.
// ---------------------------------------------------------------------------

use ::std::pin::Pin;
use ::std::task::{Context, Poll};

/// A response whose headers arrived and whose body is not read yet.
pub(crate) struct Streaming {
    response: ::reqwest::Response,
    timeout: Duration,
    idle: ::std::option::Option<Duration>,
    /// [`ClientBuilder::max_response_body_size`], for a body read whole.
    limit: usize,
}

impl Streaming {
    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// Reads the whole body (an error status's), within the request timeout
    /// and no further than the response size limit.
    pub async fn read<E>(self) -> ::std::result::Result<RawResponse, Error<E>> {
        read_whole(self.response, self.limit, Some(self.timeout)).await.map_err(|e| e.map_typed(None))
    }

    fn value<T, E>(self, inner: impl FnOnce(ByteStream) -> T) -> ::std::result::Result<ResponseValue<T>, Error<E>> {
        let status = self.response.status();
        let headers = self.response.headers().clone();
        let body = ByteStream::new(self.response, self.idle);
        Ok(ResponseValue { inner: inner(body), status, headers })
    }

    /// The body as a stream of byte chunks.
    pub fn bytes_stream<E>(self) -> ::std::result::Result<ResponseValue<ByteStream>, Error<E>> {
        self.value(|body| body)
    }

    /// The body as server-sent events whose `data` is kept as text.
    pub fn events_text<E>(self) -> ::std::result::Result<ResponseValue<EventStream<::std::string::String>>, Error<E>> {
        self.value(|body| EventStream::new(body, |data| ::std::result::Result::Ok(data.to_owned())))
    }

    /// The body as server-sent events whose `data` is JSON decoded into `T`.
    pub fn events_json<T: ::serde::de::DeserializeOwned, E>(self) -> ::std::result::Result<ResponseValue<EventStream<T>>, Error<E>> {
        self.value(|body| EventStream::new(body, |data| from_json(data.as_bytes())))
    }

    /// The body as JSON Lines (or, with `seq`, RFC 7464 JSON text sequences) of `T`.
    pub fn json_lines<T: ::serde::de::DeserializeOwned, E>(self, seq: bool) -> ::std::result::Result<ResponseValue<JsonLines<T>>, Error<E>> {
        self.value(|body| JsonLines::new(body, seq))
    }
}

/// Bounds the wait for the next piece of a body: counted from when the
/// reader starts waiting, so a slow reader is never timed out.
struct Idle {
    limit: ::std::option::Option<Duration>,
    timer: ::std::option::Option<Pin<::std::boxed::Box<::tokio::time::Sleep>>>,
    armed: bool,
}

impl Idle {
    fn new(limit: ::std::option::Option<Duration>) -> Self {
        Idle { limit, timer: None, armed: false }
    }

    /// The body had nothing ready: `true` when the idle time has run out.
    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(limit) = self.limit else { return false };
        let deadline = ::tokio::time::Instant::now() + limit;
        let timer = self.timer.get_or_insert_with(|| ::std::boxed::Box::pin(::tokio::time::sleep_until(deadline)));
        if !self.armed {
            timer.as_mut().reset(deadline);
            self.armed = true;
        }
        ::std::future::Future::poll(timer.as_mut(), cx).is_ready()
    }

    /// Something arrived: the next wait starts afresh.
    fn progressed(&mut self) {
        self.armed = false;
    }
}

type Chunks = Pin<::std::boxed::Box<dyn ::futures_core::Stream<Item = ::reqwest::Result<::bytes::Bytes>> + Send>>;

/// A response body read piece by piece as it arrives, never held whole in
/// memory: a [`Stream`](::futures_core::Stream) of byte chunks. Read it
/// with [`ByteStream::next`] (or any `StreamExt`), or all at once with
/// [`ByteStream::read_all`].
///
/// A failure while reading (the connection dropped, the
/// [idle timeout](ClientBuilder::idle_timeout) ran out) is yielded once as
/// an [`Error`] and ends the stream; nothing is retried once the body started.
pub struct ByteStream {
    chunks: Chunks,
    idle: Idle,
    done: bool,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").field("done", &self.done).finish_non_exhaustive()
    }
}

impl ByteStream {
    fn new(response: ::reqwest::Response, idle: ::std::option::Option<Duration>) -> Self {
        Self::from_chunks(::std::boxed::Box::pin(response.bytes_stream()), idle)
    }

    fn from_chunks(chunks: Chunks, idle: ::std::option::Option<Duration>) -> Self {
        ByteStream { chunks, idle: Idle::new(idle), done: false }
    }

    /// The next chunk; `None` at the end of the body.
    pub async fn next(&mut self) -> ::std::option::Option<::std::result::Result<::bytes::Bytes, Error>> {
        ::std::future::poll_fn(|cx| ::futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// Reads the rest of the body into memory.
    pub async fn read_all(mut self) -> ::std::result::Result<::std::vec::Vec<u8>, Error> {
        let mut all = ::std::vec::Vec::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all)
    }
}

impl ::futures_core::Stream for ByteStream {
    type Item = ::std::result::Result<::bytes::Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        match ::futures_core::Stream::poll_next(this.chunks.as_mut(), cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.idle.progressed();
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(Some(Err(e))) => {
                this.done = true;
                let kind = if e.is_timeout() { ErrorKind::Timeout } else { ErrorKind::Transport };
                Poll::Ready(Some(Err(Error::new(kind, "the response body could not be read").with_source(e.without_url()))))
            }
            Poll::Ready(None) => {
                this.done = true;
                Poll::Ready(None)
            }
            Poll::Pending if this.idle.expired(cx) => {
                this.done = true;
                Poll::Ready(Some(Err(Error::new(ErrorKind::Timeout, "no data arrived within the idle timeout"))))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

/// An item of a stream that could not be decoded: a [`ErrorKind::Decode`]
/// error whose [`Error::body`] is the item's raw text (and
/// [`Error::decode_path`] where in it the decoding failed).
fn item_error(raw: &[u8], source: DecodeError) -> Error {
    let message = format!("could not decode a streamed item{}", source.at());
    let mut error = Error::new(ErrorKind::Decode, message).with_source(source);
    error.0.body = Some(raw.to_vec());
    error
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The event type (`event:`); `"message"` when the server names none.
    pub event: ::std::string::String,
    /// The event id (`id:`), if the event has one.
    pub id: ::std::option::Option<::std::string::String>,
    /// The reconnection time the server asks for (`retry:`), if any.
    pub retry: ::std::option::Option<Duration>,
    /// The event's data (`data:` lines joined by line feeds), decoded.
    pub data: T,
}

/// A stream of server-sent events (`text/event-stream`), decoded as they
/// arrive: a [`Stream`](::futures_core::Stream) of `Result<Event<T>, Error>`
/// (read it with [`EventStream::next`] or any `StreamExt`).
///
/// An event whose `data` does not decode into `T` is an
/// [`ErrorKind::Decode`] error item carrying the raw text
/// ([`Error::body_text`]); the stream goes on. A failure of the connection
/// or of the [idle timeout](ClientBuilder::idle_timeout) is yielded once and
/// ends it. Blocks without `data` are not events (as in browsers).
pub struct EventStream<T> {
    events: ::sse_stream::SseByteStream<ByteStream>,
    decode: fn(&str) -> ::std::result::Result<T, DecodeError>,
    done: bool,
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T> EventStream<T> {
    fn new(body: ByteStream, decode: fn(&str) -> ::std::result::Result<T, DecodeError>) -> Self {
        EventStream { events: ::sse_stream::SseByteStream::new(body), decode, done: false }
    }

    /// The next event; `None` when the server closed the stream.
    pub async fn next(&mut self) -> ::std::option::Option<::std::result::Result<Event<T>, Error>> {
        ::std::future::poll_fn(|cx| ::futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }
}

impl<T> ::futures_core::Stream for EventStream<T> {
    type Item = ::std::result::Result<Event<T>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let sse = match ::std::task::ready!(::futures_core::Stream::poll_next(Pin::new(&mut this.events), cx)) {
                None => {
                    this.done = true;
                    return Poll::Ready(None);
                }
                Some(Err(e)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(match e {
                        // The body's own error (transport, idle timeout), as it was.
                        ::sse_stream::Error::Body(inner) => match inner.downcast::<Error>() {
                            Ok(error) => *error,
                            Err(other) => Error::new(ErrorKind::Transport, "the event stream could not be read").with_source(BoxedSource(other)),
                        },
                        other => Error::new(ErrorKind::Decode, "the event stream is malformed").with_source(other),
                    })));
                }
                Some(Ok(sse)) => sse,
            };
            let ::std::option::Option::Some(data) = sse.data else { continue };
            let event = sse.event.unwrap_or_else(|| "message".to_owned());
            let retry = sse.retry.map(Duration::from_millis);
            return Poll::Ready(Some(match (this.decode)(&data) {
                Ok(data) => Ok(Event { event, id: sse.id, retry, data }),
                Err(e) => Err(item_error(data.as_bytes(), e)),
            }));
        }
    }
}

/// A boxed error as an error source.
#[derive(Debug)]
struct BoxedSource(::std::boxed::Box<dyn ::std::error::Error + Send + Sync>);

impl fmt::Display for BoxedSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl ::std::error::Error for BoxedSource {
    fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
        self.0.source()
    }
}

/// A stream of JSON values, one per line (JSON Lines, NDJSON) or per
/// RS-separated record (`application/json-seq`), each decoded into `T` as
/// it arrives: a [`Stream`](::futures_core::Stream) of `Result<T, Error>`
/// (read it with [`JsonLines::next`] or any `StreamExt`). Only the current
/// line is held in memory.
///
/// A line that does not decode is an [`ErrorKind::Decode`] error item
/// carrying the raw text ([`Error::body_text`]); the stream goes on. Blank
/// lines are skipped. A failure of the connection or of the
/// [idle timeout](ClientBuilder::idle_timeout) is yielded once and ends it.
pub struct JsonLines<T> {
    body: ByteStream,
    buffer: ::bytes::BytesMut,
    /// Bytes of `buffer` already searched for a separator.
    scanned: usize,
    separator: u8,
    body_done: bool,
    item: ::std::marker::PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines").field("buffered", &self.buffer.len()).finish_non_exhaustive()
    }
}

impl<T: ::serde::de::DeserializeOwned> JsonLines<T> {
    fn new(body: ByteStream, seq: bool) -> Self {
        JsonLines {
            body,
            buffer: ::bytes::BytesMut::new(),
            scanned: 0,
            separator: if seq { 0x1e } else { b'\n' },
            body_done: false,
            item: ::std::marker::PhantomData,
        }
    }

    /// The next item; `None` at the end of the body.
    pub async fn next(&mut self) -> ::std::option::Option<::std::result::Result<T, Error>> {
        ::std::future::poll_fn(|cx| ::futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// The next complete record in the buffer (the rest of it at the end of the body).
    fn record(&mut self) -> ::std::option::Option<::bytes::BytesMut> {
        match self.buffer[self.scanned..].iter().position(|b| *b == self.separator) {
            Some(at) => {
                let record = self.buffer.split_to(self.scanned + at + 1);
                self.scanned = 0;
                Some(record)
            }
            None if self.body_done && !self.buffer.is_empty() => {
                self.scanned = 0;
                Some(self.buffer.split())
            }
            None => {
                self.scanned = self.buffer.len();
                None
            }
        }
    }
}

impl<T: ::serde::de::DeserializeOwned> ::futures_core::Stream for JsonLines<T> {
    type Item = ::std::result::Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            while let Some(record) = this.record() {
                let text = record.strip_suffix(&[this.separator]).unwrap_or(&record);
                let text = text.strip_prefix(&[0x1e]).unwrap_or(text);
                if text.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                return Poll::Ready(Some(from_json(text).map_err(|e| item_error(text, e))));
            }
            if this.body_done {
                return Poll::Ready(None);
            }
            match ::std::task::ready!(::futures_core::Stream::poll_next(Pin::new(&mut this.body), cx)) {
                Some(Ok(chunk)) => this.buffer.extend_from_slice(&chunk),
                Some(Err(e)) => {
                    this.body_done = true;
                    this.buffer.clear();
                    return Poll::Ready(Some(Err(e)));
                }
                None => this.body_done = true,
            }
        }
    }
}

/// Which request fetches a page (applied with [`Request::page`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PageRequest {
    /// The request as the caller built it.
    First,
    /// The request with this query parameter (its slot and name) set.
    Query { slot: usize, name: &'static str, value: ::std::string::String },
    /// This URL (from a `Link` header or a page body), followed as given.
    Url(::reqwest::Url),
}

/// A query parameter a page rule drives: its slot in the request and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageParam {
    pub slot: usize,
    pub name: &'static str,
}

/// How an operation's next page is found (the generator's pagination rule).
#[derive(Debug, Clone, Copy)]
pub(crate) enum PageRule {
    /// A cursor from the page ([`PageInfo::next`]) goes into this query
    /// parameter; no cursor, an empty one or the same one again ends. With
    /// `or_url`, an absolute `http(s)` URL there is followed instead.
    Cursor { param: PageParam, or_url: bool },
    /// This query parameter moves by the number of items received
    /// (`by_items`) or by one; an empty page, fewer items than the `limit`
    /// parameter asked for, or the total reached ends.
    Offset { param: PageParam, limit: ::std::option::Option<&'static str>, by_items: bool },
    /// This query parameter counts pages from `first`; an empty page or the
    /// last page ([`PageInfo::total`] pages) ends.
    Page { param: PageParam, first: i64 },
    /// The page's next-page URL ([`PageInfo::next`]) is followed.
    NextUrl,
    /// The `Link` response header's `rel="next"` URL is followed (RFC 8288).
    Link,
}

/// What a page says about the next one; read from each page by generated code.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageInfo {
    /// How many items the page holds.
    pub items: usize,
    /// The next cursor or next-page URL.
    pub next: ::std::option::Option<::std::string::String>,
    /// Whether the server says more pages follow (`has_more`, or the inverse of `done`).
    pub more: ::std::option::Option<bool>,
    /// The total number of items ([`PageRule::Offset`]) or pages ([`PageRule::Page`]).
    pub total: ::std::option::Option<u64>,
}

impl PageInfo {
    /// A cursor or URL from the page as text (a number as its digits).
    pub fn text<T: ::serde::Serialize + ?Sized>(value: &T) -> ::std::string::String {
        match ::serde_json::to_value(value) {
            Ok(::serde_json::Value::String(s)) => s,
            Ok(other) => other.to_string(),
            Err(_) => ::std::string::String::new(),
        }
    }

    /// A number from the page (an integer, or digits in a string).
    pub fn count<T: ::serde::Serialize + ?Sized>(value: &T) -> ::std::option::Option<u64> {
        match ::serde_json::to_value(value).ok()? {
            ::serde_json::Value::Number(n) => n.as_u64(),
            ::serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }
}

/// The page after the one fetched from `url` with `headers` and `info`;
/// `Ok(None)` when the rule says it was the last, an error message when the
/// server's next-page link is not a URL.
fn next_page(
    rule: PageRule,
    url: &::reqwest::Url,
    headers: &::reqwest::header::HeaderMap,
    info: &PageInfo,
) -> ::std::result::Result<::std::option::Option<PageRequest>, ::std::string::String> {
    if info.more == Some(false) {
        return Ok(None);
    }
    let query = |name: &str| url.query_pairs().filter(|(k, _)| k == name).last().map(|(_, v)| v.into_owned());
    // A link is absolute, or relative to the page's URL by path (`/…`) or query (`?…`).
    let follow = |target: &str| {
        let target = target.trim();
        let joined = url.join(target).ok().filter(|u| matches!(u.scheme(), "http" | "https"));
        match joined {
            Some(next) if target.contains("://") || target.starts_with('/') || target.starts_with('?') => Ok(Some(PageRequest::Url(next))),
            _ => Err(format!("the server's next-page link {target:?} is not a URL")),
        }
    };
    Ok(match rule {
        PageRule::Cursor { param, or_url } => {
            let Some(next) = info.next.clone().filter(|c| !c.is_empty()) else { return Ok(None) };
            if or_url && (next.starts_with("https://") || next.starts_with("http://")) {
                return follow(&next);
            }
            (query(param.name).as_deref() != Some(next.as_str())).then_some(PageRequest::Query { slot: param.slot, name: param.name, value: next })
        }
        PageRule::Offset { param, limit, by_items } => {
            let items = info.items as u64;
            let current: u64 = query(param.name).and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            let asked: ::std::option::Option<u64> = limit.and_then(query).and_then(|v| v.trim().parse().ok());
            let next = if by_items { current + items } else { current + 1 };
            let last = items == 0 || asked.is_some_and(|a| items < a) || (by_items && info.total.is_some_and(|total| next >= total));
            (!last).then_some(PageRequest::Query { slot: param.slot, name: param.name, value: next.to_string() })
        }
        PageRule::Page { param, first } => {
            let current: i64 = query(param.name).and_then(|v| v.trim().parse().ok()).unwrap_or(first);
            let pages_seen = current.saturating_sub(first).saturating_add(1);
            let last = info.items == 0 || info.total.is_some_and(|pages| u64::try_from(pages_seen).is_ok_and(|seen| seen >= pages));
            (!last).then_some(PageRequest::Query { slot: param.slot, name: param.name, value: current.saturating_add(1).to_string() })
        }
        PageRule::NextUrl => match info.next.as_deref().filter(|n| !n.trim().is_empty()) {
            Some(next) => return follow(next),
            None => None,
        },
        PageRule::Link => match link_next(headers) {
            Some(next) => return follow(&next),
            None => None,
        },
    })
}

/// The `rel="next"` target of the `Link` headers (RFC 8288), if any.
fn link_next(headers: &::reqwest::header::HeaderMap) -> ::std::option::Option<::std::string::String> {
    for value in headers.get_all(::reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        let mut rest = value;
        while let Some(start) = rest.find('<') {
            let Some(len) = rest[start..].find('>') else { break };
            let target = &rest[start + 1..start + len];
            let after = &rest[start + len + 1..];
            // The link's parameters run to the next link (a `,` outside quotes).
            let mut end = after.len();
            let mut quoted = false;
            for (i, c) in after.char_indices() {
                match c {
                    '"' => quoted = !quoted,
                    ',' if !quoted => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            let is_next = after[..end].split(';').any(|param| {
                let Some((name, value)) = param.split_once('=') else { return false };
                name.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_matches('"').split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.to_owned());
            }
            rest = &after[end..];
        }
    }
    None
}

/// How a page request is sent and decoded: the operation's own `send`.
pub(crate) type PageSend<'a, P, E> = fn(&'a Client, Request) -> BoxFuture<'a, ::std::result::Result<ResponseValue<P>, Error<E>>>;

enum PagesState<'a, P, E> {
    Next(PageRequest),
    Fetching(BoxFuture<'a, ::std::result::Result<ResponseValue<P>, Error<E>>>, ::reqwest::Url),
    /// The next page cannot be requested: this error is yielded, then the end.
    Failed(::std::string::String),
    Done,
}

/// Every page of a paginated operation, fetched one after the other as the
/// stream is read: a [`Stream`](::futures_core::Stream) of
/// `Result<ResponseValue<Page>, Error<E>>`, made by `.pages()` on the
/// operation's request. Read it with [`Pages::next`] (or any `StreamExt`);
/// [`Items`] (`.items()`) walks the items of every page.
///
/// Each page is the request as built (every setter and per-request option
/// applies to every page) with the next page's cursor, offset or page
/// number, or the next-page URL the server gave (followed as given;
/// credentials go to the client's own origin only). A page is fetched only
/// when the stream is read, never twice; an error (a failed page) is
/// yielded once and ends the stream.
pub struct Pages<'a, P, E> {
    client: &'a Client,
    /// The request as built; each page sends a copy.
    base: Request,
    send: PageSend<'a, P, E>,
    info: fn(&P) -> PageInfo,
    rule: PageRule,
    fetched: ::std::vec::Vec<::reqwest::Url>,
    state: PagesState<'a, P, E>,
}

impl<P, E> fmt::Debug for Pages<'_, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("rule", &self.rule).field("fetched", &self.fetched.len()).finish_non_exhaustive()
    }
}

impl<'a, P, E> Pages<'a, P, E> {
    /// The pages of `request` on `client`, each sent with `send`; the next
    /// one found by `rule` from what `info` reads in each page.
    pub(crate) fn new(client: &'a Client, request: Request, rule: PageRule, info: fn(&P) -> PageInfo, send: PageSend<'a, P, E>) -> Self {
        Pages { client, base: request, send, info, rule, fetched: ::std::vec::Vec::new(), state: PagesState::Next(PageRequest::First) }
    }

    /// The next page; `None` after the last one (or after an error).
    pub async fn next(&mut self) -> ::std::option::Option<::std::result::Result<ResponseValue<P>, Error<E>>> {
        ::std::future::poll_fn(|cx| ::futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }

    /// The items of every page, in order, using `items` to take them out of a page.
    pub(crate) fn items<T>(self, items: fn(P) -> ::std::vec::Vec<T>) -> Items<'a, T, P, E> {
        Items { pages: self, items, current: ::std::vec::Vec::new().into_iter() }
    }

    /// Starts fetching `page`.
    fn fetch(&mut self, page: PageRequest) {
        let mut request = self.base.copy().page(&page);
        if page == PageRequest::First {
            // An encoding failure of the request as built is the first page's error.
            request.failure = self.base.failure.take();
        }
        let url = self.client.url(&request).unwrap_or_else(|_| self.client.base_url.clone());
        self.state = PagesState::Fetching((self.send)(self.client, request), url);
    }
}

// Nothing in `Pages` is pinned structurally (the page future is boxed).
impl<P, E> Unpin for Pages<'_, P, E> {}

impl<P, E> ::futures_core::Stream for Pages<'_, P, E> {
    type Item = ::std::result::Result<ResponseValue<P>, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                PagesState::Done => return Poll::Ready(None),
                PagesState::Failed(message) => {
                    let message = ::std::mem::take(message);
                    this.state = PagesState::Done;
                    return Poll::Ready(Some(Err(Error::new(ErrorKind::Decode, message))));
                }
                PagesState::Next(page) => {
                    let page = ::std::mem::replace(page, PageRequest::First);
                    this.fetch(page);
                }
                PagesState::Fetching(future, url) => {
                    let result = ::std::task::ready!(::std::future::Future::poll(future.as_mut(), cx));
                    let url = url.clone();
                    this.state = PagesState::Done;
                    let page = match result {
                        Ok(page) => page,
                        Err(error) => return Poll::Ready(Some(Err(error))),
                    };
                    let info = (this.info)(&page);
                    let next = next_page(this.rule, &url, page.headers(), &info);
                    this.fetched.push(url);
                    match next {
                        // A next-page URL already fetched would loop: the walk ends.
                        Ok(Some(PageRequest::Url(u))) if this.fetched.contains(&u) => {}
                        Ok(Some(next)) => this.state = PagesState::Next(next),
                        Ok(None) => {}
                        Err(message) => this.state = PagesState::Failed(message),
                    }
                    return Poll::Ready(Some(Ok(page)));
                }
            }
        }
    }
}

/// The items of every page of a paginated operation, in order: a
/// [`Stream`](::futures_core::Stream) of `Result<Item, Error<E>>` made by
/// `.items()` on the operation's request (see [`Pages`]). Read it with
/// [`Items::next`] or any `StreamExt`. An error is yielded once and ends
/// the stream.
pub struct Items<'a, T, P, E> {
    pages: Pages<'a, P, E>,
    items: fn(P) -> ::std::vec::Vec<T>,
    current: ::std::vec::IntoIter<T>,
}

// Nothing in an `Items` is pinned structurally (items are moved out of a
// plain vector iterator), so it may move while being read.
impl<T, P, E> Unpin for Items<'_, T, P, E> {}

impl<T, P, E> fmt::Debug for Items<'_, T, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.current.len()).finish()
    }
}

impl<T, P, E> Items<'_, T, P, E> {
    /// The next item; `None` after the last one (or after an error).
    pub async fn next(&mut self) -> ::std::option::Option<::std::result::Result<T, Error<E>>> {
        ::std::future::poll_fn(|cx| ::futures_core::Stream::poll_next(Pin::new(&mut *self), cx)).await
    }
}

impl<T, P, E> ::futures_core::Stream for Items<'_, T, P, E> {
    type Item = ::std::result::Result<T, Error<E>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match ::std::task::ready!(::futures_core::Stream::poll_next(Pin::new(&mut this.pages), cx)) {
                Some(Ok(page)) => this.current = (this.items)(page.into_inner()).into_iter(),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// Why a buffered body was not read.
enum ReadError {
    TooLarge,
    /// The timeout of [`read_whole`] ran out.
    Elapsed,
    Http(::reqwest::Error),
}

/// Reads a whole body, but no further than `limit` bytes: a larger
/// `Content-Length` fails before reading, a longer body at the chunk that
/// crosses the limit.
async fn read_limited(mut response: ::reqwest::Response, limit: usize) -> ::std::result::Result<::std::vec::Vec<u8>, ReadError> {
    let announced = response.content_length().map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    if announced.is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge);
    }
    let mut body = ::std::vec::Vec::with_capacity(announced.unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Http)? {
        if chunk.len() > limit - body.len() {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Adds the body to one request; files are opened (and streams taken) here,
/// once per attempt.
async fn with_body_of(builder: ::reqwest::RequestBuilder, body: &Body) -> ::std::result::Result<::reqwest::RequestBuilder, Error> {
    use ::reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
    Ok(match body {
        Body::Empty => builder,
        Body::Json(data) => builder.header(CONTENT_TYPE, "application/json").body(data.clone()),
        Body::Form(fields) => builder.form(fields),
        Body::Bytes { content_type, data } => builder.header(CONTENT_TYPE, *content_type).body(data.clone()),
        Body::File { content_type, file } => {
            let (data, length) = file.open().await?;
            let builder = builder.header(CONTENT_TYPE, file.mime.as_deref().unwrap_or(content_type));
            let builder = match length {
                Some(length) => builder.header(CONTENT_LENGTH, length),
                None => builder,
            };
            builder.body(data)
        }
        Body::Parts { multipart: true, parts } => builder.multipart(multipart_form(parts).await?),
        Body::Parts { multipart: false, parts } => {
            builder.header(CONTENT_TYPE, "application/x-www-form-urlencoded").body(urlencoded_form(parts).await?)
        }
    })
}

#[cfg(feature = "tracing")]
fn trace_attempt(attempt: u32) {
    ::tracing::Span::current().record("attempts", attempt);
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
fn trace_attempt(_attempt: u32) {}

#[cfg(feature = "tracing")]
fn trace_status(status: ::reqwest::StatusCode) {
    ::tracing::Span::current().record("http.response.status_code", status.as_u16());
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
fn trace_status(_status: ::reqwest::StatusCode) {}

/// A retry: an event in the request's span.
#[cfg(feature = "tracing")]
fn trace_retry(attempt: u32, wait: Duration, reason: &dyn fmt::Display) {
    let wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
    ::tracing::info!(attempt, wait_ms, reason = %reason, "retrying the request");
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
fn trace_retry(_attempt: u32, _wait: Duration, _reason: &dyn fmt::Display) {}

/// Headers that carry credentials, sent by hand only to the base URL's origin.
fn is_sensitive_header(name: &::reqwest::header::HeaderName) -> bool {
    use ::reqwest::header::{AUTHORIZATION, COOKIE, PROXY_AUTHORIZATION};
    *name == AUTHORIZATION || *name == COOKIE || *name == PROXY_AUTHORIZATION
}

/// `true` when `a` and `b` have the same origin: scheme, host and port.
fn same_origin(a: &::reqwest::Url, b: &::reqwest::Url) -> bool {
    a.scheme() == b.scheme() && a.host() == b.host() && a.port_or_known_default() == b.port_or_known_default()
}

// ---------------------------------------------------------------------------
// Files: multipart parts and binary bodies.

/// A file to upload: a part of a `multipart/form-data` (or form) body, or a
/// whole binary request body (`application/octet-stream`, `image/png`, …).
///
/// Made from bytes in memory ([`FilePart::bytes`]), a file on disk read when
/// the request is sent ([`FilePart::path`]) or a stream
/// ([`FilePart::stream`]); give it a file name and a media type with
/// [`FilePart::file_name`] and [`FilePart::mime`].
///
/// In a multipart body a part without a file name is sent with its field
/// name as file name (servers such as FastAPI only see a part with a file
/// name as a file), and a part without a media type with the one the spec
/// gives for the property (its `encoding`, or `contentMediaType`), else
/// `application/octet-stream`.
///
/// Bytes and paths can be sent again: each attempt rebuilds the body from
/// them, so a retried request sends identical content. A stream can be sent
/// only once: a request holding one is never retried (not after a retryable
/// status, a connection failure or a `401` with a token provider) and a
/// `307`/`308` redirect is not followed. Clones of a stream part share the
/// one stream.
///
/// Inside a JSON value (where a spec uses a binary property outside a form)
/// a file part is a string: decoding gives [`FilePart::bytes`] of it, and
/// only UTF-8 bytes can be encoded.
#[derive(Clone)]
pub struct FilePart {
    source: FileSource,
    file_name: ::std::option::Option<::std::string::String>,
    mime: ::std::option::Option<::std::string::String>,
}

#[derive(Clone)]
enum FileSource {
    Bytes(::bytes::Bytes),
    Path(::std::path::PathBuf),
    Stream(::std::sync::Arc<::std::sync::Mutex<::std::option::Option<::reqwest::Body>>>),
}

impl FilePart {
    fn new(source: FileSource) -> Self {
        FilePart { source, file_name: None, mime: None }
    }

    /// A file with this content (a `Vec<u8>`, `&[u8]`, `String`, `&str`,
    /// `bytes::Bytes`, …).
    pub fn bytes(data: impl ::std::convert::Into<::std::vec::Vec<u8>>) -> Self {
        Self::new(FileSource::Bytes(::bytes::Bytes::from(data.into())))
    }

    /// The file at `path`, opened and read (streamed, not loaded whole) each
    /// time the request is sent. Its file name is the path's last component.
    /// A file that cannot be opened is an [`ErrorKind::Request`] error.
    pub fn path(path: impl ::std::convert::Into<::std::path::PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FilePart { source: FileSource::Path(path), file_name, mime: None }
    }

    /// A stream of chunks, sent as it comes (chunked, no length). One-shot:
    /// a request holding it is not retried.
    pub fn stream<S, T, X>(stream: S) -> Self
    where
        S: ::futures_core::Stream<Item = ::std::result::Result<T, X>> + Send + 'static,
        ::bytes::Bytes: ::std::convert::From<T>,
        X: ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>>,
    {
        let body = ::reqwest::Body::wrap_stream(stream);
        Self::new(FileSource::Stream(::std::sync::Arc::new(::std::sync::Mutex::new(Some(body)))))
    }

    /// The file name sent with the part (`filename` of its
    /// `Content-Disposition`).
    pub fn file_name(mut self, file_name: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The media type of the content (`image/png`): the part's
    /// `Content-Type`, or the request's for a whole binary body. An invalid
    /// media type is an [`ErrorKind::Request`] error when sent.
    pub fn mime(mut self, mime: impl ::std::convert::Into<::std::string::String>) -> Self {
        self.mime = Some(mime.into());
        self
    }

    /// The content, for a part made from bytes (or decoded from JSON).
    pub fn as_bytes(&self) -> ::std::option::Option<&[u8]> {
        match &self.source {
            FileSource::Bytes(data) => Some(data),
            _ => None,
        }
    }

    /// `false` for a stream, which can be sent once.
    fn is_replayable(&self) -> bool {
        !matches!(self.source, FileSource::Stream(_))
    }

    /// The content for one attempt, with its length where known.
    async fn open(&self) -> ::std::result::Result<(::reqwest::Body, ::std::option::Option<u64>), Error> {
        match &self.source {
            FileSource::Bytes(data) => Ok((::reqwest::Body::from(data.clone()), Some(data.len() as u64))),
            FileSource::Path(path) => {
                let file = ::tokio::fs::File::open(path).await.map_err(|e| file_error(path, e))?;
                let metadata = file.metadata().await.map_err(|e| file_error(path, e))?;
                if !metadata.is_file() {
                    return Err(Error::new(ErrorKind::Request, format!("{} is not a file", path.display())));
                }
                Ok((::reqwest::Body::from(file), Some(metadata.len())))
            }
            FileSource::Stream(stream) => {
                let body = stream.lock().unwrap_or_else(::std::sync::PoisonError::into_inner).take();
                body.map(|b| (b, None))
                    .ok_or_else(|| Error::new(ErrorKind::Request, "a file part made from a stream was already sent; a stream can be sent only once"))
            }
        }
    }

    /// The whole content (for a urlencoded form, which cannot stream).
    async fn read_all(&self) -> ::std::result::Result<::bytes::Bytes, Error> {
        match &self.source {
            FileSource::Bytes(data) => Ok(data.clone()),
            FileSource::Path(path) => ::tokio::fs::read(path).await.map(::bytes::Bytes::from).map_err(|e| file_error(path, e)),
            FileSource::Stream(_) => Err(Error::new(
                ErrorKind::Request,
                "a file part made from a stream cannot be sent in a urlencoded form; use FilePart::bytes or FilePart::path",
            )),
        }
    }
}

fn file_error(path: &::std::path::Path, error: ::std::io::Error) -> Error {
    Error::new(ErrorKind::Request, format!("could not read the file {}", path.display())).with_source(error)
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FilePart");
        match &self.source {
            FileSource::Bytes(data) => d.field("bytes", &data.len()),
            FileSource::Path(path) => d.field("path", path),
            FileSource::Stream(_) => d.field("stream", &format_args!("..")),
        };
        d.field("file_name", &self.file_name).field("mime", &self.mime).finish()
    }
}

impl PartialEq for FilePart {
    /// Same content source (equal bytes, the same path, or the same stream),
    /// file name and media type.
    fn eq(&self, other: &Self) -> bool {
        let same = match (&self.source, &other.source) {
            (FileSource::Bytes(a), FileSource::Bytes(b)) => a == b,
            (FileSource::Path(a), FileSource::Path(b)) => a == b,
            (FileSource::Stream(a), FileSource::Stream(b)) => ::std::sync::Arc::ptr_eq(a, b),
            _ => false,
        };
        same && self.file_name == other.file_name && self.mime == other.mime
    }
}

impl ::std::convert::From<::std::vec::Vec<u8>> for FilePart {
    fn from(data: ::std::vec::Vec<u8>) -> Self {
        FilePart::bytes(data)
    }
}

impl ::std::convert::From<&[u8]> for FilePart {
    fn from(data: &[u8]) -> Self {
        FilePart::bytes(data)
    }
}

impl<const N: usize> ::std::convert::From<&[u8; N]> for FilePart {
    fn from(data: &[u8; N]) -> Self {
        FilePart::bytes(&data[..])
    }
}

impl ::std::convert::From<::bytes::Bytes> for FilePart {
    /// Without a copy.
    fn from(data: ::bytes::Bytes) -> Self {
        FilePart::new(FileSource::Bytes(data))
    }
}

impl ::serde::Serialize for FilePart {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
        match &self.source {
            FileSource::Bytes(data) => match ::std::str::from_utf8(data) {
                Ok(text) => serializer.serialize_str(text),
                Err(_) => Err(::serde::ser::Error::custom("a file part that is not UTF-8 cannot be sent inside JSON")),
            },
            _ => Err(::serde::ser::Error::custom("a file part made from a path or a stream can only be sent in a multipart or form body")),
        }
    }
}

impl<'de> ::serde::Deserialize<'de> for FilePart {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
        let text = <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)?;
        Ok(FilePart::bytes(text))
    }
}

/// One part of a form body.
#[derive(Clone)]
pub(crate) struct PartSpec {
    name: ::std::string::String,
    value: PartValue,
    /// The spec's content type for the part (its property's `encoding`).
    content_type: ::std::option::Option<::std::string::String>,
}

#[derive(Clone)]
pub(crate) enum PartValue {
    Text(::std::string::String),
    File(FilePart),
}

/// A body type with file fields, encoded part by part (implemented by the
/// generated types).
pub(crate) trait ToParts {
    fn to_parts(&self, parts: &mut Parts);
}

/// The fields of a form body being collected by [`ToParts::to_parts`].
#[derive(Default)]
pub(crate) struct Parts {
    parts: ::std::vec::Vec<PartSpec>,
    failure: ::std::option::Option<Error>,
}

impl Parts {
    fn push_text(&mut self, name: &str, text: ::std::string::String) {
        self.parts.push(PartSpec { name: name.to_owned(), value: PartValue::Text(text), content_type: None });
    }

    /// A field sent as text: strings as they are, other values as JSON,
    /// each item of an array as a part of its own; absent and `null` values
    /// are left out.
    pub fn text<T: ::serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match ::serde_json::to_value(value) {
            Ok(::serde_json::Value::Null) => {}
            Ok(::serde_json::Value::Array(items)) => {
                for item in items.into_iter().filter(|i| !i.is_null()) {
                    self.push_text(name, param_text(item));
                }
            }
            Ok(other) => self.push_text(name, param_text(other)),
            Err(e) => {
                if self.failure.is_none() {
                    self.failure = Some(Error::new(ErrorKind::Request, format!("could not encode the form field {name:?}")).with_source(e));
                }
            }
        }
    }

    /// A file field (a file, an optional one or a list): one part per file.
    pub fn file<F: FileParts + ?Sized>(&mut self, name: &str, value: &F) {
        value.each_file(&mut |file| {
            self.parts.push(PartSpec { name: name.to_owned(), value: PartValue::File(file.clone()), content_type: None });
        });
    }

    /// Fields beyond the documented ones (`additionalProperties`), as text.
    pub fn additional<V: ::serde::Serialize>(&mut self, fields: &::std::collections::BTreeMap<::std::string::String, V>) {
        for (name, value) in fields {
            self.text(name, value);
        }
    }
}

/// A field holding files: a [`FilePart`], or an `Option`, `Nullable`, `Vec`
/// or `Box` of them.
pub(crate) trait FileParts {
    fn each_file(&self, f: &mut dyn FnMut(&FilePart));
}

impl FileParts for FilePart {
    fn each_file(&self, f: &mut dyn FnMut(&FilePart)) {
        f(self);
    }
}

impl<T: FileParts> FileParts for ::std::option::Option<T> {
    fn each_file(&self, f: &mut dyn FnMut(&FilePart)) {
        if let Some(value) = self {
            value.each_file(f);
        }
    }
}

impl<T: FileParts> FileParts for Nullable<T> {
    fn each_file(&self, f: &mut dyn FnMut(&FilePart)) {
        if let Nullable::Value(value) = self {
            value.each_file(f);
        }
    }
}

impl<T: FileParts> FileParts for ::std::vec::Vec<T> {
    fn each_file(&self, f: &mut dyn FnMut(&FilePart)) {
        for value in self {
            value.each_file(f);
        }
    }
}

impl<T: FileParts> FileParts for ::std::boxed::Box<T> {
    fn each_file(&self, f: &mut dyn FnMut(&FilePart)) {
        (**self).each_file(f);
    }
}

/// Sets the spec's content type on the parts it names.
fn apply_encoding(parts: &mut [PartSpec], encoding: &[(&str, &str)]) {
    for part in parts {
        if let Some((_, content_type)) = encoding.iter().find(|(name, _)| *name == part.name) {
            part.content_type = Some((*content_type).to_owned());
        }
    }
}

/// A name or file name inside a quoted `Content-Disposition` parameter, as
/// browsers write it: `"`, CR and LF percent-encoded, everything else as it is.
fn disposition_text(text: &str) -> ::std::string::String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// The `multipart/form-data` form of one attempt (a fresh boundary each time).
async fn multipart_form(parts: &[PartSpec]) -> ::std::result::Result<::reqwest::multipart::Form, Error> {
    let bad_mime = |e: ::reqwest::Error| Error::new(ErrorKind::Request, "a part's media type is not valid").with_source(e.without_url());
    let mut form = ::reqwest::multipart::Form::new().percent_encode_noop();
    for spec in parts {
        let part = match &spec.value {
            PartValue::Text(text) => {
                let part = ::reqwest::multipart::Part::text(text.clone());
                match &spec.content_type {
                    Some(content_type) => part.mime_str(content_type).map_err(bad_mime)?,
                    None => part,
                }
            }
            PartValue::File(file) => {
                let (data, length) = file.open().await?;
                let part = match length {
                    Some(length) => ::reqwest::multipart::Part::stream_with_length(data, length),
                    None => ::reqwest::multipart::Part::stream(data),
                };
                let file_name = disposition_text(file.file_name.as_deref().unwrap_or(&spec.name));
                let mime = file.mime.as_deref().or(spec.content_type.as_deref()).unwrap_or("application/octet-stream");
                part.file_name(file_name).mime_str(mime).map_err(bad_mime)?
            }
        };
        form = form.part(disposition_text(&spec.name), part);
    }
    Ok(form)
}

/// An `application/x-www-form-urlencoded` body with file fields: each file's
/// bytes percent-encoded.
async fn urlencoded_form(parts: &[PartSpec]) -> ::std::result::Result<::std::vec::Vec<u8>, Error> {
    let mut out = ::std::string::String::new();
    for spec in parts {
        let file;
        let value: &[u8] = match &spec.value {
            PartValue::Text(text) => text.as_bytes(),
            PartValue::File(part) => {
                file = part.read_all().await?;
                &file
            }
        };
        if !out.is_empty() {
            out.push('&');
        }
        out.extend(::form_urlencoded::byte_serialize(spec.name.as_bytes()));
        out.push('=');
        out.extend(::form_urlencoded::byte_serialize(value));
    }
    Ok(out.into_bytes())
}

// ---------------------------------------------------------------------------
// Token providers and OAuth2 client credentials.

/// What a token provider is asked for ([`ClientBuilder`]'s `…_provider`
/// methods): the token for the next attempt of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenRequest {
    refresh: bool,
}

impl TokenRequest {
    /// `true` when the server has just answered `401 Unauthorized` to the
    /// token the provider gave last for this request: return a fresh token,
    /// not a cached one. The request is then sent once more with it (once).
    pub fn is_refresh(&self) -> bool {
        self.refresh
    }
}

/// Gives the current token; `refresh` after a `401` to `rejected`.
trait ProvideToken: Send + Sync {
    fn token<'a>(&'a self, refresh: bool, rejected: ::std::option::Option<&'a Secret>) -> BoxFuture<'a, ::std::result::Result<Secret, Error>>;
}

/// A token provider; `Debug` shows nothing of it.
#[derive(Clone)]
struct TokenSource(::std::sync::Arc<dyn ProvideToken>);

impl fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<token provider>")
    }
}

impl TokenSource {
    fn from_fn<F, Fut, T, X>(provider: F) -> Self
    where
        F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
        Fut: ::std::future::Future<Output = ::std::result::Result<T, X>> + Send + 'static,
        T: ::std::convert::Into<::std::string::String> + 'static,
        X: ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> + 'static,
    {
        TokenSource(::std::sync::Arc::new(FnSource(provider, ::std::marker::PhantomData)))
    }

    async fn token(&self, refresh: bool, rejected: ::std::option::Option<&Secret>) -> ::std::result::Result<Secret, Error> {
        self.0.token(refresh, rejected).await
    }
}

/// A provider function.
struct FnSource<F, Fut, T, X>(F, ::std::marker::PhantomData<Signature<Fut, T, X>>);

/// Names the otherwise unused type parameters of [`FnSource`] (`Send` and `Sync` whatever they are).
type Signature<Fut, T, X> = fn() -> (Fut, T, X);

impl<F, Fut, T, X> ProvideToken for FnSource<F, Fut, T, X>
where
    F: Fn(TokenRequest) -> Fut + Send + Sync + 'static,
    Fut: ::std::future::Future<Output = ::std::result::Result<T, X>> + Send + 'static,
    T: ::std::convert::Into<::std::string::String> + 'static,
    X: ::std::convert::Into<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> + 'static,
{
    fn token<'a>(&'a self, refresh: bool, _rejected: ::std::option::Option<&'a Secret>) -> BoxFuture<'a, ::std::result::Result<Secret, Error>> {
        let future = (self.0)(TokenRequest { refresh });
        ::std::boxed::Box::pin(async move {
            match future.await {
                Ok(token) => Ok(Secret(token.into())),
                Err(e) => {
                    let mut error = Error::new(ErrorKind::Credentials, "the token provider failed");
                    error.0.source = Some(e.into());
                    Err(error)
                }
            }
        })
    }
}

/// `oauth2_client_credentials` as called, before the client is built.
#[derive(Clone, Debug)]
struct PendingClientCredentials {
    token_url: &'static str,
    client_id: ::std::string::String,
    client_secret: Secret,
}

/// The OAuth2 client-credentials grant (RFC 6749, section 4.4): a token from
/// the token endpoint, cached until shortly before it expires, fetched by
/// one request at a time (concurrent requests wait for that one fetch).
struct ClientCredentials {
    token_url: ::reqwest::Url,
    client_id: ::std::string::String,
    client_secret: Secret,
    scope: ::std::option::Option<::std::string::String>,
    http: ::reqwest::Client,
    timeout: Duration,
    cache: ::tokio::sync::Mutex<::std::option::Option<CachedToken>>,
}

struct CachedToken {
    token: Secret,
    /// When to fetch a new one (`None`: the server gave no `expires_in`).
    refresh_at: ::std::option::Option<::std::time::Instant>,
}

impl ProvideToken for ClientCredentials {
    fn token<'a>(&'a self, refresh: bool, rejected: ::std::option::Option<&'a Secret>) -> BoxFuture<'a, ::std::result::Result<Secret, Error>> {
        ::std::boxed::Box::pin(async move {
            let mut cache = self.cache.lock().await;
            if let Some(cached) = cache.as_ref() {
                let expired = cached.refresh_at.is_some_and(|at| ::std::time::Instant::now() >= at);
                // After a 401, the cached token is stale only if it is the
                // rejected one (another request may have refreshed it since).
                let was_rejected = refresh && rejected.is_none_or(|r| *r == cached.token);
                if !expired && !was_rejected {
                    return Ok(cached.token.clone());
                }
            }
            let fresh = self.fetch().await?;
            let token = fresh.token.clone();
            *cache = Some(fresh);
            Ok(token)
        })
    }
}

impl ClientCredentials {
    /// Asks the token endpoint for a token. Errors name the status and the
    /// OAuth2 `error` code, never the secret, the token or the body.
    async fn fetch(&self) -> ::std::result::Result<CachedToken, Error> {
        let failed = |message: ::std::string::String| Error::new(ErrorKind::Credentials, message);
        let mut form = vec![("grant_type", "client_credentials")];
        if let Some(scope) = &self.scope {
            form.push(("scope", scope));
        }
        // RFC 6749, section 2.3.1: both are form-urlencoded, then sent with
        // HTTP basic authentication.
        let user: ::std::string::String = ::form_urlencoded::byte_serialize(self.client_id.as_bytes()).collect();
        let password: ::std::string::String = ::form_urlencoded::byte_serialize(self.client_secret.0.as_bytes()).collect();
        let started = ::std::time::Instant::now();
        let response = self
            .http
            .post(self.token_url.clone())
            .timeout(self.timeout)
            .basic_auth(user, Some(password))
            .header(::reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(|e| failed("the OAuth2 token request failed".into()).with_source(e.without_url()))?;
        let status = response.status();
        let body = read_limited(response, 1024 * 1024)
            .await
            .map_err(|_| failed("the answer of the OAuth2 token endpoint could not be read".into()))?;
        let value: ::std::option::Option<::serde_json::Value> = ::serde_json::from_slice(&body).ok();
        if !status.is_success() {
            // An OAuth2 error code is a short ASCII word (`invalid_client`).
            let code = value
                .as_ref()
                .and_then(|v| v.get("error")?.as_str())
                .filter(|c| c.len() <= 64 && c.bytes().all(|b| b.is_ascii_graphic()))
                .map(|c| format!(" ({c})"))
                .unwrap_or_default();
            return Err(failed(format!("the OAuth2 token endpoint answered {}{code}", status.as_u16())));
        }
        let token = value
            .as_ref()
            .and_then(|v| v.get("access_token")?.as_str())
            .filter(|t| !t.is_empty())
            .ok_or_else(|| failed("the answer of the OAuth2 token endpoint has no access_token".into()))?;
        let lifetime = value
            .as_ref()
            .and_then(|v| v.get("expires_in"))
            .and_then(|e| e.as_f64().or_else(|| e.as_str()?.trim().parse().ok()))
            .and_then(|seconds| Duration::try_from_secs_f64(seconds).ok());
        // Refreshed shortly before it expires: a tenth of its lifetime early,
        // at most 30 s.
        let refresh_at = lifetime.and_then(|life| started.checked_add(life - (life / 10).min(Duration::from_secs(30))));
        Ok(CachedToken { token: Secret(token.to_owned()), refresh_at })
    }
}

// ---------------------------------------------------------------------------
// Hooks.

type RequestHook = ::std::sync::Arc<dyn Fn(&mut HookRequest<'_>) + Send + Sync>;
type ResponseHook = ::std::sync::Arc<dyn Fn(&HookResponse<'_>) + Send + Sync>;

/// The `on_request` and `on_response` hooks of a client.
#[derive(Clone, Default)]
struct Hooks {
    request: ::std::vec::Vec<RequestHook>,
    response: ::std::vec::Vec<ResponseHook>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks").field("on_request", &self.request.len()).field("on_response", &self.response.len()).finish()
    }
}

/// A request about to be sent, as an `on_request` hook sees it
/// ([`ClientBuilder::on_request`]).
///
/// Credential headers are already set and marked sensitive (their `Debug`
/// shows `Sensitive`); API keys in the query are added after the hooks, so
/// [`HookRequest::url`] never holds them.
pub struct HookRequest<'a> {
    request: &'a mut ::reqwest::Request,
    operation_id: &'a str,
    path_template: &'a str,
    attempt: u32,
}

impl HookRequest<'_> {
    /// The operation's id (its `operationId` in the spec).
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }

    /// The operation's path template, as in the spec (`/v1/contact/{id}`).
    pub fn path_template(&self) -> &str {
        self.path_template
    }

    /// Which attempt this is: 1 for the first, 2 for the first retry, …
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The HTTP method.
    pub fn method(&self) -> &::reqwest::Method {
        self.request.method()
    }

    /// The URL (without API keys sent in the query).
    pub fn url(&self) -> &::reqwest::Url {
        self.request.url()
    }

    /// The headers.
    pub fn headers(&self) -> &::reqwest::header::HeaderMap {
        self.request.headers()
    }

    /// The headers, to add or change some.
    pub fn headers_mut(&mut self) -> &mut ::reqwest::header::HeaderMap {
        self.request.headers_mut()
    }

    /// The body, where it is in memory (JSON, forms, text and bytes); `None`
    /// for files, multipart bodies and streams.
    pub fn body(&self) -> ::std::option::Option<&[u8]> {
        self.request.body().and_then(::reqwest::Body::as_bytes)
    }
}

impl fmt::Debug for HookRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookRequest")
            .field("operation_id", &self.operation_id)
            .field("method", self.request.method())
            .field("path_template", &self.path_template)
            .field("attempt", &self.attempt)
            .finish_non_exhaustive()
    }
}

/// The outcome of one attempt, as an `on_response` hook sees it
/// ([`ClientBuilder::on_response`]).
pub struct HookResponse<'a> {
    operation_id: &'a str,
    path_template: &'a str,
    method: &'a ::reqwest::Method,
    url: &'a ::reqwest::Url,
    attempt: u32,
    status: ::std::option::Option<::reqwest::StatusCode>,
    headers: ::std::option::Option<&'a ::reqwest::header::HeaderMap>,
    elapsed: Duration,
}

impl HookResponse<'_> {
    /// The operation's id (its `operationId` in the spec).
    pub fn operation_id(&self) -> &str {
        self.operation_id
    }

    /// The operation's path template, as in the spec.
    pub fn path_template(&self) -> &str {
        self.path_template
    }

    /// The HTTP method.
    pub fn method(&self) -> &::reqwest::Method {
        self.method
    }

    /// The URL requested (without API keys sent in the query).
    pub fn url(&self) -> &::reqwest::Url {
        self.url
    }

    /// Which attempt this was: 1 for the first, 2 for the first retry, …
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The response status; `None` when no response arrived (connection
    /// failure, timeout).
    pub fn status(&self) -> ::std::option::Option<::reqwest::StatusCode> {
        self.status
    }

    /// The response headers, where a response arrived.
    pub fn headers(&self) -> ::std::option::Option<&::reqwest::header::HeaderMap> {
        self.headers
    }

    /// The time from sending the request to receiving the response headers
    /// (or the failure).
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }
}

impl fmt::Debug for HookResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HookResponse")
            .field("operation_id", &self.operation_id)
            .field("method", self.method)
            .field("path_template", &self.path_template)
            .field("attempt", &self.attempt)
            .field("status", &self.status)
            .field("elapsed", &self.elapsed)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, PartialEq)]
    struct Probe {
        id: i64,
        name: ::std::string::String,
        note: ::std::option::Option<::std::string::String>,
        parent: ::std::option::Option<i64>,
        city: Nullable<::std::string::String>,
        additional_properties: ::std::collections::BTreeMap<::std::string::String, ::serde_json::Value>,
    }
    de_struct!(both Probe, [(id, "id", i64, whole, req), (name, "r#name", ::std::string::String, plain, req),
        (note, "note", ::std::option::Option<::std::string::String>, plain, opt),
        (parent, "parent", ::std::option::Option<i64>, plain, req), (city, "city", Nullable<::std::string::String>, plain, opt)],
        additional_properties);

    #[test]
    fn de_struct_decodes_like_serde_derive() {
        let p: Probe = ::serde_json::from_str(r#"{"r#name": "a", "id": 3.0, "x": [1], "city": null}"#).unwrap();
        assert_eq!((p.id, p.name.as_str(), p.note.as_deref(), p.parent), (3, "a", None, None));
        assert_eq!(p.city, Nullable::Null);
        assert_eq!(p.additional_properties.get("x"), Some(&::serde_json::json!([1])));
        let e = ::serde_json::from_str::<Probe>(r#"{"id": 1}"#).unwrap_err().to_string();
        assert!(e.starts_with("missing field `r#name`"), "{e}");
        let e = ::serde_json::from_str::<Probe>(r#"{"id": 1, "id": 2, "r#name": "a"}"#).unwrap_err().to_string();
        assert!(e.starts_with("duplicate field `id`"), "{e}");
        let e = ::serde_json::from_str::<Probe>(r#"{"id": 1.5, "r#name": "a"}"#).unwrap_err().to_string();
        assert!(e.contains("1.5"), "{e}");
        let e = ::serde_json::from_str::<Probe>("[1]").unwrap_err().to_string();
        assert!(e.contains("expected struct Probe"), "{e}");
        let mut track = ::serde_json::Deserializer::from_str(r#"{"id": 1, "r#name": 5}"#);
        let e = ::serde_path_to_error::deserialize::<_, Probe>(&mut track).unwrap_err();
        assert_eq!(e.path().to_string(), "r#name");
    }

    #[test]
    fn de_struct_encodes_fields_in_order_leaving_out_absent_ones() {
        let mut p = Probe {
            id: 7,
            name: "n".into(),
            note: None,
            parent: None,
            city: Nullable::Absent,
            additional_properties: ::std::collections::BTreeMap::new(),
        };
        assert_eq!(::serde_json::to_string(&p).unwrap(), r#"{"id":7,"r#name":"n","parent":null}"#);
        p.city = Nullable::Null;
        p.note = Some("x".into());
        p.additional_properties.insert("z".into(), ::serde_json::json!(true));
        assert_eq!(::serde_json::to_string(&p).unwrap(), r#"{"id":7,"r#name":"n","note":"x","parent":null,"city":null,"z":true}"#);
        let back: Probe = ::serde_json::from_str(&::serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    fn utc(text: &str) -> ::chrono::DateTime<::chrono::Utc> {
        ::chrono::DateTime::parse_from_rfc3339(text).map(|d| d.with_timezone(&::chrono::Utc)).unwrap()
    }

    #[test]
    fn a_union_variant_drops_keys_or_not() {
        #[derive(::serde::Serialize)]
        struct Few {
            a: i64,
            #[serde(skip_serializing_if = "Option::is_none")]
            b: Option<i64>,
        }
        let sent = ::serde_json::json!({"a": 1.0, "nested": [{"x": 1, "y": 2}]});
        assert_eq!(dropped_keys(&sent, &Few { a: 1, b: None }), 1);
        assert_eq!(dropped_keys(&sent, &::serde_json::json!({"a": 1, "nested": [{"x": 1, "y": 2, "z": 3}], "z": 3})), 0);
        assert_eq!(dropped_keys(&sent, &::serde_json::json!({"a": 1, "nested": [{}]})), 2);
        assert_eq!(dropped_keys(&sent, &::serde_json::json!({"a": 1, "nested": "text"})), 1);
        assert_eq!(dropped_keys(&::serde_json::json!("2020-01-01T10:00:00+02:00"), &"2020-01-01T08:00:00Z"), 0);
    }

    #[test]
    fn retry_after_reads_seconds_and_all_three_http_date_formats() {
        let now = utc("1994-11-06T08:49:00Z");
        let secs = |s: u64| Some(Duration::from_secs(s));
        assert_eq!(retry_after_at("0", now), secs(0));
        assert_eq!(retry_after_at(" 120 ", now), secs(120));
        assert_eq!(retry_after_at("99999999999999999999999", now), secs(u64::MAX));
        assert_eq!(retry_after_at("Sun, 06 Nov 1994 08:49:37 GMT", now), secs(37));
        assert_eq!(retry_after_at("Sunday, 06-Nov-94 08:49:37 GMT", now), secs(37));
        assert_eq!(retry_after_at("Sun Nov  6 08:49:37 1994", now), secs(37));
        // A date in the past means "now".
        assert_eq!(retry_after_at("Sat, 05 Nov 1994 08:49:37 GMT", now), secs(0));
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994"] {
            assert_eq!(retry_after_at(bad, now), None, "{bad:?}");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_cap_and_honours_retry_after() {
        let client = Client::builder("http://127.0.0.1:9")
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(350))
            .build()
            .unwrap();
        for (attempt, full) in [(0, 100), (1, 200), (2, 350), (40, 350)] {
            let full = Duration::from_millis(full);
            for _ in 0..50 {
                let wait = client.backoff(attempt, None).unwrap();
                assert!(wait >= full / 2 && wait <= full, "attempt {attempt}: {wait:?}");
            }
        }
        let mut headers = ::reqwest::header::HeaderMap::new();
        headers.insert(::reqwest::header::RETRY_AFTER, ::reqwest::header::HeaderValue::from_static("0"));
        assert_eq!(client.backoff(5, Some(&headers)), Some(Duration::ZERO));
        headers.insert(::reqwest::header::RETRY_AFTER, ::reqwest::header::HeaderValue::from_static("3600"));
        assert_eq!(client.backoff(0, Some(&headers)), None, "longer than max_backoff: no retry");
    }

    #[tokio::test]
    async fn every_attempt_sends_the_same_body_bytes() {
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        let url = ::reqwest::Url::parse("http://127.0.0.1:9/x").unwrap();
        let body = ::serde_json::json!({"name": "a\"b", "n": 1, "tags": ["x", "y"], "skip": null});
        let encoders: [fn(Request, &::serde_json::Value) -> Request; 3] = [
            |r, b| r.json(b),
            |r, b| r.form(b),
            |r, _| r.file("application/octet-stream", FilePart::bytes(vec![0u8, 255, 10, 13])),
        ];
        for encode in encoders {
            let request = encode(Request::new(::reqwest::Method::POST, 0), &body);
            let mut sent = ::std::vec::Vec::new();
            for attempt in 1..=2 {
                let (built, _) = match client.build_hop(&request, &url, &request.method, true, &[], attempt, Timeout::Whole).await {
                    Ok(built) => built,
                    Err(_) => panic!("the request did not build"),
                };
                let content_type = built.headers()[::reqwest::header::CONTENT_TYPE].clone();
                let body = built.body().and_then(::reqwest::Body::as_bytes).unwrap().to_vec();
                assert!(!body.is_empty());
                sent.push((content_type, body));
            }
            assert_eq!(sent[0], sent[1]);
        }
    }

    #[test]
    fn parameters_go_out_in_slot_order_in_their_style() {
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        let request = Request::new(::reqwest::Method::GET, 4)
            .path("a")
            .path_param("b c/d", Style::Scalar)
            .append(".json")
            .fixed_query("m", "x")
            .query(2, "tags", Style::Exploded, &["x", "y"])
            .query(0, "filter", Style::DeepObject, &::serde_json::json!({"a": 1, "b": null, "c": "z"}))
            .query(1, "ids", Style::PipeJoined, &[1, 2])
            .query(3, "obj", Style::ObjectCommaJoined, &::serde_json::json!({"k": "v", "n": 2}))
            .query(2, "tags", Style::Exploded, &["last"]);
        let url = client.url(&request).unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/a/b%20c%2Fd.json?m=x&filter%5Ba%5D=1&filter%5Bc%5D=z&ids=1%7C2&tags=last&obj=k%2Cv%2Cn%2C2"
        );
    }

    #[test]
    fn invalid_headers_and_cookies_are_request_errors_not_panics() {
        let failed = |request: Request| request.failure.map(|e| e.kind());
        let request = || Request::new(::reqwest::Method::GET, 1);
        assert_eq!(failed(request().extra_header("bad name", "v")), Some(ErrorKind::Request));
        assert_eq!(failed(request().extra_header("x-ok", "line\nbreak")), Some(ErrorKind::Request));
        assert_eq!(failed(request().header(0, "x-id", Style::Scalar, "a\r\nb")), Some(ErrorKind::Request));
        assert_eq!(failed(request().header(0, "bad name", Style::Scalar, "v")), Some(ErrorKind::Request));
        assert_eq!(failed(request().cookie(0, "c", Style::Scalar, "a;b")), Some(ErrorKind::Request));
        assert_eq!(failed(request().extra_header("x-ok", "v").cookie(0, "c", Style::Scalar, "v")), None);
    }

    /// The bytes of a multipart form.
    async fn form_bytes(form: ::reqwest::multipart::Form) -> (::std::string::String, ::std::vec::Vec<u8>) {
        let boundary = form.boundary().to_owned();
        let mut stream = ::std::boxed::Box::pin(form.into_stream());
        let mut out = ::std::vec::Vec::new();
        while let Some(chunk) = ::std::future::poll_fn(|cx| ::futures_core::Stream::poll_next(stream.as_mut(), cx)).await {
            out.extend_from_slice(&chunk.unwrap());
        }
        (boundary, out)
    }

    #[tokio::test]
    async fn multipart_form_is_well_formed_and_rebuilt_identically() {
        let text = |name: &str, value: &str| PartSpec { name: name.to_owned(), value: PartValue::Text(value.to_owned()), content_type: None };
        let file = FilePart::bytes(vec![0u8, 13, 10, 255]).file_name("a\"b.bin").mime("image/png");
        let parts = vec![
            text("name", "Ada"),
            text("a\"b\r\n", "line 1\r\nline 2"),
            PartSpec { name: "meta".into(), value: PartValue::Text("{}".into()), content_type: Some("application/json".into()) },
            PartSpec { name: "file".into(), value: PartValue::File(file), content_type: Some("text/plain".into()) },
            PartSpec { name: "raw".into(), value: PartValue::File(FilePart::bytes("x")), content_type: None },
        ];
        let (boundary, first) = form_bytes(multipart_form(&parts).await.unwrap()).await;
        let mut expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAda\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"a%22b%0D%0A\"\r\n\r\nline 1\r\nline 2\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{}}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.bin\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        expected.extend_from_slice(&[0, 13, 10, 255]);
        expected.extend_from_slice(
            format!(
                "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"raw\"; filename=\"raw\"\r\nContent-Type: application/octet-stream\r\n\r\nx\r\n--{boundary}--\r\n"
            )
            .as_bytes(),
        );
        assert_eq!(::std::string::String::from_utf8_lossy(&first), ::std::string::String::from_utf8_lossy(&expected));
        assert_eq!(first, expected);
        // A retry: the same parts again, under a new boundary.
        let (again, second) = form_bytes(multipart_form(&parts).await.unwrap()).await;
        let second = ::std::string::String::from_utf8_lossy(&second).replace(&again, &boundary);
        assert_eq!(second, ::std::string::String::from_utf8_lossy(&first));
    }

    #[tokio::test]
    async fn a_stream_part_is_sent_once_and_makes_the_body_not_replayable() {
        let chunks = ::std::vec![Ok::<_, ::std::io::Error>(::bytes::Bytes::from_static(b"ab"))];
        let part = FilePart::stream(StreamOf(chunks.into_iter()));
        let body = Body::File { content_type: "application/octet-stream", file: part.clone() };
        assert!(!body.is_replayable());
        assert!(Body::File { content_type: "x/y", file: FilePart::path("/nonexistent") }.is_replayable());
        assert!(part.open().await.is_ok());
        let again = part.open().await.map(|_| ()).unwrap_err();
        assert_eq!(again.kind(), ErrorKind::Request);
        assert!(again.to_string().contains("only once"), "{again}");
    }

    /// A stream over an iterator.
    struct StreamOf<I>(I);

    impl<I: Iterator + Unpin> ::futures_core::Stream for StreamOf<I> {
        type Item = I::Item;
        fn poll_next(mut self: ::std::pin::Pin<&mut Self>, _: &mut ::std::task::Context<'_>) -> ::std::task::Poll<Option<I::Item>> {
            ::std::task::Poll::Ready(self.0.next())
        }
    }

    #[tokio::test]
    async fn urlencoded_form_sends_file_bytes_percent_encoded() {
        let parts = vec![
            PartSpec { name: "a b".into(), value: PartValue::Text("x&y=z".into()), content_type: None },
            PartSpec { name: "f".into(), value: PartValue::File(FilePart::bytes(vec![0u8, b' ', 0xff])), content_type: None },
        ];
        assert_eq!(urlencoded_form(&parts).await.unwrap(), b"a+b=x%26y%3Dz&f=%00+%FF");
    }

    #[tokio::test]
    async fn each_request_of_the_one_path_has_the_origin_rule_the_accept_header_and_the_timeout_mode() {
        let client = Client::builder("https://api.test/v1").build().unwrap();
        let token = Secret("tok".to_owned());
        let key = Secret("key".to_owned());
        let credentials = [Applied::Bearer(::std::borrow::Cow::Borrowed(&token)), Applied::Query { name: "k", value: ::std::borrow::Cow::Borrowed(&key) }];
        let mut request = Request::new(::reqwest::Method::GET, 0).path("items");
        request.accept = Some("text/event-stream");
        let hop = async |request: &Request, timeout: Timeout| {
            let url = client.url(request).unwrap();
            match client.build_hop(request, &url, &request.method, true, &credentials, 1, timeout).await {
                Ok((built, with_credentials)) => (built, with_credentials),
                Err(_) => panic!("the request did not build"),
            }
        };
        let (own, with_credentials) = hop(&request, Timeout::Headers).await;
        assert!(with_credentials);
        assert_eq!(own.url().as_str(), "https://api.test/v1/items?k=key");
        assert_eq!(own.headers()[::reqwest::header::AUTHORIZATION], "Bearer tok");
        assert_eq!(own.headers()[::reqwest::header::ACCEPT], "text/event-stream");
        assert_eq!(own.timeout(), None, "a stream's timeout covers the headers only, not reqwest's whole body");
        // A next page on another origin: the same path, without credentials.
        request.next_url = Some(::reqwest::Url::parse("https://elsewhere.test/v1/items?page=2").unwrap());
        let (other, with_credentials) = hop(&request, Timeout::Whole).await;
        assert!(!with_credentials);
        assert_eq!(other.url().as_str(), "https://elsewhere.test/v1/items?page=2");
        assert!(other.headers().get(::reqwest::header::AUTHORIZATION).is_none());
        assert_eq!(other.timeout(), Some(&DEFAULT_TIMEOUT), "a buffered body: reqwest's timeout covers all of it");
        // On the client's own origin, a next page gets them.
        request.next_url = Some(::reqwest::Url::parse("https://api.test/v1/items?page=2").unwrap());
        let (next, _) = hop(&request, Timeout::Whole).await;
        assert_eq!(next.url().as_str(), "https://api.test/v1/items?page=2&k=key");
        assert_eq!(next.headers()[::reqwest::header::AUTHORIZATION], "Bearer tok");
    }

    #[tokio::test]
    async fn a_copy_for_the_next_page_shares_a_one_shot_stream_and_copies_any_other_body() {
        let client = Client::builder("http://127.0.0.1:9").build().unwrap();
        let url = ::reqwest::Url::parse("http://127.0.0.1:9/x").unwrap();
        let body = async |request: &Request| {
            client.build_hop(request, &url, &request.method, true, &[], 1, Timeout::Whole).await.map(|(built, _)| {
                built.body().and_then(::reqwest::Body::as_bytes).map(<[u8]>::to_vec)
            })
        };
        let json = Request::new(::reqwest::Method::POST, 0).json(&::serde_json::json!({"q": "x"}));
        let copy = json.copy();
        assert_eq!(body(&copy).await.ok(), Some(Some(br#"{"q":"x"}"#.to_vec())));
        assert_eq!(body(&json).await.ok(), body(&copy).await.ok());
        let chunks = ::std::vec![Ok::<_, ::std::io::Error>(::bytes::Bytes::from_static(b"ab"))];
        let stream = Request::new(::reqwest::Method::POST, 0).file("application/octet-stream", FilePart::stream(StreamOf(chunks.into_iter())));
        let copy = stream.copy();
        assert!(!copy.body.is_replayable());
        assert!(body(&copy).await.is_ok(), "the first page takes the stream");
        match body(&stream).await {
            Err(AttemptError::Other(error)) => {
                assert_eq!(error.kind(), ErrorKind::Request);
                assert!(error.to_string().contains("only once"), "{error}");
            }
            _ => panic!("a second page cannot send the stream again"),
        }
    }

    #[test]
    fn credentials_go_only_to_the_base_urls_origin() {
        let client = Client::builder("https://api.example.com/v1").build().unwrap();
        let to = |url: &str| client.sends_credentials_to(&::reqwest::Url::parse(url).unwrap());
        assert!(to("https://api.example.com/v1/items?page=2"));
        assert!(to("https://API.example.com:443/other/path"));
        assert!(!to("http://api.example.com/v1/items"), "another scheme");
        assert!(!to("https://api.example.com:8443/v1/items"), "another port");
        assert!(!to("https://evil.example.com/v1/items"), "another host");
        assert!(!to("https://api.example.com.evil.com/v1/items"), "a longer host");
        let local = Client::builder("http://127.0.0.1:8080").build().unwrap();
        assert!(local.sends_credentials_to(&::reqwest::Url::parse("http://127.0.0.1:8080/x").unwrap()));
        assert!(!local.sends_credentials_to(&::reqwest::Url::parse("http://127.0.0.1:8081/x").unwrap()));
        assert!(!local.sends_credentials_to(&::reqwest::Url::parse("http://localhost:8080/x").unwrap()));
    }

    /// A body that arrives in these chunks.
    fn body(chunks: &[&[u8]]) -> ByteStream {
        struct Chunked(::std::collections::VecDeque<::bytes::Bytes>);
        impl ::futures_core::Stream for Chunked {
            type Item = ::reqwest::Result<::bytes::Bytes>;
            fn poll_next(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<::std::option::Option<Self::Item>> {
                Poll::Ready(self.get_mut().0.pop_front().map(Ok))
            }
        }
        let chunks = chunks.iter().map(|c| ::bytes::Bytes::copy_from_slice(c)).collect();
        ByteStream::from_chunks(::std::boxed::Box::pin(Chunked(chunks)), None)
    }

    #[derive(Debug, PartialEq, ::serde::Deserialize)]
    struct Item {
        id: u32,
    }

    #[tokio::test]
    async fn json_lines_are_split_across_chunks_and_a_bad_line_does_not_end_the_stream() {
        let mut lines: JsonLines<Item> = JsonLines::new(body(&[b"{\"id\": 1}\r\n{\"i", b"d\": 2}\n\n  \nnot json\n{\"id\"", b": 3}"]), false);
        assert_eq!(lines.next().await.unwrap().unwrap(), Item { id: 1 });
        assert_eq!(lines.next().await.unwrap().unwrap(), Item { id: 2 });
        let bad = lines.next().await.unwrap().unwrap_err();
        assert_eq!((bad.kind(), bad.body_text().as_deref()), (ErrorKind::Decode, Some("not json")));
        assert_eq!(lines.next().await.unwrap().unwrap(), Item { id: 3 }, "the last line needs no line feed");
        assert!(lines.next().await.is_none());
        let mut typed: JsonLines<Item> = JsonLines::new(body(&[b"{\"id\": \"x\"}\n"]), false);
        let wrong = typed.next().await.unwrap().unwrap_err();
        assert_eq!((wrong.decode_path(), wrong.body_text().as_deref()), (Some("id"), Some("{\"id\": \"x\"}")));
        assert!(wrong.to_string().contains("at id"), "{wrong}");
        let mut seq: JsonLines<Item> = JsonLines::new(body(&[b"\x1e{\"id\": 7}\n\x1e{\"id\":", b" 8}\n"]), true);
        assert_eq!(seq.next().await.unwrap().unwrap(), Item { id: 7 });
        assert_eq!(seq.next().await.unwrap().unwrap(), Item { id: 8 });
        assert!(seq.next().await.is_none());
    }

    #[tokio::test]
    async fn events_are_framed_across_chunks_and_bad_data_is_an_item_error() {
        let chunks: &[&[u8]] = &[b": hi\n\nevent: tick\nid: 4\nretry: 250\ndata: {\"id\"", b": 1}\n\ndata: {oops}\n\nretry: 9\n\ndata: {\"id\": 2}\r\n\r\n"];
        let mut events: EventStream<Item> = EventStream::new(body(chunks), |d| from_json(d.as_bytes()));
        let first = events.next().await.unwrap().unwrap();
        assert_eq!(first, Event { event: "tick".to_owned(), id: Some("4".to_owned()), retry: Some(Duration::from_millis(250)), data: Item { id: 1 } });
        let bad = events.next().await.unwrap().unwrap_err();
        assert_eq!(bad.body_text().as_deref(), Some("{oops}"));
        // A block without data is no event.
        let last = events.next().await.unwrap().unwrap();
        assert_eq!((last.event.as_str(), last.data.id), ("message", 2));
        assert!(events.next().await.is_none());
    }

    #[test]
    fn link_headers_name_the_next_page() {
        let mut headers = ::reqwest::header::HeaderMap::new();
        assert_eq!(link_next(&headers), None);
        headers.append(
            ::reqwest::header::LINK,
            ::reqwest::header::HeaderValue::from_static(
                r#"<https://api.test/x?page=1>; rel="prev", <https://api.test/x?a=1,2&page=3>; title="a, b"; rel="next last""#,
            ),
        );
        assert_eq!(link_next(&headers).as_deref(), Some("https://api.test/x?a=1,2&page=3"));
        let mut only_last = ::reqwest::header::HeaderMap::new();
        only_last.append(::reqwest::header::LINK, ::reqwest::header::HeaderValue::from_static("</x?page=9>; rel=last"));
        only_last.append(::reqwest::header::LINK, ::reqwest::header::HeaderValue::from_static("</x?page=2>; REL=Next"));
        assert_eq!(link_next(&only_last).as_deref(), Some("/x?page=2"));
    }

    #[test]
    fn the_next_page_follows_each_rule_and_stops_when_it_says() {
        let url = ::reqwest::Url::parse("https://api.test/v1/items?offset=20&limit=10&page=3&cursor=abc").unwrap();
        let none = ::reqwest::header::HeaderMap::new();
        let info = |items: usize, next: Option<&str>, more: Option<bool>, total: Option<u64>| PageInfo { items, next: next.map(str::to_owned), more, total };
        let to = |u: &str| Ok(Some(PageRequest::Url(::reqwest::Url::parse(u).unwrap())));
        let param = |slot: usize, name: &'static str| PageParam { slot, name };
        let query = |name: &'static str, value: &str| Ok(Some(PageRequest::Query { slot: 1, name, value: value.to_owned() }));
        let cursor = PageRule::Cursor { param: param(1, "cursor"), or_url: true };
        assert_eq!(next_page(cursor, &url, &none, &info(5, Some("def"), None, None)), query("cursor", "def"));
        assert_eq!(next_page(cursor, &url, &none, &info(5, Some("abc"), None, None)), Ok(None), "the same cursor again");
        assert_eq!(next_page(cursor, &url, &none, &info(5, Some(""), None, None)), Ok(None));
        assert_eq!(next_page(cursor, &url, &none, &info(5, Some("def"), Some(false), None)), Ok(None), "has_more: false");
        assert_eq!(next_page(cursor, &url, &none, &info(5, Some("https://api.test/v1/items?cursor=x"), None, None)), to("https://api.test/v1/items?cursor=x"));
        let offset = PageRule::Offset { param: param(1, "offset"), limit: Some("limit"), by_items: true };
        assert_eq!(next_page(offset, &url, &none, &info(10, None, None, None)), query("offset", "30"));
        assert_eq!(next_page(offset, &url, &none, &info(9, None, None, None)), Ok(None), "fewer than asked");
        assert_eq!(next_page(offset, &url, &none, &info(10, None, None, Some(30))), Ok(None), "total reached");
        let index = PageRule::Offset { param: param(1, "page"), limit: None, by_items: false };
        assert_eq!(next_page(index, &url, &none, &info(1, None, None, None)), query("page", "4"));
        let page = PageRule::Page { param: param(1, "page"), first: 1 };
        assert_eq!(next_page(page, &url, &none, &info(10, None, None, None)), query("page", "4"));
        assert_eq!(next_page(page, &url, &none, &info(0, None, None, None)), Ok(None), "an empty page");
        assert_eq!(next_page(page, &url, &none, &info(10, None, None, Some(3))), Ok(None), "the last page");
        let first = ::reqwest::Url::parse("https://api.test/v1/items").unwrap();
        assert_eq!(next_page(PageRule::Page { param: param(1, "p"), first: 0 }, &first, &none, &info(2, None, None, None)), query("p", "1"));
        assert_eq!(next_page(PageRule::NextUrl, &url, &none, &info(1, Some("/v1/items?after=9"), None, None)), to("https://api.test/v1/items?after=9"));
        assert_eq!(next_page(PageRule::NextUrl, &url, &none, &info(1, Some("?after=9"), None, None)), to("https://api.test/v1/items?after=9"));
        assert_eq!(next_page(PageRule::NextUrl, &url, &none, &info(1, None, None, None)), Ok(None));
        assert!(next_page(PageRule::NextUrl, &url, &none, &info(1, Some("c2VjcmV0"), None, None)).is_err(), "a cursor is not a link");
        let mut linked = ::reqwest::header::HeaderMap::new();
        linked.insert(::reqwest::header::LINK, ::reqwest::header::HeaderValue::from_static("<https://other.test/p2>; rel=\"next\""));
        assert_eq!(next_page(PageRule::Link, &url, &linked, &info(1, None, None, None)), to("https://other.test/p2"));
        assert_eq!(next_page(PageRule::Link, &url, &none, &info(1, None, None, None)), Ok(None));
    }

    #[test]
    fn decode_errors_name_the_json_path_and_integral_floats_are_integers() {
        #[derive(Debug, ::serde::Deserialize)]
        struct Item {
            #[serde(deserialize_with = "whole")]
            n: i64,
            #[serde(default, deserialize_with = "whole")]
            m: ::std::option::Option<::std::vec::Vec<i32>>,
        }
        let items: ::std::vec::Vec<Item> = from_json(br#"[{"n": 3.0, "m": [1, -2.0]}, {"n": -9223372036854775808.0}]"#).unwrap();
        assert_eq!((items[0].n, items[0].m.clone(), items[1].n, items[1].m.clone()), (3, Some(vec![1, -2]), i64::MIN, None));
        let failure = |body: &[u8]| from_json::<::std::vec::Vec<Item>>(body).map(|_| ()).unwrap_err();
        assert_eq!(failure(br#"[{"n": 1}, {"n": 2.5}]"#).path, "[1].n");
        assert_eq!(failure(br#"[{"n": 1, "m": [1, 3000000000]}]"#).path, "[0].m[1]");
        assert_eq!(failure(br#"[{"n": 9223372036854775808.0}]"#).path, "[0].n");
        assert_eq!(failure(br#"[{"m": []}]"#).to_string(), "missing field `n` at line 1 column 10");
        let empty = failure(b" \n");
        assert!(empty.path.is_empty() && empty.error.is_none());
        assert_eq!(failure(b"[] x").to_string(), "trailing characters at line 1 column 4");
    }

    #[test]
    fn debug_output_never_shows_credentials() {
        let builder = Client::builder("http://127.0.0.1:9")
            .bearer("tok-SECRET-1")
            .api_key_header("x-api-key", "key-SECRET-2")
            .api_key_query("k", "q-SECRET-3")
            .basic("user", Some("pw-SECRET-4".to_owned()))
            .api_key_header_provider("x-other", |_| async { Ok::<_, ::std::io::Error>("key-SECRET-5") })
            .client_credentials("/token", "client-id", "cc-SECRET-6");
        let text = format!("{builder:?}");
        let text = format!("{text} {:?}", builder.build().unwrap());
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
