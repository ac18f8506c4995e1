//! Values as the vendors read them: numbers, booleans, durations (`30 s`, `1min`, `500ms`) and
//! sizes (`64m`, `1 gb`), plus the placeholders that config providers and secret stores resolve
//! at run time (`${file:/path:key}`, `{{secrets/scope/key}}`).

/// A unit a number in a rule or a value can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A plain number.
    Plain,
    /// A duration, measured in milliseconds.
    Duration,
    /// A size, measured in bytes.
    Size,
}

/// True when the value is resolved at run time by a config provider, the environment or a
/// secret store, so its literal text says nothing about its type.
pub fn is_placeholder(value: &str) -> bool {
    (value.contains("${") && value.contains('}'))
        || (value.contains("{{") && value.contains("}}"))
        || shell_variable(value)
}

/// `$NAME` as a shell or template substitutes it (`password="$KAFKA_PASSWORD"`).
fn shell_variable(value: &str) -> bool {
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    value.strip_prefix('$').is_some_and(|name| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// A number written with an optional sign, digits and decimals.
pub fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A whole number that fits in `bits` signed bits.
pub fn integer(text: &str, bits: u32) -> bool {
    let Ok(n) = text.trim().parse::<i128>() else {
        return false;
    };
    let max = (1i128 << (bits - 1)) - 1;
    (-max - 1..=max).contains(&n)
}

/// `true` or `false`, in any case.
pub fn boolean(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Splits `30 s` / `30s` / `30 seconds` into the number and the unit word.
fn split_unit(text: &str) -> Option<(f64, String)> {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == '-' || *c == '+'))
        .map_or(text.len(), |(i, _)| i);
    let value = number(&text[..end])?;
    Some((value, text[end..].trim().to_ascii_lowercase()))
}

/// A duration in milliseconds. A plain number counts as milliseconds, as in Flink and in Kafka's
/// `*.ms` settings.
pub fn duration_ms(text: &str) -> Option<f64> {
    let (value, unit) = split_unit(text)?;
    let factor = match unit.as_str() {
        "" | "ms" | "milli" | "millis" | "millisecond" | "milliseconds" => 1.0,
        "ns" | "nano" | "nanos" | "nanosecond" | "nanoseconds" => 1e-6,
        "us" | "µs" | "micro" | "micros" | "microsecond" | "microseconds" => 1e-3,
        "s" | "sec" | "secs" | "second" | "seconds" => 1e3,
        "m" | "min" | "mins" | "minute" | "minutes" => 60e3,
        "h" | "hour" | "hours" => 3_600e3,
        "d" | "day" | "days" => 86_400e3,
        _ => return None,
    };
    Some(value * factor)
}

/// A size in bytes. A plain number counts as bytes.
pub fn size_bytes(text: &str) -> Option<f64> {
    let (value, unit) = split_unit(text)?;
    let power = match unit.as_str() {
        "" | "b" | "bytes" => 0,
        "k" | "kb" | "kib" | "kibibytes" => 1,
        "m" | "mb" | "mib" | "mebibytes" => 2,
        "g" | "gb" | "gib" | "gibibytes" => 3,
        "t" | "tb" | "tib" | "tebibytes" => 4,
        "p" | "pb" | "pib" => 5,
        _ => return None,
    };
    Some(value * 1024f64.powi(power))
}

/// The number a value stands for, read in `kind`. A duration may sit after a word and `=`, as in
/// Spark's `processingTime=30 seconds`.
pub fn measure(text: &str, kind: UnitKind) -> Option<f64> {
    match kind {
        UnitKind::Plain => number(text),
        UnitKind::Duration => {
            let text = text.rsplit(['=', '(']).next().unwrap_or(text);
            duration_ms(text.trim_matches(|c: char| c == ')' || c == '\'' || c == '"' || c.is_whitespace()))
        }
        UnitKind::Size => size_bytes(text),
    }
}

/// A number with its unit as written in a rule: `3600000`, `1 s`, `10 min`, `64 mb`.
pub fn rule_number(text: &str) -> Option<(f64, UnitKind)> {
    if let Some(n) = number(text) {
        return Some((n, UnitKind::Plain));
    }
    if let Some(ms) = duration_ms(text) {
        return Some((ms, UnitKind::Duration));
    }
    size_bytes(text).map(|b| (b, UnitKind::Size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes() {
        assert_eq!(duration_ms("30 s"), Some(30_000.0));
        assert_eq!(duration_ms("1min"), Some(60_000.0));
        assert_eq!(duration_ms("500"), Some(500.0));
        assert_eq!(measure("processingTime=30 seconds", UnitKind::Duration), Some(30_000.0));
        assert_eq!(size_bytes("64m"), Some(64.0 * 1024.0 * 1024.0));
        assert_eq!(duration_ms("soon"), None);
        assert_eq!(rule_number("1 s"), Some((1000.0, UnitKind::Duration)));
    }

    #[test]
    fn numbers_and_placeholders() {
        assert!(integer("2147483647", 32));
        assert!(!integer("2147483648", 32));
        assert!(!integer("twenty", 64));
        assert_eq!(boolean("TRUE"), Some(true));
        assert_eq!(boolean("yes"), None);
        assert!(is_placeholder("${file:/etc/k.properties:password}"));
        assert!(is_placeholder("{{secrets/kafka/jaas}}"));
        assert!(!is_placeholder("changeit"));
        assert!(is_placeholder("$KAFKA_PASSWORD"));
        assert!(!is_placeholder("pa$$word"));
    }
}
