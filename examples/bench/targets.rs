//! The targets of issue 15, checked against the figures of this run: ratios against the floor
//! server measured in the same run, and memory bounds.

use crate::cold_start::ColdStart;
use crate::http::Http;
use crate::latency::Latency;
use crate::memory::Memory;
use crate::scale::Scale;
use crate::stats::{mib, ms};

/// Peak RSS over stdio for the embedded skill: 15 MiB, in KiB.
const STDIO_PEAK_KIB: f64 = 15.0 * 1024.0;
/// Peak RSS with 64 HTTP sessions: 25 MiB, in KiB.
const HTTP_64_PEAK_KIB: f64 = 25.0 * 1024.0;
/// A second spawn over the largest corpus answers its first search within this, in ms.
const CACHED_FIRST_SEARCH_MS: f64 = 100.0;
/// Growth of resident memory between the first and last memory checkpoint that still counts
/// as flat: 5%.
const FLAT_GROWTH: f64 = 0.05;

/// The figures the targets need, from the parts that ran.
#[derive(Debug, Default)]
pub struct Figures {
    /// Cold start, if it ran.
    pub cold: Option<ColdStart>,
    /// Latency, if it ran.
    pub latency: Option<Latency>,
    /// Memory, if it ran.
    pub memory: Option<Memory>,
    /// HTTP, if it ran.
    pub http: Option<Http>,
    /// Scale, if it ran.
    pub scale: Option<Scale>,
}

impl Figures {
    /// The targets table (only the targets whose parts ran).
    pub fn markdown(&self) -> String {
        let mut rows = Vec::new();
        if let Some(cold) = &self.cold {
            let (floor, ours) = cold.initialize_medians();
            rows.push(target(
                "spawn to `initialize` reply within 2x the floor",
                format!("{} vs {} ({:.2}x)", ms(ours), ms(floor), ours / floor),
                ours <= 2.0 * floor,
            ));
            let (first, floor_first) = (cold.first_search_median(), cold.floor_first_reply_median());
            rows.push(target(
                "spawn to first `search_references` reply within 2x the floor's spawn to first `echo` reply",
                format!("{} vs {} ({:.2}x)", ms(first), ms(floor_first), first / floor_first),
                first <= 2.0 * floor_first,
            ));
            if let Some((version, search)) = cold.cli_medians() {
                rows.push(target(
                    "`streaming-skill search \"...\"`, whole process, within 3x of `streaming-skill --version`",
                    format!("{} vs {} ({:.2}x)", ms(search), ms(version), search / version),
                    search <= 3.0 * version,
                ));
            }
        }
        if let Some((search, floor)) = self.latency.as_ref().and_then(Latency::search_and_floor_medians) {
            rows.push(target(
                "`search_references` median over stdio within 2x the floor's `echo`",
                format!("{} vs {} ({:.2}x)", ms(search), ms(floor), search / floor),
                search <= 2.0 * floor,
            ));
        }
        if let Some((peak, first, last)) = self.memory.as_ref().and_then(Memory::peak_and_growth) {
            rows.push(target(
                "peak RSS over stdio, embedded skill, at most 15 MiB",
                mib(peak),
                peak <= STDIO_PEAK_KIB,
            ));
            rows.push(target(
                "RSS does not grow with calls (VmRSS up less than 5% from 1,000 calls to the last checkpoint)",
                format!(
                    "{} -> {} ({:+.1}%)",
                    mib(first),
                    mib(last),
                    (last / first.max(1.0) - 1.0) * 100.0
                ),
                last <= first * (1.0 + FLAT_GROWTH),
            ));
        }
        if let Some(peak) = self.http.as_ref().and_then(|h| h.session_peak_kib(64)) {
            rows.push(target(
                "peak RSS with 64 HTTP sessions at most 25 MiB",
                mib(peak),
                peak <= HTTP_64_PEAK_KIB,
            ));
        }
        if let Some((factor, cached)) = self.scale.as_ref().and_then(Scale::largest_cached_first_reply) {
            rows.push(target(
                &format!("{factor}x corpus, a later spawn (index cached): spawn to first search reply within 100 ms"),
                ms(cached),
                cached <= CACHED_FIRST_SEARCH_MS,
            ));
        }
        if rows.is_empty() {
            return String::new();
        }
        format!(
            "### Targets\n\n| target | this run | met |\n|---|---|---|\n{}",
            rows.concat()
        )
    }
}

fn target(what: &str, figure: String, met: bool) -> String {
    format!("| {what} | {figure} | {} |\n", if met { "yes" } else { "no" })
}
