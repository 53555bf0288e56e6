//! The generated client never panics on a server response: arbitrary bytes
//! and arbitrary JSON (random values, and objects shaped like the real
//! response with random values in its fields) are decoded into the generated
//! types directly and through the real client path — an HTTP server on
//! 127.0.0.1 answers `update_contact` with the generated body and a random
//! status — and every outcome is a value or an `Error`, never a panic.

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::patch;
use integration_tests::contact_service::sample_contact;
use nedzo_client::types::{ContactUpdate, UpdateContactResponse};
use proptest::prelude::*;
use serde_json::{Map, Value};

/// Any JSON value, up to a few levels deep.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".*".prop_map(Value::String),
        Just(Value::String("3c90c3cc-0d44-4b50-8888-8dd25736052a".to_owned())),
        Just(Value::String("2023-11-07T05:31:56Z".to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((".*", inner), 0..6).prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Every key the real response uses (top level, `data`, the contact, custom fields).
fn response_keys() -> Vec<String> {
    let mut keys: Vec<String> = ["status_code", "message", "data", "contact", "custom_field_id", "value"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    if let Value::Object(contact) = sample_contact() {
        keys.extend(contact.keys().cloned());
    }
    keys
}

/// A response-shaped value: the real structure, with any field replaced,
/// removed or given a random value.
fn shaped_response() -> impl Strategy<Value = Value> {
    let keys = response_keys();
    (
        proptest::collection::vec((proptest::sample::select(keys), any_json()), 0..4),
        prop_oneof![3 => any::<i64>().prop_map(Value::from), 1 => any_json()],
        prop_oneof![3 => ".*".prop_map(Value::String), 1 => any_json()],
        any::<bool>(),
    )
        .prop_map(|(edits, status, message, keep_data)| {
            let mut contact = match sample_contact() {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            for (k, v) in &edits {
                if v.is_null() && k.len() % 2 == 0 {
                    contact.remove(k);
                } else {
                    contact.insert(k.clone(), v.clone());
                }
            }
            let data = if keep_data { serde_json::json!({ "contact": contact }) } else { edits.first().map(|e| e.1.clone()).unwrap_or(Value::Null) };
            serde_json::json!({ "status_code": status, "message": message, "data": data })
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_decode_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = serde_json::from_slice::<UpdateContactResponse>(&bytes);
    }

    #[test]
    fn arbitrary_json_decodes_without_panic(value in any_json()) {
        let text = serde_json::to_vec(&value).unwrap_or_default();
        let _ = serde_json::from_slice::<UpdateContactResponse>(&text);
        let _ = serde_json::from_value::<UpdateContactResponse>(value);
    }

    #[test]
    fn response_shaped_json_decodes_without_panic(value in shaped_response()) {
        let text = serde_json::to_vec(&value).unwrap_or_default();
        if let Ok(decoded) = serde_json::from_slice::<UpdateContactResponse>(&text) {
            // What decodes also encodes again.
            prop_assert!(serde_json::to_vec(&decoded).is_ok());
        }
    }
}

type Reply = Arc<Mutex<(u16, Vec<u8>)>>;

async fn reply(State(state): State<Reply>) -> (StatusCode, Vec<u8>) {
    let (status, body) = state.lock().map(|g| g.clone()).unwrap_or((500, Vec::new()));
    (StatusCode::from_u16(status).unwrap_or(StatusCode::OK), body)
}

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => proptest::collection::vec(any::<u8>(), 0..256),
        1 => any_json().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
        3 => shaped_response().prop_map(|v| serde_json::to_vec(&v).unwrap_or_default()),
    ]
}

#[test]
fn client_survives_any_response() {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap_or_else(|e| panic!("{e}"));
    let state: Reply = Arc::new(Mutex::new((200, Vec::new())));
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let app = axum::Router::new().route("/v1/contact/{id}", patch(reply)).with_state(state.clone());
    rt.spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    let client = nedzo_client::Client::builder(&format!("http://{addr}"))
        .max_retries(0)
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    let id = uuid::Uuid::nil();
    // A fixed RNG: the same 256 responses on every run.
    let mut runner = proptest::test_runner::TestRunner::new_with_rng(
        ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() },
        proptest::test_runner::TestRng::deterministic_rng(proptest::test_runner::RngAlgorithm::ChaCha),
    );
    let statuses = proptest::sample::select(vec![200u16, 200, 200, 201, 204, 400, 404, 422, 500, 503]);
    let decoded = std::cell::Cell::new(0usize);
    let decode_errors = std::cell::Cell::new(0usize);
    let result = runner.run(&(statuses, body_strategy()), |(status, body)| {
        if let Ok(mut g) = state.lock() {
            *g = (status, body.clone());
        }
        let outcome = rt.block_on(client.update_contact(&id, &ContactUpdate::default()).send());
        match outcome {
            Ok(v) => {
                decoded.set(decoded.get() + 1);
                prop_assert!((200..300).contains(&v.status().as_u16()));
            }
            Err(e) => {
                decode_errors.set(decode_errors.get() + usize::from(e.is_decode()));
                // Error paths stay usable: status and body are readable.
                let _ = (e.kind(), e.status(), e.body_text(), e.is_retryable());
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Both the success and the decode-failure paths were exercised.
    let (decoded, decode_errors) = (decoded.get(), decode_errors.get());
    eprintln!("client: {decoded} responses decoded, {decode_errors} decode errors");
    assert!(decoded > 0 && decode_errors > 0, "decoded {decoded}, decode errors {decode_errors}");
}
