//! Newline-delimited JSON-RPC over a byte stream (stdio), with the answers JSON-RPC 2.0
//! prescribes for bad input. rmcp's own stdio transport drops a line that is not JSON without a
//! word, answers other bad messages without an `id`, and lets a second request reuse the id of
//! one still running (one of the two answers is then lost). This transport reads bounded lines,
//! classifies each one ([`classify`]) and answers what cannot go to the server itself:
//!
//! - not UTF-8 or not JSON: `-32700` Parse error, `id: null`;
//! - JSON but not a JSON-RPC message (an array, a number, no `method`, `jsonrpc` not `"2.0"`, an
//!   id that is neither a string nor an integer), or a line over [`MAX_LINE_BYTES`]: `-32600`
//!   Invalid Request, with the request's id when it has a valid one, else `id: null`;
//! - a request whose params do not fit its method: `-32602` Invalid params, with its id;
//! - a request that reuses the id of a request still in flight: `-32600`, with that id.
//!
//! A notification is never answered: one that does not fit is dropped. Every message, the
//! server's and these, is written whole under one lock, so stdout lines never interleave.

use std::collections::{HashSet, VecDeque};
use std::sync::{Arc, Mutex as SyncMutex};

use rmcp::RoleServer;
use rmcp::model::{
    self, ClientJsonRpcMessage, ClientNotification, ClientRequest, JsonRpcMessage, RequestId, ServerJsonRpcMessage,
};
use rmcp::transport::Transport;
use serde::Deserialize;
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;

/// The longest line (one message) read, in bytes: the same cap as an HTTP request body
/// ([`super::http::DEFAULT_MAX_BODY_BYTES`]), about a thousand times a real request. A longer line
/// is answered with `-32600` and skipped without being buffered.
pub const MAX_LINE_BYTES: usize = super::http::DEFAULT_MAX_BODY_BYTES;

/// JSON-RPC: the input is not JSON.
pub const PARSE_ERROR: i64 = -32700;
/// JSON-RPC: the JSON is not a valid request object.
pub const INVALID_REQUEST: i64 = -32600;
/// JSON-RPC: invalid method parameters.
pub const INVALID_PARAMS: i64 = -32602;

/// The longest error message echoed back, in characters: serde's messages quote the offending
/// value, which may be megabytes long.
const MAX_MESSAGE_CHARS: usize = 200;

/// What one input line is.
#[derive(Debug)]
pub enum Line {
    /// Empty or blank: skipped.
    Blank,
    /// A JSON-RPC message for the server.
    Message(Box<ClientJsonRpcMessage>),
    /// Nothing to deliver and, by JSON-RPC, nothing to answer (a notification or a response that
    /// does not fit): dropped, with the reason logged.
    Dropped(String),
    /// Not deliverable: answer with this error.
    Rejected(Rejection),
}

/// An error answer to a line the server never sees.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The id of the request, when it had a valid one; `None` is written as `id: null`.
    pub id: Option<Value>,
    /// The JSON-RPC error code.
    pub code: i64,
    /// What was wrong, for a human.
    pub message: String,
}

impl Rejection {
    fn new(id: Option<Value>, code: i64, message: impl Into<String>) -> Self {
        let message: String = message.into();
        let message = if message.chars().count() > MAX_MESSAGE_CHARS {
            format!("{}…", message.chars().take(MAX_MESSAGE_CHARS).collect::<String>())
        } else {
            message
        };
        Self { id, code, message }
    }

    /// The error response as one line of JSON, without the newline.
    pub fn to_json_line(&self) -> Vec<u8> {
        let value = serde_json::json!({
            "jsonrpc": "2.0",
            "id": self.id.clone().unwrap_or(Value::Null),
            "error": {"code": self.code, "message": self.message},
        });
        value.to_string().into_bytes()
    }

    /// The answer to a message longer than `limit` bytes.
    pub fn oversized(limit: usize) -> Self {
        Self::new(
            None,
            INVALID_REQUEST,
            format!("Invalid Request: a message longer than {limit} bytes was discarded"),
        )
    }

    /// The answer to an empty message where one was expected (an HTTP body).
    pub fn empty() -> Self {
        Self::new(None, PARSE_ERROR, "Parse error: the message is empty")
    }

    /// The answer, where a transport must give one (HTTP), to a notification or response that
    /// does not fit and that stdio drops: no id, since JSON-RPC never answers those.
    pub fn dropped(reason: String) -> Self {
        Self::new(None, INVALID_PARAMS, format!("Invalid params: {reason}"))
    }
}

/// Classifies one line (without its newline): a message for the server, something to answer
/// with an error, or something to drop.
pub fn classify(line: &[u8]) -> Line {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    // RFC 8259 lets a parser ignore a byte order mark.
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if line.trim_ascii().is_empty() {
        return Line::Blank;
    }
    let text = match std::str::from_utf8(line) {
        Ok(text) => text,
        Err(e) => {
            return Line::Rejected(Rejection::new(
                None,
                PARSE_ERROR,
                format!("Parse error: invalid UTF-8 at byte {}", e.valid_up_to()),
            ));
        }
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(e) => return Line::Rejected(Rejection::new(None, PARSE_ERROR, format!("Parse error: {e}"))),
    };
    let invalid = |id: Option<Value>, why: &str| {
        Line::Rejected(Rejection::new(id, INVALID_REQUEST, format!("Invalid Request: {why}")))
    };
    let object = match value {
        Value::Object(object) => object,
        Value::Array(items) if items.is_empty() => return invalid(None, "an empty batch"),
        Value::Array(_) => return invalid(None, "batches are not supported; send one message per line"),
        _ => return invalid(None, "a message must be a JSON object"),
    };
    let id = match object.get("id") {
        None => None,
        Some(id @ Value::String(_)) => Some(id.clone()),
        Some(id @ Value::Number(n)) if n.is_i64() => Some(id.clone()),
        Some(_) => return invalid(None, "id must be a string or an integer"),
    };
    if object.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid(id, "jsonrpc must be \"2.0\"");
    }
    let method = match object.get("method") {
        Some(Value::String(method)) => Some(method.clone()),
        Some(_) => return invalid(id, "method must be a string"),
        None if id.is_none() => return invalid(None, "a message needs a method, or an id with a result or an error"),
        None if !object.contains_key("result") && !object.contains_key("error") => {
            return invalid(id, "a message needs a method, or an id with a result or an error");
        }
        None => None,
    };
    let value = Value::Object(object);
    let error = match ClientJsonRpcMessage::deserialize(&value) {
        Ok(message) => {
            // rmcp parses a request for one of its methods whose params do not fit as a custom
            // request, which it then answers "method not found".
            let misfit = match &message {
                JsonRpcMessage::Request(request) => match &request.request {
                    ClientRequest::CustomRequest(custom) => typed_params_error(&custom.method, &value),
                    _ => None,
                },
                _ => None,
            };
            match misfit {
                None => return Line::Message(Box::new(message)),
                Some(error) => error,
            }
        }
        Err(e) => match value.get("params") {
            Some(params) if !params.is_object() => "params must be an object".to_string(),
            _ => method
                .as_deref()
                .and_then(|method| typed_params_error(method, &value))
                .unwrap_or_else(|| e.to_string()),
        },
    };
    match (id, method) {
        (Some(id), Some(method)) => Line::Rejected(Rejection::new(
            Some(id),
            INVALID_PARAMS,
            format!("Invalid params for {method}: {error}"),
        )),
        (None, Some(method)) => Line::Dropped(format!("notification {method} does not fit: {error}")),
        (_, None) => Line::Dropped(format!("response does not fit: {error}")),
    }
}

/// Declares [`typed_params_error`] over the request methods rmcp parses into typed requests.
macro_rules! typed_requests {
    ($($method:literal => $request:ty,)*) => {
        /// Why `request` does not parse as the typed request for `method`; `None` when it does,
        /// or when rmcp has no typed request for the method.
        #[allow(deprecated)] // logging/setLevel
        fn typed_params_error(method: &str, request: &Value) -> Option<String> {
            match method {
                $($method => <$request>::deserialize(request).err().map(|e| e.to_string()),)*
                _ => None,
            }
        }
    };
}

typed_requests! {
    "ping" => model::PingRequest,
    "initialize" => model::InitializeRequest,
    "server/discover" => model::DiscoverRequest,
    "completion/complete" => model::CompleteRequest,
    "logging/setLevel" => model::SetLevelRequest,
    "prompts/get" => model::GetPromptRequest,
    "prompts/list" => model::ListPromptsRequest,
    "resources/list" => model::ListResourcesRequest,
    "resources/templates/list" => model::ListResourceTemplatesRequest,
    "resources/read" => model::ReadResourceRequest,
    "subscriptions/listen" => model::SubscriptionsListenRequest,
    "resources/subscribe" => model::SubscribeRequest,
    "resources/unsubscribe" => model::UnsubscribeRequest,
    "tools/call" => model::CallToolRequest,
    "tools/list" => model::ListToolsRequest,
    "tasks/get" => model::GetTaskRequest,
    "tasks/update" => model::UpdateTaskRequest,
    "tasks/cancel" => model::CancelTaskRequest,
    "skills/list" => model::ListSkillsRequest,
    "skills/get" => model::GetSkillRequest,
    "resources/directory/read" => model::ReadResourceDirectoryRequest,
}

/// The write half, shared by the server's messages and the transport's own answers. Whole lines
/// are appended to `pending` and written from there, so a write cut short (a cancelled future)
/// resumes where it stopped and lines never interleave.
struct Output<W> {
    writer: Option<W>,
    pending: Vec<u8>,
}

impl<W: AsyncWrite + Unpin> Output<W> {
    fn queue(&mut self, mut line: Vec<u8>) {
        line.push(b'\n');
        if self.pending.is_empty() {
            self.pending = line;
        } else {
            self.pending.extend_from_slice(&line);
        }
    }

    async fn drain(&mut self) -> std::io::Result<()> {
        let Some(writer) = self.writer.as_mut() else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotConnected,
                "the transport is closed",
            ));
        };
        while !self.pending.is_empty() {
            let written = writer.write(&self.pending).await?;
            if written == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            self.pending.drain(..written);
        }
        writer.flush().await
    }
}

/// How one bounded line read ended.
enum LineRead {
    Line,
    Oversized,
    Eof,
    Io(std::io::Error),
}

/// An rmcp server transport over a reader and a writer of newline-delimited JSON-RPC.
pub struct LineTransport<R, W> {
    read: BufReader<R>,
    /// The line read so far. Kept across calls: `receive` is polled inside a `select!` and may
    /// be cancelled mid-line.
    line: Vec<u8>,
    /// Skipping the rest of an oversized line, up to its newline.
    discarding: bool,
    /// Answers decided but not yet handed to `output`.
    rejections: VecDeque<Rejection>,
    output: Arc<Mutex<Output<W>>>,
    /// Ids of requests delivered and not yet answered.
    in_flight: Arc<SyncMutex<HashSet<RequestId>>>,
}

impl<R, W> LineTransport<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send + 'static,
{
    /// A transport that reads messages from `read` and writes them to `write`.
    pub fn new(read: R, write: W) -> Self {
        Self {
            read: BufReader::new(read),
            line: Vec::new(),
            discarding: false,
            rejections: VecDeque::new(),
            output: Arc::new(Mutex::new(Output {
                writer: Some(write),
                pending: Vec::new(),
            })),
            in_flight: Arc::new(SyncMutex::new(HashSet::new())),
        }
    }

    /// Reads one line into `self.line`, never holding more than [`MAX_LINE_BYTES`] of it.
    /// Cancellation-safe: bytes are moved from the reader's buffer to `self.line` with no await
    /// in between.
    async fn read_line(&mut self) -> LineRead {
        loop {
            let available = match self.read.fill_buf().await {
                Ok(available) => available,
                Err(e) => return LineRead::Io(e),
            };
            if available.is_empty() {
                return LineRead::Eof;
            }
            let newline = available.iter().position(|&b| b == b'\n');
            let take = newline.map_or(available.len(), |i| i + 1);
            let mut oversized = false;
            if self.discarding {
                self.discarding = newline.is_none();
            } else if self.line.len() + take > MAX_LINE_BYTES + 1 {
                self.line = Vec::new();
                self.discarding = newline.is_none();
                oversized = true;
            } else {
                self.line.extend_from_slice(&available[..take]);
            }
            self.read.consume(take);
            if oversized {
                return LineRead::Oversized;
            }
            if newline.is_some() && !self.line.is_empty() {
                return LineRead::Line;
            }
        }
    }

    /// Decides what to do with a message the server is about to see: `Some` to reject it.
    fn admit(&self, message: &ClientJsonRpcMessage) -> Option<Rejection> {
        let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        match message {
            JsonRpcMessage::Request(request) => {
                if in_flight.insert(request.id.clone()) {
                    None
                } else {
                    Some(Rejection::new(
                        Some(request.id.clone().into_json_value()),
                        INVALID_REQUEST,
                        format!(
                            "Invalid Request: id {} is already used by a request in flight",
                            request.id
                        ),
                    ))
                }
            }
            JsonRpcMessage::Notification(notification) => {
                // rmcp drops the answer to a cancelled request: its id is free again.
                if let ClientNotification::CancelledNotification(cancelled) = &notification.notification
                    && let Some(id) = &cancelled.params.request_id
                {
                    in_flight.remove(id);
                }
                None
            }
            _ => None,
        }
    }

    /// Writes the queued rejections. `false` when the output is gone.
    async fn answer_rejections(&mut self) -> bool {
        if self.rejections.is_empty() {
            return true;
        }
        let mut output = self.output.lock().await;
        for rejection in self.rejections.drain(..) {
            tracing::debug!(code = rejection.code, message = %rejection.message, "rejected an input line");
            output.queue(rejection.to_json_line());
        }
        output.drain().await.is_ok()
    }
}

impl<R, W> Transport<RoleServer> for LineTransport<R, W>
where
    R: AsyncRead + Unpin + Send,
    W: AsyncWrite + Unpin + Send + 'static,
{
    type Error = std::io::Error;

    fn send(&mut self, item: ServerJsonRpcMessage) -> impl Future<Output = Result<(), Self::Error>> + Send + 'static {
        let answered = match &item {
            JsonRpcMessage::Response(response) => Some(response.id.clone()),
            JsonRpcMessage::Error(error) => error.id.clone(),
            _ => None,
        };
        if let Some(id) = answered {
            self.in_flight.lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
        }
        let line = serde_json::to_vec(&item);
        let output = self.output.clone();
        async move {
            let line = line.map_err(std::io::Error::other)?;
            let mut output = output.lock().await;
            output.queue(line);
            output.drain().await
        }
    }

    async fn receive(&mut self) -> Option<ClientJsonRpcMessage> {
        loop {
            if !self.answer_rejections().await {
                return None;
            }
            match self.read_line().await {
                LineRead::Line => {}
                LineRead::Oversized => {
                    self.rejections.push_back(Rejection::oversized(MAX_LINE_BYTES));
                    continue;
                }
                LineRead::Eof => {
                    if !self.line.is_empty() {
                        tracing::debug!(bytes = self.line.len(), "input closed in the middle of a message");
                    }
                    return None;
                }
                LineRead::Io(e) => {
                    tracing::error!(error = %e, "cannot read input");
                    return None;
                }
            }
            let line = std::mem::take(&mut self.line);
            let classified = classify(line.strip_suffix(b"\n").unwrap_or(&line));
            // Keep the buffer's allocation for the next line, unless a large line grew it.
            if line.capacity() <= 64 * 1024 {
                self.line = line;
                self.line.clear();
            }
            match classified {
                Line::Blank => {}
                Line::Dropped(reason) => tracing::debug!(%reason, "dropped an input line"),
                Line::Rejected(rejection) => self.rejections.push_back(rejection),
                Line::Message(message) => match self.admit(&message) {
                    None => return Some(*message),
                    Some(rejection) => self.rejections.push_back(rejection),
                },
            }
        }
    }

    async fn close(&mut self) -> Result<(), Self::Error> {
        let mut output = self.output.lock().await;
        let result = if output.pending.is_empty() {
            Ok(())
        } else {
            output.drain().await
        };
        output.writer = None;
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(line: &[u8]) -> Rejection {
        match classify(line) {
            Line::Rejected(rejection) => rejection,
            other => panic!(
                "{}: expected a rejection, got {}",
                crate::skill::files::display_name(&String::from_utf8_lossy(line)),
                crate::skill::files::display_name(&format!("{other:?}"))
            ),
        }
    }

    #[test]
    fn parse_errors_have_a_null_id() {
        for line in [&b"{\"jsonrpc\":\"2.0\","[..], b"nope", b"{\"a\":1}}", b"\xff\xfe{}"] {
            let rejection = rejected(line);
            assert_eq!(rejection.code, PARSE_ERROR, "{line:?}");
            assert_eq!(rejection.id, None);
            assert!(rejection.message.starts_with("Parse error: "), "{}", rejection.message);
        }
        assert_eq!(rejected(b"\"\xff\"").message, "Parse error: invalid UTF-8 at byte 1");
        assert_eq!(
            String::from_utf8(rejected(b"{").to_json_line()).unwrap(),
            r#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: EOF while parsing an object at line 1 column 1"}}"#
        );
    }

    #[test]
    fn json_that_is_not_json_rpc_is_an_invalid_request() {
        let cases: [(&[u8], Option<Value>, &str); 10] = [
            (b"[1,2]", None, "batches are not supported"),
            (b"[]", None, "an empty batch"),
            (b"42", None, "a message must be a JSON object"),
            (b"{\"hello\":1}", None, "jsonrpc must be \"2.0\""),
            (
                b"{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"ping\"}",
                Some(3.into()),
                "jsonrpc must be",
            ),
            (
                b"{\"jsonrpc\":\"2.0\",\"id\":null,\"method\":\"ping\"}",
                None,
                "id must be",
            ),
            (
                b"{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"ping\"}",
                None,
                "id must be",
            ),
            (
                b"{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}",
                None,
                "id must be",
            ),
            (
                b"{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":7}",
                Some("a".into()),
                "method must be a string",
            ),
            (b"{\"jsonrpc\":\"2.0\",\"id\":4}", Some(4.into()), "needs a method"),
        ];
        for (line, id, message) in cases {
            let rejection = rejected(line);
            assert_eq!(rejection.code, INVALID_REQUEST, "{}", String::from_utf8_lossy(line));
            assert_eq!(rejection.id, id, "{}", String::from_utf8_lossy(line));
            assert!(rejection.message.contains(message), "{}", rejection.message);
        }
    }

    #[test]
    fn params_that_do_not_fit_are_invalid_params_with_the_id() {
        let rejection = rejected(br#"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":"x"}"#);
        assert_eq!(rejection.code, INVALID_PARAMS);
        assert_eq!(rejection.id, Some(7.into()));
        assert_eq!(
            rejection.message,
            "Invalid params for tools/call: params must be an object"
        );
        let rejection = rejected(br#"{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":5}}"#);
        assert_eq!((rejection.code, rejection.id), (INVALID_PARAMS, Some("x".into())));
        assert!(
            rejection.message.contains("invalid type: integer `5`"),
            "{}",
            rejection.message
        );
    }

    #[test]
    fn long_values_are_not_echoed_whole() {
        let line = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{"name":["{}"]}}}}"#,
            "x".repeat(10_000)
        );
        let rejection = rejected(line.as_bytes());
        assert!(
            rejection.message.chars().count() <= MAX_MESSAGE_CHARS + 1,
            "{}",
            rejection.message.len()
        );
    }

    #[test]
    fn messages_pass_and_notifications_that_do_not_fit_are_dropped() {
        for line in [
            &br#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#[..],
            b"\xEF\xBB\xBF{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"method\":\"tools/list\"}\r",
            br#"{"jsonrpc":"2.0","id":2,"method":"no/such/method"}"#,
            br#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"x","arguments":{}}}"#,
            br#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
            br#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}"#,
        ] {
            assert!(
                matches!(classify(line), Line::Message(_)),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert!(matches!(
            classify(br#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":"x"}"#),
            Line::Dropped(_)
        ));
        assert!(matches!(classify(b"  \r"), Line::Blank));
        assert!(matches!(classify(b""), Line::Blank));
    }

    async fn exchange(input: &[u8]) -> (Vec<ClientJsonRpcMessage>, Vec<Value>) {
        let (mut client, server_read) = tokio::io::duplex(1 << 16);
        let (server_write, mut client_read) = tokio::io::duplex(1 << 16);
        let mut transport = LineTransport::new(server_read, server_write);
        let input = input.to_vec();
        let writer = tokio::spawn(async move {
            client.write_all(&input).await.unwrap();
        });
        let mut messages = Vec::new();
        while let Some(message) = transport.receive().await {
            messages.push(message);
        }
        writer.await.unwrap();
        transport.close().await.unwrap();
        drop(transport);
        let mut out = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut client_read, &mut out)
            .await
            .unwrap();
        let replies = out
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).unwrap())
            .collect();
        (messages, replies)
    }

    #[tokio::test]
    async fn an_oversized_line_is_answered_and_skipped() {
        let mut input = vec![b'x'; MAX_LINE_BYTES + 10];
        input.push(b'\n');
        input.extend_from_slice(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n");
        let (messages, replies) = exchange(&input).await;
        assert_eq!(messages.len(), 1);
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0]["error"]["code"], INVALID_REQUEST);
        assert_eq!(replies[0]["id"], Value::Null);
    }

    #[tokio::test]
    async fn a_line_of_exactly_the_limit_passes() {
        let request = b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        let mut input = request.to_vec();
        input.resize(MAX_LINE_BYTES, b' ');
        input.push(b'\n');
        let (messages, replies) = exchange(&input).await;
        assert_eq!((messages.len(), replies.len()), (1, 0));
    }

    #[tokio::test]
    async fn a_reused_id_in_flight_is_rejected_until_answered_or_cancelled() {
        let input = concat!(
            r#"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
            "\n",
            r#"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":5}}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":5,"method":"ping"}"#,
            "\n",
            r#"{"jsonrpc":"2.0","id":6,"method":"ping"#,
        );
        let (messages, replies) = exchange(input.as_bytes()).await;
        // The first ping, the cancellation, the ping after it; the unterminated last line is
        // dropped at end of input.
        assert_eq!(messages.len(), 3);
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0]["id"], 5);
        assert_eq!(replies[0]["error"]["code"], INVALID_REQUEST);
    }
}
