//! A reference service for what a generated client meets in production:
//! file uploads, an OAuth2 token endpoint, a protected resource, redirects
//! and large response bodies. Like [`crate::contact_service`], each test
//! starts its own server with [`ProductionService::start`]; it binds
//! `127.0.0.1:0` and runs on the current tokio runtime until the last handle
//! is dropped. It serves the operations of `tests/fixtures/uploads.yaml` and
//! `tests/fixtures/oauth2_client_credentials.yaml`.
//!
//! # Routes
//!
//! * `POST /upload` (`multipart/form-data`, parsed with `multer`), `POST
//!   /upload/form` (urlencoded, percent-decoded to bytes), `PUT /upload/raw`
//!   and `PUT /upload/image` (the whole body is one part named `body`):
//!   `200 {"parts": [{"name", "file_name", "content_type", "size", "sha256",
//!   "text"}]}`, the SHA-256 (hex) and size of the bytes of each part as they
//!   arrived, and for a part without a file name its `text` (UTF-8). Each
//!   upload is also kept ([`ProductionService::uploads`]).
//! * `POST /oauth/token`: the client-credentials grant (RFC 6749, section
//!   4.4). The client must authenticate with HTTP basic (id and secret
//!   form-urlencoded first, section 2.3.1) else `401 {"error":
//!   "invalid_client"}`; `grant_type` must be `client_credentials` else `400
//!   {"error": "unsupported_grant_type"}`. Tokens are `token-1`, `token-2`, …,
//!   valid for [`ProductionService::set_token_lifetime`] (sent as
//!   `expires_in`, whole seconds rounded up); each fetch waits
//!   [`ProductionService::set_token_delay`] first.
//! * `GET /whoami`: `401` when the request has an `Authorization: Bearer`
//!   token the server did not issue, revoked
//!   ([`ProductionService::revoke_tokens`]) or that expired; else `200
//!   {"authorization", "api_key", "query_key", "origin"}`: the
//!   `Authorization` and `X-API-Key` headers and the `api_key` query
//!   parameter received (null when absent), and this server's address.
//! * `GET /redirect?to=URL&status=N`: status `N` (default 307) with
//!   `Location: URL` (`to=self`: this same URL, a redirect loop).
//! * `GET /big?size=N&endless=B`: `N` bytes with a `Content-Length`, or with
//!   `endless=true` 64 KiB chunks without a length until the client goes
//!   away (the number of bytes written is [`ProductionService::big_sent`]).
//! * Anything else: `200 {}`.
//!
//! Every request is recorded first (method, path, query, headers; not the
//! body). [`ProductionService::fail_next`] makes the next requests answer a
//! status instead of their route's answer (uploads are still read and kept,
//! so a test can compare what each attempt sent).

use std::{
    collections::HashMap,
    net::SocketAddr,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{DefaultBodyLimit, Multipart, Query, Request, State},
    http::{HeaderMap, StatusCode, header},
    middleware::{self, Next},
    response::Response,
    routing::{get, post, put},
};
use base64::Engine as _;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::{net::TcpListener, task::JoinHandle};

/// The client id the token endpoint accepts.
pub const CLIENT_ID: &str = "client id/1";
/// The client secret the token endpoint accepts (characters that form
/// encoding changes, as RFC 6749 requires before basic authentication).
pub const CLIENT_SECRET: &str = "s3cr3t:+/= &%";

/// One request as the server saw it (before any handling).
#[derive(Clone, Debug)]
pub struct Seen {
    /// The method.
    pub method: String,
    /// The path, still percent-encoded.
    pub path: String,
    /// The raw query, if any.
    pub query: Option<String>,
    /// All headers.
    pub headers: HeaderMap,
}

impl Seen {
    /// A header's value, if present and ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// One part of an upload as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceivedPart {
    /// The part's name (`body` for a whole body).
    pub name: String,
    /// The file name, if the part had one.
    pub file_name: Option<String>,
    /// The part's (or body's) content type.
    pub content_type: Option<String>,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of its bytes, lowercase hex.
    pub sha256: String,
    /// Its text, for a part without a file name that is UTF-8.
    pub text: Option<String>,
}

impl ReceivedPart {
    fn to_json(&self) -> Value {
        json!({
            "name": self.name,
            "file_name": self.file_name,
            "content_type": self.content_type,
            "size": self.size,
            "sha256": self.sha256,
            "text": self.text,
        })
    }
}

/// SHA-256 of `data`, lowercase hex.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Default)]
struct Inner {
    requests: Vec<Seen>,
    uploads: Vec<Vec<ReceivedPart>>,
    /// Issued tokens and when they expire.
    tokens: HashMap<String, Instant>,
    token_bodies: Vec<String>,
    failures: Vec<(usize, u16)>,
}

struct Shared {
    addr: SocketAddr,
    inner: Mutex<Inner>,
    request_count: AtomicUsize,
    token_count: AtomicUsize,
    token_lifetime_ms: AtomicU64,
    token_delay_ms: AtomicU64,
    big_sent: Arc<AtomicU64>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct ServerTask(JoinHandle<()>);

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Handle to a running service. Cheap to clone; clones share its state.
#[derive(Clone)]
pub struct ProductionService {
    shared: Arc<Shared>,
    _server: Arc<ServerTask>,
}

impl std::fmt::Debug for ProductionService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProductionService").field("addr", &self.shared.addr).finish_non_exhaustive()
    }
}

impl ProductionService {
    /// Binds `127.0.0.1:0` and serves on the current tokio runtime. Tokens
    /// live 1 hour until [`Self::set_token_lifetime`].
    ///
    /// # Panics
    /// If binding fails or there is no current tokio runtime.
    pub async fn start() -> ProductionService {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            addr,
            inner: Mutex::new(Inner::default()),
            request_count: AtomicUsize::new(0),
            token_count: AtomicUsize::new(0),
            token_lifetime_ms: AtomicU64::new(3_600_000),
            token_delay_ms: AtomicU64::new(0),
            big_sent: Arc::new(AtomicU64::new(0)),
        });
        let app = Router::new()
            .route("/upload", post(upload_multipart))
            .route("/upload/form", post(upload_form))
            .route("/upload/raw", put(upload_body))
            .route("/upload/image", put(upload_body))
            .route("/oauth/token", post(token))
            .route("/whoami", get(whoami))
            .route("/redirect", get(redirect))
            .route("/big", get(big))
            .fallback(|| async { json_response(StatusCode::OK, &json!({})) })
            .layer(middleware::from_fn_with_state(Arc::clone(&shared), record))
            .layer(DefaultBodyLimit::disable())
            .with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ProductionService { shared, _server: Arc::new(ServerTask(task)) }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// Every request seen so far, oldest first.
    pub fn requests(&self) -> Vec<Seen> {
        self.shared.lock().requests.clone()
    }

    /// How many requests arrived.
    pub fn request_count(&self) -> usize {
        self.shared.request_count.load(Ordering::SeqCst)
    }

    /// Every upload received (one list of parts per request), oldest first,
    /// including those answered with a [`Self::fail_next`] status.
    pub fn uploads(&self) -> Vec<Vec<ReceivedPart>> {
        self.shared.lock().uploads.clone()
    }

    /// How many token requests the token endpoint answered (any outcome).
    pub fn token_requests(&self) -> usize {
        self.shared.token_count.load(Ordering::SeqCst)
    }

    /// The bodies of the token requests, oldest first.
    pub fn token_request_bodies(&self) -> Vec<String> {
        self.shared.lock().token_bodies.clone()
    }

    /// How long tokens issued from now on are valid.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.token_lifetime_ms.store(lifetime.as_millis() as u64, Ordering::SeqCst);
    }

    /// How long the token endpoint waits before answering.
    pub fn set_token_delay(&self, delay: Duration) {
        self.shared.token_delay_ms.store(delay.as_millis() as u64, Ordering::SeqCst);
    }

    /// Makes every token issued so far invalid (a `401` at `/whoami`).
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.clear();
    }

    /// Answers the next `times` requests with `status` (and `{}`).
    pub fn fail_next(&self, times: usize, status: u16) {
        self.shared.lock().failures.push((times, status));
    }

    /// Bytes written so far by `GET /big`.
    pub fn big_sent(&self) -> u64 {
        self.shared.big_sent.load(Ordering::SeqCst)
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).expect("serializable")))
        .expect("valid response")
}

fn received(parts: &[ReceivedPart]) -> Response {
    json_response(StatusCode::OK, &json!({ "parts": parts.iter().map(ReceivedPart::to_json).collect::<Vec<_>>() }))
}

/// Records the request, then answers it or applies an armed failure.
async fn record(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let uri = request.uri();
    let seen = Seen {
        method: request.method().as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: request.headers().clone(),
    };
    shared.request_count.fetch_add(1, Ordering::SeqCst);
    let failure = {
        let mut inner = shared.lock();
        inner.requests.push(seen);
        let failure = inner.failures.first_mut().map(|(times, status)| {
            *times -= 1;
            *status
        });
        inner.failures.retain(|(times, _)| *times > 0);
        failure
    };
    let response = next.run(request).await;
    match failure {
        Some(status) => json_response(StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE), &json!({})),
        None => response,
    }
}

async fn upload_multipart(State(shared): State<Arc<Shared>>, mut multipart: Multipart) -> Response {
    let mut parts = Vec::new();
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return json_response(StatusCode::BAD_REQUEST, &json!({ "detail": e.to_string() })),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut head = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    hasher.update(&chunk);
                    size += chunk.len() as u64;
                    if head.len() < 4096 {
                        head.extend_from_slice(&chunk[..chunk.len().min(4096 - head.len())]);
                    }
                }
                Ok(None) => break,
                Err(e) => return json_response(StatusCode::BAD_REQUEST, &json!({ "detail": e.to_string() })),
            }
        }
        let text = if file_name.is_none() { String::from_utf8(head).ok() } else { None };
        parts.push(ReceivedPart { name, file_name, content_type, size, sha256: hex(&hasher.finalize()), text });
    }
    shared.lock().uploads.push(parts.clone());
    received(&parts)
}

async fn upload_body(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let part = ReceivedPart {
        name: "body".to_owned(),
        file_name: None,
        content_type: headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned),
        size: body.len() as u64,
        sha256: sha256_hex(&body),
        text: None,
    };
    shared.lock().uploads.push(vec![part.clone()]);
    received(&[part])
}

async fn upload_form(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let mut parts = Vec::new();
    for pair in body.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        let mut kv = pair.splitn(2, |b| *b == b'=');
        let name = form_decode(kv.next().unwrap_or_default());
        let value = form_decode(kv.next().unwrap_or_default());
        parts.push(ReceivedPart {
            name: String::from_utf8_lossy(&name).into_owned(),
            file_name: None,
            content_type: None,
            size: value.len() as u64,
            sha256: sha256_hex(&value),
            text: String::from_utf8(value).ok(),
        });
    }
    shared.lock().uploads.push(parts.clone());
    received(&parts)
}

/// Decodes `application/x-www-form-urlencoded` bytes (`+` is a space).
fn form_decode(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < raw.len() => {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    out
}

async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    shared.token_count.fetch_add(1, Ordering::SeqCst);
    shared.lock().token_bodies.push(String::from_utf8_lossy(&body).into_owned());
    let delay = shared.token_delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let encode = |s: &str| String::from_utf8(form_encode(s.as_bytes())).expect("ASCII");
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", encode(CLIENT_ID), encode(CLIENT_SECRET)))
    );
    if headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return json_response(StatusCode::UNAUTHORIZED, &json!({ "error": "invalid_client" }));
    }
    let grant = body.split(|b| *b == b'&').any(|p| p == b"grant_type=client_credentials");
    if !grant {
        return json_response(StatusCode::BAD_REQUEST, &json!({ "error": "unsupported_grant_type" }));
    }
    let lifetime = Duration::from_millis(shared.token_lifetime_ms.load(Ordering::SeqCst));
    let n = shared.token_count.load(Ordering::SeqCst);
    let token = format!("token-{n}");
    shared.lock().tokens.insert(token.clone(), Instant::now() + lifetime);
    json_response(
        StatusCode::OK,
        &json!({ "access_token": token, "token_type": "Bearer", "expires_in": lifetime.as_secs_f64().ceil() as u64 }),
    )
}

/// `application/x-www-form-urlencoded` encoding of bytes.
fn form_encode(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for &b in raw {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(b),
            b' ' => out.push(b'+'),
            _ => out.extend_from_slice(format!("%{b:02X}").as_bytes()),
        }
    }
    out
}

async fn whoami(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>, headers: HeaderMap) -> Response {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    if let Some(token) = authorization.and_then(|a| a.strip_prefix("Bearer ")) {
        let valid = shared.lock().tokens.get(token).is_some_and(|expires| Instant::now() < *expires);
        if !valid {
            return json_response(StatusCode::UNAUTHORIZED, &json!({ "detail": "invalid or expired token" }));
        }
    }
    json_response(
        StatusCode::OK,
        &json!({
            "authorization": authorization,
            "api_key": headers.get("x-api-key").and_then(|v| v.to_str().ok()),
            "query_key": query.get("api_key"),
            "origin": shared.addr.to_string(),
        }),
    )
}

async fn redirect(Query(query): Query<HashMap<String, String>>, uri: axum::http::Uri) -> Response {
    let status = query.get("status").and_then(|s| s.parse().ok()).and_then(|s| StatusCode::from_u16(s).ok());
    let to = match query.get("to").map(String::as_str) {
        Some("self") => uri.path_and_query().map(|pq| pq.as_str().to_owned()).unwrap_or_default(),
        Some(to) => to.to_owned(),
        None => "/".to_owned(),
    };
    Response::builder()
        .status(status.unwrap_or(StatusCode::TEMPORARY_REDIRECT))
        .header(header::LOCATION, to)
        .body(Body::empty())
        .expect("valid response")
}

async fn big(State(shared): State<Arc<Shared>>, Query(query): Query<HashMap<String, String>>) -> Response {
    let size: u64 = query.get("size").and_then(|s| s.parse().ok()).unwrap_or(0);
    let endless = query.get("endless").is_some_and(|e| e == "true");
    let sent = Arc::clone(&shared.big_sent);
    let chunk = Bytes::from(vec![b'x'; 64 * 1024]);
    let builder = Response::builder().status(StatusCode::OK).header(header::CONTENT_TYPE, "application/octet-stream");
    if endless {
        let stream = futures_stream(move || {
            sent.fetch_add(chunk.len() as u64, Ordering::SeqCst);
            Some(chunk.clone())
        });
        builder.body(Body::from_stream(stream)).expect("valid response")
    } else {
        sent.fetch_add(size, Ordering::SeqCst);
        builder.header(header::CONTENT_LENGTH, size).body(Body::from(vec![b'x'; size as usize])).expect("valid response")
    }
}

/// A stream of chunks from a function (until it returns `None`).
fn futures_stream(
    next: impl FnMut() -> Option<Bytes> + Send + Unpin + 'static,
) -> impl futures_core::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    struct FnStream<F>(F);
    impl<F: FnMut() -> Option<Bytes> + Unpin> futures_core::Stream for FnStream<F> {
        type Item = Result<Bytes, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready((self.0)().map(Ok))
        }
    }
    FnStream(next)
}
