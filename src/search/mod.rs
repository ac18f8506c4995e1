//! Full-text search over the sections of one or more skills: a tantivy index in RAM with one
//! index document per section, BM25 ranking with boosts for heading matches, typo correction
//! against the corpus vocabulary, and snippets with the matching terms marked.
//!
//! Queries are never parsed with a query grammar: the text is analysed into terms and the
//! query is built from them, so nothing a model writes can fail to parse.

pub mod analyzer;
pub mod vocabulary;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use crate::skill::{Document, Skill, SkillError, uri};
use analyzer::{ANALYZER_NAME, analyze};
use vocabulary::Vocabulary;

/// How much a match in a section's own heading counts, relative to one in its body.
const HEADING_BOOST: f32 = 3.0;
/// How much a match in the headings above a section counts.
const PARENT_HEADINGS_BOOST: f32 = 0.6;
/// How much a match in code counts.
const CODE_BOOST: f32 = 0.7;
/// Extra weight for two query terms found side by side.
const PHRASE_BOOST: f32 = 1.5;
/// How many BM25 candidates are re-ranked by query-term coverage, at least.
const RERANK_CANDIDATES: usize = 40;
/// The share of the score that does not depend on coverage: a section with none of the other
/// query terms keeps this fraction of its BM25 score.
const COVERAGE_FLOOR: f32 = 0.25;
/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;
/// Most hits a search returns.
pub const MAX_LIMIT: usize = 50;

/// Why the index could not be built or searched.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A document could not be read while indexing.
    #[error(transparent)]
    Skill(#[from] SkillError),
}

/// One search request.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest<'a> {
    /// Free text, as a person or a model typed it.
    pub query: &'a str,
    /// The most hits to return (clamped to 1..=[`MAX_LIMIT`]).
    pub limit: usize,
    /// Only this document (name as listed, e.g. `kafka-deep-dive`).
    pub document: Option<&'a str>,
    /// Only this skill.
    pub skill: Option<&'a str>,
}

/// A ranked section.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Hit {
    /// The skill the section belongs to.
    pub skill: String,
    /// The document's name (`SKILL.md`, `kafka-deep-dive`, ...).
    pub document: String,
    /// The section's slug.
    pub section: String,
    /// The section's heading path, top down.
    pub heading_path: Vec<String>,
    /// The `skill://` URI of the section.
    pub uri: String,
    /// BM25 score with boosts; higher is better.
    pub score: f32,
    /// A passage of the section with matching terms in `**bold**`.
    pub snippet: String,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchOutcome {
    /// Hits, best first.
    pub hits: Vec<Hit>,
    /// How many sections matched in all.
    pub total: usize,
    /// Query terms that were replaced by a corpus term (`from`, `to`).
    pub corrections: Vec<(String, String)>,
}

struct IndexedSection {
    skill: String,
    document: String,
    slug: String,
    heading_path: Vec<String>,
    text: String,
    code: String,
    /// Sorted vocabulary ids of every term in the section's heading, text and code.
    terms: Vec<u32>,
    /// Sorted vocabulary ids of the terms of its heading path (its own heading and those above).
    heading_terms: Vec<u32>,
}

struct Fields {
    skill: Field,
    document: Field,
    ordinal: Field,
    heading: Field,
    parents: Field,
    body: Field,
    code: Field,
}

/// An in-RAM index over the sections of some skills.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    sections: Vec<IndexedSection>,
    vocabulary: Vocabulary,
    build_time: Duration,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("sections", &self.sections.len())
            .field("terms", &self.vocabulary.len())
            .finish()
    }
}

impl SearchIndex {
    /// Indexes every section of every document of `skills`.
    pub fn build(skills: &[&Skill]) -> Result<Self, SearchError> {
        let mut documents: Vec<(String, Arc<Document>)> = Vec::new();
        for skill in skills {
            for doc in skill.documents()? {
                documents.push((skill.name().to_string(), doc));
            }
        }
        Self::build_from(documents.iter().map(|(s, d)| (s.as_str(), d.as_ref())))
    }

    /// Indexes the sections of `(skill name, document)` pairs.
    pub fn build_from<'a>(documents: impl Iterator<Item = (&'a str, &'a Document)>) -> Result<Self, SearchError> {
        let started = Instant::now();
        let mut schema = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(ANALYZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let fields = Fields {
            skill: schema.add_text_field("skill", STRING),
            document: schema.add_text_field("document", STRING),
            ordinal: schema.add_u64_field("ordinal", STORED),
            heading: schema.add_text_field("heading", text.clone()),
            parents: schema.add_text_field("parents", text.clone()),
            body: schema.add_text_field("body", text.clone()),
            code: schema.add_text_field("code", text),
        };
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(ANALYZER_NAME, analyzer::analyzer());
        let mut analyzer = analyzer::analyzer();
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let mut sections = Vec::new();
        let mut vocabulary = Vocabulary::default();
        for (skill, doc) in documents {
            for section in &doc.markdown.sections {
                let ordinal = sections.len() as u64;
                let parents = section.heading_path[..section.heading_path.len() - 1].join(" ");
                let mut seen = HashSet::new();
                let mut terms = Vec::new();
                for text in [&section.heading, &section.text, &section.code] {
                    for term in analyze(&mut analyzer, text) {
                        if seen.insert(term.term.clone()) {
                            terms.push(vocabulary.add(&term.term));
                        }
                    }
                }
                terms.sort_unstable();
                let mut heading_terms: Vec<u32> = section
                    .heading_path
                    .iter()
                    .flat_map(|h| analyze(&mut analyzer, h))
                    .map(|t| vocabulary.add_heading(&t.term))
                    .collect();
                heading_terms.sort_unstable();
                heading_terms.dedup();
                let mut indexed = TantivyDocument::default();
                indexed.add_text(fields.skill, skill);
                indexed.add_text(fields.document, &doc.name);
                indexed.add_u64(fields.ordinal, ordinal);
                indexed.add_text(fields.heading, &section.heading);
                indexed.add_text(fields.parents, &parents);
                indexed.add_text(fields.body, &section.text);
                indexed.add_text(fields.code, &section.code);
                writer.add_document(indexed)?;
                sections.push(IndexedSection {
                    skill: skill.to_string(),
                    document: doc.name.clone(),
                    slug: section.slug.clone(),
                    heading_path: section.heading_path.clone(),
                    text: section.text.clone(),
                    code: section.code.clone(),
                    terms,
                    heading_terms,
                });
            }
        }
        writer.commit()?;
        drop(writer);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            sections,
            vocabulary,
            build_time: started.elapsed(),
        })
    }

    /// How many sections are indexed.
    pub fn len(&self) -> usize {
        self.sections.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// How long [`SearchIndex::build`] took.
    pub fn build_time(&self) -> Duration {
        self.build_time
    }

    /// Searches. Any text is accepted; text with no searchable term finds nothing.
    pub fn search(&self, request: &SearchRequest<'_>) -> Result<SearchOutcome, SearchError> {
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let mut analyzer = analyzer::analyzer();
        let mut corrections = Vec::new();
        let mut terms: Vec<(usize, String)> = Vec::new();
        for term in analyze(&mut analyzer, request.query) {
            let word = if self.vocabulary.contains(&term.term) {
                term.term
            } else if let Some(corrected) = self.vocabulary.correct(&term.term) {
                corrections.push((term.term.clone(), corrected.to_string()));
                corrected.to_string()
            } else {
                continue;
            };
            if !terms.iter().any(|(_, t)| *t == word) {
                terms.push((term.position, word));
            }
        }
        if terms.is_empty() {
            return Ok(SearchOutcome {
                hits: Vec::new(),
                total: 0,
                corrections,
            });
        }
        let query = self.build_query(&terms, request);
        let searcher = self.reader.searcher();
        let candidates = (limit * 4).max(RERANK_CANDIDATES);
        let (top, total) = searcher.search(
            &*query,
            &(
                TopDocs::with_limit(candidates).order_by_score(),
                tantivy::collector::Count,
            ),
        )?;
        // Re-rank the BM25 candidates by how many of the query's terms each section has, in its
        // text and in its heading path: BM25 alone lets one term repeated often beat all terms.
        let term_ids: Vec<u32> = terms.iter().filter_map(|(_, t)| self.vocabulary.id(t)).collect();
        let share = |ids: &[u32]| {
            term_ids.iter().filter(|id| ids.binary_search(id).is_ok()).count() as f32 / term_ids.len().max(1) as f32
        };
        let mut ranked = Vec::with_capacity(top.len());
        for (score, address) in top {
            let stored: TantivyDocument = searcher.doc(address)?;
            let Some(ordinal) = stored.get_first(self.fields.ordinal).and_then(|v| v.as_u64()) else {
                continue;
            };
            let section = &self.sections[ordinal as usize];
            let (coverage, heading_coverage) = (share(&section.terms), share(&section.heading_terms));
            let weight = (COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * coverage * coverage) * (1.0 + heading_coverage);
            ranked.push((score * weight, ordinal as usize));
        }
        // Highest score first; ties in document order, so results are deterministic.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(limit);
        let snippet_terms: BTreeMap<String, f32> = terms.iter().map(|(_, t)| (t.clone(), 1.0)).collect();
        let tokenizer = analyzer::analyzer();
        let body_snippets = SnippetGenerator::new(
            snippet_terms.clone(),
            tokenizer.clone(),
            self.fields.body,
            SNIPPET_CHARS,
        );
        let code_snippets = SnippetGenerator::new(snippet_terms, tokenizer, self.fields.code, SNIPPET_CHARS);
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, ordinal) in ranked {
            let section = &self.sections[ordinal];
            hits.push(Hit {
                skill: section.skill.clone(),
                document: section.document.clone(),
                section: section.slug.clone(),
                heading_path: section.heading_path.clone(),
                uri: uri::section_uri(&section.skill, &section.document, &section.slug),
                score: (score * 1000.0).round() / 1000.0,
                snippet: make_snippet(&body_snippets, &code_snippets, section),
            });
        }
        Ok(SearchOutcome {
            hits,
            total,
            corrections,
        })
    }

    fn build_query(&self, terms: &[(usize, String)], request: &SearchRequest<'_>) -> Box<dyn Query> {
        let f = &self.fields;
        let term_query = |field: Field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (_, term) in terms {
            should.push(term_query(f.heading, term, HEADING_BOOST));
            should.push(term_query(f.parents, term, PARENT_HEADINGS_BOOST));
            should.push(term_query(f.body, term, 1.0));
            should.push(term_query(f.code, term, CODE_BOOST));
        }
        for pair in terms.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if b.0 != a.0 + 1 {
                continue;
            }
            for (field, boost) in [(f.body, PHRASE_BOOST), (f.heading, PHRASE_BOOST * HEADING_BOOST)] {
                let phrase = PhraseQuery::new(vec![
                    Term::from_field_text(field, &a.1),
                    Term::from_field_text(field, &b.1),
                ]);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(phrase), boost))));
            }
        }
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        if let Some(document) = request.document {
            let name = self.canonical_document(document);
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.document, &name),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if let Some(skill) = request.skill {
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.skill, skill),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        Box::new(BooleanQuery::new(must))
    }

    /// Maps `kafka-deep-dive.md`, `references/kafka-deep-dive.md` or a different case to the
    /// indexed document name.
    fn canonical_document(&self, document: &str) -> String {
        let wanted = document.trim().to_lowercase();
        let wanted = wanted.rsplit('/').next().unwrap_or(&wanted);
        let stem = wanted.trim_end_matches(".md");
        self.sections
            .iter()
            .map(|s| s.document.as_str())
            .find(|d| d.to_lowercase() == wanted || d.to_lowercase().trim_end_matches(".md") == stem)
            .unwrap_or(document)
            .to_string()
    }

    /// The names of the documents in the index, in index order, once each.
    pub fn document_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for s in &self.sections {
            if names.last() != Some(&s.document.as_str()) && !names.contains(&s.document.as_str()) {
                names.push(&s.document);
            }
        }
        names
    }

    /// The tantivy index (for inspection in tests and benchmarks).
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }
}

fn make_snippet(body: &SnippetGenerator, code: &SnippetGenerator, section: &IndexedSection) -> String {
    let snippet = body.snippet(&section.text);
    if !snippet.highlighted().is_empty() {
        return mark(snippet.fragment(), snippet.highlighted());
    }
    let snippet = code.snippet(&section.code);
    if !snippet.highlighted().is_empty() {
        return mark(snippet.fragment(), snippet.highlighted())
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    }
    let text = if section.text.is_empty() {
        &section.code
    } else {
        &section.text
    };
    let mut end = text.len().min(SNIPPET_CHARS);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind(' ').filter(|_| end < text.len()).unwrap_or(end);
    let ellipsis = if cut < text.len() { "…" } else { "" };
    format!("{}{ellipsis}", text[..cut].trim())
}

/// Wraps the highlighted ranges of `fragment` in `**`.
fn mark(fragment: &str, highlighted: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(fragment.len() + highlighted.len() * 4);
    let mut last = 0;
    for range in highlighted {
        out.push_str(&fragment[last..range.start]);
        out.push_str("**");
        out.push_str(&fragment[range.clone()]);
        out.push_str("**");
        last = range.end;
    }
    out.push_str(&fragment[last..]);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex {
        let a = Document::parse(
            "references/a.md",
            "a",
            b"# Alpha\n\nIntro.\n\n## Idempotent consumers\n\nStore offsets with the output.\n\n## Watermarks\n\nEvent time lags.\n\n```sql\nWATERMARK FOR ts AS ts - INTERVAL '5' SECOND\n```\n".to_vec(),
        )
        .unwrap();
        let b = Document::parse(
            "references/b.md",
            "b",
            b"# Beta\n\nConsumer lag grows at peak.\n".to_vec(),
        )
        .unwrap();
        SearchIndex::build_from([("s", &a), ("s", &b)].into_iter()).unwrap()
    }

    fn first(index: &SearchIndex, query: &str) -> Option<String> {
        let outcome = index
            .search(&SearchRequest {
                query,
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        outcome.hits.first().map(|h| h.section.clone())
    }

    #[test]
    fn heading_matches_rank_first() {
        let index = index();
        assert_eq!(
            first(&index, "idempotent consumer").as_deref(),
            Some("idempotent-consumers")
        );
        assert_eq!(first(&index, "watermarking").as_deref(), Some("watermarks"));
    }

    #[test]
    fn typos_are_corrected() {
        let index = index();
        let outcome = index
            .search(&SearchRequest {
                query: "idempotant",
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(outcome.hits[0].section, "idempotent-consumers");
        let outcome = index
            .search(&SearchRequest {
                query: "watremarks",
                limit: 5,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            outcome.corrections,
            [("watremark".to_string(), "watermark".to_string())]
        );
    }

    #[test]
    fn any_text_is_a_valid_query() {
        let index = index();
        for query in [
            "",
            "AND OR NOT",
            "\"unclosed",
            "field:value^2 (",
            "*",
            "ß∂ƒ",
            "the of and",
        ] {
            let outcome = index
                .search(&SearchRequest {
                    query,
                    limit: 5,
                    ..Default::default()
                })
                .unwrap();
            assert!(outcome.hits.len() <= 5);
        }
    }

    #[test]
    fn document_filter_and_snippets() {
        let index = index();
        let outcome = index
            .search(&SearchRequest {
                query: "consumer lag",
                limit: 5,
                document: Some("b.md"),
                skill: None,
            })
            .unwrap();
        assert_eq!(outcome.hits.len(), 1);
        assert_eq!(outcome.hits[0].document, "b");
        assert_eq!(outcome.hits[0].snippet, "**Consumer** **lag** grows at peak");
        assert_eq!(outcome.hits[0].uri, "skill://s/sections/b/beta");
    }
}
