//! `review_config`: a user's Kafka, Flink or Spark configuration checked against the skill's rules (issue 19).

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};

use super::Parameters;
use crate::mcp::SkillServer;
use crate::review::{ConfigReview, ReviewInput};

#[tool_router(router = review_config_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Check a user's Kafka, Flink or Spark config against the skill's rules: cited findings, unknown keys with did-you-mean; secrets never echoed.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ConfigReview>()
    )]
    fn review_config(&self, params: Parameters<ReviewInput>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let review = library.review(&p)?;
            Ok((crate::review::text(p.system, &review), review))
        })
    }
}
