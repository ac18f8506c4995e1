//! `search_references`: keyword search over the skill's documents.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::Parameters;
use crate::library::SearchReply;
use crate::mcp::SkillServer;

/// Arguments of `search_references`.
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

#[tool_router(router = search_references_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Keyword search over the skill's expert references (Kafka, Flink, Spark, CDC, lakehouse sinks, warehouses, testing). Returns ranked sections with snippets and a uri for read_reference.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<SearchReply>()
    )]
    fn search_references(&self, params: Parameters<SearchReferencesParams>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let reply = library.search(
                &p.query,
                p.limit,
                p.document.as_deref(),
                p.skill.as_deref(),
                p.max_tokens,
            )?;
            Ok((render(&p.query, &reply), reply))
        })
    }
}

fn render(query: &str, reply: &SearchReply) -> String {
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::library::SkillLibrary;
    use crate::skill::Skill;

    #[test]
    fn a_huge_query_is_not_echoed_whole() {
        let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())]);
        let query = "kafka ".repeat(20_000);
        let reply = library.search(&query, None, None, None, None).unwrap();
        assert!(render(&query, &reply).len() < 4_000);
    }
}
