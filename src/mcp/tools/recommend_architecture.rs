//! `recommend_architecture`: an architecture and ranked stream processors for a latency target, delivery guarantee and team.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};

use super::Parameters;
use crate::decide::architecture::{self, ArchitectureAdvice, ArchitectureInput};
use crate::decide::text;
use crate::mcp::SkillServer;

#[tool_router(router = recommend_architecture_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Pick an architecture (or batch) for a latency target, delivery guarantee and team; rank stream processors with why and why not; windowing, state and delivery advice, cited.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<ArchitectureAdvice>()
    )]
    fn recommend_architecture(&self, params: Parameters<ArchitectureInput>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let advice = architecture::recommend(&library.facts(None)?, &p)?;
            Ok((text::architecture(&advice), advice))
        })
    }
}
