//! MCP over Streamable HTTP at `/mcp`, for a team or an agent platform: sessions or a stateless
//! mode, DNS-rebinding protection (`Host` and `Origin` allow-lists), an optional bearer token
//! compared in constant time, a request-body cap, `GET /healthz` (503 `starting` until the search
//! index is built, then 200 `ready`), a structured access log on stderr, idle-session reaping and
//! graceful shutdown.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use subtle::ConstantTimeEq;
use tokio_util::sync::CancellationToken;

use super::session_tag::{SessionTag, TaggedSessionManager};
use crate::library::LiveLibrary;
use crate::mcp::SkillServer;

/// Default cap on a request body: far above any real MCP request, far below what would hurt.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1024 * 1024;
/// Default idle time after which a session is closed.
pub const DEFAULT_SESSION_IDLE: Duration = Duration::from_secs(300);

/// How long requests in flight may take to finish after SIGTERM before open streams are closed.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// How to serve over HTTP.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Address to bind.
    pub addr: SocketAddr,
    /// No sessions: every request stands alone, so any replica can answer it.
    pub stateless: bool,
    /// Extra `Host` values to accept (loopback names are always accepted on a loopback bind).
    pub allowed_hosts: Vec<String>,
    /// Browser origins to accept besides the loopback origins on the bound port
    /// (`https://app.example.com:443`); requests without `Origin` always pass, and any other
    /// present `Origin` is refused.
    pub allowed_origins: Vec<String>,
    /// The bearer token every `/mcp` request must carry, if any.
    pub token: Option<String>,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Idle time after which a session is closed.
    pub session_idle: Duration,
    /// This replica's name at the start of the session ids it mints, so that a load balancer
    /// can route each session to it; `None` keeps rmcp's plain ids.
    pub session_tag: Option<SessionTag>,
}

/// Why the HTTP server could not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// Binding a non-loopback address needs an explicit host allow-list.
    #[error(
        "refusing to listen on {addr} without --allowed-host: on a non-loopback address, name the host names clients will use (e.g. --allowed-host mcp.example.com) so that DNS-rebinding protection stays on"
    )]
    PublicBindWithoutHosts {
        /// The address asked for.
        addr: SocketAddr,
    },
    /// The socket could not be bound or served.
    #[error("HTTP server on {addr}: {source}")]
    Io {
        /// The address.
        addr: SocketAddr,
        /// The error.
        source: std::io::Error,
    },
}

/// The `Host` values accepted for a bind address and extra names.
pub fn allowed_hosts(addr: SocketAddr, extra: &[String]) -> Result<Vec<String>, HttpError> {
    if !addr.ip().is_loopback() && extra.is_empty() {
        return Err(HttpError::PublicBindWithoutHosts { addr });
    }
    let mut hosts: Vec<String> = if addr.ip().is_loopback() {
        vec!["localhost".into(), "127.0.0.1".into(), "::1".into(), "[::1]".into()]
    } else {
        Vec::new()
    };
    hosts.extend(extra.iter().cloned());
    Ok(hosts)
}

/// The `Origin` values accepted on a server bound to `local`: the loopback origins on its port
/// (a page the server's own host serves there), then the extra ones. Every other present
/// `Origin` is refused, so a page on another site cannot reach the server through a rebound
/// DNS name; requests without `Origin` (non-browser clients) are not affected.
pub fn allowed_origins(local: SocketAddr, extra: &[String]) -> Vec<String> {
    let port = local.port();
    let mut origins: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .flat_map(|host| [format!("http://{host}:{port}"), format!("https://{host}:{port}")])
        .collect();
    origins.extend(extra.iter().cloned());
    origins
}

/// Whether a replica can answer searches yet: set once the library's search index is built, so
/// that `/healthz` keeps a load balancer from sending a starting replica any request.
#[derive(Debug, Clone, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    /// Marks the replica ready.
    pub fn set_ready(&self) {
        self.0.store(true, Ordering::Release);
    }

    /// Whether the replica is ready.
    pub fn is_ready(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }

    /// Builds the library's search index off the async threads, then marks the replica ready.
    /// An index that cannot be built leaves it starting, with the reason logged.
    pub fn warm_up(&self, library: Arc<LiveLibrary>) -> tokio::task::JoinHandle<()> {
        let readiness = self.clone();
        tokio::task::spawn_blocking(move || match library.get().index() {
            Ok(_) => {
                readiness.set_ready();
                tracing::info!("search index built: ready");
            }
            Err(e) => tracing::error!("cannot build the search index, staying unready: {e}"),
        })
    }
}

/// `GET /healthz`: 200 `ready` once the index is built, 503 `starting` before.
async fn healthz(State(readiness): State<Readiness>) -> Response {
    if readiness.is_ready() {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::RETRY_AFTER, "1")],
            "starting\n",
        )
            .into_response()
    }
}

/// Builds the axum application for a server bound to `local`: `/mcp` (behind the token, if any)
/// and `/healthz`, which reports `readiness`.
pub fn app(
    library: Arc<LiveLibrary>,
    options: &HttpOptions,
    local: SocketAddr,
    shutdown: CancellationToken,
    readiness: Readiness,
) -> Result<Router, HttpError> {
    let hosts = allowed_hosts(options.addr, &options.allowed_hosts)?;
    let config = StreamableHttpServerConfig::default()
        .with_allowed_hosts(hosts)
        .with_allowed_origins(allowed_origins(local, &options.allowed_origins))
        .enforce_origin_validation()
        .with_legacy_session_mode(!options.stateless)
        .with_json_response(options.stateless)
        .with_max_request_body_bytes(options.max_body_bytes)
        .with_cancellation_token(shutdown.child_token());
    let mut sessions = LocalSessionManager::default();
    sessions.session_config.keep_alive = Some(options.session_idle);
    let sessions = TaggedSessionManager::new(options.session_tag.as_ref(), sessions);
    let new_server = SkillServer::live_factory(library);
    let service = StreamableHttpService::new(move || Ok(new_server()), Arc::new(sessions), config);
    let token: Arc<Option<String>> = Arc::new(options.token.clone());
    let mcp = Router::new()
        .fallback_service(service)
        .layer(middleware::from_fn_with_state(options.max_body_bytes, check_body))
        .layer(middleware::from_fn_with_state(token, require_token));
    Ok(Router::new()
        .route("/healthz", get(healthz).with_state(readiness))
        .nest("/mcp", mcp)
        .layer(middleware::from_fn(access_log)))
}

/// Serves until SIGINT or SIGTERM, then stops taking connections and lets requests in flight
/// finish.
pub async fn serve(library: Arc<LiveLibrary>, options: HttpOptions) -> Result<(), HttpError> {
    let shutdown = CancellationToken::new();
    let readiness = Readiness::default();
    let addr = options.addr;
    // Refuse a public bind without host names before taking the port.
    allowed_hosts(addr, &options.allowed_hosts)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| HttpError::Io { addr, source })?;
    let local = listener.local_addr().map_err(|source| HttpError::Io { addr, source })?;
    let app = app(library.clone(), &options, local, shutdown.clone(), readiness.clone())?;
    tracing::info!(%local, stateless = options.stateless, auth = options.token.is_some(), session_tag = options.session_tag.as_ref().map(SessionTag::as_str), "serving MCP over HTTP at /mcp");
    // Tests and scripts read the bound address (the port may be 0) from this line on stderr.
    eprintln!("streaming-skill: listening on http://{local}/mcp");
    readiness.warm_up(library);
    let signal = shutdown.clone();
    // Replies are small writes; without TCP_NODELAY each one on a kept-alive connection waits
    // for the client's delayed ACK (about 40 ms).
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            super::stdio::shutdown_signal().await;
            tracing::info!("shutting down: no new connections; finishing requests in flight");
            // Requests in flight finish on their own; open SSE streams never do, so sessions
            // are closed after a grace period that covers any real request.
            tokio::spawn(async move {
                tokio::time::sleep(SHUTDOWN_GRACE).await;
                signal.cancel();
            });
        })
        .await
        .map_err(|source| HttpError::Io { addr: local, source })
}

async fn require_token(State(token): State<Arc<Option<String>>>, request: Request, next: Next) -> Response {
    let Some(expected) = token.as_ref() else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .unwrap_or_default();
    // Compare in constant time: the length leaks, the content does not.
    if given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes())) {
        return next.run(request).await;
    }
    let mut response = (StatusCode::UNAUTHORIZED, "a valid bearer token is required\n").into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"streaming-skill\", error=\"invalid_token\""),
    );
    response
}

/// Classifies a POST body with the same classifier as stdio lines ([`super::lines::classify`]),
/// so a bad body gets the answer JSON-RPC prescribes, the same as over stdio: over the cap, 413;
/// not JSON, not a JSON-RPC message, or params that do not fit the method, 400 with the JSON-RPC
/// error; a notification or response that does not fit (which stdio drops unanswered), 400 with
/// an error without an id. The rest passes on.
async fn check_body(State(limit): State<usize>, request: Request, next: Next) -> Response {
    use super::lines::{Line, Rejection};
    if request.method() != axum::http::Method::POST {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        return rejected(StatusCode::PAYLOAD_TOO_LARGE, &Rejection::oversized(limit));
    };
    match super::lines::classify(&bytes) {
        Line::Message(_) => {
            next.run(Request::from_parts(parts, axum::body::Body::from(bytes)))
                .await
        }
        Line::Rejected(rejection) => rejected(StatusCode::BAD_REQUEST, &rejection),
        Line::Blank => rejected(StatusCode::BAD_REQUEST, &Rejection::empty()),
        Line::Dropped(reason) => rejected(StatusCode::BAD_REQUEST, &Rejection::dropped(reason)),
    }
}

/// An error answer to a body the server never sees.
fn rejected(status: StatusCode, rejection: &super::lines::Rejection) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        rejection.to_json_line(),
    )
        .into_response()
}

/// One structured line per request on stderr: method, path, status, latency and session; never
/// the token or the body.
async fn access_log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let session = request
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let response = next.run(request).await;
    let session = session.or_else(|| {
        response
            .headers()
            .get("mcp-session-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    });
    tracing::info!(
        target: "streaming_skill::access",
        %method,
        path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        session = session.as_deref().unwrap_or("-"),
        "request"
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_bind_needs_named_hosts() {
        let public: SocketAddr = "0.0.0.0:8808".parse().unwrap();
        assert!(matches!(
            allowed_hosts(public, &[]),
            Err(HttpError::PublicBindWithoutHosts { .. })
        ));
        assert_eq!(
            allowed_hosts(public, &["mcp.example.com".into()]).unwrap(),
            ["mcp.example.com"]
        );
        let loopback: SocketAddr = "127.0.0.1:8808".parse().unwrap();
        assert!(allowed_hosts(loopback, &[]).unwrap().contains(&"localhost".to_string()));
    }

    #[test]
    fn loopback_origins_on_the_bound_port_are_allowed_by_default() {
        let local: SocketAddr = "127.0.0.1:8808".parse().unwrap();
        let origins = allowed_origins(local, &[]);
        assert!(origins.contains(&"http://localhost:8808".to_string()));
        assert!(origins.contains(&"http://[::1]:8808".to_string()));
        assert!(!origins.iter().any(|o| o.ends_with(":*") || !o.ends_with(":8808")));
        let with_extra = allowed_origins(local, &["https://app.example.com:443".into()]);
        assert_eq!(with_extra.last().unwrap(), "https://app.example.com:443");
    }

    #[tokio::test]
    async fn healthz_says_starting_until_the_index_is_built() {
        let library = LiveLibrary::new(Arc::new(crate::library::SkillLibrary::new(vec![Arc::new(
            crate::skill::Skill::embedded().unwrap(),
        )])));
        let options = HttpOptions {
            addr: "127.0.0.1:0".parse().unwrap(),
            stateless: true,
            allowed_hosts: Vec::new(),
            allowed_origins: Vec::new(),
            token: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            session_idle: DEFAULT_SESSION_IDLE,
            session_tag: None,
        };
        let readiness = Readiness::default();
        let local: SocketAddr = "127.0.0.1:8808".parse().unwrap();
        let router = app(
            library.clone(),
            &options,
            local,
            CancellationToken::new(),
            readiness.clone(),
        )
        .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/healthz", listener.local_addr().unwrap());
        let server = tokio::spawn(async move { axum::serve(listener, router).await });

        let starting = reqwest::get(&url).await.unwrap();
        assert_eq!(starting.status(), 503);
        assert_eq!(starting.headers()["retry-after"], "1");
        assert_eq!(starting.text().await.unwrap(), "starting\n");

        readiness.warm_up(library).await.unwrap();
        assert!(readiness.is_ready());
        let ready = reqwest::get(&url).await.unwrap();
        assert_eq!(ready.status(), 200);
        assert_eq!(ready.text().await.unwrap(), "ready\n");
        server.abort();
    }
}
