//! The index's schema and how an index is written, shared by the server and by `build.rs`
//! (which includes this file, `vocabulary.rs`, `catalog.rs` and the `text` module with `#[path]`),
//! so the index compiled into the binary and one built at run time come from the same code.

use tantivy::directory::Directory;
use tantivy::indexer::NoMergePolicy;
use tantivy::schema::{FAST, Field, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::catalog::{Catalog, CatalogBuilder};
use super::questions::DocumentQuestions;
use crate::markdown::Section;
use crate::text::analyzer::search_analyzer;

/// The version of everything that decides what an index holds: the search analyzer (`text/analyzer.rs`),
/// the schema below, the way sections are written, and the catalog's format. Bump it with any
/// change to them: it is part of every cache key, so a stale on-disk index is never served.
pub const INDEX_VERSION: u32 = 4;

/// The name the search analyzer is registered under in the index.
pub const ANALYZER_NAME: &str = "en_stem_stop";

/// The memory tantivy's writer may use before it writes a segment (its smallest allowed).
pub const WRITER_ARENA_BYTES: usize = 15_000_000;

/// The fields of an index document (one per section).
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// The skill's name, for filtering.
    pub skill: Field,
    /// The document's name, for filtering.
    pub document: Field,
    /// The section's place in the catalog (a fast field).
    pub ordinal: Field,
    /// The section's own heading.
    pub heading: Field,
    /// The headings above it.
    pub parents: Field,
    /// Its prose.
    pub body: Field,
    /// Its code blocks.
    pub code: Field,
    /// The questions, symptoms and error names the skill's questions files give for it.
    pub questions: Field,
}

/// The schema and its fields.
pub fn schema() -> (Schema, Fields) {
    let mut schema = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(ANALYZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        skill: schema.add_text_field("skill", STRING),
        document: schema.add_text_field("document", STRING),
        ordinal: schema.add_u64_field("ordinal", FAST),
        heading: schema.add_text_field("heading", text.clone()),
        parents: schema.add_text_field("parents", text.clone()),
        body: schema.add_text_field("body", text.clone()),
        code: schema.add_text_field("code", text.clone()),
        questions: schema.add_text_field("questions", text),
    };
    (schema.build(), fields)
}

/// The fields of an index that was opened, looked up by name; `None` when the index has a
/// schema other than [`schema`]'s.
pub fn fields_of(index: &Index) -> Option<Fields> {
    let (expected, fields) = schema();
    (index.schema() == expected).then_some(fields)
}

/// Registers the analyzer with an index, created or opened.
pub fn register_analyzer(index: &Index) {
    index.tokenizers().register(ANALYZER_NAME, search_analyzer());
}

/// A document to index.
#[derive(Debug, Clone, Copy)]
pub struct IndexedDocument<'a> {
    /// The skill's name.
    pub skill: &'a str,
    /// The document's name.
    pub name: &'a str,
    /// Its sections, in order.
    pub sections: &'a [Section],
    /// What its sections answer, from the skill's questions file about it.
    pub questions: Option<&'a DocumentQuestions>,
}

/// Writes one index document per section of `documents` (in order) into a new index in
/// `directory`, commits it and returns it with its catalog, which records `source_checksum`
/// (see [`source_checksum`](super::catalog::source_checksum); 0 for an index that is not
/// stored), and the analysed `thesaurus` of the indexed skills (see
/// [`Thesaurus::encode`](super::thesaurus::Thesaurus::encode); empty for none). Each entry of a
/// section's questions is a value of its own of the `questions` field, so no phrase spans two
/// entries.
pub fn write_index<'a>(
    directory: impl Into<Box<dyn Directory>>,
    documents: impl IntoIterator<Item = IndexedDocument<'a>>,
    source_checksum: u32,
    thesaurus: String,
) -> tantivy::Result<(Index, Catalog)> {
    let (schema, fields) = schema();
    let index = Index::create(directory, schema, tantivy::IndexSettings::default())?;
    register_analyzer(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_ARENA_BYTES)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));
    let mut catalog = CatalogBuilder::default();
    catalog.set_thesaurus(thesaurus);
    for IndexedDocument {
        skill,
        name: document,
        sections,
        questions,
    } in documents
    {
        catalog.add_document(skill, document);
        for (position, section) in sections.iter().enumerate() {
            let asked: &[String] = questions.and_then(|q| q.get(&section.slug)).map_or(&[], Vec::as_slice);
            let ordinal = catalog.add_section(position, section, asked);
            let parents = section.heading_path[..section.heading_path.len().saturating_sub(1)].join(" ");
            let mut indexed = TantivyDocument::default();
            indexed.add_text(fields.skill, skill);
            indexed.add_text(fields.document, document);
            indexed.add_u64(fields.ordinal, ordinal as u64);
            indexed.add_text(fields.heading, &section.heading);
            indexed.add_text(fields.parents, &parents);
            indexed.add_text(fields.body, &section.text);
            indexed.add_text(fields.code, &section.code);
            for entry in asked {
                indexed.add_text(fields.questions, entry);
            }
            writer.add_document(indexed)?;
        }
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok((index, catalog.finish(source_checksum)))
}
