//! Measures search-index build time and search latency for the embedded skill and for synthetic
//! corpora that repeat it N times (each copy with its own document names and a copy marker in
//! every heading and paragraph, so the vocabulary grows too).
//!
//! Run: `cargo run --release --example index_build -- [RUNS] [FACTOR...]`
//! (defaults: 15 runs, factors 1 and 50).

use std::sync::Arc;
use std::time::{Duration, Instant};

use streaming_skill::search::{SearchIndex, SearchRequest};
use streaming_skill::skill::{Document, Skill};

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(15);
    let factors: Vec<usize> = args.filter_map(|a| a.parse().ok()).collect();
    let factors = if factors.is_empty() { vec![1, 50] } else { factors };
    let skill = Skill::embedded().expect("embedded skill");
    let documents = skill.documents().expect("documents");
    println!("| corpus | documents | sections | words | build min | build median | build max | search median |");
    println!("|---|---|---|---|---|---|---|---|");
    for factor in factors {
        let corpus = synthetic(&documents, factor);
        let words: usize = corpus.iter().map(|d| d.source.split_whitespace().count()).sum();
        let mut builds = Vec::with_capacity(runs);
        let mut index = None;
        for _ in 0..runs {
            let started = Instant::now();
            let built = SearchIndex::build_from(corpus.iter().map(|d| ("streaming-data-skill", d))).expect("index");
            builds.push(started.elapsed());
            index = Some(built);
        }
        let index = index.expect("at least one run");
        let queries = [
            "consumer lag",
            "exactly once kafka transactions",
            "watermark late data",
            "snowpipe streaming offset token",
            "idempotant consumer",
        ];
        let mut searches = Vec::new();
        for _ in 0..runs {
            for query in queries {
                let started = Instant::now();
                index
                    .search(&SearchRequest {
                        query,
                        limit: 5,
                        ..Default::default()
                    })
                    .expect("search");
                searches.push(started.elapsed());
            }
        }
        builds.sort();
        searches.sort();
        println!(
            "| {factor}x | {} | {} | {words} | {} | {} | {} | {} |",
            corpus.len(),
            index.len(),
            ms(builds[0]),
            ms(builds[builds.len() / 2]),
            ms(builds[builds.len() - 1]),
            ms(searches[searches.len() / 2]),
        );
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// `factor` copies of every document; copy `i` gets names and a marker word of its own.
fn synthetic(documents: &[Arc<Document>], factor: usize) -> Vec<Document> {
    let mut out = Vec::with_capacity(documents.len() * factor);
    for copy in 0..factor {
        for doc in documents {
            let text = if copy == 0 {
                doc.source.clone()
            } else {
                doc.source
                    .lines()
                    .map(|line| {
                        if line.starts_with('#') || line.len() > 40 {
                            format!("{line} copy{copy}")
                        } else {
                            line.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            let name = format!("{}-{copy}", doc.name);
            out.push(Document::parse(&format!("references/{name}.md"), &name, text.into_bytes()).expect("parse"));
        }
    }
    out
}
