//! Tool-call latency over stdio: sequential calls, one at a time, to each tool of ours and to
//! the floor's `echo`, after a warm-up (which also builds our search index).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use streaming_skill::library::SkillLibrary;
use streaming_skill::skill::Skill;

use crate::stats::{Summary, ms, ratio};
use crate::stdio::{StdioServer, ToolCall};
use crate::workload::{QUERIES, Workload};
use crate::{Plan, Servers};

/// Warm-up calls per tool before timing.
const WARM_UP: usize = 50;

/// Round-trip times per tool, pooled over rounds, with each round's median.
#[derive(Debug, Default)]
pub struct Latency {
    floor: Series,
    tools: Vec<(&'static str, Series)>,
    /// The searches of `search_references` made in this process, as the tool makes them.
    in_process_search: Series,
}

/// The samples of one tool.
#[derive(Debug, Default, Clone)]
struct Series {
    samples: Vec<Duration>,
    round_medians: Vec<f64>,
}

impl Series {
    fn add_round(&mut self, round: Vec<Duration>) {
        if let Some(s) = Summary::of_ms(&round) {
            self.round_medians.push(s.median);
        }
        self.samples.extend(round);
    }
}

/// Runs `plan.rounds` rounds, each with a fresh floor and a fresh server.
pub fn run(plan: &Plan, servers: &Servers, workload: &Workload) -> anyhow::Result<Latency> {
    let mut latency = Latency {
        floor: Series::default(),
        tools: workload
            .tools()
            .iter()
            .map(|(name, _)| (*name, Series::default()))
            .collect(),
        in_process_search: Series::default(),
    };
    for _ in 0..plan.rounds {
        let mut floor = StdioServer::spawn(&servers.floor)?;
        floor.initialize()?;
        timed_calls(&mut floor, &workload.echo, WARM_UP)?;
        latency
            .floor
            .add_round(timed_calls(&mut floor, &workload.echo, plan.calls)?);
        floor.close()?;

        let mut ours = StdioServer::spawn(&servers.ours)?;
        ours.initialize()?;
        for (_, calls) in workload.tools() {
            timed_calls(&mut ours, calls, WARM_UP.max(calls.len()))?;
        }
        for (i, (_, calls)) in workload.tools().into_iter().enumerate() {
            latency.tools[i].1.add_round(timed_calls(&mut ours, calls, plan.calls)?);
        }
        ours.close()?;
        latency.in_process_search.add_round(in_process_searches(plan.calls)?);
    }
    Ok(latency)
}

/// The bench's search queries in this process: the library call `search_references` makes
/// (default limit, no budget), timed alone, with no transport, JSON or rendering around it.
fn in_process_searches(count: usize) -> anyhow::Result<Vec<Duration>> {
    let library = SkillLibrary::new(vec![Arc::new(Skill::embedded().context("the embedded skill")?)]);
    let search = |query: &str| {
        library
            .search(query, None, None, None, None)
            .context("an in-process search")
    };
    for query in QUERIES.iter().cycle().take(WARM_UP) {
        search(query)?;
    }
    QUERIES
        .iter()
        .cycle()
        .take(count)
        .map(|query| {
            let started = Instant::now();
            search(query)?;
            Ok(started.elapsed())
        })
        .collect()
}

/// `count` sequential calls, cycling through `calls`.
fn timed_calls(server: &mut StdioServer, calls: &[ToolCall], count: usize) -> anyhow::Result<Vec<Duration>> {
    calls.iter().cycle().take(count).map(|call| server.call(call)).collect()
}

impl Latency {
    /// The floor's median and search's median, in ms.
    pub fn search_and_floor_medians(&self) -> Option<(f64, f64)> {
        let floor = Summary::of_ms(&self.floor.samples)?;
        let search = self
            .tools
            .iter()
            .find(|(name, _)| *name == "search_references")
            .and_then(|(_, s)| Summary::of_ms(&s.samples))?;
        Some((search.median, floor.median))
    }

    /// The section for BENCHMARKS.md.
    pub fn markdown(&self) -> String {
        let rounds = self.floor.round_medians.len();
        let per_round = self.floor.samples.len() / rounds.max(1);
        let mut out = String::from("### Tool-call latency over stdio\n\n");
        out.push_str(&format!(
            "Command: `bench/run.sh --only latency`. {rounds} round(s), each with fresh processes: {per_round} sequential calls per tool after {WARM_UP} warm-up calls; round trip from writing the request to reading the reply's line. Statistics over all calls of all rounds; the last column gives each round's median.\n\n"
        ));
        out.push_str("| call | calls | min | median | p99 | max | median / floor | p99 / floor | round medians |\n|---|---|---|---|---|---|---|---|---|\n");
        let floor = Summary::of_ms(&self.floor.samples);
        out.push_str(&row("floor `echo`", &self.floor, floor));
        for (name, series) in &self.tools {
            out.push_str(&row(&format!("`{name}`"), series, floor));
        }
        if let (Some(inside), Some(f)) = (Summary::of_ms(&self.in_process_search.samples), floor) {
            out.push_str(&format!(
                "\nThe same searches in the bench's own process, timed around the library call `search_references` makes (no transport, no JSON, no rendering): median {} ({} the floor's whole `echo` round trip), p99 {}, over {} calls.\n",
                ms(inside.median),
                ratio(inside.median, f.median),
                ms(inside.p99),
                inside.count
            ));
        }
        out
    }
}

fn row(what: &str, series: &Series, floor: Option<Summary>) -> String {
    let (Some(s), Some(f)) = (Summary::of_ms(&series.samples), floor) else {
        return format!("| {what} | 0 | - | - | - | - | - | - | - |\n");
    };
    let rounds: Vec<String> = series.round_medians.iter().map(|m| ms(*m)).collect();
    format!(
        "| {what} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        s.count,
        ms(s.min),
        ms(s.median),
        ms(s.p99),
        ms(s.max),
        ratio(s.median, f.median),
        ratio(s.p99, f.p99),
        rounds.join(", ")
    )
}
