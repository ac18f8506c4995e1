//! The targets, checked against the figures of this run.

use crate::cold_start::ColdStart;
use crate::latency::Latency;
use crate::memory::Memory;
use crate::stats::{mib, ms};

/// 30 MB (decimal), in KiB.
const MEMORY_TARGET_KIB: f64 = 30_000_000.0 / 1024.0;
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
            let first = cold.first_search_median();
            rows.push(target(
                "spawn to first `search_references` reply under 10 ms",
                ms(first),
                first < 10.0,
            ));
        }
        if let Some((search, floor)) = self.latency.as_ref().and_then(Latency::search_and_floor_medians) {
            rows.push(target(
                "`search_references` median within 3x the floor's trivial tool",
                format!("{} vs {} ({:.2}x)", ms(search), ms(floor), search / floor),
                search <= 3.0 * floor,
            ));
        }
        if let Some((peak, first, last)) = self.memory.as_ref().and_then(Memory::peak_and_growth) {
            rows.push(target(
                "peak RSS under 30 MB (28.6 MiB)",
                mib(peak),
                peak < MEMORY_TARGET_KIB,
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
