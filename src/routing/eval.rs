//! Evaluating routing against a labelled set (JSON lines of `{"text", "expect"}`, where
//! `expect` is a skill name or `decline`; an optional `split` groups the cases, e.g. a
//! held-out half).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Router;

/// The label of a declined request.
pub const DECLINE: &str = "decline";

/// One labelled request.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Case {
    /// The request.
    pub text: String,
    /// The skill that should take it, or `decline`.
    pub expect: String,
    /// The group the case belongs to (e.g. `tune` or `holdout`).
    #[serde(default)]
    pub split: Option<String>,
}

pub use crate::labelled::CaseError;

/// Parses JSON lines; blank lines and lines starting with `//` are skipped.
pub fn parse_cases(text: &str) -> Result<Vec<Case>, CaseError> {
    crate::labelled::parse_lines(text, |_: &Case| Ok(()))
}

/// A routed case that missed.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The request.
    pub text: String,
    /// The label.
    pub expect: String,
    /// What the router said.
    pub got: String,
    /// Its confidence.
    pub confidence: f32,
}

/// Accuracy figures for a set of cases.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Cases routed.
    pub total: usize,
    /// Cases routed right.
    pub correct: usize,
    /// correct / total.
    pub accuracy: f64,
    /// Accuracy per expected label.
    pub per_label: BTreeMap<String, (usize, usize, f64)>,
    /// Accuracy per split, when cases name one.
    pub per_split: BTreeMap<String, (usize, usize, f64)>,
    /// expected label -> predicted label -> count.
    pub confusion: BTreeMap<String, BTreeMap<String, usize>>,
    /// Confident wrong answers (confidence above one half).
    pub confident_misses: usize,
    /// Every miss.
    pub misses: Vec<Miss>,
}

/// Routes every case with `router` and scores the answers.
pub fn evaluate(router: &Router, cases: &[Case]) -> Report {
    evaluate_with(|text| router.route(text), cases)
}

/// Routes every case with `route` (e.g. a library's routing, which also consults the
/// references) and scores the answers.
pub fn evaluate_with(mut route: impl FnMut(&str) -> super::RouteDecision, cases: &[Case]) -> Report {
    let mut per_label: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
    let mut per_split: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut misses = Vec::new();
    let mut correct = 0;
    for case in cases {
        let decision = route(&case.text);
        let got = decision.skill.clone().unwrap_or_else(|| DECLINE.to_string());
        let right = got == case.expect;
        correct += usize::from(right);
        let label = per_label.entry(case.expect.clone()).or_default();
        label.0 += usize::from(right);
        label.1 += 1;
        if let Some(split) = &case.split {
            let s = per_split.entry(split.clone()).or_default();
            s.0 += usize::from(right);
            s.1 += 1;
        }
        *confusion
            .entry(case.expect.clone())
            .or_default()
            .entry(got.clone())
            .or_default() += 1;
        if !right {
            misses.push(Miss {
                text: case.text.clone(),
                expect: case.expect.clone(),
                got,
                confidence: decision.confidence,
            });
        }
    }
    for entry in per_label.values_mut().chain(per_split.values_mut()) {
        entry.2 = entry.0 as f64 / entry.1.max(1) as f64;
    }
    let confident_misses = misses.iter().filter(|m| m.confidence > 0.5).count();
    Report {
        total: cases.len(),
        correct,
        accuracy: correct as f64 / cases.len().max(1) as f64,
        per_label,
        per_split,
        confusion,
        confident_misses,
        misses,
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "accuracy: {}/{} = {:.1}%",
            self.correct,
            self.total,
            self.accuracy * 100.0
        )?;
        for (split, (c, t, a)) in &self.per_split {
            writeln!(f, "  split {split}: {c}/{t} = {:.1}%", a * 100.0)?;
        }
        for (label, (c, t, a)) in &self.per_label {
            writeln!(f, "  label {label}: {c}/{t} = {:.1}%", a * 100.0)?;
        }
        let mut labels: Vec<&String> = self.confusion.keys().collect();
        for row in self.confusion.values() {
            labels.extend(row.keys());
        }
        labels.sort();
        labels.dedup();
        writeln!(f, "confusion (rows: expected, columns: routed to):")?;
        let short = |l: &str| l.trim_end_matches("-skill").chars().take(14).collect::<String>();
        write!(f, "{:>16}", "")?;
        for l in &labels {
            write!(f, " {:>14}", short(l))?;
        }
        writeln!(f)?;
        for expected in &labels {
            write!(f, "{:>16}", short(expected))?;
            for got in &labels {
                let n = self
                    .confusion
                    .get(*expected)
                    .and_then(|r| r.get(*got))
                    .copied()
                    .unwrap_or(0);
                write!(f, " {n:>14}")?;
            }
            writeln!(f)?;
        }
        writeln!(f, "confident misses (confidence > 0.5): {}", self.confident_misses)?;
        for miss in &self.misses {
            writeln!(
                f,
                "miss: expected {} got {} ({:.2}): {}",
                miss.expect, miss.got, miss.confidence, miss.text
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_reports_errors_with_line() {
        let cases = parse_cases("{\"text\": \"a\", \"expect\": \"decline\"}\n\n// note\n").unwrap();
        assert_eq!(cases.len(), 1);
        let err = parse_cases("{\"text\": \"a\", \"expect\": \"decline\"}\n{oops\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
