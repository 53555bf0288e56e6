//! The documents in `../shared/corpus-invalid/` (relative to the workspace
//! root) are broken as published: each must be rejected with one clear
//! error that names the place (a line and column, or a JSON pointer and the
//! reference), as a spec error (exit 65), before anything is written.

use integration_tests::fixtures::root;
use openapi_rust_gen::{Config, Error};

fn rejection(file: &str) -> String {
    let path = root().join("../shared/corpus-invalid").join(file);
    assert!(path.is_file(), "missing {}: the invalid corpus must be next to the workspace", path.display());
    let config = Config {
        crate_name: "corpus-invalid".to_owned(),
        crate_version: None,
        spec_label: file.to_owned(),
        regenerate: "-".to_owned(),
        strict: false,
    };
    let Err(err) = openapi_rust_gen::generate_file(&path, &config) else {
        panic!("{file} generated, but it is broken");
    };
    let Error::Spec { problems, .. } = &err else { panic!("{file}: expected a spec error, got: {err}") };
    assert_eq!(problems.len(), 1, "{file}: expected one problem, got:\n{err}");
    err.to_string()
}

#[test]
fn truncated_json_names_line_and_column() {
    let message = rejection("fire.com--main.json");
    assert!(message.contains("line 6109, column 23"), "{message}");
    insta::assert_snapshot!("fire_truncated", message);
}

#[test]
fn external_path_item_refs_name_reference_and_pointer() {
    let message = rejection("shotstack.io--main.json");
    assert!(message.contains("/paths/~1render") && message.contains("./paths/render.yaml"), "{message}");
    insta::assert_snapshot!("shotstack_external_refs", message);
}
