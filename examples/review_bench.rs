//! Measures `review_config` on 200-line files: a Kafka broker's `server.properties` with a
//! comment above each setting, and a nested Flink `config.yaml` (both in examples/review_bench/).
//! The rule book is read once, as the server does; each review parses, looks up every key,
//! evaluates every rule and builds the findings.
//!
//! Run: `cargo run --release --example review_bench -- [ROUNDS]` (default 2000).

use std::time::{Duration, Instant};

use streaming_skill::review::{self, Delivery, Environment, ReviewInput, RuleBook, System};
use streaming_skill::skill::Skill;

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let skill = Skill::embedded().expect("embedded skill");
    let started = Instant::now();
    let book = RuleBook::load(&skill).expect("rules");
    println!(
        "rule book: {} rules read in {:.2} ms",
        book.rule_count(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/review_bench");
    for (file, system) in [
        ("server-200.properties", System::KafkaBroker),
        ("flink-200.yaml", System::Flink),
    ] {
        let config = std::fs::read_to_string(format!("{dir}/{file}")).expect("read the file");
        let input = ReviewInput {
            system,
            config,
            delivery: Some(Delivery::ExactlyOnce),
            environment: Some(Environment::Production),
        };
        let first = review::review(&book, &input).expect("review");
        let mut times: Vec<Duration> = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let started = Instant::now();
            std::hint::black_box(review::review(&book, &input).expect("review"));
            times.push(started.elapsed());
        }
        times.sort();
        let us = |d: Duration| d.as_secs_f64() * 1e6;
        println!(
            "{file} ({} lines, {} settings, {} findings): {} reviews, min {:.1} us, median {:.1} us, p99 {:.1} us",
            input.config.lines().count(),
            first.checked,
            first.findings.len(),
            times.len(),
            us(times[0]),
            us(times[times.len() / 2]),
            us(times[times.len() * 99 / 100]),
        );
    }
}
