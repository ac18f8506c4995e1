//! Bad input over stdio: the real binary, fed raw bytes on stdin. Every case checks the answer
//! JSON-RPC prescribes (or that there is none), that the server still answers afterwards, and
//! that nothing panicked. No read waits longer than [`DEADLINE`], and the child is killed if a
//! test fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_streaming-skill");
/// The longest any single read may wait.
const DEADLINE: Duration = Duration::from_secs(10);

/// The server as a child process, with its stdout split into lines by a thread.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Vec<u8>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    next_id: i64,
}

impl Server {
    fn start() -> Self {
        let mut child = Command::new(BIN)
            .env_remove("STREAMING_SKILL_DIR")
            .env_remove("RUST_LOG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the server");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (send, lines) = channel();
        std::thread::spawn(move || {
            loop {
                let mut line = Vec::new();
                match stdout.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        if send.send(line).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let mut pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Self {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr,
            next_id: 1_000_000,
        }
    }

    /// A server past the `initialize` handshake.
    fn initialized() -> Self {
        let mut server = Self::start();
        server.send(json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "bad-input", "version": "1"}}}));
        let reply = server.reply_to(json!(0));
        assert_eq!(reply["result"]["serverInfo"]["name"], "streaming-skill", "{reply}");
        server.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        server
    }

    fn write(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.write(format!("{message}\n").as_bytes());
    }

    /// The next message on stdout, which must be one well-formed JSON-RPC message.
    fn next(&self) -> Value {
        match self.next_within(DEADLINE) {
            Some(message) => message,
            None => panic!("no message within {DEADLINE:?}; stderr: {}", self.stderr()),
        }
    }

    fn next_within(&self, wait: Duration) -> Option<Value> {
        let line = match self.lines.recv_timeout(wait) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => return None,
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed stdout; stderr: {}", self.stderr()),
        };
        assert_eq!(line.last(), Some(&b'\n'), "a message ends with a newline");
        let message: Value = serde_json::from_slice(&line)
            .unwrap_or_else(|e| panic!("stdout carries only JSON-RPC ({e}): {}", String::from_utf8_lossy(&line)));
        assert_well_formed(&message);
        Some(message)
    }

    /// Reads messages until the reply with this id.
    fn reply_to(&self, id: Value) -> Value {
        let started = Instant::now();
        loop {
            let left = DEADLINE.saturating_sub(started.elapsed());
            match self.next_within(left) {
                Some(message) if message.get("id") == Some(&id) && message.get("method").is_none() => return message,
                Some(_) => {}
                None => panic!("no reply to {id} within {DEADLINE:?}; stderr: {}", self.stderr()),
            }
        }
    }

    /// Sends `line` (a raw line, newline added) and returns the one error reply it gets.
    fn error_for(&mut self, line: &[u8]) -> Value {
        self.write(line);
        self.write(b"\n");
        let reply = self.next();
        assert!(reply.get("error").is_some(), "{reply}");
        reply
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        self.reply_to(json!(id))
    }

    fn call_tool(&mut self, name: &str, arguments: Value) -> Value {
        self.request("tools/call", json!({"name": name, "arguments": arguments}))
    }

    /// The server still answers `ping` and `tools/list`.
    fn assert_alive(&mut self) {
        let pong = self.request("ping", json!({}));
        assert_eq!(pong["result"], json!({}), "{pong}");
        let tools = self.request("tools/list", json!({}));
        assert_eq!(
            tools["result"]["tools"].as_array().map(Vec::len),
            Some(streaming_skill::mcp::tools::names().len()),
            "{tools}"
        );
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.stderr.lock().unwrap()).into_owned()
    }

    /// Closes stdin and waits (with the deadline) for a clean exit; nothing may have panicked.
    fn finish(mut self) {
        drop(self.stdin.take());
        let started = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < DEADLINE,
                "the server did not exit after stdin closed"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // Let the stderr thread catch the last bytes.
        std::thread::sleep(Duration::from_millis(50));
        assert!(status.success(), "{status:?}; stderr: {}", self.stderr());
        assert!(!self.stderr().contains("panicked"), "{}", self.stderr());
        // Whatever was still on stdout is well-formed too.
        while let Ok(line) = self.lines.try_recv() {
            assert_well_formed(&serde_json::from_slice(&line).expect("stdout carries only JSON-RPC"));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One JSON-RPC 2.0 message: a response or error with an `id` (null only for errors), or a
/// request or notification from the server.
fn assert_well_formed(message: &Value) {
    assert_eq!(message["jsonrpc"], "2.0", "{message}");
    if message.get("method").is_some() {
        return;
    }
    let id = message
        .get("id")
        .unwrap_or_else(|| panic!("a response carries an id: {message}"));
    match (message.get("result"), message.get("error")) {
        (Some(_), None) => assert!(id.is_string() || id.is_i64(), "{message}"),
        (None, Some(error)) => {
            assert!(id.is_null() || id.is_string() || id.is_i64(), "{message}");
            assert!(error["code"].is_i64() && error["message"].is_string(), "{message}");
        }
        _ => panic!("exactly one of result and error: {message}"),
    }
}

fn code(reply: &Value) -> i64 {
    reply["error"]["code"]
        .as_i64()
        .unwrap_or_else(|| panic!("an error reply: {reply}"))
}

fn tool_text(reply: &Value) -> String {
    reply["result"]["content"][0]["text"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn malformed_json_is_a_parse_error_with_a_null_id() {
    let mut server = Server::initialized();
    for line in [
        &b"{\"jsonrpc\":\"2.0\","[..],
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"",
        b"nope",
        b"{'a':1}",
    ] {
        let reply = server.error_for(line);
        assert_eq!(code(&reply), -32700, "{reply}");
        assert_eq!(reply["id"], Value::Null, "{reply}");
        assert!(
            reply["error"]["message"].as_str().unwrap().starts_with("Parse error: "),
            "{reply}"
        );
    }
    server.assert_alive();
    server.finish();
}

#[test]
fn json_that_is_not_json_rpc_is_an_invalid_request() {
    let mut server = Server::initialized();
    let cases: [(&[u8], Value); 9] = [
        (b"[1,2]", Value::Null),
        (b"[]", Value::Null),
        (b"{\"hello\":1}", Value::Null),
        (b"42", Value::Null),
        (b"\"ping\"", Value::Null),
        (b"null", Value::Null),
        (b"{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"ping\"}", json!(3)),
        (
            b"{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}",
            Value::Null,
        ),
        (b"{\"jsonrpc\":\"2.0\",\"id\":\"r\"}", json!("r")),
    ];
    for (line, id) in cases {
        let reply = server.error_for(line);
        assert_eq!(code(&reply), -32600, "{reply}");
        assert_eq!(reply["id"], id, "{reply}");
    }
    server.assert_alive();
    server.finish();
}

#[test]
fn unknown_method_is_method_not_found() {
    let mut server = Server::initialized();
    let reply = server.request("no/such/method", json!({}));
    assert_eq!(code(&reply), -32601, "{reply}");
    server.assert_alive();
    server.finish();
}

#[test]
fn wrong_parameter_types() {
    let mut server = Server::initialized();
    // A tool argument of the wrong type: the tool ran and says which argument (isError).
    let reply = server.call_tool("search_references", json!({"query": 5}));
    assert_eq!(reply["result"]["isError"], true, "{reply}");
    assert_eq!(
        tool_text(&reply),
        "search_references: invalid argument `query`: invalid type: integer `5`, expected a string"
    );
    // Params that do not fit the method: JSON-RPC invalid params, with the id.
    for (params, message) in [
        (json!("x"), "Invalid params for tools/call: params must be an object"),
        (json!([1]), "Invalid params for tools/call: params must be an object"),
        (
            json!({"name": 5}),
            "Invalid params for tools/call: invalid type: integer `5`, expected a string",
        ),
        (
            json!({"name": "route_request", "arguments": "x"}),
            "Invalid params for tools/call: invalid type: string \"x\", expected a map",
        ),
    ] {
        let reply = server.request("tools/call", params.clone());
        assert_eq!(code(&reply), -32602, "{params}: {reply}");
        assert_eq!(reply["error"]["message"], message, "{params}");
    }
    let reply = server.request("resources/read", json!({"uri": 5}));
    assert_eq!(code(&reply), -32602, "{reply}");
    server.assert_alive();
    server.finish();
}

/// Regression: rmcp parses a request for a method it knows whose params do not fit as a custom
/// request, and answered `tools/call` with `{"name": 5}` "-32601 method not found: tools/call".
#[test]
fn a_known_method_with_bad_params_is_invalid_params_not_method_not_found() {
    let mut server = Server::initialized();
    for (method, params) in [
        ("tools/call", json!({"name": 5})),
        ("tools/call", json!({"arguments": {}})),
        ("resources/read", json!({"uri": ["x"]})),
        ("prompts/get", json!({"name": {}})),
        ("completion/complete", json!({"ref": 1})),
        ("logging/setLevel", json!({"level": "loudest"})),
    ] {
        let reply = server.request(method, params.clone());
        assert_eq!(code(&reply), -32602, "{method} {params}: {reply}");
        let message = reply["error"]["message"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("Invalid params for {method}: ")),
            "{message}"
        );
    }
    server.assert_alive();
    server.finish();
}

/// Regression: two requests in flight with one id got one reply; the other was dropped.
#[test]
fn a_reused_id_never_loses_a_reply() {
    let mut server = Server::initialized();
    let mut batch = String::new();
    for _ in 0..5 {
        batch.push_str(&format!("{}\n", slow_search(77)));
    }
    server.write(batch.as_bytes());
    for n in 0..5 {
        let reply = server.next();
        assert_eq!(reply["id"], 77, "reply {n}: {reply}");
    }
    assert!(
        server.next_within(Duration::from_millis(300)).is_none(),
        "no sixth reply"
    );
    server.assert_alive();
    server.finish();
}

#[test]
fn missing_and_unknown_arguments() {
    let mut server = Server::initialized();
    let cases = [
        (
            "search_references",
            json!({}),
            "search_references: invalid arguments: missing field `query`",
        ),
        (
            "read_reference",
            json!({}),
            "read_reference: invalid arguments: missing field `document`",
        ),
        (
            "route_request",
            json!({"request": "kafka", "extra": 1}),
            "route_request: invalid argument `extra`: unknown field `extra`, expected `request`",
        ),
        (
            "get_decision_table",
            json!({"tabel": "x"}),
            "get_decision_table: invalid argument `tabel`: unknown field `tabel`, expected `table` or `filter`",
        ),
    ];
    for (tool, arguments, expected) in cases {
        let reply = server.call_tool(tool, arguments);
        assert_eq!(reply["result"]["isError"], true, "{reply}");
        assert_eq!(tool_text(&reply), expected);
    }
    // No `arguments` at all is an empty argument object.
    let reply = server.request("tools/call", json!({"name": "list_references"}));
    assert_eq!(reply["result"]["isError"], false, "{reply}");
    let reply = server.request("tools/call", json!({"name": "read_reference"}));
    assert_eq!(
        tool_text(&reply),
        "read_reference: invalid arguments: missing field `document`"
    );
    // No tool name, no uri: the request itself is malformed.
    let reply = server.request("tools/call", json!({}));
    assert_eq!(
        reply["error"]["message"],
        "Invalid params for tools/call: missing field `name`"
    );
    let reply = server.request("resources/read", json!({}));
    assert_eq!(
        reply["error"]["message"],
        "Invalid params for resources/read: missing field `uri`"
    );
    // An unknown tool.
    let reply = server.call_tool("no_such_tool", json!({}));
    assert_eq!(code(&reply), -32602, "{reply}");
    let message = reply["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("\"no_such_tool\"") && message.contains("tools: search_references, read_reference,"),
        "{reply}"
    );
    server.assert_alive();
    server.finish();
}

/// Peak and current resident memory of a process, in KiB.
#[cfg(target_os = "linux")]
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    };
    (field("VmHWM:"), field("VmRSS:"))
}

#[test]
fn a_10_mb_line_is_rejected_without_being_kept() {
    let mut server = Server::initialized();
    server.assert_alive();
    // The index is built after `initialized`, in the background: let it finish (a search waits
    // for it) so its memory is in the baseline.
    let warm = server.call_tool("search_references", json!({"query": "lag"}));
    assert!(warm.get("result").is_some(), "{warm}");
    #[cfg(target_os = "linux")]
    let (peak_before, _) = memory_kib(server.child.id());
    let query = "kafka ".repeat(10 * 1024 * 1024 / 6);
    let request = json!({"jsonrpc": "2.0", "id": 9, "method": "tools/call", "params": {"name": "search_references", "arguments": {"query": query}}});
    let line = format!("{request}\n");
    assert!(line.len() > 10_000_000);
    // In pieces, as a pipe would deliver it.
    for chunk in line.as_bytes().chunks(64 * 1024) {
        server.write(chunk);
    }
    let reply = server.next();
    assert_eq!(code(&reply), -32600, "{reply}");
    assert_eq!(reply["id"], Value::Null, "the id is not read from a discarded line");
    assert_eq!(
        reply["error"]["message"],
        "Invalid Request: a message longer than 1048576 bytes was discarded"
    );
    server.assert_alive();
    #[cfg(target_os = "linux")]
    {
        let (peak_after, _) = memory_kib(server.child.id());
        // Measured: about 4.5 MiB of growth (the reader's buffer up to the 1 MiB limit, the
        // pipe's chunks and allocator slack); a kept 10 MB line would add at least 10 MiB.
        assert!(
            peak_after < peak_before + 6 * 1024,
            "peak memory grew from {peak_before} KiB to {peak_after} KiB"
        );
    }
    server.finish();
}

#[test]
fn a_line_just_under_the_limit_is_served() {
    let mut server = Server::initialized();
    // About 1 MB of query: read, searched, answered with the echo cut short.
    let query = "consumer lag ".repeat(1_000_000 / 13);
    let reply = server.call_tool("search_references", json!({"query": query, "limit": 1}));
    assert_eq!(reply["result"]["isError"], false, "{}", tool_text(&reply));
    assert!(tool_text(&reply).len() < 4_000);
    server.assert_alive();
    server.finish();
}

#[test]
fn invalid_utf8_is_a_parse_error() {
    let mut server = Server::initialized();
    for line in [
        &b"\xff\xfe\xfd"[..],
        b"{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"search_references\",\"arguments\":{\"query\":\"\xc3\x28\"}}}",
        b"{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}\xa0",
    ] {
        let reply = server.error_for(line);
        assert_eq!(code(&reply), -32700, "{reply}");
        assert_eq!(reply["id"], Value::Null, "{reply}");
        assert!(reply["error"]["message"].as_str().unwrap().starts_with("Parse error: invalid UTF-8"), "{reply}");
    }
    server.assert_alive();
    server.finish();
}

#[test]
fn a_request_before_initialize_gets_a_well_formed_answer() {
    let mut server = Server::start();
    // rmcp serves the 2026-07-28 era without a handshake: `ping` is answered, and a request
    // without the era's `_meta` is refused as invalid params. Either way, one well-formed reply.
    server.send(json!({"jsonrpc": "2.0", "id": 1, "method": "ping"}));
    assert_eq!(server.reply_to(json!(1))["result"], json!({}));
    server.send(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}));
    let reply = server.reply_to(json!(2));
    assert_eq!(code(&reply), -32602, "{reply}");
    assert!(reply["error"]["message"].as_str().unwrap().contains("_meta"), "{reply}");
    // A proper handshake still works afterwards.
    server.send(json!({"jsonrpc": "2.0", "id": 3, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "late", "version": "1"}}}));
    let reply = server.reply_to(json!(3));
    assert_eq!(reply["result"]["protocolVersion"], "2025-06-18", "{reply}");
    server.send(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    server.assert_alive();
    server.finish();
}

/// A search slow enough (a few hundred milliseconds in a debug build) to be in flight when the
/// next line arrives.
fn slow_search(id: i64) -> Value {
    let query = "kafka consumer lag rebalance watermark checkpoint exactly once ".repeat(4_000);
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "search_references", "arguments": {"query": query}}})
}

#[test]
fn a_duplicate_id_in_flight_is_rejected_and_the_first_still_answered() {
    let mut server = Server::initialized();
    let second = json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "list_references", "arguments": {}}});
    server.write(format!("{}\n{second}\n", slow_search(5)).as_bytes());
    let mut replies = Vec::new();
    while replies.len() < 2 {
        let message = server.next();
        assert_eq!(message["id"], 5, "{message}");
        replies.push(message);
    }
    let rejected: Vec<_> = replies.iter().filter(|r| r.get("error").is_some()).collect();
    let answered: Vec<_> = replies.iter().filter(|r| r.get("result").is_some()).collect();
    // Normally the second is rejected while the search runs; if the search already finished,
    // both are answered. Either way, two replies, never a lost one.
    match rejected.as_slice() {
        [] => assert_eq!(answered.len(), 2),
        [reply] => {
            assert_eq!(code(reply), -32600, "{reply}");
            assert_eq!(
                reply["error"]["message"],
                "Invalid Request: id 5 is already used by a request in flight"
            );
            assert!(
                tool_text(answered[0]).contains("matching sections"),
                "the search's own answer"
            );
        }
        _ => panic!("{replies:?}"),
    }
    assert!(
        server.next_within(Duration::from_millis(300)).is_none(),
        "no third reply"
    );
    // Once answered, the id may be used again.
    server.send(json!({"jsonrpc": "2.0", "id": 5, "method": "ping"}));
    assert_eq!(server.reply_to(json!(5))["result"], json!({}));
    server.assert_alive();
    server.finish();
}

#[test]
fn a_notification_with_an_id_is_an_unknown_request() {
    let mut server = Server::initialized();
    // With an id it is a request, and there is no request method of that name.
    let reply = server.error_for(br#"{"jsonrpc":"2.0","id":7,"method":"notifications/initialized"}"#);
    assert_eq!(reply["id"], 7);
    assert_eq!(code(&reply), -32601, "{reply}");
    // Notifications are never answered, even when they do not fit.
    server.write(b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":{}}}\n");
    server.write(b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/no-such-thing\"}\n");
    assert!(server.next_within(Duration::from_millis(300)).is_none());
    server.assert_alive();
    server.finish();
}

#[test]
fn a_thousand_pipelined_requests_get_a_thousand_replies() {
    let mut server = Server::initialized();
    let mut batch = String::new();
    for id in 1..=1000 {
        let request = match id % 4 {
            0 => json!({"jsonrpc": "2.0", "id": id, "method": "ping"}),
            1 => {
                json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "get_decision_table", "arguments": {"table": "windowing-patterns"}}})
            }
            2 => {
                json!({"jsonrpc": "2.0", "id": id, "method": "resources/read", "params": {"uri": "skill://streaming-data-skill/tables/alert-tiers"}})
            }
            _ => {
                json!({"jsonrpc": "2.0", "id": format!("s{id}"), "method": "tools/call", "params": {"name": "route_request", "arguments": {"request": "kafka consumer lag"}}})
            }
        };
        batch.push_str(&request.to_string());
        batch.push('\n');
    }
    server.write(batch.as_bytes());
    let mut seen = std::collections::HashSet::new();
    let started = Instant::now();
    while seen.len() < 1000 {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{} replies after a minute",
            seen.len()
        );
        let reply = server.next();
        assert!(reply.get("result").is_some(), "{reply}");
        assert!(seen.insert(reply["id"].to_string()), "two replies to {}", reply["id"]);
    }
    for id in 1..=1000 {
        let key = if id % 4 == 3 {
            json!(format!("s{id}"))
        } else {
            json!(id)
        };
        assert!(seen.contains(&key.to_string()), "no reply to {key}");
    }
    server.assert_alive();
    server.finish();
}

#[test]
fn cancelling_a_request_in_flight() {
    let mut server = Server::initialized();
    server.send(slow_search(50));
    server.send(json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 50, "reason": "changed my mind"}}));
    server.send(json!({"jsonrpc": "2.0", "id": 51, "method": "ping"}));
    // The ping is answered; the search may or may not be (rmcp drops the reply of a request
    // cancelled in time). Wait long enough for the search to finish either way.
    let mut answered = Vec::new();
    while let Some(message) = server.next_within(Duration::from_secs(3)) {
        answered.push(message["id"].clone());
    }
    assert!(answered.contains(&json!(51)), "{answered:?}");
    assert!(answered.iter().all(|id| *id == 50 || *id == 51), "{answered:?}");
    // The cancelled id is free again.
    server.send(json!({"jsonrpc": "2.0", "id": 50, "method": "ping"}));
    assert_eq!(server.reply_to(json!(50))["result"], json!({}));
    // Cancelling what is not in flight is harmless.
    server.send(json!({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 12345}}));
    server.assert_alive();
    server.finish();
}

#[test]
fn stdin_closing_mid_request_exits_cleanly() {
    // After the handshake.
    let mut server = Server::initialized();
    server.write(br#"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"search_ref"#);
    server.finish();

    // Before it: half an initialize.
    let mut server = Server::start();
    server.write(br#"{"jsonrpc":"2.0","id":0,"method":"initia"#);
    server.finish();

    // In the middle of an oversized line.
    let mut server = Server::initialized();
    server.write(&vec![b'x'; 3 * 1024 * 1024]);
    server.finish();
}
