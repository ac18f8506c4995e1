//! Measures search latency in process over the embedded skill's index as the server opens it
//! (compiled in, with its questions and thesaurus), for the queries of search sets: short
//! keywords, plain-language sentences and pasted exceptions alike.
//!
//! Run: `cargo run --release --example search_latency -- [ROUNDS] [FILE.jsonl...]`
//! (defaults: 20 rounds over `tests/search/*.jsonl`). Each line's `query` is searched for the top
//! ten hits, as `search --eval` does.

use std::time::{Duration, Instant};

use streaming_skill::search::cache::{self, IndexCache};
use streaming_skill::search::{SearchRequest, eval};
use streaming_skill::skill::Skill;

fn main() {
    let mut args = std::env::args().skip(1);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mut files: Vec<String> = args.collect();
    if files.is_empty() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/search");
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .expect("tests/search")
            .flatten()
            .map(|e| e.path().display().to_string())
            .filter(|p| p.ends_with(".jsonl"))
            .collect();
        found.sort();
        files = found;
    }
    let mut queries = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read a set");
        queries.extend(
            eval::parse_cases(&text)
                .expect("a valid set")
                .into_iter()
                .map(|c| c.query),
        );
    }
    let skill = Skill::embedded().expect("embedded skill");
    let started = Instant::now();
    let index = cache::open(&[&skill], &IndexCache::Off).expect("index");
    let open = started.elapsed();
    let mut times: Vec<Duration> = Vec::with_capacity(rounds * queries.len());
    for _ in 0..rounds {
        for query in &queries {
            let started = Instant::now();
            index
                .search(&SearchRequest {
                    query,
                    limit: eval::DEPTH,
                    ..Default::default()
                })
                .expect("search");
            times.push(started.elapsed());
        }
    }
    times.sort();
    let at = |q: f64| ms(times[((times.len() - 1) as f64 * q) as usize]);
    println!(
        "{} queries x {rounds} rounds, index opened in {} ({:?}): median {}, p90 {}, p99 {}, max {}",
        queries.len(),
        ms(open),
        index.origin(),
        at(0.5),
        at(0.9),
        at(0.99),
        at(1.0)
    );
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}
