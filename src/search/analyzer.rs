//! The text analysis shared by indexing and querying: split on non-alphanumerics, lowercase,
//! drop English stop words and very long tokens, then apply the English (Porter2) stemmer.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer, TokenStream,
};

/// The name the analyzer is registered under in the index.
pub const ANALYZER_NAME: &str = "en_stem_stop";

/// Builds the analyzer.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("tantivy ships English stop words"))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// A term of analysed text with its position (stop words leave gaps in positions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedTerm {
    /// Token position in the text.
    pub position: usize,
    /// The stemmed, lowercased term.
    pub term: String,
}

/// Runs `text` through `analyzer`.
pub fn analyze(analyzer: &mut TextAnalyzer, text: &str) -> Vec<AnalyzedTerm> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let token = stream.token();
        out.push(AnalyzedTerm {
            position: token.position,
            term: token.text.clone(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_drops_stop_words() {
        let terms: Vec<_> = analyze(&mut analyzer(), "The watermarking of idempotent consumers")
            .into_iter()
            .map(|t| t.term)
            .collect();
        assert_eq!(terms, ["watermark", "idempot", "consum"]);
    }
}
