//! `streaming-skill architecture`, `health`, `schema-compat` and `kafka-config`: the deciding tools on the
//! command line, with the same inputs as the MCP tools (as flags) and `--json` for the
//! structured output.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use crate::decide::{architecture, health, kafka_config, text};
use crate::library::SkillLibrary;

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

/// The domain names its inputs as the MCP tools do (`latency_target_seconds`); on the command
/// line the same input is the flag `--latency-target-seconds`, so an error names the flag.
fn with_flags<A: clap::Args>(error: impl std::fmt::Display) -> anyhow::Error {
    let command = A::augment_args(clap::Command::new("flags"));
    let mut message = error.to_string();
    for arg in command.get_arguments() {
        let Some(long) = arg.get_long() else { continue };
        message = replace_word(&message, &long.replace('-', "_"), &format!("--{long}"));
    }
    anyhow::anyhow!(message)
}

/// Replaces `word` in `text` where it stands alone (not inside a longer identifier).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back().or(out.chars().next_back());
        let after = rest[at + word.len()..].chars().next();
        out.push_str(&rest[..at]);
        if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
            out.push_str(word);
        } else {
            out.push_str(with);
        }
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

fn print<T: Serialize>(out: &mut impl Write, json: bool, value: &T, text: String) -> anyhow::Result<ExitCode> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(value)?)?;
    } else {
        write!(out, "{text}")?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn architecture(library: &SkillLibrary, args: &ArchitectureArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let advice = architecture::recommend(&library.facts(None)?, &args.input).map_err(with_flags::<ArchitectureArgs>)?;
    print(out, args.json, &advice, text::architecture(&advice))
}

pub fn health(library: &SkillLibrary, args: &HealthArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let report = health::evaluate(&library.facts(None)?, &args.input).map_err(with_flags::<HealthArgs>)?;
    print(out, args.json, &report, text::health(&report))?;
    Ok(if report.alarming {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn kafka_config(library: &SkillLibrary, args: &KafkaConfigArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let config = kafka_config::generate(&library.facts(None)?, &args.input).map_err(with_flags::<KafkaConfigArgs>)?;
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

/// Parses a value by its serde name, so the command line takes the same words as the tool, in
/// any case (`backward`, `AVRO`).
fn parse_serde<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let parse = |t: String| serde_json::from_value::<T>(serde_json::Value::String(t));
    parse(text.to_string())
        .or_else(|_| parse(text.to_uppercase()))
        .or_else(|_| parse(text.to_lowercase()))
        .map_err(|e| e.to_string())
}

pub fn schema_compat(
    library: &SkillLibrary,
    args: &SchemaCompatArgs,
    out: &mut impl Write,
) -> anyhow::Result<ExitCode> {
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
    let file = |path: &std::path::PathBuf| path.display().to_string();
    let names: Vec<String> = args.previous.iter().map(file).collect();
    let check = crate::decide::schema::check(&library.facts(None)?, &input).map_err(|e| {
        // Name the file that does not parse.
        let mut message = e.to_string();
        if let Some(rest) = message.strip_prefix("new schema ") {
            message = format!("new schema ({}) {rest}", file(&args.new));
        }
        for (i, name) in names.iter().enumerate().rev() {
            let version = format!("previous version {} ", i + 1);
            if let Some(rest) = message.strip_prefix(&version) {
                message = format!("{version}({name}) {rest}");
                break;
            }
        }
        anyhow::anyhow!(message)
    })?;
    print(
        out,
        args.json,
        &check,
        crate::decide::schema::text_naming(&check, &names),
    )?;
    Ok(if check.report.compatible {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_flags() {
        let error =
            with_flags::<HealthArgs>("error_rate is a share; consumer_lag_seconds_x and consumer_lag_seconds differ");
        assert_eq!(
            error.to_string(),
            "--error-rate is a share; consumer_lag_seconds_x and --consumer-lag-seconds differ"
        );
        let error = with_flags::<ArchitectureArgs>("latency_target_seconds must be above 0; got -5");
        assert_eq!(error.to_string(), "--latency-target-seconds must be above 0; got -5");
    }
}
