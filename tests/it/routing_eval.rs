//! Routing accuracy on the labelled sets under `tests/routing/`, with the held-out cases (never
//! used for tuning) reported on their own.
//!
//! - `cases.jsonl`: the set the routing issue asks for (149 cases, half held out).
//! - `blind-*.jsonl`: sets written later by writers who saw neither the rules nor the other sets.
//!   A case's `split` says whether its set's misses were read while tuning (`tune`) or not
//!   (`holdout`: `blind-8.jsonl`, and the half of `blind-2.jsonl` held out in session 2).
//!   `blind-9.jsonl` (false friends and the 2026 topics) was read whole after its first look and
//!   tuned the domain gate; all of it is `tune`.

use std::sync::Arc;

use streaming_skill::library::SkillLibrary;
use streaming_skill::routing::eval::{Case, Report, evaluate_with, parse_cases};
use streaming_skill::skill::Skill;

fn read_set(name: &str) -> Vec<Case> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/routing")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_cases(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn evaluate(cases: &[Case]) -> Report {
    let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())]);
    evaluate_with(|text| library.route(text).unwrap(), cases)
}

fn assert_label_floor(report: &Report, floor: f64) {
    for (label, (_, _, accuracy)) in &report.per_label {
        assert!(
            *accuracy >= floor,
            "{label}: {:.1}% fell below {:.0}%\n{report}",
            accuracy * 100.0,
            floor * 100.0
        );
    }
}

#[test]
fn routing_accuracy_on_the_labelled_set() {
    let cases = read_set("cases.jsonl");
    let count = |label: &str| cases.iter().filter(|c| c.expect == label).count();
    assert!(cases.len() >= 120, "{} cases", cases.len());
    assert!(
        count("streaming-data-skill") * 100 >= cases.len() * 40,
        "about half activate"
    );
    for sibling in ["dbt-skill", "integration-patterns-skill", "data-orchestration-skill"] {
        assert!(count(sibling) >= 15, "{sibling}: {}", count(sibling));
    }
    assert!(count("decline") >= 20);

    let report = evaluate(&cases);
    println!("{report}");
    let holdout = &report.per_split["holdout"];
    println!(
        "held-out accuracy: {}/{} = {:.1}%",
        holdout.0,
        holdout.1,
        holdout.2 * 100.0
    );
    // The targets: 95% overall and 90% on every label.
    assert!(
        report.accuracy >= 0.95,
        "overall accuracy {:.1}% fell below 95%\n{report}",
        report.accuracy * 100.0
    );
    assert!(
        holdout.2 >= 0.90,
        "held-out accuracy {:.1}% fell below 90%\n{report}",
        holdout.2 * 100.0
    );
    assert_label_floor(&report, 0.90);
}

/// Sets written in session 6 (2026-12-05), after the aggregate floors below were set. Their first
/// looks were much lower than the older sets' current figures (78.5% to 91.9%, see BENCHMARKS.md),
/// so each keeps its own floor, a little under what the rules reach on it today, instead of
/// pulling the aggregate down.
const OWN_FLOORS: &[(&str, f64)] = &[
    ("blind-18.jsonl", 0.95),
    ("blind-19.jsonl", 0.90),
    ("blind-20.jsonl", 0.95),
    ("blind-21.jsonl", 0.91),
    ("blind-22.jsonl", 0.85),
    ("blind-23.jsonl", 0.93),
    ("blind-24.jsonl", 0.76),
    ("blind-25.jsonl", 0.90),
    ("blind-26.jsonl", 0.92),
    ("blind-27.jsonl", 0.94),
    ("blind-28.jsonl", 0.89),
    ("blind-29.jsonl", 0.95),
    ("blind-30.jsonl", 0.90),
    ("blind-31.jsonl", 0.91),
    ("blind-32.jsonl", 0.93),
    ("blind-33.jsonl", 0.96),
    ("blind-34.jsonl", 0.91),
    ("blind-35.jsonl", 0.96),
    ("blind-36.jsonl", 0.94),
    ("blind-37.jsonl", 0.95),
    ("blind-38.jsonl", 0.98),
    ("blind-39.jsonl", 0.97),
    ("blind-40.jsonl", 0.96),
    ("blind-41.jsonl", 0.97),
    ("blind-42.jsonl", 0.99),
    ("blind-43.jsonl", 0.96),
    ("blind-44.jsonl", 0.96),
];

#[test]
fn routing_accuracy_on_the_newest_blind_sets() {
    for (name, floor) in OWN_FLOORS {
        let report = evaluate(&read_set(name));
        println!(
            "{name}: {}/{} = {:.1}%",
            report.correct,
            report.total,
            report.accuracy * 100.0
        );
        assert!(
            report.accuracy >= *floor,
            "{name}: {:.1}% fell below {:.0}%\n{report}",
            report.accuracy * 100.0,
            floor * 100.0
        );
    }
}

#[test]
fn routing_accuracy_on_the_blind_sets() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/routing");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("blind-") && n.ends_with(".jsonl"))
        .filter(|n| !OWN_FLOORS.iter().any(|(own, _)| own == n))
        .collect();
    names.sort();
    assert!(names.len() >= 10, "{names:?}");
    let mut all = Vec::new();
    for name in &names {
        let cases = read_set(name);
        let report = evaluate(&cases);
        println!(
            "{name}: {}/{} = {:.1}%",
            report.correct,
            report.total,
            report.accuracy * 100.0
        );
        all.extend(cases);
    }
    let report = evaluate(&all);
    println!("{report}");
    // Floors a little under what the rules reach today (98.4% overall, 94.5% held out, 95.3% on
    // the weakest label): a change that loses accuracy on requests it was not tuned for fails.
    assert!(
        report.accuracy >= 0.96,
        "overall {:.1}% fell below 96%\n{report}",
        report.accuracy * 100.0
    );
    let holdout = &report.per_split["holdout"];
    assert!(
        holdout.2 >= 0.92,
        "held out {:.1}% fell below 92%\n{report}",
        holdout.2 * 100.0
    );
    assert_label_floor(&report, 0.90);
}

#[test]
fn false_friends_of_blind_9_are_declined() {
    // A third of blind-9 shares our words from other fields (video and LLM streaming, Java and
    // Node streams, RxJava, ROS topics, Franz Kafka, the Flink grocery app, Celery queues...):
    // 9 of 30 were declined before the domain gate, 30 of 30 after (90/90 overall).
    let report = evaluate(&read_set("blind-9.jsonl"));
    println!("{report}");
    assert!(
        report.accuracy >= 0.96,
        "blind-9 {:.1}% fell below 96%\n{report}",
        report.accuracy * 100.0
    );
    assert_label_floor(&report, 0.90);
    let decline = &report.per_label["decline"];
    assert!(decline.2 >= 0.95, "declines {}/{}\n{report}", decline.0, decline.1);
}
