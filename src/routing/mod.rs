//! Routing: does a request belong to this skill, to a sibling skill, or to none?
//!
//! Every rule comes from the skill's own text: the trigger phrases quoted in the `SKILL.md`
//! description, the items of its "When to Use" and "When Not to Use" lists, and the sibling
//! catalog (`skill/siblings.yaml`) with its cues and weights. The same text always gets the same
//! answer, and the reasons quote what decided it.

pub mod catalog;
pub mod eval;
pub mod text;

use serde::Serialize;

use crate::skill::{Document, Skill, SkillError};
use catalog::{CATALOG_PATH, CatalogError, SiblingCatalog};
use text::{MatchQuality, Stemmer2};

/// The three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
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
    /// What to do next: sections or tools to read (activate), what to hand over (route), or
    /// why nothing applies (decline).
    pub next_steps: Vec<String>,
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
    words: Vec<(String, String)>,
    text: String,
    weight: f32,
    source: &'static str,
}

#[derive(Debug, Clone)]
struct ListItem {
    text: String,
    words: Vec<String>,
}

/// Routing rules derived from a skill and its catalog.
#[derive(Debug, Clone)]
pub struct Router {
    skill: String,
    catalog: SiblingCatalog,
    cues: Vec<Cue>,
    activation_items: Vec<ListItem>,
    exclusion_items: Vec<(Option<usize>, String)>,
    data_engineering: Vec<Vec<(String, String)>>,
}

/// The least share of a request's distinctive words that one reference section must hold for
/// the request to activate the skill when no cue matched.
const REFERENCE_SHARE: f32 = 0.6;

/// Words too common to count as overlap with a "When to Use" item.
const FILLER: [&str; 24] = [
    "a", "an", "and", "or", "the", "of", "to", "in", "on", "for", "with", "by", "as", "at", "is", "are", "it", "my",
    "our", "how", "what", "do", "i", "we",
];

impl Router {
    /// Derives the rules of `skill` (which must hold `skill/siblings.yaml`).
    pub fn from_skill(skill: &Skill) -> Result<Self, RoutingError> {
        let yaml = String::from_utf8_lossy(&skill.files().read(CATALOG_PATH)?).into_owned();
        let catalog = SiblingCatalog::parse(&yaml)?;
        Ok(Self::new(
            skill.name(),
            &skill.skill_md(),
            &skill.frontmatter().description,
            catalog,
        ))
    }

    /// Derives rules from a parsed `SKILL.md`, its description and a catalog.
    pub fn new(skill: &str, skill_md: &Document, description: &str, catalog: SiblingCatalog) -> Self {
        let mut stem = Stemmer2::default();
        let scoring = catalog.scoring;
        let mut cues = Vec::new();
        let mut add = |target, texts: &[String], weight, source, stem: &mut Stemmer2| {
            for text in texts {
                let words = stem.words_with_raw(text);
                if !words.is_empty() {
                    cues.push(Cue {
                        target,
                        words,
                        text: text.clone(),
                        weight,
                        source,
                    });
                }
            }
        };
        add(
            Target::Activate,
            &catalog.activation.strong,
            scoring.strong,
            "catalog: streaming cue",
            &mut stem,
        );
        add(
            Target::Activate,
            &catalog.activation.tools,
            scoring.tool,
            "catalog: streaming system",
            &mut stem,
        );
        add(
            Target::Activate,
            &catalog.activation.weak,
            scoring.weak,
            "catalog: streaming cue (weak)",
            &mut stem,
        );
        add(
            Target::Activate,
            &catalog.activation.symptoms,
            scoring.symptom,
            "catalog: streaming symptom",
            &mut stem,
        );
        add(
            Target::Activate,
            &quoted_phrases(description),
            scoring.description_phrase,
            "SKILL.md description",
            &mut stem,
        );
        for (i, sibling) in catalog.siblings.iter().enumerate() {
            add(
                Target::Sibling(i),
                &sibling.cues.strong,
                scoring.strong,
                "catalog: sibling cue",
                &mut stem,
            );
            add(
                Target::Sibling(i),
                &sibling.cues.weak,
                scoring.weak,
                "catalog: sibling cue (weak)",
                &mut stem,
            );
        }
        for (i, area) in catalog.out_of_scope.iter().enumerate() {
            add(
                Target::Area(i),
                &area.cues,
                scoring.area,
                "catalog: declined area",
                &mut stem,
            );
        }
        // Within a target, longer cues claim their words first ("snowpipe streaming" before
        // "snowpipe"); stronger cues break ties. A cue listed twice for a target counts once.
        cues.sort_by(|a, b| b.words.len().cmp(&a.words.len()).then(b.weight.total_cmp(&a.weight)));
        let mut seen = std::collections::HashSet::new();
        cues.retain(|c| seen.insert((c.words.clone(), cue_key(c.target))));

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
                let words = content_words(&mut stem, &text);
                ListItem { text, words }
            })
            .collect();
        let exclusion_items = list_under("when-not-to-use")
            .into_iter()
            .map(|text| (catalog.siblings.iter().position(|s| text.contains(&s.name)), text))
            .collect();
        let data_engineering = catalog
            .data_engineering
            .iter()
            .map(|w| stem.words_with_raw(w))
            .collect();
        Self {
            skill: skill.to_string(),
            catalog,
            cues,
            activation_items,
            exclusion_items,
            data_engineering,
        }
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
        let mut stem = Stemmer2::default();
        let mut words: Vec<String> = stem
            .words(text)
            .into_iter()
            .filter(|w| w.len() > 2 && !FILLER.contains(&w.as_str()))
            .filter(|w| !self.data_engineering.iter().any(|d| d.len() == 1 && &d[0].0 == w))
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
        let mut stem = Stemmer2::default();
        let words = stem.words_with_raw(request);
        let first_sentence_words = first_sentence(request).map_or(words.len(), |s| stem.words(s).len());
        // Words claimed by a cue, per target: a target's cues do not count the same words twice,
        // but different targets may each read them.
        let mut taken: Vec<(Target, Vec<bool>)> = Vec::new();
        let mut scores: Vec<(Target, f32)> = Vec::new();
        let mut evidence: Vec<(Target, String)> = Vec::new();
        // Siblings and declined areas whose own (not weak) cues matched: only they can win.
        let mut named_ask = std::collections::HashSet::new();
        let mut fuzzy_only = true;
        for cue in &self.cues {
            let claimed = match taken.iter().position(|(t, _)| *t == cue.target) {
                Some(i) => i,
                None => {
                    taken.push((cue.target, vec![false; words.len()]));
                    taken.len() - 1
                }
            };
            let Some((positions, quality)) = text::find(&words, &cue.words, &taken[claimed].1) else {
                continue;
            };
            for &p in &positions {
                taken[claimed].1[p] = true;
            }
            let mut weight = if quality == MatchQuality::Fuzzy {
                cue.weight / 2.0
            } else {
                cue.weight
            };
            if positions[0] >= first_sentence_words {
                weight *= self.catalog.scoring.later_sentence;
            }
            // The main ask usually comes first: earlier cues count up to half as much again.
            weight *= 1.0 + 0.5 * (1.0 - positions[0] as f32 / words.len().max(1) as f32);
            if cue.weight > self.catalog.scoring.weak && cue.target != Target::Activate {
                named_ask.insert(cue_key(cue.target));
            }
            if quality == MatchQuality::Exact {
                fuzzy_only = false;
            }
            bump(&mut scores, cue.target, weight);
            let typo = if quality == MatchQuality::Fuzzy {
                ", with a typo"
            } else {
                ""
            };
            evidence.push((cue.target, format!("{}: {:?}{typo}", cue.source, cue.text)));
        }
        // Overlap with the best "When to Use" item.
        // Generic data words ("table", "data") say nothing about streaming: only the item's
        // distinctive words count.
        let request_words: std::collections::HashSet<&String> = words
            .iter()
            .map(|(stem, _)| stem)
            .filter(|w| {
                !FILLER.contains(&w.as_str()) && !self.data_engineering.iter().any(|d| d.len() == 1 && &d[0].0 == *w)
            })
            .collect();
        let best_item = self
            .activation_items
            .iter()
            .map(|item| (item.words.iter().filter(|w| request_words.contains(w)).count(), item))
            .max_by_key(|(shared, _)| *shared);
        // One shared word is chance; two or more is a topic.
        if let Some((shared, item)) = best_item.filter(|(shared, _)| *shared >= 2) {
            let weight = self.catalog.scoring.activation_item * (shared.min(2) as f32) / 2.0;
            bump(&mut scores, Target::Activate, weight);
            evidence.push((Target::Activate, format!("SKILL.md \"When to Use\": {:?}", item.text)));
        }
        scores.retain(|(target, _)| *target == Target::Activate || named_ask.contains(&cue_key(*target)));
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(priority(a.0).cmp(&priority(b.0))));
        let about_data = self
            .data_engineering
            .iter()
            .any(|w| text::find(&words, w, &vec![false; words.len()]).is_some());

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
            return self.decline_unmatched(about_data);
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
                    next_steps: vec![format!("Hand the request to {}. {}", sibling.name, sibling.handoff)],
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
                    next_steps: vec![format!("Out of scope ({}): {}", area.area, area.reason)],
                }
            }
        }
    }

    fn decline_unmatched(&self, about_data: bool) -> RouteDecision {
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
            next_steps: vec![step],
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

/// The first sentence of a request, when it has more than one.
fn first_sentence(request: &str) -> Option<&str> {
    let end = request
        .char_indices()
        .find(|&(i, c)| matches!(c, '.' | '?' | '!' | ';') && request[i + 1..].starts_with(char::is_whitespace))?;
    Some(&request[..end.0])
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

fn content_words(stem: &mut Stemmer2, text: &str) -> Vec<String> {
    let mut words: Vec<String> = stem
        .words(text)
        .into_iter()
        .filter(|w| !FILLER.contains(&w.as_str()) && w.len() > 2)
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

    #[test]
    fn quoted_phrases_come_from_the_description() {
        assert_eq!(quoted_phrases(r#"Say "a b" or "c"."#), ["a b", "c"]);
    }
}
