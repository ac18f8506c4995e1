//! The MCP adapter: turns the skill library into tools, resources, prompts and completions for
//! any MCP client. Transports (stdio, Streamable HTTP) wire a [`SkillServer`] to a byte stream.

pub mod arguments;
pub mod completions;
pub mod logging;
pub mod prompts;
pub mod resources;
pub mod schema;
pub mod skills;
pub mod steps;
pub mod tools;

use std::sync::Arc;
use std::time::Instant;

#[allow(deprecated)] // logging/setLevel: deprecated by SEP-2577, still used by clients
use rmcp::model::SetLevelRequestParams;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CompleteRequestParams, CompleteResult, GetPromptRequestParams,
    GetPromptResponse, GetSkillRequestParams, GetSkillResult, Implementation, ListPromptsResult,
    ListResourceTemplatesResult, ListResourcesResult, ListSkillsResult, ListToolsResult, PaginatedRequestParams,
    ReadResourceDirectoryRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult,
    ServerCapabilities, ServerConfig, Tool,
};
use rmcp::service::{NotificationContext, RequestContext};
use rmcp::{ErrorData as McpError, RoleServer, ServerHandler};
use tracing::Instrument;

use crate::decide::contract::{self, Feature, Gap};
use crate::library::{LiveLibrary, SkillLibrary};
use logging::SessionLogHandle;

/// The server's name on the wire.
pub const SERVER_NAME: &str = "streaming-skill";

/// What every session shares: the library, and the tool list and instructions, each built once.
#[derive(Debug)]
struct Shared {
    live: Arc<LiveLibrary>,
    /// Built on the first `tools/list`, not before the `initialize` reply.
    tools: std::sync::OnceLock<tools::Tools>,
    /// Each tool's route, built on its first call.
    routes: tools::Routes,
    /// Built on the first `prompts/list` or `prompts/get`.
    prompts: std::sync::OnceLock<prompts::Prompts>,
    instructions: String,
    /// The deciding tools and prompts the primary skill cannot support, and why.
    left_out: Vec<(&'static Feature, Gap)>,
}

impl Shared {
    fn tools(&self) -> &tools::Tools {
        self.tools
            .get_or_init(|| tools::Tools::build(|name| self.left_out(name).is_some()))
    }

    fn prompts(&self) -> &prompts::Prompts {
        self.prompts
            .get_or_init(|| prompts::Prompts::build(|name| self.left_out(name).is_some()))
    }

    /// Why the tool or prompt `name` is not offered, if it is not.
    fn left_out(&self, name: &str) -> Option<String> {
        self.left_out
            .iter()
            .find(|(f, _)| f.name == name)
            .map(|(f, gap)| format!("{} is not offered: {}", f.name, reason(gap)))
    }
}

/// Why a feature was left out, in a few words: `SKILL.md:159: no table ...`.
fn reason(gap: &Gap) -> String {
    format!("{}:{}: {}", gap.path, gap.line, gap.message)
}

/// One MCP session's handler. Cheap to clone and to create: everything but the session's log
/// destination is shared.
#[derive(Debug, Clone)]
pub struct SkillServer {
    shared: Arc<Shared>,
    log: Arc<SessionLogHandle>,
}

impl SkillServer {
    /// A handler over `library`.
    pub fn new(library: Arc<SkillLibrary>) -> Self {
        Self::factory(library)()
    }

    /// A factory of handlers that share one library, tool list and instructions: for transports
    /// that create a handler per session or per request.
    pub fn factory(library: Arc<SkillLibrary>) -> impl Fn() -> SkillServer + Send + Sync + 'static {
        Self::live_factory(LiveLibrary::new(library))
    }

    /// A factory of handlers over a library that a reload may replace.
    pub fn live_factory(live: Arc<LiveLibrary>) -> impl Fn() -> SkillServer + Send + Sync + 'static {
        let library = live.get();
        let left_out = contract::unsupported(library.primary());
        let shared = Arc::new(Shared {
            instructions: instructions_leaving_out(&library, &left_out),
            tools: std::sync::OnceLock::new(),
            routes: tools::Routes::new(|name| left_out.iter().any(|(f, _)| f.name == name)),
            prompts: std::sync::OnceLock::new(),
            left_out,
            live,
        });
        move || SkillServer {
            shared: shared.clone(),
            log: SessionLogHandle::register(),
        }
    }

    /// The library served now.
    pub fn library(&self) -> Arc<SkillLibrary> {
        self.shared.live.get()
    }

    fn span(&self, method: &'static str) -> tracing::Span {
        tracing::debug_span!("mcp", mcp_session = self.log.id(), method)
    }
}

/// The `instructions` text: what the skill is for, which tool to call when, and where
/// out-of-scope requests go. Built from the skill's own text.
pub fn instructions(library: &SkillLibrary) -> String {
    instructions_leaving_out(library, &contract::unsupported(library.primary()))
}

/// The `instructions` text when the tools and prompts of `left_out` are not offered: those are
/// named with the reason, and left out of the list of deciding tools.
fn instructions_leaving_out(library: &SkillLibrary, left_out: &[(&'static Feature, Gap)]) -> String {
    let skill = library.primary();
    let skill_md = skill.skill_md();
    let not_for = skill_md
        .markdown
        .sections
        .iter()
        .position(|s| s.slug == "when-not-to-use")
        .and_then(|i| skill_md.markdown.lists.iter().find(|l| l.section == Some(i)))
        .map(|l| l.items.iter().map(|i| format!("- {i}\n")).collect::<String>())
        .unwrap_or_default();
    let others: Vec<&str> = library.skills().iter().skip(1).map(|s| s.name()).collect();
    let others = match others.len() {
        0 => String::new(),
        n if n <= MAX_NAMED_SKILLS => format!("\n\nAlso loaded (pass as `skill`): {}.", others.join(", ")),
        n => format!(
            "\n\nAlso loaded (pass as `skill`): {} and {} more (skills/list, or list_references).",
            others[..MAX_NAMED_SKILLS].join(", "),
            n - MAX_NAMED_SKILLS
        ),
    };
    let deciding: Vec<&str> = [
        "recommend_architecture",
        "evaluate_stream_health",
        "check_schema_compatibility",
        "generate_kafka_config",
        "review_config",
    ]
    .into_iter()
    .filter(|name| !left_out.iter().any(|(f, _)| f.name == *name))
    .collect();
    let deciding = match deciding.split_last() {
        Some((last, [])) => format!("{last} decides from the skill's tables; "),
        Some((last, rest)) => format!("{} and {last} decide from the skill's tables; ", rest.join(", ")),
        None => String::new(),
    };
    let missing = if left_out.is_empty() {
        String::new()
    } else {
        let lines: String = left_out
            .iter()
            .map(|(f, gap)| format!("\n- {}: {}", f.name, reason(gap)))
            .collect();
        format!("\n\nNot offered, as this skill lacks what they read:{lines}")
    };
    format!(
        "{name}: {lead}\n\nsearch_references, then read_reference the sections found. \
         {deciding}route_request checks scope.{others}{missing}\n\nNot for:\n{not_for}",
        name = skill.name(),
        lead = skill_md.description,
    )
}

/// How often a session's reload listener checks that the session is still open.
const SESSION_CHECK_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// The most other skills the instructions name; the rest are counted, so the instructions stay
/// short however many skills are loaded.
const MAX_NAMED_SKILLS: usize = 10;

impl ServerHandler for SkillServer {
    #[allow(deprecated)] // logging is deprecated by SEP-2577, still used by clients and the conformance suite
    fn get_info(&self) -> ServerConfig {
        let capabilities = ServerCapabilities::builder()
            .enable_logging()
            .enable_completions()
            .enable_prompts()
            .enable_resources()
            .enable_resources_list_changed()
            .enable_tools()
            .enable_skills_with_directory_read()
            .build();
        ServerConfig::new(capabilities)
            .with_server_info(
                Implementation::new(SERVER_NAME, env!("CARGO_PKG_VERSION"))
                    .with_title("Streaming data skill")
                    .with_description("Kafka, Flink, Spark Structured Streaming and warehouse streaming guidance as MCP tools, resources and prompts"),
            )
            .with_instructions(self.shared.instructions.clone())
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, McpError> {
        Ok(ListToolsResult::with_all_items(self.shared.tools().list().to_vec()))
    }

    fn get_tool(&self, name: &str) -> Option<Tool> {
        self.shared.tools().list().iter().find(|t| t.name == name).cloned()
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, McpError> {
        let span = self.span("tools/call");
        async {
            let started = Instant::now();
            let name = request.name.to_string();
            if let Some(why) = self.shared.left_out(&name) {
                return Err(McpError::invalid_params(why, None));
            }
            let result = self.shared.routes.call(self, request, context).await?;
            let is_error = matches!(&result, CallToolResponse::Complete(r) if r.is_error == Some(true));
            tracing::debug!(tool = %name, is_error, micros = started.elapsed().as_micros() as u64, "tool call");
            Ok(result)
        }
        .instrument(span)
        .await
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        Ok(ListResourcesResult::with_all_items(resources::list(&self.library())))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, McpError> {
        Ok(ListResourceTemplatesResult::with_all_items(resources::templates(
            &self.library(),
        )))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, McpError> {
        let span = self.span("resources/read");
        async {
            let contents = resources::read(&self.library(), &request.uri);
            if let Err(e) = &contents {
                tracing::debug!(error = %e.message, "resource not found");
            }
            Ok(ReadResourceResult::new(vec![contents?]).into())
        }
        .instrument(span)
        .await
    }

    async fn list_skills(
        &self,
        request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListSkillsResult, McpError> {
        skills::list(&self.library(), request.as_ref().and_then(|r| r.cursor.as_deref()))
    }

    async fn get_skill(
        &self,
        request: GetSkillRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<GetSkillResult, McpError> {
        skills::get(&self.library(), &request.uri)
    }

    async fn read_resource_directory(
        &self,
        request: ReadResourceDirectoryRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, McpError> {
        skills::read_directory(&self.library(), &request.uri, request.cursor.as_deref())
    }

    async fn on_initialized(&self, context: NotificationContext<RoleServer>) {
        // Build the search index and routing rules now, off the request path: after the
        // `initialize` reply (so start-up stays fast) and before the first search, usually.
        let library = self.library();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = library.index() {
                tracing::warn!("cannot build the search index: {e}");
            }
            let _ = library.router();
        });
        // After a reload, tell this session its resource list changed; stop when it ends.
        // The task checks now and then whether the session has gone, so sessions that never
        // see a reload do not leave a task behind.
        let mut changes = self.shared.live.subscribe();
        let peer = context.peer;
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    changed = changes.changed() => {
                        if changed.is_err() || peer.notify_resource_list_changed().await.is_err() {
                            break;
                        }
                    }
                    () = tokio::time::sleep(SESSION_CHECK_INTERVAL) => {
                        if peer.is_transport_closed() {
                            break;
                        }
                    }
                }
            }
        });
    }

    async fn list_prompts(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListPromptsResult, McpError> {
        Ok(ListPromptsResult::with_all_items(self.shared.prompts().list()))
    }

    async fn get_prompt(
        &self,
        request: GetPromptRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<GetPromptResponse, McpError> {
        let span = self.span("prompts/get");
        async {
            if let Some(why) = self.shared.left_out(&request.name) {
                return Err(McpError::invalid_params(why, None));
            }
            self.shared.prompts().get(self, request, context).await
        }
        .instrument(span)
        .await
    }

    async fn complete(
        &self,
        request: CompleteRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<CompleteResult, McpError> {
        Ok(completions::complete(&self.library(), &request))
    }

    #[allow(deprecated)]
    async fn set_level(
        &self,
        request: SetLevelRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<(), McpError> {
        self.log.set_level(context.peer.clone(), request.level);
        let span = self.span("logging/setLevel");
        span.in_scope(|| tracing::info!(level = ?request.level, "log level set"));
        Ok(())
    }
}
