//! The `skill://` URIs that name a skill's files, its documents' sections and its decision
//! tables. The scheme is the project's own; the MCP adapter serves it as resources.
//!
//! - a file: `skill://<skill>/<path>` (e.g. `skill://streaming-data-skill/references/kafka-deep-dive.md`)
//! - a section: `skill://<skill>/sections/<document>/<section-slug>`
//! - a decision table: `skill://<skill>/tables/<table-id>`
//!
//! The builders percent-encode what RFC 3986 does not allow in a path (spaces, `%`, `?`, `#`,
//! non-ASCII and a few more; `/` too inside a single segment), and the parser decodes it, so any
//! file name or heading round-trips. The names of the embedded skill need no escapes.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

/// The scheme prefix.
pub const SCHEME: &str = "skill://";

/// Bytes escaped in the path of a URI: besides controls and non-ASCII, those RFC 3986 leaves out of
/// a path segment (`pchar`) other than `/`.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Bytes escaped in one segment (a skill, document, section or table name): [`PATH`] and `/`.
const SEGMENT: &AsciiSet = &PATH.add(b'/');

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

/// The skill and the decoded folder path of a folder URI, `skill://<skill>/<folder>/` (the
/// folder may be empty, and the slash after the skill left out). `None` for anything else.
pub fn parse_folder(uri: &str) -> Option<(String, String)> {
    let rest = uri.strip_prefix(SCHEME)?;
    let (skill, folder) = rest.split_once('/').unwrap_or((rest, ""));
    Some((percent_decode(skill)?, percent_decode(folder)?))
}

/// The URI of a file.
pub fn file_uri(skill: &str, path: &str) -> String {
    format!("{SCHEME}{}/{}", segment(skill), utf8_percent_encode(path, PATH))
}

/// The URI of a section.
pub fn section_uri(skill: &str, document: &str, section: &str) -> String {
    format!(
        "{SCHEME}{}/sections/{}/{}",
        segment(skill),
        segment(document),
        segment(section)
    )
}

/// The URI of a decision table.
pub fn table_uri(skill: &str, table: &str) -> String {
    format!("{SCHEME}{}/tables/{}", segment(skill), segment(table))
}

fn segment(name: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(name, SEGMENT)
}

/// Decodes `%XX` escapes; `None` if an escape is malformed (`percent_decode_str` would keep it
/// as text) or the result is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let well_formed = s.split('%').skip(1).all(|rest| {
        rest.get(..2)
            .is_some_and(|hex| hex.bytes().all(|b| b.is_ascii_hexdigit()))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(s).decode_utf8().ok().map(Cow::into_owned)
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

    #[test]
    fn names_that_need_escapes_round_trip() {
        let uri = file_uri("s", "notes/a b%?#é.md");
        assert_eq!(uri, "skill://s/notes/a%20b%25%3F%23%C3%A9.md");
        assert_eq!(
            SkillUri::parse(&uri),
            Some(SkillUri::File {
                skill: "s".into(),
                path: "notes/a b%?#é.md".into()
            })
        );
        let uri = section_uri("s", "doc", "a/b café");
        assert_eq!(uri, "skill://s/sections/doc/a%2Fb%20caf%C3%A9");
        assert_eq!(
            SkillUri::parse(&uri),
            Some(SkillUri::Section {
                skill: "s".into(),
                document: "doc".into(),
                section: "a/b café".into()
            })
        );
        assert_eq!(
            parse_folder(&file_uri("s", "my notes/")),
            Some(("s".into(), "my notes/".into()))
        );
        assert_eq!(parse_folder("skill://s"), Some(("s".into(), String::new())));
        assert_eq!(parse_folder("skill://s/%e9/"), None);
        assert_eq!(parse_folder("skill://s/%4"), None);
    }
}
