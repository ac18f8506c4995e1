//! The analyzers that turn text into words. Both split text into runs of letters and digits,
//! and split a run where the script changes (so "Kafkaのラグ" yields "Kafka" and "のラグ", while
//! "Verzögerung" stays one word); both lowercase and apply the English (Porter2) stemmer.
//!
//! - [`search_analyzer`], shared by indexing and querying: identifiers both whole and split into
//!   their parts (see [`IdentifierTokenizer`]), without English stop words and very long tokens.
//! - [`WordReader`], for routing: keeps stop words (cues such as "run every" need them), splits a
//!   number from the unit after it ("10s", "5min"), and gives each [`Word`] with its raw form.
//! - [`plain_words`]: the lowercased runs alone, for word lists that need no stemming.

use std::collections::HashSet;
use std::sync::Arc;

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};

use super::word::{Word, latin};

/// Builds the search analyzer (its terms are what the index holds: a change to them needs a new
/// `INDEX_VERSION` in `search::schema`).
pub fn search_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(IdentifierTokenizer)
        .filter(RemoveLongFilter::limit(48))
        .filter(LowerCaser)
        .filter(StopWordFilter::new(Language::English).expect("tantivy ships English stop words"))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// Splits text into words at anything that is not a letter or a digit, and at a change between
/// Latin and other scripts (so "Kafkaのラグ" yields "Kafka"). Identifiers are kept whole and
/// split into their words, so both spellings meet:
///
/// - `max.poll.interval.ms`, `max_poll_interval_ms` and `maxPollIntervalMs` all yield `max`,
///   `poll`, `interval`, `ms` and the joined `maxpollintervalms`;
/// - `CooperativeStickyAssignor` yields `Cooperative`, `Sticky`, `Assignor` and the whole name;
/// - `org.apache.kafka.common.errors.TimeoutException` yields every part, `TimeoutException`
///   whole, and the whole path joined.
///
/// A whole form takes the position of its first part, so phrases over the parts still match.
/// Dots and underscores join parts only between two letters or digits, and never between two
/// numbers (`1.5` is two numbers, not an identifier).
#[derive(Clone, Copy, Debug, Default)]
pub struct IdentifierTokenizer;

impl Tokenizer for IdentifierTokenizer {
    type TokenStream<'a> = TokenList;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenList {
        TokenList {
            tokens: identifier_tokens(text),
            next: 0,
        }
    }
}

/// Splits text into the runs of [`IdentifierTokenizer`], each a word, and splits a number from
/// the unit after it: "under 10s, s3" yields `under`, `10`, `s`, `s3`.
#[derive(Clone, Copy, Debug, Default)]
pub struct WordTokenizer;

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = TokenList;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> TokenList {
        TokenList {
            tokens: word_tokens(text),
            next: 0,
        }
    }
}

/// The tokens of one text, computed when the stream is made.
pub struct TokenList {
    tokens: Vec<Token>,
    next: usize,
}

impl TokenStream for TokenList {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The byte ranges of the runs of letters and digits in `text`, split where the script changes.
fn runs(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in text.char_indices() {
        match (start, c.is_alphanumeric()) {
            (Some((s, script)), true) if script != latin(c) => {
                out.push(s..i);
                start = Some((i, latin(c)));
            }
            (Some(_), true) => {}
            (None, true) => start = Some((i, latin(c))),
            (Some((s, _)), false) => {
                out.push(s..i);
                start = None;
            }
            (None, false) => {}
        }
    }
    if let Some((s, _)) = start {
        out.push(s..text.len());
    }
    out
}

/// Splits a run of letters and digits at case changes: `withWatermark` -> `with`, `Watermark`;
/// `HTTPServer` -> `HTTP`, `Server`; a plural acronym (`ACLs`) stays one word.
fn camel_parts(text: &str, base: usize, out: &mut Vec<std::ops::Range<usize>>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut start = 0;
    for k in 1..chars.len() {
        let (prev, cur) = (chars[k - 1].1, chars[k].1);
        let lower_to_upper = prev.is_lowercase() && cur.is_uppercase();
        let acronym_end = prev.is_uppercase()
            && cur.is_uppercase()
            && chars.get(k + 1).is_some_and(|(_, next)| next.is_lowercase())
            && !plural_tail(&chars[k + 1..]);
        if lower_to_upper || acronym_end {
            let at = chars[k].0;
            out.push(base + chars[start].0..base + at);
            start = k;
        }
    }
    out.push(base + chars[start].0..base + text.len());
}

/// Whether the lowercase letters from here are just a plural `s` ending the word.
fn plural_tail(rest: &[(usize, char)]) -> bool {
    matches!(rest, [(_, 's')]) || matches!(rest, [(_, 's'), (_, c), ..] if !c.is_lowercase())
}

/// The tokens of `text`: see [`IdentifierTokenizer`].
fn identifier_tokens(text: &str) -> Vec<Token> {
    let runs = runs(text);
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut position = 0usize;
    let mut i = 0;
    while i < runs.len() {
        // An identifier: runs joined by a single `.` or `_`, not two numbers in a row.
        let mut j = i;
        while j + 1 < runs.len()
            && runs[j + 1].start == runs[j].end + 1
            && matches!(bytes[runs[j].end], b'.' | b'_')
            && !(is_number(&text[runs[j].clone()]) && is_number(&text[runs[j + 1].clone()]))
        {
            j += 1;
        }
        let segments = &runs[i..=j];
        let mut parts_of: Vec<Vec<std::ops::Range<usize>>> = Vec::with_capacity(segments.len());
        for segment in segments {
            let mut parts = Vec::new();
            camel_parts(&text[segment.clone()], segment.start, &mut parts);
            parts_of.push(parts);
        }
        let total: usize = parts_of.iter().map(Vec::len).sum();
        let whole = |range: std::ops::Range<usize>, parts: &[Vec<std::ops::Range<usize>>]| -> String {
            parts
                .iter()
                .flatten()
                .fold(String::with_capacity(range.len()), |mut s, p| {
                    s.push_str(&text[p.clone()]);
                    s
                })
        };
        if total > 1 {
            let range = segments[0].start..segments[segments.len() - 1].end;
            tokens.push(token(range.clone(), position, whole(range, &parts_of)));
        }
        for (segment, parts) in segments.iter().zip(&parts_of) {
            if parts.len() > 1 && segments.len() > 1 {
                tokens.push(token(
                    segment.clone(),
                    position,
                    whole(segment.clone(), std::slice::from_ref(parts)),
                ));
            }
            for part in parts {
                tokens.push(token(part.clone(), position, text[part.clone()].to_string()));
                position += 1;
            }
        }
        i = j + 1;
    }
    tokens
}

/// The tokens of `text`: see [`WordTokenizer`].
fn word_tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    for run in runs(text) {
        let bytes = &text.as_bytes()[run.clone()];
        let mut start = run.start;
        for i in 1..bytes.len() {
            if bytes[i - 1].is_ascii_digit() && bytes[i].is_ascii_alphabetic() {
                let at = run.start + i;
                tokens.push(token(start..at, tokens.len(), text[start..at].to_string()));
                start = at;
            }
        }
        tokens.push(token(start..run.end, tokens.len(), text[start..run.end].to_string()));
    }
    tokens
}

/// The lowercased runs of letters and digits of `text`, split where the script changes.
pub fn plain_words(text: &str) -> Vec<String> {
    runs(text).into_iter().map(|r| text[r].to_lowercase()).collect()
}

fn is_number(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit())
}

fn token(range: std::ops::Range<usize>, position: usize, text: String) -> Token {
    Token {
        offset_from: range.start,
        offset_to: range.end,
        position,
        text,
        position_length: 1,
    }
}

/// A term of analysed text with its position (stop words leave gaps in positions; the whole
/// form of an identifier shares its first part's position).
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

/// Reads text into stemmed words, keeping stop words: see [`WordTokenizer`]. The words of all
/// texts one reader reads share their strings: each distinct stem or raw form is stored once.
pub struct WordReader {
    analyzer: TextAnalyzer,
    forms: HashSet<Arc<str>>,
}

impl Default for WordReader {
    fn default() -> Self {
        Self {
            analyzer: TextAnalyzer::builder(WordTokenizer)
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
            forms: HashSet::new(),
        }
    }
}

/// The stored form equal to `text`, stored now if it is new.
fn shared_form(forms: &mut HashSet<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(form) = forms.get(text) {
        return form.clone();
    }
    let form: Arc<str> = Arc::from(text);
    forms.insert(form.clone());
    form
}

impl WordReader {
    /// The words of `text`, each stemmed and with the lowercased form it was written in.
    pub fn words(&mut self, text: &str) -> Vec<Word> {
        let mut stream = self.analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            let raw = text[token.offset_from..token.offset_to].to_lowercase();
            out.push(Word::new(
                shared_form(&mut self.forms, &token.text),
                shared_form(&mut self.forms, &raw),
            ));
        }
        out.shrink_to_fit();
        out
    }

    /// The stems of the words of `text`.
    pub fn stems(&mut self, text: &str) -> Vec<String> {
        let mut stream = self.analyzer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(std::mem::take(&mut stream.token_mut().text));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(&mut search_analyzer(), text)
            .into_iter()
            .map(|t| t.term)
            .collect()
    }

    fn raw(text: &str) -> Vec<(usize, String)> {
        identifier_tokens(text)
            .into_iter()
            .map(|t| (t.position, t.text))
            .collect()
    }

    #[test]
    fn stems_and_drops_stop_words() {
        assert_eq!(
            terms("The watermarking of idempotent consumers"),
            ["watermark", "idempot", "consum"]
        );
    }

    #[test]
    fn identifiers_are_kept_whole_and_split() {
        let config = ["maxpollintervalm", "max", "poll", "interval", "ms"];
        assert_eq!(terms("max.poll.interval.ms"), config);
        assert_eq!(terms("max_poll_interval_ms"), config);
        assert_eq!(terms("maxPollIntervalMs"), config);
        assert_eq!(terms("withWatermark"), ["withwatermark", "watermark"]);
        assert_eq!(
            terms("CooperativeStickyAssignor"),
            ["cooperativestickyassignor", "cooper", "sticki", "assignor"]
        );
        assert_eq!(
            raw("org.apache.TimeoutException: Expiring 37 record(s)"),
            [
                (0, "orgapacheTimeoutException".to_string()),
                (0, "org".to_string()),
                (1, "apache".to_string()),
                (2, "TimeoutException".to_string()),
                (2, "Timeout".to_string()),
                (3, "Exception".to_string()),
                (4, "Expiring".to_string()),
                (5, "37".to_string()),
                (6, "record".to_string()),
                (7, "s".to_string()),
            ]
        );
    }

    #[test]
    fn numbers_acronyms_and_sentences_are_not_identifiers() {
        assert_eq!(raw("1.5 s"), [(0, "1".into()), (1, "5".into()), (2, "s".into())]);
        assert_eq!(
            raw("ACLs HTTPServer"),
            [
                (0, "ACLs".into()),
                (1, "HTTPServer".into()),
                (1, "HTTP".into()),
                (2, "Server".into())
            ]
        );
        assert_eq!(raw("lag. Next"), [(0, "lag".into()), (1, "Next".into())]);
        assert_eq!(raw("Kafkaのラグ"), [(0, "Kafka".into()), (1, "のラグ".into())]);
        assert_eq!(raw("Verzögerung"), [(0, "Verzögerung".into())]);
    }

    #[test]
    fn the_word_reader_splits_scripts_and_units_and_keeps_stop_words() {
        let mut reader = WordReader::default();
        assert_eq!(
            reader.stems("Kafkaのコンシューマー lagging"),
            ["kafka", "のコンシューマー", "lag"]
        );
        assert_eq!(reader.stems("Run every night"), ["run", "everi", "night"]);
        assert_eq!(
            reader.stems("under 10s, s3 v2 5min"),
            ["under", "10", "s", "s3", "v2", "5", "min"]
        );
        assert_eq!(reader.stems("Minuten Verzögerung"), ["minuten", "verzögerung"]);
        assert_eq!(
            reader.words("Lagging CONSUMERS"),
            [Word::new("lag", "lagging"), Word::new("consum", "consumers")]
        );
    }

    #[test]
    fn a_reader_stores_each_form_once() {
        let mut reader = WordReader::default();
        let first = reader.words("Kafka consumer lag");
        let second = reader.words("lag of a KAFKA consumer");
        // A form read again is the one stored the first time, and a stem that is also a raw
        // form is stored once for both.
        assert!(Arc::ptr_eq(&first[2].stem, &second[0].stem));
        assert!(Arc::ptr_eq(&first[0].raw, &second[3].raw));
        assert!(Arc::ptr_eq(&first[0].stem, &first[0].raw));
        // Another reader stores its own.
        let other = WordReader::default().words("lag");
        assert!(!Arc::ptr_eq(&other[0].stem, &first[2].stem));
    }

    #[test]
    fn plain_words_are_lowercased_runs() {
        assert_eq!(
            plain_words("Exactly-once, Kafkaのラグ 0.1%"),
            ["exactly", "once", "kafka", "のラグ", "0", "1"]
        );
    }
}
