//! How far apart two words are, for reading through typos: the Damerau-Levenshtein distance
//! (optimal string alignment) with a limit, used to correct query terms against the index's
//! vocabulary, and an allocation-free check for one edit, used when routing matches cue words.

/// Optimal-string-alignment distance (adjacent transpositions cost one), giving up early once
/// every cell of a row exceeds `limit` (then the answer is `limit + 1`).
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

/// Whether two words are at most one edit apart (an insertion, a deletion, a substitution or a
/// swap of neighbours): the same answer as `damerau_levenshtein(a, b, 1) <= 1`, without
/// allocating when both words are ASCII.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        ascii_within_one_edit(a.as_bytes(), b.as_bytes())
    } else {
        damerau_levenshtein(a, b, 1) <= 1
    }
}

/// [`within_one_edit`] on ASCII bytes: compare up to the first difference, then the rests.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(damerau_levenshtein("kafak", "kafka", 2), 1);
        assert_eq!(damerau_levenshtein("checkpiont", "checkpoint", 2), 1);
        assert_eq!(damerau_levenshtein("abc", "xyz", 1), 2);
        assert_eq!(damerau_levenshtein("abc", "xyz", 5), 3);
        assert_eq!(damerau_levenshtein("", "ab", 5), 2);
        assert_eq!(damerau_levenshtein("verzögerung", "verzogerung", 2), 1);
    }

    #[test]
    fn one_edit_agrees_with_the_damerau_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "kafka",
            "kafak",
            "kafkas",
            "kfka",
            "akfka",
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
            "abced",
            "verzögerung",
            "verzogerung",
            "verzögerungen",
            "vezrögerung",
            "ジョブ",
            "ジョプ",
            "ジョブス",
        ];
        for a in words {
            for b in words {
                assert_eq!(
                    within_one_edit(a, b),
                    damerau_levenshtein(a, b, 1) <= 1,
                    "{a:?} / {b:?}"
                );
                if a.is_ascii() && b.is_ascii() {
                    assert_eq!(
                        ascii_within_one_edit(a.as_bytes(), b.as_bytes()),
                        damerau_levenshtein(a, b, 1) <= 1,
                        "{a:?} / {b:?}"
                    );
                }
            }
        }
    }
}
