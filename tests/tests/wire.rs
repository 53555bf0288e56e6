//! Wire format of the generated `ContactUpdate`: only what the caller set is
//! sent; `null` is sent only when asked for; the spec default is never sent.

use nedzo_client::Nullable;
use nedzo_client::types::{Contact, ContactUpdate, UpdateContactResponse};
use serde_json::json;

#[test]
fn default_update_is_empty_object() {
    assert_eq!(serde_json::to_value(ContactUpdate::default()).unwrap(), json!({}));
}

#[test]
fn only_email_set_sends_only_email() {
    let update = ContactUpdate { email: "ada@example.com".to_owned().into(), ..Default::default() };
    assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"email":"ada@example.com"}"#);
}

#[test]
fn cleared_city_sends_null() {
    let update = ContactUpdate { city: Nullable::Null, ..Default::default() };
    assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"city":null}"#);
}

#[test]
fn null_round_trips_and_absent_stays_absent() {
    let update: ContactUpdate = serde_json::from_str(r#"{"city": null}"#).unwrap();
    assert_eq!(update.city, Nullable::Null);
    assert_eq!(update.email, Nullable::Absent);
    assert_eq!(serde_json::to_string(&update).unwrap(), r#"{"city":null}"#);
}

#[test]
fn dnc_is_sent_only_when_set() {
    const { assert!(!ContactUpdate::DEFAULT_DNC) };
    let untouched = serde_json::to_value(ContactUpdate { phone: "1".to_owned().into(), ..Default::default() }).unwrap();
    assert!(untouched.get("dnc").is_none(), "dnc must not be sent: {untouched}");
    let set = serde_json::to_value(ContactUpdate { dnc: false.into(), ..Default::default() }).unwrap();
    assert_eq!(set, json!({"dnc": false}));
}

#[test]
fn option_conversions() {
    let n: Nullable<i64> = Some(5).into();
    assert_eq!(n, Nullable::Value(5));
    let n: Nullable<i64> = None.into();
    assert!(n.is_null());
    assert_eq!(Option::<i64>::from(Nullable::Value(7)), Some(7));
    assert_eq!(Nullable::<i64>::default(), Nullable::Absent);
}

#[test]
fn response_ignores_unknown_fields_and_keeps_unknown_status() {
    let body = json!({
        "status_code": 200,
        "message": "ok",
        "request_id": "x",
        "data": {"contact": {"status": "Archived", "lead_score": 42, "dnc": true}}
    });
    let decoded: UpdateContactResponse = serde_json::from_value(body).unwrap();
    let contact: Contact = decoded.data.into_option().and_then(|d| d.contact).unwrap();
    assert_eq!(contact.status, Nullable::Value("Archived".to_owned()));
    assert_eq!(contact.dnc, Nullable::Value(true));
}

#[test]
fn openapi_31_fastapi_spec_gives_the_same_types() {
    let root = integration_tests::fixtures::root();
    let strip = |mut api: openapi_rust_gen::model::Api| {
        for t in &mut api.types {
            t.doc = None;
            if let openapi_rust_gen::model::TypeKind::Struct { fields, .. } = &mut t.kind {
                for f in fields {
                    f.doc = None;
                }
            }
        }
        api.types
    };
    let v30 = openapi_rust_gen::model_of(&std::fs::read(root.join("spec/openapi.yaml")).unwrap(), "3.0").unwrap();
    let v31 =
        openapi_rust_gen::model_of(&std::fs::read(root.join("tests/fixtures/nedzo_fastapi_31.json")).unwrap(), "3.1").unwrap();
    assert_eq!(v30.operations.len(), v31.operations.len());
    assert_eq!(strip(v30), strip(v31));
}

/// A request value's `Debug` names its operation and path template, and
/// never a credential or a header value set on it.
#[test]
fn request_value_debug_shows_no_secret() {
    let client = nedzo_client::Client::builder("http://127.0.0.1:1").bearer_token("SECRET-TOKEN").build().unwrap();
    let id = uuid::Uuid::nil();
    let body = ContactUpdate::default();
    let request = client.update_contact(&id, &body).header("x-api-key", "SECRET-HEADER");
    let text = format!("{request:?}");
    assert!(text.contains("\"updateContact\""), "{text}");
    assert!(text.contains("/v1/contact/{id}"), "{text}");
    assert!(!text.contains("SECRET"), "{text}");
}
