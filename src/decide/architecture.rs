//! `recommend_architecture`: picks a row of the architecture matrix for a latency target, ranks
//! the stream processors of the framework table, and adds the windowing, state-backend and
//! delivery advice that applies, all read from the skill. Batch wins when the target allows it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::quantity::{self, LatencyRange};
use super::{Citation, DecideError, SkillFacts, cell, missing, row_containing};
use crate::tables::DecisionTable;
use crate::text::analyzer::{WordReader, plain_words};

/// The delivery guarantee the pipeline needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Delivery {
    /// Each record's effect happens once.
    ExactlyOnce,
    /// Records may repeat, never go missing.
    AtLeastOnce,
    /// Records may be lost.
    BestEffort,
}

/// What the team writes best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Team {
    /// SQL.
    SqlFirst,
    /// Java or Scala.
    Jvm,
    /// Python.
    Python,
    /// Several languages.
    Mixed,
}

/// Where it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Platform {
    /// Amazon Web Services.
    Aws,
    /// Google Cloud.
    Gcp,
    /// Microsoft Azure.
    Azure,
    /// Snowflake.
    Snowflake,
    /// Databricks.
    Databricks,
    /// Confluent Cloud or Platform.
    Confluent,
    /// Self-managed infrastructure.
    SelfManaged,
}

impl Platform {
    /// The name the skill's tables use.
    pub fn label(self) -> &'static str {
        match self {
            Self::Aws => "AWS",
            Self::Gcp => "GCP",
            Self::Azure => "Azure",
            Self::Snowflake => "Snowflake",
            Self::Databricks => "Databricks",
            Self::Confluent => "Confluent",
            Self::SelfManaged => "Self-managed",
        }
    }

    /// Words that name the platform's managed services in the framework table.
    fn service_words(self) -> &'static [&'static str] {
        match self {
            Self::Aws => &["amazon", "emr", "aws"],
            Self::Gcp => &["gcp", "google", "dataflow"],
            Self::Azure => &["azure", "hdinsight"],
            Self::Snowflake => &["snowflake"],
            Self::Databricks => &["databricks"],
            Self::Confluent => &["confluent"],
            Self::SelfManaged => &[],
        }
    }
}

/// What the pipeline needs.
#[derive(Debug, Clone, Deserialize, JsonSchema, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct ArchitectureInput {
    /// How fresh results must be, in seconds (0.5 = 500 ms, 21600 = 6 hours).
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub latency_target_seconds: f64,
    /// Delivery guarantee needed.
    #[arg(long, ignore_case = true)]
    pub delivery: Delivery,
    /// What the team writes best.
    #[arg(long, ignore_case = true)]
    pub team: Team,
    /// Expected processing state, in GB.
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub state_size_gb: Option<f64>,
    /// Where it runs.
    #[arg(long, ignore_case = true)]
    pub platform: Option<Platform>,
    /// Whether history must be replayed through new logic.
    #[arg(long)]
    pub needs_reprocessing: Option<bool>,
    /// The use case in a few words, e.g. "fraud detection on payments".
    #[arg(long)]
    pub use_case: Option<String>,
}

/// The chosen row of the architecture matrix.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ArchitectureChoice {
    /// The architecture.
    pub name: String,
    /// Its latency class.
    pub latency: String,
    /// Its operational complexity.
    pub complexity: String,
    /// What it is best for.
    pub best_for: String,
    /// Why it was chosen.
    pub why: Vec<String>,
}

/// Another row of the matrix, and why it lost.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Alternative {
    /// The architecture.
    pub name: String,
    /// Why not.
    pub why_not: Vec<String>,
}

/// How well a stream processor fits the inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema, strum::Display)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Fit {
    /// The best feasible processor.
    Recommended,
    /// Feasible, but ranked below the best.
    Possible,
    /// Batch meets the target, so no stream processor is needed.
    NotNeeded,
    /// It cannot meet the inputs.
    Unsuitable,
}

/// A stream processor, ranked.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProcessorFit {
    /// 1 is best.
    pub rank: usize,
    /// The framework.
    pub framework: String,
    /// recommended, possible, not-needed (batch wins) or unsuitable.
    pub fit: Fit,
    /// What speaks for it.
    pub why: Vec<String>,
    /// What speaks against it.
    pub why_not: Vec<String>,
}

/// The advice.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ArchitectureAdvice {
    /// The architecture.
    pub architecture: ArchitectureChoice,
    /// True when batch meets the target, so no stream processor is needed.
    pub batch_is_better: bool,
    /// The other architectures and why they lost.
    pub alternatives: Vec<Alternative>,
    /// Stream processors, best first.
    pub processors: Vec<ProcessorFit>,
    /// Windowing and watermark advice.
    pub windowing: Vec<String>,
    /// State-backend and checkpoint advice.
    pub state: Vec<String>,
    /// Delivery-semantics advice.
    pub delivery: Vec<String>,
    /// Targets or combinations the skill says cannot be met as asked.
    pub warnings: Vec<String>,
    /// The table rows and sections used.
    pub citations: Vec<Citation>,
}

struct Scored {
    score: f64,
    why: Vec<String>,
    why_not: Vec<String>,
}

/// A target this many times the fastest a class reaches, or less, leaves no headroom.
const HEADROOM: f64 = 5.0;

/// Recommends an architecture for `input` from the skill's tables.
pub fn recommend(facts: &SkillFacts, input: &ArchitectureInput) -> Result<ArchitectureAdvice, DecideError> {
    let target = input.latency_target_seconds;
    if !target.is_finite() || target <= 0.0 {
        return Err(DecideError::Input(format!(
            "latency_target_seconds must be above 0; got {target}"
        )));
    }
    if let Some(gb) = input.state_size_gb
        && (!gb.is_finite() || gb < 0.0)
    {
        return Err(DecideError::Input(format!(
            "state_size_gb must be at least 0; got {gb}"
        )));
    }
    let mut citations = Vec::new();
    let mut warnings = Vec::new();
    let use_case = input.use_case.as_deref().map(plain_words).unwrap_or_default();

    // 1. The architecture.
    let matrix = facts.table("architecture-decision-matrix")?;
    let mut scored = Vec::new();
    for row in &matrix.rows {
        let range = latency(matrix, row)?;
        scored.push((row, range, score_architecture(matrix, row, range, input, &use_case)?));
    }
    let best = scored
        .iter()
        .enumerate()
        .max_by(|(i, a), (j, b)| a.2.score.total_cmp(&b.2.score).then(j.cmp(i)))
        .map(|(i, _)| i)
        .ok_or_else(|| missing("table architecture-decision-matrix", "no rows"))?;
    let (row, range, choice) = &scored[best];
    let name = cell(matrix, row, "Architecture")?.to_string();
    if target < range.min_seconds {
        warnings.push(format!(
            "No architecture in the matrix reaches {target} s; the fastest class, {}, starts at {} s. Question the target, or measure a prototype before committing.",
            cell(matrix, row, "Latency")?,
            range.min_seconds
        ));
    }
    let batch_is_better = is_batch(&name);
    citations.push(facts.cite_row(matrix, row));
    if let Some(sentence) = batch_sentence(facts, matrix, row)? {
        citations.push(facts.cite_section("batch-or-streaming", Some(&sentence))?);
    }
    let architecture = ArchitectureChoice {
        latency: cell(matrix, row, "Latency")?.to_string(),
        complexity: cell(matrix, row, "Complexity")?.to_string(),
        best_for: cell(matrix, row, "Best For")?.to_string(),
        why: choice.why.clone(),
        name,
    };
    let alternatives = scored
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, (row, _, s))| {
            let mut why_not = s.why_not.clone();
            if why_not.is_empty() {
                why_not.push(format!("scored lower ({:.1} against {:.1})", s.score, choice.score));
            }
            Ok(Alternative {
                name: cell(matrix, row, "Architecture")?.to_string(),
                why_not,
            })
        })
        .collect::<Result<Vec<_>, DecideError>>()?;

    // 2. Stream processors.
    let heap_limit = heap_limit_gb(facts)?;
    let processors = rank_processors(facts, input, &use_case, batch_is_better, heap_limit, &mut citations)?;
    if !batch_is_better && processors.iter().all(|p| p.fit == Fit::Unsuitable) {
        warnings.push(format!(
            "No stream processor in the framework table has a latency class that reaches {target} s."
        ));
    }

    // 3. Windowing, state, delivery.
    let windowing = if batch_is_better {
        vec!["Batch jobs aggregate whole partitions of data; windows and watermarks are not needed.".to_string()]
    } else {
        windowing_advice(facts, &use_case, &mut citations)?
    };
    let state = if batch_is_better {
        Vec::new()
    } else {
        state_advice(facts, input, heap_limit, &mut citations)?
    };
    let delivery = delivery_advice(facts, input, &mut warnings, &mut citations)?;

    Ok(ArchitectureAdvice {
        architecture,
        batch_is_better,
        alternatives,
        processors,
        windowing,
        state,
        delivery,
        warnings,
        citations,
    })
}

fn latency(table: &DecisionTable, row: &[String]) -> Result<LatencyRange, DecideError> {
    quantity::parse_latency(cell(table, row, "Latency")?).map_err(|e| missing(&format!("table {}", table.id), &e))
}

fn is_batch(architecture: &str) -> bool {
    let lower = architecture.to_lowercase();
    lower.contains("batch") && !lower.contains("micro")
}

fn complexity_rank(text: &str) -> f64 {
    let lower = text.to_lowercase();
    if lower.contains("high") {
        2.0
    } else if lower.contains("medium") {
        1.0
    } else {
        0.0
    }
}

fn score_architecture(
    matrix: &DecisionTable,
    row: &[String],
    range: LatencyRange,
    input: &ArchitectureInput,
    use_case: &[String],
) -> Result<Scored, DecideError> {
    let target = input.latency_target_seconds;
    let latency = cell(matrix, row, "Latency")?;
    let best_for = cell(matrix, row, "Best For")?;
    let name = cell(matrix, row, "Architecture")?;
    let complexity = cell(matrix, row, "Complexity")?;
    let mut s = Scored {
        score: 0.0,
        why: Vec::new(),
        why_not: Vec::new(),
    };
    if range.contains(target) {
        s.score += 10.0;
        s.why.push(format!(
            "its latency class, {latency}, covers {} s target",
            crate::markdown::with_article(&target.to_string())
        ));
        if target < range.min_seconds * HEADROOM {
            s.score -= 3.0;
            s.why_not.push(format!(
                "{target} s is close to the fastest {latency} reaches; little headroom"
            ));
        }
    } else if target < range.min_seconds {
        // Cannot meet it; closer classes lose less.
        s.score -= 20.0 + (range.min_seconds / target).log10();
        s.why_not.push(format!(
            "{latency} cannot meet {} s target",
            crate::markdown::with_article(&target.to_string())
        ));
    } else {
        s.score -= (target / range.max_seconds).log10().max(0.0) * 2.0 + 2.0;
        s.why_not.push(format!(
            "{latency} is faster than {} s target needs, at a higher cost",
            crate::markdown::with_article(&target.to_string())
        ));
    }
    let rank = complexity_rank(complexity);
    s.score -= rank * 1.5;
    if rank == 0.0 {
        s.why.push(format!("{complexity} complexity"));
    }
    let best_for_lower = best_for.to_lowercase();
    if input.team == Team::SqlFirst && best_for_lower.contains("sql") {
        s.score += 3.0;
        s.why.push(format!("best for {best_for}"));
    }
    if input.needs_reprocessing == Some(true) && best_for_lower.contains("reprocess") {
        s.score += 4.0;
        s.why.push("built for reprocessing from an immutable log".to_string());
    }
    let overlap = overlap(use_case, best_for);
    if !overlap.is_empty() {
        s.score += 2.0 * overlap.len() as f64;
        s.why.push(format!("the use case matches \"{best_for}\""));
    }
    let name_lower = name.to_lowercase();
    match input.platform {
        Some(Platform::Snowflake) if name_lower.contains("warehouse") => {
            s.score += 2.0;
            s.why
                .push("runs inside the Snowflake account the data lands in".to_string());
        }
        Some(Platform::Databricks) if name_lower.contains("spark") => {
            s.score += 2.0;
            s.why.push("Databricks runs Spark natively".to_string());
        }
        _ => {}
    }
    Ok(s)
}

/// Meaningful words of `text` that the use case also has, compared by their stems.
fn overlap(use_case: &[String], text: &str) -> Vec<String> {
    const IGNORED: [&str; 8] = ["with", "from", "into", "that", "data", "time", "real", "simple"];
    let meaningful = |raw: &str| raw.len() > 3 && !IGNORED.contains(&raw);
    let mut reader = WordReader::default();
    let wanted: std::collections::HashSet<String> = reader
        .words(text)
        .into_iter()
        .filter(|w| meaningful(&w.raw))
        .map(|w| w.stem.to_string())
        .collect();
    let mut out: Vec<String> = use_case
        .iter()
        .filter(|w| meaningful(w) && reader.stems(w).iter().any(|s| wanted.contains(s)))
        .cloned()
        .collect();
    out.dedup();
    out
}

/// The sentence of "Batch or Streaming?" about the chosen row's latency unit.
fn batch_sentence(facts: &SkillFacts, matrix: &DecisionTable, row: &[String]) -> Result<Option<String>, DecideError> {
    let latency = cell(matrix, row, "Latency")?.to_lowercase();
    let unit = latency.split(['-', ' ']).next().unwrap_or_default().to_string();
    let sentences = facts.sentences("batch-or-streaming").unwrap_or_default();
    Ok(sentences.into_iter().find(|s| s.to_lowercase().contains(&unit)))
}

fn heap_limit_gb(facts: &SkillFacts) -> Result<Option<f64>, DecideError> {
    let Ok(table) = facts.table("state-management-and-checkpointing") else {
        return Ok(None);
    };
    Ok(row_containing(table, "Backend", "heap")
        .and_then(|row| table.cell(row, "State Size"))
        .and_then(quantity::first_size_gb))
}

fn rank_processors(
    facts: &SkillFacts,
    input: &ArchitectureInput,
    use_case: &[String],
    batch: bool,
    heap_limit: Option<f64>,
    citations: &mut Vec<Citation>,
) -> Result<Vec<ProcessorFit>, DecideError> {
    let table = facts.table("stream-processing-framework-selection")?;
    let target = input.latency_target_seconds;
    let mut fits = Vec::new();
    for (order, row) in table.rows.iter().enumerate() {
        let framework = cell(table, row, "Framework")?.to_string();
        let class = cell(table, row, "Latency")?;
        let range =
            quantity::parse_latency(class).map_err(|e| missing("table stream-processing-framework-selection", &e))?;
        let sql = cell(table, row, "SQL")?;
        let managed = cell(table, row, "Managed")?;
        let best_for = cell(table, row, "Best For")?;
        let languages = table.cell(row, "Languages").unwrap_or("").to_lowercase();
        let mut s = Scored {
            score: 0.0,
            why: Vec::new(),
            why_not: Vec::new(),
        };
        let feasible = target >= range.min_seconds;
        if feasible {
            s.score += 3.0;
            s.why.push(format!("latency class {class} meets {target} s"));
        } else {
            s.score -= 10.0;
            s.why_not.push(format!(
                "latency class {class}: {} s target is below what it reaches",
                crate::markdown::with_article(&target.to_string())
            ));
        }
        match input.team {
            Team::SqlFirst => {
                if languages.contains("sql") || sql.to_lowercase().contains("sql") && !sql.contains("separate") {
                    s.score += 3.0;
                    s.why.push(format!("SQL: {sql}"));
                } else {
                    s.why_not.push(format!("SQL: {sql}"));
                }
                if sql.to_lowercase().contains("limited") || sql.to_lowercase().contains("separate") {
                    s.score -= 1.0;
                }
            }
            Team::Jvm => {
                if languages.contains("java") || languages.contains("scala") {
                    s.score += 3.0;
                    s.why.push("JVM API".to_string());
                }
                if best_for.to_lowercase().contains("jvm") {
                    s.score += 1.0;
                }
            }
            Team::Python => {
                if languages.contains("python") {
                    s.score += 3.0;
                    s.why.push("Python API".to_string());
                } else {
                    s.score -= 3.0;
                    s.why_not.push(format!(
                        "no Python API (languages: {})",
                        table.cell(row, "Languages").unwrap_or("not listed")
                    ));
                }
            }
            Team::Mixed => {
                let count = languages.split(',').filter(|l| !l.trim().is_empty()).count();
                if count >= 3 {
                    s.score += 2.0;
                    s.why.push(format!(
                        "several languages: {}",
                        table.cell(row, "Languages").unwrap_or("")
                    ));
                }
            }
        }
        if let Some(platform) = input.platform {
            let lower = managed.to_lowercase();
            if platform.service_words().iter().any(|w| lower.contains(w)) {
                s.score += 2.0;
                s.why.push(format!("managed on {}: {managed}", platform.label()));
            } else if lower == "no" {
                s.why
                    .push("a library inside your own services; nothing extra to operate".to_string());
            } else if platform != Platform::SelfManaged {
                s.score -= 1.0;
                s.why_not.push(format!(
                    "no managed offering on {} (managed: {managed})",
                    platform.label()
                ));
            }
        }
        if let (Some(gb), Some(limit)) = (input.state_size_gb, heap_limit)
            && gb >= limit
            && best_for.to_lowercase().contains("large state")
        {
            s.score += 2.0;
            s.why.push(format!("best for large state ({gb} GB)"));
        }
        let matched = overlap(use_case, best_for);
        if !matched.is_empty() {
            s.score += 2.0 * matched.len() as f64;
            s.why.push(format!("best for {best_for}"));
        }
        if batch {
            s.why_not.insert(
                0,
                "batch meets the latency target; a stream processor adds cost and operations".into(),
            );
        }
        fits.push((order, row, feasible, framework, s));
    }
    fits.sort_by(|a, b| b.4.score.total_cmp(&a.4.score).then(a.0.cmp(&b.0)));
    let mut out = Vec::new();
    for (i, (_, row, feasible, framework, s)) in fits.into_iter().enumerate() {
        let fit = if batch {
            Fit::NotNeeded
        } else if !feasible {
            Fit::Unsuitable
        } else if i == 0 {
            Fit::Recommended
        } else {
            Fit::Possible
        };
        if i < 2 && !batch {
            citations.push(facts.cite_row(table, row));
        }
        out.push(ProcessorFit {
            rank: i + 1,
            framework,
            fit,
            why: s.why,
            why_not: s.why_not,
        });
    }
    Ok(out)
}

fn windowing_advice(
    facts: &SkillFacts,
    use_case: &[String],
    citations: &mut Vec<Citation>,
) -> Result<Vec<String>, DecideError> {
    let table = facts.table("windowing-patterns")?;
    let mut out = Vec::new();
    for row in &table.rows {
        let use_for = cell(table, row, "Use Case")?;
        let description = cell(table, row, "Description")?;
        let pattern = cell(table, row, "Pattern")?;
        let mut hay = format!("{use_for} {description}");
        hay.push(' ');
        hay.push_str(pattern);
        if !overlap(use_case, &hay).is_empty() {
            out.push(format!("{pattern} windows ({description}): {use_for}."));
            citations.push(facts.cite_row(table, row));
        }
    }
    if out.is_empty() {
        let all = table
            .rows
            .iter()
            .map(|r| format!("{} for {}", r[0], lower_first(table.cell(r, "Use Case").unwrap_or(""))))
            .collect::<Vec<_>>()
            .join("; ");
        out.push(format!("Pick the window by the question asked: {all}."));
    }
    if let Ok(sentences) = facts.sentences("event-time-over-processing-time")
        && let Some(first) = sentences.first()
    {
        out.push(first.clone());
        citations.push(facts.cite_section("event-time-over-processing-time", Some(first))?);
    }
    if let Some(sentence) = facts
        .sentences("windowing-patterns")?
        .into_iter()
        .find(|s| s.to_lowercase().contains("watermark delay"))
    {
        out.push(sentence);
    }
    Ok(out)
}

/// A table cell inside a sentence: its first letter in lower case, unless it starts a name or
/// an acronym (`Set by the platform` becomes `set by the platform`; `JVM heap` stays).
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && second.is_lowercase() => {
            first.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

fn state_advice(
    facts: &SkillFacts,
    input: &ArchitectureInput,
    heap_limit: Option<f64>,
    citations: &mut Vec<Citation>,
) -> Result<Vec<String>, DecideError> {
    let mut out = Vec::new();
    let Ok(table) = facts.table("state-management-and-checkpointing") else {
        return Ok(out);
    };
    let heap = row_containing(table, "Backend", "heap");
    let disk = row_containing(table, "Backend", "rocksdb");
    let describe = |row: &Vec<String>| {
        format!(
            "{} (size: {}; speed: {})",
            row[0],
            lower_first(table.cell(row, "State Size").unwrap_or("")),
            lower_first(table.cell(row, "Speed").unwrap_or(""))
        )
    };
    match (input.state_size_gb, heap_limit) {
        (Some(gb), Some(limit)) if gb >= limit => {
            if let Some(row) = disk {
                out.push(format!(
                    "{gb} GB of state rules out heap state (limit {limit} GB); use {}.",
                    describe(row)
                ));
                citations.push(facts.cite_row(table, row));
            }
        }
        (Some(gb), Some(limit)) => {
            if let Some(row) = heap {
                out.push(format!(
                    "{gb} GB of state fits on the heap (under {limit} GB): {}; move to RocksDB if it grows past that.",
                    describe(row)
                ));
                citations.push(facts.cite_row(table, row));
            }
        }
        _ => {
            for row in [heap, disk].into_iter().flatten() {
                out.push(describe(row));
            }
            out.push("Give state_size_gb to choose between them.".to_string());
        }
    }
    if matches!(
        input.platform,
        Some(Platform::Databricks | Platform::Aws | Platform::Confluent | Platform::Gcp)
    ) && let Some(row) = row_containing(table, "Backend", "managed")
    {
        out.push(format!(
            "On a managed service, state can live in {} (size: {}; speed: {}).",
            lower_first(table.cell(row, "Best For").unwrap_or("")),
            lower_first(table.cell(row, "State Size").unwrap_or("")),
            lower_first(table.cell(row, "Speed").unwrap_or(""))
        ));
    }
    for sentence in facts.sentences("state-management-and-checkpointing")? {
        let lower = sentence.to_lowercase();
        if lower.contains("time-to-live") || lower.contains("short interval") {
            out.push(sentence);
        }
    }
    Ok(out)
}

fn delivery_advice(
    facts: &SkillFacts,
    input: &ArchitectureInput,
    warnings: &mut Vec<String>,
    citations: &mut Vec<Citation>,
) -> Result<Vec<String>, DecideError> {
    let mut out = Vec::new();
    let principle = facts.sentences("exactly-once-vs-at-least-once")?;
    match input.delivery {
        Delivery::ExactlyOnce => {
            if let Some(s) = principle
                .iter()
                .find(|s| s.to_lowercase().contains("pay for exactly-once"))
            {
                out.push(s.clone());
                citations.push(facts.cite_section("exactly-once-vs-at-least-once", Some(s))?);
            }
            if let Some(platform) = input.platform {
                let table = facts.reference_table("kafka-deep-dive", "end-to-end-exactly-once-by-platform");
                if let Ok(table) = table
                    && let Some(row) = table
                        .rows
                        .iter()
                        .find(|r| r.first().is_some_and(|p| p.eq_ignore_ascii_case(platform.label())))
                {
                    let verdict = table.cell(row, "Exactly-Once").unwrap_or("");
                    let how = table.cell(row, "How").unwrap_or("");
                    let stops = table.cell(row, "Where It Stops").unwrap_or("");
                    out.push(format!("On {}: {how}. Where it stops: {stops}.", platform.label()));
                    if !verdict.eq_ignore_ascii_case("yes") {
                        warnings.push(format!(
                            "Exactly-once end to end on {} is {}: {stops}. Plan at-least-once delivery with idempotent consumers where the chain breaks.",
                            platform.label(),
                            verdict.to_lowercase()
                        ));
                    }
                    citations.push(facts.cite_row(&table, row));
                }
            }
        }
        Delivery::AtLeastOnce => {
            if let Some(s) = principle.first() {
                out.push(s.clone());
                citations.push(facts.cite_section("exactly-once-vs-at-least-once", Some(s))?);
            }
        }
        Delivery::BestEffort => {
            if let Ok(table) = facts.reference_table(
                "kafka-deep-dive",
                "at-most-once-at-least-once-and-exactly-once-compared",
            ) && let Some(row) = row_containing(&table, "Guarantee", "at-most-once")
            {
                out.push(format!(
                    "Best effort is at-most-once: {} Use it for {}.",
                    table.cell(row, "Failure result").unwrap_or(""),
                    table.cell(row, "Use for").unwrap_or("").to_lowercase()
                ));
                citations.push(facts.cite_row(&table, row));
            }
        }
    }
    if input.delivery != Delivery::BestEffort
        && let Some(s) = facts.sentences("idempotent-consumers")?.first()
    {
        out.push(s.clone());
        citations.push(facts.cite_section("idempotent-consumers", Some(s))?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::skill::Skill;

    fn facts() -> SkillFacts {
        SkillFacts::new(Arc::new(Skill::embedded().unwrap()))
    }

    #[test]
    fn overlap_compares_stems_and_skips_common_words() {
        let use_case: Vec<String> = ["dashboards", "alerting", "data", "with"].map(String::from).to_vec();
        assert_eq!(
            overlap(&use_case, "Real-time dashboard and alerts with data"),
            ["dashboards", "alerting"]
        );
        assert!(overlap(&use_case, "historical reporting").is_empty());
    }

    fn input(target: f64, delivery: Delivery, team: Team) -> ArchitectureInput {
        ArchitectureInput {
            latency_target_seconds: target,
            delivery,
            team,
            state_size_gb: None,
            platform: None,
            needs_reprocessing: None,
            use_case: None,
        }
    }

    #[test]
    fn six_hours_gets_batch_not_flink() {
        let advice = recommend(&facts(), &input(21_600.0, Delivery::AtLeastOnce, Team::Jvm)).unwrap();
        assert_eq!(advice.architecture.name, "Traditional Batch");
        assert!(advice.batch_is_better);
        assert!(advice.processors.iter().all(|p| p.fit == Fit::NotNeeded));
        assert!(
            advice
                .citations
                .iter()
                .any(|c| c.row.contains("hours") || c.quote.contains("hours"))
        );
    }

    #[test]
    fn fraud_detection_in_a_second_gets_true_streaming_and_flink() {
        let mut i = input(0.5, Delivery::ExactlyOnce, Team::Jvm);
        i.use_case = Some("fraud detection on card payments".into());
        i.state_size_gb = Some(200.0);
        let advice = recommend(&facts(), &i).unwrap();
        assert_eq!(advice.architecture.name, "True Streaming (Flink, Kafka Streams)");
        assert!(!advice.batch_is_better);
        assert_eq!(advice.processors[0].framework, "Apache Flink");
        let spark = advice
            .processors
            .iter()
            .find(|p| p.framework.starts_with("Spark"))
            .unwrap();
        assert_eq!(spark.fit, Fit::Unsuitable);
        assert_eq!(serde_json::to_value(spark.fit).unwrap(), "unsuitable");
        assert_eq!(Fit::NotNeeded.to_string(), "not-needed");
        assert!(advice.state[0].contains("rules out heap state"), "{:?}", advice.state);
    }

    #[test]
    fn sql_team_with_minutes_gets_warehouse_native() {
        let mut i = input(120.0, Delivery::AtLeastOnce, Team::SqlFirst);
        i.platform = Some(Platform::Snowflake);
        let advice = recommend(&facts(), &i).unwrap();
        assert_eq!(advice.architecture.name, "Warehouse-Native Streaming");
    }

    #[test]
    fn reprocessing_points_at_kappa() {
        let mut i = input(2.0, Delivery::AtLeastOnce, Team::Jvm);
        i.needs_reprocessing = Some(true);
        let advice = recommend(&facts(), &i).unwrap();
        assert_eq!(advice.architecture.name, "Kappa Architecture");
    }

    #[test]
    fn python_team_on_databricks_gets_spark() {
        let mut i = input(30.0, Delivery::AtLeastOnce, Team::Python);
        i.platform = Some(Platform::Databricks);
        let advice = recommend(&facts(), &i).unwrap();
        assert_eq!(advice.processors[0].framework, "Spark Structured Streaming");
        let streams = advice
            .processors
            .iter()
            .find(|p| p.framework == "Kafka Streams")
            .unwrap();
        assert!(streams.why_not.iter().any(|w| w.contains("no Python API")));
    }

    #[test]
    fn a_target_below_every_class_warns() {
        let advice = recommend(&facts(), &input(0.0001, Delivery::AtLeastOnce, Team::Jvm)).unwrap();
        assert!(
            advice.warnings.iter().any(|w| w.contains("No architecture")),
            "{:?}",
            advice.warnings
        );
    }

    #[test]
    fn exactly_once_on_azure_warns() {
        let mut i = input(1.0, Delivery::ExactlyOnce, Team::Jvm);
        i.platform = Some(Platform::Azure);
        let advice = recommend(&facts(), &i).unwrap();
        assert!(
            advice.warnings.iter().any(|w| w.contains("Azure is no")),
            "{:?}",
            advice.warnings
        );
        let mut i = input(1.0, Delivery::ExactlyOnce, Team::Jvm);
        i.platform = Some(Platform::Confluent);
        assert!(recommend(&facts(), &i).unwrap().warnings.is_empty());
    }

    #[test]
    fn small_state_stays_on_the_heap() {
        let mut i = input(1.0, Delivery::AtLeastOnce, Team::Jvm);
        i.state_size_gb = Some(0.5);
        let advice = recommend(&facts(), &i).unwrap();
        assert!(advice.state[0].contains("fits on the heap"), "{:?}", advice.state);
    }

    #[test]
    fn bad_targets_are_errors() {
        assert!(recommend(&facts(), &input(0.0, Delivery::AtLeastOnce, Team::Jvm)).is_err());
        assert!(recommend(&facts(), &input(-3.0, Delivery::AtLeastOnce, Team::Jvm)).is_err());
    }
}
