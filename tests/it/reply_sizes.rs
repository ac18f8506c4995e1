//! Each deciding tool's default reply (text and structured content, as a client receives the
//! result) stays under 1,500 o200k tokens, measured with the real tokenizer over typical and
//! worst-case calls, without losing its decision or its citations.

use std::sync::Arc;

use rmcp::ServiceExt;
use rmcp::model::CallToolRequestParams;
use serde_json::{Value, json};
use streaming_skill::library::SkillLibrary;
use streaming_skill::mcp::SkillServer;
use streaming_skill::skill::Skill;

/// The most o200k tokens a deciding tool's default reply may take.
const MAX_REPLY_TOKENS: usize = 1_500;

fn calls() -> Vec<(&'static str, Value)> {
    let mut calls = Vec::new();
    for (latency, delivery, team) in [
        (0.5, "exactly-once", "jvm"),
        (2.0, "at-least-once", "python"),
        (30.0, "exactly-once", "sql-first"),
        (21_600.0, "at-least-once", "sql-first"),
        (0.05, "best-effort", "mixed"),
    ] {
        calls.push((
            "recommend_architecture",
            json!({"latency_target_seconds": latency, "delivery": delivery, "team": team, "state_size_gb": 300, "platform": "aws", "needs_reprocessing": true, "use_case": "fraud detection with sessions and joins"}),
        ));
        calls.push((
            "recommend_architecture",
            json!({"latency_target_seconds": latency, "delivery": delivery, "team": team}),
        ));
    }
    calls.push(("evaluate_stream_health", json!({"consumer_lag_seconds": 420})));
    calls.push((
        "evaluate_stream_health",
        json!({"consumer_lag_messages": 5_000_000, "consumer_lag_seconds": 900, "throughput_ratio_to_baseline": 0.3, "error_rate": 0.05, "critical_pipeline": true, "checkpoint_duration_seconds": 200, "checkpoint_interval_seconds": 60, "backpressure_ratio": 0.9, "backpressure_sustained_minutes": 30, "partition_max_min_ratio": 10, "consumer_stopped": true, "eos_violation": true}),
    ));
    calls.push((
        "check_schema_compatibility",
        json!({"format": "avro", "mode": "FULL_TRANSITIVE", "new_schema": r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"long"},{"name":"total","type":"double"}]}"#, "previous_schemas": [r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"note","type":"string"}]}"#, r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#]}),
    ));
    for role in ["producer", "consumer", "streams", "connect-worker"] {
        for (security, tier) in [
            ("mtls", "regulated"),
            ("sasl-scram", "air-gapped"),
            ("oauth", "cloud-native"),
        ] {
            calls.push((
                "generate_kafka_config",
                json!({"role": role, "delivery": "exactly-once", "profile": "balanced", "security": security, "tier": tier}),
            ));
        }
    }
    calls
}

#[tokio::test]
async fn deciding_replies_stay_under_the_token_limit() {
    let o200k = tiktoken_rs::o200k_base().unwrap();
    // The server in this process, and rmcp's client, over an in-memory pipe.
    let library = Arc::new(SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())]));
    let (server_io, client_io) = tokio::io::duplex(1 << 20);
    tokio::spawn(async move {
        let server = SkillServer::new(library).serve(server_io).await?;
        server.waiting().await.map_err(anyhow::Error::from)
    });
    let client = ().serve(client_io).await.unwrap();
    let mut largest: Vec<(usize, String)> = Vec::new();
    for (tool, arguments) in calls() {
        let request = CallToolRequestParams::new(tool).with_arguments(arguments.as_object().cloned().unwrap());
        let result = client.call_tool(request).await.expect("a tool result");
        assert_ne!(result.is_error, Some(true), "{tool} {arguments}: {result:?}");
        // Nothing that decided is dropped to fit: every reply cites the skill, each citation
        // with a source and a uri to open.
        let citations = result.structured_content.as_ref().unwrap()["citations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!citations.is_empty(), "{tool} {arguments}: no citations");
        for c in &citations {
            assert!(
                c["source"].is_string() && c["uri"].as_str().unwrap().starts_with("skill://"),
                "{c}"
            );
        }
        // A client gives the model the text content or the structured content (the text is
        // the structured content's rendering for clients without structured output): each one
        // must fit.
        let text = serde_json::to_string(&result.content).unwrap();
        let structured = serde_json::to_string(result.structured_content.as_ref().unwrap()).unwrap();
        for (channel, json) in [("text", text), ("structured", structured)] {
            let tokens = o200k.encode_with_special_tokens(&json).len();
            largest.push((tokens, format!("{channel} {tool} {arguments}")));
        }
    }
    largest.sort_by_key(|(tokens, _)| std::cmp::Reverse(*tokens));
    for (tokens, call) in &largest {
        println!("{tokens:>6}  {}", &call[..call.len().min(150)]);
    }
    let over: Vec<&(usize, String)> = largest.iter().filter(|(t, _)| *t > MAX_REPLY_TOKENS).collect();
    assert!(
        over.is_empty(),
        "replies over {MAX_REPLY_TOKENS} o200k tokens: {over:#?}"
    );
}
