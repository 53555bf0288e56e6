//! The bad-spec catalogue: every document under `tests/bad-specs/` (and a few
//! generated at test time because they are large) must be rejected, and the
//! exact error text is pinned with insta.
//!
//! Files named `strict_*` hold defects the generator can work around (they
//! are warnings by default); they run with `Config { strict: true }`, where
//! every warning is a located error. Everything else must fail in the
//! default mode. `fuzz-found/` holds inputs the fuzzer once crashed on: they
//! must not panic and must not fail to render (they may generate or be rejected).

use std::path::{Path, PathBuf};

use integration_tests::fixtures::root;
use openapi_rust_gen::{Config, Error};

fn config(label: &str, strict: bool) -> Config {
    Config {
        crate_name: "bad-spec".to_owned(),
        crate_version: None,
        spec_label: label.to_owned(),
        regenerate: "cargo test -p integration-tests --test bad_specs".to_owned(),
        strict,
    }
}

/// Runs one bad document; returns the error text (panics if it generates).
fn reject(name: &str, bytes: &[u8], strict: bool) -> String {
    let label = format!("tests/bad-specs/{name}");
    let default = openapi_rust_gen::generate(bytes, &config(&label, false));
    if strict {
        // Recoverable in the default mode: it must generate (with warnings)…
        match &default {
            Ok(g) => assert!(!g.warnings.is_empty(), "{name}: generated without warnings; not a strict-mode case"),
            Err(e) => panic!("{name}: a strict_* document must generate in the default mode, got:\n{e}"),
        }
    }
    let result = if strict { openapi_rust_gen::generate(bytes, &config(&label, true)) } else { default };
    match result {
        Ok(_) => panic!("{name}: generated a crate; every document in the catalogue must be rejected"),
        Err(e @ Error::Spec { .. }) => e.to_string(),
        Err(e) => panic!("{name}: expected a spec error, got:\n{e}"),
    }
}

fn catalogue() -> Vec<PathBuf> {
    let dir = root().join("tests/bad-specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.') && n != "README.md")
        })
        .collect();
    files.sort();
    files
}

fn snapshot_name(file: &Path) -> String {
    file.file_name().map(|n| n.to_string_lossy().replace('.', "_")).unwrap_or_default()
}

#[test]
fn catalogue_documents_are_rejected_with_pinned_messages() {
    let files = catalogue();
    assert!(files.len() >= 40, "the catalogue has only {} documents", files.len());
    for file in &files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let message = reject(&name, &bytes, name.starts_with("strict_"));
        insta::assert_snapshot!(snapshot_name(file), message);
    }
}

/// A schema nested 10,000 levels deep (arrays of arrays of …).
fn deep_json(levels: usize) -> Vec<u8> {
    let mut s = String::from(r#"{"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": {}, "components": {"schemas": {"Deep": "#);
    for _ in 0..levels {
        s.push_str(r#"{"type": "array", "items": "#);
    }
    s.push_str(r#"{"type": "string"}"#);
    for _ in 0..levels {
        s.push('}');
    }
    s.push_str("}}}");
    s.into_bytes()
}

#[test]
fn deep_nesting_10k_json() {
    let message = reject("deep_nesting_10k.json (generated)", &deep_json(10_000), false);
    insta::assert_snapshot!("deep_nesting_10k_json", message);
}

#[test]
fn deep_nesting_10k_yaml() {
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep: ");
    s.push_str(&"[".repeat(10_000));
    s.push_str(&"]".repeat(10_000));
    s.push('\n');
    let message = reject("deep_nesting_10k.yaml (generated)", s.as_bytes(), false);
    insta::assert_snapshot!("deep_nesting_10k_yaml", message);
}

#[test]
fn string_of_50_mb() {
    let mut s = String::from(r#"{"openapi": "3.0.3", "info": {"title": "Big", "version": "1", "description": ""#);
    s.push_str(&"a".repeat(50 * 1024 * 1024));
    s.push_str(r#""}, "paths": {}}"#);
    let message = reject("string_50mb.json (generated)", s.as_bytes(), false);
    insta::assert_snapshot!("string_50mb_json", message);
}

#[test]
fn fuzz_found_inputs_do_not_panic() {
    let dir = root().join("tests/bad-specs/fuzz-found");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
        .collect();
    assert!(!files.is_empty(), "no fuzz-found inputs");
    files.sort();
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        match openapi_rust_gen::generate(&bytes, &config("fuzz-found", false)) {
            Ok(_) | Err(Error::Spec { .. }) => {}
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
}
