//! Replica-tagged session ids, so that a load balancer can send every request of a session to
//! the replica that holds it.
//!
//! A replica started with a tag (`serve --http ADDR --session-tag r1`) hands out session ids of
//! the form `<tag>.<random>`: the random part is the one rmcp's [`LocalSessionManager`] mints
//! (a v4 UUID), so ids stay unguessable, and the tag lets nginx pick the replica by the start of
//! the `Mcp-Session-Id` header. The `initialize` request carries no session id, so it can go to
//! any replica; the replica that answers it puts its own tag in the id it returns.
//!
//! An id without this replica's tag is unknown here (its session lives on another replica, or
//! on one that is gone), so the transport answers 404 and the client initializes again. Without
//! a tag, ids are exactly rmcp's.

use std::pin::Pin;
use std::sync::Arc;

use futures_core::Stream;
use rmcp::model::{ClientJsonRpcMessage, ServerJsonRpcMessage};
use rmcp::transport::streamable_http_server::session::local::{LocalSessionManager, LocalSessionManagerError};
use rmcp::transport::streamable_http_server::session::{
    EventStore, RestoreOutcome, ServerSseMessage, SessionId, SessionManager,
};

/// Longest tag accepted: the tag travels in every request header, so it stays short.
pub const MAX_TAG_LEN: usize = 32;

/// The separator between the tag and rmcp's random part of a session id.
const SEPARATOR: char = '.';

/// A replica's name as it appears at the start of the session ids it mints: 1 to
/// [`MAX_TAG_LEN`] ASCII letters, digits, `-` or `_` (URL-safe, visible ASCII, and free of the
/// `.` that ends it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionTag(String);

/// Why a text is not a session tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionTagError {
    /// The tag is empty.
    #[error("the session tag is empty")]
    Empty,
    /// The tag is longer than [`MAX_TAG_LEN`].
    #[error("the session tag has {len} characters; at most {MAX_TAG_LEN} are allowed")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// The tag holds a character outside `A-Z a-z 0-9 - _`.
    #[error("the session tag may hold only ASCII letters, digits, '-' and '_'; found {found:?}")]
    BadCharacter {
        /// The first character refused.
        found: char,
    },
}

impl SessionTag {
    /// Checks and wraps a tag.
    pub fn new(text: &str) -> Result<Self, SessionTagError> {
        if text.is_empty() {
            return Err(SessionTagError::Empty);
        }
        if let Some(found) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(SessionTagError::BadCharacter { found });
        }
        if text.len() > MAX_TAG_LEN {
            return Err(SessionTagError::TooLong { len: text.len() });
        }
        Ok(Self(text.to_string()))
    }

    /// The tag's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for SessionTag {
    type Err = SessionTagError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::new(text)
    }
}

impl std::fmt::Display for SessionTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a session operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TaggedSessionError {
    /// The id does not carry this replica's tag, so no session here has it.
    #[error("session not found here: {0}")]
    NotHere(SessionId),
    /// rmcp's session manager failed.
    #[error(transparent)]
    Local(#[from] LocalSessionManagerError),
}

/// rmcp's in-memory [`LocalSessionManager`], with this replica's tag put in front of every
/// session id it hands out and taken off every id it is given.
#[derive(Debug)]
pub struct TaggedSessionManager {
    /// `<tag>.`, or `None` for plain rmcp ids.
    prefix: Option<String>,
    inner: LocalSessionManager,
}

impl TaggedSessionManager {
    /// Wraps `inner`; with no tag every id passes through unchanged.
    pub fn new(tag: Option<&SessionTag>, inner: LocalSessionManager) -> Self {
        Self {
            prefix: tag.map(|t| format!("{t}{SEPARATOR}")),
            inner,
        }
    }

    /// The id the client sees for rmcp's id.
    fn outer(&self, inner: SessionId) -> SessionId {
        match &self.prefix {
            Some(prefix) => format!("{prefix}{inner}").into(),
            None => inner,
        }
    }

    /// rmcp's id for the id a client sent, or `None` when it lacks this replica's tag.
    fn inner_id(&self, outer: &SessionId) -> Option<SessionId> {
        match &self.prefix {
            Some(prefix) => outer.strip_prefix(prefix.as_str()).map(Arc::from),
            None => Some(outer.clone()),
        }
    }

    fn known(&self, outer: &SessionId) -> Result<SessionId, TaggedSessionError> {
        self.inner_id(outer)
            .ok_or_else(|| TaggedSessionError::NotHere(outer.clone()))
    }
}

impl SessionManager for TaggedSessionManager {
    type Error = TaggedSessionError;
    type Transport = <LocalSessionManager as SessionManager>::Transport;

    async fn create_session(&self) -> Result<(SessionId, Self::Transport), Self::Error> {
        let (id, transport) = self.inner.create_session().await?;
        Ok((self.outer(id), transport))
    }

    async fn initialize_session(
        &self,
        id: &SessionId,
        message: ClientJsonRpcMessage,
    ) -> Result<ServerJsonRpcMessage, Self::Error> {
        Ok(self.inner.initialize_session(&self.known(id)?, message).await?)
    }

    async fn has_session(&self, id: &SessionId) -> Result<bool, Self::Error> {
        match self.inner_id(id) {
            Some(inner) => Ok(self.inner.has_session(&inner).await?),
            None => Ok(false),
        }
    }

    async fn close_session(&self, id: &SessionId) -> Result<(), Self::Error> {
        match self.inner_id(id) {
            Some(inner) => Ok(self.inner.close_session(&inner).await?),
            // Nothing here to close.
            None => Ok(()),
        }
    }

    async fn create_stream(
        &self,
        id: &SessionId,
        message: ClientJsonRpcMessage,
    ) -> Result<impl Stream<Item = ServerSseMessage> + Send + Sync + 'static, Self::Error> {
        let inner = self.known(id)?;
        let stream = self.inner.create_stream(&inner, message).await?;
        Ok(boxed(stream))
    }

    async fn accept_message(&self, id: &SessionId, message: ClientJsonRpcMessage) -> Result<(), Self::Error> {
        Ok(self.inner.accept_message(&self.known(id)?, message).await?)
    }

    async fn create_standalone_stream(
        &self,
        id: &SessionId,
    ) -> Result<impl Stream<Item = ServerSseMessage> + Send + Sync + 'static, Self::Error> {
        let inner = self.known(id)?;
        Ok(boxed(self.inner.create_standalone_stream(&inner).await?))
    }

    async fn resume(
        &self,
        id: &SessionId,
        last_event_id: String,
    ) -> Result<impl Stream<Item = ServerSseMessage> + Send + Sync + 'static, Self::Error> {
        let inner = self.known(id)?;
        Ok(boxed(self.inner.resume(&inner, last_event_id).await?))
    }

    async fn restore_session(&self, id: SessionId) -> Result<RestoreOutcome<Self::Transport>, Self::Error> {
        match self.inner_id(&id) {
            Some(inner) => Ok(self.inner.restore_session(inner).await?),
            None => Ok(RestoreOutcome::NotSupported),
        }
    }

    fn event_store(&self) -> Option<Arc<dyn EventStore>> {
        self.inner.event_store()
    }
}

/// A response stream of rmcp's, boxed so that it no longer borrows the id it was opened with
/// (the id given to rmcp is made here, per call).
fn boxed(
    stream: impl Stream<Item = ServerSseMessage> + Send + Sync + 'static,
) -> Pin<Box<dyn Stream<Item = ServerSseMessage> + Send + Sync>> {
    Box::pin(stream)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_short_url_safe_names() {
        for good in ["r1", "replica-2", "eu_west_1", "A", &"x".repeat(MAX_TAG_LEN)] {
            assert_eq!(SessionTag::new(good).unwrap().as_str(), good);
        }
        assert_eq!(SessionTag::new(""), Err(SessionTagError::Empty));
        assert_eq!(
            SessionTag::new(&"x".repeat(MAX_TAG_LEN + 1)),
            Err(SessionTagError::TooLong { len: MAX_TAG_LEN + 1 })
        );
        for (bad, found) in [("r.1", '.'), ("r 1", ' '), ("r/1", '/'), ("é", 'é'), ("a%20", '%')] {
            assert_eq!(
                SessionTag::new(bad),
                Err(SessionTagError::BadCharacter { found }),
                "{bad}"
            );
        }
    }

    #[tokio::test]
    async fn tagged_ids_carry_the_tag_and_foreign_ids_are_unknown() {
        let tag = SessionTag::new("r7").unwrap();
        let sessions = TaggedSessionManager::new(Some(&tag), LocalSessionManager::default());
        let (id, _transport) = sessions.create_session().await.unwrap();
        let random = id.strip_prefix("r7.").expect("the id starts with the tag");
        assert_eq!(random.len(), 36, "rmcp's UUID follows the tag: {id}");
        assert!(id.bytes().all(|b| (0x21..=0x7e).contains(&b)), "visible ASCII: {id}");
        assert!(sessions.has_session(&id).await.unwrap());
        // The same random part under another tag, or bare, is not a session of this replica.
        assert!(!sessions.has_session(&format!("r8.{random}").into()).await.unwrap());
        assert!(!sessions.has_session(&random.into()).await.unwrap());
        assert!(matches!(
            sessions
                .accept_message(
                    &Arc::from(random),
                    ClientJsonRpcMessage::notification(rmcp::model::ClientNotification::InitializedNotification(
                        Default::default()
                    ))
                )
                .await,
            Err(TaggedSessionError::NotHere(_))
        ));
        sessions.close_session(&id).await.unwrap();
        assert!(!sessions.has_session(&id).await.unwrap());
    }

    #[tokio::test]
    async fn without_a_tag_ids_are_rmcps_own() {
        let sessions = TaggedSessionManager::new(None, LocalSessionManager::default());
        let (id, _transport) = sessions.create_session().await.unwrap();
        assert_eq!(id.len(), 36, "a bare UUID: {id}");
        assert!(!id.contains(SEPARATOR));
        assert!(sessions.has_session(&id).await.unwrap());
    }
}
