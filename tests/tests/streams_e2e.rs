//! End-to-end tests of streamed responses: the generated `stream-service-client`
//! (from `tests/fixtures/stream_service.yaml`) against the reference stream
//! service (`integration_tests::stream_service`) over TCP on 127.0.0.1.
//!
//! Pages: every item of a 3-page list arrives exactly once and in order in
//! every pagination style, setters apply to every page, a failing page is
//! yielded once and ends the walk, credentials stay on the client's origin.
//! Server-sent events arrive as the server flushes them, a bad item is an
//! error item and the stream goes on, JSON Lines are read item by item, the
//! idle timeout bounds the wait between items, an error status of a
//! streamed operation is decoded as usual, and a download can be read as a
//! byte stream. (The 1 GB download's memory is measured by
//! `cargo xtask stream-memory`, not here.)
//!
//! Streams and pages share one request path with every other request: a
//! page the server redirects to another origin is followed there without
//! credentials, and a streamed operation whose token expired gets one
//! refresh and one more attempt before its stream is read.

use std::time::Duration;

use integration_tests::stream_service::StreamService;
use stream_service_client::types::Item;
use stream_service_client::{Client, Error, ErrorKind, TokenRequest};

fn client(svc: &StreamService) -> Client {
    Client::builder(&svc.base_url()).timeout(Duration::from_secs(10)).build().unwrap()
}

fn item(id: i64) -> Item {
    let name = if id % 2 == 0 { format!("even {id}") } else { format!("item {id}") };
    Item { id, name }
}

/// Reads a stream of results to its end.
async fn drain<T, E>(mut next: impl AsyncFnMut() -> Option<Result<T, E>>) -> Vec<Result<T, E>> {
    let mut all = Vec::new();
    while let Some(item) = next().await {
        all.push(item);
    }
    all
}

/// The ids of a walk that must not fail.
fn ids<E: std::fmt::Debug>(items: Vec<Result<Item, E>>) -> Vec<i64> {
    items.into_iter().map(|i| i.unwrap().id).collect()
}

#[tokio::test]
async fn every_item_of_a_three_page_list_arrives_once_and_in_order_in_every_style() {
    let svc = StreamService::start().await;
    let c = client(&svc);
    let all: Vec<i64> = (1..=25).collect();
    let mut walks: Vec<(&str, Vec<i64>)> = Vec::new();
    let mut items = c.list_items_cursor().items();
    walks.push(("cursor", ids(drain(async || items.next().await).await)));
    let mut items = c.list_items_offset().items();
    walks.push(("offset", ids(drain(async || items.next().await).await)));
    let mut items = c.list_items_pages().items();
    walks.push(("pages", ids(drain(async || items.next().await).await)));
    let mut items = c.list_items_linked().items();
    walks.push(("linked", ids(drain(async || items.next().await).await)));
    let mut items = c.list_items_next_url().items();
    walks.push(("next-url", ids(drain(async || items.next().await).await)));
    let mut items = c.list_items_speakeasy().items();
    walks.push(("speakeasy", ids(drain(async || items.next().await).await)));
    let mut items = c.list_items_fern().items();
    walks.push(("fern", ids(drain(async || items.next().await).await)));
    for (style, got) in walks {
        assert_eq!(got, all, "{style}");
    }
    // Each page was fetched once: no request repeats.
    let requests = svc.requests();
    let mut unique = requests.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), requests.len(), "a page was fetched twice: {requests:#?}");
    let per = |path: &str| requests.iter().filter(|r| r.split('?').next() == Some(path)).count();
    // Three pages, plus the empty page that ends page-number and size-less offset walks.
    let expected = [
        ("/items/cursor", 3),
        ("/items/offset", 3),
        ("/items/pages", 4),
        ("/items/linked", 3),
        ("/items/next", 3),
        ("/items/speakeasy", 4),
        ("/items/fern", 3),
    ];
    for (path, n) in expected {
        assert_eq!(per(path), n, "{path}: {requests:#?}");
    }
}

#[tokio::test]
async fn pages_carry_the_setters_to_every_page() {
    let svc = StreamService::start().await;
    let c = client(&svc);
    let mut pages = c.list_items_cursor().prefix("even").limit(4).pages();
    let mut sizes = Vec::new();
    let mut seen = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        assert_eq!(page.status(), 200);
        sizes.push(page.data.items.len());
        seen.extend(page.into_inner().data.items.into_iter().map(|i| i.id));
    }
    assert_eq!(sizes, [4, 4, 4]);
    assert_eq!(seen, (1..=12).map(|n| n * 2).collect::<Vec<_>>());
    let requests = svc.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests.iter().all(|r| r.contains("prefix=even") && r.contains("limit=4")), "{requests:#?}");
    assert_eq!(requests[1], "/items/cursor?cursor=c4&limit=4&prefix=even");
    // Offset/limit: a page with fewer items than asked is the last.
    let mut items = c.list_items_offset().limit(7).items();
    assert_eq!(ids(drain(async || items.next().await).await), (1..=25).collect::<Vec<_>>());
    assert_eq!(svc.requests().iter().filter(|r| r.starts_with("/items/offset")).count(), 4, "7 + 7 + 7 + 4");
}

#[tokio::test]
async fn a_page_that_fails_is_yielded_once_and_ends_the_walk() {
    let svc = StreamService::start().await;
    svc.fail_page(2);
    let c = client(&svc);
    let mut items = c.list_items_cursor().items();
    let walk: Vec<Result<Item, Error<_>>> = drain(async || items.next().await).await;
    assert_eq!(walk.len(), 11, "ten items, then the error");
    assert!(walk[..10].iter().all(Result::is_ok));
    let error = walk[10].as_ref().unwrap_err();
    assert_eq!((error.kind(), error.status().map(|s| s.as_u16())), (ErrorKind::Status, Some(500)));
    assert_eq!(error.typed().map(|f| f.detail.as_str()), Some("page 2 failed"));
    assert!(items.next().await.is_none(), "the walk stays ended");
    assert_eq!(svc.requests(), ["/items/cursor", "/items/cursor?cursor=c10"], "page 2 once, page 3 never");
    // The same through pages(), in another style.
    let mut pages = c.list_items_linked().pages();
    assert_eq!(pages.next().await.unwrap().unwrap().len(), 10);
    assert_eq!(pages.next().await.unwrap().unwrap_err().status().map(|s| s.as_u16()), Some(500));
    assert!(pages.next().await.is_none());
}

#[tokio::test]
async fn credentials_follow_next_links_only_on_the_clients_origin() {
    let svc = StreamService::start().await;
    let other = StreamService::start().await;
    let c = Client::builder(&svc.base_url()).bearer_token("walk-token").build().unwrap();
    let mut items = c.list_items_linked().origin(other.base_url()).items();
    assert_eq!(ids(drain(async || items.next().await).await), (1..=25).collect::<Vec<_>>());
    assert_eq!(svc.authorizations(), [Some("Bearer walk-token".to_owned())], "page 1, on the client's origin");
    assert_eq!(other.authorizations(), [None, None], "pages 2 and 3, elsewhere: no credentials");
    assert!(other.requests()[0].contains("page=2"));
}

#[tokio::test]
async fn a_page_redirected_to_another_origin_is_followed_there_without_credentials() {
    let svc = StreamService::start().await;
    let other = StreamService::start().await;
    svc.redirect_page(2, &other.base_url());
    let c = Client::builder(&svc.base_url()).bearer_token("walk-token").build().unwrap();
    let mut items = c.list_items_linked().items();
    assert_eq!(ids(drain(async || items.next().await).await), (1..=25).collect::<Vec<_>>());
    let token = Some("Bearer walk-token".to_owned());
    assert_eq!(svc.authorizations(), [token.clone(), token], "page 1, and page 2 answered with the redirect");
    assert_eq!(other.authorizations(), [None, None], "page 2 where it was redirected, and page 3 it links to");
    assert_eq!(svc.requests(), ["/items/linked", "/items/linked?page=2"]);
    assert_eq!(other.requests(), ["/items/linked?page=2", "/items/linked?page=3"]);
}

#[tokio::test]
async fn a_streamed_operation_refreshes_an_expired_token_once_then_streams() {
    let svc = StreamService::start().await;
    svc.reject_token("expired");
    let asked = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = asked.clone();
    let c = Client::builder(&svc.base_url())
        .bearer_token_provider(move |request: TokenRequest| {
            seen.lock().unwrap().push(request.is_refresh());
            async move { Ok::<_, std::io::Error>(if request.is_refresh() { "fresh" } else { "expired" }) }
        })
        .build()
        .unwrap();
    let mut events = c.item_events(&3).await.unwrap().into_inner();
    let mut got = Vec::new();
    while let Some(event) = events.next().await {
        got.push(event.unwrap().data);
    }
    assert_eq!(got, vec![item(1), item(2), item(3)]);
    assert_eq!(*asked.lock().unwrap(), [false, true], "asked once, then once more to refresh");
    assert_eq!(svc.authorizations(), [Some("Bearer expired".to_owned()), Some("Bearer fresh".to_owned())]);
    // A provider that keeps giving a rejected token: one refresh, then the 401 is the answer.
    let stuck = Client::builder(&svc.base_url()).bearer_token_provider(|_| async { Ok::<_, std::io::Error>("expired") }).build().unwrap();
    let error = stuck.item_events(&3).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(svc.authorizations().len(), 4, "two more attempts, no third");
}

#[tokio::test]
async fn a_download_can_be_read_as_a_byte_stream() {
    let svc = StreamService::start().await;
    let size: u64 = 10 * 1024 * 1024 + 3;
    let response = client(&svc).download(&(size as i64)).into_stream().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-length"], size.to_string().as_str());
    let mut body = response.into_inner();
    let (mut read, mut chunks) = (0u64, 0);
    while let Some(chunk) = body.next().await {
        let chunk = chunk.unwrap();
        assert!(chunk.iter().enumerate().all(|(i, b)| *b == StreamService::download_byte(read + i as u64)));
        read += chunk.len() as u64;
        chunks += 1;
    }
    assert_eq!(read, size);
    assert!(chunks > 1, "the body arrived in pieces");
    // The rest of a streamed body can still be read whole.
    let whole = client(&svc).download(&5).into_stream().await.unwrap().into_inner().read_all().await.unwrap();
    assert_eq!(whole, [0, 1, 2, 3, 4]);
}

#[tokio::test]
async fn events_arrive_as_the_server_flushes_them() {
    let svc = StreamService::start().await;
    svc.hold_events();
    let response = client(&svc).item_events(&3).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut events = response.into_inner();
    // Were the body buffered whole, this would wait for the held-back events forever.
    let first = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the first event arrives while the server holds the rest back")
        .expect("a first event")
        .unwrap();
    // The server is holding the rest back: the first event arrived before the last was sent.
    assert!(!svc.last_event_sent(), "the last event was sent before the first one was read");
    assert_eq!((first.event.as_str(), first.id.as_deref(), first.retry), ("item", Some("1"), Some(Duration::from_millis(1500))));
    assert_eq!(first.data, item(1));
    svc.release_events();
    let mut rest = Vec::new();
    while let Some(event) = events.next().await {
        rest.push(event.unwrap().data);
    }
    assert_eq!(rest, vec![item(2), item(3)]);
    assert!(svc.last_event_sent());
    assert!(events.next().await.is_none(), "a finished stream stays finished");
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let svc = StreamService::start().await;
    let mut events = client(&svc).item_events(&4).bad(2).await.unwrap().into_inner();
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        seen.push(event);
    }
    assert_eq!(seen.len(), 4);
    let bad = seen[1].as_ref().unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::Decode);
    assert_eq!(bad.body_text().as_deref(), Some("not json 2"));
    let good: Vec<Item> = seen.into_iter().filter_map(Result::ok).map(|e| e.data).collect();
    assert_eq!(good, vec![item(1), item(3), item(4)]);
}

#[tokio::test]
async fn text_events_keep_their_data_as_text() {
    let svc = StreamService::start().await;
    let mut events = client(&svc).text_events(&2).await.unwrap().into_inner();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!((first.event.as_str(), first.id, first.data.as_str()), ("message", None, "line 1\nmore 1"));
    assert_eq!(events.next().await.unwrap().unwrap().data, "line 2\nmore 2");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_error_status_of_a_streamed_operation_is_decoded_as_usual() {
    let svc = StreamService::start().await;
    let error = client(&svc).item_events(&0).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Status);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.typed().map(|f| f.detail.as_str()), Some("no events"));
}

#[tokio::test]
async fn the_idle_timeout_ends_a_stream_that_stalls() {
    let svc = StreamService::start().await;
    svc.hold_events();
    let client = Client::builder(&svc.base_url()).idle_timeout(Duration::from_millis(200)).build().unwrap();
    let mut events = client.item_events(&3).await.unwrap().into_inner();
    assert_eq!(events.next().await.unwrap().unwrap().data, item(1));
    let stalled = events.next().await.expect("an error item").unwrap_err();
    assert!(stalled.is_timeout(), "{stalled}");
    assert!(events.next().await.is_none(), "the stream ends after the timeout");
    svc.release_events();
    // The same, set on one request only.
    svc.hold_events();
    let mut events = self::client(&svc).item_events(&3).idle_timeout(Duration::from_millis(200)).await.unwrap().into_inner();
    assert!(events.next().await.unwrap().is_ok());
    assert!(events.next().await.unwrap().unwrap_err().is_timeout());
    svc.release_events();
}

#[tokio::test]
async fn json_lines_of_100_000_items_are_read_one_by_one() {
    let svc = StreamService::start().await;
    let mut lines = client(&svc).item_lines(&100_000).await.unwrap().into_inner();
    let mut expected = 1i64;
    while let Some(line) = lines.next().await {
        let line = line.unwrap();
        assert_eq!(line.id, expected);
        expected += 1;
    }
    assert_eq!(expected - 1, 100_000);
}

#[tokio::test]
async fn a_json_line_that_does_not_decode_is_an_error_item_and_the_stream_goes_on() {
    let svc = StreamService::start().await;
    let mut lines = client(&svc).item_lines(&3_500).bad(2_001).await.unwrap().into_inner();
    let (mut ok, mut bad) = (0, Vec::new());
    while let Some(line) = lines.next().await {
        match line {
            Ok(_) => ok += 1,
            Err(e) => bad.push(e),
        }
    }
    assert_eq!(ok, 3_499);
    assert_eq!(bad.len(), 1);
    assert_eq!((bad[0].kind(), bad[0].body_text().as_deref()), (ErrorKind::Decode, Some("not json 2001")));
}

#[tokio::test]
async fn a_download_is_read_whole_with_await() {
    let svc = StreamService::start().await;
    let size = 3 * 64 * 1024 + 17;
    let body = client(&svc).download(&(size as i64)).await.unwrap().into_inner();
    assert_eq!(body.len(), size);
    assert!(body.iter().enumerate().all(|(i, b)| *b == StreamService::download_byte(i as u64)));
}
