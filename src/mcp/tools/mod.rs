//! The MCP tools, one module each: its argument struct (whose field docs are the schema text the
//! model reads), its `#[tool]` attribute (name, description written to stand on its own since
//! many clients drop the server's instructions, annotations, output schema) and its handler,
//! which renders the library's answer as text plus `structuredContent`. [`TOOLS`] registers
//! them. A bad argument comes back as a tool result with `isError` that names the argument (see
//! [`Parameters`]).
//!
//! Adding a tool: a module here with its `#[tool_router(router = NAME_tool, vis = "pub(super)")]`
//! impl, and one line in [`TOOLS`].

mod check_schema_compatibility;
mod evaluate_stream_health;
mod generate_kafka_config;
mod get_decision_table;
mod list_references;
mod read_reference;
mod recommend_architecture;
mod review_config;
mod route_request;
mod search_references;

use std::sync::Arc;

use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{CallToolRequestParams, CallToolResponse, Tool};
use rmcp::service::RequestContext;
use rmcp::{ErrorData as McpError, RoleServer};

use super::SkillServer;
pub use super::arguments::Parameters;
pub use get_decision_table::{DecisionTableOutput, GetDecisionTableParams, TableSummary};
pub use list_references::{ListReferencesOutput, ListReferencesParams};
pub use read_reference::ReadReferenceParams;
pub use route_request::RouteRequestParams;
pub use search_references::SearchReferencesParams;

/// Every tool, in the order `tools/list` gives them: each module's router, one line a tool.
const TOOLS: &[fn() -> ToolRouter<SkillServer>] = &[
    SkillServer::search_references_tool,
    SkillServer::read_reference_tool,
    SkillServer::list_references_tool,
    SkillServer::get_decision_table_tool,
    SkillServer::route_request_tool,
    SkillServer::recommend_architecture_tool,
    SkillServer::evaluate_stream_health_tool,
    SkillServer::check_schema_compatibility_tool,
    SkillServer::generate_kafka_config_tool,
    SkillServer::review_config_tool,
];

/// The tools a server offers: the router that dispatches a call, and their definitions, with
/// compacted schemas, in `tools/list` order. Built once per server, on the first `tools/list`
/// or call.
#[derive(Debug)]
pub struct Tools {
    router: ToolRouter<SkillServer>,
    list: Vec<Tool>,
}

impl Tools {
    /// Every registered tool but those `left_out` names.
    pub fn build(left_out: impl Fn(&str) -> bool) -> Self {
        let mut router = ToolRouter::new();
        let mut list = Vec::new();
        for register in TOOLS {
            for mut route in register() {
                if left_out(&route.attr.name) {
                    continue;
                }
                route.attr = compact_schemas(route.attr);
                list.push(route.attr.clone());
                router.add_route(route);
            }
        }
        Self { router, list }
    }

    /// The definitions, in `tools/list` order.
    pub fn list(&self) -> &[Tool] {
        &self.list
    }

    /// Runs the call on `server`. A tool not offered is invalid params that lists the tools.
    pub async fn call(
        &self,
        server: &SkillServer,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        if !self.router.has_route(&request.name) {
            let names: Vec<&str> = self.list.iter().map(|t| t.name.as_ref()).collect();
            return Err(McpError::invalid_params(
                format!(
                    "no tool {:?}; tools: {}",
                    crate::skill::files::display_name(&request.name),
                    names.join(", ")
                ),
                None,
            ));
        }
        self.router.call(ToolCallContext::new(server, request, context)).await
    }
}

/// Every tool's definition, as `tools/list` gives them for a skill that supports them all.
pub fn definitions() -> Vec<Tool> {
    Tools::build(|_| false).list
}

/// Every tool's name, in `tools/list` order.
pub fn names() -> Vec<String> {
    definitions().into_iter().map(|t| t.name.into_owned()).collect()
}

/// Compacts a tool's schemas (see the `schema` module): they sit in every model's context.
fn compact_schemas(tool: Tool) -> Tool {
    let mut tool = tool;
    tool.input_schema = Arc::new(super::schema::compact_input(&tool.input_schema));
    if let Some(output) = tool.output_schema.clone() {
        tool = tool.with_raw_output_schema(Arc::new(super::schema::shallow_output(&output)));
    }
    tool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tool_is_read_only_idempotent_and_closed_with_output_schema() {
        let tools = definitions();
        assert_eq!(tools.len(), TOOLS.len());
        for tool in tools {
            let annotations = tool.annotations.as_ref().unwrap();
            assert_eq!(annotations.read_only_hint, Some(true), "{}", tool.name);
            assert_eq!(annotations.idempotent_hint, Some(true), "{}", tool.name);
            assert_eq!(annotations.open_world_hint, Some(false), "{}", tool.name);
            assert!(tool.output_schema.is_some(), "{}", tool.name);
        }
    }

    #[test]
    fn left_out_tools_are_not_listed() {
        let tools = Tools::build(|name| name == "review_config");
        assert_eq!(tools.list().len(), TOOLS.len() - 1);
        assert!(tools.list().iter().all(|t| t.name != "review_config"));
        assert!(!tools.router.has_route("review_config"));
    }

    #[test]
    fn schemas_are_compact_but_keep_their_shape() {
        let tools = definitions();
        let table = tools.iter().find(|t| t.name == "get_decision_table").unwrap();
        let schema = serde_json::Value::Object(table.output_schema.as_ref().unwrap().as_ref().clone());
        assert!(schema.get("$schema").is_none());
        // Properties that happen to be named like annotations stay.
        assert_eq!(
            schema["properties"]["title"]["type"],
            serde_json::json!(["string", "null"])
        );
        assert_eq!(
            schema["properties"]["rows"]["type"],
            serde_json::json!(["array", "null"])
        );
        let search = tools.iter().find(|t| t.name == "search_references").unwrap();
        let schema = serde_json::Value::Object(search.output_schema.as_ref().unwrap().as_ref().clone());
        assert_eq!(schema["properties"]["hits"]["type"], "array");
        let input = serde_json::Value::Object(search.input_schema.as_ref().clone());
        assert!(input.get("$schema").is_none() && input.get("additionalProperties").is_none());
        assert_eq!(input["properties"]["limit"]["type"], "integer");
        let architecture = tools.iter().find(|t| t.name == "recommend_architecture").unwrap();
        let input = serde_json::Value::Object(architecture.input_schema.as_ref().clone());
        assert_eq!(
            input["properties"]["team"]["enum"],
            serde_json::json!(["sql-first", "jvm", "python", "mixed"])
        );
        assert_eq!(input["properties"]["latency_target_seconds"]["type"], "number");
        assert!(input.get("$defs").is_none());
    }
}
