//! Text as routing sees it: words split at punctuation and at changes between ASCII and other
//! scripts (so "Kafkaのラグ" yields "kafka"), lowercased and stemmed; and cue phrases matched in
//! order with small gaps, tolerating one typo in longer words.

use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer, TokenStream};

use crate::search::vocabulary::damerau_levenshtein;

/// Most words allowed between two consecutive words of a cue.
const MAX_GAP: usize = 2;
/// Shortest word matched with one typo.
const FUZZY_MIN_CHARS: usize = 5;

/// Stems words without dropping stop words (cues such as "run every" need them).
pub struct Stemmer2 {
    analyzer: TextAnalyzer,
}

impl Default for Stemmer2 {
    fn default() -> Self {
        Self {
            analyzer: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(LowerCaser)
                .filter(Stemmer::new(Language::English))
                .build(),
        }
    }
}

impl Stemmer2 {
    /// The stemmed words of `text`.
    pub fn words(&mut self, text: &str) -> Vec<String> {
        self.words_with_raw(text).into_iter().map(|(stem, _)| stem).collect()
    }

    /// The stemmed words of `text`, each with the lowercased word it came from.
    pub fn words_with_raw(&mut self, text: &str) -> Vec<(String, String)> {
        let spaced = split_scripts(text);
        let mut stream = self.analyzer.token_stream(&spaced);
        let mut out = Vec::new();
        while stream.advance() {
            let token = stream.token();
            let raw = spaced[token.offset_from..token.offset_to].to_lowercase();
            out.push((token.text.clone(), raw));
        }
        out
    }
}

/// Inserts a space wherever ASCII letters or digits meet other characters.
fn split_scripts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous_ascii: Option<bool> = None;
    for c in text.chars() {
        let ascii = c.is_ascii();
        if c.is_alphanumeric() && previous_ascii.is_some_and(|p| p != ascii) {
            out.push(' ');
        }
        previous_ascii = c.is_alphanumeric().then_some(ascii);
        out.push(c);
    }
    out
}

/// How a cue matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchQuality {
    /// Every word as written.
    Exact,
    /// A word matched with one typo.
    Fuzzy,
}

/// Whether two words are one typo apart (both long enough, same first letter).
fn one_typo(a: &str, b: &str) -> bool {
    // Cheap checks first: this runs for every cue word against every request word.
    a.len() >= FUZZY_MIN_CHARS
        && b.len() >= FUZZY_MIN_CHARS
        && a.len().abs_diff(b.len()) <= 1
        && a.as_bytes()[0] == b.as_bytes()[0]
        && damerau_levenshtein(a, b, 1) <= 1
}

/// Finds `cue` in `words`: its words in order, at most [`MAX_GAP`] words apart, none of them at
/// a position in `taken`. Words are `(stem, raw)`; a typo is looked for in the raw words too,
/// since a misspelt word often stems differently. Returns the positions used.
pub fn find(
    words: &[(String, String)],
    cue: &[(String, String)],
    taken: &[bool],
) -> Option<(Vec<usize>, MatchQuality)> {
    if cue.is_empty() {
        return None;
    }
    let word_matches = |i: usize, c: &(String, String)| -> Option<MatchQuality> {
        let (stem, raw) = &words[i];
        if taken[i] {
            None
        } else if *stem == c.0 {
            Some(MatchQuality::Exact)
        } else if one_typo(stem, &c.0) || one_typo(raw, &c.1) {
            Some(MatchQuality::Fuzzy)
        } else {
            None
        }
    };
    'start: for start in 0..words.len() {
        let Some(mut quality) = word_matches(start, &cue[0]) else {
            continue;
        };
        let mut positions = vec![start];
        for c in &cue[1..] {
            let last = *positions.last().expect("one position");
            let next = (last + 1..words.len().min(last + 2 + MAX_GAP)).find_map(|i| word_matches(i, c).map(|q| (i, q)));
            match next {
                Some((i, q)) => {
                    positions.push(i);
                    if q == MatchQuality::Fuzzy {
                        quality = MatchQuality::Fuzzy;
                    }
                }
                None => continue 'start,
            }
        }
        return Some((positions, quality));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_scripts_and_stems() {
        let mut s = Stemmer2::default();
        assert_eq!(
            s.words("Kafkaのコンシューマー lagging"),
            ["kafka", "のコンシューマー", "lag"]
        );
        assert_eq!(s.words("Run every night"), ["run", "everi", "night"]);
    }

    #[test]
    fn finds_cues_with_gaps_and_typos() {
        let mut s = Stemmer2::default();
        let words = s.words_with_raw("our fraud alerts fire 20 minutes late");
        let free = vec![false; words.len()];
        let cue = s.words_with_raw("alerts fire late");
        assert_eq!(
            find(&words, &cue, &free).unwrap().0,
            [2, 3, 6],
            "two words may sit between"
        );
        assert!(
            find(&words, &s.words_with_raw("fraud late"), &free).is_none(),
            "four words apart is too far"
        );
        assert_eq!(
            find(&words, &s.words_with_raw("minutes late"), &free).unwrap().0,
            [5, 6]
        );
        let words = s.words_with_raw("my kafak consumer");
        let (_, quality) = find(&words, &s.words_with_raw("kafka consumer"), &[false; 3]).unwrap();
        assert_eq!(quality, MatchQuality::Fuzzy, "kafak is one transposition from kafka");
        let words = s.words_with_raw("exactley once");
        assert_eq!(
            find(&words, &s.words_with_raw("exactly once"), &[false; 2]).unwrap().1,
            MatchQuality::Fuzzy
        );
    }
}
