//! Snippets: the passage of a hit's prose (else of its code) that holds the most query terms,
//! with those terms in `**bold**`. A section's text is analysed once, the first time it is a hit,
//! and its tokens are kept as offsets and vocabulary ids, so later calls only scan them instead
//! of running the analyzer (and its stemmer) over the whole section again. At most
//! [`CACHED_SECTIONS`] sections are kept; past that the cache starts over.
//!
//! The passage is chosen as tantivy's `SnippetGenerator` chooses it, on the same tokens: tokens
//! are gathered into fragments of at most [`SNIPPET_CHARS`] bytes, each fragment scores one per
//! query-term token, and the best fragment (the first of equals) is the snippet.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use tantivy::tokenizer::TextAnalyzer;

use super::catalog::Terms;

/// Longest snippet, in bytes of the section's text (tantivy's unit).
const SNIPPET_CHARS: usize = 220;
/// The most sections whose tokens are kept.
const CACHED_SECTIONS: usize = 1024;
/// The id of a token that is no vocabulary term (it can match no query term).
const NOT_A_TERM: u32 = u32::MAX;

/// A token of a section: where it is and which vocabulary term it is.
#[derive(Debug, Clone, Copy)]
struct Token {
    from: u32,
    to: u32,
    id: u32,
}

/// The tokens of a section's prose and code, with the lengths they were cut from.
#[derive(Debug)]
struct SectionTokens {
    text_len: usize,
    code_len: usize,
    text: Box<[Token]>,
    code: Box<[Token]>,
}

/// The tokens of the sections that were hits, by ordinal.
pub(super) struct SnippetCache {
    analyzer: TextAnalyzer,
    sections: Mutex<HashMap<usize, Arc<SectionTokens>>>,
}

impl SnippetCache {
    /// An empty cache whose tokens come from `analyzer` (the index's search analyzer).
    pub(super) fn new(analyzer: TextAnalyzer) -> Self {
        Self {
            analyzer,
            sections: Mutex::new(HashMap::new()),
        }
    }

    /// The snippet of the section with ordinal `ordinal`, whose prose is `text` and code `code`,
    /// for the query terms `ids` (vocabulary ids, sorted): the best passage of its prose, else
    /// of its code, else its opening words.
    pub(super) fn snippet(&self, ordinal: usize, text: &str, code: &str, ids: &[u32], vocabulary: Terms<'_>) -> String {
        let tokens = self.tokens(ordinal, text, code, vocabulary);
        if let Some(snippet) = best_fragment(text, &tokens.text, ids) {
            return snippet;
        }
        if let Some(snippet) = best_fragment(code, &tokens.code, ids) {
            return snippet.split_whitespace().collect::<Vec<_>>().join(" ");
        }
        let text = if text.is_empty() { code } else { text };
        let mut end = text.len().min(SNIPPET_CHARS);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let cut = text[..end].rfind(' ').filter(|_| end < text.len()).unwrap_or(end);
        let ellipsis = if cut < text.len() { "…" } else { "" };
        format!("{}{ellipsis}", text[..cut].trim())
    }

    /// The section's tokens, from the cache or analysed now.
    fn tokens(&self, ordinal: usize, text: &str, code: &str, vocabulary: Terms<'_>) -> Arc<SectionTokens> {
        let fits = |t: &SectionTokens| t.text_len == text.len() && t.code_len == code.len();
        if let Some(tokens) = self.lock().get(&ordinal).filter(|t| fits(t)) {
            return tokens.clone();
        }
        let mut analyzer = self.analyzer.clone();
        let tokens = Arc::new(SectionTokens {
            text_len: text.len(),
            code_len: code.len(),
            text: tokenize(&mut analyzer, text, vocabulary),
            code: tokenize(&mut analyzer, code, vocabulary),
        });
        let mut sections = self.lock();
        if sections.len() >= CACHED_SECTIONS {
            sections.clear();
        }
        sections.insert(ordinal, tokens.clone());
        tokens
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<usize, Arc<SectionTokens>>> {
        // The map holds no invariant a panic could break half way.
        self.sections.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The tokens of `text`, each with the id of its lowercased text (as tantivy's snippets match
/// query terms).
fn tokenize(analyzer: &mut TextAnalyzer, text: &str, vocabulary: Terms<'_>) -> Box<[Token]> {
    let mut tokens = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(token) = stream.next() {
        let id = vocabulary.id(&token.text.to_lowercase()).unwrap_or(NOT_A_TERM);
        tokens.push(Token {
            from: token.offset_from as u32,
            to: token.offset_to as u32,
            id,
        });
    }
    tokens.into_boxed_slice()
}

/// A fragment being gathered.
struct Fragment {
    score: usize,
    start: usize,
    stop: usize,
    highlighted: Vec<Range<usize>>,
}

impl Fragment {
    fn at(start: usize) -> Self {
        Self {
            score: 0,
            start,
            stop: start,
            highlighted: Vec::new(),
        }
    }
}

/// The marked passage of `text` with the most query-term tokens, if any token is one.
fn best_fragment(text: &str, tokens: &[Token], ids: &[u32]) -> Option<String> {
    let mut best: Option<Fragment> = None;
    let mut keep = |fragment: Fragment| {
        if fragment.score > 0 && best.as_ref().is_none_or(|b| fragment.score > b.score) {
            best = Some(fragment);
        }
    };
    let mut fragment = Fragment::at(0);
    for token in tokens {
        let (from, to) = (token.from as usize, token.to as usize);
        if to - fragment.start > SNIPPET_CHARS {
            keep(std::mem::replace(&mut fragment, Fragment::at(from)));
        }
        fragment.stop = to;
        if ids.binary_search(&token.id).is_ok() {
            fragment.score += 1;
            fragment.highlighted.push(from - fragment.start..to - fragment.start);
        }
    }
    keep(fragment);
    let best = best?;
    Some(mark(text.get(best.start..best.stop)?, &best.highlighted))
}

/// Wraps the highlighted ranges of `fragment` in `**`.
/// Ranges that overlap (an identifier's whole form and its parts) are merged first.
fn mark(fragment: &str, highlighted: &[Range<usize>]) -> String {
    let mut ranges: Vec<Range<usize>> = highlighted.to_vec();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    let mut out = String::with_capacity(fragment.len() + merged.len() * 4);
    let mut last = 0;
    for range in &merged {
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
    use std::collections::BTreeMap;

    use tantivy::snippet::SnippetGenerator;

    use super::*;
    use crate::search::SearchIndex;
    use crate::skill::Skill;
    use crate::text::analyzer::{analyze, search_analyzer};

    /// Every section of the embedded skill, for several queries: the passage chosen from the
    /// cached tokens is the one tantivy's snippet generator chooses from the text.
    #[test]
    fn the_same_passages_as_tantivys_snippets() {
        let skill = Skill::embedded().unwrap();
        let index = SearchIndex::prebuilt(&[&skill]).unwrap().unwrap();
        let vocabulary = index.catalog().vocabulary();
        let mut analyzer = search_analyzer();
        let field = crate::search::schema::schema().1.body;
        let mut compared = 0;
        for query in [
            "consumer lag",
            "exactly once kafka transactions",
            "watermark late data",
            "checkpoint barrier alignment",
            "schema registry compatibility",
            "snowpipe streaming offset token",
        ] {
            let terms: Vec<String> = analyze(&mut analyzer, query).into_iter().map(|t| t.term).collect();
            let mut ids: Vec<u32> = terms.iter().filter_map(|t| vocabulary.id(t)).collect();
            ids.sort_unstable();
            let generator = SnippetGenerator::new(
                terms.iter().map(|t| (t.clone(), 1.0)).collect::<BTreeMap<_, _>>(),
                search_analyzer(),
                field,
                SNIPPET_CHARS,
            );
            for doc in skill.documents().unwrap() {
                for section in &doc.markdown.sections {
                    for text in [&section.text, &section.code] {
                        let snippet = generator.snippet(text);
                        let expected = (!snippet.highlighted().is_empty())
                            .then(|| mark(snippet.fragment(), snippet.highlighted()));
                        let tokens = tokenize(&mut analyzer, text, vocabulary);
                        assert_eq!(
                            best_fragment(text, &tokens, &ids),
                            expected,
                            "{query}: {}",
                            section.slug
                        );
                        compared += usize::from(expected.is_some());
                    }
                }
            }
        }
        assert!(compared > 100, "only {compared} passages compared");
    }

    #[test]
    fn the_cache_is_bounded_and_notices_a_changed_section() {
        let skill = Skill::embedded().unwrap();
        let index = SearchIndex::prebuilt(&[&skill]).unwrap().unwrap();
        let vocabulary = index.catalog().vocabulary();
        let cache = SnippetCache::new(search_analyzer());
        let doc = skill.document("SKILL.md").unwrap();
        let section = doc.markdown.sections.iter().find(|s| !s.text.is_empty()).unwrap();
        for ordinal in 0..CACHED_SECTIONS + 5 {
            cache.snippet(ordinal, &section.text, &section.code, &[], vocabulary);
        }
        assert!(cache.lock().len() <= CACHED_SECTIONS);
        // The same ordinal with another text is analysed again, not served stale offsets.
        let lag = vocabulary.id("lag").unwrap();
        let last = CACHED_SECTIONS + 4;
        assert!(cache.lock().contains_key(&last));
        assert_eq!(
            cache.snippet(last, "Consumer lag grows.", &section.code, &[lag], vocabulary),
            "Consumer **lag** grows"
        );
    }
}
