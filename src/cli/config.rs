//! `streaming-skill config <client>`: a ready configuration snippet for an editor or agent,
//! pointing at the absolute path of this binary and at any skill folder given.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use serde_json::json;

use crate::library::SkillSources;

/// The clients a snippet can be printed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Client {
    /// claude_desktop_config.json
    ClaudeDesktop,
    /// the `claude mcp add` command line
    ClaudeCode,
    /// .vscode/mcp.json
    Vscode,
    /// ~/.cursor/mcp.json or .cursor/mcp.json
    Cursor,
    /// Zed settings.json
    Zed,
    /// ~/.codeium/windsurf/mcp_config.json
    Windsurf,
    /// ~/.codex/config.toml
    Codex,
}

/// Arguments of `config`.
#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// The client to configure.
    #[arg(ignore_case = true)]
    pub client: Client,
    /// The name the server gets in the client's configuration.
    #[arg(long, default_value = "streaming-skill")]
    pub name: String,
}

/// Prints the snippet on stdout and where it goes on stderr.
pub fn run(sources: &SkillSources, args: &ConfigArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let binary = std::env::current_exe().context("cannot find the path of this binary")?;
    let binary = binary.canonicalize().unwrap_or(binary);
    let mut server_args = Vec::new();
    for (flag, dir) in [
        ("--skill-dir", &sources.skill_dir),
        ("--skills-root", &sources.skills_root),
    ] {
        if let Some(dir) = dir {
            let dir = dir
                .canonicalize()
                .with_context(|| format!("cannot find the folder {}", dir.display()))?;
            server_args.push(flag.to_string());
            server_args.push(dir.display().to_string());
        }
    }
    if sources.no_embedded {
        server_args.push("--no-embedded".to_string());
    }
    let (snippet, place) = snippet(args.client, &args.name, &binary, &server_args);
    writeln!(out, "{snippet}")?;
    eprintln!("{place}");
    if let Some(note) = build_folder_note(&binary) {
        eprintln!("{note}");
    }
    if let Some(hint) = skill_hint(args.client) {
        eprintln!("{hint}");
    }
    Ok(ExitCode::SUCCESS)
}

/// A note when the binary runs from a cargo build folder, which `cargo clean` or the next build
/// replaces: the snippet should point at an installed binary instead.
fn build_folder_note(binary: &Path) -> Option<&'static str> {
    let mut parts = binary.components().map(|c| c.as_os_str().to_string_lossy());
    let in_target = parts.any(|part| part == "target") && parts.next().is_some_and(|p| p == "debug" || p == "release");
    in_target.then_some(
        "Note: this binary is in a cargo build folder that `cargo clean` removes; install it with `cargo install --locked --path .` and run `streaming-skill config` again from the installed binary.",
    )
}

/// For a client that also reads Agent Skills folders natively, how to give it the skill as a
/// folder too.
pub fn skill_hint(client: Client) -> Option<&'static str> {
    match client {
        Client::ClaudeCode => Some(
            "Claude Code also reads skill folders: `streaming-skill skill export` writes this skill to ~/.claude/skills/streaming-data-skill/ (or give a project's .claude/skills/streaming-data-skill/).",
        ),
        Client::Codex => Some(
            "Codex also reads skill folders: `streaming-skill skill export ~/.agents/skills/streaming-data-skill` writes this skill where Codex looks for personal skills.",
        ),
        _ => None,
    }
}

/// The snippet for `client`, and a line saying where it goes.
pub fn snippet(client: Client, name: &str, binary: &Path, args: &[String]) -> (String, &'static str) {
    let command = binary.display().to_string();
    let standard = |key: &str| {
        let value = json!({ key: { name: { "command": command, "args": args } } });
        serde_json::to_string_pretty(&value).expect("JSON values serialize")
    };
    match client {
        Client::ClaudeDesktop => (
            standard("mcpServers"),
            "Add to claude_desktop_config.json (Settings > Developer > Edit Config), then restart Claude Desktop.",
        ),
        Client::Cursor => (
            standard("mcpServers"),
            "Add to ~/.cursor/mcp.json, or .cursor/mcp.json in a project.",
        ),
        Client::Windsurf => (standard("mcpServers"), "Add to ~/.codeium/windsurf/mcp_config.json."),
        Client::Zed => (standard("context_servers"), "Add to Zed's settings.json."),
        Client::Vscode => {
            let value = json!({ "servers": { name: { "type": "stdio", "command": command, "args": args } } });
            (
                serde_json::to_string_pretty(&value).expect("JSON values serialize"),
                "Add to .vscode/mcp.json in your workspace.",
            )
        }
        Client::ClaudeCode => {
            let mut line = format!("claude mcp add {} -- {}", shell_quote(name), shell_quote(&command));
            for arg in args {
                line.push(' ');
                line.push_str(&shell_quote(arg));
            }
            (
                line,
                "Run this in a shell (add --scope user to use it in every project).",
            )
        }
        Client::Codex => {
            let quoted: Vec<String> = args.iter().map(|a| toml_string(a)).collect();
            (
                format!(
                    "[mcp_servers.{}]\ncommand = {}\nargs = [{}]",
                    toml_key(name),
                    toml_string(&command),
                    quoted.join(", ")
                ),
                "Add to ~/.codex/config.toml (or .codex/config.toml in a trusted project).",
            )
        }
    }
}

/// `s` as one shell word: as it is when it is plain, else in single quotes.
pub(super) fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@".contains(c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialize")
}

fn toml_key(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        s.to_string()
    } else {
        toml_string(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_in_a_build_folder_gets_an_install_note() {
        let note = build_folder_note(Path::new("/src/streaming-skill/target/debug/streaming-skill")).unwrap();
        assert!(note.contains("cargo install --locked --path ."), "{note}");
        assert!(build_folder_note(Path::new("/home/me/.cargo/bin/streaming-skill")).is_none());
    }

    #[test]
    fn snippets_use_the_absolute_binary_and_skill_dir() {
        let binary = Path::new("/opt/bin/streaming-skill");
        let args = vec!["--skill-dir".to_string(), "/home/me/skills/my skill".to_string()];
        let (json, _) = snippet(Client::ClaudeDesktop, "streaming-skill", binary, &args);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            value["mcpServers"]["streaming-skill"]["command"],
            "/opt/bin/streaming-skill"
        );
        assert_eq!(
            value["mcpServers"]["streaming-skill"]["args"][1],
            "/home/me/skills/my skill"
        );
        let (vscode, _) = snippet(Client::Vscode, "streaming-skill", binary, &[]);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&vscode).unwrap()["servers"]["streaming-skill"]["type"],
            "stdio"
        );
        let (zed, _) = snippet(Client::Zed, "streaming-skill", binary, &[]);
        assert!(
            serde_json::from_str::<serde_json::Value>(&zed).unwrap()["context_servers"]["streaming-skill"].is_object()
        );
        let (line, _) = snippet(Client::ClaudeCode, "streaming-skill", binary, &args);
        assert_eq!(
            line,
            "claude mcp add streaming-skill -- /opt/bin/streaming-skill --skill-dir '/home/me/skills/my skill'"
        );
        assert!(skill_hint(Client::ClaudeCode).unwrap().contains("skill export"));
        assert!(skill_hint(Client::Codex).unwrap().contains("~/.agents/skills/"));
        assert!(skill_hint(Client::Zed).is_none());
        let (toml, _) = snippet(Client::Codex, "streaming-skill", binary, &args);
        assert_eq!(
            toml,
            "[mcp_servers.streaming-skill]\ncommand = \"/opt/bin/streaming-skill\"\nargs = [\"--skill-dir\", \"/home/me/skills/my skill\"]"
        );
    }
}
