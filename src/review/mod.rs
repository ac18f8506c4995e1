//! `review_config`: reviews a real Kafka, Flink or Spark configuration against the skill's rule
//! tables (`references/config-review-rules.md`) and its lists of known settings
//! (`skill/config-keys/`). The code here parses configurations and evaluates the kinds of
//! condition the tables use; which keys matter, their thresholds, severities and words all come
//! from the skill, so a skill author changes the review by editing a table.
//!
//! - [`parse`]: properties and YAML with line numbers.
//! - [`keys`]: the known settings of each system, with types, prefixes and typo suggestions.
//! - [`rules`]: rule rows and their condition clauses.
//! - [`value`]: numbers, durations, sizes and placeholders.

pub mod keys;
pub mod parse;
pub mod rules;
pub mod value;

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::skill::{Skill, uri};
use keys::{KeyInfo, KeyList, KeyType, KnownKeys, Lookup};
use parse::Entry;
pub use rules::Severity;
use rules::{Builtin, Clause, Context, Facts, Rule};

/// The reference document that holds the rule tables.
pub const RULES_DOCUMENT: &str = "config-review-rules";
/// The folder of the known-settings lists.
pub const KEYS_DIR: &str = "skill/config-keys";
/// The section of the rules every system shares.
pub const GENERAL_SECTION: &str = "rules-for-every-system";

/// The system a configuration is for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema, clap::ValueEnum, strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum System {
    /// A Kafka producer's properties.
    KafkaProducer,
    /// A Kafka consumer's properties.
    KafkaConsumer,
    /// A Kafka Streams application's properties.
    KafkaStreams,
    /// A topic's settings (with `partitions` and `replication.factor`).
    KafkaTopic,
    /// A broker's or controller's `server.properties`.
    KafkaBroker,
    /// Flink's `config.yaml` (flat or nested) or `flink-conf.yaml`.
    Flink,
    /// Spark session settings and Structured Streaming query options.
    SparkStreaming,
}

impl System {
    /// Every system.
    pub const ALL: [System; 7] = [
        Self::KafkaProducer,
        Self::KafkaConsumer,
        Self::KafkaStreams,
        Self::KafkaTopic,
        Self::KafkaBroker,
        Self::Flink,
        Self::SparkStreaming,
    ];

    /// Its name on the wire, which is also its key list's file name.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The slug of the section holding its rule table.
    pub fn section(self) -> String {
        format!("{}-rules", self.name())
    }

    /// Spark's query options ignore case; everything else is case-sensitive.
    fn ignores_case(self) -> bool {
        self == Self::SparkStreaming
    }
}

/// The delivery guarantee the configuration must keep.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    JsonSchema,
    clap::ValueEnum,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Delivery {
    /// Each record's effect happens once.
    ExactlyOnce,
    /// Records may repeat, never go missing.
    AtLeastOnce,
}

/// Where the configuration runs.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    Serialize,
    JsonSchema,
    clap::ValueEnum,
    strum::IntoStaticStr,
    strum::VariantNames,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Environment {
    /// Real data and users.
    Production,
    /// A developer's machine or a test cluster.
    Development,
}

/// Input of `review_config`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// What it configures.
    pub system: System,
    /// Properties, or Flink YAML.
    pub config: String,
    /// If omitted, its rules are skipped.
    pub delivery: Option<Delivery>,
    /// If omitted, its rules are skipped.
    pub environment: Option<Environment>,
}

/// One problem found.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Finding {
    /// error, warning or info.
    pub severity: Severity,
    /// The key the finding is about; for a missing setting, the key to add.
    pub setting: String,
    /// Its value as written; null when absent or secret.
    pub value: Option<String>,
    /// The rule's stable id.
    pub rule: String,
    /// What is wrong and why it matters.
    pub problem: String,
    /// What to do.
    pub fix: String,
    /// The section explaining the rule (open with read_reference).
    pub uri: String,
}

/// A key the system does not know.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct UnknownSetting {
    /// The key as written.
    pub setting: String,
    /// The closest known key, when one is close.
    pub did_you_mean: Option<String>,
}

/// The result of a review.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ConfigReview {
    /// Findings, errors first, then in line order.
    pub findings: Vec<Finding>,
    /// How many settings were read and checked.
    pub checked: usize,
    /// Keys the system does not know.
    pub unknown_settings: Vec<UnknownSetting>,
    /// What was not checked, and why.
    pub not_checked: Vec<String>,
}

impl ConfigReview {
    /// True when a finding is an error.
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// Why a review could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    /// The configuration does not parse.
    #[error("the {system} configuration does not parse: {problem}")]
    Parse {
        /// The system it was read as.
        system: &'static str,
        /// Where and why.
        problem: parse::ParseError,
    },
    /// The skill's rules or key lists are missing or do not parse.
    #[error("the skill's review rules are unusable: {0}")]
    Rules(String),
}

/// A problem with a rule row or a key list, for `validate`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    /// The file, relative to the skill folder.
    pub path: String,
    /// 1-based line (of the row or list line).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// The rules and known keys of one system.
#[derive(Debug, Clone)]
struct SystemBook {
    keys: KnownKeys,
    rules: Vec<Rule>,
}

/// Every rule and key list of a skill, parsed once.
#[derive(Debug, Clone)]
pub struct RuleBook {
    skill: String,
    general: Vec<Rule>,
    systems: HashMap<System, SystemBook>,
}

impl RuleBook {
    /// Reads the rules and key lists of `skill`; fails on the first problem (see [`check`] for
    /// all of them).
    pub fn load(skill: &Skill) -> Result<Self, ReviewError> {
        let (book, problems) = read_book(skill);
        match (book, problems.into_iter().next()) {
            (Some(book), None) => Ok(book),
            (_, Some(p)) => Err(ReviewError::Rules(format!("{}:{}: {}", p.path, p.line, p.message))),
            (None, None) => Err(ReviewError::Rules("no rules".into())),
        }
    }

    /// How many rules there are in all.
    pub fn rule_count(&self) -> usize {
        self.general.len() + self.systems.values().map(|s| s.rules.len()).sum::<usize>()
    }
}

/// Every problem with the rules and key lists of `skill`; empty when the skill has no rules
/// document (review is then unavailable, which is no error for a skill of another subject).
pub fn check(skill: &Skill) -> Vec<RuleProblem> {
    if skill.document(RULES_DOCUMENT).is_err() {
        return Vec::new();
    }
    read_book(skill).1
}

fn read_book(skill: &Skill) -> (Option<RuleBook>, Vec<RuleProblem>) {
    let mut problems = Vec::new();
    let doc = match skill.document(RULES_DOCUMENT) {
        Ok(doc) => doc,
        Err(e) => {
            problems.push(RuleProblem {
                path: format!("references/{RULES_DOCUMENT}.md"),
                line: 1,
                message: e.to_string(),
            });
            return (None, problems);
        }
    };
    let mut problem = |path: &str, line: usize, message: String| {
        problems.push(RuleProblem {
            path: path.to_string(),
            line,
            message,
        })
    };
    // Key lists.
    let mut lists: HashMap<String, KeyList> = HashMap::new();
    for path in skill.file_paths() {
        let Some(name) = path
            .strip_prefix(KEYS_DIR)
            .and_then(|p| p.strip_prefix('/'))
            .and_then(|p| p.strip_suffix(".tsv"))
        else {
            continue;
        };
        let text = skill
            .files()
            .read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        match keys::parse_list(&text) {
            Ok(list) => {
                lists.insert(name.to_string(), list);
            }
            Err(e) => problem(path, e.line, e.message),
        }
    }
    // Rule tables, by section.
    let row_line = |id: &str| {
        doc.source
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("| {id} |")))
            .map_or(1, |i| i + 1)
    };
    let mut by_section: HashMap<String, Vec<Rule>> = HashMap::new();
    for table in crate::tables::decision_tables(&doc) {
        if !rules::COLUMNS.iter().all(|c| table.column(c).is_some()) {
            continue;
        }
        let mut seen: Vec<String> = Vec::new();
        for row in &table.rows {
            match rules::parse_row(|name| table.cell(row, name), &table.section) {
                Ok(rule) => {
                    if seen.contains(&rule.id) {
                        problem(
                            &doc.path,
                            row_line(&rule.id),
                            format!("rule {} is given twice", rule.id),
                        );
                    }
                    seen.push(rule.id.clone());
                    by_section.entry(table.section.clone()).or_default().push(rule);
                }
                Err(message) => {
                    let id = row.first().map(String::as_str).unwrap_or_default();
                    problem(&doc.path, row_line(id), format!("rule {id}: {message}"));
                }
            }
        }
    }
    let general = by_section.remove(GENERAL_SECTION).unwrap_or_default();
    if general.is_empty() {
        problem(
            &doc.path,
            1,
            format!("no rule table under a section `{GENERAL_SECTION}`"),
        );
    }
    let mut systems = HashMap::new();
    for system in System::ALL {
        if !lists.contains_key(system.name()) {
            problem(KEYS_DIR, 1, format!("no key list {KEYS_DIR}/{}.tsv", system.name()));
            continue;
        }
        let known = match KnownKeys::resolve(system.name(), &lists, system.ignores_case()) {
            Ok(known) => known,
            Err(message) => {
                problem(&format!("{KEYS_DIR}/{}.tsv", system.name()), 1, message);
                continue;
            }
        };
        let Some(rules) = by_section.remove(&system.section()) else {
            problem(
                &doc.path,
                1,
                format!("no rule table under a section `{}`", system.section()),
            );
            continue;
        };
        for rule in &rules {
            for key in rules::keys_read(rule) {
                let known_key = !matches!(known.lookup(key), Lookup::Unknown);
                let removed = rule.removed && rule.setting.as_deref() == Some(key);
                if !known_key && !removed {
                    problem(
                        &doc.path,
                        row_line(&rule.id),
                        format!("rule {} reads `{key}`, which {} does not know", rule.id, system.name()),
                    );
                }
            }
        }
        systems.insert(system, SystemBook { keys: known, rules });
    }
    let book = RuleBook {
        skill: skill.name().to_string(),
        general,
        systems,
    };
    (Some(book), problems)
}

/// The configuration under review, as clauses read it.
struct Reviewed<'a> {
    entries: &'a [Entry],
    /// Key (lower-cased when the system ignores case) to the index of its last entry.
    last: HashMap<String, usize>,
    keys: &'a KnownKeys,
    input: &'a ReviewInput,
    ignore_case: bool,
}

impl Reviewed<'_> {
    fn index(&self, key: &str) -> Option<usize> {
        if self.ignore_case {
            self.last.get(&key.to_ascii_lowercase()).copied()
        } else {
            self.last.get(key).copied()
        }
    }

    fn entry(&self, key: &str) -> Option<&Entry> {
        self.index(key)
            .or_else(|| self.keys.deprecated_names(key).iter().find_map(|old| self.index(old)))
            .map(|i| &self.entries[i])
    }
}

impl Facts for Reviewed<'_> {
    fn value(&self, key: &str) -> Option<&str> {
        self.entry(key).map(|e| e.value.as_str())
    }

    fn context(&self, context: Context) -> Option<&str> {
        match context {
            Context::Delivery => self.input.delivery.map(<&str>::from),
            Context::Environment => self.input.environment.map(<&str>::from),
        }
    }
}

/// Whether a setting holds a secret, whose value is never echoed: a password-typed key, or a
/// text key whose last two name parts speak of a password, secret or credentials, or a JAAS line.
fn is_secret(key: &str, info: Option<&KeyInfo>) -> bool {
    match info.map(|i| &i.ty) {
        Some(KeyType::Password) => return true,
        Some(KeyType::Text) | None => {}
        Some(_) => return false,
    }
    let key = key.to_ascii_lowercase();
    if key.ends_with("jaas.config") {
        return true;
    }
    let tail: Vec<&str> = key.rsplit('.').take(2).collect();
    tail.iter()
        .any(|part| part.contains("password") || part.contains("secret") || part.contains("credentials"))
}

/// Whether a secret setting's value is written in clear rather than read from a provider.
fn literal_secret(key: &str, value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() || value::is_placeholder(value) {
        return false;
    }
    if !key.to_ascii_lowercase().ends_with("jaas.config") {
        return true;
    }
    // A JAAS line holds a secret when it has a `password=` option with a literal value.
    let lower = value.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find("password") {
        let after = lower[from + found + "password".len()..].trim_start();
        if let Some(rest) = after.strip_prefix('=') {
            let rest = rest.trim_start();
            let secret = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
                _ => rest.split([' ', ';']).next().unwrap_or_default(),
            };
            if !secret.is_empty() && !value::is_placeholder(secret) {
                return true;
            }
        }
        from += found + "password".len();
    }
    false
}

/// Reviews one configuration.
pub fn review(book: &RuleBook, input: &ReviewInput) -> Result<ConfigReview, ReviewError> {
    let system = input.system;
    let entries = match system {
        System::Flink => parse::yaml(&input.config),
        _ => parse::properties(&input.config),
    }
    .map_err(|problem| ReviewError::Parse {
        system: system.name(),
        problem,
    })?;
    let sb = book
        .systems
        .get(&system)
        .ok_or_else(|| ReviewError::Rules(format!("no rules for {}", system.name())))?;
    let ignore_case = system.ignores_case();
    let fold = |k: &str| {
        if ignore_case {
            k.to_ascii_lowercase()
        } else {
            k.to_string()
        }
    };
    let mut last = HashMap::with_capacity(entries.len());
    let mut lines: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        last.insert(fold(&e.key), i);
        lines.entry(fold(&e.key)).or_default().push(e.line);
    }
    let reviewed = Reviewed {
        entries: &entries,
        last,
        keys: &sb.keys,
        input,
        ignore_case,
    };
    let section_uri = |section: &str| uri::section_uri(&book.skill, RULES_DOCUMENT, section);
    // (line for ordering, finding, from a built-in check)
    let mut found: Vec<(usize, Finding, bool)> = Vec::new();
    let mut unknown_settings = Vec::new();

    // Built-in checks, each at most once per key, in line order.
    let mut done: Vec<String> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let key = fold(&entry.key);
        let lookup = sb.keys.lookup(&entry.key);
        let info = match lookup {
            Lookup::Known(info) => Some(info),
            _ => None,
        };
        let secret = is_secret(&entry.key, info);
        let shown = |v: &str| (!secret).then(|| v.to_string());
        let first_time = !done.contains(&key);
        if first_time && lookup == Lookup::Unknown {
            let suggestion = sb.keys.suggest(&entry.key);
            unknown_settings.push(UnknownSetting {
                setting: entry.key.clone(),
                did_you_mean: suggestion.clone(),
            });
            if let Some(suggestion) = suggestion {
                for rule in builtin_rules(book, Builtin::Misspelt) {
                    found.push((
                        entry.line,
                        Finding {
                            severity: rule.severity,
                            setting: entry.key.clone(),
                            value: shown(&entry.value),
                            rule: rule.id.clone(),
                            problem: format!(
                                "`{}` is not a {} setting; did you mean `{suggestion}`? {}",
                                entry.key,
                                system.name(),
                                rule.why
                            ),
                            fix: format!("Rename it to `{suggestion}`."),
                            uri: section_uri(&rule.section),
                        },
                        true,
                    ));
                }
            }
        }
        let is_last = reviewed.index(&entry.key) == Some(i);
        if let Some(info) = info.filter(|_| is_last) {
            if !info.ty.accepts(&entry.value) {
                for rule in builtin_rules(book, Builtin::WrongType) {
                    let written = if secret {
                        "The value".to_string()
                    } else {
                        format!("`{}`", entry.value)
                    };
                    found.push((
                        entry.line,
                        Finding {
                            severity: rule.severity,
                            setting: entry.key.clone(),
                            value: shown(&entry.value),
                            rule: rule.id.clone(),
                            problem: format!("{written} is not {}. {}", info.ty.describe(), rule.why),
                            fix: rule.fix.clone(),
                            uri: section_uri(&rule.section),
                        },
                        true,
                    ));
                }
            }
            if let Some(new) = &info.replaced_by {
                for rule in builtin_rules(book, Builtin::Deprecated) {
                    found.push((
                        entry.line,
                        Finding {
                            severity: rule.severity,
                            setting: entry.key.clone(),
                            value: shown(&entry.value),
                            rule: rule.id.clone(),
                            problem: format!("`{}` is deprecated in favour of `{new}`. {}", entry.key, rule.why),
                            fix: format!("Rename it to `{new}`."),
                            uri: section_uri(&rule.section),
                        },
                        true,
                    ));
                }
            }
        }
        if secret && literal_secret(&entry.key, &entry.value) {
            for rule in builtin_rules(book, Builtin::SecretInClear) {
                found.push((
                    entry.line,
                    Finding {
                        severity: rule.severity,
                        setting: entry.key.clone(),
                        value: None,
                        rule: rule.id.clone(),
                        problem: format!(
                            "`{}` on line {} holds a literal secret. {}",
                            entry.key, entry.line, rule.why
                        ),
                        fix: rule.fix.clone(),
                        uri: section_uri(&rule.section),
                    },
                    true,
                ));
            }
        }
        if first_time {
            let at = &lines[&key];
            if at.len() > 1 {
                for rule in builtin_rules(book, Builtin::Duplicate) {
                    let list = at.iter().map(usize::to_string).collect::<Vec<_>>().join(" and ");
                    found.push((
                        entry.line,
                        Finding {
                            severity: rule.severity,
                            setting: entry.key.clone(),
                            value: reviewed.value(&entry.key).and_then(shown),
                            rule: rule.id.clone(),
                            problem: format!(
                                "`{}` is given on lines {list}; the last one wins. {}",
                                entry.key, rule.why
                            ),
                            fix: rule.fix.clone(),
                            uri: section_uri(&rule.section),
                        },
                        true,
                    ));
                }
            }
            done.push(key);
        }
    }

    // The system's rules.
    let mut skipped: Vec<(Context, String)> = Vec::new();
    for rule in &sb.rules {
        let Some(setting) = rule.setting.as_deref() else {
            continue;
        };
        let missing_context = rule.clauses.iter().find_map(|c| match c {
            Clause::Context(context, _) if reviewed.context(*context).is_none() => Some(*context),
            _ => None,
        });
        if let Some(context) = missing_context {
            skipped.push((context, rule.id.clone()));
            continue;
        }
        let own = (Some(setting), rule.default.as_deref());
        if !rule.clauses.iter().all(|c| rules::holds(c, &reviewed, own)) {
            continue;
        }
        let entry = reviewed.entry(setting);
        let info = match sb.keys.lookup(setting) {
            Lookup::Known(info) => Some(info),
            _ => None,
        };
        let value = entry.filter(|_| !is_secret(setting, info)).map(|e| e.value.clone());
        let problem = match (entry, &value) {
            (Some(e), Some(v)) => format!("`{setting}={v}` (line {}): {}", e.line, rule.why),
            (Some(e), None) => format!("`{setting}` (line {}): {}", e.line, rule.why),
            (None, _) => match &rule.default {
                Some(default) if !rule.clauses.iter().any(|c| *c == Clause::Missing(setting.to_string())) => {
                    format!("`{setting}` is not set, so it is `{default}`: {}", rule.why)
                }
                _ => format!("`{setting}` is not set: {}", rule.why),
            },
        };
        found.push((
            entry.map_or(usize::MAX, |e| e.line),
            Finding {
                severity: rule.severity,
                setting: entry.map_or_else(|| setting.to_string(), |e| e.key.clone()),
                value,
                rule: rule.id.clone(),
                problem,
                fix: rule.fix.clone(),
                uri: section_uri(&rule.section),
            },
            false,
        ));
    }

    // On one setting, a rule's finding gives way to a more serious one from another rule.
    let worst: HashMap<String, Severity> =
        found
            .iter()
            .filter(|(_, _, builtin)| !builtin)
            .fold(HashMap::new(), |mut m, (_, f, _)| {
                let e = m.entry(f.setting.clone()).or_insert(f.severity);
                *e = (*e).min(f.severity);
                m
            });
    found.retain(|(_, f, builtin)| *builtin || worst.get(&f.setting).is_none_or(|w| *w == f.severity));
    found.sort_by_key(|(line, f, _)| (f.severity, *line));

    let mut not_checked = Vec::new();
    for context in [Context::Delivery, Context::Environment] {
        let ids: Vec<&str> = skipped
            .iter()
            .filter(|(c, _)| *c == context)
            .map(|(_, id)| id.as_str())
            .collect();
        if !ids.is_empty() {
            not_checked.push(format!(
                "{} not given: {} rule{} not checked ({})",
                context.name(),
                ids.len(),
                if ids.len() == 1 { "" } else { "s" },
                ids.join(", ")
            ));
        }
    }
    Ok(ConfigReview {
        findings: found.into_iter().map(|(_, f, _)| f).collect(),
        checked: done.len(),
        unknown_settings,
        not_checked,
    })
}

fn builtin_rules(book: &RuleBook, builtin: Builtin) -> impl Iterator<Item = &Rule> {
    book.general
        .iter()
        .filter(move |r| r.clauses.contains(&Clause::Builtin(builtin)))
}

/// A short text rendering: a summary line, errors first, then unknown keys and what was not
/// checked.
pub fn text(system: System, review: &ConfigReview) -> String {
    let count = |s: Severity| review.findings.iter().filter(|f| f.severity == s).count();
    let mut out = format!(
        "{} review: {} error(s), {} warning(s), {} note(s) in {} settings\n",
        system.name(),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        review.checked
    );
    for f in &review.findings {
        let label: &str = f.severity.into();
        out.push_str(&format!(
            "{label} [{}] {}: {}\n  fix: {}\n  see: {}\n",
            f.rule, f.setting, f.problem, f.fix, f.uri
        ));
    }
    if !review.unknown_settings.is_empty() {
        let list: Vec<String> = review
            .unknown_settings
            .iter()
            .map(|u| match &u.did_you_mean {
                Some(s) => format!("{} (did you mean {s}?)", u.setting),
                None => u.setting.clone(),
            })
            .collect();
        out.push_str(&format!("unknown settings: {}\n", list.join(", ")));
    }
    for n in &review.not_checked {
        out.push_str(&format!("not checked: {n}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_strings_match_the_wire_names() {
        use crate::testing::same_names;
        same_names::<System>();
        same_names::<Delivery>();
        same_names::<Environment>();
        for s in [Severity::Error, Severity::Warning, Severity::Info] {
            assert_eq!(serde_json::to_value(s).unwrap(), <&str>::from(s));
            assert_eq!(<&str>::from(s).to_uppercase().parse::<Severity>(), Ok(s));
        }
    }

    fn book() -> RuleBook {
        RuleBook::load(&Skill::embedded().unwrap()).unwrap()
    }

    fn run(system: System, config: &str, delivery: Option<Delivery>, environment: Option<Environment>) -> ConfigReview {
        let input = ReviewInput {
            system,
            config: config.into(),
            delivery,
            environment,
        };
        review(&book(), &input).unwrap()
    }

    #[test]
    fn the_embedded_rules_parse() {
        assert!(
            check(&Skill::embedded().unwrap()).is_empty(),
            "{:?}",
            check(&Skill::embedded().unwrap())
        );
        assert!(book().rule_count() > 40);
    }

    #[test]
    fn exactly_once_producer_with_acks_one() {
        let r = run(System::KafkaProducer, "acks=1\n", Some(Delivery::ExactlyOnce), None);
        let acks = r.findings.iter().find(|f| f.setting == "acks").unwrap();
        assert_eq!(
            (acks.severity, acks.rule.as_str()),
            (Severity::Error, "producer-eos-acks")
        );
        assert_eq!(acks.value.as_deref(), Some("1"));
        assert!(acks.uri.ends_with("/sections/config-review-rules/kafka-producer-rules"));
        assert!(r.not_checked.iter().any(|n| n.starts_with("environment not given")));
    }

    #[test]
    fn secrets_are_never_echoed() {
        let config = "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"hunter2\";\nssl.key.password=hunter2\n";
        let r = run(System::KafkaConsumer, config, None, None);
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("hunter2"), "{json}");
        assert!(!text(System::KafkaConsumer, &r).contains("hunter2"));
        assert_eq!(r.findings.iter().filter(|f| f.rule == "secret-in-clear").count(), 2);
        let provided = "sasl.jaas.config=${file:/etc/kafka/jaas.properties:jaas}\n";
        let r = run(System::KafkaConsumer, provided, None, None);
        assert!(r.findings.iter().all(|f| f.rule != "secret-in-clear"), "{r:?}");
        // A number about passwords is no secret; a text key named as one is.
        let broker = "password.encoder.key.length=128\npassword.encoder.cipher.algorithm=AES/CBC/PKCS5Padding\n";
        assert!(
            run(System::KafkaBroker, broker, None, None)
                .findings
                .iter()
                .all(|f| f.rule != "secret-in-clear")
        );
        let spark = "spark.hadoop.fs.s3a.secret.key=abc123\n";
        let r = run(System::SparkStreaming, spark, None, None);
        assert!(
            r.findings
                .iter()
                .any(|f| f.rule == "secret-in-clear" && f.value.is_none())
        );
    }

    #[test]
    fn typos_duplicates_and_types() {
        let r = run(
            System::KafkaProducer,
            "enable.idempotency=true\nlinger.ms=5\nlinger.ms=ten\n",
            None,
            None,
        );
        assert_eq!(
            r.unknown_settings,
            [UnknownSetting {
                setting: "enable.idempotency".into(),
                did_you_mean: Some("enable.idempotence".into())
            }]
        );
        let rules: Vec<&str> = r.findings.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["wrong-type", "misspelt-setting", "duplicate-setting"]);
        assert!(r.findings[2].problem.contains("lines 2 and 3"));
        assert_eq!(r.checked, 2);
    }

    #[test]
    fn unparseable_input_names_the_line() {
        let input = ReviewInput {
            system: System::Flink,
            config: "parallelism.default: 4\nthis is not yaml\n".into(),
            delivery: None,
            environment: None,
        };
        let err = review(&book(), &input).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
