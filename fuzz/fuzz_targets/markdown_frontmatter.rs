//! Any bytes as a document: the markdown parser, the front matter parser, the document model,
//! decision tables and validation of a skill whose SKILL.md they are, never panic.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use streaming_skill::markdown;
use streaming_skill::skill::document::Document;
use streaming_skill::skill::{Skill, frontmatter};
use streaming_skill::{tables, validate};

/// A skill folder of this process's own, written anew on every run.
static SKILL_DIR: LazyLock<PathBuf> = LazyLock::new(|| {
    let dir = std::env::temp_dir().join(format!("streaming-skill-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    dir
});

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = Document::parse("SKILL.md", "SKILL.md", data.to_vec()) else {
        return;
    };
    let _ = markdown::parse(&doc.source);
    if let Ok(fm) = frontmatter::parse(&doc.source) {
        let _ = fm.problems();
    }
    for i in 0..doc.markdown.sections.len() {
        let _ = doc.section_markdown(i);
    }
    let _ = doc.find_section(&doc.source);
    for table in tables::decision_tables(&doc) {
        let rows: Vec<_> = table.rows.iter().collect();
        let _ = table.to_markdown(&rows);
    }
    // As a whole skill in a folder: loading and validation. (A folder rather than the embedded
    // store, whose `&'static` bytes would leak on every run.)
    let skill_md = SKILL_DIR.join("SKILL.md");
    if std::fs::write(&skill_md, data).is_ok() {
        let _ = validate::validate_dir(&SKILL_DIR);
        if let Ok(skill) = Skill::from_dir(&SKILL_DIR) {
            let _ = validate::validate(&skill);
        }
    }
});
