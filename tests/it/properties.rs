//! Properties over arbitrary text: the markdown and front matter parsers, skill loading and
//! validation, search over the embedded skill, reading, routing and the path and URI checks
//! never panic, and return what their contracts say. Case counts keep the file to a few seconds
//! in a debug build; raise them with `PROPTEST_CASES=...` for a longer run.

use std::sync::{Arc, LazyLock};

use proptest::prelude::*;
use streaming_skill::library::SkillLibrary;
use streaming_skill::markdown::{self, LineIndex};
use streaming_skill::skill::document::Document;
use streaming_skill::skill::files::{self, EmbeddedFile, SkillFiles};
use streaming_skill::skill::frontmatter;
use streaming_skill::skill::uri::SkillUri;
use streaming_skill::skill::{Skill, links};
use streaming_skill::text::sentences;
use streaming_skill::{tables, tokens, validate};

/// `cases` cases, or as many as `PROPTEST_CASES` says.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig::with_cases(cases)
}

/// The embedded skill, loaded once for every case.
static LIBRARY: LazyLock<SkillLibrary> =
    LazyLock::new(|| SkillLibrary::new(vec![Arc::new(Skill::embedded().expect("the embedded skill loads"))]));

/// Pieces that make markdown and YAML parsers take their unusual paths.
fn markdown_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        Just("\r\n".to_string()),
        Just("# ".to_string()),
        Just("## ".to_string()),
        Just("###### ".to_string()),
        Just("---\n".to_string()),
        Just("---".to_string()),
        Just("name: x\n".to_string()),
        Just("description: ".to_string()),
        Just("metadata:\n  a: 1\n".to_string()),
        Just(": ".to_string()),
        Just("- ".to_string()),
        Just("* ".to_string()),
        Just("1. ".to_string()),
        Just("> ".to_string()),
        Just("| a | b |\n".to_string()),
        Just("|---|---|\n".to_string()),
        Just("|".to_string()),
        Just("```".to_string()),
        Just("```rust\n".to_string()),
        Just("~~~".to_string()),
        Just("    ".to_string()),
        Just("\t".to_string()),
        Just("[link](references/x.md)".to_string()),
        Just("[a](../../etc/passwd)".to_string()),
        Just("[b](#anchor)".to_string()),
        Just("![img](x.png)".to_string()),
        Just("<div>".to_string()),
        Just("<!-- ".to_string()),
        Just("&amp;".to_string()),
        Just("\\".to_string()),
        Just("`".to_string()),
        Just("**".to_string()),
        Just("_".to_string()),
        Just("[^1]".to_string()),
        Just("é".to_string()),
        Just("🦀".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{200b}".to_string()),
        Just("\u{feff}".to_string()),
        "[a-zA-Z0-9 ]{0,12}",
        any::<String>(),
    ]
}

/// Markdown-like text: a sequence of pieces.
fn markdown_text() -> impl Strategy<Value = String> {
    prop::collection::vec(markdown_piece(), 0..40).prop_map(|pieces| pieces.concat())
}

/// Any text, or markdown-like text.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), markdown_text()]
}

/// Pieces of a query: corpus words, typos, tantivy query syntax, control characters.
fn query_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("kafka".to_string()),
        Just("consumer".to_string()),
        Just("lag".to_string()),
        Just("idempotant".to_string()),
        Just("watermarks".to_string()),
        Just("exactly-once".to_string()),
        Just("\"".to_string()),
        Just("(".to_string()),
        Just(")".to_string()),
        Just("AND".to_string()),
        Just("OR".to_string()),
        Just("NOT".to_string()),
        Just("field:".to_string()),
        Just("heading:kafka".to_string()),
        Just("^".to_string()),
        Just("^2".to_string()),
        Just("~".to_string()),
        Just("~2".to_string()),
        Just("*".to_string()),
        Just("+".to_string()),
        Just("-".to_string()),
        Just("[a TO z]".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\\".to_string()),
        Just("/regex/".to_string()),
        Just(":".to_string()),
        Just(" ".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{7}".to_string()),
        Just("\t\n\r".to_string()),
        Just("カフカのラグ".to_string()),
        "[a-z]{1,30}",
        "\\PC{0,10}",
        any::<String>(),
    ]
}

fn query() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(query_piece(), 0..25).prop_map(|pieces| pieces.join(" ")),
        prop::collection::vec(query_piece(), 0..25).prop_map(|pieces| pieces.concat()),
    ]
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn markdown_parse_never_panics(source in text()) {
        let doc = markdown::parse(&source);
        let _ = doc.title();
        let _ = doc.lead_paragraph();
        for (i, section) in doc.sections.iter().enumerate() {
            prop_assert_eq!(markdown::slugify(&section.heading).contains(char::is_whitespace), false);
            let _ = doc.section_by_slug(&section.slug);
            let _ = doc.first_paragraph_of(i);
        }
        for paragraph in &doc.paragraphs {
            let sentence = sentences::first(&paragraph.text);
            prop_assert!(paragraph.text.contains(&sentence));
        }
        let lines = LineIndex::new(&source);
        for offset in [0, source.len() / 2, source.len(), source.len() + 10] {
            let (line, column) = lines.position(&source, offset);
            prop_assert!(line >= 1 && column >= 1);
            prop_assert!(line <= lines.line_count().max(1));
        }
        let _ = tokens::estimate(&source);
    }

    #[test]
    fn documents_sections_and_tables_never_panic(source in text(), query in any::<String>()) {
        let doc = Document::parse("references/x.md", "x", source.into_bytes()).unwrap();
        for i in 0..doc.markdown.sections.len() {
            let whole = doc.section_markdown(i);
            let own = doc.section_own_markdown(i);
            prop_assert!(whole.starts_with(own));
        }
        let _ = doc.find_section(&query);
        for table in tables::decision_tables(&doc) {
            let rows: Vec<_> = table.rows.iter().collect();
            let _ = table.to_markdown(&rows);
            let _ = table.filter_rows(&[(query.clone(), query.clone())]);
            let _ = tables::find(std::slice::from_ref(&table), &query);
        }
    }

    #[test]
    fn documents_of_any_bytes_parse_or_say_where_utf8_breaks(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        if let Err(e) = Document::parse("references/x.md", "x", bytes) {
            prop_assert!(e.to_string().contains("not valid UTF-8"), "{}", e);
        }
    }

    #[test]
    fn frontmatter_never_panics(source in text()) {
        match frontmatter::parse(&source) {
            Ok(fm) => {
                let _ = fm.problems();
                let _ = fm.line_of("name");
                let _ = frontmatter::name_problem(&fm.name);
            }
            Err(e) => prop_assert!(e.line >= 1 && e.column >= 1, "{:?}", e),
        }
        let _ = frontmatter::split(&source);
    }

    #[test]
    fn frontmatter_with_a_fence_never_panics(yaml in markdown_text(), body in text()) {
        let source = format!("---\n{yaml}\n---\n{body}");
        if let Err(e) = frontmatter::parse(&source) {
            prop_assert!(e.line >= 1 && e.column >= 1, "{:?}", e);
        }
    }

    #[test]
    fn links_and_paths_never_escape(destination in text(), path in text()) {
        let _ = links::resolve("SKILL.md", &destination);
        let _ = links::resolve("references/a.md", &destination);
        if let Ok(normal) = files::normalize_relative(&path) {
            prop_assert!(!normal.starts_with('/'));
            prop_assert!(!normal.split('/').any(|p| p == ".." || p.is_empty()));
            prop_assert!(!normal.contains('\0') && !normal.contains('\\'));
        }
        prop_assert!(files::display_name(&path).chars().count() <= 81);
        prop_assert!(!files::display_name(&path).contains(char::is_control));
        let _ = SkillUri::parse(&path);
        let _ = SkillUri::parse(&format!("skill://streaming-data-skill/{path}"));
    }
}

proptest! {
    // Each case loads, validates and routes a whole skill.
    #![proptest_config(config(48))]

    #[test]
    fn any_skill_md_loads_or_fails_cleanly(source in text()) {
        let skill_md: &'static [u8] = Box::leak(source.into_bytes().into_boxed_slice());
        let files: &'static [EmbeddedFile] = Box::leak(Box::new([EmbeddedFile { path: "SKILL.md", bytes: skill_md }]));
        let _ = validate::validate_files(SkillFiles::Embedded(files));
        if let Ok(skill) = Skill::load(SkillFiles::Embedded(files)) {
            let _ = validate::validate(&skill);
            let _ = tables::decision_tables(&skill.skill_md());
            let library = SkillLibrary::new(vec![Arc::new(skill)]);
            let _ = library.search("kafka lag", None, None, None, None);
            let _ = library.route("kafka consumer lag");
            let _ = library.list_references(None, None, true);
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn search_answers_any_query(query in query()) {
        let reply = LIBRARY.search(&query, None, None, None, None);
        prop_assert!(reply.is_ok(), "{:?}", reply.err());
        let reply = reply.unwrap();
        prop_assert!(reply.hits.len() <= 5);
        prop_assert!(reply.total >= reply.hits.len());
    }

    #[test]
    fn search_within_a_document_and_budget_answers_any_query(query in query(), limit in 1usize..=20, budget in 150usize..3000) {
        let reply = LIBRARY.search(&query, Some(limit), Some("kafka-deep-dive"), None, Some(budget));
        prop_assert!(reply.is_ok(), "{:?}", reply.err());
        let reply = reply.unwrap();
        prop_assert!(reply.hits.len() <= limit);
        prop_assert!(reply.hits.iter().all(|h| h.document == "kafka-deep-dive"));
    }

    #[test]
    fn routing_answers_any_text(request in query()) {
        match LIBRARY.route(&request) {
            Ok(decision) => prop_assert!((0.0..=1.0).contains(&decision.confidence), "{}", decision.confidence),
            Err(e) => {
                prop_assert!(request.trim().is_empty(), "{}", e);
            }
        }
        let router = LIBRARY.router().unwrap();
        let decision = router.route(&request);
        prop_assert!((0.0..=1.0).contains(&decision.confidence));
        let _ = router.distinctive_words(&request);
    }

    #[test]
    fn reading_any_name_or_section_never_panics(document in query(), section in query()) {
        let _ = LIBRARY.read(None, &document, Some(&section), None);
        let _ = LIBRARY.read(None, &document, None, Some(150));
        let read = LIBRARY.read(None, "kafka-deep-dive", Some(&section), Some(150));
        if let Ok(reply) = read {
            prop_assert_eq!(reply.document, "kafka-deep-dive");
        }
        let _ = LIBRARY.table(None, &section);
    }
}
