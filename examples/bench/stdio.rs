//! A server process driven over its stdin and stdout with raw newline-delimited JSON-RPC. No
//! MCP client library sits in the timing path: a request is rendered before the clock starts,
//! the clock stops when the reply's line has been read, and the reply is checked after that, so
//! the client's own cost is a write, a read and nothing else, the same for every server.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::Value;

use crate::machine::{self, Rss};

/// The protocol version the bench speaks.
pub const PROTOCOL_VERSION: &str = "2025-11-25";

/// A program to run as a server, with its arguments.
#[derive(Debug, Clone)]
pub struct ServerCommand {
    /// The executable.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<String>,
}

impl ServerCommand {
    /// The same program with more arguments.
    pub fn with_args(&self, extra: &[&str]) -> Self {
        let mut args = self.args.clone();
        args.extend(extra.iter().map(|a| a.to_string()));
        Self {
            program: self.program.clone(),
            args,
        }
    }

    /// A `Command` for it with a clean environment for the server's own settings.
    pub fn command(&self) -> Command {
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .env_remove("RUST_LOG")
            .env_remove("STREAMING_SKILL_DIR")
            .env_remove("STREAMING_SKILL_TOKEN")
            .env_remove("STREAMING_SKILL_INDEX_CACHE");
        command
    }
}

/// One `tools/call`: the tool's name and its arguments as a JSON object.
#[derive(Debug, Clone)]
pub struct ToolCall {
    /// The tool.
    pub name: &'static str,
    /// Its arguments, as JSON text.
    pub arguments: String,
}

/// A running stdio server.
pub struct StdioServer {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    line: Vec<u8>,
    next_id: u64,
    spawned: Instant,
    last_reply: Instant,
}

impl StdioServer {
    /// Starts the server; the clock for cold-start figures starts just before the spawn.
    pub fn spawn(server: &ServerCommand) -> anyhow::Result<Self> {
        let spawned = Instant::now();
        let mut child = server
            .command()
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .with_context(|| format!("cannot start {}", server.program.display()))?;
        let stdin = child.stdin.take().context("the child has no stdin")?;
        let stdout = BufReader::new(child.stdout.take().context("the child has no stdout")?);
        Ok(Self {
            child,
            stdin: Some(stdin),
            stdout,
            line: Vec::with_capacity(64 * 1024),
            next_id: 1,
            spawned,
            last_reply: spawned,
        })
    }

    /// When the process was spawned.
    pub fn spawned_at(&self) -> Instant {
        self.spawned
    }

    /// When the last reply had been read.
    pub fn last_reply_at(&self) -> Instant {
        self.last_reply
    }

    /// The server's resident memory now and at its peak.
    pub fn rss(&self) -> anyhow::Result<Rss> {
        machine::rss(self.child.id()).context("cannot read the server's memory from /proc")
    }

    /// Sends `initialize`, reads its reply, and sends `notifications/initialized`. Returns the
    /// instant the reply had been read.
    pub fn initialize(&mut self) -> anyhow::Result<Instant> {
        let id = self.take_id();
        let mut request = format!(
            r#"{{"jsonrpc":"2.0","id":{id},"method":"initialize","params":{{"protocolVersion":"{PROTOCOL_VERSION}","capabilities":{{}},"clientInfo":{{"name":"streaming-skill-bench","version":"1"}}}}}}"#
        );
        request.push('\n');
        self.send(request.as_bytes())?;
        self.read_line()?;
        let replied = self.last_reply;
        let reply = self.check_last(id).context("initialize")?;
        if reply.get("serverInfo").is_none() {
            bail!("the initialize reply has no serverInfo: {reply}");
        }
        self.send(concat!(r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, "\n").as_bytes())?;
        Ok(replied)
    }

    /// Calls a tool and checks the reply; returns the round-trip time (write to read).
    pub fn call(&mut self, call: &ToolCall) -> anyhow::Result<Duration> {
        let id = self.take_id();
        let mut request = render_call(id, call);
        request.push('\n');
        let started = Instant::now();
        self.send(request.as_bytes())?;
        self.read_line()?;
        let elapsed = self.last_reply - started;
        self.check_last(id)
            .with_context(|| format!("{} {}", call.name, call.arguments))?;
        Ok(elapsed)
    }

    /// Closes stdin (the server's signal to exit) and waits for the process, killing it after
    /// five seconds.
    pub fn close(mut self) -> anyhow::Result<()> {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.child.try_wait()?.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        self.child.kill()?;
        self.child.wait()?;
        bail!("the server did not exit within 5 s of stdin closing; killed")
    }

    fn take_id(&mut self) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// Writes one message that already ends in a newline, in one write.
    fn send(&mut self, framed: &[u8]) -> anyhow::Result<()> {
        let stdin = self.stdin.as_mut().context("stdin is closed")?;
        stdin.write_all(framed).context("cannot write to the server")
    }

    fn read_line(&mut self) -> anyhow::Result<()> {
        self.line.clear();
        let read = self
            .stdout
            .read_until(b'\n', &mut self.line)
            .context("cannot read from the server")?;
        self.last_reply = Instant::now();
        if read == 0 {
            bail!("the server closed stdout");
        }
        Ok(())
    }

    /// Checks that the last line read is the successful reply to request `id`; returns its
    /// `result`.
    fn check_last(&self, id: u64) -> anyhow::Result<Value> {
        let text = String::from_utf8_lossy(&self.line);
        let mut message: Value =
            serde_json::from_str(&text).with_context(|| format!("a reply that is not JSON: {}", excerpt(&text)))?;
        if message.get("id").and_then(Value::as_u64) != Some(id) {
            bail!("expected the reply to request {id}, got: {}", excerpt(&text));
        }
        if let Some(error) = message.get("error") {
            bail!("JSON-RPC error: {error}");
        }
        let result = message
            .get_mut("result")
            .map(Value::take)
            .with_context(|| format!("a reply without result: {}", excerpt(&text)))?;
        if result.get("isError") == Some(&Value::Bool(true)) {
            bail!("the tool failed: {}", excerpt(&result.to_string()));
        }
        Ok(result)
    }
}

impl Drop for StdioServer {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The JSON-RPC text of a `tools/call`, without a newline.
pub fn render_call(id: u64, call: &ToolCall) -> String {
    format!(
        r#"{{"jsonrpc":"2.0","id":{id},"method":"tools/call","params":{{"name":"{}","arguments":{}}}}}"#,
        call.name, call.arguments
    )
}

/// The first 300 characters of a text, for error messages.
fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(300).collect();
    if cut.len() < text.len() {
        format!("{cut}...")
    } else {
        cut
    }
}
