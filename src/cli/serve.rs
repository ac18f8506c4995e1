//! `streaming-skill serve`: MCP over stdio (the default) or Streamable HTTP.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use super::SkillSources;
use crate::library::SkillLibrary;
use crate::mcp::LiveLibrary;
use crate::transport::http::{self, HttpOptions};

/// Arguments of `serve`.
#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// Serve Streamable HTTP at http://ADDR/mcp instead of stdio (e.g. 127.0.0.1:8808).
    #[arg(long, value_name = "ADDR", env = "STREAMING_SKILL_HTTP")]
    pub http: Option<SocketAddr>,
    /// HTTP: no sessions, every request stands alone (run several replicas behind a load balancer).
    #[arg(long, requires = "http")]
    pub stateless: bool,
    /// HTTP: a Host name clients use to reach the server (repeatable); required on a
    /// non-loopback address.
    #[arg(long = "allowed-host", value_name = "HOST", requires = "http")]
    pub allowed_hosts: Vec<String>,
    /// HTTP: a browser origin allowed to call the server, e.g. https://app.example.com:443
    /// (repeatable); any other Origin is refused.
    #[arg(long = "allowed-origin", value_name = "ORIGIN", requires = "http")]
    pub allowed_origins: Vec<String>,
    /// HTTP: require `Authorization: Bearer <token>`, the token read from this file (or from
    /// the STREAMING_SKILL_TOKEN environment variable).
    #[arg(long, value_name = "FILE", requires = "http")]
    pub token_file: Option<PathBuf>,
    /// HTTP: largest request body accepted, in bytes; larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value_t = http::DEFAULT_MAX_BODY_BYTES, requires = "http")]
    pub max_body_bytes: usize,
    /// HTTP: close a session after this many seconds without a request.
    #[arg(long, value_name = "SECONDS", default_value_t = http::DEFAULT_SESSION_IDLE.as_secs(), requires = "http")]
    pub session_idle_secs: u64,
    /// Reload the --skill-dir and --skills-root folders when their files change: the new
    /// snapshot is validated, swapped in whole, and clients get resources/list_changed.
    #[arg(long)]
    pub watch: bool,
}

/// Serves `library` as the arguments say, until the client goes away or a signal arrives.
/// With `--watch`, the folders of `sources` are reloaded when they change.
pub fn run(library: SkillLibrary, sources: SkillSources, args: &ServeArgs) -> anyhow::Result<()> {
    let library = LiveLibrary::new(Arc::new(library));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    if args.watch {
        let folders = sources.watched();
        if folders.is_empty() {
            tracing::warn!("--watch has nothing to watch: the embedded skill never changes");
        } else {
            runtime.spawn(crate::reload::watch(library.clone(), sources, folders));
        }
    }
    let served = match args.http {
        None => runtime
            .block_on(crate::transport::stdio::serve(library))
            .map_err(anyhow::Error::from),
        Some(addr) => {
            let options = HttpOptions {
                addr,
                stateless: args.stateless,
                allowed_hosts: args.allowed_hosts.clone(),
                allowed_origins: args.allowed_origins.clone(),
                token: token(args.token_file.as_ref())?,
                max_body_bytes: args.max_body_bytes,
                session_idle: Duration::from_secs(args.session_idle_secs.max(1)),
            };
            runtime
                .block_on(http::serve(library, options))
                .map_err(anyhow::Error::from)
        }
    };
    // The blocking thread that reads stdin may still be parked in read(2): do not wait for it.
    runtime.shutdown_background();
    served
}

/// The bearer token: from --token-file, else STREAMING_SKILL_TOKEN; never logged.
fn token(file: Option<&PathBuf>) -> anyhow::Result<Option<String>> {
    let token = match file {
        Some(path) => Some(
            std::fs::read_to_string(path).with_context(|| format!("cannot read the token file {}", path.display()))?,
        ),
        None => std::env::var("STREAMING_SKILL_TOKEN").ok(),
    };
    let token = token.map(|t| t.trim().to_string());
    if token.as_ref().is_some_and(|t| t.is_empty()) {
        anyhow::bail!("the bearer token is empty");
    }
    Ok(token)
}
