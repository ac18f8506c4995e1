//! The MCP server end to end: the real binary as a child process, driven over its stdin and
//! stdout by rmcp's client (and by raw JSON lines where the client would hide what we check).

#![allow(deprecated)] // MCP logging is deprecated by SEP-2577; the server still supports it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command as StdCommand, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rmcp::model::{
    ArgumentInfo, CallToolRequestParams, CallToolResult, CompleteRequestParams, ErrorCode, GetPromptRequestParams,
    JsonObject, LoggingLevel, LoggingMessageNotificationParam, PromptReference, ReadResourceRequestParams, Reference,
    ResourceContents, ResourceTemplateReference, SetLevelRequestParams,
};
use rmcp::service::{NotificationContext, RunningService, ServiceError};
use rmcp::transport::TokioChildProcess;
use rmcp::{ClientHandler, RoleClient, ServiceExt};
use serde_json::{Value, json};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_streaming-skill");

/// A client that keeps the log messages the server sends.
#[derive(Clone, Default)]
struct Recorder {
    logs: Arc<Mutex<Vec<LoggingMessageNotificationParam>>>,
}

impl ClientHandler for Recorder {
    async fn on_logging_message(&self, params: LoggingMessageNotificationParam, _: NotificationContext<RoleClient>) {
        self.logs.lock().unwrap().push(params);
    }
}

async fn connect_with(args: &[&str], handler: Recorder) -> RunningService<RoleClient, Recorder> {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("STREAMING_SKILL_DIR")
        // Expected errors (unknown tools, refused paths) would be logged as warnings on the
        // inherited stderr: a test server logs errors only.
        .env("RUST_LOG", "error");
    let transport = TokioChildProcess::new(command).expect("spawn the server");
    handler.serve(transport).await.expect("initialize")
}

async fn connect() -> RunningService<RoleClient, Recorder> {
    connect_with(&[], Recorder::default()).await
}

fn args(value: Value) -> JsonObject {
    value.as_object().cloned().expect("an object")
}

async fn call(client: &RunningService<RoleClient, Recorder>, tool: &str, arguments: Value) -> CallToolResult {
    client
        .call_tool(CallToolRequestParams::new(tool.to_string()).with_arguments(args(arguments)))
        .await
        .expect("tools/call answers")
}

fn text(result: &CallToolResult) -> String {
    result
        .content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn structured(result: &CallToolResult) -> Value {
    result.structured_content.clone().expect("structuredContent")
}

fn resource_text(contents: &ResourceContents) -> &str {
    match contents {
        ResourceContents::TextResourceContents { text, .. } => text,
        _ => panic!("expected text"),
    }
}

#[tokio::test]
async fn initialize_names_the_server_and_gives_instructions() {
    let client = connect().await;
    let info = client.peer_info().expect("server info");
    assert_eq!(info.server_info.as_ref().unwrap().name, "streaming-skill");
    assert_eq!(info.server_info.as_ref().unwrap().version, env!("CARGO_PKG_VERSION"));
    let instructions = info.instructions.clone().unwrap();
    assert!(instructions.contains("search_references"), "{instructions}");
    assert!(instructions.contains("use dbt-skill"), "{instructions}");
    let caps = &info.capabilities;
    assert!(caps.tools.is_some() && caps.resources.is_some() && caps.prompts.is_some());
    assert!(caps.completions.is_some() && caps.logging.is_some());
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn tools_are_listed_read_only_with_schemas() {
    let client = connect().await;
    let tools = client.list_all_tools().await.unwrap();
    let names: Vec<_> = tools.iter().map(|t| t.name.to_string()).collect();
    assert_eq!(names, streaming_skill::mcp::tools::names());
    for tool in &tools {
        let annotations = tool.annotations.as_ref().unwrap();
        assert_eq!(annotations.read_only_hint, Some(true));
        assert_eq!(annotations.idempotent_hint, Some(true));
        assert!(tool.output_schema.is_some());
        assert!(
            tool.description.as_ref().unwrap().len() > 60,
            "descriptions stand on their own"
        );
    }
    let search = &tools[0];
    assert_eq!(search.input_schema["required"], json!(["query"]));
    // One range for `limit` everywhere: the schema, the description, the check and the CLI.
    let limit = &search.input_schema["properties"]["limit"];
    assert_eq!(
        (limit["minimum"].as_u64(), limit["maximum"].as_u64()),
        (Some(1), Some(20)),
        "{limit}"
    );
    assert!(!limit["description"].as_str().unwrap().contains("50"));
    assert_eq!(
        search.input_schema["properties"]["max_tokens"]["minimum"].as_u64(),
        Some(150)
    );
    let read = &tools[1];
    assert_eq!(
        read.input_schema["properties"]["max_tokens"]["minimum"].as_u64(),
        Some(150)
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn search_then_read_the_hit() {
    let client = connect().await;
    let result = call(
        &client,
        "search_references",
        json!({"query": "consume transform produce loop sendOffsetsToTransaction"}),
    )
    .await;
    assert_eq!(result.is_error, Some(false), "{}", text(&result));
    let hits = structured(&result)["hits"].as_array().unwrap().clone();
    assert!(!hits.is_empty() && hits.len() <= 5);
    assert_eq!(hits[0]["document"], "kafka-deep-dive");
    let uri = hits[0]["uri"].as_str().unwrap().to_string();

    let by_tool = call(&client, "read_reference", json!({"document": uri})).await;
    let content = structured(&by_tool)["content"].as_str().unwrap().to_string();
    assert!(content.starts_with("#"), "{content}");
    let by_resource = client.read_resource(ReadResourceRequestParams::new(uri)).await.unwrap();
    assert_eq!(resource_text(&by_resource.contents[0]), content);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn search_filters_by_document_and_honours_budgets() {
    let client = connect().await;
    let result = call(
        &client,
        "search_references",
        json!({"query": "checkpoint", "document": "flink-spark-streaming.md", "limit": 20}),
    )
    .await;
    let hits = structured(&result)["hits"].as_array().unwrap().clone();
    assert!(hits.len() > 5);
    assert!(hits.iter().all(|h| h["document"] == "flink-spark-streaming"));

    let result = call(
        &client,
        "search_references",
        json!({"query": "checkpoint", "limit": 20, "max_tokens": 400}),
    )
    .await;
    assert_eq!(structured(&result)["truncated"], true);
    assert!(structured(&result)["hits"].as_array().unwrap().len() < 20);
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn bad_tool_arguments_are_tool_errors_the_model_can_act_on() {
    let client = connect().await;
    let cases = [
        (
            "search_references",
            json!({"query": "lag", "limit": 99}),
            "limit must be between 1 and 20; got 99",
        ),
        (
            "search_references",
            json!({"query": "lag", "limit": "many"}),
            "invalid argument `limit`",
        ),
        ("search_references", json!({}), "missing field `query`"),
        (
            "evaluate_stream_health",
            json!({}),
            "evaluate_stream_health: no metric given: give at least one of consumer_lag_messages,",
        ),
        (
            "evaluate_stream_health",
            json!({"critical_pipeline": true}),
            "no metric given",
        ),
        (
            "search_references",
            json!({"query": "lag", "document": "nope"}),
            "no document \"nope\"; available: SKILL.md",
        ),
        (
            "read_reference",
            json!({"document": "kafka-deep-dive", "section": "consumer grups"}),
            "kafka-deep-dive has no section \"consumer grups\"; closest: consumer-groups-and-rebalancing,",
        ),
        (
            "read_reference",
            json!({"document": "kafka-deep-dive", "section": "nope"}),
            "sections in all); read_reference with only `document` lists every section",
        ),
        (
            "read_reference",
            json!({"document": "../../etc/passwd"}),
            "no document \"../../etc/passwd\"",
        ),
        (
            "read_reference",
            json!({"document": "SKILL.md", "max_tokens": 10}),
            "max_tokens must be at least 150",
        ),
        (
            "get_decision_table",
            json!({"table": "nope"}),
            "no decision table \"nope\"; available: architecture-decision-matrix",
        ),
        (
            "get_decision_table",
            json!({"table": "windowing-patterns", "filter": {"Colour": "x"}}),
            "has no column \"Colour\"; its columns: Pattern, Description, Use Case",
        ),
        ("list_references", json!({"extra": 1}), "unknown field `extra`"),
        (
            "route_request",
            json!({"request": "  "}),
            "request must be a non-empty text",
        ),
        (
            "route_request",
            json!({"text": "kafka"}),
            "unknown field `text`, expected `request`",
        ),
    ];
    for (tool, arguments, expected) in cases {
        let result = call(&client, tool, arguments.clone()).await;
        assert_eq!(result.is_error, Some(true), "{tool} {arguments}");
        assert!(
            text(&result).contains(expected),
            "{tool} {arguments}: {}",
            text(&result)
        );
    }
    let unknown = client
        .call_tool(CallToolRequestParams::new("no_such_tool"))
        .await
        .unwrap_err();
    assert!(
        matches!(unknown, ServiceError::McpError(ref e) if e.code == ErrorCode::INVALID_PARAMS),
        "{unknown:?}"
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn route_request_activates_routes_and_declines() {
    let client = connect().await;
    let cases = [
        (
            "our fraud alerts fire 20 minutes late",
            "activate",
            Some("streaming-data-skill"),
        ),
        (
            "my Airflow DAG that restarts a Kafka Connect connector needs a retry policy",
            "route",
            Some("data-orchestration-skill"),
        ),
        ("what should I cook for dinner tonight", "decline", None),
    ];
    for (request, decision, skill) in cases {
        let result = call(&client, "route_request", json!({"request": request})).await;
        let out = structured(&result);
        assert_eq!(out["decision"], decision, "{request}: {out}");
        assert_eq!(out["skill"].as_str(), skill, "{request}");
        let confidence = out["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        assert!(!out["reasons"].as_array().unwrap().is_empty());
        assert!(!out["next_steps"].as_array().unwrap().is_empty());
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn route_request_names_the_field_of_a_false_friend() {
    let client = connect().await;
    let result = call(
        &client,
        "route_request",
        json!({"request": "Django + Celery with RabbitMQ: tasks run twice when acks_late=True. How do I make them run once?"}),
    )
    .await;
    let out = structured(&result);
    assert_eq!(out["decision"], "decline", "{out}");
    assert_eq!(
        out["reasons"][0], "this is about background job queues in web applications, not data streaming",
        "{out}"
    );
    let rendered = text(&result);
    assert!(
        rendered.contains("because this is about background job queues"),
        "{rendered}"
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn read_reference_whole_truncated_and_by_heading_path() {
    let client = connect().await;
    let whole = structured(&call(&client, "read_reference", json!({"document": "kafka-deep-dive"})).await);
    assert_eq!(
        whole["truncated"], true,
        "a long reference is cut to the default budget"
    );
    assert!(whole["content"].as_str().unwrap().contains("## Contents"));
    assert!(whole["next_section"].is_string());

    let section = structured(
        &call(
            &client,
            "read_reference",
            json!({"document": "SKILL.md", "section": "Core Principles > Schema Evolution"}),
        )
        .await,
    );
    assert_eq!(section["section"], "schema-evolution");
    assert_eq!(section["truncated"], false);
    assert!(section["content"].as_str().unwrap().starts_with("### Schema Evolution"));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn list_references_covers_every_document() {
    let client = connect().await;
    let result = call(&client, "list_references", json!({})).await;
    let documents = structured(&result)["documents"].as_array().unwrap().clone();
    let names: Vec<_> = documents
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect();
    for name in [
        "SKILL.md",
        "kafka-deep-dive",
        "flink-spark-streaming",
        "warehouse-streaming-ingestion",
        "stream-testing-patterns",
        "security-compliance-patterns",
    ] {
        assert!(names.contains(&name.to_string()), "{name} missing from {names:?}");
    }
    for doc in &documents {
        assert!(doc["tokens"].as_u64().unwrap() > 500, "{doc}");
        assert!(!doc["description"].as_str().unwrap().is_empty(), "{doc}");
        assert!(doc["section_count"].as_u64().unwrap() > 0, "{doc}");
        assert!(doc.get("sections").is_none(), "sections only on request: {doc}");
    }
    // Compact by default: documents and their section counts, a few thousand characters.
    let compact = serde_json::to_string(&structured(&result)).unwrap();
    assert!(compact.len() < 6_000, "{} characters", compact.len());

    // Sections on request: for one document, or for all.
    let one = structured(&call(&client, "list_references", json!({"document": "kafka-deep-dive"})).await);
    let one = &one["documents"].as_array().unwrap()[0];
    assert_eq!(one["name"], "kafka-deep-dive");
    assert_eq!(
        one["sections"].as_array().unwrap().len() as u64,
        one["section_count"].as_u64().unwrap()
    );
    let all = structured(&call(&client, "list_references", json!({"sections": true})).await);
    assert!(
        all["documents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| !d["sections"].as_array().unwrap().is_empty())
    );
    let bad = call(&client, "list_references", json!({"document": "nope"})).await;
    assert_eq!(bad.is_error, Some(true));
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn decision_tables_list_one_and_filter() {
    let client = connect().await;
    let listing = structured(&call(&client, "get_decision_table", json!({})).await);
    let ids: Vec<&str> = listing["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids[0], "architecture-decision-matrix", "SKILL.md's tables come first");
    assert_eq!(ids[8], "security-capability-tiers", "{ids:?}");
    assert!(
        ids.contains(&"classic-vs-high-performance-snowpipe-streaming"),
        "reference documents' tables are listed too: {ids:?}"
    );
    let table = structured(
        &call(
            &client,
            "get_decision_table",
            json!({"table": "stream-processing-framework-selection", "filter": {"latency": "MS"}}),
        )
        .await,
    );
    let frameworks: Vec<_> = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["Framework"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(frameworks, ["Kafka Streams", "Apache Flink", "ksqlDB"]);
    assert_eq!(
        table["columns"],
        json!(["Framework", "Latency", "SQL", "Managed", "Best For", "Languages"])
    );
    assert_eq!(
        table["uri"],
        "skill://streaming-data-skill/tables/stream-processing-framework-selection"
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn resources_templates_and_unknown_uris() {
    let client = connect().await;
    let resources = client.list_all_resources().await.unwrap();
    let skill_md = resources
        .iter()
        .find(|r| r.uri == "skill://streaming-data-skill/SKILL.md")
        .unwrap();
    assert_eq!(skill_md.mime_type.as_deref(), Some("text/markdown"));
    for resource in &resources {
        let read = client
            .read_resource(ReadResourceRequestParams::new(resource.uri.clone()))
            .await
            .unwrap();
        assert!(!resource_text(&read.contents[0]).is_empty(), "{}", resource.uri);
    }
    let templates = client.list_all_resource_templates().await.unwrap();
    let uris: Vec<_> = templates.iter().map(|t| t.uri_template.as_str()).collect();
    assert_eq!(
        uris,
        [
            "skill://streaming-data-skill/sections/{document}/{section}",
            "skill://streaming-data-skill/tables/{table}"
        ]
    );

    let table = client
        .read_resource(ReadResourceRequestParams::new(
            "skill://streaming-data-skill/tables/schema-compatibility-modes",
        ))
        .await
        .unwrap();
    let json: Value = serde_json::from_str(resource_text(&table.contents[0])).unwrap();
    assert_eq!(json["rows"][1]["Use When"], "Producers upgrade first");

    for bad in [
        "skill://streaming-data-skill/references/nope.md",
        "skill://streaming-data-skill/../../etc/passwd",
        "https://example.com/x",
        "skill://streaming-data-skill/tables/nope",
    ] {
        let err = client
            .read_resource(ReadResourceRequestParams::new(bad))
            .await
            .unwrap_err();
        match err {
            ServiceError::McpError(e) => assert_eq!(e.code, ErrorCode::RESOURCE_NOT_FOUND, "{bad}"),
            other => panic!("{bad}: {other:?}"),
        }
    }
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn prompts_embed_what_the_task_needs() {
    let client = connect().await;
    let prompts = client.list_all_prompts().await.unwrap();
    let names: Vec<_> = prompts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "design-streaming-pipeline",
            "plan-schema-evolution",
            "troubleshoot-streaming-pipeline"
        ]
    );
    for prompt in &prompts {
        for argument in prompt.arguments.as_ref().unwrap() {
            assert!(argument.description.as_ref().is_some_and(|d| !d.is_empty()));
        }
    }
    let cases = [
        (
            "design-streaming-pipeline",
            json!({"use_case": "card fraud alerts", "latency_target": "1 second", "delivery_guarantee": "exactly-once"}),
            "Architecture Decision Matrix",
        ),
        (
            "troubleshoot-streaming-pipeline",
            json!({"symptom": "consumer lag grows at peak", "framework": "Kafka Streams"}),
            "| Consumer Lag | > 1M messages or > 5 min |",
        ),
        (
            "plan-schema-evolution",
            json!({"format": "avro", "change": "drop a required field", "upgrade_order": "consumers-first"}),
            "| FULL | Backward + Forward only |",
        ),
    ];
    for (name, arguments, expected) in cases {
        let result = client
            .get_prompt(GetPromptRequestParams::new(name).with_arguments(args(arguments)))
            .await
            .unwrap();
        let message = serde_json::to_value(&result.messages[0].content).unwrap();
        let body = message["text"].as_str().unwrap();
        assert!(body.contains(expected), "{name}: {body}");
        assert!(
            body.contains("skill://streaming-data-skill/sections/"),
            "{name} cites sections"
        );
    }
    let err = client
        .get_prompt(GetPromptRequestParams::new("plan-schema-evolution"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ServiceError::McpError(ref e) if e.code == ErrorCode::INVALID_PARAMS),
        "{err:?}"
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn completions_for_templates_and_prompt_arguments() {
    let client = connect().await;
    let complete = |reference: Reference, name: &str, value: &str| {
        let params: CompleteRequestParams =
            serde_json::from_value(json!({"ref": reference, "argument": ArgumentInfo::new(name, value)})).unwrap();
        client.complete(params)
    };
    let docs = complete(
        Reference::Resource(ResourceTemplateReference::new(
            "skill://streaming-data-skill/sections/{document}/{section}",
        )),
        "document",
        "stream-t",
    )
    .await
    .unwrap();
    assert_eq!(docs.completion.values, ["stream-testing-patterns"]);
    let tables = complete(
        Reference::Resource(ResourceTemplateReference::new(
            "skill://streaming-data-skill/tables/{table}",
        )),
        "table",
        "s",
    )
    .await
    .unwrap();
    let values = &tables.completion.values;
    assert!(
        values.iter().take_while(|v| v.starts_with('s')).count() >= 4,
        "ids that start with the prefix come first: {values:?}"
    );
    for id in [
        "stream-processing-framework-selection",
        "schema-compatibility-modes",
        "windowing-patterns",
    ] {
        assert!(values.iter().any(|v| v == id), "{id} in {values:?}");
    }
    let modes = complete(
        Reference::Prompt(PromptReference::new("plan-schema-evolution")),
        "compatibility_mode",
        "back",
    )
    .await
    .unwrap();
    assert_eq!(modes.completion.values, ["BACKWARD", "BACKWARD_TRANSITIVE"]);
    let unknown = complete(Reference::Prompt(PromptReference::new("not-a-prompt")), "x", "")
        .await
        .unwrap();
    assert!(unknown.completion.values.is_empty());
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn log_messages_follow_the_level_the_client_sets() {
    let recorder = Recorder::default();
    let client = connect_with(&[], recorder.clone()).await;
    call(&client, "search_references", json!({"query": "lag"})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        recorder.logs.lock().unwrap().is_empty(),
        "no logs before logging/setLevel"
    );

    client
        .set_level(SetLevelRequestParams::new(LoggingLevel::Debug))
        .await
        .unwrap();
    call(&client, "search_references", json!({"query": "lag"})).await;
    let mut waited = 0;
    while recorder
        .logs
        .lock()
        .unwrap()
        .iter()
        .all(|l| l.data["message"] != "tool call")
        && waited < 50
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
        waited += 1;
    }
    let logs = recorder.logs.lock().unwrap().clone();
    let tool_log = logs
        .iter()
        .find(|l| l.data["message"] == "tool call")
        .expect("a tool-call log message");
    assert_eq!(tool_log.level, LoggingLevel::Debug);
    assert_eq!(tool_log.data["fields"]["tool"], "search_references");

    client
        .set_level(SetLevelRequestParams::new(LoggingLevel::Error))
        .await
        .unwrap();
    let before = recorder.logs.lock().unwrap().len();
    call(&client, "search_references", json!({"query": "lag"})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        recorder.logs.lock().unwrap().len(),
        before,
        "debug events are below the error level"
    );
    client.cancel().await.unwrap();
}

/// Reads JSON lines from the server until the response with `id` arrives.
fn response(reader: &mut impl BufRead, id: u64) -> Value {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "server closed stdout before answering {id}"
        );
        let message: Value = serde_json::from_str(&line).expect("stdout carries only JSON-RPC");
        if message["id"] == id {
            return message;
        }
    }
}

#[test]
fn new_protocol_era_needs_no_initialize() {
    let mut child = StdCommand::new(BIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "raw", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {}
    });
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "id": 1, "method": "server/discover", "params": {"_meta": meta}})
    )
    .unwrap();
    let discover = response(&mut stdout, 1);
    assert!(
        discover["result"]["supportedVersions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v == "2026-07-28"),
        "{discover}"
    );
    writeln!(stdin, "{}", json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"_meta": meta, "name": "get_decision_table", "arguments": {"table": "windowing-patterns"}}})).unwrap();
    let call = response(&mut stdout, 2);
    assert_eq!(
        call["result"]["structuredContent"]["rows"][0]["Pattern"], "Tumbling",
        "{call}"
    );
    drop(stdin);
    let status = child.wait().unwrap();
    assert!(status.success());
}

#[test]
fn closing_stdin_at_any_point_exits_cleanly() {
    // Before initialize.
    let output = StdCommand::new(BIN).stdin(Stdio::null()).output().unwrap();
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));

    // After initialize, with a request still to answer.
    let mut child = StdCommand::new(BIN)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{}", json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})).unwrap();
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )
    .unwrap();
    writeln!(stdin, "{}", json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "search_references", "arguments": {"query": "watermark"}}})).unwrap();
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        serde_json::from_str::<Value>(line).expect("stdout carries only JSON-RPC");
    }
}

#[cfg(unix)]
#[test]
fn sigterm_and_sigint_exit_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let mut child = StdCommand::new(BIN)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "{}", json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "1"}}})).unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        response(&mut stdout, 1);
        let killed = StdCommand::new("kill")
            .args([signal, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the server did not exit on {signal}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "{signal}: {status:?}");
        drop(stdin);
    }
}

#[tokio::test]
async fn deciding_tools_answer_with_citations() {
    let client = connect().await;
    let batch = call(
        &client,
        "recommend_architecture",
        json!({"latency_target_seconds": 21600, "delivery": "at-least-once", "team": "sql-first"}),
    )
    .await;
    let advice = structured(&batch);
    assert_eq!(advice["architecture"]["name"], "Traditional Batch");
    assert_eq!(advice["batch_is_better"], true);
    assert!(text(&batch).contains("Batch meets this target"));
    for citation in advice["citations"].as_array().unwrap() {
        let uri = citation["uri"].as_str().unwrap();
        let read = call(&client, "read_reference", json!({"document": uri})).await;
        assert_ne!(read.is_error, Some(true), "{uri} opens with read_reference");
    }

    let health = structured(
        &call(
            &client,
            "evaluate_stream_health",
            json!({"consumer_stopped": true, "consumer_lag_messages": 2_000_000}),
        )
        .await,
    );
    assert_eq!(health["status"], "critical");
    assert_eq!(health["alerts"][0]["metric"], "consumer_stopped");
    assert_eq!(health["alerts"][1]["threshold"], "> 1M messages or > 5 min");

    let config = call(
        &client,
        "generate_kafka_config",
        json!({"role": "consumer", "delivery": "exactly-once", "profile": "low-latency", "security": "sasl-scram", "tier": "regulated"}),
    )
    .await;
    let config_json = structured(&config);
    assert!(
        config_json["properties"]
            .as_str()
            .unwrap()
            .contains("\nisolation.level=read_committed\n"),
        "{config_json}"
    );
    assert!(
        config_json.get("settings").is_none(),
        "the map would repeat the properties"
    );
    assert!(text(&config).contains("isolation.level=read_committed"));
    assert!(
        config_json["human_review"][0]
            .as_str()
            .unwrap()
            .contains("Generate for review")
    );

    let bad = call(
        &client,
        "recommend_architecture",
        json!({"latency_target_seconds": 1, "delivery": "twice", "team": "jvm"}),
    )
    .await;
    assert_eq!(bad.is_error, Some(true));
    assert!(text(&bad).contains("invalid argument `delivery`"), "{}", text(&bad));
    let bad = call(&client, "evaluate_stream_health", json!({"error_rate": 5})).await;
    assert_eq!(bad.is_error, Some(true));
    assert!(
        text(&bad).contains("0.002 = 0.2%") || text(&bad).contains("0.002 means 0.2%"),
        "{}",
        text(&bad)
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn schema_compatibility_over_mcp() {
    let client = connect().await;
    let v1 = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#;
    let v2 = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":["null","string"],"default":null}]}"#;
    let ok = structured(
        &call(
            &client,
            "check_schema_compatibility",
            json!({"format": "avro", "mode": "FULL_TRANSITIVE", "new_schema": v2, "previous_schemas": [v1]}),
        )
        .await,
    );
    assert_eq!(ok["compatible"], true);
    assert_eq!(ok["checked_against"], json!([1]), "versions are numbered from 1");
    let broken = call(
        &client,
        "check_schema_compatibility",
        json!({"format": "avro", "mode": "BACKWARD", "new_schema": "{\"type\": \"record\",\n \"name\": }", "previous_schemas": [v1]}),
    )
    .await;
    assert_eq!(broken.is_error, Some(true));
    assert!(
        text(&broken).contains("new schema") && text(&broken).contains("line 2"),
        "{}",
        text(&broken)
    );
    client.cancel().await.unwrap();
}
