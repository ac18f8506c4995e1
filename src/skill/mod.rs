//! A loaded Agent Skill: its front matter, its files, and its markdown documents, which are
//! parsed lazily the first time they are asked for.

pub mod document;
pub mod error;
pub mod files;
pub mod frontmatter;
pub mod links;
pub mod uri;
pub mod walk;

use std::path::Path;
use std::sync::{Arc, OnceLock};

pub use document::Document;
pub use error::SkillError;
pub use files::SkillFiles;
pub use frontmatter::Frontmatter;
use links::LinkTarget;

/// The file every skill folder has.
pub const SKILL_MD: &str = "SKILL.md";

/// A document the skill holds, parsed on first use.
#[derive(Debug)]
struct DocumentSlot {
    path: String,
    name: String,
    parsed: OnceLock<Arc<Document>>,
}

/// A loaded skill.
#[derive(Debug)]
pub struct Skill {
    frontmatter: Frontmatter,
    files: SkillFiles,
    file_list: Vec<String>,
    documents: Vec<DocumentSlot>,
}

impl Skill {
    /// Loads the skill embedded in the binary.
    pub fn embedded() -> Result<Self, SkillError> {
        Self::load(SkillFiles::embedded())
    }

    /// Loads the skill in folder `dir`. Only `SKILL.md` is read now; other documents are read
    /// when first asked for.
    pub fn from_dir(dir: &Path) -> Result<Self, SkillError> {
        let files = SkillFiles::directory_of_skill(dir)?;
        if let [first, ..] = files.outside_links() {
            // The folder's own name only: a log line never shows where the skill lives.
            tracing::warn!(
                "skill folder {}: left out {} symlink(s) whose target is outside the folder (first: {first}); `streaming-skill validate` lists them",
                dir.file_name().map_or_else(|| ".".into(), |n| n.to_string_lossy()),
                files.outside_links().len()
            );
        }
        Self::load(files)
    }

    /// Loads a skill from a file store.
    pub fn load(files: SkillFiles) -> Result<Self, SkillError> {
        let file_list = files.list()?;
        if !file_list.iter().any(|f| f == SKILL_MD) {
            return Err(SkillError::FileNotFound { path: SKILL_MD.into() });
        }
        let skill_md = Document::parse(SKILL_MD, SKILL_MD, files.read(SKILL_MD)?)?;
        let frontmatter = frontmatter::parse(&skill_md.source).map_err(|e| SkillError::Frontmatter {
            path: SKILL_MD.into(),
            line: e.line,
            column: e.column,
            message: e.message,
        })?;
        let mut paths: Vec<String> = file_list
            .iter()
            .filter(|p| p.starts_with("references/") && p.ends_with(".md"))
            .cloned()
            .collect();
        for link in &skill_md.markdown.links {
            if let LinkTarget::File { path, .. } = links::resolve(SKILL_MD, &link.destination)
                && path.ends_with(".md")
                && path != SKILL_MD
                && file_list.contains(&path)
                && !paths.contains(&path)
            {
                paths.push(path);
            }
        }
        let mut documents = vec![DocumentSlot {
            path: SKILL_MD.into(),
            name: SKILL_MD.into(),
            parsed: OnceLock::from(Arc::new(skill_md)),
        }];
        for path in paths {
            let stem = path
                .rsplit('/')
                .next()
                .unwrap_or(&path)
                .trim_end_matches(".md")
                .to_string();
            let name = if documents.iter().any(|d| d.name == stem) {
                path.trim_end_matches(".md").to_string()
            } else {
                stem
            };
            documents.push(DocumentSlot {
                path,
                name,
                parsed: OnceLock::new(),
            });
        }
        Ok(Self {
            frontmatter,
            files,
            file_list,
            documents,
        })
    }

    /// The skill's name from its front matter.
    pub fn name(&self) -> &str {
        &self.frontmatter.name
    }

    /// The parsed front matter.
    pub fn frontmatter(&self) -> &Frontmatter {
        &self.frontmatter
    }

    /// Where the files come from.
    pub fn files(&self) -> &SkillFiles {
        &self.files
    }

    /// Every file of the skill, relative to its folder.
    pub fn file_paths(&self) -> &[String] {
        &self.file_list
    }

    /// `(name, path)` of every document: `SKILL.md` first, then the references.
    pub fn document_names(&self) -> impl Iterator<Item = (&str, &str)> {
        self.documents.iter().map(|d| (d.name.as_str(), d.path.as_str()))
    }

    /// The parsed `SKILL.md`.
    pub fn skill_md(&self) -> Arc<Document> {
        self.documents[0]
            .parsed
            .get()
            .cloned()
            .expect("SKILL.md is parsed at load")
    }

    /// Finds a document by name (`kafka-deep-dive`), file name (`kafka-deep-dive.md`), path
    /// (`references/kafka-deep-dive.md`) or `skill://` URI, ignoring case, and parses it if
    /// this is the first time it is asked for.
    pub fn document(&self, query: &str) -> Result<Arc<Document>, SkillError> {
        let slot = self.find_slot(query).ok_or_else(|| SkillError::DocumentNotFound {
            name: files::display_name(query),
            available: self.documents.iter().map(|d| d.name.clone()).collect(),
        })?;
        if let Some(doc) = slot.parsed.get() {
            return Ok(doc.clone());
        }
        let bytes = self.files.read(&slot.path)?;
        let doc = Arc::new(Document::parse(&slot.path, &slot.name, bytes)?);
        Ok(slot.parsed.get_or_init(|| doc).clone())
    }

    /// Whether `query` names a document that [`Skill::document`] can parse, found without
    /// parsing it: it exists and is UTF-8 (the one way a parse fails).
    pub fn has_document(&self, query: &str) -> bool {
        self.find_slot(query).is_some_and(|slot| {
            slot.parsed.get().is_some()
                || self
                    .files
                    .read(&slot.path)
                    .is_ok_and(|b| std::str::from_utf8(&b).is_ok())
        })
    }

    /// Every document, parsed.
    pub fn documents(&self) -> Result<Vec<Arc<Document>>, SkillError> {
        self.documents.iter().map(|d| self.document(&d.path)).collect()
    }

    fn find_slot(&self, query: &str) -> Option<&DocumentSlot> {
        let query = query.trim();
        let query = match uri::SkillUri::parse(query) {
            Some(uri::SkillUri::File { path, .. }) => path,
            Some(uri::SkillUri::Section { document, .. }) => document,
            _ => query.to_string(),
        };
        let lower = query.to_lowercase();
        let stem = lower.trim_end_matches(".md");
        self.documents.iter().find(|d| {
            let name = d.name.to_lowercase();
            let path = d.path.to_lowercase();
            name == lower
                || name.trim_end_matches(".md") == stem
                || path == lower
                || path.trim_end_matches(".md") == stem
                || path.rsplit('/').next().is_some_and(|f| f == lower)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_skill_loads() {
        let skill = Skill::embedded().unwrap();
        assert_eq!(skill.name(), "streaming-data-skill");
        let names: Vec<_> = skill.document_names().map(|(n, _)| n).collect();
        assert_eq!(names[0], "SKILL.md");
        assert!(names.contains(&"kafka-deep-dive"), "{names:?}");
        assert!(names.contains(&"security-compliance-patterns"), "{names:?}");
    }

    #[test]
    fn documents_are_found_by_every_name() {
        let skill = Skill::embedded().unwrap();
        for query in [
            "kafka-deep-dive",
            "kafka-deep-dive.md",
            "references/kafka-deep-dive.md",
            "KAFKA-DEEP-DIVE",
            "skill://streaming-data-skill/references/kafka-deep-dive.md",
            "skill://streaming-data-skill/sections/kafka-deep-dive/x",
        ] {
            assert_eq!(skill.document(query).unwrap().name, "kafka-deep-dive", "{query}");
        }
        assert_eq!(skill.document("skill.md").unwrap().name, "SKILL.md");
        let err = skill.document("../../etc/passwd").unwrap_err();
        assert!(matches!(err, SkillError::DocumentNotFound { .. }));
    }

    #[test]
    fn has_document_agrees_with_document_without_parsing() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("references")).unwrap();
        std::fs::write(
            dir.path().join("SKILL.md"),
            "---\nname: t\ndescription: A test skill.\n---\n# T\n\nText.\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("references/good.md"), "# Good\n\nText.\n").unwrap();
        std::fs::write(dir.path().join("references/bad.md"), b"# Bad\n\n\xff\xfe\n").unwrap();
        let skill = Skill::from_dir(dir.path()).unwrap();
        for query in ["good", "bad", "missing", "SKILL.md"] {
            assert_eq!(skill.has_document(query), skill.document(query).is_ok(), "{query}");
        }
        assert!(skill.has_document("good") && !skill.has_document("bad"));
    }
}
