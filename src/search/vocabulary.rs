//! The index's vocabulary, used to correct a misspelt query term to the closest term that the
//! corpus has (so "idempotant" or "checkpiont" still find their sections, ranked by BM25).

use std::collections::HashMap;

use crate::text::distance::damerau_levenshtein;

/// Terms of the corpus with the number of sections that use each. A term's id is its place in
/// the order terms were first seen.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    /// Every term, by id, with its section count.
    terms: Vec<(Box<str>, u32)>,
    ids: HashMap<Box<str>, u32>,
}

impl Vocabulary {
    /// A vocabulary of `(term, section count)` pairs, in id order.
    pub fn from_terms(terms: Vec<(Box<str>, u32)>) -> Self {
        let ids = terms
            .iter()
            .enumerate()
            .map(|(id, (term, _))| (term.clone(), id as u32))
            .collect();
        Self { terms, ids }
    }

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

    /// Whether the corpus has `term`.
    pub fn contains(&self, term: &str) -> bool {
        self.ids.contains_key(term)
    }

    /// The id of a corpus term.
    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// The number of distinct terms.
    pub fn len(&self) -> usize {
        self.terms.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// The closest corpus term to an unknown `term`, if one is near enough: one edit for terms
    /// of five to seven characters, two for longer ones, none for shorter ones (too ambiguous).
    /// Ties go to the more frequent term, then to the alphabetically first, so the answer is
    /// deterministic.
    pub fn correct(&self, term: &str) -> Option<&str> {
        let len = term.chars().count();
        let max_distance = match len {
            0..=4 => return None,
            5..=7 => 1,
            _ => 2,
        };
        let first = term.chars().next();
        let mut best: Option<(usize, u32, &str)> = None;
        for (candidate, freq) in &self.terms {
            let (candidate, freq) = (&**candidate, *freq);
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
        assert_eq!(v.correct("kafak"), Some("kafka"));
        assert_eq!(v.correct("checkpiont"), Some("checkpoint"));
        assert_eq!(v.correct("wtaremakr"), None);
        assert_eq!(v.correct("kfk"), None);
    }
}
