//! Cold start: from process spawn to the `initialize` reply, and to the reply of the first tool
//! call (`search_references` for ours, which builds the search index; `echo` for the floor).
//! Spawns alternate between the two servers so that load on the machine hits both alike.

use std::time::Duration;

use anyhow::Context;
use streaming_skill::search::SearchIndex;
use streaming_skill::skill::Skill;

use crate::stats::{Summary, ms, ratio};
use crate::stdio::{ServerCommand, StdioServer, ToolCall};
use crate::workload::Workload;
use crate::{Plan, Servers};

/// Picks one time out of a spawn's.
type Field = fn(&Spawn) -> Duration;

/// The times of one spawn.
#[derive(Debug, Default, Clone)]
struct Spawn {
    initialize: Duration,
    first_reply: Duration,
    first_call: Duration,
    second_call: Duration,
}

/// Cold-start figures for both servers.
#[derive(Debug, Default)]
pub struct ColdStart {
    floor: Vec<Spawn>,
    ours: Vec<Spawn>,
    /// The embedded skill's search index built in-process, for the breakdown.
    index_builds: Vec<Duration>,
    /// Whole `streaming-skill --version` processes.
    cli_version: Vec<Duration>,
    /// Whole `streaming-skill search "..."` processes.
    cli_search: Vec<Duration>,
}

/// Spawns each server `plan.spawns` times and times the first replies.
pub fn run(plan: &Plan, servers: &Servers, workload: &Workload) -> anyhow::Result<ColdStart> {
    let mut cold = ColdStart::default();
    let search = &workload.search[0];
    let echo = &workload.echo[0];
    for i in 0..plan.spawns {
        if i % 2 == 0 {
            cold.floor.push(spawn_once(&servers.floor, echo)?);
            cold.ours.push(spawn_once(&servers.ours, search)?);
        } else {
            cold.ours.push(spawn_once(&servers.ours, search)?);
            cold.floor.push(spawn_once(&servers.floor, echo)?);
        }
    }
    // The command line, whole process: `--version` against a search, alternating.
    for _ in 0..plan.spawns {
        cold.cli_version
            .push(whole_process(&servers.ours.with_args(&["--version"]))?);
        cold.cli_search
            .push(whole_process(&servers.ours.with_args(&["search", "consumer lag"]))?);
    }
    let skill = Skill::embedded().context("the embedded skill")?;
    for _ in 0..plan.spawns {
        let index = SearchIndex::build(&[&skill]).context("building the index in-process")?;
        cold.index_builds.push(index.build_time());
    }
    Ok(cold)
}

/// From spawn to exit of a command that must succeed.
fn whole_process(command: &ServerCommand) -> anyhow::Result<Duration> {
    let started = std::time::Instant::now();
    let output = command.command().output().context("running the binary")?;
    let took = started.elapsed();
    anyhow::ensure!(output.status.success(), "{:?} failed", command.args);
    Ok(took)
}

/// One spawn: initialize, then the first call and a second, identical one.
fn spawn_once(server: &ServerCommand, call: &ToolCall) -> anyhow::Result<Spawn> {
    let mut process = StdioServer::spawn(server)?;
    let spawned = process.spawned_at();
    let initialized = process.initialize()?;
    let first_call = process.call(call)?;
    let first_reply = process.last_reply_at() - spawned;
    let second_call = process.call(call)?;
    process.close()?;
    Ok(Spawn {
        initialize: initialized - spawned,
        first_reply,
        first_call,
        second_call,
    })
}

impl ColdStart {
    /// The median time from spawn to the initialize reply, floor and ours.
    pub fn initialize_medians(&self) -> (f64, f64) {
        (
            median(&self.floor, |s| s.initialize),
            median(&self.ours, |s| s.initialize),
        )
    }

    /// The median time from spawn to the first search reply.
    pub fn first_search_median(&self) -> f64 {
        median(&self.ours, |s| s.first_reply)
    }

    /// The floor's median time from spawn to its first `echo` reply.
    pub fn floor_first_reply_median(&self) -> f64 {
        median(&self.floor, |s| s.first_reply)
    }

    /// Medians of whole `--version` and `search` processes.
    pub fn cli_medians(&self) -> Option<(f64, f64)> {
        Some((
            Summary::of_ms(&self.cli_version)?.median,
            Summary::of_ms(&self.cli_search)?.median,
        ))
    }

    /// The section for BENCHMARKS.md.
    pub fn markdown(&self) -> String {
        let mut out = String::from("### Cold start\n\n");
        out.push_str(&format!(
            "Command: `bench/run.sh --only cold`. {} spawns of each server, alternating; times from just before `spawn()` to the reply's line read on the child's stdout.\n\n",
            self.ours.len()
        ));
        out.push_str("| what | server | min | median | max | median / floor |\n|---|---|---|---|---|---|\n");
        let rows: [(&str, Field); 2] = [
            ("spawn to `initialize` reply", |s| s.initialize),
            ("spawn to first tool reply", |s| s.first_reply),
        ];
        for (what, field) in rows {
            let floor = summary(&self.floor, field);
            let ours = summary(&self.ours, field);
            let (floor_tool, ours_tool) = if what.contains("tool") {
                (" (`echo`)", " (`search_references`)")
            } else {
                ("", "")
            };
            out.push_str(&row(&format!("{what}{floor_tool}"), "floor", floor, floor));
            out.push_str(&row(&format!("{what}{ours_tool}"), "streaming-skill", ours, floor));
        }
        out.push_str("\nBreakdown of ours (medians): ");
        let first = median(&self.ours, |s| s.first_call);
        let second = median(&self.ours, |s| s.second_call);
        let builds = Summary::of_ms(&self.index_builds);
        out.push_str(&format!(
            "first `search_references` round trip {}, the same search again in the same process {}: the first call costs about {} more. It opens the prebuilt index unless the warm-up that `notifications/initialized` starts has opened it already, analyses its hits' sections for snippets (once per section and process), builds the tool's route, and runs code and reads data for the first time. The same index built in RAM in-process, for comparison: {}. The floor's first `echo` {}, second {}.\n",
            ms(first),
            ms(second),
            ms(first - second),
            builds.map_or("-".into(), |b| format!(
                "min {}, median {}, max {} over {} builds",
                ms(b.min),
                ms(b.median),
                ms(b.max),
                b.count
            )),
            ms(median(&self.floor, |s| s.first_call)),
            ms(median(&self.floor, |s| s.second_call)),
        ));
        if let (Some(version), Some(search)) = (Summary::of_ms(&self.cli_version), Summary::of_ms(&self.cli_search)) {
            out.push_str(&format!(
                "\nThe command line, whole process from spawn to exit ({} runs each, alternating): `streaming-skill --version` min {} / median {} / max {}; `streaming-skill search \"consumer lag\"` min {} / median {} / max {} ({:.2}x the median of `--version`).\n",
                version.count,
                ms(version.min),
                ms(version.median),
                ms(version.max),
                ms(search.min),
                ms(search.median),
                ms(search.max),
                search.median / version.median
            ));
        }
        out
    }
}

fn summary(spawns: &[Spawn], field: Field) -> Option<Summary> {
    Summary::of_ms(&spawns.iter().map(field).collect::<Vec<_>>())
}

fn median(spawns: &[Spawn], field: Field) -> f64 {
    summary(spawns, field).map_or(0.0, |s| s.median)
}

fn row(what: &str, server: &str, summary: Option<Summary>, floor: Option<Summary>) -> String {
    match (summary, floor) {
        (Some(s), Some(f)) => format!(
            "| {what} | {server} | {} | {} | {} | {} |\n",
            ms(s.min),
            ms(s.median),
            ms(s.max),
            ratio(s.median, f.median)
        ),
        _ => format!("| {what} | {server} | - | - | - | - |\n"),
    }
}
