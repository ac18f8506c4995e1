//! `streaming-skill review`: reviews a configuration file against the skill's rules, for a
//! pre-commit hook or CI. Exit status 0 when no finding is an error, 1 when one is, 2 when the
//! file cannot be read or parsed.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::review::{self, Delivery, Environment, ReviewInput, RuleBook, System};
use crate::skill::Skill;

/// Arguments of `review`.
#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The configuration file; `-` reads standard input.
    pub file: PathBuf,
    /// What the file configures.
    #[arg(long, value_enum)]
    pub system: System,
    /// The delivery guarantee it must keep; without it, delivery rules are not checked.
    #[arg(long, value_enum)]
    pub delivery: Option<Delivery>,
    /// Where it runs; without it, production-only rules are not checked.
    #[arg(long, value_enum)]
    pub environment: Option<Environment>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(skill: &Skill, args: &ReviewArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let config = if args.file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read standard input")?;
        text
    } else {
        std::fs::read_to_string(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?
    };
    let book = RuleBook::load(skill)?;
    let input = ReviewInput {
        system: args.system,
        config,
        delivery: args.delivery,
        environment: args.environment,
    };
    let result = review::review(&book, &input).with_context(|| args.file.display().to_string())?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&result)?)?;
    } else {
        write!(out, "{}", review::text(args.system, &result))?;
    }
    Ok(if result.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
