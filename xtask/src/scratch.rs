//! Scratch workspaces: generated crates written as members of one temporary
//! Cargo workspace and built by one cargo command.
//!
//! Every place that compiles generated code goes through here: the fixture
//! compile test (`integration_tests::fixtures::compile_all`), `cargo xtask
//! corpus`, `cargo xtask bench` and the fuzzer's compile oracle.
//!
//! A [`Scratch`] in directory `DIR` is:
//! - `DIR/crates/NAME/`: one member per crate, written by [`Scratch::add`]
//!   (or by another program into [`Scratch::crate_dir`], then registered with
//!   [`Scratch::add_dir`]);
//! - `DIR/Cargo.toml`: a `[workspace]` listing the members, rewritten by
//!   every add;
//! - `DIR/Cargo.lock`: this repository's lock file, copied in by
//!   [`Scratch::new`], so generated crates build with the dependency versions
//!   the project is tested with (and cargo needs no new resolution);
//! - `DIR/target/`: one target directory for all members, kept between runs,
//!   so dependencies are built once.
//!
//! [`Scratch::new`] starts with no members: it deletes `DIR/crates/` (crates
//! of an earlier run) but keeps `DIR/target/`. [`Scratch::reuse`] keeps the
//! crates too and rewrites one only when its files changed, so a second run
//! rebuilds only what changed (`cargo xtask examples`). [`Scratch::cargo`] is a
//! `$CARGO` command for the workspace (run it with `.output()`, `.status()`,
//! or add `.env(..)` first); [`Scratch::run`] runs one with JSON messages
//! and sorts the compiler's errors and warnings by member ([`CargoRun`]).
//! Commands run with `CARGO_TARGET_DIR=DIR/target` and without the caller's
//! `RUSTFLAGS` (so a `-D warnings` meant for this repository does not leak
//! into generated code, and builds share one fingerprint).
//!
//! ```no_run
//! # fn main() -> Result<(), String> {
//! use xtask::scratch::Scratch;
//! let config = openapi_rust_gen::Config {
//!     crate_name: "my-client".to_owned(),
//!     crate_version: None,
//!     spec_label: "my.yaml".to_owned(),
//!     regenerate: "cargo xtask mine".to_owned(),
//!     strict: false,
//! };
//! let generated = openapi_rust_gen::generate_file("my.yaml".as_ref(), &config).map_err(|e| e.to_string())?;
//! let mut ws = Scratch::in_target("mine")?; // target/mine/
//! ws.add("my-client", &generated.files)?;
//! let run = ws.run(&["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"], &[])?;
//! for (name, krate) in &run.crates {
//!     println!("{name}: built {}, {} errors, {} warnings", krate.built, krate.errors.len(), krate.warnings.len());
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// A `$CARGO` command (plain `cargo` when the variable is not set), with no
/// arguments and no working directory set.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// This repository's target directory (`$CARGO_TARGET_DIR`, else `target/`
/// under the workspace root).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| crate::root().join("target"))
}

/// A scratch workspace of generated crates; see the module docs.
#[derive(Debug)]
pub struct Scratch {
    dir: PathBuf,
    members: Vec<String>,
    /// Crates of an earlier run are kept and rewritten only when changed.
    reuse: bool,
}

impl Scratch {
    /// A scratch workspace in `dir` (created if missing) with no members:
    /// deletes `dir/crates/`, writes an empty workspace manifest and copies
    /// this repository's `Cargo.lock` in. `dir/target/` is kept.
    pub fn new(dir: impl Into<PathBuf>) -> Result<Scratch, String> {
        let dir = dir.into();
        let crates = dir.join("crates");
        match std::fs::remove_dir_all(&crates) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot clear {}: {e}", crates.display())),
        }
        std::fs::create_dir_all(&crates).map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
        let lock = crate::root().join("Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
        let scratch = Scratch { dir, members: Vec::new(), reuse: false };
        scratch.write_manifest()?;
        Ok(scratch)
    }

    /// Like [`Scratch::new`], but the crates of an earlier run stay:
    /// [`Scratch::add`] rewrites a crate only when its files changed (so
    /// cargo rebuilds only what changed, as `cargo xtask examples` needs for
    /// crates that take minutes to build), and [`Scratch::prune`] removes the
    /// crates not added this time.
    pub fn reuse(dir: impl Into<PathBuf>) -> Result<Scratch, String> {
        let dir = dir.into();
        let crates = dir.join("crates");
        std::fs::create_dir_all(&crates).map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
        let lock = crate::root().join("Cargo.lock");
        std::fs::copy(&lock, dir.join("Cargo.lock")).map_err(|e| format!("cannot copy {}: {e}", lock.display()))?;
        let scratch = Scratch { dir, members: Vec::new(), reuse: true };
        scratch.write_manifest()?;
        Ok(scratch)
    }

    /// Removes the crate directories that are not members (crates an
    /// earlier run of a [`Scratch::reuse`]d workspace added).
    pub fn prune(&self) -> Result<(), String> {
        let crates = self.dir.join("crates");
        let entries = std::fs::read_dir(&crates).map_err(|e| format!("cannot list {}: {e}", crates.display()))?;
        for entry in entries.flatten() {
            if !self.members.iter().any(|m| entry.file_name() == m.as_str()) {
                let path = entry.path();
                let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
                removed.map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        }
        Ok(())
    }

    /// [`Scratch::new`] in `NAME/` under this repository's [`target_dir`].
    pub fn in_target(name: &str) -> Result<Scratch, String> {
        Scratch::new(target_dir().join(name))
    }

    /// The workspace directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The shared target directory, `DIR/target`.
    pub fn target_dir(&self) -> PathBuf {
        self.dir.join("target")
    }

    /// Where member `name` lives: `DIR/crates/NAME`.
    pub fn crate_dir(&self, name: &str) -> PathBuf {
        self.dir.join("crates").join(name)
    }

    /// The members, in the order they were added.
    pub fn members(&self) -> &[String] {
        &self.members
    }

    /// Writes a generated crate (relative path → content, as in
    /// `Generated::files`) to [`Scratch::crate_dir`]`(name)` and makes it a
    /// member. Returns its directory.
    pub fn add(&mut self, name: &str, files: &BTreeMap<String, String>) -> Result<PathBuf, String> {
        let dir = self.crate_dir(name);
        let unchanged = self.reuse && openapi_rust_gen::output::stale(&dir, files).is_ok_and(|stale| stale.is_empty());
        if !unchanged {
            openapi_rust_gen::output::write(&dir, files).map_err(|e| format!("cannot write crate {name}: {e}"))?;
        }
        self.add_dir(name)?;
        Ok(dir)
    }

    /// Makes the crate already written to [`Scratch::crate_dir`]`(name)`
    /// (by the generator's command line, say) a member.
    pub fn add_dir(&mut self, name: &str) -> Result<(), String> {
        if !self.members.iter().any(|m| m == name) {
            self.members.push(name.to_owned());
        }
        self.write_manifest()
    }

    fn write_manifest(&self) -> Result<(), String> {
        let members: Vec<String> = self.members.iter().map(|m| format!("    \"crates/{m}\",\n")).collect();
        let manifest = format!(
            "# A scratch workspace of generated crates, written by xtask::scratch; rewritten on every run.\n\
             [workspace]\nresolver = \"3\"\nmembers = [\n{}]\n",
            members.concat()
        );
        let path = self.dir.join("Cargo.toml");
        std::fs::write(&path, manifest).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// A `$CARGO` command with `args` (`["check", "--workspace"]`), run in
    /// the workspace with `CARGO_TARGET_DIR` set to [`Scratch::target_dir`]
    /// and `RUSTFLAGS` (and cargo's other rustflags variables) removed.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let mut cmd = cargo();
        cmd.current_dir(&self.dir).args(args).env("CARGO_TARGET_DIR", self.target_dir());
        for var in ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS"] {
            cmd.env_remove(var);
        }
        cmd
    }

    /// Runs [`Scratch::cargo`]`(args)` with `env` added and
    /// `--message-format=json` (put before a `--`, if any), passing cargo's
    /// progress (stderr) through, and collects what the compiler said about
    /// each member.
    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Result<CargoRun, String> {
        let mut cmd = self.cargo(&with_json_messages(args));
        cmd.envs(env.iter().copied()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = child.stderr.take();
        let stderr_thread = std::thread::spawn(move || {
            let mut tail: Vec<String> = Vec::new();
            if let Some(stderr) = stderr {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    eprintln!("{line}");
                    tail.push(line);
                    if tail.len() > TAIL_LINES {
                        tail.remove(0);
                    }
                }
            }
            tail
        });
        let mut crates: BTreeMap<String, CrateResult> =
            self.members.iter().map(|m| (m.clone(), CrateResult::default())).collect();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(message) = serde_json::from_str::<Value>(&line) {
                    record(&message, &mut crates);
                }
            }
        }
        let status = child.wait().map_err(|e| format!("cargo: {e}"))?;
        let stderr_tail = stderr_thread.join().unwrap_or_default();
        Ok(CargoRun { success: status.success(), crates, stderr_tail })
    }
}

/// `args` with `--message-format=json` added before a `--` (whatever
/// follows it goes to rustc or clippy), or at the end.
fn with_json_messages<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let split = args.iter().position(|a| *a == "--").unwrap_or(args.len());
    let mut all = args[..split].to_vec();
    all.push("--message-format=json");
    all.extend(&args[split..]);
    all
}

/// How many of cargo's last stderr lines [`CargoRun::stderr_tail`] keeps.
pub const TAIL_LINES: usize = 40;

/// The outcome of [`Scratch::run`].
#[derive(Debug)]
pub struct CargoRun {
    /// Cargo exited with success.
    pub success: bool,
    /// Every member (by name, as added), with what the compiler said about it.
    pub crates: BTreeMap<String, CrateResult>,
    /// Cargo's last [`TAIL_LINES`] stderr lines (for a failure that belongs
    /// to no member: a resolution or download error).
    pub stderr_tail: Vec<String>,
}

/// What the compiler said about one member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateResult {
    /// At least one of its targets was built (or checked).
    pub built: bool,
    /// Its errors, in order, each once (cargo repeats a diagnostic for
    /// every target that compiles the same file).
    pub errors: Vec<Diagnostic>,
    /// Its warnings, likewise.
    pub warnings: Vec<Diagnostic>,
}

/// One compiler diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// One line: `FILE:LINE:COLUMN: message` (FILE relative to the scratch
    /// workspace), or the message alone when it has no location.
    pub line: String,
    /// The compiler's full text, as a terminal shows it.
    pub rendered: String,
}

/// The member a cargo message is about: the directory name of its
/// `manifest_path` when that is `…/crates/NAME/Cargo.toml` for a member.
fn member_of<'m>(message: &Value, crates: &'m BTreeMap<String, CrateResult>) -> Option<&'m String> {
    let manifest = Path::new(message["manifest_path"].as_str()?);
    let dir = manifest.parent()?;
    if dir.parent()?.file_name()? != "crates" {
        return None;
    }
    let name = dir.file_name()?.to_str()?;
    crates.get_key_value(name).map(|(k, _)| k)
}

/// Records one of cargo's JSON messages against its member; messages about
/// dependencies and rustc's summaries ("aborting due to …", "N warnings
/// emitted") are left out.
fn record(message: &Value, crates: &mut BTreeMap<String, CrateResult>) {
    let Some(name) = member_of(message, crates).cloned() else { return };
    let Some(krate) = crates.get_mut(&name) else { return };
    match message["reason"].as_str() {
        Some("compiler-message") => {
            let diagnostic = &message["message"];
            let text = diagnostic["message"].as_str().unwrap_or("");
            let summary = text.starts_with("aborting due to") || (text.ends_with(" emitted") && text.contains("warning"));
            let list = match diagnostic["level"].as_str() {
                Some("error" | "error: internal compiler error") if !summary => &mut krate.errors,
                Some("warning") if !summary => &mut krate.warnings,
                _ => return,
            };
            let entry = Diagnostic { line: one_line(diagnostic), rendered: diagnostic["rendered"].as_str().unwrap_or(text).to_owned() };
            if !list.contains(&entry) {
                list.push(entry);
            }
        }
        Some("compiler-artifact") => krate.built = true,
        _ => {}
    }
}

/// A diagnostic as one line: its first primary location and its message.
fn one_line(diagnostic: &Value) -> String {
    let text = diagnostic["message"].as_str().unwrap_or("");
    let spans = diagnostic["spans"].as_array();
    let span = spans.and_then(|s| s.iter().find(|s| s["is_primary"] == true).or(s.first()));
    match span {
        Some(s) => format!(
            "{}:{}:{}: {text}",
            s["file_name"].as_str().unwrap_or("?"),
            s["line_start"].as_u64().unwrap_or(0),
            s["column_start"].as_u64().unwrap_or(0)
        ),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crates(names: &[&str]) -> BTreeMap<String, CrateResult> {
        names.iter().map(|n| (n.to_string(), CrateResult::default())).collect()
    }

    fn message(manifest: &str, level: &str, text: &str, spans: &str) -> Value {
        let json = format!(
            r#"{{"reason":"compiler-message","manifest_path":"{manifest}","target":{{"name":"x"}},"message":{{"level":"{level}","message":"{text}","rendered":"{level}: {text}\n","spans":{spans}}}}}"#
        );
        serde_json::from_str(&json).expect("test message parses")
    }

    const SPAN: &str = r#"[{"file_name":"crates/a-b/src/types.rs","line_start":3,"column_start":5,"is_primary":true}]"#;

    #[test]
    fn messages_go_to_their_member_by_manifest_path() {
        let mut c = crates(&["a-b", "c"]);
        let a = "/tmp/ws/crates/a-b/Cargo.toml";
        for m in [
            message(a, "warning", "unused variable", SPAN),
            message(a, "error", "mismatched types", SPAN),
            // The same diagnostic again, from another target of the crate.
            message(a, "error", "mismatched types", SPAN),
            // Summaries and notes are not diagnostics of their own.
            message(a, "error", "aborting due to 1 previous error", "[]"),
            message(a, "warning", "2 warnings emitted", "[]"),
            message(a, "failure-note", "For more information about this error, try `rustc --explain E0308`.", "[]"),
            // A dependency (not under crates/), and a directory that is no member.
            message("/home/u/.cargo/registry/src/x/serde-1.0.0/Cargo.toml", "warning", "dep", SPAN),
            message("/tmp/ws/crates/gone/Cargo.toml", "error", "old", SPAN),
        ] {
            record(&m, &mut c);
        }
        let artifact = |manifest: &str| {
            serde_json::from_str::<Value>(&format!(r#"{{"reason":"compiler-artifact","manifest_path":"{manifest}"}}"#)).expect("parses")
        };
        record(&artifact("/tmp/ws/crates/c/Cargo.toml"), &mut c);
        let a = &c["a-b"];
        assert!(!a.built);
        assert_eq!(a.errors.len(), 1);
        assert_eq!(a.errors[0].line, "crates/a-b/src/types.rs:3:5: mismatched types");
        assert_eq!(a.errors[0].rendered, "error: mismatched types\n");
        assert_eq!(a.warnings.iter().map(|d| d.line.as_str()).collect::<Vec<_>>(), ["crates/a-b/src/types.rs:3:5: unused variable"]);
        assert_eq!(c["c"], CrateResult { built: true, ..CrateResult::default() });
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn a_message_without_location_is_kept_whole() {
        let mut c = crates(&["a"]);
        record(&message("/w/crates/a/Cargo.toml", "error", "linking failed", "[]"), &mut c);
        assert_eq!(c["a"].errors[0].line, "linking failed");
    }

    #[test]
    fn a_workspace_lists_its_members_and_pins_versions() {
        let dir = std::env::temp_dir().join(format!("xtask-scratch-test-{}", std::process::id()));
        let mut ws = Scratch::new(&dir).expect("scratch");
        std::fs::write(dir.join("crates/stray"), "x").expect("a stray file");
        let files: BTreeMap<String, String> = [("Cargo.toml".to_owned(), "[package]\nname = \"one\"\n".to_owned())].into();
        let one = ws.add("one", &files).expect("add");
        assert_eq!(one, dir.join("crates/one"));
        assert!(one.join("Cargo.toml").is_file());
        std::fs::create_dir_all(ws.crate_dir("two")).expect("dir");
        ws.add_dir("two").expect("add_dir");
        ws.add_dir("two").expect("twice");
        assert_eq!(ws.members(), ["one", "two"]);
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("manifest");
        assert!(manifest.contains("[workspace]\nresolver = \"3\"\nmembers = [\n    \"crates/one\",\n    \"crates/two\",\n]\n"), "{manifest}");
        let lock = std::fs::read(dir.join("Cargo.lock")).expect("lock");
        assert_eq!(lock, std::fs::read(crate::root().join("Cargo.lock")).expect("root lock"));
        // A new scratch in the same place starts empty but keeps the target directory.
        std::fs::create_dir_all(ws.target_dir()).expect("target");
        let ws = Scratch::new(&dir).expect("again");
        assert!(ws.members().is_empty() && dir.join("crates").is_dir());
        assert!(!dir.join("crates/one").exists() && !dir.join("crates/stray").exists());
        assert!(ws.target_dir().is_dir());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_reused_workspace_keeps_unchanged_crates() {
        let dir = std::env::temp_dir().join(format!("xtask-scratch-reuse-{}", std::process::id()));
        let files: BTreeMap<String, String> = [("Cargo.toml".to_owned(), "[package]\nname = \"one\"\n".to_owned())].into();
        let mut ws = Scratch::reuse(&dir).expect("scratch");
        ws.add("one", &files).expect("add");
        ws.add("gone", &files).expect("add");
        let written = std::fs::metadata(dir.join("crates/one/Cargo.toml")).and_then(|m| m.modified()).expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));
        let mut ws = Scratch::reuse(&dir).expect("again");
        assert!(ws.members().is_empty() && dir.join("crates/gone").is_dir());
        ws.add("one", &files).expect("add");
        ws.prune().expect("prune");
        let again = std::fs::metadata(dir.join("crates/one/Cargo.toml")).and_then(|m| m.modified()).expect("mtime");
        assert_eq!(written, again, "an unchanged crate is not rewritten");
        assert!(!dir.join("crates/gone").exists());
        let changed: BTreeMap<String, String> = [("Cargo.toml".to_owned(), "[package]\nname = \"two\"\n".to_owned())].into();
        ws.add("one", &changed).expect("add");
        assert_eq!(std::fs::read_to_string(dir.join("crates/one/Cargo.toml")).expect("read"), changed["Cargo.toml"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn commands_run_in_the_workspace_without_rustflags() {
        let ws = Scratch { dir: PathBuf::from("/w"), members: Vec::new(), reuse: false };
        let cmd = ws.cargo(&["check", "--workspace"]);
        assert_eq!(cmd.get_current_dir(), Some(Path::new("/w")));
        assert_eq!(cmd.get_args().collect::<Vec<_>>(), ["check", "--workspace"]);
        let envs: BTreeMap<_, _> = cmd.get_envs().collect();
        assert_eq!(envs.get(std::ffi::OsStr::new("CARGO_TARGET_DIR")), Some(&Some(std::ffi::OsStr::new("/w/target"))));
        assert_eq!(envs.get(std::ffi::OsStr::new("RUSTFLAGS")), Some(&None));
        assert_eq!(with_json_messages(&["check"]), ["check", "--message-format=json"]);
        assert_eq!(
            with_json_messages(&["clippy", "--workspace", "--", "-D", "warnings"]),
            ["clippy", "--workspace", "--message-format=json", "--", "-D", "warnings"]
        );
    }
}
