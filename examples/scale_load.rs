//! A bounded load of concurrent MCP clients against one Streamable HTTP endpoint (in CI: nginx in
//! front of several replicas), for the scale-out test in `.ci/scale-out.sh`.
//!
//! Each client calls `search_references` until the clients together have made `--requests`
//! calls, or, with `--seconds S`, until S seconds have passed (a load that must still be running
//! when a test takes a replica away and brings it back, however fast the replicas answer). In `--mode stateless` a call is one POST and anything but a 200 with a JSON-RPC result
//! is a failure. In `--mode session` each client initializes first and keeps its
//! `Mcp-Session-Id`; a 404 (its session lives on a replica that is gone) is counted apart and the
//! client initializes again, as the protocol prescribes; anything else is a failure.
//!
//! Prints one JSON object: calls, failures, not_found, reinitialized, seconds, calls_per_second,
//! p50_ms, p99_ms (over successful calls), and the first failures seen. In session mode it also
//! counts sessions by the replica tag at the start of their ids (`r2.<random>` from a replica run
//! with `--session-tag r2`; `-` for an untagged id): `first_sessions_by_tag` (each client's first
//! session), `sessions_by_tag` (all) and `not_found_by_tag` (the sessions that got 404), so that
//! a test can tell which replica's sessions were lost.
//!
//! Run: `cargo run --example scale_load -- --url http://127.0.0.1:8800/mcp --clients 16
//! --requests 4000 --mode stateless`

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const PROTOCOL: &str = "2025-11-25";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Stateless,
    Session,
}

/// How long the clients keep calling: a number of calls shared by all, or a deadline.
#[derive(Debug)]
enum Budget {
    Calls(AtomicUsize),
    Until(Instant),
}

impl Budget {
    /// Takes one call from the budget; false once it is spent.
    fn take(&self) -> bool {
        match self {
            Budget::Calls(left) => left
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |r| r.checked_sub(1))
                .is_ok(),
            Budget::Until(deadline) => Instant::now() < *deadline,
        }
    }
}

#[derive(Debug, Default)]
struct Tally {
    latencies: Vec<Duration>,
    failures: Vec<String>,
    not_found: usize,
    reinitialized: usize,
    first_sessions_by_tag: BTreeMap<String, usize>,
    sessions_by_tag: BTreeMap<String, usize>,
    not_found_by_tag: BTreeMap<String, usize>,
}

/// The replica tag at the start of a session id, `-` when it has none.
fn tag(session: &str) -> String {
    session.split_once('.').map_or("-", |(tag, _)| tag).to_string()
}

fn add_counts(total: &mut BTreeMap<String, usize>, part: BTreeMap<String, usize>) {
    for (tag, n) in part {
        *total.entry(tag).or_default() += n;
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn usage() -> ! {
    eprintln!("usage: scale_load --url URL [--clients N] [--requests N | --seconds S] [--mode stateless|session]");
    std::process::exit(2)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = arg(&args, "--url").unwrap_or_else(|| usage());
    let clients: usize = arg(&args, "--clients")
        .map_or(Ok(16), |v| v.parse())
        .unwrap_or_else(|_| usage());
    let requests: usize = arg(&args, "--requests")
        .map_or(Ok(2000), |v| v.parse())
        .unwrap_or_else(|_| usage());
    let mode = match arg(&args, "--mode").as_deref() {
        None | Some("stateless") => Mode::Stateless,
        Some("session") => Mode::Session,
        Some(_) => usage(),
    };
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("an HTTP client");
    let seconds: Option<f64> = arg(&args, "--seconds").map(|v| v.parse().unwrap_or_else(|_| usage()));
    let started = Instant::now();
    let remaining = Arc::new(match seconds {
        Some(s) if s.is_finite() && s > 0.0 => Budget::Until(started + Duration::from_secs_f64(s)),
        Some(_) => usage(),
        None => Budget::Calls(AtomicUsize::new(requests)),
    });
    let tasks: Vec<_> = (0..clients)
        .map(|n| {
            let (http, url, remaining) = (http.clone(), url.clone(), remaining.clone());
            tokio::spawn(async move { client(n, mode, &http, &url, &remaining).await })
        })
        .collect();
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await.expect("a client task");
        total.latencies.extend(tally.latencies);
        total.failures.extend(tally.failures);
        total.not_found += tally.not_found;
        total.reinitialized += tally.reinitialized;
        add_counts(&mut total.first_sessions_by_tag, tally.first_sessions_by_tag);
        add_counts(&mut total.sessions_by_tag, tally.sessions_by_tag);
        add_counts(&mut total.not_found_by_tag, tally.not_found_by_tag);
    }
    let seconds = started.elapsed().as_secs_f64();
    total.latencies.sort();
    let quantile = |q: f64| {
        let n = total.latencies.len();
        if n == 0 {
            return 0.0;
        }
        total.latencies[((n as f64 * q).ceil() as usize).clamp(1, n) - 1].as_secs_f64() * 1e3
    };
    let summary = json!({
        "mode": if mode == Mode::Stateless { "stateless" } else { "session" },
        "clients": clients,
        "calls": total.latencies.len() + total.failures.len() + total.not_found,
        "succeeded": total.latencies.len(),
        "failures": total.failures.len(),
        "not_found": total.not_found,
        "reinitialized": total.reinitialized,
        "seconds": (seconds * 1e3).round() / 1e3,
        "calls_per_second": (total.latencies.len() as f64 / seconds).round(),
        "p50_ms": (quantile(0.50) * 100.0).round() / 100.0,
        "p99_ms": (quantile(0.99) * 100.0).round() / 100.0,
        "first_sessions_by_tag": total.first_sessions_by_tag,
        "sessions_by_tag": total.sessions_by_tag,
        "not_found_by_tag": total.not_found_by_tag,
        "first_failures": total.failures.iter().take(5).collect::<Vec<_>>(),
    });
    println!("{summary}");
}

async fn client(n: usize, mode: Mode, http: &reqwest::Client, url: &str, remaining: &Budget) -> Tally {
    let mut tally = Tally::default();
    let mut session: Option<String> = None;
    let mut id = 0u64;
    let queries = [
        "consumer lag",
        "watermark late events",
        "exactly once sink",
        "checkpoint backpressure",
    ];
    while remaining.take() {
        if mode == Mode::Session && session.is_none() {
            match initialize(http, url).await {
                Ok(new) => {
                    if tally.sessions_by_tag.is_empty() {
                        *tally.first_sessions_by_tag.entry(tag(&new)).or_default() += 1;
                    } else {
                        tally.reinitialized += 1;
                    }
                    *tally.sessions_by_tag.entry(tag(&new)).or_default() += 1;
                    session = Some(new);
                }
                Err(e) => {
                    tally.failures.push(format!("client {n}: initialize: {e}"));
                    continue;
                }
            }
        }
        id += 1;
        let call = json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": {"name": "search_references", "arguments": {"query": queries[(n + id as usize) % queries.len()], "limit": 3}}});
        let started = Instant::now();
        match post(http, url, &call, session.as_deref()).await {
            Ok((200, body)) if body.get("result").is_some_and(|r| r["isError"] != true) => {
                tally.latencies.push(started.elapsed());
            }
            Ok((404, _)) if mode == Mode::Session => {
                tally.not_found += 1;
                if let Some(lost) = session.take() {
                    *tally.not_found_by_tag.entry(tag(&lost)).or_default() += 1;
                }
            }
            Ok((status, body)) => tally.failures.push(format!("client {n}: HTTP {status}: {body}")),
            Err(e) => tally.failures.push(format!("client {n}: {e}")),
        }
    }
    tally
}

/// Initializes a session and returns its id, after sending `notifications/initialized`.
async fn initialize(http: &reqwest::Client, url: &str) -> Result<String, String> {
    let body = json!({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {"protocolVersion": PROTOCOL, "capabilities": {}, "clientInfo": {"name": "scale-load", "version": "1"}}});
    let response = request(http, url, &body, None)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let session = response
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let _ = response.text().await;
    let session = session.ok_or_else(|| format!("HTTP {status} without Mcp-Session-Id"))?;
    let initialized = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    let response = request(http, url, &initialized, Some(&session))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    match response.status().as_u16() {
        200 | 202 => Ok(session),
        other => Err(format!("notifications/initialized: HTTP {other}")),
    }
}

fn request(http: &reqwest::Client, url: &str, body: &Value, session: Option<&str>) -> reqwest::RequestBuilder {
    let mut request = http
        .post(url)
        .header("content-type", "application/json")
        .header("accept", "application/json, text/event-stream")
        .header("mcp-protocol-version", PROTOCOL)
        .json(body);
    if let Some(session) = session {
        request = request.header("mcp-session-id", session);
    }
    request
}

/// Posts a request; returns the status and the JSON-RPC message of the reply (a JSON body, or
/// the first `data:` line of an SSE stream that carries one).
async fn post(http: &reqwest::Client, url: &str, body: &Value, session: Option<&str>) -> Result<(u16, Value), String> {
    let response = request(http, url, body, session)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response.text().await.map_err(|e| e.to_string())?;
    let message = text
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .find_map(|d| {
            serde_json::from_str::<Value>(d.trim())
                .ok()
                .filter(|v| v.get("id").is_some())
        })
        .or_else(|| serde_json::from_str(&text).ok())
        .unwrap_or(Value::String(text.chars().take(200).collect()));
    Ok((status, message))
}
