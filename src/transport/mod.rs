//! Transports: they wire an MCP handler to a byte stream or a socket, and nothing else.

pub mod http;
pub mod lines;
pub mod session_tag;
pub mod stdio;
