//! A skill's thesaurus (`skill/thesaurus.yaml`, optional): the words and symptoms people use,
//! mapped to the terms the skill's documents use, so "bucketed by when it happened" also
//! searches for "event time". Search adds the mapped terms to a query that contains one of the
//! phrases, weighted below the query's own words.
//!
//! ```yaml
//! entries:
//!   - say: [bucketed by when it happened, when the event occurred]
//!     means: [event time]
//! ```
//!
//! Phrases and terms go through the search analyzer, so they match whatever the query's words
//! stem to; a phrase matches its words in order, with stop words between them ignored.

use std::collections::HashMap;

use serde::Deserialize;
use serde_saphyr::Spanned;
use tantivy::tokenizer::TextAnalyzer;

use super::questions::{Located, yaml_error_parts};
use crate::text::analyzer::analyze;

/// The thesaurus file of a skill.
pub const THESAURUS_FILE: &str = "skill/thesaurus.yaml";

/// A thesaurus file as written, with the places of its entries.
#[derive(Debug, Clone)]
pub struct ThesaurusFile {
    /// Its entries, in file order.
    pub entries: Vec<ThesaurusEntry>,
}

/// One entry: phrases people say, and what they mean in the documents' words.
#[derive(Debug, Clone)]
pub struct ThesaurusEntry {
    /// Where the entry starts.
    pub line: usize,
    /// What people say.
    pub say: Vec<Located<String>>,
    /// The documents' terms for it.
    pub means: Vec<Located<String>>,
}

/// Why the thesaurus could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct ThesaurusError {
    /// The file's path in the skill.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    entries: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    say: Vec<Spanned<String>>,
    means: Vec<Spanned<String>>,
}

/// Parses a thesaurus file.
pub fn parse(path: &str, text: &str) -> Result<ThesaurusFile, ThesaurusError> {
    let raw: RawFile = serde_saphyr::from_str(text).map_err(|e| {
        let (line, column, message) = yaml_error_parts(&e);
        ThesaurusError {
            path: path.to_string(),
            line,
            column,
            message: format!("invalid thesaurus: {message}"),
        }
    })?;
    Ok(ThesaurusFile {
        entries: raw
            .entries
            .into_iter()
            .map(|entry| ThesaurusEntry {
                line: entry.referenced.line() as usize,
                say: entry.value.say.into_iter().map(Located::from).collect(),
                means: entry.value.means.into_iter().map(Located::from).collect(),
            })
            .collect(),
    })
}

/// A phrase, analysed: its terms in order.
type Phrase = Vec<String>;

/// The thesauri of the searched skills, analysed and ready to expand queries.
#[derive(Debug, Default, Clone)]
pub struct Thesaurus {
    /// Each entry's meanings, by entry id.
    meanings: Vec<Vec<Phrase>>,
    /// The phrases, by their first term: (rest of the phrase, entry id).
    phrases: HashMap<String, Vec<(Phrase, usize)>>,
}

impl Thesaurus {
    /// The thesauri of some skills, merged, and why any could not be read: one item per skill,
    /// the bytes of its thesaurus file, `None` when it has none.
    pub fn of_files<'a>(
        files: impl IntoIterator<Item = Option<&'a [u8]>>,
        analyzer: &mut TextAnalyzer,
    ) -> (Self, Vec<ThesaurusError>) {
        let mut thesaurus = Self::default();
        let mut errors = Vec::new();
        for bytes in files.into_iter().flatten() {
            let parsed = std::str::from_utf8(bytes)
                .map_err(|_| ThesaurusError {
                    path: THESAURUS_FILE.into(),
                    line: 1,
                    column: 1,
                    message: "the file is not UTF-8".into(),
                })
                .and_then(|text| parse(THESAURUS_FILE, text));
            match parsed {
                Ok(file) => thesaurus.add(&file, analyzer),
                Err(e) => errors.push(e),
            }
        }
        (thesaurus, errors)
    }

    /// The analysed thesaurus as text, kept in the index's catalog so that opening an index
    /// does not parse and analyse the YAML again. One line per record, fields split by tabs,
    /// a phrase's terms by spaces (analysed terms hold neither): `m` and an entry's meanings
    /// (entries in order), `s`, an entry number and a phrase that means it (in the order
    /// [`Thesaurus::expand`] tries them), `!` and why a file was left out.
    pub fn encode(&self, errors: &[ThesaurusError]) -> String {
        let mut out = String::new();
        for meanings in &self.meanings {
            out.push('m');
            for phrase in meanings {
                out.push('\t');
                out.push_str(&phrase.join(" "));
            }
            out.push('\n');
        }
        let mut firsts: Vec<&String> = self.phrases.keys().collect();
        firsts.sort();
        for first in firsts {
            for (rest, id) in &self.phrases[first] {
                out.push_str(&format!("s\t{id}\t{first}"));
                for term in rest {
                    out.push(' ');
                    out.push_str(term);
                }
                out.push('\n');
            }
        }
        for error in errors {
            out.push_str(&format!("!\t{}\n", error.to_string().replace(['\t', '\n'], " ")));
        }
        out
    }

    /// Reads what [`Thesaurus::encode`] wrote: the thesaurus and the reasons files were left
    /// out; `None` when the text is not such a record list.
    pub fn decode(text: &str) -> Option<(Self, Vec<String>)> {
        let mut thesaurus = Self::default();
        let mut errors = Vec::new();
        let phrase = |text: &str| -> Phrase { text.split(' ').map(str::to_string).collect() };
        for line in text.lines() {
            let mut fields = line.split('\t');
            match fields.next()? {
                "m" => thesaurus.meanings.push(fields.map(phrase).collect()),
                "s" => {
                    let id: usize = fields.next()?.parse().ok()?;
                    let mut terms = phrase(fields.next()?);
                    if id >= thesaurus.meanings.len() || fields.next().is_some() || terms[0].is_empty() {
                        return None;
                    }
                    let first = terms.remove(0);
                    thesaurus.phrases.entry(first).or_default().push((terms, id));
                }
                "!" => errors.push(fields.next()?.to_string()),
                _ => return None,
            }
        }
        Some((thesaurus, errors))
    }

    /// Adds the entries of a file.
    pub fn add(&mut self, file: &ThesaurusFile, analyzer: &mut TextAnalyzer) {
        let mut phrase = |text: &str| -> Phrase { analyze(analyzer, text).into_iter().map(|t| t.term).collect() };
        for entry in &file.entries {
            let id = self.meanings.len();
            self.meanings.push(
                entry
                    .means
                    .iter()
                    .map(|m| phrase(&m.value))
                    .filter(|p| !p.is_empty())
                    .collect(),
            );
            for say in &entry.say {
                let mut terms = phrase(&say.value);
                if terms.is_empty() {
                    continue;
                }
                let first = terms.remove(0);
                self.phrases.entry(first).or_default().push((terms, id));
            }
        }
    }

    /// Whether it has no entry.
    pub fn is_empty(&self) -> bool {
        self.meanings.is_empty()
    }

    /// The meanings of the phrases found in a query, given as its analysed words in order, each
    /// with its alternatives (an identifier's whole form and parts, a typo's correction). Each
    /// meaning is a phrase of terms; an entry found twice counts once.
    pub fn expand(&self, words: &[Vec<String>]) -> Vec<&[String]> {
        let mut found: Vec<usize> = Vec::new();
        for (start, alternatives) in words.iter().enumerate() {
            for first in alternatives {
                let Some(candidates) = self.phrases.get(first) else {
                    continue;
                };
                for (rest, id) in candidates {
                    let matches = rest
                        .iter()
                        .enumerate()
                        .all(|(k, term)| words.get(start + 1 + k).is_some_and(|alts| alts.contains(term)));
                    if matches && !found.contains(id) {
                        found.push(*id);
                    }
                }
            }
        }
        found
            .into_iter()
            .flat_map(|id| self.meanings[id].iter().map(Vec::as_slice))
            .collect()
    }
}

/// A problem with a thesaurus that parses (see [`check`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThesaurusProblem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Whether the problem makes the entry useless (else it is a warning).
    pub error: bool,
    /// What is wrong.
    pub message: String,
}

/// Checks a thesaurus: an entry with no phrase or no meaning, a phrase of stop words only, a
/// phrase listed twice, and a meaning whose terms no document of the skill uses (`known` tells
/// whether the corpus has an analysed term).
pub fn check(file: &ThesaurusFile, analyzer: &mut TextAnalyzer, known: impl Fn(&str) -> bool) -> Vec<ThesaurusProblem> {
    let mut problems = Vec::new();
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    for entry in &file.entries {
        for (list, name) in [(&entry.say, "say"), (&entry.means, "means")] {
            if list.is_empty() {
                problems.push(ThesaurusProblem {
                    line: entry.line,
                    column: 1,
                    error: true,
                    message: format!("the entry has an empty `{name}` list"),
                });
            }
        }
        for say in &entry.say {
            let terms: Vec<String> = analyze(analyzer, &say.value).into_iter().map(|t| t.term).collect();
            if terms.is_empty() {
                problems.push(ThesaurusProblem {
                    line: say.line,
                    column: say.column,
                    error: true,
                    message: format!(
                        "{:?} has no searchable word (only stop words or punctuation)",
                        say.value
                    ),
                });
                continue;
            }
            if let Some(first) = seen.insert(terms, say.line) {
                problems.push(ThesaurusProblem {
                    line: say.line,
                    column: say.column,
                    error: true,
                    message: format!("{:?} is already listed on line {first}", say.value),
                });
            }
        }
        for mean in &entry.means {
            let terms: Vec<String> = analyze(analyzer, &mean.value).into_iter().map(|t| t.term).collect();
            if terms.is_empty() || terms.iter().all(|t| !known(t)) {
                problems.push(ThesaurusProblem {
                    line: mean.line,
                    column: mean.column,
                    error: false,
                    message: format!(
                        "no document of the skill uses {:?}: the meaning finds nothing",
                        mean.value
                    ),
                });
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::analyzer::search_analyzer as analyzer;

    const FILE: &str = "\
entries:
  - say: [bucketed by when it happened, when the event occurred]
    means: [event time]
  - say: [out of memory, OOM]
    means: [heap, state size]
  - say: [the of, OOM]
    means: [quokka]
";

    fn words(text: &str) -> Vec<Vec<String>> {
        analyze(&mut analyzer(), text)
            .into_iter()
            .map(|t| vec![t.term])
            .collect()
    }

    #[test]
    fn phrases_expand_to_their_meanings() {
        let file = parse(THESAURUS_FILE, FILE).unwrap();
        let mut thesaurus = Thesaurus::default();
        thesaurus.add(&file, &mut analyzer());
        let found = thesaurus.expand(&words("counts are bucketed by when it happened, not processed"));
        assert_eq!(found, [["event", "time"].map(String::from).as_slice()]);
        let found = thesaurus.expand(&words("the job ran out of memory"));
        assert_eq!(found.len(), 2);
        assert!(!thesaurus.expand(&words("out of the memory of bucketed")).is_empty());
        assert!(thesaurus.expand(&words("memory out")).is_empty());
    }

    #[test]
    fn encoding_reads_back_the_same_thesaurus() {
        let (thesaurus, errors) = Thesaurus::of_files(
            [Some(FILE.as_bytes()), None, Some(b"entries: [".as_slice())],
            &mut analyzer(),
        );
        assert_eq!(errors.len(), 1);
        let text = thesaurus.encode(&errors);
        let (read, messages) = Thesaurus::decode(&text).unwrap();
        assert_eq!(read.meanings, thesaurus.meanings);
        assert_eq!(read.phrases, thesaurus.phrases);
        assert_eq!(messages, [errors[0].to_string()]);
        assert_eq!(read.encode(&errors), text);
        for query in ["the job ran out of memory", "bucketed by when it happened", "OOM"] {
            assert_eq!(read.expand(&words(query)), thesaurus.expand(&words(query)));
        }
        assert!(Thesaurus::decode("x\tz\n").is_none());
        assert!(
            Thesaurus::decode("s\t0\tevent\n").is_none(),
            "an entry number with no entry"
        );
        assert!(Thesaurus::decode("").is_some_and(|(t, e)| t.is_empty() && e.is_empty()));
    }

    #[test]
    fn check_reports_empty_repeated_and_unknown() {
        let file = parse(THESAURUS_FILE, FILE).unwrap();
        let problems = check(&file, &mut analyzer(), |t| t != "quokka");
        let lines: Vec<(usize, bool)> = problems.iter().map(|p| (p.line, p.error)).collect();
        assert_eq!(lines, [(6, true), (6, true), (7, false)], "{problems:?}");
        let err = parse(THESAURUS_FILE, "entries:\n  - say: [a]\n    mean: [b]\n").unwrap_err();
        assert_eq!(err.line, 3);
    }
}
