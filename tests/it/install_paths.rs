//! The install paths other than `cargo install`, driven through the real binary: the MCP Bundle
//! manifest agrees with what the server lists, `skill export` writes a skill folder, and the
//! completion script and man page come out of the command line.
//!
//! `STREAMING_SKILL_WRITE_MANIFEST=1 cargo test --test it install_paths` regenerates the manifest's
//! version, description, tools and prompts from the server instead of comparing them.

use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Output};

use rmcp::ServiceExt;
use rmcp::model::GetPromptRequestParams;
use rmcp::transport::TokioChildProcess;
use serde_json::{Value, json};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_streaming-skill");

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = StdCommand::new(BIN);
    command
        .args(args)
        .env_remove("STREAMING_SKILL_DIR")
        .env_remove("STREAMING_SKILLS_ROOT")
        .env_remove("RUST_LOG");
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("the binary runs")
}

/// The tools and prompts as the server lists them, in the manifest's shape. A prompt's `text` is
/// the server's own rendering of its instructions, with `${arguments.NAME}` where each argument
/// goes (the part before the skill excerpts, which depend on the arguments).
async fn listed_by_the_server() -> (Value, Value) {
    let mut command = Command::new(BIN);
    command
        .arg("serve")
        .env_remove("STREAMING_SKILL_DIR")
        .env_remove("STREAMING_SKILLS_ROOT");
    let client = ().serve(TokioChildProcess::new(command).unwrap()).await.unwrap();
    let tools: Vec<Value> = client
        .list_all_tools()
        .await
        .unwrap()
        .into_iter()
        .map(|t| json!({"name": t.name, "description": t.description.unwrap_or_default()}))
        .collect();
    let mut prompts = Vec::new();
    for prompt in client.list_all_prompts().await.unwrap() {
        let names: Vec<String> = prompt.arguments.iter().flatten().map(|a| a.name.clone()).collect();
        let mut arguments = serde_json::Map::new();
        for name in &names {
            arguments.insert(name.clone(), Value::String(format!("${{arguments.{name}}}")));
        }
        let got = client
            .get_prompt(GetPromptRequestParams::new(prompt.name.clone()).with_arguments(arguments))
            .await
            .unwrap();
        let message = serde_json::to_value(&got.messages[0]).unwrap();
        let text = message["content"]["text"].as_str().expect("a text prompt");
        let instructions = text.split("\n\n#").next().unwrap().trim_end();
        prompts.push(json!({
            "name": prompt.name,
            "description": prompt.description.unwrap_or_default(),
            "arguments": names,
            "text": instructions,
        }));
    }
    client.cancel().await.unwrap();
    (Value::Array(tools), Value::Array(prompts))
}

fn cargo_field(field: &str) -> String {
    let cargo = std::fs::read_to_string(repo("Cargo.toml")).unwrap();
    let line = cargo
        .lines()
        .find(|l| l.starts_with(&format!("{field} = ")))
        .unwrap_or_else(|| panic!("Cargo.toml has a {field}"));
    serde_json::from_str(line.split_once(" = ").unwrap().1).unwrap()
}

#[tokio::test]
async fn bundle_manifest_lists_what_the_server_lists() {
    let path = repo("bundle/manifest.json");
    let mut manifest: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let (tools, prompts) = listed_by_the_server().await;
    let expected = [
        ("version", Value::String(cargo_field("version"))),
        ("description", Value::String(cargo_field("description"))),
        ("tools", tools),
        ("prompts", prompts),
    ];
    if std::env::var_os("STREAMING_SKILL_WRITE_MANIFEST").is_some() {
        for (key, value) in expected {
            manifest[key] = value;
        }
        std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap() + "\n").unwrap();
        return;
    }
    for (key, value) in expected {
        assert_eq!(
            manifest[key], value,
            "bundle/manifest.json's {key} differs from the server's; run STREAMING_SKILL_WRITE_MANIFEST=1 cargo test --test it install_paths"
        );
    }
    // The bundle runs the binary it carries, over stdio.
    assert_eq!(manifest["server"]["type"], "binary");
    assert_eq!(
        manifest["server"]["mcp_config"]["command"],
        "${__dirname}/server/streaming-skill"
    );
}

#[test]
fn an_unfilled_bundle_setting_serves_the_embedded_skill_alone() {
    for unset in ["${user_config.skills_root}", ""] {
        let output = run(
            &["search", "consumer lag", "--limit", "1"],
            &[("STREAMING_SKILLS_ROOT", unset)],
        );
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert!(String::from_utf8_lossy(&output.stdout).contains("skill://streaming-data-skill/"));
    }
}

#[test]
fn skill_export_writes_the_skill_folder_and_keeps_local_edits() {
    let home = tempfile::tempdir().unwrap();
    let home_str = home.path().to_str().unwrap();
    let output = run(&["skill", "export"], &[("HOME", home_str)]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let dir = home.path().join(".claude/skills/streaming-data-skill");
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        stdout.contains(&format!("wrote     {}", dir.join("SKILL.md").display())),
        "{stdout}"
    );
    assert!(dir.join("skill/siblings.yaml").is_file());
    assert!(dir.join("references").is_dir());
    // What was written validates as a skill.
    let validated = run(&["validate", dir.to_str().unwrap()], &[]);
    assert!(
        validated.status.success(),
        "{}",
        String::from_utf8_lossy(&validated.stdout)
    );

    let skill_md = dir.join("SKILL.md");
    std::fs::write(&skill_md, "my notes\n").unwrap();
    let refused = run(&["skill", "export"], &[("HOME", home_str)]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("--force") && stderr.contains("SKILL.md"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&skill_md).unwrap(), "my notes\n");

    let forced = run(&["skill", "export", "--force"], &[("HOME", home_str)]);
    assert!(forced.status.success());
    assert!(String::from_utf8_lossy(&forced.stdout).contains("replaced"));
    assert!(
        std::fs::read_to_string(&skill_md)
            .unwrap()
            .starts_with("---\nname: streaming-data-skill")
    );
}

#[test]
fn completions_and_man_page_come_from_the_command_line() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = run(&["completions", shell], &[]);
        assert!(output.status.success(), "{shell}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("kafka-config"),
            "{shell}"
        );
    }
    let man = run(&["man"], &[]);
    assert!(man.status.success());
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH streaming-skill 1"));
    let bad = run(&["completions", "tcsh"], &[]);
    assert_eq!(bad.status.code(), Some(2));
}
