//! The configuration file, through the library: what per-tag features
//! gate; names do not move when the filter
//! changes; every configuration problem is reported at once; warning levels;
//! dependencies from replacements and `x-rust-type`. (The fixtures
//! `tests/fixtures/config_*.{yaml,toml}` are snapshotted and compiled by
//! `snapshots.rs`; the command line's handling is in `generator/tests/cli.rs`.)

use std::collections::BTreeMap;
use std::path::PathBuf;

use integration_tests::fixtures::{generate, root};
use openapi_rust_gen::model::Api;
use openapi_rust_gen::{Config, ConfigFile, Error, Generator};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

fn read(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn generator(toml: Option<&str>, strict: bool) -> Generator {
    let config = Config {
        crate_name: "config-test".to_owned(),
        crate_version: None,
        spec_label: "spec.yaml".to_owned(),
        regenerate: "test".to_owned(),
        strict,
    };
    match toml {
        Some(text) => Generator::new(config).with_config_file(ConfigFile::from_toml(text, "gen.toml")),
        None => Generator::new(config),
    }
}

fn model(spec: &[u8], toml: Option<&str>) -> Result<Api, Error> {
    generator(toml, false).model(spec)
}

fn problems(err: Error) -> Vec<String> {
    match err {
        Error::Config { origin, problems } => {
            assert_eq!(origin, "gen.toml");
            problems.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected a configuration error, got: {other}"),
    }
}

/// Which operations and types are behind which feature (that the crate
/// compiles with each feature alone, none and all is checked by
/// `snapshots.rs`, with every fixture).
#[test]
fn per_tag_features_gate_operations_and_the_types_only_one_tag_uses() {
    let spec = fixture("config_features.yaml");
    let generated = generate(&spec);
    let api = &generated.api;
    let features = api.features.as_ref().expect("per-tag features");
    let names: Vec<&str> = features.tags.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(names, ["pet-store", "pets"]);
    assert_eq!(features.default, ["full"]);
    let op = |name: &str| api.operations.iter().find(|o| o.name == name).map(|o| o.features.clone()).expect("operation");
    assert_eq!(op("list_pets"), ["pets"]);
    assert_eq!(op("adopt_pet"), ["pets", "pet-store"]);
    assert_eq!(op("list_orders"), ["pet-store"]);
    assert!(op("health").is_empty());
    let ty = |name: &str| api.types.iter().find(|t| t.name == name).map(|t| t.features.clone()).expect("type");
    // One tag's types are behind it; shared and untagged ones are not.
    assert_eq!(ty("Order"), ["pet-store"]);
    assert_eq!(ty("ListPetsKind"), ["pets"]);
    assert_eq!(op("buy_leash"), ["pets"]);
    assert_eq!(ty("Leash"), ["pets"]);
    // No operation uses it: compiled with `full` (which enables `pets`, for Leash).
    assert_eq!(ty("Unused"), ["full"]);
    for shared in ["Problem", "Adoption", "Pet", "Toy", "Health"] {
        assert!(ty(shared).is_empty(), "{shared} must always be compiled");
    }
}

#[test]
fn default_features_come_from_the_configuration() {
    let spec = read("config_features.yaml");
    let api = model(&spec, Some("[features]\nper_tag = true\ndefault = [\"Pet Store\", \"pets\"]\n")).expect("models");
    assert_eq!(api.features.expect("features").default, ["pet-store", "pets"]);
    let api = model(&spec, Some("[features]\nper_tag = true\ndefault = []\n")).expect("models");
    assert!(api.features.expect("features").default.is_empty());
    // A filter leaves only the kept tags' features.
    let api = model(&spec, Some("[filter]\ninclude_tags = [\"Pet Store\"]\nexclude_operations = [\"adopt*\"]\n[features]\nper_tag = true\n"))
        .expect("models");
    assert_eq!(api.features.expect("features").tags, [("pet-store".to_owned(), "Pet Store".to_owned())]);
}

/// Type name by pointer and method name by operation pointer.
fn names(api: &Api) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    (
        api.types.iter().map(|t| (t.pointer.clone(), t.name.clone())).collect(),
        api.operations.iter().map(|o| (o.pointer.clone(), o.name.clone())).collect(),
    )
}

#[test]
fn names_do_not_move_when_the_filter_changes() {
    let spec = read("config_filter.yaml");
    let (all_types, all_ops) = names(&model(&spec, None).expect("models"));
    let fixture_toml = std::fs::read_to_string(fixture("config_filter.toml")).expect("readable");
    let filters = [
        fixture_toml.as_str(),
        "[filter]\ninclude_tags = [\"users\"]\n",
        "[filter]\ninclude_operations = [\"list*\"]\n",
        "[filter]\nexclude_paths = [\"/pets\"]\n",
        "[filter]\ninclude_paths = [\"/store/\"]\nexclude_tags = [\"pets\"]\n",
    ];
    for toml in filters {
        let api = model(&spec, Some(toml)).unwrap_or_else(|e| panic!("{toml}: {e}"));
        let (types, ops) = names(&api);
        assert!(types.len() < all_types.len(), "{toml}: nothing pruned");
        for (pointer, name) in types.iter().chain(&ops) {
            let unfiltered = all_types.get(pointer).or_else(|| all_ops.get(pointer));
            assert_eq!(unfiltered, Some(name), "{toml}: {pointer} is named {name}, unfiltered {unfiltered:?}");
        }
    }
    // The inline response of listPets keeps the suffix it got next to the
    // component it clashed with, even where that component is pruned.
    let api = model(&spec, Some(&fixture_toml)).expect("models");
    let kept: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert!(kept.contains(&"ListPetsResponse2") && !kept.contains(&"ListPetsResponse") && !kept.contains(&"LegacyPet"), "{kept:?}");
    // Only what the kept operations reach, transitively.
    let api = model(&spec, Some("[filter]\ninclude_tags = [\"users\"]\n")).expect("models");
    let kept: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(kept, ["User", "UserAddress"]);
    assert_eq!(api.operations.iter().map(|o| o.name.as_str()).collect::<Vec<_>>(), ["list_users"]);
}

#[test]
fn every_configuration_problem_is_reported_at_once() {
    let spec = read("config_filter.yaml");
    let toml = r##"[filter]
include_tags = ["pets", "petz"]
include_operations = ["get*Zebra", "list*"]
include_paths = ["/nowhere"]
colour = "blue"

[replace]
"#/components/schemas/Mony" = { path = "rust_decimal::Decimal" }
Pet = { path = "rust_decimal::Decimal" }

[derives.types]
Nope = ["Hash"]

[features]
per_tag = true
default = ["cats"]
"##;
    let got = problems(model(&spec, Some(toml)).expect_err("rejected"));
    let expected = [
        "at filter.include_tags[1] (line 2, column 25): no operation has the tag \"petz\"; the tags are: \"admin\", \"pets\", \"store\", \"users\"",
        "at filter.include_operations[0] (line 3, column 23): \"get*Zebra\" matches no operationId",
        "at filter.include_paths[0] (line 4, column 18): no operation's path starts with \"/nowhere\"",
        "at filter.colour (line 5, column 1): unknown key `colour`; expected one of: include_tags, exclude_tags, include_operations, exclude_operations, include_paths, exclude_paths",
        "at replace.\"#/components/schemas/Mony\" (line 8, column 1): the spec has no schema #/components/schemas/Mony",
        "at replace.\"#/components/schemas/Mony\".path (line 8, column 40): `rust_decimal::Decimal` is in crate `rust_decimal`, which the generated crate does not depend on; add `dependency = 'rust_decimal = \"VERSION\"'`",
        "at replace.Pet.path (line 9, column 16): `rust_decimal::Decimal` is in crate `rust_decimal`, which the generated crate does not depend on; add `dependency = 'rust_decimal = \"VERSION\"'`",
        "at derives.types.Nope (line 12, column 1): no generated type is named `Nope` (use the Rust type name, or `#/components/schemas/NAME`)",
        "at features.default[0] (line 16, column 12): \"cats\" is not a feature of the generated crate (`full`, or a tag or its feature: none)",
    ];
    assert_eq!(got, expected);
    // Keeping nothing is a mistake too.
    let got = problems(model(&spec, Some("[filter]\ninclude_tags = [\"users\"]\nexclude_paths = [\"/users\"]\n")).expect_err("rejected"));
    assert_eq!(got, ["at filter (line 2, column 17): the filter keeps no operation"]);
}

#[test]
fn warnings_can_be_allowed_or_denied_by_kind() {
    let spec = read("config_warnings.yaml");
    let kinds = |toml: Option<&str>| -> Vec<String> {
        let g = generator(toml, false);
        g.emit(g.model(&spec).expect("models")).expect("generates").warnings.iter().map(|w| w.kind.code().to_owned()).collect()
    };
    assert_eq!(kinds(None), ["path-template", "rust-type-extension", "untyped-schema"]);
    assert_eq!(kinds(Some("[warnings]\nallow = [\"untyped-schema\", \"path-template\", \"rust-type-extension\"]\n")), Vec::<String>::new());
    let denied = |toml: Option<&str>, strict: bool| -> Vec<String> {
        let g = generator(toml, strict);
        match g.generate(&spec) {
            Err(Error::Spec { problems, .. }) => problems.iter().map(|p| p.message.rsplit('[').next().unwrap_or_default().to_owned()).collect(),
            other => panic!("expected denied warnings, got {other:?}"),
        }
    };
    assert_eq!(denied(Some("[warnings]\ndeny = [\"path-template\"]\n"), false), ["path-template; denied by the configuration]"]);
    // `--strict` denies every kind the configuration does not allow.
    assert_eq!(
        denied(Some("[warnings]\nallow = [\"untyped-schema\"]\n"), true),
        ["path-template; strict mode: warnings are errors]", "rust-type-extension; strict mode: warnings are errors]"]
    );
    assert_eq!(denied(None, true).len(), 3);
}

const RUST_TYPE_SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: 1.0.0}
paths:
  /m:
    get:
      operationId: getMoney
      responses:
        '200':
          description: ok
          content:
            application/json: {schema: {$ref: '#/components/schemas/Money'}}
components:
  schemas:
    Money:
      type: string
      x-rust-type: {crate: rust_decimal, version: '1.30', path: 'rust_decimal::Decimal'}
    Wallet:
      type: object
      properties:
        balance: {$ref: '#/components/schemas/Money'}
"#;

#[test]
fn replacements_bring_their_dependency_and_the_configuration_wins() {
    let from_spec = generator(None, false).generate(RUST_TYPE_SPEC.as_bytes()).expect("generates");
    assert!(from_spec.files["Cargo.toml"].contains("\nrust_decimal = \"1.30\"\n"), "{}", from_spec.files["Cargo.toml"]);
    assert!(from_spec.files["src/types.rs"].contains("pub type Money = ::rust_decimal::Decimal;"));
    let toml = "[replace]\nMoney = { path = \"rust_decimal::Decimal\", dependency = 'rust_decimal = { version = \"1\", features = [\"serde-str\"] }', impls = [\"Eq\", \"Hash\"] }\n[derives]\nall = [\"Eq\", \"Hash\", \"PartialOrd\"]\n";
    let g = generator(Some(toml), false);
    let generated = g.generate(RUST_TYPE_SPEC.as_bytes()).expect("generates");
    let cargo = &generated.files["Cargo.toml"];
    assert!(cargo.contains("\nrust_decimal = { version = \"1\", features = [\"serde-str\"] }\n") && !cargo.contains("1.30"), "{cargo}");
    // Declared `impls` let containing types derive; an undeclared trait does not.
    let wallet = generated.api.types.iter().find(|t| t.name == "Wallet").expect("Wallet");
    assert_eq!(wallet.derives, ["::std::cmp::Eq", "::std::hash::Hash"]);
    let skipped: Vec<&str> = generated.warnings.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        skipped,
        ["`PartialOrd` is not derived for `Wallet`: its field `balance` is `rust_decimal::Decimal`, which is not declared to implement `PartialOrd` (list it in the replacement's `impls`)"]
    );
}

/// The README's configuration example reads without a problem (the docs stay true).
#[test]
fn the_readme_example_reads_cleanly() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let section = readme.split("## Configuration").nth(1).expect("a Configuration section");
    let example = section.split("```toml\n").nth(1).and_then(|s| s.split("```").next()).expect("a TOML example");
    let file = ConfigFile::from_toml(example, "README.md");
    assert!(file.problems().is_empty(), "{:?}", file.problems());
    for key in ["include_tags", "exclude_tags", "include_operations", "exclude_operations", "include_paths", "exclude_paths", "path =", "dependency =", "impls =", "all =", "[derives.types]", "per_tag", "default =", "allow =", "deny ="] {
        assert!(example.contains(key), "the example does not show `{key}`");
    }
    assert!(file.filter.is_active() && file.replace.len() == 2 && file.derives.types.len() == 2 && file.features.per_tag);
}
