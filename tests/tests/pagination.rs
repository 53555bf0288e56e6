//! Pagination detection (`openapi_rust_gen::model::build`'s pagination
//! module) on `tests/fixtures/pagination.yaml`: one operation per rule and
//! extension, the shapes that must not be paginated, and the located
//! warnings for malformed extensions.

use integration_tests::fixtures::root;
use openapi_rust_gen::WarningKind;
use openapi_rust_gen::model::{Api, FieldPath, PageRule, PageSource, Pagination};

fn model() -> Api {
    let path = root().join("tests/fixtures/pagination.yaml");
    let bytes = std::fs::read(&path).unwrap();
    openapi_rust_gen::model_of(&bytes, "pagination.yaml").unwrap()
}

fn wires(path: &FieldPath) -> Vec<&str> {
    path.iter().map(|s| s.wire.as_str()).collect()
}

fn paging<'a>(api: &'a Api, op: &str) -> Option<&'a Pagination> {
    api.operations.iter().find(|o| o.name == op).unwrap_or_else(|| panic!("no operation {op}")).pagination.as_ref()
}

/// `(rule, source, items path, the parameter or next field, …)` in one line per operation.
fn describe(p: &Pagination) -> String {
    let rule = match &p.rule {
        PageRule::Cursor { param, next, or_url } => format!("cursor {} <- {:?}{}", param.wire, wires(next), if *or_url { " or url" } else { "" }),
        PageRule::Offset { param, limit, by_items } => {
            format!("offset {} limit {:?} by_items {by_items}", param.wire, limit.as_ref().map(|l| l.wire.as_str()))
        }
        PageRule::Page { param, first } => format!("page {} from {first}", param.wire),
        PageRule::NextUrl { next } => format!("next-url {:?}", wires(next)),
        PageRule::Link => "link".to_owned(),
    };
    let source = match p.source {
        PageSource::Speakeasy => "speakeasy",
        PageSource::Fern => "fern",
        PageSource::Detected => "detected",
    };
    let more = p.more.as_ref().map(|(path, positive)| format!(" more {:?}{}", wires(path), if *positive { "" } else { " (inverted)" }));
    let total = p.total.as_ref().map(|t| format!(" total {:?}", wires(t)));
    format!("{source}: {rule}; items {:?}{}{}", wires(&p.items), more.unwrap_or_default(), total.unwrap_or_default())
}

#[test]
fn every_rule_is_recognised_with_its_parameters_and_paths() {
    let api = model();
    let expected = [
        ("cursor_envelope", "detected: cursor starting_after <- [\"data\", \"next_cursor\"]; items [\"data\", \"items\"] more [\"data\", \"has_more\"]"),
        ("page_token", "detected: cursor pageToken <- [\"meta\", \"paging\", \"nextPageToken\"]; items [\"things\"] more [\"meta\", \"done\"] (inverted)"),
        ("offset_limit", "detected: offset offset limit Some(\"limit\") by_items true; items [\"results\"] total [\"total_count\"]"),
        ("page_per_page", "detected: page page from 0; items [\"entries\"] total [\"total_pages\"]"),
        ("link_header", "detected: link; items []"),
        ("next_link", "detected: next-url [\"@odata.nextLink\"]; items [\"value\"]"),
        ("speakeasy_cursor", "speakeasy: cursor since <- [\"paging\", \"next\"]; items [\"data\"]"),
        ("speakeasy_pages", "speakeasy: page p from 1; items [\"items\"] total [\"pages\"]"),
        ("speakeasy_url", "speakeasy: next-url [\"links\", \"forward\"]; items [\"rows\"]"),
        ("fern_inherited", "fern: offset page limit None by_items false; items [\"data\"]"),
        ("fern_next_uri", "fern: next-url [\"next_page_url\"]; items [\"data\"]"),
    ];
    for (op, want) in expected {
        let got = paging(&api, op).map(describe);
        assert_eq!(got.as_deref(), Some(want), "{op}");
    }
}

#[test]
fn ambiguous_shapes_and_other_methods_are_not_paginated() {
    let api = model();
    for op in ["two_arrays", "cursor_without_next", "create_things", "speakeasy_body_input", "fern_malformed"] {
        assert_eq!(paging(&api, op).map(describe), None, "{op}");
    }
}

#[test]
fn a_malformed_extension_is_a_located_warning() {
    let api = model();
    let warnings: Vec<String> =
        api.warnings.iter().filter(|w| w.kind == WarningKind::Pagination).map(|w| format!("{}: {}", w.pointer, w.message)).collect();
    assert_eq!(
        warnings,
        [
            "/paths/~1fern~1bad/get/x-fern-pagination/results: the response has no field \"items\" on the path \"data.items\"; the operation is not paginated",
            "/paths/~1speakeasy~1body/get/x-speakeasy-pagination/inputs/0/in: the input \"cursor\" is in \"requestBody\"; only query parameters can be set for each page; the operation is not paginated",
        ]
    );
}
