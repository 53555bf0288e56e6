//! Is the re-encoded value the example, up to lossless differences?
//!
//! The rule (also in the `examples` module docs): objects are compared
//! without regard to key order; numbers by value (`1.0` equals `1`, `1e3`
//! equals `1000`; integers exactly); strings exactly, except that two
//! RFC 3339 date-times naming the same instant are equal (`…+02:00` and the
//! UTC text the client sends) and two UUIDs with the same 128 bits are equal
//! (case, braces, `urn:uuid:` or no hyphens). Two numbers that are the same
//! 32-bit float are equal where the schema says `format: float` (the
//! caller checks the schema: [`Difference::same_f32`]), and a dropped key the
//! schema does not declare is ignored by the generated type (the caller
//! checks: [`Difference::dropped`]). Anything else is a difference:
//! a dropped or added key, `null` for an absent key or the other way round,
//! a changed value, an array of another length.

use serde_json::{Map, Number, Value};

/// One difference between an example and its re-encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// JSON pointer of the object that lost a key, or of the changed value.
    pub at: String,
    /// The key the object lost, for a dropped key.
    pub dropped: Option<String>,
    /// What changed, as a sentence.
    pub text: String,
    /// Two numbers that differ, but not as 32-bit floats (the same `f32`).
    pub same_f32: bool,
}

/// Every difference between `example` and `reencoded` by the rule above
/// (empty when they are equal).
pub fn differences(example: &Value, reencoded: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    diff(example, reencoded, &mut String::new(), &mut out);
    out
}

/// The first difference, as a sentence (for tests and messages).
pub fn difference(example: &Value, reencoded: &Value) -> Option<String> {
    differences(example, reencoded).into_iter().next().map(|d| d.text)
}

fn at(path: &str) -> String {
    if path.is_empty() { "the top level".to_owned() } else { path.to_owned() }
}

fn changed(out: &mut Vec<Difference>, path: &str, text: String) {
    out.push(Difference { at: path.to_owned(), dropped: None, text, same_f32: false });
}

fn diff(a: &Value, b: &Value, path: &mut String, out: &mut Vec<Difference>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => objects(a, b, path, out),
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return changed(out, path, format!("{} items became {} at {}", a.len(), b.len(), at(path)));
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                let len = path.len();
                path.push('/');
                path.push_str(&i.to_string());
                diff(x, y, path, out);
                path.truncate(len);
            }
        }
        (Value::Number(x), Value::Number(y)) => {
            if !numbers_equal(x, y) {
                let same_f32 = matches!((x.as_f64(), y.as_f64()), (Some(a), Some(b)) if a as f32 == b as f32);
                out.push(Difference { at: path.clone(), dropped: None, text: format!("{x} became {y} at {}", at(path)), same_f32 });
            }
        }
        (Value::String(x), Value::String(y)) => {
            if !strings_equal(x, y) {
                changed(out, path, format!("{} became {} at {}", short(a), short(b), at(path)));
            }
        }
        _ if a == b => {}
        _ => changed(out, path, format!("{} became {} at {}", short(a), short(b), at(path))),
    }
}

fn objects(a: &Map<String, Value>, b: &Map<String, Value>, path: &mut String, out: &mut Vec<Difference>) {
    for (k, x) in a {
        let len = path.len();
        path.push('/');
        path.push_str(&k.replace('~', "~0").replace('/', "~1"));
        match b.get(k) {
            None => out.push(Difference { at: path[..len].to_owned(), dropped: Some(k.clone()), text: format!("key dropped: {path}"), same_f32: false }),
            Some(y) => diff(x, y, path, out),
        }
        path.truncate(len);
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        changed(out, path, format!("key added: {path}/{}", k.replace('~', "~0").replace('/', "~1")));
    }
}

fn short(v: &Value) -> String {
    super::schema::one_line(&v.to_string()).chars().take(80).collect()
}

fn numbers_equal(x: &Number, y: &Number) -> bool {
    if let (Some(a), Some(b)) = (x.as_i64(), y.as_i64()) {
        return a == b;
    }
    if let (Some(a), Some(b)) = (x.as_u64(), y.as_u64()) {
        return a == b;
    }
    match (x.as_f64(), y.as_f64()) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

fn strings_equal(x: &str, y: &str) -> bool {
    if x == y {
        return true;
    }
    if let (Some(a), Some(b)) = (instant(x), instant(y)) {
        return a == b;
    }
    matches!((uuid(x), uuid(y)), (Some(a), Some(b)) if a == b)
}

/// An RFC 3339 date-time as (seconds since 1970 in UTC, nanoseconds); `None`
/// when the text is not one.
pub fn instant(text: &str) -> Option<(i64, u32)> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(range)?;
        s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse().ok()).flatten()
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        let end = start + b[start..].iter().take_while(|c| c.is_ascii_digit()).count();
        if end == start {
            return None;
        }
        let digits = &text[start..end.min(start + 9)];
        nanos = format!("{digits:0<9}").parse().ok()?;
        i = end;
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
            let minutes = num(i + 1..i + 3)? * 60 + num(i + 4..i + 6)?;
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    // Days from the civil date (proleptic Gregorian).
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset * 60, nanos))
}

/// A UUID's 128 bits from any of the usual texts.
fn uuid(text: &str) -> Option<u128> {
    let t = text.strip_prefix("urn:uuid:").unwrap_or(text);
    let t = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')).unwrap_or(t);
    let hex: String = if t.len() == 36 {
        let b = t.as_bytes();
        if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
            return None;
        }
        t.chars().filter(|c| *c != '-').collect()
    } else {
        t.to_owned()
    };
    if hex.len() != 32 || !hex.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lossless_differences_are_equal() {
        assert_eq!(difference(&json!({"a": 1, "b": [1.0, "x"]}), &json!({"b": [1, "x"], "a": 1.0})), None);
        assert_eq!(difference(&json!(1e3), &json!(1000)), None);
        assert_eq!(difference(&json!("2020-01-01T12:00:00+02:00"), &json!("2020-01-01T10:00:00Z")), None);
        assert_eq!(difference(&json!("2020-01-01T10:00:00.500Z"), &json!("2020-01-01T10:00:00.5Z")), None);
        assert_eq!(difference(&json!("3C90C3CC-0D44-4B50-8888-8DD25736052A"), &json!("3c90c3cc-0d44-4b50-8888-8dd25736052a")), None);
        assert_eq!(difference(&json!("3c90c3cc0d444b5088888dd25736052a"), &json!("3c90c3cc-0d44-4b50-8888-8dd25736052a")), None);
    }

    #[test]
    fn losses_are_named_with_their_place() {
        assert_eq!(difference(&json!({"a": {"b/c": 1}}), &json!({"a": {}})), Some("key dropped: /a/b~1c".to_owned()));
        assert_eq!(difference(&json!({}), &json!({"x": null})), Some("key added: /x".to_owned()));
        assert_eq!(difference(&json!([1, 2]), &json!([1])), Some("2 items became 1 at the top level".to_owned()));
        assert_eq!(difference(&json!({"n": 0.123456789}), &json!({"n": 0.12345679})), Some("0.123456789 became 0.12345679 at /n".to_owned()));
        assert!(difference(&json!("2020-01-01T10:00:00Z"), &json!("2020-01-01T10:00:01Z")).is_some());
        assert!(difference(&json!(9_007_199_254_740_993u64), &json!(9_007_199_254_740_992u64)).is_some());
        assert!(difference(&json!(null), &json!("")).is_some());
        let f32_only = differences(&json!({"m": 0.4000000059604645}), &json!({"m": 0.4}));
        assert_eq!((f32_only.len(), f32_only[0].same_f32, f32_only[0].at.as_str()), (1, true, "/m"));
        assert!(!differences(&json!(0.5), &json!(0.6))[0].same_f32);
    }

    #[test]
    fn date_times_are_read_as_instants() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(instant("1970-01-01T01:00:00+01:00"), Some((0, 0)));
        assert_eq!(instant("2000-03-01T00:00:00.25Z"), Some((951_868_800, 250_000_000)));
        assert_eq!(instant("2020-01-01"), None);
        assert_eq!(instant("2020-01-01T00:00:00"), None);
    }
}
