//! The performance floor for `cargo xtask bench`: only reads a spec file and
//! parses it with serde_json (JSON) or serde_yaml (YAML) into
//! `openapiv3::OpenAPI`, then exits. Usage: `parse_floor PATH`. Prints the
//! number of paths, and its peak memory as `stats: peak_rss_kib N` on
//! stderr, and its CPU time as `stats: cpu_s S` (Linux), like the
//! generator's `--stats`.

use std::process::ExitCode;

fn main() -> ExitCode {
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
            if let Some(kib) = peak_rss_kib() {
                eprintln!("stats: peak_rss_kib {kib}");
            }
            if let Some(cpu) = cpu_seconds() {
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

/// CPU time (user + system, all threads) of this process so far, in
/// seconds (Linux only; `/proc` counts in units of 1/100 s).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Peak resident memory of this process in KiB (`VmHWM`, Linux only).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
