//! Routing accuracy on the labelled set in `tests/routing/cases.jsonl`, with the held-out half
//! (cases written before any tuning and never used for it) reported on its own.

use std::sync::Arc;

use streaming_skill::library::SkillLibrary;
use streaming_skill::routing::eval::{evaluate_with, parse_cases};
use streaming_skill::skill::Skill;

#[test]
fn routing_accuracy_on_the_labelled_set() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/routing/cases.jsonl");
    let cases = parse_cases(&std::fs::read_to_string(path).expect("the labelled set exists")).expect("it parses");
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

    let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())]);
    let report = evaluate_with(|text| library.route(text).unwrap(), &cases);
    println!("{report}");
    let holdout = &report.per_split["holdout"];
    println!(
        "held-out accuracy: {}/{} = {:.1}%",
        holdout.0,
        holdout.1,
        holdout.2 * 100.0
    );
    // Floors at what the rules reach today (92.6% overall, 87.8% held out): a change that
    // loses accuracy fails here. The target of 95% overall and 90% per label is not met yet.
    assert!(
        report.accuracy >= 0.92,
        "overall accuracy {:.1}% fell below 92%\n{report}",
        report.accuracy * 100.0
    );
    assert!(
        holdout.2 >= 0.87,
        "held-out accuracy {:.1}% fell below 87%\n{report}",
        holdout.2 * 100.0
    );
    for (label, (_, _, accuracy)) in &report.per_label {
        assert!(
            *accuracy >= 0.83,
            "{label}: {:.1}% fell below 83%\n{report}",
            accuracy * 100.0
        );
    }
}
