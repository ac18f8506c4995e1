//! What the server puts in a model's context, counted with the real o200k tokenizer
//! (tiktoken-rs): the tool list with the instructions, and a default search reply.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

fn exchange(requests: &[Value]) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .env("RUST_LOG", "error")
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

#[test]
fn context_cost_stays_within_budget() {
    let replies = exchange(&[
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "budget", "version": "1"}}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "search_references", "arguments": {"query": "consumer lag keeps growing"}}}),
        json!({"jsonrpc": "2.0", "id": 4, "method": "tools/call", "params": {"name": "read_reference", "arguments": {"document": "kafka-deep-dive", "section": "idempotent-producer-enableidempotence-and-maxinflightrequestsperconnection"}}}),
        json!({"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "read_reference", "arguments": {"document": "flink-spark-streaming", "max_tokens": 600}}}),
    ]);
    let o200k = tiktoken_rs::o200k_base().unwrap();
    let tokens = |text: &str| o200k.encode_with_special_tokens(text).len();
    let instructions = tokens(replies[0]["result"]["instructions"].as_str().unwrap());
    let tool_list = tokens(&replies[1]["result"].to_string());
    let search_text = tokens(replies[2]["result"]["content"][0]["text"].as_str().unwrap());
    let search_structured = tokens(&replies[2]["result"]["structuredContent"].to_string());
    let section_text = tokens(replies[3]["result"]["content"][0]["text"].as_str().unwrap());
    let section_structured = tokens(&replies[3]["result"]["structuredContent"].to_string());
    let capped = tokens(&replies[4]["result"]["structuredContent"].to_string());
    println!(
        "o200k tokens: instructions {instructions}, tools/list {tool_list}, search text {search_text}, search structured {search_structured}, typical section text {section_text} / structured {section_structured}, a document read with max_tokens 600: {capped}"
    );
    assert_eq!(replies[4]["result"]["structuredContent"]["truncated"], true);
    assert!(capped <= 600, "a reply over its max_tokens: {capped}");
    assert!(
        instructions + tool_list <= 2_700,
        "tools/list + instructions = {}",
        instructions + tool_list
    );
    assert!(
        search_text < 800 && search_structured < 800,
        "search reply: {search_text} / {search_structured}"
    );
}
