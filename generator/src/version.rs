//! Versions of generated crates, on the `semver` crate (Cargo's own rules).
//!
//! Two kinds of text become versions:
//! - a **crate version** (the version a spec change bumps from, a
//!   changelog's `## VERSION` heading, `--crate-version`) must be one Cargo
//!   accepts: `MAJOR.MINOR.PATCH`, with an optional `-pre.release` and
//!   `+build.metadata`, no leading zeros ([`parse`]). One leading `v` is
//!   tolerated and dropped (`v1.2.3` → `1.2.3`).
//! - a **spec version** (`info.version`) is free text: real specs say `v1`,
//!   `2.0`, `3.7.1-pre.0`, `20` or `2023-01-01`. [`from_spec_version`] reads
//!   its numeric core leniently and gives the generated crate's first
//!   version: `MAJOR[.MINOR[.PATCH]]` padded with zeros, a `v` prefix and any
//!   `-…`/`+…` suffix dropped (so `2023-01-01` is `2023.0.0`), and `0.1.0`
//!   when there is no such core (`""`, `beta`, `1.2.3.4`).
//!
//! How a version moves with an API change is [`crate::diff::next_version`].

pub use semver::Version;

/// Parses a crate version: `MAJOR.MINOR.PATCH[-PRE][+BUILD]` by Cargo's
/// rules, surrounding whitespace and one leading `v`/`V` ignored. The error
/// names the text and what is wrong with it.
pub fn parse(text: &str) -> Result<Version, String> {
    let trimmed = text.trim();
    let bare = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
    Version::parse(bare).map_err(|e| format!("version `{text}` is not MAJOR.MINOR.PATCH ({e})"))
}

/// The generated crate's first version for an `info.version` (see the
/// module docs): its numeric core padded to `MAJOR.MINOR.PATCH` without
/// pre-release or build, or `0.1.0` when it has none.
pub fn from_spec_version(spec_version: &str) -> Version {
    let trimmed = spec_version.trim();
    let bare = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
    if let Ok(v) = Version::parse(bare) {
        return Version::new(v.major, v.minor, v.patch);
    }
    // Not strict semver: `1.0`, `v2`, `01.2.3`, `2023-01-01`, `1.0-beta`.
    let core = bare.split(['-', '+']).next().unwrap_or_default();
    let numbers: Option<Vec<u64>> = core.split('.').map(|p| p.parse::<u64>().ok()).collect();
    match numbers.as_deref() {
        Some(&[major]) => Version::new(major, 0, 0),
        Some(&[major, minor]) => Version::new(major, minor, 0),
        Some(&[major, minor, patch]) => Version::new(major, minor, patch),
        _ => Version::new(0, 1, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_versions_follow_cargo() {
        let ok = |text: &str| parse(text).map(|v| v.to_string());
        assert_eq!(ok("1.2.3").as_deref(), Ok("1.2.3"));
        assert_eq!(ok(" v1.2.3 ").as_deref(), Ok("1.2.3"));
        assert_eq!(ok("V0.0.1").as_deref(), Ok("0.0.1"));
        assert_eq!(ok("2.0.0-beta.1").as_deref(), Ok("2.0.0-beta.1"));
        assert_eq!(ok("1.0.0+build.5").as_deref(), Ok("1.0.0+build.5"));
        assert_eq!(ok("1.0.0-rc.1+sha.abc").as_deref(), Ok("1.0.0-rc.1+sha.abc"));
        let v = parse("1.0.0-alpha.1+build").expect("semver");
        assert_eq!((v.pre.as_str(), v.build.as_str()), ("alpha.1", "build"));
        for bad in ["", "1", "1.2", "v2", "1.2.3.4", "01.2.3", "1.2.3-", "1.2.3-beta..1", "x.y.z", "vv1.2.3", "2023-01-01"] {
            let e = parse(bad).expect_err(bad);
            assert!(e.contains(&format!("`{bad}`")) && e.contains("MAJOR.MINOR.PATCH"), "{e}");
        }
    }

    #[test]
    fn spec_versions_are_read_leniently() {
        let cases = [
            ("1.4.2", "1.4.2"),
            ("v2.0.0", "2.0.0"),
            ("v2", "2.0.0"),
            ("V1", "1.0.0"),
            ("1.0", "1.0.0"),
            ("v2.0", "2.0.0"),
            ("20", "20.0.0"),
            (" 1.3 ", "1.3.0"),
            // Pre-release and build metadata are dropped.
            ("3.7.1-pre.0", "3.7.1"),
            ("1.5.0-dev", "1.5.0"),
            ("1.0.0+build.7", "1.0.0"),
            ("1.0-beta", "1.0.0"),
            ("2.1.0-rc.1+exp.sha.5114f85", "2.1.0"),
            // A date: its year is the major version.
            ("2023-01-01", "2023.0.0"),
            // Leading zeros are read as numbers.
            ("01.02.03", "1.2.3"),
            ("2024.01.15", "2024.1.15"),
            // No numeric core: the default.
            ("", "0.1.0"),
            ("beta", "0.1.0"),
            ("latest", "0.1.0"),
            ("1.2.3.4", "0.1.0"),
            ("1..2", "0.1.0"),
            ("1.x", "0.1.0"),
            ("+1", "0.1.0"),
            ("v", "0.1.0"),
            ("99999999999999999999", "0.1.0"),
        ];
        for (spec, crate_version) in cases {
            assert_eq!(from_spec_version(spec).to_string(), crate_version, "{spec:?}");
        }
    }

    #[test]
    fn bumps_drop_pre_release_and_build() {
        use crate::diff::{Level, next_version};
        let cases = [
            ("2.0.0-beta.1", Level::Breaking, "3.0.0"),
            ("2.0.0-beta.1", Level::DocsOnly, "2.0.1"),
            ("1.2.3+build.9", Level::Additive, "1.3.0"),
            ("v0.9.9-rc.1+meta", Level::Breaking, "0.10.0"),
            ("0.0.7", Level::Breaking, "0.1.0"),
            ("0.0.7", Level::DocsOnly, "0.0.8"),
        ];
        for (from, level, to) in cases {
            assert_eq!(next_version(from, Some(level)).as_deref(), Ok(to), "{from} {level:?}");
        }
        // No change keeps the text as it is, even when it is not a version.
        assert_eq!(next_version("1.2.3-beta+b", None).as_deref(), Ok("1.2.3-beta+b"));
        assert_eq!(next_version("2023-01-01", None).as_deref(), Ok("2023-01-01"));
        // Spec-style versions are not crate versions.
        for bad in ["v2", "1.0", "2023-01-01", "01.2.3", "1.2.3-"] {
            assert!(next_version(bad, Some(Level::DocsOnly)).is_err(), "{bad}");
        }
        let max = u64::MAX;
        let e = next_version(&format!("1.{max}.0"), Some(Level::Additive)).expect_err("overflow");
        assert!(e.contains("cannot be bumped"), "{e}");
        assert_eq!(next_version(&format!("1.{max}.0"), Some(Level::DocsOnly)).as_deref(), Ok(format!("1.{max}.1").as_str()));
    }
}
