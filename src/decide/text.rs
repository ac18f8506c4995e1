//! Plain-text renderings of the decisions, shared by the MCP tools' text content and the
//! command line. They carry the verdict and the reasons; the structured output carries all.

use std::fmt::Write;

use super::Citation;
use super::architecture::ArchitectureAdvice;
use super::health::HealthReport;
use super::kafka_config::KafkaConfig;

fn citations(out: &mut String, citations: &[Citation]) {
    if citations.is_empty() {
        return;
    }
    out.push_str("Sources:\n");
    // Several rows of one table cite the same source: name each once.
    let mut seen = std::collections::HashSet::new();
    for c in citations {
        if seen.insert((c.source.as_str(), c.uri.as_str())) {
            let _ = writeln!(out, "- {} <{}>", c.source, c.uri);
        }
    }
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{title}:");
    for item in items {
        let _ = writeln!(out, "- {item}");
    }
}

/// The architecture advice as text.
pub fn architecture(advice: &ArchitectureAdvice) -> String {
    let a = &advice.architecture;
    let mut out = format!(
        "Architecture: {} (latency {}, complexity {}; best for {})\n",
        a.name, a.latency, a.complexity, a.best_for
    );
    if advice.batch_is_better {
        out.push_str("Batch meets this target: no stream processor is needed.\n");
    }
    list(&mut out, "Why", &a.why);
    list(&mut out, "Warnings", &advice.warnings);
    if !advice.batch_is_better {
        out.push_str("Stream processors:\n");
        for p in &advice.processors {
            let _ = write!(out, "{}. {} [{}]", p.rank, p.framework, p.fit);
            if !p.why.is_empty() {
                let _ = write!(out, " + {}", p.why.join("; "));
            }
            if !p.why_not.is_empty() {
                let _ = write!(out, " - {}", p.why_not.join("; "));
            }
            out.push('\n');
        }
    }
    list(&mut out, "Windowing", &advice.windowing);
    list(&mut out, "State", &advice.state);
    list(&mut out, "Delivery", &advice.delivery);
    citations(&mut out, &advice.citations);
    out
}

/// The health report as text.
pub fn health(report: &HealthReport) -> String {
    let mut out = format!("Status: {}\n", report.status);
    for a in &report.alerts {
        let meaning = match &a.same_as {
            Some(first) => format!("The same signal as {first}."),
            None => a.meaning.clone(),
        };
        let _ = if a.threshold == "true" {
            writeln!(out, "[{}] {}: {}. {meaning}", a.tier, a.metric, a.response)
        } else {
            writeln!(
                out,
                "[{}] {} = {} (threshold {}): {}. {meaning}",
                a.tier, a.metric, a.value, a.threshold, a.response
            )
        };
        for action in &a.first_actions {
            let _ = writeln!(out, "    - {action}");
        }
        if let Some(uri) = &a.read_more {
            let _ = writeln!(out, "    read: {uri}");
        }
    }
    list(&mut out, "Within thresholds", &report.within);
    if !report.not_given.is_empty() {
        let _ = writeln!(out, "Not given: {}", report.not_given.join(", "));
    }
    citations(&mut out, &report.citations);
    out
}

/// The Kafka configuration as text: the properties file, then warnings and review notes.
pub fn kafka_config(config: &KafkaConfig) -> String {
    let mut out = config.properties.clone();
    out.push('\n');
    out.push_str(&kafka_config_notes(config));
    out
}

/// What goes with a Kafka configuration but not into its properties file: warnings, what a
/// human must review, and the sources.
pub fn kafka_config_notes(config: &KafkaConfig) -> String {
    let mut out = String::new();
    list(&mut out, "Warnings", &config.warnings);
    list(&mut out, "Human review", &config.human_review);
    citations(&mut out, &config.citations);
    out
}
