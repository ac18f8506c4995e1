//! Scale: the server over synthetic skill folders 1x, 10x and 100x the embedded skill
//! (`--skill-dir`), timing start-up, the first search (which builds the index) and later
//! searches, and reading memory; then how each cost grows with the corpus.

use std::time::Duration;

use anyhow::Context;
use streaming_skill::skill::Skill;

use crate::corpus::{self, Corpus};
use crate::machine::Rss;
use crate::stats::{Summary, growth_exponent, mib, ms, thousands};
use crate::stdio::StdioServer;
use crate::workload::Workload;
use crate::{Plan, Servers};

/// The measurements of one corpus size.
#[derive(Debug)]
struct Size {
    corpus: Corpus,
    sections: usize,
    initialize: Vec<Duration>,
    first_reply: Vec<Duration>,
    first_search: Vec<Duration>,
    /// Spawn to first search reply in spawns after the first, which find the index cached.
    cached_first_reply: Vec<Duration>,
    /// Bytes of the index cache folder after the spawns.
    cache_bytes: u64,
    searches: Vec<Duration>,
    after_start: Vec<Rss>,
    after_searches: Vec<Rss>,
}

/// Every corpus size measured.
#[derive(Debug, Default)]
pub struct Scale {
    sizes: Vec<Size>,
    searches_per_spawn: usize,
}

/// Generates each corpus into a temporary folder and measures the server over it.
pub fn run(plan: &Plan, servers: &Servers, workload: &Workload) -> anyhow::Result<Scale> {
    let root = tempfile::tempdir().context("a temporary folder for the corpora")?;
    let mut scale = Scale {
        searches_per_spawn: plan.scale_searches,
        ..Default::default()
    };
    for &factor in &plan.scale {
        eprintln!("bench:   {factor}x: generating");
        let corpus = corpus::generate(root.path(), factor)?;
        let sections = section_count(&corpus)?;
        let mut size = Size {
            corpus,
            sections,
            initialize: Vec::new(),
            first_reply: Vec::new(),
            first_search: Vec::new(),
            cached_first_reply: Vec::new(),
            cache_bytes: 0,
            searches: Vec::new(),
            after_start: Vec::new(),
            after_searches: Vec::new(),
        };
        let dir = size.corpus.dir.to_string_lossy().into_owned();
        // A cache folder of this size's own: the first spawn builds and stores the index, the
        // later ones open it.
        let cache = root.path().join(format!("cache-{factor}x"));
        let cache = cache.to_string_lossy().into_owned();
        let server = servers
            .ours
            .with_args(&["--skill-dir", dir.as_str(), "--index-cache", cache.as_str()]);
        for spawn in 0..plan.scale_spawns {
            eprintln!("bench:   {factor}x: spawn {}", spawn + 1);
            let mut process = StdioServer::spawn(&server)?;
            let spawned = process.spawned_at();
            size.initialize.push(process.initialize()? - spawned);
            size.after_start.push(process.rss()?);
            let first_search = process.call(&workload.search[0])?;
            if spawn == 0 {
                size.first_search.push(first_search);
                size.first_reply.push(process.last_reply_at() - spawned);
            } else {
                size.cached_first_reply.push(process.last_reply_at() - spawned);
            }
            for call in workload.search.iter().cycle().skip(1).take(plan.scale_searches) {
                size.searches.push(process.call(call)?);
            }
            size.after_searches.push(process.rss()?);
            process.close()?;
        }
        size.cache_bytes = folder_bytes(std::path::Path::new(&cache));
        scale.sizes.push(size);
        // Free the disk as we go: 100x is about 25 MB.
        let _ = std::fs::remove_dir_all(&scale.sizes[scale.sizes.len() - 1].corpus.dir);
    }
    Ok(scale)
}

/// The bytes of every file under `dir`.
fn folder_bytes(dir: &std::path::Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// Sections over all documents, as the server's parser sees them.
fn section_count(corpus: &Corpus) -> anyhow::Result<usize> {
    let skill = Skill::from_dir(&corpus.dir).context("loading the synthetic skill")?;
    Ok(skill
        .documents()
        .context("parsing the synthetic skill")?
        .iter()
        .map(|d| d.markdown.sections.len())
        .sum())
}

/// The medians a growth table compares.
struct Medians {
    sections: f64,
    initialize: f64,
    build: f64,
    search: f64,
    peak_kib: f64,
}

impl Size {
    fn row(&self) -> String {
        let triple = |samples: &[Duration]| {
            Summary::of_ms(samples).map_or("-".into(), |s| {
                format!("{} / {} / {}", ms(s.min), ms(s.median), ms(s.max))
            })
        };
        let builds: Vec<f64> = match Summary::of_ms(&self.searches) {
            Some(search) => self
                .first_search
                .iter()
                .map(|d| d.as_secs_f64() * 1e3 - search.median)
                .collect(),
            None => Vec::new(),
        };
        let build = Summary::of(&builds).map_or("-".into(), |s| {
            format!("{} / {} / {}", ms(s.min), ms(s.median), ms(s.max))
        });
        let search = Summary::of_ms(&self.searches).map_or("-".into(), |s| format!("{} / {}", ms(s.median), ms(s.p99)));
        let rss = |readings: &[Rss], field: fn(&Rss) -> u64| {
            Summary::of(&readings.iter().map(|r| field(r) as f64).collect::<Vec<_>>())
                .map_or("-".into(), |s| mib(s.median))
        };
        format!(
            "| {}x | {} | {} | {:.1} | {} | {} | {} | {build} | {} | {} | {search} | {} | {} |\n",
            self.corpus.factor,
            thousands(self.corpus.documents as u64),
            thousands(self.sections as u64),
            self.corpus.bytes as f64 / (1024.0 * 1024.0),
            thousands(self.corpus.words as u64),
            thousands(self.corpus.distinct_words as u64),
            triple(&self.initialize),
            triple(&self.first_reply),
            triple(&self.cached_first_reply),
            rss(&self.after_start, |r| r.current_kib),
            rss(&self.after_searches, |r| r.peak_kib),
        )
    }

    fn medians(&self) -> Option<Medians> {
        let search = Summary::of_ms(&self.searches)?.median;
        Some(Medians {
            sections: self.sections as f64,
            initialize: Summary::of_ms(&self.initialize)?.median,
            build: Summary::of_ms(&self.first_search)?.median - search,
            search,
            peak_kib: Summary::of(
                &self
                    .after_searches
                    .iter()
                    .map(|r| r.peak_kib as f64)
                    .collect::<Vec<_>>(),
            )?
            .median,
        })
    }
}

impl Scale {
    /// The largest size's factor and its median spawn-to-first-search time with the index cached.
    pub fn largest_cached_first_reply(&self) -> Option<(usize, f64)> {
        let size = self.sizes.last()?;
        Some((size.corpus.factor, Summary::of_ms(&size.cached_first_reply)?.median))
    }

    /// The section for BENCHMARKS.md.
    pub fn markdown(&self) -> String {
        let spawns = self.sizes.first().map_or(0, |s| s.initialize.len());
        let factors: Vec<String> = self.sizes.iter().map(|s| format!("{}x", s.corpus.factor)).collect();
        let mut out = format!("### Scale: {} the embedded corpus\n\n", factors.join(", "));
        out.push_str(&format!(
            "Command: `bench/run.sh --only scale`. Synthetic skill folders (examples/bench/corpus.rs): the embedded skill plus N-1 copies of each of its documents, a third of each copy's words of four letters or more renamed to made-up words from a pool that grows with the square root of N, so vocabulary grows as in a real corpus. The server runs with `--skill-dir`; {spawns} spawn(s) per size, {} searches per spawn after the first; min / median / max over spawns. \"Index build\" is the first search's round trip minus the median later search: what the first caller waits for.\n\n",
            self.searches_per_spawn
        ));
        out.push_str("| corpus | documents | sections | MiB | words | distinct words | spawn to `initialize` | index build (first search - later) | first search reply from spawn (first spawn) | first search reply from spawn (later spawns, index cached) | search median / p99 | RSS after start | peak RSS after searches |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for size in &self.sizes {
            out.push_str(&size.row());
        }
        let cache: Vec<String> = self
            .sizes
            .iter()
            .map(|s| {
                format!(
                    "{}x {:.1} MiB",
                    s.corpus.factor,
                    s.cache_bytes as f64 / (1024.0 * 1024.0)
                )
            })
            .collect();
        out.push_str(&format!(
            "\nIndex cache on disk after the spawns: {}.\n",
            cache.join(", ")
        ));
        out.push_str(&self.growth());
        out
    }

    /// How each cost grows from one size to the next, as a ratio and as the exponent b in
    /// cost ~ sections^b.
    fn growth(&self) -> String {
        let medians: Vec<(usize, Medians)> = self
            .sizes
            .iter()
            .filter_map(|s| Some((s.corpus.factor, s.medians()?)))
            .collect();
        if medians.len() < 2 {
            return String::new();
        }
        let mut out = String::from(
            "\nGrowth between sizes (medians; b is the exponent in cost ~ sections^b: 1 is linear, below 1 sublinear):\n\n| from | to | sections x | initialize x (b) | index build x (b) | search x (b) | peak RSS x (b) |\n|---|---|---|---|---|---|---|\n",
        );
        for pair in medians.windows(2) {
            let ((from, a), (to, b)) = (&pair[0], &pair[1]);
            let cell = |x: f64, y: f64| format!("{:.1}x ({:.2})", y / x, growth_exponent(a.sections, x, b.sections, y));
            out.push_str(&format!(
                "| {from}x | {to}x | {:.1}x | {} | {} | {} | {} |\n",
                b.sections / a.sections,
                cell(a.initialize, b.initialize),
                cell(a.build, b.build),
                cell(a.search, b.search),
                cell(a.peak_kib, b.peak_kib),
            ));
        }
        out
    }
}
