//! Reading a document, or one section of it, within a token budget: the whole text when it
//! fits; else whole subsections, a table of contents with the top-level sections that fit, or
//! the list of sections alone, each cut at a paragraph, line or word boundary as a last resort.

use serde::Serialize;

use super::{LibraryError, SkillLibrary, reply_tokens};
use crate::skill::{Document, uri};

/// Budget for reading a document or section when the caller names none.
pub const DEFAULT_READ_TOKENS: usize = 4_000;
/// The smallest budget a caller may ask for.
pub const MIN_MAX_TOKENS: usize = 150;

/// One entry of a table of contents.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct SectionEntry {
    /// The section's slug, for `read_reference`.
    pub slug: String,
    /// The heading text.
    pub heading: String,
    /// Heading level (1 to 6).
    pub level: u8,
}

/// A document or one of its sections, as markdown.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ReadReply {
    /// The skill the document belongs to.
    pub skill: String,
    /// The document's name.
    pub document: String,
    /// The section's slug, when one section was read.
    pub section: Option<String>,
    /// The `skill://` URI of what was read.
    pub uri: String,
    /// The markdown.
    pub content: String,
    /// Navigation: the document's sections (when reading a whole document) or the read
    /// section's subsections.
    pub sections: Vec<SectionEntry>,
    /// True when the content was cut to stay within the token budget.
    pub truncated: bool,
    /// The slug of the section to read next: the first one left out, or the one after.
    pub next_section: Option<String>,
}

impl SkillLibrary {
    /// Reads a document, or one section of it (with its subsections), within `max_tokens`
    /// (default [`DEFAULT_READ_TOKENS`]).
    pub fn read(
        &self,
        skill: Option<&str>,
        document: &str,
        section: Option<&str>,
        max_tokens: Option<usize>,
    ) -> Result<ReadReply, LibraryError> {
        let budget = check_budget(max_tokens)?.unwrap_or(DEFAULT_READ_TOKENS);
        let section = section
            .map(str::to_string)
            .or_else(|| match uri::SkillUri::parse(document) {
                Some(uri::SkillUri::Section { section, .. }) => Some(section),
                _ => None,
            });
        let (skill, doc) = self.document(skill, document)?;
        match section {
            Some(section) => {
                let (index, _) = doc.find_section(&section)?;
                Ok(read_section(skill.name(), &doc, index, budget))
            }
            None => Ok(read_document(skill.name(), &doc, budget)),
        }
    }
}

/// The budget a caller named, if any; one below [`MIN_MAX_TOKENS`] is refused.
pub(super) fn check_budget(max_tokens: Option<usize>) -> Result<Option<usize>, LibraryError> {
    match max_tokens {
        Some(n) if n < MIN_MAX_TOKENS => Err(LibraryError::OutOfRange {
            argument: "max_tokens",
            allowed: format!("at least {MIN_MAX_TOKENS}"),
            got: n.to_string(),
        }),
        other => Ok(other),
    }
}

/// The table-of-contents entry of a section.
pub(super) fn entry(section: &crate::markdown::Section) -> SectionEntry {
    SectionEntry {
        slug: section.slug.clone(),
        heading: section.heading.clone(),
        level: section.level,
    }
}

fn read_section(skill: &str, doc: &Document, index: usize, budget: usize) -> ReadReply {
    let sections = &doc.markdown.sections;
    let section = &sections[index];
    let children: Vec<usize> = (index + 1..sections.len())
        .take_while(|&i| sections[i].range.start < section.range.end)
        .collect();
    let after = sections
        .iter()
        .position(|s| s.heading_range.start >= section.range.end)
        .map(|i| sections[i].slug.clone());
    let mut reply = ReadReply {
        skill: skill.to_string(),
        document: doc.name.clone(),
        section: Some(section.slug.clone()),
        uri: uri::section_uri(skill, &doc.name, &section.slug),
        content: doc.section_markdown(index).to_string(),
        sections: children.iter().map(|&i| entry(&sections[i])).collect(),
        truncated: false,
        next_section: after.clone(),
    };
    if reply_tokens(&reply) <= budget {
        return reply;
    }
    // Keep the section's own text and as many whole subsections as fit.
    reply.truncated = true;
    let own_end = section.content_range.end;
    for (n, &child) in children.iter().enumerate().rev() {
        let end = sections[child].heading_range.start;
        reply.content = doc.source[section.range.start..end].trim_end().to_string();
        reply.next_section = Some(sections[child].slug.clone());
        if reply_tokens(&reply) <= budget && end > own_end {
            return reply;
        }
        if n == 0 {
            break;
        }
    }
    // Even the section's own text is too long: cut it at a paragraph boundary.
    let own = doc.source[section.range.start..own_end].trim_end();
    reply.next_section = children.first().map(|&c| sections[c].slug.clone()).or(after);
    reply.content = own.to_string();
    fit(reply, budget)
}

fn read_document(skill: &str, doc: &Document, budget: usize) -> ReadReply {
    let sections = &doc.markdown.sections;
    let body_start = crate::skill::frontmatter::split(&doc.source).map_or(0, |(_, offset)| offset);
    let body = doc.source[body_start..].trim();
    let mut reply = ReadReply {
        skill: skill.to_string(),
        document: doc.name.clone(),
        section: None,
        uri: uri::file_uri(skill, &doc.path),
        content: body.to_string(),
        sections: sections.iter().filter(|s| s.level <= 3).map(entry).collect(),
        truncated: false,
        next_section: None,
    };
    if reply_tokens(&reply) <= budget {
        return reply;
    }
    // Too long: a table of contents, then whole top-level sections while they fit.
    reply.truncated = true;
    reply.sections = sections.iter().filter(|s| s.level <= 2).map(entry).collect();
    let toc: String = sections
        .iter()
        .filter(|s| s.level <= 3)
        .map(|s| {
            format!(
                "{}- {} (`{}`)\n",
                "  ".repeat(usize::from(s.level.saturating_sub(2))),
                s.heading,
                s.slug
            )
        })
        .collect();
    let header = format!(
        "<!-- {} is longer than the budget: contents first, then the sections that fit. Read any section with read_reference(document, section). -->\n\n## Contents\n\n{toc}\n",
        doc.name
    );
    let mut cut_points: Vec<(usize, Option<String>)> = sections
        .iter()
        .filter(|s| s.level <= 2 && s.heading_range.start > body_start)
        .map(|s| (s.heading_range.start, Some(s.slug.clone())))
        .collect();
    cut_points.push((doc.source.len(), None));
    let mut best = None;
    for (end, next) in &cut_points {
        let mut probe = reply.clone();
        probe.content = format!("{header}{}", doc.source[body_start..*end].trim());
        probe.next_section = next.clone();
        if reply_tokens(&probe) <= budget {
            best = Some(probe);
        } else {
            break;
        }
    }
    if let Some(best) = best {
        return best;
    }
    reply.next_section = sections.iter().find(|s| s.level == 2).map(|s| s.slug.clone());
    contents_only(reply, doc, budget)
}

/// The reply for a budget too small for any text of a long document: the list of its sections
/// (what the caller needs to choose one), the top-level ones first, as many as fit, with a count
/// of those left out.
fn contents_only(mut reply: ReadReply, doc: &Document, budget: usize) -> ReadReply {
    let sections = &doc.markdown.sections;
    let listed: Vec<&crate::markdown::Section> = sections.iter().filter(|s| s.level <= 3).collect();
    let top: Vec<&crate::markdown::Section> = listed.iter().copied().filter(|s| s.level <= 2).collect();
    let render = |kept: &[&crate::markdown::Section]| {
        let left_out = listed.len() - kept.len();
        let mut content = format!(
            "<!-- {} is longer than the budget: its sections, to read one with read_reference(document, section){}. -->\n",
            doc.name,
            if left_out > 0 {
                format!(
                    "; {left_out} of {} left out, raise max_tokens to see them",
                    listed.len()
                )
            } else {
                String::new()
            }
        );
        for s in kept {
            let indent = "  ".repeat(usize::from(s.level.saturating_sub(2)));
            content.push_str(&format!("{indent}- {} (`{}`)\n", s.heading, s.slug));
        }
        content
    };
    let with = |kept: &[&crate::markdown::Section]| {
        let mut probe = reply.clone();
        probe.content = render(kept);
        probe.sections = kept.iter().map(|s| entry(s)).collect();
        probe
    };
    // Every section with its subsections when they all fit; else the top-level ones that fit.
    let all = with(&listed);
    if reply_tokens(&all) <= budget {
        return all;
    }
    let mut kept = top;
    while !kept.is_empty() {
        let probe = with(&kept);
        if reply_tokens(&probe) <= budget {
            return probe;
        }
        kept.pop();
    }
    reply.sections.clear();
    reply.content = render(&[]);
    fit(reply, budget)
}

/// Makes a reply fit a budget that its text does not: navigation entries go first, then the
/// content is cut at a paragraph, line or word boundary.
fn fit(mut reply: ReadReply, budget: usize) -> ReadReply {
    reply.truncated = true;
    while reply_tokens(&reply) > budget && !reply.sections.is_empty() {
        reply.sections.pop();
    }
    if reply_tokens(&reply) > budget {
        let full = std::mem::take(&mut reply.content);
        reply.content = cut_to_fit(&full, |content| {
            let mut probe = reply.clone();
            probe.content = content.to_string();
            reply_tokens(&probe) <= budget
        });
    }
    reply
}

/// The longest prefix of `text`, cut at a blank line (or else a line end, or else a word), that
/// `fits` accepts; empty when none does.
fn cut_to_fit(text: &str, fits: impl Fn(&str) -> bool) -> String {
    let mut best = String::new();
    for separator in ["\n\n", "\n", " "] {
        let mut end = 0;
        for (i, _) in text.match_indices(separator) {
            if fits(text[..i].trim_end()) {
                end = i;
            } else {
                break;
            }
        }
        if end > 0 {
            best = text[..end].trim_end().to_string();
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::skill::Skill;

    fn library() -> SkillLibrary {
        SkillLibrary::new(vec![Arc::new(Skill::embedded().unwrap())])
    }

    #[test]
    fn read_within_budget() {
        let lib = library();
        for budget in [150, 300, 800, 2_000, 6_000] {
            let reply = lib.read(None, "kafka-deep-dive", None, Some(budget)).unwrap();
            assert!(reply_tokens(&reply) <= budget, "{budget}: {}", reply_tokens(&reply));
            assert!(reply.truncated || budget >= 6_000);
            let section = lib
                .read(None, "SKILL.md", Some("core-principles"), Some(budget))
                .unwrap();
            assert!(reply_tokens(&section) <= budget);
        }
    }

    #[test]
    fn a_small_budget_returns_the_section_list_first() {
        let lib = library();
        let total = lib
            .document(None, "kafka-deep-dive")
            .unwrap()
            .1
            .markdown
            .sections
            .iter()
            .filter(|s| s.level <= 3)
            .count();
        for budget in [300, 800, 1_500] {
            let reply = lib.read(None, "kafka-deep-dive", None, Some(budget)).unwrap();
            assert!(reply_tokens(&reply) <= budget, "{budget}: {}", reply_tokens(&reply));
            assert!(reply.truncated);
            assert!(!reply.sections.is_empty(), "{budget}: no sections");
            assert!(
                reply.content.contains(&format!("(`{}`)", reply.sections[0].slug)),
                "{}",
                reply.content
            );
            if reply.sections.len() < total {
                assert!(
                    reply
                        .content
                        .contains(&format!("{} of {total} left out", total - reply.sections.len())),
                    "{budget}: {}",
                    reply.content
                );
            }
        }
    }

    #[test]
    fn small_document_fits_whole() {
        let lib = library();
        let reply = lib.read(None, "SKILL.md", Some("monitoring-thresholds"), None).unwrap();
        assert!(!reply.truncated);
        assert!(reply.content.starts_with("## Monitoring Thresholds"));
        assert_eq!(reply.sections[0].slug, "alert-tiers");
        assert_eq!(reply.next_section.as_deref(), Some("security-posture"));
    }

    #[test]
    fn uri_reads_a_section() {
        let lib = library();
        let reply = lib
            .read(
                None,
                "skill://streaming-data-skill/sections/SKILL.md/windowing-patterns",
                None,
                None,
            )
            .unwrap();
        assert_eq!(reply.section.as_deref(), Some("windowing-patterns"));
    }
}
