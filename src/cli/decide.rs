//! `streaming-skill architecture`, `health` and `kafka-config`: the deciding tools on the
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
    print(out, args.json, &config, text::kafka_config(&config))
}
