//! Routing: does a request belong to this skill, to a sibling skill, or to none?
//!
//! Every rule comes from the skill's own text: the trigger phrases quoted in the `SKILL.md`
//! description, the items of its "When to Use" and "When Not to Use" lists, and the sibling
//! catalog (`skill/siblings.yaml`) with its cues and weights. The same text always gets the same
//! answer, and the reasons quote what decided it.

pub mod catalog;
pub mod domain;
pub mod eval;
mod matching;
pub mod next_step;
mod reading;
pub mod terms;

use serde::Serialize;

use crate::skill::{Document, Skill, SkillError};
use crate::text::Word;
use crate::text::analyzer::WordReader;
use catalog::{CATALOG_PATH, CatalogError, SiblingCatalog};
use matching::MatchQuality;
pub use next_step::NextStep;
use reading::{Emphasis, ReadingWords, RequestText};

/// The three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Decision {
    /// This skill applies.
    Activate,
    /// A sibling skill applies.
    Route,
    /// No skill applies.
    Decline,
}

/// A routing answer with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RouteDecision {
    /// activate, route or decline.
    pub decision: Decision,
    /// The skill that takes the request, if any.
    pub skill: Option<String>,
    /// How sure the router is, from 0 to 1.
    pub confidence: f32,
    /// The cues and rules that decided, quoted from the skill's text.
    pub reasons: Vec<String>,
    /// What to do next: sections and tables to read (activate), the skill to hand over to and
    /// what to pass it (route), or why nothing applies (decline).
    pub next_steps: Vec<NextStep>,
}

impl RouteDecision {
    /// The answer in one line, as every front end starts it: `route dbt-skill (confidence
    /// 0.90)`; a decline names no skill.
    pub fn headline(&self) -> String {
        let skill = self.skill.as_deref().map(|s| format!(" {s}")).unwrap_or_default();
        format!("{}{skill} (confidence {:.2})", self.decision, self.confidence)
    }
}

/// Why routing rules could not be built.
#[derive(Debug, thiserror::Error)]
pub enum RoutingError {
    /// The catalog is missing or unreadable.
    #[error(transparent)]
    Skill(#[from] SkillError),
    /// The catalog does not parse.
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Activate,
    Sibling(usize),
    Area(usize),
}

#[derive(Debug, Clone)]
struct Cue {
    target: Target,
    words: Vec<Word>,
    /// The words' places in the router's cue vocabulary.
    ids: Vec<u32>,
    text: String,
    weight: f32,
    source: &'static str,
    /// Most words allowed between two of its words: none for a system's name.
    max_gap: usize,
}

#[derive(Debug, Clone)]
struct ListItem {
    text: String,
    words: Vec<String>,
}

/// How a reason names a cue from the catalog's `tools` (a streaming system's name).
const TOOL_SOURCE: &str = "catalog: streaming system";

/// Routing rules derived from a skill and its catalog.
#[derive(Debug, Clone)]
pub struct Router {
    skill: String,
    catalog: SiblingCatalog,
    cues: Vec<Cue>,
    activation_items: Vec<ListItem>,
    exclusion_items: Vec<(Option<usize>, String)>,
    data_engineering: Vec<Vec<Word>>,
    concepts: Vec<Concept>,
    reading: ReadingWords,
    vocabulary: matching::Vocabulary,
    gate: domain::DomainGate,
}

/// A symptom concept with its phrases stemmed.
#[derive(Debug, Clone)]
struct Concept {
    target: Target,
    name: String,
    groups: Vec<Vec<Phrase>>,
}

/// A phrase of a symptom concept.
#[derive(Debug, Clone)]
struct Phrase {
    text: String,
    words: Vec<Word>,
    /// The words' places in the router's cue vocabulary.
    ids: Vec<u32>,
}

/// A cue or symptom concept found in a request.
struct Found {
    target: Target,
    positions: Vec<usize>,
    quality: MatchQuality,
    weight: f32,
    source: &'static str,
    quote: String,
}

/// How much a found cue counts for where it stands.
struct Factors {
    sentence: f32,
    modifier: f32,
    position: f32,
    emphasis: Emphasis,
}

/// The least share of a request's distinctive words that one reference section must hold for
/// the request to activate the skill when no cue matched.
const REFERENCE_SHARE: f32 = 0.6;

impl Router {
    /// Derives the rules of `skill` (which must hold `skill/siblings.yaml`).
    pub fn from_skill(skill: &Skill) -> Result<Self, RoutingError> {
        let yaml = String::from_utf8_lossy(&skill.files().read(CATALOG_PATH)?).into_owned();
        let catalog = SiblingCatalog::parse(&yaml)?;
        let mut reference_names = Vec::new();
        for path in skill
            .file_paths()
            .iter()
            .filter(|p| p.starts_with("references/") && p.ends_with(".md"))
        {
            let text = String::from_utf8_lossy(&skill.files().read(path)?).into_owned();
            reference_names.extend(terms::quoted_names(&text, &catalog.reading.generic_names));
        }
        reference_names.sort();
        reference_names.dedup();
        Ok(Self::new(
            skill.name(),
            &skill.skill_md(),
            &skill.frontmatter().description,
            catalog,
            &reference_names,
        ))
    }

    /// Derives rules from a parsed `SKILL.md`, its description, a catalog and the setting and API
    /// names its references quote (see [`terms::quoted_names`]).
    pub fn new(
        skill: &str,
        skill_md: &Document,
        description: &str,
        catalog: SiblingCatalog,
        reference_names: &[String],
    ) -> Self {
        let mut reader = WordReader::default();
        let gate = domain::DomainGate::new(&catalog.domain_gate, reference_names, &mut reader);
        let scoring = catalog.scoring;
        let mut cues = Vec::new();
        let mut add = |target, texts: &[String], weight, source, reader: &mut WordReader| {
            for text in texts {
                let words = reader.words(text);
                if !words.is_empty() {
                    cues.push(Cue {
                        target,
                        words,
                        ids: Vec::new(),
                        text: text.clone(),
                        weight,
                        source,
                        max_gap: if source == TOOL_SOURCE { 0 } else { matching::MAX_GAP },
                    });
                }
            }
        };
        add(
            Target::Activate,
            &catalog.activation.strong,
            scoring.strong,
            "catalog: streaming cue",
            &mut reader,
        );
        add(
            Target::Activate,
            &catalog.activation.tools,
            scoring.tool,
            TOOL_SOURCE,
            &mut reader,
        );
        add(
            Target::Activate,
            &catalog.activation.weak,
            scoring.weak,
            "catalog: streaming cue (weak)",
            &mut reader,
        );
        add(
            Target::Activate,
            &catalog.activation.symptoms,
            scoring.symptom,
            "catalog: streaming symptom",
            &mut reader,
        );
        add(
            Target::Activate,
            reference_names,
            scoring.reference_name,
            "skill references: a setting or API they document",
            &mut reader,
        );
        add(
            Target::Activate,
            &quoted_phrases(description),
            scoring.description_phrase,
            "SKILL.md description",
            &mut reader,
        );
        for (i, sibling) in catalog.siblings.iter().enumerate() {
            add(
                Target::Sibling(i),
                &sibling.cues.strong,
                scoring.strong,
                "catalog: sibling cue",
                &mut reader,
            );
            add(
                Target::Sibling(i),
                &sibling.cues.weak,
                scoring.weak,
                "catalog: sibling cue (weak)",
                &mut reader,
            );
        }
        for (i, area) in catalog.out_of_scope.iter().enumerate() {
            add(
                Target::Area(i),
                &area.cues,
                scoring.area,
                "catalog: declined area",
                &mut reader,
            );
        }
        // Within a target, longer cues claim their words first ("snowpipe streaming" before
        // "snowpipe"); stronger cues break ties. A cue listed twice for a target counts once.
        cues.sort_by(|a, b| b.words.len().cmp(&a.words.len()).then(b.weight.total_cmp(&a.weight)));
        let mut seen = std::collections::HashSet::new();
        cues.retain(|c| seen.insert((c.words.clone(), cue_key(c.target))));

        let phrases = |list: &[String], reader: &mut WordReader| list.iter().map(|p| reader.words(p)).collect();
        let deferral_markers = phrases(&catalog.reading.deferral_markers, &mut reader);
        let priority_markers = phrases(&catalog.reading.priority_markers, &mut reader);
        let negations = phrases(&catalog.reading.negations, &mut reader);
        let status_quo_markers = phrases(&catalog.reading.status_quo_markers, &mut reader);
        let mut stems = |list: &[String]| list.iter().flat_map(|w| reader.stems(w)).collect();
        let reading = ReadingWords {
            deferral_markers,
            priority_markers,
            negations,
            status_quo_markers,
            clause_breaks: stems(&catalog.reading.clause_breaks),
            ask_openers: stems(&catalog.reading.ask_openers),
            lead_ins: stems(&catalog.reading.lead_ins),
            modifier_links: stems(&catalog.reading.modifier_links),
            filler: stems(&catalog.reading.filler),
        };
        let list_under = |slug: &str| -> Vec<String> {
            skill_md
                .markdown
                .section_by_slug(slug)
                .and_then(|(i, _)| skill_md.markdown.lists.iter().find(|l| l.section == Some(i)))
                .map(|l| l.items.clone())
                .unwrap_or_default()
        };
        let activation_items = list_under("when-to-use")
            .into_iter()
            .map(|text| {
                let words = content_words(&mut reader, &text, &reading.filler);
                ListItem { text, words }
            })
            .collect();
        let exclusion_items = list_under("when-not-to-use")
            .into_iter()
            .map(|text| (catalog.siblings.iter().position(|s| text.contains(&s.name)), text))
            .collect();
        let data_engineering = catalog.data_engineering.iter().map(|w| reader.words(w)).collect();
        let activation_concepts = catalog
            .activation
            .symptom_concepts
            .iter()
            .map(|c| (Target::Activate, c));
        let sibling_concepts = catalog
            .siblings
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.cues.concepts.iter().map(move |c| (Target::Sibling(i), c)));
        let concepts = activation_concepts
            .chain(sibling_concepts)
            .map(|(target, c)| Concept {
                target,
                name: c.name.clone(),
                groups: c
                    .all_of
                    .iter()
                    .map(|group| {
                        group
                            .iter()
                            .map(|p| Phrase {
                                text: p.clone(),
                                words: reader.words(p),
                                ids: Vec::new(),
                            })
                            .collect()
                    })
                    .collect(),
            })
            .collect();
        let mut concepts: Vec<Concept> = concepts;
        let mut vocabulary = matching::Vocabulary::default();
        for cue in &mut cues {
            cue.ids = vocabulary.ids(&cue.words);
        }
        for concept in &mut concepts {
            for phrase in concept.groups.iter_mut().flatten() {
                phrase.ids = vocabulary.ids(&phrase.words);
            }
        }
        Self {
            skill: skill.to_string(),
            catalog,
            cues,
            activation_items,
            exclusion_items,
            data_engineering,
            concepts,
            reading,
            vocabulary,
            gate,
        }
    }

    /// Every cue and symptom concept in the request. Within one target, a word read by one cue
    /// is not read again; a concept needs a phrase of each group in one sentence.
    fn find_cues(&self, request: &RequestText) -> Vec<Found> {
        let words = &request.words;
        let mut taken: Vec<(Target, Vec<bool>)> = Vec::new();
        let claimed_by = |taken: &mut Vec<(Target, Vec<bool>)>, target: Target| -> usize {
            match taken.iter().position(|(t, _)| *t == target) {
                Some(i) => i,
                None => {
                    taken.push((target, vec![false; words.len()]));
                    taken.len() - 1
                }
            }
        };
        let mut found = Vec::new();
        let mut presence = matching::Presence::new(words, &self.vocabulary);
        for cue in &self.cues {
            if !presence.may_hold(&cue.ids) {
                continue;
            }
            let slot = claimed_by(&mut taken, cue.target);
            let Some((positions, quality)) = matching::find_within(words, &cue.words, &taken[slot].1, cue.max_gap)
            else {
                continue;
            };
            // A weak cue says little; read through a typo it says nothing.
            if quality == MatchQuality::Fuzzy && cue.weight <= self.catalog.scoring.weak {
                continue;
            }
            let denied = self.negated(request, positions[0]);
            if denied && cue.target != Target::Activate {
                continue;
            }
            for &p in &positions {
                taken[slot].1[p] = true;
            }
            // "We don't need it in real time" speaks against this skill.
            found.push(Found {
                target: cue.target,
                positions,
                quality,
                weight: if denied { -cue.weight } else { cue.weight },
                source: if denied {
                    "the request says it does not need"
                } else {
                    cue.source
                },
                quote: format!("{:?}", cue.text),
            });
        }
        // Concepts read the request apart from the cues (a concept may share words with a cue of
        // its target: "dbt model" and "a model of the current state"), but not with each other.
        let mut concept_taken: Vec<(Target, Vec<bool>)> = Vec::new();
        for concept in &self.concepts {
            let slot = claimed_by(&mut concept_taken, concept.target);
            let taken = &mut concept_taken;
            // A concept may span a sentence and the next ("... ready by 7am. How do I get
            // notified if the upstream jobs haven't finished?").
            for (index, sentence) in request.sentences.iter().enumerate() {
                let end = request
                    .sentences
                    .get(index + 1)
                    .filter(|next| !next.aside && !sentence.aside)
                    .map_or(sentence.end, |next| next.end);
                let range = sentence.start..end;
                let mut positions = Vec::new();
                let mut quotes = Vec::new();
                let mut denied = false;
                for group in &concept.groups {
                    let hit = group
                        .iter()
                        .filter(|phrase| presence.may_hold(&phrase.ids))
                        .find_map(|phrase| {
                            matching::find(&words[range.clone()], &phrase.words, &taken[slot].1[range.clone()])
                                .filter(|(_, quality)| *quality == MatchQuality::Exact)
                                .map(|(p, _)| (p, &phrase.text))
                        });
                    let Some((p, text)) = hit else { break };
                    denied |= self.negated(request, p[0] + range.start);
                    positions.extend(p.into_iter().map(|p| p + range.start));
                    quotes.push(format!("{text:?}"));
                }
                if quotes.len() < concept.groups.len() || quotes.is_empty() {
                    continue;
                }
                if denied && concept.target != Target::Activate {
                    break;
                }
                for &p in &positions {
                    taken[slot].1[p] = true;
                }
                positions.sort_unstable();
                found.push(Found {
                    target: concept.target,
                    positions,
                    quality: MatchQuality::Exact,
                    weight: if denied {
                        -self.catalog.scoring.symptom_concept
                    } else {
                        self.catalog.scoring.symptom_concept
                    },
                    source: if denied {
                        "the request says it does not need"
                    } else if concept.target == Target::Activate {
                        "catalog: streaming symptom"
                    } else {
                        "catalog: sibling concept"
                    },
                    quote: format!("{} ({})", concept.name, quotes.join(" + ")),
                });
                break;
            }
        }
        found
    }

    /// Whether a negation ("we don't need") ends at most three words before `position`, in the
    /// same sentence.
    fn negated(&self, request: &RequestText, position: usize) -> bool {
        let sentence = &request.sentences[request.sentence_of(position)];
        let from = position.saturating_sub(3 + 4).max(sentence.start);
        let before = &request.words[from..position];
        let free = vec![false; before.len()];
        self.reading.negations.iter().any(|n| {
            matching::find(before, n, &free)
                .is_some_and(|(p, q)| q == MatchQuality::Exact && from + p[p.len() - 1] + 3 >= position)
        })
    }

    /// Where each found cue stands: in a sentence that asks or one that only gives context, and
    /// in the main ask or in a clause that only describes another skill's cue.
    fn factors(&self, request: &RequestText, found: &[Found]) -> Vec<Factors> {
        let scoring = &self.catalog.scoring;
        // The main ask: a sentence marked as such, or else the sentences that ask (unless they
        // are put off), or else the first sentence.
        let any_marked = request.sentences.iter().any(|s| s.marked_main);
        let any_asks = request.sentences.iter().any(|s| s.asks && !s.put_off);
        // The head of each sentence: its first cue that is not weak, and where the clause that
        // describes it starts (a modifier link at most two words after it).
        let heads: Vec<Option<(Target, usize)>> = (0..request.sentences.len())
            .map(|index| {
                let sentence = &request.sentences[index];
                let head = found
                    .iter()
                    .filter(|f| f.weight > scoring.weak && request.sentence_of(f.positions[0]) == index)
                    .min_by_key(|f| f.positions[0])?;
                let last = *head.positions.last()?;
                if let Some(label_end) = sentence.label_end.filter(|&end| last < end) {
                    return Some((head.target, label_end - 1));
                }
                let link = (last + 1..(last + 3).min(sentence.end))
                    .take_while(|&i| request.clause_of[i] == request.clause_of[last])
                    .find(|&i| self.reading.modifier_links.contains(&*request.words[i].stem))?;
                Some((head.target, link))
            })
            .collect();
        found
            .iter()
            .map(|f| {
                let index = request.sentence_of(f.positions[0]);
                let sentence = &request.sentences[index];
                let main = !sentence.aside
                    && if any_marked {
                        sentence.marked_main
                    } else if any_asks {
                        sentence.asks && !sentence.put_off
                    } else {
                        index == 0
                    };
                let modifier = match heads[index] {
                    Some((target, link))
                        if target != f.target
                            && f.positions[0] > link
                            && request.clause_of[f.positions[0]] == request.clause_of[link] =>
                    {
                        scoring.modifier
                    }
                    _ => 1.0,
                };
                // The main ask usually comes first in its sentence: earlier cues count up to half
                // as much again.
                let length = (sentence.end - sentence.start).max(1);
                let position = 1.0 + 0.5 * (1.0 - (f.positions[0] - sentence.start) as f32 / length as f32);
                let sentence_factor = match (main, sentence.aside) {
                    (true, _) => 1.0,
                    // An aside in parentheses is context and describes the rest.
                    (false, true) => scoring.later_sentence * scoring.modifier,
                    (false, false) => scoring.later_sentence,
                };
                Factors {
                    sentence: sentence_factor,
                    modifier,
                    position,
                    emphasis: request.emphasis[f.positions[0]],
                }
            })
            .collect()
    }

    /// The names of the sibling skills in the catalog.
    pub fn sibling_names(&self) -> Vec<&str> {
        self.catalog.siblings.iter().map(|s| s.name.as_str()).collect()
    }

    /// Routes one request on cues alone.
    pub fn route(&self, request: &str) -> RouteDecision {
        self.route_with_references(request, |_| None)
    }

    /// The words of a request that say something: stemmed, without filler or generic data words.
    pub fn distinctive_words(&self, text: &str) -> Vec<String> {
        let mut reader = WordReader::default();
        let mut words: Vec<String> = reader
            .stems(text)
            .into_iter()
            .filter(|w| w.len() > 2 && !self.reading.filler.contains(w))
            .filter(|w| !self.data_engineering.iter().any(|d| d.len() == 1 && *d[0].stem == **w))
            .collect();
        words.sort();
        words.dedup();
        words
    }

    /// Routes one request. When no cue of any kind matches, `best_reference` is asked for the
    /// reference section that best covers the request's distinctive words (its heading path and
    /// the share of those words it contains): a section of this skill that covers most of them
    /// means the request is in scope after all.
    pub fn route_with_references(
        &self,
        request: &str,
        best_reference: impl FnOnce(&[String]) -> Option<(String, f32)>,
    ) -> RouteDecision {
        let mut reader = WordReader::default();
        let request_text = RequestText::read(&mut reader, request, &self.reading);
        let words = &request_text.words;
        // First, whether the request is about data pipelines at all.
        if let Some(verdict) = self.gate.judge(words) {
            return verdict.into_decision();
        }
        let found = self.find_cues(&request_text);
        let factors = self.factors(&request_text, &found);

        let mut scores: Vec<(Target, f32)> = Vec::new();
        let mut evidence: Vec<(Target, String)> = Vec::new();
        // Siblings and declined areas whose own (not weak) cues matched: only they can win.
        let mut named_ask = std::collections::HashSet::new();
        let mut fuzzy_only = true;
        for (found, factor) in found.iter().zip(&factors) {
            let mut weight = if found.quality == MatchQuality::Fuzzy {
                found.weight / 2.0
            } else {
                found.weight
            };
            weight *=
                factor.sentence * factor.modifier * factor.position * factor.emphasis.factor(&self.catalog.scoring);
            if found.weight > self.catalog.scoring.weak && found.target != Target::Activate {
                named_ask.insert(cue_key(found.target));
            }
            if found.quality == MatchQuality::Exact && found.weight > 0.0 {
                fuzzy_only = false;
            }
            bump(&mut scores, found.target, weight);
            let typo = if found.quality == MatchQuality::Fuzzy {
                ", with a typo"
            } else {
                ""
            };
            let context = if factor.emphasis == Emphasis::StatusQuo {
                " (in a part that describes how things are today)"
            } else if factor.emphasis == Emphasis::PutOff {
                " (in a part the request puts off)"
            } else if factor.modifier < 1.0 {
                " (only describes the subject of the main ask)"
            } else if factor.sentence < 1.0 {
                " (in a sentence that only gives context)"
            } else if factor.emphasis == Emphasis::Main {
                " (marked as the main ask)"
            } else {
                ""
            };
            evidence.push((
                found.target,
                format!("{}: {}{typo}{context}", found.source, found.quote),
            ));
        }
        // Overlap with the best "When to Use" item, on words no cue has read yet.
        // Generic data words ("table", "data") say nothing about streaming: only the item's
        // distinctive words count.
        let claimed: std::collections::HashSet<usize> =
            found.iter().flat_map(|f| f.positions.iter().copied()).collect();
        let request_words: std::collections::HashSet<&str> = words
            .iter()
            .enumerate()
            .filter(|(i, _)| !claimed.contains(i))
            .map(|(_, w)| &*w.stem)
            .filter(|w| {
                !self.reading.filler.contains(*w)
                    && !self.data_engineering.iter().any(|d| d.len() == 1 && &*d[0].stem == *w)
            })
            .collect();
        let best_item = self
            .activation_items
            .iter()
            .map(|item| {
                (
                    item.words.iter().filter(|w| request_words.contains(w.as_str())).count(),
                    item,
                )
            })
            .max_by_key(|(shared, _)| *shared);
        // One shared word is chance; two or more is a topic.
        let mut item_matched = false;
        if let Some((shared, item)) = best_item.filter(|(shared, _)| *shared >= 2) {
            item_matched = true;
            let weight = self.catalog.scoring.activation_item * (shared.min(2) as f32) / 2.0;
            bump(&mut scores, Target::Activate, weight);
            evidence.push((Target::Activate, format!("SKILL.md \"When to Use\": {:?}", item.text)));
        }
        scores.retain(|(target, _)| *target == Target::Activate || named_ask.contains(&cue_key(*target)));
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(priority(a.0).cmp(&priority(b.0))));
        let about_data = self
            .data_engineering
            .iter()
            .any(|w| matching::find(words, w, &vec![false; words.len()]).is_some());

        let Some(&(best, best_score)) = scores.first() else {
            let distinctive = self.distinctive_words(request);
            if distinctive.len() >= 2
                && let Some((heading, share)) = best_reference(&distinctive)
                && share >= REFERENCE_SHARE
            {
                let confidence = ((0.5 + (share - REFERENCE_SHARE)) * 100.0).round() / 100.0;
                return RouteDecision {
                    decision: Decision::Activate,
                    skill: Some(self.skill.clone()),
                    confidence: confidence.min(0.7),
                    reasons: vec![format!(
                        "no cue matched, but the skill's reference section {heading:?} holds {:.0}% of the request's distinctive words",
                        share * 100.0
                    )],
                    next_steps: Vec::new(),
                };
            }
            return self.decline_unmatched(about_data, self.unfamiliar_language(&request_text));
        };
        let second = scores.get(1).map_or(0.0, |s| s.1);
        let margin = (best_score - second) / best_score;
        let strength = (best_score / (2.0 * self.catalog.scoring.min_score)).min(1.0);
        let mut confidence = 0.5 + 0.5 * margin * strength;
        if best_score < self.catalog.scoring.min_score || fuzzy_only {
            confidence = confidence.min(0.45);
        }
        let confidence = (confidence * 100.0).round() / 100.0;
        let reasons: Vec<String> = evidence
            .iter()
            .filter(|(t, _)| *t == best)
            .map(|(_, r)| r.clone())
            .collect();
        match best {
            Target::Activate if !item_matched && let Some(shared) = self.only_shared_words(&found, words) => {
                self.decline_shared_words(&shared)
            }
            Target::Activate => RouteDecision {
                decision: Decision::Activate,
                skill: Some(self.skill.clone()),
                confidence,
                reasons,
                next_steps: Vec::new(),
            },
            Target::Sibling(i) => {
                let sibling = &self.catalog.siblings[i];
                let mut reasons = reasons;
                if let Some((_, item)) = self.exclusion_items.iter().find(|(s, _)| *s == Some(i)) {
                    reasons.push(format!("SKILL.md \"When Not to Use\": {item:?}"));
                }
                reasons.push(format!("catalog: {}", sibling.tell_apart));
                RouteDecision {
                    decision: Decision::Route,
                    skill: Some(sibling.name.clone()),
                    confidence,
                    reasons,
                    next_steps: vec![NextStep::HandOff {
                        skill: sibling.name.clone(),
                        pass: Some(sibling.handoff.clone()),
                        loaded: false,
                    }],
                }
            }
            Target::Area(i) => {
                let area = &self.catalog.out_of_scope[i];
                let mut reasons = reasons;
                if let Some((_, item)) = self.exclusion_items.iter().find(|(s, text)| {
                    s.is_none()
                        && text
                            .to_lowercase()
                            .contains(&area.area.split_whitespace().next().unwrap_or_default().to_lowercase())
                }) {
                    reasons.push(format!("SKILL.md \"When Not to Use\": {item:?}"));
                }
                RouteDecision {
                    decision: Decision::Decline,
                    skill: None,
                    confidence,
                    reasons,
                    next_steps: vec![NextStep::OutOfScope {
                        area: area.area.clone(),
                        reason: area.reason.clone(),
                    }],
                }
            }
        }
    }

    /// The words that activated the request, when every cue for this skill is made of words
    /// other fields share (or matched only through a typo) and nothing else in it shows a data
    /// pipeline; `None` otherwise.
    fn only_shared_words(&self, found: &[Found], words: &[Word]) -> Option<Vec<String>> {
        let mut shared = Vec::new();
        for f in found.iter().filter(|f| f.target == Target::Activate && f.weight > 0.0) {
            for &p in &f.positions {
                let word = &words[p];
                // A word read only through a typo ("broken" for "broker") is no evidence either.
                if f.quality == MatchQuality::Exact && !self.gate.is_shared(&word.stem) {
                    return None;
                }
                let quoted = if f.quality == MatchQuality::Exact {
                    format!("{:?}", word.raw)
                } else {
                    format!("{:?} (a typo match)", word.raw)
                };
                if !shared.contains(&quoted) {
                    shared.push(quoted);
                }
            }
        }
        let (evidence, _) = self.gate.evidence(words);
        (!shared.is_empty() && evidence <= 0.0).then_some(shared)
    }

    /// The decline of a request whose only cues are words other fields share.
    fn decline_shared_words(&self, shared: &[String]) -> RouteDecision {
        RouteDecision {
            decision: Decision::Decline,
            skill: None,
            confidence: 0.55,
            reasons: vec![format!(
                "catalog: domain gate: the only cues are {}, words shared with other fields, and nothing in the request shows a data pipeline",
                shared.join(", ")
            )],
            next_steps: vec![NextStep::Explain {
                text: self.catalog.domain_gate.shared_words_advice.trim().to_string(),
            }],
        }
    }

    /// Whether a request seems written in a language the catalog hardly covers: most of its
    /// letters are not ASCII, or none of its words (three or more) is a common English word.
    fn unfamiliar_language(&self, request: &RequestText) -> bool {
        let letters: Vec<char> = request.words.iter().flat_map(|w| w.raw.chars()).collect();
        let foreign_letters = letters.iter().filter(|c| !c.is_ascii()).count();
        let english = request
            .words
            .iter()
            .filter(|w| self.reading.filler.contains(&*w.stem))
            .count();
        foreign_letters * 2 > letters.len() || (request.words.len() >= 3 && english == 0)
    }

    fn decline_unmatched(&self, about_data: bool, unfamiliar_language: bool) -> RouteDecision {
        if unfamiliar_language {
            return RouteDecision {
                decision: Decision::Decline,
                skill: None,
                confidence: 0.3,
                reasons: vec![
                    "no cue matched, but the request seems written in a language the routing rules hardly cover, so this is a guess"
                        .to_string(),
                ],
                next_steps: vec![NextStep::Explain {
                    text: format!(
                        "Read the request yourself: {} covers real-time pipelines and streaming symptoms; its siblings are {}.",
                        self.skill,
                        self.sibling_names().join(", ")
                    ),
                }],
            };
        }
        let (reason, step, confidence) = if about_data {
            (
                "the request is about data, but no cue of this skill, a sibling or a declined area matched".to_string(),
                format!(
                    "No skill here covers this request: {} covers real-time pipelines; its siblings are {}.",
                    self.skill,
                    self.sibling_names().join(", ")
                ),
                0.5,
            )
        } else {
            (
                "no data-engineering term and no cue of this skill or its siblings matched".to_string(),
                "Not a data-engineering request: answer it without these skills.".to_string(),
                0.7,
            )
        };
        RouteDecision {
            decision: Decision::Decline,
            skill: None,
            confidence,
            reasons: vec![reason],
            next_steps: vec![NextStep::Explain { text: step }],
        }
    }
}

fn bump(scores: &mut Vec<(Target, f32)>, target: Target, weight: f32) {
    match scores.iter_mut().find(|(t, _)| *t == target) {
        Some((_, s)) => *s += weight,
        None => scores.push((target, weight)),
    }
}

fn cue_key(target: Target) -> (u8, usize) {
    match target {
        Target::Activate => (0, 0),
        Target::Sibling(i) => (1, i),
        Target::Area(i) => (2, i),
    }
}

/// On equal scores, a sibling or declined area (which name the ask) wins over this skill (whose
/// cues often only name the data's origin), then the earlier one in the catalog.
fn priority(target: Target) -> (u8, usize) {
    match target {
        Target::Sibling(i) => (0, i),
        Target::Area(i) => (1, i),
        Target::Activate => (2, 0),
    }
}

/// The phrases quoted in a description (`"real-time pipeline"`).
fn quoted_phrases(description: &str) -> Vec<String> {
    description
        .split('"')
        .skip(1)
        .step_by(2)
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn content_words(reader: &mut WordReader, text: &str, filler: &std::collections::HashSet<String>) -> Vec<String> {
    let mut words: Vec<String> = reader
        .stems(text)
        .into_iter()
        .filter(|w| !filler.contains(w) && w.len() > 2)
        .collect();
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router() -> Router {
        Router::from_skill(&Skill::embedded().unwrap()).unwrap()
    }

    #[test]
    fn the_examples_of_the_issue() {
        let r = router();
        let d = r.route("our fraud alerts fire 20 minutes late");
        assert_eq!(
            (d.decision, d.skill.as_deref()),
            (Decision::Activate, Some("streaming-data-skill")),
            "{d:#?}"
        );
        let d = r.route("my Airflow DAG that restarts a Kafka Connect connector needs a retry policy");
        assert_eq!(
            (d.decision, d.skill.as_deref()),
            (Decision::Route, Some("data-orchestration-skill")),
            "{d:#?}"
        );
        assert!(d.reasons.iter().any(|r| r.contains("airflow")), "{d:#?}");
    }

    #[test]
    fn shared_words_alone_do_not_activate() {
        let r = router();
        let d = r.route(
            "the irrigation pipeline to the greenhouse has a lag before pressure builds; is a buffer tank worth it?",
        );
        assert_eq!(d.decision, Decision::Decline, "{d:#?}");
        assert!(d.reasons[0].contains("shared with other fields"), "{d:#?}");
        let d = r.route("my neighbour's broken fence keeps falling into our garden, what can I do?");
        assert_eq!(d.decision, Decision::Decline, "a typo match is no evidence: {d:#?}");
        for streaming in [
            "the pipeline lag on our Kafka consumer group keeps growing",
            "events arrive out of order and our sessions split in two",
        ] {
            let d = r.route(streaming);
            assert_eq!(d.decision, Decision::Activate, "{streaming}: {d:#?}");
        }
    }

    #[test]
    fn declines_unrelated_requests() {
        let d = router().route("what is a good recipe for banana bread");
        assert_eq!(d.decision, Decision::Decline);
        assert!(d.skill.is_none());
    }

    #[test]
    fn deterministic() {
        let r = router();
        let text = "dbt incremental model over the events table that Snowpipe loads";
        assert_eq!(r.route(text), r.route(text));
        assert_eq!(r.route(text).skill.as_deref(), Some("dbt-skill"));
    }

    fn routed(r: &Router, text: &str) -> (Decision, Option<String>) {
        let d = r.route(text);
        (d.decision, d.skill)
    }

    #[test]
    fn a_clause_that_describes_the_main_ask_counts_for_less() {
        let r = router();
        // The Flink savepoint only describes what the Dagster job does.
        let d = r.route("Dagster job that triggers a Flink savepoint before the nightly deploy and retries 3 times");
        assert_eq!(d.skill.as_deref(), Some("data-orchestration-skill"), "{d:#?}");
        assert!(d.reasons.iter().any(|r| r.contains("dagster")), "{d:#?}");
        // Turned around, the Flink job is the subject.
        let d = r.route("Flink job that reads the topic the Airflow DAG fills: how do I tune its checkpoints?");
        assert_eq!(d.skill.as_deref(), Some("streaming-data-skill"), "{d:#?}");
    }

    #[test]
    fn what_a_request_puts_off_or_denies_does_not_decide() {
        let r = router();
        let d = r.route(
            "We need a data quality check on the landed table eventually, but the Flink job is 20 min behind and that's what's killing us",
        );
        assert_eq!(d.skill.as_deref(), Some("streaming-data-skill"), "{d:#?}");
        assert!(d.reasons.iter().all(|r| !r.contains("quality")), "{d:#?}");
        let (decision, skill) = routed(
            &r,
            "We don't need it in real time; load the partner's CSV files from SFTP into the warehouse every night",
        );
        assert_eq!(
            (decision, skill.as_deref()),
            (Decision::Route, Some("integration-patterns-skill"))
        );
    }

    #[test]
    fn symptoms_in_plain_words_activate() {
        let r = router();
        for text in [
            "The count of unprocessed messages keeps climbing and never comes back down",
            "Every time a worker joins or leaves, all processing pauses for a minute",
            "one worker sits at 100% cpu while the other 11 idle",
        ] {
            let d = r.route(text);
            assert_eq!(d.decision, Decision::Activate, "{text}: {d:#?}");
            assert!(
                d.reasons.iter().any(|r| r.contains("streaming symptom")),
                "{text}: {d:#?}"
            );
        }
    }

    #[test]
    fn settings_quoted_from_the_references_activate() {
        let d = router().route("logs say max.poll.interval.ms exceeded, what now");
        assert_eq!(d.decision, Decision::Activate, "{d:#?}");
        assert!(d.reasons.iter().any(|r| r.contains("max.poll.interval.ms")), "{d:#?}");
    }

    #[test]
    fn an_unreadable_language_is_declined_without_confidence() {
        let d = router().route("Ποιο είναι το καλύτερο εστιατόριο στην πόλη;");
        assert_eq!(d.decision, Decision::Decline);
        assert!(d.confidence < 0.5, "{d:#?}");
    }

    #[test]
    fn quoted_phrases_come_from_the_description() {
        assert_eq!(quoted_phrases(r#"Say "a b" or "c"."#), ["a b", "c"]);
    }
}
