//! Settings and API names that the skill's reference documents quote in code spans
//! (`max.poll.interval.ms`, `FULL_TRANSITIVE`, `foreachBatch`): a request that quotes one is
//! about what those documents cover.

/// Shortest name taken from a single word (`foreachBatch`); shorter ones (`keyBy`) are too
/// often ordinary identifiers.
const MIN_SINGLE_WORD: usize = 10;

/// The names quoted in code spans of `markdown` that look like a setting or an API: dotted or
/// snake-case names of at least two parts (`isolation.level`, `TARGET_LAG`) and camel-case
/// words of at least [`MIN_SINGLE_WORD`] characters. Names in `exclude` (compared ignoring
/// case) and names of Java packages are left out.
pub fn quoted_names(markdown: &str, exclude: &[String]) -> Vec<String> {
    let mut names: Vec<String> = markdown
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::trim)
        .filter(|span| is_name(span))
        .filter(|span| !exclude.iter().any(|e| e.eq_ignore_ascii_case(span)))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    names
}

fn is_name(span: &str) -> bool {
    let Some(first) = span.chars().next() else {
        return false;
    };
    if !first.is_ascii_alphabetic() || !span.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
        return false;
    }
    let parts: Vec<&str> = span.split(['.', '_']).collect();
    if parts.iter().any(|p| p.is_empty()) {
        return false;
    }
    if parts.len() >= 2 {
        const PACKAGE_ROOTS: [&str; 6] = ["org", "com", "io", "net", "eu", "java"];
        return parts.len() <= 6 && !PACKAGE_ROOTS.contains(&parts[0]);
    }
    let camel = span.chars().any(|c| c.is_ascii_lowercase()) && span.chars().skip(1).any(|c| c.is_ascii_uppercase());
    camel && span.len() >= MIN_SINGLE_WORD
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_settings_and_api_names_from_code_spans() {
        let text = "Set `max.poll.interval.ms`, use `FULL_TRANSITIVE` or `foreachBatch`; not `keyBy`, \
                    `org.apache.kafka.Foo`, `SELECT 1`, `a..b` or `CURRENT_DATE`.";
        assert_eq!(
            quoted_names(text, &["current_date".into()]),
            ["FULL_TRANSITIVE", "foreachBatch", "max.poll.interval.ms"]
        );
    }
}
