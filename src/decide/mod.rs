//! Tools that decide: they read the skill's decision tables and principles and turn them into
//! an answer for one situation, citing the rows and sections they used. Nothing here holds a
//! threshold or a table value of its own; an edit to the skill's markdown changes the answers.
//!
//! - [`architecture`]: an architecture, ranked stream processors, windowing, state and delivery advice.
//! - [`health`]: metrics against the monitoring thresholds and alert tiers.
//! - [`kafka_config`]: Kafka client properties for a role, delivery guarantee, profile and security setting.

pub mod architecture;
pub mod contract;
pub mod health;
pub mod kafka_config;
pub mod quantity;
pub mod schema;
pub mod text;

use std::sync::Arc;

use serde::Serialize;

use crate::skill::{Document, Skill, SkillError, uri};
use crate::tables::{self, DecisionTable, TableError};
use crate::text::sentences::{self, Boundaries};

/// Why a decision could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    /// The skill lacks a table, a column or a row the decision reads.
    #[error("the skill's {what} is missing or unreadable: {detail}")]
    SkillContent {
        /// What was looked for.
        what: String,
        /// What was wrong.
        detail: String,
    },
    /// A document could not be read.
    #[error(transparent)]
    Skill(#[from] SkillError),
    /// A table was not found.
    #[error(transparent)]
    Table(#[from] TableError),
    /// The input contradicts itself or is out of range.
    #[error("{0}")]
    Input(String),
}

/// Reads a number given on the command line: any finite number of at least 0 (every numeric input
/// of the deciding tools is a size, a duration, a ratio or a count). clap names the flag in the
/// error, and a negative value reaches this check instead of being read as a flag.
pub fn cli_number(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Ok(_) => Err("out of range: give a finite number of at least 0".to_string()),
        Err(_) => Err("not a number".to_string()),
    }
}

/// A table row, principle or section that an answer used, with a URI `read_reference` opens.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Citation {
    /// What is cited: `table <id>: <row>`, or a section heading.
    pub source: String,
    /// The words of a section that decided, quoted. Left out for a table row: the answer
    /// carries the cells it used, and `source` names the row.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub quote: String,
    /// A cited table row's cells as `Column: value; ...`, for callers in Rust; left out of
    /// replies, where it would repeat the answer.
    #[serde(skip)]
    #[schemars(skip)]
    pub row: String,
    /// The section's `skill://` URI.
    pub uri: String,
}

/// The tables and documents of one skill, as the deciding tools read them.
#[derive(Debug, Clone)]
pub struct SkillFacts {
    skill: Arc<Skill>,
    skill_md: Arc<Document>,
    tables: Vec<DecisionTable>,
}

impl SkillFacts {
    /// The facts of `skill`: its SKILL.md tables.
    pub fn new(skill: Arc<Skill>) -> Self {
        let skill_md = skill.skill_md();
        let tables = tables::decision_tables(&skill_md);
        Self {
            skill,
            skill_md,
            tables,
        }
    }

    /// The skill's name.
    pub fn skill_name(&self) -> &str {
        self.skill.name()
    }

    /// A table of SKILL.md by id.
    pub fn table(&self, id: &str) -> Result<&DecisionTable, DecideError> {
        Ok(tables::find(&self.tables, id)?)
    }

    /// A table of a reference document by id (the slug of the section it sits in).
    pub fn reference_table(&self, document: &str, id: &str) -> Result<DecisionTable, DecideError> {
        let doc = self.skill.document(document)?;
        let all = tables::decision_tables(&doc);
        Ok(tables::find(&all, id)?.clone())
    }

    /// The parsed SKILL.md.
    pub fn skill_md(&self) -> &Document {
        &self.skill_md
    }

    /// The URI of a section of a document.
    pub fn section_uri(&self, document: &str, slug: &str) -> String {
        uri::section_uri(self.skill.name(), document, slug)
    }

    /// A citation of one row of a table.
    pub fn cite_row(&self, table: &DecisionTable, row: &[String]) -> Citation {
        Citation {
            source: format!("table {}: {}", table.id, row.first().map(String::as_str).unwrap_or("")),
            quote: String::new(),
            row: table
                .columns
                .iter()
                .zip(row)
                .map(|(c, v)| format!("{c}: {v}"))
                .collect::<Vec<_>>()
                .join("; "),
            uri: self.section_uri(&table.document, &table.section),
        }
    }

    /// A citation of a SKILL.md section by heading slug, quoting its first paragraph (or `quote`
    /// when given: a sentence of that section).
    pub fn cite_section(&self, slug: &str, quote: Option<&str>) -> Result<Citation, DecideError> {
        let doc = &self.skill_md;
        let (index, section) = doc
            .markdown
            .section_by_slug(slug)
            .ok_or_else(|| missing("section", slug))?;
        let quote = match quote {
            Some(q) => q.to_string(),
            None => doc
                .markdown
                .first_paragraph_of(index)
                .map(|p| p.text.clone())
                .unwrap_or_default(),
        };
        Ok(Citation {
            source: section.heading.clone(),
            quote,
            row: String::new(),
            uri: self.section_uri(&doc.name, slug),
        })
    }

    /// The sentences of a SKILL.md section's own paragraphs and list items (not its tables).
    pub fn sentences(&self, slug: &str) -> Result<Vec<String>, DecideError> {
        let doc = &self.skill_md;
        let (index, _) = doc
            .markdown
            .section_by_slug(slug)
            .ok_or_else(|| missing("section", slug))?;
        let mut blocks: Vec<(usize, &str)> = doc
            .markdown
            .paragraphs
            .iter()
            .filter(|p| p.section == Some(index))
            .map(|p| (p.range.start, p.text.as_str()))
            .collect();
        for list in doc.markdown.lists.iter().filter(|l| l.section == Some(index)) {
            blocks.extend(list.items.iter().map(|item| (list.range.start, item.as_str())));
        }
        blocks.sort_by_key(|(start, _)| *start);
        Ok(blocks
            .into_iter()
            .flat_map(|(_, text)| sentences::split(text, Boundaries::PROSE))
            .map(|s| s.text)
            .collect())
    }

    /// Resolves a markdown link written in SKILL.md (`references/x.md#slug`) to a section URI.
    pub fn link_uri(&self, link_text: &str) -> Option<String> {
        let link = self.skill_md.markdown.links.iter().find(|l| l.text == link_text)?;
        let (path, anchor) = link.destination.split_once('#')?;
        let document = path.rsplit('/').next()?.trim_end_matches(".md");
        Some(self.section_uri(document, anchor))
    }
}

/// An error for a table, column, row or section the decision needs but the skill lacks.
pub fn missing(what: &str, detail: &str) -> DecideError {
    DecideError::SkillContent {
        what: what.to_string(),
        detail: detail.to_string(),
    }
}

/// The cell of `row` in `column`, or an error naming the table and column.
pub fn cell<'a>(table: &'a DecisionTable, row: &'a [String], column: &str) -> Result<&'a str, DecideError> {
    table
        .cell(row, column)
        .ok_or_else(|| missing(&format!("table {}", table.id), &format!("no column {column:?}")))
}

/// The first row of `table` whose `column` contains `text` (ignoring case).
pub fn row_containing<'a>(table: &'a DecisionTable, column: &str, text: &str) -> Option<&'a Vec<String>> {
    let wanted = text.to_lowercase();
    table.rows.iter().find(|row| {
        table
            .cell(row, column)
            .is_some_and(|c| c.to_lowercase().contains(&wanted))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_in_skill_md_resolve_to_section_uris() {
        let facts = SkillFacts::new(Arc::new(Skill::embedded().unwrap()));
        assert_eq!(
            facts.link_uri("Partition sizing").as_deref(),
            Some("skill://streaming-data-skill/sections/kafka-deep-dive/partition-count-sizing")
        );
        assert!(facts.table("monitoring-thresholds").is_ok());
    }
}
