//! One markdown document of a skill (`SKILL.md` or a reference), parsed, with lookups of its
//! sections by slug or heading path.

use crate::markdown::{self, LineIndex, MarkdownDocument, Section};

use super::error::SkillError;

/// A parsed markdown document of a skill.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the skill folder.
    pub path: String,
    /// Short name: `SKILL.md`, or the file name without `.md` for other documents.
    pub name: String,
    /// The text.
    pub source: String,
    /// The parsed model.
    pub markdown: MarkdownDocument,
    /// Line and column lookup for the text.
    pub lines: LineIndex,
    /// The first `#` heading, or the name when there is none.
    pub title: String,
    /// One line on what the document holds: the first sentence of its lead paragraph.
    pub description: String,
}

impl Document {
    /// Parses `bytes` as a markdown document at `path`.
    pub fn parse(path: &str, name: &str, bytes: Vec<u8>) -> Result<Self, SkillError> {
        let source = String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = LineIndex::new(&prefix).position(&prefix, valid);
            SkillError::NotUtf8 {
                path: path.to_string(),
                line,
                column,
            }
        })?;
        let markdown = markdown::parse(&source);
        let lines = LineIndex::new(&source);
        let title = markdown.title().unwrap_or(name).to_string();
        let description = markdown
            .lead_paragraph()
            .map(|p| crate::text::sentences::first(&p.text))
            .unwrap_or_default();
        Ok(Self {
            path: path.to_string(),
            name: name.to_string(),
            source,
            markdown,
            lines,
            title,
            description,
        })
    }

    /// The 1-based line and column of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.lines.position(&self.source, offset)
    }

    /// The markdown of a section's whole subtree (heading, content and subsections).
    pub fn section_markdown(&self, index: usize) -> &str {
        let section = &self.markdown.sections[index];
        self.source[section.range.clone()].trim_end()
    }

    /// The markdown of a section's heading and own content, without its subsections.
    pub fn section_own_markdown(&self, index: usize) -> &str {
        let section = &self.markdown.sections[index];
        self.source[section.heading_range.start..section.content_range.end].trim_end()
    }

    /// Finds a section by slug (with or without `#`), by heading path (`A > B` or `A / B`, from
    /// the top or any tail of it), or by heading text, ignoring case.
    pub fn find_section(&self, query: &str) -> Result<(usize, &Section), SkillError> {
        let sections = &self.markdown.sections;
        let wanted = query.trim().trim_start_matches('#').trim();
        let lower = wanted.to_lowercase();
        let slug = markdown::slugify(wanted);
        let parts: Vec<String> = wanted
            .split(['>', '/'])
            .map(|p| p.trim().to_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        let path_matches = |s: &Section| {
            let path: Vec<String> = s.heading_path.iter().map(|h| h.to_lowercase()).collect();
            !parts.is_empty() && path.ends_with(&parts)
        };
        let found = sections
            .iter()
            .position(|s| s.slug == wanted || s.slug == lower)
            .or_else(|| sections.iter().position(|s| s.slug == slug))
            .or_else(|| sections.iter().position(|s| s.heading.to_lowercase() == lower))
            .or_else(|| sections.iter().position(path_matches));
        if let Some(i) = found.filter(|_| !wanted.is_empty()) {
            return Ok((i, &sections[i]));
        }
        // A unique part of a slug or heading is enough, as for decision tables.
        let partial: Vec<usize> = (0..sections.len())
            .filter(|&i| {
                !slug.is_empty()
                    && (sections[i].slug.contains(&slug) || sections[i].heading.to_lowercase().contains(&lower))
            })
            .collect();
        match partial.as_slice() {
            [i] => return Ok((*i, &sections[*i])),
            [_, _, ..] => {
                return Err(SkillError::SectionAmbiguous {
                    document: self.name.clone(),
                    section: super::files::display_name(query),
                    matches: partial.iter().map(|&i| sections[i].slug.clone()).collect(),
                });
            }
            [] => {}
        }
        Err(SkillError::SectionNotFound {
            document: self.name.clone(),
            section: super::files::display_name(query),
            closest: closest_sections(sections, &slug),
            total: sections.len(),
        })
    }
}

/// How many close sections a miss names.
const CLOSEST: usize = 5;

/// The slugs of the sections closest to `slug`, by the share of letter trigrams they have in
/// common (robust to typos, plurals and word order); none that share nothing.
fn closest_sections(sections: &[Section], slug: &str) -> Vec<String> {
    let trigrams = |text: &str| -> std::collections::HashSet<String> {
        let chars: Vec<char> = format!("-{text}-").chars().collect();
        chars.windows(3).map(|w| w.iter().collect()).collect()
    };
    let wanted = trigrams(slug);
    let mut scored: Vec<(f64, &Section)> = sections
        .iter()
        .map(|s| {
            let theirs = trigrams(&s.slug);
            let shared = wanted.intersection(&theirs).count() as f64;
            (shared / (wanted.len() + theirs.len()) as f64, s)
        })
        .filter(|(score, _)| *score > 0.0)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(CLOSEST).map(|(_, s)| s.slug.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        let text = "# Kafka\n\nAll about Kafka. More.\n\n## Producers\n\nSend.\n\n### Acks and retries\n\nAcks.\n\n## Consumers\n\nPoll.\n";
        Document::parse("references/kafka.md", "kafka", text.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn title_and_description() {
        let d = doc();
        assert_eq!(d.title, "Kafka");
        assert_eq!(d.description, "All about Kafka.");
    }

    #[test]
    fn finds_sections_every_way() {
        let d = doc();
        assert_eq!(d.find_section("acks-and-retries").unwrap().0, 2);
        assert_eq!(d.find_section("#producers").unwrap().0, 1);
        assert_eq!(d.find_section("Acks and Retries").unwrap().0, 2);
        assert_eq!(d.find_section("Producers > Acks and retries").unwrap().0, 2);
        assert_eq!(d.find_section("Kafka / Producers / Acks and retries").unwrap().0, 2);
        let err = d.find_section("nope").unwrap_err().to_string();
        assert_eq!(err, "kafka has no section \"nope\"; nothing close (4 sections in all)");
    }

    #[test]
    fn a_unique_part_is_enough_and_a_miss_names_the_closest() {
        let d = doc();
        assert_eq!(d.find_section("acks").unwrap().0, 2);
        assert_eq!(d.find_section("Retries").unwrap().0, 2);
        assert_eq!(d.find_section("consum").unwrap().0, 3);
        let err = d.find_section("s").unwrap_err().to_string();
        assert!(err.contains("matches 3 sections of kafka"), "{err}");
        let err = d.find_section("consumer-grups").unwrap_err().to_string();
        assert!(
            err.starts_with("kafka has no section \"consumer-grups\"; closest: consumers"),
            "{err}"
        );
        assert!(err.ends_with("(4 sections in all)"), "{err}");
    }

    #[test]
    fn section_markdown_spans_subtree() {
        let d = doc();
        assert_eq!(
            d.section_markdown(1),
            "## Producers\n\nSend.\n\n### Acks and retries\n\nAcks."
        );
        assert_eq!(d.section_own_markdown(1), "## Producers\n\nSend.");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let err = Document::parse("a.md", "a", b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!(err.to_string(), "a.md:2:3: the file is not valid UTF-8 text");
    }
}
