//! Resource figures of the current process (Linux `/proc`), for the command
//! line's `--stats` and the benchmark's parse-only floor program, so both
//! measure the same way; and the allocator setting both programs start with.

/// Tells mimalloc (the global allocator of the command line and of the
/// floor program) to keep memory it freed instead of returning it to the
/// OS 10 ms later: a short-lived process that builds and drops large trees
/// (the JSON value, the model, token streams) would otherwise have the
/// kernel zero the same pages again on the next use, which took about a
/// tenth of GitHub's generation time (system time 0.07–0.43 s, against
/// 0.00–0.03 s without purging). Call it first in `main`; harmless when
/// mimalloc is not the global allocator.
pub fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc's `mi_option_e` (v2 and v3).
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one option value; mimalloc reads options atomically.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}

/// CPU time (user + system, all threads) of this process so far, in
/// seconds (Linux only; `/proc` counts in units of 1/100 s).
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / 100.0)
}

/// Peak resident memory of this process in KiB (`VmHWM`, Linux only).
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
