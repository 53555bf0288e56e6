//! Versioning a generated crate by what each spec change does to its Rust
//! API (see `openapi_rust_gen::diff` for the rules).
//!
//! # Where the old API comes from
//!
//! Every regeneration stores the spec it used, byte for byte after a
//! generated-file header line, as `openapi.yaml` in the generated crate
//! ([`SNAPSHOT`]). The next regeneration models that snapshot and the
//! current spec with the same generator and compares the two models. This
//! was preferred over reading the previous spec from git (`git show
//! HEAD:spec/openapi.yaml`) because it
//! - needs no git and no history (fresh clones, source tarballs, CI);
//! - is idempotent: a second `cargo xtask codegen` compares the spec with
//!   itself and bumps nothing, committed or not;
//! - lets `--check` tell, from the working tree alone, whether the committed
//!   version is what the spec change demands;
//! - keeps generator upgrades out of the report (both sides are modelled by
//!   the same generator), so the report speaks only of spec changes;
//! - ships the exact spec inside the crate it describes.
//!
//! A crate generated with a configuration file (`Target::config`) also
//! stores that file, byte for byte after a header line, as
//! `openapi-rust-gen.toml` ([`CONFIG_SNAPSHOT`]): the old API is the old spec
//! under the old configuration, so a configuration change that changes the
//! Rust API (a filter dropping an operation) is reported and versioned like
//! a spec change. Each spec is modelled once: the new model is both diffed
//! and emitted.
//!
//! # The version and the changelog
//!
//! `CHANGELOG.md` in the generated crate ([`CHANGELOG`]) is kept by hand
//! *and* by the generator: it has no generated-file header, regeneration only
//! inserts a `## VERSION` entry (the report as Markdown) above the newest one,
//! and any text you add is kept. The newest `## VERSION` heading is the
//! version the next change bumps from (the committed `Cargo.toml` version
//! when there is no changelog yet); so to release a version by hand (say
//! `1.0.0`), add a `## 1.0.0` entry at the top and regenerate. Entries carry
//! no dates, so output stays deterministic.
//!
//! In check mode the same computation runs against the committed files: a
//! spec edit without regeneration leaves `Cargo.toml`, the changelog and the
//! snapshot stale, and the error shows the report and the version it demands.

use std::path::Path;

use openapi_rust_gen::diff::{Report, next_version};
use openapi_rust_gen::render::header;
use openapi_rust_gen::{Config, ConfigFile, Generated, Generator};

use crate::Target;

/// The spec snapshot, relative to the generated crate.
pub const SNAPSHOT: &str = "openapi.yaml";
/// The configuration snapshot, relative to the generated crate (only for a
/// target with a configuration file).
pub const CONFIG_SNAPSHOT: &str = "openapi-rust-gen.toml";
/// The changelog, relative to the generated crate.
pub const CHANGELOG: &str = "CHANGELOG.md";

/// A generated crate with its version decided.
#[derive(Debug)]
pub struct Versioned {
    /// Every file to write, snapshot and changelog included.
    pub generated: Generated,
    /// The change report; `None` on the first generation (no snapshot yet).
    pub report: Option<Report>,
    /// The version the change bumps from (`None` on the first generation).
    pub previous: Option<String>,
    /// The crate's version now.
    pub version: String,
}

impl Versioned {
    /// For check mode: the report and the version the spec change demands.
    pub fn demand(&self, crate_name: &str) -> String {
        match (&self.report, &self.previous) {
            (Some(report), Some(previous)) if !report.is_empty() => format!(
                "{}\n{crate_name}: this spec change is {}, so the version must be {} (committed: {previous})",
                report.to_text(),
                report.level.map(|l| l.as_str()).unwrap_or("none"),
                self.version
            ),
            _ => format!("{crate_name}: version {}", self.version),
        }
    }

    /// What to tell the user: the report and the version decision.
    pub fn summary(&self, crate_name: &str) -> String {
        match (&self.report, &self.previous) {
            (Some(report), Some(previous)) if !report.is_empty() => {
                format!("{}\n{crate_name}: version {previous} → {}", report.to_text(), self.version)
            }
            (Some(_), _) => format!("{crate_name}: no API change (version {})", self.version),
            (None, _) => format!("{crate_name}: first versioned generation (version {})", self.version),
        }
    }
}

/// Generates a target's crate (paths relative to `root`) and decides its
/// version from the change since the spec (and configuration) snapshot in
/// its directory.
pub fn generate(root: &Path, target: &Target, regenerate: &str) -> Result<Versioned, String> {
    let (spec, out) = (target.spec, target.out);
    let out_dir = root.join(out);
    let spec_bytes = read(&root.join(spec))?.ok_or_else(|| format!("error: cannot read {spec}: not found"))?;
    let config_text = match target.config {
        Some(path) => Some(read(&root.join(path))?.ok_or_else(|| format!("error: cannot read {path}: not found"))?),
        None => None,
    };
    let generator = |label: &str, config: Option<(&[u8], &str)>| {
        let g = Generator::new(Config {
            crate_name: target.crate_name.to_owned(),
            crate_version: None,
            spec_label: label.to_owned(),
            regenerate: regenerate.to_owned(),
            strict: target.strict,
        });
        match config {
            Some((bytes, origin)) => g.with_config_file(ConfigFile::from_toml(&String::from_utf8_lossy(bytes), origin)),
            None => g,
        }
    };
    let mut new_generator = generator(spec, config_text.as_deref().zip(target.config));
    let new_api = new_generator.model(&spec_bytes).map_err(|e| format!("error: {e}"))?;

    let snapshot_label = format!("{out}/{SNAPSHOT}");
    let config_label = format!("{out}/{CONFIG_SNAPSHOT}");
    let old_config = read(&out_dir.join(CONFIG_SNAPSHOT))?;
    let old_api = match read(&out_dir.join(SNAPSHOT))? {
        Some(bytes) => Some(generator(&snapshot_label, old_config.as_deref().map(|c| (c, config_label.as_str()))).model(&bytes).map_err(|e| {
            format!("error: the spec snapshot {snapshot_label} (with its configuration) no longer loads ({e}); delete it to restart versioning from the current version")
        })?),
        None => None,
    };
    let changelog = match read(&out_dir.join(CHANGELOG))? {
        Some(bytes) => Some(String::from_utf8(bytes).map_err(|_| format!("error: {out}/{CHANGELOG} is not UTF-8"))?),
        None => None,
    };
    let cargo_version = match read(&out_dir.join("Cargo.toml"))? {
        Some(bytes) => package_version(&String::from_utf8_lossy(&bytes)),
        None => None,
    };
    let previous = changelog.as_deref().and_then(newest_version).or(cargo_version);

    let (report, version) = match (&old_api, &previous) {
        (Some(old), Some(previous)) => {
            let report = openapi_rust_gen::diff::diff(old, &new_api);
            let version = next_version(previous, report.level).map_err(|e| format!("error: {out}: {e}"))?;
            (Some(report), version)
        }
        // First versioned generation: keep the committed version, or start from `info.version`.
        (_, Some(previous)) => (None, previous.clone()),
        (_, None) => (None, openapi_rust_gen::version::from_spec_version(&new_api.spec_version).to_string()),
    };

    new_generator.config.crate_version = Some(version.clone());
    let spec_version = new_api.spec_version.clone();
    let mut generated = new_generator.emit(new_api).map_err(|e| format!("error: {e}"))?;

    let snapshot = format!("{}\n{}", header(spec, regenerate).replacen("//", "#", 1), String::from_utf8_lossy(&spec_bytes));
    generated.files.insert(SNAPSHOT.to_owned(), snapshot);
    if let (Some(path), Some(text)) = (target.config, &config_text) {
        let snapshot = format!("{}\n{}", header(path, regenerate).replacen("//", "#", 1), String::from_utf8_lossy(text));
        generated.files.insert(CONFIG_SNAPSHOT.to_owned(), snapshot);
    }

    let entry = match &report {
        Some(r) if r.is_empty() => None,
        Some(r) => Some(format!("## {version}\n\nFrom {spec} (spec version {spec_version}). {}", r.to_markdown())),
        None if changelog.as_deref().and_then(newest_version).is_some() => None,
        None => Some(format!("## {version}\n\nFirst version generated from {spec} (spec version {spec_version}).\n")),
    };
    let changelog = match (changelog, entry) {
        (Some(text), Some(entry)) => insert_entry(&text, &entry),
        (Some(text), None) => text,
        (None, entry) => insert_entry(&changelog_intro(target.crate_name), entry.as_deref().unwrap_or("")),
    };
    generated.files.insert(CHANGELOG.to_owned(), changelog);
    let previous = old_api.as_ref().and(previous);
    Ok(Versioned { generated, report, previous, version })
}

/// Reads a file; `None` when it does not exist.
fn read(path: &Path) -> Result<Option<Vec<u8>>, String> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("error: cannot read {}: {e}", path.display())),
    }
}

/// The `version = "…"` of a `Cargo.toml`'s `[package]` table.
pub fn package_version(cargo_toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in cargo_toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if in_package && let Some(rest) = line.strip_prefix("version") {
            let value = rest.trim_start().strip_prefix('=')?.trim();
            return Some(value.trim_matches('"').to_owned());
        }
    }
    None
}

/// The version of a `## VERSION …` heading line (a crate version by
/// Cargo's rules, `v` prefix allowed: `openapi_rust_gen::version::parse`).
fn heading_version(line: &str) -> Option<String> {
    let word = line.strip_prefix("## ")?.split_whitespace().next()?;
    openapi_rust_gen::version::parse(word).ok().map(|v| v.to_string())
}

/// The version of the newest (first) `## VERSION` entry of a changelog;
/// other `## ` headings (`## Unreleased`) are skipped.
pub fn newest_version(changelog: &str) -> Option<String> {
    changelog.lines().find_map(heading_version)
}

/// The changelog's text above the entries.
fn changelog_intro(crate_name: &str) -> String {
    format!(
        "# Changelog of {crate_name}\n\n`cargo xtask codegen` adds an entry here whenever a spec change changes the Rust API, and \
         versions the crate by the change: breaking → next major (next minor below 1.0), additive → next minor, docs-only → \
         next patch. Text you add is kept; keep the `## VERSION` headings, the newest one first.\n"
    )
}

/// Inserts `entry` above the newest version entry (or at the end when there is none).
fn insert_entry(text: &str, entry: &str) -> String {
    if entry.is_empty() {
        return text.to_owned();
    }
    let entry = format!("{}\n", entry.trim_end());
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if heading_version(line.trim_end()).is_some() {
            return format!("{}{entry}\n{}", &text[..offset], &text[offset..]);
        }
        offset += line.len();
    }
    let mut out = text.trim_end().to_owned();
    out.push_str("\n\n");
    out.push_str(&entry);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_package_version() {
        let toml = "# header\n[package]\nname = \"x\"\nversion = \"1.2.3\"\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(package_version(toml).as_deref(), Some("1.2.3"));
        assert_eq!(package_version("[dependencies]\nversion = \"1\"\n"), None);
    }

    #[test]
    fn newest_entry_wins_and_entries_go_on_top() {
        let text = insert_entry(&changelog_intro("c"), "## 1.0.0\n\nFirst.\n");
        assert_eq!(newest_version(&text).as_deref(), Some("1.0.0"));
        let text = insert_entry(&text, "## 2.0.0\n\nSecond.\n");
        assert_eq!(newest_version(&text).as_deref(), Some("2.0.0"));
        assert!(text.find("## 2.0.0").unwrap() < text.find("## 1.0.0").unwrap());
        assert!(text.starts_with("# Changelog of c\n"));
        assert_eq!(newest_version("## Unreleased\n## v1.2.3 (spring)\n").as_deref(), Some("1.2.3"));
        assert_eq!(newest_version("## 1.2\n"), None);
        assert_eq!(newest_version("## 2.0.0-beta.1+b5 (preview)\n## 1.0.0\n").as_deref(), Some("2.0.0-beta.1+b5"));
        // Not Cargo versions: leading zeros, an empty pre-release, a date.
        assert_eq!(newest_version("## 01.2.3\n## 1.2.3-\n## 2023-01-01\n## 0.3.0\n").as_deref(), Some("0.3.0"));
        let text = insert_entry("# C\n\n## Unreleased\n\nNotes.\n\n## 1.0.0\n", "## 1.1.0\n\nNew.");
        assert_eq!(text, "# C\n\n## Unreleased\n\nNotes.\n\n## 1.1.0\n\nNew.\n\n## 1.0.0\n");
    }
}
