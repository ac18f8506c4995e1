//! One sentence splitter for prose (the skill's paragraphs) and for requests (what a user asks
//! routing), which differ only in where a sentence may end: see [`Boundaries`].
//!
//! A sentence always ends at `.`, `!` or `?` followed by white space or the end of the text, but
//! not at the full stop of an abbreviation ("e.g.", "i.e.", "vs.") nor inside a number ("0.1%").

/// Where sentences end, besides `.`, `!` and `?` before white space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Boundaries {
    /// At `;` before white space.
    pub semicolon: bool,
    /// At the end of a line.
    pub line_end: bool,
    /// At a dash between spaces ("that part is fine - my question is ...").
    pub spaced_dash: bool,
    /// At a full-width stop, question or exclamation mark (`。`, `？`, `！`), with or without a
    /// space after it.
    pub full_width: bool,
    /// Asides in parentheses (`(...)` or `（...）`) are taken out of their sentences and come
    /// after all of them, marked as asides.
    pub asides: bool,
}

impl Boundaries {
    /// Edited prose: sentences end only at `.`, `!` and `?`; parentheses stay in place.
    pub const PROSE: Self = Self {
        semicolon: false,
        line_end: false,
        spaced_dash: false,
        full_width: false,
        asides: false,
    };

    /// A request as people type it: a `;`, a line break or a spaced dash ends a thought as a
    /// full stop does, full-width stops end sentences, and asides are read apart.
    pub const REQUEST: Self = Self {
        semicolon: true,
        line_end: true,
        spaced_dash: true,
        full_width: true,
        asides: true,
    };
}

/// One sentence, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Its text, without the asides taken out of it.
    pub text: String,
    /// Whether it ends in a question mark (never for an aside).
    pub question: bool,
    /// Whether it is an aside in parentheses.
    pub aside: bool,
}

/// Words whose full stop does not end a sentence, lowercased and without their last dot.
const ABBREVIATIONS: [&str; 3] = ["e.g", "i.e", "vs"];

/// The sentences of `text`, in order, then its asides (when `boundaries` takes them out).
/// Sentences with nothing but white space are left out. An unclosed parenthesis is read as part
/// of its sentence.
pub fn split(text: &str, boundaries: Boundaries) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    let mut asides = Vec::new();
    let mut current = String::new();
    let mut aside: Option<String> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, aside.as_mut()) {
            ('(' | '（', None) if boundaries.asides => aside = Some(String::new()),
            (')' | '）', Some(_)) => {
                asides.extend(aside.take());
                current.push(' ');
            }
            (_, Some(text)) => text.push(c),
            (_, None) => {
                current.push(c);
                let next_is_space = chars.peek().is_none_or(|n| n.is_whitespace());
                if ends_sentence(&current, c, next_is_space, boundaries) {
                    push(&mut sentences, &current, false);
                    current.clear();
                }
            }
        }
    }
    if let Some(text) = aside {
        current.push(' ');
        current.push_str(&text);
    }
    push(&mut sentences, &current, false);
    for text in asides {
        push(&mut sentences, &text, true);
    }
    sentences
}

/// The first sentence of prose, or all of it when it has a single sentence.
pub fn first(text: &str) -> String {
    split(text, Boundaries::PROSE)
        .into_iter()
        .next()
        .map(|s| s.text)
        .unwrap_or_default()
}

/// Whether the sentence read so far, `current`, which ends in `c`, ends there.
fn ends_sentence(current: &str, c: char, next_is_space: bool, boundaries: Boundaries) -> bool {
    match c {
        '.' => next_is_space && !ends_in_abbreviation(&current[..current.len() - 1]),
        '!' | '?' => next_is_space,
        ';' => boundaries.semicolon && next_is_space,
        '\n' => boundaries.line_end,
        '。' | '？' | '！' => boundaries.full_width,
        '-' | '–' | '—' => {
            boundaries.spaced_dash
                && next_is_space
                && current[..current.len() - c.len_utf8()].ends_with(char::is_whitespace)
        }
        _ => false,
    }
}

/// Whether `before` (the text before a full stop) ends in an abbreviation as a whole word.
fn ends_in_abbreviation(before: &str) -> bool {
    ABBREVIATIONS.iter().any(|a| {
        let Some(start) = before.len().checked_sub(a.len()) else {
            return false;
        };
        before.get(start..).is_some_and(|tail| tail.eq_ignore_ascii_case(a))
            && !before[..start].ends_with(char::is_alphanumeric)
    })
}

fn push(sentences: &mut Vec<Sentence>, text: &str, aside: bool) {
    let text = text.trim();
    if !text.is_empty() {
        sentences.push(Sentence {
            text: text.to_string(),
            question: !aside && text.ends_with(['?', '？']),
            aside,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, boundaries: Boundaries) -> Vec<String> {
        split(text, boundaries).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn prose_splits_at_full_stops_not_decimals() {
        assert_eq!(
            texts("Keep 0.1% errors. Then act! Done", Boundaries::PROSE),
            ["Keep 0.1% errors.", "Then act!", "Done"]
        );
        assert_eq!(
            texts("One; two - three\nfour (five). Six", Boundaries::PROSE),
            ["One; two - three\nfour (five).", "Six"]
        );
    }

    #[test]
    fn abbreviations_do_not_end_a_sentence() {
        assert_eq!(first("Use e.g. Kafka here. Then more."), "Use e.g. Kafka here.");
        assert_eq!(first("Flink vs. Spark. Pick one."), "Flink vs. Spark.");
        assert_eq!(first("Ask the devs. Then more."), "Ask the devs.");
        assert_eq!(first("E.g. this. Then that."), "E.g. this.");
        assert_eq!(first("No stop"), "No stop");
        assert_eq!(first("  "), "");
    }

    #[test]
    fn requests_split_at_more_and_take_asides_out() {
        let pieces = split("Use Kafka (the old one). Why - no idea? ok", Boundaries::REQUEST);
        let pieces: Vec<(&str, bool, bool)> = pieces.iter().map(|p| (p.text.as_str(), p.question, p.aside)).collect();
        assert_eq!(
            pieces,
            [
                ("Use Kafka  .", false, false),
                ("Why -", false, false),
                ("no idea?", true, false),
                ("ok", false, false),
                ("the old one", false, true)
            ]
        );
        assert_eq!(
            texts("a; b\nc。d？e (unclosed", Boundaries::REQUEST),
            ["a;", "b", "c。", "d？", "e  unclosed"]
        );
        assert!(split("d？", Boundaries::REQUEST)[0].question);
        assert_eq!(texts("x-y - z", Boundaries::REQUEST), ["x-y -", "z"]);
    }
}
