//! Measures routing latency: every request of a labelled set, routed many times.
//!
//! Run: `cargo run --release --example route_bench -- [FILE.jsonl] [ROUNDS]`
//! (defaults: tests/routing/cases.jsonl, 20 rounds).

use std::time::{Duration, Instant};

use streaming_skill::routing::Router;
use streaming_skill::routing::eval::parse_cases;
use streaming_skill::skill::Skill;

fn main() {
    let mut args = std::env::args().skip(1);
    let file = args.next().unwrap_or_else(|| "tests/routing/cases.jsonl".into());
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let cases = parse_cases(&std::fs::read_to_string(&file).expect("read the cases")).expect("parse the cases");
    let skill = Skill::embedded().expect("embedded skill");
    let started = Instant::now();
    let router = Router::from_skill(&skill).expect("rules");
    let derive = started.elapsed();
    let mut times: Vec<Duration> = Vec::with_capacity(cases.len() * rounds);
    for _ in 0..rounds {
        for case in &cases {
            let started = Instant::now();
            std::hint::black_box(router.route(&case.text));
            times.push(started.elapsed());
        }
    }
    times.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!("rules derived in {:.2} ms", derive.as_secs_f64() * 1e3);
    println!(
        "route: {} calls, min {:.1} us, median {:.1} us, p99 {:.1} us, max {:.1} us",
        times.len(),
        us(times[0]),
        us(times[times.len() / 2]),
        us(times[times.len() * 99 / 100]),
        us(times[times.len() - 1])
    );
}
