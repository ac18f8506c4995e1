//! `validate`: checks a skill folder the way a skill author needs, and reports each finding
//! with a path, line, column and severity. It sits in the application layer, beside the
//! library: it runs the checks each domain module owns (routing catalog, questions, thesaurus,
//! review rules, deciding features), and the library loads a skills root's folders only when
//! they pass.

use std::path::Path;

use serde::Serialize;

use crate::skill::links::{self, LinkTarget};
use crate::skill::{Document, SKILL_MD, Skill, SkillError, SkillFiles};

/// The longest `SKILL.md` the Agent Skills guidance recommends, in lines.
pub const MAX_SKILL_MD_LINES: usize = 500;

/// The name of the streaming-data skill, which must support every deciding tool and prompt.
const STREAMING_SKILL: &str = "streaming-data-skill";

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema, strum::IntoStaticStr)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    /// The skill breaks the specification or links to nothing: fix it.
    Error,
    /// The skill works but a reader or a tool will stumble.
    Warning,
}

/// One problem found in a skill.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// The file, relative to the skill folder.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// A short rule name (`frontmatter`, `broken-link`, `empty-section`, ...).
    pub rule: &'static str,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let severity: &str = self.severity.into();
        write!(
            f,
            "{}:{}:{}: {severity}[{}]: {}",
            self.path, self.line, self.column, self.rule, self.message
        )
    }
}

/// Validates the skill in folder `dir`.
pub fn validate_dir(dir: &Path) -> Vec<Finding> {
    let files = match SkillFiles::directory_of_skill(dir) {
        Ok(files) => files,
        Err(e) => return vec![load_finding(e)],
    };
    let outside: Vec<Finding> = files
        .outside_links()
        .iter()
        .map(|path| Finding {
            severity: Severity::Warning,
            path: path.clone(),
            line: 1,
            column: 1,
            rule: "symlink-outside",
            message:
                "a symlink whose target is outside the skill folder: it is left out of the skill, never read or served"
                    .into(),
        })
        .collect();
    let skill = match Skill::load(files) {
        Ok(skill) => skill,
        Err(e) => return std::iter::once(load_finding(e)).chain(outside).collect(),
    };
    let mut findings = validate(&skill);
    findings.extend(outside);
    let folder = skill
        .files()
        .root()
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    if let Some(folder) = folder.filter(|f| f != skill.name()) {
        findings.push(Finding {
            severity: Severity::Warning,
            path: SKILL_MD.into(),
            line: skill.frontmatter().line_of("name"),
            column: 1,
            rule: "name-matches-folder",
            message: format!(
                "`name` is {:?} but the folder is named {folder:?}; the Agent Skills spec expects them to match",
                skill.name()
            ),
        });
    }
    findings.sort_by(|a, b| (a.severity, &a.path, a.line, a.column).cmp(&(b.severity, &b.path, b.line, b.column)));
    findings
}

/// Validates a skill from any file store (the embedded one included).
pub fn validate_files(files: SkillFiles) -> Vec<Finding> {
    match Skill::load(files) {
        Ok(skill) => validate(&skill),
        Err(e) => vec![load_finding(e)],
    }
}

/// Validates a loaded skill: front matter rules, and every document's links, sections, tables
/// and code fences.
pub fn validate(skill: &Skill) -> Vec<Finding> {
    let mut findings = Vec::new();
    for problem in skill.frontmatter().problems() {
        findings.push(Finding {
            severity: Severity::Error,
            path: SKILL_MD.into(),
            line: problem.line,
            column: problem.column,
            rule: "frontmatter",
            message: problem.message,
        });
    }
    let skill_md = skill.skill_md();
    let lines = skill_md.lines.line_count() - usize::from(skill_md.source.ends_with('\n'));
    if lines > MAX_SKILL_MD_LINES {
        findings.push(Finding {
            severity: Severity::Warning,
            path: SKILL_MD.into(),
            line: MAX_SKILL_MD_LINES + 1,
            column: 1,
            rule: "skill-md-length",
            message: format!(
                "SKILL.md has {lines} lines; keep it under {MAX_SKILL_MD_LINES} and move detail into references"
            ),
        });
    }
    let names: Vec<(String, String)> = skill
        .document_names()
        .map(|(n, p)| (n.to_string(), p.to_string()))
        .collect();
    for (_, path) in names {
        match skill.document(&path) {
            Ok(doc) => check_document(skill, &doc, &mut findings),
            Err(e) => findings.push(load_finding(e)),
        }
    }
    // A deciding tool or prompt the skill means to support must find what it reads.
    for feature in &crate::decide::contract::FEATURES {
        if skill.name() != STREAMING_SKILL && !feature.claimed_by(skill) {
            continue;
        }
        for gap in feature.gaps(skill) {
            findings.push(Finding {
                severity: Severity::Error,
                path: gap.path,
                line: gap.line,
                column: 1,
                rule: "decision-contract",
                message: format!("{} needs this: {}", feature.name, gap.message),
            });
        }
    }
    check_routing_catalog(skill, &mut findings);
    check_questions(skill, &mut findings);
    check_thesaurus(skill, &mut findings);
    // The configuration review rules must parse and name keys their system knows.
    for problem in crate::review::check(skill) {
        findings.push(Finding {
            severity: Severity::Error,
            path: problem.path,
            line: problem.line,
            column: 1,
            rule: "review-rule",
            message: problem.message,
        });
    }
    findings
}

/// The routing catalog, when the skill has one, must parse, and its domain gate must hold
/// together (see [`crate::routing::domain::check`]).
fn check_routing_catalog(skill: &Skill, findings: &mut Vec<Finding>) {
    use crate::routing::catalog::{CATALOG_PATH, SiblingCatalog};
    if !skill.files().exists(CATALOG_PATH) {
        return;
    }
    let Ok(bytes) = skill.files().read(CATALOG_PATH) else {
        return;
    };
    let yaml = String::from_utf8_lossy(&bytes);
    let catalog = match SiblingCatalog::parse(&yaml) {
        Ok(catalog) => catalog,
        Err(e) => {
            findings.push(Finding {
                severity: Severity::Error,
                path: CATALOG_PATH.into(),
                line: e.line,
                column: e.column,
                rule: "routing-catalog",
                message: e.message,
            });
            return;
        }
    };
    for problem in crate::routing::domain::check(&catalog.domain_gate) {
        // The line of the field the problem concerns, else of the section.
        let needle = problem
            .field
            .as_deref()
            .map_or_else(|| "domain_gate:".to_string(), |f| format!("field: {f}"));
        let line = yaml.lines().position(|l| l.contains(&needle)).map_or(1, |i| i + 1);
        findings.push(Finding {
            severity: Severity::Error,
            path: CATALOG_PATH.into(),
            line,
            column: 1,
            rule: "domain-gate",
            message: problem.message,
        });
    }
}

/// The questions files (`skill/questions/*.yaml`) must parse and name documents and sections the
/// skill has, with no empty list and no entry twice.
fn check_questions(skill: &Skill, findings: &mut Vec<Finding>) {
    use crate::search::questions;
    let (files, errors) = questions::load(skill.files().entries());
    for error in errors {
        findings.push(Finding {
            severity: Severity::Error,
            path: error.path,
            line: error.line,
            column: error.column,
            rule: "questions",
            message: error.message,
        });
    }
    if files.is_empty() {
        return;
    }
    let documents: Vec<(String, Vec<String>)> = skill
        .document_names()
        .filter_map(|(_, path)| {
            let doc = skill.document(path).ok()?;
            Some((
                doc.path.clone(),
                doc.markdown.sections.iter().map(|s| s.slug.clone()).collect(),
            ))
        })
        .collect();
    for problem in questions::check(&files, &documents) {
        findings.push(Finding {
            severity: Severity::Error,
            path: problem.path,
            line: problem.line,
            column: problem.column,
            rule: problem.rule,
            message: problem.message,
        });
    }
}

/// The thesaurus (`skill/thesaurus.yaml`) must parse, with no empty entry or repeated phrase; a
/// meaning no document uses is a warning.
fn check_thesaurus(skill: &Skill, findings: &mut Vec<Finding>) {
    use crate::search::thesaurus::{self, THESAURUS_FILE};
    use crate::text::analyzer::{analyze, search_analyzer};
    let Ok(bytes) = skill.files().read(THESAURUS_FILE) else {
        return;
    };
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|_| (1, 1, "the file is not UTF-8".to_string()))
        .and_then(|text| thesaurus::parse(THESAURUS_FILE, text).map_err(|e| (e.line, e.column, e.message)));
    let file = match parsed {
        Ok(file) => file,
        Err((line, column, message)) => {
            findings.push(Finding {
                severity: Severity::Error,
                path: THESAURUS_FILE.into(),
                line,
                column,
                rule: "thesaurus",
                message,
            });
            return;
        }
    };
    let mut analyzer = search_analyzer();
    let mut corpus = std::collections::HashSet::new();
    for (_, path) in skill.document_names() {
        let Ok(doc) = skill.document(path) else { continue };
        for section in &doc.markdown.sections {
            for text in [&section.heading, &section.text, &section.code] {
                corpus.extend(analyze(&mut analyzer, text).into_iter().map(|t| t.term));
            }
        }
    }
    for problem in thesaurus::check(&file, &mut analyzer, |term| corpus.contains(term)) {
        findings.push(Finding {
            severity: if problem.error {
                Severity::Error
            } else {
                Severity::Warning
            },
            path: THESAURUS_FILE.into(),
            line: problem.line,
            column: problem.column,
            rule: "thesaurus",
            message: problem.message,
        });
    }
}

fn load_finding(error: SkillError) -> Finding {
    let (path, line, column) = match &error {
        SkillError::Frontmatter { path, line, column, .. } | SkillError::NotUtf8 { path, line, column } => {
            (path.clone(), *line, *column)
        }
        SkillError::Io { path, .. } | SkillError::FileNotFound { path } => (path.clone(), 1, 1),
        _ => (SKILL_MD.to_string(), 1, 1),
    };
    let message = match &error {
        SkillError::Frontmatter { message, .. } => message.clone(),
        SkillError::FileNotFound { path } if path == SKILL_MD => "the folder has no SKILL.md".into(),
        other => other.to_string(),
    };
    Finding {
        severity: Severity::Error,
        path,
        line,
        column,
        rule: "load",
        message,
    }
}

fn check_document(skill: &Skill, doc: &Document, findings: &mut Vec<Finding>) {
    let at = |offset: usize| doc.position(offset);
    let mut push = |severity, offset: usize, rule, message: String| {
        let (line, column) = at(offset);
        findings.push(Finding {
            severity,
            path: doc.path.clone(),
            line,
            column,
            rule,
            message,
        });
    };
    for link in &doc.markdown.links {
        match links::resolve(&doc.path, &link.destination) {
            LinkTarget::External => {}
            LinkTarget::Outside => push(
                Severity::Error,
                link.range.start,
                "broken-link",
                format!(
                    "link to {:?} leaves the skill folder; keep linked files inside it",
                    link.destination
                ),
            ),
            LinkTarget::Anchor(anchor) => {
                if !doc.markdown.sections.iter().any(|s| s.slug == anchor) {
                    push(
                        Severity::Warning,
                        link.range.start,
                        "broken-anchor",
                        format!("no heading has the anchor #{anchor}"),
                    );
                }
            }
            LinkTarget::File { path, anchor } => {
                if !skill.files().exists(&path) {
                    push(
                        Severity::Error,
                        link.range.start,
                        "broken-link",
                        format!("link to {:?} names no file of the skill", link.destination),
                    );
                } else if let Some(anchor) = anchor.filter(|a| !a.is_empty() && path.ends_with(".md"))
                    && let Ok(target) = skill.document(&path)
                    && !target.markdown.sections.iter().any(|s| s.slug == anchor)
                {
                    push(
                        Severity::Warning,
                        link.range.start,
                        "broken-anchor",
                        format!("{path} has no heading with the anchor #{anchor}"),
                    );
                }
            }
        }
    }
    for (i, section) in doc.markdown.sections.iter().enumerate() {
        let content = &doc.source[section.content_range.clone()];
        let has_children = doc
            .markdown
            .sections
            .get(i + 1)
            .is_some_and(|next| next.parent == Some(i));
        if content.trim().is_empty() && !has_children {
            push(
                Severity::Warning,
                section.heading_range.start,
                "empty-section",
                format!("section {:?} has no content", section.heading),
            );
        }
    }
    for table in &doc.markdown.tables {
        let width = table.header.len();
        for (count, range) in table.source_cell_counts.iter().zip(&table.row_ranges) {
            if *count != width {
                push(
                    Severity::Error,
                    range.start,
                    "ragged-table",
                    format!("table row has {count} cells but the header has {width}"),
                );
            }
        }
    }
    for block in &doc.markdown.code_blocks {
        if block.language.is_none() {
            let what = if block.fenced {
                "code fence names no language"
            } else {
                "indented code block names no language; use a fence with one"
            };
            push(Severity::Warning, block.range.start, "code-language", what.to_string());
        }
    }
}

/// Whether any finding is an error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skill_dir(skill_md: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::Builder::new().prefix("x").tempdir().unwrap();
        std::fs::write(dir.path().join("SKILL.md"), skill_md).unwrap();
        for (path, text) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    fn rendered(findings: &[Finding]) -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.rule != "name-matches-folder")
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_routing_catalog_and_its_domain_gate_are_checked() {
        let skill_md = "---\nname: x\ndescription: d\n---\n# X\n\nText.\n";
        let path = crate::routing::catalog::CATALOG_PATH;
        let yaml = String::from_utf8(SkillFiles::embedded().read(path).unwrap()).unwrap();
        let bad = yaml.replacen("context: [youtube,", "context: [kafka consumer, youtube,", 1);
        assert_ne!(bad, yaml);
        let dir = skill_dir(skill_md, &[(path, &bad)]);
        let field_line = bad.lines().position(|l| l.contains("field: media streaming")).unwrap() + 1;
        let findings: Vec<Finding> = validate_dir(dir.path())
            .into_iter()
            .filter(|f| f.rule == "domain-gate")
            .collect();
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!((findings[0].path.as_str(), findings[0].line), (path, field_line));
        assert!(findings[0].message.contains("also pipeline evidence"), "{findings:#?}");

        let dir = skill_dir(skill_md, &[(path, "skill: x\nsurprise: 1\n")]);
        let findings = validate_dir(dir.path());
        assert!(
            findings
                .iter()
                .any(|f| f.rule == "routing-catalog" && f.line == 2 && f.severity == Severity::Error),
            "{findings:#?}"
        );
    }

    #[test]
    fn embedded_skill_has_no_errors() {
        let findings = validate_files(SkillFiles::embedded());
        assert!(!has_errors(&findings), "{findings:#?}");
    }

    #[test]
    fn reports_each_problem_with_its_position() {
        let dir = skill_dir(
            "---\nname: x\ndescription: d\n---\n# X\n\nSee [gone](references/gone.md) and [out](../out.md).\n\n## Empty\n\n## Table\n\n| a | b |\n|---|---|\n| 1 |\n\n```\ncode\n```\n",
            &[],
        );
        let findings = validate_dir(dir.path());
        assert_eq!(
            rendered(&findings),
            [
                "SKILL.md:7:5: error[broken-link]: link to \"references/gone.md\" names no file of the skill",
                "SKILL.md:7:36: error[broken-link]: link to \"../out.md\" leaves the skill folder; keep linked files inside it",
                "SKILL.md:15:1: error[ragged-table]: table row has 1 cells but the header has 2",
                "SKILL.md:9:1: warning[empty-section]: section \"Empty\" has no content",
                "SKILL.md:17:1: warning[code-language]: code fence names no language",
            ]
        );
        assert!(has_errors(&findings));
    }

    #[test]
    fn review_rules_that_do_not_parse_are_errors() {
        let embedded = crate::skill::SkillFiles::embedded();
        let mut files: Vec<(String, String)> = embedded
            .entries()
            .into_iter()
            .map(|(p, b)| (p.to_string(), String::from_utf8_lossy(b).into_owned()))
            .collect();
        let rules = files
            .iter_mut()
            .find(|(p, _)| p == "references/config-review-rules.md")
            .unwrap();
        rules.1 = rules
            .1
            .replacen("| error | Idempotence", "| fatal | Idempotence", 1)
            .replacen("acks is 0 |", "acks is 0 and acks.typo is set |", 1);
        let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        let skill_md = borrowed.iter().find(|(p, _)| *p == SKILL_MD).unwrap().1;
        let rest: Vec<(&str, &str)> = borrowed.iter().filter(|(p, _)| *p != SKILL_MD).copied().collect();
        let dir = skill_dir(skill_md, &rest);
        let findings: Vec<Finding> = validate_dir(dir.path())
            .into_iter()
            .filter(|f| f.rule == "review-rule")
            .collect();
        let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(findings.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("producer-eos-acks: severity \"fatal\""),
            "{messages:?}"
        );
        assert!(messages[1].contains("reads `acks.typo`"), "{messages:?}");
        assert!(
            findings
                .iter()
                .all(|f| f.path == "references/config-review-rules.md" && f.line > 1)
        );
    }

    #[test]
    fn bad_front_matter_stops_loading() {
        let dir = skill_dir("---\nname: x\ndescription: [oops\n---\n", &[]);
        let findings = validate_dir(dir.path());
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0]
                .to_string()
                .starts_with("SKILL.md:3:14: error[load]: invalid YAML"),
            "{}",
            findings[0]
        );
    }

    #[test]
    fn missing_skill_md() {
        let dir = tempfile::tempdir().unwrap();
        let findings = validate_dir(dir.path());
        assert_eq!(
            findings[0].to_string(),
            "SKILL.md:1:1: error[load]: the folder has no SKILL.md"
        );
    }
}
