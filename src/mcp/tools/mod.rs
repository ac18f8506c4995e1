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

use std::sync::{Arc, OnceLock};

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

/// A tool module's router constructor, made by its `#[tool_router]`.
type Register = fn() -> ToolRouter<SkillServer>;

/// Every tool, in the order `tools/list` gives them: its name and its module's router, one line
/// a tool. The name lets a call build only its own tool's route (a test checks it is the name
/// the router declares).
const TOOLS: &[(&str, Register)] = &[
    ("search_references", SkillServer::search_references_tool),
    ("read_reference", SkillServer::read_reference_tool),
    ("list_references", SkillServer::list_references_tool),
    ("get_decision_table", SkillServer::get_decision_table_tool),
    ("route_request", SkillServer::route_request_tool),
    ("recommend_architecture", SkillServer::recommend_architecture_tool),
    ("evaluate_stream_health", SkillServer::evaluate_stream_health_tool),
    (
        "check_schema_compatibility",
        SkillServer::check_schema_compatibility_tool,
    ),
    ("generate_kafka_config", SkillServer::generate_kafka_config_tool),
    ("review_config", SkillServer::review_config_tool),
];

/// The tools' definitions, with compacted schemas, in `tools/list` order. Built once per server,
/// on the first `tools/list`.
#[derive(Debug)]
pub struct Tools {
    list: Vec<Tool>,
}

impl Tools {
    /// Every registered tool but those `left_out` names.
    pub fn build(left_out: impl Fn(&str) -> bool) -> Self {
        let list = TOOLS
            .iter()
            .filter(|(name, _)| !left_out(name))
            .flat_map(|(_, register)| register().list_all())
            .map(compact_schemas)
            .collect();
        Self { list }
    }

    /// The definitions, in `tools/list` order.
    pub fn list(&self) -> &[Tool] {
        &self.list
    }
}

/// The routes that dispatch calls, each built on its tool's first call: a call builds only its
/// own tool's schemas, not every tool's, so the first call of a session is not slowed by the
/// others.
#[derive(Debug)]
pub struct Routes {
    /// Parallel to [`TOOLS`]; `None` for a tool not offered.
    routes: Vec<Option<OnceLock<ToolRouter<SkillServer>>>>,
}

impl Routes {
    /// Routes for every registered tool but those `left_out` names.
    pub fn new(left_out: impl Fn(&str) -> bool) -> Self {
        let routes = TOOLS
            .iter()
            .map(|(name, _)| (!left_out(name)).then(OnceLock::new))
            .collect();
        Self { routes }
    }

    /// The names of the tools offered, in `tools/list` order.
    fn offered(&self) -> Vec<&'static str> {
        TOOLS
            .iter()
            .zip(&self.routes)
            .filter(|(_, route)| route.is_some())
            .map(|((name, _), _)| *name)
            .collect()
    }

    /// Runs the call on `server`. A tool not offered is invalid params that lists the tools.
    pub async fn call(
        &self,
        server: &SkillServer,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let offered = TOOLS
            .iter()
            .zip(&self.routes)
            .find(|((name, _), _)| *name == request.name)
            .and_then(|((_, register), route)| Some((register, route.as_ref()?)));
        let Some((register, route)) = offered else {
            return Err(McpError::invalid_params(
                format!(
                    "no tool {:?}; tools: {}",
                    crate::skill::files::display_name(&request.name),
                    self.offered().join(", ")
                ),
                None,
            ));
        };
        route
            .get_or_init(register)
            .call(ToolCallContext::new(server, request, context))
            .await
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
        let offered = Routes::new(|name| name == "review_config").offered();
        assert_eq!(offered.len(), TOOLS.len() - 1);
        assert!(!offered.contains(&"review_config"));
    }

    #[test]
    fn each_registration_names_the_one_tool_its_router_declares() {
        for (name, register) in TOOLS {
            let declared: Vec<String> = register().list_all().into_iter().map(|t| t.name.into_owned()).collect();
            assert_eq!(declared, vec![name.to_string()]);
        }
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
