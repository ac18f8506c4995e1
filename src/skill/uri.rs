//! The `skill://` URIs that name a skill's files, its documents' sections and its decision
//! tables. The scheme is the project's own; the MCP adapter serves it as resources.
//!
//! - a file: `skill://<skill>/<path>` (e.g. `skill://streaming-data-skill/references/kafka-deep-dive.md`)
//! - a section: `skill://<skill>/sections/<document>/<section-slug>`
//! - a decision table: `skill://<skill>/tables/<table-id>`

/// The scheme prefix.
pub const SCHEME: &str = "skill://";

/// What a `skill://` URI points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkillUri {
    /// A file of the skill, by relative path.
    File {
        /// The skill's name.
        skill: String,
        /// The path relative to the skill folder.
        path: String,
    },
    /// One section of a document.
    Section {
        /// The skill's name.
        skill: String,
        /// The document's name.
        document: String,
        /// The section's slug.
        section: String,
    },
    /// A decision table as JSON.
    Table {
        /// The skill's name.
        skill: String,
        /// The table's id.
        table: String,
    },
}

impl SkillUri {
    /// Parses a `skill://` URI, percent-decoding its segments. Returns `None` for anything else.
    pub fn parse(uri: &str) -> Option<Self> {
        let rest = uri.strip_prefix(SCHEME)?;
        let rest = rest.split(['?', '#']).next().unwrap_or_default();
        let (skill, path) = rest.split_once('/')?;
        let skill = percent_decode(skill)?;
        if skill.is_empty() || path.is_empty() {
            return None;
        }
        let segments: Vec<&str> = path.split('/').collect();
        match segments.as_slice() {
            ["sections", document, section] => Some(Self::Section {
                skill,
                document: percent_decode(document)?,
                section: percent_decode(section)?,
            }),
            ["tables", table] => Some(Self::Table {
                skill,
                table: percent_decode(table)?,
            }),
            _ => Some(Self::File {
                skill,
                path: percent_decode(path)?,
            }),
        }
    }

    /// The skill the URI belongs to.
    pub fn skill(&self) -> &str {
        match self {
            Self::File { skill, .. } | Self::Section { skill, .. } | Self::Table { skill, .. } => skill,
        }
    }
}

/// The URI of a file.
pub fn file_uri(skill: &str, path: &str) -> String {
    format!("{SCHEME}{skill}/{path}")
}

/// The URI of a section.
pub fn section_uri(skill: &str, document: &str, section: &str) -> String {
    format!("{SCHEME}{skill}/sections/{document}/{section}")
}

/// The URI of a decision table.
pub fn table_uri(skill: &str, table: &str) -> String {
    format!("{SCHEME}{skill}/tables/{table}")
}

/// Decodes `%XX` escapes; `None` if an escape is malformed or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        assert_eq!(
            SkillUri::parse("skill://s/references/a.md"),
            Some(SkillUri::File {
                skill: "s".into(),
                path: "references/a.md".into()
            })
        );
        assert_eq!(
            SkillUri::parse("skill://s/sections/a/b-c"),
            Some(SkillUri::Section {
                skill: "s".into(),
                document: "a".into(),
                section: "b-c".into()
            })
        );
        assert_eq!(
            SkillUri::parse("skill://s/tables/t"),
            Some(SkillUri::Table {
                skill: "s".into(),
                table: "t".into()
            })
        );
    }

    #[test]
    fn decodes_and_rejects() {
        assert_eq!(
            SkillUri::parse("skill://s/%2e%2e/x"),
            Some(SkillUri::File {
                skill: "s".into(),
                path: "../x".into()
            })
        );
        assert_eq!(SkillUri::parse("skill://s/%zz"), None);
        assert_eq!(SkillUri::parse("file:///etc/passwd"), None);
        assert_eq!(SkillUri::parse("skill://s"), None);
    }

    #[test]
    fn builders_round_trip() {
        let uri = section_uri("s", "doc", "sec");
        assert_eq!(
            SkillUri::parse(&uri),
            Some(SkillUri::Section {
                skill: "s".into(),
                document: "doc".into(),
                section: "sec".into()
            })
        );
        assert_eq!(file_uri("s", "SKILL.md"), "skill://s/SKILL.md");
        assert_eq!(table_uri("s", "t"), "skill://s/tables/t");
    }
}
