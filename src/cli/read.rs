//! `streaming-skill read`.

use std::io::Write;
use std::process::ExitCode;

use crate::library::SkillLibrary;
use crate::skill::SkillError;

/// Arguments of `read`.
#[derive(Debug, clap::Args)]
pub struct ReadArgs {
    /// The document: `SKILL.md`, a reference name (`kafka-deep-dive`), its file name or path.
    pub document: String,
    /// One section: its slug or heading path (`Producers > Acks`).
    pub section: Option<String>,
    /// Print the document's table of contents (every section's heading and slug) instead of
    /// its text.
    #[arg(long, visible_alias = "sections", conflicts_with = "section")]
    pub toc: bool,
    /// The skill of the document, when --skills-root loads several (default: the first skill,
    /// or the one a `skill://` URI names).
    #[arg(long, value_name = "NAME")]
    pub skill: Option<String>,
}

pub fn run(library: &SkillLibrary, args: &ReadArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let (_, doc) = library.document(args.skill.as_deref(), &args.document)?;
    if args.toc {
        writeln!(out, "{} ({})", doc.title, doc.path)?;
        for section in &doc.markdown.sections {
            let indent = "  ".repeat(usize::from(section.level.saturating_sub(1)));
            writeln!(out, "{indent}- {}  #{}", section.heading, section.slug)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    match &args.section {
        Some(section) => {
            let (index, _) = doc.find_section(section).map_err(|e| match e {
                SkillError::SectionNotFound { .. } | SkillError::SectionAmbiguous { .. } => anyhow::anyhow!(
                    "{e}; list them all with `streaming-skill read {} --sections`",
                    args.document
                ),
                other => other.into(),
            })?;
            writeln!(out, "{}", doc.section_markdown(index))?;
        }
        None => write!(out, "{}", doc.source)?,
    }
    Ok(ExitCode::SUCCESS)
}
