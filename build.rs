//! Embeds the skill at the repository root (SKILL.md, references/, skill/) into the binary, so
//! that a single installed binary serves the streaming-data skill with no files beside it, and
//! builds its search index, so the server opens it instead of building it at run time. The index
//! is written by the server's own markdown, text analysis, schema and catalog code, included below.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/search/catalog.rs"]
mod catalog;
#[allow(dead_code)]
#[path = "src/markdown.rs"]
mod markdown;
#[allow(dead_code)]
#[path = "src/search/questions.rs"]
mod questions;
#[allow(dead_code)]
#[path = "src/search/schema.rs"]
mod schema;
#[allow(dead_code, unused_imports)]
#[path = "src/text/mod.rs"]
mod text;
#[allow(dead_code)]
#[path = "src/search/thesaurus.rs"]
mod thesaurus;
#[allow(dead_code)]
#[path = "src/search/vocabulary.rs"]
mod vocabulary;
#[allow(dead_code)]
#[path = "src/skill/walk.rs"]
mod walk;

/// The source files the prebuilt index depends on, besides the skill's.
const INDEX_SOURCES: [&str; 12] = [
    "src/text/mod.rs",
    "src/text/analyzer.rs",
    "src/text/distance.rs",
    "src/text/sentences.rs",
    "src/text/word.rs",
    "src/search/catalog.rs",
    "src/search/questions.rs",
    "src/markdown.rs",
    "src/search/schema.rs",
    "src/search/thesaurus.rs",
    "src/search/vocabulary.rs",
    "src/skill/walk.rs",
];

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let skill_md = root.join("SKILL.md");
    println!("cargo:rerun-if-changed={}", skill_md.display());
    if skill_md.is_file() {
        files.push(("SKILL.md".to_string(), skill_md));
    }
    for dir in ["references", "skill"] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
        collect(&root, dir, &mut files);
    }
    files.sort();
    let mut out = String::from(
        "/// The files of the embedded skill, sorted by path.\npub static EMBEDDED_FILES: &[EmbeddedFile] = &[\n",
    );
    for (relative, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            out,
            "    EmbeddedFile {{ path: {relative:?}, bytes: include_bytes!({:?}) }},",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push_str("];\n");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out_dir.join("embedded_skill.rs"), out).expect("write embedded_skill.rs");
    for source in INDEX_SOURCES {
        println!("cargo:rerun-if-changed={}", root.join(source).display());
    }
    prebuild_index(&files, &out_dir);
}

/// Indexes the documents of the skill in `files` as `Skill::load` lists them (SKILL.md, the
/// markdown files under references/, then other markdown files SKILL.md links to), writes the
/// index and its catalog to `OUT_DIR/prebuilt_index/`, and a list of them to include.
fn prebuild_index(files: &[(String, PathBuf)], out_dir: &Path) {
    let read = |relative: &str| -> Option<String> {
        let (_, path) = files.iter().find(|(r, _)| r == relative)?;
        Some(std::fs::read_to_string(path).expect("skill documents are UTF-8"))
    };
    let mut documents: Vec<(String, String)> = Vec::new();
    let skill_md = read("SKILL.md").unwrap_or_default();
    let skill_name = front_matter_name(&skill_md);
    let parsed_skill_md = markdown::parse(&skill_md);
    documents.push(("SKILL.md".into(), "SKILL.md".into()));
    let mut paths: Vec<String> = files
        .iter()
        .map(|(r, _)| r.clone())
        .filter(|r| r.starts_with("references/") && r.ends_with(".md"))
        .collect();
    for link in &parsed_skill_md.links {
        let path = link.destination.split('#').next().unwrap_or_default().trim();
        let path = path.strip_prefix("./").unwrap_or(path);
        if path.ends_with(".md")
            && path != "SKILL.md"
            && files.iter().any(|(r, _)| r == path)
            && !paths.iter().any(|p| p == path)
        {
            paths.push(path.to_string());
        }
    }
    for path in paths {
        let stem = path
            .rsplit('/')
            .next()
            .unwrap_or(&path)
            .trim_end_matches(".md")
            .to_string();
        let name = if documents.iter().any(|(n, _)| *n == stem) {
            path.trim_end_matches(".md").to_string()
        } else {
            stem
        };
        documents.push((name, path));
    }
    let parsed: Vec<(String, String, markdown::MarkdownDocument)> = documents
        .into_iter()
        .map(|(name, path)| {
            let source = read(&path).unwrap_or_default();
            (name, path, markdown::parse(&source))
        })
        .collect();
    // What the sections answer, from skill/questions/ (a file that does not parse is left out,
    // as the server leaves it out; `validate` and the content tests report it).
    let bytes: Vec<(&str, Vec<u8>)> = files
        .iter()
        .map(|(relative, path)| (relative.as_str(), std::fs::read(path).expect("read a skill file")))
        .collect();
    let (questions_files, _) = questions::load(bytes.iter().map(|(p, b)| (*p, b.as_slice())));
    let asked = questions::by_document(&questions_files);
    let dir = out_dir.join("prebuilt_index");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create the index folder");
    let directory = tantivy::directory::MmapDirectory::open(&dir).expect("open the index folder");
    let source_checksum = catalog::source_checksum(bytes.iter().map(|(p, b)| (*p, b.as_slice())));
    // The analysed thesaurus goes into the catalog, as the server's own index build puts it.
    let thesaurus_file = bytes
        .iter()
        .find(|(p, _)| *p == thesaurus::THESAURUS_FILE)
        .map(|(_, b)| b.as_slice());
    let (thesaurus, errors) = thesaurus::Thesaurus::of_files([thesaurus_file], &mut text::analyzer::search_analyzer());
    let (_, catalog) = schema::write_index(
        directory,
        parsed.iter().map(|(name, path, doc)| schema::IndexedDocument {
            skill: skill_name.as_str(),
            name: name.as_str(),
            sections: doc.sections.as_slice(),
            questions: asked.get(path.as_str()),
        }),
        source_checksum,
        thesaurus.encode(&errors),
    )
    .expect("build the embedded skill's index");
    std::fs::write(dir.join(catalog::CATALOG_FILE), catalog.bytes()).expect("write the catalog");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("list the index folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    names.sort();
    let mut list = String::from("&[\n");
    for name in names {
        writeln!(
            list,
            "    ({name:?}, include_bytes!({:?})),",
            dir.join(&name).display().to_string()
        )
        .unwrap();
    }
    list.push(']');
    std::fs::write(out_dir.join("prebuilt_index.rs"), list).expect("write prebuilt_index.rs");
}

/// The `name:` of a front matter block (the server reads it with a YAML parser; a skill whose
/// name this simpler reading gets wrong is indexed at run time instead, see `search::open`).
fn front_matter_name(text: &str) -> String {
    let Some(rest) = text.strip_prefix("---\n") else {
        return String::new();
    };
    rest.lines()
        .take_while(|l| l.trim_end() != "---")
        .find_map(|l| l.strip_prefix("name:"))
        .map(|v| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .unwrap_or_default()
}

/// The files under `root/dir`, walked as the server walks a skill folder on disk, so the
/// embedded skill holds what the same folder served with `--skill-dir` would.
fn collect(root: &Path, dir: &str, files: &mut Vec<(String, PathBuf)>) {
    let Ok(handle) = walk::open(&root.join(dir)) else {
        return;
    };
    let found = walk::walk(&handle, usize::MAX).expect("walk the skill folder");
    for folder in &found.folders {
        println!("cargo:rerun-if-changed={}", root.join(dir).join(folder).display());
    }
    for file in found.files {
        files.push((format!("{dir}/{}", file.path), root.join(dir).join(&file.path)));
    }
}
