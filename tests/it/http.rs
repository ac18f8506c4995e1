//! Streamable HTTP end to end: the real binary with `serve --http 127.0.0.1:0`, driven by rmcp's
//! HTTP client and by raw requests where status codes and headers are what is checked.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rmcp::ServiceExt;
use rmcp::model::{CallToolRequestParams, ReadResourceRequestParams};
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_streaming-skill");
const ACCEPT: &str = "application/json, text/event-stream";

/// A running server; killed when dropped.
struct Server {
    child: Child,
    url: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start(args: &[&str], token: Option<&str>) -> Self {
        let mut command = Command::new(BIN);
        command
            .args(["serve", "--http", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        command
            .env_remove("RUST_LOG")
            .env_remove("STREAMING_SKILL_TOKEN")
            .env_remove("STREAMING_SKILL_SESSION_TAG");
        if let Some(token) = token {
            command.env("STREAMING_SKILL_TOKEN", token);
        }
        let mut child = command.spawn().expect("spawn the server");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("streaming-skill: listening on ") {
                    let _ = tx.send(url.to_string());
                }
                sink.lock().unwrap().push(line);
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(20))
            .expect("the server announces its address");
        Server { child, url, log }
    }

    fn base(&self) -> String {
        self.url.trim_end_matches("/mcp").to_string()
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Polls `/healthz` until it answers 200 (within 20 s); every earlier answer must be 503
    /// `starting`. Returns how many `starting` answers came first.
    async fn wait_ready(&self) -> usize {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut starting = 0;
        loop {
            let health = reqwest::get(format!("{}/healthz", self.base())).await.unwrap();
            let status = health.status().as_u16();
            let body = health.text().await.unwrap();
            match status {
                200 => {
                    assert_eq!(body, "ready\n");
                    return starting;
                }
                503 => assert_eq!(body, "starting\n"),
                other => panic!("/healthz answered {other}: {body}"),
            }
            starting += 1;
            assert!(Instant::now() < deadline, "not ready after 20 s");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn initialize_body() -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "http-test", "version": "1"}}})
}

async fn post(client: &reqwest::Client, url: &str, body: &Value, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = client
        .post(url)
        .header("content-type", "application/json")
        .header("accept", ACCEPT)
        .json(body);
    for (k, v) in headers {
        request = request.header(*k, *v);
    }
    request.send().await.expect("the server answers")
}

async fn connect(url: &str, token: Option<&str>) -> rmcp::service::RunningService<rmcp::RoleClient, ()> {
    let mut config = StreamableHttpClientTransportConfig::with_uri(url.to_string());
    config.auth_header = token.map(str::to_string);
    ().serve(StreamableHttpClientTransport::from_config(config))
        .await
        .expect("initialize over HTTP")
}

#[tokio::test]
async fn full_mcp_exchange_over_http() {
    let server = Server::start(&[], None);
    let client = connect(&server.url, None).await;
    assert_eq!(
        client.peer_info().unwrap().server_info.as_ref().unwrap().name,
        "streaming-skill"
    );
    let tools = client.list_all_tools().await.unwrap();
    assert_eq!(tools.len(), streaming_skill::mcp::tools::names().len());
    let result = client
        .call_tool(
            CallToolRequestParams::new("search_references")
                .with_arguments(json!({"query": "consumer lag"}).as_object().cloned().unwrap()),
        )
        .await
        .unwrap();
    let uri = result.structured_content.unwrap()["hits"][0]["uri"]
        .as_str()
        .unwrap()
        .to_string();
    let read = client.read_resource(ReadResourceRequestParams::new(uri)).await.unwrap();
    assert!(!read.contents.is_empty());
    assert_eq!(client.list_all_prompts().await.unwrap().len(), 3);
    client.cancel().await.unwrap();

    server.wait_ready().await;
    let log = server.log();
    assert!(
        log.contains("method=POST") && log.contains("status=200"),
        "structured access log: {log}"
    );
}

/// A bad tool argument over HTTP is a tool result with `isError` that names the argument, as
/// over stdio (`bad_input::missing_and_unknown_arguments`), not a JSON-RPC error.
#[tokio::test]
async fn a_bad_tool_argument_is_an_error_result_naming_it_over_http() {
    let server = Server::start(&[], None);
    let client = connect(&server.url, None).await;
    for (tool, arguments, expected) in [
        (
            "search_references",
            json!({"query": "lag", "limit": "five"}),
            "search_references: invalid argument `limit`: invalid type: string \"five\", expected usize",
        ),
        (
            "route_request",
            json!({"request": "kafka", "extra": 1}),
            "route_request: invalid argument `extra`: unknown field `extra`, expected `request`",
        ),
        (
            "evaluate_stream_health",
            json!({"consumer_lag_seconds": "a lot"}),
            "evaluate_stream_health: invalid argument `consumer_lag_seconds`: invalid type: string \"a lot\", expected f64",
        ),
    ] {
        let result = client
            .call_tool(CallToolRequestParams::new(tool).with_arguments(arguments.as_object().cloned().unwrap()))
            .await
            .expect("a tool result, not a JSON-RPC error");
        assert_eq!(result.is_error, Some(true), "{tool}");
        assert_eq!(result.content[0].as_text().unwrap().text, expected);
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn bearer_token_is_required_and_never_logged() {
    let token = "s3cret-token-for-tests";
    let server = Server::start(&[], Some(token));
    let http = reqwest::Client::new();
    for auth in [
        None,
        Some("Bearer wrong-token-for-tests"),
        Some("Bearer s3cret-token-for-test"),
        Some(token),
    ] {
        let headers: Vec<(&str, &str)> = auth.map(|a| vec![("authorization", a)]).unwrap_or_default();
        let response = post(&http, &server.url, &initialize_body(), &headers).await;
        assert_eq!(response.status(), 401, "{auth:?}");
        let challenge = response
            .headers()
            .get("www-authenticate")
            .expect("a WWW-Authenticate header")
            .to_str()
            .unwrap();
        assert!(challenge.starts_with("Bearer"), "{challenge}");
    }
    let response = post(
        &http,
        &server.url,
        &initialize_body(),
        &[("authorization", &format!("Bearer {token}"))],
    )
    .await;
    assert_eq!(response.status(), 200);
    let client = connect(&server.url, Some(token)).await;
    assert_eq!(
        client.list_all_tools().await.unwrap().len(),
        streaming_skill::mcp::tools::names().len()
    );
    client.cancel().await.unwrap();
    // Health checks need no token.
    server.wait_ready().await;
    assert!(!server.log().contains(token), "the token appears in the log");
}

#[tokio::test]
async fn foreign_origin_and_host_are_refused() {
    let server = Server::start(&["--allowed-origin", "http://localhost:6274"], None);
    let http = reqwest::Client::new();
    let response = post(
        &http,
        &server.url,
        &initialize_body(),
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(response.status(), 403);
    let response = post(
        &http,
        &server.url,
        &initialize_body(),
        &[("origin", "http://localhost:6274")],
    )
    .await;
    assert_eq!(response.status(), 200);
    let response = post(&http, &server.url, &initialize_body(), &[("host", "evil.example:80")]).await;
    assert_eq!(response.status(), 403);
}

/// Without `--allowed-origin`, a browser origin is still checked: only loopback origins on the
/// bound port pass; a request without `Origin` is not affected.
#[tokio::test]
async fn origin_is_checked_by_default() {
    let server = Server::start(&[], None);
    let http = reqwest::Client::new();
    let port = server
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/mcp")
        .to_string();
    for (origin, status) in [
        ("https://evil.example.com".to_string(), 403),
        ("http://localhost:6274".to_string(), 403),
        (format!("http://127.0.0.1:{port}"), 200),
        (format!("http://localhost:{port}"), 200),
    ] {
        let response = post(&http, &server.url, &initialize_body(), &[("origin", &origin)]).await;
        assert_eq!(response.status(), status, "Origin: {origin}");
    }
    let response = post(&http, &server.url, &initialize_body(), &[]).await;
    assert_eq!(response.status(), 200, "a request without Origin");
}

/// The conformance suite's DNS-rebinding scenario: Host and Origin both set to an attacker's
/// name get a 4xx; both set to the server's own loopback address get a 2xx.
#[tokio::test]
async fn dns_rebinding_with_host_and_origin_is_refused() {
    let server = Server::start(&[], None);
    let http = reqwest::Client::new();
    let own = server.base().trim_start_matches("http://").to_string();
    let evil = "evil.example.com";
    let response = post(
        &http,
        &server.url,
        &initialize_body(),
        &[("host", evil), ("origin", &format!("http://{evil}"))],
    )
    .await;
    assert!(response.status().is_client_error(), "{}", response.status());
    let response = post(
        &http,
        &server.url,
        &initialize_body(),
        &[("host", &own), ("origin", &format!("http://{own}"))],
    )
    .await;
    assert!(response.status().is_success(), "{}", response.status());
}

#[test]
fn public_bind_without_allowed_hosts_is_refused() {
    let output = Command::new(BIN)
        .args(["serve", "--http", "0.0.0.0:0"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("refusing to listen on 0.0.0.0:0 without --allowed-host"),
        "{err}"
    );
}

/// Initializes a session with raw requests and returns its `Mcp-Session-Id`.
async fn raw_session(http: &reqwest::Client, url: &str) -> String {
    let response = post(http, url, &initialize_body(), &[]).await;
    assert_eq!(response.status(), 200);
    let id = response.headers()["mcp-session-id"].to_str().unwrap().to_string();
    let _ = response.text().await;
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let response = post(
        http,
        url,
        &initialized,
        &[("mcp-session-id", &id), ("mcp-protocol-version", "2025-11-25")],
    )
    .await;
    assert_eq!(response.status(), 202);
    id
}

/// The status of a `tools/list` sent in session `id`.
async fn list_tools_status(http: &reqwest::Client, url: &str, id: &str) -> u16 {
    let list = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"});
    let response = post(
        http,
        url,
        &list,
        &[("mcp-session-id", id), ("mcp-protocol-version", "2025-11-25")],
    )
    .await;
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    if status == 200 {
        assert!(body.contains("search_references"), "{body}");
    }
    status
}

#[tokio::test]
async fn a_session_tag_starts_every_session_id_and_foreign_ids_get_404() {
    let server = Server::start(&["--session-tag", "r7"], None);
    let http = reqwest::Client::new();
    let id = raw_session(&http, &server.url).await;
    let random = id.strip_prefix("r7.").unwrap_or_else(|| panic!("tagged id: {id}"));
    assert_eq!(random.len(), 36, "rmcp's random UUID after the tag: {id}");
    assert!(id.bytes().all(|b| (0x21..=0x7e).contains(&b)), "visible ASCII: {id}");
    assert_eq!(list_tools_status(&http, &server.url, &id).await, 200);
    // The random part under another replica's tag, or bare, is no session of this replica.
    assert_eq!(
        list_tools_status(&http, &server.url, &format!("r8.{random}")).await,
        404
    );
    assert_eq!(list_tools_status(&http, &server.url, random).await, 404);
    // A closed session is gone: 404, as for any unknown id.
    let deleted = http
        .delete(&server.url)
        .header("mcp-session-id", &id)
        .header("mcp-protocol-version", "2025-11-25")
        .send()
        .await
        .unwrap();
    assert!(deleted.status().is_success(), "{}", deleted.status());
    assert_eq!(list_tools_status(&http, &server.url, &id).await, 404);
    // rmcp's own client works with tagged ids end to end.
    let client = connect(&server.url, None).await;
    assert_eq!(
        client.list_all_tools().await.unwrap().len(),
        streaming_skill::mcp::tools::names().len()
    );
    client.cancel().await.unwrap();
    assert!(server.log().contains(&format!("session=\"{id}\"")), "{}", server.log());
}

#[tokio::test]
async fn without_a_session_tag_ids_are_plain_uuids() {
    let server = Server::start(&[], None);
    let http = reqwest::Client::new();
    let id = raw_session(&http, &server.url).await;
    assert_eq!(id.len(), 36, "{id}");
    assert!(!id.contains('.'), "{id}");
    assert_eq!(list_tools_status(&http, &server.url, &id).await, 200);
    assert_eq!(list_tools_status(&http, &server.url, &format!("r7.{id}")).await, 404);
}

#[test]
fn a_bad_session_tag_is_refused() {
    for (args, expected) in [
        (&["--session-tag", "r.1"][..], "only ASCII letters, digits"),
        (&["--session-tag", ""][..], "empty"),
        (&["--session-tag", &"x".repeat(33)][..], "at most 32"),
        (&["--session-tag", "r1", "--stateless"][..], "cannot be used with"),
    ] {
        let output = Command::new(BIN)
            .args(["serve", "--http", "127.0.0.1:0"])
            .args(args)
            .env_remove("STREAMING_SKILL_SESSION_TAG")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!output.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
}

#[tokio::test]
async fn oversized_and_malformed_bodies_are_rejected_and_the_server_keeps_serving() {
    let server = Server::start(&["--max-body-bytes", "2048"], None);
    let http = reqwest::Client::new();
    let big = json!({"jsonrpc": "2.0", "id": 1, "method": "ping", "params": {"pad": "x".repeat(10_000)}});
    let response = post(&http, &server.url, &big, &[]).await;
    assert_eq!(response.status(), 413);
    let response = http
        .post(&server.url)
        .header("content-type", "application/json")
        .header("accept", ACCEPT)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], -32700);
    let response = post(&http, &server.url, &initialize_body(), &[]).await;
    assert_eq!(response.status(), 200, "still serving after bad requests");
}

#[tokio::test]
async fn fifty_concurrent_sessions_each_call_a_tool() {
    let server = Server::start(&[], None);
    let url = server.url.clone();
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let url = url.clone();
            tokio::spawn(async move {
                let client = connect(&url, None).await;
                let arguments = json!({"request": format!("consumer lag on topic {i} keeps growing")});
                let result = client
                    .call_tool(
                        CallToolRequestParams::new("route_request")
                            .with_arguments(arguments.as_object().cloned().unwrap()),
                    )
                    .await
                    .unwrap();
                client.cancel().await.unwrap();
                result.structured_content.unwrap()["decision"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), "activate");
    }
}

#[tokio::test]
async fn stateless_mode_answers_without_sessions() {
    let server = Server::start(&["--stateless"], None);
    let http = reqwest::Client::new();
    let response = post(&http, &server.url, &initialize_body(), &[]).await;
    assert_eq!(response.status(), 200);
    assert!(
        response.headers().get("mcp-session-id").is_none(),
        "no session in stateless mode"
    );
    let call = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get_decision_table", "arguments": {"table": "windowing-patterns"}}});
    let response = post(&http, &server.url, &call, &[("mcp-protocol-version", "2025-11-25")]).await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let json_text = text.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or(&text);
    let body: Value = serde_json::from_str(json_text).unwrap_or_else(|e| panic!("{e}: {text}"));
    assert_eq!(
        body["result"]["structuredContent"]["rows"][0]["Pattern"], "Tumbling",
        "{body}"
    );
    // A second, independent client works the same way (any replica could answer it).
    let client = connect(&server.url, None).await;
    assert_eq!(
        client.list_all_tools().await.unwrap().len(),
        streaming_skill::mcp::tools::names().len()
    );
    client.cancel().await.unwrap();
}

#[cfg(unix)]
#[tokio::test]
async fn sigterm_finishes_requests_in_flight_then_exits() {
    let mut server = Server::start(&[], None);
    let http = reqwest::Client::new();
    let url = server.url.clone();
    let requests: Vec<_> = (0..20)
        .map(|_| {
            let http = http.clone();
            let url = url.clone();
            tokio::spawn(async move {
                let response = http
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("accept", ACCEPT)
                    .json(&initialize_body())
                    .send()
                    .await;
                match response {
                    Ok(r) => Some((r.status().as_u16(), r.text().await.is_ok())),
                    Err(_) => None, // not yet connected when the server stopped accepting
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(5)).await;
    let killed = Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    for request in requests {
        if let Some((status, complete)) = request.await.unwrap() {
            assert_eq!(status, 200);
            assert!(complete, "a response in flight was cut off");
        }
    }
    let started = Instant::now();
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the server did not stop after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}\n{}", server.log());
}

#[tokio::test]
async fn idle_sessions_are_reaped() {
    let server = Server::start(&["--session-idle-secs", "1"], None);
    let http = reqwest::Client::new();
    let response = post(&http, &server.url, &initialize_body(), &[]).await;
    let session = response
        .headers()
        .get("mcp-session-id")
        .expect("a session id")
        .to_str()
        .unwrap()
        .to_string();
    drop(response);
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let ping = json!({"jsonrpc": "2.0", "id": 2, "method": "ping"});
    let headers = [
        ("mcp-session-id", session.as_str()),
        ("mcp-protocol-version", "2025-11-25"),
    ];
    assert_eq!(post(&http, &server.url, &initialized, &headers).await.status(), 202);
    assert_eq!(
        post(&http, &server.url, &ping, &headers).await.status(),
        200,
        "the session is alive"
    );
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        post(&http, &server.url, &ping, &headers).await.status(),
        404,
        "the idle session was closed"
    );
}

/// The answers of the stdio server to `lines`, one line each, in order.
fn stdio_answers(lines: &[&[u8]]) -> Vec<Value> {
    use std::io::Write;
    let mut child = Command::new(BIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for line in lines {
        stdin.write_all(line).unwrap();
        stdin.write_all(b"\n").unwrap();
    }
    drop(stdin);
    let answers: Vec<Value> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect();
    let _ = child.wait();
    answers
}

/// Issue 17, item 5: the same bad input gets the same JSON-RPC answer over HTTP as over stdio,
/// from the one classifier both transports use.
#[tokio::test]
async fn bad_bodies_get_the_same_json_rpc_answers_as_over_stdio() {
    let bad: [&[u8]; 8] = [
        br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":5}}"#,
        br#"{"jsonrpc":"2.0","id":8,"method":"resources/read","params":{"uri":[]}}"#,
        b"{not json",
        b"[1, 2]",
        b"[]",
        b"42",
        br#"{"jsonrpc":"1.0","id":9,"method":"ping"}"#,
        br#"{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}"#,
    ];
    let over_stdio = stdio_answers(&bad);
    assert_eq!(over_stdio.len(), bad.len(), "{over_stdio:?}");
    assert_eq!(over_stdio[0]["error"]["code"], -32602, "{}", over_stdio[0]);
    assert_eq!(over_stdio[0]["id"], 7);

    let server = Server::start(&["--stateless"], None);
    let http = reqwest::Client::new();
    for (body, expected) in bad.iter().zip(&over_stdio) {
        let response = http
            .post(&server.url)
            .header("content-type", "application/json")
            .header("accept", ACCEPT)
            .body(body.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{}", String::from_utf8_lossy(body));
        assert_eq!(response.headers()["content-type"], "application/json");
        let answer: Value = response.json().await.unwrap();
        assert_eq!(&answer, expected, "{}", String::from_utf8_lossy(body));
    }

    // A notification that does not fit: stdio drops it; HTTP must refuse it with a status, and
    // answers without an id.
    let response = http
        .post(&server.url)
        .header("content-type", "application/json")
        .header("accept", ACCEPT)
        .body(r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":"x"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["id"], Value::Null);
    assert_eq!(answer["error"]["code"], -32602);

    let response = post(&http, &server.url, &initialize_body(), &[]).await;
    assert_eq!(response.status(), 200, "still serving after bad requests");
}
