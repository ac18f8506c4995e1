//! The review cases in `tests/review/`: realistic configurations, each with the findings it must
//! produce (`NAME.expect.json` beside `NAME.properties`, `.yaml` or `.conf`). Every expected
//! finding must be found, every error found must be expected, typos must be suggested and
//! secrets never echoed. Cases whose name starts with `a` were written before the rules; their
//! recall is printed separately.

use std::path::{Path, PathBuf};

use serde_json::Value;
use streaming_skill::review::{self, ConfigReview, ReviewInput, RuleBook, Severity};
use streaming_skill::skill::Skill;

struct Case {
    name: String,
    input: ReviewInput,
    expect: Value,
}

fn cases() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/review");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".expect.json"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .trim_end_matches(".expect.json")
                .to_string();
            let expect: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let config = ["properties", "yaml", "conf"]
                .iter()
                .map(|ext| dir.join(format!("{name}.{ext}")))
                .find(|p| p.exists())
                .unwrap_or_else(|| panic!("no configuration for case {name}"));
            let mut input = serde_json::json!({
                "system": expect["system"],
                "config": std::fs::read_to_string(config).unwrap(),
            });
            for key in ["delivery", "environment"] {
                if !expect[key].is_null() {
                    input[key] = expect[key].clone();
                }
            }
            Case {
                name,
                input: serde_json::from_value(input).unwrap(),
                expect,
            }
        })
        .collect()
}

fn severity(word: &str) -> Severity {
    match word {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        "info" => Severity::Info,
        other => panic!("bad severity {other}"),
    }
}

/// (expected items found, expected items, problems)
fn judge(case: &Case, review: &ConfigReview) -> (usize, usize, Vec<String>) {
    let mut problems = Vec::new();
    let mut hits = 0;
    let mut total = 0;
    let expected: Vec<(Severity, String)> = case.expect["expect"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            (
                severity(pair[0].as_str().unwrap()),
                pair[1].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (sev, setting) in &expected {
        total += 1;
        if review
            .findings
            .iter()
            .any(|f| f.severity == *sev && f.setting.eq_ignore_ascii_case(setting))
        {
            hits += 1;
        } else {
            problems.push(format!("missing {sev:?} on {setting}"));
        }
    }
    for pair in case.expect["unknown"].as_array().into_iter().flatten() {
        total += 1;
        let (key, suggestion) = (pair[0].as_str().unwrap(), pair[1].as_str());
        if review
            .unknown_settings
            .iter()
            .any(|u| u.setting == key && u.did_you_mean.as_deref() == suggestion)
        {
            hits += 1;
        } else {
            problems.push(format!("missing unknown {key} -> {suggestion:?}"));
        }
    }
    for finding in review.findings.iter().filter(|f| f.severity == Severity::Error) {
        if !expected
            .iter()
            .any(|(s, k)| *s == Severity::Error && finding.setting.eq_ignore_ascii_case(k))
        {
            problems.push(format!("unexpected error {} on {}", finding.rule, finding.setting));
        }
    }
    if case.expect["clean"] == true && review.has_errors() {
        problems.push("a clean configuration got an error".into());
    }
    let json = serde_json::to_string(review).unwrap();
    let text = review::text(case.input.system, review);
    for secret in case.expect["secrets"].as_array().into_iter().flatten() {
        let secret = secret.as_str().unwrap();
        if json.contains(secret) || text.contains(secret) {
            problems.push(format!("the secret {secret:?} is echoed"));
        }
    }
    (hits, total, problems)
}

#[test]
fn every_review_case_passes() {
    let book = RuleBook::load(&Skill::embedded().unwrap()).unwrap();
    let cases = cases();
    let enough = cases.len() >= 40;
    let mut failures = Vec::new();
    let (mut before_hits, mut before_total, mut hits, mut total) = (0, 0, 0, 0);
    for case in &cases {
        let review = review::review(&book, &case.input).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let (h, t, problems) = judge(case, &review);
        hits += h;
        total += t;
        if case.name.starts_with('a') {
            before_hits += h;
            before_total += t;
        }
        failures.extend(problems.into_iter().map(|p| format!("{}: {p}", case.name)));
    }
    println!(
        "review cases: {} cases, recall {hits}/{total}; written before the rules: {before_hits}/{before_total}",
        cases.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(enough, "only {} cases", cases.len());
}

/// Regression: settings that Kafka added after the 4.0 line the key lists were read from, and
/// that the skill's own references tell readers to set, were reported as unknown keys.
#[test]
fn settings_the_references_document_for_kafka_4x_are_known() {
    let book = RuleBook::load(&Skill::embedded().unwrap()).unwrap();
    let cases = [
        (
            "kafka-streams",
            "application.id=orders\nbootstrap.servers=b:9092\nprocessing.guarantee=exactly_once_v2\n\
             errors.deadletterqueue.topic.name=orders-dlq\nprocessing.exception.handler.global.enabled=true\n\
             enable.transactional.statestores=true\nstatestore.uncommitted.max.bytes=67108864\n",
        ),
        (
            "kafka-broker",
            "process.roles=broker\nnode.id=4\ncontroller.quorum.bootstrap.servers=c1:9093\n\
             add.partitions.to.txn.retry.backoff.ms=20\nadd.partitions.to.txn.retry.backoff.max.ms=100\n\
             group.streams.assignors=sticky\n",
        ),
    ];
    for (system, config) in cases {
        let input: ReviewInput =
            serde_json::from_value(serde_json::json!({"system": system, "config": config})).unwrap();
        let review = review::review(&book, &input).unwrap();
        assert!(
            review.unknown_settings.is_empty(),
            "{system}: {:?}",
            review.unknown_settings
        );
    }
}
