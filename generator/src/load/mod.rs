//! Stage 1, load: spec text → JSON value → normalized 3.0 shape → typed
//! `openapiv3::OpenAPI`, plus `$ref` resolution ([`resolve`]).
//!
//! This stage knows document formats and OpenAPI versions; it does not know
//! Rust.

pub mod normalize;
pub mod resolve;

use serde_json::Value;

use crate::error::{Error, Problem};

/// Largest spec accepted, in bytes.
pub const MAX_SPEC_BYTES: usize = 100 * 1024 * 1024;

/// A parsed spec: the typed document and the (normalized) value it came from.
pub struct Loaded {
    /// The typed document.
    pub api: openapiv3::OpenAPI,
    /// `true` when the source declared OpenAPI 3.1.
    pub is_31: bool,
    /// What normalization could not keep exactly.
    pub warnings: Vec<crate::error::Warning>,
}

/// Parses spec bytes (JSON or YAML, detected from the content) into a JSON value.
pub fn parse_text(bytes: &[u8], origin: &str) -> Result<Value, Error> {
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(Error::spec(
            origin,
            Problem::new("", format!("the document is {} bytes; the limit is {MAX_SPEC_BYTES}", bytes.len())),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let before = &bytes[..e.valid_up_to()];
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let col = before.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        let mut p = Problem::new("", format!("the document is not valid UTF-8 (invalid byte at offset {})", e.valid_up_to()));
        p.line_col = Some((line, col));
        Error::spec(origin, p)
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::spec(origin, Problem::new("", "the document is empty; expected an OpenAPI 3.0 or 3.1 document")));
    }
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            let mut p = Problem::new("", format!("invalid JSON: {e}"));
            p.line_col = Some((e.line(), e.column()));
            Error::spec(origin, p)
        })
    } else {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
            let mut p = Problem::new("", format!("invalid YAML: {e}"));
            p.line_col = e.location().map(|l| (l.line(), l.column()));
            Error::spec(origin, p)
        })?;
        yaml_to_json(yaml, "").map_err(|p| Error::spec(origin, p))
    }
}

/// Converts YAML to JSON, turning non-string keys (`200:`) into strings.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, Problem> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| Problem::new(pointer, format!("the number {f} cannot be represented in JSON")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| yaml_to_json(v, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => return Err(Problem::new(pointer, "a mapping key is not a string, number or boolean")),
                };
                let child = format!("{pointer}/{}", crate::error::pointer_token(&key));
                let v = yaml_to_json(v, &child)?;
                out.insert(key, v);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Reads, normalizes and parses a spec.
pub fn load(bytes: &[u8], origin: &str) -> Result<Loaded, Error> {
    let mut value = parse_text(bytes, origin)?;
    let normalized = normalize::normalize(&mut value).map_err(|problems| Error::Spec { origin: origin.to_owned(), problems })?;
    if let Some(problem) = resolve::external_refs_problem(&value) {
        return Err(Error::spec(origin, problem));
    }
    let api: openapiv3::OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        let pointer = path_to_pointer(e.path());
        Error::spec(origin, Problem::new(pointer, format!("not a valid OpenAPI 3.0 document here: {}", e.inner())))
    })?;
    Ok(Loaded { api, is_31: normalized.is_31, warnings: normalized.warnings })
}

/// Turns serde_path_to_error's path into a JSON pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        out.push('/');
        match segment {
            Segment::Seq { index } => out.push_str(&index.to_string()),
            Segment::Map { key } => out.push_str(&crate::error::pointer_token(key)),
            Segment::Enum { variant } => out.push_str(&crate::error::pointer_token(variant)),
            Segment::Unknown => out.push('?'),
        }
    }
    out
}
