//! What the search needs beside the tantivy index: for each indexed section, where it is (skill,
//! document, its place in the document, slug, heading path) and which vocabulary terms it has,
//! plus the vocabulary itself. It is written next to the index (compiled into the binary for the
//! embedded skill, a file in the on-disk cache for skill folders) in a small binary format with
//! a CRC-32 at the end, so a damaged file is refused instead of served.

use std::collections::HashSet;

use tantivy::tokenizer::TextAnalyzer;

use super::schema::INDEX_VERSION;
use super::vocabulary::Vocabulary;
use crate::markdown::Section;
use crate::text::analyzer::{analyze, search_analyzer};

/// The catalog's file name in an index folder.
pub const CATALOG_FILE: &str = "catalog.bin";

/// The first bytes of a catalog file.
const MAGIC: &[u8; 8] = b"SSKCATLG";

/// A document of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogDocument {
    /// The skill's name.
    pub skill: String,
    /// The document's name (`SKILL.md`, `kafka-deep-dive`, ...).
    pub name: String,
}

/// An indexed section. Its ordinal in the index is its place in [`Catalog::sections`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogSection {
    /// Its document's place in [`Catalog::documents`].
    pub document: u32,
    /// Its place among its document's sections.
    pub position: u32,
    /// The section's slug.
    pub slug: String,
    /// The section's heading path, top down.
    pub heading_path: Vec<String>,
    /// Sorted vocabulary ids of every term in the section's heading, text, code and questions.
    pub terms: Vec<u32>,
    /// Sorted vocabulary ids of the terms of its heading path.
    pub heading_terms: Vec<u32>,
}

/// The sections of an index and its vocabulary.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    /// The documents, in index order (those without sections too).
    pub documents: Vec<CatalogDocument>,
    /// The sections, by ordinal.
    pub sections: Vec<CatalogSection>,
    /// Every term of the corpus.
    pub vocabulary: Vocabulary,
    /// [`source_checksum`] of the files the index was built from.
    pub source_checksum: u32,
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

/// Collects the catalog while sections are indexed.
pub struct CatalogBuilder {
    catalog: Catalog,
    analyzer: TextAnalyzer,
}

impl Default for CatalogBuilder {
    fn default() -> Self {
        Self {
            catalog: Catalog::default(),
            analyzer: search_analyzer(),
        }
    }
}

impl CatalogBuilder {
    /// Starts a document; its sections follow.
    pub fn add_document(&mut self, skill: &str, name: &str) {
        self.catalog.documents.push(CatalogDocument {
            skill: skill.to_string(),
            name: name.to_string(),
        });
    }

    /// Adds a section of the last document and returns its ordinal.
    /// `questions` are the entries of the skill's questions file for it.
    pub fn add_section(&mut self, position: usize, section: &Section, questions: &[String]) -> usize {
        let vocabulary = &mut self.catalog.vocabulary;
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
        terms.sort_unstable();
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
        heading_terms.sort_unstable();
        heading_terms.dedup();
        self.catalog.sections.push(CatalogSection {
            document: (self.catalog.documents.len() - 1) as u32,
            position: position as u32,
            slug: section.slug.clone(),
            heading_path: section.heading_path.clone(),
            terms,
            heading_terms,
        });
        self.catalog.sections.len() - 1
    }

    /// The catalog.
    pub fn finish(self) -> Catalog {
        self.catalog
    }
}

impl Catalog {
    /// The catalog as bytes: magic, [`INDEX_VERSION`], documents, sections, vocabulary, CRC-32.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 * 1024);
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, INDEX_VERSION);
        put_u32(&mut out, self.source_checksum);
        put_u32(&mut out, self.documents.len() as u32);
        for d in &self.documents {
            put_str(&mut out, &d.skill);
            put_str(&mut out, &d.name);
        }
        put_u32(&mut out, self.sections.len() as u32);
        for s in &self.sections {
            put_u32(&mut out, s.document);
            put_u32(&mut out, s.position);
            put_str(&mut out, &s.slug);
            put_u32(&mut out, s.heading_path.len() as u32);
            for h in &s.heading_path {
                put_str(&mut out, h);
            }
            for ids in [&s.terms, &s.heading_terms] {
                put_u32(&mut out, ids.len() as u32);
                for &id in ids {
                    put_u32(&mut out, id);
                }
            }
        }
        let terms = self.vocabulary.terms();
        put_u32(&mut out, terms.len() as u32);
        for (term, frequency) in terms {
            put_str(&mut out, term);
            put_u32(&mut out, *frequency);
        }
        let crc = crc32fast::hash(&out);
        put_u32(&mut out, crc);
        out
    }

    /// Reads bytes that [`Catalog::encode`] wrote, checking the CRC-32, the version and that
    /// every id points inside the catalog.
    pub fn decode(bytes: &[u8]) -> Result<Self, CorruptCatalog> {
        if bytes.len() < MAGIC.len() + 8 || &bytes[..MAGIC.len()] != MAGIC {
            return Err(CorruptCatalog("not a catalog file"));
        }
        let (body, crc) = bytes.split_at(bytes.len() - 4);
        if crc32fast::hash(body) != u32::from_le_bytes(crc.try_into().expect("four bytes")) {
            return Err(CorruptCatalog("checksum mismatch"));
        }
        let mut r = Reader(&body[MAGIC.len()..]);
        if r.u32()? != INDEX_VERSION {
            return Err(CorruptCatalog("written by another index version"));
        }
        let source_checksum = r.u32()?;
        let count = r.count()?;
        let mut documents = Vec::with_capacity(count);
        for _ in 0..count {
            documents.push(CatalogDocument {
                skill: r.string()?,
                name: r.string()?,
            });
        }
        let count = r.count()?;
        let mut sections = Vec::with_capacity(count);
        for _ in 0..count {
            let document = r.u32()?;
            let position = r.u32()?;
            let slug = r.string()?;
            let n = r.count()?;
            let heading_path = (0..n).map(|_| r.string()).collect::<Result<_, _>>()?;
            let mut ids = [Vec::new(), Vec::new()];
            for list in &mut ids {
                let n = r.count()?;
                *list = (0..n).map(|_| r.u32()).collect::<Result<_, _>>()?;
            }
            let [terms, heading_terms] = ids;
            if document as usize >= documents.len() {
                return Err(CorruptCatalog("a section of no document"));
            }
            sections.push(CatalogSection {
                document,
                position,
                slug,
                heading_path,
                terms,
                heading_terms,
            });
        }
        let count = r.count()?;
        let mut terms = Vec::with_capacity(count);
        for _ in 0..count {
            terms.push((r.string()?.into_boxed_str(), r.u32()?));
        }
        if !r.0.is_empty() {
            return Err(CorruptCatalog("bytes after the end"));
        }
        let known = terms.len() as u32;
        if sections
            .iter()
            .any(|s| s.terms.iter().chain(&s.heading_terms).any(|&id| id >= known))
        {
            return Err(CorruptCatalog("a term id outside the vocabulary"));
        }
        Ok(Self {
            documents,
            sections,
            vocabulary: Vocabulary::from_terms(terms),
            source_checksum,
        })
    }
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, value: &str) {
    put_u32(out, value.len() as u32);
    out.extend_from_slice(value.as_bytes());
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], CorruptCatalog> {
        if self.0.len() < n {
            return Err(CorruptCatalog("cut short"));
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, CorruptCatalog> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("four bytes")))
    }

    /// A count, which cannot exceed the bytes left (each item takes at least one byte).
    fn count(&mut self) -> Result<usize, CorruptCatalog> {
        let n = self.u32()? as usize;
        if n > self.0.len() {
            return Err(CorruptCatalog("a count larger than the file"));
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, CorruptCatalog> {
        let n = self.count()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| CorruptCatalog("text that is not UTF-8"))
    }
}
