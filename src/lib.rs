//! `streaming-skill`: serves the streaming-data Agent Skill (activation rules, decision tables
//! and searchable reference documents) to coding agents over the Model Context Protocol.
//!
//! Three layers, each importing only from the layers below it (`tests/it/layers.rs` checks this):
//!
//! - front ends: `cli` (the command line), `mcp` (the adapter that turns the library into tools,
//!   resources, prompts and completions) and `transport` (stdio and Streamable HTTP, wiring the
//!   adapter to a byte stream or a socket);
//! - the application layer: `library` (the skills being served, where they come from, live
//!   reload, reading within a budget, routing orchestration) and `validate` (a skill folder
//!   checked against every domain module's rules);
//! - the domain, which knows nothing of MCP or the command line: `skill`, `markdown`, `tables`,
//!   `text` (words, analyzers, sentences, edit distance), `search`, `routing`, `decide` (answers from the skill's tables), `review` (a real Kafka,
//!   Flink or Spark configuration against the skill's rule tables), `compat` (schema
//!   compatibility with a Schema Registry's verdicts), `tokens` and `labelled`.
#![warn(missing_docs)]

pub mod cli;
pub mod compat;
pub mod decide;
pub mod labelled;
pub mod library;
pub mod markdown;
pub mod mcp;
pub mod review;
pub mod routing;
pub mod search;
pub mod skill;
pub mod tables;
#[cfg(test)]
mod testing;
pub mod text;
pub mod tokens;
pub mod transport;
pub mod validate;
