//! How `route_request` says a routing answer to an agent: the decision, its reasons, and each
//! next step as the tool call to make (`read_reference {"document": "skill://..."}`). The typed
//! steps themselves go in the structured content.

use serde_json::json;

use crate::routing::{NextStep, RouteDecision};

/// The text of a `route_request` result.
pub fn route(decision: &RouteDecision) -> String {
    let mut out = format!("{}\n", decision.headline());
    for reason in &decision.reasons {
        out.push_str(&format!("because {reason}\n"));
    }
    for next in &decision.next_steps {
        out.push_str(&format!("next: {}\n", step(next)));
    }
    out
}

/// One next step, as the call an agent makes and what it is for.
pub fn step(step: &NextStep) -> String {
    let call = |tool: &str, arguments: serde_json::Value| format!("{tool} {arguments}");
    match step {
        NextStep::Read {
            uri,
            heading: Some(heading),
            ..
        } => format!("{}: {heading}", call("read_reference", json!({"document": uri}))),
        NextStep::Read { uri, .. } => format!(
            "{}: read it and follow it",
            call("read_reference", json!({"document": uri}))
        ),
        NextStep::ReadTable { table, title, .. } => {
            format!("{}: {title}", call("get_decision_table", json!({"table": table})))
        }
        NextStep::CallTool { tool, table } => {
            format!("{tool} with the request's own values: it applies the table {table}")
        }
        NextStep::HandOff { skill, pass, loaded } => {
            let pass = pass.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
            if *loaded {
                format!(
                    "{}: {skill} is loaded here; read its SKILL.md and follow it.{pass}",
                    call("read_reference", json!({"document": NextStep::skill_md_uri(skill)}))
                )
            } else {
                format!("Hand the request to {skill}.{pass}")
            }
        }
        NextStep::OutOfScope { area, reason } => format!("Out of scope ({area}): {reason}"),
        NextStep::Explain { text } => text.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::Decision;

    #[test]
    fn each_step_names_the_tool_call_an_agent_makes() {
        let read = NextStep::Read {
            skill: "streaming-data-skill".into(),
            document: "kafka-deep-dive".into(),
            section: Some("consumer-lag".into()),
            heading: Some("Kafka > Consumer lag".into()),
            uri: "skill://streaming-data-skill/sections/kafka-deep-dive/consumer-lag".into(),
        };
        assert_eq!(
            step(&read),
            r#"read_reference {"document":"skill://streaming-data-skill/sections/kafka-deep-dive/consumer-lag"}: Kafka > Consumer lag"#
        );
        let table = NextStep::ReadTable {
            skill: "streaming-data-skill".into(),
            table: "monitoring-thresholds".into(),
            title: "Monitoring thresholds".into(),
        };
        assert_eq!(
            step(&table),
            r#"get_decision_table {"table":"monitoring-thresholds"}: Monitoring thresholds"#
        );
        let loaded = NextStep::HandOff {
            skill: "dbt-skill".into(),
            pass: Some("Pass the warehouse.".into()),
            loaded: true,
        };
        assert_eq!(
            step(&loaded),
            r#"read_reference {"document":"skill://dbt-skill/SKILL.md"}: dbt-skill is loaded here; read its SKILL.md and follow it. Pass the warehouse."#
        );
        let away = NextStep::HandOff {
            skill: "dbt-skill".into(),
            pass: None,
            loaded: false,
        };
        assert_eq!(step(&away), "Hand the request to dbt-skill.");
        let decide = NextStep::CallTool {
            tool: "evaluate_stream_health".into(),
            table: "monitoring-thresholds".into(),
        };
        assert_eq!(
            step(&decide),
            "evaluate_stream_health with the request's own values: it applies the table monitoring-thresholds"
        );
    }

    #[test]
    fn a_decline_says_why_without_a_call() {
        let decision = RouteDecision {
            decision: Decision::Decline,
            skill: None,
            confidence: 0.9,
            reasons: vec!["this is about cooking".into()],
            next_steps: vec![NextStep::OutOfScope {
                area: "cooking".into(),
                reason: "No skill here cooks.".into(),
            }],
        };
        assert_eq!(
            route(&decision),
            "decline (confidence 0.90)\nbecause this is about cooking\nnext: Out of scope (cooking): No skill here cooks.\n"
        );
    }
}
