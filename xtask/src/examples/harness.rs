//! The test workspace: the generated crates and a harness crate that
//! decodes each example into its type and re-encodes it, all members of one
//! [`Scratch`] workspace (`target/examples/`, one shared target directory,
//! the repository's `Cargo.lock`) built by one `cargo build`. The workspace
//! is reused between runs: a crate is rewritten only when its files change,
//! so a second run rebuilds only what changed.
//!
//! The harness is a binary with one decode function per distinct type
//! (`check::<T>`: `serde_json` with `serde_path_to_error` for the path of a
//! failure, then `serde_json::to_string`, as the client decodes and sends
//! bodies). It reads `examples.jsonl` (`{"id", "ty", "json"}` per line) and
//! prints one JSON line per example: `{"id", "ok": <re-encoded text>}` or
//! `{"id", "err": <message>}`.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::process::Stdio;

use serde_json::{Value, json};

use crate::scratch::Scratch;

/// The harness package name.
pub const HARNESS: &str = "examples-harness";

/// One example to decode.
pub struct Job {
    /// Its id in the results.
    pub id: usize,
    /// Index of its type in the harness's type list.
    pub ty: usize,
    /// The example, as JSON text.
    pub json: String,
}

/// What a build and run gave.
pub enum Outcome {
    /// The harness ran: example id → re-encoded text or error.
    Ran(HashMap<usize, Result<String, String>>),
    /// Generated crates with compile errors (name → first error): leave
    /// them out and try again.
    CratesFailed(BTreeMap<String, String>),
}

/// The harness source: one `check::<T>` per type.
fn harness_main(types: &[String]) -> String {
    let mut table = String::new();
    for t in types {
        let _ = writeln!(table, "    check::<{t}>,");
    }
    format!(
        r#"//! Written by `cargo xtask examples`: decodes each example into its
//! generated type and re-encodes it (see xtask/src/examples/harness.rs).

use std::io::Write as _;

type Check = fn(&str) -> Result<String, String>;

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Result<String, String> {{
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {{
        let path = e.path().to_string();
        if path == "." {{ e.inner().to_string() }} else {{ format!("at {{path}}: {{}}", e.inner()) }}
    }})?;
    de.end().map_err(|e| e.to_string())?;
    serde_json::to_string(&value).map_err(|e| format!("cannot re-encode: {{e}}"))
}}

static TYPES: &[Check] = &[
{table}];

fn main() {{
    let input = std::env::args().nth(1).expect("usage: examples-harness EXAMPLES.jsonl");
    let text = std::fs::read_to_string(&input).expect("the examples file is readable");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in text.lines() {{
        let job: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        let id = job["id"].as_u64().expect("an id");
        let ty = job["ty"].as_u64().expect("a type index") as usize;
        let json = job["json"].as_str().expect("the example text");
        let check = TYPES[ty];
        let result = std::panic::catch_unwind(|| check(json)).unwrap_or_else(|_| Err("panicked".to_owned()));
        let line = match result {{
            Ok(text) => serde_json::json!({{"id": id, "ok": text}}),
            Err(e) => serde_json::json!({{"id": id, "err": e}}),
        }};
        writeln!(out, "{{line}}").expect("stdout is writable");
    }}
}}
"#
    )
}

/// The harness crate's files.
fn harness_files(crates: &[String], types: &[String]) -> BTreeMap<String, String> {
    let deps: Vec<String> = crates.iter().map(|c| format!("{c} = {{ path = \"../{c}\" }}")).collect();
    let manifest = format!(
        "# Written by `cargo xtask examples`.\n[package]\nname = \"{HARNESS}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nserde = \"1\"\nserde_json = \"1\"\nserde_path_to_error = \"0.1\"\n\
         chrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }}\n\
         uuid = {{ version = \"1\", features = [\"serde\"] }}\n{}\n",
        deps.join("\n")
    );
    [("Cargo.toml".to_owned(), manifest), ("src/main.rs".to_owned(), harness_main(types))].into()
}

/// Writes the crates and the harness into `ws` (pruning crates of earlier
/// runs), builds the harness and runs it over `jobs`.
pub fn build_and_run(ws: &mut Scratch, crates: &[(String, &BTreeMap<String, String>)], types: &[String], jobs: &[Job]) -> Result<Outcome, String> {
    for (name, files) in crates {
        ws.add(name, files)?;
    }
    let names: Vec<String> = crates.iter().map(|(n, _)| n.clone()).collect();
    ws.add(HARNESS, &harness_files(&names, types))?;
    ws.prune()?;
    let mut lines = String::new();
    for job in jobs {
        let _ = writeln!(lines, "{}", json!({"id": job.id, "ty": job.ty, "json": job.json}));
    }
    let input = ws.dir().join("examples.jsonl");
    std::fs::write(&input, lines).map_err(|e| format!("cannot write {}: {e}", input.display()))?;
    // No debug info and no incremental data: the large crates build faster,
    // and their incremental caches alone would take gigabytes of disk.
    let env = [("CARGO_PROFILE_DEV_DEBUG", "false"), ("CARGO_INCREMENTAL", "0")];
    let run = ws.run(&["build", "-p", HARNESS, "--keep-going"], &env)?;
    let failed: BTreeMap<String, String> = run
        .crates
        .iter()
        .filter(|(name, c)| name.as_str() != HARNESS && !c.errors.is_empty())
        .map(|(name, c)| (name.clone(), c.errors[0].line.clone()))
        .collect();
    if !failed.is_empty() {
        return Ok(Outcome::CratesFailed(failed));
    }
    if let Some(harness) = run.crates.get(HARNESS).filter(|h| !h.errors.is_empty()) {
        let errors: Vec<&str> = harness.errors.iter().map(|d| d.rendered.as_str()).collect();
        return Err(format!("the harness does not compile:\n{}", errors.join("\n")));
    }
    if !run.success {
        return Err(format!("cargo build failed:\n{}", run.stderr_tail.join("\n")));
    }
    let exe = ws.target_dir().join("debug").join(HARNESS);
    run_harness(&exe, &input).map(Outcome::Ran)
}

/// Runs the harness over the jobs file: id → re-encoded text or error.
fn run_harness(exe: &std::path::Path, input: &std::path::Path) -> Result<HashMap<usize, Result<String, String>>, String> {
    let output = std::process::Command::new(exe)
        .arg(input)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
    if !output.status.success() {
        return Err(format!("the harness failed ({})", output.status));
    }
    let mut results = HashMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let v: Value = serde_json::from_str(line).map_err(|e| format!("unreadable harness output {line:?}: {e}"))?;
        let Some(id) = v["id"].as_u64() else { continue };
        let result = match (v["ok"].as_str(), v["err"].as_str()) {
            (Some(ok), _) => Ok(ok.to_owned()),
            (_, Some(err)) => Err(err.to_owned()),
            _ => Err("no result".to_owned()),
        };
        results.insert(id as usize, result);
    }
    Ok(results)
}
