//! Wire tests for every parameter style: one call of every fixture operation
//! that has parameters or a body (the fixture clients under
//! `tests/clients/`), with every setter used, against a recording server on
//! 127.0.0.1. Each test asserts the exact path, query string, headers
//! (cookies included) and body that arrived; a second call with only the
//! required inputs shows what is left out.
//!
//! Query strings are `application/x-www-form-urlencoded` as the runtime
//! writes them: `,` is `%2C`, `[`/`]` are `%5B`/`%5D`, `|` is `%7C`, `:` is
//! `%3A` and a space is `+`.

use std::collections::BTreeMap;
use std::time::Duration;

use integration_tests::recorder::{RecordedRequest, Recorder};

/// The headers a request carried, except the ones every request has
/// (`host`, `user-agent`, `accept`, `content-length`), by lowercase name;
/// repeated headers joined with `" | "`.
fn headers(r: &RecordedRequest) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &r.headers {
        if ["host", "user-agent", "accept", "content-length"].contains(&name.as_str()) {
            continue;
        }
        let value = value.to_str().unwrap_or("<not text>").to_owned();
        out.entry(name.as_str().to_owned()).and_modify(|v| *v = format!("{v} | {value}")).or_insert(value);
    }
    out
}

/// `[(name, value)]` as the map [`headers`] returns.
fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn body_text(r: &RecordedRequest) -> &str {
    std::str::from_utf8(&r.body).expect("a text body")
}

fn uuid(text: &str) -> uuid::Uuid {
    text.parse().expect("a uuid")
}

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().expect("a date")
}

#[tokio::test]
async fn query_styles_form_deep_object_arrays_headers_and_cookies() {
    use query_styles_client::Client;
    use query_styles_client::types::{Page, SearchFilter, SearchKind};
    let server = Recorder::start().await;
    server.reply(200, r#"["a"]"#);
    let client = Client::new(server.base_url()).unwrap();
    let when: chrono::DateTime<chrono::Utc> = "2024-01-02T03:04:05Z".parse().unwrap();

    let found = client
        .search(&SearchKind::B, &when, "s1")
        // Setters in another order than the spec's: the query keeps spec order.
        .theme("dark")
        .tags(["x", "y z"])
        .filter(SearchFilter { owner: Some("ada".to_owned()), min_size: Some(3) })
        .page(Page { limit: Some(10), offset: Some(20) })
        .ids([1, 2])
        .x_trace(vec!["t1".to_owned(), "t2".to_owned()])
        .await
        .unwrap();
    assert_eq!(*found, ["a"]);
    let got = server.take();
    assert_eq!((got.method.as_str(), got.path.as_str()), ("GET", "/search/b"));
    assert_eq!(
        got.query.as_deref(),
        Some("filter%5Bowner%5D=ada&filter%5Bmin_size%5D=3&limit=10&offset=20&ids=1%2C2&tags=x&tags=y+z&when=2024-01-02T03%3A04%3A05Z")
    );
    assert_eq!(headers(&got), map(&[("x-trace", "t1,t2"), ("cookie", "session=s1; theme=dark")]));
    assert!(got.body.is_empty());

    // Only the required inputs; a setter called twice keeps its last value.
    client.search(&SearchKind::Unknown("c d".to_owned()), &when, "s2").tags(["gone"]).tags(["kept"]).await.unwrap();
    let got = server.take();
    assert_eq!(got.path, "/search/c%20d");
    assert_eq!(got.query.as_deref(), Some("tags=kept&when=2024-01-02T03%3A04%3A05Z"));
    assert_eq!(headers(&got), map(&[("cookie", "session=s2")]));
}

#[tokio::test]
async fn every_type_in_every_location_and_style() {
    use param_types_client::Client;
    use param_types_client::types::{Filter, Kind, Level, Range};
    let server = Recorder::start().await;
    server.reply(200, "[]");
    let client = Client::new(server.base_url()).unwrap();
    let id = uuid("3c90c3cc-0d44-4b50-8888-8dd25736052a");

    client
        .list_items(&Kind::ExtraLarge, &date("2024-02-29"), &id, &true, &-7, &Kind::Small, "sess")
        .ratio(0.5)
        .big(9_007_199_254_740_993)
        .when("2024-01-02T03:04:05.5Z".parse().unwrap())
        .on(date("2024-12-31"))
        .r#ref(uuid("00000000-0000-0000-0000-000000000001"))
        .kind(Kind::Big)
        .level(Level::V_2)
        .code("a&b=c")
        .kinds([Kind::Small, Kind::from("huge")])
        .levels([Level::V_1, Level(9)])
        .uuids([id])
        .words(["a", "b c"])
        .piped([1, 2, 3])
        .range(Range { min: Some(1), max: Some(5) })
        .filter(Filter { owner: Some("ada".to_owned()), tags: Some(vec!["x".to_owned(), "y".to_owned()]), active: Some(false) })
        .page(Range { min: None, max: Some(50) })
        .text("ünï cödé")
        .x_ids([4, 5])
        .x_flag(false)
        .x_range(Range { min: Some(0), max: None })
        .limit(25)
        .mode(Kind::Big)
        .await
        .unwrap();
    let got = server.take();
    assert_eq!(got.path, "/items/extra-large/2024-02-29/3c90c3cc-0d44-4b50-8888-8dd25736052a.json");
    let expected_query = [
        "flag=true",
        "count=-7",
        "ratio=0.5",
        "big=9007199254740993",
        "when=2024-01-02T03%3A04%3A05.500Z",
        "on=2024-12-31",
        "ref=00000000-0000-0000-0000-000000000001",
        "kind=big",
        "level=2",
        "code=a%26b%3Dc",
        "kinds=small",
        "kinds=huge",
        "levels=1%2C9",
        "uuids=3c90c3cc-0d44-4b50-8888-8dd25736052a",
        "words=a+b+c",
        "piped=1%7C2%7C3",
        "range=min%2C1%2Cmax%2C5",
        "filter%5Bowner%5D=ada",
        "filter%5Btags%5D=x",
        "filter%5Btags%5D=y",
        "filter%5Bactive%5D=false",
        "max=50",
        "text=%C3%BCn%C3%AF+c%C3%B6d%C3%A9",
    ]
    .join("&");
    assert_eq!(got.query.as_deref(), Some(expected_query.as_str()));
    assert_eq!(
        headers(&got),
        map(&[
            ("x-kind", "small"),
            ("x-ids", "4,5"),
            ("x-flag", "false"),
            ("x-range", "min,0"),
            ("cookie", "session=sess; limit=25; mode=big"),
        ])
    );

    // Required inputs only.
    client.list_items(&Kind::Small, &date("2024-01-01"), &id, &false, &0, &Kind::Big, "s").await.unwrap();
    let got = server.take();
    assert_eq!(got.path, "/items/small/2024-01-01/3c90c3cc-0d44-4b50-8888-8dd25736052a.json");
    assert_eq!(got.query.as_deref(), Some("flag=false&count=0"));
    assert_eq!(headers(&got), map(&[("x-kind", "big"), ("cookie", "session=s")]));
}

/// The review's bug: an enum or integer-enum query parameter went through
/// `query_object` and failed with a `Request` error on every call.
#[tokio::test]
async fn enum_query_parameters_are_sent_as_their_wire_values() {
    use enum_edge_cases_client::Client;
    use enum_edge_cases_client::types::{SearchLevel, SearchOrder};
    let server = Recorder::start().await;
    let client = Client::new(server.base_url()).unwrap();
    client.search().order(SearchOrder::Desc2).level(SearchLevel::V_2).await.unwrap();
    let got = server.take();
    assert_eq!((got.method.as_str(), got.path.as_str()), ("GET", "/search"));
    assert_eq!(got.query.as_deref(), Some("order=DESC&level=2"));
    client.search().await.unwrap();
    assert_eq!(server.take().query, None);
}

#[tokio::test]
async fn enum_variant_named_like_a_trait_item_is_its_wire_value() {
    use enum_variant_names_client::Client;
    use enum_variant_names_client::types::Tier;
    let server = Recorder::start().await;
    server.reply(200, r#""Ok""#);
    let client = Client::new(server.base_url()).unwrap();
    let tier = client.list_tiers().tier(Tier::Err).await.unwrap();
    assert_eq!(*tier, Tier::Ok);
    assert_eq!(server.take().query.as_deref(), Some("tier=Err"));
    client.list_tiers().tier(Tier::from("as_str")).await.unwrap();
    assert_eq!(server.take().query.as_deref(), Some("tier=as_str"));
}

#[tokio::test]
async fn path_parameters_arrays_uuid_header_cookie_and_raw_body() {
    use params_responses_client::Client;
    let server = Recorder::start().await;
    server.reply(200, r#"{"name": "f"}"#);
    let client = Client::new(server.base_url()).unwrap();
    let request_id = uuid("9a4c0b6e-5d41-4f1e-9e3a-2b7c8d9e0f11");
    client.get_file(&7, "a b.txt", &5).tags(["t1", "t2"]).ids([3, 4]).x_request_id(request_id).session("s").await.unwrap();
    let got = server.take();
    assert_eq!(got.path, "/users/7/files/a%20b.txt.json");
    assert_eq!(got.query.as_deref(), Some("limit=5&tags=t1&tags=t2&ids=3%2C4"));
    assert_eq!(headers(&got), map(&[("x-request-id", "9a4c0b6e-5d41-4f1e-9e3a-2b7c8d9e0f11"), ("cookie", "session=s")]));

    client.get_file(&-1, "f", &0).await.unwrap();
    let got = server.take();
    assert_eq!((got.path.as_str(), got.query.as_deref()), ("/users/-1/files/f.json", Some("limit=0")));
    assert_eq!(headers(&got), map(&[]));

    server.reply_text(200, "stored");
    let text = client.upload(&[0, 159, 146, 150]).await.unwrap();
    assert_eq!(*text, "stored");
    let got = server.take();
    assert_eq!((got.method.as_str(), got.path.as_str(), got.query.as_deref()), ("POST", "/upload", None));
    assert_eq!(headers(&got), map(&[("content-type", "application/octet-stream")]));
    assert_eq!(got.body, [0, 159, 146, 150]);
}

#[tokio::test]
async fn bodies_required_optional_present_and_absent() {
    use bodies_client::Client;
    use bodies_client::types::{Note, SendFormBody, SendMultipartBody};
    let server = Recorder::start().await;
    let client = Client::new(server.base_url()).unwrap();

    // Optional JSON body: absent, then present.
    server.reply(200, r#"{"text": "back"}"#);
    client.send_json().await.unwrap();
    let got = server.take();
    assert!(got.body.is_empty());
    assert_eq!(headers(&got), map(&[]));
    client.send_json().body(Note { text: "hi \"you\"".to_owned() }).await.unwrap();
    let got = server.take();
    assert_eq!(body_text(&got), r#"{"text":"hi \"you\""}"#);
    assert_eq!(headers(&got), map(&[("content-type", "application/json")]));

    server.reply(204, "");
    client.send_form(&SendFormBody { grant_type: "client credentials".to_owned(), scope: None, count: Some(2) }).await.unwrap();
    let got = server.take();
    assert_eq!(body_text(&got), "grant_type=client+credentials&count=2");
    assert_eq!(headers(&got), map(&[("content-type", "application/x-www-form-urlencoded")]));

    server.reply(201, r#"{"id": "1"}"#);
    let multipart = SendMultipartBody { title: Some("T".to_owned()), tags: Some(vec!["a".to_owned(), "b".to_owned()]), file: None };
    client.send_multipart(&multipart).await.unwrap();
    let got = server.take();
    let content_type = headers(&got)["content-type"].clone();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart content type");
    let part = |name: &str, value: &str| format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
    assert_eq!(body_text(&got), format!("{}{}{}--{boundary}--\r\n", part("title", "T"), part("tags", "a"), part("tags", "b")));

    server.reply_text(200, "a,b");
    client.send_text("line 1\nline 2").await.unwrap();
    let got = server.take();
    assert_eq!((got.method.as_str(), body_text(&got)), ("PUT", "line 1\nline 2"));
    assert_eq!(headers(&got), map(&[("content-type", "text/plain")]));

    server.reply(200, "");
    client.send_binary().await.unwrap();
    let got = server.take();
    assert!(got.body.is_empty());
    assert_eq!(headers(&got), map(&[]));
    client.send_binary().body(vec![137, 80, 78, 71]).await.unwrap();
    let got = server.take();
    assert_eq!(got.body, [137, 80, 78, 71]);
    assert_eq!(headers(&got), map(&[("content-type", "image/png")]));

    server.reply(202, "");
    client.send_several(&Note { text: "n".to_owned() }).await.unwrap();
    let got = server.take();
    assert_eq!(body_text(&got), r#"{"text":"n"}"#);
    assert_eq!(headers(&got), map(&[("content-type", "application/json")]));
}

#[tokio::test]
async fn nested_inline_body_is_sent_as_json() {
    use inline_nesting_client::Client;
    use inline_nesting_client::types::{CreateOrderBody, CreateOrderBodyCustomer, CreateOrderBodyLinesItem, CreateOrderBodyLinesItemOptionsItem};
    use inline_nesting_client::types::CreateOrderBodyLinesItemOptionsItemValue as Value;
    let server = Recorder::start().await;
    server.reply(200, "{}");
    let client = Client::new(server.base_url()).unwrap();
    let order = CreateOrderBody {
        customer: CreateOrderBodyCustomer::default(),
        lines: Some(vec![CreateOrderBodyLinesItem {
            sku: Some("s1".to_owned()),
            options: Some(vec![CreateOrderBodyLinesItemOptionsItem { name: Some("size".to_owned()), value: Some(Value::Large) }]),
        }]),
    };
    let _ = client.create_order(&order).await;
    let got = server.take();
    assert_eq!((got.method.as_str(), got.path.as_str(), got.query.as_deref()), ("POST", "/orders", None));
    assert_eq!(headers(&got), map(&[("content-type", "application/json")]));
    assert_eq!(body_text(&got), r#"{"customer":{},"lines":[{"sku":"s1","options":[{"name":"size","value":"large"}]}]}"#);
}

#[tokio::test]
async fn component_parameters_override_path_level_ones() {
    use component_refs_client::Client;
    use component_refs_client::types::Thing;
    let server = Recorder::start().await;
    server.reply(200, "{}");
    let client = Client::new(server.base_url()).unwrap();
    let id = uuid("3c90c3cc-0d44-4b50-8888-8dd25736052a");
    // The operation's integer `verbose` replaces the path item's boolean one.
    client.get_thing(&id).page(2).verbose(3).await.unwrap();
    let got = server.take();
    assert_eq!(got.path, "/things/3c90c3cc-0d44-4b50-8888-8dd25736052a");
    assert_eq!(got.query.as_deref(), Some("page=2&verbose=3"));
    // `put` keeps the path item's boolean `verbose`.
    client.put_thing(&id, &Thing { id: Some(id) }).verbose(true).await.unwrap();
    let got = server.take();
    assert_eq!((got.method.as_str(), got.query.as_deref()), ("PUT", Some("verbose=true")));
    assert_eq!(body_text(&got), r#"{"id":"3c90c3cc-0d44-4b50-8888-8dd25736052a"}"#);
    server.reply(204, "");
    client.dangling("x").await.unwrap();
    assert_eq!(server.take().path, "/dangling/x");
}

#[tokio::test]
async fn parameters_named_like_keywords_and_generated_names() {
    use param_names_client::Client;
    use param_names_client::types::DoThingBody;
    let server = Recorder::start().await;
    server.reply(200, r#"{"ok": true}"#);
    let client = Client::new(server.base_url()).unwrap();
    let body = DoThingBody { note: Some("n".to_owned()) };
    client
        .do_thing("r", &1, "c", "s", &2, &true, &body)
        .options("o")
        .timeout_2(3)
        .header_2("h")
        .send_2(false)
        .body_2("b")
        .into_future_2("f")
        .pages_2(4)
        .items_2(["i", "j"])
        .max_retries_2(5)
        .is_active(true)
        .as_of(date("2024-01-01"))
        .to_date(date("2024-01-31"))
        .from("fr")
        .add(6)
        .new("nw")
        .call("cl")
        .fmt("fm")
        .timeout_3("T")
        .error("e")
        // The request value's own options, next to setters with clashing names.
        .timeout(Duration::from_secs(5))
        .max_retries(0)
        .header("x-extra", "1")
        .await
        .unwrap();
    let got = server.take();
    assert_eq!((got.method.as_str(), got.path.as_str()), ("POST", "/things/r/1/c"));
    let expected_query = [
        "segments=s",
        "value=2",
        "response=true",
        "options=o",
        "timeout=3",
        "header=h",
        "send=false",
        "body=b",
        "into_future=f",
        "pages=4",
        "items=i",
        "items=j",
        "max_retries=5",
        "is_active=true",
        "as_of=2024-01-01",
        "to_date=2024-01-31",
        "from=fr",
        "add=6",
        "new=nw",
        "call=cl",
        "fmt=fm",
    ]
    .join("&");
    assert_eq!(got.query.as_deref(), Some(expected_query.as_str()));
    assert_eq!(
        headers(&got),
        map(&[("content-type", "application/json"), ("timeout", "T"), ("cookie", "error=e"), ("x-extra", "1")])
    );
    assert_eq!(body_text(&got), r#"{"note":"n"}"#);

    // An optional text body next to a parameter named `body`.
    server.reply(204, "");
    client.optional_body("p").body_2("q").await.unwrap();
    let got = server.take();
    assert_eq!((got.path.as_str(), got.query.as_deref()), ("/optional-body/p", Some("Body=q")));
    assert!(got.body.is_empty());
    client.optional_body("p").body("plain text").await.unwrap();
    let got = server.take();
    assert_eq!(body_text(&got), "plain text");
    assert_eq!(headers(&got), map(&[("content-type", "text/plain")]));
}

#[tokio::test]
async fn names_operations_without_ids_and_fixed_queries() {
    let server = Recorder::start().await;
    server.reply(200, "");
    {
        let client = names_client::Client::new(server.base_url()).unwrap();
        client.get("a/b").self_("me").await.unwrap();
        let got = server.take();
        assert_eq!((got.path.as_str(), got.query.as_deref()), ("/items/a%2Fb", Some("self=me")));
    }
    let client = no_operation_id_client::Client::new(server.base_url()).unwrap();
    client.get_users_id_avatar_png(&5).await.unwrap();
    assert_eq!(server.take().path, "/users/5/avatar.png");
    server.reply(204, "");
    client.delete_users_id_avatar_png(&6).await.unwrap();
    let got = server.take();
    assert_eq!((got.method.as_str(), got.path.as_str()), ("DELETE", "/users/6/avatar.png"));
    client.by_value("v w").await.unwrap();
    assert_eq!(server.take().query.as_deref(), Some("value=v+w"));
    client.get_rest_method_eq_flickr_test_echo_format_eq_json().name("n").await.unwrap();
    let got = server.take();
    assert_eq!((got.path.as_str(), got.query.as_deref()), ("/rest", Some("method=flickr.test.echo&format=json&name=n")));
    client.get_rest_method_eq_flickr_test_echo_format_eq_json().await.unwrap();
    assert_eq!(server.take().query.as_deref(), Some("method=flickr.test.echo&format=json"));
    server.reply(200, "");
    client.legacy().q("x").n(3).plain("p").await.unwrap();
    let got = server.take();
    assert_eq!((got.method.as_str(), got.query.as_deref()), ("POST", Some("q=x&n=3&plain=p")));
}

#[tokio::test]
async fn hostile_tolerant_and_fastapi_fixtures_send_their_parameters() {
    let server = Recorder::start().await;
    server.reply(200, "{}");
    let client = hostile_text_client::Client::new(server.base_url()).unwrap();
    client.get_note("id\u{202e}").await.unwrap();
    assert_eq!(server.take().path, "/notes/id%E2%80%AE");

    // Decoding is `e2e_decoding.rs`'s subject; here only the path matters.
    let client = tolerant_decoding_client::Client::new(server.base_url()).unwrap();
    let _ = client.get_contact("a b").await;
    assert_eq!(server.take().path, "/contacts/a%20b");

    server.reply(200, r#"{"status_code": 200, "message": "ok"}"#);
    let client = nedzo_fastapi_31_client::Client::new(server.base_url()).unwrap();
    let id = uuid("3c90c3cc-0d44-4b50-8888-8dd25736052a");
    let update = nedzo_fastapi_31_client::types::ContactUpdate { city: nedzo_fastapi_31_client::Nullable::Null, ..Default::default() };
    client.update_contact(&id, &update).await.unwrap();
    let got = server.take();
    assert_eq!((got.method.as_str(), got.path.as_str()), ("PATCH", "/v1/contact/3c90c3cc-0d44-4b50-8888-8dd25736052a"));
    assert_eq!(body_text(&got), r#"{"city":null}"#);
}
