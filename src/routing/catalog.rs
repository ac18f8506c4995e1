//! The sibling catalog (`skill/siblings.yaml`): cues for this skill, its sibling skills and the
//! areas it declines, and the weights routing gives them.

use serde::Deserialize;

/// Where the catalog lives in a skill folder.
pub const CATALOG_PATH: &str = "skill/siblings.yaml";

/// The parsed catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiblingCatalog {
    /// The skill the catalog belongs to.
    pub skill: String,
    /// Cue weights.
    pub scoring: Scoring,
    /// Extra cues that a request belongs to this skill.
    pub activation: ActivationCues,
    /// The sibling skills.
    pub siblings: Vec<Sibling>,
    /// Areas declined with no sibling.
    pub out_of_scope: Vec<DeclinedArea>,
    /// Words that show a request is about data engineering at all.
    pub data_engineering: Vec<String>,
    /// How routing reads the shape of a request: which sentence asks and which words only
    /// describe another.
    pub reading: Reading,
    /// The fields outside data engineering that share this skill's words, read before any cue
    /// (see [`DomainGate`]). A catalog without the section has no gate.
    #[serde(default)]
    pub domain_gate: DomainGate,
}

/// The domain gate: fields that share this skill's vocabulary ("streaming", "topic", "Kafka")
/// and the words that tell them apart from data pipelines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainGate {
    /// The least score of a field's cues for the gate to decline a request, when one of the
    /// field's names is among them.
    pub min_score: f32,
    /// The least score of a field's context words alone (no name) for the gate to decline:
    /// words such as "players" or "patients" also describe where a real pipeline's data
    /// comes from.
    pub min_context_score: f32,
    /// How much each kind of gate cue counts.
    pub weights: GateWeights,
    /// Words that show a request is about data pipelines after all.
    pub pipeline_evidence: PipelineEvidence,
    /// Words this skill shares with other fields ("stream", "lag", "broker"): a request whose
    /// only cues are made of these words, with no pipeline evidence, is declined.
    #[serde(default)]
    pub shared_words: Vec<String>,
    /// What to do with a request declined for its shared words alone.
    #[serde(default)]
    pub shared_words_advice: String,
    /// The fields that share the vocabulary.
    pub fields: Vec<SharedField>,
}

impl Default for DomainGate {
    fn default() -> Self {
        Self {
            min_score: 2.0,
            min_context_score: 4.0,
            weights: GateWeights {
                name: 2.0,
                context: 1.0,
                strong_evidence: 3.0,
                evidence: 1.0,
                reference_name: 3.0,
            },
            pipeline_evidence: PipelineEvidence {
                strong: Vec::new(),
                weak: Vec::new(),
            },
            shared_words: Vec::new(),
            shared_words_advice: String::new(),
            fields: Vec::new(),
        }
    }
}

/// The weights of the domain gate's cues.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateWeights {
    /// A name that points to one field alone ("Twitch", "RxJava").
    pub name: f32,
    /// A word that leans to a field ("bitrate", "players").
    pub context: f32,
    /// Strong pipeline evidence ("consumer group", "data warehouse").
    pub strong_evidence: f32,
    /// Weak pipeline evidence ("table", a streaming system's bare name).
    pub evidence: f32,
    /// A setting or API name that the skill's references quote.
    pub reference_name: f32,
}

/// Evidence that a request is about data pipelines.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineEvidence {
    /// Words and phrases that only data pipelines use.
    pub strong: Vec<String>,
    /// Words that lean to data pipelines.
    pub weak: Vec<String>,
}

/// A field that shares this skill's vocabulary.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedField {
    /// Its name, as the decline reason gives it ("media streaming (video, music, live broadcasts)").
    pub field: String,
    /// What the request is not about, as the decline reason gives it ("data streaming").
    pub instead_of: String,
    /// Where to go instead, given as the next step.
    pub reason: String,
    /// Names and terms that point to this field alone.
    #[serde(default)]
    pub names: Vec<String>,
    /// Words that lean to this field.
    #[serde(default)]
    pub context: Vec<String>,
    /// Weak pipeline evidence this field uses in a sense of its own ("consumer" in consumer
    /// law, "kafka" in literature): when the field is the best match, these do not count as
    /// signs of a data pipeline against it.
    #[serde(default)]
    pub shares: Vec<String>,
}

/// The words routing uses to find a request's main ask.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reading {
    /// Words that open a sentence asking for something (a question word or an imperative verb);
    /// a sentence ending in a question mark asks too. Sentences that only give context count
    /// for less when another sentence asks.
    pub ask_openers: Vec<String>,
    /// Words skipped before looking for an opener ("so", "hey", "we").
    pub lead_ins: Vec<String>,
    /// Words that tie what follows to the cue before them ("a dbt model *that* reads the Kafka
    /// table", "a DAG *for* the Flink job"): cues of other skills after them only describe the
    /// first cue's subject.
    pub modifier_links: Vec<String>,
    /// Words too common to show a topic when comparing a request with a "When to Use" item.
    pub filler: Vec<String>,
    /// Phrases that put off the part of a request they stand in ("side question", "that can
    /// wait", "we already did"): it is not the main ask.
    pub deferral_markers: Vec<String>,
    /// Phrases that mark the part of a request they stand in as the main ask ("right now",
    /// "asap", "what I need help with").
    pub priority_markers: Vec<String>,
    /// Phrases that describe how things are today ("right now a nightly job checks it"): the
    /// part they stand in is background to the ask.
    pub status_quo_markers: Vec<String>,
    /// Phrases that deny a need when they come shortly before a cue ("we don't need it in real
    /// time"): the cue does not count.
    pub negations: Vec<String>,
    /// Words that start a new clause within a sentence ("but", "however").
    pub clause_breaks: Vec<String>,
    /// Names quoted in the references' code spans that are too generic to show a streaming
    /// request (`CURRENT_DATE`).
    pub generic_names: Vec<String>,
}

/// How much each kind of cue counts.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// A cue that names what the request is for.
    pub strong: f32,
    /// A streaming system named by the request (which may only be where its data comes from).
    pub tool: f32,
    /// A cue that only shows what the request is about.
    pub weak: f32,
    /// A streaming symptom described in plain words.
    pub symptom: f32,
    /// A cue of a declined area.
    pub area: f32,
    /// A trigger phrase quoted in the skill's description.
    pub description_phrase: f32,
    /// The best match against an item of the skill's "When to Use" list, scaled by its overlap.
    pub activation_item: f32,
    /// The factor for cues in a sentence that only gives context: a later sentence, or any
    /// sentence that does not ask when another one does.
    pub later_sentence: f32,
    /// The factor for a cue that only describes the subject of another skill's cue (it follows
    /// one of the `modifier_links` after that cue, in the same sentence).
    pub modifier: f32,
    /// A symptom concept: words of each of its groups in one sentence.
    pub symptom_concept: f32,
    /// A setting or API name that the skill's references quote in code.
    pub reference_name: f32,
    /// The factor for cues in a part of the request that a deferral marker puts off.
    pub deferred: f32,
    /// The factor for cues in a part of the request that a priority marker marks as the main ask.
    pub priority: f32,
    /// The factor for cues in a part of the request that describes how things are today.
    pub status_quo: f32,
    /// The least score for an answer with confidence above one half.
    pub min_score: f32,
}

/// Cues that a request belongs to this skill.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivationCues {
    /// Strong cues.
    pub strong: Vec<String>,
    /// Streaming systems.
    pub tools: Vec<String>,
    /// Weak cues.
    pub weak: Vec<String>,
    /// Symptoms.
    pub symptoms: Vec<String>,
    /// Symptoms described in words of one's own: a word or phrase from each group in one
    /// sentence.
    pub symptom_concepts: Vec<SymptomConcept>,
}

/// A streaming symptom as people describe it: something that flows, and what goes wrong with
/// it ("the count of *unprocessed messages* keeps *climbing*").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SymptomConcept {
    /// What the symptom is, as a reason names it.
    pub name: String,
    /// Groups of words or phrases; one of each must appear in the same sentence.
    pub all_of: Vec<Vec<String>>,
}

/// A sibling skill.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sibling {
    /// Its name.
    pub name: String,
    /// What it covers.
    pub scope: String,
    /// Requests it typically gets.
    pub typical_requests: Vec<String>,
    /// How to tell its requests from this skill's.
    pub tell_apart: String,
    /// What to pass on when handing a request over.
    pub handoff: String,
    /// Its cues.
    pub cues: SiblingCues,
}

/// A sibling's cues.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiblingCues {
    /// Strong cues.
    pub strong: Vec<String>,
    /// Weak cues.
    pub weak: Vec<String>,
    /// What the sibling's requests describe in words of their own: a phrase from each group in
    /// one sentence.
    #[serde(default)]
    pub concepts: Vec<SymptomConcept>,
}

/// An area declined with no sibling.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclinedArea {
    /// Its name.
    pub area: String,
    /// The reason to give.
    pub reason: String,
    /// Its cues (all strong).
    pub cues: Vec<String>,
}

/// Why the catalog could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct CatalogError {
    /// The file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl SiblingCatalog {
    /// Parses the catalog's YAML.
    pub fn parse(yaml: &str) -> Result<Self, CatalogError> {
        serde_saphyr::from_str(yaml).map_err(|e| {
            let (line, column) = e
                .location()
                .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
            let rendered = e.without_snippet().to_string();
            let message = rendered.lines().next().unwrap_or("invalid catalog").to_string();
            CatalogError {
                path: CATALOG_PATH.into(),
                line,
                column,
                message,
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_catalog_parses() {
        let yaml = String::from_utf8(crate::skill::SkillFiles::embedded().read(CATALOG_PATH).unwrap()).unwrap();
        let catalog = SiblingCatalog::parse(&yaml).unwrap();
        assert_eq!(catalog.siblings.len(), 3);
        assert_eq!(catalog.out_of_scope.len(), 7);
        assert!(
            catalog.domain_gate.fields.len() >= 20,
            "{}",
            catalog.domain_gate.fields.len()
        );
        assert!(catalog.scoring.strong > catalog.scoring.weak);
    }

    #[test]
    fn unknown_keys_are_reported_with_position() {
        let err = SiblingCatalog::parse("skill: x\nsurprise: 1\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1), "{err}");
    }
}
