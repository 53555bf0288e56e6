//! Tests of the reference contact service itself, driven with plain reqwest.

use std::time::{Duration, Instant};

use integration_tests::contact_service::{
    CONTACT_FIELDS, ContactService, Fault, SAMPLE_CONTACT_ID, sample_contact,
};
use serde_json::{Value, json};
use uuid::Uuid;

const TOKEN: &str = "secret-token-123";

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// Starts a service with a fresh copy of the sample contact (new id).
async fn setup() -> (ContactService, Uuid) {
    let svc = ContactService::start(TOKEN).await;
    let mut contact = sample_contact();
    contact.as_object_mut().unwrap().remove("id");
    let id = svc.seed(contact);
    (svc, id)
}

async fn patch(svc: &ContactService, id: &str, body: &Value) -> reqwest::Response {
    patch_raw(svc, id, serde_json::to_vec(body).unwrap()).await
}

async fn patch_raw(svc: &ContactService, id: &str, body: Vec<u8>) -> reqwest::Response {
    client()
        .patch(format!("{}/v1/contact/{id}", svc.base_url()))
        .bearer_auth(TOKEN)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn json_of(resp: reqwest::Response) -> Value {
    let bytes = resp.bytes().await.unwrap();
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

#[tokio::test]
async fn seed_fills_documented_fields_and_ids() {
    let svc = ContactService::start(TOKEN).await;
    let sample_id = svc.seed(sample_contact());
    assert_eq!(sample_id.to_string(), SAMPLE_CONTACT_ID);
    assert_eq!(svc.contact(sample_id).unwrap(), sample_contact());

    let a = svc.seed(json!({"first_name": "A"}));
    let b = svc.seed(json!({"first_name": "B"}));
    assert_eq!(a.to_string(), "00000000-0000-4000-8000-000000000001");
    assert_eq!(b.to_string(), "00000000-0000-4000-8000-000000000002");
    let stored = svc.contact(a).unwrap();
    let keys: Vec<&str> = stored
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, CONTACT_FIELDS);
    assert_eq!(stored["id"], json!(a.to_string()));
    assert_eq!(stored["first_name"], json!("A"));
    assert_eq!(stored["email"], Value::Null);
    assert!(svc.contact(Uuid::nil()).is_none());
    assert!(svc.base_url().starts_with("http://127.0.0.1:"));
}

#[tokio::test]
async fn patch_merges_absent_null_and_values() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    let resp = patch(
        &svc,
        &id.to_string(),
        &json!({
            "first_name": "Ann",
            "job_title": null,
            "dnc": false,
            "street_address": "2 Side Street",
            "contact_list_id": 7,
            "lead_score": 99
        }),
    )
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let body = json_of(resp).await;
    assert_eq!(body["status_code"], json!(200));
    assert_eq!(body["message"], json!("Contact updated successfully"));
    let contact = &body["data"]["contact"];

    // Set values.
    assert_eq!(contact["first_name"], json!("Ann"));
    assert_eq!(contact["dnc"], json!(false));
    assert_eq!(contact["street_address"], json!("2 Side Street"));
    assert_eq!(contact["contact_list_id"], json!(7));
    // Null clears.
    assert_eq!(contact["job_title"], Value::Null);
    assert!(contact.as_object().unwrap().contains_key("job_title"));
    // Absent keeps.
    for key in [
        "last_name",
        "email",
        "status",
        "custom_fields",
        "last_dial_time",
        "id",
    ] {
        assert_eq!(contact[key], before[key], "{key}");
    }
    // Unknown keys ignored.
    assert!(contact.get("lead_score").is_none());
    // The response shows the stored contact.
    assert_eq!(*contact, svc.contact(id).unwrap());

    // An empty object changes nothing.
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        json_of(resp).await["data"]["contact"],
        svc.contact(id).unwrap()
    );

    // Integral floats are accepted for contact_list_id.
    let resp = patch(&svc, &id.to_string(), &json!({"contact_list_id": 5.0})).await;
    assert_eq!(
        json_of(resp).await["data"]["contact"]["contact_list_id"],
        json!(5)
    );
}

#[tokio::test]
async fn unauthorized_requests_get_401_without_changes() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    let url = format!("{}/v1/contact/{id}", svc.base_url());
    let body = serde_json::to_vec(&json!({"first_name": "Mallory"})).unwrap();
    let requests = [
        client().patch(&url).body(body.clone()),
        client()
            .patch(&url)
            .bearer_auth("wrong-token")
            .body(body.clone()),
        client()
            .patch(&url)
            .header("authorization", format!("Basic {TOKEN}"))
            .body(body.clone()),
        client()
            .patch(&url)
            .header("authorization", TOKEN)
            .body(body.clone()),
    ];
    for req in requests {
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401);
        assert_eq!(resp.headers()["www-authenticate"], "Bearer");
        let text = resp.text().await.unwrap();
        assert!(!text.contains("token"), "{text}");
        assert_eq!(
            serde_json::from_str::<Value>(&text).unwrap(),
            json!({"detail": "Not authenticated"})
        );
    }
    // Scheme is case-insensitive.
    let resp = client()
        .patch(&url)
        .header("authorization", format!("bearer {TOKEN}"))
        .body(serde_json::to_vec(&json!({})).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(svc.contact(id).unwrap(), before);
}

#[tokio::test]
async fn unknown_or_malformed_ids_get_404() {
    let (svc, _) = setup().await;
    for id in [
        Uuid::from_u128(0xdead_beef).to_string(),
        "not-a-uuid".to_owned(),
        "123".to_owned(),
    ] {
        let resp = patch(&svc, &id, &json!({"first_name": "X"})).await;
        assert_eq!(resp.status(), 404, "{id}");
        assert_eq!(json_of(resp).await, json!({"detail": "Contact not found"}));
    }
}

#[tokio::test]
async fn invalid_bodies_get_fastapi_style_422() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    let id = id.to_string();

    let resp = patch(
        &svc,
        &id,
        &json!({"dnc": "yes", "first_name": "ok", "email": 5, "contact_list_id": 1.5}),
    )
    .await;
    assert_eq!(resp.status(), 422);
    assert_eq!(
        json_of(resp).await,
        json!({"detail": [
            {"loc": ["body", "email"], "msg": "Input should be a valid string",
             "type": "string_type", "input": 5},
            {"loc": ["body", "dnc"], "msg": "Input should be a valid boolean",
             "type": "bool_parsing", "input": "yes"},
            {"loc": ["body", "contact_list_id"],
             "msg": "Input should be a valid integer, got a number with a fractional part",
             "type": "int_from_float", "input": 1.5},
        ]})
    );

    let resp = patch(&svc, &id, &json!({"dnc": "yes"})).await;
    assert_eq!(
        json_of(resp).await,
        json!({"detail": [{"loc": ["body", "dnc"], "msg": "Input should be a valid boolean",
                           "type": "bool_parsing", "input": "yes"}]})
    );

    let resp = patch(&svc, &id, &json!({"contact_list_id": "abc", "dnc": 1})).await;
    let detail = json_of(resp).await["detail"].clone();
    assert_eq!(detail[0]["type"], json!("bool_type"));
    assert_eq!(detail[1]["type"], json!("int_parsing"));

    let resp = patch(&svc, &id, &json!([1, 2])).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(
        json_of(resp).await,
        json!({"detail": [{"loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "type": "model_attributes_type", "input": [1, 2]}]})
    );

    let resp = patch_raw(&svc, &id, b"{\"dnc\": tru".to_vec()).await;
    assert_eq!(resp.status(), 422);
    let body = json_of(resp).await;
    assert_eq!(body["detail"][0]["type"], json!("json_invalid"));
    assert_eq!(body["detail"][0]["loc"][0], json!("body"));
    assert!(body["detail"][0]["loc"][1].is_u64());

    let resp = patch_raw(&svc, &id, Vec::new()).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(
        json_of(resp).await,
        json!({"detail": [{"loc": ["body"], "msg": "Field required",
                           "type": "missing", "input": null}]})
    );

    // A bad body wins over an unknown id (validation runs first).
    let resp = patch(&svc, &Uuid::nil().to_string(), &json!({"dnc": "yes"})).await;
    assert_eq!(resp.status(), 422);

    assert_eq!(svc.contact(id.parse().unwrap()).unwrap(), before);
}

#[tokio::test]
async fn records_raw_encoded_path_headers_and_body() {
    let (svc, id) = setup().await;
    let resp = client()
        .post(format!(
            "{}/items/a%2Fb%20c%3Fd?q=x%20y&n=1",
            svc.base_url()
        ))
        .header("x-custom", "hello")
        .body("raw body")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    assert_eq!(json_of(resp).await, json!({}));

    let _ = patch(&svc, &id.to_string(), &json!({"city": "Paris"})).await;

    assert_eq!(svc.request_count(), 2);
    let reqs = svc.requests();
    assert_eq!(reqs.len(), 2);
    let first = &reqs[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.target, "/items/a%2Fb%20c%3Fd?q=x%20y&n=1");
    assert_eq!(first.path, "/items/a%2Fb%20c%3Fd");
    assert_eq!(first.query.as_deref(), Some("q=x%20y&n=1"));
    assert_eq!(first.header("x-custom"), Some("hello"));
    assert_eq!(first.body, b"raw body");

    let second = &reqs[1];
    assert_eq!(second.method, "PATCH");
    assert_eq!(second.target, format!("/v1/contact/{id}"));
    assert_eq!(second.query, None);
    assert_eq!(
        second.header("authorization"),
        Some(&*format!("Bearer {TOKEN}"))
    );
    assert_eq!(second.body_json(), Some(json!({"city": "Paris"})));
    assert_eq!(svc.last_request().unwrap().method, "PATCH");

    // Other methods on the contact path fall through to the catch-all.
    let resp = client()
        .get(format!("{}/v1/contact/{id}", svc.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(json_of(resp).await, json!({}));

    svc.clear_requests();
    assert!(svc.requests().is_empty());
    assert_eq!(svc.request_count(), 3);
}

#[tokio::test]
async fn fault_delay() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::Delay(Duration::from_millis(300)), 1);
    let start = Instant::now();
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 200);
    assert!(start.elapsed() >= Duration::from_millis(300));

    // A client timeout shorter than the delay fires.
    svc.set_fault(Fault::Delay(Duration::from_secs(2)), 1);
    let err = reqwest::Client::builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap()
        .get(format!("{}/anything", svc.base_url()))
        .send()
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");

    // Used up: no more delay.
    let start = Instant::now();
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 200);
    assert!(start.elapsed() < Duration::from_millis(1500));
}

#[tokio::test]
async fn fault_status_with_retry_after_then_recovery() {
    let (svc, id) = setup().await;
    svc.set_fault(
        Fault::Status {
            status: 429,
            retry_after: Some("2".into()),
        },
        2,
    );
    for _ in 0..2 {
        let resp = patch(&svc, &id.to_string(), &json!({"city": "Rome"})).await;
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["retry-after"], "2");
        assert_eq!(json_of(resp).await, json!({"detail": "Too Many Requests"}));
    }
    // Rejected requests did not change anything.
    assert_eq!(svc.contact(id).unwrap()["city"], json!("Springfield"));
    let resp = patch(&svc, &id.to_string(), &json!({"city": "Rome"})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(svc.contact(id).unwrap()["city"], json!("Rome"));

    let date = "Wed, 21 Oct 2015 07:28:00 GMT";
    svc.set_fault(
        Fault::Status {
            status: 503,
            retry_after: Some(date.into()),
        },
        1,
    );
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers()["retry-after"], date);
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 200);

    // Without Retry-After.
    svc.set_fault(
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        1,
    );
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 503);
    assert!(resp.headers().get("retry-after").is_none());
    assert_eq!(svc.request_count(), 6);
}

#[tokio::test]
async fn fault_validation_error() {
    let (svc, id) = setup().await;
    let before = svc.contact(id).unwrap();
    svc.set_fault(Fault::ValidationError, 1);
    // A 401 and a real validation failure leave the fault armed.
    let resp = client()
        .patch(format!("{}/v1/contact/{id}", svc.base_url()))
        .header("content-type", "application/json")
        .body(r#"{"email": "a@example.com"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let resp = patch(&svc, &id.to_string(), &json!({"dnc": "yes"})).await;
    assert_eq!(resp.status(), 422);
    assert_eq!(json_of(resp).await["detail"][0]["type"], json!("bool_parsing"));

    let resp = patch(&svc, &id.to_string(), &json!({"email": "a@example.com", "city": null, "lead": 1})).await;
    assert_eq!(resp.status(), 422);
    let body = json_of(resp).await;
    assert_eq!(
        body,
        json!({"detail": [
            {"loc": ["body", "email"], "msg": "Value error, rejected by the server", "type": "value_error",
             "input": "a@example.com", "ctx": {"error": "rejected by the server"}},
            {"loc": ["body", "city"], "msg": "Value error, rejected by the server", "type": "value_error",
             "input": null, "ctx": {"error": "rejected by the server"}},
        ]})
    );
    assert_eq!(svc.contact(id).unwrap(), before);

    // Used up: the same update now succeeds.
    let resp = patch(&svc, &id.to_string(), &json!({"email": "a@example.com"})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(svc.contact(id).unwrap()["email"], json!("a@example.com"));
}

#[tokio::test]
async fn fault_until_cleared() {
    let (svc, id) = setup().await;
    svc.set_fault_until_cleared(Fault::HtmlError);
    for _ in 0..3 {
        let resp = patch(&svc, &id.to_string(), &json!({})).await;
        assert_eq!(resp.status(), 500);
    }
    svc.clear_faults();
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 200);
}

#[tokio::test]
async fn fault_html_error() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::HtmlError, 1);
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 500);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let text = resp.text().await.unwrap();
    assert!(text.contains("<html>"), "{text}");
    assert!(serde_json::from_str::<Value>(&text).is_err());
}

#[tokio::test]
async fn fault_truncated_json() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::TruncatedJson, 1);
    // Non-200 answers leave the mangling fault armed.
    let resp = patch(&svc, &Uuid::nil().to_string(), &json!({})).await;
    assert_eq!(resp.status(), 404);
    assert_eq!(json_of(resp).await, json!({"detail": "Contact not found"}));

    let resp = patch(&svc, &id.to_string(), &json!({"city": "Oslo"})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let bytes = resp.bytes().await.unwrap();
    assert!(bytes.starts_with(b"{\"status_code\":200"));
    let err = serde_json::from_slice::<Value>(&bytes).unwrap_err();
    assert!(err.is_eof(), "{err}");
    // The update itself went through.
    assert_eq!(svc.contact(id).unwrap()["city"], json!("Oslo"));

    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    json_of(resp).await;
}

#[tokio::test]
async fn fault_wrong_types() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::WrongTypes, 1);
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 200);
    let body = json_of(resp).await;
    assert_eq!(body["status_code"], json!("two hundred"));
    assert_eq!(body["message"], json!(42));
    assert_eq!(body["data"]["contact"]["dnc"], json!("yes"));
    assert_eq!(body["data"]["contact"]["id"], json!(12345));
    // Stored contact untouched by the mangling.
    assert_eq!(svc.contact(id).unwrap()["dnc"], json!(true));

    let body = json_of(patch(&svc, &id.to_string(), &json!({})).await).await;
    assert_eq!(body["status_code"], json!(200));
}

#[tokio::test]
async fn fault_unknown_status_and_fields() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::UnknownStatusAndFields, 1);
    let body = json_of(patch(&svc, &id.to_string(), &json!({"city": "Lima"})).await).await;
    assert_eq!(body["status_code"], json!(200));
    assert_eq!(body["request_id"], json!("req_123"));
    let contact = &body["data"]["contact"];
    assert_eq!(contact["status"], json!("Archived"));
    assert_eq!(contact["lead_score"], json!(42));
    assert_eq!(contact["tags"], json!(["x"]));
    assert_eq!(contact["city"], json!("Lima"));

    let body = json_of(patch(&svc, &id.to_string(), &json!({})).await).await;
    assert_eq!(body["data"]["contact"]["status"], json!("Waiting"));
    assert!(body["data"]["contact"].get("tags").is_none());
}

#[tokio::test]
async fn fault_drop_connection() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::DropConnection, 1);
    let client = client();
    let url = format!("{}/v1/contact/{id}", svc.base_url());
    let send = || {
        client
            .patch(&url)
            .bearer_auth(TOKEN)
            .body(serde_json::to_vec(&json!({"city": "Nowhere"})).unwrap())
            .send()
    };
    let err = send().await.unwrap_err();
    assert!(!err.is_timeout() && !err.is_status(), "{err:?}");
    assert_eq!(svc.request_count(), 1);
    assert_eq!(svc.contact(id).unwrap()["city"], json!("Springfield"));

    // The same client recovers on a new connection.
    let resp = send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(svc.contact(id).unwrap()["city"], json!("Nowhere"));
    assert_eq!(svc.request_count(), 2);
}

#[tokio::test]
async fn drop_connection_sends_no_bytes() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::DropConnection, 1);
    let addr = svc.addr();
    let buf = tokio::task::spawn_blocking(move || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let body = br#"{"city":"X"}"#;
        let head = format!(
            "PATCH /v1/contact/{id} HTTP/1.1\r\nHost: localhost\r\n\
             Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            body.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut buf = Vec::new();
        // EOF or reset, but never any response bytes (a timeout would panic).
        if let Err(e) = stream.read_to_end(&mut buf) {
            assert!(
                !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
                "connection not closed: {e}"
            );
        }
        buf
    })
    .await
    .unwrap();
    assert!(buf.is_empty(), "{}", String::from_utf8_lossy(&buf));
    assert_eq!(svc.request_count(), 1);
}

#[tokio::test]
async fn faults_combine_and_count_down() {
    let (svc, id) = setup().await;
    svc.set_fault(Fault::Delay(Duration::from_millis(100)), 1);
    svc.set_fault(
        Fault::Status {
            status: 503,
            retry_after: Some("1".into()),
        },
        1,
    );
    svc.set_fault(Fault::HtmlError, 1);
    svc.set_fault(Fault::WrongTypes, 0); // no-op

    let start = Instant::now();
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 503);
    assert!(start.elapsed() >= Duration::from_millis(100));
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 500);
    let resp = patch(&svc, &id.to_string(), &json!({})).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(json_of(resp).await["status_code"], json!(200));
}
