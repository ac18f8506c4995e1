//! `streaming-skill`: serves the streaming-data Agent Skill (activation rules, decision tables
//! and searchable reference documents) to coding agents over the Model Context Protocol.
//!
//! The domain modules (`skill`, `markdown`, `text`, `tables`, `search`, `library`, `validate`,
//! `tokens`) know nothing of MCP; `mcp` adapts them to the protocol, `transport` wires the
//! adapter to stdio, and `cli` is the command line over all of it. `decide` turns the skill's
//! tables into answers. `review` checks a real Kafka, Flink or Spark configuration against the
//! skill's rule tables. `compat` is a library of
//! its own: schema-compatibility checks (Avro, JSON Schema, Protobuf) with a Schema Registry's
//! verdicts.
#![warn(missing_docs)]

pub mod cli;
pub mod compat;
pub mod decide;
pub mod labelled;
pub mod library;
pub mod markdown;
pub mod mcp;
pub mod reload;
pub mod review;
pub mod routing;
pub mod search;
pub mod skill;
pub mod tables;
pub mod text;
pub mod tokens;
pub mod transport;
pub mod validate;
