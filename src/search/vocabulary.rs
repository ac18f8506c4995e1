//! The index's vocabulary: counted while the catalog is built ([`Vocabulary`]), and the typo
//! correction that maps a misspelt query term to the closest term the corpus has ([`closest`]),
//! so "idempotant" or "checkpiont" still find their sections, ranked by BM25.

use std::collections::HashMap;

use crate::text::distance::damerau_levenshtein;

/// Terms of the corpus with the number of sections that use each, while the catalog is built. A
/// term's id here is its place in the order terms were first seen (the catalog renumbers them).
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    /// Every term, by id, with its section count.
    terms: Vec<(Box<str>, u32)>,
    ids: HashMap<Box<str>, u32>,
}

impl Vocabulary {
    /// Every `(term, section count)` pair, in id order.
    pub fn terms(&self) -> &[(Box<str>, u32)] {
        &self.terms
    }

    /// Counts `term` once for a section and returns its id.
    pub fn add(&mut self, term: &str) -> u32 {
        match self.ids.get(term) {
            Some(&id) => {
                self.terms[id as usize].1 += 1;
                id
            }
            None => {
                let id = self.terms.len() as u32;
                self.terms.push((term.into(), 1));
                self.ids.insert(term.into(), id);
                id
            }
        }
    }

    /// The id of a heading term, which the section's own text has counted already (heading
    /// paths repeat the parents' headings, so they must not count again).
    pub fn add_heading(&mut self, term: &str) -> u32 {
        match self.ids.get(term) {
            Some(id) => *id,
            None => self.add(term),
        }
    }
}

/// The closest of `candidates` (`(term, section count)` pairs) to an unknown `term`, if one is
/// near enough: one edit for terms of five to seven characters, two for longer ones, none for
/// shorter ones (too ambiguous). Ties go to the more frequent term, then to the alphabetically
/// first, so the answer does not depend on the candidates' order.
pub fn closest<'a>(term: &str, candidates: impl IntoIterator<Item = (&'a str, u32)>) -> Option<&'a str> {
    let len = term.chars().count();
    let max_distance = match len {
        0..=4 => return None,
        5..=7 => 1,
        _ => 2,
    };
    let first = term.chars().next();
    let mut best: Option<(usize, u32, &str)> = None;
    for (candidate, freq) in candidates {
        // A character takes one to four bytes: a candidate this far off in bytes is too far off
        // in characters, without counting them.
        if candidate.len() + max_distance < len || candidate.len() > (len + max_distance) * 4 {
            continue;
        }
        let clen = candidate.chars().count();
        if clen.abs_diff(len) > max_distance || candidate.chars().next() != first && max_distance < 2 {
            continue;
        }
        let distance = damerau_levenshtein(term, candidate, max_distance);
        if distance > max_distance {
            continue;
        }
        let better = match best {
            None => true,
            Some((d, f, c)) => (distance, std::cmp::Reverse(freq), candidate) < (d, std::cmp::Reverse(f), c),
        };
        if better {
            best = Some((distance, freq, candidate));
        }
    }
    best.map(|(_, _, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrects_to_the_nearest_frequent_term() {
        let mut v = Vocabulary::default();
        for t in ["kafka", "kafka", "checkpoint", "watermark"] {
            v.add(t);
        }
        let terms = || v.terms().iter().map(|(t, f)| (&**t, *f));
        assert_eq!(closest("kafak", terms()), Some("kafka"));
        assert_eq!(closest("checkpiont", terms()), Some("checkpoint"));
        assert_eq!(closest("wtaremakr", terms()), None);
        assert_eq!(closest("kfk", terms()), None);
    }

    #[test]
    fn ties_go_to_the_more_frequent_then_the_first_term() {
        let terms = [("kafkb", 1), ("kafkc", 3), ("kafkd", 3)];
        assert_eq!(closest("kafka", terms), Some("kafkc"));
        let reversed = [("kafkd", 3), ("kafkc", 3), ("kafkb", 1)];
        assert_eq!(closest("kafka", reversed), Some("kafkc"));
    }
}
