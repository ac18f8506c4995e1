//! The review rules: rows of the tables in `references/config-review-rules.md`, parsed into a
//! setting, a list of condition clauses, a severity and the words of the row. The condition
//! language is small on purpose (see "How the rules are read" in that document).

use super::value::{self, UnitKind};

/// How serious a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    schemars::JsonSchema,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Severity {
    /// Breaks the delivery guarantee, loses or exposes data, or fails in production.
    Error,
    /// Risky or clearly mistuned.
    Warning,
    /// A note.
    Info,
}

/// The caller's context a clause can test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Context {
    /// `delivery`: exactly-once or at-least-once.
    Delivery,
    /// `environment`: production or development.
    Environment,
}

impl Context {
    /// The argument's name.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The values it can take, as the caller spells them.
    fn allowed(self) -> &'static [&'static str] {
        use strum::VariantNames;
        match self {
            Self::Delivery => super::Delivery::VARIANTS,
            Self::Environment => super::Environment::VARIANTS,
        }
    }
}

/// A check the code makes on every setting, named by a rule row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `key given twice`.
    Duplicate,
    /// `value not of the key's type`.
    WrongType,
    /// `unknown key close to a known key`.
    Misspelt,
    /// `deprecated key`.
    Deprecated,
    /// `secret written in clear`.
    SecretInClear,
}

impl Builtin {
    const ALL: [(Builtin, &'static str); 5] = [
        (Self::Duplicate, "key given twice"),
        (Self::WrongType, "value not of the key's type"),
        (Self::Misspelt, "unknown key close to a known key"),
        (Self::Deprecated, "deprecated key"),
        (Self::SecretInClear, "secret written in clear"),
    ];
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `<`
    Less,
    /// `<=`
    LessOrEqual,
    /// `>`
    Greater,
    /// `>=`
    GreaterOrEqual,
    /// `=`
    Equal,
}

impl Op {
    fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Self::Less => a < b,
            Self::LessOrEqual => a <= b,
            Self::Greater => a > b,
            Self::GreaterOrEqual => a >= b,
            Self::Equal => (a - b).abs() < 1e-9,
        }
    }
}

/// What a comparison compares with.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    /// A number in a unit.
    Number(f64, UnitKind),
    /// The value of another setting.
    Key(String),
}

/// One clause of a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Clause {
    /// The caller's delivery or environment is one of these.
    Context(Context, Vec<String>),
    /// The setting is present.
    Set(String),
    /// The setting is absent.
    Missing(String),
    /// The setting is present with an empty value.
    Empty(String),
    /// The value is one of these (ignoring case).
    Is(String, Vec<String>),
    /// The value is none of these (ignoring case).
    IsNot(String, Vec<String>),
    /// The value contains this text (ignoring case).
    Contains(String, String),
    /// The value starts with one of these (ignoring case).
    StartsWith(String, Vec<String>),
    /// The value compares so with a number or another setting.
    Compare(String, Op, Operand),
    /// A built-in check.
    Builtin(Builtin),
}

/// One rule row.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Its stable id.
    pub id: String,
    /// The key a finding is about; `None` for a built-in check of every key.
    pub setting: Option<String>,
    /// The vendor's default of the setting, used when it is absent.
    pub default: Option<String>,
    /// True when the setting is no longer a known key of the current release.
    pub removed: bool,
    /// The clauses, all of which must hold.
    pub clauses: Vec<Clause>,
    /// How serious a finding is.
    pub severity: Severity,
    /// Why it matters.
    pub why: String,
    /// What to do.
    pub fix: String,
    /// The slug of the section the rule's table is in.
    pub section: String,
}

/// The columns a rule table has, in any order.
pub const COLUMNS: [&str; 7] = ["Rule", "Setting", "Condition", "Severity", "Why", "Fix", "Source"];

/// Parses one row of a rule table. `cell` reads a column of the row by name.
pub fn parse_row<'a>(cell: impl Fn(&str) -> Option<&'a str>, section: &str) -> Result<Rule, String> {
    let get = |name: &str| -> Result<&'a str, String> {
        cell(name)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .ok_or_else(|| format!("the {name} cell is empty"))
    };
    let id = get("Rule")?.trim_matches('`').to_string();
    if !id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        return Err(format!("rule id {id:?} is not lower-case words joined by -"));
    }
    let (setting, default, removed) = parse_setting(get("Setting")?)?;
    let severity = get("Severity")?;
    let severity: Severity = severity.parse().map_err(|_| {
        format!(
            "severity {:?} is not error, warning or info",
            severity.to_ascii_lowercase()
        )
    })?;
    let clauses = get("Condition")?
        .split(" and ")
        .map(parse_clause)
        .collect::<Result<Vec<_>, _>>()?;
    let builtins = clauses.iter().filter(|c| matches!(c, Clause::Builtin(_))).count();
    if builtins > 0 && (clauses.len() > 1 || setting.is_some()) {
        return Err("a built-in check stands alone, with `any` as its setting".into());
    }
    if builtins == 0 && setting.is_none() {
        return Err("only a built-in check may have `any` as its setting".into());
    }
    get("Source")?;
    Ok(Rule {
        id,
        setting,
        default,
        removed,
        clauses,
        severity,
        why: get("Why")?.to_string(),
        fix: get("Fix")?.to_string(),
        section: section.to_string(),
    })
}

/// `any`, or `` `key` `` with `(default X)` or `(removed in ...)`.
fn parse_setting(text: &str) -> Result<(Option<String>, Option<String>, bool), String> {
    if text.eq_ignore_ascii_case("any") {
        return Ok((None, None, false));
    }
    let (key, note) = match text.find('(') {
        Some(i) => (&text[..i], Some(text[i + 1..].trim_end().trim_end_matches(')').trim())),
        None => (text, None),
    };
    let key = key.trim().trim_matches('`').to_string();
    if key.is_empty() || key.contains(char::is_whitespace) {
        return Err(format!("setting {text:?} is not a key"));
    }
    match note {
        None => Ok((Some(key), None, false)),
        Some(note) if note.starts_with("default ") => Ok((
            Some(key),
            Some(note["default ".len()..].trim().trim_matches('`').to_string()),
            false,
        )),
        Some(note) if note.starts_with("removed") => Ok((Some(key), None, true)),
        Some(note) => Err(format!(
            "setting note {note:?} is neither `default X` nor `removed in ...`"
        )),
    }
}

fn words(text: &str) -> Vec<String> {
    text.split(" or ")
        .map(|w| w.trim().trim_matches('`').to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

fn parse_clause(text: &str) -> Result<Clause, String> {
    let text = text.trim();
    if let Some((builtin, _)) = Builtin::ALL.iter().find(|(_, name)| *name == text) {
        return Ok(Clause::Builtin(*builtin));
    }
    for context in [Context::Delivery, Context::Environment] {
        if let Some(rest) = text.strip_prefix(context.name()).and_then(|r| r.strip_prefix(" is ")) {
            let values = words(rest);
            if values.is_empty() || values.iter().any(|v| !context.allowed().contains(&v.as_str())) {
                return Err(format!(
                    "`{text}`: {} is one of {}",
                    context.name(),
                    context.allowed().join(", ")
                ));
            }
            return Ok(Clause::Context(context, values));
        }
    }
    let (key, rest) = text
        .split_once(' ')
        .ok_or_else(|| format!("`{text}` is not a clause"))?;
    let key = key.trim_matches('`').to_string();
    let rest = rest.trim();
    let clause = match rest {
        "is set" => Clause::Set(key),
        "is missing" => Clause::Missing(key),
        "is empty" => Clause::Empty(key),
        _ => {
            if let Some(values) = rest.strip_prefix("is not ") {
                Clause::IsNot(key, words(values))
            } else if let Some(values) = rest.strip_prefix("is ") {
                Clause::Is(key, words(values))
            } else if let Some(t) = rest.strip_prefix("contains ") {
                Clause::Contains(key, t.trim().trim_matches('`').to_string())
            } else if let Some(values) = rest.strip_prefix("starts with ") {
                Clause::StartsWith(key, words(values))
            } else {
                let (op, operand) = [
                    (">=", Op::GreaterOrEqual),
                    ("<=", Op::LessOrEqual),
                    (">", Op::Greater),
                    ("<", Op::Less),
                    ("=", Op::Equal),
                ]
                .iter()
                .find_map(|(sign, op)| rest.strip_prefix(sign).map(|r| (*op, r.trim().trim_matches('`'))))
                .ok_or_else(|| format!("`{text}`: unknown test {rest:?}"))?;
                let operand = match value::rule_number(operand) {
                    Some((n, unit)) => Operand::Number(n, unit),
                    None if operand.contains('.') && !operand.contains(' ') => Operand::Key(operand.to_string()),
                    None => return Err(format!("`{text}`: {operand:?} is neither a number nor a key")),
                };
                Clause::Compare(key, op, operand)
            }
        }
    };
    match &clause {
        Clause::Is(_, v) | Clause::IsNot(_, v) | Clause::StartsWith(_, v) if v.is_empty() => {
            Err(format!("`{text}` names no value"))
        }
        _ => Ok(clause),
    }
}

/// What a clause can read: a setting's value, and the caller's context.
pub trait Facts {
    /// The value of setting `key`, if present.
    fn value(&self, key: &str) -> Option<&str>;
    /// The caller's value of a context, if given.
    fn context(&self, context: Context) -> Option<&str>;
}

/// Whether a clause holds. `own` is the rule's setting with its default, used when that key is
/// absent. Context clauses are decided by the caller beforehand.
pub fn holds(clause: &Clause, facts: &dyn Facts, own: (Option<&str>, Option<&str>)) -> bool {
    let read = |key: &str| -> Option<String> {
        facts
            .value(key)
            .map(str::to_string)
            .or_else(|| (own.0 == Some(key)).then(|| own.1.map(str::to_string)).flatten())
    };
    let same = |a: &str, b: &str| a.trim().eq_ignore_ascii_case(b.trim());
    match clause {
        Clause::Context(context, values) => facts
            .context(*context)
            .is_some_and(|given| values.iter().any(|v| v == given)),
        Clause::Set(key) => facts.value(key).is_some(),
        Clause::Missing(key) => facts.value(key).is_none(),
        Clause::Empty(key) => facts.value(key).is_some_and(|v| v.trim().is_empty()),
        Clause::Is(key, values) => read(key).is_some_and(|v| values.iter().any(|w| same(&v, w))),
        Clause::IsNot(key, values) => read(key).is_some_and(|v| !values.iter().any(|w| same(&v, w))),
        Clause::Contains(key, text) => {
            read(key).is_some_and(|v| v.to_ascii_lowercase().contains(&text.to_ascii_lowercase()))
        }
        Clause::StartsWith(key, values) => read(key).is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            values.iter().any(|w| v.starts_with(&w.to_ascii_lowercase()))
        }),
        Clause::Compare(key, op, operand) => {
            let Some(left) = read(key) else { return false };
            let (right, unit) = match operand {
                Operand::Number(n, unit) => (*n, *unit),
                Operand::Key(other) => match read(other).and_then(|v| value::number(&v)) {
                    Some(n) => (n, UnitKind::Plain),
                    None => return false,
                },
            };
            value::measure(&left, unit).is_some_and(|l| op.holds(l, right))
        }
        Clause::Builtin(_) => false,
    }
}

/// The keys a rule reads, for validation against the known keys.
pub fn keys_read(rule: &Rule) -> Vec<&str> {
    let mut keys: Vec<&str> = rule.setting.as_deref().into_iter().collect();
    for clause in &rule.clauses {
        match clause {
            Clause::Set(k)
            | Clause::Missing(k)
            | Clause::Empty(k)
            | Clause::Is(k, _)
            | Clause::IsNot(k, _)
            | Clause::Contains(k, _)
            | Clause::StartsWith(k, _) => keys.push(k),
            Clause::Compare(k, _, operand) => {
                keys.push(k);
                if let Operand::Key(other) = operand {
                    keys.push(other);
                }
            }
            Clause::Context(..) | Clause::Builtin(_) => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: [&'static str; 7]) -> Result<Rule, String> {
        parse_row(|name| COLUMNS.iter().position(|c| *c == name).map(|i| cells[i]), "s")
    }

    #[test]
    fn rows_parse_into_clauses() {
        let rule = row([
            "producer-eos-acks",
            "`acks` (default all)",
            "delivery is exactly-once and acks is not all or -1",
            "error",
            "w",
            "f",
            "s",
        ])
        .unwrap();
        assert_eq!(rule.default.as_deref(), Some("all"));
        assert_eq!(
            rule.clauses,
            [
                Clause::Context(Context::Delivery, vec!["exactly-once".into()]),
                Clause::IsNot("acks".into(), vec!["all".into(), "-1".into()]),
            ]
        );
        let rule = row(["r", "`a.b`", "a.b < 1 s and a.b >= c.d", "warning", "w", "f", "s"]).unwrap();
        assert_eq!(
            rule.clauses[0],
            Clause::Compare("a.b".into(), Op::Less, Operand::Number(1000.0, UnitKind::Duration))
        );
        assert_eq!(
            rule.clauses[1],
            Clause::Compare("a.b".into(), Op::GreaterOrEqual, Operand::Key("c.d".into()))
        );
    }

    #[test]
    fn bad_rows_say_why() {
        let bad = |cells| row(cells).unwrap_err();
        assert!(bad(["r", "`a`", "a is set", "fatal", "w", "f", "s"]).contains("severity"));
        assert!(bad(["r", "`a`", "delivery is twice", "error", "w", "f", "s"]).contains("delivery is one of"));
        assert!(bad(["r", "`a`", "a frobnicates", "error", "w", "f", "s"]).contains("unknown test"));
        assert!(bad(["r", "`a`", "a is set", "error", "w", "f", ""]).contains("Source"));
        assert!(bad(["r", "any", "a is set", "error", "w", "f", "s"]).contains("built-in"));
    }

    struct Map(Vec<(&'static str, &'static str)>);
    impl Facts for Map {
        fn value(&self, key: &str) -> Option<&str> {
            self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
        }
        fn context(&self, _: Context) -> Option<&str> {
            None
        }
    }

    #[test]
    fn absent_keys_take_the_rules_default() {
        let facts = Map(vec![("replication.factor", "3"), ("min.insync.replicas", "3")]);
        let clause = Clause::IsNot("isolation.level".into(), vec!["read_committed".into()]);
        assert!(holds(
            &clause,
            &facts,
            (Some("isolation.level"), Some("read_uncommitted"))
        ));
        assert!(!holds(&clause, &facts, (None, None)));
        let compare = Clause::Compare(
            "min.insync.replicas".into(),
            Op::Equal,
            Operand::Key("replication.factor".into()),
        );
        assert!(holds(&compare, &facts, (None, None)));
    }
}
