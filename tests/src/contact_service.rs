//! A reference "contact service": an in-process HTTP server that implements
//! Nedzo's `PATCH /v1/contact/{id}` the way the documented API behaves, for
//! end-to-end tests of the generated client.
//!
//! Each test starts its own server with [`ContactService::start`]; it binds
//! `127.0.0.1:0` (never any other address) and runs on the current tokio
//! runtime until the last [`ContactService`] handle is dropped.
//!
//! # Behaviour
//!
//! Every request is first recorded (see [`RecordedRequest`]) and counted, then
//! the active [`Fault`]s are applied, then the request is dispatched:
//!
//! * `PATCH /v1/contact/{id}` (exactly one path segment after `/v1/contact/`):
//!   1. `Authorization: Bearer <token>` must match the configured token
//!      (scheme case-insensitive), else `401 {"detail": "Not authenticated"}`
//!      with `WWW-Authenticate: Bearer`.
//!   2. The body must be a JSON object whose known keys have the documented
//!      types (the 13 string fields: string or null; `dnc`: bool or null;
//!      `contact_list_id`: integer or null), else `422` with a FastAPI-style
//!      `{"detail": [{"loc": [...], "msg": ..., "type": ..., "input": ...}]}`
//!      body, one entry per bad field, in the docs' field order. Types are
//!      checked strictly (FastAPI/pydantic's lax mode would coerce e.g.
//!      `"true"`); the one leniency is that an integral float such as `5.0`
//!      is accepted for `contact_list_id` and stored as `5`. Special cases:
//!      empty body → `type: "missing"`, `loc: ["body"]`; invalid JSON →
//!      `type: "json_invalid"`, `loc: ["body", <byte offset>]`; a JSON value
//!      that is not an object → `type: "model_attributes_type"`,
//!      `loc: ["body"]`. Unknown keys are ignored.
//!   3. `{id}` (percent-decoded) must parse as a UUID of a seeded contact,
//!      else `404 {"detail": "Contact not found"}`. As in FastAPI, body
//!      validation runs before the handler, so a bad body wins over a bad id.
//!   4. The known keys are merged into the stored contact: an absent key
//!      keeps the stored value, `null` stores null, a value replaces it.
//!      `street_address` is stored too (the docs' response object does not
//!      list it), and `contact_list_id` is stored exactly as sent (an
//!      integer, although the docs' response example shows a UUID string).
//!   5. `200 {"status_code": 200, "message": "Contact updated successfully",
//!      "data": {"contact": {...full stored contact...}}}`, JSON.
//! * Anything else (any other method or path): `200 {}` (JSON). Use this to
//!   check the raw, still percent-encoded path that arrived for other specs.
//!
//! # Faults
//!
//! [`ContactService::set_fault`] arms a [`Fault`] for the next `times`
//! requests it applies to ([`ContactService::set_fault_until_cleared`]: until
//! [`ContactService::clear_faults`]). Several faults may be armed at once:
//!
//! * Every armed [`Fault::Delay`] applies to every request (the delays add
//!   up) and uses up one of its counts.
//! * Then the first armed (in arming order) of [`Fault::Status`],
//!   [`Fault::HtmlError`], [`Fault::DropConnection`] answers the request
//!   instead of the normal handling (no auth check, no state change) and
//!   uses up one count. These apply to every path.
//! * [`Fault::ValidationError`] applies only to authorized, well-typed
//!   contact updates (a 401 or 422 of the normal handling leaves it armed).
//! * The response-mangling faults [`Fault::TruncatedJson`],
//!   [`Fault::WrongTypes`], [`Fault::UnknownStatusAndFields`],
//!   [`Fault::Patch`], [`Fault::EmptyBody`] apply only to
//!   successful (200) contact updates, which do change the stored contact;
//!   the first armed one is used and loses one count. Other requests (401,
//!   404, 422, catch-all) leave them armed.

use std::{
    collections::HashMap,
    io,
    net::SocketAddr,
    pin::Pin,
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{ConnectInfo, Request, State, connect_info::Connected},
    http::{HeaderMap, HeaderValue, Method, StatusCode, header},
    response::Response,
    serve::{IncomingStream, Listener},
};
use serde_json::{Map, Value, json};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};
use uuid::Uuid;

/// The keys of a stored contact, in the order of the docs' response
/// `contact` object (with `id` first). Seeded contacts get every one of them.
pub const CONTACT_FIELDS: [&str; 20] = [
    "id",
    "subaccount_id",
    "contact_list_id",
    "email",
    "first_name",
    "last_name",
    "full_name",
    "business_name",
    "full_address",
    "city",
    "country",
    "state",
    "postal_code",
    "phone",
    "job_title",
    "dnc",
    "custom_fields",
    "last_dial_time",
    "most_recent_outcome",
    "status",
];

/// The request body fields of `PATCH /v1/contact/{id}`, in the docs' order.
const REQUEST_FIELDS: [(&str, FieldKind); 15] = [
    ("business_name", FieldKind::Str),
    ("email", FieldKind::Str),
    ("city", FieldKind::Str),
    ("country", FieldKind::Str),
    ("first_name", FieldKind::Str),
    ("last_name", FieldKind::Str),
    ("full_name", FieldKind::Str),
    ("full_address", FieldKind::Str),
    ("phone", FieldKind::Str),
    ("state", FieldKind::Str),
    ("street_address", FieldKind::Str),
    ("postal_code", FieldKind::Str),
    ("job_title", FieldKind::Str),
    ("dnc", FieldKind::Bool),
    ("contact_list_id", FieldKind::Int),
];

#[derive(Clone, Copy)]
enum FieldKind {
    Str,
    Bool,
    Int,
}

/// The id of [`sample_contact`] (the docs' example UUID).
pub const SAMPLE_CONTACT_ID: &str = "3c90c3cc-0d44-4b50-8888-8dd25736052a";

/// A contact with every documented response field filled: `dnc` true,
/// `status` `"Waiting"`, one custom field, `last_dial_time`
/// `"2023-11-07T05:31:56Z"`, and `id` [`SAMPLE_CONTACT_ID`] (remove `"id"`
/// before seeding to get a fresh id instead).
pub fn sample_contact() -> Value {
    json!({
        "id": SAMPLE_CONTACT_ID,
        "subaccount_id": "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        "contact_list_id": "0b8d4e2a-1c3f-4a5b-9c6d-7e8f9a0b1c2d",
        "email": "jane.doe@example.com",
        "first_name": "Jane",
        "last_name": "Doe",
        "full_name": "Jane Doe",
        "business_name": "Doe Widgets",
        "full_address": "1 Main Street, Springfield, IL 62701",
        "city": "Springfield",
        "country": "US",
        "state": "IL",
        "postal_code": "62701",
        "phone": "+15555550123",
        "job_title": "Owner",
        "dnc": true,
        "custom_fields": [
            {
                "custom_field_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                "value": "VIP"
            }
        ],
        "last_dial_time": "2023-11-07T05:31:56Z",
        "most_recent_outcome": "Voicemail",
        "status": "Waiting"
    })
}

/// A misbehaviour the server can be told to show (see the module docs for
/// which requests each kind applies to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long before handling the request.
    Delay(Duration),
    /// Answer with this status (e.g. 429 or 503), a JSON body
    /// `{"detail": "<reason phrase>"}`, and `Retry-After: <value>` if given
    /// (either delay-seconds like `"2"` or an HTTP-date).
    Status {
        /// The HTTP status code (outside 100..=999: 503 is sent).
        status: u16,
        /// The raw `Retry-After` header value, if any.
        retry_after: Option<String>,
    },
    /// Answer `500` with an HTML body (`content-type: text/html`).
    HtmlError,
    /// Answer `200` with the first half of the normal JSON body
    /// (`content-type: application/json`, consistent `content-length`).
    TruncatedJson,
    /// Answer `200` with wrongly typed fields: `"status_code": "two hundred"`,
    /// `"message": 42`, and in the contact `"dnc": "yes"`, `"id": 12345`.
    WrongTypes,
    /// Answer `200` with `"status": "Archived"` and extra fields in the
    /// contact (`"lead_score": 42`, `"tags": ["x"]`) and at the top level
    /// (`"request_id": "req_123"`).
    UnknownStatusAndFields,
    /// Answer `200` with the normal body changed at JSON pointers: each
    /// `(pointer, value)` sets that member, adding it to its object when it
    /// is missing (`("/data/contact/lead_score", json!(42))` adds an
    /// unknown field) — as a server does that sends more, or other, than
    /// its spec promises. Pointers whose parent does not exist are skipped.
    Patch(Vec<(String, Value)>),
    /// Answer `200` with an empty body (`content-type: application/json`,
    /// `content-length: 0`).
    EmptyBody,
    /// Close the TCP connection without sending any response bytes.
    DropConnection,
    /// Answer a contact update whose body is well typed with `422` and a
    /// FastAPI-style body holding one `value_error` entry per known field
    /// sent (`loc: ["body", <field>]`), as a server with stricter rules than
    /// the documented types would; the contact is not changed. This is how a
    /// test gets a 422 through a typed client, which cannot send a wrongly
    /// typed body. Applies only after the token check and body validation
    /// passed (before the id lookup, as in FastAPI).
    ValidationError,
}

impl Fault {
    fn is_delay(&self) -> bool {
        matches!(self, Fault::Delay(_))
    }

    fn is_early(&self) -> bool {
        matches!(
            self,
            Fault::Status { .. } | Fault::HtmlError | Fault::DropConnection
        )
    }

    fn is_mangling(&self) -> bool {
        matches!(
            self,
            Fault::TruncatedJson
                | Fault::WrongTypes
                | Fault::UnknownStatusAndFields
                | Fault::Patch(_)
                | Fault::EmptyBody
        )
    }
}

/// One request as the server saw it, recorded before any handling.
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    /// The method, e.g. `"PATCH"`.
    pub method: String,
    /// The raw request-target exactly as received (path and query, still
    /// percent-encoded), e.g. `/items/a%2Fb%20c%3Fd?x=1`.
    pub target: String,
    /// The raw path part of [`Self::target`] (still percent-encoded).
    pub path: String,
    /// The raw query part of [`Self::target`] (without `?`), if any.
    pub query: Option<String>,
    /// All request headers.
    pub headers: HeaderMap,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of header `name` if present and valid UTF-8/ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON, if it is valid JSON.
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

struct ArmedFault {
    fault: Fault,
    /// `None`: until cleared.
    remaining: Option<usize>,
}

#[derive(Default)]
struct Inner {
    contacts: HashMap<Uuid, Map<String, Value>>,
    requests: Vec<RecordedRequest>,
    faults: Vec<ArmedFault>,
    next_id: u128,
}

struct Shared {
    token: String,
    request_count: AtomicUsize,
    inner: Mutex<Inner>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes one use of every armed fault matching `pred` (all of them if
    /// `all`, else only the first) and returns them.
    fn take_faults(&self, pred: impl Fn(&Fault) -> bool, all: bool) -> Vec<Fault> {
        let mut inner = self.lock();
        let mut taken = Vec::new();
        for armed in inner.faults.iter_mut() {
            if !pred(&armed.fault) {
                continue;
            }
            taken.push(armed.fault.clone());
            if let Some(n) = armed.remaining.as_mut() {
                *n -= 1;
            }
            if !all {
                break;
            }
        }
        inner.faults.retain(|a| a.remaining != Some(0));
        taken
    }
}

/// Aborts the server's accept loop when the last handle goes away.
struct ServerTask(JoinHandle<()>);

impl Drop for ServerTask {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Handle to a running contact service. Cheap to clone; all clones share the
/// same state. The server stops accepting connections when the last clone is
/// dropped.
#[derive(Clone)]
pub struct ContactService {
    shared: Arc<Shared>,
    addr: SocketAddr,
    _server: Arc<ServerTask>,
}

impl std::fmt::Debug for ContactService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactService")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl ContactService {
    /// Binds `127.0.0.1:0` and serves on the current tokio runtime; requests
    /// must carry `Authorization: Bearer <token>`.
    ///
    /// # Panics
    /// If binding fails or there is no current tokio runtime.
    pub async fn start(token: &str) -> ContactService {
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared {
            token: token.to_owned(),
            request_count: AtomicUsize::new(0),
            inner: Mutex::new(Inner::default()),
        });
        let app = Router::new()
            .fallback(handle)
            .with_state(Arc::clone(&shared));
        let make_service = app.into_make_service_with_connect_info::<ConnControl>();
        let task = tokio::spawn(async move {
            // `serve` only returns on an I/O error of the listener.
            let _ = axum::serve(KillableListener(listener), make_service).await;
        });
        ContactService {
            shared,
            addr,
            _server: Arc::new(ServerTask(task)),
        }
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stores a contact (a JSON object) and returns its id.
    ///
    /// The id is taken from `"id"` if that is a UUID string, else one is
    /// derived deterministically from a counter
    /// (`00000000-0000-4000-8000-000000000001`, `...002`, ...). Missing
    /// documented fields ([`CONTACT_FIELDS`]) are stored as null; extra keys
    /// are kept. Seeding an existing id replaces that contact.
    ///
    /// # Panics
    /// If `contact` is not a JSON object.
    pub fn seed(&self, contact: Value) -> Uuid {
        let Value::Object(mut given) = contact else {
            panic!("ContactService::seed: contact must be a JSON object");
        };
        let mut inner = self.shared.lock();
        let given_id = given
            .get("id")
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok());
        let id = given_id.unwrap_or_else(|| {
            inner.next_id += 1;
            Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000 | inner.next_id)
        });
        given.insert("id".into(), Value::String(id.to_string()));
        let mut stored = Map::new();
        for key in CONTACT_FIELDS {
            stored.insert(key.into(), given.remove(key).unwrap_or(Value::Null));
        }
        stored.extend(given);
        inner.contacts.insert(id, stored);
        id
    }

    /// The stored contact with this id, as a JSON object.
    pub fn contact(&self, id: Uuid) -> Option<Value> {
        self.shared
            .lock()
            .contacts
            .get(&id)
            .map(|c| Value::Object(c.clone()))
    }

    /// Every request seen so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.lock().requests.clone()
    }

    /// The most recent request, if any.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.shared.lock().requests.last().cloned()
    }

    /// How many requests have been received (including faulted ones).
    pub fn request_count(&self) -> usize {
        self.shared.request_count.load(Ordering::SeqCst)
    }

    /// Forgets the recorded requests (the counter keeps counting).
    pub fn clear_requests(&self) {
        self.shared.lock().requests.clear();
    }

    /// Arms `fault` for the next `times` requests it applies to (see the
    /// module docs). `times == 0` does nothing.
    pub fn set_fault(&self, fault: Fault, times: usize) {
        if times > 0 {
            self.shared.lock().faults.push(ArmedFault {
                fault,
                remaining: Some(times),
            });
        }
    }

    /// Arms `fault` until [`Self::clear_faults`] is called.
    pub fn set_fault_until_cleared(&self, fault: Fault) {
        self.shared.lock().faults.push(ArmedFault {
            fault,
            remaining: None,
        });
    }

    /// Disarms all faults.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }
}

// ---------------------------------------------------------------------------
// Connection plumbing: a listener whose connections can be killed from a
// handler, so that `Fault::DropConnection` closes the socket without writing
// a single response byte.

struct KillableListener(TcpListener);

/// A TCP stream that fails every read and write once `killed` is set; hyper
/// then abandons the connection and the socket is closed.
struct KillableStream {
    inner: TcpStream,
    killed: Arc<AtomicBool>,
}

/// Per-connection handle given to the handler (as `ConnectInfo`).
#[derive(Clone)]
struct ConnControl {
    killed: Arc<AtomicBool>,
}

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            match self.0.accept().await {
                Ok((inner, addr)) => {
                    let _ = inner.set_nodelay(true);
                    let stream = KillableStream {
                        inner,
                        killed: Arc::new(AtomicBool::new(false)),
                    };
                    return (stream, addr);
                }
                // E.g. too many open files: back off briefly and retry.
                Err(_) => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for ConnControl {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        ConnControl {
            killed: Arc::clone(&stream.io().killed),
        }
    }
}

fn killed_error() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped (fault)",
    )
}

impl KillableStream {
    fn is_killed(&self) -> bool {
        self.killed.load(Ordering::SeqCst)
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.is_killed() {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.is_killed() {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.is_killed() {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.is_killed() {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.is_killed() {
            return Poll::Ready(Err(killed_error()));
        }
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

// ---------------------------------------------------------------------------
// Request handling.

async fn handle(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnControl>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => Bytes::new(),
    };
    let uri = &parts.uri;
    let target = uri
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| uri.to_string());
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        target,
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body: body.to_vec(),
    };
    shared.request_count.fetch_add(1, Ordering::SeqCst);
    shared.lock().requests.push(recorded);

    let delay: Duration = shared
        .take_faults(Fault::is_delay, true)
        .into_iter()
        .map(|f| match f {
            Fault::Delay(d) => d,
            _ => Duration::ZERO,
        })
        .sum();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }

    if let Some(fault) = shared.take_faults(Fault::is_early, false).pop() {
        match fault {
            Fault::Status {
                status,
                retry_after,
            } => {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
                let reason = status.canonical_reason().unwrap_or("Error");
                let mut resp = json_response(status, &json!({ "detail": reason }));
                if let Some(ra) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
                    resp.headers_mut().insert(header::RETRY_AFTER, ra);
                }
                return resp;
            }
            Fault::HtmlError => {
                return Response::builder()
                    .status(StatusCode::INTERNAL_SERVER_ERROR)
                    .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
                    .body(Body::from(
                        "<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\
                         <body><h1>Internal Server Error</h1><p>Something went wrong.</p></body></html>\n",
                    ))
                    .expect("valid response");
            }
            _ => {
                // DropConnection: make every further read/write on this
                // connection fail, so hyper abandons it without writing.
                conn.killed.store(true, Ordering::SeqCst);
                return Response::new(Body::empty());
            }
        }
    }

    let contact_id = (parts.method == Method::PATCH)
        .then(|| parts.uri.path().strip_prefix("/v1/contact/"))
        .flatten()
        .filter(|rest| !rest.is_empty() && !rest.contains('/'));
    match contact_id {
        Some(raw_id) => update_contact(&shared, &parts.headers, raw_id, &body),
        None => json_response(StatusCode::OK, &json!({})),
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    json_bytes_response(status, serde_json::to_vec(body).expect("serializable"))
}

fn json_bytes_response(status: StatusCode, body: Vec<u8>) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body))
        .expect("valid response")
}

fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    match value.split_once(' ') {
        Some((scheme, credentials)) => {
            scheme.eq_ignore_ascii_case("bearer") && credentials == token
        }
        None => false,
    }
}

fn update_contact(shared: &Shared, headers: &HeaderMap, raw_id: &str, body: &[u8]) -> Response {
    if !authorized(headers, &shared.token) {
        let mut resp = json_response(
            StatusCode::UNAUTHORIZED,
            &json!({ "detail": "Not authenticated" }),
        );
        resp.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return resp;
    }

    let changes = match validate_body(body) {
        Ok(changes) => changes,
        Err(detail) => {
            return json_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                &json!({ "detail": detail }),
            );
        }
    };

    if !shared.take_faults(|f| *f == Fault::ValidationError, false).is_empty() {
        let detail: Vec<Value> = changes
            .iter()
            .map(|(name, input)| {
                json!({
                    "loc": ["body", name],
                    "msg": "Value error, rejected by the server",
                    "type": "value_error",
                    "input": input,
                    "ctx": { "error": "rejected by the server" },
                })
            })
            .collect();
        return json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!({ "detail": detail }),
        );
    }

    let not_found = || {
        json_response(
            StatusCode::NOT_FOUND,
            &json!({ "detail": "Contact not found" }),
        )
    };
    let Some(id) = percent_decode(raw_id).and_then(|s| Uuid::parse_str(&s).ok()) else {
        return not_found();
    };
    let contact = {
        let mut inner = shared.lock();
        let Some(stored) = inner.contacts.get_mut(&id) else {
            return not_found();
        };
        for (key, value) in changes {
            stored.insert(key, value);
        }
        stored.clone()
    };

    let mut response = json!({
        "status_code": 200,
        "message": "Contact updated successfully",
        "data": { "contact": contact },
    });
    let mangle = shared.take_faults(Fault::is_mangling, false).pop();
    match mangle {
        Some(Fault::TruncatedJson) => {
            let mut bytes = serde_json::to_vec(&response).expect("serializable");
            bytes.truncate(bytes.len() / 2);
            json_bytes_response(StatusCode::OK, bytes)
        }
        Some(Fault::WrongTypes) => {
            response["status_code"] = json!("two hundred");
            response["message"] = json!(42);
            response["data"]["contact"]["dnc"] = json!("yes");
            response["data"]["contact"]["id"] = json!(12345);
            json_response(StatusCode::OK, &response)
        }
        Some(Fault::UnknownStatusAndFields) => {
            response["request_id"] = json!("req_123");
            let c = &mut response["data"]["contact"];
            c["status"] = json!("Archived");
            c["lead_score"] = json!(42);
            c["tags"] = json!(["x"]);
            json_response(StatusCode::OK, &response)
        }
        Some(Fault::Patch(edits)) => {
            for (pointer, value) in edits {
                set_pointer(&mut response, &pointer, value);
            }
            json_response(StatusCode::OK, &response)
        }
        Some(Fault::EmptyBody) => json_bytes_response(StatusCode::OK, Vec::new()),
        _ => json_response(StatusCode::OK, &response),
    }
}

/// Sets the member at `pointer` (adding it to its object or replacing an
/// array item); does nothing when the parent does not exist.
fn set_pointer(doc: &mut Value, pointer: &str, value: Value) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(last, value);
        }
        Some(Value::Array(items)) => {
            if let Some(item) = last.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                *item = value;
            }
        }
        _ => {}
    }
}

/// Validates a `PATCH /v1/contact/{id}` body; returns the known fields to
/// merge, or the FastAPI-style `detail` list.
fn validate_body(body: &[u8]) -> Result<Vec<(String, Value)>, Vec<Value>> {
    if body.is_empty() {
        return Err(vec![json!({
            "loc": ["body"],
            "msg": "Field required",
            "type": "missing",
            "input": null,
        })]);
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Err(vec![json!({
                "loc": ["body", byte_offset(body, e.line(), e.column())],
                "msg": "JSON decode error",
                "type": "json_invalid",
                "input": {},
                "ctx": { "error": e.to_string() },
            })]);
        }
    };
    let Value::Object(mut object) = value else {
        return Err(vec![json!({
            "loc": ["body"],
            "msg": "Input should be a valid dictionary or object to extract fields from",
            "type": "model_attributes_type",
            "input": value,
        })]);
    };

    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for (name, kind) in REQUEST_FIELDS {
        let Some(value) = object.remove(name) else {
            continue;
        };
        match check_field(kind, value) {
            Ok(v) => changes.push((name.to_owned(), v)),
            Err((msg, ty, input)) => errors.push(json!({
                "loc": ["body", name],
                "msg": msg,
                "type": ty,
                "input": input,
            })),
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

type FieldError = (&'static str, &'static str, Value);

fn check_field(kind: FieldKind, value: Value) -> Result<Value, FieldError> {
    if value.is_null() {
        return Ok(value);
    }
    match kind {
        FieldKind::Str => match value {
            Value::String(_) => Ok(value),
            other => Err(("Input should be a valid string", "string_type", other)),
        },
        FieldKind::Bool => match value {
            Value::Bool(_) => Ok(value),
            Value::String(_) => Err(("Input should be a valid boolean", "bool_parsing", value)),
            other => Err(("Input should be a valid boolean", "bool_type", other)),
        },
        FieldKind::Int => match value {
            Value::Number(ref n) if n.is_i64() || n.is_u64() => Ok(value),
            Value::Number(ref n) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if f.fract() == 0.0 && f.abs() < 9.0e15 {
                    Ok(json!(f as i64))
                } else {
                    Err((
                        "Input should be a valid integer, got a number with a fractional part",
                        "int_from_float",
                        value,
                    ))
                }
            }
            Value::String(_) => Err((
                "Input should be a valid integer, unable to parse string as an integer",
                "int_parsing",
                value,
            )),
            other => Err(("Input should be a valid integer", "int_type", other)),
        },
    }
}

/// Byte offset of a serde_json error position (1-based line, column).
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is
/// not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
