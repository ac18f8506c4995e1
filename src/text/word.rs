//! A word as routing compares it: the stem it is matched on and the lowercased form it was
//! written in (a misspelt word often stems differently, so typos are looked for in both).

use std::sync::Arc;

/// A word of a text: its stem and its lowercased raw form. Both are shared strings, so the
/// thousands of words of a router's cues hold each distinct form once (see
/// [`crate::text::analyzer::WordReader`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Word {
    /// The stemmed, lowercased word ("lag" for "Lagging").
    pub stem: Arc<str>,
    /// The word as written, lowercased ("lagging").
    pub raw: Arc<str>,
}

impl Word {
    /// A word from its stem and raw form.
    pub fn new(stem: impl Into<Arc<str>>, raw: impl Into<Arc<str>>) -> Self {
        Self {
            stem: stem.into(),
            raw: raw.into(),
        }
    }

    /// Whether the word is written in the Latin script (digits included). The analyzers split
    /// text where the script changes, so a word is either Latin throughout or not at all; the
    /// others include scripts written without spaces, where one word may hold several.
    pub fn is_latin(&self) -> bool {
        self.stem.chars().all(latin)
    }
}

/// Whether `c` is written in the Latin script (Basic Latin up to Latin Extended-B, so ASCII
/// digits and the accented letters of European languages count).
pub fn latin(c: char) -> bool {
    (c as u32) < 0x0250
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_words_are_latin_and_kana_is_not() {
        assert!(Word::new("verzögerung", "verzögerung").is_latin());
        assert!(Word::new("s3", "s3").is_latin());
        assert!(!Word::new("ジョブ", "ジョブ").is_latin());
        assert!(!Word::new("καλύτερο", "καλύτερο").is_latin());
    }
}
