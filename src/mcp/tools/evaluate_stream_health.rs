//! `evaluate_stream_health`: pipeline metrics judged against the skill's monitoring thresholds.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};

use super::Parameters;
use crate::decide::health::{self, HealthInput, HealthReport};
use crate::decide::text;
use crate::mcp::SkillServer;

#[tool_router(router = evaluate_stream_health_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Judge pipeline metrics against the skill's monitoring thresholds: status, tiered alerts with meaning and first actions.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<HealthReport>()
    )]
    fn evaluate_stream_health(&self, params: Parameters<HealthInput>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let report = health::evaluate(&library.facts(None)?, &p)?;
            Ok((text::health(&report), report))
        })
    }
}
