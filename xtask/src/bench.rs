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
//! - the same for openapi-generator's Rust client (`-g rust`, reqwest) of
//!   the same spec, side by side in the same run, when `openapi-generator-cli`
//!   is on `PATH` (or named by `$OPENAPI_GENERATOR_CLI`): its generation
//!   time, its size and its `cargo check` time in the same scratch
//!   workspace, checked with `--no-default-features --features rustls` so
//!   both crates use the same TLS stack. Without it that column is skipped
//!   with a note saying how to install it (`pip install
//!   openapi-generator-cli`, which ships the jar; it needs Java 11+);
//! - `cargo check` times are given as wall time and as CPU time (user +
//!   system of cargo and rustc, from `/proc/self/stat`), which a shared
//!   machine's load moves much less; `--check-runs N` alternates the crates
//!   N times and takes medians;
//! - with features per tag (`[features] per_tag = true` in a `--config`
//!   file, when the generator has `--config`): the crate generated with
//!   them, checked with only the feature of one tag (`--per-tag TAG`,
//!   default `repos`) and the default TLS backend, for each spec that has
//!   that tag; without `--config` the row says it is pending;
//! - with `--cold-deps`, the cold build (`cargo build`, empty target
//!   directory) of the generated crate's dependencies for each TLS backend
//!   feature of the generated crate;
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
    /// Timed `cargo check` runs of each crate (alternating; the median is reported).
    pub check_runs: usize,
    /// Also generate and check openapi-generator's output when it is installed.
    pub oag: bool,
    /// Also time a cold build of the generated crate's dependencies per TLS feature.
    pub cold_deps: bool,
    /// The tag whose feature alone is checked in the per-tag crate.
    pub tag: String,
}

impl Default for Options {
    fn default() -> Self {
        Options { runs: 5, check: true, request: true, specs: Vec::new(), check_runs: 1, oag: true, cold_deps: false, tag: "repos".to_owned() }
    }
}

/// Parses `bench` arguments: `[--runs N] [--check-runs N] [--no-check]
/// [--no-request] [--no-oag] [--cold-deps] [--per-tag TAG] [--spec PATH]...`.
pub fn parse_args(args: &[&str]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match *a {
            "--runs" => {
                let n = it.next().ok_or("--runs needs a number")?;
                o.runs = n.parse().ok().filter(|n| *n > 0).ok_or(format!("--runs: not a positive number: {n}"))?;
            }
            "--check-runs" => {
                let n = it.next().ok_or("--check-runs needs a number")?;
                o.check_runs =
                    n.parse().ok().filter(|n| *n > 0).ok_or(format!("--check-runs: not a positive number: {n}"))?;
            }
            "--no-check" => o.check = false,
            "--no-oag" => o.oag = false,
            "--cold-deps" => o.cold_deps = true,
            "--per-tag" => o.tag = it.next().ok_or("--per-tag needs a tag")?.to_string(),
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
    /// CPU time (user + system) of the process and its children, when known.
    cpu: Option<f64>,
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
    check: Option<Timing>,
    /// openapi-generator's output for the same spec, when it is installed.
    oag: Option<OagResult>,
    /// The crate generated with features per tag (its package), when the
    /// generator supports them and the spec has the tag.
    per_tag: Option<String>,
    /// Its `cargo check` with only the tag's feature.
    per_tag_check: Option<Timing>,
    /// The generator has no `--config`, so no features per tag.
    per_tag_pending: bool,
}

/// openapi-generator's Rust client for one spec.
struct OagResult {
    generate: Duration,
    lines: usize,
    bytes: usize,
    /// Its package, a member of the scratch workspace.
    crate_name: String,
    check: Option<Timing>,
}

/// Median wall and CPU time of a timed `cargo check`.
#[derive(Debug, Clone, Copy)]
struct Timing {
    wall: Duration,
    cpu: f64,
}

fn run_checked(cmd: &mut Command, what: &str) -> Result<std::process::Output, String> {
    let out = cmd.output().map_err(|e| format!("{what}: cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!("{what} failed ({}):\n{}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    Ok(out)
}

/// CPU seconds (user + system) used so far by the waited-for children of
/// this process (`cutime` + `cstime` of `/proc/self/stat`), on Linux.
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses: state is field 3.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i)?.parse::<f64>().ok();
    // cutime and cstime are fields 16 and 17, in clock ticks (100 per second on Linux).
    Some((ticks(13)? + ticks(14)?) / 100.0)
}

fn timed(cmd: &mut Command, what: &str) -> Result<Run, String> {
    let cpu_before = children_cpu();
    let start = Instant::now();
    let out = run_checked(cmd, what)?;
    let wall = start.elapsed();
    let cpu = cpu_before.zip(children_cpu()).map(|(a, b)| b - a);
    let mut stats = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stderr).lines() {
        let Some(rest) = line.strip_prefix("stats: ") else { continue };
        let mut parts = rest.split_whitespace();
        if let (Some(k), Some(v)) = (parts.next(), parts.next().and_then(|v| v.parse().ok())) {
            stats.insert(k.to_owned(), v);
        }
    }
    Ok(Run { wall, cpu, stats })
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

    // Features per tag need the configuration file (`--config`).
    let help = run_checked(Command::new(&generator).arg("--help"), "openapi-rust-gen --help")?;
    let per_tag_supported = String::from_utf8_lossy(&help.stdout).contains("--config");
    let oag = if options.oag { find_oag() } else { None };
    if options.oag && oag.is_none() {
        eprintln!("bench: {OAG_MISSING}");
    }

    let specs: Vec<PathBuf> = if options.specs.is_empty() {
        // `shared/` sits beside the checkout (a worktree under `wt/` is one level deeper).
        let github = ["../shared", "../../shared"]
            .iter()
            .map(|s| root.join(s).join("large/api.github.com.json"))
            .find(|p| p.exists())
            .unwrap_or_else(|| root.join("../shared/large/api.github.com.json"));
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
            oag: None,
            per_tag: None,
            per_tag_check: None,
            per_tag_pending: !per_tag_supported,
        });
        if per_tag_supported {
            let name = format!("bench-tags-{i}");
            let config = ws.dir().join("per-tag.toml");
            std::fs::write(&config, "[features]\nper_tag = true\n").map_err(|e| format!("cannot write {}: {e}", config.display()))?;
            run_checked(
                Command::new(&generator)
                    .arg("--spec")
                    .arg(spec)
                    .arg("--out")
                    .arg(ws.crate_dir(&name))
                    .arg("--config")
                    .arg(&config)
                    .args(["--crate-name", &name, "--quiet"]),
                "openapi-rust-gen --config (features per tag)",
            )?;
            let manifest = std::fs::read_to_string(ws.crate_dir(&name).join("Cargo.toml")).unwrap_or_default();
            if manifest.lines().any(|l| l.starts_with(&format!("{} = ", options.tag)))
                && let Some(r) = results.last_mut()
            {
                r.per_tag = Some(name);
            }
        }
        if let Some(cli) = &oag {
            let o = oag_generate(cli, spec, &ws, i)?;
            if let Some(r) = results.last_mut() {
                r.oag = Some(o);
            }
        }
    }

    if options.check {
        for r in &results {
            ws.add_dir(&r.crate_name)?;
            if let Some(o) = &r.oag {
                ws.add_dir(&o.crate_name)?;
            }
            if let Some(p) = &r.per_tag {
                ws.add_dir(p)?;
            }
        }
        check_all(&ws, &mut results, options.check_runs, &options.tag)?;
    }
    let mut out = report(&results, options);
    if options.oag && oag.is_none() {
        let _ = writeln!(out, "\n{OAG_MISSING}");
    }
    if options.cold_deps {
        out.push_str(&cold_deps(&ws, &results)?);
    }
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

/// How to get openapi-generator when it is missing.
const OAG_MISSING: &str = "openapi-generator not found: its column is skipped. Install it with `pip install openapi-generator-cli` \
     (the PyPI package ships the jar; it needs Java 11 or later on PATH), or name its launcher in $OPENAPI_GENERATOR_CLI.";

/// The openapi-generator launcher (`$OPENAPI_GENERATOR_CLI`, else
/// `openapi-generator-cli` on `PATH`), if it runs.
fn find_oag() -> Option<PathBuf> {
    let cli = std::env::var_os("OPENAPI_GENERATOR_CLI").map(PathBuf::from).unwrap_or_else(|| "openapi-generator-cli".into());
    let ok = Command::new(&cli).arg("version").output().is_ok_and(|o| o.status.success());
    ok.then_some(cli)
}

/// Generates openapi-generator's Rust client (reqwest library) of `spec`
/// into the scratch workspace as package `bench-oag-N`.
fn oag_generate(cli: &Path, spec: &Path, ws: &Scratch, i: usize) -> Result<OagResult, String> {
    let crate_name = format!("bench-oag-{i}");
    let out = ws.crate_dir(&crate_name);
    eprintln!("bench: openapi-generator (-g rust) of {}", spec.display());
    let run = timed(
        Command::new(cli)
            .args(["generate", "-g", "rust", "--skip-validate-spec", "-i"])
            .arg(spec)
            .arg("-o")
            .arg(&out)
            .arg(format!("--additional-properties=packageName={crate_name},library=reqwest")),
        "openapi-generator-cli generate",
    )?;
    let (mut lines, mut bytes) = (0, 0);
    let mut dirs = vec![out.join("src")];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                lines += text.lines().count();
                bytes += text.len();
            }
        }
    }
    Ok(OagResult { generate: run.wall, lines, bytes, crate_name, check: None })
}

/// openapi-generator's crates default to native-tls (OpenSSL); they are
/// checked with rustls, the TLS stack of ours.
const OAG_FEATURES: &[&str] = &["--no-default-features", "--features", "rustls"];

/// `cargo check` of one package of the scratch workspace, not incremental.
fn check_cmd(ws: &Scratch, package: &str, features: &[&str]) -> Command {
    let mut args = vec!["check", "--lib", "-p", package];
    args.extend_from_slice(features);
    let mut cmd = ws.cargo(&args);
    cmd.env("CARGO_INCREMENTAL", "0");
    cmd
}

/// Times `cargo check` of every generated crate (and of openapi-generator's)
/// in the scratch workspace whose dependencies were built first.
fn check_all(ws: &Scratch, results: &mut [SpecResult], runs: usize, tag: &str) -> Result<(), String> {
    let tag_features = ["--no-default-features".to_owned(), "--features".to_owned(), format!("{tag},rustls")];
    let tag_features: Vec<&str> = tag_features.iter().map(String::as_str).collect();
    let mut crates: Vec<(String, &[&str])> = Vec::new();
    for r in results.iter() {
        crates.push((r.crate_name.clone(), &[]));
        if let Some(o) = &r.oag {
            crates.push((o.crate_name.clone(), OAG_FEATURES));
        }
        if let Some(p) = &r.per_tag {
            crates.push((p.clone(), &tag_features));
        }
    }
    // Every crate of one generator has the same dependencies: checking the
    // smallest one builds them all.
    eprintln!("bench: building the generated crates' dependencies (once)");
    if let Some(r) = results.iter().min_by(|a, b| a.bytes.total_cmp(&b.bytes)) {
        run_checked(&mut check_cmd(ws, &r.crate_name, &[]), "cargo check (warm-up)")?;
    }
    if let Some(o) = results.iter().filter_map(|r| r.oag.as_ref()).min_by_key(|o| o.bytes) {
        run_checked(&mut check_cmd(ws, &o.crate_name, OAG_FEATURES), "cargo check of openapi-generator's output (warm-up)")?;
    }
    // Alternating runs: crate after crate, `runs` times.
    let mut times: Vec<Vec<Run>> = crates.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for ((package, features), t) in crates.iter().zip(times.iter_mut()) {
            let lib = ws.crate_dir(package).join("src/lib.rs");
            let content = std::fs::read(&lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
            // Rewriting the file gives it a new modification time (a touch).
            std::fs::write(&lib, content).map_err(|e| format!("cannot touch {}: {e}", lib.display()))?;
            eprintln!("bench: cargo check -p {package}");
            t.push(timed(&mut check_cmd(ws, package, features), "cargo check")?);
        }
    }
    let timing = |runs: &[Run]| Timing { wall: median_dur(runs), cpu: median(runs.iter().filter_map(|r| r.cpu).collect()) };
    let mut times = times.iter();
    for r in results.iter_mut() {
        r.check = times.next().map(|t| timing(t));
        if let Some(o) = &mut r.oag {
            o.check = times.next().map(|t| timing(t));
        }
        if r.per_tag.is_some() {
            r.per_tag_check = times.next().map(|t| timing(t));
        }
    }
    Ok(())
}

/// The TLS backend features of a generated crate, for `--cold-deps`.
const TLS_FEATURES: &[&str] = &["rustls", "rustls-ring", "native-tls"];

/// Times a cold `cargo build` of the smallest generated crate with its
/// dependencies (an empty target directory) for each TLS feature.
fn cold_deps(ws: &Scratch, results: &[SpecResult]) -> Result<String, String> {
    let Some(r) = results.iter().min_by(|a, b| a.bytes.total_cmp(&b.bytes)) else { return Ok(String::new()) };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n| cold `cargo build` of the generated crate with its dependencies (empty target directory) | wall | CPU |\n|---|---|---|"
    );
    let target = ws.dir().join("target-cold");
    for feature in TLS_FEATURES {
        if target.exists() {
            std::fs::remove_dir_all(&target).map_err(|e| format!("cannot remove {}: {e}", target.display()))?;
        }
        eprintln!("bench: cold build with feature {feature}");
        let mut cmd = ws.cargo(&["build", "--lib", "-p", &r.crate_name, "--no-default-features", "--features", feature]);
        cmd.env("CARGO_TARGET_DIR", &target);
        match timed(&mut cmd, "cargo build (cold)") {
            Ok(run) => {
                let cpu = run.cpu.map(|c| format!("{c:.0} s")).unwrap_or_default();
                let _ = writeln!(s, "| `--no-default-features --features {feature}` | {} | {cpu} |", secs(run.wall));
            }
            // native-tls needs OpenSSL's headers: a missing system library is reported, not fatal.
            Err(e) => {
                let first = e.lines().find(|l| l.contains("error")).unwrap_or("failed").trim().to_owned();
                let _ = writeln!(s, "| `--no-default-features --features {feature}` | failed: {first} | |");
            }
        }
    }
    let _ = std::fs::remove_dir_all(&target);
    Ok(s)
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
        row("`cargo check` of the generated crate (deps built, not incremental), wall", &|r| {
            r.check.map(|t| secs(t.wall)).unwrap_or_default()
        });
        row("the same, CPU time", &|r| r.check.map(|t| format!("{:.1} s", t.cpu)).unwrap_or_default());
        let label = format!("`cargo check` with features per tag, only `{}` (+ `rustls`), wall / CPU", options.tag);
        row(&label, &|r| match (&r.per_tag, r.per_tag_check) {
            (Some(_), Some(t)) => format!("{} / {:.1} s", secs(t.wall), t.cpu),
            _ if r.per_tag_pending => "pending: this generator has no `--config` (features per tag)".to_owned(),
            _ => String::new(),
        });
    }
    if results.iter().any(|r| r.oag.is_some()) {
        fn oag(r: &SpecResult, f: &dyn Fn(&OagResult) -> String) -> String {
            r.oag.as_ref().map(f).unwrap_or_default()
        }
        row("openapi-generator (`-g rust`): generation (wall, one run)", &|r| oag(r, &|o| secs(o.generate)));
        row("openapi-generator: generated Rust lines", &|r| oag(r, &|o| o.lines.to_string()));
        row("openapi-generator: generated Rust bytes", &|r| oag(r, &|o| size(o.bytes as f64)));
        if options.check {
            row("openapi-generator: `cargo check` (same settings), wall", &|r| {
                oag(r, &|o| o.check.map(|t| secs(t.wall)).unwrap_or_default())
            });
            row("openapi-generator: the same, CPU time", &|r| {
                oag(r, &|o| o.check.map(|t| format!("{:.1} s", t.cpu)).unwrap_or_default())
            });
            let ratio = |f: fn(&Timing) -> f64| {
                move |r: &SpecResult| match (r.check, r.oag.as_ref().and_then(|o| o.check)) {
                    (Some(a), Some(b)) => format!("{:.2}×", f(&a) / f(&b)),
                    _ => String::new(),
                }
            };
            row("our check time ÷ openapi-generator's (wall)", &ratio(|t| t.wall.as_secs_f64()));
            row("our check time ÷ openapi-generator's (CPU)", &ratio(|t| t.cpu));
        }
    }
    s
}
