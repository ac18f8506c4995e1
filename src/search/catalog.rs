//! What the search needs beside the tantivy index: for each indexed section, where it is (skill,
//! document, its place in the document, slug, heading path) and which vocabulary terms it has,
//! plus the vocabulary itself. It is written next to the index (compiled into the binary for the
//! embedded skill, a file in the on-disk cache for skill folders) in a binary format that is
//! read in place: fixed-size rows of little-endian `u32`s, a sorted vocabulary searched by
//! bisection, and a CRC-32 at the end, so a damaged file is refused instead of served. Opening a
//! catalog checks the CRC and the table sizes and reads the document list; nothing else is
//! decoded until a search looks at it.
//!
//! The layout, after the 8-byte magic: a header of [`HEADER_WORDS`] words (version, source
//! checksum, and the row count of each table), then the tables in this order: documents (skill
//! and name as string references), sections (document, position, slug, heading references,
//! first term id and the two id counts), heading references (one string reference per heading
//! of each section's path), terms (a string reference and a section count, sorted by the
//! term's bytes), term ids (each section's sorted term ids, then its sorted heading term ids),
//! then the string bytes, the text bytes (each section's prose and code, which snippets are cut
//! from, so a search needs no document parsed), the analysed thesaurus (see
//! [`Thesaurus::encode`](super::thesaurus::Thesaurus::encode)) and the CRC-32 of everything
//! before it. A string reference is an offset into the string bytes and a length; a text
//! reference, into the text bytes.

use std::collections::HashMap;
use std::collections::HashSet;

use tantivy::directory::OwnedBytes;
use tantivy::tokenizer::TextAnalyzer;

use super::schema::INDEX_VERSION;
use super::vocabulary::{Vocabulary, closest};
use crate::markdown::Section;
use crate::text::analyzer::{analyze, search_analyzer};

/// The catalog's file name in an index folder.
pub const CATALOG_FILE: &str = "catalog.bin";

/// The first bytes of a catalog file.
const MAGIC: &[u8; 8] = b"SSKCATLG";
/// Words of the header: version, source checksum, then the rows of documents, sections, heading
/// references, terms and term ids, and the lengths of the string bytes, the text bytes and the
/// thesaurus.
const HEADER_WORDS: usize = 10;
/// Words of a document row: skill (offset, length), name (offset, length).
const DOCUMENT_WORDS: usize = 4;
/// Words of a section row: document, position, slug (offset, length), first heading reference,
/// heading count, first term id, term count, heading term count, prose (offset, length), code
/// (offset, length).
const SECTION_WORDS: usize = 13;
/// Words of a heading reference: offset, length.
const HEADING_WORDS: usize = 2;
/// Words of a term row: offset, length, section count.
const TERM_WORDS: usize = 3;

/// A document of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogDocument {
    /// The skill's name.
    pub skill: String,
    /// The document's name (`SKILL.md`, `kafka-deep-dive`, ...).
    pub name: String,
}

/// An indexed section, read in place from the catalog's bytes. Its ordinal in the index is its
/// place in the catalog ([`Catalog::section`]).
#[derive(Debug, Clone, Copy)]
pub struct CatalogSection<'a> {
    /// Its document's place in [`Catalog::documents`].
    pub document: u32,
    /// Its place among its document's sections.
    pub position: u32,
    /// The section's slug.
    pub slug: &'a str,
    /// Sorted vocabulary ids of every term in the section's heading, text, code and questions.
    pub terms: TermIds<'a>,
    /// Sorted vocabulary ids of the terms of its heading path.
    pub heading_terms: TermIds<'a>,
    /// References into the text bytes: prose, then code (read only when asked for, so ranking
    /// the candidates of a search touches no text).
    text_references: [u32; 4],
    texts: &'a [u8],
    headings: &'a [u8],
    strings: &'a [u8],
}

impl<'a> CatalogSection<'a> {
    /// Its prose, as indexed; `None` when its reference points outside the file.
    pub fn text(&self) -> Option<&'a str> {
        string_at(self.texts, self.text_references[0], self.text_references[1])
    }

    /// Its code, as indexed; `None` when its reference points outside the file.
    pub fn code(&self) -> Option<&'a str> {
        string_at(self.texts, self.text_references[2], self.text_references[3])
    }

    /// The section's heading path, top down.
    pub fn heading_path(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let strings = self.strings;
        // `Catalog::section` checked every reference, so none is skipped here.
        self.headings
            .chunks_exact(HEADING_WORDS * 4)
            .filter_map(move |row| string_at(strings, word(row, 0), word(row, 1)))
    }
}

/// A sorted list of vocabulary ids, read in place.
#[derive(Debug, Clone, Copy)]
pub struct TermIds<'a>(&'a [u8]);

impl<'a> TermIds<'a> {
    /// How many ids.
    pub fn len(&self) -> usize {
        self.0.len() / 4
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `id` is in the list (by bisection).
    pub fn contains(&self, id: u32) -> bool {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = (low + high) / 2;
            match word(self.0, middle).cmp(&id) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    /// The ids, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + use<'a> {
        self.0.chunks_exact(4).map(|b| word(b, 0))
    }
}

/// The corpus vocabulary of a catalog, read in place: terms sorted by their bytes (a term's id is
/// its place in that order), each with the number of sections that use it.
#[derive(Debug, Clone, Copy)]
pub struct Terms<'a> {
    rows: &'a [u8],
    strings: &'a [u8],
}

impl<'a> Terms<'a> {
    /// The number of distinct terms.
    pub fn len(&self) -> usize {
        self.rows.len() / (TERM_WORDS * 4)
    }

    /// Whether the vocabulary is empty.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The bytes of the term with id `id` (empty when its reference is out of bounds).
    fn bytes(&self, id: usize) -> &'a [u8] {
        let row = &self.rows[id * TERM_WORDS * 4..];
        let (offset, length) = (word(row, 0) as usize, word(row, 1) as usize);
        offset
            .checked_add(length)
            .and_then(|end| self.strings.get(offset..end))
            .unwrap_or_default()
    }

    /// The id of a corpus term (by bisection over the sorted terms).
    pub fn id(&self, term: &str) -> Option<u32> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = (low + high) / 2;
            match self.bytes(middle).cmp(term.as_bytes()) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle as u32),
            }
        }
        None
    }

    /// Whether the corpus has `term`.
    pub fn contains(&self, term: &str) -> bool {
        self.id(term).is_some()
    }

    /// Every `(term, section count)` pair, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&'a str, u32)> + use<'a> {
        self.of_lengths(0..usize::MAX)
    }

    /// The `(term, section count)` pairs of terms whose length in bytes is in `lengths`, in id
    /// order (the others are not read as text).
    fn of_lengths(&self, lengths: std::ops::Range<usize>) -> impl Iterator<Item = (&'a str, u32)> + use<'a> {
        let this = *self;
        (0..self.len()).filter_map(move |id| {
            let bytes = this.bytes(id);
            if !lengths.contains(&bytes.len()) {
                return None;
            }
            Some((std::str::from_utf8(bytes).ok()?, word(this.rows, id * TERM_WORDS + 2)))
        })
    }

    /// The closest corpus term to an unknown `term`, if one is near enough (see
    /// [`closest`](super::vocabulary::closest)).
    pub fn correct(&self, term: &str) -> Option<&'a str> {
        // No correction is more than two edits away, and a character takes one to four bytes:
        // a term outside these lengths in bytes cannot be near enough.
        let chars = term.chars().count();
        closest(term, self.of_lengths(chars.saturating_sub(2)..(chars + 2) * 4 + 1))
    }
}

/// The sections of an index and its vocabulary, over the catalog file's bytes (borrowed from the
/// binary, memory-mapped from the cache, or just written).
#[derive(Clone)]
pub struct Catalog {
    bytes: OwnedBytes,
    documents: Vec<CatalogDocument>,
    source_checksum: u32,
    /// Byte ranges of the tables.
    sections: std::ops::Range<usize>,
    headings: std::ops::Range<usize>,
    terms: std::ops::Range<usize>,
    ids: std::ops::Range<usize>,
    strings: std::ops::Range<usize>,
    texts: std::ops::Range<usize>,
    thesaurus: std::ops::Range<usize>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("documents", &self.documents.len())
            .field("sections", &self.len())
            .field("terms", &self.vocabulary().len())
            .finish()
    }
}

/// A CRC-32 over the paths and bytes of a skill's files, in order: what ties the compiled-in
/// index to the embedded files (cheap enough to check at every start).
pub fn source_checksum<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> u32 {
    let mut hasher = crc32fast::Hasher::new();
    for (path, bytes) in files {
        hasher.update(&(path.len() as u64).to_le_bytes());
        hasher.update(path.as_bytes());
        hasher.update(&(bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    }
    hasher.finalize()
}

/// Why catalog bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorruptCatalog(pub &'static str);

impl std::fmt::Display for CorruptCatalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the section catalog is damaged: {}", self.0)
    }
}

impl std::error::Error for CorruptCatalog {}

/// A section as the builder holds it, with ids in the order terms were first seen.
struct BuiltSection {
    document: u32,
    position: u32,
    slug: String,
    heading_path: Vec<String>,
    terms: Vec<u32>,
    heading_terms: Vec<u32>,
    /// References into the text bytes: prose, then code.
    text: [u32; 2],
    code: [u32; 2],
}

/// Collects the catalog while sections are indexed.
pub struct CatalogBuilder {
    documents: Vec<CatalogDocument>,
    sections: Vec<BuiltSection>,
    vocabulary: Vocabulary,
    analyzer: TextAnalyzer,
    texts: Vec<u8>,
    thesaurus: String,
}

impl Default for CatalogBuilder {
    fn default() -> Self {
        Self {
            documents: Vec::new(),
            sections: Vec::new(),
            vocabulary: Vocabulary::default(),
            analyzer: search_analyzer(),
            texts: Vec::new(),
            thesaurus: String::new(),
        }
    }
}

impl CatalogBuilder {
    /// Keeps the analysed thesaurus of the indexed skills (see
    /// [`Thesaurus::encode`](super::thesaurus::Thesaurus::encode)).
    pub fn set_thesaurus(&mut self, encoded: String) {
        self.thesaurus = encoded;
    }

    /// Starts a document; its sections follow.
    pub fn add_document(&mut self, skill: &str, name: &str) {
        self.documents.push(CatalogDocument {
            skill: skill.to_string(),
            name: name.to_string(),
        });
    }

    /// Adds a section of the last document and returns its ordinal.
    /// `questions` are the entries of the skill's questions file for it.
    pub fn add_section(&mut self, position: usize, section: &Section, questions: &[String]) -> usize {
        let vocabulary = &mut self.vocabulary;
        let mut seen = HashSet::new();
        let mut terms = Vec::new();
        for text in [&section.heading, &section.text, &section.code]
            .into_iter()
            .chain(questions)
        {
            for term in analyze(&mut self.analyzer, text) {
                if seen.insert(term.term.clone()) {
                    terms.push(vocabulary.add(&term.term));
                }
            }
        }
        let mut heading_terms: Vec<u32> = Vec::new();
        // The top heading (the document's title) is above every section of it: it tells no
        // section from another ("Flink and Spark" would make every Flink section a Spark one).
        let path = match section.heading_path.as_slice() {
            [_, rest @ ..] if !rest.is_empty() => rest,
            path => path,
        };
        for heading in path {
            for term in analyze(&mut self.analyzer, heading) {
                heading_terms.push(vocabulary.add_heading(&term.term));
            }
        }
        let mut keep = |text: &str| {
            let reference = [self.texts.len() as u32, text.len() as u32];
            self.texts.extend_from_slice(text.as_bytes());
            reference
        };
        let (text, code) = (keep(&section.text), keep(&section.code));
        self.sections.push(BuiltSection {
            document: (self.documents.len() - 1) as u32,
            position: position as u32,
            slug: section.slug.clone(),
            heading_path: section.heading_path.clone(),
            terms,
            heading_terms,
            text,
            code,
        });
        self.sections.len() - 1
    }

    /// The catalog, for an index built from files whose [`source_checksum`] is `source_checksum`.
    pub fn finish(self, source_checksum: u32) -> Catalog {
        let bytes = self.encode(source_checksum);
        Catalog::open(OwnedBytes::new(bytes)).expect("a catalog just written reads back")
    }

    /// The catalog's bytes: the vocabulary sorted, every id list renumbered to that order.
    fn encode(&self, source_checksum: u32) -> Vec<u8> {
        let terms = self.vocabulary.terms();
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_unstable_by(|&a, &b| terms[a].0.cmp(&terms[b].0));
        let mut renumbered = vec![0u32; terms.len()];
        for (id, &first_seen) in order.iter().enumerate() {
            renumbered[first_seen] = id as u32;
        }
        let mut strings = Strings::default();
        let mut documents = Vec::with_capacity(self.documents.len() * DOCUMENT_WORDS);
        for d in &self.documents {
            documents.extend(strings.add(&d.skill));
            documents.extend(strings.add(&d.name));
        }
        let mut sections = Vec::with_capacity(self.sections.len() * SECTION_WORDS);
        let mut headings = Vec::new();
        let mut ids = Vec::new();
        for s in &self.sections {
            sections.extend([s.document, s.position]);
            sections.extend(strings.add(&s.slug));
            sections.extend([(headings.len() / HEADING_WORDS) as u32, s.heading_path.len() as u32]);
            for heading in &s.heading_path {
                headings.extend(strings.add(heading));
            }
            sections.push(ids.len() as u32);
            for list in [&s.terms, &s.heading_terms] {
                let mut list: Vec<u32> = list.iter().map(|&id| renumbered[id as usize]).collect();
                list.sort_unstable();
                list.dedup();
                sections.push(list.len() as u32);
                ids.extend(list);
            }
            sections.extend(s.text);
            sections.extend(s.code);
        }
        let mut term_rows = Vec::with_capacity(terms.len() * TERM_WORDS);
        for &first_seen in &order {
            let (term, frequency) = &terms[first_seen];
            term_rows.extend(strings.add(term));
            term_rows.push(*frequency);
        }
        let header = [
            INDEX_VERSION,
            source_checksum,
            self.documents.len() as u32,
            self.sections.len() as u32,
            (headings.len() / HEADING_WORDS) as u32,
            terms.len() as u32,
            ids.len() as u32,
            strings.bytes.len() as u32,
            self.texts.len() as u32,
            self.thesaurus.len() as u32,
        ];
        let words = header.len() + documents.len() + sections.len() + headings.len() + term_rows.len() + ids.len();
        let mut out = Vec::with_capacity(
            MAGIC.len() + words * 4 + strings.bytes.len() + self.texts.len() + self.thesaurus.len() + 4,
        );
        out.extend_from_slice(MAGIC);
        for table in [&header[..], &documents, &sections, &headings, &term_rows, &ids] {
            for value in table {
                out.extend_from_slice(&value.to_le_bytes());
            }
        }
        out.extend_from_slice(&strings.bytes);
        out.extend_from_slice(&self.texts);
        out.extend_from_slice(self.thesaurus.as_bytes());
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

/// The string bytes of a catalog being written, each distinct string once.
#[derive(Default)]
struct Strings {
    bytes: Vec<u8>,
    seen: HashMap<String, u32>,
}

impl Strings {
    /// The reference (offset, length) of `text`, added when new.
    fn add(&mut self, text: &str) -> [u32; 2] {
        let offset = match self.seen.get(text) {
            Some(&offset) => offset,
            None => {
                let offset = self.bytes.len() as u32;
                self.bytes.extend_from_slice(text.as_bytes());
                self.seen.insert(text.to_string(), offset);
                offset
            }
        };
        [offset, text.len() as u32]
    }
}

impl Catalog {
    /// Opens catalog bytes that [`CatalogBuilder`] wrote, checking the CRC-32, the version and
    /// that the tables fill the file exactly. The documents are read now; sections and terms are
    /// read in place when asked for, and a reference that points outside the file reads as
    /// missing.
    pub fn open(bytes: OwnedBytes) -> Result<Self, CorruptCatalog> {
        Self::open_checking(bytes, true)
    }

    /// Opens the catalog compiled into the binary, as [`Catalog::open`] does but without the
    /// CRC-32: those bytes cannot be damaged apart from the code reading them, and reading
    /// them all would make every page of the catalog resident at each start. Tables are still
    /// checked against the file's size.
    pub fn open_compiled(bytes: &'static [u8]) -> Result<Self, CorruptCatalog> {
        Self::open_checking(OwnedBytes::new(bytes), false)
    }

    fn open_checking(bytes: OwnedBytes, check_crc: bool) -> Result<Self, CorruptCatalog> {
        let all = bytes.as_slice();
        if all.len() < MAGIC.len() + HEADER_WORDS * 4 + 4 || &all[..MAGIC.len()] != MAGIC {
            return Err(CorruptCatalog("not a catalog file"));
        }
        let body = &all[..all.len() - 4];
        if check_crc && crc32fast::hash(body) != word(&all[body.len()..], 0) {
            return Err(CorruptCatalog("checksum mismatch"));
        }
        let header = &body[MAGIC.len()..];
        if word(header, 0) != INDEX_VERSION {
            return Err(CorruptCatalog("written by another index version"));
        }
        let count = |i: usize| word(header, i) as usize;
        let mut next = MAGIC.len() + HEADER_WORDS * 4;
        let mut table = |rows: usize, words: usize| {
            let range = next..next.saturating_add(rows.saturating_mul(words * 4));
            next = range.end;
            range
        };
        let documents = table(count(2), DOCUMENT_WORDS);
        let sections = table(count(3), SECTION_WORDS);
        let headings = table(count(4), HEADING_WORDS);
        let terms = table(count(5), TERM_WORDS);
        let ids = table(count(6), 1);
        let strings = next..next.saturating_add(count(7));
        let texts = strings.end..strings.end.saturating_add(count(8));
        let thesaurus = texts.end..texts.end.saturating_add(count(9));
        if thesaurus.end != body.len() {
            return Err(CorruptCatalog("its tables do not fill the file"));
        }
        let string_bytes = &body[strings.clone()];
        let documents = body[documents]
            .chunks_exact(DOCUMENT_WORDS * 4)
            .map(|row| {
                let read = |i: usize| {
                    string_at(string_bytes, word(row, i), word(row, i + 1))
                        .map(str::to_string)
                        .ok_or(CorruptCatalog("a document name outside the file"))
                };
                Ok(CatalogDocument {
                    skill: read(0)?,
                    name: read(2)?,
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            source_checksum: word(header, 1),
            documents,
            sections,
            headings,
            terms,
            ids,
            strings,
            texts,
            thesaurus,
            bytes,
        })
    }

    /// The catalog's bytes, as written to a file.
    pub fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// [`source_checksum`] of the files the index was built from.
    pub fn source_checksum(&self) -> u32 {
        self.source_checksum
    }

    /// The documents, in index order (those without sections too).
    pub fn documents(&self) -> &[CatalogDocument] {
        &self.documents
    }

    /// How many sections there are.
    pub fn len(&self) -> usize {
        self.sections.len() / (SECTION_WORDS * 4)
    }

    /// Whether there are no sections.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty()
    }

    /// The section with this ordinal; `None` past the end, or when its row points outside the
    /// file or at a document the catalog does not have.
    pub fn section(&self, ordinal: usize) -> Option<CatalogSection<'_>> {
        let all = self.bytes.as_slice();
        let start = ordinal.checked_mul(SECTION_WORDS * 4)?;
        let row = all[self.sections.clone()].get(start..start + SECTION_WORDS * 4)?;
        let strings = &all[self.strings.clone()];
        let field = |i: usize| word(row, i) as usize;
        let document = word(row, 0);
        if document as usize >= self.documents.len() {
            return None;
        }
        let slug = string_at(strings, word(row, 2), word(row, 3))?;
        let headings = slice(&all[self.headings.clone()], field(4), field(5), HEADING_WORDS)?;
        if headings
            .chunks_exact(HEADING_WORDS * 4)
            .any(|h| string_at(strings, word(h, 0), word(h, 1)).is_none())
        {
            return None;
        }
        let ids = &all[self.ids.clone()];
        let terms = slice(ids, field(6), field(7), 1)?;
        let heading_terms = slice(ids, field(6).checked_add(field(7))?, field(8), 1)?;
        Some(CatalogSection {
            document,
            position: word(row, 1),
            slug,
            terms: TermIds(terms),
            heading_terms: TermIds(heading_terms),
            text_references: [word(row, 9), word(row, 10), word(row, 11), word(row, 12)],
            texts: &all[self.texts.clone()],
            headings,
            strings,
        })
    }

    /// Every section, by ordinal (those whose rows are damaged left out).
    pub fn sections(&self) -> impl Iterator<Item = CatalogSection<'_>> {
        (0..self.len()).filter_map(|ordinal| self.section(ordinal))
    }

    /// The analysed thesaurus the index was built with (empty when none); `None` when it is not
    /// UTF-8.
    pub fn thesaurus(&self) -> Option<&str> {
        std::str::from_utf8(&self.bytes.as_slice()[self.thesaurus.clone()]).ok()
    }

    /// Every term of the corpus.
    pub fn vocabulary(&self) -> Terms<'_> {
        let all = self.bytes.as_slice();
        Terms {
            rows: &all[self.terms.clone()],
            strings: &all[self.strings.clone()],
        }
    }
}

/// The `index`-th little-endian `u32` of `bytes`. Callers pass slices whose length they checked.
fn word(bytes: &[u8], index: usize) -> u32 {
    let at = index * 4;
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

/// The text at `offset..offset + length` of `strings`, if it is inside and UTF-8.
fn string_at(strings: &[u8], offset: u32, length: u32) -> Option<&str> {
    let (offset, length) = (offset as usize, length as usize);
    std::str::from_utf8(strings.get(offset..offset.checked_add(length)?)?).ok()
}

/// Rows `first..first + count` of a table of `words`-word rows, if inside it.
fn slice(table: &[u8], first: usize, count: usize, words: usize) -> Option<&[u8]> {
    let start = first.checked_mul(words * 4)?;
    table.get(start..start.checked_add(count.checked_mul(words * 4)?)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::parse;

    fn catalog() -> Catalog {
        let doc = parse(
            "# Kafka\n\nIntro.\n\n## Consumer lag\n\nLag grows when consumers stall.\n\n### Alerts\n\nPage on lag.\n",
        );
        let mut builder = CatalogBuilder::default();
        builder.add_document("s", "a");
        for (position, section) in doc.sections.iter().enumerate() {
            builder.add_section(position, section, &[]);
        }
        builder.add_document("s", "empty");
        builder.set_thesaurus("m\tlag\n".into());
        builder.finish(7)
    }

    #[test]
    fn reads_back_what_was_written() {
        let catalog = catalog();
        assert_eq!(catalog.source_checksum(), 7);
        assert_eq!(catalog.documents().len(), 2);
        assert_eq!(catalog.len(), 3);
        let alerts = catalog.section(2).unwrap();
        assert_eq!((alerts.document, alerts.position, alerts.slug), (0, 2, "alerts"));
        assert_eq!((alerts.text(), alerts.code()), (Some("Page on lag."), Some("")));
        assert_eq!(
            catalog.section(1).unwrap().text(),
            Some("Lag grows when consumers stall.")
        );
        assert_eq!(catalog.thesaurus(), Some("m\tlag\n"));
        assert_eq!(
            alerts.heading_path().collect::<Vec<_>>(),
            ["Kafka", "Consumer lag", "Alerts"]
        );
        let vocabulary = catalog.vocabulary();
        let terms: Vec<&str> = vocabulary.iter().map(|(t, _)| t).collect();
        assert!(terms.windows(2).all(|w| w[0] < w[1]), "{terms:?}");
        let lag = vocabulary.id("lag").unwrap();
        assert_eq!(vocabulary.iter().nth(lag as usize), Some(("lag", 2)));
        assert!(alerts.terms.contains(lag) && alerts.heading_terms.contains(lag));
        assert!(!alerts.heading_terms.contains(vocabulary.id("kafka").unwrap()));
        assert!(alerts.terms.iter().collect::<Vec<_>>().windows(2).all(|w| w[0] < w[1]));
        assert_eq!(vocabulary.id("zebra"), None);
        assert_eq!(vocabulary.correct("consumrs"), Some("consum"));
        assert!(catalog.section(3).is_none());
    }

    #[test]
    fn damage_is_refused() {
        let bytes = catalog().bytes().to_vec();
        let open = |bytes: Vec<u8>| Catalog::open(OwnedBytes::new(bytes)).map(|_| ()).unwrap_err().0;
        let mut flipped = bytes.clone();
        flipped[40] ^= 1;
        assert_eq!(open(flipped), "checksum mismatch");
        assert_eq!(open(bytes[..bytes.len() / 2].to_vec()), "checksum mismatch");
        assert_eq!(open(b"SSKCATL".to_vec()), "not a catalog file");
        // A file whose CRC holds but whose header claims more rows than it has.
        let mut lying = bytes[..bytes.len() - 4].to_vec();
        lying[MAGIC.len() + 3 * 4] += 1;
        let crc = crc32fast::hash(&lying);
        lying.extend_from_slice(&crc.to_le_bytes());
        assert_eq!(open(lying), "its tables do not fill the file");
    }
}
