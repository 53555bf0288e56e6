//! The bad-spec catalogue: every document under `tests/bad-specs/` (and a few
//! generated at test time because they are large) must be rejected, and the
//! exact error text is pinned with insta.
//!
//! Files named `strict_*` hold defects the generator can work around (they
//! are warnings by default); they run with `Config { strict: true }`, where
//! every warning is a located error. Everything else must fail in the
//! default mode. `fuzz-found/` holds inputs the fuzzer once crashed on: they
//! must not panic and must not fail to render (they may generate or be rejected).

use std::path::{Path, PathBuf};

use integration_tests::fixtures::root;
use openapi_rust_gen::{Config, Error};

fn config(label: &str, strict: bool) -> Config {
    Config {
        crate_name: "bad-spec".to_owned(),
        crate_version: None,
        spec_label: label.to_owned(),
        regenerate: "cargo test -p integration-tests --test bad_specs".to_owned(),
        strict,
    }
}

/// Runs one bad document; returns the error text (panics if it generates).
fn reject(name: &str, bytes: &[u8], strict: bool) -> String {
    let label = format!("tests/bad-specs/{name}");
    let default = openapi_rust_gen::generate(bytes, &config(&label, false));
    if strict {
        // Recoverable in the default mode: it must generate (with warnings)…
        match &default {
            Ok(g) => assert!(!g.warnings.is_empty(), "{name}: generated without warnings; not a strict-mode case"),
            Err(e) => panic!("{name}: a strict_* document must generate in the default mode, got:\n{e}"),
        }
    }
    let result = if strict { openapi_rust_gen::generate(bytes, &config(&label, true)) } else { default };
    match result {
        Ok(_) => panic!("{name}: generated a crate; every document in the catalogue must be rejected"),
        Err(e @ Error::Spec { .. }) => e.to_string(),
        Err(e) => panic!("{name}: expected a spec error, got:\n{e}"),
    }
}

fn catalogue() -> Vec<PathBuf> {
    let dir = root().join("tests/bad-specs");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.') && n != "README.md")
        })
        .collect();
    files.sort();
    files
}

fn snapshot_name(file: &Path) -> String {
    file.file_name().map(|n| n.to_string_lossy().replace('.', "_")).unwrap_or_default()
}

#[test]
fn catalogue_documents_are_rejected_with_pinned_messages() {
    let files = catalogue();
    assert!(files.len() >= 40, "the catalogue has only {} documents", files.len());
    for file in &files {
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let message = reject(&name, &bytes, name.starts_with("strict_"));
        insta::assert_snapshot!(snapshot_name(file), message);
    }
}

/// A schema nested 10,000 levels deep (arrays of arrays of …).
fn deep_json(levels: usize) -> Vec<u8> {
    let mut s = String::from(r#"{"openapi": "3.0.3", "info": {"title": "Deep", "version": "1"}, "paths": {}, "components": {"schemas": {"Deep": "#);
    for _ in 0..levels {
        s.push_str(r#"{"type": "array", "items": "#);
    }
    s.push_str(r#"{"type": "string"}"#);
    for _ in 0..levels {
        s.push('}');
    }
    s.push_str("}}}");
    s.into_bytes()
}

#[test]
fn deep_nesting_10k_json() {
    let message = reject("deep_nesting_10k.json (generated)", &deep_json(10_000), false);
    insta::assert_snapshot!("deep_nesting_10k_json", message);
}

#[test]
fn deep_nesting_10k_yaml() {
    let mut s = String::from("openapi: 3.0.3\ninfo: {title: Deep, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Deep: ");
    s.push_str(&"[".repeat(10_000));
    s.push_str(&"]".repeat(10_000));
    s.push('\n');
    let message = reject("deep_nesting_10k.yaml (generated)", s.as_bytes(), false);
    insta::assert_snapshot!("deep_nesting_10k_yaml", message);
}

#[test]
fn string_of_50_mb() {
    let mut s = String::from(r#"{"openapi": "3.0.3", "info": {"title": "Big", "version": "1", "description": ""#);
    s.push_str(&"a".repeat(50 * 1024 * 1024));
    s.push_str(r#""}, "paths": {}}"#);
    let message = reject("string_50mb.json (generated)", s.as_bytes(), false);
    insta::assert_snapshot!("string_50mb_json", message);
}

#[test]
fn fuzz_found_inputs_do_not_panic() {
    let dir = root().join("tests/bad-specs/fuzz-found");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| !n.to_string_lossy().starts_with('.')))
        .collect();
    assert!(!files.is_empty(), "no fuzz-found inputs");
    files.sort();
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        match openapi_rust_gen::generate(&bytes, &config("fuzz-found", false)) {
            Ok(_) | Err(Error::Spec { .. }) => {}
            Err(e) => panic!("{}: {e}", file.display()),
        }
    }
}

/// Defects in objects that do not shape the generated types or calls are
/// warnings with a fallback: the default mode generates the whole crate
/// (every operation is still there) and reports each defect at its pointer
/// with its kind. Each row: file, operations it must still generate, and
/// the expected `(pointer, code)` warnings.
/// A tolerated case: file, functions it must still generate, `(pointer, code)` warnings.
type Tolerated = (&'static str, &'static [&'static str], &'static [(&'static str, &'static str)]);

#[test]
fn tolerated_objects_generate_with_located_warnings() {
    let cases: &[Tolerated] = &[
        (
            "strict_server_variable_without_default.yaml",
            &["list_issues"],
            &[("/servers/0/variables/region", "bad-server"), ("/servers/0/variables/your-domain", "bad-server")],
        ),
        (
            "strict_servers_malformed.yaml",
            &["list_pets"],
            &[
                ("/paths/~1pets/get/servers/0/variables", "bad-server"),
                ("/paths/~1pets/servers", "bad-server"),
                ("/servers/0", "bad-server"),
                ("/servers/1", "bad-server"),
                ("/servers/2/description", "bad-server"),
                ("/servers/2/variables/bad", "bad-server"),
                ("/servers/2/variables/env/enum", "bad-server"),
                ("/servers/2/variables/port/default", "bad-server"),
            ],
        ),
        ("strict_tags_not_a_list.yaml", &[], &[("/tags", "bad-tag")]),
        (
            "strict_tags_malformed.yaml",
            &["list_pets"],
            &[
                ("/paths/~1pets/get/tags/1", "bad-tag"),
                ("/paths/~1pets/get/tags/2", "bad-tag"),
                ("/tags/0/description", "bad-tag"),
                ("/tags/1", "bad-tag"),
                ("/tags/2", "bad-tag"),
                ("/tags/3/externalDocs", "bad-external-docs"),
            ],
        ),
        (
            "strict_external_docs_malformed.yaml",
            &["list_pets"],
            &[
                ("/components/schemas/Pet/externalDocs", "bad-external-docs"),
                ("/externalDocs", "bad-external-docs"),
                ("/paths/~1pets/get/externalDocs", "bad-external-docs"),
            ],
        ),
        (
            "strict_info_malformed.yaml",
            &["list_pets"],
            &[
                ("/info/contact", "bad-info"),
                ("/info/description", "bad-info"),
                ("/info/license", "bad-info"),
                ("/info/termsOfService", "bad-info"),
            ],
        ),
        (
            "strict_examples_malformed.yaml",
            &["list_pets"],
            &[
                ("/components/examples/Broken", "bad-example"),
                ("/components/examples/Pet/externalValue", "bad-example"),
                ("/paths/~1pets/get/parameters/0/examples", "bad-example"),
                ("/paths/~1pets/get/responses/200/content/application~1json/examples/summarized/summary", "bad-example"),
            ],
        ),
        (
            "strict_links_malformed.yaml",
            &["get_pet"],
            &[
                ("/components/links/NotAnObject", "bad-link"),
                ("/paths/~1pets~1{id}/get/responses/200/links/badServer/server", "bad-link"),
                ("/paths/~1pets~1{id}/get/responses/200/links/bothTargets", "bad-link"),
                ("/paths/~1pets~1{id}/get/responses/200/links/noTarget", "bad-link"),
            ],
        ),
        (
            "strict_callbacks_malformed.yaml",
            &["subscribe"],
            &[
                ("/paths/~1subscriptions/post/callbacks/badOperation", "bad-callback"),
                ("/paths/~1subscriptions/post/callbacks/badOperation/{$request.body#~1url}/post/parameters/0", "non-standard"),
                (
                    "/paths/~1subscriptions/post/callbacks/badSchema/{$request.body#~1url}/post/requestBody/content/application~1json/schema/type",
                    "bad-callback",
                ),
                ("/paths/~1subscriptions/post/callbacks/notAMap", "bad-callback"),
            ],
        ),
        (
            "strict_security_requirements_malformed.yaml",
            &["list_pets"],
            &[
                ("/paths/~1pets/get/security", "bad-security-requirement"),
                ("/security/0/bearer", "bad-security-requirement"),
                ("/security/1", "bad-security-requirement"),
            ],
        ),
        (
            "strict_encoding_malformed.yaml",
            &["upload"],
            &[
                ("/paths/~1upload/post/requestBody/content/multipart~1form-data/encoding/meta/headers/X-Rate/schema/type", "bad-encoding"),
                ("/paths/~1upload/post/requestBody/content/multipart~1form-data/encoding/name", "bad-encoding"),
            ],
        ),
        (
            "strict_response_headers_malformed.yaml",
            &["list_pets"],
            &[
                ("/components/headers/Shared", "bad-response-header"),
                ("/paths/~1pets/get/responses/200/headers/X-Next/schema/type", "bad-response-header"),
                ("/paths/~1pets/get/responses/200/headers/X-Plain", "bad-response-header"),
                ("/paths/~1pets/get/responses/200/headers/X-Rate-Limit", "bad-response-header"),
            ],
        ),
        (
            "strict_security_scheme_details_malformed.yaml",
            &["list_pets", "bearer_token"],
            &[
                ("/components/securitySchemes/bearer/bearerFormat", "bad-security-scheme-detail"),
                ("/components/securitySchemes/bearer/description", "bad-security-scheme-detail"),
                ("/components/securitySchemes/oauth", "bad-security-scheme-detail"),
                ("/components/securitySchemes/oauthNoFlows", "bad-security-scheme-detail"),
                ("/components/securitySchemes/oidc", "bad-security-scheme-detail"),
            ],
        ),
    ];
    for (file, functions, expected) in cases {
        let bytes = std::fs::read(root().join("tests/bad-specs").join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let generated = openapi_rust_gen::generate(&bytes, &config(file, false)).unwrap_or_else(|e| panic!("{file}: must generate:\n{e}"));
        let found: Vec<(&str, String)> = generated.warnings.iter().map(|w| (w.pointer.as_str(), w.kind.to_string())).collect();
        let expected: Vec<(&str, String)> = expected.iter().map(|(p, k)| (*p, (*k).to_owned())).collect();
        assert_eq!(found, expected, "{file}: warnings:\n{}", generated.warnings.iter().map(|w| format!("{w}\n")).collect::<String>());
        let client = generated.files.get("src/client.rs").map(String::as_str).unwrap_or_default();
        for function in *functions {
            assert!(client.contains(&format!("pub fn {function}(")) || client.contains(&format!("pub async fn {function}(")), "{file}: no `{function}` in client.rs");
        }
    }
}

/// Valid documents that `openapiv3` alone cannot read generate strictly:
/// an operation's callback that is a `$ref` (the client does not use
/// callbacks, so it is left out without a warning).
#[test]
fn callback_refs_generate_strictly() {
    let spec = br##"{"openapi": "3.0.3", "info": {"title": "Callback refs", "version": "1"},
        "paths": {"/subscriptions": {"post": {"operationId": "subscribe",
            "callbacks": {"event": {"$ref": "#/components/callbacks/Event"}},
            "responses": {"201": {"description": "subscribed"}}}}},
        "components": {"callbacks": {"Event": {"{$request.body#/url}": {"post": {"responses": {"200": {"description": "ok"}}}}}}}}"##;
    let generated = openapi_rust_gen::generate(spec, &config("callback_refs.json", true)).unwrap_or_else(|e| panic!("{e}"));
    assert!(generated.warnings.is_empty(), "{:?}", generated.warnings);
}

/// Any JSON value in any position of an object that does not shape the
/// crate still generates the whole client (with warnings): the repair
/// covers every shape, not only the catalogued ones.
#[test]
fn any_value_in_a_tolerated_position_still_generates() {
    let template = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1", "description": "d", "termsOfService": "https://x", "contact": {"name": "x"}, "license": {"name": "MIT"}},
        "servers": [{"url": "https://{v}.example.com", "description": "d", "variables": {"v": {"default": "a", "enum": ["a"], "description": "d"}}}],
        "tags": [{"name": "t", "description": "d", "externalDocs": {"url": "https://x"}}],
        "externalDocs": {"url": "https://x"},
        "security": [{"k": []}],
        "paths": {"/a": {
            "servers": [{"url": "https://x"}],
            "get": {
                "operationId": "getA", "tags": ["t"], "externalDocs": {"url": "https://x"}, "security": [{"k": []}], "servers": [{"url": "https://x"}],
                "callbacks": {"c": {"{$request.body#/u}": {"post": {"responses": {"200": {"description": "ok"}}}}}},
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}, "examples": {"e": {"value": "x", "summary": "s"}}}],
                "responses": {"200": {
                    "description": "ok",
                    "headers": {"h": {"schema": {"type": "string"}, "examples": {"e": {"value": "x"}}}},
                    "links": {"l": {"operationId": "getA", "server": {"url": "https://x"}}},
                    "content": {"application/json": {"schema": {"type": "string", "externalDocs": {"url": "https://x"}}, "examples": {"e": {"value": "x"}}}}
                }}
            },
            "post": {
                "operationId": "postA",
                "requestBody": {"content": {"multipart/form-data": {
                    "schema": {"type": "object", "properties": {"f": {"type": "string"}}},
                    "encoding": {"f": {"contentType": "text/plain", "headers": {"h": {"schema": {"type": "string"}}}}}
                }}},
                "responses": {"204": {"description": "none"}}
            }
        }},
        "components": {
            "examples": {"E": {"value": 1}},
            "headers": {"H": {"schema": {"type": "string"}}},
            "links": {"L": {"operationId": "getA"}},
            "callbacks": {"C": {"{$request.body#/u}": {"post": {"responses": {"200": {"description": "ok"}}}}}},
            "securitySchemes": {
                "k": {"type": "oauth2", "description": "d", "flows": {"clientCredentials": {"tokenUrl": "https://x", "scopes": {}}}},
                "o": {"type": "openIdConnect", "openIdConnectUrl": "https://x"},
                "b": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
            }
        }
    });
    let generate = |doc: &serde_json::Value, strict: bool| openapi_rust_gen::generate(&serde_json::to_vec(doc).unwrap(), &config("tolerated.json", strict));
    // The template itself is valid: it generates strictly.
    if let Err(e) = generate(&template, true) {
        panic!("the template must be valid:\n{e}");
    }
    let positions = [
        "/info/description", "/info/termsOfService", "/info/contact", "/info/license",
        "/servers", "/servers/0", "/servers/0/url", "/servers/0/description", "/servers/0/variables",
        "/servers/0/variables/v", "/servers/0/variables/v/default", "/servers/0/variables/v/enum", "/servers/0/variables/v/description",
        "/tags", "/tags/0", "/tags/0/name", "/tags/0/description", "/tags/0/externalDocs", "/externalDocs",
        "/security", "/security/0", "/security/0/k",
        "/paths/~1a/servers", "/paths/~1a/get/tags", "/paths/~1a/get/externalDocs", "/paths/~1a/get/security", "/paths/~1a/get/servers",
        "/paths/~1a/get/callbacks", "/paths/~1a/get/callbacks/c", "/paths/~1a/get/callbacks/c/{$request.body#~1u}",
        "/paths/~1a/get/parameters/0/examples", "/paths/~1a/get/parameters/0/examples/e", "/paths/~1a/get/parameters/0/examples/e/summary",
        "/paths/~1a/get/responses/200/headers", "/paths/~1a/get/responses/200/headers/h", "/paths/~1a/get/responses/200/headers/h/schema",
        "/paths/~1a/get/responses/200/headers/h/examples",
        "/paths/~1a/get/responses/200/links", "/paths/~1a/get/responses/200/links/l", "/paths/~1a/get/responses/200/links/l/server",
        "/paths/~1a/get/responses/200/content/application~1json/examples",
        "/paths/~1a/get/responses/200/content/application~1json/examples/e",
        "/paths/~1a/get/responses/200/content/application~1json/schema/externalDocs",
        "/paths/~1a/post/requestBody/content/multipart~1form-data/encoding",
        "/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/f",
        "/paths/~1a/post/requestBody/content/multipart~1form-data/encoding/f/headers/h",
        "/components/examples", "/components/examples/E", "/components/headers", "/components/headers/H",
        "/components/links", "/components/links/L", "/components/callbacks", "/components/callbacks/C",
        "/components/securitySchemes/k/flows", "/components/securitySchemes/k/description",
        "/components/securitySchemes/o/openIdConnectUrl", "/components/securitySchemes/b/bearerFormat",
    ];
    let values = [
        serde_json::json!(null),
        serde_json::json!(true),
        serde_json::json!(7),
        serde_json::json!(2.5),
        serde_json::json!("text"),
        serde_json::json!([]),
        serde_json::json!([1, "x", null, {"a": []}]),
        serde_json::json!({}),
        serde_json::json!({"x-a": 1, "a": [null], "$ref": 5}),
    ];
    for position in positions {
        assert!(template.pointer(position).is_some(), "{position} is not in the template");
        for value in &values {
            let mut doc = template.clone();
            if let Some(slot) = doc.pointer_mut(position) {
                *slot = value.clone();
            }
            let generated = generate(&doc, false).unwrap_or_else(|e| panic!("{position} = {value}: must generate:\n{e}"));
            let client = generated.files.get("src/client.rs").map(String::as_str).unwrap_or_default();
            let has = |f: &str| client.contains(&format!("pub fn {f}(")) || client.contains(&format!("pub async fn {f}("));
            assert!(has("get_a") && has("post_a"), "{position} = {value}: an operation is missing");
            assert!(client.contains("pub fn bearer_token("), "{position} = {value}: the bearer method is missing");
        }
    }
}
