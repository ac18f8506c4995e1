//! What to do after a routing answer, as data: read a section or a decision table, hand the
//! request to a sibling skill, or, when nothing applies, why. Routing never writes a tool call or
//! a command line: each front end says a step its own way (the MCP tool as the call an agent
//! makes, the command line as the command a person runs).

use serde::Serialize;

/// One thing to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NextStep {
    /// Read a document of a skill, or one section of it.
    Read {
        /// The skill that holds the document.
        skill: String,
        /// The document's name (`SKILL.md`, `kafka-deep-dive`, ...).
        document: String,
        /// The section's slug; absent for the whole document.
        #[serde(skip_serializing_if = "Option::is_none")]
        section: Option<String>,
        /// The section's heading path, joined with ` > `; absent for the whole document.
        #[serde(skip_serializing_if = "Option::is_none")]
        heading: Option<String>,
        /// The `skill://` URI of the section or document.
        uri: String,
    },
    /// Read a decision table.
    ReadTable {
        /// The skill that holds the table.
        skill: String,
        /// The table's id.
        table: String,
        /// The table's heading.
        title: String,
    },
    /// Call a deciding tool that applies a table the request touches to the request's own
    /// values.
    CallTool {
        /// The tool's name (`evaluate_stream_health`, ...).
        tool: String,
        /// The id of the table it applies.
        table: String,
    },
    /// Hand the request to a sibling skill.
    HandOff {
        /// The sibling skill.
        skill: String,
        /// What to pass it, from the sibling catalog; absent when the skill was chosen by its
        /// description.
        #[serde(skip_serializing_if = "Option::is_none")]
        pass: Option<String>,
        /// Whether the skill is loaded here, so its `SKILL.md` can be read at once.
        loaded: bool,
    },
    /// The request belongs to an area that no skill here covers.
    OutOfScope {
        /// The area, as the catalog names it.
        area: String,
        /// Why it is out of scope and where to go instead.
        reason: String,
    },
    /// No skill applies: what to do instead, in words.
    Explain {
        /// The advice.
        text: String,
    },
}

impl NextStep {
    /// The `skill://` URI of a skill's `SKILL.md`, which a hand-off to a loaded skill reads.
    pub fn skill_md_uri(skill: &str) -> String {
        crate::skill::uri::file_uri(skill, crate::skill::SKILL_MD)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_tagged_by_kind_and_leave_out_what_they_lack() {
        let step = NextStep::Read {
            skill: "s".into(),
            document: "SKILL.md".into(),
            section: None,
            heading: None,
            uri: NextStep::skill_md_uri("s"),
        };
        assert_eq!(
            serde_json::to_value(&step).unwrap(),
            serde_json::json!({"kind": "read", "skill": "s", "document": "SKILL.md", "uri": "skill://s/SKILL.md"})
        );
        let step = NextStep::HandOff {
            skill: "dbt-skill".into(),
            pass: None,
            loaded: true,
        };
        assert_eq!(
            serde_json::to_value(&step).unwrap(),
            serde_json::json!({"kind": "hand_off", "skill": "dbt-skill", "loaded": true})
        );
    }
}
