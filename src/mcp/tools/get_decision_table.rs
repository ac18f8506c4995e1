//! `get_decision_table`: the decision tables as data, listed or one by id.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::{CallToolResult, JsonObject};
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Parameters;
use crate::library::{LibraryError, SkillLibrary};
use crate::mcp::SkillServer;
use crate::skill::uri;
use crate::tables::DecisionTable;

/// Arguments of `get_decision_table`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GetDecisionTableParams {
    /// Table id, e.g. "architecture-decision-matrix"; omit to list the tables.
    pub table: Option<String>,
    /// Keep rows whose named column contains the text (case-insensitive), e.g. {"Latency": "ms"}.
    pub filter: Option<std::collections::BTreeMap<String, String>>,
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
#[derive(Debug, Default, Serialize, JsonSchema)]
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

#[tool_router(router = get_decision_table_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "The decision tables of SKILL.md and the references as data (architecture, monitoring, CDC, sinks, config rules...); no id lists them.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<DecisionTableOutput>()
    )]
    fn get_decision_table(&self, params: Parameters<GetDecisionTableParams>) -> CallToolResult {
        params.answer(&self.library(), decision_table)
    }
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
                ..DecisionTableOutput::default()
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
