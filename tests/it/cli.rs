//! The command line, driven as a user would: the real binary over the embedded skill and over
//! fixture skill folders in `tests/fixtures/<case>/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(case)
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .args(args)
        .env_remove("STREAMING_SKILL_DIR")
        .env_remove("RUST_LOG")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

#[test]
fn help_lists_every_subcommand_with_examples() {
    let output = run(&["--help"]);
    assert!(output.status.success());
    let text = stdout(&output);
    for word in [
        "serve",
        "search",
        "read",
        "tables",
        "validate",
        "--skill-dir",
        "Examples:",
    ] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
    // Global options sit under their own heading, after the command's own options.
    for command in ["search", "read", "serve", "validate"] {
        let help = stdout(&run(&[command, "--help"]));
        let (own, global) = help
            .split_once("Skill options (every command):")
            .unwrap_or_else(|| panic!("{command} --help has no global heading:\n{help}"));
        assert!(
            !own.contains("--skill-dir <DIR>") && global.contains("--skill-dir <DIR>"),
            "{help}"
        );
        assert!(!help.contains("Serve this folder"), "{help}");
    }
    let output = run(&["search", "lag", "--limit", "21"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("21 is not in 1..=20"), "{}", stderr(&output));
    let search_help = stdout(&run(&["search", "--help"]));
    assert!(
        search_help.contains("streaming-skill search \"exactly once kafka transactions\""),
        "{search_help}"
    );
}

#[test]
fn validate_embedded_skill_passes() {
    let output = run(&["validate"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(
        stdout(&output).ends_with("the embedded skill: 0 error(s), 0 warning(s)\n"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn validate_valid_fixture_passes() {
    let output = run(&["validate", fixture("valid").to_str().unwrap()]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(stdout(&output).contains("0 error(s), 0 warning(s)"));
}

#[test]
fn validate_reports_bad_frontmatter_with_position() {
    let output = run(&["validate", fixture("bad-frontmatter").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.starts_with("SKILL.md:4:8: error[load]: invalid YAML: illegal placement of ':' indicator\n"),
        "{text}"
    );
}

#[test]
fn validate_reports_broken_link() {
    let output = run(&["validate", fixture("broken-link").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output)
            .contains("SKILL.md:8:6: error[broken-link]: link to \"references/missing.md\" names no file of the skill"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn validate_reports_ragged_table_as_json() {
    let output = run(&["validate", fixture("ragged-table").to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["valid"], false);
    let finding = &json["findings"][0];
    assert_eq!(finding["rule"], "ragged-table");
    assert_eq!(finding["line"], 15);
    assert_eq!(finding["column"], 1);
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["message"], "table row has 3 cells but the header has 2");
}

#[test]
fn validate_reports_link_leaving_the_folder() {
    let output = run(&["validate", fixture("dotdot-reference").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output)
            .contains("error[broken-link]: link to \"../valid/references/guide.md\" leaves the skill folder"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn dotdot_names_are_refused_by_read() {
    let dir = fixture("dotdot-reference");
    for name in ["../valid/references/guide.md", "/etc/passwd", "..%2Fvalid%2FSKILL.md"] {
        let output = run(&["--skill-dir", dir.to_str().unwrap(), "read", name]);
        assert_eq!(output.status.code(), Some(2), "{name}");
        let err = stderr(&output);
        assert!(err.contains("no document"), "{err}");
        assert!(!err.contains("Fixture Guide"), "{err}");
    }
}

#[test]
fn broken_skill_fails_to_load_with_position() {
    let output = run(&[
        "--skill-dir",
        fixture("bad-frontmatter").to_str().unwrap(),
        "search",
        "anything",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("SKILL.md:4:8: invalid YAML"), "{err}");
}

#[test]
fn search_embedded_skill() {
    let output = run(&["search", "consumer lag", "--limit", "3"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("1. "), "{text}");
    assert!(text.contains("skill://streaming-data-skill/sections/"), "{text}");
    assert!(text.contains("**"), "snippets mark matching terms: {text}");
}

#[test]
fn search_json_with_document_filter() {
    let output = run(&["search", "dead letter", "--doc", "kafka-deep-dive.md", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let hits = json["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|h| h["document"] == "kafka-deep-dive"));
}

#[test]
fn search_unknown_document_is_an_error() {
    let output = run(&["search", "lag", "--doc", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no document \"nope\"; available: SKILL.md, "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn search_and_read_a_skill_folder() {
    let dir = fixture("valid");
    let output = run(&["--skill-dir", dir.to_str().unwrap(), "search", "dead letter queue"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("1. guide › Fixture Guide › Dead Letter Queues"),
        "{}",
        stdout(&output)
    );

    let output = run(&["--skill-dir", dir.to_str().unwrap(), "read", "guide", "backoff"]);
    assert_eq!(
        stdout(&output),
        "## Backoff\n\nWait longer after each failed attempt.\n"
    );
}

#[test]
fn read_toc_and_sections() {
    let output = run(&["read", "SKILL.md", "--toc"]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.starts_with("Streaming Data Skill (SKILL.md)\n- Streaming Data Skill  #streaming-data-skill\n"),
        "{text}"
    );
    assert!(
        text.contains("  - Architecture Decision Matrix  #architecture-decision-matrix"),
        "{text}"
    );

    let output = run(&["read", "SKILL.md", "Core Principles > Idempotent Consumers"]);
    assert!(
        stdout(&output).starts_with("### Idempotent Consumers\n"),
        "{}",
        stdout(&output)
    );

    let output = run(&["read", "SKILL.md", "no-such-section"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("SKILL.md has no section \"no-such-section\"; closest: "),
        "{err}"
    );
    assert!(
        err.contains("list them all with `streaming-skill read SKILL.md --sections`"),
        "{err}"
    );

    // A unique part of a slug or heading is enough; a typo names the closest sections.
    let output = run(&["read", "kafka-deep-dive", "groups and rebal"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Rebalancing"), "{}", stdout(&output));
    let output = run(&["read", "kafka-deep-dive", "consumer grups"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("; closest: consumer-groups-and-rebalancing,"),
        "{}",
        stderr(&output)
    );
    let output = run(&["read", "kafka-deep-dive", "--sections"]);
    assert!(
        stdout(&output).contains("#consumer-groups-and-rebalancing"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn tables_list_and_one_as_json() {
    let text = stdout(&run(&["tables"]));
    for id in [
        "architecture-decision-matrix",
        "stream-processing-framework-selection",
        "windowing-patterns",
        "schema-compatibility-modes",
        "monitoring-thresholds",
        "alert-tiers",
        "security-capability-tiers",
    ] {
        assert!(text.contains(id), "{id} missing from:\n{text}");
    }
    let output = run(&["tables", "windowing", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["table"], "windowing-patterns");
    assert_eq!(json["rows"][2]["Pattern"], "Session");
    assert_eq!(json["rows"][2]["Use Case"], "User sessions, activity bursts");

    let output = run(&["tables", "nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("no decision table \"nope\"; available: architecture-decision-matrix"));
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_folder_is_never_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "# Secret\n\nTop secret text.\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let skill = dir.path().join("linked");
    std::fs::create_dir_all(skill.join("references")).unwrap();
    std::fs::write(
        skill.join("SKILL.md"),
        "---\nname: linked\ndescription: A skill with a symlink that leaves its folder.\n---\n\n# Linked\n\nSee [secret](references/secret.md).\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), skill.join("references/secret.md")).unwrap();

    let output = run(&["--skill-dir", skill.to_str().unwrap(), "read", "secret"]);
    assert_ne!(output.status.code(), Some(0));
    let all = format!("{}{}", stdout(&output), stderr(&output));
    assert!(!all.contains("Top secret"), "{all}");
    assert!(
        !all.contains(&outside.path().display().to_string()),
        "an error names a path outside the folder: {all}"
    );

    let output = run(&["--skill-dir", skill.to_str().unwrap(), "search", "secret"]);
    assert!(!stdout(&output).contains("Top secret"));

    let output = run(&["validate", skill.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).contains("error[broken-link]"), "{}", stdout(&output));
    // The symlink is a finding of its own, not a log line.
    assert!(
        stdout(&output).contains("references/secret.md:1:1: warning[symlink-outside]"),
        "{}",
        stdout(&output)
    );
    assert_eq!(stderr(&output), "");
}

/// A folder without SKILL.md is said so at once, before its files are walked (no log line per
/// symlink); an empty `description:` is reported with every other problem of the same run.
#[test]
fn validate_checks_skill_md_first_and_reports_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    for i in 0..50 {
        std::os::unix::fs::symlink(outside.path(), dir.path().join(format!("link{i}"))).unwrap();
    }
    let output = run(&["validate", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "");
    let text = stdout(&output);
    assert!(
        text.starts_with("SKILL.md:1:1: error[load]: the folder has no SKILL.md\n"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 2, "{text}");

    let skill = tempfile::tempdir().unwrap();
    std::fs::write(
        skill.path().join("SKILL.md"),
        "---\nname: Bad_Name\ndescription:\n---\n\n# Empty\n\nSee [gone](references/gone.md).\n",
    )
    .unwrap();
    let output = run(&["validate", skill.path().to_str().unwrap(), "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let messages: Vec<String> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}: {}", f["rule"], f["message"]))
        .collect();
    let all = messages.join("\n");
    assert!(all.contains("`description` must not be empty"), "{all}");
    assert!(all.contains("\"broken-link\""), "{all}");
    assert!(all.contains("\"frontmatter\": \"`name`"), "{all}");
}

#[test]
fn serve_is_the_default_command() {
    let output = Command::new(env!("CARGO_BIN_EXE_streaming-skill"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    // With stdin closed before `initialize`, the server exits cleanly and prints nothing.
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn config_prints_a_snippet_with_the_absolute_binary() {
    let binary = Path::new(env!("CARGO_BIN_EXE_streaming-skill")).canonicalize().unwrap();
    let output = run(&["--skill-dir", fixture("valid").to_str().unwrap(), "config", "vscode"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let server = &json["servers"]["streaming-skill"];
    assert_eq!(server["command"], binary.display().to_string());
    assert_eq!(server["args"][0], "--skill-dir");
    assert!(Path::new(server["args"][1].as_str().unwrap()).is_absolute());
    assert!(stderr(&output).contains(".vscode/mcp.json"));
    for client in ["claude-desktop", "claude-code", "cursor", "zed", "windsurf", "codex"] {
        let output = run(&["config", client]);
        assert!(output.status.success(), "{client}");
        assert!(stdout(&output).contains(&binary.display().to_string()), "{client}");
    }
    assert_eq!(run(&["config", "emacs"]).status.code(), Some(2));
}

#[test]
fn deciding_commands_print_text_and_json() {
    let output = run(&[
        "architecture",
        "--latency-target-seconds",
        "0.5",
        "--delivery",
        "exactly-once",
        "--team",
        "jvm",
        "--use-case",
        "fraud detection",
        "--state-size-gb",
        "100",
        "--json",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["processors"][0]["framework"], "Apache Flink");

    let output = run(&["health", "--consumer-lag-seconds", "420"]);
    assert!(stdout(&output).starts_with("Status: warning\n"), "{}", stdout(&output));

    let output = run(&[
        "kafka-config",
        "--role",
        "producer",
        "--delivery",
        "exactly-once",
        "--profile",
        "high-throughput",
        "--security",
        "mtls",
        "--tier",
        "air-gapped",
        "--client",
        "librdkafka",
    ]);
    let text = stdout(&output);
    assert!(
        text.contains("\ntransactional.id=${KAFKA_TRANSACTIONAL_ID}\n"),
        "{text}"
    );
    assert!(text.contains("queue.buffering.max.kbytes=131072"), "{text}");

    let output = run(&["health", "--error-rate", "3"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--error-rate is a share from 0 to 1"),
        "{}",
        stderr(&output)
    );
}

/// `health` exits 1 when an alert is above the least urgent tier, 0 when not, and 2 when no
/// metric is given (the error names the flags).
#[test]
fn health_exit_status_follows_the_answer() {
    let output = run(&["health"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("no metric given") && err.contains("--consumer-lag-seconds"),
        "{err}"
    );
    assert_eq!(run(&["health", "--critical-pipeline", "true"]).status.code(), Some(2));
    assert_eq!(run(&["health", "--consumer-lag-seconds", "420"]).status.code(), Some(1));
    assert_eq!(run(&["health", "--consumer-stopped", "true"]).status.code(), Some(1));
    assert_eq!(run(&["health", "--consumer-lag-seconds", "3"]).status.code(), Some(0));
    // Partition skew is an info-tier signal: reported, but not a bad answer.
    let output = run(&["health", "--partition-max-min-ratio", "5"]);
    assert!(stdout(&output).starts_with("Status: info\n"), "{}", stdout(&output));
    assert_eq!(output.status.code(), Some(0));
}

/// Enum values in any case; negative and non-finite numbers are out of range, named by flag.
#[test]
fn flags_take_any_case_and_numbers_are_checked_by_flag_name() {
    let output = run(&[
        "architecture",
        "--latency-target-seconds",
        "2",
        "--delivery",
        "EXACTLY-ONCE",
        "--team",
        "JVM",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    for value in ["-5", "1e400", "NaN", "inf"] {
        let output = run(&[
            "architecture",
            "--latency-target-seconds",
            value,
            "--delivery",
            "exactly-once",
            "--team",
            "jvm",
        ]);
        assert_eq!(output.status.code(), Some(2), "{value}");
        let err = stderr(&output);
        assert!(
            err.contains("'--latency-target-seconds") && err.contains("out of range"),
            "{value}: {err}"
        );
    }
    let output = run(&[
        "architecture",
        "--latency-target-seconds",
        "0",
        "--delivery",
        "exactly-once",
        "--team",
        "jvm",
    ]);
    let err = stderr(&output);
    assert!(
        err.contains("--latency-target-seconds must be above 0") && !err.contains("latency_target"),
        "{err}"
    );
    assert_eq!(run(&["config", "VSCode"]).status.code(), Some(0));
}

/// `kafka-config > client.properties` writes a properties file and nothing else: every stdout
/// line is a comment or `key=value`; warnings, review notes and sources (each once) are on stderr.
#[test]
fn kafka_config_stdout_is_the_properties_file_alone() {
    let output = run(&[
        "kafka-config",
        "--role",
        "consumer",
        "--delivery",
        "exactly-once",
        "--profile",
        "balanced",
        "--security",
        "mtls",
        "--tier",
        "regulated",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for line in text.lines().filter(|l| !l.is_empty()) {
        assert!(
            line.starts_with('#') || line.contains('='),
            "not a property: {line}\n{text}"
        );
    }
    for heading in ["Warnings:", "Human review:", "Sources:"] {
        assert!(!text.contains(heading), "{heading} on stdout:\n{text}");
    }
    let notes = stderr(&output);
    assert!(
        notes.contains("Human review:\n") && notes.contains("Sources:\n"),
        "{notes}"
    );
    let sources: Vec<&str> = notes.lines().skip_while(|l| *l != "Sources:").skip(1).collect();
    let unique: std::collections::HashSet<&&str> = sources.iter().collect();
    assert_eq!(unique.len(), sources.len(), "a source listed twice:\n{notes}");
}

#[test]
fn schema_compat_exits_one_when_incompatible() {
    let dir = tempfile::tempdir().unwrap();
    let v1 = dir.path().join("v1.avsc");
    let v2 = dir.path().join("v2.avsc");
    std::fs::write(
        &v1,
        r#"{"type":"enum","name":"Status","symbols":["NEW","PAID","SHIPPED"]}"#,
    )
    .unwrap();
    std::fs::write(&v2, r#"{"type":"enum","name":"Status","symbols":["NEW","PAID"]}"#).unwrap();
    let output = run(&[
        "schema-compat",
        "--format",
        "avro",
        "--mode",
        "BACKWARD",
        v2.to_str().unwrap(),
        v1.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let text = stdout(&output);
    assert!(text.contains("enum-symbol-removed"), "{text}");
    // Versions are numbered from 1, as a registry does, and named by their file.
    let v1_name = v1.display().to_string();
    assert!(
        text.contains(&format!("checked against previous version 1 ({v1_name})")),
        "{text}"
    );
    assert!(text.contains(&format!("(version 1 ({v1_name}), backward)")), "{text}");
    let broken = dir.path().join("broken.avsc");
    std::fs::write(&broken, "{").unwrap();
    let output = run(&[
        "schema-compat",
        "--format",
        "AVRO",
        "--mode",
        "backward_transitive",
        v2.to_str().unwrap(),
        v1.to_str().unwrap(),
        broken.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains(&format!("previous version 2 ({}) does not parse", broken.display())),
        "{}",
        stderr(&output)
    );
    let output = run(&[
        "schema-compat",
        "--format",
        "avro",
        "--mode",
        "FORWARD",
        v2.to_str().unwrap(),
        v1.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn config_carries_the_skills_root() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/skills-root");
    let output = run(&[
        "--skills-root",
        root.to_str().unwrap(),
        "--no-embedded",
        "config",
        "vscode",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let args = json["servers"]["streaming-skill"]["args"].as_array().unwrap();
    assert_eq!(args[0], "--skills-root");
    assert_eq!(args[1], root.canonicalize().unwrap().display().to_string());
    assert_eq!(args[2], "--no-embedded");
}

/// Started from a terminal, the stdio server says on stderr what it is and how to use it; with
/// stdin piped by a client, stderr stays empty. `script` (util-linux) gives the binary a
/// terminal; it closes the terminal when its own stdin ends, so the server exits.
#[cfg(target_os = "linux")]
#[test]
fn a_terminal_gets_a_one_line_hint_and_a_pipe_does_not() {
    let binary = env!("CARGO_BIN_EXE_streaming-skill");
    let output = Command::new("script")
        .args(["-qec", binary, "/dev/null"])
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("script (util-linux) runs");
    let text = String::from_utf8_lossy(&output.stdout);
    let hints: Vec<&str> = text.lines().filter(|l| l.contains("waiting for a client")).collect();
    assert_eq!(hints.len(), 1, "{text}");
    assert!(hints[0].contains("streaming-skill config <client>"), "{text}");

    let piped = Command::new(binary)
        .env_remove("RUST_LOG")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(stderr(&piped), "");
}

/// Issue 17, defect 1: every command that reads a skill honours `--skills-root` and
/// `--no-embedded`, not only serve, route and config.
#[test]
fn every_command_reads_the_skills_root_and_honours_no_embedded() {
    let root = fixture("skills-root");
    let root = root.to_str().unwrap();

    let output = run(&["--skills-root", root, "search", "incremental models dbt", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let uris: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|hit| hit["uri"].as_str())
        .collect();
    assert!(
        uris.iter().any(|uri| uri.starts_with("skill://dbt-skill/")),
        "no hit from the skills root: {uris:?}"
    );

    // The first skill under the root stands in for the embedded one.
    let output = run(&["--skills-root", root, "--no-embedded", "read", "SKILL.md"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("name: dbt-skill"), "{}", stdout(&output));
    let output = run(&[
        "--skills-root",
        root,
        "read",
        "SKILL.md",
        "--skill",
        "release-notes-skill",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("name: release-notes-skill"),
        "{}",
        stdout(&output)
    );
    let output = run(&["--skills-root", root, "read", "SKILL.md", "--skill", "no-such-skill"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("dbt-skill"), "{}", stderr(&output));

    let output = run(&["--skills-root", root, "--no-embedded", "tables", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stdout(&output).contains("architecture-decision-matrix"),
        "the embedded skill's tables were listed: {}",
        stdout(&output)
    );

    // The deciding commands read the first skill's tables, which this one lacks.
    let output = run(&[
        "--skills-root",
        root,
        "--no-embedded",
        "health",
        "--consumer-lag-seconds",
        "420",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    assert!(stderr(&output).contains("monitoring-thresholds"), "{}", stderr(&output));

    let output = run(&["--no-embedded", "search", "lag"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("--no-embedded needs"), "{}", stderr(&output));
}

/// Issue 17, defect 3: a folder with a deciding tool's table but not the column the tool reads
/// gets a finding at the table's header line.
#[test]
fn validate_reports_a_table_that_breaks_a_deciding_tool() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ops-skill");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("SKILL.md"),
        "---\nname: ops-skill\ndescription: Watches pipelines and says when to alert on lag and errors.\n---\n# Ops\n\n## Monitoring Thresholds\n\nWhen to alert.\n\n| Metric | Limit |\n|---|---|\n| Throughput | < 50% baseline |\n",
    )
    .unwrap();
    let output = run(&["validate", dir.to_str().unwrap()]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(
        text.contains("SKILL.md:11:1: error[decision-contract]: evaluate_stream_health needs this: table monitoring-thresholds has no column \"Alert Threshold\""),
        "{text}"
    );
}

#[test]
fn route_names_the_field_it_declines_and_keeps_a_pipeline_that_shares_its_words() {
    let output = run(&[
        "route",
        "My Twitch stream drops frames whenever I go live with OBS, bitrate 6000",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.starts_with("decline "), "{text}");
    assert!(
        text.contains("because this is about media streaming (video, music, live broadcasts), not data streaming"),
        "{text}"
    );
    assert!(text.contains("next: Out of scope (media streaming"), "{text}");

    let output = run(&[
        "route",
        "--json",
        "Our Kafka consumer group feeds the video analytics service and its lag keeps growing",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(json["decision"], "activate", "{json}");
}

/// The commands that `route` prints as next steps, each split into its arguments (the part
/// after `  # ` says what it is for). A step that is not a command (a hand-off to a skill that
/// is not loaded, a decline) is left out.
fn printed_commands(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter_map(|line| line.trim_start().strip_prefix("next: "))
        .filter_map(|step| step.strip_prefix("streaming-skill "))
        .map(|step| {
            let command = step.split("  # ").next().unwrap_or_default();
            command.split_whitespace().map(str::to_string).collect()
        })
        .collect()
}

/// Issue 17, defect 2: `route` printed MCP tool-call syntax (`next: get_decision_table {...}`)
/// to a person at a terminal. Its next steps are now commands that run.
#[test]
fn defect_2_route_prints_commands_a_person_runs_not_tool_calls() {
    let root = fixture("skills-root");
    let root = root.to_str().unwrap();
    for args in [
        vec!["route", "our consumer lag alert thresholds keep firing"],
        vec![
            "--skills-root",
            root,
            "route",
            "our nightly dbt incremental model double counts orders; fix the merge",
        ],
    ] {
        let output = run(&args);
        assert!(output.status.success(), "{}", stderr(&output));
        let text = stdout(&output);
        assert!(!text.contains("{\""), "tool-call syntax in {text}");
        let commands = printed_commands(&text);
        assert!(!commands.is_empty(), "no command in {text}");
        for command in commands {
            let command: Vec<&str> = command.iter().map(String::as_str).collect();
            let output = run(&command);
            assert!(
                output.status.success() && !output.stdout.is_empty(),
                "{command:?} from {text}: {}",
                stderr(&output)
            );
        }
    }
}
