//! `list_references`: the skill's documents, with their sections on request.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Parameters;
use crate::library::ReferenceSummary;
use crate::mcp::SkillServer;

/// Arguments of `list_references`.
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

/// Output of `list_references`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListReferencesOutput {
    /// Every document: SKILL.md first, then the references.
    pub documents: Vec<ReferenceSummary>,
}

#[tool_router(router = list_references_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "List the skill's documents: description, uri, tokens, section count (sections on request).",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ListReferencesOutput>()
    )]
    fn list_references(&self, params: Parameters<ListReferencesParams>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let sections = p.sections.unwrap_or(p.document.is_some());
            let documents = library.list_references(p.skill.as_deref(), p.document.as_deref(), sections)?;
            Ok((render(&documents), ListReferencesOutput { documents }))
        })
    }
}

fn render(documents: &[ReferenceSummary]) -> String {
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
