//! Many skills and the skills extension (SEP-2640), driven over stdio with raw JSON-RPC: a
//! skills root with three fixture skills (one broken), manifests whose digests verify against
//! `resources/read`, routing to a loaded sibling, both protocol eras, and `--watch` reloads.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const DEADLINE: Duration = Duration::from_secs(15);

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/skills-root")
}

struct Server {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<Value>,
    stderr: Receiver<String>,
    next_id: u64,
}

impl Server {
    fn start(args: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx
                    .send(serde_json::from_str(&line).expect("stdout carries JSON only"))
                    .is_err()
                {
                    break;
                }
            }
        });
        let (etx, stderr_lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = etx.send(line);
            }
        });
        Self {
            child,
            stdin,
            lines,
            stderr: stderr_lines,
            next_id: 1,
        }
    }

    fn initialized(args: &[&str]) -> Self {
        let mut server = Self::start(args);
        let reply = server.request(
            "initialize",
            json!({"protocolVersion": "2025-11-25", "capabilities": {"extensions": {"io.modelcontextprotocol/skills": {}}}, "clientInfo": {"name": "skills-test", "version": "1"}}),
        );
        assert_eq!(
            reply["result"]["capabilities"]["extensions"]["io.modelcontextprotocol/skills"],
            json!({"directoryRead": true}),
            "{reply}"
        );
        server.notify("notifications/initialized", json!({}));
        server
    }

    fn notify(&mut self, method: &str, params: Value) {
        writeln!(
            self.stdin,
            "{}",
            json!({"jsonrpc": "2.0", "method": method, "params": params})
        )
        .unwrap();
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        writeln!(
            self.stdin,
            "{}",
            json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
        )
        .unwrap();
        let started = Instant::now();
        loop {
            let left = DEADLINE
                .checked_sub(started.elapsed())
                .expect("reply within the deadline");
            let message = self.lines.recv_timeout(left).expect("a reply");
            if message["id"] == json!(id) {
                return message;
            }
        }
    }

    /// Waits for a notification with this method.
    fn wait_for(&mut self, method: &str, within: Duration) -> bool {
        let started = Instant::now();
        loop {
            let Some(left) = within.checked_sub(started.elapsed()) else {
                return false;
            };
            match self.lines.recv_timeout(left) {
                Ok(message) if message["method"] == method => return true,
                Ok(_) => {}
                Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return false,
            }
        }
    }

    fn stderr_text(&self) -> String {
        self.stderr.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn root_arg(root: &Path) -> Vec<String> {
    vec!["--skills-root".into(), root.display().to_string()]
}

fn args(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn sha256(bytes: &[u8]) -> String {
    rmcp::model::sha256_digest(bytes)
}

#[test]
fn a_skills_root_is_listed_fetched_and_read_with_digests_that_verify() {
    let root = root_arg(&fixture_root());
    let mut server = Server::initialized(&args(&root));
    let listed = server.request("skills/list", json!({}));
    let skills = listed["result"]["skills"].as_array().unwrap().clone();
    let names: Vec<&str> = skills
        .iter()
        .map(|s| s["frontmatter"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["streaming-data-skill", "dbt-skill", "release-notes-skill"],
        "the broken one is skipped"
    );
    std::thread::sleep(Duration::from_millis(200));
    let stderr = server.stderr_text();
    assert!(
        stderr.contains("broken-skill/SKILL.md:2:1") && stderr.contains("`name`"),
        "{stderr}"
    );

    let dbt = &skills[1];
    assert_eq!(dbt["uri"], "skill://dbt-skill/SKILL.md");
    assert_eq!(dbt["frontmatter"]["license"], "Apache-2.0", "front matter as written");
    let fetched = server.request("skills/get", json!({"uri": "skill://dbt-skill/SKILL.md"}));
    assert_eq!(fetched["result"]["skill"], *dbt);
    for skill in &skills {
        for file in skill["resources"].as_array().unwrap() {
            let uri = file["uri"].as_str().unwrap();
            let read = server.request("resources/read", json!({"uri": uri}));
            let text = read["result"]["contents"][0]["text"]
                .as_str()
                .unwrap_or_else(|| panic!("{uri}: {read}"));
            assert_eq!(file["size"], json!(text.len()), "{uri}");
            assert_eq!(file["digest"], json!(sha256(text.as_bytes())), "{uri}");
        }
    }

    let children = server.request("resources/directory/read", json!({"uri": "skill://dbt-skill/"}));
    let children = children["result"]["resources"].as_array().unwrap();
    assert_eq!(children[0]["name"], "references");
    assert_eq!(children[0]["mimeType"], "inode/directory");
    assert!(children.iter().any(|c| c["uri"] == "skill://dbt-skill/SKILL.md"));

    for (method, params) in [
        ("skills/get", json!({"uri": "skill://broken-skill/SKILL.md"})),
        (
            "skills/get",
            json!({"uri": "skill://dbt-skill/references/incremental-models.md"}),
        ),
        ("resources/directory/read", json!({"uri": "skill://dbt-skill/SKILL.md"})),
        ("resources/directory/read", json!({"uri": "skill://nobody/"})),
    ] {
        let reply = server.request(method, params.clone());
        assert_eq!(reply["error"]["code"], -32602, "{method} {params}: {reply}");
    }
}

#[test]
fn tools_work_across_skills_and_route_to_a_loaded_sibling() {
    let root = root_arg(&fixture_root());
    let mut server = Server::initialized(&args(&root));
    let call = |server: &mut Server, name: &str, arguments: Value| {
        server.request("tools/call", json!({"name": name, "arguments": arguments}))["result"].clone()
    };
    let hits = call(
        &mut server,
        "search_references",
        json!({"query": "incremental merge unique_key"}),
    );
    assert_eq!(hits["structuredContent"]["hits"][0]["skill"], "dbt-skill", "{hits}");
    let only = call(
        &mut server,
        "search_references",
        json!({"query": "incremental merge", "skill": "streaming-data-skill"}),
    );
    assert!(
        only["structuredContent"]["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["skill"] == "streaming-data-skill")
    );
    let read = call(
        &mut server,
        "read_reference",
        json!({"document": "incremental-models", "skill": "dbt-skill"}),
    );
    assert!(
        read["structuredContent"]["content"]
            .as_str()
            .unwrap()
            .contains("unique_key")
    );
    let listed = call(&mut server, "list_references", json!({"skill": "dbt-skill"}));
    assert_eq!(listed["structuredContent"]["documents"].as_array().unwrap().len(), 2);

    let routed = call(
        &mut server,
        "route_request",
        json!({"request": "our nightly dbt incremental model double counts orders; fix the merge"}),
    );
    let decision = &routed["structuredContent"];
    assert_eq!(decision["decision"], "route");
    assert_eq!(decision["skill"], "dbt-skill");
    assert_eq!(
        decision["next_steps"][0],
        json!({"kind": "hand_off", "skill": "dbt-skill", "pass": decision["next_steps"][0]["pass"], "loaded": true}),
        "{decision}"
    );
    let text = routed["content"][0]["text"].as_str().unwrap();
    assert!(
        text.contains(r#"next: read_reference {"document":"skill://dbt-skill/SKILL.md"}"#),
        "{text}"
    );
    let sibling = server.request("resources/read", json!({"uri": "skill://dbt-skill/SKILL.md"}));
    assert!(
        sibling["result"]["contents"][0]["text"]
            .as_str()
            .unwrap()
            .contains("# dbt Skill")
    );

    let init_instructions = Server::start(&args(&root)).request(
        "initialize",
        json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
    );
    let instructions = init_instructions["result"]["instructions"].as_str().unwrap();
    assert!(
        instructions.contains("Also loaded (pass as `skill`): dbt-skill, release-notes-skill."),
        "{instructions}"
    );
}

#[test]
fn the_extension_answers_in_the_2026_era_without_initialize() {
    let root = root_arg(&fixture_root());
    let mut server = Server::start(&args(&root));
    let meta = json!({
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": {"name": "era-test", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {"extensions": {"io.modelcontextprotocol/skills": {}}}
    });
    let listed = server.request("skills/list", json!({"_meta": meta}));
    assert_eq!(listed["result"]["skills"].as_array().map(Vec::len), Some(3), "{listed}");
    let fetched = server.request(
        "skills/get",
        json!({"_meta": meta, "uri": "skill://release-notes-skill/SKILL.md"}),
    );
    assert_eq!(
        fetched["result"]["skill"]["frontmatter"]["name"], "release-notes-skill",
        "{fetched}"
    );
}

#[test]
fn no_embedded_serves_only_the_root() {
    let mut root = root_arg(&fixture_root());
    root.push("--no-embedded".into());
    let mut server = Server::initialized(&args(&root));
    let listed = server.request("skills/list", json!({}));
    let names: Vec<&str> = listed["result"]["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["frontmatter"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["dbt-skill", "release-notes-skill"]);
    let output = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .args(["--no-embedded", "route", "x"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("no skill to serve"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn watch_reloads_a_changed_skill_and_keeps_digests_true() {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&fixture_root(), temp.path());
    let mut root = root_arg(temp.path());
    root.push("serve".into());
    root.push("--watch".into());
    let mut server = Server::initialized(&args(&root));
    let before =
        server.request("skills/get", json!({"uri": "skill://release-notes-skill/SKILL.md"}))["result"]["skill"].clone();

    let path = temp.path().join("release-notes-skill/SKILL.md");
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("A test fixture", "An edited test fixture");
    std::fs::write(&path, &edited).unwrap();
    assert!(
        server.wait_for("notifications/resources/list_changed", Duration::from_secs(10)),
        "no list_changed after an edit: {}",
        server.stderr_text()
    );
    let after =
        server.request("skills/get", json!({"uri": "skill://release-notes-skill/SKILL.md"}))["result"]["skill"].clone();
    assert_ne!(before["resources"], after["resources"]);
    let read = server.request("resources/read", json!({"uri": "skill://release-notes-skill/SKILL.md"}));
    let text = read["result"]["contents"][0]["text"].as_str().unwrap();
    assert_eq!(text, edited);
    let listed_digest = after["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["uri"] == "skill://release-notes-skill/SKILL.md")
        .unwrap()["digest"]
        .clone();
    assert_eq!(listed_digest, json!(sha256(text.as_bytes())));

    // A broken edit is refused: the previous skills stay served.
    std::fs::write(&path, "no front matter at all").unwrap();
    std::thread::sleep(Duration::from_millis(2_000));
    let still = server.request("skills/get", json!({"uri": "skill://release-notes-skill/SKILL.md"}));
    assert!(still["result"]["skill"].is_object(), "{still}");
}

/// Issue 17, defect 3: a primary skill without the streaming tables is offered neither the
/// deciding tools nor the prompts that read them; the instructions say which and why.
#[test]
fn tools_and_prompts_a_skill_cannot_support_are_left_out() {
    let mut root = root_arg(&fixture_root());
    root.push("--no-embedded".into());
    let mut server = Server::initialized(&args(&root));
    let tools = server.request("tools/list", json!({}));
    let names: Vec<&str> = tools["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for kept in ["search_references", "read_reference", "check_schema_compatibility"] {
        assert!(names.contains(&kept), "{names:?}");
    }
    for gone in [
        "recommend_architecture",
        "evaluate_stream_health",
        "generate_kafka_config",
        "review_config",
    ] {
        assert!(!names.contains(&gone), "{gone} listed: {names:?}");
    }
    let prompts = server.request("prompts/list", json!({}));
    assert_eq!(prompts["result"]["prompts"], json!([]), "{prompts}");
    let call = server.request(
        "tools/call",
        json!({"name": "evaluate_stream_health", "arguments": {"consumer_lag_seconds": 5}}),
    );
    assert_eq!(call["error"]["code"], -32602, "{call}");
    assert!(
        call["error"]["message"]
            .as_str()
            .unwrap()
            .contains("monitoring-thresholds"),
        "{call}"
    );

    let init = Server::start(&args(&root)).request(
        "initialize",
        json!({"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}),
    );
    let instructions = init["result"]["instructions"].as_str().unwrap();
    assert!(instructions.contains("Not offered"), "{instructions}");
    assert!(
        instructions.contains("- recommend_architecture: SKILL.md:"),
        "{instructions}"
    );
    assert!(!instructions.contains("recommend_architecture, "), "{instructions}");
}
