//! A long run: 50,000 mixed tool calls over stdio, pipelined in batches, with the server's
//! resident memory read from /proc after 10,000 calls and at the end. Memory must stay flat:
//! caches are bounded, and nothing per request is kept.
//!
//! It takes about a minute, so plain `cargo test` skips it; CI runs it with
//! `cargo test --test it long_run -- --ignored`.

#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use serde_json::json;

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

#[test]
#[ignore = "a minute long: `cargo test --test it long_run -- --ignored` (CI runs it)"]
fn fifty_thousand_mixed_calls_keep_memory_flat() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    writeln!(stdin, "{}", json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "long-run", "version": "1"}}})).unwrap();
    stdout.read_line(&mut line).unwrap();
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )
    .unwrap();

    let queries = [
        "consumer lag",
        "exactly once sink",
        "watermark late events",
        "snowpipe streaming",
        "checkpoint",
    ];
    let call = |i: usize| {
        let (name, arguments) = match i % 10 {
            0 => (
                "search_references",
                json!({"query": queries[i / 10 % queries.len()], "limit": 2}),
            ),
            1 => (
                "read_reference",
                json!({"document": "SKILL.md", "section": "monitoring-thresholds"}),
            ),
            2 => (
                "route_request",
                json!({"request": format!("kafka consumer lag alert {i}")}),
            ),
            3 => (
                "evaluate_stream_health",
                json!({"consumer_lag_seconds": (i % 900) as f64}),
            ),
            4 => ("read_reference", json!({"document": format!("nope-{i}")})),
            _ => ("get_decision_table", json!({"table": "windowing-patterns"})),
        };
        json!({"jsonrpc": "2.0", "id": i + 1, "method": "tools/call", "params": {"name": name, "arguments": arguments}})
    };
    const TOTAL: usize = 50_000;
    const BATCH: usize = 200;
    let mut after_10k = 0;
    for start in (0..TOTAL).step_by(BATCH) {
        let mut batch = String::new();
        for i in start..start + BATCH {
            batch.push_str(&call(i).to_string());
            batch.push('\n');
        }
        stdin.write_all(batch.as_bytes()).unwrap();
        for _ in 0..BATCH {
            line.clear();
            assert!(stdout.read_line(&mut line).unwrap() > 0, "the server stopped answering");
            assert!(line.contains("\"result\""), "{line}");
        }
        if start + BATCH == 10_000 {
            after_10k = rss_kb(pid);
        }
    }
    let at_end = rss_kb(pid);
    println!("RSS after 10,000 calls {after_10k} kB; after {TOTAL} calls {at_end} kB");
    assert!(after_10k > 0);
    assert!(
        at_end < after_10k + 8 * 1024,
        "memory grew from {after_10k} kB to {at_end} kB between 10,000 and {TOTAL} calls"
    );
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
