//! `route_request`: whether a request belongs to this skill, a sibling skill or none.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;

use super::Parameters;
use crate::mcp::SkillServer;
use crate::routing::RouteDecision;

/// Arguments of `route_request`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteRequestParams {
    /// The user's request, verbatim.
    pub request: String,
}

#[tool_router(router = route_request_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Decide whether a request belongs to this skill (activate), a sibling skill (route) or none (decline), with confidence, quoted reasons and next steps.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<RouteDecision>()
    )]
    fn route_request(&self, params: Parameters<RouteRequestParams>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let decision = library.route(&p.request)?;
            Ok((crate::mcp::steps::route(&decision), decision))
        })
    }
}
