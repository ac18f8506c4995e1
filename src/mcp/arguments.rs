//! The arguments of a tool call or a prompt request, typed as `P`. The `#[tool]` and `#[prompt]`
//! macros find the argument type by this wrapper's name and take the schema, or the prompt's
//! argument list, from `P`. Unlike rmcp's own `Parameters`, whose parse error is serde_json's
//! message without the argument's path, a bad tool argument here becomes a tool result with
//! `isError` that names it (`search_references: invalid argument `limit`: ...`), on every
//! transport; a prompt's missing or unknown argument is a JSON-RPC invalid-params error that
//! names it.

use std::borrow::Cow;
use std::marker::PhantomData;

use rmcp::ErrorData as McpError;
use rmcp::handler::server::common::FromContextPart;
use rmcp::handler::server::prompt::{PromptContext, cached_arguments_from_schema};
use rmcp::handler::server::tool::ToolCallContext;
use rmcp::model::{CallToolResult, ContentBlock, JsonObject};
use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::library::{LibraryError, SkillLibrary};
use crate::skill::SkillError;
use crate::skill::files::display_name;

/// The arguments of tool or prompt `name`, read as `P` when the handler asks.
pub struct Parameters<P> {
    name: String,
    arguments: JsonObject,
    target: PhantomData<fn() -> P>,
}

impl<P> Parameters<P> {
    /// `arguments` for the tool or prompt `name`.
    pub fn new(name: impl Into<String>, arguments: JsonObject) -> Self {
        Self {
            name: name.into(),
            arguments,
            target: PhantomData,
        }
    }
}

impl<P: JsonSchema> JsonSchema for Parameters<P> {
    fn schema_name() -> Cow<'static, str> {
        P::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        P::json_schema(generator)
    }
}

impl<S, P> FromContextPart<ToolCallContext<'_, S>> for Parameters<P> {
    fn from_context_part(context: &mut ToolCallContext<'_, S>) -> Result<Self, McpError> {
        Ok(Self::new(
            context.name.as_ref(),
            context.arguments.take().unwrap_or_default(),
        ))
    }
}

impl<S, P> FromContextPart<PromptContext<'_, S>> for Parameters<P> {
    fn from_context_part(context: &mut PromptContext<'_, S>) -> Result<Self, McpError> {
        Ok(Self::new(
            context.name.as_str(),
            context.arguments.take().unwrap_or_default(),
        ))
    }
}

impl<P: DeserializeOwned> Parameters<P> {
    /// A tool's result: `f`'s text, with its output as `structuredContent`. A bad argument, or
    /// an error from `f`, is a result with `isError` that starts with the tool's name.
    pub fn answer<O: Serialize>(
        self,
        library: &SkillLibrary,
        f: impl FnOnce(&SkillLibrary, P) -> Result<(String, O), LibraryError>,
    ) -> CallToolResult {
        let tool = self.name;
        let params: P = match serde_path_to_error::deserialize(Value::Object(self.arguments)) {
            Ok(p) => p,
            Err(e) => return error(format!("{tool}: {}", argument_error(&e))),
        };
        match f(library, params) {
            Ok((text, output)) => {
                let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
                result.structured_content = Some(serde_json::to_value(output).unwrap_or_default());
                result
            }
            Err(e) => {
                let hint = match &e {
                    LibraryError::Skill(SkillError::SectionNotFound { .. } | SkillError::SectionAmbiguous { .. }) => {
                        "; read_reference with only `document` lists every section"
                    }
                    _ => "",
                };
                error(format!("{tool}: {e}{hint}"))
            }
        }
    }
}

impl<P: DeserializeOwned + JsonSchema + 'static> Parameters<P> {
    /// A prompt's arguments, trimmed; a blank one counts as not given. A missing required
    /// argument, an unknown one or one that is not a string is invalid params that names it.
    pub fn prompt_arguments(self) -> Result<P, McpError> {
        let prompt = self.name;
        let declared = cached_arguments_from_schema::<P>().unwrap_or_default();
        let given: JsonObject = self
            .arguments
            .into_iter()
            .filter_map(|(key, value)| match value {
                Value::String(s) if s.trim().is_empty() => None,
                Value::String(s) => Some((key, Value::String(s.trim().to_string()))),
                other => Some((key, other)),
            })
            .collect();
        if let Some(missing) = declared
            .iter()
            .find(|a| a.required == Some(true) && !given.contains_key(&a.name))
        {
            return Err(McpError::invalid_params(
                format!("prompt {prompt} needs the argument `{}`", missing.name),
                None,
            ));
        }
        if let Some(unknown) = given.keys().find(|k| !declared.iter().any(|a| &a.name == *k)) {
            let known: Vec<&str> = declared.iter().map(|a| a.name.as_str()).collect();
            return Err(McpError::invalid_params(
                format!(
                    "prompt {prompt} has no argument `{}`; its arguments: {}",
                    display_name(unknown),
                    known.join(", ")
                ),
                None,
            ));
        }
        serde_path_to_error::deserialize(Value::Object(given))
            .map_err(|e| McpError::invalid_params(format!("prompt {prompt}: {}", argument_error(&e)), None))
    }
}

fn error(message: String) -> CallToolResult {
    CallToolResult::error(vec![ContentBlock::text(message)])
}

/// `invalid argument `limit`: invalid type: ...`, or `invalid arguments: missing field ...`
/// when no one argument is at fault.
fn argument_error(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = error.path().to_string();
    let inner = error.inner().to_string();
    let inner = inner.split(" at line ").next().unwrap_or(&inner);
    if path == "." || path.is_empty() {
        format!("invalid arguments: {inner}")
    } else {
        format!("invalid argument `{path}`: {inner}")
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use serde::Deserialize;

    use super::*;
    use crate::skill::Skill;

    #[derive(Debug, Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    struct Search {
        /// Keywords.
        query: String,
        /// Most hits.
        limit: Option<usize>,
    }

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    fn answer(arguments: Value) -> CallToolResult {
        let arguments = arguments.as_object().cloned().unwrap_or_default();
        Parameters::<Search>::new("search_references", arguments).answer(&library(), |_, p| {
            Ok((p.query.clone(), serde_json::json!({"query": p.query, "limit": p.limit})))
        })
    }

    fn text(result: &CallToolResult) -> String {
        result.content[0].as_text().map(|t| t.text.clone()).unwrap_or_default()
    }

    #[test]
    fn a_wrong_type_is_an_error_result_naming_the_argument() {
        let result = answer(serde_json::json!({"query": "lag", "limit": "five"}));
        assert_eq!(result.is_error, Some(true));
        assert_eq!(
            text(&result),
            "search_references: invalid argument `limit`: invalid type: string \"five\", expected usize"
        );
    }

    #[test]
    fn unknown_and_missing_arguments_are_named() {
        let result = answer(serde_json::json!({"query": "lag", "colour": 1}));
        assert_eq!(
            text(&result),
            "search_references: invalid argument `colour`: unknown field `colour`, expected `query` or `limit`"
        );
        let result = answer(serde_json::json!({}));
        assert_eq!(
            text(&result),
            "search_references: invalid arguments: missing field `query`"
        );
    }

    #[test]
    fn a_good_call_has_text_and_structured_content() {
        let result = answer(serde_json::json!({"query": "lag"}));
        assert_eq!(result.is_error, Some(false));
        assert_eq!(text(&result), "lag");
        assert_eq!(
            result.structured_content,
            Some(serde_json::json!({"query": "lag", "limit": null}))
        );
    }

    #[derive(Debug, Deserialize, JsonSchema)]
    struct Plan {
        /// The format.
        format: String,
        /// The change.
        change: String,
        /// Who upgrades first.
        upgrade_order: Option<String>,
    }

    fn prompt(pairs: &[(&str, Value)]) -> Result<Plan, McpError> {
        let arguments = pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        Parameters::<Plan>::new("plan-schema-evolution", arguments).prompt_arguments()
    }

    #[test]
    fn prompt_arguments_are_trimmed_and_checked_by_name() {
        let plan = prompt(&[("format", " avro ".into()), ("change", "drop a field".into())]).unwrap();
        assert_eq!((plan.format.as_str(), plan.change.as_str()), ("avro", "drop a field"));
        assert_eq!(plan.upgrade_order, None);
        let err = prompt(&[("format", "avro".into()), ("change", "  ".into())]).unwrap_err();
        assert_eq!(err.message, "prompt plan-schema-evolution needs the argument `change`");
        let err = prompt(&[
            ("format", "avro".into()),
            ("change", "x".into()),
            ("colour", "red".into()),
        ])
        .unwrap_err();
        assert_eq!(
            err.message,
            "prompt plan-schema-evolution has no argument `colour`; its arguments: format, change, upgrade_order"
        );
        let err = prompt(&[("format", 5.into()), ("change", "x".into())]).unwrap_err();
        assert_eq!(
            err.message,
            "prompt plan-schema-evolution: invalid argument `format`: invalid type: integer `5`, expected a string"
        );
    }
}
