//! Spec evolution: the API change report and the versioning built on it.
//!
//! - every pair of fixture specs under `tests/fixtures/diff/<case>/` (one
//!   kind of change each; the case name starts with the expected level) has
//!   a snapshot of its report and of the version bump it causes;
//! - a realistic sequence of edits to `spec/openapi.yaml` is classified step
//!   by step;
//! - the xtask versioning flow (snapshot, version, changelog, check mode)
//!   runs in a temporary directory;
//! - every document in `../shared/corpus` is diffed against itself (no
//!   change) and against its neighbour, without panicking.

use std::fs;
use std::path::{Path, PathBuf};

use integration_tests::fixtures::root;
use openapi_rust_gen::diff::{Level, Report, diff, next_version};
use openapi_rust_gen::{diff_specs, model_of, output};

fn cases() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/diff");
    let mut cases: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The level a case name promises: `breaking-…`, `additive-…`, `docs-…`, `none-…`.
fn expected_level(case: &str) -> Option<Level> {
    match case.split('-').next() {
        Some("breaking") => Some(Level::Breaking),
        Some("additive") => Some(Level::Additive),
        Some("docs") => Some(Level::DocsOnly),
        Some("none") => None,
        _ => panic!("case {case} does not start with breaking-, additive-, docs- or none-"),
    }
}

fn report_of(dir: &Path) -> Report {
    let read = |name: &str| fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}/{name}: {e}", dir.display()));
    diff_specs(&read("old.yaml"), "old.yaml", &read("new.yaml"), "new.yaml").unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

fn with_bumps(report: &Report) -> String {
    let bump = |v: &str| next_version(v, report.level).unwrap_or_else(|e| panic!("{e}"));
    format!("{}\nversion: 1.4.2 → {}, 0.4.2 → {}\n", report.to_text(), bump("1.4.2"), bump("0.4.2"))
}

#[test]
fn every_kind_of_change_is_classified() {
    let cases = cases();
    assert!(cases.len() >= 40, "diff fixtures missing: {}", cases.len());
    for dir in cases {
        let case = dir.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let report = report_of(&dir);
        assert_eq!(report.level, expected_level(&case), "{case}:\n{}", report.to_text());
        assert_eq!(report.is_empty(), report.level.is_none(), "{case}");
        insta::assert_snapshot!(format!("diff_{case}"), with_bumps(&report));
    }
}

/// What `cargo xtask diff OLD NEW` prints for a spec change that only adds
/// an optional query parameter: additive, so the next version is a minor bump.
#[test]
fn xtask_diff_calls_a_new_optional_parameter_additive() {
    let dir = root().join("tests/fixtures/diff/additive-param-added-optional");
    let text = xtask::diff(&dir.join("old.yaml"), &dir.join("new.yaml"), false).expect("diff");
    assert!(text.starts_with("API change: additive (1 additive)\n"), "{text}");
    assert!(text.contains("setter `.expand(bool)` added (query parameter `expand`, optional)"), "{text}");
    let report = report_of(&dir);
    assert_eq!(next_version("1.4.2", report.level).expect("semver"), "1.5.0");
    assert_eq!(next_version("0.4.2", report.level).expect("semver"), "0.5.0");
}

#[test]
fn json_report() {
    let report = report_of(&root().join("tests/fixtures/diff/breaking-error-response-with-new-type"));
    let json = report.to_json();
    let value: serde_json::Value = serde_json::from_str(&json).expect("the JSON report parses");
    assert_eq!(value["level"], "breaking");
    assert_eq!(value["counts"]["breaking"], 1);
    assert_eq!(value["groups"][0]["scope"], "operation");
    insta::assert_snapshot!("diff_json", json);
}

#[test]
fn version_bumps() {
    let cases = [
        ("1.4.2", Some(Level::Breaking), "2.0.0"),
        ("1.4.2", Some(Level::Additive), "1.5.0"),
        ("1.4.2", Some(Level::DocsOnly), "1.4.3"),
        ("1.4.2", None, "1.4.2"),
        ("0.4.2", Some(Level::Breaking), "0.5.0"),
        ("0.4.2", Some(Level::Additive), "0.5.0"),
        ("0.4.2", Some(Level::DocsOnly), "0.4.3"),
        ("v2.0.0-beta.1", Some(Level::Additive), "2.1.0"),
    ];
    for (from, level, to) in cases {
        assert_eq!(next_version(from, level).as_deref(), Ok(to), "{from} {level:?}");
    }
    assert!(next_version("1.2", Some(Level::DocsOnly)).is_err());
    assert!(next_version("x.y.z", Some(Level::Breaking)).is_err());
}

/// Replaces exactly one occurrence of `from` (so a stale edit fails loudly).
fn edit(spec: &str, from: &str, to: &str) -> String {
    assert_eq!(spec.matches(from).count(), 1, "edit anchor not found exactly once: {from:?}");
    spec.replacen(from, to, 1)
}

/// One step of a spec edit sequence: what, the edit, the expected level, a line the report must contain.
type Step = (&'static str, Box<dyn Fn(&str) -> String>, Option<Level>, &'static str);

#[test]
fn realistic_sequence_of_spec_edits() {
    let original = fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec/openapi.yaml");
    let status_before = "        status:\n          type: string\n          nullable: true\n";
    let steps: Vec<Step> = vec![
        (
            "add an optional field to the request body",
            Box::new(|s| {
                edit(s, "      properties:\n        business_name:", "      properties:\n        nickname:\n          type: string\n          nullable: true\n        business_name:")
            }),
            Some(Level::Additive),
            "field `nickname` added: `Nullable<String>` (optional, nullable); build the struct with `..Default::default()`",
        ),
        (
            "turn the contact status into an enum",
            Box::new(move |s| edit(s, status_before, "        status:\n          type: string\n          nullable: true\n          enum: [Waiting]\n")),
            Some(Level::Breaking),
            "field `status` type changed: `Nullable<String>` → `Nullable<ContactStatus>`",
        ),
        (
            "add an enum value",
            Box::new(|s| edit(s, "enum: [Waiting]", "enum: [Waiting, Called]")),
            Some(Level::Additive),
            "value \"Called\" added (variant `Called`)",
        ),
        (
            "rename a response field",
            Box::new(|s| edit(s, "        job_title:\n          type: string\n          nullable: true\n          description: The job title or role of the contact within their organization.\n        dnc:\n          type: boolean\n          nullable: true\n          description: >-", "        title:\n          type: string\n          nullable: true\n          description: The job title or role of the contact within their organization.\n        dnc:\n          type: boolean\n          nullable: true\n          description: >-")),
            Some(Level::Breaking),
            "field `job_title` removed",
        ),
        (
            "make a request field required",
            Box::new(|s| edit(s, "        cleared.\n      properties:", "        cleared.\n      required: [email]\n      properties:")),
            Some(Level::Breaking),
            "field `email` now required: `Nullable<String>` → `Option<String>`",
        ),
        (
            "reword a description",
            Box::new(|s| edit(s, "Outcome of the most recent call to the contact.", "How the most recent call to the contact ended.")),
            Some(Level::DocsOnly),
            "field `most_recent_outcome`: documentation changed",
        ),
        (
            "add an optional query parameter",
            Box::new(|s| edit(s, "            format: uuid\n      requestBody:", "            format: uuid\n        - name: notify\n          in: query\n          schema:\n            type: boolean\n      requestBody:")),
            Some(Level::Additive),
            "setter `.notify(bool)` added (query parameter `notify`, optional)",
        ),
        (
            "make the query parameter required",
            Box::new(|s| edit(s, "        - name: notify\n          in: query\n", "        - name: notify\n          in: query\n          required: true\n")),
            Some(Level::Breaking),
            "query parameter `notify` is now required: argument `notify: &bool` (was the setter `.notify(..)`)",
        ),
    ];
    let mut spec = original.clone();
    let mut api = model_of(spec.as_bytes(), "spec/openapi.yaml").expect("the spec models");
    let mut version = "1.0.0".to_owned();
    let mut versions = vec![version.clone()];
    for (what, apply, level, message) in &steps {
        let next_spec = apply(&spec);
        let next_api = model_of(next_spec.as_bytes(), "spec/openapi.yaml").unwrap_or_else(|e| panic!("{what}: {e}"));
        let report = diff(&api, &next_api);
        assert_eq!(report.level, *level, "{what}:\n{}", report.to_text());
        assert!(report.to_text().contains(message), "{what}: expected {message:?} in\n{}", report.to_text());
        version = next_version(&version, report.level).expect("semver");
        versions.push(version.clone());
        // Nothing changes when the same spec is modelled again.
        assert!(diff(&next_api, &next_api).is_empty(), "{what}: self-diff not empty");
        (spec, api) = (next_spec, next_api);
    }
    assert_eq!(versions, ["1.0.0", "1.1.0", "2.0.0", "2.1.0", "3.0.0", "4.0.0", "4.0.1", "4.1.0", "5.0.0"]);
    // The request struct lost `Default` when `email` became required.
    let original_api = model_of(original.as_bytes(), "spec/openapi.yaml").expect("the spec models");
    let all = diff(&original_api, &api).to_text();
    assert!(all.contains("no longer implements `Default`"), "{all}");
}

/// Runs the xtask versioning flow on a copy of the spec in a temporary
/// workspace: first generation, idempotence, bumps, changelog, hand edits.
#[test]
fn versioning_flow() {
    let ws = Path::new(env!("CARGO_TARGET_TMPDIR")).join("versioning-flow");
    let _ = fs::remove_dir_all(&ws);
    fs::create_dir_all(ws.join("spec")).expect("temp dir");
    let spec_path = ws.join("spec/openapi.yaml");
    let original = fs::read_to_string(root().join("spec/openapi.yaml")).expect("spec/openapi.yaml");
    fs::write(&spec_path, &original).expect("write spec");
    let out = ws.join("client");
    let target = xtask::Target { spec: "spec/openapi.yaml", config: None, out: "client", crate_name: "demo-client", strict: true };
    let run = || xtask::versioning::generate(&ws, &target, "cargo xtask codegen").expect("generate");
    let write = |v: &xtask::versioning::Versioned| output::write(&out, &v.generated.files).expect("write");
    let stale = |v: &xtask::versioning::Versioned| output::stale(&out, &v.generated.files).expect("stale");
    let changelog = || fs::read_to_string(out.join("CHANGELOG.md")).expect("changelog");
    let cargo_version = || xtask::versioning::package_version(&fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml"));

    // First generation: version from info.version, a first changelog entry.
    let v = run();
    assert!(v.report.is_none());
    assert_eq!(v.version, "1.0.0");
    write(&v);
    assert!(changelog().contains("## 1.0.0\n\nFirst version generated from spec/openapi.yaml"), "{}", changelog());
    assert!(fs::read_to_string(out.join("openapi.yaml")).expect("snapshot").ends_with(&original));

    // Regenerating the same spec changes nothing (idempotent, check passes).
    let v = run();
    assert!(v.report.as_ref().is_some_and(Report::is_empty));
    assert_eq!(v.version, "1.0.0");
    assert!(stale(&v).is_empty(), "{:?}", stale(&v));

    // An additive edit: check mode sees the stale version, the write bumps the minor.
    fs::write(&spec_path, edit(&original, "      properties:\n        business_name:", "      properties:\n        nickname:\n          type: string\n        business_name:")).expect("edit");
    let v = run();
    assert_eq!(v.report.as_ref().and_then(|r| r.level), Some(Level::Additive));
    assert_eq!((v.previous.as_deref(), v.version.as_str()), (Some("1.0.0"), "1.1.0"));
    let stale_files = stale(&v);
    for f in ["CHANGELOG.md", "Cargo.toml", "openapi.yaml", "src/types.rs"] {
        assert!(stale_files.iter().any(|s| s == f), "{f} not stale: {stale_files:?}");
    }
    assert!(v.summary("demo-client").contains("demo-client: version 1.0.0 → 1.1.0"), "{}", v.summary("demo-client"));
    let demand = v.demand("demo-client");
    assert!(demand.contains("this spec change is additive, so the version must be 1.1.0 (committed: 1.0.0)"), "{demand}");
    write(&v);
    assert_eq!(cargo_version().as_deref(), Some("1.1.0"));
    assert!(stale(&run()).is_empty());

    // A version edited by hand in the generated Cargo.toml is stale: the changelog decides.
    let toml = fs::read_to_string(out.join("Cargo.toml")).expect("Cargo.toml");
    fs::write(out.join("Cargo.toml"), toml.replace("version = \"1.1.0\"", "version = \"9.9.9\"")).expect("hand edit");
    assert_eq!(stale(&run()), ["Cargo.toml"]);
    write(&run());
    assert_eq!(cargo_version().as_deref(), Some("1.1.0"));
    let text = changelog();
    let (new_entry, old_entry) = (text.find("## 1.1.0").expect("1.1.0 entry"), text.find("## 1.0.0").expect("1.0.0 entry"));
    assert!(new_entry < old_entry, "{text}");
    assert!(text.contains("**additive**: field `nickname` added"), "{text}");

    // Text added by hand is kept; a breaking edit bumps the major.
    fs::write(out.join("CHANGELOG.md"), text.replace("## 1.1.0\n", "## 1.1.0\n\nHand-written note.\n")).expect("hand edit");
    let spec = fs::read_to_string(&spec_path).expect("spec");
    fs::write(&spec_path, edit(&spec, "        phone:\n          type: string\n          nullable: true\n          description: The phone number of the contact.\n        job_title:", "        job_title:")).expect("edit");
    let v = run();
    assert_eq!(v.report.as_ref().and_then(|r| r.level), Some(Level::Breaking));
    assert_eq!(v.version, "2.0.0");
    write(&v);
    let text = changelog();
    assert!(text.contains("Hand-written note."), "{text}");
    assert!(text.find("## 2.0.0").expect("2.0.0") < text.find("## 1.1.0").expect("1.1.0"), "{text}");

    // A version chosen by hand: a new top entry, then regenerate.
    fs::write(out.join("CHANGELOG.md"), text.replace("## 2.0.0\n", "## 3.0.0\n\nStable release.\n\n## 2.0.0\n")).expect("hand edit");
    let v = run();
    assert_eq!(v.version, "3.0.0");
    assert!(v.report.as_ref().is_some_and(Report::is_empty));
    write(&v);
    assert_eq!(cargo_version().as_deref(), Some("3.0.0"));
    let _ = fs::remove_dir_all(&ws);
}

/// A target with a configuration file: the file is stored in the crate,
/// and a configuration change that changes the Rust API is versioned like
/// a spec change.
#[test]
fn versioning_follows_configuration_changes() {
    let ws = Path::new(env!("CARGO_TARGET_TMPDIR")).join("versioning-config");
    let _ = fs::remove_dir_all(&ws);
    fs::create_dir_all(ws.join("spec")).expect("temp dir");
    fs::copy(root().join("spec/openapi.yaml"), ws.join("spec/openapi.yaml")).expect("spec");
    let config = ws.join("spec/gen.toml");
    fs::write(&config, "[warnings]\nallow = [\"untyped-schema\"]\n").expect("config");
    let out = ws.join("client");
    let target = xtask::Target { spec: "spec/openapi.yaml", config: Some("spec/gen.toml"), out: "client", crate_name: "demo-client", strict: true };
    let run = || xtask::versioning::generate(&ws, &target, "cargo xtask codegen").expect("generate");
    let write = |v: &xtask::versioning::Versioned| output::write(&out, &v.generated.files).expect("write");

    let v = run();
    assert_eq!(v.version, "1.0.0");
    write(&v);
    let snapshot = fs::read_to_string(out.join(xtask::versioning::CONFIG_SNAPSHOT)).expect("config snapshot");
    assert!(snapshot.starts_with("# @generated") && snapshot.ends_with("allow = [\"untyped-schema\"]\n"), "{snapshot}");
    assert!(output::stale(&out, &run().generated.files).expect("stale").is_empty());

    // More derives: additive.
    fs::write(&config, "[derives]\nall = [\"Hash\"]\n").expect("config");
    let v = run();
    let text = v.report.as_ref().map(Report::to_text).unwrap_or_default();
    assert_eq!(v.report.as_ref().and_then(|r| r.level), Some(Level::Additive), "{text}");
    assert!(text.contains("now derives `std::hash::Hash`"), "{text}");
    assert_eq!(v.version, "1.1.0");
    write(&v);

    // Fewer: breaking.
    fs::write(&config, "").expect("config");
    let v = run();
    assert_eq!(v.report.as_ref().and_then(|r| r.level), Some(Level::Breaking));
    assert_eq!(v.version, "2.0.0");
    write(&v);

    // A configuration problem is reported with the file's name and key.
    fs::write(&config, "[filter]\ninclude_tags = [\"nope\"]\n").expect("config");
    let err = xtask::versioning::generate(&ws, &target, "cargo xtask codegen").expect_err("rejected");
    assert!(err.contains("spec/gen.toml: 1 problem:\n  at filter.include_tags[0] (line 2, column 17): no operation has the tag \"nope\""), "{err}");
    let _ = fs::remove_dir_all(&ws);
}

/// Every corpus document against itself (no change) and against the next
/// one (unrelated APIs: a large report), without panicking. Documents the
/// generator cannot model are skipped with their error.
#[test]
fn corpus_documents_diff_without_panicking() {
    let dir = root().join("../shared/corpus");
    let Ok(entries) = fs::read_dir(&dir) else {
        eprintln!("no corpus at {}; nothing to check", dir.display());
        return;
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")))
        .collect();
    paths.sort();
    let mut models = Vec::new();
    for p in &paths {
        let bytes = fs::read(p).expect("corpus file");
        match model_of(&bytes, &p.to_string_lossy()) {
            Ok(api) => models.push((p, api)),
            Err(e) => eprintln!("skipped (does not load): {}", e.to_string().lines().next().unwrap_or_default()),
        }
    }
    assert!(models.len() * 2 >= paths.len(), "most corpus documents should load: {} of {}", models.len(), paths.len());
    for (p, api) in &models {
        let report = diff(api, api);
        assert!(report.is_empty(), "{} differs from itself:\n{}", p.display(), report.to_text());
    }
    for pair in models.windows(2) {
        let [(a, old), (b, new)] = pair else { continue };
        let report = diff(old, new);
        assert!(report.level.is_some(), "{} → {}: unrelated APIs with no change", a.display(), b.display());
        assert!(!report.to_text().is_empty() && !report.to_json().is_empty());
        // What is added one way is removed the other way: the same items change.
        let reverse = diff(new, old);
        let names = |r: &Report| r.groups.iter().map(|g| (g.scope, g.name.clone())).collect::<Vec<_>>();
        assert_eq!(names(&report), names(&reverse), "{} ↔ {}", a.display(), b.display());
    }
}
