//! Full-text search over the sections of one or more skills: a tantivy index with one index
//! document per section (compiled into the binary for the embedded skill, cached on disk for
//! skill folders, see [`cache`], else built in RAM), BM25 ranking with boosts for heading matches, typo correction
//! against the corpus vocabulary, and snippets with the matching terms marked.
//!
//! Queries are never parsed with a query grammar: the text is analysed into terms and the
//! query is built from them, so nothing a model writes can fail to parse.

pub mod cache;
pub mod catalog;
pub mod embedded;
pub mod eval;
pub mod questions;
pub mod schema;
mod snippet;
pub mod thesaurus;
pub mod vocabulary;

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::directory::RamDirectory;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Index, IndexReader, ReloadPolicy, Term};

use crate::skill::{Document, Skill, SkillError, uri};
use crate::text::analyzer::{analyze, search_analyzer};
use catalog::{Catalog, CorruptCatalog};
use schema::Fields;
use thesaurus::Thesaurus;

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
/// How much a match in a section's questions, symptoms and error names counts.
const QUESTIONS_BOOST: f32 = 2.0;
/// The weight of a term the thesaurus adds, relative to the query's own words.
const EXPANSION_WEIGHT: f32 = 0.5;
/// The weight of a number in a query (a count or a duration in a pasted message is rarely what
/// the section is about).
const NUMBER_WEIGHT: f32 = 0.3;
/// The weight of the package words of a pasted class name (`org.apache.kafka.common.errors`).
const PACKAGE_WEIGHT: f32 = 0.4;
/// The most distinct terms a query keeps (a pasted stack trace stays fast).
const MAX_QUERY_TERMS: usize = 40;
/// Where the positions of package words start, apart from the query's own words.
const PACKAGE_POSITIONS: usize = 1 << 20;
/// Where the positions of thesaurus terms start, apart from the query's own words.
const EXPANSION_POSITIONS: usize = 1 << 21;
/// Most hits a search returns.
pub const MAX_LIMIT: usize = 50;

/// Why the index could not be built, opened or searched.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A document could not be read while indexing.
    #[error(transparent)]
    Skill(#[from] SkillError),
    /// A stored catalog was refused.
    #[error(transparent)]
    Catalog(#[from] CorruptCatalog),
    /// A stored index does not match the documents it is for.
    #[error("the stored index does not match its documents: {0}")]
    Mismatch(String),
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

/// A term of a query, with its weight relative to the query's own words.
#[derive(Debug, Clone, PartialEq)]
struct QueryTerm {
    /// Its position: terms at consecutive positions are also searched as a phrase.
    position: usize,
    /// The analysed term.
    term: String,
    /// 1 for the query's own words, less for the ones weighted down or added.
    weight: f32,
}

/// Splits the package prefixes off the class names pasted in a query:
/// `org.apache.kafka.common.errors.TimeoutException: Expiring` becomes
/// (`TimeoutException: Expiring`, `org.apache.kafka.common.errors`). A package prefix is two or
/// more dotted lowercase words followed by a capitalised one.
fn split_packages(query: &str) -> (String, String) {
    let mut words = String::with_capacity(query.len());
    let mut packages = String::new();
    for (i, chunk) in query.split(' ').enumerate() {
        if i > 0 {
            words.push(' ');
        }
        let start = chunk.find(|c: char| c.is_ascii_alphanumeric()).unwrap_or(chunk.len());
        let body = &chunk[start..];
        let segments: Vec<&str> = body.split('.').collect();
        let prefix = segments
            .iter()
            .take_while(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .count();
        let next_is_class = segments
            .get(prefix)
            .is_some_and(|s| s.chars().next().is_some_and(|c| c.is_ascii_uppercase()));
        if prefix >= 2 && next_is_class {
            let cut: usize = segments[..prefix].iter().map(|s| s.len() + 1).sum();
            packages.push_str(&body[..cut - 1]);
            packages.push(' ');
            words.push_str(&chunk[..start]);
            words.push_str(&body[cut..]);
        } else {
            words.push_str(chunk);
        }
    }
    (words, packages)
}

/// The parsed documents an index was built from, which hits' snippets are cut from.
pub trait Documents {
    /// The document `name` of skill `skill`, parsed.
    fn document(&self, skill: &str, name: &str) -> Option<Arc<Document>>;
}

impl Documents for [&Skill] {
    fn document(&self, skill: &str, name: &str) -> Option<Arc<Document>> {
        self.iter().find(|s| s.name() == skill)?.document(name).ok()
    }
}

impl Documents for [Arc<Skill>] {
    fn document(&self, skill: &str, name: &str) -> Option<Arc<Document>> {
        self.iter().find(|s| s.name() == skill)?.document(name).ok()
    }
}

impl Documents for [(&str, Arc<Document>)] {
    fn document(&self, skill: &str, name: &str) -> Option<Arc<Document>> {
        self.iter()
            .find(|(s, d)| *s == skill && d.name == name)
            .map(|(_, d)| d.clone())
    }
}

/// Where an index came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IndexOrigin {
    /// Compiled into the binary (the embedded skill).
    Prebuilt,
    /// Opened from the on-disk cache.
    Cached,
    /// Built by this process (and written to the cache, when there is one).
    Built,
}

/// An index over the sections of some skills: in RAM, compiled in, or memory-mapped from disk.
pub struct SearchIndex {
    reader: IndexReader,
    index: Index,
    fields: Fields,
    catalog: Catalog,
    analyzer: TextAnalyzer,
    snippets: snippet::SnippetCache,
    thesaurus: Arc<Thesaurus>,
    build_time: Duration,
    origin: IndexOrigin,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("sections", &self.catalog.len())
            .field("terms", &self.catalog.vocabulary().len())
            .field("origin", &self.origin)
            .finish()
    }
}

/// A document to index: its skill's name, the document, and what its sections answer.
pub(crate) type SkillDocument = (String, Arc<Document>, Option<questions::DocumentQuestions>);

/// The documents of `skills` in index order, each with the entries of its skill's questions file
/// about it (a questions file that does not parse is left out with a warning; `validate` reports
/// it).
pub(crate) fn skill_documents(skills: &[&Skill]) -> Result<Vec<SkillDocument>, SearchError> {
    let mut documents = Vec::new();
    for skill in skills {
        let (files, errors) = questions::load(skill.files().entries());
        for error in errors {
            tracing::warn!("{error}; its questions are not indexed");
        }
        let mut by_document = questions::by_document(&files);
        for doc in skill.documents()? {
            let asked = by_document.remove(doc.path.as_str());
            documents.push((skill.name().to_string(), doc, asked));
        }
    }
    Ok(documents)
}

/// The documents of [`skill_documents`] as the index writer takes them.
pub(crate) fn to_indexed(documents: &[SkillDocument]) -> impl Iterator<Item = schema::IndexedDocument<'_>> {
    documents.iter().map(|(skill, doc, asked)| schema::IndexedDocument {
        skill,
        name: &doc.name,
        sections: &doc.markdown.sections,
        questions: asked.as_ref(),
    })
}

/// The thesauri of `skills`, analysed and encoded for the catalog, with why any was left out
/// (a thesaurus that does not parse is left out; `validate` reports it).
pub(crate) fn thesaurus_of(skills: &[&Skill]) -> String {
    let files: Vec<Option<Vec<u8>>> = skills
        .iter()
        .map(|skill| skill.files().read(thesaurus::THESAURUS_FILE).ok())
        .collect();
    let (thesaurus, errors) = Thesaurus::of_files(files.iter().map(Option::as_deref), &mut search_analyzer());
    thesaurus.encode(&errors)
}

/// Whether `catalog` lists exactly the documents of `skills`, in order.
pub fn catalog_matches(catalog: &Catalog, skills: &[&Skill]) -> bool {
    let mut expected = skills
        .iter()
        .flat_map(|s| s.document_names().map(move |(name, _)| (s.name(), name)));
    catalog
        .documents()
        .iter()
        .all(|d| expected.next() == Some((d.skill.as_str(), d.name.as_str())))
        && expected.next().is_none()
}

impl SearchIndex {
    /// Indexes every section of every document of `skills` in RAM.
    pub fn build(skills: &[&Skill]) -> Result<Self, SearchError> {
        let started = Instant::now();
        let documents = skill_documents(skills)?;
        let (index, catalog) =
            schema::write_index(RamDirectory::create(), to_indexed(&documents), 0, thesaurus_of(skills))?;
        Self::from_parts(index, catalog, IndexOrigin::Built, started)
    }

    /// Indexes the sections of `(skill name, document)` pairs in RAM (no questions, no thesaurus).
    pub fn build_from<'a>(documents: impl Iterator<Item = (&'a str, &'a Document)>) -> Result<Self, SearchError> {
        let started = Instant::now();
        let (index, catalog) = schema::write_index(
            RamDirectory::create(),
            documents.map(|(skill, doc)| schema::IndexedDocument {
                skill,
                name: &doc.name,
                sections: &doc.markdown.sections,
                questions: None,
            }),
            0,
            String::new(),
        )?;
        Self::from_parts(index, catalog, IndexOrigin::Built, started)
    }

    /// The embedded skill's index, compiled into the binary; `None` when `skills` is not the
    /// embedded skill alone (the files compiled in with the index, not other embedded files).
    pub fn prebuilt(skills: &[&Skill]) -> Option<Result<Self, SearchError>> {
        let started = Instant::now();
        let compiled_with_index = |skill: &Skill| {
            matches!(skill.files(), crate::skill::SkillFiles::Embedded(files)
                if std::ptr::eq(*files, crate::skill::files::EMBEDDED_FILES))
        };
        if !matches!(skills, [skill] if compiled_with_index(skill)) {
            return None;
        }
        let open = || -> Result<Self, SearchError> {
            let directory = embedded::StaticDirectory::new(embedded::files());
            let bytes = directory
                .file(std::path::Path::new(catalog::CATALOG_FILE))
                .ok_or_else(|| SearchError::Mismatch("the prebuilt index has no catalog".into()))?;
            // Both come from the same build; a test checks the catalog's source checksum
            // against the embedded files (reading them all here would cost every start), and a
            // failed match below means a build bug, not other files.
            let catalog = Catalog::open_compiled(bytes)?;
            if !catalog_matches(&catalog, skills) {
                return Err(SearchError::Mismatch(
                    "the prebuilt index lists other documents than the embedded skill".into(),
                ));
            }
            Self::from_parts(Index::open(directory)?, catalog, IndexOrigin::Prebuilt, started)
        };
        Some(open())
    }

    /// An index from its parts, checked against the schema; queries are expanded with the
    /// thesaurus the catalog keeps, and why a thesaurus was left out is logged.
    pub fn from_parts(
        index: Index,
        catalog: Catalog,
        origin: IndexOrigin,
        started: Instant,
    ) -> Result<Self, SearchError> {
        let fields =
            schema::fields_of(&index).ok_or_else(|| SearchError::Mismatch("the index has another schema".into()))?;
        schema::register_analyzer(&index);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        let searcher = reader.searcher();
        if searcher.num_docs() != catalog.len() as u64 {
            return Err(SearchError::Mismatch(format!(
                "{} index documents for {} catalog sections",
                searcher.num_docs(),
                catalog.len()
            )));
        }
        let (thesaurus, left_out) = catalog
            .thesaurus()
            .and_then(Thesaurus::decode)
            .ok_or_else(|| SearchError::Mismatch("the catalog's thesaurus is damaged".into()))?;
        for reason in left_out {
            tracing::warn!("{reason}; the thesaurus is not used");
        }
        Ok(Self {
            reader,
            index,
            fields,
            catalog,
            analyzer: search_analyzer(),
            snippets: snippet::SnippetCache::new(search_analyzer()),
            thesaurus: Arc::new(thesaurus),
            build_time: started.elapsed(),
            origin,
        })
    }

    /// How many sections are indexed.
    pub fn len(&self) -> usize {
        self.catalog.len()
    }

    /// Whether nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.catalog.is_empty()
    }

    /// How long building or opening the index took.
    pub fn build_time(&self) -> Duration {
        self.build_time
    }

    /// Where the index came from.
    pub fn origin(&self) -> &IndexOrigin {
        &self.origin
    }

    /// The catalog of indexed sections.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Searches. Any text is accepted; text with no searchable term finds nothing. Snippets are
    /// cut from the sections' text as the catalog keeps it: no document is read or parsed.
    pub fn search(&self, request: &SearchRequest<'_>) -> Result<SearchOutcome, SearchError> {
        let limit = request.limit.clamp(1, MAX_LIMIT);
        let (terms, corrections) = self.query_terms(request.query);
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
        let vocabulary = self.catalog.vocabulary();
        let term_ids: Vec<(u32, f32)> = terms
            .iter()
            .filter_map(|t| Some((vocabulary.id(&t.term)?, t.weight)))
            .collect();
        let total_weight: f32 = term_ids.iter().map(|(_, w)| w).sum::<f32>().max(f32::EPSILON);
        let share = |ids: catalog::TermIds<'_>| {
            term_ids
                .iter()
                .filter(|(id, _)| ids.contains(*id))
                .map(|(_, w)| w)
                .sum::<f32>()
                / total_weight
        };
        // Ordinals come from a fast field: no stored document is decompressed.
        let mut ordinals: Vec<Option<Column<u64>>> = vec![None; searcher.segment_readers().len()];
        let mut ranked = Vec::with_capacity(top.len());
        for (score, address) in top {
            let segment = address.segment_ord as usize;
            if ordinals[segment].is_none() {
                ordinals[segment] = Some(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .u64("ordinal")?,
                );
            }
            let Some(ordinal) = ordinals[segment].as_ref().and_then(|c| c.first(address.doc_id)) else {
                continue;
            };
            let Some(section) = self.catalog.section(ordinal as usize) else {
                continue;
            };
            let (coverage, heading_coverage) = (share(section.terms), share(section.heading_terms));
            let weight = (COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * coverage * coverage) * (1.0 + heading_coverage);
            ranked.push((score * weight, ordinal as usize));
        }
        // Highest score first; ties in document order, so results are deterministic.
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(limit);
        // The snippets mark the query's own words (all of them corpus terms), not the added ones.
        let mut snippet_terms: Vec<u32> = terms
            .iter()
            .filter(|t| t.weight >= 1.0)
            .filter_map(|t| vocabulary.id(&t.term))
            .collect();
        snippet_terms.sort_unstable();
        snippet_terms.dedup();
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, ordinal) in ranked {
            let Some(entry) = self.catalog.section(ordinal) else {
                continue;
            };
            let document = &self.catalog.documents()[entry.document as usize];
            let (Some(text), Some(code)) = (entry.text(), entry.code()) else {
                tracing::warn!(document = %document.name, section = %entry.slug, "a section's text is outside the catalog; hit left out");
                continue;
            };
            hits.push(Hit {
                skill: document.skill.clone(),
                document: document.name.clone(),
                section: entry.slug.to_string(),
                heading_path: entry.heading_path().map(str::to_string).collect(),
                uri: uri::section_uri(&document.skill, &document.name, entry.slug),
                score: (score * 1000.0).round() / 1000.0,
                snippet: self.snippets.snippet(ordinal, text, code, &snippet_terms, vocabulary),
            });
        }
        Ok(SearchOutcome {
            hits,
            total,
            corrections,
        })
    }

    /// The weighted terms of a query: its own words (typos corrected against the corpus, words
    /// the corpus lacks dropped, numbers and the package prefixes of pasted class names weighted
    /// down), then the meanings the thesaurus gives its phrases, weighted down.
    fn query_terms(&self, query: &str) -> (Vec<QueryTerm>, Vec<(String, String)>) {
        let mut analyzer = self.analyzer.clone();
        let vocabulary = self.catalog.vocabulary();
        let mut corrections = Vec::new();
        let mut terms: Vec<QueryTerm> = Vec::new();
        let (words, packages) = split_packages(query);
        // The query's words by position, each with its alternatives, for the thesaurus.
        let mut said: Vec<(usize, Vec<String>)> = Vec::new();
        for (text, base, weight) in [
            (words.as_str(), 0, 1.0),
            (packages.as_str(), PACKAGE_POSITIONS, PACKAGE_WEIGHT),
        ] {
            for term in analyze(&mut analyzer, text) {
                let position = base + term.position;
                if weight >= 1.0 {
                    match said.last_mut() {
                        Some((p, alternatives)) if *p == position => alternatives.push(term.term.clone()),
                        _ => said.push((position, vec![term.term.clone()])),
                    }
                }
                if term.term.chars().count() < 2 {
                    continue;
                }
                // Typo correction only for words the corpus does not have.
                let word = if vocabulary.contains(&term.term) {
                    term.term
                } else if let Some(corrected) = vocabulary.correct(&term.term) {
                    corrections.push((term.term, corrected.to_string()));
                    if let Some((_, alternatives)) = said.last_mut().filter(|_| weight >= 1.0) {
                        alternatives.push(corrected.to_string());
                    }
                    corrected.to_string()
                } else {
                    continue;
                };
                let weight = if word.bytes().all(|b| b.is_ascii_digit()) {
                    NUMBER_WEIGHT
                } else {
                    weight
                };
                if !terms.iter().any(|t| t.term == word) && terms.len() < MAX_QUERY_TERMS {
                    terms.push(QueryTerm {
                        position,
                        term: word,
                        weight,
                    });
                }
            }
        }
        if !self.thesaurus.is_empty() {
            let said: Vec<Vec<String>> = said.into_iter().map(|(_, a)| a).collect();
            let mut position = EXPANSION_POSITIONS;
            for meaning in self.thesaurus.expand(&said) {
                for term in meaning {
                    if vocabulary.contains(term) && !terms.iter().any(|t| t.term == *term) {
                        terms.push(QueryTerm {
                            position,
                            term: term.clone(),
                            weight: EXPANSION_WEIGHT,
                        });
                    }
                    position += 1;
                }
                // No phrase spans two meanings.
                position += 1;
            }
        }
        (terms, corrections)
    }

    fn build_query(&self, terms: &[QueryTerm], request: &SearchRequest<'_>) -> Box<dyn Query> {
        let f = &self.fields;
        let term_query = |field: Field, text: &str, boost: f32| -> (Occur, Box<dyn Query>) {
            let q = TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(q), boost)))
        };
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::with_capacity(terms.len() * 8);
        for t in terms {
            should.push(term_query(f.heading, &t.term, HEADING_BOOST * t.weight));
            should.push(term_query(f.parents, &t.term, PARENT_HEADINGS_BOOST * t.weight));
            should.push(term_query(f.body, &t.term, t.weight));
            should.push(term_query(f.code, &t.term, CODE_BOOST * t.weight));
            should.push(term_query(f.questions, &t.term, QUESTIONS_BOOST * t.weight));
        }
        for pair in terms.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if b.position != a.position + 1 {
                continue;
            }
            let weight = a.weight.min(b.weight);
            for (field, boost) in [
                (f.body, PHRASE_BOOST),
                (f.heading, PHRASE_BOOST * HEADING_BOOST),
                (f.questions, PHRASE_BOOST * QUESTIONS_BOOST),
            ] {
                let phrase = PhraseQuery::new(vec![
                    Term::from_field_text(field, &a.term),
                    Term::from_field_text(field, &b.term),
                ]);
                should.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(Box::new(phrase), boost * weight)),
                ));
            }
        }
        let mut must: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(BooleanQuery::new(should)))];
        if let Some(document) = request.document {
            let name = self.canonical_document(document);
            must.push((
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(f.document, name),
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
    fn canonical_document<'a>(&'a self, document: &'a str) -> &'a str {
        let wanted = document.trim().to_lowercase();
        let wanted = wanted.rsplit('/').next().unwrap_or(&wanted);
        let stem = wanted.trim_end_matches(".md");
        self.catalog
            .documents()
            .iter()
            .map(|d| d.name.as_str())
            .find(|d| d.to_lowercase() == wanted || d.to_lowercase().trim_end_matches(".md") == stem)
            .unwrap_or(document)
    }

    /// The names of the documents in the index, in index order, once each.
    pub fn document_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for d in self.catalog.documents() {
            if !names.contains(&d.name.as_str()) {
                names.push(&d.name);
            }
        }
        names
    }

    /// The tantivy index (for inspection in tests and benchmarks).
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }
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

    const QUERIES: [&str; 8] = [
        "consumer lag",
        "exactly once kafka transactions",
        "watermark late data",
        "snowpipe streaming offset token",
        "idempotant consumer",
        "checkpiont alignment backpressure",
        "dynamic tables target lag",
        "schema registry compatibility",
    ];

    #[test]
    fn the_prebuilt_index_is_the_one_the_server_would_build() {
        let skill = Skill::embedded().unwrap();
        let skills = [&skill];
        let prebuilt = SearchIndex::prebuilt(&skills).expect("the embedded skill").unwrap();
        assert_eq!(prebuilt.origin(), &IndexOrigin::Prebuilt);
        let built = SearchIndex::build(&skills).unwrap();
        let (a, b) = (prebuilt.catalog(), built.catalog());
        assert_eq!(a.documents(), b.documents());
        // The same sections, terms and vocabulary: the same bytes after the header's source
        // checksum (an index built in RAM has none).
        let (a_bytes, b_bytes) = (a.bytes(), b.bytes());
        assert_eq!(a_bytes[16..a_bytes.len() - 4], b_bytes[16..b_bytes.len() - 4]);
        assert_eq!(a.len(), a.sections().count());
        // The prebuilt index was built from exactly the embedded files.
        assert_eq!(a.source_checksum(), catalog::source_checksum(skill.files().entries()));
        // Every section of the catalog is where it says, in the document the server loads,
        // with the text the server parses there.
        for entry in a.sections() {
            let document = &a.documents()[entry.document as usize];
            let doc = skill.document(&document.name).unwrap();
            let section = doc.markdown.sections.get(entry.position as usize);
            let section = section.filter(|s| s.slug == entry.slug);
            let section = section.unwrap_or_else(|| panic!("{} {}", document.name, entry.slug));
            assert_eq!(
                (entry.text(), entry.code()),
                (Some(section.text.as_str()), Some(section.code.as_str()))
            );
        }
        for query in QUERIES {
            let request = SearchRequest {
                query,
                limit: 10,
                ..Default::default()
            };
            let from_prebuilt = prebuilt.search(&request).unwrap();
            assert_eq!(from_prebuilt, built.search(&request).unwrap(), "{query}");
            assert!(!from_prebuilt.hits.is_empty(), "{query}");
            for hit in from_prebuilt.hits {
                let doc = skill.document(&hit.document).unwrap();
                let (_, section) = doc.find_section(&hit.section).unwrap();
                assert_eq!(section.heading_path, hit.heading_path);
            }
        }
    }

    #[test]
    fn a_changed_document_changes_the_index() {
        // The embedded files with one reference changed: the prebuilt index is refused for them,
        // and the index built instead has the change.
        let files: Vec<crate::skill::files::EmbeddedFile> = crate::skill::files::EMBEDDED_FILES
            .iter()
            .map(|&crate::skill::files::EmbeddedFile { path, bytes }| {
                let bytes: &'static [u8] = if path == "references/kafka-deep-dive.md" {
                    let mut changed = bytes.to_vec();
                    changed.extend_from_slice(b"\n\n## Quokkasaurus retention\n\nA made-up word to find.\n");
                    Box::leak(changed.into_boxed_slice())
                } else {
                    bytes
                };
                crate::skill::files::EmbeddedFile { path, bytes }
            })
            .collect();
        let files: &'static [crate::skill::files::EmbeddedFile] = Box::leak(files.into_boxed_slice());
        let changed = Skill::load(crate::skill::SkillFiles::Embedded(files)).unwrap();
        let skills = [&changed];
        assert!(SearchIndex::prebuilt(&skills).is_none());
        let index = cache::open(&skills, &cache::IndexCache::Off).unwrap();
        assert_eq!(index.origin(), &IndexOrigin::Built);
        let original = Skill::embedded().unwrap();
        let prebuilt = SearchIndex::prebuilt(&[&original]).unwrap().unwrap();
        assert_eq!(index.len(), prebuilt.len() + 1);
        let outcome = index
            .search(&SearchRequest {
                query: "quokkasaurus",
                limit: 3,
                ..Default::default()
            })
            .unwrap();
        assert_eq!(outcome.hits[0].section, "quokkasaurus-retention");
        let outcome = prebuilt
            .search(&SearchRequest {
                query: "quokkasaurus",
                limit: 3,
                ..Default::default()
            })
            .unwrap();
        assert!(outcome.hits.is_empty());
    }
}
