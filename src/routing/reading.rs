//! How routing reads a request: its sentences, asides and clauses, which of them asks, and what
//! the markers of the catalog's `reading` section say about each part (put off, main ask, today's
//! setup).

use std::collections::HashSet;

use super::catalog;
use super::matching::{self, MatchQuality};
use crate::text::Word;
use crate::text::analyzer::WordReader;
use crate::text::sentences::{self, Boundaries};

/// The catalog's reading words, stemmed.
#[derive(Debug, Clone, Default)]
pub(super) struct ReadingWords {
    pub(super) deferral_markers: Vec<Vec<Word>>,
    pub(super) priority_markers: Vec<Vec<Word>>,
    pub(super) negations: Vec<Vec<Word>>,
    pub(super) status_quo_markers: Vec<Vec<Word>>,
    pub(super) clause_breaks: HashSet<String>,
    pub(super) ask_openers: HashSet<String>,
    pub(super) lead_ins: HashSet<String>,
    pub(super) modifier_links: HashSet<String>,
    pub(super) filler: HashSet<String>,
}

/// What a marker says about the clause it stands in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Emphasis {
    /// No marker.
    Plain,
    /// Put off ("side question", "at some point").
    PutOff,
    /// The main ask ("main thing I need").
    Main,
    /// How things are today ("right now a nightly job ...").
    StatusQuo,
}

impl Emphasis {
    pub(super) fn factor(self, scoring: &catalog::Scoring) -> f32 {
        match self {
            Self::Plain => 1.0,
            Self::PutOff => scoring.deferred,
            Self::Main => scoring.priority,
            Self::StatusQuo => scoring.status_quo,
        }
    }
}

/// A request split into stemmed words, each with the sentence it belongs to and the emphasis
/// of its clause.
pub(super) struct RequestText {
    pub(super) words: Vec<Word>,
    pub(super) sentences: Vec<Sentence>,
    pub(super) emphasis: Vec<Emphasis>,
    /// The clause of each word, numbered across the request.
    pub(super) clause_of: Vec<usize>,
}

/// One sentence of a request: its word range, whether it asks for something, and whether it
/// is an aside in parentheses.
pub(super) struct Sentence {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) asks: bool,
    pub(super) aside: bool,
    /// Where a short label before a colon ends ("prefect flow: stop the consumers ...").
    pub(super) label_end: Option<usize>,
    /// A priority marker stands in it ("Main thing I need: ...").
    pub(super) marked_main: bool,
    /// A deferral marker puts all of it off ("Side question, ...").
    pub(super) put_off: bool,
}

impl RequestText {
    pub(super) fn read(reader: &mut WordReader, request: &str, reading: &ReadingWords) -> Self {
        let mut words = Vec::new();
        let mut sentences = Vec::new();
        let mut emphasis = Vec::new();
        let mut clause_of = Vec::new();
        for piece in sentences::split(request, Boundaries::REQUEST) {
            let sentence_words = reader.words(&piece.text);
            if sentence_words.is_empty() {
                continue;
            }
            let label_end = piece
                .text
                .find(": ")
                .map(|colon| reader.stems(&piece.text[..colon]).len())
                .filter(|n| (1..=4).contains(n))
                .map(|n| words.len() + n);
            // Clauses, and the emphasis a marker gives each. A sentence that puts something off
            // and marks nothing as the main ask is put off whole ("annoying but harmless").
            let has = |markers: &[Vec<Word>], range: std::ops::Range<usize>| {
                let clause = &sentence_words[range];
                let free = vec![false; clause.len()];
                markers
                    .iter()
                    .any(|m| matching::find(clause, m, &free).is_some_and(|(_, q)| q == MatchQuality::Exact))
            };
            let whole = 0..sentence_words.len();
            let sentence_deferred =
                has(&reading.deferral_markers, whole.clone()) && !has(&reading.priority_markers, whole);
            let mut clause_start = 0;
            for i in 0..=sentence_words.len() {
                let breaks =
                    i == sentence_words.len() || (i > 0 && reading.clause_breaks.contains(&*sentence_words[i].stem));
                if !breaks {
                    continue;
                }
                let marked = if sentence_deferred || has(&reading.deferral_markers, clause_start..i) {
                    Emphasis::PutOff
                } else if has(&reading.priority_markers, clause_start..i) {
                    Emphasis::Main
                } else if has(&reading.status_quo_markers, clause_start..i) {
                    Emphasis::StatusQuo
                } else {
                    Emphasis::Plain
                };
                emphasis.extend(std::iter::repeat_n(marked, i - clause_start));
                let clause = clause_of.last().map_or(0, |c| c + 1);
                clause_of.extend(std::iter::repeat_n(clause, i - clause_start));
                clause_start = i;
            }
            let opener = sentence_words
                .iter()
                .map(|w| &*w.stem)
                .find(|w| !reading.lead_ins.contains(*w));
            let asks = !piece.aside && (piece.question || opener.is_some_and(|w| reading.ask_openers.contains(w)));
            let own_emphasis = &emphasis[words.len()..];
            sentences.push(Sentence {
                start: words.len(),
                end: words.len() + sentence_words.len(),
                asks,
                aside: piece.aside,
                label_end,
                marked_main: own_emphasis.contains(&Emphasis::Main),
                put_off: own_emphasis.iter().all(|&e| e == Emphasis::PutOff),
            });
            words.extend(sentence_words);
        }
        Self {
            words,
            sentences,
            emphasis,
            clause_of,
        }
    }

    pub(super) fn sentence_of(&self, position: usize) -> usize {
        self.sentences
            .iter()
            .position(|s| position < s.end)
            .unwrap_or(self.sentences.len().saturating_sub(1))
    }
}
