//! Names that try to leave the skill folder, through every tool, resource and command that takes
//! a document, section or table name: `..` in its spellings, absolute paths, symlinks inside the
//! folder that point outside it, NUL bytes and names of 10,000 characters. Each must be an error
//! that shows neither the outside file's content nor a path outside the folder, and the server
//! must keep working. (The simpler spellings over the embedded skill and the CLI over fixtures
//! are in `mcp_stdio.rs`, `cli.rs` and the unit tests of `skill::files` and `mcp::resources`.)

#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use rmcp::model::{CallToolRequestParams, ReadResourceRequestParams};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{Value, json};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_streaming-skill");
const SECRET: &str = "TOP-SECRET-CONTENT";

/// A temporary tree: `skill/` (a copy of the `valid` fixture whose SKILL.md links the symlinks)
/// and `outside/` (a secret file and folder the symlinks point at).
struct Layout {
    root: tempfile::TempDir,
}

impl Layout {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let skill = root.path().join("skill");
        std::fs::create_dir_all(skill.join("references")).unwrap();
        let skill_md = std::fs::read_to_string(fixture.join("SKILL.md")).unwrap()
            + "- [Leak](references/leak.md): a symlink to a file outside\n- [Passwd](passwd.md): a symlink to /etc/passwd\n";
        std::fs::write(skill.join("SKILL.md"), skill_md).unwrap();
        std::fs::copy(fixture.join("references/guide.md"), skill.join("references/guide.md")).unwrap();

        let outside = root.path().join("outside");
        std::fs::create_dir_all(outside.join("refs")).unwrap();
        let secret = format!("# Secret\n\n{SECRET}\n\n## Tables\n\n| A | B |\n|---|---|\n| {SECRET} | x |\n");
        std::fs::write(outside.join("secret.md"), &secret).unwrap();
        std::fs::write(outside.join("refs/other.md"), &secret).unwrap();
        let link = |target: &Path, at: &str| std::os::unix::fs::symlink(target, skill.join(at)).unwrap();
        link(&outside.join("secret.md"), "references/leak.md");
        link(&outside.join("secret.md"), "leak.md");
        link(&outside.join("refs"), "references/linked");
        link(Path::new("/etc/passwd"), "passwd.md");
        Self { root }
    }

    fn skill(&self) -> PathBuf {
        self.root.path().join("skill")
    }

    fn outside(&self) -> PathBuf {
        self.root.path().join("outside")
    }

    /// Every name to try as a document, section or table.
    fn hostile_names(&self) -> Vec<String> {
        let outside = self.outside().display().to_string();
        vec![
            "../outside/secret.md".into(),
            "../outside/secret".into(),
            "../../../../../../etc/passwd".into(),
            "..%2Foutside%2Fsecret.md".into(),
            "%2e%2e/outside/secret.md".into(),
            "%2E%2E%2Foutside%2Fsecret.md".into(),
            "references/../../outside/secret.md".into(),
            "..\\outside\\secret.md".into(),
            "/etc/passwd".into(),
            format!("{outside}/secret.md"),
            format!("file://{outside}/secret.md"),
            "skill://valid/references/leak.md".into(),
            "skill://valid/../outside/secret.md".into(),
            "skill://valid/sections/leak/secret".into(),
            "leak".into(),
            "leak.md".into(),
            "references/leak.md".into(),
            "references/linked/other.md".into(),
            "linked/other".into(),
            "passwd".into(),
            "passwd.md".into(),
            "guide\0.md".into(),
            "references/guide.md\0../../outside/secret.md".into(),
            "\0".into(),
            "x".repeat(10_000),
            format!("{}etc/passwd", "../".repeat(3_000)),
        ]
    }
}

/// What a reply may not contain: the secret, /etc/passwd's content, and (unless the name asked
/// for carries it) the path of the folder outside.
fn assert_no_leak(layout: &Layout, name: &str, reply: &str) {
    assert!(
        !reply.contains(SECRET),
        "{}: the outside file's content leaked",
        short(name)
    );
    assert!(!reply.contains("root:x:0:0"), "{}: /etc/passwd leaked", short(name));
    let outside = layout.outside().display().to_string();
    if !name.contains(&outside) {
        assert!(
            !reply.contains(&outside),
            "{}: a path outside the folder leaked: {}",
            short(name),
            short(reply)
        );
    }
    let skill = layout.skill().display().to_string();
    assert!(
        !reply.contains(&skill),
        "{}: an absolute path leaked: {}",
        short(name),
        short(reply)
    );
}

/// An error echoes at most a short form of the name asked for.
fn assert_short_error(name: &str, reply: &str) {
    assert!(
        reply.len() < 4_000,
        "{}: a long name is echoed whole ({} bytes)",
        short(name),
        reply.len()
    );
}

fn short(text: &str) -> String {
    text.chars().take(200).collect::<String>().replace('\0', "\\0")
}

async fn connect(layout: &Layout) -> RunningService<RoleClient, ()> {
    let mut command = Command::new(BIN);
    command
        .arg("--skill-dir")
        .arg(layout.skill())
        .env_remove("STREAMING_SKILL_DIR")
        // Refused paths and skipped symlinks are what this file tests: log errors only.
        .env("RUST_LOG", "error");
    ().serve(TokioChildProcess::new(command).unwrap())
        .await
        .expect("initialize")
}

/// Calls a tool; the reply as JSON text, and whether it is an error (JSON-RPC or `isError`).
async fn call(client: &RunningService<RoleClient, ()>, tool: &str, arguments: Value) -> (bool, String) {
    let params = CallToolRequestParams::new(tool.to_string()).with_arguments(arguments.as_object().cloned().unwrap());
    match client.call_tool(params).await {
        Ok(result) => (result.is_error == Some(true), serde_json::to_string(&result).unwrap()),
        Err(e) => (true, e.to_string()),
    }
}

async fn read_resource(client: &RunningService<RoleClient, ()>, uri: &str) -> (bool, String) {
    match client.read_resource(ReadResourceRequestParams::new(uri)).await {
        Ok(result) => (false, serde_json::to_string(&result).unwrap()),
        Err(e) => (true, format!("{e:?}")),
    }
}

/// Percent-encodes everything but unreserved characters.
fn encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn tools_refuse_names_that_leave_the_folder() {
    let layout = Layout::new();
    let client = connect(&layout).await;
    for name in layout.hostile_names() {
        let cases = [
            ("read_reference", json!({"document": name})),
            ("read_reference", json!({"document": "guide", "section": name})),
            ("read_reference", json!({"document": "SKILL.md", "section": name})),
            ("search_references", json!({"query": "secret", "document": name})),
            ("get_decision_table", json!({"table": name})),
            (
                "get_decision_table",
                json!({"table": "retry-table", "filter": {name.clone(): "x"}}),
            ),
        ];
        for (tool, arguments) in cases {
            let (is_error, reply) = call(&client, tool, arguments).await;
            assert!(is_error, "{tool} {}: not an error: {}", short(&name), short(&reply));
            assert_no_leak(&layout, &name, &reply);
            assert_short_error(&name, &reply);
        }
    }
    // Listing and searching never show the symlinked files either.
    let (is_error, listing) = call(&client, "list_references", json!({})).await;
    assert!(!is_error, "{listing}");
    assert!(listing.contains("guide"), "{listing}");
    assert!(
        !listing.contains("leak") && !listing.contains("passwd") && !listing.contains("linked"),
        "{listing}"
    );
    assert_no_leak(&layout, "", &listing);
    for query in [SECRET, "secret tables", "root daemon nologin bin bash"] {
        let (is_error, reply) = call(&client, "search_references", json!({"query": query})).await;
        assert!(!is_error, "{reply}");
        // The query is echoed in the text; the hits are what must not show the outside files.
        let reply: Value = serde_json::from_str(&reply).unwrap();
        let hits = reply["structuredContent"]["hits"].to_string();
        assert_no_leak(&layout, "", &hits);
        assert!(!hits.contains("leak") && !hits.contains("passwd"), "{hits}");
    }

    // Still serving.
    let (is_error, guide) = call(
        &client,
        "read_reference",
        json!({"document": "guide", "section": "backoff"}),
    )
    .await;
    assert!(
        !is_error && guide.contains("Wait longer after each failed attempt"),
        "{guide}"
    );
    client.cancel().await.unwrap();
}

#[tokio::test]
async fn resources_refuse_uris_that_leave_the_folder() {
    let layout = Layout::new();
    let client = connect(&layout).await;
    let resources = client.list_all_resources().await.unwrap();
    let uris: Vec<&str> = resources.iter().map(|r| r.uri.as_str()).collect();
    assert_eq!(
        uris,
        [
            "skill://valid/SKILL.md",
            "skill://valid/references/guide.md",
            "skill://valid/tables/retry-table"
        ]
    );
    for name in layout.hostile_names() {
        let mut uris = Vec::new();
        for form in [name.clone(), encode(&name)] {
            uris.push(format!("skill://valid/{form}"));
            uris.push(format!("skill://valid/references/{form}"));
            uris.push(format!("skill://valid/sections/{form}/tables"));
            uris.push(format!("skill://valid/sections/guide/{form}"));
            uris.push(format!("skill://valid/tables/{form}"));
            uris.push(format!("skill://{form}/SKILL.md"));
        }
        for uri in uris {
            let (is_error, reply) = read_resource(&client, &uri).await;
            assert!(is_error, "{}: not an error: {}", short(&uri), short(&reply));
            assert!(
                reply.contains("-32002") || reply.contains("RESOURCE_NOT_FOUND") || reply.contains("ErrorCode(-32002)"),
                "{}: {}",
                short(&uri),
                short(&reply)
            );
            assert_no_leak(&layout, &name, &reply);
            assert_short_error(&name, &reply);
        }
    }
    let (is_error, skill_md) = read_resource(&client, "skill://valid/SKILL.md").await;
    assert!(!is_error && skill_md.contains("Valid Fixture"), "{skill_md}");
    client.cancel().await.unwrap();
}

#[test]
fn cli_refuses_names_that_leave_the_folder() {
    let layout = Layout::new();
    let skill = layout.skill();
    // An argument cannot hold a NUL byte (the OS refuses it before the binary runs).
    let names: Vec<String> = layout
        .hostile_names()
        .into_iter()
        .filter(|n| !n.contains('\0'))
        .collect();
    for name in &names {
        let runs: [Vec<&str>; 5] = [
            vec!["read", name],
            vec!["read", "guide", name],
            vec!["read", name, "--toc"],
            vec!["search", "secret", "--doc", name],
            vec!["tables", name],
        ];
        for args in runs {
            let output = StdCommand::new(BIN)
                .arg("--skill-dir")
                .arg(&skill)
                .args(&args)
                .env_remove("STREAMING_SKILL_DIR")
                .env_remove("RUST_LOG")
                .output()
                .unwrap();
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert_eq!(
                output.status.code(),
                Some(2),
                "{:?}: {}",
                args.iter().map(|a| short(a)).collect::<Vec<_>>(),
                short(&all)
            );
            assert!(!all.contains("panicked"), "{}", short(&all));
            assert_no_leak(&layout, name, &all);
            assert_short_error(name, &all);
        }
    }
}
