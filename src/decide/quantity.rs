//! Reads the quantities written in the skill's tables and prose: alert thresholds
//! (`> 1M messages or > 5 min`, `< 50% baseline`, `> 2x interval`), latency classes
//! (`Milliseconds-seconds`, `ms`) and sizes (`Under 5 GB`).

/// Which side of a threshold alerts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// Alert above the value.
    Above,
    /// Alert below the value.
    Below,
}

/// What a threshold's number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A count of messages or records.
    Messages,
    /// A duration, in seconds.
    Seconds,
    /// A share: `50%` is 0.5.
    Fraction,
    /// A multiple of something: `2x` is 2.
    Multiple,
    /// A bare number.
    Number,
}

/// One comparison of a threshold: `> 5 min` is `Above 300 Seconds`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    /// Above or below.
    pub comparison: Comparison,
    /// The value, in the unit's base (seconds, a fraction, a count).
    pub value: f64,
    /// What it counts.
    pub unit: Unit,
}

impl Condition {
    /// True when `observed` crosses the threshold.
    pub fn crossed_by(&self, observed: f64) -> bool {
        match self.comparison {
            Comparison::Above => observed > self.value,
            Comparison::Below => observed < self.value,
        }
    }
}

/// A threshold cell of the monitoring table.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// Its comparisons, any of which alerts.
    pub conditions: Vec<Condition>,
    /// It says it applies to critical pipelines only.
    pub critical_only: bool,
    /// It says the condition must be sustained.
    pub sustained: bool,
    /// The cell as written.
    pub text: String,
}

impl Threshold {
    /// The condition in `unit`, if the threshold has one.
    pub fn condition(&self, unit: Unit) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.unit == unit)
    }
}

/// Parses a threshold cell. `Err` says what could not be read.
pub fn parse_threshold(text: &str) -> Result<Threshold, String> {
    let lower = text.to_lowercase();
    let mut conditions = Vec::new();
    for part in lower.split(" or ") {
        let Some(at) = part.find(['>', '<']) else {
            continue;
        };
        let comparison = if part[at..].starts_with('>') {
            Comparison::Above
        } else {
            Comparison::Below
        };
        let rest = part[at + 1..].trim_start_matches(['=', ' ']);
        let (number, after) =
            leading_number(rest).ok_or_else(|| format!("no number after the comparison in {text:?}"))?;
        let (value, unit) = scale(number, after);
        conditions.push(Condition {
            comparison,
            value,
            unit,
        });
    }
    if conditions.is_empty() {
        return Err(format!("no comparison (> or <) in {text:?}"));
    }
    Ok(Threshold {
        conditions,
        critical_only: lower.contains("critical"),
        sustained: lower.contains("sustained"),
        text: text.to_string(),
    })
}

/// The number at the start of `text` and what follows it.
fn leading_number(text: &str) -> Option<(f64, &str)> {
    let text = text.trim_start();
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(text.len(), |(i, _)| i);
    let number: f64 = text[..end].replace(',', "").parse().ok()?;
    Some((number, &text[end..]))
}

/// Applies the suffix after a number: `M`, `K`, `%`, `x`, or a time unit word.
fn scale(number: f64, after: &str) -> (f64, Unit) {
    let after = after.trim_start();
    if after.starts_with('%') {
        return (number / 100.0, Unit::Fraction);
    }
    if after.starts_with('x') && !after[1..].starts_with(|c: char| c.is_alphabetic()) {
        return (number, Unit::Multiple);
    }
    let word: String = after.chars().take_while(|c| c.is_alphabetic()).collect();
    let word = word.to_lowercase();
    let (multiplier, rest) = match word.as_str() {
        "k" => (1e3, after[1..].trim_start()),
        "m" if !after[1..].trim_start().starts_with("in") && !after.starts_with("ms") => (1e6, after[1..].trim_start()),
        "b" => (1e9, after[1..].trim_start()),
        _ => (1.0, after),
    };
    let next: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    if let Some(seconds) = seconds_per(&next) {
        return (number * multiplier * seconds, Unit::Seconds);
    }
    if next.starts_with("message") || next.starts_with("record") || next.starts_with("event") {
        return (number * multiplier, Unit::Messages);
    }
    (number * multiplier, Unit::Number)
}

/// Seconds in one of the time unit named by `word` (`ms`, `s`, `min`, `hours`, ...).
pub fn seconds_per(word: &str) -> Option<f64> {
    if word.is_empty() {
        return None;
    }
    let word = word.to_lowercase();
    let word = word.trim_end_matches('s');
    Some(match word {
        "m" | "millisecond" => 0.001, // "ms" with its s trimmed
        "" | "sec" | "second" => 1.0,
        "min" | "minute" => 60.0,
        "h" | "hr" | "hour" => 3_600.0,
        "d" | "day" => 86_400.0,
        "week" => 604_800.0,
        _ => return None,
    })
}

/// The time units in order, for latency classes.
const LADDER: [(&str, f64); 5] = [
    ("millisecond", 0.001),
    ("second", 1.0),
    ("minute", 60.0),
    ("hour", 3_600.0),
    ("day", 86_400.0),
];

/// A latency class: what a design can achieve, from `min_seconds` up to (not including)
/// `max_seconds`, which is infinite for the slowest class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatencyRange {
    /// The fastest it gets.
    pub min_seconds: f64,
    /// The slowest it is meant for.
    pub max_seconds: f64,
}

impl LatencyRange {
    /// True when `target` seconds falls in the class.
    pub fn contains(&self, target: f64) -> bool {
        target >= self.min_seconds && target < self.max_seconds
    }
}

/// Parses `Milliseconds-seconds`, `Hours-days`, `ms`, `seconds`: from one of the first unit up
/// to one of the unit above the last.
pub fn parse_latency(text: &str) -> Result<LatencyRange, String> {
    let rank = |word: &str| -> Option<usize> {
        let w = word.trim().to_lowercase();
        let w = if w == "ms" { "millisecond".to_string() } else { w };
        let w = w.trim_end_matches('s');
        LADDER
            .iter()
            .position(|(name, _)| *name == w || (w.len() >= 3 && name.starts_with(w)))
    };
    let mut parts = text.split(['-', '–']).map(str::trim).filter(|p| !p.is_empty());
    let first = parts.next().ok_or_else(|| format!("empty latency {text:?}"))?;
    let last = parts.next_back().unwrap_or(first);
    let low = rank(first).ok_or_else(|| format!("unknown time unit {first:?} in {text:?}"))?;
    let high = rank(last).ok_or_else(|| format!("unknown time unit {last:?} in {text:?}"))?;
    Ok(LatencyRange {
        min_seconds: LADDER[low].1,
        max_seconds: LADDER.get(high + 1).map_or(f64::INFINITY, |(_, s)| *s),
    })
}

/// The first size in gigabytes in `text` (`Under 5 GB` is 5, `500 MB` is 0.5), if any.
pub fn first_size_gb(text: &str) -> Option<f64> {
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let (number, after) = leading_number(&rest[start..])?;
        let unit: String = after.trim_start().chars().take_while(|c| c.is_alphabetic()).collect();
        let factor = match unit.to_uppercase().as_str() {
            "MB" | "MIB" => Some(1.0 / 1024.0),
            "GB" | "GIB" => Some(1.0),
            "TB" | "TIB" => Some(1024.0),
            _ => None,
        };
        if let Some(factor) = factor {
            return Some(number * factor);
        }
        rest = after;
    }
    None
}

/// The first `N minute(s)` in `text`, in minutes.
pub fn first_minutes(text: &str) -> Option<f64> {
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        let (number, after) = leading_number(&rest[start..])?;
        let unit: String = after.trim_start().chars().take_while(|c| c.is_alphabetic()).collect();
        if let Some(seconds) = seconds_per(&unit) {
            return Some(number * seconds / 60.0);
        }
        rest = after;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_of_the_monitoring_table() {
        let lag = parse_threshold("> 1M messages or > 5 min").unwrap();
        assert_eq!(
            lag.conditions,
            [
                Condition {
                    comparison: Comparison::Above,
                    value: 1e6,
                    unit: Unit::Messages
                },
                Condition {
                    comparison: Comparison::Above,
                    value: 300.0,
                    unit: Unit::Seconds
                },
            ]
        );
        let throughput = parse_threshold("< 50% baseline").unwrap();
        assert_eq!(throughput.conditions[0].comparison, Comparison::Below);
        assert!((throughput.conditions[0].value - 0.5).abs() < 1e-12);
        let errors = parse_threshold("> 0.1% for critical pipelines").unwrap();
        assert!(errors.critical_only);
        assert!((errors.conditions[0].value - 0.001).abs() < 1e-12);
        assert_eq!(
            parse_threshold("> 2x interval").unwrap().conditions[0].unit,
            Unit::Multiple
        );
        let backpressure = parse_threshold("> 10% sustained").unwrap();
        assert!(backpressure.sustained);
        let skew = parse_threshold("Max/min ratio > 3x").unwrap();
        assert_eq!(skew.conditions[0].value, 3.0);
        assert!(parse_threshold("whenever").is_err());
        assert!(parse_threshold("> lots").is_err());
        assert_eq!(parse_threshold("> 30 s").unwrap().conditions[0].unit, Unit::Seconds);
        assert_eq!(parse_threshold("> 2 hours").unwrap().conditions[0].value, 7200.0);
        assert_eq!(parse_threshold("> 500K records").unwrap().conditions[0].value, 5e5);
    }

    #[test]
    fn latency_classes() {
        let r = parse_latency("Hours-days").unwrap();
        assert_eq!((r.min_seconds, r.max_seconds), (3_600.0, f64::INFINITY));
        let r = parse_latency("Milliseconds-seconds").unwrap();
        assert_eq!((r.min_seconds, r.max_seconds), (0.001, 60.0));
        let r = parse_latency("Seconds-minutes").unwrap();
        assert_eq!((r.min_seconds, r.max_seconds), (1.0, 3_600.0));
        assert_eq!(parse_latency("ms").unwrap().max_seconds, 1.0);
        assert_eq!(parse_latency("seconds").unwrap().min_seconds, 1.0);
        assert!(parse_latency("fortnights").is_err());
    }

    #[test]
    fn sizes_and_minutes() {
        assert_eq!(first_size_gb("Under 5 GB, bounded by the JVM heap"), Some(5.0));
        assert_eq!(first_size_gb("GB-TB, on local disk"), None);
        assert_eq!(first_size_gb("2 TB"), Some(2048.0));
        assert_eq!(first_minutes("once it has held for 5 minutes; brief"), Some(5.0));
        assert_eq!(first_minutes("for 90 seconds"), Some(1.5));
        assert_eq!(first_minutes("no number"), None);
    }
}
