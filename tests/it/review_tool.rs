//! `review_config` through the real binary: the MCP tool over stdio (structured output, text,
//! `isError` naming the line) and the `review` command (exit codes, standard input, JSON).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_streaming-skill");

fn review(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(BIN)
        .arg("review")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default().as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn case(name: &str) -> String {
    format!("{}/tests/review/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn command_exits_one_on_errors_and_zero_when_clean() {
    let bad = review(
        &[
            &case("a01-producer-payments-eos.properties"),
            "--system",
            "kafka-producer",
            "--delivery",
            "exactly-once",
        ],
        None,
    );
    assert_eq!(bad.status.code(), Some(1));
    let text = String::from_utf8_lossy(&bad.stdout);
    assert!(text.starts_with("kafka-producer review: 2 error(s)"), "{text}");
    assert!(text.contains("error [producer-eos-acks] acks"), "{text}");
    assert!(
        text.contains("enable.idempotency (did you mean enable.idempotence?)"),
        "{text}"
    );
    assert!(!text.contains("Pa55w0rd-prod!"), "{text}");

    let clean = review(
        &[
            &case("b16-flink-flat-clean.yaml"),
            "--system",
            "flink",
            "--delivery",
            "exactly-once",
            "--environment",
            "production",
            "--json",
        ],
        None,
    );
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let json: Value = serde_json::from_slice(&clean.stdout).unwrap();
    assert_eq!(json["findings"], json!([]));
    assert_eq!(json["checked"], 14);
    assert_eq!(json["not_checked"], json!([]));
}

#[test]
fn command_reads_stdin_and_rejects_unparseable_input() {
    let piped = review(
        &["-", "--system", "kafka-topic"],
        Some("replication.factor=3\nmin.insync.replicas=4\n"),
    );
    assert_eq!(piped.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&piped.stdout).contains("[topic-min-isr-above-replicas]"));

    let broken = review(
        &["-", "--system", "flink"],
        Some("parallelism.default: 2\n\tstate: x\n"),
    );
    assert_eq!(broken.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");

    let missing = review(&["/nonexistent/app.properties", "--system", "kafka-consumer"], None);
    assert_eq!(missing.status.code(), Some(2));
}

fn exchange(requests: &[Value]) -> Vec<Value> {
    let mut child = Command::new(BIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut replies = Vec::new();
    for request in requests {
        writeln!(stdin, "{request}").unwrap();
        if request.get("id").is_some() {
            let mut line = String::new();
            stdout.read_line(&mut line).unwrap();
            replies.push(serde_json::from_str(&line).unwrap());
        }
    }
    drop(stdin);
    child.wait().unwrap();
    replies
}

fn call(id: u64, arguments: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "review_config", "arguments": arguments}})
}

#[test]
fn mcp_tool_returns_findings_and_names_the_bad_line() {
    let config = std::fs::read_to_string(case("a17-flink-flat-typo-secret.yaml")).unwrap();
    let replies = exchange(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        call(3, json!({"system": "flink", "config": config})),
        call(
            4,
            json!({"system": "kafka-producer", "config": "acks=all\n{\"linger.ms\": 5}\n"}),
        ),
        call(
            5,
            json!({"system": "kafka-producer", "config": "acks=all", "delivery": "twice"}),
        ),
    ]);
    let tools = replies[1]["result"]["tools"].as_array().unwrap();
    let tool = tools.iter().find(|t| t["name"] == "review_config").unwrap();
    assert_eq!(tool["annotations"]["readOnlyHint"], true);
    assert!(tool["outputSchema"]["properties"]["findings"].is_object());

    let result = &replies[2]["result"];
    assert_ne!(result["isError"], true);
    let review = &result["structuredContent"];
    let errors: Vec<&str> = review["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| f["setting"].as_str().unwrap())
        .collect();
    assert_eq!(
        errors,
        [
            "security.ssl.internal.keystore-password",
            "security.ssl.internal.key-password",
            "security.ssl.internal.truststore-password"
        ]
    );
    assert_eq!(
        review["unknown_settings"][0],
        json!({"setting": "taskmanager.numberOfTaskSlot", "did_you_mean": "taskmanager.numberOfTaskSlots"})
    );
    assert!(
        review["findings"][0]["uri"]
            .as_str()
            .unwrap()
            .starts_with("skill://streaming-data-skill/sections/config-review-rules/")
    );
    assert!(
        review["not_checked"][0]
            .as_str()
            .unwrap()
            .starts_with("delivery not given")
    );
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(text.starts_with("flink review: 3 error(s)"), "{text}");
    assert!(!result.to_string().contains("flinkInternal#2024"));

    let broken = &replies[3]["result"];
    assert_eq!(broken["isError"], true);
    let message = broken["content"][0]["text"].as_str().unwrap();
    assert!(message.starts_with("review_config: "), "{message}");
    assert!(message.contains("line 2"), "{message}");

    let bad_argument = &replies[4]["result"];
    assert_eq!(bad_argument["isError"], true);
    assert!(
        bad_argument["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("invalid argument `delivery`")
    );
}

#[test]
fn rule_tables_are_served_as_decision_tables() {
    let replies = exchange(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "get_decision_table", "arguments": {"table": "kafka-consumer-rules", "filter": {"Rule": "consumer-eos-isolation"}}}}),
    ]);
    let table = &replies[1]["result"]["structuredContent"];
    assert_eq!(table["rows"][0]["Severity"], "error");
    assert!(
        table["rows"][0]["Condition"]
            .as_str()
            .unwrap()
            .contains("isolation.level is not read_committed")
    );
}
