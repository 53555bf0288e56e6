//! Decoding and encoding of generated unions and maps, on clients generated
//! from `tests/fixtures/unions_discriminator.yaml` (`unions-client`) and
//! `tests/fixtures/additional_properties.yaml` (`additional-properties-client`).

use additional_properties_client::types::{ClashingName, FieldsAndAnything, FieldsAndExtras, NullableValues};
use serde_json::json;
use unions_client::Nullable;
use unions_client::types::{Cat, Dog, Owner, OwnerInline, PetByName, PetUntagged, PetWithMapping, Scalar};

fn dog() -> serde_json::Value {
    json!({"pet_type": "dog", "barks": true})
}

#[test]
fn discriminator_mapping_picks_the_tagged_variant() {
    // Untagged decoding would take `Cat` (the first shape that fits: unknown fields are ignored).
    let pet: PetWithMapping = serde_json::from_value(dog()).unwrap();
    assert_eq!(pet, PetWithMapping::Dog(Dog { pet_type: "dog".into(), barks: Some(true) }));
    let untagged: PetUntagged = serde_json::from_value(dog()).unwrap();
    assert!(matches!(untagged, PetUntagged::Cat(_)), "{untagged:?}");
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
    // Untagged branches are tried in order; both fit, the first wins and keeps the common fields.
    let mixed: Mixed = serde_json::from_value(json!({"pet_type": "cat", "b": "x"})).unwrap();
    assert!(matches!(&mixed, Mixed::Variant0(v) if v.pet_type == "cat"), "{mixed:?}");
    let encoded = serde_json::to_value(Mixed::Variant1(MixedVariant1 { pet_type: "cat".into(), meows: None, b: Some("x".into()) })).unwrap();
    assert_eq!(encoded, json!({"pet_type": "cat", "b": "x"}));
}
