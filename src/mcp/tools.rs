//! The MCP tools: their parameter and output schemas, their descriptions (written to stand on
//! their own, since many clients drop the server's instructions), and the dispatch from a
//! `tools/call` to the library. A bad argument comes back as a tool result with `isError`
//! that names the argument and what is allowed.

use std::sync::Arc;

use rmcp::model::{CallToolResult, ContentBlock, JsonObject, Tool, ToolAnnotations};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::decide::architecture::{self, ArchitectureAdvice, ArchitectureInput};
use crate::decide::health::{self, HealthInput, HealthReport};
use crate::decide::kafka_config::{self, KafkaConfig, KafkaConfigInput};
use crate::decide::schema::{self, SchemaCheck, SchemaCheckInput};
use crate::decide::text;
use crate::library::{LibraryError, ReadReply, ReferenceSummary, SearchReply, SkillLibrary};
use crate::review::{ConfigReview, ReviewInput};
use crate::routing::RouteDecision;
use crate::skill::{SkillError, uri};
use crate::tables::DecisionTable;

/// Parameters of `search_references`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SearchReferencesParams {
    /// Keywords, e.g. "consumer lag rebalance"; typos are tolerated.
    pub query: String,
    /// Most hits to return (default 5).
    #[schemars(range(min = 1, max = crate::library::MAX_SEARCH_LIMIT))]
    pub limit: Option<usize>,
    /// Only search this document (a name from list_references, e.g. "kafka-deep-dive").
    pub document: Option<String>,
    /// Token budget for the reply; hits that do not fit are left out.
    #[schemars(range(min = crate::library::MIN_MAX_TOKENS))]
    pub max_tokens: Option<usize>,
    /// Only this skill's documents (default: all).
    pub skill: Option<String>,
}

/// Parameters of `read_reference`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadReferenceParams {
    /// "SKILL.md", a reference name (e.g. "flink-spark-streaming") or a uri from a search hit.
    pub document: String,
    /// Slug, heading path or a unique part of one; omit for the whole document.
    pub section: Option<String>,
    /// Token budget (default 4000); longer content is cut, with next_section to continue.
    #[schemars(range(min = crate::library::MIN_MAX_TOKENS))]
    pub max_tokens: Option<usize>,
    /// Skill of the document (default: streaming-data-skill).
    pub skill: Option<String>,
}

/// Parameters of `list_references`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListReferencesParams {
    /// Only this skill's documents (default: all).
    pub skill: Option<String>,
    /// One document, with its sections.
    pub document: Option<String>,
    /// Also list every document's sections.
    pub sections: Option<bool>,
}

/// Parameters of `get_decision_table`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetDecisionTableParams {
    /// Table id, e.g. "architecture-decision-matrix"; omit to list the tables.
    pub table: Option<String>,
    /// Keep rows whose named column contains the text (case-insensitive), e.g. {"Latency": "ms"}.
    pub filter: Option<std::collections::BTreeMap<String, String>>,
}

/// Parameters of `route_request`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteRequestParams {
    /// The user's request, verbatim.
    pub request: String,
}

/// Output of `list_references`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListReferencesOutput {
    /// Every document: SKILL.md first, then the references.
    pub documents: Vec<ReferenceSummary>,
}

/// A decision table in the listing.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TableSummary {
    /// The id to pass as `table`.
    pub id: String,
    /// Its heading.
    pub title: String,
    /// What it decides.
    pub description: String,
    /// Its columns.
    pub columns: Vec<String>,
}

/// Output of `get_decision_table`: the list of tables, or one table.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DecisionTableOutput {
    /// The tables, when no table was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tables: Option<Vec<TableSummary>>,
    /// The table's id, when one was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// Its heading.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What it decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its columns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
    /// Its rows (after the filter), each keyed by column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<JsonObject>>,
    /// The `skill://` URI of the table as JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// The names of the tools.
pub const TOOL_NAMES: [&str; 10] = [
    "search_references",
    "read_reference",
    "list_references",
    "get_decision_table",
    "route_request",
    "recommend_architecture",
    "evaluate_stream_health",
    "check_schema_compatibility",
    "generate_kafka_config",
    "review_config",
];

/// The tool definitions, built once.
pub fn definitions() -> Vec<Tool> {
    // No titles: the names say what each tool is, and every word here is in the model's context.
    let annotations = || {
        ToolAnnotations::new()
            .read_only(true)
            .idempotent(true)
            .open_world(false)
    };
    vec![
        Tool::new(
            "search_references",
            "Keyword search over the skill's expert references (Kafka, Flink, Spark, CDC, lakehouse sinks, warehouses, testing). Returns ranked sections with snippets and a uri for read_reference.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<SearchReferencesParams>()
        .with_output_schema::<SearchReply>()
        .with_annotations(annotations()),
        Tool::new(
            "read_reference",
            "Read SKILL.md or a reference, whole or one section, as markdown within a token budget; long documents return a table of contents and next_section.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<ReadReferenceParams>()
        .with_output_schema::<ReadReply>()
        .with_annotations(annotations()),
        Tool::new(
            "list_references",
            "List the skill's documents: description, uri, tokens, section count (sections on request).",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<ListReferencesParams>()
        .with_output_schema::<ListReferencesOutput>()
        .with_annotations(annotations()),
        Tool::new(
            "get_decision_table",
            "The decision tables of SKILL.md and the references as data (architecture, monitoring, CDC, sinks, config rules...); no id lists them.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<GetDecisionTableParams>()
        .with_output_schema::<DecisionTableOutput>()
        .with_annotations(annotations()),
        Tool::new(
            "route_request",
            "Decide whether a request belongs to this skill (activate), a sibling skill (route) or none (decline), with confidence, quoted reasons and next steps.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<RouteRequestParams>()
        .with_output_schema::<RouteDecision>()
        .with_annotations(annotations()),
        Tool::new(
            "recommend_architecture",
            "Pick an architecture (or batch) for a latency target, delivery guarantee and team; rank stream processors with why and why not; windowing, state and delivery advice, cited.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<ArchitectureInput>()
        .with_output_schema::<ArchitectureAdvice>()
        .with_annotations(annotations()),
        Tool::new(
            "evaluate_stream_health",
            "Judge pipeline metrics against the skill's monitoring thresholds: status, tiered alerts with meaning and first actions.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<HealthInput>()
        .with_output_schema::<HealthReport>()
        .with_annotations(annotations()),
        Tool::new(
            "check_schema_compatibility",
            "Check a new Avro, JSON Schema or Protobuf schema against previous versions under a Schema Registry compatibility mode, as the registry would; each violation has a path, rule and fix.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<SchemaCheckInput>()
        .with_output_schema::<SchemaCheck>()
        .with_annotations(annotations()),
        Tool::new(
            "generate_kafka_config",
            "Kafka client properties for a role, delivery, profile, security mode and tier: a reason per setting, secrets as placeholders, warnings, human-review steps.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<KafkaConfigInput>()
        .with_output_schema::<KafkaConfig>()
        .with_annotations(annotations()),
        // review_config (issue 19)
        Tool::new(
            "review_config",
            "Check a user's Kafka, Flink or Spark config against the skill's rules: cited findings, unknown keys with did-you-mean; secrets never echoed.",
            Arc::new(JsonObject::new()),
        )
        .with_input_schema::<ReviewInput>()
        .with_output_schema::<ConfigReview>()
        .with_annotations(annotations()),
    ]
    .into_iter()
    .map(compact_schemas)
    .collect()
}

/// Compacts a tool's schemas (see the `schema` module): they sit in every model's context.
fn compact_schemas(tool: Tool) -> Tool {
    let mut tool = tool;
    tool.input_schema = Arc::new(super::schema::compact_input(&tool.input_schema));
    if let Some(output) = tool.output_schema.clone() {
        tool = tool.with_raw_output_schema(Arc::new(super::schema::shallow_output(&output)));
    }
    tool
}

/// Runs tool `name` with `arguments`. `None` when there is no such tool.
pub fn call(library: &SkillLibrary, name: &str, arguments: Option<JsonObject>) -> Option<CallToolResult> {
    let arguments = serde_json::Value::Object(arguments.unwrap_or_default());
    let result = match name {
        "search_references" => run(name, arguments, |p: SearchReferencesParams| {
            let reply = library.search(
                &p.query,
                p.limit,
                p.document.as_deref(),
                p.skill.as_deref(),
                p.max_tokens,
            )?;
            Ok((render_search(&p.query, &reply), reply))
        }),
        "read_reference" => run(name, arguments, |p: ReadReferenceParams| {
            let reply = library.read(p.skill.as_deref(), &p.document, p.section.as_deref(), p.max_tokens)?;
            Ok((render_read(&reply), reply))
        }),
        "list_references" => run(name, arguments, |p: ListReferencesParams| {
            let sections = p.sections.unwrap_or(p.document.is_some());
            let documents = library.list_references(p.skill.as_deref(), p.document.as_deref(), sections)?;
            Ok((render_list(&documents), ListReferencesOutput { documents }))
        }),
        "get_decision_table" => run(name, arguments, |p: GetDecisionTableParams| decision_table(library, p)),
        "route_request" => run(name, arguments, |p: RouteRequestParams| {
            let decision = library.route(&p.request)?;
            Ok((super::steps::route(&decision), decision))
        }),
        "recommend_architecture" => run(name, arguments, |p: ArchitectureInput| {
            let advice = architecture::recommend(&library.facts(None)?, &p)?;
            Ok((text::architecture(&advice), advice))
        }),
        "evaluate_stream_health" => run(name, arguments, |p: HealthInput| {
            let report = health::evaluate(&library.facts(None)?, &p)?;
            Ok((text::health(&report), report))
        }),
        "check_schema_compatibility" => run(name, arguments, |p: SchemaCheckInput| {
            let check = schema::check(&library.facts(None)?, &p)?;
            Ok((schema::text(&check), check))
        }),
        "generate_kafka_config" => run(name, arguments, |p: KafkaConfigInput| {
            let config = kafka_config::generate(&library.facts(None)?, &p)?;
            Ok((text::kafka_config(&config), config))
        }),
        // review_config (issue 19)
        "review_config" => run(name, arguments, |p: ReviewInput| {
            let review = library.review(&p)?;
            Ok((crate::review::text(p.system, &review), review))
        }),
        _ => return None,
    };
    Some(result)
}

fn run<P, O>(
    tool: &str,
    arguments: serde_json::Value,
    f: impl FnOnce(P) -> Result<(String, O), LibraryError>,
) -> CallToolResult
where
    P: DeserializeOwned,
    O: Serialize,
{
    let params: P = match serde_path_to_error::deserialize(arguments) {
        Ok(p) => p,
        Err(e) => return argument_error(tool, &e),
    };
    match f(params) {
        Ok((text, output)) => {
            let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
            result.structured_content = Some(serde_json::to_value(output).unwrap_or_default());
            result
        }
        Err(e) => {
            let hint = match &e {
                LibraryError::Skill(SkillError::SectionNotFound { .. } | SkillError::SectionAmbiguous { .. }) => {
                    "; read_reference with only `document` lists every section"
                }
                _ => "",
            };
            CallToolResult::error(vec![ContentBlock::text(format!("{tool}: {e}{hint}"))])
        }
    }
}

fn argument_error(tool: &str, error: &serde_path_to_error::Error<serde_json::Error>) -> CallToolResult {
    let path = error.path().to_string();
    let inner = error.inner().to_string();
    let inner = inner.split(" at line ").next().unwrap_or(&inner);
    let message = if path == "." || path.is_empty() {
        format!("{tool}: invalid arguments: {inner}")
    } else {
        format!("{tool}: invalid argument `{path}`: {inner}")
    };
    CallToolResult::error(vec![ContentBlock::text(message)])
}

fn decision_table(
    library: &SkillLibrary,
    p: GetDecisionTableParams,
) -> Result<(String, DecisionTableOutput), LibraryError> {
    let skill = library.primary().name().to_string();
    let Some(id) = p.table else {
        let tables = library.tables(None)?;
        let text = tables
            .iter()
            .map(|t| format!("- {}: {} Columns: {}.", t.id, t.description, t.columns.join(", ")))
            .collect::<Vec<_>>()
            .join("\n");
        let summaries = tables
            .into_iter()
            .map(|t| TableSummary {
                id: t.id,
                title: t.title,
                description: t.description,
                columns: t.columns,
            })
            .collect();
        return Ok((
            format!("Decision tables (pass an id as `table`):\n{text}"),
            DecisionTableOutput {
                tables: Some(summaries),
                table: None,
                title: None,
                description: None,
                columns: None,
                rows: None,
                uri: None,
            },
        ));
    };
    let table: DecisionTable = library.table(None, &id)?;
    let filter: Vec<(String, String)> = p.filter.unwrap_or_default().into_iter().collect();
    let rows = table.filter_rows(&filter)?;
    let text = format!(
        "{} — {}\n\n{}",
        table.title,
        table.description,
        table.to_markdown(&rows)
    );
    let output = DecisionTableOutput {
        tables: None,
        uri: Some(uri::table_uri(&skill, &table.id)),
        rows: Some(rows.iter().map(|r| table.row_object(r)).collect()),
        table: Some(table.id),
        title: Some(table.title),
        description: Some(table.description),
        columns: Some(table.columns),
    };
    Ok((text, output))
}

fn render_search(query: &str, reply: &SearchReply) -> String {
    // Echo at most 80 characters of the query: the reply must stay within its budget.
    let query = crate::skill::files::display_name(query);
    let mut out = format!(
        "{} of {} matching sections for {query:?}",
        reply.hits.len(),
        reply.total
    );
    if !reply.corrections.is_empty() {
        out.push_str(&format!(" (searched {})", reply.corrections.join(", ")));
    }
    if reply.truncated {
        out.push_str(" (cut to max_tokens)");
    }
    out.push('\n');
    for (i, hit) in reply.hits.iter().enumerate() {
        out.push_str(&format!(
            "{}. {} › {}\n   {}\n   {}\n",
            i + 1,
            hit.document,
            hit.heading_path.join(" › "),
            hit.uri,
            hit.snippet
        ));
    }
    out
}

fn render_read(reply: &ReadReply) -> String {
    let mut out = reply.content.clone();
    if reply.truncated {
        out.push_str("\n\n[truncated to max_tokens");
        if let Some(next) = &reply.next_section {
            out.push_str(&format!("; continue with section {next:?}"));
        }
        out.push(']');
    }
    out
}

fn render_list(documents: &[ReferenceSummary]) -> String {
    documents
        .iter()
        .map(|d| {
            let mut line = format!(
                "- {} ({} tokens, {} sections): {} {}",
                d.name, d.tokens, d.section_count, d.description, d.uri
            );
            for s in d.sections.iter().flatten() {
                let indent = "  ".repeat(usize::from(s.level.saturating_sub(1)));
                line.push_str(&format!("\n{indent}- {} (`{}`)", s.heading, s.slug));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skill::Skill;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    fn text(result: &CallToolResult) -> String {
        result.content[0].as_text().map(|t| t.text.clone()).unwrap_or_default()
    }

    #[test]
    fn wrong_type_names_the_argument() {
        let args = serde_json::json!({"query": "lag", "limit": "five"});
        let result = call(&library(), "search_references", args.as_object().cloned()).unwrap();
        assert_eq!(result.is_error, Some(true));
        assert_eq!(
            text(&result),
            "search_references: invalid argument `limit`: invalid type: string \"five\", expected usize"
        );
    }

    #[test]
    fn unknown_and_missing_arguments() {
        let args = serde_json::json!({"query": "lag", "colour": 1});
        let result = call(&library(), "search_references", args.as_object().cloned()).unwrap();
        assert!(
            text(&result)
                .contains("unknown field `colour`, expected one of `query`, `limit`, `document`, `max_tokens`"),
            "{}",
            text(&result)
        );
        let result = call(&library(), "read_reference", None).unwrap();
        assert_eq!(
            text(&result),
            "read_reference: invalid arguments: missing field `document`"
        );
    }

    #[test]
    fn every_tool_is_read_only_with_output_schema() {
        for tool in definitions() {
            let annotations = tool.annotations.as_ref().unwrap();
            assert_eq!(annotations.read_only_hint, Some(true), "{}", tool.name);
            assert_eq!(annotations.idempotent_hint, Some(true), "{}", tool.name);
            assert!(tool.output_schema.is_some(), "{}", tool.name);
        }
        assert_eq!(
            definitions().iter().map(|t| t.name.to_string()).collect::<Vec<_>>(),
            TOOL_NAMES
        );
    }

    #[test]
    fn schemas_are_compact_but_keep_their_shape() {
        let tools = definitions();
        let table = tools.iter().find(|t| t.name == "get_decision_table").unwrap();
        let schema = serde_json::Value::Object(table.output_schema.as_ref().unwrap().as_ref().clone());
        assert!(schema.get("$schema").is_none());
        // Properties that happen to be named like annotations stay.
        assert_eq!(
            schema["properties"]["title"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(
            schema["properties"]["rows"]["type"],
            serde_json::json!(["array", "null"])
        );
        let search = tools.iter().find(|t| t.name == "search_references").unwrap();
        let schema = serde_json::Value::Object(search.output_schema.as_ref().unwrap().as_ref().clone());
        assert_eq!(schema["properties"]["hits"]["type"], "array");
        let architecture = tools.iter().find(|t| t.name == "recommend_architecture").unwrap();
        let input = serde_json::Value::Object(architecture.input_schema.as_ref().clone());
        assert_eq!(
            input["properties"]["team"]["enum"],
            serde_json::json!(["sql-first", "jvm", "python", "mixed"])
        );
        assert_eq!(input["properties"]["latency_target_seconds"]["type"], "number");
        assert!(input.get("$defs").is_none());
    }

    #[test]
    fn a_huge_query_is_not_echoed_whole() {
        let query = "kafka ".repeat(20_000);
        let result = call(
            &library(),
            "search_references",
            serde_json::json!({"query": query}).as_object().cloned(),
        )
        .unwrap();
        assert!(text(&result).len() < 4_000, "{}", text(&result).len());
    }

    #[test]
    fn unknown_tool_is_none() {
        assert!(call(&library(), "nope", None).is_none());
    }
}
