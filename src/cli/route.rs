//! `streaming-skill route`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::library::SkillLibrary;
use crate::routing::eval;

/// Arguments of `route`.
#[derive(Debug, clap::Args)]
pub struct RouteArgs {
    /// The request to route.
    #[arg(required_unless_present = "eval", conflicts_with = "eval")]
    pub text: Option<String>,
    /// Route every case of a labelled set (JSON lines of {"text", "expect"}; `expect` is a skill
    /// name or "decline") and print accuracy, a confusion matrix and the misses.
    #[arg(long, value_name = "FILE.jsonl")]
    pub eval: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(library: &SkillLibrary, args: &RouteArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    if let Some(file) = &args.eval {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let cases = eval::parse_cases(&text).with_context(|| format!("{}", file.display()))?;
        library.router()?;
        let report = eval::evaluate_with(|text| library.route(text).expect("the rules were built above"), &cases);
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        } else {
            write!(out, "{report}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = args.text.as_deref().unwrap_or_default();
    let decision = library.route(text)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&decision)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let decision_word = serde_json::to_value(decision.decision)?
        .as_str()
        .unwrap_or_default()
        .to_string();
    // A decline names no skill: "decline (confidence 0.90)".
    let skill = decision.skill.as_deref().map(|s| format!(" {s}")).unwrap_or_default();
    writeln!(out, "{decision_word}{skill} (confidence {:.2})", decision.confidence)?;
    for reason in &decision.reasons {
        writeln!(out, "  because {reason}")?;
    }
    for step in &decision.next_steps {
        writeln!(out, "  next: {step}")?;
    }
    Ok(ExitCode::SUCCESS)
}
