//! The `x-rust-type` schema extension (as typify defines it): a schema that
//! says which existing Rust type it is (`crate`, `version`, `path`) becomes
//! that type, and its crate a dependency of the generated crate.

use openapiv3::Schema;
use serde_json::Value;

use super::*;
use crate::error::WarningKind;

/// The extension's key.
pub const RUST_TYPE: &str = "x-rust-type";

/// Crates every Rust program has: no dependency to add.
const BUILT_IN: &[&str] = &["std", "core", "alloc"];

impl<'a> Builder<'a> {
    /// The type a schema's `x-rust-type` names, when it has a usable one
    /// (recording its crate as a dependency); a warning and `None` (the
    /// schema is modelled as usual) when it cannot be used.
    pub(super) fn rust_type(&mut self, s: &Schema, ptr: &str) -> Option<TypeRef> {
        let ext = s.schema_data.extensions.get(RUST_TYPE)?;
        let at = format!("{ptr}/{RUST_TYPE}");
        match parse(ext) {
            Ok((krate, version, path)) => {
                // A crate every generated crate has (chrono, uuid, …) is used as it is.
                if !BUILT_IN.contains(&krate.as_str()) && !crate::config_file::FIXED_DEPENDENCIES.contains(&krate.as_str()) {
                    let spec = crate::config_file::toml_string(&version);
                    match self.dependencies.iter().find(|d| d.name == krate) {
                        Some(d) if d.spec != spec => {
                            self.warn(
                                WarningKind::RustTypeExtension,
                                at,
                                format!("crate `{krate}` is asked for as version {spec} here and {} elsewhere; the first is used", d.spec),
                            );
                        }
                        Some(_) => {}
                        None => self.dependencies.push(Dependency { name: krate, spec }),
                    }
                }
                Some(TypeRef::External(path))
            }
            Err(why) => {
                self.warn(WarningKind::RustTypeExtension, at, format!("{why}; the schema is modelled as usual"));
                None
            }
        }
    }
}

/// `(crate, version, path)` of an `x-rust-type` value, or why it cannot be used.
fn parse(ext: &Value) -> Result<(String, String, String), String> {
    let Some(obj) = ext.as_object() else { return Err(format!("`{RUST_TYPE}` must be an object with `crate`, `version` and `path`")) };
    let field = |key: &str| match obj.get(key) {
        Some(Value::String(v)) if !v.trim().is_empty() => Ok(v.trim().to_owned()),
        _ => Err(format!("`{RUST_TYPE}` needs a non-empty string `{key}`")),
    };
    let (krate, version, path) = (field("crate")?, field("version")?, field("path")?);
    if let Some(other) = obj.keys().find(|k| !["crate", "version", "path", "parameters"].contains(&k.as_str())) {
        return Err(format!("`{RUST_TYPE}` has an unknown key `{other}`"));
    }
    if obj.get("parameters").and_then(Value::as_array).is_some_and(|p| !p.is_empty()) {
        return Err(format!("`{RUST_TYPE}` with generic `parameters` is not supported"));
    }
    if !krate.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("{krate:?} is not a crate name"));
    }
    let path = crate::naming::rust_path(&path).map_err(|why| format!("`path` {path:?} {why}"))?;
    let first = path.trim_start_matches("::").split("::").next().unwrap_or_default();
    if first != krate.replace('-', "_") {
        return Err(format!("`path` {path:?} is not in crate `{krate}`"));
    }
    Ok((krate, version, path))
}
