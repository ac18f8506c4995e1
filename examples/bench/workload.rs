//! The calls the bench makes: what each tool is asked, taken from the embedded skill and the
//! labelled routing set, so the mix is the one real clients send. Each list is cycled.

use anyhow::Context;
use serde_json::json;
use streaming_skill::library::SkillLibrary;
use streaming_skill::routing::eval::parse_cases;
use streaming_skill::skill::Skill;

use crate::stdio::ToolCall;

/// Queries typed the way an engineer would, two with typos.
pub const QUERIES: [&str; 10] = [
    "consumer lag",
    "exactly once kafka transactions",
    "watermark late data",
    "snowpipe streaming offset token",
    "idempotant consumer",
    "schema registry backward compatibility",
    "flink checkpoint backpressure",
    "dead letter queue retries",
    "bigquery storage write api",
    "kafka conect sink tuning",
];

/// The calls for every tool measured, and the floor's.
pub struct Workload {
    /// `search_references` calls.
    pub search: Vec<ToolCall>,
    /// `read_reference` calls: one section at a time, default budget.
    pub read: Vec<ToolCall>,
    /// `get_decision_table` calls: every table, unfiltered.
    pub table: Vec<ToolCall>,
    /// `route_request` calls: every request of the labelled routing set.
    pub route: Vec<ToolCall>,
    /// The floor's trivial `echo`.
    pub echo: Vec<ToolCall>,
}

impl Workload {
    /// Builds the calls from the embedded skill and `tests/routing/cases.jsonl`.
    pub fn new() -> anyhow::Result<Self> {
        let skill = Skill::embedded().context("the embedded skill")?;
        let documents = skill.documents().context("the embedded skill's documents")?;
        let read = documents
            .iter()
            .flat_map(|doc| {
                doc.markdown
                    .sections
                    .iter()
                    .filter(|s| s.level == 2)
                    .enumerate()
                    .filter(|(i, _)| *i == 1 || *i == 4)
                    .map(|(_, s)| call("read_reference", json!({"document": doc.name, "section": s.slug})))
                    .collect::<Vec<_>>()
            })
            .collect();
        let library = SkillLibrary::new(vec![std::sync::Arc::new(skill)]);
        let table = library
            .tables(None)
            .context("the decision tables")?
            .into_iter()
            .map(|t| call("get_decision_table", json!({"table": t.id})))
            .collect();
        let cases = parse_cases(include_str!("../../tests/routing/cases.jsonl"))
            .map_err(|e| anyhow::anyhow!("tests/routing/cases.jsonl line {}: {}", e.line, e.message))?;
        let route = cases
            .into_iter()
            .map(|c| call("route_request", json!({"request": c.text})))
            .collect();
        Ok(Self {
            search: QUERIES
                .iter()
                .map(|q| call("search_references", json!({"query": q})))
                .collect(),
            read,
            table,
            route,
            echo: vec![call("echo", json!({"text": "ping"}))],
        })
    }

    /// The four tools the issue names, with their calls.
    pub fn tools(&self) -> [(&'static str, &[ToolCall]); 4] {
        [
            ("search_references", &self.search),
            ("read_reference", &self.read),
            ("get_decision_table", &self.table),
            ("route_request", &self.route),
        ]
    }

    /// What each tool is asked, for the report.
    pub fn describe(&self) -> String {
        format!(
            "search_references cycles {} queries (two misspelt); read_reference cycles {} sections (the 2nd and 5th `##` section of every document, default budget); get_decision_table cycles all {} tables unfiltered; route_request cycles the {} requests of tests/routing/cases.jsonl; the floor's echo sends {{\"text\": \"ping\"}}",
            self.search.len(),
            self.read.len(),
            self.table.len(),
            self.route.len()
        )
    }
}

fn call(name: &'static str, arguments: serde_json::Value) -> ToolCall {
    ToolCall {
        name,
        arguments: arguments.to_string(),
    }
}
