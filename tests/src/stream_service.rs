//! A reference "stream service": an in-process HTTP server for streamed and
//! paginated responses, described by `tests/fixtures/stream_service.yaml`,
//! for end-to-end tests of the generated client
//! (`tests/clients/stream-service/`).
//!
//! Each test starts its own server with [`StreamService::start`]; it binds
//! `127.0.0.1:0` and runs on the current tokio runtime until the last handle
//! is dropped. Every request's path and query is recorded
//! ([`StreamService::requests`]), with its `Authorization` header
//! ([`StreamService::authorizations`]); credentials are never checked.
//!
//! # Behaviour
//!
//! One list of [`StreamService::ITEMS`] items `{"id": n, "name": "item n"}`
//! (`n` from 1; names of even items are `"even n"` instead, so `prefix=even`
//! filters them), paginated in every style the generator recognises. Page
//! size defaults to [`StreamService::PAGE_SIZE`] (so the list is 3 pages);
//! `prefix` filters the items before paging:
//!
//! * `GET /items/cursor?cursor&limit&prefix`: `{status_code, message, data:
//!   {items, next_cursor, has_more}}`; the cursor is opaque (`c<offset>`).
//! * `GET /items/offset?offset&limit&prefix`: `{items, total}`.
//! * `GET /items/pages?page&per_page&prefix`: the array; pages count from 1,
//!   a page past the end is empty.
//! * `GET /items/linked?page&per_page&prefix&origin`: the array, with a
//!   `Link` header (`rel="next"` absolute URL carrying every parameter, on
//!   `origin` when given) except on the last page.
//! * `GET /items/next?page_token&prefix`: `{count, next, previous, results}`
//!   with absolute URLs (Django REST framework).
//! * `GET /items/speakeasy?skip&take` and `GET /items/fern?after&limit`: as
//!   the fixture's pagination extensions describe them.
//!
//! [`StreamService::fail_page`] makes the list endpoints answer page N (1 is
//! the first) with `500 {"detail": "page N failed"}`.
//!
//! For the request path shared with uploads and credentials:
//! [`StreamService::redirect_page`] makes a request with `page=N` answer
//! `302 Found` to the same path and query on another origin, and
//! [`StreamService::reject_token`] makes every request whose `Authorization`
//! is `Bearer <token>` answer `401 {"detail": "token expired"}` (both are
//! recorded like any request).
//!
//! * `GET /events?count&bad`: `406` unless `Accept` names
//!   `text/event-stream`; `count` server-sent events (`count=0`: `500
//!   {"detail": "no events"}`) (`event: item`,
//!   `id: n`, `data: <item JSON>`; event `bad` has data that is not JSON),
//!   each written and flushed on its own. With [`StreamService::hold_events`]
//!   the server sends the first event, then waits for
//!   [`StreamService::release_events`] before sending the rest;
//!   [`StreamService::last_event_sent`] tells whether the last one was
//!   written.
//! * `GET /events/text?count`: `count` events with plain text data `line n`.
//! * `GET /lines?count&bad`: `406` unless `Accept` names `application/jsonl`;
//!   `count` JSON Lines (line `bad` is not JSON),
//!   generated while they are sent, 1,000 lines per chunk.
//! * `GET /download?size`: `size` bytes (byte `i` is `i % 251`), generated
//!   while they are sent in 64 KiB chunks; [`StreamService::download_byte`].

use std::{
    convert::Infallible,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::Response,
    routing::get,
};
use serde_json::{Value, json};
use std::collections::HashMap;
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

struct Shared {
    base: String,
    requests: Mutex<Vec<(String, Option<String>)>>,
    fail_page: AtomicUsize,
    hold: watch::Sender<bool>,
    holding: AtomicBool,
    last_event_sent: AtomicBool,
    /// `page=N` requests are redirected to this origin.
    redirect: Mutex<Option<(usize, String)>>,
    /// `Bearer <token>` is answered `401`.
    rejected_token: Mutex<Option<String>>,
}

/// Aborts the server task when the last handle goes away.
struct ServerTask(JoinHandle<()>);

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Handle to a running stream service (see the module docs). Cheap to clone.
#[derive(Clone)]
pub struct StreamService {
    shared: Arc<Shared>,
    addr: SocketAddr,
    _task: Arc<ServerTask>,
}

type Params = Query<HashMap<String, String>>;

impl StreamService {
    /// Items in the list.
    pub const ITEMS: usize = 25;
    /// The default page size: the list is three pages (10, 10, 5).
    pub const PAGE_SIZE: usize = 10;

    /// Starts a service on `127.0.0.1:0`.
    pub async fn start() -> StreamService {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let (hold, _) = watch::channel(false);
        let shared = Arc::new(Shared {
            base: format!("http://{addr}"),
            requests: Mutex::new(Vec::new()),
            fail_page: AtomicUsize::new(0),
            hold,
            holding: AtomicBool::new(false),
            last_event_sent: AtomicBool::new(false),
            redirect: Mutex::new(None),
            rejected_token: Mutex::new(None),
        });
        let app = Router::new()
            .route("/items/cursor", get(cursor))
            .route("/items/offset", get(offset))
            .route("/items/pages", get(pages))
            .route("/items/linked", get(linked))
            .route("/items/next", get(next_url))
            .route("/items/speakeasy", get(speakeasy))
            .route("/items/fern", get(fern))
            .route("/events", get(events))
            .route("/events/text", get(text_events))
            .route("/lines", get(lines))
            .route("/download", get(download))
            .layer(axum::middleware::from_fn_with_state(shared.clone(), record))
            .with_state(shared.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        StreamService { shared, addr, _task: Arc::new(ServerTask(task)) }
    }

    /// Answers a request whose `page` query parameter is `page` with `302
    /// Found` to the same path and query on `origin` (`http://host:port`).
    pub fn redirect_page(&self, page: usize, origin: &str) {
        *self.shared.redirect.lock().unwrap_or_else(|e| e.into_inner()) = Some((page, origin.to_owned()));
    }

    /// Answers every request whose `Authorization` is `Bearer <token>` with
    /// `401 {"detail": "token expired"}`.
    pub fn reject_token(&self, token: &str) {
        *self.shared.rejected_token.lock().unwrap_or_else(|e| e.into_inner()) = Some(token.to_owned());
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.shared.base.clone()
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request so far: path and query (`/items/cursor?cursor=c10`).
    pub fn requests(&self) -> Vec<String> {
        self.shared.requests.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|(r, _)| r.clone()).collect()
    }

    /// The `Authorization` header of every request so far (`None`: not sent).
    pub fn authorizations(&self) -> Vec<Option<String>> {
        self.shared.requests.lock().unwrap_or_else(|e| e.into_inner()).iter().map(|(_, a)| a.clone()).collect()
    }

    /// Makes the list endpoints fail page `page` (1-based; 0 turns it off).
    pub fn fail_page(&self, page: usize) {
        self.shared.fail_page.store(page, Ordering::SeqCst);
    }

    /// From now on, `/events` waits after its first event until [`Self::release_events`].
    pub fn hold_events(&self) {
        self.shared.hold.send_replace(false);
        self.shared.holding.store(true, Ordering::SeqCst);
    }

    /// Lets a held `/events` go on.
    pub fn release_events(&self) {
        self.shared.hold.send_replace(true);
    }

    /// Whether `/events` has written its last event.
    pub fn last_event_sent(&self) -> bool {
        self.shared.last_event_sent.load(Ordering::SeqCst)
    }

    /// Byte `i` of a `/download` body.
    pub fn download_byte(i: u64) -> u8 {
        (i % 251) as u8
    }

    /// The items with ids `from..` as the list endpoints send them.
    pub fn item(id: usize) -> Value {
        let name = if id.is_multiple_of(2) { format!("even {id}") } else { format!("item {id}") };
        json!({"id": id, "name": name})
    }
}

async fn record(State(shared): State<Arc<Shared>>, request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = request.uri();
    let line = match uri.query() {
        Some(q) => format!("{}?{q}", uri.path()),
        None => uri.path().to_owned(),
    };
    let auth = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let rejected = shared.rejected_token.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if rejected.is_some_and(|token| auth.as_deref() == Some(format!("Bearer {token}").as_str())) {
        shared.requests.lock().unwrap_or_else(|e| e.into_inner()).push((line, auth));
        return json_response(StatusCode::UNAUTHORIZED, &json!({"detail": "token expired"}));
    }
    shared.requests.lock().unwrap_or_else(|e| e.into_inner()).push((line.clone(), auth));
    let redirect = shared.redirect.lock().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some((page, origin)) = redirect {
        let asked = uri.query().is_some_and(|q| q.split('&').any(|pair| pair == format!("page={page}")));
        if asked {
            return Response::builder()
                .status(StatusCode::FOUND)
                .header(header::LOCATION, format!("{origin}{line}"))
                .body(Body::empty())
                .unwrap_or_default();
        }
    }
    next.run(request).await
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap_or_default()
}

fn number(params: &HashMap<String, String>, name: &str) -> Option<usize> {
    params.get(name).and_then(|v| v.parse().ok())
}

/// The filtered list.
fn list(params: &HashMap<String, String>) -> Vec<Value> {
    let prefix = params.get("prefix").cloned().unwrap_or_default();
    (1..=StreamService::ITEMS)
        .map(StreamService::item)
        .filter(|i| i["name"].as_str().is_some_and(|n| n.starts_with(&prefix)))
        .collect()
}

/// A page that failed on purpose ([`StreamService::fail_page`]).
struct Failed(usize);

impl From<Failed> for Response {
    fn from(Failed(page): Failed) -> Response {
        json_response(StatusCode::INTERNAL_SERVER_ERROR, &json!({"detail": format!("page {page} failed")}))
    }
}

/// The slice `offset..offset + size` of the list and the list's length, or
/// the failure of page `offset / size + 1` when it is armed.
fn slice(shared: &Shared, params: &HashMap<String, String>, offset: usize, size: usize) -> Result<(Vec<Value>, usize), Failed> {
    let size = size.max(1);
    let page = offset / size + 1;
    if shared.fail_page.load(Ordering::SeqCst) == page {
        return Err(Failed(page));
    }
    let all = list(params);
    let total = all.len();
    Ok((all.into_iter().skip(offset).take(size).collect(), total))
}

/// The absolute URL `path?query` with `name` set to `value` (other
/// parameters kept), on the `origin` parameter's origin if given.
fn with_param(shared: &Shared, path: &str, params: &HashMap<String, String>, name: &str, value: &str) -> String {
    let mut pairs: Vec<(String, String)> = params.iter().filter(|(k, _)| *k != name).map(|(k, v)| (k.clone(), v.clone())).collect();
    pairs.push((name.to_owned(), value.to_owned()));
    pairs.sort();
    let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let origin = params.get("origin").unwrap_or(&shared.base);
    format!("{origin}{path}?{}", query.join("&"))
}

async fn cursor(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let offset = params.get("cursor").and_then(|c| c.strip_prefix('c')).and_then(|n| n.parse().ok()).unwrap_or(0);
    let size = number(&params, "limit").unwrap_or(StreamService::PAGE_SIZE);
    match slice(&shared, &params, offset, size) {
        Ok((items, total)) => {
            let more = offset + items.len() < total;
            let next = more.then(|| format!("c{}", offset + items.len()));
            json_response(StatusCode::OK, &json!({"status_code": 200, "message": "ok", "data": {"items": items, "next_cursor": next, "has_more": more}}))
        }
        Err(failed) => failed.into(),
    }
}

async fn offset(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let offset = number(&params, "offset").unwrap_or(0);
    let size = number(&params, "limit").unwrap_or(StreamService::PAGE_SIZE);
    match slice(&shared, &params, offset, size) {
        Ok((items, total)) => json_response(StatusCode::OK, &json!({"items": items, "total": total})),
        Err(failed) => failed.into(),
    }
}

async fn pages(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let page = number(&params, "page").unwrap_or(1).max(1);
    let size = number(&params, "per_page").unwrap_or(StreamService::PAGE_SIZE).max(1);
    match slice(&shared, &params, (page - 1) * size, size) {
        Ok((items, _)) => json_response(StatusCode::OK, &Value::Array(items)),
        Err(failed) => failed.into(),
    }
}

async fn linked(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let page = number(&params, "page").unwrap_or(1).max(1);
    let size = number(&params, "per_page").unwrap_or(StreamService::PAGE_SIZE).max(1);
    match slice(&shared, &params, (page - 1) * size, size) {
        Ok((items, total)) => {
            let mut response = json_response(StatusCode::OK, &Value::Array(items));
            let last = total.div_ceil(size).max(1);
            let mut links = vec![format!("<{}>; rel=\"last\"", with_param(&shared, "/items/linked", &params, "page", &last.to_string()))];
            if page < last {
                // GitHub lists `next` among others; put it second.
                links.push(format!("<{}>; rel=\"next\"", with_param(&shared, "/items/linked", &params, "page", &(page + 1).to_string())));
            }
            if let Ok(value) = links.join(", ").parse() {
                response.headers_mut().insert(header::LINK, value);
            }
            response
        }
        Err(failed) => failed.into(),
    }
}

async fn next_url(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let offset = number(&params, "page_token").unwrap_or(0);
    let size = StreamService::PAGE_SIZE;
    match slice(&shared, &params, offset, size) {
        Ok((items, total)) => {
            let end = offset + items.len();
            let next = (end < total).then(|| with_param(&shared, "/items/next", &params, "page_token", &end.to_string()));
            let previous = (offset > 0).then(|| with_param(&shared, "/items/next", &params, "page_token", &offset.saturating_sub(size).to_string()));
            json_response(StatusCode::OK, &json!({"count": total, "next": next, "previous": previous, "results": items}))
        }
        Err(failed) => failed.into(),
    }
}

async fn speakeasy(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let offset = number(&params, "skip").unwrap_or(0);
    let size = number(&params, "take").unwrap_or(StreamService::PAGE_SIZE);
    match slice(&shared, &params, offset, size) {
        Ok((items, _)) => json_response(StatusCode::OK, &json!({"page": {"entries": items, "tags": ["a"]}})),
        Err(failed) => failed.into(),
    }
}

async fn fern(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let offset = params.get("after").and_then(|a| a.parse().ok()).unwrap_or(0);
    let size = number(&params, "limit").unwrap_or(StreamService::PAGE_SIZE);
    match slice(&shared, &params, offset, size) {
        Ok((items, total)) => {
            let end = offset + items.len();
            let meta = if end < total { json!({"next": end.to_string()}) } else { json!({}) };
            json_response(StatusCode::OK, &json!({"records": items, "meta": meta}))
        }
        Err(failed) => failed.into(),
    }
}

/// A response whose body is the chunks sent on the returned channel, each
/// written as soon as it is sent.
fn streamed(content_type: &str) -> (tokio::sync::mpsc::Sender<Bytes>, Response) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(1);
    let body = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (Ok::<_, Infallible>(b), rx)) });
    let response = Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::CACHE_CONTROL, "no-cache")
        .body(Body::from_stream(body))
        .unwrap_or_default();
    (tx, response)
}

/// `406` unless the `Accept` header names `media` (as strict servers answer).
fn refuse_unless_accepted(headers: &HeaderMap, media: &str) -> Option<Response> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    (!accept.contains(media)).then(|| json_response(StatusCode::NOT_ACCEPTABLE, &json!({"detail": format!("Accept must name {media}")})))
}

async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap, Query(params): Params) -> Response {
    if let Some(refused) = refuse_unless_accepted(&headers, "text/event-stream") {
        return refused;
    }
    let count = number(&params, "count").unwrap_or(3);
    if count == 0 {
        return json_response(StatusCode::INTERNAL_SERVER_ERROR, &json!({"detail": "no events"}));
    }
    let bad = number(&params, "bad");
    let (tx, response) = streamed("text/event-stream");
    shared.last_event_sent.store(false, Ordering::SeqCst);
    let mut gate = shared.hold.subscribe();
    let holding = shared.holding.swap(false, Ordering::SeqCst);
    tokio::spawn(async move {
        // A comment first (keep-alive style), then the events.
        if tx.send(Bytes::from_static(b": stream opened\n\n")).await.is_err() {
            return;
        }
        for n in 1..=count {
            if n == 2 && holding {
                let _ = gate.wait_for(|open| *open).await;
            }
            let data = if Some(n) == bad { format!("not json {n}") } else { StreamService::item(n).to_string() };
            let event = format!("event: item\nid: {n}\nretry: 1500\ndata: {data}\n\n");
            if tx.send(Bytes::from(event)).await.is_err() {
                return;
            }
            if n == count {
                shared.last_event_sent.store(true, Ordering::SeqCst);
            }
        }
    });
    response
}

async fn text_events(Query(params): Params) -> Response {
    let count = number(&params, "count").unwrap_or(3);
    let (tx, response) = streamed("text/event-stream");
    tokio::spawn(async move {
        for n in 1..=count {
            // Multi-line data is joined with line feeds.
            if tx.send(Bytes::from(format!("data: line {n}\ndata: more {n}\n\n"))).await.is_err() {
                return;
            }
        }
    });
    response
}

async fn lines(headers: HeaderMap, Query(params): Params) -> Response {
    if let Some(refused) = refuse_unless_accepted(&headers, "application/jsonl") {
        return refused;
    }
    let count = number(&params, "count").unwrap_or(10);
    let bad = number(&params, "bad");
    let (tx, response) = streamed("application/jsonl");
    tokio::spawn(async move {
        let mut chunk = String::new();
        for n in 1..=count {
            if Some(n) == bad {
                chunk.push_str(&format!("not json {n}\n"));
            } else {
                chunk.push_str(&StreamService::item(n).to_string());
                chunk.push('\n');
            }
            if (n.is_multiple_of(1000) || n == count) && tx.send(Bytes::from(std::mem::take(&mut chunk))).await.is_err() {
                return;
            }
        }
    });
    response
}

async fn download(State(shared): State<Arc<Shared>>, Query(params): Params) -> Response {
    let Some(size) = params.get("size").and_then(|s| s.parse::<u64>().ok()) else {
        return json_response(StatusCode::INTERNAL_SERVER_ERROR, &json!({"detail": "size is required"}));
    };
    let _ = shared;
    let (tx, mut response) = streamed("application/octet-stream");
    if let Ok(len) = size.to_string().parse() {
        response.headers_mut().insert(header::CONTENT_LENGTH, len);
    }
    tokio::spawn(async move {
        const CHUNK: u64 = 64 * 1024;
        // One period of the pattern, long enough to slice any chunk from.
        let pattern: Vec<u8> = (0..CHUNK + 251).map(StreamService::download_byte).collect();
        let mut sent = 0u64;
        while sent < size {
            let len = CHUNK.min(size - sent);
            let start = (sent % 251) as usize;
            let chunk = Bytes::copy_from_slice(&pattern[start..start + len as usize]);
            if tx.send(chunk).await.is_err() {
                return;
            }
            sent += len;
        }
    });
    response
}
