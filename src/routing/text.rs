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

/// Inserts a space wherever ASCII letters or digits meet other characters, and between a
/// number and the unit after it ("10s", "5min").
fn split_scripts(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if let Some(p) = previous.filter(|_| c.is_alphanumeric()) {
            let scripts_meet = p.is_ascii() != c.is_ascii();
            let number_then_unit = p.is_ascii_digit() && c.is_ascii_alphabetic();
            if scripts_meet || number_then_unit {
                out.push(' ');
            }
        }
        previous = c.is_alphanumeric().then_some(c);
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
        && if a.is_ascii() && b.is_ascii() {
            ascii_within_one_edit(a.as_bytes(), b.as_bytes())
        } else {
            damerau_levenshtein(a, b, 1) <= 1
        }
}

/// Whether two ASCII words are at most one edit apart (an insertion, a deletion, a substitution
/// or a swap of neighbours), without allocating: the same answer as the Damerau distance.
fn ascii_within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let Some(i) = short.iter().zip(long).position(|(x, y)| x != y) else {
        return long.len() - short.len() <= 1;
    };
    if short.len() == long.len() {
        let substitution = short[i + 1..] == long[i + 1..];
        let swap = i + 1 < short.len()
            && short[i] == long[i + 1]
            && short[i + 1] == long[i]
            && short[i + 2..] == long[i + 2..];
        substitution || swap
    } else {
        short[i..] == long[i + 1..]
    }
}

/// The distinct words of all cues, so that whether a request holds one is worked out once per
/// request rather than once per cue.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    words: Vec<(String, String)>,
    index: std::collections::HashMap<(String, String), u32>,
}

impl Vocabulary {
    /// The places of `words` in the vocabulary, adding the new ones.
    pub fn ids(&mut self, words: &[(String, String)]) -> Vec<u32> {
        words
            .iter()
            .map(|w| {
                *self.index.entry(w.clone()).or_insert_with(|| {
                    self.words.push(w.clone());
                    (self.words.len() - 1) as u32
                })
            })
            .collect()
    }
}

/// Which cue words a request could match: most cues share no word with a request, and ruling
/// them out first keeps routing cheap.
pub struct Presence<'a> {
    words: &'a [(String, String)],
    vocabulary: &'a Vocabulary,
    stems: std::collections::HashSet<&'a str>,
    /// Request words by first byte (of the stem and of the raw word), for typo checks.
    by_first_byte: std::collections::HashMap<u8, Vec<usize>>,
    has_other_scripts: bool,
    /// Per vocabulary word: 0 not yet known, 1 absent, 2 present.
    known: Vec<u8>,
}

impl<'a> Presence<'a> {
    /// Indexes the words of a request.
    pub fn new(words: &'a [(String, String)], vocabulary: &'a Vocabulary) -> Self {
        let mut by_first_byte: std::collections::HashMap<u8, Vec<usize>> = std::collections::HashMap::new();
        for (i, (stem, raw)) in words.iter().enumerate() {
            for first in [stem.as_bytes().first(), raw.as_bytes().first()].into_iter().flatten() {
                let list = by_first_byte.entry(*first).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Self {
            words,
            vocabulary,
            stems: words.iter().map(|(stem, _)| stem.as_str()).collect(),
            by_first_byte,
            has_other_scripts: words.iter().any(|(stem, _)| !stem.is_ascii()),
            known: vec![0; vocabulary.words.len()],
        }
    }

    /// Whether every word of a cue (by vocabulary place) matches some word of the request,
    /// exactly or with a typo.
    pub fn may_hold(&mut self, ids: &[u32]) -> bool {
        ids.iter().all(|&id| {
            let id = id as usize;
            if self.known[id] == 0 {
                self.known[id] = if self.holds_word(&self.vocabulary.words[id]) {
                    2
                } else {
                    1
                };
            }
            self.known[id] == 2
        })
    }

    fn holds_word(&self, c: &(String, String)) -> bool {
        if self.stems.contains(c.0.as_str()) {
            return true;
        }
        if !c.0.is_ascii() {
            return self.has_other_scripts && self.words.iter().any(|w| word_match(w, c).is_some());
        }
        if c.0.len() < FUZZY_MIN_CHARS && c.1.len() < FUZZY_MIN_CHARS {
            return false;
        }
        [c.0.as_bytes().first(), c.1.as_bytes().first()]
            .into_iter()
            .flatten()
            .filter_map(|b| self.by_first_byte.get(b))
            .flatten()
            .any(|&i| word_match(&self.words[i], c).is_some())
    }
}

/// How one request word `(stem, raw)` matches one cue word, if it does.
fn word_match((stem, raw): &(String, String), c: &(String, String)) -> Option<MatchQuality> {
    if *stem == c.0 {
        Some(MatchQuality::Exact)
    } else if !c.0.is_ascii() && c.0.chars().count() >= 2 && stem.contains(c.0.as_str()) {
        // Scripts written without spaces (Japanese, Chinese) hold a cue inside a longer run.
        Some(MatchQuality::Exact)
    } else if one_typo(stem, &c.0) || one_typo(raw, &c.1) {
        Some(MatchQuality::Fuzzy)
    } else {
        None
    }
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
        if taken[i] { None } else { word_match(&words[i], c) }
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
        assert_eq!(s.words("under 10s, s3 v2"), ["under", "10", "s", "s3", "v2"]);
    }

    #[test]
    fn one_edit_agrees_with_the_damerau_distance() {
        let words = [
            "kafka",
            "kafak",
            "kafkas",
            "kfka",
            "kafka",
            "consumer",
            "consumre",
            "cosnumer",
            "consumers",
            "consume",
            "exactly",
            "exactley",
            "exacly",
            "watermark",
            "watermarks",
            "watremark",
            "abcde",
            "abcdf",
            "bacde",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    ascii_within_one_edit(a.as_bytes(), b.as_bytes()),
                    damerau_levenshtein(a, b, 1) <= 1,
                    "{a} / {b}"
                );
            }
        }
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
        let words = s.words_with_raw("毎朝6時にジョブを実行して");
        let cue = s.words_with_raw("ジョブ");
        assert!(
            find(&words, &cue, &vec![false; words.len()]).is_some(),
            "a cue inside a run of Japanese"
        );
        let words = s.words_with_raw("exactley once");
        assert_eq!(
            find(&words, &s.words_with_raw("exactly once"), &[false; 2]).unwrap().1,
            MatchQuality::Fuzzy
        );
    }
}
