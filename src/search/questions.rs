//! The questions, symptoms and error names each section answers, written by the skill's authors
//! in `skill/questions/<document stem>.yaml` (optional for any skill): read here, indexed as a
//! boosted field of the section they name (by `schema::write_index`), and checked by `validate`.
//! `build.rs` includes this file too, so the compiled-in index reads them the same way.
//!
//! ```yaml
//! document: references/kafka-deep-dive.md
//! sections:
//!   producer-acks-retries-and-deliverytimeoutms:
//!     asks: [how long does the producer keep retrying a record]
//!     symptoms: [records expire in the producer before they are sent]
//!     errors: [TimeoutException]
//! ```

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_saphyr::Spanned;

/// The folder of a skill that holds the questions files.
pub const QUESTIONS_DIR: &str = "skill/questions/";

/// Whether a skill file is a questions file.
pub fn is_questions_file(path: &str) -> bool {
    path.strip_prefix(QUESTIONS_DIR)
        .is_some_and(|name| !name.contains('/') && (name.ends_with(".yaml") || name.ends_with(".yml")))
}

/// A value with the 1-based line and column it was written at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl<T> From<Spanned<T>> for Located<T> {
    fn from(spanned: Spanned<T>) -> Self {
        Self {
            line: (spanned.referenced.line() as usize).max(1),
            column: (spanned.referenced.column() as usize).max(1),
            value: spanned.value,
        }
    }
}

/// The kinds of entry a section may list.
pub const KINDS: [&str; 3] = ["asks", "symptoms", "errors"];

/// One list of a section (`asks`, `symptoms` or `errors`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryList {
    /// `asks`, `symptoms` or `errors`.
    pub kind: &'static str,
    /// Where the list starts.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// The entries.
    pub entries: Vec<Located<String>>,
}

/// What one section answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionQuestions {
    /// The section's slug.
    pub slug: Located<String>,
    /// Its lists, in the order [`KINDS`] names them (absent ones left out).
    pub lists: Vec<EntryList>,
}

impl SectionQuestions {
    /// Every entry of every list.
    pub fn entries(&self) -> impl Iterator<Item = &Located<String>> {
        self.lists.iter().flat_map(|l| &l.entries)
    }
}

/// A parsed questions file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionsFile {
    /// The file's path in the skill.
    pub path: String,
    /// The document it is about (`references/kafka-deep-dive.md`).
    pub document: Located<String>,
    /// Its sections, in file order.
    pub sections: Vec<SectionQuestions>,
}

/// Why a questions file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionsError {
    /// The file's path in the skill.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for QuestionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.column, self.message)
    }
}

impl std::error::Error for QuestionsError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    document: Spanned<String>,
    sections: OrderedMap<Option<RawSection>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSection {
    #[serde(default)]
    asks: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    symptoms: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    errors: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A YAML mapping read in file order, its keys with their places.
struct OrderedMap<V>(Vec<(Spanned<String>, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for OrderedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = OrderedMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of section slugs to their questions")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<Spanned<String>, V>()? {
                    entries.push(entry);
                }
                Ok(OrderedMap(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

/// Where a YAML error is (1-based line and column) and its message without the location and the
/// snippet, for a finding that names file, line and column itself.
pub(crate) fn yaml_error_parts(error: &serde_saphyr::Error) -> (usize, usize, String) {
    let (line, column) = error
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let rendered = error.without_snippet().to_string();
    let first = rendered.lines().next().unwrap_or("invalid YAML");
    let message = first.strip_prefix("error: ").unwrap_or(first);
    let message = message.split(" at line ").next().unwrap_or(message);
    (line.max(1), column.max(1), message.to_string())
}

/// Parses one questions file.
pub fn parse(path: &str, text: &str) -> Result<QuestionsFile, QuestionsError> {
    let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column, message) = yaml_error_parts(&e);
        QuestionsError {
            path: path.to_string(),
            line,
            column,
            message: format!("invalid questions file: {message}"),
        }
    })?;
    let sections = raw
        .sections
        .0
        .into_iter()
        .map(|(slug, section)| {
            let section = section.unwrap_or_default();
            let lists = [section.asks, section.symptoms, section.errors]
                .into_iter()
                .zip(KINDS)
                .filter_map(|(list, kind)| {
                    let list = list?;
                    Some(EntryList {
                        kind,
                        line: list.referenced.line() as usize,
                        column: (list.referenced.column() as usize).max(1),
                        entries: list.value.into_iter().map(Located::from).collect(),
                    })
                })
                .collect();
            SectionQuestions {
                slug: slug.into(),
                lists,
            }
        })
        .collect();
    Ok(QuestionsFile {
        path: path.to_string(),
        document: raw.document.into(),
        sections,
    })
}

/// Reads every questions file among a skill's `(path, bytes)` files: the ones that parse, and
/// why the others do not.
pub fn load<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> (Vec<QuestionsFile>, Vec<QuestionsError>) {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    for (path, bytes) in files {
        if !is_questions_file(path) {
            continue;
        }
        let result = std::str::from_utf8(bytes)
            .map_err(|_| QuestionsError {
                path: path.to_string(),
                line: 1,
                column: 1,
                message: "the file is not UTF-8".into(),
            })
            .and_then(|text| parse(path, text));
        match result {
            Ok(file) => parsed.push(file),
            Err(e) => errors.push(e),
        }
    }
    (parsed, errors)
}

/// A document path as a questions file may write it (`./references/a.md`), as the skill lists it.
pub fn normalize_document(path: &str) -> &str {
    let path = path.trim();
    path.strip_prefix("./").unwrap_or(path)
}

/// The text indexed for each section of one document: slug -> entries.
pub type DocumentQuestions = HashMap<String, Vec<String>>;

/// The indexed text of every questions file that parses, by document path (as in the file's
/// `document:`). Entries are kept in file order; a section named twice gets both lists.
pub fn by_document(files: &[QuestionsFile]) -> HashMap<String, DocumentQuestions> {
    let mut out: HashMap<String, DocumentQuestions> = HashMap::new();
    for file in files {
        let document = out
            .entry(normalize_document(&file.document.value).to_string())
            .or_default();
        for section in &file.sections {
            let texts = document.entry(section.slug.value.clone()).or_default();
            texts.extend(
                section
                    .entries()
                    .map(|e| e.value.trim().to_string())
                    .filter(|e| !e.is_empty()),
            );
        }
    }
    out
}

/// A problem with a questions file that parses (see [`check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionsProblem {
    /// The file's path in the skill.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// A short rule name.
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
}

/// Checks parsed questions files against the skill's documents: `documents` lists each document
/// path with the slugs of its sections. Reports an unknown document or section, an empty list or
/// entry, an entry repeated within a file, and a document with two questions files.
pub fn check(files: &[QuestionsFile], documents: &[(String, Vec<String>)]) -> Vec<QuestionsProblem> {
    let mut problems = Vec::new();
    let mut claimed: HashMap<String, &str> = HashMap::new();
    for file in files {
        let mut problem = |line: usize, column: usize, rule: &'static str, message: String| {
            problems.push(QuestionsProblem {
                path: file.path.clone(),
                line,
                column,
                rule,
                message,
            });
        };
        let path = normalize_document(&file.document.value);
        let Some((_, slugs)) = documents.iter().find(|(p, _)| p == path) else {
            problem(
                file.document.line,
                file.document.column,
                "questions-document",
                format!("{path:?} is not a document of the skill (write its path, e.g. references/name.md)"),
            );
            continue;
        };
        if let Some(other) = claimed.insert(path.to_string(), &file.path) {
            problem(
                file.document.line,
                file.document.column,
                "questions-duplicate",
                format!("{other} is about {path} too; keep one questions file per document"),
            );
        }
        let mut seen_slugs: HashMap<&str, usize> = HashMap::new();
        let mut seen_entries: HashMap<String, (usize, &str)> = HashMap::new();
        for section in &file.sections {
            let slug = section.slug.value.as_str();
            if !slugs.iter().any(|s| s == slug) {
                let hint = slugs
                    .iter()
                    .find(|s| s.contains(slug) || slug.contains(s.as_str()))
                    .map(|s| format!(" (did you mean {s}?)"))
                    .unwrap_or_default();
                problem(
                    section.slug.line,
                    section.slug.column,
                    "questions-section",
                    format!("{path} has no section {slug:?}{hint}; use a slug `read --sections` prints"),
                );
            }
            if let Some(first) = seen_slugs.insert(slug, section.slug.line) {
                problem(
                    section.slug.line,
                    section.slug.column,
                    "questions-duplicate",
                    format!("section {slug} is listed twice (first on line {first})"),
                );
            }
            if section.lists.is_empty() {
                problem(
                    section.slug.line,
                    section.slug.column,
                    "questions-empty",
                    format!("section {slug} lists no asks, symptoms or errors"),
                );
            }
            for list in &section.lists {
                if list.entries.is_empty() {
                    problem(
                        list.line.max(section.slug.line),
                        list.column,
                        "questions-empty",
                        format!("the {} list of {slug} is empty", list.kind),
                    );
                }
                for entry in &list.entries {
                    let key = entry
                        .value
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase();
                    if key.is_empty() {
                        problem(
                            entry.line,
                            entry.column,
                            "questions-empty",
                            format!("an empty entry among the {} of {slug}", list.kind),
                        );
                        continue;
                    }
                    if let Some((line, other)) = seen_entries.insert(key, (entry.line, slug)) {
                        let place = if other == slug {
                            String::new()
                        } else {
                            format!(" under {other}")
                        };
                        problem(
                            entry.line,
                            entry.column,
                            "questions-duplicate",
                            format!("{:?} is already listed on line {line}{place}", entry.value.trim()),
                        );
                    }
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# What a.md answers.
document: references/a.md
sections:
  watermarks:
    asks:
      - why are my windows never closing
      - bucketed by when it happened
    errors: [LateDataException]
  nowhere:
    asks: []
  idempotent-consumers:
    symptoms:
      - Why are my windows never closing
";

    fn documents() -> Vec<(String, Vec<String>)> {
        vec![(
            "references/a.md".into(),
            vec!["alpha".into(), "watermarks".into(), "idempotent-consumers".into()],
        )]
    }

    #[test]
    fn parses_in_order_with_places() {
        let file = parse("skill/questions/a.yaml", FILE).unwrap();
        assert_eq!(file.document.value, "references/a.md");
        assert_eq!(file.document.line, 2);
        let slugs: Vec<_> = file
            .sections
            .iter()
            .map(|s| (s.slug.value.as_str(), s.slug.line))
            .collect();
        assert_eq!(slugs, [("watermarks", 4), ("nowhere", 9), ("idempotent-consumers", 11)]);
        assert_eq!(file.sections[0].lists[1].kind, "errors");
        assert_eq!(file.sections[0].lists[0].entries[1].line, 7);
        let indexed = by_document(std::slice::from_ref(&file));
        assert_eq!(
            indexed["references/a.md"]["watermarks"],
            [
                "why are my windows never closing",
                "bucketed by when it happened",
                "LateDataException"
            ]
        );
    }

    #[test]
    fn reports_unknown_sections_empty_lists_and_duplicates_with_lines() {
        let file = parse("skill/questions/a.yaml", FILE).unwrap();
        let problems: Vec<(usize, &str)> = check(std::slice::from_ref(&file), &documents())
            .iter()
            .map(|p| (p.line, p.rule))
            .collect::<Vec<_>>()
            .into_iter()
            .collect();
        assert_eq!(
            problems,
            [
                (9, "questions-section"),
                (10, "questions-empty"),
                (13, "questions-duplicate")
            ]
        );
        let other = parse("skill/questions/b.yaml", "document: references/b.md\nsections: {}\n").unwrap();
        let problems = check(&[other], &documents());
        assert_eq!(problems[0].rule, "questions-document");
    }

    #[test]
    fn bad_files_are_errors_with_a_line() {
        let err = parse(
            "skill/questions/a.yaml",
            "document: a.md\nsections:\n  x:\n    wrong: [1]\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        let err = parse(
            "skill/questions/a.yaml",
            "document: a.md\nsections:\n  x: {}\n  x: {}\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 4, "{err}");
        let (parsed, errors) = load([
            ("skill/questions/a.yaml", FILE.as_bytes()),
            ("skill/questions/b.yaml", b"document: [".as_slice()),
            ("skill/siblings.yaml", b"not: questions".as_slice()),
        ]);
        assert_eq!((parsed.len(), errors.len()), (1, 1));
    }
}
