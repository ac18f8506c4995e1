//! The benchmarks of the issue "benchmarks", in one program: cold start, tool-call latency over
//! stdio, memory, HTTP throughput and corpus scale, each against a floor (a minimal rmcp server,
//! `examples/floor_server.rs`) measured in the same run. Prints Markdown for BENCHMARKS.md.
//!
//! Run everything with `bench/run.sh` (it builds the release binaries first, then runs this
//! program with the arguments given, e.g. `bench/run.sh --quick` or `bench/run.sh --only http`).
//! The program spawns `target/release/streaming-skill` and `target/release/examples/floor_server`
//! from the folder it was built into; it builds nothing itself.

mod cold_start;
mod corpus;
mod http;
mod latency;
mod machine;
mod memory;
mod scale;
mod stats;
mod stdio;
mod targets;
mod workload;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Parser, ValueEnum};

use stdio::ServerCommand;
use workload::Workload;

/// Benchmarks streaming-skill against a minimal rmcp server (the floor) and prints Markdown.
#[derive(Debug, Parser)]
#[command(name = "bench")]
struct Options {
    /// Small repetition counts: proves the harness runs; the figures are not worth reporting.
    #[arg(long)]
    quick: bool,
    /// Run only these parts (repeatable or comma-separated); all when omitted.
    #[arg(long, value_delimiter = ',')]
    only: Vec<Part>,
    /// Cold start: spawns of each server (alternating floor and ours) [default: 30; quick 6].
    #[arg(long)]
    spawns: Option<usize>,
    /// Rounds of the latency, memory and HTTP runs, each with fresh processes [default: 3; quick 1].
    #[arg(long)]
    rounds: Option<usize>,
    /// Latency: sequential calls per tool and round [default: 1000; quick 200].
    #[arg(long)]
    calls: Option<usize>,
    /// Memory: mixed calls after start-up, with RSS read at 1k, 2k, 5k and 10k [default: 10000; quick 2000].
    #[arg(long)]
    memory_calls: Option<usize>,
    /// HTTP: seconds measured per server, mode and concurrency, after 0.5 s of warm-up [default: 5; quick 1].
    #[arg(long)]
    http_secs: Option<f64>,
    /// HTTP: concurrent clients [default: 1,8,64].
    #[arg(long, value_delimiter = ',')]
    clients: Vec<usize>,
    /// Scale: corpus sizes as multiples of the embedded skill [default: 1,10,100; quick 1,10].
    #[arg(long, value_delimiter = ',')]
    scale: Vec<usize>,
    /// Scale: spawns per corpus size [default: 3; quick 1].
    #[arg(long)]
    scale_spawns: Option<usize>,
    /// Scale: sequential searches per spawn [default: 200; quick 50].
    #[arg(long)]
    scale_searches: Option<usize>,
}

/// The parts of the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Part {
    /// Spawn to the initialize reply and to the first search reply.
    Cold,
    /// Sequential tool calls over stdio.
    Latency,
    /// Resident memory after start and after many calls.
    Memory,
    /// Requests per second and latency over Streamable HTTP.
    Http,
    /// Index build, search and memory with 1x, 10x, 100x the corpus.
    Scale,
}

/// The resolved repetition counts.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Cold-start spawns per server.
    pub spawns: usize,
    /// Rounds of latency, memory and HTTP.
    pub rounds: usize,
    /// Latency calls per tool and round.
    pub calls: usize,
    /// Memory-run calls.
    pub memory_calls: usize,
    /// HTTP seconds per measurement.
    pub http_secs: f64,
    /// HTTP concurrency levels.
    pub clients: Vec<usize>,
    /// Scale factors.
    pub scale: Vec<usize>,
    /// Spawns per scale factor.
    pub scale_spawns: usize,
    /// Searches per scale spawn.
    pub scale_searches: usize,
}

impl Plan {
    /// The counts, for the report.
    fn describe(&self) -> String {
        format!(
            "{} cold-start spawns per server; {} round(s) of latency ({} calls per tool), memory ({} calls) and HTTP ({} s per cell, clients {:?}); scale {:?} with {} spawn(s) of {} searches each",
            self.spawns,
            self.rounds,
            self.calls,
            self.memory_calls,
            self.http_secs,
            self.clients,
            self.scale,
            self.scale_spawns,
            self.scale_searches
        )
    }
}

impl Options {
    fn plan(&self) -> Plan {
        let pick =
            |given: Option<usize>, full: usize, quick: usize| given.unwrap_or(if self.quick { quick } else { full });
        let list = |given: &[usize], full: &[usize], quick: &[usize]| {
            if !given.is_empty() {
                given.to_vec()
            } else if self.quick {
                quick.to_vec()
            } else {
                full.to_vec()
            }
        };
        Plan {
            spawns: pick(self.spawns, 30, 6).max(1),
            rounds: pick(self.rounds, 3, 1).max(1),
            calls: pick(self.calls, 1000, 200).max(1),
            memory_calls: pick(self.memory_calls, 10_000, 2_000).max(1),
            http_secs: self.http_secs.unwrap_or(if self.quick { 1.0 } else { 5.0 }).max(0.1),
            clients: list(&self.clients, &[1, 8, 64], &[1, 8, 64]),
            scale: list(&self.scale, &[1, 10, 100], &[1, 10]),
            scale_spawns: pick(self.scale_spawns, 3, 1).max(1),
            scale_searches: pick(self.scale_searches, 200, 50).max(1),
        }
    }

    fn runs(&self, part: Part) -> bool {
        self.only.is_empty() || self.only.contains(&part)
    }
}

/// The two servers under test.
pub struct Servers {
    /// `streaming-skill` (stdio by default; `serve --http` for HTTP).
    pub ours: ServerCommand,
    /// `examples/floor_server`.
    pub floor: ServerCommand,
}

impl Servers {
    /// The release binaries next to this program: `target/release/streaming-skill` and
    /// `target/release/examples/floor_server`.
    fn locate() -> anyhow::Result<Self> {
        let exe = std::env::current_exe().context("cannot find this program's path")?;
        let examples = exe.parent().context("this program has no folder")?;
        let release = examples
            .parent()
            .context("this program is not under target/<profile>/examples")?;
        let ours = release.join("streaming-skill");
        let floor = examples.join("floor_server");
        for binary in [&ours, &floor] {
            if !binary.is_file() {
                bail!(
                    "{} is missing: build with `cargo build --release --bins --examples` first (bench/run.sh does)",
                    binary.display()
                );
            }
        }
        Ok(Self {
            ours: command(ours),
            floor: command(floor),
        })
    }
}

fn command(program: PathBuf) -> ServerCommand {
    ServerCommand {
        program,
        args: Vec::new(),
    }
}

fn main() -> ExitCode {
    let options = Options::parse();
    match run(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options) -> anyhow::Result<()> {
    if cfg!(debug_assertions) {
        bail!("this is a debug build: timings would be meaningless; run bench/run.sh (release)");
    }
    let started = Instant::now();
    let plan = options.plan();
    let servers = Servers::locate()?;
    let workload = Workload::new()?;
    let mut figures = targets::Figures::default();
    println!("## Benchmarks: streaming-skill against a minimal rmcp server (the floor)\n");
    println!(
        "Command: `bench/run.sh{}` (builds the release binaries, then runs `target/release/examples/bench` with these arguments).\n",
        std::env::args().skip(1).map(|a| format!(" {a}")).collect::<String>()
    );
    println!("Machine: {}.\n", machine::describe());
    println!("Plan: {}.\n", plan.describe());
    println!("Workload: {}.\n", workload.describe());
    if options.runs(Part::Cold) {
        eprintln!("bench: cold start ({} spawns of each server)", plan.spawns);
        let cold = cold_start::run(&plan, &servers, &workload)?;
        println!("{}", cold.markdown());
        figures.cold = Some(cold);
    }
    if options.runs(Part::Latency) {
        eprintln!(
            "bench: latency ({} rounds of {} calls per tool)",
            plan.rounds, plan.calls
        );
        let latency = latency::run(&plan, &servers, &workload)?;
        println!("{}", latency.markdown());
        figures.latency = Some(latency);
    }
    if options.runs(Part::Memory) {
        eprintln!("bench: memory ({} rounds of {} calls)", plan.rounds, plan.memory_calls);
        let memory = memory::run(&plan, &servers, &workload)?;
        println!("{}", memory.markdown());
        figures.memory = Some(memory);
    }
    if options.runs(Part::Http) {
        eprintln!(
            "bench: HTTP ({} rounds, {} s per measurement)",
            plan.rounds, plan.http_secs
        );
        let http = http::run(&plan, &servers, &workload)?;
        println!("{}", http.markdown());
        figures.http = Some(http);
    }
    if options.runs(Part::Scale) {
        eprintln!("bench: scale ({:?})", plan.scale);
        let scale = scale::run(&plan, &servers, &workload)?;
        println!("{}", scale.markdown());
        figures.scale = Some(scale);
    }
    println!("{}", figures.markdown());
    println!(
        "Whole run: {:.0} s; load average at the end {}.",
        started.elapsed().as_secs_f64(),
        machine::load_average()
    );
    Ok(())
}
