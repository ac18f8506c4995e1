#![allow(deprecated)] // MCP logging is deprecated by SEP-2577 but still what clients use; the issue asks for it.
//! Logs to the client: a `tracing` layer that forwards this crate's events to the MCP session
//! they happened in, as `notifications/message`, at or above the level that session chose with
//! `logging/setLevel`. Events outside a session's span, and events of other crates (rmcp's own
//! included, which would loop), stay on stderr only.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rmcp::model::{LoggingLevel, LoggingMessageNotificationParam};
use rmcp::{Peer, RoleServer};
use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::Layer;
use tracing_subscriber::layer::Context;
use tracing_subscriber::registry::LookupSpan;

/// The span field that ties events to a session.
pub const SESSION_FIELD: &str = "mcp_session";

/// A session's log destination.
#[derive(Debug)]
struct SessionLog {
    peer: Option<Peer<RoleServer>>,
    level: Option<LoggingLevel>,
}

fn sessions() -> &'static Mutex<HashMap<u64, SessionLog>> {
    static SESSIONS: OnceLock<Mutex<HashMap<u64, SessionLog>>> = OnceLock::new();
    SESSIONS.get_or_init(Default::default)
}

/// A session's handle on its log destination; unregisters itself when dropped.
#[derive(Debug)]
pub struct SessionLogHandle {
    id: u64,
}

impl SessionLogHandle {
    /// Registers a new session that receives no logs until it sets a level.
    pub fn register() -> Arc<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        sessions().lock().unwrap_or_else(|e| e.into_inner()).insert(
            id,
            SessionLog {
                peer: None,
                level: None,
            },
        );
        Arc::new(Self { id })
    }

    /// The id recorded in the session's spans.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Honours `logging/setLevel`: from now on, events at `level` or above go to `peer`.
    pub fn set_level(&self, peer: Peer<RoleServer>, level: LoggingLevel) {
        if let Some(session) = sessions().lock().unwrap_or_else(|e| e.into_inner()).get_mut(&self.id) {
            session.peer = Some(peer);
            session.level = Some(level);
        }
    }

    /// The level the client set, if any.
    pub fn level(&self) -> Option<LoggingLevel> {
        sessions()
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&self.id)
            .and_then(|s| s.level)
    }
}

impl Drop for SessionLogHandle {
    fn drop(&mut self) {
        sessions().lock().unwrap_or_else(|e| e.into_inner()).remove(&self.id);
    }
}

/// The layer to add to the subscriber.
#[derive(Debug, Default)]
pub struct ClientLogLayer;

struct SessionId(u64);

fn severity(level: LoggingLevel) -> u8 {
    match level {
        LoggingLevel::Debug => 0,
        LoggingLevel::Info => 1,
        LoggingLevel::Notice => 2,
        LoggingLevel::Warning => 3,
        LoggingLevel::Error => 4,
        LoggingLevel::Critical => 5,
        LoggingLevel::Alert => 6,
        LoggingLevel::Emergency => 7,
    }
}

fn mcp_level(level: &tracing::Level) -> LoggingLevel {
    match *level {
        tracing::Level::ERROR => LoggingLevel::Error,
        tracing::Level::WARN => LoggingLevel::Warning,
        tracing::Level::INFO => LoggingLevel::Info,
        _ => LoggingLevel::Debug,
    }
}

#[derive(Default)]
struct SessionVisitor(Option<u64>);

impl Visit for SessionVisitor {
    fn record_u64(&mut self, field: &Field, value: u64) {
        if field.name() == SESSION_FIELD {
            self.0 = Some(value);
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

#[derive(Default)]
struct MessageVisitor {
    message: String,
    fields: serde_json::Map<String, serde_json::Value>,
}

impl Visit for MessageVisitor {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.fields.insert(field.name().into(), value.into());
        }
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.fields.insert(field.name().into(), value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.fields.insert(field.name().into(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.fields.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.fields.insert(field.name().into(), value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            self.fields.insert(field.name().into(), format!("{value:?}").into());
        }
    }
}

impl<S> Layer<S> for ClientLogLayer
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &tracing::span::Attributes<'_>, id: &tracing::span::Id, ctx: Context<'_, S>) {
        let mut visitor = SessionVisitor::default();
        attrs.record(&mut visitor);
        if let (Some(session), Some(span)) = (visitor.0, ctx.span(id)) {
            span.extensions_mut().insert(SessionId(session));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        let metadata = event.metadata();
        if !metadata.target().starts_with("streaming_skill") {
            return;
        }
        let Some(session) = ctx.event_scope(event).and_then(|scope| {
            scope
                .from_root()
                .find_map(|span| span.extensions().get::<SessionId>().map(|s| s.0))
        }) else {
            return;
        };
        let level = mcp_level(metadata.level());
        let peer = {
            let sessions = sessions().lock().unwrap_or_else(|e| e.into_inner());
            match sessions.get(&session) {
                Some(SessionLog {
                    peer: Some(peer),
                    level: Some(min),
                }) if severity(level) >= severity(*min) => peer.clone(),
                _ => return,
            }
        };
        let mut visitor = MessageVisitor::default();
        event.record(&mut visitor);
        let mut data = serde_json::Map::new();
        data.insert("message".into(), visitor.message.into());
        if !visitor.fields.is_empty() {
            data.insert("fields".into(), visitor.fields.into());
        }
        let param =
            LoggingMessageNotificationParam::new(level, serde_json::Value::Object(data)).with_logger(metadata.target());
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let _ = peer.notify_logging_message(param).await;
            });
        }
    }
}
