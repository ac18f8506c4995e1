//! The domain gate: before any cue is weighed, is the request about data pipelines at all?
//!
//! Many fields share this skill's words ("streaming", "topic", "checkpoint") and its tools'
//! names (Kafka the author, the Flink grocery app). The catalog's `domain_gate` section lists
//! those fields with the names and context words that point to each, and the words that show a
//! data pipeline after all. A field whose words outweigh that evidence declines the request,
//! and the reason names the field.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::catalog;
use super::matching::{self, MatchQuality};
use super::{Decision, NextStep, RouteDecision};
use crate::text::Word;
use crate::text::analyzer::WordReader;

/// A cue of the gate, stemmed.
#[derive(Debug, Clone)]
struct GateCue {
    text: String,
    words: Vec<Word>,
    weight: f32,
    /// One of a field's names (not a context word, not evidence).
    name: bool,
}

/// Cues, longest first, indexed by their first word so that a request only tries the cues
/// that can start in it.
#[derive(Debug, Clone, Default)]
struct CueList {
    cues: Vec<GateCue>,
    by_first_word: HashMap<Arc<str>, Vec<usize>>,
    /// Cues whose first word is not in the Latin script (some such scripts are written without
    /// spaces, so a cue may sit inside a longer word): tried on every request.
    unspaced: Vec<usize>,
}

impl CueList {
    fn new(mut cues: Vec<GateCue>) -> Self {
        longest_first(&mut cues);
        let mut list = Self::default();
        for (i, cue) in cues.iter().enumerate() {
            let first = &cue.words[0];
            if first.is_latin() {
                list.by_first_word.entry(first.stem.clone()).or_default().push(i);
            } else {
                list.unspaced.push(i);
            }
        }
        list.cues = cues;
        list
    }

    /// The places of the cues that may match a request holding `present`, in list order.
    fn candidates(&self, present: &Present) -> Vec<usize> {
        let mut found: Vec<usize> = present
            .stems
            .iter()
            .filter_map(|s| self.by_first_word.get(*s))
            .flatten()
            .copied()
            .collect();
        if !present.other_scripts.is_empty() {
            found.extend(&self.unspaced);
        }
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// A field that shares this skill's vocabulary, with its cues stemmed.
#[derive(Debug, Clone)]
struct Field {
    name: String,
    instead_of: String,
    reason: String,
    cues: CueList,
    /// The stemmed weak evidence this field uses in its own sense (words joined by spaces).
    shares: HashSet<String>,
}

/// The gate as routing applies it.
#[derive(Debug, Clone, Default)]
pub(super) struct DomainGate {
    min_score: f32,
    min_context_score: f32,
    evidence: CueList,
    /// The stems of the words this skill shares with other fields.
    shared: HashSet<String>,
    fields: Vec<Field>,
}

/// A field that claims a request, with what decided.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct FieldVerdict {
    /// The field's name.
    pub(super) field: String,
    /// What the request is not about.
    pub(super) instead_of: String,
    /// Where to go instead.
    pub(super) reason: String,
    /// The field's score.
    pub(super) score: f32,
    /// The score of the pipeline evidence.
    pub(super) evidence: f32,
    /// The field's cues found, quoted.
    pub(super) quotes: Vec<String>,
    /// The pipeline evidence found, quoted.
    pub(super) evidence_quotes: Vec<String>,
}

/// Stems `texts` into cues of `weight`, longest first so that "kafka consumer" claims its words
/// before "kafka" does.
fn stemmed(reader: &mut WordReader, texts: &[String], weight: f32, name: bool, into: &mut Vec<GateCue>) {
    for text in texts {
        let words = reader.words(text);
        if !words.is_empty() {
            into.push(GateCue {
                text: text.clone(),
                words,
                weight,
                name,
            });
        }
    }
}

fn longest_first(cues: &mut Vec<GateCue>) {
    cues.sort_by(|a, b| b.words.len().cmp(&a.words.len()).then(b.weight.total_cmp(&a.weight)));
    let mut seen = HashSet::new();
    cues.retain(|c| seen.insert(c.words.iter().map(|w| w.stem.clone()).collect::<Vec<_>>()));
}

impl DomainGate {
    /// Builds the gate from the catalog's section and the setting names the references quote
    /// (which count as pipeline evidence).
    pub(super) fn new(section: &catalog::DomainGate, reference_names: &[String], reader: &mut WordReader) -> Self {
        let weights = section.weights;
        let mut evidence = Vec::new();
        stemmed(
            reader,
            &section.pipeline_evidence.strong,
            weights.strong_evidence,
            false,
            &mut evidence,
        );
        stemmed(
            reader,
            &section.pipeline_evidence.weak,
            weights.evidence,
            false,
            &mut evidence,
        );
        stemmed(reader, reference_names, weights.reference_name, false, &mut evidence);
        let evidence = CueList::new(evidence);
        let fields = section
            .fields
            .iter()
            .map(|f| {
                let mut cues = Vec::new();
                stemmed(reader, &f.names, weights.name, true, &mut cues);
                stemmed(reader, &f.context, weights.context, false, &mut cues);
                Field {
                    name: f.field.clone(),
                    instead_of: f.instead_of.clone(),
                    reason: f.reason.clone(),
                    cues: CueList::new(cues),
                    shares: f.shares.iter().map(|w| reader.stems(w).join(" ")).collect(),
                }
            })
            .collect();
        let shared = section.shared_words.iter().flat_map(|w| reader.stems(w)).collect();
        Self {
            min_score: section.min_score,
            min_context_score: section.min_context_score,
            evidence,
            shared,
            fields,
        }
    }

    /// Whether a stem is one of the words this skill shares with other fields.
    pub(super) fn is_shared(&self, stem: &str) -> bool {
        self.shared.contains(stem)
    }

    /// The pipeline evidence of a request (its stemmed words): the summed weight and quotes.
    pub(super) fn evidence(&self, words: &[Word]) -> (f32, Vec<String>) {
        let present = Present::new(words);
        let (score, _, quotes) = weigh(&self.evidence, words, &present, |_| false);
        (score, quotes)
    }

    /// The field that claims the request (its stemmed words), if one does: the best-scoring
    /// field, when it reaches the least score (a higher one without any of its names) and
    /// outweighs the pipeline evidence.
    pub(super) fn judge(&self, words: &[Word]) -> Option<FieldVerdict> {
        if self.fields.is_empty() || words.is_empty() {
            return None;
        }
        let present = Present::new(words);
        let mut best: Option<(usize, f32, Vec<String>)> = None;
        for (i, field) in self.fields.iter().enumerate() {
            let (score, named, quotes) = weigh(&field.cues, words, &present, |_| false);
            let least = if named { self.min_score } else { self.min_context_score };
            if score >= least && best.as_ref().is_none_or(|(_, s, _)| score > *s) {
                best = Some((i, score, quotes));
            }
        }
        let (index, score, quotes) = best?;
        let field = &self.fields[index];
        // The words the field uses in its own sense are no evidence against it.
        let (evidence, _, evidence_quotes) = weigh(&self.evidence, words, &present, |cue| {
            field.shares.contains(&stem_key(&cue.words))
        });
        if score <= evidence {
            return None;
        }
        Some(FieldVerdict {
            field: field.name.clone(),
            instead_of: field.instead_of.clone(),
            reason: field.reason.clone(),
            score,
            evidence,
            quotes,
            evidence_quotes,
        })
    }
}

/// Which stems a request holds, for a quick test before matching a cue in order.
struct Present<'a> {
    stems: HashSet<&'a str>,
    other_scripts: Vec<&'a str>,
}

impl<'a> Present<'a> {
    fn new(words: &'a [Word]) -> Self {
        Self {
            stems: words.iter().map(|w| &*w.stem).collect(),
            other_scripts: words.iter().filter(|w| !w.is_latin()).map(|w| &*w.stem).collect(),
        }
    }

    /// Whether every word of `cue` appears in the request as written (a cue in a script written
    /// without spaces may sit inside a longer run).
    fn may_hold(&self, cue: &[Word]) -> bool {
        cue.iter().all(|c| {
            self.stems.contains(&*c.stem)
                || (!c.is_latin()
                    && c.stem.chars().count() >= 2
                    && self.other_scripts.iter().any(|w| w.contains(&*c.stem)))
        })
    }
}

/// A cue's stems joined by spaces, as a field's `shares` are kept.
fn stem_key(words: &[Word]) -> String {
    words.iter().map(|w| &*w.stem).collect::<Vec<_>>().join(" ")
}

/// The summed weight of the cues found as written, each counted once and no request word read
/// by two cues; whether a name was among them; and their quotes. Cues for which `skip` holds
/// are left out (and leave their words to other cues).
fn weigh(
    list: &CueList,
    words: &[Word],
    present: &Present,
    skip: impl Fn(&GateCue) -> bool,
) -> (f32, bool, Vec<String>) {
    let mut taken: Option<Vec<bool>> = None;
    let mut total = 0.0;
    let mut named = false;
    let mut quotes = Vec::new();
    for cue in list.candidates(present).into_iter().map(|i| &list.cues[i]) {
        if !present.may_hold(&cue.words) || skip(cue) {
            continue;
        }
        let claimed = taken.get_or_insert_with(|| vec![false; words.len()]);
        if let Some((positions, MatchQuality::Exact)) = matching::find(words, &cue.words, claimed) {
            for p in positions {
                claimed[p] = true;
            }
            total += cue.weight;
            named |= cue.name;
            quotes.push(format!("{:?}", cue.text));
        }
    }
    (total, named, quotes)
}

impl FieldVerdict {
    /// The decline this verdict gives, with a reason that names the field.
    pub(super) fn into_decision(self) -> RouteDecision {
        let margin = (self.score - self.evidence) / self.score;
        let strength = (self.score / 4.0).min(1.0);
        let confidence = ((0.5 + 0.45 * margin * strength) * 100.0).round() / 100.0;
        let evidence = if self.evidence_quotes.is_empty() {
            "no sign of a data pipeline".to_string()
        } else {
            format!("weaker signs of a data pipeline ({})", self.evidence_quotes.join(", "))
        };
        RouteDecision {
            decision: Decision::Decline,
            skill: None,
            confidence,
            reasons: vec![
                format!("this is about {}, not {}", self.field, self.instead_of),
                format!(
                    "catalog: domain gate: words of {}: {}; {evidence}",
                    self.field,
                    self.quotes.join(", ")
                ),
            ],
            next_steps: vec![NextStep::OutOfScope {
                area: self.field,
                reason: self.reason,
            }],
        }
    }
}

/// A problem with the catalog's `domain_gate` section, as `validate` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateProblem {
    /// The field it concerns, if one (to find its line).
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Checks the catalog's `domain_gate` section: positive weights and least score, every field
/// named, with a reason and at least one cue, no field listed twice, no cue that is both a
/// field's and pipeline evidence (it would count for both sides), and a field shares only weak
/// pipeline evidence.
pub fn check(section: &catalog::DomainGate) -> Vec<GateProblem> {
    let mut problems = Vec::new();
    let mut problem = |field: Option<&str>, message: String| {
        problems.push(GateProblem {
            field: field.map(str::to_string),
            message,
        })
    };
    let w = section.weights;
    for (name, value) in [
        ("min_score", section.min_score),
        ("min_context_score", section.min_context_score),
        ("weights.name", w.name),
        ("weights.context", w.context),
        ("weights.strong_evidence", w.strong_evidence),
        ("weights.evidence", w.evidence),
        ("weights.reference_name", w.reference_name),
    ] {
        if value.is_nan() || value <= 0.0 {
            problem(None, format!("domain_gate.{name} must be above zero (it is {value})"));
        }
    }
    let mut reader = WordReader::default();
    let key = |reader: &mut WordReader, text: &str| reader.stems(text).join(" ");
    let weak_evidence: HashSet<String> = section
        .pipeline_evidence
        .weak
        .iter()
        .map(|t| key(&mut reader, t))
        .collect();
    let strong_evidence: HashSet<String> = section
        .pipeline_evidence
        .strong
        .iter()
        .map(|t| key(&mut reader, t))
        .collect();
    let evidence: HashSet<String> = weak_evidence.union(&strong_evidence).cloned().collect();
    if !section.shared_words.is_empty() && section.shared_words_advice.trim().is_empty() {
        problem(
            None,
            "domain_gate.shared_words_advice is empty: a request declined for its shared words needs advice".into(),
        );
    }
    for word in &section.shared_words {
        let k = key(&mut reader, word);
        if k.is_empty() {
            problem(None, format!("domain_gate.shared_words: {word:?} has no words"));
        } else if evidence.contains(&k) {
            problem(
                None,
                format!("domain_gate.shared_words: {word:?} is also pipeline evidence, so it could never decline"),
            );
        }
    }
    let mut names = HashSet::new();
    for field in &section.fields {
        let name = field.field.trim();
        let at = Some(field.field.as_str());
        if name.is_empty() {
            problem(at, "a domain_gate field has no name".into());
        }
        if !names.insert(name.to_lowercase()) {
            problem(at, format!("domain_gate field {name:?} is listed twice"));
        }
        if field.instead_of.trim().is_empty() {
            problem(at, format!("domain_gate field {name:?} has no instead_of"));
        }
        if field.reason.trim().is_empty() {
            problem(at, format!("domain_gate field {name:?} has no reason to give"));
        }
        if field.names.iter().chain(&field.context).all(|c| c.trim().is_empty()) {
            problem(at, format!("domain_gate field {name:?} has no names or context"));
        }
        for cue in field.names.iter().chain(&field.context) {
            let k = key(&mut reader, cue);
            if k.is_empty() {
                problem(at, format!("domain_gate field {name:?}: the cue {cue:?} has no words"));
            } else if evidence.contains(&k) {
                problem(
                    at,
                    format!("domain_gate field {name:?}: the cue {cue:?} is also pipeline evidence"),
                );
            }
        }
        for word in &field.shares {
            let k = key(&mut reader, word);
            if strong_evidence.contains(&k) && !weak_evidence.contains(&k) {
                problem(
                    at,
                    format!(
                        "domain_gate field {name:?}: shares {word:?}, which is strong pipeline evidence; only weak evidence can be shared"
                    ),
                );
            } else if !weak_evidence.contains(&k) {
                problem(
                    at,
                    format!("domain_gate field {name:?}: shares {word:?}, which is not in pipeline_evidence.weak"),
                );
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::catalog::{CATALOG_PATH, SiblingCatalog};

    fn gate() -> DomainGate {
        let yaml = String::from_utf8(crate::skill::SkillFiles::embedded().read(CATALOG_PATH).unwrap()).unwrap();
        let catalog = SiblingCatalog::parse(&yaml).unwrap();
        DomainGate::new(
            &catalog.domain_gate,
            &["max.poll.interval.ms".to_string()],
            &mut WordReader::default(),
        )
    }

    fn judge(gate: &DomainGate, text: &str) -> Option<FieldVerdict> {
        gate.judge(&WordReader::default().words(text))
    }

    #[test]
    fn a_fields_context_declines_and_names_the_field() {
        let gate = gate();
        for (text, field) in [
            (
                "My Twitch stream drops frames with OBS at 6000 bitrate",
                "media streaming",
            ),
            (
                "RxJava Flowable throws MissingBackpressureException",
                "reactive programming",
            ),
            (
                "Sidekiq jobs pile up in the default queue of our Rails app",
                "background job queues",
            ),
            (
                "ROS 2 subscriber on the scan topic gets nothing from the lidar driver",
                "robotics",
            ),
            ("essay outline on Franz Kafka: bureaucracy and guilt", "literature"),
            (
                "Jenkins pipeline: retry a stage when the build agent goes offline",
                "CI/CD",
            ),
        ] {
            let verdict = judge(&gate, text).unwrap_or_else(|| panic!("{text}: not declined"));
            assert!(verdict.field.contains(field), "{text}: {verdict:?}");
            let decision = verdict.into_decision();
            assert_eq!(decision.decision, Decision::Decline);
            assert!(decision.reasons[0].starts_with("this is about "), "{decision:?}");
            assert!(decision.reasons[0].contains(field), "{decision:?}");
        }
    }

    #[test]
    fn pipeline_evidence_wins_over_a_fields_context() {
        let gate = gate();
        for text in [
            "Our Kafka consumer group feeds the video analytics service; 1080p frame metadata lags",
            "LLM inference inside a Flink job: how do I call the OpenAI API without blocking?",
            "CDC from the game's Postgres into the players leaderboard table in BigQuery",
            "Market data from Interactive Brokers into Kafka, then a Flink job computes VWAP",
            "MQTT from the ESP32 sensors into Kafka via Kafka Connect",
            "max.poll.interval.ms exceeded while the Celery worker waits",
        ] {
            assert_eq!(judge(&gate, text), None, "{text}");
        }
    }

    #[test]
    fn a_shared_word_alone_is_no_field() {
        let gate = gate();
        for text in [
            "streaming checkpoint keeps failing",
            "how many partitions should a topic have",
            "the window closes before the late events arrive",
        ] {
            assert_eq!(judge(&gate, text), None, "{text}");
        }
    }

    #[test]
    fn the_embedded_section_passes_its_checks() {
        let yaml = String::from_utf8(crate::skill::SkillFiles::embedded().read(CATALOG_PATH).unwrap()).unwrap();
        let catalog = SiblingCatalog::parse(&yaml).unwrap();
        assert_eq!(check(&catalog.domain_gate), []);
    }

    fn small_gate(shares: &str) -> (catalog::DomainGate, DomainGate) {
        let yaml = format!(
            "min_score: 2\nmin_context_score: 4\nweights: {{name: 2, context: 1, strong_evidence: 4, evidence: 1, reference_name: 3}}\n\
             pipeline_evidence: {{strong: [kafka consumer], weak: [consumer, producer]}}\n\
             fields:\n  - {{field: in-process concurrency, instead_of: data streaming, reason: see the language docs, names: [asyncio], shares: [{shares}]}}\n"
        );
        let section: catalog::DomainGate = serde_saphyr::from_str(&yaml).unwrap();
        let gate = DomainGate::new(&section, &[], &mut WordReader::default());
        (section, gate)
    }

    #[test]
    fn a_fields_shared_words_are_no_evidence_against_it() {
        let text = "asyncio: the producer is faster than the consumer and memory grows";
        let (_, without) = small_gate("");
        assert_eq!(judge(&without, text), None, "two weak signs outweigh one name");
        let (_, with) = small_gate("consumer, producer");
        let verdict = judge(&with, text).expect("declined");
        assert_eq!(verdict.evidence, 0.0, "{verdict:?}");
        assert!(verdict.field.contains("concurrency"), "{verdict:?}");
        // Strong evidence still counts.
        assert_eq!(judge(&with, "asyncio wrapper around a Kafka consumer"), None);
    }

    #[test]
    fn check_reports_shares_that_are_not_weak_evidence() {
        let (section, _) = small_gate("consumer, kafka consumer, latency");
        let messages: Vec<String> = check(&section).into_iter().map(|p| p.message).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages[0].contains("strong pipeline evidence"), "{messages:?}");
        assert!(messages[1].contains("not in pipeline_evidence.weak"), "{messages:?}");
    }

    #[test]
    fn check_reports_a_cue_on_both_sides_and_a_missing_reason() {
        let yaml = "min_score: 2\nmin_context_score: 4\nweights: {name: 2, context: 1, strong_evidence: 3, evidence: 0, reference_name: 3}\n\
                    pipeline_evidence: {strong: [kafka consumer], weak: []}\n\
                    fields:\n  - {field: games, instead_of: data streaming, reason: '', context: [Kafka consumers]}\n";
        let section: catalog::DomainGate = serde_saphyr::from_str(yaml).unwrap();
        let messages: Vec<String> = check(&section).into_iter().map(|p| p.message).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("weights.evidence"), "{messages:?}");
        assert!(messages[1].contains("no reason"), "{messages:?}");
        assert!(messages[2].contains("also pipeline evidence"), "{messages:?}");
    }
}
