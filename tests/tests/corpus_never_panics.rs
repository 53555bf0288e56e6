//! Every fixture, bad spec and `../shared/corpus` document goes through the
//! whole pipeline without a panic or a render error: the result is a crate
//! (whose files all parsed as `syn::File` in render) or a located spec error.
//! The documents in `../shared/corpus-invalid` must be rejected with a pointer
//! or a line.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;

use integration_tests::fixtures::root;
use openapi_rust_gen::{Config, Error};

fn specs_in(dir: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(root().join(dir)) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json" | "txt")))
        .collect();
    out.sort();
    out
}

fn run(path: &PathBuf) -> Result<Result<(), Error>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let config = Config {
        crate_name: "corpus-client".to_owned(),
        crate_version: None,
        spec_label: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        regenerate: "cargo test".to_owned(),
        strict: false,
    };
    catch_unwind(AssertUnwindSafe(|| openapi_rust_gen::generate(&bytes, &config).map(|_| ())))
        .map_err(|_| format!("{}: the generator panicked", path.display()))
}

#[test]
fn every_document_generates_or_reports_a_spec_error() {
    let mut specs = specs_in("spec");
    specs.extend(specs_in("tests/fixtures"));
    specs.extend(specs_in("tests/bad-specs"));
    specs.extend(specs_in("../shared/corpus"));
    assert!(specs.len() >= 50, "too few documents found: {}", specs.len());
    let mut failures = Vec::new();
    for spec in &specs {
        match run(spec) {
            Ok(Ok(())) | Ok(Err(Error::Spec { .. })) => {}
            Ok(Err(e)) => failures.push(format!("{}: {e}", spec.display())),
            Err(panic) => failures.push(panic),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_corpus_documents_are_rejected_with_a_location() {
    for spec in specs_in("../shared/corpus-invalid") {
        match run(&spec) {
            Ok(Err(Error::Spec { problems, .. })) => {
                for p in &problems {
                    assert!(!p.pointer.is_empty() || p.line_col.is_some(), "{}: unlocated problem: {p}", spec.display());
                }
            }
            Ok(Ok(())) => panic!("{}: generated a crate from a broken document", spec.display()),
            Ok(Err(e)) => panic!("{}: {e}", spec.display()),
            Err(panic) => panic!("{panic}"),
        }
    }
}

/// `allOf` diamonds: `S{i}` is `allOf: [S{i-1}, S{i-1}]`, 30 levels. Walking
/// every path would take 2^30 steps; each referenced schema is merged once,
/// so this generates at once (a regression shows as a hang).
#[test]
fn diamond_all_of_chains_generate() {
    let mut schemas = serde_json::Map::new();
    schemas.insert("S0".to_owned(), serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}}));
    for i in 1..31 {
        let part = serde_json::json!({ "$ref": format!("#/components/schemas/S{}", i - 1) });
        schemas.insert(format!("S{i}"), serde_json::json!({ "allOf": [part.clone(), part] }));
    }
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Diamonds", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas}
    });
    let config = Config {
        crate_name: "diamonds".to_owned(),
        crate_version: None,
        spec_label: "diamonds.json".to_owned(),
        regenerate: "cargo test".to_owned(),
        strict: true,
    };
    let generated = openapi_rust_gen::generate(doc.to_string().as_bytes(), &config).unwrap_or_else(|e| panic!("{e}"));
    let types = &generated.files["src/types.rs"];
    assert!(types.contains("pub struct S30"), "{types}");
}

/// `allOf` merges that copy inline parts which merge again: `S{i}` is
/// `allOf: [S{i-1}, {properties: {p: {allOf: [S{i-1}, …]}}}]`, 24 levels.
/// Modelling each copy anew doubled the types per level (14 levels: 8.7 MB of
/// code, 438 MB of memory); an inline schema is modelled once and reused.
#[test]
fn nested_all_of_copies_are_modelled_once() {
    let mut schemas = serde_json::Map::new();
    schemas.insert("S0".to_owned(), serde_json::json!({"type": "object", "properties": {"a": {"type": "string"}}}));
    for i in 1..25 {
        let part = serde_json::json!({ "$ref": format!("#/components/schemas/S{}", i - 1) });
        let inner = serde_json::json!({ "allOf": [part.clone(), {"type": "object", "properties": {"q": {"type": "string"}}}] });
        schemas.insert(
            format!("S{i}"),
            serde_json::json!({ "allOf": [part, {"type": "object", "properties": { format!("p{i}"): inner }}] }),
        );
    }
    let doc = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Copies", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas}
    });
    let config = Config {
        crate_name: "copies".to_owned(),
        crate_version: None,
        spec_label: "copies.json".to_owned(),
        regenerate: "cargo test".to_owned(),
        strict: true,
    };
    let generated = openapi_rust_gen::generate(doc.to_string().as_bytes(), &config).unwrap_or_else(|e| panic!("{e}"));
    // One struct per component plus one per inline `p{i}`.
    assert!(generated.api.types.len() < 100, "{} types", generated.api.types.len());
}
