//! The text analysis shared by indexing and querying: split into words (identifiers both whole
//! and split into their parts, see [`IdentifierTokenizer`]), lowercase, drop English stop words
//! and very long tokens, then apply the English (Porter2) stemmer.

use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
};

/// The name the analyzer is registered under in the index.
pub const ANALYZER_NAME: &str = "en_stem_stop";

/// Builds the analyzer.
pub fn analyzer() -> TextAnalyzer {
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

/// The tokens of one text, computed when the stream is made.
pub struct IdentifierTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for IdentifierTokenizer {
    type TokenStream<'a> = IdentifierTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> IdentifierTokenStream {
        IdentifierTokenStream {
            tokens: identifier_tokens(text),
            next: 0,
        }
    }
}

impl TokenStream for IdentifierTokenStream {
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

/// Whether `c` is written in the Latin script (or is an ASCII digit).
fn latin(c: char) -> bool {
    (c as u32) < 0x0250
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

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        analyze(&mut analyzer(), text).into_iter().map(|t| t.term).collect()
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
}
