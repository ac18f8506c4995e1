//! How routing finds cues in a request: the words of a cue in order with small gaps, tolerating
//! one typo in longer words, and a quick test of which cue words a request could hold at all.
//! Requests and cues are read into [`Word`]s by [`crate::text::analyzer::WordReader`].

use std::collections::{HashMap, HashSet};

use crate::text::Word;
use crate::text::distance::within_one_edit;

/// Most words allowed between two consecutive words of a cue.
pub const MAX_GAP: usize = 2;
/// Shortest word matched with one typo.
const FUZZY_MIN_CHARS: usize = 5;

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
        && within_one_edit(a, b)
}

/// The distinct words of all cues, so that whether a request holds one is worked out once per
/// request rather than once per cue.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    words: Vec<Word>,
    index: HashMap<Word, u32>,
}

impl Vocabulary {
    /// The places of `words` in the vocabulary, adding the new ones.
    pub fn ids(&mut self, words: &[Word]) -> Vec<u32> {
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
    words: &'a [Word],
    vocabulary: &'a Vocabulary,
    stems: HashSet<&'a str>,
    /// Request words by first byte (of the stem and of the raw word), for typo checks.
    by_first_byte: HashMap<u8, Vec<usize>>,
    /// Whether the request has a word in a script other than Latin.
    has_other_scripts: bool,
    /// Per vocabulary word: 0 not yet known, 1 absent, 2 present.
    known: Vec<u8>,
}

impl<'a> Presence<'a> {
    /// Indexes the words of a request.
    pub fn new(words: &'a [Word], vocabulary: &'a Vocabulary) -> Self {
        let mut by_first_byte: HashMap<u8, Vec<usize>> = HashMap::new();
        for (i, word) in words.iter().enumerate() {
            for first in [word.stem.as_bytes().first(), word.raw.as_bytes().first()]
                .into_iter()
                .flatten()
            {
                let list = by_first_byte.entry(*first).or_default();
                if list.last() != Some(&i) {
                    list.push(i);
                }
            }
        }
        Self {
            words,
            vocabulary,
            stems: words.iter().map(|w| &*w.stem).collect(),
            by_first_byte,
            has_other_scripts: words.iter().any(|w| !w.is_latin()),
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

    fn holds_word(&self, c: &Word) -> bool {
        if self.stems.contains(&*c.stem) {
            return true;
        }
        if !c.is_latin() {
            return self.has_other_scripts && self.words.iter().any(|w| word_match(w, c).is_some());
        }
        if c.stem.len() < FUZZY_MIN_CHARS && c.raw.len() < FUZZY_MIN_CHARS {
            return false;
        }
        [c.stem.as_bytes().first(), c.raw.as_bytes().first()]
            .into_iter()
            .flatten()
            .filter_map(|b| self.by_first_byte.get(b))
            .flatten()
            .any(|&i| word_match(&self.words[i], c).is_some())
    }
}

/// How one request word matches one cue word, if it does.
fn word_match(w: &Word, c: &Word) -> Option<MatchQuality> {
    if w.stem == c.stem {
        Some(MatchQuality::Exact)
    } else if !c.is_latin() && c.stem.chars().count() >= 2 && w.stem.contains(&*c.stem) {
        // Scripts written without spaces (Japanese, Chinese) hold a cue inside a longer run.
        Some(MatchQuality::Exact)
    } else if one_typo(&w.stem, &c.stem) || one_typo(&w.raw, &c.raw) {
        Some(MatchQuality::Fuzzy)
    } else {
        None
    }
}

/// Finds `cue` in `words`: its words in order, at most [`MAX_GAP`] words apart, none of them at
/// a position in `taken`. A typo is looked for in the raw words too, since a misspelt word often
/// stems differently. Returns the positions used.
pub fn find(words: &[Word], cue: &[Word], taken: &[bool]) -> Option<(Vec<usize>, MatchQuality)> {
    find_within(words, cue, taken, MAX_GAP)
}

/// Like [`find`], with at most `max_gap` words between two consecutive words of the cue (0 for a
/// name, whose words are written together: "Kafka via Snowpipe Streaming" is not "Kafka Streams").
pub fn find_within(words: &[Word], cue: &[Word], taken: &[bool], max_gap: usize) -> Option<(Vec<usize>, MatchQuality)> {
    if cue.is_empty() {
        return None;
    }
    let word_matches =
        |i: usize, c: &Word| -> Option<MatchQuality> { if taken[i] { None } else { word_match(&words[i], c) } };
    'start: for start in 0..words.len() {
        let Some(mut quality) = word_matches(start, &cue[0]) else {
            continue;
        };
        let mut positions = vec![start];
        for c in &cue[1..] {
            let last = *positions.last().expect("one position");
            let next = (last + 1..words.len().min(last + 2 + max_gap)).find_map(|i| word_matches(i, c).map(|q| (i, q)));
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
    use crate::text::analyzer::WordReader;

    #[test]
    fn a_name_takes_no_gap() {
        let mut s = WordReader::default();
        let words = s.words("loaded from Kafka via Snowpipe Streaming");
        let free = vec![false; words.len()];
        let cue = s.words("Kafka Streams");
        assert!(find(&words, &cue, &free).is_some(), "with gaps it matches");
        assert_eq!(find_within(&words, &cue, &free, 0), None);
        let words = s.words("our Kafka Streams app");
        assert_eq!(
            find_within(&words, &cue, &vec![false; words.len()], 0).unwrap().0,
            [1, 2]
        );
    }

    #[test]
    fn finds_cues_with_gaps_and_typos() {
        let mut s = WordReader::default();
        let words = s.words("our fraud alerts fire 20 minutes late");
        let free = vec![false; words.len()];
        let cue = s.words("alerts fire late");
        assert_eq!(
            find(&words, &cue, &free).unwrap().0,
            [2, 3, 6],
            "two words may sit between"
        );
        assert!(
            find(&words, &s.words("fraud late"), &free).is_none(),
            "four words apart is too far"
        );
        assert_eq!(find(&words, &s.words("minutes late"), &free).unwrap().0, [5, 6]);
        let words = s.words("my kafak consumer");
        let (_, quality) = find(&words, &s.words("kafka consumer"), &[false; 3]).unwrap();
        assert_eq!(quality, MatchQuality::Fuzzy, "kafak is one transposition from kafka");
        let words = s.words("毎朝6時にジョブを実行して");
        let cue = s.words("ジョブ");
        assert!(
            find(&words, &cue, &vec![false; words.len()]).is_some(),
            "a cue inside a run of Japanese"
        );
        let words = s.words("exactley once");
        assert_eq!(
            find(&words, &s.words("exactly once"), &[false; 2]).unwrap().1,
            MatchQuality::Fuzzy
        );
    }

    #[test]
    fn accented_words_match_whole_and_not_inside_longer_ones() {
        let mut s = WordReader::default();
        let words = s.words("10 Minuten Verzögerung beim Consumer");
        let free = vec![false; words.len()];
        assert!(find(&words, &s.words("minuten verzögerung"), &free).is_some());
        let words = s.words("die Verzögerungsdauer");
        assert!(
            find(&words, &s.words("verzögerung"), &[false; 2]).is_none(),
            "a Latin word is not looked for inside a longer one"
        );
    }
}
