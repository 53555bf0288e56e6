//! `cargo xtask pagination PATH…`: which operations of each spec (files, or
//! every `*.json`/`*.yaml` of a directory) the generator recognises as
//! paginated, and by which rule (see `openapi_rust_gen::model::build`'s
//! pagination module for the rules). `cargo xtask corpus` prints the same
//! counts per spec.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use openapi_rust_gen::model::{Api, PageSource};

/// How many operations of a spec are paginated, by rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Operations in the spec.
    pub operations: usize,
    /// Paginated operations per rule name (`link`, `cursor`, …; prefixed
    /// with the extension that said so, `x-fern cursor`).
    pub by_rule: BTreeMap<String, usize>,
}

impl Counts {
    /// Counts the paginated operations of a model.
    pub fn of(api: &Api) -> Self {
        let mut by_rule = BTreeMap::new();
        for p in api.operations.iter().filter_map(|o| o.pagination.as_ref()) {
            let name = match p.source {
                PageSource::Speakeasy => format!("x-speakeasy {}", p.rule.name()),
                PageSource::Fern => format!("x-fern {}", p.rule.name()),
                PageSource::Detected => p.rule.name().to_owned(),
            };
            *by_rule.entry(name).or_insert(0) += 1;
        }
        Counts { operations: api.operations.len(), by_rule }
    }

    /// Adds another spec's counts to these.
    pub fn add(&mut self, other: &Counts) {
        self.operations += other.operations;
        for (rule, n) in &other.by_rule {
            *self.by_rule.entry(rule.clone()).or_insert(0) += n;
        }
    }

    /// Paginated operations in all.
    pub fn paginated(&self) -> usize {
        self.by_rule.values().sum()
    }

    /// `12/40 (cursor 3, offset 9)`, or `0/40`.
    pub fn summary(&self) -> String {
        let mut out = format!("{}/{}", self.paginated(), self.operations);
        if !self.by_rule.is_empty() {
            let rules: Vec<String> = self.by_rule.iter().map(|(r, n)| format!("{r} {n}")).collect();
            let _ = write!(out, " ({})", rules.join(", "));
        }
        out
    }
}

/// The counts for one spec file.
pub fn count_file(spec: &Path) -> Result<Counts, String> {
    let bytes = std::fs::read(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let api = openapi_rust_gen::model_of(&bytes, &spec.display().to_string()).map_err(|e| e.to_string())?;
    Ok(Counts::of(&api))
}

/// `cargo xtask pagination PATH…`: one line per spec, then the totals.
pub fn report(paths: &[&Path]) -> Result<String, String> {
    let mut specs = Vec::new();
    for path in paths {
        if path.is_dir() {
            specs.extend(crate::corpus::specs(path)?);
        } else {
            specs.push(path.to_path_buf());
        }
    }
    if specs.is_empty() {
        return Err("usage: cargo xtask pagination SPEC_OR_DIR…".to_owned());
    }
    let width = specs.iter().map(|s| s.file_name().map_or(0, |n| n.len())).max().unwrap_or(4);
    let mut out = String::new();
    let mut total = Counts::default();
    for spec in &specs {
        let name = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        match count_file(spec) {
            Ok(c) => {
                let _ = writeln!(out, "{name:width$}  {}", c.summary());
                total.add(&c);
            }
            Err(e) => {
                let _ = writeln!(out, "{name:width$}  error: {}", e.lines().next().unwrap_or_default());
            }
        }
    }
    let _ = writeln!(out, "\npaginated operations: {}", total.summary());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_name_the_rule_and_the_extension_that_said_so() {
        let spec = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {
            "/a": {"get": {"parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}}}}}},
            "/b": {"get": {"x-fern-pagination": {"offset": "$request.page", "results": "$response.data"},
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": {"type": "object", "properties": {"data": {"type": "array", "items": {"type": "string"}}}}}}}}}},
            "/c": {"get": {"responses": {"200": {"description": ""}}}}}}"#;
        let api = openapi_rust_gen::model_of(spec, "t.json").unwrap();
        let counts = Counts::of(&api);
        assert_eq!(counts.summary(), "2/3 (page 1, x-fern offset 1)");
        assert_eq!(Counts { operations: 4, ..Counts::default() }.summary(), "0/4");
    }
}
