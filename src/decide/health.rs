//! `evaluate_stream_health`: metrics of a running pipeline against the skill's monitoring
//! thresholds, each crossing tiered by the alert tiers and explained by the first-response
//! table. The thresholds, tiers, meanings and actions are read from `SKILL.md`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::quantity::{self, Threshold, Unit};
use super::{Citation, DecideError, SkillFacts, cell, missing, row_containing};
use crate::tables::DecisionTable;

/// Metrics of a pipeline; give the ones you have.
#[derive(Debug, Default, Clone, Deserialize, JsonSchema, clap::Args)]
#[serde(deny_unknown_fields)]
pub struct HealthInput {
    /// Lag in messages, summed over partitions.
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub consumer_lag_messages: Option<f64>,
    /// Lag in seconds (age of the oldest unprocessed record).
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub consumer_lag_seconds: Option<f64>,
    /// Throughput / baseline (0.4 = 40%).
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub throughput_ratio_to_baseline: Option<f64>,
    /// Failed share, 0-1 (0.002 = 0.2%).
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub error_rate: Option<f64>,
    /// Whether the pipeline is critical.
    #[arg(long)]
    pub critical_pipeline: Option<bool>,
    /// Checkpoint duration, seconds.
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub checkpoint_duration_seconds: Option<f64>,
    /// Checkpoint interval, seconds.
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub checkpoint_interval_seconds: Option<f64>,
    /// Share of time backpressured, 0-1.
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub backpressure_ratio: Option<f64>,
    /// Minutes the backpressure has lasted.
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub backpressure_sustained_minutes: Option<f64>,
    /// Busiest / quietest partition rate.
    #[arg(long, allow_negative_numbers = true, value_parser = super::cli_number)]
    pub partition_max_min_ratio: Option<f64>,
    /// A consumer or job stopped consuming.
    #[arg(long)]
    pub consumer_stopped: Option<bool>,
    /// Duplicates or gaps seen past an exactly-once boundary.
    #[arg(long)]
    pub eos_violation: Option<bool>,
}

/// An alert tier, as the skill's alert-tiers table names it (in any case).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema, strum::Display, strum::EnumString)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Tier {
    /// Page someone now.
    Critical,
    /// Look soon.
    Warning,
    /// For the record.
    Info,
}

/// The verdict: no threshold crossed, or the most urgent tier crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema, strum::Display)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    /// No threshold crossed.
    Ok,
    /// A critical alert.
    Critical,
    /// A warning, and nothing critical.
    Warning,
    /// Only info alerts.
    Info,
}

impl From<Tier> for Status {
    fn from(tier: Tier) -> Self {
        match tier {
            Tier::Critical => Status::Critical,
            Tier::Warning => Status::Warning,
            Tier::Info => Status::Info,
        }
    }
}

/// The tier of a row of the alert-tiers table.
fn tier(tiers: &DecisionTable, row: &[String]) -> Result<Tier, DecideError> {
    let name = cell(tiers, row, "Tier")?;
    name.parse().map_err(|_| {
        missing(
            "table alert-tiers",
            &format!("tier {name:?} is not critical, warning or info"),
        )
    })
}

/// A threshold crossed.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Alert {
    /// The input field that crossed.
    pub metric: String,
    /// Its value (1 for a true flag).
    pub value: f64,
    /// The threshold as the skill writes it (`true` for a flag such as `consumer_stopped`).
    pub threshold: String,
    /// The alert tier: critical, warning or info.
    pub tier: Tier,
    /// How to respond, from the alert tiers.
    pub response: String,
    /// What it usually means.
    pub meaning: String,
    /// What to check first.
    pub first_actions: Vec<String>,
    /// A section to read for more.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_more: Option<String>,
    /// The alert above that reads the same signal (lag in messages and lag in seconds): its
    /// meaning, first actions and section apply, and are not repeated here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_as: Option<String>,
}

/// The verdict on a pipeline's metrics.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct HealthReport {
    /// ok, or the most urgent tier among the alerts (critical, warning, info).
    pub status: Status,
    /// Thresholds crossed, most urgent first.
    pub alerts: Vec<Alert>,
    /// Metrics given that are within their thresholds.
    pub within: Vec<String>,
    /// Metrics not given (their thresholds are in the monitoring-thresholds table).
    pub not_given: Vec<String>,
    /// The table rows and sections used.
    pub citations: Vec<Citation>,
    /// Whether an alert is above the least urgent tier of the alert tiers (warning or critical
    /// in the streaming-data skill): the answer is bad, and the command exits 1.
    #[serde(skip)]
    #[schemars(skip)]
    pub alarming: bool,
}

/// The tables the evaluation reads.
struct Tables<'a> {
    facts: &'a SkillFacts,
    thresholds: &'a DecisionTable,
    tiers: &'a DecisionTable,
    first_response: Option<&'a DecisionTable>,
    sustained_minutes: Option<f64>,
    citations: Vec<Citation>,
}

impl<'a> Tables<'a> {
    /// The threshold of a metric, cited when `given` (a threshold nothing was compared with
    /// decided nothing).
    fn threshold(&mut self, metric_row: &str, given: bool) -> Result<(Threshold, String), DecideError> {
        let row = row_containing(self.thresholds, "Metric", metric_row)
            .ok_or_else(|| missing("table monitoring-thresholds", &format!("no row for {metric_row:?}")))?;
        let text = cell(self.thresholds, row, "Alert Threshold")?;
        let threshold = quantity::parse_threshold(text).map_err(|e| missing("table monitoring-thresholds", &e))?;
        if given {
            let citation = self.facts.cite_row(self.thresholds, row);
            self.cite(citation);
        }
        Ok((threshold, cell(self.thresholds, row, "Metric")?.to_string()))
    }

    fn cite(&mut self, citation: Citation) {
        if !self.citations.contains(&citation) {
            self.citations.push(citation);
        }
    }

    /// The alert for `signal` (a phrase of the alert tiers' Signals column).
    fn alert(&mut self, metric: &str, value: f64, threshold: String, signal: &str) -> Result<Alert, DecideError> {
        let row = row_containing(self.tiers, "Signals", signal)
            .or_else(|| row_containing(self.tiers, "Tier", "warning"))
            .or_else(|| self.tiers.rows.first())
            .ok_or_else(|| missing("table alert-tiers", "no rows"))?;
        let tier = tier(self.tiers, row)?;
        let response = cell(self.tiers, row, "Response")?.to_string();
        let citation = self.facts.cite_row(self.tiers, row);
        self.cite(citation);
        let (mut meaning, mut first_actions, mut read_more) = (String::new(), Vec::new(), None);
        if let Some(table) = self.first_response
            && let Some(row) = row_containing(table, "Signal", signal)
        {
            meaning = table.cell(row, "Usually Means").unwrap_or_default().to_string();
            first_actions = table
                .cell(row, "First Actions")
                .unwrap_or_default()
                .split(';')
                .map(|a| a.trim())
                .filter(|a| !a.is_empty())
                // Each action stands alone in a list: start it with a capital.
                .map(|a| {
                    a.chars()
                        .take(1)
                        .flat_map(char::to_uppercase)
                        .chain(a.chars().skip(1))
                        .collect()
                })
                .collect();
            read_more = table.cell(row, "Read More").and_then(|text| self.facts.link_uri(text));
            let citation = self.facts.cite_row(table, row);
            self.cite(citation);
        }
        Ok(Alert {
            metric: metric.to_string(),
            value,
            threshold,
            tier,
            response,
            meaning,
            first_actions,
            read_more,
            same_as: None,
        })
    }

    fn tier_rank(&self, tier: Tier) -> usize {
        self.tiers
            .rows
            .iter()
            .position(|r| r.first().is_some_and(|t| t.parse() == Ok(tier)))
            .unwrap_or(usize::MAX)
    }
}

/// Evaluates `input` against the skill's monitoring thresholds and alert tiers.
pub fn evaluate(facts: &SkillFacts, input: &HealthInput) -> Result<HealthReport, DecideError> {
    check_input(input)?;
    let sustained_minutes = ["alert-tiers", "monitoring-thresholds"]
        .iter()
        .filter_map(|slug| facts.sentences(slug).ok())
        .flatten()
        .find(|s| s.to_lowercase().contains("sustained"))
        .and_then(|s| quantity::first_minutes(&s));
    let mut t = Tables {
        facts,
        thresholds: facts.table("monitoring-thresholds")?,
        tiers: facts.table("alert-tiers")?,
        first_response: facts.table("first-response").ok(),
        sustained_minutes,
        citations: Vec::new(),
    };
    let mut alerts = Vec::new();
    let mut within = Vec::new();
    let mut not_given = Vec::new();
    let mut note_missing = |metric: &str| not_given.push(metric.to_string());

    // Consumer lag, in messages and in seconds.
    let (lag, _) = t.threshold(
        "lag",
        input.consumer_lag_messages.is_some() || input.consumer_lag_seconds.is_some(),
    )?;
    let mut lag_alert: Option<String> = None;
    for (field, value, unit) in [
        ("consumer_lag_messages", input.consumer_lag_messages, Unit::Messages),
        ("consumer_lag_seconds", input.consumer_lag_seconds, Unit::Seconds),
    ] {
        let Some(condition) = lag.condition(unit) else {
            continue;
        };
        match value {
            Some(v) if condition.crossed_by(v) => {
                let mut alert = t.alert(field, v, lag.text.clone(), "lag")?;
                // Lag in messages and in seconds is one signal: say its meaning once.
                if let Some(first) = &lag_alert {
                    alert.same_as = Some(first.clone());
                    alert.meaning.clear();
                    alert.first_actions.clear();
                    alert.read_more = None;
                } else {
                    lag_alert = Some(field.to_string());
                }
                alerts.push(alert);
            }
            Some(v) => within.push(format!("{field} {v} (alerts at {})", lag.text)),
            None => note_missing(field),
        }
    }

    // Throughput against the baseline.
    let (throughput, _) = t.threshold("throughput", input.throughput_ratio_to_baseline.is_some())?;
    match input.throughput_ratio_to_baseline {
        Some(v) if throughput.conditions.iter().any(|c| c.crossed_by(v)) => {
            alerts.push(t.alert("throughput_ratio_to_baseline", v, throughput.text.clone(), "throughput")?)
        }
        Some(v) => within.push(format!(
            "throughput_ratio_to_baseline {v} (alerts at {})",
            throughput.text
        )),
        None => note_missing("throughput_ratio_to_baseline"),
    }

    // Error rate: the threshold is written for critical pipelines.
    let (errors, _) = t.threshold("error", input.error_rate.is_some())?;
    match input.error_rate {
        Some(v) if errors.conditions.iter().any(|c| c.crossed_by(v)) => {
            let critical = input.critical_pipeline;
            let mut alert = t.alert("error_rate", v, errors.text.clone(), "error")?;
            if errors.critical_only && critical != Some(true) {
                // Below the critical tier: the paging threshold is for critical pipelines.
                let lowest = t
                    .tiers
                    .rows
                    .len()
                    .saturating_sub(if critical == Some(false) { 1 } else { 2 });
                if let Some(row) = t.tiers.rows.get(lowest) {
                    alert.tier = tier(t.tiers, row)?;
                    alert.response = cell(t.tiers, row, "Response")?.to_string();
                    let citation = t.facts.cite_row(t.tiers, row);
                    t.cite(citation);
                }
                alert.meaning = format!(
                    "{} The threshold pages for critical pipelines; {}",
                    alert.meaning,
                    if critical == Some(false) {
                        "this one is not critical, so review the trend."
                    } else {
                        "say critical_pipeline: true if this one is."
                    }
                )
                .trim()
                .to_string();
            }
            alerts.push(alert);
        }
        Some(v) => within.push(format!("error_rate {v} (alerts at {})", errors.text)),
        None => note_missing("error_rate"),
    }

    // Checkpoint duration as a multiple of the interval.
    let (checkpoint, _) = t.threshold(
        "checkpoint",
        input.checkpoint_duration_seconds.is_some() && input.checkpoint_interval_seconds.is_some(),
    )?;
    match (input.checkpoint_duration_seconds, input.checkpoint_interval_seconds) {
        (Some(duration), Some(interval)) => {
            let ratio = duration / interval;
            let limit = checkpoint.condition(Unit::Multiple).map(|c| c.value * interval);
            if checkpoint.conditions.iter().any(|c| c.crossed_by(ratio)) {
                let text = match limit {
                    Some(l) => format!(
                        "{} ({l} s at {} s interval)",
                        checkpoint.text,
                        crate::markdown::with_article(&interval.to_string())
                    ),
                    None => checkpoint.text.clone(),
                };
                alerts.push(t.alert("checkpoint_duration_seconds", duration, text, "checkpoint")?);
            } else {
                within.push(format!(
                    "checkpoint_duration_seconds {duration} at {} s interval (alerts at {})",
                    crate::markdown::with_article(&interval.to_string()),
                    checkpoint.text
                ));
            }
        }
        (Some(_), None) => note_missing("checkpoint_interval_seconds"),
        (None, Some(_)) => note_missing("checkpoint_duration_seconds"),
        (None, None) => note_missing("checkpoint_duration_seconds and checkpoint_interval_seconds"),
    }

    // Backpressure: only a sustained ratio is a warning.
    let (backpressure, _) = t.threshold("backpressure", input.backpressure_ratio.is_some())?;
    match input.backpressure_ratio {
        Some(v) if backpressure.conditions.iter().any(|c| c.crossed_by(v)) => {
            let needed = t.sustained_minutes.filter(|_| backpressure.sustained);
            match (needed, input.backpressure_sustained_minutes) {
                (Some(needed), Some(minutes)) if minutes < needed => within.push(format!(
                    "backpressure_ratio {v} for {minutes} min: above {} but not yet sustained ({needed} min)",
                    backpressure.text
                )),
                (Some(needed), None) => {
                    let mut alert = t.alert("backpressure_ratio", v, backpressure.text.clone(), "backpressure")?;
                    if let Some(row) = t.tiers.rows.last() {
                        alert.tier = tier(t.tiers, row)?;
                        alert.response = cell(t.tiers, row, "Response")?.to_string();
                    }
                    alert.meaning = format!(
                        "Above the threshold, but not known to be sustained: it counts after {needed} minutes (give backpressure_sustained_minutes). {}",
                        alert.meaning
                    );
                    alerts.push(alert);
                }
                _ => alerts.push(t.alert("backpressure_ratio", v, backpressure.text.clone(), "backpressure")?),
            }
        }
        Some(v) => within.push(format!("backpressure_ratio {v} (alerts at {})", backpressure.text)),
        None => note_missing("backpressure_ratio"),
    }

    // Partition skew.
    let (skew, _) = t.threshold("skew", input.partition_max_min_ratio.is_some())?;
    match input.partition_max_min_ratio {
        Some(v) if skew.conditions.iter().any(|c| c.crossed_by(v)) => {
            alerts.push(t.alert("partition_max_min_ratio", v, skew.text.clone(), "skew")?)
        }
        Some(v) => within.push(format!("partition_max_min_ratio {v} (alerts at {})", skew.text)),
        None => note_missing("partition_max_min_ratio"),
    }

    // Flags that are signals of the alert tiers themselves.
    for (field, value, signal) in [
        ("consumer_stopped", input.consumer_stopped, "consumer stopped"),
        ("eos_violation", input.eos_violation, "eos violation"),
    ] {
        match value {
            Some(true) => alerts.push(t.alert(field, 1.0, "true".to_string(), signal)?),
            Some(false) => within.push(format!("{field} false")),
            None => note_missing(field),
        }
    }

    alerts.sort_by_key(|a| t.tier_rank(a.tier));
    let status = alerts.first().map_or(Status::Ok, |a| a.tier.into());
    let least_urgent = t.tiers.rows.len().saturating_sub(1);
    let alarming = alerts.iter().any(|a| t.tier_rank(a.tier) < least_urgent);
    Ok(HealthReport {
        status,
        alerts,
        within,
        not_given,
        citations: t.citations,
        alarming,
    })
}

/// The metric fields, in the order the report goes through them.
pub const METRICS: [&str; 11] = [
    "consumer_lag_messages",
    "consumer_lag_seconds",
    "throughput_ratio_to_baseline",
    "error_rate",
    "checkpoint_duration_seconds",
    "checkpoint_interval_seconds",
    "backpressure_ratio",
    "backpressure_sustained_minutes",
    "partition_max_min_ratio",
    "consumer_stopped",
    "eos_violation",
];

impl HealthInput {
    /// Whether any metric is given (`critical_pipeline` describes the pipeline, not its health).
    pub fn has_metric(&self) -> bool {
        [
            self.consumer_lag_messages,
            self.consumer_lag_seconds,
            self.throughput_ratio_to_baseline,
            self.error_rate,
            self.checkpoint_duration_seconds,
            self.checkpoint_interval_seconds,
            self.backpressure_ratio,
            self.backpressure_sustained_minutes,
            self.partition_max_min_ratio,
        ]
        .iter()
        .any(Option::is_some)
            || self.consumer_stopped.is_some()
            || self.eos_violation.is_some()
    }
}

fn check_input(input: &HealthInput) -> Result<(), DecideError> {
    if !input.has_metric() {
        return Err(DecideError::Input(format!(
            "no metric given: give at least one of {}",
            METRICS.join(", ")
        )));
    }
    let numbers = [
        ("consumer_lag_messages", input.consumer_lag_messages, None),
        ("consumer_lag_seconds", input.consumer_lag_seconds, None),
        ("throughput_ratio_to_baseline", input.throughput_ratio_to_baseline, None),
        ("error_rate", input.error_rate, Some(1.0)),
        ("checkpoint_duration_seconds", input.checkpoint_duration_seconds, None),
        ("checkpoint_interval_seconds", input.checkpoint_interval_seconds, None),
        ("backpressure_ratio", input.backpressure_ratio, Some(1.0)),
        (
            "backpressure_sustained_minutes",
            input.backpressure_sustained_minutes,
            None,
        ),
        ("partition_max_min_ratio", input.partition_max_min_ratio, None),
    ];
    for (name, value, max) in numbers {
        let Some(v) = value else { continue };
        if !v.is_finite() || v < 0.0 {
            return Err(DecideError::Input(format!(
                "{name} must be a number of at least 0; got {v}"
            )));
        }
        if let Some(max) = max
            && v > max
        {
            return Err(DecideError::Input(format!(
                "{name} is a share from 0 to {max} (0.002 means 0.2%); got {v}"
            )));
        }
    }
    if input.checkpoint_interval_seconds == Some(0.0) {
        return Err(DecideError::Input("checkpoint_interval_seconds must be above 0".into()));
    }
    if let Some(v) = input.partition_max_min_ratio
        && v < 1.0
    {
        return Err(DecideError::Input(format!(
            "partition_max_min_ratio is the busiest partition over the quietest, so at least 1; got {v}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn tiers_read_in_any_case_and_keep_their_json_names() {
        assert_eq!("Critical".parse::<Tier>(), Ok(Tier::Critical));
        assert!("low".parse::<Tier>().is_err());
        assert_eq!(serde_json::to_value(Tier::Warning).unwrap(), "warning");
        assert_eq!(serde_json::to_value(Status::Ok).unwrap(), "ok");
        assert_eq!(Status::from(Tier::Info).to_string(), "info");
    }
    use crate::skill::Skill;

    fn facts() -> SkillFacts {
        SkillFacts::new(Arc::new(Skill::embedded().unwrap()))
    }

    #[test]
    fn nothing_given_is_an_error_naming_the_metrics() {
        let err = evaluate(&facts(), &HealthInput::default()).unwrap_err().to_string();
        assert!(
            err.starts_with("no metric given: give at least one of consumer_lag_messages, "),
            "{err}"
        );
        assert!(err.ends_with("eos_violation"), "{err}");
        let only_flag = HealthInput {
            critical_pipeline: Some(true),
            ..Default::default()
        };
        assert!(evaluate(&facts(), &only_flag).is_err());
    }

    #[test]
    fn metrics_not_given_are_named_once_and_their_thresholds_not_cited() {
        let input = HealthInput {
            error_rate: Some(0.0001),
            ..Default::default()
        };
        let report = evaluate(&facts(), &input).unwrap();
        assert_eq!(report.status, Status::Ok);
        assert!(report.not_given.contains(&"consumer_lag_seconds".to_string()));
        assert!(report.not_given.contains(&"eos_violation".to_string()));
        let sources: Vec<&str> = report.citations.iter().map(|c| c.source.as_str()).collect();
        assert_eq!(sources, ["table monitoring-thresholds: Error Rate"]);
    }

    #[test]
    fn lag_in_messages_and_seconds_explain_the_signal_once() {
        let input = HealthInput {
            consumer_lag_messages: Some(5_000_000.0),
            consumer_lag_seconds: Some(900.0),
            ..Default::default()
        };
        let report = evaluate(&facts(), &input).unwrap();
        assert_eq!(report.alerts.len(), 2);
        assert!(!report.alerts[0].meaning.is_empty() && report.alerts[0].same_as.is_none());
        assert_eq!(
            report.alerts[1].same_as.as_deref(),
            Some(report.alerts[0].metric.as_str())
        );
        assert!(report.alerts[1].meaning.is_empty() && report.alerts[1].first_actions.is_empty());
    }

    #[test]
    fn lag_over_five_minutes_is_a_warning_with_actions() {
        let input = HealthInput {
            consumer_lag_seconds: Some(420.0),
            consumer_lag_messages: Some(20_000.0),
            ..Default::default()
        };
        let report = evaluate(&facts(), &input).unwrap();
        assert_eq!(report.status, Status::Warning);
        assert_eq!(report.alerts.len(), 1);
        let alert = &report.alerts[0];
        assert_eq!(alert.metric, "consumer_lag_seconds");
        assert_eq!(alert.threshold, "> 1M messages or > 5 min");
        assert!(!alert.first_actions.is_empty());
        assert!(alert.read_more.as_deref().unwrap().contains("computing-consumer-lag"));
        assert!(report.within[0].starts_with("consumer_lag_messages 20000"));
    }

    #[test]
    fn boundaries_are_strict() {
        let at = |lag: f64| {
            let input = HealthInput {
                consumer_lag_messages: Some(lag),
                ..Default::default()
            };
            evaluate(&facts(), &input).unwrap().status
        };
        assert_eq!(at(1_000_000.0), Status::Ok);
        assert_eq!(at(1_000_001.0), Status::Warning);
    }

    #[test]
    fn stopped_consumer_pages_first() {
        let input = HealthInput {
            consumer_stopped: Some(true),
            partition_max_min_ratio: Some(4.0),
            ..Default::default()
        };
        let report = evaluate(&facts(), &input).unwrap();
        assert_eq!(report.status, Status::Critical);
        assert_eq!(report.alerts[0].metric, "consumer_stopped");
        assert_eq!(report.alerts[1].tier, Tier::Info);
    }

    #[test]
    fn error_rate_pages_only_for_critical_pipelines() {
        let run = |critical| {
            let input = HealthInput {
                error_rate: Some(0.002),
                critical_pipeline: critical,
                ..Default::default()
            };
            evaluate(&facts(), &input).unwrap().status
        };
        assert_eq!(run(Some(true)), Status::Critical);
        assert_eq!(run(None), Status::Warning);
        assert_eq!(run(Some(false)), Status::Info);
        let input = HealthInput {
            error_rate: Some(0.0005),
            critical_pipeline: Some(true),
            ..Default::default()
        };
        assert_eq!(evaluate(&facts(), &input).unwrap().status, Status::Ok);
    }

    #[test]
    fn checkpoints_and_backpressure() {
        let input = HealthInput {
            checkpoint_duration_seconds: Some(130.0),
            checkpoint_interval_seconds: Some(60.0),
            backpressure_ratio: Some(0.3),
            backpressure_sustained_minutes: Some(2.0),
            ..Default::default()
        };
        let report = evaluate(&facts(), &input).unwrap();
        assert_eq!(report.alerts.len(), 1);
        assert!(
            report.alerts[0].threshold.contains("120 s"),
            "{}",
            report.alerts[0].threshold
        );
        assert!(report.within.iter().any(|w| w.contains("not yet sustained (5 min)")));
        let input = HealthInput {
            backpressure_ratio: Some(0.3),
            backpressure_sustained_minutes: Some(12.0),
            ..Default::default()
        };
        assert_eq!(evaluate(&facts(), &input).unwrap().status, Status::Warning);
        let input = HealthInput {
            checkpoint_duration_seconds: Some(30.0),
            ..Default::default()
        };
        let report = evaluate(&facts(), &input).unwrap();
        assert!(report.not_given.iter().any(|m| m == "checkpoint_interval_seconds"));
    }

    #[test]
    fn bad_numbers_are_errors() {
        let input = HealthInput {
            error_rate: Some(2.5),
            ..Default::default()
        };
        assert!(
            evaluate(&facts(), &input)
                .unwrap_err()
                .to_string()
                .contains("0.002 means 0.2%")
        );
        let input = HealthInput {
            consumer_lag_seconds: Some(-1.0),
            ..Default::default()
        };
        assert!(evaluate(&facts(), &input).is_err());
    }

    #[test]
    fn an_edited_threshold_changes_the_answer() {
        let text = Skill::embedded()
            .unwrap()
            .skill_md()
            .source
            .replace("> 1M messages", "> 10K messages");
        let dir = tempfile_skill(&text);
        let facts = SkillFacts::new(Arc::new(Skill::from_dir(dir.path()).unwrap()));
        let input = HealthInput {
            consumer_lag_messages: Some(20_000.0),
            ..Default::default()
        };
        assert_eq!(evaluate(&facts, &input).unwrap().status, Status::Warning);
    }

    fn tempfile_skill(skill_md: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("SKILL.md"), skill_md).unwrap();
        dir
    }
}
