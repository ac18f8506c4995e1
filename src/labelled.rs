//! Labelled sets as JSON lines, read the same way by every `--eval`: one case per line, blank
//! lines and lines starting with `//` skipped, an error naming the line.

use serde::de::DeserializeOwned;

/// Why a labelled set could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CaseError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses the cases of `text`; `check` refuses a case that parses but cannot be evaluated, with
/// the reason.
pub fn parse_lines<T: DeserializeOwned>(
    text: &str,
    check: impl Fn(&T) -> Result<(), String>,
) -> Result<Vec<T>, CaseError> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with("//"))
        .map(|(i, l)| {
            let error = |message: String| CaseError { line: i + 1, message };
            let case: T = serde_json::from_str(l).map_err(|e| error(e.to_string()))?;
            check(&case).map_err(error)?;
            Ok(case)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_blank_and_comment_lines_and_names_the_bad_line() {
        let ok: Vec<u32> = parse_lines("1\n\n// note\n2\n", |_| Ok(())).unwrap();
        assert_eq!(ok, [1, 2]);
        let err = parse_lines::<u32>("1\nx\n", |_| Ok(())).unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse_lines::<u32>("1\n0\n", |n| if *n == 0 { Err("zero".into()) } else { Ok(()) }).unwrap_err();
        assert_eq!((err.line, err.message.as_str()), (2, "zero"));
    }
}
