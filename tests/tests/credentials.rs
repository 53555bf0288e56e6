//! Credentials that expire, end to end: OAuth2 client credentials (the
//! generated `oauth2-client`, tests/fixtures/oauth2_client_credentials.yaml,
//! against the token endpoint of the production reference service), token
//! providers with the one refresh after a `401` (also `nedzo-client` against
//! the contact service), and the rule that credentials only go to the base
//! URL's origin, redirects included.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use integration_tests::contact_service::{ContactService, sample_contact};
use integration_tests::production_service::{CLIENT_ID, CLIENT_SECRET, ProductionService};
use oauth2_client::{Client, ClientBuilder, ErrorKind, TokenRequest};

const TOKEN: &str = "contact-token-5e1f";

fn builder(svc: &ProductionService) -> ClientBuilder {
    Client::builder(&svc.base_url()).initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(50))
}

fn oauth2(svc: &ProductionService) -> Client {
    builder(svc).oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET).build().unwrap()
}

/// The `Authorization` headers `/whoami` received, in order.
fn whoami_authorizations(svc: &ProductionService) -> Vec<Option<String>> {
    svc.requests().iter().filter(|r| r.path == "/whoami").map(|r| r.header("authorization").map(str::to_owned)).collect()
}

#[tokio::test]
async fn client_credentials_are_fetched_once_cached_and_sent_as_a_bearer_token() {
    let svc = ProductionService::start().await;
    let client = builder(&svc).oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET).oauth2_scope("read").build().unwrap();
    for _ in 0..3 {
        let me = client.who_am_i().await.unwrap();
        assert_eq!(me.authorization.as_deref(), Some("Bearer token-1"));
    }
    assert_eq!(svc.token_requests(), 1, "cached while valid");
    // The relative tokenUrl of the spec, resolved against the base URL; the
    // client authenticated with HTTP basic (checked by the server).
    assert_eq!(svc.requests()[0].path, "/oauth/token");
    assert_eq!(svc.token_request_bodies(), ["grant_type=client_credentials&scope=read"]);
    let text = format!("{client:?}");
    assert!(!text.contains(CLIENT_SECRET) && !text.contains("token-1"), "{text}");
}

#[tokio::test]
async fn one_token_fetch_serves_a_burst_of_100_requests_at_start_and_again_at_expiry() {
    let svc = ProductionService::start().await;
    svc.set_token_lifetime(Duration::from_secs(1));
    // A slow token endpoint: every request of the burst is waiting for it.
    svc.set_token_delay(Duration::from_millis(100));
    let client = oauth2(&svc);
    let burst = |client: &Client| {
        let tasks: Vec<_> = (0..100)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move { client.who_am_i().await.map(|me| me.into_inner().authorization) })
            })
            .collect();
        async move {
            let mut seen = Vec::new();
            for task in tasks {
                seen.push(task.await.unwrap().unwrap());
            }
            seen
        }
    };
    let first = burst(&client).await;
    assert_eq!(svc.token_requests(), 1, "one fetch for 100 concurrent requests on a cold cache");
    assert!(first.iter().all(|a| a.as_deref() == Some("Bearer token-1")));

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = burst(&client).await;
    assert_eq!(svc.token_requests(), 2, "one fetch for 100 concurrent requests after expiry");
    assert!(second.iter().all(|a| a.as_deref() == Some("Bearer token-2")), "{second:?}");
    // No request went out with the expired token (it would have got a 401).
    assert!(whoami_authorizations(&svc).iter().all(|a| a.is_some()));
    assert_eq!(whoami_authorizations(&svc).len(), 200);
}

#[tokio::test]
async fn a_401_fetches_a_fresh_token_and_retries_once() {
    let svc = ProductionService::start().await;
    let client = oauth2(&svc);
    assert_eq!(client.who_am_i().await.unwrap().authorization.as_deref(), Some("Bearer token-1"));
    svc.revoke_tokens();
    let me = client.who_am_i().await.unwrap();
    assert_eq!(me.authorization.as_deref(), Some("Bearer token-2"));
    assert_eq!(svc.token_requests(), 2);
    let sent = whoami_authorizations(&svc);
    assert_eq!(sent, [Some("Bearer token-1"), Some("Bearer token-1"), Some("Bearer token-2")].map(|s| s.map(str::to_owned)));
}

#[tokio::test]
async fn token_endpoint_failures_are_credentials_errors_that_show_no_secret() {
    let svc = ProductionService::start().await;
    let secret = "wrong-SECRET-value";
    let client = builder(&svc).oauth2_client_credentials(CLIENT_ID, secret).build().unwrap();
    let error = client.who_am_i().await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Credentials);
    assert_eq!(error.to_string(), "the OAuth2 token endpoint answered 401 (invalid_client)");
    let text = format!("{error} {error:?} {client:?}");
    assert!(!text.contains("SECRET"), "{text}");
    assert!(whoami_authorizations(&svc).is_empty(), "the API was not called");
}

/// The log of a provider: `is_refresh()` of each call.
type Calls = Arc<Mutex<Vec<bool>>>;

/// A provider (of either client's `TokenRequest`) that hands out `tokens`
/// in turn and logs what it was asked.
fn provider<R: 'static>(
    tokens: &[&str],
    is_refresh: fn(&R) -> bool,
) -> (Calls, impl Fn(R) -> std::future::Ready<Result<String, std::io::Error>> + Send + Sync + 'static) {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&calls);
    let tokens: Vec<String> = tokens.iter().map(|t| (*t).to_owned()).collect();
    let f = move |request: R| {
        let mut log = log.lock().unwrap();
        log.push(is_refresh(&request));
        let token = tokens[(log.len() - 1).min(tokens.len() - 1)].clone();
        std::future::ready(Ok(token))
    };
    (calls, f)
}

#[tokio::test]
async fn a_token_provider_is_asked_per_request_and_once_more_after_a_401() {
    let svc = ContactService::start(TOKEN).await;
    let mut contact = sample_contact();
    contact.as_object_mut().unwrap().remove("id");
    let id = svc.seed(contact);
    let update = nedzo_client::types::ContactUpdate { city: nedzo_client::Nullable::Null, ..Default::default() };

    // A stale token first; the fresh one when asked to refresh.
    let (calls, provider_fn) = provider(&["stale-token", TOKEN, TOKEN], nedzo_client::TokenRequest::is_refresh);
    let client = nedzo_client::Client::builder(&svc.base_url()).bearer_token_provider(provider_fn).build().unwrap();
    let resp = client.update_contact(&id, &update).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(*calls.lock().unwrap(), [false, true]);
    let sent: Vec<_> = svc.requests().iter().map(|r| r.header("authorization").unwrap().to_owned()).collect();
    assert_eq!(sent, ["Bearer stale-token".to_owned(), format!("Bearer {TOKEN}")]);

    // The next request asks the provider again (it may cache; this one does not).
    client.update_contact(&id, &update).await.unwrap();
    assert_eq!(*calls.lock().unwrap(), [false, true, false]);

    // A token that stays wrong: exactly one retry, then the 401.
    svc.clear_requests();
    let (calls, provider_fn) = provider(&["wrong-1", "wrong-2"], nedzo_client::TokenRequest::is_refresh);
    let client = nedzo_client::Client::builder(&svc.base_url()).bearer_token_provider(provider_fn).build().unwrap();
    let error = client.update_contact(&id, &update).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(*calls.lock().unwrap(), [false, true]);
    assert_eq!(svc.requests().len(), 2);

    // A provider that fails: a Credentials error, nothing sent.
    svc.clear_requests();
    let client = nedzo_client::Client::builder(&svc.base_url())
        .bearer_token_provider(|_| async { Err::<String, _>(std::io::Error::other("vault unreachable")) })
        .build()
        .unwrap();
    let error = client.update_contact(&id, &update).await.unwrap_err();
    assert_eq!(error.kind(), nedzo_client::ErrorKind::Credentials);
    assert!(format!("{error}").contains("vault unreachable"), "{error}");
    assert!(svc.requests().is_empty());
}

#[tokio::test]
async fn api_key_providers_fill_the_header_and_the_query() {
    let svc = ProductionService::start().await;
    let (header_calls, header_key) = provider(&["header-key-1"], TokenRequest::is_refresh);
    let (_, query_key) = provider(&["query-key-1"], TokenRequest::is_refresh);
    let client = builder(&svc).api_key_provider(header_key).query_key_provider(query_key).build().unwrap();
    let me = client.who_am_i().await.unwrap();
    assert_eq!(me.api_key.as_deref(), Some("header-key-1"));
    assert_eq!(me.query_key.as_deref(), Some("query-key-1"));
    assert_eq!(*header_calls.lock().unwrap(), [false]);
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    let api = ProductionService::start().await;
    let other = ProductionService::start().await;
    let urls = Arc::new(Mutex::new(Vec::new()));
    let hook_urls = Arc::clone(&urls);
    let client = builder(&api)
        .oauth2_client_credentials(CLIENT_ID, CLIENT_SECRET)
        .api_key("header-SECRET")
        .query_key("query-SECRET")
        .on_request(move |request| hook_urls.lock().unwrap().push(request.url().to_string()))
        .build()
        .unwrap();
    let elsewhere = format!("{}/whoami", other.base_url());
    for status in [301, 302, 303, 307, 308] {
        let me = client.redirect(&elsewhere).status(status).await.unwrap();
        assert_eq!(me.origin.as_deref(), Some(other.base_url().trim_start_matches("http://")), "{status}");
        assert_eq!((me.authorization.as_deref(), me.api_key.as_deref(), me.query_key.as_deref()), (None, None, None), "{status}");
    }
    // What arrived at the other origin: no credential of any kind.
    let seen = other.requests();
    assert_eq!(seen.len(), 5);
    for request in &seen {
        assert_eq!((request.header("authorization"), request.header("x-api-key")), (None, None));
        assert_eq!(request.query, None);
        assert_eq!(request.method, "GET");
    }
    // The API's own origin got them, on the first request and on a
    // redirect back to it.
    let me = client.redirect(&format!("{}/whoami", api.base_url())).await.unwrap();
    assert_eq!(me.authorization.as_deref(), Some("Bearer token-1"));
    assert_eq!(me.api_key.as_deref(), Some("header-SECRET"));
    assert_eq!(me.query_key.as_deref(), Some("query-SECRET"));
    for request in api.requests().iter().filter(|r| r.path != "/oauth/token") {
        assert_eq!(request.header("authorization"), Some("Bearer token-1"));
        assert_eq!(request.header("x-api-key"), Some("header-SECRET"));
        assert!(request.query.as_deref().is_some_and(|q| q.contains("api_key=query-SECRET")), "{:?}", request.query);
    }
    // A credential set by hand on one request follows the same rule; other
    // headers follow the redirect.
    let plain = builder(&api).build().unwrap();
    let me = plain.redirect(&elsewhere).header("authorization", "Bearer by-hand-SECRET").header("x-trace", "t-1").await.unwrap();
    assert_eq!(me.authorization, None);
    let last = other.requests().pop().unwrap();
    assert_eq!((last.header("authorization"), last.header("x-trace")), (None, Some("t-1")));
    let first = api.requests().pop().unwrap();
    assert_eq!(first.header("authorization"), Some("Bearer by-hand-SECRET"));

    // Hooks never see the query API key.
    let urls = urls.lock().unwrap();
    assert_eq!(urls.len(), 12);
    assert!(urls.iter().all(|u| !u.contains("SECRET")), "{urls:?}");
}

#[tokio::test]
async fn a_redirect_loop_ends_with_an_error_after_10_redirects() {
    let svc = ProductionService::start().await;
    let error = builder(&svc).build().unwrap().redirect("self").await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transport);
    assert_eq!(error.to_string(), "the server redirected more than 10 times");
    assert_eq!(svc.request_count(), 11);
}
