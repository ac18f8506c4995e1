//! `read_reference`: a document, whole or one section, within a token budget.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::Parameters;
use crate::library::ReadReply;
use crate::mcp::SkillServer;

/// Arguments of `read_reference`.
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

#[tool_router(router = read_reference_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Read SKILL.md or a reference, whole or one section, as markdown within a token budget; long documents return a table of contents and next_section.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ReadReply>()
    )]
    fn read_reference(&self, params: Parameters<ReadReferenceParams>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let reply = library.read(p.skill.as_deref(), &p.document, p.section.as_deref(), p.max_tokens)?;
            Ok((render(&reply), reply))
        })
    }
}

fn render(reply: &ReadReply) -> String {
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
