//! Order statistics over measured durations and sizes, and how they are printed.

use std::time::Duration;

/// Min, median, p99 and max of a set of samples, and how many there were.
#[derive(Debug, Clone, Copy)]
pub struct Summary {
    /// How many samples.
    pub count: usize,
    /// The smallest.
    pub min: f64,
    /// The median (the upper one of an even count).
    pub median: f64,
    /// The 99th percentile (nearest rank).
    pub p99: f64,
    /// The largest.
    pub max: f64,
}

impl Summary {
    /// Summarises `samples` (any unit); `None` when there are none.
    pub fn of(samples: &[f64]) -> Option<Self> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Self {
            count: sorted.len(),
            min: sorted[0],
            median: sorted[sorted.len() / 2],
            p99: percentile(&sorted, 99.0),
            max: sorted[sorted.len() - 1],
        })
    }

    /// Summarises durations, in milliseconds.
    pub fn of_ms(samples: &[Duration]) -> Option<Self> {
        Self::of(&samples.iter().map(|d| d.as_secs_f64() * 1e3).collect::<Vec<_>>())
    }
}

/// The nearest-rank percentile `p` (0-100) of sorted samples.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Milliseconds with precision that suits their size: `0.041 ms`, `3.27 ms`, `1,311 ms`.
pub fn ms(value: f64) -> String {
    if value < 1.0 {
        format!("{value:.3} ms")
    } else if value < 100.0 {
        format!("{value:.2} ms")
    } else {
        format!("{} ms", thousands(value.round() as u64))
    }
}

/// A ratio to the floor: `1.43x`.
pub fn ratio(value: f64, floor: f64) -> String {
    if floor > 0.0 {
        format!("{:.2}x", value / floor)
    } else {
        "-".into()
    }
}

/// Mebibytes from kibibytes: `7.4 MiB`.
pub fn mib(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
}

/// An integer with thousands separators: `1,311`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The local exponent `b` in `cost = a * size^b` between two points: 1 is linear growth,
/// below 1 sublinear, above 1 superlinear.
pub fn growth_exponent(size_from: f64, cost_from: f64, size_to: f64, cost_to: f64) -> f64 {
    (cost_to / cost_from).ln() / (size_to / size_from).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_uses_nearest_rank() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Summary::of(&samples).expect("samples");
        assert_eq!((s.min, s.median, s.p99, s.max), (1.0, 51.0, 99.0, 100.0));
    }

    #[test]
    fn thousands_separates() {
        assert_eq!(thousands(1_311), "1,311");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
