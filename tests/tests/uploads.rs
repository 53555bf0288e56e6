//! File uploads end to end: the generated `uploads-client`
//! (tests/fixtures/uploads.yaml) against the production reference service
//! (`integration_tests::production_service`) over TCP on 127.0.0.1. The
//! server parses each multipart body with `multer` and hashes every part as
//! it arrived; the tests compare those hashes, names, file names and content
//! types with what was sent.

use std::path::PathBuf;
use std::time::Duration;

use integration_tests::production_service::{ProductionService, ReceivedPart, sha256_hex};
use uploads_client::types::{Received, Upload, UploadFormBody, UploadMeta};
use uploads_client::{Client, ErrorKind, FilePart};

fn client(svc: &ProductionService) -> Client {
    Client::builder(&svc.base_url())
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(50))
        .build()
        .unwrap()
}

/// Every byte value, in order.
fn all_bytes() -> Vec<u8> {
    (0..=255u8).collect()
}

/// `len` pseudo-random bytes (a fixed xorshift sequence).
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Writes `data` to a file under the test target directory.
fn temp_file(name: &str, data: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("uploads");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    path
}

fn part<'a>(received: &'a [ReceivedPart], name: &str) -> Vec<&'a ReceivedPart> {
    received.iter().filter(|p| p.name == name).collect()
}

/// The parts as the server reported them in its answer, in the service's
/// own type (the answer and the server's log must agree).
fn answered(received: &Received) -> Vec<ReceivedPart> {
    received
        .parts
        .iter()
        .map(|p| ReceivedPart {
            name: p.name.clone(),
            file_name: p.file_name.clone(),
            content_type: p.content_type.clone(),
            size: p.size as u64,
            sha256: p.sha256.clone(),
            text: p.text.clone(),
        })
        .collect()
}

#[tokio::test]
async fn all_256_byte_values_and_a_20_mb_file_arrive_intact_with_names_types_and_text_fields() {
    let svc = ProductionService::start().await;
    let big = noise(20 * 1024 * 1024);
    let big_path = temp_file("photo-20mb.jpg", &big);
    let avatar = noise(1000);
    let upload = Upload {
        title: "Grüße \"quoted\"\r\nsecond line".to_owned(),
        tags: Some(vec!["a".to_owned(), "b c".to_owned()]),
        count: Some(3),
        meta: Some(UploadMeta { source: Some("e2e".to_owned()) }),
        document: FilePart::bytes(all_bytes()).file_name("all bytes.bin").mime("application/x-test"),
        avatar: Some(FilePart::bytes(avatar.clone())),
        photos: Some(vec![FilePart::path(&big_path), FilePart::bytes(Vec::new()).file_name("empty.txt").mime("text/plain")]),
    };
    let resp = client(&svc).upload_files(&upload).await.unwrap();

    let uploads = svc.uploads();
    assert_eq!(uploads.len(), 1);
    let got = &uploads[0];
    assert_eq!(answered(&resp), *got, "the answer is what the server logged");
    let names: Vec<&str> = got.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["title", "tags", "tags", "count", "meta", "document", "avatar", "photos", "photos"]);

    // Text fields next to the files: exact text, arrays as repeated parts,
    // objects as JSON with the spec's `encoding` content type.
    let text = |name: &str| part(got, name).iter().map(|p| p.text.clone().unwrap()).collect::<Vec<_>>();
    assert_eq!(text("title"), ["Grüße \"quoted\"\r\nsecond line"]);
    assert_eq!(text("tags"), ["a", "b c"]);
    assert_eq!(text("count"), ["3"]);
    assert_eq!(text("meta"), [r#"{"source":"e2e"}"#]);
    assert_eq!(part(got, "meta")[0].content_type.as_deref(), Some("application/json"));
    assert_eq!(part(got, "title")[0].content_type, None);
    assert!(part(got, "title")[0].file_name.is_none());

    // All 256 byte values: the part's own file name and media type.
    let document = part(got, "document")[0];
    assert_eq!(document.size, 256);
    assert_eq!(document.sha256, sha256_hex(&all_bytes()));
    assert_eq!(document.file_name.as_deref(), Some("all bytes.bin"));
    assert_eq!(document.content_type.as_deref(), Some("application/x-test"));

    // No file name or media type given: the field name, and the spec's
    // `encoding` (`avatar: image/png`).
    let avatar_part = part(got, "avatar")[0];
    assert_eq!(avatar_part.sha256, sha256_hex(&avatar));
    assert_eq!(avatar_part.file_name.as_deref(), Some("avatar"));
    assert_eq!(avatar_part.content_type.as_deref(), Some("image/png"));

    // 20 MB read from disk: the path's file name; the spec's encoding is a
    // list (`image/png, image/jpeg`), so the default media type.
    let photos = part(got, "photos");
    assert_eq!(photos[0].size, big.len() as u64);
    assert_eq!(photos[0].sha256, sha256_hex(&big));
    assert_eq!(photos[0].file_name.as_deref(), Some("photo-20mb.jpg"));
    assert_eq!(photos[0].content_type.as_deref(), Some("application/octet-stream"));
    assert_eq!((photos[1].size, photos[1].file_name.as_deref(), photos[1].content_type.as_deref()), (0, Some("empty.txt"), Some("text/plain")));

    // Sent with a length (every part's size is known), not chunked.
    let request = &svc.requests()[0];
    assert!(request.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
    assert!(request.header("content-length").is_some_and(|n| n.parse::<u64>().unwrap() > big.len() as u64));
}

#[tokio::test]
async fn a_retried_upload_sends_identical_content_and_rereads_the_file() {
    let svc = ProductionService::start().await;
    let data = noise(3 * 1024 * 1024 + 7);
    let path = temp_file("retried.bin", &data);
    svc.fail_next(1, 503);
    let upload = Upload {
        title: "retry".to_owned(),
        tags: None,
        count: None,
        meta: None,
        document: FilePart::path(&path).mime("application/x-test"),
        avatar: None,
        photos: Some(vec![FilePart::bytes(all_bytes())]),
    };
    let resp = client(&svc).upload_files(&upload).await.unwrap();
    let uploads = svc.uploads();
    assert_eq!(svc.request_count(), 2, "one retry after the 503");
    assert_eq!(uploads.len(), 2, "the server read both attempts");
    assert_eq!(uploads[0], uploads[1], "both attempts carried the same parts");
    assert_eq!(answered(&resp), uploads[1]);
    assert_eq!(part(&uploads[1], "document")[0].sha256, sha256_hex(&data));
    // Each attempt has a boundary of its own.
    let boundaries: Vec<String> = svc.requests().iter().map(|r| r.header("content-type").unwrap().to_owned()).collect();
    assert_ne!(boundaries[0], boundaries[1]);
}

/// A stream of chunks from a list.
struct Chunks(std::vec::IntoIter<Vec<u8>>);

impl futures_core::Stream for Chunks {
    type Item = Result<Vec<u8>, std::io::Error>;
    fn poll_next(mut self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        std::task::Poll::Ready(self.0.next().map(Ok))
    }
}

fn chunked(data: &[u8], size: usize) -> Chunks {
    Chunks(data.chunks(size).map(<[u8]>::to_vec).collect::<Vec<_>>().into_iter())
}

#[tokio::test]
async fn binary_bodies_from_bytes_a_path_and_a_stream_arrive_intact() {
    let svc = ProductionService::start().await;
    let client = client(&svc);
    let big = noise(20 * 1024 * 1024 + 3);
    let path = temp_file("body.bin", &big);
    let from_bytes = client.upload_raw(big.clone()).await.unwrap();
    let from_slice = client.upload_raw(&all_bytes()[..]).await.unwrap();
    let from_path = client.upload_raw(FilePart::path(&path)).await.unwrap();
    let from_stream = client.upload_raw(FilePart::stream(chunked(&big, 100_000))).await.unwrap();
    for (resp, data) in [(&from_bytes, &big), (&from_slice, &all_bytes()), (&from_path, &big), (&from_stream, &big)] {
        assert_eq!(resp.parts.len(), 1);
        assert_eq!((resp.parts[0].size as usize, resp.parts[0].sha256.as_str()), (data.len(), sha256_hex(data).as_str()));
        assert_eq!(resp.parts[0].content_type.as_deref(), Some("application/octet-stream"));
    }
    let requests = svc.requests();
    assert_eq!(requests[2].header("content-length"), Some(big.len().to_string().as_str()), "a file is sent with its length");
    assert_eq!(requests[3].header("transfer-encoding"), Some("chunked"), "a stream has no length");

    // An optional binary body of another media type: the spec's, or the part's own.
    let png = client.upload_image().body(FilePart::bytes(all_bytes())).await.unwrap();
    assert_eq!(png.parts[0].content_type.as_deref(), Some("image/png"));
    let webp = client.upload_image().body(FilePart::bytes(all_bytes()).mime("image/webp")).await.unwrap();
    assert_eq!(webp.parts[0].content_type.as_deref(), Some("image/webp"));
    let none = client.upload_image().await.unwrap();
    assert_eq!((none.parts[0].size, none.parts[0].content_type.as_deref()), (0, None));
}

#[tokio::test]
async fn a_stream_body_is_sent_once_and_never_retried() {
    let svc = ProductionService::start().await;
    svc.fail_next(1, 503);
    let error = client(&svc).upload_raw(FilePart::stream(chunked(b"once", 2))).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(svc.request_count(), 1, "a stream cannot be sent again");
}

#[tokio::test]
async fn a_urlencoded_form_carries_the_files_bytes() {
    let svc = ProductionService::start().await;
    let body = UploadFormBody { label: Some("a&b=c d".to_owned()), data: FilePart::bytes(all_bytes()) };
    let resp = client(&svc).upload_form(&body).await.unwrap();
    assert_eq!(svc.requests()[0].header("content-type"), Some("application/x-www-form-urlencoded"));
    let got = &svc.uploads()[0];
    assert_eq!(answered(&resp), *got);
    assert_eq!(part(got, "label")[0].text.as_deref(), Some("a&b=c d"));
    assert_eq!(part(got, "data")[0].sha256, sha256_hex(&all_bytes()));
}

#[tokio::test]
async fn a_missing_file_is_a_request_error_naming_it_and_nothing_is_sent() {
    let svc = ProductionService::start().await;
    let missing = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("uploads/does-not-exist.bin");
    let error = client(&svc).upload_raw(FilePart::path(&missing)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Request);
    assert!(error.to_string().contains("does-not-exist.bin"), "{error}");
    assert_eq!(svc.request_count(), 0);
}

#[tokio::test]
async fn a_buffered_body_over_the_limit_is_an_error_that_says_so() {
    let svc = ProductionService::start().await;
    let limit = 1024 * 1024;
    let client = Client::builder(&svc.base_url()).max_response_body_size(limit).build().unwrap();

    let at_limit = client.get_big(&(limit as i64)).await.unwrap();
    assert_eq!(at_limit.len(), limit);

    let error = client.get_big(&(limit as i64 + 1)).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    assert!(error.to_string().contains("larger than the limit of 1048576 bytes"), "{error}");

    // No length announced and no end: the client stops at the limit (the
    // call returns instead of reading forever).
    let started = std::time::Instant::now();
    let error = tokio::time::timeout(Duration::from_secs(20), client.get_big(&0).endless(true)).await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::BodyTooLarge);
    assert!(started.elapsed() < Duration::from_secs(20));

    // The default limit is 64 MiB.
    assert_eq!(uploads_client::DEFAULT_MAX_RESPONSE_BODY_SIZE, 64 * 1024 * 1024);
}
