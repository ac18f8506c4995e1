//! `streaming-skill search`.

use std::io::Write;
use std::process::ExitCode;

use crate::library::SkillLibrary;
use crate::search::SearchRequest;

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for, in plain words (typos are tolerated).
    pub query: String,
    /// Only this document (e.g. `kafka-deep-dive`).
    #[arg(long = "doc", value_name = "NAME")]
    pub document: Option<String>,
    /// The most hits to show, 1-20 (the same range as the search_references tool).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=crate::library::MAX_SEARCH_LIMIT as i64))]
    pub limit: u16,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(library: &SkillLibrary, args: &SearchArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    if let Some(document) = &args.document
        && !library.skills().iter().any(|skill| skill.document(document).is_ok())
    {
        library.primary().document(document)?;
    }
    let outcome = library.index()?.search(
        &SearchRequest {
            query: &args.query,
            limit: usize::from(args.limit),
            document: args.document.as_deref(),
            skill: None,
        },
        library.skills(),
    )?;
    if args.json {
        let json = serde_json::json!({
            "hits": outcome.hits,
            "total": outcome.total,
            "corrections": outcome.corrections.iter().map(|(from, to)| serde_json::json!({"from": from, "to": to})).collect::<Vec<_>>(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    for (from, to) in &outcome.corrections {
        writeln!(out, "(searching for {to:?} instead of {from:?})")?;
    }
    if outcome.hits.is_empty() {
        writeln!(out, "no section matches {:?}", args.query)?;
        return Ok(ExitCode::from(super::NOT_FOUND));
    }
    for (i, hit) in outcome.hits.iter().enumerate() {
        writeln!(
            out,
            "{}. {} › {}  (score {:.2})",
            i + 1,
            hit.document,
            hit.heading_path.join(" › "),
            hit.score
        )?;
        writeln!(out, "   {}", hit.uri)?;
        writeln!(out, "   {}\n", hit.snippet)?;
    }
    writeln!(out, "{} of {} matching sections", outcome.hits.len(), outcome.total)?;
    Ok(ExitCode::SUCCESS)
}
