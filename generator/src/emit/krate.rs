//! Emits the crate around the modules: `Cargo.toml` (text) and `lib.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::config_file::toml_string;
use crate::model::Api;

/// Dependencies of every generated crate (crates.io only).
///
/// The TLS backend is a feature (see [`TLS_FEATURES`]); reqwest itself has
/// none of them here.
const DEPENDENCIES: &[(&str, &str)] = &[
    ("bytes", r#""1""#),
    ("chrono", r#"{ version = "0.4", default-features = false, features = ["serde", "std", "clock"] }"#),
    ("form_urlencoded", r#""1""#),
    ("futures-core", r#"{ version = "0.3", default-features = false }"#),
    ("reqwest", r#"{ version = "0.13", default-features = false, features = ["form", "multipart", "stream"] }"#),
    ("rustls", r#"{ version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }"#),
    ("serde", r#"{ version = "1", features = ["derive"] }"#),
    // `float_roundtrip`: a number decodes to exactly the double its text denotes.
    ("serde_json", r#"{ version = "1", features = ["float_roundtrip"] }"#),
    ("serde_path_to_error", r#""0.1""#),
    ("sse-stream", r#"{ version = "0.3", default-features = false, features = ["memchr"] }"#),
    ("tokio", r#"{ version = "1", features = ["time", "sync", "fs"] }"#),
    ("tracing", r#"{ version = "0.1", default-features = false, features = ["std"], optional = true }"#),
    ("uuid", r#"{ version = "1", features = ["serde"] }"#),
];

/// The TLS backend features of every generated crate, named as reqwest
/// names them: `rustls` (the default: rustls with its default crypto
/// provider, aws-lc-rs, as reqwest's own default), `rustls-ring` (rustls
/// with the ring provider, which builds several times faster from cold: no
/// large C library), or `native-tls` (the platform's TLS: OpenSSL on Linux).
/// With none of them, only `http://` URLs work. The names are
/// [`crate::config_file::TLS_FEATURES`] (a tag feature may not take them).
const TLS_FEATURES: &str = r#"# TLS with rustls and its default crypto provider (aws-lc-rs), like reqwest's `rustls`.
rustls = ["reqwest/rustls"]
# TLS with rustls and the ring crypto provider: no large C library to build.
rustls-ring = ["reqwest/rustls-no-provider", "dep:rustls"]
# The platform's TLS (OpenSSL on Linux, which needs its development headers).
native-tls = ["reqwest/native-tls"]
"#;

/// The default TLS backend feature.
const DEFAULT_TLS: &str = "rustls";

/// Dev-dependencies of every generated crate (its examples).
const DEV_DEPENDENCIES: &str = r#"[dev-dependencies]
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
"#;

/// The `tracing` feature of every generated crate (after any per-tag features).
const TRACING_FEATURE: &str = "# One `tracing` span per request (operation id, method, path template,
# status, attempts, duration) with an event per retry. Off by default.
tracing = [\"dep:tracing\"]
";

/// The crate version for `info.version` when none is given: see
/// [`crate::version::from_spec_version`].
pub fn crate_version(spec_version: &str) -> String {
    crate::version::from_spec_version(spec_version).to_string()
}

/// `Cargo.toml` of the generated crate.
pub fn cargo_toml(header: &str, crate_name: &str, version: &str, api: &Api) -> String {
    let description = toml_string(&format!("Typed async client for {}, generated from its OpenAPI description", api.title));
    let mut deps: Vec<(&str, &str)> = DEPENDENCIES.to_vec();
    deps.extend(api.dependencies.iter().map(|d| (d.name.as_str(), d.spec.as_str())));
    deps.sort();
    let deps: String = deps.iter().map(|(name, spec)| format!("{name} = {spec}\n")).collect();
    // One `[features]` table: the TLS backends, then (per-tag features) `full` and one per tag.
    let list = |names: &mut dyn Iterator<Item = &str>| names.map(toml_string).collect::<Vec<_>>().join(", ");
    let tag_default = api.features.as_ref().map(|f| f.default.iter().map(String::as_str)).into_iter().flatten();
    let mut features = format!(
        "\n[features]\ndefault = [{}]\n{TLS_FEATURES}",
        list(&mut std::iter::once(DEFAULT_TLS).chain(tag_default))
    );
    if let Some(f) = &api.features {
        features.push_str(&format!("# Every operation.\nfull = [{}]\n", list(&mut f.tags.iter().map(|(feature, _)| feature.as_str()))));
        for (feature, tag) in &f.tags {
            features.push_str(&format!("# Operations tagged {}.\n{feature} = []\n", toml_string(tag)));
        }
    }
    features.push_str(TRACING_FEATURE);
    format!(
        "{header}\n[package]\nname = {name}\nversion = {version}\nedition = \"2024\"\nrust-version = \"1.85\"\ndescription = {description}\npublish = false\n\n[lib]\npath = \"src/lib.rs\"\n{features}\n[dependencies]\n{deps}\n{DEV_DEPENDENCIES}",
        header = header.replace("//", "#"),
        name = toml_string(crate_name),
        version = toml_string(version),
    )
}

/// `lib.rs`: crate docs from `info`, modules and re-exports.
pub fn lib_rs(api: &Api, crate_name: &str) -> TokenStream {
    // Title and version on one line each (a line break would end the heading
    // or open a code block); the spec's text made safe for rustdoc like
    // every other doc comment.
    let one_line = |s: &str| s.trim().replace(['\r', '\n'], " ");
    let intro = format!(
        "# {}\n\nA typed async client for this API, version `{}` of its description.",
        one_line(&api.title),
        one_line(&api.spec_version).replace('`', "'")
    );
    let mut lines: Vec<String> =
        intro.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {}", super::doc_safe(l)) }).collect();
    if let Some(d) = api.description.as_deref().filter(|d| !d.trim().is_empty()) {
        lines.push(String::new());
        lines.extend(super::doc_lines(d));
    }
    let mut text = String::new();
    let lib = crate_name.replace('-', "_");
    let server = api.default_server.clone().unwrap_or_else(|| "https://api.example.com".to_owned());
    text.push_str(&format!(
        "\n# Use\n\n```no_run\n# async fn run() -> Result<(), Box<dyn std::error::Error>> {{\nlet client = {lib}::Client::builder({server:?})\n    .timeout(std::time::Duration::from_secs(10))\n    .build()?;\n# let _ = client;\n# Ok(())\n# }}\n```\n\nOperations are methods on [`Client`] taking the required inputs; each returns a request value (in [`request`]) with a setter per optional input and per-request options, which sends when awaited. Models are in [`types`]. Optional nullable fields are [`Nullable`]: absent (left out), null, or a value."
    ));
    if let Some(f) = &api.features {
        text.push_str(&format!(
            "\n\n# Features\n\nEach tag's operations, and the types only they use, are behind a cargo feature; `full` enables all of them (and the types no operation uses). Default: {}.\n",
            if f.default.is_empty() { "none".to_owned() } else { f.default.iter().map(|d| format!("`{d}`")).collect::<Vec<_>>().join(", ") }
        ));
        for (feature, tag) in &f.tags {
            text.push_str(&format!("\n- `{feature}`: operations tagged {tag:?}"));
        }
    }
    lines.extend(text.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {}", super::doc_safe(l)) }));
    quote! {
        #( #![doc = #lines] )*
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks)]

        pub mod types;
        pub mod request;
        mod client;
        mod runtime;

        pub use runtime::{
            ByteStream, Call, Client, ClientBuilder, Error, ErrorKind, Event, EventStream, FilePart, HookRequest, HookResponse, Items, JsonLines,
            Nullable, Operation, Outcome, Pages, ResponseValue, TokenRequest, DEFAULT_MAX_RESPONSE_BODY_SIZE, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
        };
    }
}

#[cfg(test)]
mod tests {
    /// A configured dependency may not repeat one every generated crate has:
    /// the list it is checked against is this one.
    #[test]
    fn the_fixed_dependencies_are_the_generated_crates_own() {
        let names: Vec<&str> = super::DEPENDENCIES.iter().map(|(name, _)| *name).collect();
        assert_eq!(names, crate::config_file::FIXED_DEPENDENCIES);
    }
}
