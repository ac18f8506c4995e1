//! Resident memory: after start-up, after the first search (the index is built), and after
//! 1k, 2k, 5k and 10k mixed calls (the four tools in turn), to show whether it levels off.
//! The floor is read after start-up and after the same number of `echo` calls.

use crate::machine::Rss;
use crate::stats::{Summary, mib, ratio};
use crate::stdio::{StdioServer, ToolCall};
use crate::workload::Workload;
use crate::{Plan, Servers};

/// Where memory is read, in calls made after start-up (and the first search, for ours).
const CHECKPOINTS: [usize; 4] = [1_000, 2_000, 5_000, 10_000];

/// Readings per checkpoint, one per round.
#[derive(Debug, Default)]
pub struct Memory {
    floor: Vec<(String, Vec<Rss>)>,
    ours: Vec<(String, Vec<Rss>)>,
}

/// Runs `plan.rounds` rounds with fresh processes.
pub fn run(plan: &Plan, servers: &Servers, workload: &Workload) -> anyhow::Result<Memory> {
    let mut memory = Memory::default();
    let checkpoints = checkpoints(plan.memory_calls);
    let mixed: Vec<ToolCall> = interleave(&workload.tools().map(|(_, calls)| calls));
    for _ in 0..plan.rounds {
        let mut floor = StdioServer::spawn(&servers.floor)?;
        floor.initialize()?;
        let mut readings = vec![("after initialize".to_string(), floor.rss()?)];
        readings.extend(calls_with_readings(&mut floor, &workload.echo, &checkpoints)?);
        floor.close()?;
        record(&mut memory.floor, readings);

        let mut ours = StdioServer::spawn(&servers.ours)?;
        ours.initialize()?;
        let mut readings = vec![("after initialize".to_string(), ours.rss()?)];
        ours.call(&workload.search[0])?;
        readings.push(("after the first search (index built)".to_string(), ours.rss()?));
        readings.extend(calls_with_readings(&mut ours, &mixed, &checkpoints)?);
        ours.close()?;
        record(&mut memory.ours, readings);
    }
    Ok(memory)
}

/// The checkpoints up to `calls`, ending at `calls`.
fn checkpoints(calls: usize) -> Vec<usize> {
    let mut points: Vec<usize> = CHECKPOINTS.iter().copied().filter(|&c| c < calls).collect();
    points.push(calls);
    points
}

/// One call of each list in turn: search, read, table, route, search, ...
fn interleave(lists: &[&[ToolCall]]) -> Vec<ToolCall> {
    let longest = lists.iter().map(|l| l.len()).max().unwrap_or(0);
    (0..longest)
        .flat_map(|i| lists.iter().map(move |l| l[i % l.len()].clone()))
        .collect()
}

/// Calls in turn, reading memory when the count reaches each checkpoint.
fn calls_with_readings(
    server: &mut StdioServer,
    calls: &[ToolCall],
    checkpoints: &[usize],
) -> anyhow::Result<Vec<(String, Rss)>> {
    let mut readings = Vec::new();
    let mut made = 0;
    for &point in checkpoints {
        for call in calls.iter().cycle().skip(made).take(point - made) {
            server.call(call)?;
        }
        made = point;
        readings.push((
            format!("after {} calls", crate::stats::thousands(point as u64)),
            server.rss()?,
        ));
    }
    Ok(readings)
}

fn record(into: &mut Vec<(String, Vec<Rss>)>, readings: Vec<(String, Rss)>) {
    for (label, rss) in readings {
        match into.iter_mut().find(|(l, _)| *l == label) {
            Some((_, all)) => all.push(rss),
            None => into.push((label, vec![rss])),
        }
    }
}

impl Memory {
    /// Ours: the largest peak (VmHWM) of any round, and VmRSS (median over rounds) at the
    /// first call checkpoint and at the last, all in KiB.
    pub fn peak_and_growth(&self) -> Option<(f64, f64, f64)> {
        let peak = self
            .ours
            .iter()
            .flat_map(|(_, r)| r.iter().map(|x| x.peak_kib as f64))
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))))?;
        let calls: Vec<&(String, Vec<Rss>)> = self.ours.iter().filter(|(l, _)| l.ends_with(" calls")).collect();
        let current = |r: &[Rss]| Summary::of(&r.iter().map(|x| x.current_kib as f64).collect::<Vec<_>>());
        let first = current(&calls.first()?.1)?.median;
        let last = current(&calls.last()?.1)?.median;
        Some((peak, first, last))
    }

    /// The section for BENCHMARKS.md.
    pub fn markdown(&self) -> String {
        let rounds = self.ours.first().map_or(0, |(_, r)| r.len());
        let mut out = String::from("### Memory\n\n");
        out.push_str(&format!(
            "Command: `bench/run.sh --only memory`. {rounds} round(s), each with fresh processes; `VmRSS` (resident now) and `VmHWM` (peak resident) from `/proc/<pid>/status`, min / median / max over rounds; `VmRSS` split into pages mapped from files (`RssFile`: the executable's code and read-only data, which hold the compiled-in skill and index, and the shared libraries) and anonymous pages (`RssAnon`: heap, stacks, allocator arenas), medians. Ours makes mixed calls (search, read, table, route in turn); the floor makes as many `echo` calls.\n\n"
        ));
        out.push_str(
            "| server | when | VmRSS | of it: files / anonymous | VmHWM (peak) | peak / floor's |\n|---|---|---|---|---|---|\n",
        );
        for (server, readings) in [("floor", &self.floor), ("streaming-skill", &self.ours)] {
            for (label, all) in readings {
                let floor_peak = self
                    .floor
                    .iter()
                    .find(|(l, _)| l == label)
                    .and_then(|(_, r)| spread(r, |x| x.peak_kib))
                    .map(|s| s.median);
                let peak = spread(all, |x| x.peak_kib);
                let median = |field: fn(&Rss) -> u64| spread(all, field).map_or("-".into(), |s| mib(s.median));
                out.push_str(&format!(
                    "| {server} | {label} | {} | {} / {} | {} | {} |\n",
                    triple(spread(all, |x| x.current_kib)),
                    median(|x| x.file_kib),
                    median(|x| x.anon_kib),
                    triple(peak),
                    match (peak, floor_peak) {
                        (Some(p), Some(f)) => ratio(p.median, f),
                        _ => "-".into(),
                    }
                ));
            }
        }
        out
    }
}

fn spread(readings: &[Rss], field: fn(&Rss) -> u64) -> Option<Summary> {
    Summary::of(&readings.iter().map(|r| field(r) as f64).collect::<Vec<_>>())
}

fn triple(summary: Option<Summary>) -> String {
    summary.map_or("-".into(), |s| {
        if s.count == 1 {
            mib(s.median)
        } else {
            format!("{} / {} / {}", mib(s.min), mib(s.median), mib(s.max))
        }
    })
}
