//! Criterion benchmark: one `PATCH /v1/contact/{id}` through the generated
//! client against the same request written by hand with reqwest and
//! serde_json, both against one local server (127.0.0.1, port 0) that
//! answers with a fixed contact. Run with `cargo bench -p integration-tests
//! --bench request` (or `cargo xtask bench`, which reports the ratio).
//!
//! The server does as little as possible, so the client's own cost is as
//! large a share of the time as it can be.

use std::time::{Duration, Instant};

use axum::{Router, body::Bytes, http::header, routing::patch};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};

const TOKEN: &str = "bench-token";

/// The hand-written request body: the fields this request sends.
#[derive(Serialize)]
struct HandUpdate<'a> {
    first_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    dnc: Option<bool>,
}

/// The hand-written response types, with the fields the API documents.
#[derive(Deserialize)]
#[allow(dead_code)] // read only by the deserializer, like a typical caller's unused fields
struct HandResponse {
    status_code: i64,
    message: String,
    data: Option<HandData>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandData {
    contact: Option<HandContact>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandContact {
    id: Option<uuid::Uuid>,
    subaccount_id: Option<uuid::Uuid>,
    contact_list_id: Option<uuid::Uuid>,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    full_name: Option<String>,
    business_name: Option<String>,
    full_address: Option<String>,
    city: Option<String>,
    country: Option<String>,
    state: Option<String>,
    postal_code: Option<String>,
    phone: Option<String>,
    job_title: Option<String>,
    dnc: Option<bool>,
    custom_fields: Option<Vec<HandCustomField>>,
    last_dial_time: Option<String>,
    most_recent_outcome: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct HandCustomField {
    custom_field_id: Option<uuid::Uuid>,
    value: Option<String>,
}

/// Starts the fixed-answer server; returns its base URL.
async fn server() -> String {
    let body = serde_json::json!({
        "status_code": 200,
        "message": "Contact updated successfully",
        "data": { "contact": integration_tests::contact_service::sample_contact() },
    });
    let body = Bytes::from(serde_json::to_vec(&body).expect("a JSON value serializes"));
    let app = Router::new().route(
        "/v1/contact/{id}",
        patch(move |_request: Bytes| {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });
    format!("http://{addr}")
}

fn request(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let base = rt.block_on(server());
    let id = uuid::Uuid::parse_str(integration_tests::contact_service::SAMPLE_CONTACT_ID).expect("uuid");
    let timeout = Duration::from_secs(10);

    let generated = nedzo_client::Client::builder(&base).bearer_token(TOKEN).timeout(timeout).build().expect("client");
    let body = nedzo_client::types::ContactUpdate {
        first_name: nedzo_client::Nullable::Value("Janet".to_owned()),
        ..Default::default()
    };

    let http = reqwest::Client::builder().build().expect("reqwest client");
    let url = format!("{base}/v1/contact/{id}");

    let mut group = c.benchmark_group("update_contact");
    group.bench_function("generated_client", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let response = generated.update_contact(&id, &body).await.expect("request");
                    std::hint::black_box(response.into_inner());
                }
                start.elapsed()
            })
        })
    });
    group.bench_function("hand_written_reqwest", |b| {
        b.iter_custom(|iters| {
            rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    let update = HandUpdate { first_name: "Janet", dnc: None };
                    let response = http
                        .patch(&url)
                        .bearer_auth(TOKEN)
                        .timeout(timeout)
                        .header(header::CONTENT_TYPE, "application/json")
                        .body(serde_json::to_vec(&update).expect("serialize"))
                        .send()
                        .await
                        .expect("request");
                    assert!(response.status().is_success());
                    let bytes = response.bytes().await.expect("body");
                    let parsed: HandResponse = serde_json::from_slice(&bytes).expect("decode");
                    std::hint::black_box(parsed);
                }
                start.elapsed()
            })
        })
    });
    group.finish();
}

criterion_group!(benches, request);
criterion_main!(benches);
