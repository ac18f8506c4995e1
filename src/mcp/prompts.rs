//! MCP prompts: task templates that embed just the principles, tables and reference sections a
//! task needs, taken from the skill's own text (never the whole skill). Each is declared once,
//! by its `#[prompt]` handler and argument struct (whose field docs are the argument
//! descriptions); a missing or unknown argument is invalid params that names it.

use rmcp::handler::server::prompt::PromptContext;
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::model::{GetPromptRequestParams, GetPromptResponse, GetPromptResult, Prompt, PromptMessage, Role};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer, prompt, prompt_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::SkillServer;
use super::arguments::Parameters;
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

/// Arguments of `design-streaming-pipeline`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DesignArguments {
    /// What the pipeline is for, e.g. "fraud alerts on card payments"
    pub use_case: String,
    /// How fresh results must be, e.g. "2 seconds" or "15 minutes"
    pub latency_target: String,
    /// exactly-once, at-least-once or best-effort
    pub delivery_guarantee: Option<String>,
}

/// Arguments of `troubleshoot-streaming-pipeline`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct TroubleshootArguments {
    /// What is going wrong, e.g. "consumer lag grows every evening"
    pub symptom: String,
    /// The engine involved, e.g. Apache Flink, Kafka Streams, Spark Structured Streaming
    pub framework: Option<String>,
}

/// Arguments of `plan-schema-evolution`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SchemaEvolutionArguments {
    /// avro, json-schema or protobuf
    pub format: String,
    /// The change, e.g. "remove the required field discount_code"
    pub change: String,
    /// Who upgrades first: consumers-first, producers-first or unpredictable
    pub upgrade_order: Option<String>,
    /// The subject's current mode, e.g. BACKWARD
    pub compatibility_mode: Option<String>,
}

// `#[prompt]` generates a public `*_prompt_attr` function per prompt, without a doc comment.
#[allow(missing_docs)]
#[prompt_router(router = "prompt_router", vis = "pub(super)")]
impl SkillServer {
    #[prompt(
        name = "design-streaming-pipeline",
        title = "Design a streaming pipeline",
        description = "Design a real-time pipeline for a use case: architecture, engine, windowing, state and delivery semantics, grounded in the skill's decision tables."
    )]
    fn design_streaming_pipeline(&self, params: Parameters<DesignArguments>) -> Result<GetPromptResult, McpError> {
        let a = params.prompt_arguments()?;
        message(design(
            &self.library(),
            &a.use_case,
            &a.latency_target,
            a.delivery_guarantee.as_deref(),
        ))
    }

    #[prompt(
        name = "troubleshoot-streaming-pipeline",
        title = "Troubleshoot a streaming pipeline",
        description = "Diagnose a streaming symptom (lag, duplicates, late alerts, failing checkpoints) against the skill's monitoring thresholds and references."
    )]
    fn troubleshoot_streaming_pipeline(
        &self,
        params: Parameters<TroubleshootArguments>,
    ) -> Result<GetPromptResult, McpError> {
        let a = params.prompt_arguments()?;
        message(troubleshoot(&self.library(), &a.symptom, a.framework.as_deref()))
    }

    #[prompt(
        name = "plan-schema-evolution",
        title = "Plan a schema evolution",
        description = "Plan a schema change on a registry-governed topic: compatibility mode, upgrade order and a safe rollout."
    )]
    fn plan_schema_evolution(&self, params: Parameters<SchemaEvolutionArguments>) -> Result<GetPromptResult, McpError> {
        let a = params.prompt_arguments()?;
        message(schema_evolution(
            &self.library(),
            &a.format,
            &a.change,
            a.upgrade_order.as_deref(),
            a.compatibility_mode.as_deref(),
        ))
    }
}

/// The prompts a server offers, in `prompts/list` order. Built once per server, on the first
/// `prompts/list` or `prompts/get`.
#[derive(Debug)]
pub struct Prompts {
    router: PromptRouter<SkillServer>,
}

impl Prompts {
    /// Every prompt but those `left_out` names.
    pub fn build(left_out: impl Fn(&str) -> bool) -> Self {
        let mut router = SkillServer::prompt_router();
        router.map.retain(|name, _| !left_out(name));
        Self { router }
    }

    /// The definitions, by name.
    pub fn list(&self) -> Vec<Prompt> {
        self.router.list_all()
    }

    /// Builds the prompt the request names. An unknown prompt is invalid params that lists the
    /// prompts.
    pub async fn get(
        &self,
        server: &SkillServer,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        if !self.router.has_route(&request.name) {
            let names: Vec<String> = self.list().into_iter().map(|p| p.name).collect();
            return Err(McpError::invalid_params(
                format!(
                    "no prompt {:?}; prompts: {}",
                    crate::skill::files::display_name(&request.name),
                    names.join(", ")
                ),
                None,
            ));
        }
        let description = self
            .router
            .map
            .get(request.name.as_str())
            .and_then(|r| r.attr.description.clone());
        let context = PromptContext::new(server, request.name, request.arguments, context);
        Ok(match self.router.get_prompt(context).await? {
            GetPromptResponse::Complete(result) if result.description.is_none() => match description {
                Some(d) => result.with_description(d).into(),
                None => result.into(),
            },
            other => other,
        })
    }
}

/// Every prompt's definition, as `prompts/list` gives them for a skill that supports them all.
pub fn list() -> Vec<Prompt> {
    Prompts::build(|_| false).list()
}

/// The names of a prompt's arguments, if the prompt exists.
pub fn argument_names(prompt: &str) -> Option<Vec<String>> {
    list()
        .into_iter()
        .find(|p| p.name == prompt)
        .map(|p| p.arguments.unwrap_or_default().into_iter().map(|a| a.name).collect())
}

fn message(text: Built) -> Result<GetPromptResult, McpError> {
    let text = text.map_err(|e| McpError::internal_error(e.to_string(), None))?;
    Ok(GetPromptResult::new(vec![PromptMessage::new_text(Role::User, text)]))
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

    fn server() -> SkillServer {
        SkillServer::new(Arc::new(SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])))
    }

    /// Runs prompt `name`'s handler with string arguments, as a client sends them.
    fn get(name: &str, pairs: &[(&str, &str)]) -> Result<GetPromptResult, McpError> {
        let arguments: rmcp::model::JsonObject = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.to_string())))
            .collect();
        let server = server();
        match name {
            "design-streaming-pipeline" => server.design_streaming_pipeline(Parameters::new(name, arguments)),
            "troubleshoot-streaming-pipeline" => {
                server.troubleshoot_streaming_pipeline(Parameters::new(name, arguments))
            }
            _ => server.plan_schema_evolution(Parameters::new(name, arguments)),
        }
    }

    fn text(result: &GetPromptResult) -> String {
        serde_json::to_value(&result.messages[0].content).unwrap()["text"]
            .as_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn design_prompt_embeds_tables_not_the_whole_skill() {
        let result = get(
            "design-streaming-pipeline",
            &[("use_case", "fraud alerts"), ("latency_target", "2 seconds")],
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
        let err = get("plan-schema-evolution", &[("format", "avro")]).unwrap_err();
        assert_eq!(err.message, "prompt plan-schema-evolution needs the argument `change`");
        let err = get(
            "troubleshoot-streaming-pipeline",
            &[("symptom", "lag"), ("colour", "red")],
        )
        .unwrap_err();
        assert_eq!(
            err.message,
            "prompt troubleshoot-streaming-pipeline has no argument `colour`; its arguments: symptom, framework"
        );
    }

    #[test]
    fn every_prompt_builds() {
        assert!(
            get(
                "troubleshoot-streaming-pipeline",
                &[("symptom", "consumer lag grows at peak"), ("framework", "Apache Flink")]
            )
            .is_ok()
        );
        let result = get(
            "plan-schema-evolution",
            &[
                ("format", "avro"),
                ("change", "remove a required field"),
                ("upgrade_order", "consumers-first"),
            ],
        )
        .unwrap();
        assert!(text(&result).contains("| BACKWARD | Delete fields, add optional |"));
    }

    #[test]
    fn prompts_are_listed_with_titles_and_argument_descriptions() {
        let prompts = list();
        let names: Vec<&str> = prompts.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "design-streaming-pipeline",
                "plan-schema-evolution",
                "troubleshoot-streaming-pipeline"
            ]
        );
        let design = &prompts[0];
        assert_eq!(design.title.as_deref(), Some("Design a streaming pipeline"));
        let arguments = design.arguments.as_ref().unwrap();
        assert_eq!(arguments[0].name, "use_case");
        assert_eq!(arguments[0].required, Some(true));
        assert_eq!(
            arguments[0].description.as_deref(),
            Some("What the pipeline is for, e.g. \"fraud alerts on card payments\"")
        );
        assert_eq!(arguments[2].required, Some(false));
        assert_eq!(
            argument_names("plan-schema-evolution").unwrap(),
            ["format", "change", "upgrade_order", "compatibility_mode"]
        );
        assert!(Prompts::build(|n| n == "plan-schema-evolution").list().len() == 2);
    }
}
