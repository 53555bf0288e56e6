//! The command line: `openapi-rust-gen --spec PATH --out DIR --crate-name NAME`.
//!
//! Exit status: 0 on success, 65 for a spec that cannot be used (every
//! problem listed with its location), 78 for a configuration file that
//! cannot be used (every problem listed with its key and line), 74 for an
//! I/O failure, 70 for an internal error, 1 when `--check` finds stale files.

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// Generation allocates and frees millions of small token and syntax-tree
/// nodes on several threads; mimalloc does that about twice as fast as the
/// system allocator (see `cargo xtask bench`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use openapi_rust_gen::{Config, ConfigFile, Error, Generator, Stages, output};

/// Generate a typed Rust client crate from an OpenAPI 3.0/3.1 document.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The OpenAPI document (YAML or JSON).
    #[arg(long)]
    spec: PathBuf,
    /// The crate directory to write (replaced atomically; hand-written files in it are kept).
    #[arg(long)]
    out: PathBuf,
    /// The generated package name.
    #[arg(long)]
    crate_name: String,
    /// The generated crate's version, MAJOR.MINOR.PATCH[-PRE][+BUILD] (default: from `info.version`, else 0.1.0).
    #[arg(long, value_parser = crate_version)]
    crate_version: Option<String>,
    /// A configuration file (TOML): filter, type replacements, extra derives,
    /// per-tag features, warning levels (see the README's Configuration section).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Check that DIR is up to date instead of writing it.
    #[arg(long)]
    check: bool,
    /// Reject the spec when anything would fall back to a safe type or name
    /// (every warning the configuration file does not allow becomes a
    /// located error; exit status 65).
    #[arg(long)]
    strict: bool,
    /// Do not print warnings about constructs that fell back to a safe type.
    #[arg(long, short)]
    quiet: bool,
    /// Print the time of each stage, the peak memory and the CPU time to stderr (`stats: NAME VALUE` lines).
    #[arg(long)]
    stats: bool,
}

/// `--crate-version`: a version Cargo accepts (a `v` prefix is dropped).
fn crate_version(text: &str) -> Result<String, String> {
    openapi_rust_gen::version::parse(text).map(|v| v.to_string())
}

/// A path as it appears in generated files: relative to the current
/// directory (with `..` where needed) and `/`-separated, so the output does
/// not depend on where the checkout lives.
fn relative_label(path: &Path) -> String {
    let slashes = |p: &Path| p.to_string_lossy().replace('\\', "/");
    if !path.is_absolute() {
        return slashes(path);
    }
    let Ok(cwd) = std::env::current_dir() else { return slashes(path) };
    let from: Vec<Component> = cwd.components().collect();
    let to: Vec<Component> = path.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        return slashes(path);
    }
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to[common..] {
        rel.push(c.as_os_str());
    }
    if rel.as_os_str().is_empty() { ".".to_owned() } else { slashes(&rel) }
}

fn main() -> ExitCode {
    openapi_rust_gen::process_stats::keep_freed_memory();
    let args = Args::parse();
    let spec_label = relative_label(&args.spec);
    let mut regenerate = format!(
        "openapi-rust-gen --spec {} --out {} --crate-name {}",
        spec_label,
        relative_label(&args.out),
        args.crate_name
    );
    if let Some(file) = &args.config {
        regenerate.push_str(&format!(" --config {}", relative_label(file)));
    }
    let config = Config { crate_name: args.crate_name.clone(), crate_version: args.crate_version.clone(), spec_label, regenerate: regenerate.clone(), strict: args.strict };
    let mut stages = Stages::default();
    let generator = match &args.config {
        Some(file) => ConfigFile::from_file(file, &relative_label(file)).map(|f| Generator::new(config).with_config_file(f)),
        None => Ok(Generator::new(config)),
    };
    let result = generator.and_then(|g| g.generate_file_staged(&args.spec, &mut stages)).and_then(|generated| {
        if !args.quiet {
            for w in &generated.warnings {
                eprintln!("{w}");
            }
        }
        if args.check {
            let stale = stages.time("check", || output::stale(&args.out, &generated.files))?;
            if !stale.is_empty() {
                for s in &stale {
                    eprintln!("stale: {}", args.out.join(s).display());
                }
                eprintln!("run: {regenerate}");
                return Ok(false);
            }
        } else {
            stages.time("write", || output::write(&args.out, &generated.files))?;
        }
        if args.stats {
            let files = generated.files.iter().filter(|(name, _)| name.ends_with(".rs"));
            // Lines as `str::lines` counts them, without splitting them out.
            let count = |text: &str| text.bytes().filter(|b| *b == b'\n').count() + usize::from(!text.is_empty() && !text.ends_with('\n'));
            let (lines, bytes) = files.fold((0, 0), |(l, b), (_, text)| (l + count(text), b + text.len()));
            eprintln!("stats: rust_lines {lines}");
            eprintln!("stats: rust_bytes {bytes}");
        }
        // The process ends next: freeing the files and the model piece by
        // piece would only cost time.
        std::mem::forget(generated);
        Ok(true)
    });
    if args.stats {
        for (name, took) in &stages.0 {
            eprintln!("stats: stage_{name}_s {:.6}", took.as_secs_f64());
        }
        if let Some(kib) = openapi_rust_gen::process_stats::peak_rss_kib() {
            eprintln!("stats: peak_rss_kib {kib}");
        }
        if let Some(cpu) = openapi_rust_gen::process_stats::cpu_seconds() {
            eprintln!("stats: cpu_s {cpu:.2}");
        }
    }
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(match e {
                Error::Spec { .. } => 65,
                Error::Config { .. } => 78,
                Error::Io { .. } => 74,
                Error::Render { .. } => 70,
            })
        }
    }
}
