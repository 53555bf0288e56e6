//! Decoding and encoding of generated unions and maps, on clients generated
//! from `tests/fixtures/unions_discriminator.yaml` (`unions-client`),
//! `tests/fixtures/additional_properties.yaml` (`additional-properties-client`)
//! and `tests/fixtures/real_examples.yaml` (`real-examples-client`: shapes
//! real specs' examples decoded wrongly, found by `cargo xtask examples`).

use additional_properties_client::types::{ClashingName, FieldsAndAnything, FieldsAndExtras, NullableValues};
use serde_json::json;
use unions_client::Nullable;
use unions_client::types::{Cat, Dog, Owner, OwnerInline, PetByName, PetUntagged, PetWithMapping, Scalar};

fn dog() -> serde_json::Value {
    json!({"pet_type": "dog", "barks": true})
}

#[test]
fn discriminator_mapping_picks_the_tagged_variant() {
    let pet: PetWithMapping = serde_json::from_value(dog()).unwrap();
    assert_eq!(pet, PetWithMapping::Dog(Dog { pet_type: "dog".into(), barks: Some(true) }));
    // Without a tag, `Cat` fits too (ignoring `barks`), but `Dog` keeps every field.
    let untagged: PetUntagged = serde_json::from_value(dog()).unwrap();
    assert!(matches!(untagged, PetUntagged::Dog(_)), "{untagged:?}");
    let both_fit: PetUntagged = serde_json::from_value(json!({"pet_type": "x"})).unwrap();
    assert!(matches!(both_fit, PetUntagged::Cat(_)), "the first that keeps everything: {both_fit:?}");
}

#[test]
fn discriminator_without_mapping_uses_schema_names() {
    let pet: PetByName = serde_json::from_value(json!({"pet_type": "Dog", "barks": false})).unwrap();
    assert!(matches!(pet, PetByName::Dog(Dog { barks: Some(false), .. })), "{pet:?}");
}

#[test]
fn unknown_tag_falls_back_to_the_variants_in_order() {
    let pet: PetWithMapping = serde_json::from_value(json!({"pet_type": "fish"})).unwrap();
    assert_eq!(pet, PetWithMapping::Cat(Cat { pet_type: "fish".into(), meows: None }));
}

#[test]
fn tagged_variant_that_does_not_fit_is_an_error_not_a_panic() {
    let err = serde_json::from_value::<PetWithMapping>(json!({"pet_type": "dog", "barks": "loud"})).unwrap_err();
    assert!(err.to_string().starts_with("barks: invalid type: string \"loud\""), "the field's path inside the variant: {err}");
    let err = serde_json::from_value::<PetWithMapping>(json!([1, 2])).unwrap_err();
    assert!(err.to_string().contains("PetWithMapping"), "{err}");
}

#[test]
fn tagged_union_encodes_the_variant_with_its_tag_once() {
    let pet = PetWithMapping::Dog(Dog { pet_type: "dog".into(), barks: Some(true) });
    assert_eq!(serde_json::to_value(&pet).unwrap(), dog());
    let back: PetWithMapping = serde_json::from_value(serde_json::to_value(&pet).unwrap()).unwrap();
    assert_eq!(back, pet);
}

#[test]
fn untagged_unions_try_shapes_in_order() {
    let cases = [
        (json!("text"), Scalar::String("text".into())),
        (json!(1.5), Scalar::Number(1.5)),
        (json!(["a"]), Scalar::Array(vec!["a".into()])),
    ];
    for (value, expected) in cases {
        assert_eq!(serde_json::from_value::<Scalar>(value).unwrap(), expected);
    }
    let owner: Owner = serde_json::from_value(json!({"maybe": null, "inline": 7})).unwrap();
    assert_eq!(owner.maybe, Nullable::Null);
    assert_eq!(owner.inline, Some(OwnerInline::Integer(7)));
}

#[test]
fn additional_properties_true_keeps_unknown_fields() {
    let input = json!({"id": "x", "extra": {"nested": [1, 2]}, "flag": true});
    let value: FieldsAndAnything = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(value.id.as_deref(), Some("x"));
    assert_eq!(value.additional_properties.len(), 2);
    assert_eq!(serde_json::to_value(&value).unwrap(), input);
}

#[test]
fn additional_properties_schema_types_the_extras() {
    let value: FieldsAndExtras = serde_json::from_value(json!({"id": "x", "a": 1.5})).unwrap();
    assert_eq!(value.additional_properties.get("a"), Some(&1.5));
    assert!(serde_json::from_value::<FieldsAndExtras>(json!({"id": "x", "a": "not a number"})).is_err());
    let map: NullableValues = serde_json::from_value(json!({"a": 1, "b": null})).unwrap();
    assert_eq!(map.get("b"), Some(&None));
}

#[test]
fn a_property_named_like_the_extras_field_stays_a_property() {
    let value: ClashingName = serde_json::from_value(json!({"additional_properties": "p", "n": 3})).unwrap();
    assert_eq!(value.additional_properties_2.as_deref(), Some("p"));
    assert_eq!(value.additional_properties.get("n"), Some(&3));
}

#[test]
fn all_of_with_a_one_of_part_gives_one_merged_struct_per_branch() {
    use unions_client::types::{Mixed, MixedVariant1, TaggedMix, TaggedMixDog};
    let mix: TaggedMix = serde_json::from_value(json!({"id": 1, "pet_type": "dog", "barks": true})).unwrap();
    assert_eq!(mix, TaggedMix::Dog(TaggedMixDog { id: Some(1), pet_type: "dog".into(), barks: Some(true) }));
    // Untagged branches are tried in order: both fit, but only the second keeps `b`.
    let mixed: Mixed = serde_json::from_value(json!({"pet_type": "cat", "b": "x"})).unwrap();
    assert!(matches!(&mixed, Mixed::Variant1(v) if v.pet_type == "cat" && v.b.as_deref() == Some("x")), "{mixed:?}");
    let encoded = serde_json::to_value(Mixed::Variant1(MixedVariant1 { pet_type: "cat".into(), meows: None, b: Some("x".into()) })).unwrap();
    assert_eq!(encoded, json!({"pet_type": "cat", "b": "x"}));
}

/// Decodes `value` into `T` and encodes it again.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: &serde_json::Value) -> (T, serde_json::Value) {
    let decoded: T = serde_json::from_str(&value.to_string()).unwrap();
    let again = serde_json::to_value(&decoded).unwrap();
    (decoded, again)
}

#[test]
fn a_union_picks_the_variant_that_keeps_every_field() {
    use real_examples_client::types::Profile;
    let hub = json!({"name": "hub", "dhcpd_config": {"lan": "on"}, "ip_configs": {"lan": {"ip": "10.0.0.1"}}});
    let (profile, again): (Profile, _) = round_trip(&hub);
    assert!(matches!(profile, Profile::GatewayProfile(_)), "{profile:?}");
    assert_eq!(again, hub);
    let (profile, _): (Profile, _) = round_trip(&json!({"name": "ap", "radio": "5GHz"}));
    assert!(matches!(profile, Profile::ApProfile(_)), "{profile:?}");
    // No variant keeps `other`: the one that drops the fewest keys (mist's
    // gateway stats example has keys no branch declares), the first among equals.
    let (profile, again): (Profile, _) = round_trip(&json!({"name": "x", "dhcpd_config": {}, "other": 1}));
    assert!(matches!(profile, Profile::GatewayProfile(_)), "{profile:?}");
    assert_eq!(again, json!({"name": "x", "dhcpd_config": {}}));
    let (profile, _): (Profile, _) = round_trip(&json!({"name": "x", "other": 1}));
    assert!(matches!(profile, Profile::ApProfile(_)), "{profile:?}");
    assert!(serde_json::from_value::<Profile>(json!("text")).is_err());
}

#[test]
fn a_union_with_a_nullable_branch_is_nullable() {
    use real_examples_client::Nullable;
    use real_examples_client::types::{JobStatus, Metric};
    let sent = json!({"id": "j", "results": null});
    let (job, again): (JobStatus, _) = round_trip(&sent);
    assert_eq!(job.results, Nullable::Null);
    assert_eq!(again, sent);
    let samples = json!({"samples": [18, null, 15.5, "n/a", true]});
    let (metric, again): (Metric, _) = round_trip(&samples);
    assert_eq!(metric.samples.as_ref().map(|s| s[1].is_none()), Some(true));
    assert_eq!(again, samples);
}

#[test]
fn additional_properties_next_to_all_of_are_kept_by_every_branch() {
    use real_examples_client::types::Target;
    let sent = json!({"id": 88335, "active": false, "project_id": "p", "url": "https://example.com/targets/88335.json"});
    let (target, again): (Target, _) = round_trip(&sent);
    assert!(matches!(&target, Target::TargetBasecamp(t) if t.additional_properties.contains_key("url")), "{target:?}");
    assert_eq!(again, sent);
}

#[test]
fn numbers_keep_their_declared_precision() {
    use real_examples_client::types::Load;
    // Shortest texts of doubles whose last digit a fast float parser gets wrong.
    let sent = json!({"cpu": 0.46052632135780236, "ratio": 9.323452578650581, "memory": 0.4000000059604645});
    let load: Load = serde_json::from_str(&sent.to_string()).unwrap();
    assert_eq!(load.cpu.map(f64::to_bits), Some(0.46052632135780236f64.to_bits()));
    assert_eq!(load.ratio.map(f64::to_bits), Some(9.323452578650581f64.to_bits()));
    // `format: float`: the 32-bit float the text denotes, written back as such.
    assert_eq!(load.memory, Some(0.4f32));
    assert_eq!(serde_json::to_string(&load).unwrap(), r#"{"memory":0.4,"cpu":0.46052632135780236,"ratio":9.323452578650581}"#);
}

#[test]
fn properties_next_to_a_one_of_belong_to_every_branch() {
    use real_examples_client::types::{Sink, SinkSinkHttp, SinkStreamType};
    let sent = json!({"uid": "u1", "description": "d", "type": "eventStream", "format": "json"});
    let (sink, again): (Sink, _) = round_trip(&sent);
    assert!(matches!(&sink, Sink::SinkStream(s) if s.uid == "u1" && s.r#type == SinkStreamType::EventStream), "{sink:?}");
    assert_eq!(again, sent);
    let http = Sink::SinkHttp(SinkSinkHttp { uid: "u2".into(), description: None, r#type: "http".into(), url: "https://h".into() });
    assert_eq!(serde_json::to_value(&http).unwrap(), json!({"uid": "u2", "type": "http", "url": "https://h"}));
}
