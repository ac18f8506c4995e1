//! Evaluating search against a labelled set: JSON lines of
//! `{"query", "expect_doc", "answer_terms": [...]}` (an optional `split` groups the cases). A hit
//! answers a case when it is in the expected document and the section it points at contains
//! every answer term (ignoring case), in its own text: from its heading to the next heading of
//! any level, heading included. The figures are hit@1, recall@3 and MRR over the top ten.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Documents, Hit, SearchError, SearchIndex, SearchRequest};

/// How many hits are ranked for each case (the depth of the MRR).
pub const DEPTH: usize = 10;

/// One labelled query.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The query, as a user would type or paste it.
    pub query: String,
    /// The document that answers it: a name as the server lists it (`kafka-deep-dive`,
    /// `SKILL`), or a path (`references/kafka-deep-dive.md`).
    pub expect_doc: String,
    /// Words the answering section contains, which tell it from its neighbours.
    #[serde(default)]
    pub answer_terms: Vec<String>,
    /// The group the case belongs to (e.g. `tune` or `holdout`).
    #[serde(default)]
    pub split: Option<String>,
}

pub use crate::labelled::CaseError;

/// Parses JSON lines; blank lines and lines starting with `//` are skipped. A case with an empty
/// query or document is refused.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, CaseError> {
    crate::labelled::parse_lines(text, |case: &Case| {
        if case.query.trim().is_empty() {
            return Err("the query is empty".into());
        }
        if document_key(&case.expect_doc).is_empty() {
            return Err("expect_doc is empty".into());
        }
        Ok(())
    })
}

/// A document name or path reduced to what names compare by: the file stem, lowercase
/// (`references/Kafka-Deep-Dive.md` and `kafka-deep-dive` are the same; so are `SKILL.md` and
/// `SKILL`).
pub fn document_key(name: &str) -> String {
    let name = name.trim().rsplit(['/', '\\']).next().unwrap_or_default();
    let name = name.strip_suffix(".md").unwrap_or(name);
    name.to_lowercase()
}

/// Hits, recall and reciprocal rank summed over some cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Cases.
    pub cases: usize,
    /// Cases answered by the first hit.
    pub first: usize,
    /// Cases answered within the first three hits.
    pub top3: usize,
    /// first / cases.
    pub hit_at_1: f64,
    /// top3 / cases.
    pub recall_at_3: f64,
    /// Mean of 1 / rank of the first answering hit (0 when none of the top ten answers).
    pub mrr: f64,
}

impl Figures {
    fn add(&mut self, rank: Option<usize>) {
        self.cases += 1;
        self.first += usize::from(rank == Some(1));
        self.top3 += usize::from(rank.is_some_and(|r| r <= 3));
        // The sum of reciprocal ranks until `finish` divides it.
        self.mrr += rank.map_or(0.0, |r| 1.0 / r as f64);
    }

    fn finish(&mut self) {
        let n = self.cases.max(1) as f64;
        self.hit_at_1 = self.first as f64 / n;
        self.recall_at_3 = self.top3 as f64 / n;
        self.mrr /= n;
    }
}

/// A case whose answer was not first.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The query.
    pub query: String,
    /// The expected document.
    pub expect_doc: String,
    /// The answer terms.
    pub answer_terms: Vec<String>,
    /// The rank of the first answering hit, if one is in the top ten.
    pub rank: Option<usize>,
    /// What came first (`document#section`), if anything.
    pub first: Option<String>,
}

/// The figures of a labelled set.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Over every case.
    pub overall: Figures,
    /// Per expected document.
    pub per_document: BTreeMap<String, Figures>,
    /// Per split, when cases name one.
    pub per_split: BTreeMap<String, Figures>,
    /// Expected documents no document of the index matches (every such case misses).
    pub unknown_documents: Vec<String>,
    /// Every case whose answer was not the first hit.
    pub misses: Vec<Miss>,
}

/// Whether `hit` answers `case`: the expected document, and a section whose own text has every
/// answer term.
pub fn answers<D: Documents + ?Sized>(hit: &Hit, case: &Case, documents: &D) -> bool {
    if document_key(&hit.document) != document_key(&case.expect_doc) {
        return false;
    }
    let Some(doc) = documents.document(&hit.skill, &hit.document) else {
        return false;
    };
    let Some(index) = doc.markdown.sections.iter().position(|s| s.slug == hit.section) else {
        return false;
    };
    let section = &doc.markdown.sections[index];
    let source = doc.section_own_markdown(index).to_lowercase();
    let plain = format!("{}\n{}\n{}", section.heading, section.text, section.code).to_lowercase();
    case.answer_terms.iter().all(|term| {
        let term = term.trim().to_lowercase();
        source.contains(&term) || plain.contains(&term)
    })
}

/// Searches every case with `index` (top [`DEPTH`]) and scores the hits; `documents` are the
/// documents the index was built from.
pub fn evaluate<D: Documents + ?Sized>(
    index: &SearchIndex,
    documents: &D,
    cases: &[Case],
) -> Result<Report, SearchError> {
    let known: Vec<String> = index.document_names().iter().map(|n| document_key(n)).collect();
    let mut overall = Figures::default();
    let mut per_document: BTreeMap<String, Figures> = BTreeMap::new();
    let mut per_split: BTreeMap<String, Figures> = BTreeMap::new();
    let mut unknown_documents: Vec<String> = Vec::new();
    let mut misses = Vec::new();
    for case in cases {
        let key = document_key(&case.expect_doc);
        if !known.contains(&key) && !unknown_documents.contains(&case.expect_doc) {
            unknown_documents.push(case.expect_doc.clone());
        }
        let outcome = index.search(&SearchRequest {
            query: &case.query,
            limit: DEPTH,
            ..Default::default()
        })?;
        let rank = outcome
            .hits
            .iter()
            .position(|hit| answers(hit, case, documents))
            .map(|i| i + 1);
        overall.add(rank);
        per_document.entry(key).or_default().add(rank);
        if let Some(split) = &case.split {
            per_split.entry(split.clone()).or_default().add(rank);
        }
        if rank != Some(1) {
            misses.push(Miss {
                query: case.query.clone(),
                expect_doc: case.expect_doc.clone(),
                answer_terms: case.answer_terms.clone(),
                rank,
                first: outcome.hits.first().map(|h| format!("{}#{}", h.document, h.section)),
            });
        }
    }
    overall.finish();
    for figures in per_document.values_mut().chain(per_split.values_mut()) {
        figures.finish();
    }
    Ok(Report {
        overall,
        per_document,
        per_split,
        unknown_documents,
        misses,
    })
}

impl std::fmt::Display for Figures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "hit@1 {:.2} ({}/{}), recall@3 {:.2} ({}/{}), MRR {:.3}",
            self.hit_at_1, self.first, self.cases, self.recall_at_3, self.top3, self.cases, self.mrr
        )
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "{} cases: {}", self.overall.cases, self.overall)?;
        for (split, figures) in &self.per_split {
            writeln!(f, "  split {split}: {figures}")?;
        }
        writeln!(f, "per document:")?;
        let width = self.per_document.keys().map(String::len).max().unwrap_or(0);
        for (document, figures) in &self.per_document {
            writeln!(f, "  {document:<width$}  {figures}")?;
        }
        for document in &self.unknown_documents {
            writeln!(f, "unknown document: {document} (no loaded document has that name)")?;
        }
        for miss in &self.misses {
            let rank = miss
                .rank
                .map_or_else(|| "not in the top 10".to_string(), |r| format!("rank {r}"));
            writeln!(
                f,
                "miss ({rank}): {:?} expected {} [{}], first {}",
                miss.query,
                miss.expect_doc,
                miss.answer_terms.join(", "),
                miss.first.as_deref().unwrap_or("nothing")
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::skill::Document;

    #[test]
    fn parses_and_reports_errors_with_line() {
        let cases =
            parse_cases("{\"query\": \"a\", \"expect_doc\": \"SKILL\", \"answer_terms\": [\"x\"]}\n\n// note\n")
                .unwrap();
        assert_eq!(cases.len(), 1);
        let err = parse_cases("{\"query\": \"a\", \"expect_doc\": \"b\"}\n{oops\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse_cases("\n{\"query\": \" \", \"expect_doc\": \"b\"}\n").unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (2, "the query is empty"));
        let err = parse_cases("{\"query\": \"q\", \"expect\": \"b\"}\n").unwrap_err();
        assert_eq!(err.line, 1);
    }

    #[test]
    fn document_names_and_paths_compare_equal() {
        assert_eq!(document_key("references/Kafka-Deep-Dive.md"), "kafka-deep-dive");
        assert_eq!(document_key("SKILL.md"), document_key("SKILL"));
    }

    #[test]
    fn figures_count_the_section_that_holds_the_terms() {
        let a = Document::parse(
            "references/a.md",
            "a",
            b"# Alpha\n\nIntro about lag.\n\n## Consumer lag\n\nLag grows when consumers fall behind.\n\n### Measuring\n\nrecords-lag-max in time.\n".to_vec(),
        )
        .unwrap();
        let index = SearchIndex::build_from([("s", &a)].into_iter()).unwrap();
        let documents = vec![("s", Arc::new(a))];
        let cases = parse_cases(concat!(
            "{\"query\": \"consumer lag\", \"expect_doc\": \"references/a.md\", \"answer_terms\": [\"FALL BEHIND\"]}\n",
            "{\"query\": \"consumer lag\", \"expect_doc\": \"a\", \"answer_terms\": [\"records-lag-max\"], \"split\": \"tune\"}\n",
            "{\"query\": \"consumer lag\", \"expect_doc\": \"b\", \"answer_terms\": []}\n",
        ))
        .unwrap();
        let report = evaluate(&index, documents.as_slice(), &cases).unwrap();
        assert_eq!(report.overall.cases, 3);
        assert_eq!(report.overall.first, 1);
        // The subsection with records-lag-max is ranked, but not first.
        let rank = report.misses[0].rank.unwrap();
        assert!(rank > 1);
        assert_eq!(report.misses[0].first.as_deref(), Some("a#consumer-lag"));
        assert_eq!(report.misses[1].rank, None);
        assert_eq!(report.unknown_documents, ["b"]);
        assert_eq!(report.per_document["a"].cases, 2);
        assert_eq!(report.per_split["tune"].cases, 1);
        assert!((report.overall.mrr - (1.0 + 1.0 / rank as f64) / 3.0).abs() < 1e-9);
        let text = report.to_string();
        assert!(text.starts_with("3 cases: hit@1 0.33 (1/3)"), "{text}");
    }
}
