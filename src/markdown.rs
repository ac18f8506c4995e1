//! Markdown parsing: the one place where pulldown-cmark options are chosen, and the model a
//! skill document is parsed into (sections, paragraphs, lists, tables, code blocks, links).
//!
//! Every item keeps its byte range in the source so that callers can quote it, slice it or
//! report a line and column for it.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The parser options used everywhere in the crate: GitHub-style tables, strikethrough, task
/// lists, heading attributes off, and YAML front matter recognised (and skipped) as metadata.
pub fn options() -> Options {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_YAML_STYLE_METADATA_BLOCKS);
    options
}

/// Maps byte offsets of a text to 1-based line and column numbers (columns count characters).
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { line_starts }
    }

    /// The 1-based line and column of `offset` in `text` (the text this index was built from).
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// The number of lines in the text.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// A heading and everything under it up to the next heading of any level.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// The heading text, inline markup removed.
    pub heading: String,
    /// Heading level, 1 for `#` to 6.
    pub level: u8,
    /// A stable, GitHub-compatible anchor slug, unique within the document.
    pub slug: String,
    /// The headings from the document's top down to and including this one.
    pub heading_path: Vec<String>,
    /// Index of the enclosing section, if any.
    pub parent: Option<usize>,
    /// Byte range of the heading line.
    pub heading_range: Range<usize>,
    /// Byte range of this section's own content, from the end of its heading to the next heading.
    pub content_range: Range<usize>,
    /// Byte range of the whole subtree: the heading, its content and all its subsections.
    pub range: Range<usize>,
    /// Plain text of the section's own content (prose, list items, table cells, inline code).
    pub text: String,
    /// The code blocks of the section's own content, joined.
    pub code: String,
}

/// A paragraph of prose.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// Index of the section it belongs to; `None` before the first heading.
    pub section: Option<usize>,
    /// Plain text.
    pub text: String,
    /// Byte range in the source.
    pub range: Range<usize>,
}

/// A top-level list; nested lists are folded into their item's text.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// Index of the section it belongs to; `None` before the first heading.
    pub section: Option<usize>,
    /// Whether the list is numbered.
    pub ordered: bool,
    /// Plain text of each item.
    pub items: Vec<String>,
    /// Byte range in the source.
    pub range: Range<usize>,
}

/// A GitHub-style table, cells as plain text.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Index of the section it belongs to; `None` before the first heading.
    pub section: Option<usize>,
    /// Header cells.
    pub header: Vec<String>,
    /// Body rows, as parsed (the parser pads or cuts rows to the header's width).
    pub rows: Vec<Vec<String>>,
    /// Number of cells written on each body row of the source, before padding.
    pub source_cell_counts: Vec<usize>,
    /// Byte range of each body row.
    pub row_ranges: Vec<Range<usize>>,
    /// Byte range of the whole table.
    pub range: Range<usize>,
}

/// A code block.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    /// Index of the section it belongs to; `None` before the first heading.
    pub section: Option<usize>,
    /// The info string's first word, if the fence names one.
    pub language: Option<String>,
    /// Whether the block is fenced (as opposed to indented).
    pub fenced: bool,
    /// The code itself.
    pub code: String,
    /// Byte range in the source.
    pub range: Range<usize>,
}

/// A link or image reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Index of the section it belongs to; `None` before the first heading.
    pub section: Option<usize>,
    /// The destination as written.
    pub destination: String,
    /// The link text.
    pub text: String,
    /// Byte range in the source.
    pub range: Range<usize>,
}

/// A markdown document parsed into sections and blocks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MarkdownDocument {
    /// Sections in document order.
    pub sections: Vec<Section>,
    /// Paragraphs in document order.
    pub paragraphs: Vec<Paragraph>,
    /// Top-level lists in document order.
    pub lists: Vec<List>,
    /// Tables in document order.
    pub tables: Vec<Table>,
    /// Code blocks in document order.
    pub code_blocks: Vec<CodeBlock>,
    /// Links and images in document order.
    pub links: Vec<Link>,
}

impl MarkdownDocument {
    /// The first level-1 heading, if there is one.
    pub fn title(&self) -> Option<&str> {
        self.sections.iter().find(|s| s.level == 1).map(|s| s.heading.as_str())
    }

    /// The first paragraph of the document's top section (or of the preamble).
    pub fn lead_paragraph(&self) -> Option<&Paragraph> {
        let top = self.sections.iter().position(|s| s.level == 1);
        self.paragraphs.iter().find(|p| p.section == top)
    }

    /// The section with this slug.
    pub fn section_by_slug(&self, slug: &str) -> Option<(usize, &Section)> {
        self.sections.iter().enumerate().find(|(_, s)| s.slug == slug)
    }

    /// The first paragraph directly under section `index`.
    pub fn first_paragraph_of(&self, index: usize) -> Option<&Paragraph> {
        self.paragraphs.iter().find(|p| p.section == Some(index))
    }
}

/// `word` with the English indefinite article it takes: `an air-gapped`, `an 8`, `an EOS`,
/// `a 0.5`, `a regulated`. A rule of spelling that covers the words the tools render (numbers,
/// acronyms, ordinary words); rare exceptions such as "a one-off" are not handled.
pub fn with_article(word: &str) -> String {
    let an = |w: &str| -> bool {
        // The word as said: past any quote or backtick.
        let w = w.trim_start_matches(|c: char| !c.is_alphanumeric());
        let Some(first) = w.chars().next() else { return false };
        if first.is_ascii_digit() {
            let digits = w.split(['.', ' ']).next().unwrap_or("").len();
            // eight..., eleven, eighteen (and their thousands and millions)
            return first == '8' || ((w.starts_with("11") || w.starts_with("18")) && digits % 3 == 2);
        }
        let letters: String = w.chars().take_while(|c| c.is_alphanumeric()).collect();
        if letters.len() > 1 && letters.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()) {
            return "AEFHILMNORSX".contains(first);
        }
        let lower = w.to_lowercase();
        // A `u` said "you" (union, unique, user, usual, utility) takes `a`.
        let you = ["uni", "use", "usu", "uti"].iter().any(|p| lower.starts_with(p));
        // An `o` said "won" (one, oneOf) takes `a`.
        (matches!(first.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o') && !lower.starts_with("one"))
            || (first.eq_ignore_ascii_case(&'u') && !you)
            || lower.starts_with("hour")
            || lower.starts_with("honest")
    };
    format!("{} {word}", if an(word) { "an" } else { "a" })
}

/// Builds a GitHub-compatible anchor slug from heading text (without de-duplication).
pub fn slugify(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

#[derive(Default)]
struct TextBuffer {
    text: String,
}

impl TextBuffer {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
    }
    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
            self.text.push(' ');
        }
    }
    fn take(&mut self) -> String {
        let text = collapse_whitespace(&self.text);
        self.text.clear();
        text
    }
}

/// `s` with its words (as `str::split_whitespace` finds them) joined by one space. Runs of
/// non-space text are copied whole and only bytes outside ASCII are decoded, which makes this a
/// fraction of the parse instead of its largest part.
fn collapse_whitespace(s: &str) -> String {
    if is_collapsed(s) {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut word_start: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let (space, len) = match bytes[i] {
            // `char::is_whitespace` in ASCII: space, tab, line feed, vertical tab, form feed, CR.
            b @ 0..0x80 => (matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'), 1),
            // `i` is always at a character's first byte.
            _ => s[i..]
                .chars()
                .next()
                .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8())),
        };
        if space {
            if let Some(start) = word_start.take() {
                push_word(&mut out, &s[start..i]);
            }
        } else if word_start.is_none() {
            word_start = Some(i);
        }
        i += len;
    }
    if let Some(start) = word_start {
        push_word(&mut out, &s[start..]);
    }
    out
}

/// Whether `s` is already as [`collapse_whitespace`] leaves it: no whitespace but single spaces
/// between words. Most text is (the parser joins pieces with one space), so it is only copied.
fn is_collapsed(s: &str) -> bool {
    let mut after_space = true;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => return false,
            // The first bytes of the characters outside ASCII that are whitespace (U+0085,
            // U+00A0, U+1680, U+2000-U+205F, U+3000); never a continuation byte.
            0xC2 | 0xE1 | 0xE2 | 0xE3 if s[i..].chars().next().is_some_and(char::is_whitespace) => return false,
            _ => after_space = false,
        }
    }
    !after_space || s.is_empty()
}

fn push_word(out: &mut String, word: &str) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
}

/// State for the block currently being collected.
enum Open {
    Heading {
        level: u8,
        start: usize,
    },
    Paragraph {
        start: usize,
    },
    List {
        start: usize,
        ordered: bool,
        items: Vec<String>,
    },
    Table(Box<Table>),
    Code {
        start: usize,
        language: Option<String>,
        fenced: bool,
        code: String,
    },
}

/// Parses `source` (front matter allowed) into a [`MarkdownDocument`].
pub fn parse(source: &str) -> MarkdownDocument {
    let mut doc = MarkdownDocument::default();
    let mut open: Option<Open> = None;
    let mut inline = TextBuffer::default();
    let mut cell = TextBuffer::default();
    let mut row: Vec<String> = Vec::new();
    let mut in_table_head = false;
    let mut list_depth = 0usize;
    let mut item_text = TextBuffer::default();
    let mut link_stack: Vec<(String, usize, usize)> = Vec::new(); // destination, start, text start
    let mut section_text: Vec<TextBuffer> = Vec::new();
    let mut section_code: Vec<String> = Vec::new();
    let mut in_metadata = false;
    let mut slug_counts: std::collections::HashMap<String, usize> = Default::default();
    let current = |doc: &MarkdownDocument| doc.sections.len().checked_sub(1);

    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        if in_metadata {
            if matches!(event, Event::End(TagEnd::MetadataBlock(_))) {
                in_metadata = false;
            }
            continue;
        }
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_metadata = true,
            Event::Start(Tag::Heading { level, .. }) => {
                open = Some(Open::Heading {
                    level: heading_level(level),
                    start: range.start,
                });
                inline.text.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(Open::Heading { level, start }) = open.take() {
                    let heading = inline.take();
                    let base = slugify(&heading);
                    let n = slug_counts.entry(base.clone()).or_insert(0);
                    let slug = if *n == 0 { base.clone() } else { format!("{base}-{n}") };
                    *n += 1;
                    let parent = doc.sections.iter().rposition(|s| s.level < level);
                    let mut heading_path = parent.map(|p| doc.sections[p].heading_path.clone()).unwrap_or_default();
                    heading_path.push(heading.clone());
                    doc.sections.push(Section {
                        heading,
                        level,
                        slug,
                        heading_path,
                        parent,
                        heading_range: start..range.end,
                        content_range: range.end..source.len(),
                        range: start..source.len(),
                        text: String::new(),
                        code: String::new(),
                    });
                    section_text.push(TextBuffer::default());
                    section_code.push(String::new());
                }
            }
            Event::Start(Tag::Paragraph) if list_depth == 0 && !matches!(open, Some(Open::Table(_))) => {
                open = Some(Open::Paragraph { start: range.start });
                inline.text.clear();
            }
            Event::End(TagEnd::Paragraph) => {
                if let Some(Open::Paragraph { start }) = open {
                    open = None;
                    let text = inline.take();
                    let section = current(&doc);
                    push_section_text(&mut section_text, section, &text);
                    doc.paragraphs.push(Paragraph {
                        section,
                        text,
                        range: start..range.end,
                    });
                } else if list_depth > 0 {
                    item_text.space();
                }
            }
            Event::Start(Tag::List(first)) => {
                list_depth += 1;
                if list_depth == 1 {
                    open = Some(Open::List {
                        start: range.start,
                        ordered: first.is_some(),
                        items: Vec::new(),
                    });
                }
            }
            Event::End(TagEnd::List(_)) => {
                list_depth = list_depth.saturating_sub(1);
                if list_depth == 0
                    && let Some(Open::List { start, ordered, items }) = open.take()
                {
                    let section = current(&doc);
                    for item in &items {
                        push_section_text(&mut section_text, section, item);
                    }
                    doc.lists.push(List {
                        section,
                        ordered,
                        items,
                        range: start..range.end,
                    });
                }
            }
            Event::Start(Tag::Item) => {
                if list_depth == 1 {
                    item_text.text.clear();
                } else {
                    item_text.space();
                }
            }
            Event::End(TagEnd::Item) => {
                if list_depth == 1
                    && let Some(Open::List { items, .. }) = open.as_mut()
                {
                    items.push(item_text.take());
                }
            }
            Event::Start(Tag::Table(_)) => {
                open = Some(Open::Table(Box::new(Table {
                    section: current(&doc),
                    header: Vec::new(),
                    rows: Vec::new(),
                    source_cell_counts: Vec::new(),
                    row_ranges: Vec::new(),
                    range: range.clone(),
                })));
            }
            Event::Start(Tag::TableHead) => {
                in_table_head = true;
                row.clear();
            }
            Event::End(TagEnd::TableHead) => {
                in_table_head = false;
                if let Some(Open::Table(table)) = open.as_mut() {
                    table.header = std::mem::take(&mut row);
                }
            }
            Event::Start(Tag::TableRow) => row.clear(),
            Event::End(TagEnd::TableRow) => {
                if let Some(Open::Table(table)) = open.as_mut() {
                    let line = &source[range.clone()];
                    table.source_cell_counts.push(count_source_cells(line));
                    table.row_ranges.push(range.clone());
                    table.rows.push(std::mem::take(&mut row));
                }
            }
            Event::Start(Tag::TableCell) => cell.text.clear(),
            Event::End(TagEnd::TableCell) => {
                let _ = in_table_head;
                row.push(cell.take());
            }
            Event::End(TagEnd::Table) => {
                if let Some(Open::Table(table)) = open.take() {
                    let section = table.section;
                    for r in std::iter::once(&table.header).chain(table.rows.iter()) {
                        push_section_text(&mut section_text, section, &r.join(" | "));
                    }
                    doc.tables.push(*table);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let (language, fenced) = match kind {
                    CodeBlockKind::Fenced(info) => {
                        let lang = info.split_whitespace().next().map(str::to_string);
                        (lang.filter(|l| !l.is_empty()), true)
                    }
                    CodeBlockKind::Indented => (None, false),
                };
                open = Some(Open::Code {
                    start: range.start,
                    language,
                    fenced,
                    code: String::new(),
                });
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some(Open::Code {
                    start,
                    language,
                    fenced,
                    code,
                }) = open.take()
                {
                    let section = current(&doc);
                    if let Some(i) = section {
                        section_code[i].push_str(&code);
                        section_code[i].push('\n');
                    }
                    doc.code_blocks.push(CodeBlock {
                        section,
                        language,
                        fenced,
                        code,
                        range: start..range.end,
                    });
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) | Event::Start(Tag::Image { dest_url, .. }) => {
                link_stack.push((
                    dest_url.to_string(),
                    range.start,
                    current_text_len(&open, &inline, &cell, &item_text),
                ));
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                if let Some((destination, start, text_start)) = link_stack.pop() {
                    let text = current_text(&open, &inline, &cell, &item_text, text_start);
                    doc.links.push(Link {
                        section: current(&doc),
                        destination,
                        text,
                        range: start..range.end,
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(Open::Code { code, .. }) = open.as_mut() {
                    code.push_str(&text);
                } else {
                    sink(&open, &mut inline, &mut cell, &mut item_text, list_depth).push(&text);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                sink(&open, &mut inline, &mut cell, &mut item_text, list_depth).space();
            }
            Event::InlineMath(text) | Event::DisplayMath(text) => {
                sink(&open, &mut inline, &mut cell, &mut item_text, list_depth).push(&text);
            }
            _ => {}
        }
    }

    close_section_ranges(&mut doc, source.len());
    for (i, section) in doc.sections.iter_mut().enumerate() {
        section.text = section_text[i].take();
        section.code = std::mem::take(&mut section_code[i]);
    }
    doc
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn sink<'a>(
    open: &Option<Open>,
    inline: &'a mut TextBuffer,
    cell: &'a mut TextBuffer,
    item: &'a mut TextBuffer,
    list_depth: usize,
) -> &'a mut TextBuffer {
    match open {
        Some(Open::Table(_)) => cell,
        Some(Open::List { .. }) if list_depth > 0 => item,
        _ => inline,
    }
}

fn current_text_len(open: &Option<Open>, inline: &TextBuffer, cell: &TextBuffer, item: &TextBuffer) -> usize {
    match open {
        Some(Open::Table(_)) => cell.text.len(),
        Some(Open::List { .. }) => item.text.len(),
        _ => inline.text.len(),
    }
}

fn current_text(open: &Option<Open>, inline: &TextBuffer, cell: &TextBuffer, item: &TextBuffer, from: usize) -> String {
    let text = match open {
        Some(Open::Table(_)) => &cell.text,
        Some(Open::List { .. }) => &item.text,
        _ => &inline.text,
    };
    collapse_whitespace(text.get(from..).unwrap_or_default())
}

fn push_section_text(buffers: &mut [TextBuffer], section: Option<usize>, text: &str) {
    if let Some(buffer) = section.and_then(|i| buffers.get_mut(i)) {
        // Pieces are collapsed already, so one space between them leaves nothing to collapse.
        buffer.space();
        buffer.push(text);
    }
}

/// Sets each section's content end at the next heading, and its subtree end at the next heading
/// of the same or a higher level.
fn close_section_ranges(doc: &mut MarkdownDocument, len: usize) {
    let starts: Vec<(usize, u8)> = doc.sections.iter().map(|s| (s.heading_range.start, s.level)).collect();
    for (i, section) in doc.sections.iter_mut().enumerate() {
        let next = starts.get(i + 1).map_or(len, |(start, _)| *start);
        section.content_range.end = next.max(section.content_range.start);
        let subtree_end = starts[i + 1..]
            .iter()
            .find(|(_, level)| *level <= section.level)
            .map_or(len, |(start, _)| *start);
        section.range.end = subtree_end;
    }
}

/// Counts the cells written on one table row of the source, honouring `\|` escapes and code spans.
fn count_source_cells(line: &str) -> usize {
    let line = line.trim().trim_end_matches('\n');
    let mut cells = 0;
    let mut in_code = false;
    let mut escaped = false;
    let mut any = false;
    for c in line.chars() {
        if escaped {
            escaped = false;
            any = true;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '`' => {
                in_code = !in_code;
                any = true;
            }
            '|' if !in_code => {
                cells += 1;
                any = false;
            }
            c if !c.is_whitespace() => any = true,
            _ => {}
        }
    }
    // "| a | b |" has three pipes and two cells; "a | b" has one pipe and two cells.
    let leading = line.starts_with('|');
    let trailing = line.ends_with('|') && !line.ends_with("\\|");
    let mut count = cells + 1;
    if leading {
        count -= 1;
    }
    if trailing && !any {
        count -= 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles() {
        for (word, expected) in [
            ("air-gapped", "an air-gapped"),
            ("regulated", "a regulated"),
            ("EOS", "an EOS"),
            ("SQL", "an SQL"),
            ("Kafka", "a Kafka"),
            ("8", "an 8"),
            ("0.5", "a 0.5"),
            ("11", "an 11"),
            ("18000", "an 18000"),
            ("110", "a 110"),
            ("union", "a union"),
            ("update", "an update"),
            ("oneOf", "a oneOf"),
            ("anyOf", "an anyOf"),
            ("`int`", "an `int`"),
            ("int32", "an int32"),
            ("message", "a message"),
            ("hour", "an hour"),
        ] {
            assert_eq!(with_article(word), expected, "{word}");
        }
    }

    const DOC: &str = "---\nname: x\n---\n# Title\n\nLead paragraph. Second sentence.\n\n## When to Use\n\n- Building Kafka pipelines\n- Debugging lag\n  - nested detail\n\n## Tables & More\n\n| A | B |\n|---|---|\n| 1 | `x\\|y` |\n| 2 | 3 |\n\n```sql\nSELECT 1;\n```\n\nSee [the deep dive](references/kafka.md).\n\n### Tables & More\n\nDuplicate heading.\n";

    #[test]
    fn sections_have_paths_slugs_and_ranges() {
        let doc = parse(DOC);
        let slugs: Vec<_> = doc.sections.iter().map(|s| s.slug.as_str()).collect();
        assert_eq!(slugs, ["title", "when-to-use", "tables--more", "tables--more-1"]);
        assert_eq!(
            doc.sections[3].heading_path,
            ["Title", "Tables & More", "Tables & More"]
        );
        assert_eq!(doc.sections[1].parent, Some(0));
        assert_eq!(doc.title(), Some("Title"));
        assert_eq!(doc.lead_paragraph().unwrap().text, "Lead paragraph. Second sentence.");
        // The subtree of section 2 runs to the end and includes the subsection.
        assert_eq!(doc.sections[2].range.end, DOC.len());
        assert!(DOC[doc.sections[2].content_range.clone()].contains("SELECT 1"));
        assert!(!DOC[doc.sections[2].content_range.clone()].contains("Duplicate"));
        assert!(DOC[doc.sections[0].range.clone()].starts_with("# Title"));
    }

    #[test]
    fn collapsing_whitespace_joins_the_words_split_whitespace_finds() {
        let samples = [
            "",
            "   ",
            "one",
            "  two  words ",
            "tab\there\nnew line\r\nand\x0bvt\x0cff",
            "no\u{a0}break\u{2003}em\u{3000}ideographic\u{85}nel\u{2028}ls",
            "Verzögerung\u{200b}zero-width is not space",
            "日本語 テキスト\tと\u{3000}空白",
            "emoji 🚀  rocket\n\n",
        ];
        for s in samples {
            let expected = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(collapse_whitespace(s), expected, "{s:?}");
        }
        proptest::proptest!(|(s in "[ a-zé\\t\\n\u{a0}\u{2003}\u{3000}日]{0,40}")| {
            proptest::prop_assert_eq!(collapse_whitespace(&s), s.split_whitespace().collect::<Vec<_>>().join(" "));
        });
    }

    #[test]
    fn blocks_are_collected() {
        let doc = parse(DOC);
        assert_eq!(doc.lists.len(), 1);
        assert_eq!(
            doc.lists[0].items,
            ["Building Kafka pipelines", "Debugging lag nested detail"]
        );
        assert_eq!(doc.tables[0].header, ["A", "B"]);
        assert_eq!(doc.tables[0].rows, [vec!["1", "x|y"], vec!["2", "3"]]);
        assert_eq!(doc.tables[0].source_cell_counts, [2, 2]);
        assert_eq!(doc.code_blocks[0].language.as_deref(), Some("sql"));
        assert_eq!(doc.links[0].destination, "references/kafka.md");
        assert_eq!(doc.links[0].text, "the deep dive");
        assert_eq!(doc.sections[2].code, "SELECT 1;\n\n");
        assert!(doc.sections[1].text.contains("Debugging lag"));
    }

    #[test]
    fn ragged_rows_are_counted_from_source() {
        let doc = parse("| a | b | c |\n|---|---|---|\n| 1 | 2 |\n| 1 | 2 | 3 | 4 |\n");
        assert_eq!(doc.tables[0].source_cell_counts, [2, 4]);
        assert_eq!(doc.tables[0].rows[0].len(), 3);
    }

    #[test]
    fn line_index_positions() {
        let text = "ab\ncdé\nf";
        let index = LineIndex::new(text);
        assert_eq!(index.position(text, 0), (1, 1));
        assert_eq!(index.position(text, 4), (2, 2));
        assert_eq!(index.position(text, text.len()), (3, 2));
        assert_eq!(index.line_count(), 3);
    }

    #[test]
    fn slugs_follow_github() {
        assert_eq!(slugify("Kafka Streams & ksqlDB"), "kafka-streams--ksqldb");
        assert_eq!(
            slugify("EOS: `transactional.id` fencing"),
            "eos-transactionalid-fencing"
        );
    }
}
