//! Tracing and hooks, end to end: `nedzo-client` (built with its `tracing`
//! feature) against the contact service. A small `tracing-subscriber` layer
//! records every span's fields and every event; the tests check the span of
//! a request (operation id, method, path template, status, attempts,
//! duration), the retry events in it, that no filled-in path, query value,
//! header or body reaches a span, and what `on_request`/`on_response` hooks
//! see and add. A streamed operation (`stream-service-client`, also built
//! with `tracing`) goes through the same path: its span lasts until the
//! headers arrive and holds the token refresh.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use integration_tests::contact_service::{ContactService, Fault, sample_contact};
use integration_tests::stream_service::StreamService;
use nedzo_client::types::ContactUpdate;
use nedzo_client::{Client, Nullable};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

const TOKEN: &str = "observability-token-SECRET";

/// Field values as text.
#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

#[derive(Debug, Clone)]
struct SpanRecord {
    name: String,
    fields: BTreeMap<String, String>,
}

#[derive(Debug, Clone)]
struct EventRecord {
    /// The span the event happened in.
    span: Option<String>,
    fields: BTreeMap<String, String>,
}

#[derive(Default)]
struct Captured {
    /// Every span, in creation order.
    spans: Vec<SpanRecord>,
    /// Span id → index in `spans` (ids are reused after a span closes).
    index: BTreeMap<u64, usize>,
    events: Vec<EventRecord>,
}

/// Records spans (with fields recorded later) and events.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Captured>>);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut fields = Fields::default();
        attrs.record(&mut fields);
        let record = SpanRecord { name: attrs.metadata().name().to_owned(), fields: fields.0 };
        let mut captured = self.0.lock().unwrap();
        captured.spans.push(record);
        let at = captured.spans.len() - 1;
        captured.index.insert(id.into_u64(), at);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut fields = Fields::default();
        values.record(&mut fields);
        let mut captured = self.0.lock().unwrap();
        if let Some(at) = captured.index.get(&id.into_u64()).copied() {
            captured.spans[at].fields.extend(fields.0);
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let span = ctx.event_span(event).map(|s| s.name().to_owned());
        self.0.lock().unwrap().events.push(EventRecord { span, fields: fields.0 });
    }
}

/// Installs a capturing subscriber for this test's thread. Every test
/// installs one before the client runs: tracing caches per call site
/// whether anyone listens, and a test without a subscriber could cache
/// "no one" while another test is installing its own.
fn capture() -> (Capture, tracing::subscriber::DefaultGuard) {
    let capture = Capture::default();
    let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(capture.clone()));
    (capture, guard)
}

async fn setup() -> (ContactService, uuid::Uuid) {
    let svc = ContactService::start(TOKEN).await;
    let mut contact = sample_contact();
    contact.as_object_mut().unwrap().remove("id");
    let id = svc.seed(contact);
    (svc, id)
}

fn update() -> ContactUpdate {
    ContactUpdate { email: Nullable::Value("private@example.com".to_owned()), ..Default::default() }
}

#[tokio::test]
async fn each_request_is_a_span_with_operation_method_template_status_attempts_and_duration() {
    let (capture, _guard) = capture();
    let (svc, id) = setup().await;
    let client = Client::builder(&svc.base_url())
        .bearer_token(TOKEN)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(50))
        .build()
        .unwrap();
    svc.set_fault(Fault::Status { status: 503, retry_after: None }, 1);
    client.update_contact(&id, &update()).await.unwrap();

    let captured = capture.0.lock().unwrap();
    let spans: Vec<&SpanRecord> = captured.spans.iter().filter(|s| s.name == "request").collect();
    assert_eq!(spans.len(), 1, "{:?}", captured.spans);
    let f = &spans[0].fields;
    assert_eq!(f["operation_id"], "updateContact");
    assert_eq!(f["http.request.method"], "PATCH");
    assert_eq!(f["url.template"], "/v1/contact/{id}");
    assert_eq!(f["otel.name"], "PATCH /v1/contact/{id}");
    assert_eq!(f["otel.kind"], "client");
    assert_eq!(f["http.response.status_code"], "200");
    assert_eq!(f["attempts"], "2");
    let ms: f64 = f["duration_ms"].parse().unwrap();
    assert!(ms > 0.0 && ms < 10_000.0, "{ms}");
    assert!(!f.contains_key("error.type"));

    // The retry is an event inside the span.
    let retries: Vec<&EventRecord> = captured.events.iter().filter(|e| e.fields.get("message").is_some_and(|m| m == "retrying the request")).collect();
    assert_eq!(retries.len(), 1, "{:?}", captured.events);
    assert_eq!(retries[0].span.as_deref(), Some("request"));
    assert_eq!(retries[0].fields["attempt"], "1");
    assert_eq!(retries[0].fields["reason"], "status 503");
    assert!(retries[0].fields.contains_key("wait_ms"));

    // Nothing of the filled-in path, the headers or the body.
    let everything = format!("{:?} {:?}", captured.spans, captured.events);
    for secret in [id.to_string().as_str(), TOKEN, "private@example.com", "Bearer"] {
        assert!(!everything.contains(secret), "{secret} in {everything}");
    }
}

#[tokio::test]
async fn a_failed_request_records_its_error_kind() {
    let (capture, _guard) = capture();
    let (svc, id) = setup().await;
    let client = Client::builder(&svc.base_url()).bearer_token("wrong").build().unwrap();
    let error = client.update_contact(&id, &update()).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    {
        let captured = capture.0.lock().unwrap();
        let span = captured.spans.iter().find(|s| s.name == "request").unwrap();
        assert_eq!(span.fields["http.response.status_code"], "401");
        assert_eq!(span.fields["attempts"], "1");
        assert_eq!(span.fields["error.type"], "401");
    }

    // No response at all: the error kind.
    let client = Client::builder("http://127.0.0.1:9").max_retries(0).build().unwrap();
    assert!(client.update_contact(&id, &update()).await.unwrap_err().is_transport());
    let captured = capture.0.lock().unwrap();
    let spans: Vec<&SpanRecord> = captured.spans.iter().filter(|s| s.name == "request").collect();
    assert_eq!(spans.len(), 2);
    assert_eq!(spans[1].fields["error.type"], "Transport");
    assert!(!spans[1].fields.contains_key("http.response.status_code"));
}

#[tokio::test]
async fn hooks_add_headers_to_each_attempt_and_observe_each_status_and_time() {
    let (_capture, _guard) = capture();
    let (svc, id) = setup().await;
    let counter = Arc::new(AtomicU32::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (n, log) = (Arc::clone(&counter), Arc::clone(&seen));
    let client = Client::builder(&svc.base_url())
        .bearer_token(TOKEN)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(50))
        .on_request(move |request| {
            let id = n.fetch_add(1, Ordering::SeqCst) + 1;
            let value = format!("req-{id}-attempt-{}", request.attempt());
            request.headers_mut().insert("x-request-id", value.parse().unwrap());
            // Hooks see the credential marked sensitive.
            assert_eq!(format!("{:?}", request.headers()["authorization"]), "Sensitive");
            assert_eq!((request.operation_id(), request.path_template()), ("updateContact", "/v1/contact/{id}"));
            assert_eq!(request.body(), Some(&br#"{"email":"private@example.com"}"#[..]));
        })
        .on_response(move |response| {
            let status = response.status().map(|s| s.as_u16());
            log.lock().unwrap().push((response.operation_id().to_owned(), response.attempt(), status, response.elapsed()));
        })
        .build()
        .unwrap();
    svc.set_fault(Fault::Status { status: 503, retry_after: None }, 1);
    svc.set_fault(Fault::Delay(Duration::from_millis(30)), 1);
    client.update_contact(&id, &update()).await.unwrap();

    let ids: Vec<String> = svc.requests().iter().map(|r| r.header("x-request-id").unwrap().to_owned()).collect();
    assert_eq!(ids, ["req-1-attempt-1", "req-2-attempt-2"]);
    let seen = seen.lock().unwrap();
    let outcomes: Vec<(&str, u32, Option<u16>)> = seen.iter().map(|(op, a, s, _)| (op.as_str(), *a, *s)).collect();
    assert_eq!(outcomes, [("updateContact", 1, Some(503)), ("updateContact", 2, Some(200))]);
    assert!(seen[0].3 >= Duration::from_millis(30), "the delayed attempt took {:?}", seen[0].3);

}

#[tokio::test]
async fn a_hook_sees_an_attempt_that_got_no_response() {
    let (_capture, _guard) = capture();
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&statuses);
    // Nothing listens on port 9 of 127.0.0.1 (discard): connection refused.
    let client = Client::builder("http://127.0.0.1:9")
        .max_retries(0)
        .on_response(move |response| log.lock().unwrap().push(response.status()))
        .build()
        .unwrap();
    let id = uuid::Uuid::nil();
    assert!(client.update_contact(&id, &update()).await.unwrap_err().is_transport());
    assert_eq!(*statuses.lock().unwrap(), [None]);
}

#[tokio::test]
async fn a_streamed_request_is_a_span_until_its_headers_holding_the_token_refresh() {
    let (capture, _guard) = capture();
    let svc = StreamService::start().await;
    svc.reject_token("old-SECRET-token");
    let statuses = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&statuses);
    let client = stream_service_client::Client::builder(&svc.base_url())
        .bearer_token_provider(|request: stream_service_client::TokenRequest| async move {
            Ok::<_, std::io::Error>(if request.is_refresh() { "new-SECRET-token" } else { "old-SECRET-token" })
        })
        .on_response(move |response| log.lock().unwrap().push((response.attempt(), response.status().map(|s| s.as_u16()))))
        .build()
        .unwrap();
    let mut events = client.item_events(&2).await.unwrap().into_inner();
    {
        let captured = capture.0.lock().unwrap();
        let spans: Vec<&SpanRecord> = captured.spans.iter().filter(|s| s.name == "request").collect();
        assert_eq!(spans.len(), 1, "{:?}", captured.spans);
        let f = &spans[0].fields;
        assert_eq!((f["operation_id"].as_str(), f["url.template"].as_str()), ("itemEvents", "/events"));
        assert_eq!((f["http.response.status_code"].as_str(), f["attempts"].as_str()), ("200", "2"));
        assert!(f.contains_key("duration_ms"), "the span closed when the headers arrived: {f:?}");
        assert!(!f.contains_key("error.type"));
        let retry = captured.events.iter().find(|e| e.fields.get("message").is_some_and(|m| m == "retrying the request")).unwrap();
        assert_eq!(retry.span.as_deref(), Some("request"));
        assert!(retry.fields["reason"].starts_with("401"), "{:?}", retry.fields);
        let everything = format!("{:?} {:?}", captured.spans, captured.events);
        assert!(!everything.contains("SECRET") && !everything.contains("Bearer"), "{everything}");
    }
    let mut read = 0;
    while let Some(event) = events.next().await {
        event.unwrap();
        read += 1;
    }
    assert_eq!(read, 2);
    assert_eq!(*statuses.lock().unwrap(), [(1, Some(401)), (2, Some(200))]);
    assert_eq!(capture.0.lock().unwrap().spans.iter().filter(|s| s.name == "request").count(), 1, "reading the items makes no request");
}
