//! MCP over stdin and stdout. stdout carries protocol messages only; logs go to stderr. Lines
//! are framed and checked by [`super::lines::LineTransport`], which answers bad input the way
//! JSON-RPC prescribes.

use std::sync::Arc;

use rmcp::ServiceExt;
use rmcp::service::ServerInitializeError;

use super::lines::LineTransport;
use crate::library::LiveLibrary;
use crate::mcp::SkillServer;

/// Why serving stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum StdioError {
    /// The MCP handshake failed for a reason other than the client going away.
    #[error("MCP session could not start: {0}")]
    Initialize(Box<ServerInitializeError>),
    /// The session task failed.
    #[error("MCP session ended abnormally: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// Serves `library` over stdio until stdin closes or SIGINT/SIGTERM arrives. A client that
/// closes stdin before `initialize`, or at any point, is a normal end.
pub async fn serve(library: Arc<LiveLibrary>) -> Result<(), StdioError> {
    let server = SkillServer::live_factory(library)();
    // One signal listener for the whole session: a listener created later would miss a signal
    // that arrives in between (once tokio handles a signal, its default action is gone).
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    let running = tokio::select! {
        started = server.serve(stdio_transport()) => match started {
            Ok(running) => running,
            Err(ServerInitializeError::ConnectionClosed(_)) => {
                tracing::debug!("stdin closed before the session started");
                return Ok(());
            }
            Err(e) => return Err(StdioError::Initialize(Box::new(e))),
        },
        () = &mut shutdown => return Ok(()),
    };
    let token = running.cancellation_token();
    tokio::select! {
        quit = running.waiting() => {
            tracing::debug!(reason = ?quit?, "session ended");
        }
        () = &mut shutdown => {
            tracing::debug!("signal received; shutting down");
            token.cancel();
        }
    }
    Ok(())
}

/// The transport over this process's stdin and stdout.
fn stdio_transport() -> LineTransport<tokio::io::Stdin, tokio::io::Stdout> {
    let (stdin, stdout) = rmcp::transport::stdio();
    LineTransport::new(stdin, stdout)
}

/// Resolves on SIGINT or (on Unix) SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}
