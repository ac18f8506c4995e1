//! Throughput over Streamable HTTP on loopback: requests per second and latency with 1, 8 and
//! 64 concurrent clients, each a closed loop (send, wait for the reply, send again) over its own
//! keep-alive connection, in stateless mode and with sessions. The load generator runs in this
//! process on one thread (a current-thread tokio runtime), on the same machine as the server.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::machine;
use crate::stats::{Summary, ms, ratio, thousands};
use crate::stdio::{PROTOCOL_VERSION, ServerCommand, ToolCall, render_call};
use crate::workload::Workload;
use crate::{Plan, Servers};

/// Load before the measured window, not counted.
const WARM_UP: Duration = Duration::from_millis(500);
const ACCEPT: &str = "application/json, text/event-stream";

/// Stateless (every request stands alone) or with a session per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Stateless,
    Sessions,
}

impl Mode {
    fn name(self) -> &'static str {
        match self {
            Mode::Stateless => "stateless",
            Mode::Sessions => "sessions",
        }
    }
}

/// Which server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Floor,
    Ours,
    /// The floor with `TCP_NODELAY` on its connections (sessions only: the SSE replies go out
    /// in several writes, which Nagle's algorithm holds back until the client's delayed ACK).
    FloorNoDelay,
}

impl Which {
    fn name(self) -> &'static str {
        match self {
            Which::Floor => "floor `echo`",
            Which::Ours => "`search_references`",
            Which::FloorNoDelay => "floor `echo`, TCP_NODELAY",
        }
    }
}

/// One measurement: a fresh server, `clients` closed loops for the measured window.
#[derive(Debug)]
struct Load {
    requests: usize,
    window: Duration,
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
    server_peak_kib: u64,
}

/// Every measurement, by mode, clients and server.
#[derive(Debug, Default)]
pub struct Http {
    cells: Vec<((Mode, usize, Which), Vec<Load>)>,
    call_description: String,
}

/// Runs every mode, concurrency and server `plan.rounds` times.
pub fn run(plan: &Plan, servers: &Servers, workload: &Workload) -> anyhow::Result<Http> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the load generator's runtime")?;
    let logs = tempfile::tempdir().context("a temporary folder for server logs")?;
    let window = Duration::from_secs_f64(plan.http_secs);
    let mut http = Http {
        call_description: "ours: `search_references` (the search queries in turn); floor: `echo`".into(),
        ..Default::default()
    };
    for round in 0..plan.rounds {
        for mode in [Mode::Stateless, Mode::Sessions] {
            for &clients in &plan.clients {
                let mut order = if round % 2 == 0 {
                    vec![Which::Floor, Which::Ours]
                } else {
                    vec![Which::Ours, Which::Floor]
                };
                if mode == Mode::Sessions {
                    order.push(Which::FloorNoDelay);
                }
                for which in order {
                    let (command, calls) = match which {
                        Which::Floor => (servers.floor.with_args(&["--http", "127.0.0.1:0"]), &workload.echo),
                        Which::FloorNoDelay => (
                            servers.floor.with_args(&["--http", "127.0.0.1:0", "--nodelay"]),
                            &workload.echo,
                        ),
                        Which::Ours => (
                            servers.ours.with_args(&["serve", "--http", "127.0.0.1:0"]),
                            &workload.search,
                        ),
                    };
                    eprintln!(
                        "bench:   round {} {} {clients} client(s) {which:?}",
                        round + 1,
                        mode.name()
                    );
                    let load = measure(&runtime, &command, mode, clients, calls, window, logs.path())?;
                    http.push((mode, clients, which), load);
                }
            }
        }
    }
    Ok(http)
}

/// Starts a server, drives it, reads its peak memory and stops it.
fn measure(
    runtime: &tokio::runtime::Runtime,
    command: &ServerCommand,
    mode: Mode,
    clients: usize,
    calls: &[ToolCall],
    window: Duration,
    logs: &Path,
) -> anyhow::Result<Load> {
    let command = if mode == Mode::Stateless {
        command.with_args(&["--stateless"])
    } else {
        command.clone()
    };
    let mut server = HttpServer::start(&command, logs)?;
    let driven = runtime.block_on(drive(&server.url, mode, clients, Arc::new(calls.to_vec()), window));
    let peak = machine::rss(server.child.id()).map(|r| r.peak_kib).unwrap_or(0);
    server.stop();
    let mut load = driven?;
    load.server_peak_kib = peak;
    Ok(load)
}

/// A server listening on a loopback port, its stderr going to a file.
struct HttpServer {
    child: Child,
    url: String,
}

impl HttpServer {
    /// Starts the server and waits for the `listening on http://ADDR/mcp` line on its stderr.
    fn start(command: &ServerCommand, logs: &Path) -> anyhow::Result<Self> {
        let log_path = logs.join("server.log");
        let log = File::create(&log_path).context("cannot create the server log")?;
        let child = command
            .command()
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::from(log))
            .spawn()
            .with_context(|| format!("cannot start {}", command.program.display()))?;
        let mut server = Self {
            child,
            url: String::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            let mut text = String::new();
            File::open(&log_path)?.read_to_string(&mut text)?;
            if let Some(url) = text.lines().find_map(|l| l.split_once("listening on ").map(|(_, u)| u)) {
                server.url = url.trim().to_string();
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("{} exited with {status}: {text}", command.program.display());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        bail!("{} did not announce its address within 20 s", command.program.display())
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// What one client measured.
#[derive(Debug, Default)]
struct ClientLoad {
    latencies: Vec<Duration>,
    errors: usize,
    first_error: Option<String>,
}

/// Sets up `clients` clients (a session each, when asked), starts them together, and collects
/// the requests each started inside the measured window.
async fn drive(
    url: &str,
    mode: Mode,
    clients: usize,
    calls: Arc<Vec<ToolCall>>,
    window: Duration,
) -> anyhow::Result<Load> {
    let barrier = Arc::new(tokio::sync::Barrier::new(clients));
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let url = url.to_string();
            let calls = calls.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move { client_loop(&url, mode, &calls, i, &barrier, window).await })
        })
        .collect();
    let mut load = Load {
        requests: 0,
        window,
        latencies: Vec::new(),
        errors: 0,
        first_error: None,
        server_peak_kib: 0,
    };
    for task in tasks {
        let client = task.await.context("a client task panicked")??;
        load.requests += client.latencies.len();
        load.latencies.extend(client.latencies);
        load.errors += client.errors;
        load.first_error = load.first_error.or(client.first_error);
    }
    Ok(load)
}

/// One client's closed loop: after the barrier, requests for the warm-up, then timed requests
/// until the window ends.
async fn client_loop(
    url: &str,
    mode: Mode,
    calls: &[ToolCall],
    offset: usize,
    barrier: &tokio::sync::Barrier,
    window: Duration,
) -> anyhow::Result<ClientLoad> {
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()
        .context("cannot build an HTTP client")?;
    let session = match mode {
        Mode::Sessions => Some(open_session(&http, url).await?),
        Mode::Stateless => None,
    };
    barrier.wait().await;
    let started = Instant::now();
    let (measure_from, end) = (started + WARM_UP, started + WARM_UP + window);
    let mut load = ClientLoad::default();
    let mut id = 10u64;
    for call in calls.iter().cycle().skip(offset) {
        let sent = Instant::now();
        if sent >= end {
            break;
        }
        id += 1;
        let outcome = post(&http, url, session.as_deref(), render_call(id, call)).await;
        let latency = sent.elapsed();
        if sent < measure_from {
            continue;
        }
        match outcome {
            Ok((200, body)) if body.contains("\"result\"") && !body.contains("\"isError\":true") => {
                load.latencies.push(latency);
            }
            Ok((status, body)) => note_error(&mut load, format!("status {status}: {}", excerpt(&body))),
            Err(e) => note_error(&mut load, format!("{e:#}")),
        }
    }
    Ok(load)
}

fn note_error(load: &mut ClientLoad, message: String) {
    load.errors += 1;
    load.first_error.get_or_insert(message);
}

/// `initialize` and `notifications/initialized`; returns the session id.
async fn open_session(http: &reqwest::Client, url: &str) -> anyhow::Result<String> {
    let initialize = format!(
        r#"{{"jsonrpc":"2.0","id":1,"method":"initialize","params":{{"protocolVersion":"{PROTOCOL_VERSION}","capabilities":{{}},"clientInfo":{{"name":"streaming-skill-bench","version":"1"}}}}}}"#
    );
    let response = request(http, url, None, initialize)
        .send()
        .await
        .context("initialize")?;
    let session = response
        .headers()
        .get("mcp-session-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .context("the initialize reply has no mcp-session-id")?;
    let body = read_reply(response).await?;
    if !body.contains("\"result\"") {
        bail!("initialize failed: {}", excerpt(&body));
    }
    let initialized = r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.to_string();
    let response = request(http, url, Some(&session), initialized).send().await?;
    let status = response.status().as_u16();
    response.bytes().await?;
    if status != 202 {
        bail!("notifications/initialized got status {status}");
    }
    Ok(session)
}

/// POSTs a JSON-RPC message and returns the status and the reply's JSON text.
async fn post(http: &reqwest::Client, url: &str, session: Option<&str>, body: String) -> anyhow::Result<(u16, String)> {
    let response = request(http, url, session, body).send().await?;
    let status = response.status().as_u16();
    Ok((status, read_reply(response).await?))
}

fn request(http: &reqwest::Client, url: &str, session: Option<&str>, body: String) -> reqwest::RequestBuilder {
    let mut request = http
        .post(url)
        .header("content-type", "application/json")
        .header("accept", ACCEPT)
        .header("mcp-protocol-version", PROTOCOL_VERSION)
        .body(body);
    if let Some(session) = session {
        request = request.header("mcp-session-id", session);
    }
    request
}

/// The reply's JSON-RPC message: the whole body for `application/json`, the `data:` line that
/// holds a JSON object for an SSE stream. The body is read to its end, so that the connection
/// can be reused.
async fn read_reply(response: reqwest::Response) -> anyhow::Result<String> {
    let sse = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    let body = response.text().await.context("reading the reply")?;
    if !sse {
        return Ok(body);
    }
    body.lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim_start)
        .find(|d| d.starts_with('{'))
        .map(str::to_string)
        .with_context(|| format!("an SSE reply without a JSON-RPC message: {}", excerpt(&body)))
}

fn excerpt(text: &str) -> String {
    text.chars().take(200).collect()
}

impl Http {
    fn push(&mut self, key: (Mode, usize, Which), load: Load) {
        match self.cells.iter_mut().find(|(k, _)| *k == key) {
            Some((_, all)) => all.push(load),
            None => self.cells.push((key, vec![load])),
        }
    }

    /// Our server's median peak RSS in session mode with `clients` clients, in KiB.
    pub fn session_peak_kib(&self, clients: usize) -> Option<f64> {
        self.cell((Mode::Sessions, clients, Which::Ours))
            .and_then(Figures::of)
            .map(|f| f.peak_kib)
    }

    fn cell(&self, key: (Mode, usize, Which)) -> Option<&[Load]> {
        self.cells.iter().find(|(k, _)| *k == key).map(|(_, l)| l.as_slice())
    }

    /// The section for BENCHMARKS.md.
    pub fn markdown(&self) -> String {
        let rounds = self.cells.first().map_or(0, |(_, l)| l.len());
        let window = self
            .cells
            .first()
            .and_then(|(_, l)| l.first())
            .map_or(0.0, |l| l.window.as_secs_f64());
        let mut out = String::from("### Throughput over Streamable HTTP (loopback)\n\n");
        out.push_str(&format!(
            "Command: `bench/run.sh --only http`. {rounds} round(s), each with a fresh server per cell; {window:.1} s measured after {} ms of warm-up; closed-loop clients, one keep-alive connection each, driven from one thread of the bench process on the same machine. Calls: {}. Requests per second: min / median / max over rounds; latency percentiles over all requests of all rounds. Ours runs with its defaults, so its access log (one line per request on stderr, here to a file) is on. Sessions: each client sends `initialize` first (not timed) and its replies come as SSE; stateless replies are JSON. In session mode the floor also runs with `--nodelay` (TCP_NODELAY on its connections) to show what Nagle's algorithm costs SSE replies.\n\n",
            WARM_UP.as_millis(),
            self.call_description
        ));
        out.push_str("| mode | clients | server | req/s (min / median / max) | p50 | p99 | errors | server peak RSS | req/s / floor | p99 / floor |\n|---|---|---|---|---|---|---|---|---|---|\n");
        let mut keys: Vec<(Mode, usize)> = Vec::new();
        for ((mode, clients, _), _) in &self.cells {
            if !keys.contains(&(*mode, *clients)) {
                keys.push((*mode, *clients));
            }
        }
        for (mode, clients) in keys {
            let floor = self.cell((mode, clients, Which::Floor)).and_then(Figures::of);
            for which in [Which::Floor, Which::Ours, Which::FloorNoDelay] {
                let Some(figures) = self.cell((mode, clients, which)).and_then(Figures::of) else {
                    continue;
                };
                let (rate_ratio, p99_ratio) = match &floor {
                    Some(f) => (
                        ratio(figures.rate.median, f.rate.median),
                        ratio(figures.latency.p99, f.latency.p99),
                    ),
                    None => ("-".into(), "-".into()),
                };
                out.push_str(&format!(
                    "| {} | {clients} | {} | {} / {} / {} | {} | {} | {} | {} | {rate_ratio} | {p99_ratio} |\n",
                    mode.name(),
                    which.name(),
                    thousands(figures.rate.min.round() as u64),
                    thousands(figures.rate.median.round() as u64),
                    thousands(figures.rate.max.round() as u64),
                    ms(figures.latency.median),
                    ms(figures.latency.p99),
                    figures.errors,
                    crate::stats::mib(figures.peak_kib),
                ));
            }
        }
        for ((mode, clients, which), loads) in &self.cells {
            if let Some(error) = loads.iter().find_map(|l| l.first_error.as_ref()) {
                out.push_str(&format!(
                    "\nFirst error ({} {clients} {which:?}): {error}\n",
                    mode.name()
                ));
            }
        }
        out
    }
}

/// The figures of one cell.
struct Figures {
    rate: Summary,
    latency: Summary,
    errors: usize,
    peak_kib: f64,
}

impl Figures {
    fn of(loads: &[Load]) -> Option<Self> {
        let rates: Vec<f64> = loads
            .iter()
            .map(|l| l.requests as f64 / l.window.as_secs_f64())
            .collect();
        let latencies: Vec<Duration> = loads.iter().flat_map(|l| l.latencies.iter().copied()).collect();
        let peaks: Vec<f64> = loads.iter().map(|l| l.server_peak_kib as f64).collect();
        Some(Self {
            rate: Summary::of(&rates)?,
            latency: Summary::of_ms(&latencies)?,
            errors: loads.iter().map(|l| l.errors).sum(),
            peak_kib: Summary::of(&peaks)?.median,
        })
    }
}
