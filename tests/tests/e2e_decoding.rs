//! Server responses the spec does not promise, decoded by generated clients
//! over real TCP on 127.0.0.1: extra fields at every depth, `null` for a
//! required field, integers where numbers are expected and integral floats
//! where integers are, date-times with offsets and fractional seconds, an
//! empty body where JSON was promised.
//!
//! Two servers: the reference contact service (`nedzo-client`, with its
//! [`Fault::Patch`] and [`Fault::EmptyBody`] switches), and a small axum
//! server answering `GET /contacts/{id}` of `tolerant-decoding-client`
//! (`tests/fixtures/tolerant_decoding.yaml`, whose types have required
//! fields at depth, numbers, integers, maps and `additionalProperties`) with
//! a canned body. Every decode failure must be an error that keeps the
//! status and raw body and names the JSON path of the failure.

use std::time::Duration;

use axum::http::{StatusCode, header};
use axum::routing::get;
use chrono::{DateTime, Utc};
use integration_tests::contact_service::{ContactService, Fault, sample_contact};
use nedzo_client::types::{ContactContactListId, ContactUpdate};
use nedzo_client::{ErrorKind, Nullable};
use serde_json::{Value, json};
use tolerant_decoding_client::types::{ContactEnvelope, Level, NotFound};
use tolerant_decoding_client::{Error, ResponseValue};

// ------------------------------------------------ the fixture client's server

/// Starts a server answering `GET /contacts/{id}` with `status` and `body`
/// (`content-type: application/json`) and returns a client for it.
async fn serve(status: u16, body: Vec<u8>) -> tolerant_decoding_client::Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let status = StatusCode::from_u16(status).unwrap();
    let app = axum::Router::new().route(
        "/contacts/{id}",
        get(move || {
            let body = body.clone();
            async move { (status, [(header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    tolerant_decoding_client::Client::builder(&url).max_retries(0).timeout(Duration::from_secs(10)).build().unwrap()
}

/// `GET /contacts/c1` answered with `status` and `body`.
async fn fetch(status: u16, body: &[u8]) -> Result<ResponseValue<ContactEnvelope>, Error<NotFound>> {
    serve(status, body.to_vec()).await.get_contact("c1").await
}

/// A contact with every required field.
fn contact() -> Value {
    json!({"id": "c1", "name": "Ada", "score": 9.5, "visits": 3, "updated_at": "2024-05-01T10:30:00Z"})
}

/// The documented envelope around `contact()`, with `(pointer, value)` edits
/// (a member is added to its object when missing).
fn body(edits: &[(&str, Value)]) -> Vec<u8> {
    let mut doc = json!({"data": {"contact": contact()}});
    for (pointer, value) in edits {
        let (parent, last) = pointer.rsplit_once('/').unwrap();
        match doc.pointer_mut(parent).unwrap() {
            Value::Object(map) => {
                map.insert(last.to_owned(), value.clone());
            }
            Value::Array(items) => items[last.parse::<usize>().unwrap()] = value.clone(),
            other => panic!("{pointer}: parent is {other}"),
        }
    }
    serde_json::to_vec(&doc).unwrap()
}

/// Asserts a decode error of a 200 response at `path` whose message (after
/// the path) starts with `reason`, keeping the status and the raw body.
fn assert_decode_error_at<E: std::fmt::Debug>(err: &tolerant_decoding_client::Error<E>, sent: &[u8], path: &str, reason: &str) {
    assert_eq!(err.kind(), tolerant_decoding_client::ErrorKind::Decode, "{err}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.body(), Some(sent));
    assert_eq!(err.decode_path(), Some(path), "{err}");
    let expected = format!("HTTP 200 OK: could not decode the response body at {path}: {reason}");
    assert!(err.to_string().starts_with(&expected), "{err}\nexpected it to start with: {expected}");
}

#[tokio::test]
async fn extra_fields_at_every_depth_are_ignored_or_kept_where_the_type_has_additional_properties() {
    let attributes = json!({"source": "import", "vip": true, "tags": ["a", {"b": null}]});
    let sent = body(&[
        ("/request_id", json!("req_1")),
        ("/data/cursor", json!({"next": "abc"})),
        ("/data/contact/lead_score", json!(42)),
        ("/data/contact/nested_extra", json!({"deep": [1, {"x": null}]})),
        ("/data/contact/address", json!({"city": "Paris", "zip": "75001", "geo": {"lat": 48.8}})),
        ("/data/contact/attributes", attributes.clone()),
    ]);

    let resp = fetch(200, &sent).await.unwrap();

    assert_eq!(resp.status(), 200);
    let contact = &resp.data.contact;
    assert_eq!((contact.id.as_str(), contact.name.as_str(), contact.visits), ("c1", "Ada", 3));
    // `Address` lists only `city`: the rest is ignored.
    assert_eq!(contact.address.as_ref().unwrap().city, "Paris");
    assert_eq!(serde_json::to_value(contact.address.as_ref().unwrap()).unwrap(), json!({"city": "Paris"}));
    // `Attributes` has additionalProperties: every unknown key is kept and sent back.
    let attrs = contact.attributes.as_ref().unwrap();
    assert_eq!(attrs.source.as_deref(), Some("import"));
    assert_eq!(attrs.additional_properties.len(), 2);
    assert_eq!(attrs.additional_properties["tags"], json!(["a", {"b": null}]));
    assert_eq!(serde_json::to_value(attrs).unwrap(), attributes);
}

#[tokio::test]
async fn null_for_a_required_field_is_a_decode_error_naming_its_json_path() {
    let cases: &[(&[(&str, Value)], &str)] = &[
        (&[("/data/contact/id", Value::Null)], "data.contact.id"),
        (&[("/data/contact/visits", Value::Null)], "data.contact.visits"),
        (&[("/data/contact/updated_at", Value::Null)], "data.contact.updated_at"),
        (&[("/data/contact/address", json!({"city": null}))], "data.contact.address.city"),
        (&[("/data/contact/counts", json!([1, null]))], "data.contact.counts[1]"),
        (&[("/data/contact", Value::Null)], "data.contact"),
        (&[("/data", Value::Null)], "data"),
    ];
    for (edits, path) in cases {
        let sent = body(edits);
        let err = fetch(200, &sent).await.unwrap_err();
        assert_decode_error_at(&err, &sent, path, "invalid type: null, expected ");
    }
}

#[tokio::test]
async fn a_wrongly_typed_field_names_its_path_also_inside_a_type_with_additional_properties() {
    let cases: &[(&str, Value, &str, &str)] = &[
        ("/data/contact/attributes", json!({"source": 5, "vip": true}), "data.contact.attributes.source", "invalid type: integer `5`, expected a string"),
        ("/data/contact/attributes", json!([1]), "data.contact.attributes", "invalid type: sequence, expected struct Attributes"),
        ("/data/contact/address", json!({"city": ["Paris"]}), "data.contact.address.city", "invalid type: sequence, expected a string"),
    ];
    for (pointer, value, path, reason) in cases {
        let sent = body(&[(pointer, value.clone())]);
        let err = fetch(200, &sent).await.unwrap_err();
        assert_decode_error_at(&err, &sent, path, reason);
    }
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error_naming_its_object() {
    let mut doc = json!({"data": {"contact": contact()}});
    doc["data"]["contact"].as_object_mut().unwrap().remove("name");
    let sent = serde_json::to_vec(&doc).unwrap();

    let err = fetch(200, &sent).await.unwrap_err();

    assert_decode_error_at(&err, &sent, "data.contact", "missing field `name`");
}

#[tokio::test]
async fn integers_where_numbers_are_expected_decode_exactly() {
    for (score, expected) in [(json!(7), 7.0), (json!(-12), -12.0), (json!(9_007_199_254_740_992u64), 9_007_199_254_740_992.0)] {
        let resp = fetch(200, &body(&[("/data/contact/score", score)])).await.unwrap();
        assert_eq!(resp.data.contact.score, expected);
    }
}

#[tokio::test]
async fn integral_floats_decode_as_integers_everywhere_an_integer_is_expected() {
    let sent = body(&[
        ("/data/contact/visits", json!(3.0)),
        ("/data/contact/total", json!(1e3)),
        ("/data/contact/balance", json!(-2.0)),
        ("/data/contact/counts", json!([1.0, 2, -0.0])),
        ("/data/contact/limits", json!({"daily": 5.0, "monthly": 100})),
        ("/data/contact/level", json!(2.0)),
    ]);

    let contact = fetch(200, &sent).await.unwrap().into_inner().data.contact;

    assert_eq!(contact.visits, 3);
    assert_eq!(contact.total, Some(1000));
    assert_eq!(contact.balance, tolerant_decoding_client::Nullable::Value(-2));
    assert_eq!(contact.counts, Some(vec![1, 2, 0]));
    assert_eq!(contact.limits.unwrap().into_iter().collect::<Vec<_>>(), [("daily".to_owned(), 5), ("monthly".to_owned(), 100)]);
    assert_eq!(contact.level, Some(Level::V_2));
    // `null` and a missing key still mean what they did.
    let contact = fetch(200, &body(&[("/data/contact/balance", Value::Null)])).await.unwrap().into_inner().data.contact;
    assert_eq!(contact.balance, tolerant_decoding_client::Nullable::Null);
    assert_eq!((contact.total, contact.counts), (None, None));
}

#[tokio::test]
async fn fractions_and_out_of_range_numbers_for_integers_are_decode_errors_naming_the_path() {
    let cases: &[(&str, Value, &str, &str)] = &[
        ("/data/contact/visits", json!(3.5), "data.contact.visits", "invalid value: floating point `3.5`, expected an integer"),
        ("/data/contact/visits", json!(3_000_000_000u64), "data.contact.visits", "invalid value: integer `3000000000`, expected an i32"),
        ("/data/contact/total", json!(1e19), "data.contact.total", "invalid value: floating point `1e+19`, expected an integer"),
        ("/data/contact/total", json!(u64::MAX), "data.contact.total", "invalid value: integer `18446744073709551615`, expected an integer"),
        ("/data/contact/counts", json!([1, 2.5]), "data.contact.counts[1]", "invalid value: floating point `2.5`, expected an integer"),
        ("/data/contact/limits", json!({"daily": 0.5}), "data.contact.limits.daily", "invalid value: floating point `0.5`, expected an integer"),
        ("/data/contact/level", json!(1.5), "data.contact.level", "invalid value: floating point `1.5`, expected an integer"),
        ("/data/contact/visits", json!("3"), "data.contact.visits", "invalid type: string \"3\", expected an integer"),
    ];
    for (pointer, value, path, reason) in cases {
        let sent = body(&[(pointer, value.clone())]);
        let err = fetch(200, &sent).await.unwrap_err();
        assert_decode_error_at(&err, &sent, path, reason);
    }
}

#[tokio::test]
async fn date_times_with_any_offset_and_fractional_seconds_decode_to_the_same_instant() {
    let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    let cases = [
        ("2024-05-01T10:30:00Z", utc("2024-05-01T10:30:00Z")),
        ("2024-05-01T12:30:00+02:00", utc("2024-05-01T10:30:00Z")),
        ("2024-05-01T05:00:00.5-05:30", utc("2024-05-01T10:30:00.500Z")),
        ("2024-05-01T10:30:00.123456789Z", utc("2024-05-01T10:30:00.123456789Z")),
        ("2024-05-01T23:30:00.001+13:00", utc("2024-05-01T10:30:00.001Z")),
        ("2024-05-01t10:30:00z", utc("2024-05-01T10:30:00Z")),
    ];
    for (text, expected) in cases {
        let contact = fetch(200, &body(&[("/data/contact/updated_at", json!(text))])).await.unwrap().into_inner().data.contact;
        assert_eq!(contact.updated_at, expected, "{text}");
    }
    // Without an offset the instant is unknown: an error, not a guess.
    let sent = body(&[("/data/contact/updated_at", json!("2024-05-01T10:30:00"))]);
    let err = fetch(200, &sent).await.unwrap_err();
    assert_decode_error_at(&err, &sent, "data.contact.updated_at", "premature end of input");
}

#[tokio::test]
async fn empty_body_on_200_is_a_decode_error_that_keeps_the_status() {
    for sent in [&b""[..], b"  \r\n"] {
        let err = fetch(200, sent).await.unwrap_err();
        assert_eq!(err.kind(), tolerant_decoding_client::ErrorKind::Decode);
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        assert_eq!(err.body(), Some(sent));
        assert_eq!(err.decode_path(), Some(""));
        assert_eq!(err.to_string(), "HTTP 200 OK: could not decode the response body: the body is empty; expected JSON");
    }
}

#[tokio::test]
async fn trailing_data_after_the_body_is_a_decode_error() {
    let mut sent = body(&[]);
    sent.extend_from_slice(b" {}");
    let err = fetch(200, &sent).await.unwrap_err();
    assert_eq!(err.kind(), tolerant_decoding_client::ErrorKind::Decode);
    assert_eq!(err.decode_path(), Some(""));
    assert!(err.to_string().starts_with("HTTP 200 OK: could not decode the response body: trailing characters"), "{err}");
}

#[tokio::test]
async fn a_documented_error_body_decodes_or_says_where_it_does_not() {
    let err = fetch(404, br#"{"detail": "no such contact", "trace": {"id": 1}}"#).await.unwrap_err();
    assert_eq!(err.kind(), tolerant_decoding_client::ErrorKind::Status);
    assert_eq!(err.typed().map(|t| t.detail.as_str()), Some("no such contact"));
    assert_eq!(err.decode_path(), None);
    assert_eq!(err.to_string(), "HTTP 404 Not Found: the server answered with error status 404");

    let err = fetch(404, br#"{"detail": 5}"#).await.unwrap_err();
    assert_eq!(err.kind(), tolerant_decoding_client::ErrorKind::Status);
    assert!(err.typed().is_none());
    assert_eq!(err.decode_path(), Some("detail"));
    assert!(
        err.to_string().starts_with("HTTP 404 Not Found: the server answered with error status 404; its body did not decode at detail: invalid type: integer `5`, expected a string"),
        "{err}"
    );

    let err = fetch(404, b"").await.unwrap_err();
    assert!(err.typed().is_none());
    assert_eq!(err.to_string(), "HTTP 404 Not Found: the server answered with error status 404; its body did not decode: the body is empty; expected JSON");
}

// ------------------------------------------------ the reference service

const TOKEN: &str = "decoding-token-5b1e";

async fn reference(fault: Fault) -> (ContactService, nedzo_client::Client, uuid::Uuid) {
    let svc = ContactService::start(TOKEN).await;
    let mut contact = sample_contact();
    contact.as_object_mut().unwrap().remove("id");
    let id = svc.seed(contact);
    svc.set_fault(fault, 1);
    let client = nedzo_client::Client::builder(&svc.base_url()).bearer_token(TOKEN).max_retries(0).build().unwrap();
    (svc, client, id)
}

fn patch(edits: &[(&str, Value)]) -> Fault {
    Fault::Patch(edits.iter().map(|(p, v)| ((*p).to_owned(), v.clone())).collect())
}

#[tokio::test]
async fn reference_service_extra_fields_integral_floats_and_offsets_decode() {
    let (svc, client, id) = reference(patch(&[
        ("/status_code", json!(200.0)),
        ("/request_id", json!("req_9")),
        ("/data/cursor", json!(null)),
        ("/data/contact/lead_score", json!(42)),
        ("/data/contact/custom_fields/0/created_by", json!({"id": 1})),
        ("/data/contact/last_dial_time", json!("2023-11-07T07:31:56.250+02:00")),
        ("/data/contact/contact_list_id", json!(5.0)),
    ]))
    .await;

    let resp = client.update_contact(&id, &ContactUpdate::default()).await.unwrap();

    assert_eq!(svc.request_count(), 1);
    assert_eq!(resp.status_code, 200);
    let contact = resp.data.as_option().unwrap().contact.clone().unwrap();
    assert_eq!(contact.last_dial_time, Nullable::Value("2023-11-07T05:31:56.250Z".parse::<DateTime<Utc>>().unwrap()));
    assert_eq!(contact.contact_list_id, Nullable::Value(ContactContactListId::Integer(5)));
    let fields = contact.custom_fields.into_option().unwrap();
    assert_eq!(fields[0].value, Nullable::Value("VIP".to_owned()));
    assert_eq!(contact.email, Nullable::Value("jane.doe@example.com".to_owned()));
}

#[tokio::test]
async fn reference_service_values_that_do_not_fit_are_decode_errors_naming_their_path() {
    let cases: &[(&str, Value, &str, &str)] = &[
        ("/status_code", Value::Null, "status_code", "invalid type: null, expected an integer"),
        ("/status_code", json!(200.5), "status_code", "invalid value: floating point `200.5`, expected an integer"),
        ("/message", Value::Null, "message", "invalid type: null, expected a string"),
        ("/data/contact/custom_fields/0/value", json!(5), "data.contact.custom_fields[0].value", "invalid type: integer `5`, expected a string"),
        ("/data/contact/id", json!("not-a-uuid"), "data.contact.id", "UUID parsing failed"),
        ("/data/contact/last_dial_time", json!("yesterday"), "data.contact.last_dial_time", "input contains invalid characters"),
    ];
    for (pointer, value, path, reason) in cases {
        let (svc, client, id) = reference(patch(&[(pointer, value.clone())])).await;

        let err = client.update_contact(&id, &ContactUpdate::default()).await.unwrap_err();

        assert_eq!(svc.request_count(), 1);
        assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
        assert_eq!(err.decode_path(), Some(*path), "{err}");
        let raw: Value = err.body_json().unwrap().unwrap();
        assert_eq!(raw.pointer(pointer), Some(value));
        let expected = format!("HTTP 200 OK: could not decode the response body at {path}: {reason}");
        assert!(err.to_string().starts_with(&expected), "{err}\nexpected it to start with: {expected}");
    }
}

#[tokio::test]
async fn reference_service_empty_200_body_is_a_decode_error_with_the_status() {
    let (svc, client, id) = reference(Fault::EmptyBody).await;

    let err = client.update_contact(&id, &ContactUpdate { city: Nullable::Null, ..Default::default() }).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.is_decode() && !err.is_retryable());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.body(), Some(&b""[..]));
    assert_eq!(err.to_string(), "HTTP 200 OK: could not decode the response body: the body is empty; expected JSON");
    // The update went through on the server; only the answer was empty.
    assert_eq!(svc.contact(id).unwrap()["city"], Value::Null);
}
