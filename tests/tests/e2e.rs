//! End-to-end tests: the generated `nedzo-client` against the reference
//! contact service over real TCP on 127.0.0.1.
//!
//! Every test checks both sides: what the server stored (and received on the
//! wire) and what the client returned. Tests run on the default
//! `#[tokio::test]` runtime, which is `current_thread`: the client must not
//! need a multi-threaded runtime. Backoffs are configured small so that the
//! retry tests stay fast.

use std::time::{Duration, Instant};

use integration_tests::contact_service::{ContactService, Fault, sample_contact};
use nedzo_client::types::{Contact, ContactUpdate, UpdateContactResponse};
use nedzo_client::{Client, ClientBuilder, ErrorKind, Nullable, ResponseValue};
use serde::Deserialize;
use serde_json::{Value, json};
use uuid::Uuid;

const TOKEN: &str = "e2e-token-7f3a9c5d1b";
const WRONG_TOKEN: &str = "wrong-token-0c4e8a2f6d";

/// Starts a service holding a fresh copy of the sample contact (`dnc: true`).
async fn setup() -> (ContactService, Uuid) {
    let svc = ContactService::start(TOKEN).await;
    let mut contact = sample_contact();
    contact.as_object_mut().unwrap().remove("id");
    let id = svc.seed(contact);
    (svc, id)
}

/// A builder for `svc` with the right token and small backoffs.
fn builder(svc: &ContactService) -> ClientBuilder {
    Client::builder(&svc.base_url())
        .bearer_token(TOKEN)
        .timeout(Duration::from_secs(10))
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(50))
}

fn client(svc: &ContactService) -> Client {
    builder(svc).build().unwrap()
}

fn email_only(email: &str) -> ContactUpdate {
    ContactUpdate {
        email: Nullable::Value(email.to_owned()),
        ..Default::default()
    }
}

/// The contact in a successful response.
fn returned_contact(resp: &ResponseValue<UpdateContactResponse>) -> Contact {
    let data = resp.data.as_option().expect("data is present");
    data.contact.clone().expect("contact is present")
}

/// `stored` with `changes` (a JSON object) merged in.
fn merged(stored: &Value, changes: Value) -> Value {
    let mut out = stored.clone();
    for (k, v) in changes.as_object().unwrap() {
        out[k] = v.clone();
    }
    out
}

/// The FastAPI validation error body (test-local: the spec documents no
/// error bodies, so the client exposes the raw body and `body_json`).
#[derive(Debug, Deserialize)]
struct HttpValidationError {
    detail: Vec<ValidationErrorItem>,
}

#[derive(Debug, Deserialize)]
struct ValidationErrorItem {
    loc: Vec<Value>,
    msg: String,
    #[serde(rename = "type")]
    kind: String,
}

#[tokio::test]
async fn updating_only_email_keeps_dnc_and_every_other_field() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    assert_eq!(before["dnc"], json!(true));

    let resp = client(&svc)
        .update_contact(&id, &email_only("new@example.com"))
        .await
        .unwrap();

    // On the wire: exactly the one field, with the documented headers.
    let requests = svc.requests();
    assert_eq!(requests.len(), 1);
    let req = &requests[0];
    assert_eq!(req.method, "PATCH");
    assert_eq!(req.path, format!("/v1/contact/{id}"));
    assert_eq!(req.query, None);
    assert_eq!(req.body, br#"{"email":"new@example.com"}"#);
    assert_eq!(req.header("content-type"), Some("application/json"));
    assert_eq!(req.header("accept"), Some("application/json"));
    assert_eq!(req.header("authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    assert_eq!(req.header("user-agent"), Some(expected_user_agent().as_str()));

    // Stored: only the email changed; dnc is still true.
    let after = svc.contact(id).unwrap();
    assert_eq!(after, merged(&before, json!({"email": "new@example.com"})));
    assert_eq!(after["dnc"], json!(true));

    // Returned: the documented envelope with the full stored contact.
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.status_code, 200);
    assert_eq!(resp.message, "Contact updated successfully");
    let contact = returned_contact(&resp);
    assert_eq!(contact.dnc, Nullable::Value(true));
    assert_eq!(contact.email, Nullable::Value("new@example.com".to_owned()));
    assert_eq!(contact.id, Nullable::Value(id));
    assert_eq!(contact.status, Nullable::Value("Waiting".to_owned()));
    assert_eq!(serde_json::to_value(&contact).unwrap(), after);
}

#[tokio::test]
async fn clearing_city_stores_null_and_set_then_clear_round_trips() {
    let (svc, id) = setup().await;
    let client = client(&svc);
    let before = svc.contact(id).unwrap();
    assert_eq!(before["city"], json!("Springfield"));
    let city = |value: Nullable<String>| ContactUpdate { city: value, ..Default::default() };

    let resp = client.update_contact(&id, &city(Nullable::Null)).await.unwrap();
    assert_eq!(svc.last_request().unwrap().body, br#"{"city":null}"#);
    let stored = svc.contact(id).unwrap();
    assert_eq!(stored, merged(&before, json!({"city": null})));
    assert_eq!(returned_contact(&resp).city, Nullable::Null);

    let resp = client
        .update_contact(&id, &city(Nullable::Value("Shelbyville".to_owned())))
        .await
        .unwrap();
    assert_eq!(svc.last_request().unwrap().body, br#"{"city":"Shelbyville"}"#);
    assert_eq!(svc.contact(id).unwrap(), merged(&before, json!({"city": "Shelbyville"})));
    assert_eq!(returned_contact(&resp).city, Nullable::Value("Shelbyville".to_owned()));

    // `None` converts to the null state, too.
    let resp = client.update_contact(&id, &city(None.into())).await.unwrap();
    assert_eq!(svc.last_request().unwrap().body, br#"{"city":null}"#);
    let stored = svc.contact(id).unwrap();
    assert_eq!(stored, merged(&before, json!({"city": null})));
    let contact = returned_contact(&resp);
    assert_eq!(contact.city, Nullable::Null);
    assert_eq!(serde_json::to_value(&contact).unwrap(), stored);
}

#[tokio::test]
async fn missing_token_is_a_401_error() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    let client = Client::builder(&svc.base_url()).build().unwrap();

    let err = client.update_contact(&id, &email_only("x@example.com")).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(err.kind(), ErrorKind::Status);
    assert!(!err.is_retryable());
    assert_eq!(err.body_json::<Value>().unwrap().unwrap(), json!({"detail": "Not authenticated"}));
    assert_eq!(err.headers().unwrap()["www-authenticate"], "Bearer");
    assert!(err.to_string().contains("401"), "{err}");
    // The server saw no credentials, changed nothing, and was asked once.
    assert_eq!(svc.request_count(), 1);
    assert_eq!(svc.last_request().unwrap().header("authorization"), None);
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn wrong_token_is_a_401_error_that_never_shows_a_token() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    let client = builder(&svc).bearer_token(WRONG_TOKEN).build().unwrap();

    let err = client.update_contact(&id, &email_only("x@example.com")).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let texts = [
        err.to_string(),
        format!("{err:?}"),
        format!("{err:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", builder(&svc)),
    ];
    for text in &texts {
        assert!(!text.contains(WRONG_TOKEN), "token in {text}");
        assert!(!text.contains(TOKEN), "token in {text}");
    }
    assert_eq!(svc.request_count(), 1);
    let sent = format!("Bearer {WRONG_TOKEN}");
    assert_eq!(svc.last_request().unwrap().header("authorization"), Some(sent.as_str()));
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn unknown_id_is_a_404_error() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    let unknown = Uuid::from_u128(0xdead_beef);

    let err = client(&svc).update_contact(&unknown, &email_only("x@example.com")).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(err.kind(), ErrorKind::Status);
    assert!(!err.is_retryable());
    assert_eq!(err.body_json::<Value>().unwrap().unwrap(), json!({"detail": "Contact not found"}));
    assert_eq!(svc.request_count(), 1);
    assert_eq!(svc.last_request().unwrap().path, format!("/v1/contact/{unknown}"));
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn validation_failure_is_a_422_error_with_the_fastapi_body_decoded() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    // A typed client cannot send `dnc: "yes"`; the fault makes the server
    // reject a well-typed body the way FastAPI reports validation errors.
    svc.set_fault(Fault::ValidationError, 1);
    let update = ContactUpdate {
        email: Nullable::Value("not-an-email".to_owned()),
        dnc: Nullable::Value(false),
        ..Default::default()
    };

    let err = client(&svc).update_contact(&id, &update).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(err.kind(), ErrorKind::Status);
    assert!(!err.is_retryable());
    let body: HttpValidationError = err.body_json().unwrap().unwrap();
    let fields: Vec<&Value> = body.detail.iter().map(|d| &d.loc[1]).collect();
    assert_eq!(fields, [&json!("email"), &json!("dnc")]);
    for item in &body.detail {
        assert_eq!(item.loc[0], json!("body"));
        assert_eq!(item.kind, "value_error");
        assert!(!item.msg.is_empty());
    }
    assert_eq!(svc.request_count(), 1);
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn unknown_status_value_and_unknown_fields_decode() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault(Fault::UnknownStatusAndFields, 1);

    let resp = client(&svc).update_contact(&id, &email_only("a@example.com")).await.unwrap();

    assert_eq!(svc.contact(id).unwrap(), merged(&before, json!({"email": "a@example.com"})));
    let contact = returned_contact(&resp);
    assert_eq!(contact.status, Nullable::Value("Archived".to_owned()));
    assert_eq!(contact.email, Nullable::Value("a@example.com".to_owned()));
    assert_eq!(contact.dnc, Nullable::Value(true));
    assert_eq!(resp.message, "Contact updated successfully");
}

#[tokio::test]
async fn html_500_is_an_error_with_status_and_raw_body() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault(Fault::HtmlError, 1);

    let err = client(&svc).update_contact(&id, &email_only("a@example.com")).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(err.kind(), ErrorKind::Status);
    assert!(!err.is_retryable(), "500 is not retried");
    assert!(err.body_text().unwrap().contains("<h1>Internal Server Error</h1>"));
    assert!(err.headers().unwrap()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(err.body_json::<Value>().unwrap().is_err());
    assert_eq!(svc.request_count(), 1);
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_with_status_and_raw_body() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault(Fault::TruncatedJson, 1);

    let err = client(&svc).update_contact(&id, &email_only("t@example.com")).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.is_decode() && !err.is_retryable());
    let raw = err.body_text().unwrap();
    assert!(raw.starts_with(r#"{"status_code":200"#), "{raw}");
    assert!(serde_json::from_str::<Value>(&raw).is_err());
    assert!(std::error::Error::source(&err).is_some(), "the JSON error is the cause");
    assert!(err.to_string().contains("EOF while parsing"), "{err}");
    // The update itself went through on the server.
    assert_eq!(svc.contact(id).unwrap(), merged(&before, json!({"email": "t@example.com"})));
    assert_eq!(svc.request_count(), 1);
}

#[tokio::test]
async fn wrongly_typed_json_is_a_decode_error_with_status_and_raw_body() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault(Fault::WrongTypes, 1);

    let err = client(&svc).update_contact(&id, &email_only("w@example.com")).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    assert_eq!(err.kind(), ErrorKind::Decode);
    let raw: Value = err.body_json().unwrap().unwrap();
    assert_eq!(raw["status_code"], json!("two hundred"));
    assert_eq!(raw["data"]["contact"]["dnc"], json!("yes"));
    assert!(std::error::Error::source(&err).is_some());
    // The first value that does not fit, by its JSON path.
    assert_eq!(err.decode_path(), Some("status_code"));
    assert!(
        err.to_string().starts_with("HTTP 200 OK: could not decode the response body at status_code: invalid type: string \"two hundred\", expected an integer"),
        "{err}"
    );
    assert_eq!(svc.contact(id).unwrap(), merged(&before, json!({"email": "w@example.com"})));
}

#[tokio::test]
async fn slow_server_gives_a_timeout_error() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault(Fault::Delay(Duration::from_secs(20)), 1);
    let timeout = Duration::from_millis(300);
    let client = builder(&svc).timeout(timeout).build().unwrap();

    let started = Instant::now();
    let err = client.update_contact(&id, &email_only("slow@example.com")).await.unwrap_err();
    let elapsed = started.elapsed();

    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert_eq!(err.status(), None);
    // A functional bound (the server would answer after 20 s), not a benchmark.
    assert!(elapsed < timeout + Duration::from_secs(5), "took {elapsed:?}");
    // Timeouts are not retried (the server may have acted on the request).
    assert_eq!(svc.request_count(), 1);
    assert_eq!(svc.contact(id).unwrap(), before);
}

/// Arms `times` answers of `status` with `Retry-After: retry_after`.
fn fail_with(svc: &ContactService, status: u16, retry_after: Option<&str>, times: usize) {
    let fault = Fault::Status { status, retry_after: retry_after.map(str::to_owned) };
    svc.set_fault(fault, times);
}

/// Every recorded request carried the same method, path, body and headers.
fn assert_all_identical(svc: &ContactService, expected: usize) {
    let requests = svc.requests();
    assert_eq!(requests.len(), expected);
    let first = &requests[0];
    for other in &requests[1..] {
        assert_eq!(other.method, first.method);
        assert_eq!(other.target, first.target);
        assert_eq!(other.body, first.body);
        for name in ["authorization", "content-type", "content-length", "accept", "user-agent"] {
            assert_eq!(other.header(name), first.header(name), "{name}");
        }
    }
}

#[tokio::test]
async fn retry_after_seconds_is_retried_then_succeeds_with_the_same_body() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    fail_with(&svc, 503, Some("1"), 1);
    fail_with(&svc, 429, Some("0"), 1);
    let client = builder(&svc).max_backoff(Duration::from_secs(5)).build().unwrap();

    let resp = client.update_contact(&id, &email_only("r@example.com")).await.unwrap();

    assert_eq!(returned_contact(&resp).email, Nullable::Value("r@example.com".to_owned()));
    assert_eq!(svc.contact(id).unwrap(), merged(&before, json!({"email": "r@example.com"})));
    assert_all_identical(&svc, 3);
    assert_eq!(svc.requests()[0].body, br#"{"email":"r@example.com"}"#);
}

#[tokio::test]
async fn retry_after_seconds_and_date_are_waited_for() {
    let (svc, id) = setup().await;
    let started = Instant::now();
    // Whole seconds: at least 2 s from `started`.
    let date = (chrono::Utc::now() + chrono::Duration::seconds(3)).format("%a, %d %b %Y %H:%M:%S GMT");
    fail_with(&svc, 503, Some("1"), 1);
    fail_with(&svc, 429, Some(&date.to_string()), 1);
    let client = builder(&svc).max_backoff(Duration::from_secs(5)).build().unwrap();

    let resp = client.update_contact(&id, &email_only("h@example.com")).await.unwrap();
    let elapsed = started.elapsed();

    assert_eq!(resp.status(), 200);
    assert_eq!(svc.contact(id).unwrap()["email"], json!("h@example.com"));
    assert_all_identical(&svc, 3);
    // A lower bound only (sleeps never end early): without honouring the
    // date, the backoff (at most 50 ms) would have retried after about 1 s.
    assert!(elapsed >= Duration::from_millis(1900), "retried after {elapsed:?}");
}

#[tokio::test]
async fn retry_after_longer_than_max_backoff_is_not_retried_early() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    fail_with(&svc, 429, Some("3600"), 1);

    let err = client(&svc).update_contact(&id, &email_only("l@example.com")).await.unwrap_err();

    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(svc.request_count(), 1);
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn retry_after_http_date_in_the_past_is_retried_then_succeeds() {
    let (svc, id) = setup().await;
    fail_with(&svc, 503, Some("Sun, 06 Nov 1994 08:49:37 GMT"), 1);
    fail_with(&svc, 429, Some("Sunday, 06-Nov-94 08:49:37 GMT"), 1);

    let resp = client(&svc).update_contact(&id, &email_only("d@example.com")).await.unwrap();

    assert_eq!(returned_contact(&resp).email, Nullable::Value("d@example.com".to_owned()));
    assert_eq!(svc.contact(id).unwrap()["email"], json!("d@example.com"));
    assert_all_identical(&svc, 3);
}

#[tokio::test]
async fn every_retryable_status_is_retried() {
    for status in [408, 429, 502, 503, 504] {
        let (svc, id) = setup().await;
        fail_with(&svc, status, None, 1);
        let resp = client(&svc).update_contact(&id, &email_only("s@example.com")).await;
        assert!(resp.is_ok(), "{status}: {resp:?}");
        assert_all_identical(&svc, 2);
        assert_eq!(svc.contact(id).unwrap()["email"], json!("s@example.com"));
    }
}

#[tokio::test]
async fn other_error_statuses_are_not_retried() {
    for status in [400, 409, 500, 501] {
        let (svc, id) = setup().await;
        let before = svc.contact(id).unwrap();
        fail_with(&svc, status, Some("0"), 1);
        let err = client(&svc).update_contact(&id, &email_only("n@example.com")).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(!err.is_retryable());
        assert_eq!(svc.request_count(), 1, "{status}");
        assert_eq!(svc.contact(id).unwrap(), before);
    }
}

#[tokio::test]
async fn retries_are_bounded() {
    for (max_retries, attempts) in [(None, 3), (Some(0), 1), (Some(1), 2), (Some(4), 5)] {
        let (svc, id) = setup().await;
        let before = svc.contact(id).unwrap();
        svc.set_fault_until_cleared(Fault::Status { status: 503, retry_after: Some("0".to_owned()) });
        let mut b = builder(&svc);
        if let Some(n) = max_retries {
            b = b.max_retries(n);
        }

        let err = b.build().unwrap().update_contact(&id, &email_only("b@example.com")).await.unwrap_err();

        assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
        assert!(err.is_retryable());
        assert_eq!(err.headers().unwrap()["retry-after"], "0");
        assert_eq!(err.body_json::<Value>().unwrap().unwrap(), json!({"detail": "Service Unavailable"}));
        assert_all_identical(&svc, attempts);
        assert_eq!(svc.contact(id).unwrap(), before);
    }
}

#[tokio::test]
async fn max_retries_zero_turns_retries_off() {
    let (svc, id) = setup().await;
    fail_with(&svc, 429, Some("0"), 1);
    let client = builder(&svc).max_retries(0).build().unwrap();

    let err = client.update_contact(&id, &email_only("z@example.com")).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(svc.request_count(), 1);

    // The fault is used up: the same client now succeeds.
    let resp = client.update_contact(&id, &email_only("z@example.com")).await.unwrap();
    assert_eq!(returned_contact(&resp).email, Nullable::Value("z@example.com".to_owned()));
    assert_eq!(svc.request_count(), 2);
}

#[tokio::test]
async fn dropped_connection_is_retried_then_succeeds() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault(Fault::DropConnection, 2);

    let resp = client(&svc).update_contact(&id, &email_only("c@example.com")).await.unwrap();

    assert_eq!(returned_contact(&resp).email, Nullable::Value("c@example.com".to_owned()));
    assert_eq!(svc.contact(id).unwrap(), merged(&before, json!({"email": "c@example.com"})));
    assert_all_identical(&svc, 3);
}

#[tokio::test]
async fn connection_that_keeps_dropping_is_a_transport_error() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault_until_cleared(Fault::DropConnection);
    let client = builder(&svc).max_retries(1).build().unwrap();

    let err = client.update_contact(&id, &email_only("c@example.com")).await.unwrap_err();

    assert!(err.is_transport(), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.status(), None);
    assert_eq!(err.body(), None);
    assert!(std::error::Error::source(&err).is_some());
    assert!(!format!("{err:?}").contains(TOKEN));
    assert_all_identical(&svc, 2);
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn refused_connection_is_retried_and_then_a_transport_error() {
    // Bind, note the port, and close it: connecting is then refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder(&format!("http://{addr}"))
        .bearer_token(TOKEN)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(5))
        .build()
        .unwrap();

    let err = client.update_contact(&Uuid::nil(), &email_only("x@example.com")).await.unwrap_err();

    assert!(err.is_transport(), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.to_string().contains(TOKEN));
}

#[tokio::test]
async fn path_parameter_is_sent_as_one_encoded_segment() {
    let svc = ContactService::start(TOKEN).await;
    let client = path_escape_client::Client::new(&svc.base_url()).unwrap();
    let cases = [
        ("a/b c?d", "/items/a%2Fb%20c%3Fd"),
        ("100%#x", "/items/100%25%23x"),
        ("ünï", "/items/%C3%BCn%C3%AF"),
        ("a..b", "/items/a..b"),
        ("...", "/items/..."),
    ];
    for (value, path) in cases {
        let resp = client.get_item(value).await.unwrap();
        assert_eq!(resp.status(), 200);
        let req = svc.last_request().unwrap();
        assert_eq!(req.method, "GET");
        assert_eq!(req.path, path, "{value:?}");
        assert_eq!(req.query, None, "{value:?}");
        assert_eq!(req.target, path, "{value:?}");
    }
    assert_eq!(svc.request_count(), cases.len());

    // `.` and `..` would be normalized away (even as `%2E`), addressing
    // another resource: refused before anything is sent.
    for value in [".", ".."] {
        let err = client.get_item(value).await.unwrap_err();
        assert_eq!(err.kind(), path_escape_client::ErrorKind::Request, "{value:?}");
        assert_eq!(err.status(), None);
    }
    assert_eq!(svc.request_count(), cases.len());
}

#[tokio::test]
async fn user_agent_and_timeout_apply_to_a_caller_supplied_reqwest_client() {
    let (svc, id) = setup().await;
    let http = reqwest::Client::builder().build().unwrap();
    let client = builder(&svc).reqwest_client(http.clone()).build().unwrap();
    client.update_contact(&id, &email_only("u@example.com")).await.unwrap();
    assert_eq!(svc.last_request().unwrap().header("user-agent"), Some(expected_user_agent().as_str()));
    assert_eq!(svc.last_request().unwrap().header("accept"), Some("application/json"));

    let client = builder(&svc).reqwest_client(http).user_agent("my-app/2.1").build().unwrap();
    client.update_contact(&id, &email_only("u@example.com")).await.unwrap();
    assert_eq!(svc.last_request().unwrap().header("user-agent"), Some("my-app/2.1"));

    svc.set_fault(Fault::Delay(Duration::from_secs(20)), 1);
    let client = builder(&svc)
        .reqwest_client(reqwest::Client::new())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.update_contact(&id, &email_only("u@example.com")).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn token_that_is_not_a_valid_header_is_a_request_error_without_the_token() {
    let (svc, id) = setup().await;
    let bad = "bad\ntoken-5e1d";
    let client = builder(&svc).bearer_token(bad).build().unwrap();

    let err = client.update_contact(&id, &email_only("x@example.com")).await.unwrap_err();

    assert_eq!(err.kind(), ErrorKind::Request);
    assert!(!err.is_retryable());
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("token-5e1d"), "{text}");
    }
    assert_eq!(svc.request_count(), 0);
}

/// A raw TCP server that answers every connection with `reply` and closes
/// it; counts connections.
async fn raw_server(reply: &'static [u8]) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = count.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf).await;
            let _ = stream.write_all(reply).await;
            let _ = stream.shutdown().await;
        }
    });
    (url, count)
}

#[tokio::test]
async fn a_response_that_is_not_http_is_a_transport_error() {
    let (url, count) = raw_server(b"this is not HTTP at all\r\n\r\n").await;
    let client = Client::builder(&url).bearer_token(TOKEN).max_retries(1).initial_backoff(Duration::from_millis(1)).build().unwrap();

    let err = client.update_contact(&Uuid::nil(), &email_only("x@example.com")).await.unwrap_err();

    assert!(err.is_transport(), "{err:?}");
    assert_eq!(err.status(), None);
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 2, "retried once");
}

#[tokio::test]
async fn a_body_cut_short_is_a_transport_error_with_the_status() {
    let (url, count) = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"status_code\":",
    )
    .await;
    let client = Client::builder(&url).bearer_token(TOKEN).build().unwrap();

    let err = client.update_contact(&Uuid::nil(), &email_only("x@example.com")).await.unwrap_err();

    assert!(err.is_transport(), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    // A response arrived, so the server may have acted: not retried.
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_is_shared_across_spawned_tasks_on_a_multi_thread_runtime() {
    fn assert_send_sync<T: Send + Sync + Clone + 'static>(_: &T) {}
    let (svc, id) = setup().await;
    let client = client(&svc);
    assert_send_sync(&client);

    let tasks: Vec<_> = (0..4)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.update_contact(&id, &email_only(&format!("t{i}@example.com"))).await })
        })
        .collect();
    for task in tasks {
        let resp = task.await.unwrap().unwrap();
        assert_eq!(resp.status(), 200);
    }
    assert_eq!(svc.request_count(), 4);
    let email = svc.contact(id).unwrap()["email"].as_str().unwrap().to_owned();
    assert!(["t0", "t1", "t2", "t3"].iter().any(|t| email == format!("{t}@example.com")), "{email}");
}

/// `nedzo-client/<version>`, with the version read from the generated crate's manifest
/// (it changes as the spec evolves).
fn expected_user_agent() -> String {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../generated-client/Cargo.toml")).unwrap();
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("version line in generated-client/Cargo.toml");
    format!("nedzo-client/{version}")
}

/// The docs show `contact_list_id` as an integer in the request and a UUID in
/// the response; the spec accepts either in the response, so setting the
/// integer decodes (instead of a decode error after the server applied it).
#[tokio::test]
async fn integer_contact_list_id_round_trips() {
    use nedzo_client::types::ContactContactListId;
    let (svc, id) = setup().await;
    let update = ContactUpdate { contact_list_id: Nullable::Value(7), ..Default::default() };
    let resp = client(&svc).update_contact(&id, &update).await.unwrap();
    assert_eq!(svc.last_request().unwrap().body_json(), Some(json!({"contact_list_id": 7})));
    assert_eq!(svc.contact(id).unwrap()["contact_list_id"], json!(7));
    assert_eq!(returned_contact(&resp).contact_list_id, Nullable::Value(ContactContactListId::Integer(7)));
    // The documented UUID form still decodes.
    let uuid: Uuid = "3c90c3cc-0d44-4b50-8888-8dd25736052a".parse().unwrap();
    let contact: Contact = serde_json::from_value(json!({"contact_list_id": uuid.to_string()})).unwrap();
    assert_eq!(contact.contact_list_id, Nullable::Value(ContactContactListId::Uuid(uuid)));
}

// ---------------------------------------------------------------------------
// Per-request options on the request value: they override the client's
// settings for that call only.

#[tokio::test]
async fn per_request_timeout_overrides_the_client_for_that_call_only() {
    let (svc, id) = setup().await;
    let client = client(&svc); // 10 s timeout
    svc.set_fault(Fault::Delay(Duration::from_secs(20)), 1);
    let err = client.update_contact(&id, &email_only("t@example.com")).timeout(Duration::from_millis(200)).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(svc.request_count(), 1);
    // The next call has the client's timeout again (and no fault).
    client.update_contact(&id, &email_only("t@example.com")).await.unwrap();
    assert_eq!(svc.request_count(), 2);
}

#[tokio::test]
async fn per_request_max_retries_overrides_the_client_for_that_call_only() {
    let (svc, id) = setup().await;
    let client = client(&svc); // 2 retries
    fail_with(&svc, 503, Some("0"), 3);
    let err = client.update_contact(&id, &email_only("r@example.com")).max_retries(0).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(svc.request_count(), 1, "no retry with max_retries(0)");
    // The client's own setting still applies to the next call: two faults
    // left, two retries, then success.
    client.update_contact(&id, &email_only("r@example.com")).await.unwrap();
    assert_eq!(svc.request_count(), 4);
}

#[tokio::test]
async fn per_request_header_is_sent_with_that_call_only() {
    let (svc, id) = setup().await;
    let client = client(&svc);
    client.update_contact(&id, &email_only("h@example.com")).header("X-Trace-Id", "abc 123").send().await.unwrap();
    assert_eq!(svc.last_request().unwrap().header("x-trace-id"), Some("abc 123"));
    client.update_contact(&id, &email_only("h@example.com")).await.unwrap();
    assert_eq!(svc.last_request().unwrap().header("x-trace-id"), None);
}

#[tokio::test]
async fn invalid_per_request_header_is_a_request_error_and_sends_nothing() {
    let (svc, id) = setup().await;
    let client = client(&svc);
    for (name, value) in [("bad name", "v"), ("x-ok", "line\nbreak"), ("", "v")] {
        let err = client.update_contact(&id, &email_only("x@example.com")).header(name, value).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Request, "{name:?}: {err:?}");
        // The value may be a credential: it is never shown.
        assert!(!format!("{err} {err:?}").contains("line"), "{err:?}");
    }
    assert_eq!(svc.request_count(), 0);
}

/// Schemas replaced by existing Rust types (`tests/fixtures/config_replace.toml`
/// and `x-rust-type` in the spec) travel in those types' own formats: an
/// `IpAddr` path parameter, a `url::Url`, an `Ipv4Addr` and a
/// `chrono::NaiveTime` in the body.
#[tokio::test]
async fn replaced_types_go_on_the_wire_in_their_own_format() {
    use axum::extract::Path;
    use axum::http::Uri;
    let app = axum::Router::new().route(
        "/hosts/{address}",
        axum::routing::get(|Path(address): Path<String>, uri: Uri| async move {
            axum::Json(json!({
                "address": address,
                "home": format!("https://example.com{}?from=test", uri.path()),
                "gateway": "10.0.0.1",
                "opens": "09:30:00",
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = replaced_client::Client::new(&format!("http://{addr}")).unwrap();
    for ip in ["2001:db8::1", "192.0.2.7"] {
        let ip: std::net::IpAddr = ip.parse().unwrap();
        let host = client.get_host(&ip).await.unwrap();
        assert_eq!(host.address, ip);
        let home = host.home.clone().expect("home");
        assert_eq!(home, replaced_client::types::Link::parse(home.as_str()).unwrap());
        assert_eq!(home.query(), Some("from=test"));
        assert!(home.path().starts_with("/hosts/"), "{home}");
        assert_eq!(host.gateway, Some(std::net::Ipv4Addr::new(10, 0, 0, 1)));
        assert_eq!(host.opens, chrono::NaiveTime::from_hms_opt(9, 30, 0));
    }
}
