//! The settings each system knows, read from the lists under `skill/config-keys/`: one
//! `key<TAB>type` line per setting, `include NAME` to add another list, and `prefix.*` lines for
//! prefixes whose keys are free or are checked against other lists (`producer.*` in Kafka
//! Streams is a producer setting).

use std::collections::HashMap;
use std::sync::Arc;

use super::value;

/// The type of a setting's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyType {
    /// `true` or `false`.
    Boolean,
    /// A 32-bit whole number.
    Int,
    /// A 16-bit whole number.
    Short,
    /// A 64-bit whole number.
    Long,
    /// A decimal number.
    Double,
    /// Free text (also lists, classes and maps, which take any text).
    Text,
    /// A password: free text that is never echoed.
    Password,
    /// A duration (`30 s`; a plain number is milliseconds).
    Duration,
    /// A size (`64m`; a plain number is bytes).
    Size,
    /// One of a fixed set of names, in any case.
    Enum(Vec<String>),
}

impl KeyType {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "boolean" => Self::Boolean,
            "int" => Self::Int,
            "short" => Self::Short,
            "long" => Self::Long,
            "double" => Self::Double,
            "string" | "list" | "class" | "map" => Self::Text,
            "password" => Self::Password,
            "duration" => Self::Duration,
            "memory" | "bytes" => Self::Size,
            _ => {
                let names = text.strip_prefix("enum:")?;
                Self::Enum(names.split(',').map(str::to_string).collect())
            }
        })
    }

    /// Whether `value` is of this type. Placeholders and empty text pass for text types.
    pub fn accepts(&self, value: &str) -> bool {
        if value::is_placeholder(value) {
            return true;
        }
        match self {
            Self::Boolean => value::boolean(value).is_some(),
            Self::Int => value::integer(value, 32),
            Self::Short => value::integer(value, 16),
            Self::Long => value::integer(value, 64),
            Self::Double => value::number(value).is_some(),
            Self::Text | Self::Password => true,
            Self::Duration => value::duration_ms(value).is_some(),
            Self::Size => value::size_bytes(value).is_some(),
            Self::Enum(names) => names.iter().any(|n| n.eq_ignore_ascii_case(value.trim())),
        }
    }

    /// What a value of this type looks like, for a message.
    pub fn describe(&self) -> String {
        match self {
            Self::Boolean => "true or false".into(),
            Self::Int | Self::Short | Self::Long => "a whole number".into(),
            Self::Double => "a number".into(),
            Self::Text | Self::Password => "text".into(),
            Self::Duration => "a duration such as `30 s` or `500 ms`".into(),
            Self::Size => "a size such as `64m` or `1 gb`".into(),
            Self::Enum(names) => format!("one of {}", names.join(", ")),
        }
    }
}

/// What a known setting is.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyInfo {
    /// Its value's type.
    pub ty: KeyType,
    /// The key that replaces it, when it is deprecated.
    pub replaced_by: Option<String>,
}

/// One list file as written.
#[derive(Debug, Clone, Default)]
pub struct KeyList {
    keys: Vec<(String, KeyInfo)>,
    includes: Vec<String>,
    prefixes: Vec<(String, Option<Vec<String>>)>,
}

/// A line of a list that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Parses one list file.
pub fn parse_list(text: &str) -> Result<KeyList, ListError> {
    let mut list = KeyList::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let error = |message: String| ListError { line: i + 1, message };
        let mut cells = line.split('\t');
        let key = cells.next().unwrap_or_default().trim();
        let second = cells.next().map(str::trim).unwrap_or_default();
        if key.is_empty() || second.is_empty() {
            return Err(error(format!("expected `setting<TAB>type`, got {line:?}")));
        }
        if key == "include" {
            list.includes.push(second.to_string());
        } else if let Some(prefix) = key.strip_suffix('*') {
            let target = (second != "free").then(|| second.split(',').map(|s| s.trim().to_string()).collect());
            list.prefixes.push((prefix.to_string(), target));
        } else {
            let ty = KeyType::parse(second).ok_or_else(|| error(format!("unknown type {second:?}")))?;
            let replaced_by = cells
                .next()
                .and_then(|note| note.trim().strip_prefix("deprecated:").map(str::to_string));
            list.keys.push((key.to_string(), KeyInfo { ty, replaced_by }));
        }
    }
    Ok(list)
}

/// How a key is known.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    /// A known setting.
    Known(&'a KeyInfo),
    /// Under a prefix whose keys are free.
    Free,
    /// Not known.
    Unknown,
}

/// The settings of one system, with includes and prefixes resolved.
#[derive(Debug, Clone, Default)]
pub struct KnownKeys {
    keys: HashMap<String, KeyInfo>,
    /// Lower-cased key to key, for systems whose options ignore case.
    folded: HashMap<String, String>,
    prefixes: Vec<(String, Option<Vec<Arc<KnownKeys>>>)>,
    /// Replacement key to the deprecated keys that stand for it.
    deprecated: HashMap<String, Vec<String>>,
    ignore_case: bool,
}

impl KnownKeys {
    /// Resolves list `name` from `lists` (by file stem). Includes are flattened; prefix targets
    /// are resolved one level deep.
    pub fn resolve(name: &str, lists: &HashMap<String, KeyList>, ignore_case: bool) -> Result<Self, String> {
        let mut out = Self {
            ignore_case,
            ..Self::default()
        };
        let mut seen = Vec::new();
        out.add(name, lists, &mut seen)?;
        let list = &lists[name];
        for (prefix, target) in &list.prefixes {
            let target = match target {
                None => None,
                Some(names) => Some(
                    names
                        .iter()
                        .map(|n| Self::resolve_plain(n, lists).map(Arc::new))
                        .collect::<Result<Vec<_>, _>>()?,
                ),
            };
            out.prefixes.push((prefix.clone(), target));
        }
        for (key, info) in &out.keys {
            if let Some(new) = &info.replaced_by {
                out.deprecated.entry(new.clone()).or_default().push(key.clone());
            }
        }
        if ignore_case {
            out.folded = out.keys.keys().map(|k| (k.to_ascii_lowercase(), k.clone())).collect();
        }
        Ok(out)
    }

    fn resolve_plain(name: &str, lists: &HashMap<String, KeyList>) -> Result<Self, String> {
        let mut out = Self::default();
        out.add(name, lists, &mut Vec::new())?;
        Ok(out)
    }

    fn add(&mut self, name: &str, lists: &HashMap<String, KeyList>, seen: &mut Vec<String>) -> Result<(), String> {
        if seen.iter().any(|s| s == name) {
            return Ok(());
        }
        seen.push(name.to_string());
        let list = lists.get(name).ok_or_else(|| format!("no key list {name:?}"))?;
        for (key, info) in &list.keys {
            self.keys.entry(key.clone()).or_insert_with(|| info.clone());
        }
        for include in &list.includes {
            self.add(include, lists, seen)?;
        }
        Ok(())
    }

    /// How many settings are known (without prefixes).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// True when no setting is known.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The known key `key` stands for, in its canonical spelling.
    pub fn canonical<'a>(&'a self, key: &'a str) -> Option<&'a str> {
        if let Some((k, _)) = self.keys.get_key_value(key) {
            return Some(k);
        }
        if self.ignore_case {
            return self.folded.get(&key.to_ascii_lowercase()).map(String::as_str);
        }
        None
    }

    /// How `key` is known.
    pub fn lookup(&self, key: &str) -> Lookup<'_> {
        if let Some(k) = self.canonical(key) {
            return Lookup::Known(&self.keys[k]);
        }
        for (prefix, target) in &self.prefixes {
            let Some(rest) = strip_prefix(key, prefix, self.ignore_case) else {
                continue;
            };
            match target {
                None => return Lookup::Free,
                Some(lists) => {
                    for list in lists {
                        if let Some(info) = list.keys.get(rest) {
                            return Lookup::Known(info);
                        }
                    }
                    return Lookup::Unknown;
                }
            }
        }
        Lookup::Unknown
    }

    /// The deprecated keys that stand for `key`.
    pub fn deprecated_names(&self, key: &str) -> &[String] {
        self.deprecated.get(key).map_or(&[], Vec::as_slice)
    }

    /// The closest known key to an unknown `key`, when one is close enough to be a typo.
    pub fn suggest(&self, key: &str) -> Option<String> {
        for (prefix, target) in &self.prefixes {
            if let (Some(rest), Some(lists)) = (strip_prefix(key, prefix, self.ignore_case), target) {
                let best = lists
                    .iter()
                    .filter_map(|l| closest(rest, l.keys.keys()))
                    .min_by_key(|(d, _)| *d);
                return best.map(|(_, k)| format!("{}{k}", &key[..key.len() - rest.len()]));
            }
        }
        closest(key, self.keys.keys()).map(|(_, k)| k.to_string())
    }
}

fn strip_prefix<'a>(key: &'a str, prefix: &str, ignore_case: bool) -> Option<&'a str> {
    if key.len() <= prefix.len() || !key.is_char_boundary(prefix.len()) {
        return None;
    }
    let (head, rest) = key.split_at(prefix.len());
    let matches = if ignore_case {
        head.eq_ignore_ascii_case(prefix)
    } else {
        head == prefix
    };
    matches.then_some(rest)
}

/// The most edits a key of this length may be from a known key to count as a typo of it.
fn allowed_edits(len: usize) -> usize {
    match len {
        0..=5 => 1,
        6..=15 => 2,
        _ => 3,
    }
}

fn closest<'a>(key: &str, known: impl Iterator<Item = &'a String>) -> Option<(usize, &'a str)> {
    let wanted: Vec<char> = key.to_ascii_lowercase().chars().collect();
    let limit = allowed_edits(wanted.len());
    let mut best: Option<(usize, &str)> = None;
    for candidate in known {
        if candidate.len().abs_diff(key.len()) > limit {
            continue;
        }
        let bound = best.map_or(limit, |(d, _)| d.min(limit));
        if let Some(d) = edit_distance(&wanted, candidate, bound)
            && best.is_none_or(|(b, k)| d < b || (d == b && candidate.as_str() < k))
        {
            best = Some((d, candidate));
        }
    }
    best
}

/// Edit distance (insertions, deletions, substitutions and swaps of neighbours), ignoring ASCII
/// case; `None` when it exceeds `bound`.
fn edit_distance(a: &[char], b: &str, bound: usize) -> Option<usize> {
    let b: Vec<char> = b.to_ascii_lowercase().chars().collect();
    let (n, m) = (a.len(), b.len());
    let mut before: Vec<usize> = vec![0; m + 1];
    let mut previous: Vec<usize> = (0..=m).collect();
    let mut current = vec![0; m + 1];
    for i in 1..=n {
        current[0] = i;
        let mut row_min = current[0];
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > bound {
            return None;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    Some(previous[m]).filter(|d| *d <= bound)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lists() -> HashMap<String, KeyList> {
        let producer = parse_list("# p\nacks\tstring\nenable.idempotence\tboolean\nlinger.ms\tlong\n").unwrap();
        let streams =
            parse_list("include\tkafka-producer\nstate.dir\tstring\nproducer.*\tkafka-producer\nrocksdb.*\tfree\n")
                .unwrap();
        HashMap::from([("kafka-producer".into(), producer), ("kafka-streams".into(), streams)])
    }

    #[test]
    fn includes_prefixes_and_typos() {
        let keys = KnownKeys::resolve("kafka-streams", &lists(), false).unwrap();
        assert!(matches!(keys.lookup("acks"), Lookup::Known(_)));
        assert!(matches!(
            keys.lookup("producer.linger.ms"),
            Lookup::Known(KeyInfo { ty: KeyType::Long, .. })
        ));
        assert_eq!(keys.lookup("producer.lingerms"), Lookup::Unknown);
        assert_eq!(keys.lookup("rocksdb.anything"), Lookup::Free);
        assert_eq!(
            keys.suggest("enable.idempotency").as_deref(),
            Some("enable.idempotence")
        );
        assert_eq!(keys.suggest("producer.lingr.ms").as_deref(), Some("producer.linger.ms"));
        assert_eq!(keys.suggest("bootstrap.servers"), None);
    }

    #[test]
    fn bad_lines_are_reported() {
        assert_eq!(parse_list("acks\n").unwrap_err().line, 1);
        assert!(
            parse_list("acks\tnumberish\n")
                .unwrap_err()
                .message
                .contains("unknown type")
        );
    }

    #[test]
    fn distance_counts_swaps_once() {
        let a: Vec<char> = "paralellism".chars().collect();
        assert_eq!(edit_distance(&a, "parallelism", 3), Some(1));
        let b: Vec<char> = "acsk".chars().collect();
        assert_eq!(edit_distance(&b, "acks", 3), Some(1));
    }
}
