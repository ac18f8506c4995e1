//! Decision tables: the tables of a skill's documents (`SKILL.md` first, then its references),
//! each addressed by a stable id taken from the heading above it, with rows as strings keyed by
//! column.

use serde::Serialize;

use crate::markdown;
use crate::skill::{Document, Skill, SkillError};
use crate::text::sentences;

/// A table of the skill that a decision can be read from.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct DecisionTable {
    /// Stable id: the slug of the heading above the table (`architecture-decision-matrix`).
    pub id: String,
    /// The heading above the table.
    pub title: String,
    /// One line on what the table decides.
    pub description: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Rows, cells in column order.
    pub rows: Vec<Vec<String>>,
    /// The document the table is in.
    pub document: String,
    /// The slug of the section the table is in.
    pub section: String,
}

/// Why a table lookup or filter failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    /// No table has that id.
    #[error("no decision table {requested:?}; available: {}", available.join(", "))]
    UnknownTable {
        /// The id as requested.
        requested: String,
        /// The ids there are.
        available: Vec<String>,
    },
    /// A filter names a column the table does not have.
    #[error("table {table} has no column {column:?}; its columns: {}", columns.join(", "))]
    UnknownColumn {
        /// The table.
        table: String,
        /// The column as requested.
        column: String,
        /// The columns there are.
        columns: Vec<String>,
    },
}

/// The tables of `doc`, in document order. A table takes the slug of the section it sits in;
/// a second table in the same section gets `-2`, and so on.
pub fn decision_tables(doc: &Document) -> Vec<DecisionTable> {
    let mut out: Vec<DecisionTable> = Vec::new();
    for (i, table) in doc.markdown.tables.iter().enumerate() {
        let section = table.section.map(|s| &doc.markdown.sections[s]);
        let base = section.map_or_else(|| format!("table-{}", i + 1), |s| s.slug.clone());
        let count = out
            .iter()
            .filter(|t| t.section == section.map_or("", |s| s.slug.as_str()))
            .count();
        let id = if count == 0 {
            base
        } else {
            format!("{base}-{}", count + 1)
        };
        let description = table
            .section
            .and_then(|s| doc.markdown.first_paragraph_of(s))
            .map(|p| sentences::first(&p.text))
            .unwrap_or_default();
        out.push(DecisionTable {
            id,
            title: section.map_or_else(|| doc.title.clone(), |s| s.heading.clone()),
            description,
            columns: table.header.clone(),
            rows: table.rows.clone(),
            document: doc.name.clone(),
            section: section.map_or_else(String::new, |s| s.slug.clone()),
        });
    }
    out
}

/// The decision tables of a whole skill: `SKILL.md`'s first, then each reference document's, in
/// document order. Ids are unique within the skill: a reference table whose id is already taken
/// is prefixed with its document's name (`kafka-deep-dive-delivery-semantics`).
pub fn skill_tables(skill: &Skill) -> Result<Vec<DecisionTable>, SkillError> {
    let mut out: Vec<DecisionTable> = Vec::new();
    for doc in skill.documents()? {
        for mut table in decision_tables(&doc) {
            if out.iter().any(|t| t.id == table.id) {
                table.id = format!("{}-{}", doc.name, table.id);
            }
            out.push(table);
        }
    }
    Ok(out)
}

/// Finds a table by exact id, then by the slug of what was typed, then by a unique id that
/// contains it (`monitoring` finds `monitoring-thresholds`).
pub fn find<'a>(tables: &'a [DecisionTable], requested: &str) -> Result<&'a DecisionTable, TableError> {
    let slug = markdown::slugify(requested);
    let exact = tables.iter().find(|t| t.id == requested || t.id == slug);
    let found = exact.or_else(|| {
        let mut partial = tables.iter().filter(|t| !slug.is_empty() && t.id.contains(&slug));
        match (partial.next(), partial.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        }
    });
    found.ok_or_else(|| TableError::UnknownTable {
        requested: crate::skill::files::display_name(requested),
        available: tables.iter().map(|t| t.id.clone()).collect(),
    })
}

impl DecisionTable {
    /// The index of a column, by name, ignoring case.
    pub fn column(&self, name: &str) -> Option<usize> {
        let wanted = name.trim().to_lowercase();
        self.columns
            .iter()
            .position(|c| c.to_lowercase() == wanted || markdown::slugify(c) == markdown::slugify(&wanted))
    }

    /// The cell of `row` in column `name`.
    pub fn cell<'a>(&'a self, row: &'a [String], name: &str) -> Option<&'a str> {
        self.column(name).and_then(|i| row.get(i)).map(String::as_str)
    }

    /// The rows whose named columns contain the given texts, ignoring case.
    pub fn filter_rows(&self, filter: &[(String, String)]) -> Result<Vec<&Vec<String>>, TableError> {
        let mut wanted = Vec::with_capacity(filter.len());
        for (column, text) in filter {
            let index = self.column(column).ok_or_else(|| TableError::UnknownColumn {
                table: self.id.clone(),
                column: crate::skill::files::display_name(column),
                columns: self.columns.clone(),
            })?;
            wanted.push((index, text.to_lowercase()));
        }
        Ok(self
            .rows
            .iter()
            .filter(|row| {
                wanted
                    .iter()
                    .all(|(i, text)| row.get(*i).is_some_and(|c| c.to_lowercase().contains(text)))
            })
            .collect())
    }

    /// A row as a JSON object keyed by column.
    pub fn row_object(&self, row: &[String]) -> serde_json::Map<String, serde_json::Value> {
        self.columns
            .iter()
            .cloned()
            .zip(row.iter().map(|c| serde_json::Value::String(c.clone())))
            .collect()
    }

    /// The table as GitHub markdown.
    pub fn to_markdown(&self, rows: &[&Vec<String>]) -> String {
        let mut out = format!(
            "| {} |\n|{}|\n",
            self.columns.join(" | "),
            vec!["---"; self.columns.len()].join("|")
        );
        for row in rows {
            out.push_str(&format!("| {} |\n", row.join(" | ")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        let text = "# T\n\nx\n\n## Monitoring Thresholds\n\nWhen to alert. More.\n\n| Metric | Alert Threshold |\n|---|---|\n| Consumer Lag | > 1M messages |\n| Error Rate | > 0.1% |\n\n| A | B |\n|---|---|\n| 1 | 2 |\n";
        Document::parse("SKILL.md", "SKILL.md", text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn tables_get_ids_from_headings() {
        let tables = decision_tables(&doc());
        let ids: Vec<_> = tables.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["monitoring-thresholds", "monitoring-thresholds-2"]);
        assert_eq!(tables[0].description, "When to alert.");
        assert_eq!(tables[0].columns, ["Metric", "Alert Threshold"]);
    }

    #[test]
    fn find_and_filter() {
        let tables = decision_tables(&doc());
        assert_eq!(
            find(&tables, "Monitoring Thresholds").unwrap().id,
            "monitoring-thresholds"
        );
        assert!(
            matches!(find(&tables, "monitoring"), Err(TableError::UnknownTable { .. })),
            "ambiguous"
        );
        assert!(find(&tables, "nope").is_err());
        let t = &tables[0];
        let rows = t.filter_rows(&[("metric".into(), "LAG".into())]).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(t.cell(rows[0], "alert threshold"), Some("> 1M messages"));
        let err = t.filter_rows(&[("Nope".into(), "x".into())]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "table monitoring-thresholds has no column \"Nope\"; its columns: Metric, Alert Threshold"
        );
        assert_eq!(t.row_object(rows[0])["Metric"], "Consumer Lag");
    }
}
