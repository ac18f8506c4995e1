//! How serving many skills scales: for 1, 10 and 100 loaded skills (the embedded skill plus
//! synthetic skill folders under a `--skills-root`), the o200k tokens of `tools/list` plus
//! `instructions`, the time from spawn to the `initialize` reply and to the `skills/list`
//! reply, and the server's peak RSS.
//!
//! Run: `cargo build --release && cargo run --release --example skills_scale -- [RUNS]`
//! (default 5 runs per size; min, median and max are printed).

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn write_skills(root: &Path, count: usize) {
    for i in 0..count {
        let name = format!("team-skill-{i:03}");
        let dir = root.join(&name).join("references");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            root.join(&name).join("SKILL.md"),
            format!(
                "---\nname: {name}\ndescription: \"Runbook {i} of the platform team: service {i} deployment, its dashboards and on-call steps. Use it when service {i} pages or needs a release.\"\n---\n\n# Team skill {i}\n\nSteps for service {i}.\n\n## Steps\n\n1. Check the dashboard of service {i}.\n2. Read [the runbook](references/runbook.md).\n"
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("runbook.md"),
            format!("# Runbook {i}\n\nWhat to do when service {i} fails.\n\n## Restart\n\nRestart service {i} with the deploy tool, then watch error rates for ten minutes.\n"),
        )
        .unwrap();
    }
}

struct Sample {
    initialize: Duration,
    skills_list: Duration,
    tokens: usize,
    rss_kb: u64,
}

fn run_once(binary: &str, root: Option<&Path>) -> Sample {
    let mut command = Command::new(binary);
    if let Some(root) = root {
        command.arg("--skills-root").arg(root);
    }
    let started = Instant::now();
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut ask = |request: Value| -> Value {
        writeln!(stdin, "{request}").unwrap();
        if request.get("id").is_none() {
            return Value::Null;
        }
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        serde_json::from_str(&line).unwrap()
    };
    let init = ask(
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "scale", "version": "1"}}}),
    );
    let initialize = started.elapsed();
    ask(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
    let tools = ask(json!({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}));
    let listed = ask(json!({"jsonrpc": "2.0", "id": 3, "method": "skills/list"}));
    let skills_list = started.elapsed();
    assert!(listed["result"]["skills"].is_array(), "{listed}");
    let o200k = tiktoken_rs::o200k_base().unwrap();
    let tokens = o200k
        .encode_with_special_tokens(init["result"]["instructions"].as_str().unwrap())
        .len()
        + o200k.encode_with_special_tokens(&tools["result"].to_string()).len();
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
    let rss_kb = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    drop(stdin);
    let _ = child.wait();
    Sample {
        initialize,
        skills_list,
        tokens,
        rss_kb,
    }
}

fn stats(mut values: Vec<f64>) -> String {
    values.sort_by(f64::total_cmp);
    format!(
        "{:.1} / {:.1} / {:.1}",
        values[0],
        values[values.len() / 2],
        values[values.len() - 1]
    )
}

fn main() {
    let runs: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let binary = "target/release/streaming-skill";
    assert!(Path::new(binary).exists(), "build first: cargo build --release");
    println!(
        "| Skills loaded | tools/list + instructions (o200k) | spawn to initialize, ms (min / median / max) | spawn to skills/list, ms | peak RSS, MB |"
    );
    println!("|---|---|---|---|---|");
    for total in [1usize, 10, 100] {
        let temp = tempfile::tempdir().unwrap();
        let root = (total > 1).then(|| {
            write_skills(temp.path(), total - 1);
            temp.path().to_path_buf()
        });
        let samples: Vec<Sample> = (0..runs).map(|_| run_once(binary, root.as_deref())).collect();
        let ms = |f: &dyn Fn(&Sample) -> Duration| samples.iter().map(|s| f(s).as_secs_f64() * 1e3).collect::<Vec<_>>();
        println!(
            "| {total} | {} | {} | {} | {} |",
            samples[0].tokens,
            stats(ms(&|s| s.initialize)),
            stats(ms(&|s| s.skills_list)),
            stats(samples.iter().map(|s| s.rss_kb as f64 / 1024.0).collect())
        );
    }
}
