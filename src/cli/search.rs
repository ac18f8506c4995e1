//! `streaming-skill search`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::library::SkillLibrary;
use crate::search::{SearchRequest, eval};

/// Arguments of `search`.
#[derive(Debug, clap::Args)]
pub struct SearchArgs {
    /// What to look for, in plain words (typos are tolerated).
    #[arg(required_unless_present = "eval", conflicts_with = "eval")]
    pub query: Option<String>,
    /// Search every case of a labelled set (JSON lines of {"query", "expect_doc",
    /// "answer_terms": [...]}) and print hit@1, recall@3, MRR, per-document figures and the misses.
    #[arg(long, value_name = "FILE.jsonl", conflicts_with_all = ["document", "limit"])]
    pub eval: Option<PathBuf>,
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
    let cases = match &args.eval {
        Some(file) => {
            let cases = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read {}", file.display()))
                .and_then(|text| eval::parse_cases(&text).with_context(|| format!("{}", file.display())));
            match cases {
                Ok(cases) => Some(cases),
                Err(e) => {
                    // A set that cannot be read is a failed evaluation (1), not a usage error (2).
                    eprintln!("streaming-skill: {e:#}");
                    return Ok(ExitCode::from(super::NOT_FOUND));
                }
            }
        }
        None => None,
    };
    let index = library.index()?;
    if let Some(cases) = cases {
        let report = eval::evaluate(index, library.skills(), &cases)?;
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        } else {
            write!(out, "{report}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let query = args.query.as_deref().unwrap_or_default();
    let outcome = index.search(&SearchRequest {
        query,
        limit: usize::from(args.limit),
        document: args.document.as_deref(),
        skill: None,
    })?;
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
        writeln!(out, "no section matches {query:?}")?;
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
