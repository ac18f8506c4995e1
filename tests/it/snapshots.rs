//! Snapshot tests (insta) of what people and agents read: the command line's `--help`, the tool
//! list and instructions the server sends, and `validate`'s findings. A change to any of them
//! shows up as a readable diff under `tests/snapshots/`; accept an intended one with
//! `INSTA_UPDATE=always cargo test --test it snapshots` (or `cargo insta review`).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::{Value, json};

/// `insta::assert_snapshot!` with the snapshot kept in `tests/snapshots/` (insta would look beside
/// this file, in `tests/it/snapshots/`).
macro_rules! snapshot {
    ($name:expr, $value:expr $(,)?) => {
        insta::with_settings!({snapshot_path => "../snapshots"}, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary from the repository root; returns stdout, stderr and the exit code.
fn run(args: &[&str]) -> (String, String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .args(args)
        .current_dir(root())
        .env("RUST_LOG", "error")
        .env_remove("STREAMING_SKILL_DIR")
        .env_remove("STREAMING_SKILLS_ROOT")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn help_texts() {
    for (name, args) in [
        ("help", &["--help"][..]),
        ("help_search", &["search", "--help"][..]),
        ("help_route", &["route", "--help"][..]),
        ("help_validate", &["validate", "--help"][..]),
    ] {
        let (stdout, _, code) = run(args);
        assert_eq!(code, 0, "{name}");
        snapshot!(name, stdout);
    }
}

#[test]
fn validate_findings() {
    for fixture in ["broken-link", "bad-frontmatter", "ragged-table", "dotdot-reference"] {
        let dir = format!("tests/fixtures/{fixture}");
        let (stdout, stderr, code) = run(&["validate", &dir]);
        snapshot!(
            format!("validate_{}", fixture.replace('-', "_")),
            format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
        );
    }
}

/// `initialize`'s instructions and `tools/list`, as the server sends them.
#[test]
fn tool_list_and_instructions() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .env("RUST_LOG", "error")
        .env_remove("STREAMING_SKILL_DIR")
        .env_remove("STREAMING_SKILLS_ROOT")
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut ask = |request: Value, stdin: &mut std::process::ChildStdin| -> Value {
        writeln!(stdin, "{request}").unwrap();
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    };
    let init = ask(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "snapshots", "version": "1"}}}),
        &mut stdin,
    );
    writeln!(
        stdin,
        "{}",
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"})
    )
    .unwrap();
    let tools = ask(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}), &mut stdin);
    drop(stdin);
    child.wait().unwrap();
    let instructions = init["result"]["instructions"].as_str().unwrap_or_default().to_string();
    snapshot!("instructions", instructions);
    snapshot!(
        "tools_list",
        serde_json::to_string_pretty(&tools["result"]["tools"]).unwrap()
    );
}
