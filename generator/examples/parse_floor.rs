//! The performance floor for `cargo xtask bench`: only reads a spec file and
//! parses it with serde_json (JSON) or serde_yaml (YAML) into
//! `openapiv3::OpenAPI`, then exits. Usage: `parse_floor PATH`. Prints the
//! number of paths, and its peak memory as `stats: peak_rss_kib N` on
//! stderr, and its CPU time as `stats: cpu_s S` (Linux), like the
//! generator's `--stats`.
//!
//! It uses the generator's allocator (mimalloc) with the same setting
//! (`keep_freed_memory`), so that the ratio of the two measures the
//! generator's work, not a difference of allocators.

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    openapi_rust_gen::process_stats::keep_freed_memory();
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: parse_floor PATH");
        return ExitCode::from(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", path.to_string_lossy());
            return ExitCode::from(74);
        }
    };
    let json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let parsed: Result<openapiv3::OpenAPI, String> = if json {
        serde_json::from_slice(&bytes).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_slice(&bytes).map_err(|e| e.to_string())
    };
    match parsed {
        Ok(api) => {
            println!("{} paths", api.paths.paths.len());
            if let Some(kib) = openapi_rust_gen::process_stats::peak_rss_kib() {
                eprintln!("stats: peak_rss_kib {kib}");
            }
            if let Some(cpu) = openapi_rust_gen::process_stats::cpu_seconds() {
                eprintln!("stats: cpu_s {cpu:.2}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cannot parse {}: {e}", path.to_string_lossy());
            ExitCode::from(65)
        }
    }
}

