//! `completion/complete`: suggestions for resource-template variables (document names, section
//! slugs, table ids) and for prompt arguments that take a fixed set of values. Values that start
//! with what was typed come first, then values that contain it.

use rmcp::model::{CompleteRequestParams, CompleteResult, CompletionInfo, Reference};

use crate::library::SkillLibrary;
use crate::skill::uri::SCHEME;

use super::prompts;

/// Suggestions for a completion request; an empty list when nothing applies (an unknown prompt
/// or argument included).
pub fn complete(library: &SkillLibrary, request: &CompleteRequestParams) -> CompleteResult {
    let typed = request.argument.value.as_str();
    let context = request.context.as_ref().and_then(|c| c.arguments.as_ref());
    let candidates: Vec<String> = match &request.r#ref {
        Reference::Resource(template) => {
            let skill_name = template
                .uri
                .strip_prefix(SCHEME)
                .and_then(|rest| rest.split('/').next());
            let Ok(skill) = library.skill(skill_name) else {
                return CompleteResult::default();
            };
            match (
                template.uri.contains("/sections/"),
                template.uri.contains("/tables/"),
                request.argument.name.as_str(),
            ) {
                (true, _, "document") => skill.document_names().map(|(n, _)| n.to_string()).collect(),
                (true, _, "section") => {
                    let document = context.and_then(|c| c.get("document")).map(String::as_str);
                    let docs = match document {
                        Some(d) => skill.document(d).map(|d| vec![d]).unwrap_or_default(),
                        None => skill.documents().unwrap_or_default(),
                    };
                    docs.iter()
                        .flat_map(|d| d.markdown.sections.iter().map(|s| s.slug.clone()))
                        .collect()
                }
                (_, true, "table") => library
                    .tables(Some(skill.name()))
                    .unwrap_or_default()
                    .into_iter()
                    .map(|t| t.id)
                    .collect(),
                _ => Vec::new(),
            }
        }
        Reference::Prompt(prompt) => prompt_values(library, &prompt.name, &request.argument.name),
        _ => Vec::new(),
    };
    let ranked = rank(candidates, typed);
    let total = ranked.len();
    let values: Vec<String> = ranked.into_iter().take(CompletionInfo::MAX_VALUES).collect();
    let has_more = total > values.len();
    let info = CompletionInfo::with_pagination(values, Some(total as u32), has_more).unwrap_or_default();
    CompleteResult::new(info)
}

/// The fixed values of a prompt argument. Frameworks and compatibility modes come from the
/// skill's own decision tables.
fn prompt_values(library: &SkillLibrary, prompt: &str, argument: &str) -> Vec<String> {
    if !prompts::argument_names(prompt).is_some_and(|names| names.iter().any(|n| n == argument)) {
        return Vec::new();
    }
    let column = |table: &str, column: &str| -> Vec<String> {
        library
            .table(None, table)
            .map(|t| {
                t.rows
                    .iter()
                    .filter_map(|r| t.cell(r, column).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    match argument {
        "delivery_guarantee" => prompts::DELIVERY_GUARANTEES.map(String::from).to_vec(),
        "format" => prompts::SCHEMA_FORMATS.map(String::from).to_vec(),
        "upgrade_order" => prompts::UPGRADE_ORDERS.map(String::from).to_vec(),
        "framework" => column("stream-processing-framework-selection", "Framework"),
        "compatibility_mode" => {
            let mut modes = column("schema-compatibility-modes", "Mode");
            modes.extend(prompts::EXTRA_COMPATIBILITY_MODES.map(String::from));
            modes
        }
        _ => Vec::new(),
    }
}

/// Keeps the candidates that match `typed` (case-insensitive): prefix matches first, then
/// matches inside; each group in its original order, without duplicates.
pub fn rank(candidates: Vec<String>, typed: &str) -> Vec<String> {
    let typed = typed.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let unique: Vec<String> = candidates.into_iter().filter(|c| seen.insert(c.clone())).collect();
    let (prefix, rest): (Vec<String>, Vec<String>) =
        unique.into_iter().partition(|c| c.to_lowercase().starts_with(&typed));
    let inside = rest.into_iter().filter(|c| c.to_lowercase().contains(&typed));
    prefix.into_iter().chain(inside).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skill::Skill;
    use rmcp::model::{ArgumentInfo, CompletionContext, PromptReference, ResourceTemplateReference};
    use std::sync::Arc;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    fn request(reference: Reference, name: &str, value: &str) -> CompleteRequestParams {
        serde_json::from_value(serde_json::json!({
            "ref": reference,
            "argument": ArgumentInfo::new(name, value),
        }))
        .unwrap()
    }

    #[test]
    fn ranks_prefix_before_substring() {
        let ranked = rank(
            vec!["a-flink".into(), "flink".into(), "kafka".into(), "flink".into()],
            "FLI",
        );
        assert_eq!(ranked, ["flink", "a-flink"]);
    }

    #[test]
    fn completes_template_variables() {
        let lib = library();
        let sections = Reference::Resource(ResourceTemplateReference::new(
            "skill://streaming-data-skill/sections/{document}/{section}",
        ));
        let result = complete(&lib, &request(sections.clone(), "document", "kaf"));
        assert_eq!(result.completion.values, ["kafka-deep-dive", "kafka-operations-and-dr"]);
        let mut req = request(sections, "section", "window");
        let mut context = CompletionContext::new();
        context.arguments = Some([("document".to_string(), "SKILL.md".to_string())].into());
        req.context = Some(context);
        assert_eq!(complete(&lib, &req).completion.values, ["windowing-patterns"]);
        let tables = Reference::Resource(ResourceTemplateReference::new(
            "skill://streaming-data-skill/tables/{table}",
        ));
        assert_eq!(
            complete(&lib, &request(tables, "table", "mon")).completion.values,
            ["monitoring-thresholds"]
        );
    }

    #[test]
    fn completes_fixed_prompt_values_from_the_skill() {
        let lib = library();
        let prompt = |name: &str| Reference::Prompt(PromptReference::new(name));
        let values = complete(
            &lib,
            &request(prompt("troubleshoot-streaming-pipeline"), "framework", "apache"),
        )
        .completion
        .values;
        assert_eq!(values, ["Apache Flink", "Apache Beam/Dataflow"]);
        let values = complete(
            &lib,
            &request(prompt("plan-schema-evolution"), "compatibility_mode", "full"),
        )
        .completion
        .values;
        assert_eq!(values, ["FULL", "FULL_TRANSITIVE"]);
        let values = complete(
            &lib,
            &request(prompt("design-streaming-pipeline"), "delivery_guarantee", ""),
        )
        .completion
        .values;
        assert_eq!(values, ["exactly-once", "at-least-once", "best-effort"]);
        assert!(
            complete(&lib, &request(prompt("no-such-prompt"), "x", ""))
                .completion
                .values
                .is_empty()
        );
    }
}
