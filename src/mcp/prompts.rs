//! MCP prompts: task templates that embed just the principles, tables and reference sections a
//! task needs, taken from the skill's own text (never the whole skill).

use rmcp::ErrorData as McpError;
use rmcp::model::{GetPromptResult, JsonObject, Prompt, PromptArgument, PromptMessage, Role};

use crate::library::SkillLibrary;
use crate::tables::DecisionTable;

/// Budget for the reference excerpts a prompt embeds, in tokens.
const EXCERPT_TOKENS: usize = 700;

/// The values of the `delivery_guarantee` argument.
pub const DELIVERY_GUARANTEES: [&str; 3] = ["exactly-once", "at-least-once", "best-effort"];
/// The values of the `format` argument.
pub const SCHEMA_FORMATS: [&str; 3] = ["avro", "json-schema", "protobuf"];
/// The values of the `upgrade_order` argument.
pub const UPGRADE_ORDERS: [&str; 3] = ["consumers-first", "producers-first", "unpredictable"];
/// The registry compatibility modes, beyond the three rows of the skill's table.
pub const EXTRA_COMPATIBILITY_MODES: [&str; 4] =
    ["BACKWARD_TRANSITIVE", "FORWARD_TRANSITIVE", "FULL_TRANSITIVE", "NONE"];

struct PromptSpec {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    arguments: &'static [(&'static str, &'static str, bool)],
}

const PROMPTS: [PromptSpec; 3] = [
    PromptSpec {
        name: "design-streaming-pipeline",
        title: "Design a streaming pipeline",
        description: "Design a real-time pipeline for a use case: architecture, engine, windowing, state and delivery semantics, grounded in the skill's decision tables.",
        arguments: &[
            (
                "use_case",
                "What the pipeline is for, e.g. \"fraud alerts on card payments\"",
                true,
            ),
            (
                "latency_target",
                "How fresh results must be, e.g. \"2 seconds\" or \"15 minutes\"",
                true,
            ),
            (
                "delivery_guarantee",
                "exactly-once, at-least-once or best-effort",
                false,
            ),
        ],
    },
    PromptSpec {
        name: "troubleshoot-streaming-pipeline",
        title: "Troubleshoot a streaming pipeline",
        description: "Diagnose a streaming symptom (lag, duplicates, late alerts, failing checkpoints) against the skill's monitoring thresholds and references.",
        arguments: &[
            (
                "symptom",
                "What is going wrong, e.g. \"consumer lag grows every evening\"",
                true,
            ),
            (
                "framework",
                "The engine involved, e.g. Apache Flink, Kafka Streams, Spark Structured Streaming",
                false,
            ),
        ],
    },
    PromptSpec {
        name: "plan-schema-evolution",
        title: "Plan a schema evolution",
        description: "Plan a schema change on a registry-governed topic: compatibility mode, upgrade order and a safe rollout.",
        arguments: &[
            ("format", "avro, json-schema or protobuf", true),
            (
                "change",
                "The change, e.g. \"remove the required field discount_code\"",
                true,
            ),
            (
                "upgrade_order",
                "Who upgrades first: consumers-first, producers-first or unpredictable",
                false,
            ),
            ("compatibility_mode", "The subject's current mode, e.g. BACKWARD", false),
        ],
    },
];

/// The prompt definitions.
pub fn list() -> Vec<Prompt> {
    PROMPTS
        .iter()
        .map(|spec| {
            let arguments = spec
                .arguments
                .iter()
                .map(|(name, description, required)| {
                    PromptArgument::new(*name)
                        .with_description(*description)
                        .with_required(*required)
                })
                .collect();
            Prompt::new(spec.name, Some(spec.description), Some(arguments)).with_title(spec.title)
        })
        .collect()
}

/// The names of a prompt's arguments, if the prompt exists.
pub fn argument_names(prompt: &str) -> Option<Vec<&'static str>> {
    PROMPTS
        .iter()
        .find(|p| p.name == prompt)
        .map(|p| p.arguments.iter().map(|a| a.0).collect())
}

/// Builds prompt `name` with `arguments` (strings, as clients send them).
pub fn get(library: &SkillLibrary, name: &str, arguments: Option<&JsonObject>) -> Result<GetPromptResult, McpError> {
    let spec = PROMPTS.iter().find(|p| p.name == name).ok_or_else(|| {
        McpError::invalid_params(
            format!(
                "no prompt {:?}; prompts: {}",
                crate::skill::files::display_name(name),
                PROMPTS.map(|p| p.name).join(", ")
            ),
            None,
        )
    })?;
    let empty = JsonObject::new();
    let arguments = arguments.unwrap_or(&empty);
    let arg = |key: &str| {
        arguments
            .get(key)
            .and_then(|v| v.as_str())
            .map(str::trim)
            .filter(|s| !s.is_empty())
    };
    for (key, _, required) in spec.arguments {
        if *required && arg(key).is_none() {
            return Err(McpError::invalid_params(
                format!("prompt {name} needs the argument `{key}`"),
                None,
            ));
        }
    }
    if let Some(unknown) = arguments
        .keys()
        .find(|k| !spec.arguments.iter().any(|a| a.0 == k.as_str()))
    {
        let known: Vec<&str> = spec.arguments.iter().map(|a| a.0).collect();
        return Err(McpError::invalid_params(
            format!(
                "prompt {name} has no argument `{}`; its arguments: {}",
                crate::skill::files::display_name(unknown),
                known.join(", ")
            ),
            None,
        ));
    }
    let text = match name {
        "design-streaming-pipeline" => design(
            library,
            arg("use_case").unwrap_or_default(),
            arg("latency_target").unwrap_or_default(),
            arg("delivery_guarantee"),
        ),
        "troubleshoot-streaming-pipeline" => {
            troubleshoot(library, arg("symptom").unwrap_or_default(), arg("framework"))
        }
        _ => schema_evolution(
            library,
            arg("format").unwrap_or_default(),
            arg("change").unwrap_or_default(),
            arg("upgrade_order"),
            arg("compatibility_mode"),
        ),
    }
    .map_err(|e| McpError::internal_error(e.to_string(), None))?;
    Ok(GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)]).with_description(spec.description))
}

type Built = Result<String, crate::library::LibraryError>;

fn design(library: &SkillLibrary, use_case: &str, latency: &str, delivery: Option<&str>) -> Built {
    let delivery = delivery.unwrap_or("not stated: recommend one");
    let mut out = format!(
        "Design a streaming data pipeline.\n\n- Use case: {use_case}\n- Latency target: {latency}\n- Delivery guarantee: {delivery}\n\n\
         Recommend, with reasons: the architecture (a row of the matrix, or batch if the latency target allows it), the processing engine, \
         windowing and watermarks, the state backend and checkpoint interval, the delivery semantics (and how idempotency is achieved), and \
         the first monitoring alerts. Cite the skill sections you rely on by their uri.\n\n"
    );
    for id in [
        "architecture-decision-matrix",
        "stream-processing-framework-selection",
        "windowing-patterns",
    ] {
        out.push_str(&table_block(&library.table(None, id)?));
    }
    out.push_str(&section_block(library, "SKILL.md", "exactly-once-vs-at-least-once")?);
    out.push_str(&section_block(
        library,
        "SKILL.md",
        "state-management-and-checkpointing",
    )?);
    out.push_str(&excerpts(library, &format!("{use_case} {latency}"))?);
    Ok(out)
}

fn troubleshoot(library: &SkillLibrary, symptom: &str, framework: Option<&str>) -> Built {
    let framework_line = framework.map(|f| format!("- Framework: {f}\n")).unwrap_or_default();
    let mut out = format!(
        "Troubleshoot a streaming pipeline.\n\n- Symptom: {symptom}\n{framework_line}\n\
         Work out the most likely causes in order, the metrics that tell them apart, and the fix for each. Compare what is \
         observed with the alert thresholds and tiers below. Cite the skill sections you rely on by their uri.\n\n"
    );
    out.push_str(&table_block(&library.table(None, "monitoring-thresholds")?));
    out.push_str(&table_block(&library.table(None, "alert-tiers")?));
    out.push_str(&section_block(library, "SKILL.md", "backpressure-awareness")?);
    out.push_str(&excerpts(
        library,
        &format!("{symptom} {}", framework.unwrap_or_default()),
    )?);
    Ok(out)
}

fn schema_evolution(
    library: &SkillLibrary,
    format: &str,
    change: &str,
    order: Option<&str>,
    mode: Option<&str>,
) -> Built {
    let order_line = order
        .map(|o| format!("- Who upgrades first: {o}\n"))
        .unwrap_or_default();
    let mode_line = mode
        .map(|m| format!("- Current compatibility mode: {m}\n"))
        .unwrap_or_default();
    let mut out = format!(
        "Plan a schema evolution on a schema-registry subject.\n\n- Format: {format}\n- Change: {change}\n{order_line}{mode_line}\n\
         Say whether the change is allowed under the mode, which mode fits the upgrade order, and give a safe rollout in phases \
         (registry settings, producer and consumer deployments, clean-up). Cite the skill sections you rely on by their uri.\n\n"
    );
    out.push_str(&table_block(&library.table(None, "schema-compatibility-modes")?));
    out.push_str(&section_block(library, "SKILL.md", "schema-evolution")?);
    out.push_str(&excerpts(
        library,
        &format!("schema registry compatibility {format} {change}"),
    )?);
    Ok(out)
}

fn table_block(table: &DecisionTable) -> String {
    format!(
        "### {}\n\n{}\n",
        table.title,
        table.to_markdown(&table.rows.iter().collect::<Vec<_>>())
    )
}

fn section_block(library: &SkillLibrary, document: &str, section: &str) -> Built {
    let reply = library.read(None, document, Some(section), Some(EXCERPT_TOKENS))?;
    Ok(format!("{}\n(uri: {})\n\n", reply.content, reply.uri))
}

/// The two best reference sections for `query` (not SKILL.md, whose tables are already in).
fn excerpts(library: &SkillLibrary, query: &str) -> Built {
    let hits = library.search(query, Some(6), None, None, None)?.hits;
    let mut out = String::from("## Relevant reference sections\n\n");
    for hit in hits.iter().filter(|h| h.document != "SKILL.md").take(2) {
        let reply = library.read(
            Some(&hit.skill),
            &hit.document,
            Some(&hit.section),
            Some(EXCERPT_TOKENS),
        )?;
        out.push_str(&format!(
            "{}\n(uri: {}{})\n\n",
            reply.content,
            reply.uri,
            if reply.truncated { ", cut short" } else { "" }
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skill::Skill;
    use std::sync::Arc;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    fn args(pairs: &[(&str, &str)]) -> JsonObject {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect()
    }

    fn text(result: &GetPromptResult) -> String {
        serde_json::to_value(&result.messages[0].content).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn design_prompt_embeds_tables_not_the_whole_skill() {
        let lib = library();
        let result = get(
            &lib,
            "design-streaming-pipeline",
            Some(&args(&[("use_case", "fraud alerts"), ("latency_target", "2 seconds")])),
        )
        .unwrap();
        let text = text(&result);
        assert!(text.contains("| Kappa Architecture | Milliseconds-seconds | Medium |"));
        assert!(text.contains("Use case: fraud alerts"));
        assert!(!text.contains("## Security Posture"));
        assert!(
            crate::tokens::estimate(&text) < 4_000,
            "{}",
            crate::tokens::estimate(&text)
        );
    }

    #[test]
    fn missing_and_unknown_arguments_are_invalid_params() {
        let lib = library();
        let err = get(&lib, "plan-schema-evolution", Some(&args(&[("format", "avro")]))).unwrap_err();
        assert_eq!(err.message, "prompt plan-schema-evolution needs the argument `change`");
        let err = get(
            &lib,
            "troubleshoot-streaming-pipeline",
            Some(&args(&[("symptom", "lag"), ("colour", "red")])),
        )
        .unwrap_err();
        assert!(err.message.contains("has no argument `colour`"));
        assert!(get(&lib, "nope", None).is_err());
    }

    #[test]
    fn every_prompt_builds() {
        let lib = library();
        assert!(
            get(
                &lib,
                "troubleshoot-streaming-pipeline",
                Some(&args(&[
                    ("symptom", "consumer lag grows at peak"),
                    ("framework", "Apache Flink")
                ]))
            )
            .is_ok()
        );
        let result = get(
            &lib,
            "plan-schema-evolution",
            Some(&args(&[
                ("format", "avro"),
                ("change", "remove a required field"),
                ("upgrade_order", "consumers-first"),
            ])),
        )
        .unwrap();
        assert!(text(&result).contains("| BACKWARD | Delete fields, add optional |"));
        assert_eq!(list().len(), 3);
    }
}
