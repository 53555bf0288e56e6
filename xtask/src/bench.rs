//! `cargo xtask bench`: how fast the generator is and how cheap its output
//! is to compile. Prints a Markdown table; asserts nothing.
//!
//! For each spec (GitHub's REST description from `../shared/large/` when it
//! is there, and `spec/openapi.yaml`) it measures, with the release-built
//! binaries:
//! - the whole-process wall time of the generator CLI (median of `--runs`),
//!   next to the floor: `generator/examples/parse_floor.rs`, which only
//!   parses the same file into `openapiv3::OpenAPI`, run alternately;
//! - the time of each stage, the peak memory and the CPU time, from the
//!   CLI's `--stats` (the floor prints its own the same way); on a shared
//!   machine the CPU time moves less with the load than the wall time;
//! - lines and bytes of generated Rust;
//! - `cargo check` of each generated crate with its dependencies already
//!   built: the crates are put in a scratch workspace ([`crate::scratch`])
//!   under `target/xtask-bench/` with one target directory, checked once to
//!   build the dependencies, then `src/lib.rs` is touched and the check is timed,
//!   without incremental compilation (`CARGO_INCREMENTAL=0`: the whole crate
//!   is checked, as when a user first builds it);
//! - one request through the generated client against the same request
//!   written by hand with reqwest + serde_json: the criterion benchmark
//!   `tests/benches/request.rs` (`cargo bench -p integration-tests --bench
//!   request`), whose medians are read from `target/criterion/`.
//!
//! Everything runs through `$CARGO`; no dependency beyond `std`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::root;
use crate::scratch::{self, Scratch};

/// What to measure.
#[derive(Debug, Clone)]
pub struct Options {
    /// Runs of each program per spec (the median is reported).
    pub runs: usize,
    /// Also time `cargo check` of the generated crates.
    pub check: bool,
    /// Also run the request benchmark (criterion).
    pub request: bool,
    /// Specs to measure; empty means the defaults.
    pub specs: Vec<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options { runs: 5, check: true, request: true, specs: Vec::new() }
    }
}

/// Parses `bench` arguments: `[--runs N] [--no-check] [--no-request] [--spec PATH]...`.
pub fn parse_args(args: &[&str]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--runs" => {
                let n = it.next().ok_or("--runs needs a number")?;
                o.runs = n.parse().ok().filter(|n| *n > 0).ok_or(format!("--runs: not a positive number: {n}"))?;
            }
            "--no-check" => o.check = false,
            "--no-request" => o.request = false,
            "--spec" => o.specs.push(PathBuf::from(it.next().ok_or("--spec needs a path")?)),
            other => return Err(format!("bench: unknown argument {other:?}")),
        }
    }
    Ok(o)
}

/// One measured process run.
#[derive(Debug, Clone, Default)]
struct Run {
    wall: Duration,
    /// `stats: NAME VALUE` lines from stderr.
    stats: BTreeMap<String, f64>,
}

/// The medians for one spec.
struct SpecResult {
    label: String,
    spec_bytes: u64,
    floor: Duration,
    floor_peak_kib: f64,
    floor_cpu: f64,
    generate: Duration,
    cpu: f64,
    peak_kib: f64,
    /// Stage name → median seconds, in pipeline order.
    stages: Vec<(String, f64)>,
    lines: f64,
    bytes: f64,
    /// The generated package, a member of the scratch workspace.
    crate_name: String,
    check: Option<Duration>,
}

fn run_checked(cmd: &mut Command, what: &str) -> Result<std::process::Output, String> {
    let out = cmd.output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    Ok(out)
}

fn timed(cmd: &mut Command, what: &str) -> Result<Run, String> {
    let start = Instant::now();
    let out = run_checked(cmd, what)?;
    let wall = start.elapsed();
    let mut stats = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        let Some(rest) = line.strip_prefix("stats: ") else { continue };
        let mut parts = rest.split_whitespace();
        if let (Some(k), Some(v)) = (parts.next(), parts.next().and_then(|v| v.parse().ok())) {
            stats.insert(k.to_owned(), v);
        }
    }
    Ok(Run { wall, stats })
}

fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

fn median_dur(runs: &[Run]) -> Duration {
    Duration::from_secs_f64(median(runs.iter().map(|r| r.wall.as_secs_f64()).collect()))
}

fn median_stat(runs: &[Run], key: &str) -> f64 {
    median(runs.iter().filter_map(|r| r.stats.get(key).copied()).collect())
}

/// Runs the benchmark and returns the report (Markdown).
pub fn bench(options: &Options) -> Result<String, String> {
    let root = root();
    let target = scratch::target_dir();
    eprintln!("bench: building the release generator and the floor program");
    run_checked(
        scratch::cargo().current_dir(&root).args(["build", "--release", "-p", "openapi-rust-gen", "--bin", "openapi-rust-gen", "--example", "parse_floor"]),
        "cargo build --release",
    )?;
    let exe = std::env::consts::EXE_SUFFIX;
    let generator = target.join("release").join(format!("openapi-rust-gen{exe}"));
    let floor = target.join("release").join("examples").join(format!("parse_floor{exe}"));
    let mut ws = Scratch::in_target("xtask-bench")?;

    let specs: Vec<PathBuf> = if options.specs.is_empty() {
        let github = root.join("../shared/large/api.github.com.json");
        let mut v = Vec::new();
        if github.exists() {
            v.push(github);
        } else {
            eprintln!("bench: {} not found; measuring spec/openapi.yaml only", github.display());
        }
        v.push(root.join(crate::SPEC));
        v
    } else {
        options.specs.clone()
    };

    let mut results = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let label = spec.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| spec.display().to_string());
        let crate_name = format!("bench-gen-{i}");
        let out_dir = ws.crate_dir(&crate_name);
        eprintln!("bench: {label}: {} runs each of the floor and the generator", options.runs);
        let mut floor_runs = Vec::new();
        let mut gen_runs = Vec::new();
        for _ in 0..options.runs {
            floor_runs.push(timed(Command::new(&floor).arg(spec), "parse_floor")?);
            gen_runs.push(timed(
                Command::new(&generator)
                    .arg("--spec")
                    .arg(spec)
                    .arg("--out")
                    .arg(&out_dir)
                    .args(["--crate-name", &crate_name, "--quiet", "--stats"]),
                "openapi-rust-gen",
            )?);
        }
        let mut stage_names: Vec<String> = Vec::new();
        for r in &gen_runs {
            for k in r.stats.keys().filter(|k| k.starts_with("stage_")) {
                if !stage_names.contains(k) {
                    stage_names.push(k.clone());
                }
            }
        }
        // Pipeline order, not alphabetical.
        const ORDER: &[&str] =
            &["read", "parse", "normalize", "deserialize", "model", "transform", "emit", "format", "emit+format_wall", "write", "check"];
        let pos = |n: &str| ORDER.iter().position(|o| format!("stage_{o}_s") == n).unwrap_or(ORDER.len());
        stage_names.sort_by_key(|n| pos(n));
        let stages = stage_names
            .iter()
            .map(|k| (k.trim_start_matches("stage_").trim_end_matches("_s").to_owned(), median_stat(&gen_runs, k)))
            .collect();
        results.push(SpecResult {
            label,
            spec_bytes: std::fs::metadata(spec).map(|m| m.len()).unwrap_or(0),
            floor: median_dur(&floor_runs),
            floor_peak_kib: median_stat(&floor_runs, "peak_rss_kib"),
            floor_cpu: median_stat(&floor_runs, "cpu_s"),
            generate: median_dur(&gen_runs),
            cpu: median_stat(&gen_runs, "cpu_s"),
            peak_kib: median_stat(&gen_runs, "peak_rss_kib"),
            stages,
            lines: median_stat(&gen_runs, "rust_lines"),
            bytes: median_stat(&gen_runs, "rust_bytes"),
            crate_name,
            check: None,
        });
    }

    if options.check {
        for r in &results {
            ws.add_dir(&r.crate_name)?;
        }
        check_all(&ws, &mut results)?;
    }
    let mut out = report(&results, options);
    if options.request {
        out.push_str(&request_bench(&root, &target)?);
    }
    Ok(out)
}

/// Runs the criterion request benchmark and reports its medians.
fn request_bench(root: &Path, target: &Path) -> Result<String, String> {
    eprintln!("bench: criterion request benchmark (cargo bench -p integration-tests --bench request)");
    run_checked(
        scratch::cargo().current_dir(root).args(["bench", "-p", "integration-tests", "--bench", "request"]),
        "cargo bench --bench request",
    )?;
    let median = |name: &str| -> Result<f64, String> {
        let path = target.join("criterion/update_contact").join(name).join("new/estimates.json");
        let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        json_number_after(&text, "\"median\"", "\"point_estimate\":")
            .ok_or_else(|| format!("no median point estimate in {}", path.display()))
    };
    let generated = median("generated_client")?;
    let hand = median("hand_written_reqwest")?;
    let mut s = String::new();
    let _ = writeln!(s, "\n| one `PATCH /v1/contact/{{id}}` on 127.0.0.1 (criterion median) | time |\n|---|---|");
    let _ = writeln!(s, "| hand-written reqwest + serde_json | {:.1} µs |", hand / 1000.0);
    let _ = writeln!(s, "| generated client (`nedzo-client`) | {:.1} µs |", generated / 1000.0);
    let _ = writeln!(s, "| overhead of the generated client | {:+.1}% |", (generated / hand - 1.0) * 100.0);
    Ok(s)
}

/// The number after `key` that follows `section` in a JSON text (enough
/// for criterion's `estimates.json` without a JSON parser).
fn json_number_after(text: &str, section: &str, key: &str) -> Option<f64> {
    let rest = &text[text.find(section)? + section.len()..];
    let rest = &rest[rest.find(key)? + key.len()..];
    let end = rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Times `cargo check` of every generated crate in the scratch workspace
/// whose dependencies were built first.
fn check_all(ws: &Scratch, results: &mut [SpecResult]) -> Result<(), String> {
    // Every generated crate has the same dependencies: checking the
    // smallest one builds them all.
    let smallest = results.iter().min_by(|a, b| a.bytes.total_cmp(&b.bytes)).map(|r| r.crate_name.clone()).unwrap_or_default();
    eprintln!("bench: building the generated crates' dependencies (once)");
    run_checked(ws.cargo(&["check", "-p", &smallest]).env("CARGO_INCREMENTAL", "0"), "cargo check (warm-up)")?;
    for r in results.iter_mut() {
        let lib = ws.crate_dir(&r.crate_name).join("src/lib.rs");
        let content = std::fs::read(&lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
        // Rewriting the file gives it a new modification time (a touch).
        std::fs::write(&lib, content).map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
        eprintln!("bench: cargo check of the crate generated from {}", r.label);
        let run = timed(ws.cargo(&["check", "-p", &r.crate_name]).env("CARGO_INCREMENTAL", "0"), "cargo check")?;
        r.check = Some(run.wall);
    }
    Ok(())
}

fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

fn size(bytes: f64) -> String {
    if bytes >= 1e6 { format!("{:.1} MB", bytes / 1e6) } else { format!("{:.1} kB", bytes / 1e3) }
}

fn mib(kib: f64) -> String {
    format!("{:.0} MiB", kib / 1024.0)
}

fn report(results: &[SpecResult], options: &Options) -> String {
    let mut s = String::new();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| c.lines().find(|l| l.starts_with("model name")).map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned()))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let _ = writeln!(s, "Machine: {cores} cores, {cpu}; median of {} runs.\n", options.runs);
    let _ = write!(s, "| |");
    for r in results {
        let _ = write!(s, " {} ({}) |", r.label, size(r.spec_bytes as f64));
    }
    let _ = write!(s, "\n|---|");
    for _ in results {
        let _ = write!(s, "---|");
    }
    s.push('\n');
    let mut row = |name: &str, f: &dyn Fn(&SpecResult) -> String| {
        let _ = write!(s, "| {name} |");
        for r in results {
            let _ = write!(s, " {} |", f(r));
        }
        s.push('\n');
    };
    row("floor: parse into `openapiv3` (wall)", &|r| secs(r.floor));
    row("generator CLI, whole process (wall)", &|r| secs(r.generate));
    row("ratio to the floor (wall)", &|r| format!("{:.2}×", r.generate.as_secs_f64() / r.floor.as_secs_f64()));
    row("floor CPU time (user + system)", &|r| format!("{:.2} s", r.floor_cpu));
    row("generator CPU time (user + system, all threads)", &|r| format!("{:.2} s", r.cpu));
    let mut names: Vec<&str> = Vec::new();
    for r in results {
        for (n, _) in &r.stages {
            if !names.contains(&n.as_str()) {
                names.push(n);
            }
        }
    }
    for n in names {
        let label = match n {
            "emit" | "format" => format!("stage `{n}` (thread time, summed)"),
            "emit+format_wall" => "stages `emit` + `format` (wall, in parallel)".to_owned(),
            _ => format!("stage `{n}`"),
        };
        row(&label, &|r| r.stages.iter().find(|(k, _)| k == n).map(|(_, v)| format!("{v:.3} s")).unwrap_or_default());
    }
    row("floor peak memory", &|r| mib(r.floor_peak_kib));
    row("generator peak memory", &|r| mib(r.peak_kib));
    row("memory ratio to the floor", &|r| format!("{:.2}×", r.peak_kib / r.floor_peak_kib));
    row("generated Rust: lines", &|r| format!("{:.0}", r.lines));
    row("generated Rust: bytes", &|r| size(r.bytes));
    if options.check {
        row("`cargo check` of the generated crate (deps built, not incremental)", &|r| r.check.map(secs).unwrap_or_default());
    }
    s
}
