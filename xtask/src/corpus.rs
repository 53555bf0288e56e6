//! `cargo xtask corpus [DIR]`: generates a crate for every `*.json`/`*.yaml`
//! spec in DIR (default `../shared/corpus`, relative to the workspace root)
//! with the generator library, in this process (what the command line runs:
//! `generate_file`, then `output::write`), checks all of them with one
//! `cargo check` in one scratch workspace ([`crate::scratch`], in
//! `target/corpus/`), and prints a table: spec, generate ok, check ok,
//! seconds, warnings, first error, and the pass rate; then the
//! paginated operations of each spec by rule ([`crate::pagination`]); then
//! the generator's warnings by kind (`WarningKind` codes), per spec and in
//! total.
//!
//! A document fails when the generator rejects it (or panics), when its
//! crate has a compile error, or when the compiler warns about its
//! generated code. Generator warnings (fallbacks) are counted, not failures.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use openapi_rust_gen::{Config, Error, Warning, WarningKind};
use serde_json::Value;

use crate::scratch::{CargoRun, Scratch};

/// The default corpus, relative to the workspace root.
pub const DEFAULT_DIR: &str = "../shared/corpus";

/// What happened to one spec.
#[derive(Debug, Clone, Default)]
pub struct Row {
    /// The spec's file name.
    pub spec: String,
    /// The generated package name.
    pub crate_name: String,
    /// The generator succeeded.
    pub generated: bool,
    /// Seconds the generator took (generating and writing the crate).
    pub generate_secs: f64,
    /// The generator's warnings (constructs replaced by a fallback), by kind.
    pub warnings: BTreeMap<WarningKind, usize>,
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
    /// Paginated operations by rule (see [`crate::pagination`]), when the spec generated.
    pub pagination: Option<crate::pagination::Counts>,
}

impl Row {
    /// Generated, checked, no compiler errors or warnings.
    pub fn passed(&self) -> bool {
        self.generated && self.checked == Some(true) && self.rustc_warnings == 0
    }

    /// How many warnings the generator gave.
    pub fn generator_warnings(&self) -> usize {
        self.warnings.values().sum()
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
                r.generator_warnings(),
                r.rustc_warnings,
                r.first_error.as_deref().unwrap_or(""),
            );
        }
        let total = self.rows.len();
        let generated = self.rows.iter().filter(|r| r.generated).count();
        let checked = self.rows.iter().filter(|r| r.checked == Some(true)).count();
        let clean = self.rows.iter().filter(|r| r.passed()).count();
        let fallbacks: usize = self.rows.iter().map(Row::generator_warnings).sum();
        let _ = writeln!(
            out,
            "\ngenerate: {generated}/{total} ({}), cargo check: {checked}/{total} ({}), without warnings: {clean}/{total} ({}); \
             {fallbacks} generator warnings; wall time {:.0}s",
            percent(generated, total),
            percent(checked, total),
            percent(clean, total),
            self.wall_secs
        );
        out.push_str(&self.paginated());
        out.push_str(&self.warnings_by_kind());
        if let Some(f) = &self.cargo_failure {
            let _ = writeln!(out, "cargo failed outside the generated crates:\n{f}");
        }
        out
    }

    /// Paginated operations per spec (`12/40 (cursor 3, offset 9)`) and in all.
    pub fn paginated(&self) -> String {
        let width = self.rows.iter().map(|r| r.spec.len()).max().unwrap_or(4).max(4);
        let mut out = String::from("\npaginated operations (paginated/all, by rule):\n");
        let mut all = crate::pagination::Counts::default();
        for r in &self.rows {
            let Some(p) = &r.pagination else { continue };
            let _ = writeln!(out, "{:width$}  {}", r.spec, p.summary());
            all.add(p);
        }
        let _ = writeln!(out, "{:width$}  {}", "all", all.summary());
        out
    }

    /// The generator's warnings of all specs, by kind.
    pub fn warning_totals(&self) -> BTreeMap<WarningKind, usize> {
        let mut totals = BTreeMap::new();
        for (kind, n) in self.rows.iter().flat_map(|r| &r.warnings) {
            *totals.entry(*kind).or_insert(0) += n;
        }
        totals
    }

    /// The generator's warnings by kind: one line per spec that has any,
    /// then the totals (most frequent kind first).
    pub fn warnings_by_kind(&self) -> String {
        let mut out = String::new();
        let width = self.rows.iter().map(|r| r.spec.len()).max().unwrap_or(0);
        let _ = writeln!(out, "\ngenerator warnings by kind:");
        for r in self.rows.iter().filter(|r| !r.warnings.is_empty()) {
            let _ = writeln!(out, "  {:width$}  {}", r.spec, by_kind(&r.warnings));
        }
        let totals = self.warning_totals();
        let _ = writeln!(out, "  {:width$}  {}", "total", if totals.is_empty() { "none".to_owned() } else { by_kind(&totals) });
        out
    }
}

/// `untyped-schema 40, binary-part 15`: most frequent first, then by code.
fn by_kind(counts: &BTreeMap<WarningKind, usize>) -> String {
    let mut counts: Vec<(WarningKind, usize)> = counts.iter().map(|(k, n)| (*k, *n)).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code().cmp(b.0.code())));
    counts.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", ")
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

/// Generates the crate for one spec in this process and writes it as a
/// member of the scratch workspace; fills in the row's generator columns.
/// A panic (a generator bug) is caught and reported as the row's error.
fn generate_one(spec: &Path, ws: &mut Scratch, row: &mut Row) {
    let start = Instant::now();
    let label = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let config = Config {
        crate_name: row.crate_name.clone(),
        crate_version: None,
        spec_label: label.clone(),
        regenerate: format!("cargo xtask corpus ({label})"),
        strict: false,
    };
    let result = catch_unwind(AssertUnwindSafe(|| openapi_rust_gen::generate_file(spec, &config)));
    let written = match result {
        Ok(Ok(generated)) => {
            row.warnings = count_by_kind(&generated.warnings);
            row.pagination = Some(crate::pagination::Counts::of(&generated.api));
            ws.add(&row.crate_name, &generated.files)
        }
        // The first problem says what is wrong (the summary line only names the file).
        Ok(Err(Error::Spec { problems, .. })) => {
            Err(problems.first().map(ToString::to_string).unwrap_or_else(|| "the spec was rejected".to_owned()))
        }
        Ok(Err(e)) => Err(e.to_string().lines().next().unwrap_or_default().to_owned()),
        Err(panic) => {
            let message = panic.downcast_ref::<&str>().map(|s| (*s).to_owned()).or_else(|| panic.downcast_ref::<String>().cloned());
            Err(format!("generator panicked: {}", message.unwrap_or_default()))
        }
    };
    row.generate_secs = start.elapsed().as_secs_f64();
    match written {
        Ok(_) => row.generated = true,
        Err(e) => row.first_error = Some(e),
    }
}

/// How many warnings of each kind.
pub fn count_by_kind(warnings: &[Warning]) -> BTreeMap<WarningKind, usize> {
    let mut counts = BTreeMap::new();
    for w in warnings {
        *counts.entry(w.kind).or_insert(0) += 1;
    }
    counts
}

/// Runs one `cargo check` over the workspace and fills in the rows.
fn check_all(ws: &Scratch, rows: &mut [Row], cargo_failure: &mut Option<String>) -> Result<(), String> {
    if ws.members().is_empty() {
        return Ok(());
    }
    let timings = ws.target_dir().join("cargo-timings/cargo-timing.html");
    let _ = std::fs::remove_file(&timings);
    let run = ws.run(&["check", "--workspace", "--keep-going", "--timings"], &[])?;
    record(&run, rows, cargo_failure);
    if let Ok(html) = std::fs::read_to_string(&timings) {
        for (name, secs) in unit_durations(&html) {
            if let Some(row) = rows.iter_mut().find(|r| r.generated && r.crate_name == name) {
                row.check_secs = Some(secs);
            }
        }
    }
    Ok(())
}

/// Fills in the compiler columns of every generated row from cargo's run:
/// checked when the crate was built without errors; the first error (else
/// the first warning) as the row's first error. A failed run in which no
/// crate failed is cargo's own failure (its stderr tail is kept).
fn record(run: &CargoRun, rows: &mut [Row], cargo_failure: &mut Option<String>) {
    for row in rows.iter_mut().filter(|r| r.generated) {
        let krate = run.crates.get(&row.crate_name).cloned().unwrap_or_default();
        row.rustc_errors = krate.errors.len();
        row.rustc_warnings = krate.warnings.len();
        row.checked = Some(krate.built && krate.errors.is_empty());
        row.first_error = match (krate.errors.first(), krate.warnings.first()) {
            (Some(e), _) => Some(e.line.clone()),
            (None, Some(w)) => Some(format!("warning: {}", w.line)),
            (None, None) => None,
        };
    }
    if !run.success && rows.iter().all(|r| r.checked != Some(false)) {
        *cargo_failure = Some(run.stderr_tail.join("\n"));
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
    let mut ws = Scratch::in_target("corpus")?;
    let mut rows: Vec<Row> = specs
        .iter()
        .map(|s| Row {
            spec: s.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            crate_name: crate_name(s),
            ..Row::default()
        })
        .collect();
    for (spec, row) in specs.iter().zip(rows.iter_mut()) {
        generate_one(spec, &mut ws, row);
    }
    let generated = rows.iter().filter(|r| r.generated).count();
    eprintln!("corpus: generated {generated}/{}; checking them in {}", rows.len(), ws.dir().display());
    let mut cargo_failure = None;
    check_all(&ws, &mut rows, &mut cargo_failure)?;
    Ok(Report { rows, wall_secs: start.elapsed().as_secs_f64(), cargo_failure })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scratch::{CrateResult, Diagnostic};

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
    fn compiler_results_fill_in_the_rows() {
        let diagnostic = |line: &str| Diagnostic { line: line.to_owned(), rendered: String::new() };
        let row = |name: &str, generated: bool| Row { crate_name: name.to_owned(), generated, ..Row::default() };
        let mut rows = vec![row("corpus-a", true), row("corpus-b", true), row("corpus-c", true), row("corpus-d", false)];
        rows[3].first_error = Some("at /paths: bad".to_owned());
        let crates = [
            (
                "corpus-a",
                CrateResult {
                    built: false,
                    errors: vec![diagnostic("src/types.rs:3:5: mismatched types")],
                    warnings: vec![diagnostic("src/types.rs:1:1: unused")],
                },
            ),
            ("corpus-b", CrateResult { built: true, errors: vec![], warnings: vec![diagnostic("src/lib.rs:2:1: unused")] }),
            ("corpus-c", CrateResult { built: true, ..CrateResult::default() }),
        ];
        let run = CargoRun {
            success: false,
            crates: crates.into_iter().map(|(n, c)| (n.to_owned(), c)).collect(),
            stderr_tail: vec!["error: could not compile".to_owned()],
        };
        let mut failure = None;
        record(&run, &mut rows, &mut failure);
        assert_eq!((rows[0].checked, rows[0].rustc_errors, rows[0].rustc_warnings), (Some(false), 1, 1));
        assert_eq!(rows[0].first_error.as_deref(), Some("src/types.rs:3:5: mismatched types"));
        assert_eq!((rows[1].checked, rows[1].first_error.as_deref()), (Some(true), Some("warning: src/lib.rs:2:1: unused")));
        assert!(!rows[1].passed());
        assert!(rows[2].passed() && rows[2].first_error.is_none());
        assert_eq!((rows[3].checked, rows[3].first_error.as_deref()), (None, Some("at /paths: bad")));
        // A crate failed, so the failed run is explained by it.
        assert_eq!(failure, None);

        // A failed run in which every crate checked is cargo's own failure.
        let run = CargoRun { success: false, crates: BTreeMap::new(), stderr_tail: vec!["error: no matching package".to_owned()] };
        let mut rows = vec![row("corpus-x", false)];
        record(&run, &mut rows, &mut failure);
        assert_eq!(failure.as_deref(), Some("error: no matching package"));
    }

    #[test]
    fn warnings_are_counted_by_kind() {
        let w = |kind| Warning::new(kind, "/x", "fallback");
        let a = count_by_kind(&[w(WarningKind::UntypedSchema), w(WarningKind::BinaryPart), w(WarningKind::UntypedSchema)]);
        assert_eq!(a, [(WarningKind::UntypedSchema, 2), (WarningKind::BinaryPart, 1)].into());
        let b = count_by_kind(&[w(WarningKind::BinaryPart), w(WarningKind::BinaryPart), w(WarningKind::NonStandard)]);
        let report = Report {
            rows: vec![
                Row { spec: "a.json".to_owned(), warnings: a, ..Row::default() },
                Row { spec: "b.yaml".to_owned(), warnings: b, ..Row::default() },
                Row { spec: "clean.json".to_owned(), ..Row::default() },
            ],
            ..Report::default()
        };
        assert_eq!(report.rows[0].generator_warnings(), 3);
        let text = report.warnings_by_kind();
        assert_eq!(
            text,
            "\ngenerator warnings by kind:\n  \
             a.json      untyped-schema 2, binary-part 1\n  \
             b.yaml      binary-part 2, non-standard 1\n  \
             total       binary-part 3, untyped-schema 2, non-standard 1\n"
        );
        assert!(report.table().contains("6 generator warnings") && report.table().ends_with(&text));
        assert!(Report::default().warnings_by_kind().ends_with("total  none\n"));
    }

    #[test]
    fn a_spec_is_generated_in_process_with_its_warnings() {
        let dir = std::env::temp_dir().join(format!("xtask-corpus-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let good = dir.join("good.yaml");
        std::fs::write(
            &good,
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: a\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {not: {type: string}}\n",
        )
        .expect("spec");
        let bad = dir.join("bad.yaml");
        std::fs::write(&bad, "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}\n").expect("spec");
        let mut ws = Scratch::new(dir.join("ws")).expect("scratch");
        let mut row = Row { crate_name: crate_name(&good), ..Row::default() };
        generate_one(&good, &mut ws, &mut row);
        assert!(row.generated, "{:?}", row.first_error);
        assert_eq!(row.warnings, [(WarningKind::UntypedSchema, 1)].into());
        assert!(ws.crate_dir("corpus-good").join("src/types.rs").is_file());
        assert_eq!(ws.members(), ["corpus-good"]);
        let mut row = Row { crate_name: crate_name(&bad), ..Row::default() };
        generate_one(&bad, &mut ws, &mut row);
        assert!(!row.generated);
        let error = row.first_error.unwrap_or_default();
        assert!(error.starts_with("at /paths/~1a/get/responses/200") && error.contains("Missing"), "{error}");
        assert_eq!(ws.members(), ["corpus-good"]);
        let _ = std::fs::remove_dir_all(&dir);
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
