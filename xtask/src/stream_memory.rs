//! `cargo xtask stream-memory [--size-mb N] [--whole]`: the memory a large
//! download takes when it is streamed through a generated client. Builds
//! `tests/examples/stream_memory.rs` in release mode and runs it: the
//! reference stream service and the generated `stream-service-client` in
//! one process, N MiB (default 1024) read with `.into_stream()` (or, with
//! `--whole`, into a `Vec<u8>` with `.await`, for comparison). Reports the
//! process's peak resident memory (`VmHWM`) and fails when a streamed
//! download's peak reaches [`LIMIT_MIB`].

use std::collections::BTreeMap;

use crate::{root, scratch};

/// The most a streamed download may take, in MiB.
pub const LIMIT_MIB: u64 = 64;

/// What to measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The download's size in MiB.
    pub size_mib: u64,
    /// Read it whole with `.await` instead of streaming it.
    pub whole: bool,
}

/// Parses `[--size-mb N] [--whole]`.
pub fn parse_args(args: &[&str]) -> Result<Options, String> {
    let mut options = Options { size_mib: 1024, whole: false };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match *arg {
            "--size-mb" => options.size_mib = it.next().and_then(|v| v.parse().ok()).ok_or("--size-mb needs a number of MiB")?,
            "--whole" => options.whole = true,
            other => return Err(format!("unknown argument {other:?}; usage: cargo xtask stream-memory [--size-mb N] [--whole]")),
        }
    }
    Ok(options)
}

/// Builds and runs the measurement; the report, or an error when the
/// download failed or (streamed) went over [`LIMIT_MIB`].
pub fn stream_memory(options: &Options) -> Result<String, String> {
    eprintln!("stream-memory: building tests/examples/stream_memory.rs (release)");
    let status = scratch::cargo()
        .current_dir(root())
        .args(["build", "--release", "--quiet", "-p", "integration-tests", "--example", "stream_memory"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("cargo build --release --example stream_memory failed".to_owned());
    }
    let exe = scratch::target_dir().join("release").join("examples").join(format!("stream_memory{}", std::env::consts::EXE_SUFFIX));
    let mut cmd = std::process::Command::new(&exe);
    cmd.arg(options.size_mib.to_string());
    if options.whole {
        cmd.arg("--whole");
    }
    eprintln!("stream-memory: downloading {} MiB", options.size_mib);
    let out = cmd.output().map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !out.status.success() {
        return Err(format!("the download failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    let stats: BTreeMap<String, String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("stream-memory: "))
        .filter_map(|l| l.split_once(' ').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect();
    let number = |key: &str| stats.get(key).and_then(|v| v.parse::<f64>().ok()).ok_or(format!("no {key} in the output"));
    let (bytes, seconds, peak, baseline) = (number("bytes")?, number("seconds")?, number("peak_rss_kib")?, number("baseline_rss_kib")?);
    let mib = |kib: f64| kib / 1024.0;
    let report = format!(
        "stream-memory: {} MiB read {} in {seconds:.1} s ({:.0} MiB/s, {} chunks); peak memory {:.1} MiB (before the download {:.1} MiB; limit {LIMIT_MIB} MiB when streamed)",
        bytes / 1024.0 / 1024.0,
        if options.whole { "whole with .await" } else { "as a stream with .into_stream()" },
        bytes / 1024.0 / 1024.0 / seconds.max(1e-9),
        stats.get("chunks").map(String::as_str).unwrap_or("?"),
        mib(peak),
        mib(baseline),
    );
    if !options.whole && mib(peak) >= LIMIT_MIB as f64 {
        return Err(format!("{report}\nstream-memory: over the limit"));
    }
    Ok(report)
}
