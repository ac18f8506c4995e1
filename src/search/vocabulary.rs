//! The index's vocabulary, used to correct a misspelt query term to the closest term that the
//! corpus has (so "idempotant" or "checkpiont" still find their sections, ranked by BM25).

use std::collections::HashMap;

/// Terms of the corpus with the number of sections that use each.
#[derive(Debug, Default, Clone)]
pub struct Vocabulary {
    frequencies: HashMap<String, u32>,
    ids: HashMap<String, u32>,
}

impl Vocabulary {
    /// Counts `term` once for a section and returns its id.
    pub fn add(&mut self, term: &str) -> u32 {
        *self.frequencies.entry(term.to_string()).or_default() += 1;
        let next = self.ids.len() as u32;
        *self.ids.entry(term.to_string()).or_insert(next)
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
        self.frequencies.contains_key(term)
    }

    /// The id of a corpus term.
    pub fn id(&self, term: &str) -> Option<u32> {
        self.ids.get(term).copied()
    }

    /// The number of distinct terms.
    pub fn len(&self) -> usize {
        self.frequencies.len()
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.frequencies.is_empty()
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
        let mut best: Option<(usize, u32, &str)> = None;
        for (candidate, &freq) in &self.frequencies {
            let clen = candidate.chars().count();
            if clen.abs_diff(len) > max_distance || candidate.chars().next() != term.chars().next() && max_distance < 2
            {
                continue;
            }
            let distance = damerau_levenshtein(term, candidate, max_distance);
            if distance > max_distance {
                continue;
            }
            let better = match best {
                None => true,
                Some((d, f, c)) => {
                    (distance, std::cmp::Reverse(freq), candidate.as_str()) < (d, std::cmp::Reverse(f), c)
                }
            };
            if better {
                best = Some((distance, freq, candidate));
            }
        }
        best.map(|(_, _, c)| c)
    }
}

/// Optimal-string-alignment distance (adjacent transpositions cost one), giving up early once
/// every cell of a row exceeds `limit`.
pub fn damerau_levenshtein(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(damerau_levenshtein("kafak", "kafka", 2), 1);
        assert_eq!(damerau_levenshtein("checkpiont", "checkpoint", 2), 1);
        assert_eq!(damerau_levenshtein("abc", "xyz", 1), 2);
    }

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
