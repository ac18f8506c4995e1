//! The floor for the benchmarks: the smallest rmcp server we can write, with one trivial tool
//! (`echo`, which returns its `text` argument). It runs on the same rmcp, tokio runtime shape
//! (multi-threaded, two workers) and release profile as `streaming-skill`, so every figure the
//! bench reports can be given as a ratio to what rmcp itself costs on this machine.
//!
//! Run: `target/release/examples/floor_server` (MCP over stdio), or
//! `target/release/examples/floor_server --http 127.0.0.1:0 [--stateless] [--nodelay]`
//! (Streamable HTTP at `/mcp`; the bound address is printed on stderr as
//! `floor-server: listening on http://ADDR/mcp`). `--nodelay` sets `TCP_NODELAY` on accepted
//! connections, which `axum::serve` does not do by default: the bench uses it to show what
//! Nagle's algorithm costs replies that go out in several writes (SSE). Nothing but protocol
//! messages is ever written to stdout.

use std::net::SocketAddr;
use std::process::ExitCode;

use axum::serve::ListenerExt;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::service::ServerInitializeError;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{ErrorData as McpError, ServerHandler, ServiceExt, schemars, tool, tool_handler, tool_router};

/// Parameters of `echo`.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct EchoParams {
    /// The text to send back.
    text: String,
}

/// The floor server: one tool, no resources, no prompts, no logging.
#[derive(Debug, Clone)]
struct FloorServer {
    tool_router: ToolRouter<Self>,
}

#[tool_router]
impl FloorServer {
    fn new() -> Self {
        Self {
            tool_router: Self::tool_router(),
        }
    }

    /// Returns its text argument unchanged.
    #[tool(description = "Returns its text argument unchanged.")]
    async fn echo(&self, Parameters(params): Parameters<EchoParams>) -> Result<CallToolResult, McpError> {
        Ok(CallToolResult::success(vec![ContentBlock::text(params.text)]))
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for FloorServer {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("floor-server", env!("CARGO_PKG_VERSION")))
    }
}

/// Where to serve.
enum Transport {
    Stdio,
    Http(HttpOptions),
}

/// How to serve HTTP.
#[derive(Default)]
struct HttpOptions {
    addr: Option<SocketAddr>,
    stateless: bool,
    nodelay: bool,
}

fn main() -> ExitCode {
    let transport = match parse_args(std::env::args().skip(1)) {
        Ok(transport) => transport,
        Err(message) => {
            eprintln!("floor-server: {message}\nusage: floor_server [--http ADDR [--stateless] [--nodelay]]");
            return ExitCode::from(2);
        }
    };
    // The same runtime shape as `streaming-skill serve`.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("floor-server: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let served = match transport {
        Transport::Stdio => runtime.block_on(serve_stdio()),
        Transport::Http(options) => runtime.block_on(serve_http(options)),
    };
    runtime.shutdown_background();
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("floor-server: {message}");
            ExitCode::from(2)
        }
    }
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Transport, String> {
    let mut http = HttpOptions::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--http" => {
                let addr = args.next().ok_or("--http needs an address")?;
                http.addr = Some(addr.parse().map_err(|e| format!("--http {addr}: {e}"))?);
            }
            "--stateless" => http.stateless = true,
            "--nodelay" => http.nodelay = true,
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match http.addr {
        Some(_) => Ok(Transport::Http(http)),
        None if http.stateless || http.nodelay => Err("--stateless and --nodelay need --http".into()),
        None => Ok(Transport::Stdio),
    }
}

/// MCP over stdio until stdin closes.
async fn serve_stdio() -> Result<(), String> {
    let running = match FloorServer::new().serve(rmcp::transport::stdio()).await {
        Ok(running) => running,
        Err(ServerInitializeError::ConnectionClosed(_)) => return Ok(()),
        Err(e) => return Err(format!("MCP session could not start: {e}")),
    };
    running
        .waiting()
        .await
        .map(|_| ())
        .map_err(|e| format!("MCP session ended abnormally: {e}"))
}

/// Streamable HTTP at `/mcp` with the same session settings as `streaming-skill serve --http`
/// (sessions with SSE replies, or stateless with JSON replies), without its middleware.
async fn serve_http(options: HttpOptions) -> Result<(), String> {
    let addr = options.addr.ok_or("no address")?;
    let config = StreamableHttpServerConfig::default()
        .with_legacy_session_mode(!options.stateless)
        .with_json_response(options.stateless);
    let server = FloorServer::new();
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        LocalSessionManager::default().into(),
        config,
    );
    let app = axum::Router::new().nest_service("/mcp", service);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot bind {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| format!("{addr}: {e}"))?;
    eprintln!("floor-server: listening on http://{local}/mcp");
    let nodelay = options.nodelay;
    let listener = listener.tap_io(move |tcp| {
        if nodelay && let Err(e) = tcp.set_nodelay(true) {
            eprintln!("floor-server: cannot set TCP_NODELAY: {e}");
        }
    });
    axum::serve(listener, app)
        .await
        .map_err(|e| format!("HTTP server: {e}"))
}
