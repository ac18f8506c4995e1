//! `check_schema_compatibility`: the schema-compatibility library's verdict, with the skill's
//! compatibility-mode row and schema-evolution principle cited beside it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Citation, DecideError, SkillFacts, row_containing};
use crate::compat::{self, CompatibilityMode, CompatibilityReport, SchemaFormat};

/// A new schema and the versions registered before it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SchemaCheckInput {
    /// Schema language of all the schemas.
    pub format: SchemaFormat,
    /// The subject's compatibility mode.
    pub mode: CompatibilityMode,
    /// The schema to register (Avro JSON, JSON Schema, or .proto text).
    pub new_schema: String,
    /// The registered versions, oldest first.
    pub previous_schemas: Vec<String>,
}

/// The verdict, as a registry would give it, and the skill's advice on the mode.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SchemaCheck {
    /// The verdict.
    #[serde(flatten)]
    pub report: CompatibilityReport,
    /// The table row and sections used.
    pub citations: Vec<Citation>,
}

/// Runs the check and cites the skill.
pub fn check(facts: &SkillFacts, input: &SchemaCheckInput) -> Result<SchemaCheck, DecideError> {
    let report = compat::check_compatibility(input.format, input.mode, &input.new_schema, &input.previous_schemas)
        .map_err(|e| DecideError::Input(e.to_string()))?;
    let mut citations = Vec::new();
    let base = input.mode.as_str().trim_end_matches("_TRANSITIVE");
    if let Ok(table) = facts.table("schema-compatibility-modes")
        && let Some(row) = table
            .rows
            .iter()
            .find(|r| r.first().is_some_and(|m| m == base))
            .or_else(|| row_containing(table, "Mode", base))
    {
        citations.push(facts.cite_row(table, row));
    }
    if let Ok(sentences) = facts.sentences("schema-evolution")
        && let Some(sentence) = sentences.iter().find(|s| s.to_lowercase().contains("default"))
    {
        citations.push(facts.cite_section("schema-evolution", Some(sentence))?);
    }
    Ok(SchemaCheck { report, citations })
}

/// The check as text.
pub fn text(check: &SchemaCheck) -> String {
    text_naming(check, &[])
}

/// The check as text, each previous version followed by its name (a file name on the command
/// line), when `names` has one for it: `names[0]` is version 1.
pub fn text_naming(check: &SchemaCheck, names: &[String]) -> String {
    let r = &check.report;
    let version = |v: usize| match names.get(v.wrapping_sub(1)) {
        Some(name) => format!("{v} ({name})"),
        None => v.to_string(),
    };
    let against = if r.checked_against.is_empty() {
        "no previous version".to_string()
    } else {
        format!(
            "previous version{} {}",
            if r.checked_against.len() == 1 { "" } else { "s" },
            r.checked_against
                .iter()
                .map(|&v| version(v))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut out = format!(
        "{} under {} ({}, checked against {against})\n",
        if r.compatible { "Compatible" } else { "NOT compatible" },
        r.mode,
        r.format
    );
    for v in &r.violations {
        out.push_str(&format!(
            "- [{}] {} (version {}, {}): {} Fix: {}\n",
            v.rule,
            v.path,
            version(v.against_version),
            v.direction,
            v.explanation,
            v.fix
        ));
    }
    if !r.not_checked.is_empty() {
        out.push_str("Not checked:\n");
        for item in &r.not_checked {
            out.push_str(&format!("- {item}\n"));
        }
    }
    for c in &check.citations {
        out.push_str(&format!("Source: {} <{}>\n", c.source, c.uri));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::skill::Skill;

    #[test]
    fn a_field_without_default_breaks_backward_and_cites_the_mode() {
        let facts = SkillFacts::new(Arc::new(Skill::embedded().unwrap()));
        let old = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"}]}"#;
        let new = r#"{"type":"record","name":"Order","fields":[{"name":"id","type":"string"},{"name":"total","type":"double"}]}"#;
        let input = SchemaCheckInput {
            format: SchemaFormat::Avro,
            mode: CompatibilityMode::BackwardTransitive,
            new_schema: new.into(),
            previous_schemas: vec![old.into()],
        };
        let check = check(&facts, &input).unwrap();
        assert!(!check.report.compatible);
        assert_eq!(
            check.report.violations[0].rule,
            crate::compat::Rule::FieldAddedWithoutDefault
        );
        assert!(
            check.citations[0].row.contains("Mode: BACKWARD;"),
            "{:?}",
            check.citations
        );
        let rendered = text(&check);
        assert!(
            rendered.starts_with("NOT compatible under BACKWARD_TRANSITIVE (Avro, checked against previous version 1)"),
            "{rendered}"
        );
        let serialized = serde_json::to_value(&check).unwrap();
        assert_eq!(
            serialized["compatible"], false,
            "the report's fields sit at the top level"
        );
    }
}
