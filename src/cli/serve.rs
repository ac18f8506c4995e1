//! `streaming-skill serve`: MCP over stdio (the default) or Streamable HTTP.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::library::{LiveLibrary, SkillLibrary, SkillSources, live};
use crate::transport::http::{self, HttpOptions};
use crate::transport::session_tag::SessionTag;

/// Arguments of `serve`.
#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// Serve Streamable HTTP at http://ADDR/mcp instead of stdio: HOST:PORT, where HOST is an
    /// address or a name (127.0.0.1:8808, localhost:8808, [::1]:8808).
    #[arg(long, value_name = "ADDR", value_parser = parse_http_addr, env = "STREAMING_SKILL_HTTP")]
    pub http: Option<SocketAddr>,
    /// HTTP: no sessions, every request stands alone (run several replicas behind a load balancer).
    #[arg(long, requires = "http")]
    pub stateless: bool,
    /// HTTP: a Host name clients use to reach the server (repeatable); required on a
    /// non-loopback address.
    #[arg(long = "allowed-host", value_name = "HOST", requires = "http")]
    pub allowed_hosts: Vec<String>,
    /// HTTP: a browser origin allowed to call the server besides loopback origins on the bound
    /// port, e.g. https://app.example.com:443 (repeatable); any other Origin is refused.
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
    /// HTTP, sessions: this replica's name (1 to 32 of A-Z a-z 0-9 - _), put at the start of
    /// every session id it mints (`NAME.<random>`), so that a load balancer can send each
    /// session's requests to the replica that holds it (see deploy/nginx).
    #[arg(
        long,
        value_name = "NAME",
        env = "STREAMING_SKILL_SESSION_TAG",
        requires = "http",
        conflicts_with = "stateless"
    )]
    pub session_tag: Option<SessionTag>,
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
            runtime.spawn(live::watch(library.clone(), sources, folders));
        }
    }
    let served = match args.http {
        None => {
            if let Some(hint) = terminal_hint(std::io::stdin().is_terminal()) {
                eprintln!("{hint}");
            }
            runtime
                .block_on(crate::transport::stdio::serve(library))
                .map_err(anyhow::Error::from)
        }
        Some(addr) => {
            let options = HttpOptions {
                addr,
                stateless: args.stateless,
                allowed_hosts: args.allowed_hosts.clone(),
                allowed_origins: args.allowed_origins.clone(),
                token: token(args.token_file.as_ref())?,
                max_body_bytes: args.max_body_bytes,
                session_idle: Duration::from_secs(args.session_idle_secs.max(1)),
                session_tag: args.session_tag.clone(),
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

/// Reads `--http`: an address, or a host name resolved to its first address (`localhost:8808`
/// binds 127.0.0.1 or ::1, whichever the resolver lists first).
fn parse_http_addr(text: &str) -> Result<SocketAddr, String> {
    use std::net::ToSocketAddrs;
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if !text
        .rsplit_once(':')
        .is_some_and(|(host, port)| !host.is_empty() && port.parse::<u16>().is_ok())
    {
        return Err("give HOST:PORT, e.g. 127.0.0.1:8808 or localhost:8808".to_string());
    }
    let mut addrs = text
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve the host name: {e}"))?;
    addrs
        .next()
        .ok_or_else(|| "the host name resolves to no address".to_string())
}

/// The line printed on stderr when a person starts the stdio server from a terminal, where it
/// would otherwise wait in silence; nothing when a client pipes stdin.
fn terminal_hint(stdin_is_terminal: bool) -> Option<&'static str> {
    stdin_is_terminal.then_some(
        "streaming-skill: an MCP server on stdio, waiting for a client (Ctrl-C to quit). Add it to an editor with `streaming-skill config <client>`; try it with `streaming-skill search \"consumer lag\"` or `streaming-skill --help`.",
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_takes_addresses_and_host_names() {
        assert_eq!(parse_http_addr("127.0.0.1:8808").unwrap().to_string(), "127.0.0.1:8808");
        assert_eq!(parse_http_addr("[::1]:0").unwrap().to_string(), "[::1]:0");
        let local = parse_http_addr("localhost:8808").unwrap();
        assert!(local.ip().is_loopback() && local.port() == 8808, "{local}");
        assert!(parse_http_addr("localhost").unwrap_err().contains("HOST:PORT"));
        assert!(parse_http_addr("localhost:99999").unwrap_err().contains("HOST:PORT"));
    }

    #[test]
    fn a_terminal_gets_one_line_and_a_pipe_nothing() {
        let hint = terminal_hint(true).unwrap();
        assert!(!hint.contains('\n'));
        assert!(hint.contains("streaming-skill config <client>") && hint.contains("streaming-skill search"));
        assert_eq!(terminal_hint(false), None);
    }
}
