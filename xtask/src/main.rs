//! `cargo xtask <command>`: see [`xtask`] for what each command does.

use std::path::Path;
use std::process::ExitCode;

use xtask::{Mode, codegen, corpus, diff, fuzz, root};

const USAGE: &str = "usage: cargo xtask codegen [--check]
       cargo xtask diff OLD_SPEC NEW_SPEC [--json]
       cargo xtask corpus [DIR]   (default DIR: ../shared/corpus)
       cargo xtask examples [DIR]...   (default: ../shared/corpus ../shared/corpus-large)
       cargo xtask pagination SPEC_OR_DIR...
       cargo xtask stream-memory [--size-mb N] [--whole]
       cargo xtask fuzz [--seconds N] [--seed S] [--compile-every N]
       cargo xtask bench [--runs N] [--check-runs N] [--no-check] [--no-request] [--no-oag] [--cold-deps] [--per-tag TAG] [--spec PATH]...";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen(Mode::Write),
        ["codegen", "--check"] => codegen(Mode::Check),
        ["diff", old, new] | ["diff", old, new, "--text"] => print(diff(old.as_ref(), new.as_ref(), false)),
        ["diff", old, new, "--json"] | ["diff", "--json", old, new] => print(diff(old.as_ref(), new.as_ref(), true)),
        ["corpus"] => run_corpus(None),
        ["corpus", dir] if !dir.starts_with('-') => run_corpus(Some(Path::new(dir))),
        ["pagination", paths @ ..] if !paths.is_empty() => {
            print(xtask::pagination::report(&paths.iter().map(Path::new).collect::<Vec<_>>()))
        }
        ["stream-memory", rest @ ..] => {
            print(xtask::stream_memory::parse_args(rest).and_then(|o| xtask::stream_memory::stream_memory(&o)))
        }
        ["examples", dirs @ ..] if dirs.iter().all(|d| !d.starts_with('-')) => run_examples(dirs),
        ["fuzz", rest @ ..] => fuzz_command(rest),
        ["bench", rest @ ..] => print(xtask::bench::parse_args(rest).and_then(|o| xtask::bench::bench(&o))),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(warnings) => {
            for w in warnings {
                eprintln!("{w}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a command's output; no warnings follow.
fn print(result: Result<String, String>) -> Result<Vec<String>, String> {
    let text = result?;
    println!("{}", text.trim_end());
    Ok(Vec::new())
}

/// Runs the corpus, prints the table on stdout; an error when any spec fails.
fn run_corpus(dir: Option<&Path>) -> Result<Vec<String>, String> {
    // A relative DIR is taken from where the command runs.
    let dir = dir.map(|d| std::env::current_dir().map(|cwd| cwd.join(d)).unwrap_or_else(|_| d.to_owned()));
    let report = corpus::corpus(&root(), dir.as_deref())?;
    print!("{}", report.table());
    if report.passed() { Ok(Vec::new()) } else { Err("corpus: some documents failed (see the table)".to_owned()) }
}

/// Runs the examples check, prints the report on stdout; an error when any
/// schema-valid example fails.
fn run_examples(dirs: &[&str]) -> Result<Vec<String>, String> {
    // A relative DIR is taken from where the command runs.
    let cwd = std::env::current_dir().unwrap_or_default();
    let dirs: Vec<std::path::PathBuf> = dirs.iter().map(|d| cwd.join(d)).collect();
    let report = xtask::examples::examples(&root(), &dirs)?;
    print!("{}", report.text());
    if report.passed() { Ok(Vec::new()) } else { Err("examples: some schema-valid examples failed (see FAIL lines)".to_owned()) }
}

/// `cargo xtask fuzz [--seconds N] [--seed S] [--compile-every N]`: mutates
/// the seed specs for N seconds (default 60) and saves findings under
/// `tests/bad-specs/fuzz-found/`; with `--compile-every N`, every Nth
/// generated crate is also compiled (in `target/fuzz-compile/`).
fn fuzz_command(args: &[&str]) -> Result<Vec<String>, String> {
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut compile_every = 0u64;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let value = it.next().and_then(|v| v.parse::<u64>().ok());
        match (*arg, value) {
            ("--seconds", Some(v)) => seconds = v,
            ("--seed", Some(v)) => seed = v,
            ("--compile-every", Some(v)) => compile_every = v,
            _ => return Err(USAGE.to_owned()),
        }
    }
    let root = xtask::root();
    let cfg = fuzz::FuzzConfig {
        seed,
        budget: fuzz::Budget::Time(std::time::Duration::from_secs(seconds)),
        seeds: fuzz::default_seeds(&root),
        crash_dir: Some(root.join("tests/bad-specs/fuzz-found")),
        max_seed_bytes: 3 << 20,
        progress_every: 1000,
        compile_every,
        compile_dir: Some(xtask::scratch::target_dir().join("fuzz-compile")),
        save_current: true,
    };
    eprintln!(
        "fuzz: if this run aborts (a stack overflow cannot be caught), the input is in tests/bad-specs/fuzz-found/{}",
        fuzz::CURRENT_INPUT
    );
    let report = fuzz::run(&cfg);
    println!(
        "fuzz: seed {seed}, {} executions in {:.1?} ({} generated, {} compiled, {} spec errors); slowest {:.1?} ({} bytes); {} findings",
        report.executions,
        report.elapsed,
        report.generated,
        report.compiled,
        report.spec_errors,
        report.slowest.0,
        report.slowest.1,
        report.findings.len()
    );
    if report.findings.is_empty() {
        Ok(Vec::new())
    } else {
        let lines: Vec<String> = report
            .findings
            .iter()
            .map(|f| format!("  {} ({})", f.message, f.file.as_ref().map(|p| p.display().to_string()).unwrap_or_default()))
            .collect();
        Err(format!("fuzz findings:\n{}", lines.join("\n")))
    }
}
