//! The YAML front matter of a `SKILL.md`: splitting it from the body, parsing it, and the
//! Agent Skills rules it must follow.

use std::collections::BTreeMap;

use serde_json::Value;

/// The keys the Agent Skills specification allows in `SKILL.md` front matter.
pub const ALLOWED_KEYS: [&str; 6] = [
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
];

/// Longest allowed `name`.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest allowed `description`.
pub const MAX_DESCRIPTION_CHARS: usize = 1024;
/// Longest allowed `compatibility`.
pub const MAX_COMPATIBILITY_CHARS: usize = 500;

/// Why front matter could not be read at all. Positions are 1-based, in the whole file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct FrontmatterError {
    /// Line in the file.
    pub line: usize,
    /// Column in the line.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// A rule of the Agent Skills specification that parsed front matter breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontmatterProblem {
    /// Line in the file (1-based).
    pub line: usize,
    /// Column in the line (1-based).
    pub column: usize,
    /// What is wrong, and what would be right.
    pub message: String,
}

/// Parsed front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Frontmatter {
    /// The skill's name.
    pub name: String,
    /// What the skill does and when to use it.
    pub description: String,
    /// The licence, if given.
    pub license: Option<String>,
    /// Environment requirements, if given.
    pub compatibility: Option<String>,
    /// The `metadata` map with its values as strings (non-string values are rendered as JSON).
    pub metadata: BTreeMap<String, String>,
    /// The whole front matter as JSON, keys in the order written.
    pub raw: Value,
    /// The line of the file on which each top-level key is written.
    key_lines: BTreeMap<String, usize>,
    /// The line of the file on which each key of the `metadata` map is written.
    metadata_lines: BTreeMap<String, usize>,
    /// The YAML text itself.
    pub yaml: String,
    /// The line of the file where the YAML starts (the line after the opening `---`).
    pub first_line: usize,
    /// Byte offset in the file where the markdown body starts.
    pub body_offset: usize,
}

/// Splits `source` into its YAML front matter and the byte offset where the body starts.
pub fn split(source: &str) -> Result<(&str, usize), FrontmatterError> {
    let source_no_bom = source.strip_prefix('\u{feff}').unwrap_or(source);
    let bom = source.len() - source_no_bom.len();
    let first_line_end = source_no_bom.find('\n').map_or(source_no_bom.len(), |i| i + 1);
    if source_no_bom[..first_line_end].trim_end() != "---" {
        return Err(FrontmatterError {
            line: 1,
            column: 1,
            message: "SKILL.md must start with YAML front matter between `---` lines".into(),
        });
    }
    let yaml_start = bom + first_line_end;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        if matches!(line.trim_end(), "---" | "...") {
            return Ok((&source[yaml_start..offset], offset + line.len()));
        }
        offset += line.len();
    }
    let lines = source.lines().count().max(1);
    Err(FrontmatterError {
        line: lines,
        column: 1,
        message: "front matter is not closed by a `---` line".into(),
    })
}

/// Parses the front matter of `source`, checking only what is needed to serve the skill: valid
/// YAML, a mapping, and string `name` and `description`. The spec's finer rules are in
/// [`Frontmatter::problems`].
pub fn parse(source: &str) -> Result<Frontmatter, FrontmatterError> {
    let (yaml, body_offset) = split(source)?;
    let first_line = 2;
    let node: Node = if yaml.trim().is_empty() {
        Node::default()
    } else {
        serde_saphyr::from_str(yaml).map_err(|e| yaml_error(&e, first_line))?
    };
    let Value::Object(map) = &node.value else {
        return Err(FrontmatterError {
            line: first_line,
            column: 1,
            message: "front matter must be a YAML mapping of keys to values".into(),
        });
    };
    // Lines of the YAML text, counted from 1, become lines of the file.
    let file_lines = |keys: &[(String, usize)]| -> BTreeMap<String, usize> {
        let mut lines = BTreeMap::new();
        for (key, line) in keys {
            lines.entry(key.clone()).or_insert(line + first_line - 1);
        }
        lines
    };
    let key_lines = file_lines(&node.keys);
    let metadata_lines = node
        .children
        .iter()
        .find(|(key, _)| key == "metadata")
        .map(|(_, child)| file_lines(&child.keys))
        .unwrap_or_default();
    let text_field = |key: &str| -> Result<String, FrontmatterError> {
        match map.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            // `description:` with nothing after it: an empty value, which `problems` reports
            // with the rest instead of stopping here.
            Some(Value::Null) => Ok(String::new()),
            Some(_) => Err(FrontmatterError {
                line: key_lines.get(key).copied().unwrap_or(first_line),
                column: 1,
                message: format!("`{key}` must be a string"),
            }),
            None => Err(FrontmatterError {
                line: first_line,
                column: 1,
                message: format!("front matter has no `{key}`"),
            }),
        }
    };
    let name = text_field("name")?;
    let description = text_field("description")?;
    let optional = |key: &str| map.get(key).and_then(Value::as_str).map(str::to_string);
    let metadata = match map.get("metadata") {
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string)))
            .collect(),
        _ => BTreeMap::new(),
    };
    Ok(Frontmatter {
        name,
        description,
        license: optional("license"),
        compatibility: optional("compatibility"),
        metadata,
        raw: node.value.clone(),
        key_lines,
        metadata_lines,
        yaml: yaml.to_string(),
        first_line,
        body_offset,
    })
}

impl Frontmatter {
    /// The line of the file on which `key` is written (the first front matter line if absent).
    pub fn line_of(&self, key: &str) -> usize {
        self.key_lines.get(key).copied().unwrap_or(self.first_line)
    }

    /// The line of the file on which `key` of the `metadata` map is written (the line of
    /// `metadata` if absent).
    pub fn metadata_line_of(&self, key: &str) -> usize {
        self.metadata_lines
            .get(key)
            .copied()
            .unwrap_or_else(|| self.line_of("metadata"))
    }

    /// Every rule of the Agent Skills specification that this front matter breaks.
    pub fn problems(&self) -> Vec<FrontmatterProblem> {
        let mut problems = Vec::new();
        let at = |key: &str| self.line_of(key);
        let mut problem = |line: usize, message: String| {
            problems.push(FrontmatterProblem {
                line,
                column: 1,
                message,
            })
        };
        if let Value::Object(map) = &self.raw {
            for key in map.keys() {
                if !ALLOWED_KEYS.contains(&key.as_str()) {
                    problem(
                        at(key),
                        format!(
                            "`{key}` is not an Agent Skills front matter key (allowed: {}); put custom fields under `metadata`",
                            ALLOWED_KEYS.join(", ")
                        ),
                    );
                }
            }
            for key in ["license", "compatibility", "allowed-tools"] {
                if map.get(key).is_some_and(|v| !v.is_string()) {
                    problem(at(key), format!("`{key}` must be a string"));
                }
            }
            match map.get("metadata") {
                None => {}
                Some(Value::Object(m)) => {
                    for (k, v) in m {
                        if !v.is_string() {
                            problem(
                                self.metadata_line_of(k),
                                format!(
                                    "metadata `{k}` must be a string (quote it: `{k}: \"{}\"`)",
                                    v.to_string().trim_matches('"')
                                ),
                            );
                        }
                    }
                }
                Some(_) => problem(
                    at("metadata"),
                    "`metadata` must be a map of string keys to string values".into(),
                ),
            }
        }
        if let Some(message) = name_problem(&self.name) {
            problem(at("name"), message);
        }
        let chars = self.description.chars().count();
        if self.description.trim().is_empty() {
            problem(at("description"), "`description` must not be empty".into());
        } else if chars > MAX_DESCRIPTION_CHARS {
            problem(
                at("description"),
                format!("`description` has {chars} characters; the limit is {MAX_DESCRIPTION_CHARS}"),
            );
        }
        if let Some(c) = &self.compatibility {
            let chars = c.chars().count();
            if chars > MAX_COMPATIBILITY_CHARS || c.trim().is_empty() {
                problem(
                    at("compatibility"),
                    format!("`compatibility` must have 1 to {MAX_COMPATIBILITY_CHARS} characters; it has {chars}"),
                );
            }
        }
        problems
    }
}

/// Why `name` breaks the specification's naming rule, if it does.
pub fn name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Some(format!(
            "`name` must have 1 to {MAX_NAME_CHARS} characters; it has {chars}"
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!("`name` may use only a-z, 0-9 and `-`; found {bad:?}"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Some("`name` must not start or end with `-`".into());
    }
    if name.contains("--") {
        return Some("`name` must not contain `--`".into());
    }
    None
}

/// A YAML node read with the lines of its mapping keys: the value as JSON, and for a mapping,
/// each key with the line (of the YAML text, from 1) where it is written and the node under it.
/// Keys are found by position, not by name, so a nested key never stands in for a top-level one.
#[derive(Debug, Default)]
struct Node {
    value: Value,
    keys: Vec<(String, usize)>,
    children: Vec<(String, Node)>,
}

impl Node {
    fn leaf(value: Value) -> Self {
        Self {
            value,
            ..Self::default()
        }
    }
}

impl<'de> serde::Deserialize<'de> for Node {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> serde::de::Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::leaf(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::leaf(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::leaf(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::leaf(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::leaf(Value::String(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::leaf(Value::String(v)))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::leaf(Value::Null))
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::leaf(Value::Null))
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        serde::Deserialize::deserialize(deserializer)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item.value);
        }
        Ok(Node::leaf(Value::Array(items)))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut node = Node::leaf(Value::Object(Default::default()));
        while let Some(key) = map.next_key::<serde_saphyr::Spanned<String>>()? {
            let child: Node = map.next_value()?;
            if let Value::Object(object) = &mut node.value {
                object.insert(key.value.clone(), child.value.clone());
            }
            node.keys.push((key.value.clone(), key.referenced.line() as usize));
            node.children.push((key.value, child));
        }
        Ok(node)
    }
}

fn yaml_error(error: &serde_saphyr::Error, first_line: usize) -> FrontmatterError {
    let (line, column) = error
        .location()
        .map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
    let rendered = error.without_snippet().to_string();
    let first = rendered.lines().next().unwrap_or("invalid YAML");
    let message = first
        .strip_prefix("error: ")
        .unwrap_or(first)
        .split_once(": ")
        .filter(|(prefix, _)| prefix.starts_with("line "))
        .map_or(first, |(_, rest)| rest);
    // The parser repeats its own (YAML-relative) position at the end; ours is the file's.
    let message = message.split(" at line ").next().unwrap_or(message);
    FrontmatterError {
        line: line + first_line - 1,
        column,
        message: format!("invalid YAML: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_front_matter() {
        let fm = parse("---\nname: my-skill\ndescription: Does things.\nmetadata:\n  version: \"1.0\"\n---\n# Body\n")
            .unwrap();
        assert_eq!(fm.name, "my-skill");
        assert_eq!(fm.metadata["version"], "1.0");
        assert_eq!(
            fm.body_offset,
            "---\nname: my-skill\ndescription: Does things.\nmetadata:\n  version: \"1.0\"\n---\n".len()
        );
        assert!(fm.problems().is_empty());
    }

    #[test]
    fn missing_opening_fence_is_reported_at_line_one() {
        let err = parse("# No front matter\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "1:1: SKILL.md must start with YAML front matter between `---` lines"
        );
    }

    #[test]
    fn unclosed_front_matter() {
        let err = parse("---\nname: x\n").unwrap_err();
        assert_eq!(err.to_string(), "2:1: front matter is not closed by a `---` line");
    }

    #[test]
    fn yaml_syntax_error_has_file_position() {
        let err = parse("---\nname: a\ndescription: [unclosed\n---\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert_eq!(err.column, 14);
        assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
        assert!(err.message.contains("unclosed"), "{}", err.message);
    }

    #[test]
    fn missing_name_and_wrong_type() {
        assert_eq!(
            parse("---\ndescription: d\n---\n").unwrap_err().to_string(),
            "2:1: front matter has no `name`"
        );
        assert_eq!(
            parse("---\nname: [a]\ndescription: d\n---\n").unwrap_err().to_string(),
            "2:1: `name` must be a string"
        );
    }

    #[test]
    fn spec_rules_are_checked() {
        let fm = parse("---\nname: Bad--Name\ndescription: d\nauthor: me\nmetadata:\n  version: 2\n---\n").unwrap();
        let problems: Vec<_> = fm.problems().into_iter().map(|p| (p.line, p.message)).collect();
        assert_eq!(problems[0].0, 4);
        assert!(
            problems[0]
                .1
                .starts_with("`author` is not an Agent Skills front matter key")
        );
        assert_eq!(
            problems[1],
            (
                6,
                "metadata `version` must be a string (quote it: `version: \"2\"`)".to_string()
            )
        );
        assert_eq!(
            problems[2],
            (2, "`name` may use only a-z, 0-9 and `-`; found 'B'".to_string())
        );
    }

    #[test]
    fn a_nested_key_of_the_same_name_does_not_move_a_top_level_key() {
        let source = "---\nmetadata:\n  license: \"MIT\"\n  name: other\n  version: 2\nname: Bad_Name\nlicense: [MIT]\ndescription: d\nversion: \"1\"\n---\n";
        let fm = parse(source).unwrap();
        assert_eq!(fm.line_of("name"), 6);
        assert_eq!(fm.line_of("license"), 7);
        assert_eq!(fm.line_of("metadata"), 2);
        let problems: Vec<_> = fm.problems().into_iter().map(|p| (p.line, p.message)).collect();
        let line_of = |start: &str| problems.iter().find(|(_, m)| m.starts_with(start)).map(|(l, _)| *l);
        assert_eq!(line_of("`version` is not an Agent Skills"), Some(9), "{problems:?}");
        assert_eq!(line_of("`license` must be a string"), Some(7), "{problems:?}");
        assert_eq!(line_of("metadata `version` must be a string"), Some(5), "{problems:?}");
        assert_eq!(line_of("`name` may use only"), Some(6), "{problems:?}");
        // A wrong type stops parsing at the top-level key's line.
        let err = parse("---\nmetadata:\n  name: nested\nname: [a]\ndescription: d\n---\n").unwrap_err();
        assert_eq!(err.to_string(), "4:1: `name` must be a string");
    }

    #[test]
    fn name_rules() {
        assert_eq!(name_problem("ok-name-2"), None);
        assert!(name_problem("-x").is_some());
        assert!(name_problem("a--b").is_some());
        assert!(name_problem("").is_some());
        assert!(name_problem(&"a".repeat(65)).is_some());
    }
}
