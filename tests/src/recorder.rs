//! A recording HTTP server for wire tests: it accepts any request on
//! `127.0.0.1` (port 0), keeps exactly what arrived (method, raw target,
//! headers, body) and answers with the reply the test set.
//!
//! Wire tests call one operation of a generated client, then
//! [`Recorder::take`] the request and assert its query string, headers,
//! cookies and body byte for byte.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

pub use crate::contact_service::RecordedRequest;

/// What the server answers.
#[derive(Clone, Debug)]
struct Reply {
    status: u16,
    content_type: &'static str,
    body: String,
}

#[derive(Debug)]
struct Shared {
    reply: Reply,
    requests: Vec<RecordedRequest>,
}

/// The running server; stops when dropped.
pub struct Recorder {
    base_url: String,
    shared: Arc<Mutex<Shared>>,
    task: JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Recorder {
    /// Binds `127.0.0.1:0` and serves on the current tokio runtime. Until
    /// [`Self::reply`] says otherwise, every request gets `204 No Content`.
    ///
    /// # Panics
    /// If binding fails or there is no current tokio runtime.
    pub async fn start() -> Recorder {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.expect("bind 127.0.0.1:0");
        let base_url = format!("http://{}", listener.local_addr().expect("local address"));
        let shared = Arc::new(Mutex::new(Shared {
            reply: Reply { status: 204, content_type: "application/json", body: String::new() },
            requests: Vec::new(),
        }));
        let app = Router::new().fallback(record).with_state(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Recorder { base_url, shared, task }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Answers every following request with `status` and a JSON `body`
    /// (empty for none).
    pub fn reply(&self, status: u16, body: &str) {
        self.lock().reply = Reply { status, content_type: "application/json", body: body.to_owned() };
    }

    /// Answers every following request with `status` and a `text/plain` body.
    pub fn reply_text(&self, status: u16, body: &str) {
        self.lock().reply = Reply { status, content_type: "text/plain", body: body.to_owned() };
    }

    /// The one request received since the last call.
    ///
    /// # Panics
    /// If not exactly one request arrived.
    pub fn take(&self) -> RecordedRequest {
        let mut requests = std::mem::take(&mut self.lock().requests);
        assert_eq!(requests.len(), 1, "expected exactly one request, got {requests:#?}");
        requests.remove(0)
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn record(State(shared): State<Arc<Mutex<Shared>>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = to_bytes(body, 16 << 20).await.map(|b| b.to_vec()).unwrap_or_default();
    let target = parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        target,
        headers: parts.headers,
        body,
    };
    let reply = {
        let mut shared = shared.lock().unwrap_or_else(|e| e.into_inner());
        shared.requests.push(recorded);
        shared.reply.clone()
    };
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    response
}
