//! The contract between a skill's markdown and the deciding tools and prompts: the one place
//! that declares which tables (with their columns and rows), sections and documents each of
//! them needs. The server offers only what the loaded skill supports, and `validate` reports a
//! need the skill breaks, with file and line.

use crate::skill::{Document, SKILL_MD, Skill};
use crate::tables::{self, DecisionTable};

/// A column a feature reads.
#[derive(Debug, Clone, Copy)]
pub enum Column {
    /// Named so (case and punctuation aside).
    Named(&'static str),
    /// Any column whose name contains these words (a tier column, `Tier 2 (Regulated)`).
    Containing(&'static str),
}

/// Something a feature reads from the skill.
#[derive(Debug, Clone, Copy)]
pub enum Need {
    /// A decision table of a document, with columns and rows (`(column, text)`: a row whose
    /// column contains the text).
    Table {
        /// The document (`SKILL.md` or a reference name).
        document: &'static str,
        /// The table id (the slug of its heading).
        id: &'static str,
        /// The columns read.
        columns: &'static [Column],
        /// The rows looked up.
        rows: &'static [(&'static str, &'static str)],
    },
    /// A section of a document, by slug.
    Section {
        /// The document.
        document: &'static str,
        /// The heading slug.
        slug: &'static str,
    },
    /// A reference document.
    Document {
        /// Its name.
        name: &'static str,
    },
}

/// A deciding tool or a prompt, and what it needs.
#[derive(Debug)]
pub struct Feature {
    /// The tool or prompt name.
    pub name: &'static str,
    /// Whether it is a prompt (else a tool).
    pub prompt: bool,
    /// What it cannot work without.
    pub needs: &'static [Need],
}

use Column::{Containing, Named};

const fn table(id: &'static str, columns: &'static [Column]) -> Need {
    Need::Table {
        document: SKILL_MD,
        id,
        columns,
        rows: &[],
    }
}

const fn section(slug: &'static str) -> Need {
    Need::Section {
        document: SKILL_MD,
        slug,
    }
}

const MATRIX: Need = table(
    "architecture-decision-matrix",
    &[
        Named("Architecture"),
        Named("Latency"),
        Named("Complexity"),
        Named("Best For"),
    ],
);
const FRAMEWORKS: Need = table(
    "stream-processing-framework-selection",
    &[
        Named("Framework"),
        Named("Latency"),
        Named("SQL"),
        Named("Managed"),
        Named("Best For"),
    ],
);
const WINDOWS: Need = table(
    "windowing-patterns",
    &[Named("Pattern"), Named("Description"), Named("Use Case")],
);
const THRESHOLDS: Need = Need::Table {
    document: SKILL_MD,
    id: "monitoring-thresholds",
    columns: &[Named("Metric"), Named("Alert Threshold")],
    rows: &[
        ("Metric", "throughput"),
        ("Metric", "error"),
        ("Metric", "backpressure"),
        ("Metric", "skew"),
    ],
};
const TIERS: Need = table("alert-tiers", &[Named("Tier"), Named("Response")]);

/// Every deciding tool and prompt that reads the skill, with its needs. Tools and prompts not
/// listed here need nothing beyond a loadable skill.
pub const FEATURES: [Feature; 7] = [
    Feature {
        name: "recommend_architecture",
        prompt: false,
        needs: &[
            MATRIX,
            FRAMEWORKS,
            WINDOWS,
            section("exactly-once-vs-at-least-once"),
            section("idempotent-consumers"),
        ],
    },
    Feature {
        name: "evaluate_stream_health",
        prompt: false,
        needs: &[THRESHOLDS, TIERS],
    },
    Feature {
        name: "generate_kafka_config",
        prompt: false,
        needs: &[
            Need::Table {
                document: "kafka-deep-dive",
                id: "low-latency-vs-high-throughput-profiles",
                columns: &[
                    Named("Role"),
                    Named("Profile"),
                    Named("Setting"),
                    Named("Value"),
                    Named("Why"),
                ],
                rows: &[],
            },
            Need::Table {
                document: SKILL_MD,
                id: "security-capability-tiers",
                columns: &[
                    Named("Capability"),
                    Containing("cloud-native"),
                    Containing("regulated"),
                    Containing("air-gapped"),
                ],
                rows: &[("Capability", "kafka")],
            },
        ],
    },
    Feature {
        name: "review_config",
        prompt: false,
        needs: &[Need::Document {
            name: crate::review::RULES_DOCUMENT,
        }],
    },
    Feature {
        name: "design-streaming-pipeline",
        prompt: true,
        needs: &[
            MATRIX,
            FRAMEWORKS,
            WINDOWS,
            section("exactly-once-vs-at-least-once"),
            section("state-management-and-checkpointing"),
        ],
    },
    Feature {
        name: "troubleshoot-streaming-pipeline",
        prompt: true,
        needs: &[THRESHOLDS, TIERS, section("backpressure-awareness")],
    },
    Feature {
        name: "plan-schema-evolution",
        prompt: true,
        needs: &[table("schema-compatibility-modes", &[]), section("schema-evolution")],
    },
];

/// A need a skill breaks: where an author would fix it, and what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The file, relative to the skill folder.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// What is missing, in a few words.
    pub message: String,
}

/// The decision tables a check has read, built once per document however many needs name it.
#[derive(Default)]
struct TablesRead {
    by_document: Vec<(String, Vec<DecisionTable>)>,
}

impl TablesRead {
    /// The decision tables of `doc`.
    fn of(&mut self, doc: &Document) -> &[DecisionTable] {
        let index = match self.by_document.iter().position(|(name, _)| *name == doc.name) {
            Some(index) => index,
            None => {
                self.by_document.push((doc.name.clone(), tables::decision_tables(doc)));
                self.by_document.len() - 1
            }
        };
        &self.by_document[index].1
    }
}

impl Feature {
    /// What this feature needs that `skill` lacks; empty when the skill supports it.
    pub fn gaps(&self, skill: &Skill) -> Vec<Gap> {
        self.gaps_reading(skill, &mut TablesRead::default())
    }

    fn gaps_reading(&self, skill: &Skill, read: &mut TablesRead) -> Vec<Gap> {
        self.needs.iter().filter_map(|need| need.gap(skill, read)).collect()
    }

    /// Whether `skill` means to support this feature: it has one of the tables or documents
    /// the feature reads.
    pub fn claimed_by(&self, skill: &Skill) -> bool {
        let mut read = TablesRead::default();
        self.needs.iter().any(|need| match need {
            Need::Table { document, id, .. } => skill
                .document(document)
                .is_ok_and(|doc| read.of(&doc).iter().any(|t| t.id == *id)),
            Need::Document { name } => skill.has_document(name),
            Need::Section { .. } => false,
        })
    }
}

/// The feature of this name, if it needs anything.
pub fn feature(name: &str) -> Option<&'static Feature> {
    FEATURES.iter().find(|f| f.name == name)
}

/// The deciding tools (not prompts) that `skill` supports and that apply table `id` of
/// `document`, in the order of [`FEATURES`].
pub fn tools_applying(skill: &Skill, document: &str, id: &str) -> Vec<&'static str> {
    let mut read = TablesRead::default();
    FEATURES
        .iter()
        .filter(|f| !f.prompt)
        .filter(|f| {
            f.needs
                .iter()
                .any(|need| matches!(need, Need::Table { document: d, id: i, .. } if *d == document && *i == id))
        })
        .filter(|f| f.gaps_reading(skill, &mut read).is_empty())
        .map(|f| f.name)
        .collect()
}

/// The features `skill` cannot support, each with its first gap.
pub fn unsupported(skill: &Skill) -> Vec<(&'static Feature, Gap)> {
    let mut read = TablesRead::default();
    FEATURES
        .iter()
        .filter_map(|f| f.gaps_reading(skill, &mut read).into_iter().next().map(|gap| (f, gap)))
        .collect()
}

fn document_path(skill: &Skill, name: &str) -> String {
    skill
        .document_names()
        .find(|(n, _)| *n == name)
        .map_or_else(|| format!("references/{name}.md"), |(_, path)| path.to_string())
}

impl Need {
    fn gap(&self, skill: &Skill, read: &mut TablesRead) -> Option<Gap> {
        let document = match self {
            Need::Table { document, .. } | Need::Section { document, .. } => document,
            Need::Document { name } => name,
        };
        let missing = || Gap {
            path: document_path(skill, document),
            line: 1,
            message: format!("no document {document}"),
        };
        // A whole document is needed only to exist: it is not parsed until a call reads it.
        if let Need::Document { .. } = self {
            return (!skill.has_document(document)).then(missing);
        }
        let Ok(doc) = skill.document(document) else {
            return Some(missing());
        };
        match self {
            Need::Document { .. } => None,
            Need::Section { slug, .. } => doc.markdown.section_by_slug(slug).is_none().then(|| Gap {
                path: doc.path.clone(),
                line: 1,
                message: format!("no section #{slug}"),
            }),
            Need::Table { id, columns, rows, .. } => table_gap(&doc, read.of(&doc), id, columns, rows),
        }
    }
}

fn table_gap(
    doc: &Document,
    all: &[DecisionTable],
    id: &str,
    columns: &[Column],
    rows: &[(&str, &str)],
) -> Option<Gap> {
    let Ok(table) = tables::find(all, id) else {
        let line = doc
            .markdown
            .section_by_slug(id)
            .map_or(1, |(_, s)| doc.position(s.heading_range.start).0);
        return Some(Gap {
            path: doc.path.clone(),
            line,
            message: format!("no table under a heading #{id}"),
        });
    };
    let line = header_line(doc, table);
    let gap = |message: String| {
        Some(Gap {
            path: doc.path.clone(),
            line,
            message,
        })
    };
    for column in columns {
        let found = match column {
            Named(name) => table.column(name).is_some(),
            Containing(words) => table.columns.iter().any(|c| c.to_lowercase().contains(words)),
        };
        if !found {
            let (Named(name) | Containing(name)) = column;
            return gap(format!("table {} has no column {name:?}", table.id));
        }
    }
    for (column, text) in rows {
        if crate::decide::row_containing(table, column, text).is_none() {
            return gap(format!(
                "table {} has no row whose {column} contains {text:?}",
                table.id
            ));
        }
    }
    None
}

/// The line of a table's header row.
fn header_line(doc: &Document, table: &DecisionTable) -> usize {
    doc.markdown
        .tables
        .iter()
        .find(|t| {
            t.header == table.columns
                && t.section.map(|s| doc.markdown.sections[s].slug.as_str()) == Some(table.section.as_str())
        })
        .map_or(1, |t| doc.position(t.range.start).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_skill_supports_every_feature() {
        let skill = Skill::embedded().unwrap();
        let gaps: Vec<(&str, Gap)> = unsupported(&skill).into_iter().map(|(f, g)| (f.name, g)).collect();
        assert_eq!(gaps, Vec::new());
        assert!(FEATURES.iter().all(|f| f.claimed_by(&skill)));
    }

    #[test]
    fn a_renamed_column_is_reported_at_its_table() {
        let source = Skill::embedded().unwrap().files().read("SKILL.md").unwrap().to_vec();
        let source = String::from_utf8(source).unwrap();
        let edited = source.replacen("| Metric | Alert Threshold |", "| Metric | Limit |", 1);
        let line = source[..source.find("| Metric | Alert Threshold |").unwrap()]
            .lines()
            .count()
            + 1;
        let doc = Document::parse(SKILL_MD, SKILL_MD, edited.into_bytes()).unwrap();
        let all = tables::decision_tables(&doc);
        let gap = table_gap(&doc, &all, "monitoring-thresholds", THRESHOLDS_COLUMNS, &[]).unwrap();
        assert_eq!(gap.line, line);
        assert!(gap.message.contains("Alert Threshold"), "{gap:?}");
    }

    const THRESHOLDS_COLUMNS: &[Column] = &[Named("Metric"), Named("Alert Threshold")];
}
