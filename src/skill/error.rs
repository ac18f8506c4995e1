//! Errors of loading and reading a skill. Paths in messages are relative to the skill folder,
//! so an error never names a file outside it.

/// Why a skill, one of its files, or a part of a document could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkillError {
    /// A file could not be read.
    #[error("{path}: {message}")]
    Io {
        /// The file, relative to the skill folder (or the folder as the user named it).
        path: String,
        /// Why.
        message: String,
    },
    /// The front matter of `SKILL.md` could not be parsed.
    #[error("{path}:{line}:{column}: {message}")]
    Frontmatter {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A file is not valid UTF-8 text.
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text")]
    NotUtf8 {
        /// The file.
        path: String,
        /// 1-based line of the first invalid byte.
        line: usize,
        /// 1-based column of the first invalid byte.
        column: usize,
    },
    /// A requested path is not allowed.
    #[error("{requested:?} is not a valid skill path: {reason}")]
    UnsafePath {
        /// The name as requested (shortened, control characters replaced).
        requested: String,
        /// Why it was refused.
        reason: String,
    },
    /// No such file in the skill.
    #[error("no file {path:?} in the skill")]
    FileNotFound {
        /// The relative path asked for.
        path: String,
    },
    /// No document matches a name.
    #[error("no document {name:?}; available: {}", available.join(", "))]
    DocumentNotFound {
        /// The name as requested.
        name: String,
        /// The documents there are.
        available: Vec<String>,
    },
    /// A document has no such section.
    #[error(
        "{document} has no section {section:?}; {} ({total} sections in all)",
        if closest.is_empty() { "nothing close".to_string() } else { format!("closest: {}", closest.join(", ")) }
    )]
    SectionNotFound {
        /// The document.
        document: String,
        /// The section as requested.
        section: String,
        /// The slugs of the few sections closest to the request, closest first.
        closest: Vec<String>,
        /// How many sections the document has.
        total: usize,
    },
    /// A part of a slug or heading matched more than one section.
    #[error("{section:?} matches {} sections of {document}: {}; give more of the slug", matches.len(), matches.join(", "))]
    SectionAmbiguous {
        /// The document.
        document: String,
        /// The section as requested.
        section: String,
        /// The slugs of the matching sections.
        matches: Vec<String>,
    },
    /// A folder holds more files than are listed.
    #[error("the skill folder holds more than {limit} files")]
    TooManyFiles {
        /// The limit.
        limit: usize,
    },
}
