//! Snapshot tests: the full output for `spec/` and for every fixture spec
//! under `tests/fixtures/` (one small spec per feature), plus a test that
//! compiles every fixture's crate with clippy `-D warnings`.

use integration_tests::fixtures::{compile_all_with, crate_name, feature_runs, fixture_specs, generate, root, snapshot_text};

#[test]
fn nedzo_spec_output() {
    let generated = generate(&root().join("spec/openapi.yaml"));
    insta::assert_snapshot!("nedzo_client", snapshot_text(&generated));
}

#[test]
fn fixture_outputs() {
    let specs = fixture_specs();
    assert!(specs.len() >= 6, "fixtures missing: {specs:?}");
    for spec in specs {
        let name = spec.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let generated = generate(&spec);
        insta::assert_snapshot!(format!("fixture_{name}"), snapshot_text(&generated));
    }
}

/// Every fixture crate passes clippy `-D warnings`; one with per-tag
/// features (`config_features`) does with each feature alone, with none,
/// with `full` and with its defaults.
#[test]
fn fixture_crates_compile_without_warnings() {
    let crates: Vec<_> = fixture_specs().iter().map(|s| (crate_name(s), generate(s))).collect();
    let mut runs = vec![vec!["--workspace".to_owned()]];
    runs.extend(crates.iter().flat_map(|(name, generated)| feature_runs(name, generated)));
    assert!(runs.len() > 4, "no fixture has per-tag features");
    if let Err(output) = compile_all_with(&std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-check"), &crates, &runs) {
        panic!("generated fixture crates do not compile cleanly:\n{output}");
    }
}
