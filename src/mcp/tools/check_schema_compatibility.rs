//! `check_schema_compatibility`: a new schema checked against previous versions under a Schema Registry compatibility mode.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};

use super::Parameters;
use crate::decide::schema::{self, SchemaCheck, SchemaCheckInput};
use crate::mcp::SkillServer;

#[tool_router(router = check_schema_compatibility_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Check a new Avro, JSON Schema or Protobuf schema against previous versions under a Schema Registry compatibility mode, as the registry would; each violation has a path, rule and fix.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<SchemaCheck>()
    )]
    fn check_schema_compatibility(&self, params: Parameters<SchemaCheckInput>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let check = schema::check(&library.facts(None)?, &p)?;
            Ok((schema::text(&check), check))
        })
    }
}
