//! The skill's content, checked the way a skill author and a reviewer would: front matter per
//! the Agent Skills spec, links that resolve, decision tables with their columns and rows, no
//! empty section, a language on every code fence, reference depth, and the sibling catalog.

use std::path::Path;

use streaming_skill::skill::frontmatter::{self, ALLOWED_KEYS};
use streaming_skill::skill::links::{self, LinkTarget};
use streaming_skill::skill::{Skill, SkillFiles};
use streaming_skill::tables;
use streaming_skill::validate::{self, Severity};

fn skill() -> Skill {
    Skill::embedded().expect("the embedded skill loads")
}

#[test]
fn frontmatter_follows_the_agent_skills_spec() {
    let skill = skill();
    let fm = skill.frontmatter();
    let keys: Vec<&String> = fm.raw.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["name", "description", "license", "metadata"]);
    assert!(keys.iter().all(|k| ALLOWED_KEYS.contains(&k.as_str())));
    assert_eq!(fm.name, "streaming-data-skill");
    assert_eq!(frontmatter::name_problem(&fm.name), None);
    let description = fm.description.chars().count();
    assert!(
        (1..=1024).contains(&description),
        "description has {description} characters"
    );
    for sibling in ["dbt-skill", "integration-patterns-skill", "data-orchestration-skill"] {
        assert!(
            fm.description.contains(sibling),
            "the description hands off to {sibling}"
        );
    }
    for phrase in [
        "real-time pipeline",
        "Kafka consumer",
        "streaming vs batch",
        "low latency ingestion",
    ] {
        assert!(fm.description.contains(phrase), "trigger phrase {phrase:?}");
    }
    assert_eq!(fm.license.as_deref(), Some("Apache-2.0"));
    let metadata = fm.raw["metadata"].as_object().unwrap();
    assert!(metadata.values().all(|v| v.is_string()), "metadata is a string map");
    assert!(metadata.contains_key("version") && metadata.contains_key("author"));
    assert!(fm.problems().is_empty(), "{:?}", fm.problems());
}

#[test]
fn skill_md_stays_short() {
    let skill_md = skill().skill_md();
    let lines = skill_md.source.lines().count();
    assert!(lines < 500, "SKILL.md has {lines} lines");
    let tokens = streaming_skill::tokens::estimate(&skill_md.source);
    assert!(tokens < 5_500, "SKILL.md is about {tokens} tokens");
}

#[test]
fn every_link_resolves_inside_the_skill() {
    let skill = skill();
    for doc in skill.documents().unwrap() {
        for link in &doc.markdown.links {
            match links::resolve(&doc.path, &link.destination) {
                LinkTarget::External => {}
                LinkTarget::Outside => panic!("{}: link {} leaves the skill", doc.path, link.destination),
                LinkTarget::Anchor(anchor) => {
                    assert!(
                        doc.markdown.sections.iter().any(|s| s.slug == anchor),
                        "{}: #{anchor}",
                        doc.path
                    )
                }
                LinkTarget::File { path, anchor } => {
                    assert!(
                        skill.files().exists(&path),
                        "{}: link {} names no file",
                        doc.path,
                        link.destination
                    );
                    if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
                        let target = skill.document(&path).unwrap();
                        assert!(
                            target.markdown.sections.iter().any(|s| s.slug == anchor),
                            "{}: {}",
                            doc.path,
                            link.destination
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn skill_md_links_every_reference() {
    let skill = skill();
    let skill_md = skill.skill_md();
    let linked: Vec<String> = skill_md
        .markdown
        .links
        .iter()
        .filter_map(|l| match links::resolve("SKILL.md", &l.destination) {
            LinkTarget::File { path, .. } => Some(path),
            _ => None,
        })
        .collect();
    for path in [
        "references/kafka-deep-dive.md",
        "references/flink-spark-streaming.md",
        "references/warehouse-streaming-ingestion.md",
        "references/stream-testing-patterns.md",
        "skill/security-compliance-patterns.md",
    ] {
        assert!(linked.iter().any(|l| l == path), "SKILL.md does not link {path}");
    }
}

#[test]
fn decision_tables_have_their_columns_and_rows() {
    let skill = skill();
    let all = tables::decision_tables(&skill.skill_md());
    let expected: [(&str, &[&str], usize); 9] = [
        (
            "architecture-decision-matrix",
            &["Architecture", "Latency", "Complexity", "Best For"],
            5,
        ),
        (
            "stream-processing-framework-selection",
            &["Framework", "Latency", "SQL", "Managed", "Best For", "Languages"],
            5,
        ),
        (
            "state-management-and-checkpointing",
            &["Backend", "State Size", "Speed", "Best For"],
            3,
        ),
        ("windowing-patterns", &["Pattern", "Description", "Use Case"], 4),
        (
            "schema-compatibility-modes",
            &["Mode", "Allowed Changes", "Use When"],
            3,
        ),
        ("monitoring-thresholds", &["Metric", "Alert Threshold"], 6),
        ("alert-tiers", &["Tier", "Response", "Signals"], 3),
        (
            "first-response",
            &["Signal", "Usually Means", "First Actions", "Read More"],
            8,
        ),
        (
            "security-capability-tiers",
            &[
                "Capability",
                "Tier 1 (Cloud-Native)",
                "Tier 2 (Regulated)",
                "Tier 3 (Air-Gapped)",
            ],
            3,
        ),
    ];
    assert_eq!(all.len(), expected.len());
    for (id, columns, rows) in expected {
        let table = tables::find(&all, id).unwrap();
        assert_eq!(table.id, id);
        assert_eq!(table.columns, columns, "{id}");
        assert_eq!(table.rows.len(), rows, "{id}");
        assert!(
            table.rows.iter().all(|r| r.iter().all(|c| !c.is_empty())),
            "{id} has an empty cell"
        );
        assert!(!table.description.is_empty(), "{id} says what it decides");
    }
}

#[test]
fn seed_values_carry_over() {
    let skill = skill();
    let all = tables::decision_tables(&skill.skill_md());
    let cell = |table: &str, row: usize, column: &str| {
        let t = tables::find(&all, table).unwrap();
        t.cell(&t.rows[row], column).unwrap().to_string()
    };
    assert_eq!(
        cell("architecture-decision-matrix", 2, "Best For"),
        "Real-time dashboards, fraud detection, alerting"
    );
    assert_eq!(
        cell("stream-processing-framework-selection", 1, "Managed"),
        "Amazon Managed Service for Apache Flink, Confluent"
    );
    assert_eq!(
        cell("monitoring-thresholds", 0, "Alert Threshold"),
        "> 1M messages or > 5 min"
    );
    assert_eq!(cell("monitoring-thresholds", 3, "Alert Threshold"), "> 2x interval");
    assert_eq!(
        cell("schema-compatibility-modes", 0, "Use When"),
        "Consumers upgrade first (most common)"
    );
    assert_eq!(
        cell("security-capability-tiers", 1, "Tier 2 (Regulated)"),
        "Generate for review"
    );
    let text = &skill.skill_md().source;
    for fact in [
        "30 seconds to 1 minute",
        "5 to 10 minutes",
        "gigabytes to terabytes",
        "INTERVAL '5' SECOND",
        "ConfigProvider",
    ] {
        assert!(text.contains(fact), "SKILL.md lost {fact:?}");
    }
}

#[test]
fn skill_md_names_the_versions_it_was_checked_against() {
    let skill = skill();
    let skill_md = skill.skill_md();
    let section = skill_md
        .markdown
        .sections
        .iter()
        .find(|s| s.heading == "Version Baseline")
        .expect("SKILL.md has a Version Baseline section");
    let text = &skill_md.source[section.content_range.clone()];
    for fact in [
        "2026-12-04",
        "Apache Kafka 4.x",
        "Apache Flink 2.x",
        "Apache Spark 4.x",
        "Snowflake",
        "BigQuery",
    ] {
        assert!(text.contains(fact), "the version baseline names {fact:?}");
    }
    let body = &skill_md.source;
    assert!(
        body.contains("Under 5 GB as a rule of thumb") && body.contains("our rule of thumb"),
        "the heap-state size is marked as a rule of thumb"
    );
    assert!(
        body.contains("Spark 4.1 added a real-time mode"),
        "Spark's latency names the version of real-time mode"
    );
}

#[test]
fn reference_decision_tables_for_schema_formats_and_channels() {
    let skill = skill();
    let kafka = skill.document("references/kafka-deep-dive.md").unwrap();
    let kafka_tables = tables::decision_tables(&kafka);
    let formats = tables::find(&kafka_tables, "choosing-a-schema-format").unwrap();
    assert_eq!(formats.columns, ["Need", "Format", "Why", "Watch out for"]);
    assert_eq!(formats.rows.len(), 4);
    let chosen: Vec<&str> = formats
        .rows
        .iter()
        .map(|r| formats.cell(r, "Format").unwrap())
        .collect();
    for format in ["Avro", "Protobuf", "JSON Schema"] {
        assert!(chosen.contains(&format), "the format table recommends {format}");
    }
    let json = tables::find(&kafka_tables, "json-schema-compatibility-rules").unwrap();
    assert_eq!(
        json.columns,
        [
            "Change (checked BACKWARD: new schema reads old data)",
            "Closed model",
            "Open model",
            "Partially open model"
        ]
    );
    assert_eq!(json.rows.len(), 5);
    let add_optional = &json.rows[0];
    assert_eq!(json.cell(add_optional, "Closed model"), Some("Compatible"));
    assert!(
        json.cell(add_optional, "Open model")
            .unwrap()
            .starts_with("Incompatible")
    );

    let warehouse = skill.document("references/warehouse-streaming-ingestion.md").unwrap();
    let warehouse_tables = tables::decision_tables(&warehouse);
    let paths = tables::find(
        &warehouse_tables,
        "decision-table-latency-source-shape-exactly-once-team-cost",
    )
    .unwrap();
    let recommended: Vec<&str> = paths
        .rows
        .iter()
        .map(|r| paths.cell(r, "Recommended path").unwrap())
        .collect();
    assert!(recommended.contains(&"High-performance SDK, Elastic Channel"));
    assert!(recommended.contains(&"High-performance SDK, Named Channels"));
    for row in &paths.rows {
        assert!(row.iter().all(|c| !c.is_empty()), "no empty cell in {row:?}");
    }
}

#[test]
fn no_section_is_empty_and_every_fence_names_a_language() {
    let skill = skill();
    for doc in skill.documents().unwrap() {
        for section in &doc.markdown.sections {
            let own = doc.source[section.content_range.clone()].trim();
            assert!(
                !own.is_empty(),
                "{}: section {:?} has no text of its own",
                doc.path,
                section.heading
            );
        }
        for block in &doc.markdown.code_blocks {
            let (line, _) = doc.position(block.range.start);
            assert!(
                block.fenced && block.language.is_some(),
                "{}:{line}: code block without a language",
                doc.path
            );
        }
    }
}

#[test]
fn references_have_expert_depth() {
    let skill = skill();
    for doc in skill.documents().unwrap().iter().filter(|d| d.name != "SKILL.md") {
        let words = doc.source.split_whitespace().count();
        assert!((2_500..=9_000).contains(&words), "{} has {words} words", doc.path);
        let h2 = doc.markdown.sections.iter().filter(|s| s.level == 2).count();
        let h3 = doc.markdown.sections.iter().filter(|s| s.level == 3).count();
        assert!(h2 >= 5 && h3 >= 10, "{}: {h2} ## and {h3} ### sections", doc.path);
        assert!(
            doc.markdown.code_blocks.len() >= 8,
            "{} has {} code blocks",
            doc.path,
            doc.markdown.code_blocks.len()
        );
        assert!(
            doc.markdown.sections.iter().filter(|s| s.level == 1).count() == 1,
            "{} has one title",
            doc.path
        );
        assert!(!doc.description.is_empty(), "{} has a lead paragraph", doc.path);
    }
}

#[test]
fn validator_finds_nothing_in_the_embedded_skill() {
    let findings = validate::validate_files(SkillFiles::embedded());
    assert!(findings.is_empty(), "{findings:#?}");
    assert!(!findings.iter().any(|f| f.severity == Severity::Error));
}

#[test]
fn sibling_catalog_covers_every_sibling_and_declined_area() {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("skill/siblings.yaml")).unwrap();
    let catalog: serde_json::Value = serde_saphyr::from_str(&text).expect("the catalog is YAML");
    assert_eq!(catalog["skill"], "streaming-data-skill");
    let siblings: Vec<&str> = catalog["siblings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        siblings,
        ["dbt-skill", "integration-patterns-skill", "data-orchestration-skill"]
    );
    for sibling in catalog["siblings"].as_array().unwrap() {
        for field in ["scope", "tell_apart", "handoff"] {
            assert!(
                sibling[field].as_str().is_some_and(|s| s.len() > 40),
                "{} {field}",
                sibling["name"]
            );
        }
        assert!(sibling["typical_requests"].as_array().unwrap().len() >= 3);
        assert!(sibling["cues"]["strong"].as_array().unwrap().len() >= 5);
    }
    let areas: Vec<&str> = catalog["out_of_scope"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["area"].as_str().unwrap())
        .collect();
    assert_eq!(
        areas,
        [
            "static data modeling",
            "SQL optimization of analytical queries",
            "data quality on static datasets",
            "one-time migrations",
            "infrastructure provisioning and CI/CD",
            "hiring and careers",
            "web and app development"
        ]
    );
    for area in catalog["out_of_scope"].as_array().unwrap() {
        assert!(area["reason"].as_str().is_some_and(|r| r.len() > 40));
        assert!(!area["cues"].as_array().unwrap().is_empty());
    }
}

/// The choice tables of the 2026 topics: each is served by id from the document a reader would
/// open, with the column a decision is read from and a row for each option the text discusses.
#[test]
fn reference_decision_tables_for_the_2026_topics() {
    let skill = skill();
    let all = tables::skill_tables(&skill).unwrap();
    let cases: [(&str, &str, &str, &[&str]); 6] = [
        (
            "cdc-approach",
            "cdc-and-lakehouse-sinks",
            "Approach",
            &["Log-based CDC", "Query-based polling", "Dual writes", "outbox"],
        ),
        (
            "sink-table-format",
            "cdc-and-lakehouse-sinks",
            "Format",
            &["Iceberg", "Delta Lake", "Paimon", "Hudi"],
        ),
        (
            "share-group-or-consumer-group",
            "kafka-operations-and-dr",
            "Choose",
            &["share group", "consumer group"],
        ),
        (
            "dr-topology",
            "kafka-operations-and-dr",
            "Topology",
            &[
                "Stretched cluster",
                "Active-passive",
                "Active-active",
                "Cluster Linking",
            ],
        ),
        (
            "spark-trigger-choice",
            "flink-spark-streaming",
            "Trigger",
            &["availableNow", "realTime"],
        ),
        (
            "flink-stateful-api-choice",
            "flink-spark-streaming",
            "Use",
            &["MATCH_RECOGNIZE", "ForSt"],
        ),
    ];
    for (id, document, column, options) in cases {
        let table = tables::find(&all, id).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(table.id, id, "served under its own id");
        assert_eq!(table.document, document, "{id}");
        assert!(table.rows.len() >= options.len(), "{id}: {} rows", table.rows.len());
        assert!(!table.description.is_empty(), "{id} has a lead sentence");
        let text: Vec<String> = table
            .rows
            .iter()
            .map(|r| {
                let cell = table
                    .cell(r, column)
                    .unwrap_or_else(|| panic!("{id}: no column {column}"));
                format!("{} {cell}", r[0]).to_lowercase()
            })
            .collect();
        for option in options {
            let option = option.to_lowercase();
            assert!(
                text.iter().any(|t| t.contains(&option)),
                "{id}: no row for {option}: {text:?}"
            );
        }
    }
    let skill_md = skill.skill_md();
    for link in [
        "references/kafka-operations-and-dr.md",
        "references/cdc-and-lakehouse-sinks.md",
    ] {
        assert!(
            skill_md.markdown.links.iter().any(|l| l.destination == link),
            "SKILL.md links {link}"
        );
    }
}
