//! `streaming-skill architecture`, `health`, `schema-compat` and `kafka-config`: the deciding tools on the
//! command line, with the same inputs as the MCP tools (as flags) and `--json` for the
//! structured output.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;

use crate::decide::{SkillFacts, architecture, health, kafka_config, text};
use crate::skill::Skill;

/// Arguments of `architecture`.
#[derive(Debug, clap::Args)]
pub struct ArchitectureArgs {
    #[command(flatten)]
    input: architecture::ArchitectureInput,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `health`.
#[derive(Debug, clap::Args)]
pub struct HealthArgs {
    #[command(flatten)]
    input: health::HealthInput,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Arguments of `kafka-config`.
#[derive(Debug, clap::Args)]
pub struct KafkaConfigArgs {
    #[command(flatten)]
    input: kafka_config::KafkaConfigInput,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

fn print<T: Serialize>(out: &mut impl Write, json: bool, value: &T, text: String) -> anyhow::Result<ExitCode> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(value)?)?;
    } else {
        write!(out, "{text}")?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn architecture(skill: Skill, args: &ArchitectureArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let advice = architecture::recommend(&SkillFacts::new(Arc::new(skill)), &args.input)?;
    print(out, args.json, &advice, text::architecture(&advice))
}

pub fn health(skill: Skill, args: &HealthArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let report = health::evaluate(&SkillFacts::new(Arc::new(skill)), &args.input)?;
    print(out, args.json, &report, text::health(&report))
}

pub fn kafka_config(skill: Skill, args: &KafkaConfigArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let config = kafka_config::generate(&SkillFacts::new(Arc::new(skill)), &args.input)?;
    if args.json {
        return print(out, true, &config, String::new());
    }
    // stdout is the properties file alone, so `> client.properties` writes a clean file; the
    // notes a person must read go to stderr.
    write!(out, "{}", config.properties)?;
    eprint!("{}", text::kafka_config_notes(&config));
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `schema-compat`.
#[derive(Debug, clap::Args)]
pub struct SchemaCompatArgs {
    /// Schema language: avro, json-schema or protobuf.
    #[arg(long, value_parser = parse_serde::<crate::compat::SchemaFormat>)]
    format: crate::compat::SchemaFormat,
    /// Compatibility mode: BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL,
    /// FULL_TRANSITIVE or NONE.
    #[arg(long, value_parser = parse_serde::<crate::compat::CompatibilityMode>)]
    mode: crate::compat::CompatibilityMode,
    /// The file of the schema to register.
    new: std::path::PathBuf,
    /// The files of the registered versions, oldest first.
    previous: Vec<std::path::PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Parses a value by its serde name, so the command line takes the same words as the tool.
fn parse_serde<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.to_string())).map_err(|e| e.to_string())
}

pub fn schema_compat(skill: Skill, args: &SchemaCompatArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let read = |path: &std::path::PathBuf| {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    };
    let input = crate::decide::schema::SchemaCheckInput {
        format: args.format,
        mode: args.mode,
        new_schema: read(&args.new)?,
        previous_schemas: args.previous.iter().map(read).collect::<anyhow::Result<_>>()?,
    };
    let check = crate::decide::schema::check(&SkillFacts::new(Arc::new(skill)), &input)?;
    print(out, args.json, &check, crate::decide::schema::text(&check))?;
    Ok(if check.report.compatible {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
