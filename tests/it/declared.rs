//! Where people and models read the tool and prompt names outside the server's own lists: the
//! README's tool table and prompt list, and the `instructions`. Each is checked against the
//! router, so a tool or prompt added, renamed or removed without updating them fails here.

use std::path::Path;
use std::sync::Arc;

use streaming_skill::library::SkillLibrary;
use streaming_skill::mcp::{instructions, prompts, tools};
use streaming_skill::skill::Skill;

/// Tools the instructions leave to the tool list: their descriptions say when to use them, and
/// the tool list with the instructions is held to 2,700 o200k tokens (`context_budget`).
const NOT_IN_INSTRUCTIONS: [&str; 2] = ["list_references", "get_decision_table"];

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The words in backticks of `text`.
fn quoted(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn the_readme_tool_table_has_a_row_per_tool_in_list_order() {
    let readme = readme();
    let table = readme
        .split("| Tool | Arguments | Returns |")
        .nth(1)
        .expect("the README's tool table");
    let rows: Vec<&str> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|row| quoted(row).first().copied().unwrap_or_default())
        .collect();
    assert_eq!(rows, tools::names());
}

#[test]
fn the_readme_names_every_prompt() {
    let readme = readme();
    let paragraph = readme
        .split("**Prompts**:")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("the README's prompt list");
    let mut named: Vec<&str> = quoted(paragraph);
    named.sort_unstable();
    let listed: Vec<String> = prompts::list().into_iter().map(|p| p.name).collect();
    assert_eq!(named, listed);
}

#[test]
fn the_instructions_name_every_tool_and_only_tools() {
    let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())]);
    let text = instructions(&library);
    // The skill's own "Not for" list follows; only the server's text names tools.
    let ours = text.split("\n\nNot for:").next().unwrap();
    let names = tools::names();
    for name in &names {
        assert!(
            ours.contains(name.as_str()) || NOT_IN_INSTRUCTIONS.contains(&name.as_str()),
            "the instructions do not name {name}: {ours}"
        );
    }
    let words = ours.split(|c: char| !(c.is_ascii_lowercase() || c == '_'));
    for word in words.filter(|w| w.contains('_') && !w.starts_with('_') && !w.ends_with('_')) {
        assert!(
            names.iter().any(|n| n == word),
            "the instructions name {word}, which is not a tool"
        );
    }
    for name in NOT_IN_INSTRUCTIONS {
        assert!(names.iter().any(|n| n == name), "{name} is not a tool");
    }
}
