//! Reads a configuration into settings with their line numbers: Java properties (`key=value`,
//! `key: value`, `key value`, `#` and `!` comments, `\` continuations) for Kafka and Spark, and
//! the YAML of Flink's `config.yaml`, flat (`a.b.c: v`) or nested, which is flattened to dotted
//! keys.

/// One setting as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key (dotted, for nested YAML).
    pub key: String,
    /// The value, unquoted and trimmed.
    pub value: String,
    /// The 1-based line the setting starts on.
    pub line: usize,
}

/// A line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

fn error(line: usize, message: impl Into<String>) -> ParseError {
    ParseError {
        line,
        message: message.into(),
    }
}

/// Whether `key` is made of the characters setting names use.
fn is_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | '$' | '@' | '#'))
}

/// Shortens a line for a message, without echoing a long value.
fn excerpt(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// Parses Java-properties text.
pub fn properties(text: &str) -> Result<Vec<Entry>, ParseError> {
    let mut entries = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((index, raw)) = lines.next() {
        let start = index + 1;
        let trimmed = raw.trim_start().trim_end_matches('\r');
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('!') {
            continue;
        }
        // Join continuation lines: an odd number of trailing backslashes continues the line.
        let mut logical = String::from(trimmed);
        while ends_with_continuation(&logical) {
            logical.pop();
            match lines.next() {
                Some((_, next)) => logical.push_str(next.trim_start().trim_end_matches('\r')),
                None => break,
            }
        }
        let (key, value) = split_property(&logical);
        let key = unescape(&key);
        if key == "---" {
            continue;
        }
        if !is_key(&key) {
            return Err(error(
                start,
                format!("`{}` is not a setting name (expected key=value)", excerpt(&key)),
            ));
        }
        if value.is_none() {
            return Err(error(
                start,
                format!("`{}` has no value (expected key=value)", excerpt(&key)),
            ));
        }
        entries.push(Entry {
            key,
            value: unescape(value.unwrap_or_default()).trim().to_string(),
            line: start,
        });
    }
    Ok(entries)
}

fn ends_with_continuation(line: &str) -> bool {
    line.bytes().rev().take_while(|b| *b == b'\\').count() % 2 == 1
}

/// Splits at the first unescaped `=`, `:` or whitespace; `None` as the value when the line has
/// no separator at all.
fn split_property(line: &str) -> (String, Option<&str>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'=' | b':' => return (line[..i].to_string(), Some(line[i + 1..].trim_start())),
            b' ' | b'\t' | b'\x0c' => {
                let key = line[..i].to_string();
                let rest = line[i..].trim_start();
                let rest = rest
                    .strip_prefix('=')
                    .or_else(|| rest.strip_prefix(':'))
                    .unwrap_or(rest)
                    .trim_start();
                return (key, Some(rest));
            }
            _ => i += 1,
        }
    }
    (line.to_string(), None)
}

fn unescape(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(decoded) => out.push(decoded),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A mapping key waiting for its value: nested keys or `- item` lines.
struct Open {
    indent: usize,
    path: String,
    line: usize,
    items: Vec<String>,
    has_children: bool,
}

/// Parses Flink `config.yaml` text, flat or nested.
pub fn yaml(text: &str) -> Result<Vec<Entry>, ParseError> {
    let mut entries = Vec::new();
    let mut open: Vec<Open> = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let raw = lines[i].trim_end_matches('\r');
        i += 1;
        let content = strip_comment(raw);
        if content.trim().is_empty() || content.trim() == "---" || content.trim() == "..." {
            continue;
        }
        let body = content.trim_start_matches(' ');
        if body.starts_with('\t') {
            return Err(error(number, "a tab in the indentation (YAML indents with spaces)"));
        }
        let indent = content.len() - body.len();
        let body = body.trim_end();
        if let Some(item) = body.strip_prefix("- ").or_else(|| (body == "-").then_some("")) {
            let parent = open
                .iter_mut()
                .rev()
                .find(|o| o.indent <= indent)
                .ok_or_else(|| error(number, "a list item outside any key"))?;
            parent.items.push(unquote(item.trim()));
            continue;
        }
        while open.last().is_some_and(|o| o.indent >= indent) {
            close(open.pop().expect("checked"), &mut entries);
        }
        let (key, value) = split_mapping(body).ok_or_else(|| {
            error(
                number,
                format!(
                    "`{}` is not `key: value` (Flink config.yaml is a YAML mapping)",
                    excerpt(body)
                ),
            )
        })?;
        let key = unquote(key);
        if !is_key(&key) {
            return Err(error(number, format!("`{}` is not a setting name", excerpt(&key))));
        }
        let path = match open.last_mut() {
            Some(parent) => {
                parent.has_children = true;
                format!("{}.{key}", parent.path)
            }
            None => key,
        };
        let value = value.trim();
        if value.is_empty() {
            open.push(Open {
                indent,
                path,
                line: number,
                items: Vec::new(),
                has_children: false,
            });
        } else if value == "|" || value == ">" || value.starts_with("|-") || value.starts_with(">-") {
            let mut block = Vec::new();
            while i < lines.len() {
                let next = lines[i];
                let next_indent = next.len() - next.trim_start_matches(' ').len();
                if !next.trim().is_empty() && next_indent <= indent {
                    break;
                }
                block.push(next.trim());
                i += 1;
            }
            let joiner = if value.starts_with('|') { "\n" } else { " " };
            entries.push(Entry {
                key: path,
                value: block.join(joiner).trim().to_string(),
                line: number,
            });
        } else {
            entries.push(Entry {
                key: path,
                value: unquote(value),
                line: number,
            });
        }
    }
    while let Some(o) = open.pop() {
        close(o, &mut entries);
    }
    entries.sort_by_key(|e| e.line);
    Ok(entries)
}

fn close(open: Open, entries: &mut Vec<Entry>) {
    if !open.items.is_empty() {
        entries.push(Entry {
            key: open.path,
            value: open.items.join(";"),
            line: open.line,
        });
    } else if !open.has_children {
        entries.push(Entry {
            key: open.path,
            value: String::new(),
            line: open.line,
        });
    }
}

/// Drops a `#` comment that is outside quotes and starts the line or follows a space.
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (i, c) in line.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && previous.is_whitespace() => return &line[..i],
            None => {}
        }
        previous = c;
    }
    line
}

/// Splits `key: value` at the first `:` that ends the line or is followed by a space, outside
/// quotes.
fn split_mapping(body: &str) -> Option<(&str, &str)> {
    let mut quote: Option<char> = None;
    let bytes = body.as_bytes();
    for (i, c) in body.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && i == 0 => quote = Some(c),
            None if c == ':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => {
                return Some((body[..i].trim(), &body[i + 1..]));
            }
            None => {}
        }
    }
    None
}

fn unquote(text: &str) -> String {
    let text = text.trim();
    for q in ['"', '\''] {
        if text.len() >= 2 && text.starts_with(q) && text.ends_with(q) {
            return text[1..text.len() - 1].to_string();
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(entries: &[Entry]) -> Vec<(String, String, usize)> {
        entries
            .iter()
            .map(|e| (e.key.clone(), e.value.clone(), e.line))
            .collect()
    }

    #[test]
    fn properties_with_comments_separators_and_continuations() {
        let text = "# c\n! c\nacks=all\nlinger.ms : 5\nclient.id  orders\nsasl.jaas.config=a \\\n   b=\"c\";\nempty=\n";
        let got = pairs(&properties(text).unwrap());
        assert_eq!(
            got,
            [
                ("acks".into(), "all".into(), 3),
                ("linger.ms".into(), "5".into(), 4),
                ("client.id".into(), "orders".into(), 5),
                ("sasl.jaas.config".into(), "a b=\"c\";".into(), 6),
                ("empty".into(), String::new(), 8),
            ]
        );
    }

    #[test]
    fn windows_line_endings_are_read() {
        let got = pairs(&properties("# c\r\n\r\nacks=all\r\nsasl.jaas.config=a \\\r\n  b;\r\n").unwrap());
        assert_eq!(
            got,
            [
                ("acks".into(), "all".into(), 3),
                ("sasl.jaas.config".into(), "a b;".into(), 4)
            ]
        );
        let got = pairs(&yaml("a:\r\n  b: 1\r\n").unwrap());
        assert_eq!(got, [("a.b".into(), "1".into(), 2)]);
    }

    #[test]
    fn properties_errors_name_the_line() {
        assert_eq!(properties("acks=all\n{\"acks\": 1}\n").unwrap_err().line, 2);
        assert_eq!(
            properties("acks=all\n\nlonely\n").unwrap_err().to_string(),
            "line 3: `lonely` has no value (expected key=value)"
        );
    }

    #[test]
    fn yaml_nested_and_flat_give_the_same_keys() {
        let nested = "execution:\n  checkpointing:\n    interval: 30 s # often\n    dir: \"s3://b/c\"\nstate.backend.type: rocksdb\nlist:\n  - a\n  - b\n";
        let got = pairs(&yaml(nested).unwrap());
        assert_eq!(
            got,
            [
                ("execution.checkpointing.interval".into(), "30 s".into(), 3),
                ("execution.checkpointing.dir".into(), "s3://b/c".into(), 4),
                ("state.backend.type".into(), "rocksdb".into(), 5),
                ("list".into(), "a;b".into(), 6),
            ]
        );
    }

    #[test]
    fn yaml_errors_name_the_line() {
        assert_eq!(yaml("a: 1\nnot a mapping\n").unwrap_err().line, 2);
        assert_eq!(yaml("a:\n\tb: 1\n").unwrap_err().line, 2);
    }
}
