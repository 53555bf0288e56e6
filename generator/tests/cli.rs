//! The command line, run as a program: exit statuses (65 bad spec, 74 I/O,
//! 0 success), strict mode, output that is never half-written (a broken spec
//! or a failed write leaves the previous output byte-identical), and output
//! that is the same on every run and free of absolute paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_openapi-rust-gen");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("cannot create {}: {e}", dir.display()));
    dir
}

fn run(cwd: &Path, args: &[&str]) -> Output {
    Command::new(BIN).current_dir(cwd).args(args).output().unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir` (relative path → bytes), hidden entries included.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("cannot list {}: {e}", d.display())).flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&path).unwrap_or_default());
            }
        }
    }
    out
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

const GOOD: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\npaths:\n  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string}}\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {type: object, properties: {name: {type: string}}}\n";

const BROKEN: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\npaths:\n  /pets:\n    get:\n      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Missing\"}\n";

#[test]
fn bad_spec_exits_65_with_a_located_message_and_writes_nothing() {
    let dir = scratch("bad-spec");
    write(&dir.join("broken.yaml"), BROKEN);
    let out = run(&dir, &["--spec", "broken.yaml", "--out", "client", "--crate-name", "pets"]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("broken.yaml: 1 problem:"), "{err}");
    assert!(err.contains("at /paths/~1pets/get/responses/200/content/application~1json/schema:"), "{err}");
    assert!(!dir.join("client").exists(), "output written for a bad spec");
    let leftovers: Vec<_> = std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.file_name()).collect()).unwrap_or_default();
    assert_eq!(leftovers.len(), 1, "temporary files left behind: {leftovers:?}");
}

#[test]
fn unreadable_spec_exits_74() {
    let dir = scratch("io-error");
    let out = run(&dir, &["--spec", "no-such-file.yaml", "--out", "client", "--crate-name", "pets"]);
    assert_eq!(out.status.code(), Some(74), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read no-such-file.yaml"), "{}", stderr(&out));
}

#[test]
fn output_path_that_is_a_file_exits_74_and_keeps_the_file() {
    let dir = scratch("io-error-out");
    write(&dir.join("good.yaml"), GOOD);
    write(&dir.join("blocker"), "not a directory");
    let out = run(&dir, &["--spec", "good.yaml", "--out", "blocker/client", "--crate-name", "pets"]);
    assert_eq!(out.status.code(), Some(74), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(dir.join("blocker")).ok().as_deref(), Some("not a directory"));
}

#[test]
fn oversized_spec_is_rejected_without_reading_it() {
    let dir = scratch("oversized");
    // A sparse file: large on paper, nothing written.
    let file = std::fs::File::create(dir.join("huge.yaml")).unwrap_or_else(|e| panic!("{e}"));
    file.set_len(101 * 1024 * 1024).unwrap_or_else(|e| panic!("{e}"));
    let out = run(&dir, &["--spec", "huge.yaml", "--out", "client", "--crate-name", "huge"]);
    assert_eq!(out.status.code(), Some(65), "{}", stderr(&out));
    assert!(stderr(&out).contains("the document is 105906176 bytes; the limit is 104857600 bytes (100 MiB)"), "{}", stderr(&out));
}

#[test]
fn strict_mode_turns_warnings_into_errors() {
    let dir = scratch("strict");
    // `{id}` has no declared parameter: a warning by default, an error in strict mode.
    write(&dir.join("loose.yaml"), "openapi: 3.0.3\ninfo: {title: Loose, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      responses:\n        '204': {description: ok}\n");
    let relaxed = run(&dir, &["--spec", "loose.yaml", "--out", "relaxed", "--crate-name", "loose"]);
    assert_eq!(relaxed.status.code(), Some(0), "{}", stderr(&relaxed));
    assert!(stderr(&relaxed).contains("warning[path-template]: at /paths/~1pets~1{id}/get: path template"), "{}", stderr(&relaxed));
    let strict = run(&dir, &["--spec", "loose.yaml", "--out", "strict", "--crate-name", "loose", "--strict"]);
    assert_eq!(strict.status.code(), Some(65), "{}", stderr(&strict));
    assert!(stderr(&strict).contains("[path-template; strict mode: warnings are errors]"), "{}", stderr(&strict));
    assert!(!dir.join("strict").exists());
}

#[test]
fn broken_spec_over_good_output_leaves_it_byte_identical() {
    let dir = scratch("atomic");
    write(&dir.join("good.yaml"), GOOD);
    write(&dir.join("broken.yaml"), BROKEN);
    let first = run(&dir, &["--spec", "good.yaml", "--out", "client", "--crate-name", "pets"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    // A hand-written file next to the generated ones.
    std::fs::create_dir_all(dir.join("client/examples")).unwrap_or_else(|e| panic!("{e}"));
    write(&dir.join("client/examples/demo.rs"), "fn main() {}\n");
    let before = tree(&dir.join("client"));
    assert!(before.contains_key("src/lib.rs") && before.contains_key("examples/demo.rs"), "{:?}", before.keys());
    let second = run(&dir, &["--spec", "broken.yaml", "--out", "client", "--crate-name", "pets"]);
    assert_eq!(second.status.code(), Some(65), "{}", stderr(&second));
    assert_eq!(tree(&dir.join("client")), before, "a failed generation changed the previous output");
    let entries: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(entries.iter().all(|e| !e.starts_with('.')), "temporary directories left behind: {entries:?}");
}

#[test]
fn failure_while_writing_leaves_the_previous_output_intact() {
    let dir = scratch("atomic-write");
    let out = dir.join("client");
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), "[package]\n".to_owned());
    files.insert("src/lib.rs".to_owned(), "// @generated by openapi-rust-gen\n".to_owned());
    openapi_rust_gen::output::write(&out, &files).unwrap_or_else(|e| panic!("{e}"));
    let before = tree(&out);
    // `src/lib.rs` is a file, so `src/lib.rs/extra.rs` cannot be written: the
    // write fails after other files of the new output were already written.
    let mut bad = BTreeMap::new();
    bad.insert("Cargo.toml".to_owned(), "[package]\nname = \"changed\"\n".to_owned());
    bad.insert("src/lib.rs".to_owned(), "// changed\n".to_owned());
    bad.insert("src/lib.rs/extra.rs".to_owned(), "// cannot exist\n".to_owned());
    let err = openapi_rust_gen::output::write(&out, &bad).err();
    assert!(matches!(err, Some(openapi_rust_gen::Error::Io { .. })), "{err:?}");
    assert_eq!(tree(&out), before, "a failed write changed the previous output");
    let entries: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert_eq!(entries, vec!["client".to_owned()], "temporary directories left behind");
}

#[test]
fn output_is_identical_across_runs_and_has_no_absolute_paths() {
    let dir = scratch("deterministic");
    let spec = root().join("spec/openapi.yaml");
    let spec_abs = spec.to_string_lossy().into_owned();
    let out_a = dir.join("a");
    let out_b = dir.join("b");
    let a = run(&dir, &["--spec", &spec_abs, "--out", &out_a.to_string_lossy(), "--crate-name", "nedzo-client", "-q"]);
    assert_eq!(a.status.code(), Some(0), "{}", stderr(&a));
    // Timestamps with one-second resolution would differ between the runs.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = run(&dir, &["--spec", &spec_abs, "--out", &out_b.to_string_lossy(), "--crate-name", "nedzo-client", "-q"]);
    assert_eq!(b.status.code(), Some(0), "{}", stderr(&b));
    let (ta, tb) = (tree(&out_a), tree(&out_b));
    assert!(!ta.is_empty());
    // The two outputs differ only in the `--out` name in the header's regenerate command.
    for (path, bytes) in &ta {
        let text = String::from_utf8_lossy(bytes);
        let other = String::from_utf8_lossy(tb.get(path).map(Vec::as_slice).unwrap_or_default()).replace("--out b ", "--out a ");
        assert_eq!(text, other, "{path} differs between runs");
        for absolute in [spec_abs.as_str(), &dir.to_string_lossy(), &root().to_string_lossy()] {
            assert!(!text.contains(absolute), "{path} contains the absolute path {absolute}");
        }
    }
}

#[test]
fn output_is_identical_across_threads() {
    let spec = std::fs::read(root().join("spec/openapi.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let config = openapi_rust_gen::Config {
        crate_name: "nedzo-client".to_owned(),
        crate_version: None,
        spec_label: "spec/openapi.yaml".to_owned(),
        regenerate: "cargo xtask codegen".to_owned(),
        strict: false,
    };
    let reference = openapi_rust_gen::generate(&spec, &config).unwrap_or_else(|e| panic!("{e}")).files;
    let results: Vec<BTreeMap<String, String>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| s.spawn(|| openapi_rust_gen::generate(&spec, &config).map(|g| g.files).map_err(|e| e.to_string())))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err("panicked".to_owned())).unwrap_or_else(|e| panic!("{e}"))).collect()
    });
    for files in results {
        assert_eq!(files, reference, "output differs between threads");
    }
}

#[test]
fn crate_version_is_checked_and_written() {
    let dir = scratch("crate-version");
    write(&dir.join("api.yaml"), &GOOD.replace("version: 1.0.0", "version: v2"));
    let version_of = |out: &str| {
        let toml = std::fs::read_to_string(dir.join(out).join("Cargo.toml")).expect("Cargo.toml");
        toml.lines().find_map(|l| l.strip_prefix("version = ").map(str::to_owned)).unwrap_or_default()
    };
    // From info.version when none is given (`v2` → 2.0.0).
    let out = run(&dir, &["--spec", "api.yaml", "--out", "a", "--crate-name", "a"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(version_of("a"), "\"2.0.0\"");
    // Given: pre-release and build metadata kept, the `v` dropped.
    let out = run(&dir, &["--spec", "api.yaml", "--out", "b", "--crate-name", "b", "--crate-version", "v1.2.3-rc.1+build.5"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(version_of("b"), "\"1.2.3-rc.1+build.5\"");
    // Not a version Cargo accepts: a usage error naming it, nothing written.
    for bad in ["1.2", "2023-01-01", "01.2.3"] {
        let out = run(&dir, &["--spec", "api.yaml", "--out", "c", "--crate-name", "c", "--crate-version", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}: {}", stderr(&out));
        assert!(stderr(&out).contains(&format!("version `{bad}` is not MAJOR.MINOR.PATCH")), "{}", stderr(&out));
        assert!(!dir.join("c").exists());
    }
}

#[test]
fn config_problems_exit_78_with_every_problem_located_and_nothing_written() {
    let dir = scratch("config-errors");
    write(&dir.join("good.yaml"), GOOD);
    // Problems found reading the file and problems found against the spec, together.
    write(
        &dir.join("gen.toml"),
        "[filter]\ninclude_tags = [\"pets\"]\ninclude_operations = [\"get[Pet]\", \"list*\"]\n\n[replace]\nMissing = { path = \"std::net::IpAddr\" }\n\n[warnings]\ndeny = [\"no-such-kind\"]\n\n[colour]\n",
    );
    let out = run(&dir, &["--spec", "good.yaml", "--out", "client", "--crate-name", "pets", "--config", "gen.toml"]);
    assert_eq!(out.status.code(), Some(78), "{}", stderr(&out));
    let err = stderr(&out);
    let expected = [
        "error: gen.toml: 6 problems:",
        "  at filter.include_tags[0] (line 2, column 17): no operation has the tag \"pets\"; the tags are: none",
        "  at filter.include_operations[0] (line 3, column 23): bad glob \"get[Pet]\": `[` is not glob syntax here: only `*` (any characters) and `?` (one character) are special",
        "  at filter.include_operations[1] (line 3, column 35): \"list*\" matches no operationId",
        "  at replace.Missing (line 6, column 1): no generated type is named `Missing` (use the Rust type name, or `#/components/schemas/NAME`)",
    ];
    for line in expected {
        assert!(err.contains(line), "missing {line:?} in:\n{err}");
    }
    assert!(err.contains("  at warnings.deny[0] (line 9, column 9): unknown warning code \"no-such-kind\"; the codes are: untyped-schema,"), "{err}");
    assert!(err.contains("  at colour (line 11, column 2): unknown key `colour`; expected one of: filter, replace, derives, features, warnings"), "{err}");
    assert!(!dir.join("client").exists(), "output written for a bad configuration");
}

#[test]
fn missing_config_file_exits_74() {
    let dir = scratch("config-missing");
    write(&dir.join("good.yaml"), GOOD);
    let out = run(&dir, &["--spec", "good.yaml", "--out", "client", "--crate-name", "pets", "--config", "nope.toml"]);
    assert_eq!(out.status.code(), Some(74), "{}", stderr(&out));
    assert!(stderr(&out).contains("cannot read nope.toml"), "{}", stderr(&out));
    assert!(!dir.join("client").exists());
}

#[test]
fn config_denies_and_allows_warning_kinds() {
    let dir = scratch("config-warnings");
    write(&dir.join("loose.yaml"), "openapi: 3.0.3\ninfo: {title: Loose, version: '1'}\npaths:\n  /pets/{id}:\n    get:\n      responses:\n        '204': {description: ok}\n");
    write(&dir.join("deny.toml"), "[warnings]\ndeny = [\"path-template\"]\n");
    let denied = run(&dir, &["--spec", "loose.yaml", "--out", "denied", "--crate-name", "loose", "--config", "deny.toml"]);
    assert_eq!(denied.status.code(), Some(65), "{}", stderr(&denied));
    assert!(stderr(&denied).contains("[path-template; denied by the configuration]"), "{}", stderr(&denied));
    assert!(!dir.join("denied").exists());
    // Allowed: not printed, and `--strict` does not deny it either.
    write(&dir.join("allow.toml"), "[warnings]\nallow = [\"path-template\"]\n");
    let allowed = run(&dir, &["--spec", "loose.yaml", "--out", "allowed", "--crate-name", "loose", "--config", "allow.toml", "--strict"]);
    assert_eq!(allowed.status.code(), Some(0), "{}", stderr(&allowed));
    assert!(!stderr(&allowed).contains("warning"), "{}", stderr(&allowed));
    // The configuration file is part of the command named in every generated file.
    let lib = std::fs::read_to_string(dir.join("allowed/src/lib.rs")).unwrap_or_default();
    assert!(lib.starts_with("// @generated by openapi-rust-gen from loose.yaml; do not edit. Regenerate with: openapi-rust-gen --spec loose.yaml --out allowed --crate-name loose --config allow.toml\n"), "{lib}");
}
