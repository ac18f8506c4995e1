//! `streaming-skill`: serves the streaming-data Agent Skill (activation rules, decision tables
//! and searchable reference documents) to coding agents over the Model Context Protocol.
//!
//! The domain modules (`skill`, `markdown`, `tables`, `search`, `validate`, `tokens`) know
//! nothing of MCP; the `cli` module is the command line over them.
#![warn(missing_docs)]

pub mod cli;
pub mod markdown;
pub mod search;
pub mod skill;
pub mod tables;
pub mod tokens;
pub mod validate;
