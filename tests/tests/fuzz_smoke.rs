//! A short, deterministic run of the generator's mutation fuzzer
//! (`cargo xtask fuzz` runs it for longer): a fixed seed and a fixed number
//! of mutated specs, starting from `spec/`, the fixtures and the bad-spec
//! catalogue. Any panic or render error fails the test and names the input.

use xtask::fuzz::{Budget, FuzzConfig, run};

#[test]
fn mutated_specs_never_panic() {
    let root = xtask::root();
    let seeds: Vec<_> = xtask::fuzz::default_seeds(&root)
        .into_iter()
        .filter(|p| !p.starts_with(root.join("../shared")))
        .collect();
    assert!(seeds.len() >= 10, "too few seeds: {seeds:?}");
    let report = run(&FuzzConfig {
        seed: 0x5eed,
        budget: Budget::Executions(1000),
        seeds,
        crash_dir: None,
        max_seed_bytes: 256 * 1024,
        progress_every: 0,
        compile_every: 0,
        compile_dir: None,
        save_current: false,
    });
    assert_eq!(report.executions, 1000);
    // The mutants reach both outcomes: some still generate, some are rejected.
    assert!(report.generated > 0 && report.spec_errors > 0, "{report:?}");
    let findings: Vec<String> = report
        .findings
        .iter()
        .map(|f| format!("{}\ninput:\n{}", f.message, String::from_utf8_lossy(&f.input)))
        .collect();
    assert!(findings.is_empty(), "the generator failed on mutated specs:\n{}", findings.join("\n\n"));
}
