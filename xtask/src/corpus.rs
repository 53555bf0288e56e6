//! `cargo xtask corpus [DIR]`: generates a crate for every `*.json`/`*.yaml`
//! spec in DIR (default `../shared/corpus`, relative to the workspace root)
//! with the generator's command line, checks all of them with one
//! `cargo check` in one temporary workspace (`target/corpus/`, shared target
//! directory, the root `Cargo.lock` copied in to pin versions), and prints a
//! table: spec, generate ok, check ok, seconds, warnings, first error, and
//! the pass rate.
//!
//! A document fails when the generator rejects it, when its crate has a
//! compile error, or when the compiler warns about its generated code.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::Value;

/// The default corpus, relative to the workspace root.
pub const DEFAULT_DIR: &str = "../shared/corpus";

/// What happened to one spec.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The spec's file name.
    pub spec: String,
    /// The generated package name.
    pub crate_name: String,
    /// The generator exited with success.
    pub generated: bool,
    /// Seconds the generator took.
    pub generate_secs: f64,
    /// Warnings the generator printed (constructs replaced by a fallback).
    pub generator_warnings: usize,
    /// `Some(true)` when the crate checked without errors; `None` when not checked.
    pub checked: Option<bool>,
    /// Seconds `rustc` spent on the crate (from cargo's timing report), if known.
    pub check_secs: Option<f64>,
    /// Compiler warnings in the generated crate.
    pub rustc_warnings: usize,
    /// Compiler errors in the generated crate.
    pub rustc_errors: usize,
    /// The first error (generator or compiler), one line.
    pub first_error: Option<String>,
}

impl Row {
    /// Generated, checked, no compiler errors or warnings.
    pub fn passed(&self) -> bool {
        self.generated && self.checked == Some(true) && self.rustc_warnings == 0
    }
}

/// The result of a corpus run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One row per spec, sorted by file name.
    pub rows: Vec<Row>,
    /// Wall time of the whole run, in seconds.
    pub wall_secs: f64,
    /// Cargo's own failure (not attributable to one crate), if any.
    pub cargo_failure: Option<String>,
}

impl Report {
    /// `true` when every spec generated and checked cleanly.
    pub fn passed(&self) -> bool {
        self.cargo_failure.is_none() && !self.rows.is_empty() && self.rows.iter().all(Row::passed)
    }

    /// The table, the pass rates and the wall time.
    pub fn table(&self) -> String {
        let width = self.rows.iter().map(|r| r.spec.len()).max().unwrap_or(4).max(4);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{:width$}  {:>3}  {:>5}  {:>5}  {:>7}  {:>8}  {:>10}  first error",
            "spec", "gen", "check", "gen s", "check s", "gen warn", "rustc warn"
        );
        for r in &self.rows {
            let check = match r.checked {
                Some(true) if r.rustc_warnings == 0 => "ok",
                Some(true) => "warn",
                Some(false) => "FAIL",
                None => "-",
            };
            let check_secs = r.check_secs.map(|s| format!("{s:.1}")).unwrap_or_else(|| "-".to_owned());
            let _ = writeln!(
                out,
                "{:width$}  {:>3}  {:>5}  {:>5.1}  {:>7}  {:>8}  {:>10}  {}",
                r.spec,
                if r.generated { "ok" } else { "FAIL" },
                check,
                r.generate_secs,
                check_secs,
                r.generator_warnings,
                r.rustc_warnings,
                r.first_error.as_deref().unwrap_or(""),
            );
        }
        let total = self.rows.len();
        let generated = self.rows.iter().filter(|r| r.generated).count();
        let checked = self.rows.iter().filter(|r| r.checked == Some(true)).count();
        let clean = self.rows.iter().filter(|r| r.passed()).count();
        let fallbacks: usize = self.rows.iter().map(|r| r.generator_warnings).sum();
        let _ = writeln!(
            out,
            "\ngenerate: {generated}/{total} ({}), cargo check: {checked}/{total} ({}), without warnings: {clean}/{total} ({}); \
             {fallbacks} generator warnings; wall time {:.0}s",
            percent(generated, total),
            percent(checked, total),
            percent(clean, total),
            self.wall_secs
        );
        if let Some(f) = &self.cargo_failure {
            let _ = writeln!(out, "cargo failed outside the generated crates:\n{f}");
        }
        out
    }
}

fn percent(n: usize, total: usize) -> String {
    if total == 0 { "-".to_owned() } else { format!("{:.0}%", n as f64 * 100.0 / total as f64) }
}

/// The package name for a spec file: `corpus-` and the lower-cased stem with
/// every run of other characters turned into one `-`.
pub fn crate_name(spec: &Path) -> String {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec").to_ascii_lowercase();
    let mut name = String::from("corpus");
    for part in stem.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
        name.push('-');
        name.push_str(part);
    }
    name
}

/// The specs in `dir` (`*.json`, `*.yaml`, `*.yml`), sorted.
pub fn specs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut specs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("json" | "yaml" | "yml")))
        .collect();
    specs.sort();
    Ok(specs)
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

/// Builds the generator's binary and returns its path.
fn build_generator(root: &Path) -> Result<PathBuf, String> {
    let out = Command::new(cargo())
        .current_dir(root)
        .args(["build", "--quiet", "-p", "openapi-rust-gen", "--bin", "openapi-rust-gen", "--message-format", "json"])
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !out.status.success() {
        return Err("building openapi-rust-gen failed".to_owned());
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .find_map(|m| m["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| "cargo did not report the openapi-rust-gen executable".to_owned())
}

/// Runs the generator's CLI for one spec into `out`.
fn generate_one(generator: &Path, spec: &Path, out: &Path, row: &mut Row) {
    let start = Instant::now();
    let dir = spec.parent().unwrap_or(Path::new("."));
    let file = spec.file_name().map(PathBuf::from).unwrap_or_default();
    let result = Command::new(generator)
        .current_dir(dir)
        .arg("--spec")
        .arg(&file)
        .arg("--out")
        .arg(out)
        .arg("--crate-name")
        .arg(&row.crate_name)
        .output();
    row.generate_secs = start.elapsed().as_secs_f64();
    match result {
        Ok(output) => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            row.generator_warnings = stderr.lines().filter(|l| l.starts_with("warning[")).count();
            row.generated = output.status.success();
            if !row.generated {
                // The summary line names the file; the first problem says what is wrong.
                let lines: Vec<&str> = stderr.lines().filter(|l| !l.starts_with("warning[")).collect();
                let text = match lines.as_slice() {
                    [first, second, ..] if first.ends_with(':') || first.ends_with("problem:") || first.ends_with("problems:") => {
                        second.trim().to_owned()
                    }
                    [first, ..] => first.trim().to_owned(),
                    [] => format!("generator exited with {}", output.status),
                };
                row.first_error = Some(text);
            }
        }
        Err(e) => row.first_error = Some(format!("cannot run the generator: {e}")),
    }
}

/// Writes the temporary workspace manifest and the pinned lock file.
fn write_workspace(root: &Path, ws: &Path, members: &[&str]) -> Result<(), String> {
    let list: Vec<String> = members.iter().map(|m| format!("    \"crates/{m}\",")).collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`: every generated corpus crate, checked together.\n[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n",
        list.join("\n")
    );
    std::fs::write(ws.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write {}: {e}", ws.display()))?;
    std::fs::copy(root.join("Cargo.lock"), ws.join("Cargo.lock")).map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(())
}

/// One line of a rendered diagnostic: its message and first location.
fn one_line(message: &Value) -> String {
    let text = message["message"].as_str().unwrap_or("").to_owned();
    let span = message["spans"].as_array().and_then(|s| s.iter().find(|s| s["is_primary"] == true).or(s.first()));
    match span {
        Some(s) => format!(
            "{}:{}:{}: {text}",
            s["file_name"].as_str().unwrap_or("?"),
            s["line_start"].as_u64().unwrap_or(0),
            s["column_start"].as_u64().unwrap_or(0)
        ),
        None => text,
    }
}

/// Runs one `cargo check` over the workspace and fills in the rows.
fn check_all(ws: &Path, rows: &mut [Row], cargo_failure: &mut Option<String>) -> Result<(), String> {
    let by_name: BTreeMap<String, usize> =
        rows.iter().enumerate().filter(|(_, r)| r.generated).map(|(i, r)| (r.crate_name.clone(), i)).collect();
    if by_name.is_empty() {
        return Ok(());
    }
    let target = ws.join("target");
    let timings = target.join("cargo-timings/cargo-timing.html");
    let _ = std::fs::remove_file(&timings);
    let mut child = Command::new(cargo())
        .current_dir(ws)
        .args(["check", "--workspace", "--keep-going", "--message-format", "json", "--timings"])
        .env("CARGO_TARGET_DIR", &target)
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    // Cargo's progress lines go to stderr; keep the tail for a failure outside the crates.
    let stderr = child.stderr.take();
    let stderr_thread = std::thread::spawn(move || {
        let mut tail: Vec<String> = Vec::new();
        if let Some(stderr) = stderr {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{line}");
                tail.push(line);
                if tail.len() > 40 {
                    tail.remove(0);
                }
            }
        }
        tail
    });
    let mut finished = BTreeSet::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(msg) = serde_json::from_str::<Value>(&line) {
                record(&msg, &by_name, rows, &mut finished);
            }
        }
    }
    let status = child.wait().map_err(|e| format!("cargo check: {e}"))?;
    let tail = stderr_thread.join().unwrap_or_default();
    for (i, row) in rows.iter_mut().enumerate() {
        if row.generated {
            row.checked = Some(finished.contains(&i) && row.rustc_errors == 0);
        }
    }
    if !status.success() && rows.iter().all(|r| r.checked != Some(false)) {
        *cargo_failure = Some(tail.join("\n"));
    }
    if let Ok(html) = std::fs::read_to_string(&timings) {
        for (name, secs) in unit_durations(&html) {
            if let Some(&i) = by_name.get(&name) {
                rows[i].check_secs = Some(secs);
            }
        }
    }
    Ok(())
}

/// Records one of cargo's JSON messages against the row of its crate:
/// errors and warnings (the first one as the row's first error) and the
/// finished artifact. Messages about other packages are ignored.
fn record(msg: &Value, by_name: &BTreeMap<String, usize>, rows: &mut [Row], finished: &mut BTreeSet<usize>) {
    let Some(name) = msg["target"]["name"].as_str().map(|n| n.replace('_', "-")) else { return };
    let Some(&i) = by_name.get(&name) else { return };
    match msg["reason"].as_str() {
        Some("compiler-message") => {
            let level = msg["message"]["level"].as_str().unwrap_or("");
            let row = &mut rows[i];
            if level == "error" {
                // "aborting due to N previous errors" has no span: not counted.
                if msg["message"]["spans"].as_array().is_some_and(|s| !s.is_empty()) {
                    row.rustc_errors += 1;
                    if row.first_error.as_deref().is_none_or(|e| e.starts_with("warning: ")) {
                        row.first_error = Some(one_line(&msg["message"]));
                    }
                }
            } else if level == "warning" {
                row.rustc_warnings += 1;
                if row.first_error.is_none() {
                    row.first_error = Some(format!("warning: {}", one_line(&msg["message"])));
                }
            }
        }
        Some("compiler-artifact") => {
            finished.insert(i);
        }
        _ => {}
    }
}

/// Per-package durations from cargo's `--timings` report (its `UNIT_DATA`
/// table). Best effort: the report's format is cargo's, so nothing is
/// returned when it cannot be read.
fn unit_durations(html: &str) -> Vec<(String, f64)> {
    const START: &str = "const UNIT_DATA = ";
    let Some(start) = html.find(START).map(|i| i + START.len()) else { return Vec::new() };
    let Some(len) = html[start..].find("];") else { return Vec::new() };
    let Ok(Value::Array(units)) = serde_json::from_str::<Value>(&html[start..start + len + 1]) else {
        return Vec::new();
    };
    units
        .iter()
        .filter_map(|u| Some((u["name"].as_str()?.to_owned(), u["duration"].as_f64()?)))
        .collect()
}

/// Generates and checks every spec in `dir`; `dir` defaults to [`DEFAULT_DIR`].
pub fn corpus(root: &Path, dir: Option<&Path>) -> Result<Report, String> {
    let start = Instant::now();
    let dir = match dir {
        Some(d) => d.to_owned(),
        None => root.join(DEFAULT_DIR),
    };
    let dir = dir.canonicalize().map_err(|e| format!("cannot open {}: {e}", dir.display()))?;
    let specs = specs(&dir)?;
    if specs.is_empty() {
        return Err(format!("no *.json or *.yaml specs in {}", dir.display()));
    }
    eprintln!("corpus: {} specs in {}", specs.len(), dir.display());
    let generator = build_generator(root)?;
    let ws = target_dir(root).join("corpus");
    let crates = ws.join("crates");
    std::fs::create_dir_all(&crates).map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
    let mut rows: Vec<Row> = specs
        .iter()
        .map(|s| Row {
            spec: s.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            crate_name: crate_name(s),
            ..Row::default()
        })
        .collect();
    // Crates of specs no longer in the corpus (or that now fail) must not linger.
    if let Ok(entries) = std::fs::read_dir(&crates) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !rows.iter().any(|r| r.crate_name == name) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    for (spec, row) in specs.iter().zip(rows.iter_mut()) {
        let out = crates.join(&row.crate_name);
        generate_one(&generator, spec, &out, row);
        if !row.generated {
            let _ = std::fs::remove_dir_all(&out);
        }
    }
    let generated: Vec<&str> = rows.iter().filter(|r| r.generated).map(|r| r.crate_name.as_str()).collect();
    eprintln!("corpus: generated {}/{}; checking them in {}", generated.len(), rows.len(), ws.display());
    write_workspace(root, &ws, &generated)?;
    let mut cargo_failure = None;
    check_all(&ws, &mut rows, &mut cargo_failure)?;
    Ok(Report { rows, wall_secs: start.elapsed().as_secs_f64(), cargo_failure })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid_and_snake_case_clean() {
        assert_eq!(crate_name(Path::new("x/adobe.com--aem.json")), "corpus-adobe-com-aem");
        assert_eq!(crate_name(Path::new("Open_Banking v4.yaml")), "corpus-open-banking-v4");
    }

    #[test]
    fn timing_report_is_read() {
        let html = r#"<script>
const UNIT_DATA = [{"i":0,"name":"corpus-a","duration":1.5},{"i":1,"name":"serde","duration":0.2}];
</script>"#;
        assert_eq!(unit_durations(html), vec![("corpus-a".to_owned(), 1.5), ("serde".to_owned(), 0.2)]);
        assert!(unit_durations("no data").is_empty());
    }

    #[test]
    fn cargo_messages_are_attributed_to_their_crate() {
        let by_name: BTreeMap<String, usize> = [("corpus-a".to_owned(), 0), ("corpus-b".to_owned(), 1)].into();
        let mut rows = vec![Row { generated: true, ..Row::default() }, Row { generated: true, ..Row::default() }];
        let mut finished = BTreeSet::new();
        let span = r#"[{"file_name":"src/types.rs","line_start":3,"column_start":5,"is_primary":true}]"#;
        let lines = [
            format!(r#"{{"reason":"compiler-message","target":{{"name":"corpus_a"}},"message":{{"level":"warning","message":"unused","spans":{span}}}}}"#),
            format!(r#"{{"reason":"compiler-message","target":{{"name":"corpus_a"}},"message":{{"level":"error","message":"mismatched types","spans":{span}}}}}"#),
            r#"{"reason":"compiler-message","target":{"name":"corpus_a"},"message":{"level":"error","message":"aborting","spans":[]}}"#.to_owned(),
            r#"{"reason":"compiler-artifact","target":{"name":"corpus_b"}}"#.to_owned(),
            r#"{"reason":"compiler-artifact","target":{"name":"serde"}}"#.to_owned(),
        ];
        for line in &lines {
            record(&serde_json::from_str(line).unwrap(), &by_name, &mut rows, &mut finished);
        }
        assert_eq!((rows[0].rustc_errors, rows[0].rustc_warnings), (1, 1));
        assert_eq!(rows[0].first_error.as_deref(), Some("src/types.rs:3:5: mismatched types"));
        assert!(!finished.contains(&0) && finished.contains(&1));
        assert_eq!((rows[1].rustc_errors, rows[1].first_error.as_deref()), (0, None));
    }

    #[test]
    fn a_row_with_warnings_fails() {
        let mut row = Row { generated: true, checked: Some(true), ..Row::default() };
        assert!(row.passed());
        row.rustc_warnings = 1;
        assert!(!row.passed());
        let report = Report { rows: vec![row], ..Report::default() };
        assert!(!report.passed());
        assert!(report.table().contains("without warnings: 0/1 (0%)"));
    }
}
