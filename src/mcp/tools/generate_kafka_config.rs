//! `generate_kafka_config`: Kafka client properties with a reason per setting.

use rmcp::handler::server::tool::schema_for_output;
use rmcp::model::CallToolResult;
use rmcp::{tool, tool_router};

use super::Parameters;
use crate::decide::kafka_config::{self, KafkaConfig, KafkaConfigInput};
use crate::decide::text;
use crate::mcp::SkillServer;

#[tool_router(router = generate_kafka_config_tool, vis = "pub(super)")]
impl SkillServer {
    #[tool(
        description = "Kafka client properties for a role, delivery, profile, security mode and tier: a reason per setting, secrets as placeholders, warnings, human-review steps.",
        annotations(read_only_hint = true, idempotent_hint = true, open_world_hint = false),
        output_schema = schema_for_output::<KafkaConfig>()
    )]
    fn generate_kafka_config(&self, params: Parameters<KafkaConfigInput>) -> CallToolResult {
        params.answer(&self.library(), |library, p| {
            let config = kafka_config::generate(&library.facts(None)?, &p)?;
            Ok((text::kafka_config(&config), config))
        })
    }
}
