//! Wire tests for every parameter style: one call of every fixture operation
//! that has parameters, against a recording server on 127.0.0.1, asserting
//! the exact query string, headers, cookies and body that arrived.

use integration_tests::recorder::Recorder;

#[tokio::test]
async fn enum_query_parameters_are_sent_as_their_wire_values() {
    use enum_edge_cases_client::Client;
    use enum_edge_cases_client::types::{SearchLevel, SearchOrder};
    let server = Recorder::start().await;
    let client = Client::new(server.base_url()).unwrap();
    client.search().order(SearchOrder::Desc2).level(SearchLevel::V_2).await.unwrap();
    let got = server.take();
    assert_eq!(got.method, "GET");
    assert_eq!(got.path, "/search");
    assert_eq!(got.query.as_deref(), Some("order=DESC&level=2"));
}
