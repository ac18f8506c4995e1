//! Where the served skills come from: one skill folder (or the embedded skill), then every skill
//! folder under a skills root (`.agents/skills/`, `~/.claude/skills/`). A front end resolves its
//! options into [`SkillSources`] once, and every command loads its library from there.
//!
//! In a skills root every direct subfolder with a `SKILL.md` is a skill. A skill that fails
//! validation is skipped, with the file, line and problem that kept it out, so one broken skill
//! never takes the others down.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::SkillLibrary;
use crate::search::cache::IndexCache;
use crate::skill::{SKILL_MD, Skill, SkillError};
use crate::validate::{self, Severity};

/// Why the skills could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SourcesError {
    /// The skill folder did not load.
    #[error("cannot load the skill in {}", dir.display())]
    SkillDir {
        /// The folder.
        dir: PathBuf,
        /// Why.
        #[source]
        source: SkillError,
    },
    /// The embedded skill did not load.
    #[error("cannot load the embedded skill")]
    Embedded(#[source] SkillError),
    /// The skills root could not be read.
    #[error("cannot read the skills root {}", root.display())]
    Root {
        /// The folder.
        root: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// Nothing was left to serve.
    #[error("no skill to serve or read: --no-embedded needs --skill-dir or a --skills-root with a valid skill")]
    Nothing,
}

/// Where the served skills come from: `--skill-dir` (or the embedded skill, unless
/// `--no-embedded`), then every valid skill under `--skills-root`.
#[derive(Debug, Clone, Default)]
pub struct SkillSources {
    /// `--skill-dir`.
    pub skill_dir: Option<PathBuf>,
    /// `--skills-root`.
    pub skills_root: Option<PathBuf>,
    /// `--no-embedded`.
    pub no_embedded: bool,
    /// `--index-cache` and `--no-index-cache`.
    pub index_cache: IndexCache,
}

impl SkillSources {
    /// The folders to watch for changes: `--skill-dir` and `--skills-root`.
    pub fn watched(&self) -> Vec<PathBuf> {
        self.skill_dir.iter().chain(self.skills_root.iter()).cloned().collect()
    }

    /// Loads the skills into a library, warning about skipped folders and duplicate names.
    /// Fails when a `--skill-dir` does not load or nothing is left to serve.
    pub fn load(&self) -> Result<SkillLibrary, SourcesError> {
        self.reload(None)
    }

    /// Loads the skills again; a folder of the skills root that no longer validates keeps the
    /// version `previous` serves, so a half-saved edit never takes a skill away.
    pub fn reload(&self, previous: Option<&SkillLibrary>) -> Result<SkillLibrary, SourcesError> {
        let mut skills: Vec<Arc<Skill>> = Vec::new();
        match &self.skill_dir {
            Some(dir) => skills.push(Arc::new(load(Some(dir))?)),
            None if !self.no_embedded => skills.push(Arc::new(load(None)?)),
            None => {}
        }
        if let Some(root) = &self.skills_root {
            let loaded = load_root(root).map_err(|source| SourcesError::Root {
                root: root.clone(),
                source,
            })?;
            let mut kept = Vec::new();
            for skipped in loaded.skipped {
                let canonical = skipped.dir.canonicalize().ok();
                let last_good = previous.and_then(|library| {
                    library
                        .skills()
                        .iter()
                        .find(|s| canonical.is_some() && s.files().root() == canonical.as_deref())
                        .cloned()
                });
                match last_good {
                    Some(skill) => {
                        tracing::warn!(
                            "{} no longer validates ({}); still serving its last good version",
                            skipped.dir.display(),
                            skipped.reason
                        );
                        kept.push(skill);
                    }
                    None => tracing::warn!("skipping the skill in {}: {}", skipped.dir.display(), skipped.reason),
                }
            }
            for skill in loaded.skills.into_iter().map(Arc::new).chain(kept) {
                if skills.iter().any(|s| s.name() == skill.name()) {
                    tracing::warn!("skipping a second skill named {} in {}", skill.name(), root.display());
                    continue;
                }
                skills.push(skill);
            }
        }
        if skills.is_empty() {
            return Err(SourcesError::Nothing);
        }
        Ok(SkillLibrary::new(skills).with_index_cache(self.index_cache.clone()))
    }
}

/// Loads the skill in `skill_dir`, or the embedded one.
pub fn load(skill_dir: Option<&PathBuf>) -> Result<Skill, SourcesError> {
    match skill_dir {
        Some(dir) => Skill::from_dir(dir).map_err(|source| SourcesError::SkillDir {
            dir: dir.clone(),
            source,
        }),
        None => Skill::embedded().map_err(SourcesError::Embedded),
    }
}

/// A subfolder that was not loaded, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedSkill {
    /// The folder.
    pub dir: PathBuf,
    /// The first problem, as `path:line:column: message`.
    pub reason: String,
}

/// The skills of a skills root, in folder-name order, and the folders skipped.
#[derive(Debug, Default)]
pub struct RootLoad {
    /// The skills that loaded and validated.
    pub skills: Vec<Skill>,
    /// The folders that did not.
    pub skipped: Vec<SkippedSkill>,
}

/// Loads every skill folder directly under `root`. Fails only when `root` cannot be read.
pub fn load_root(root: &Path) -> std::io::Result<RootLoad> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_dir()
                && p.join(SKILL_MD).is_file()
                && !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    dirs.sort();
    let mut out = RootLoad::default();
    for dir in dirs {
        match load_valid(&dir) {
            Ok(skill) => out.skills.push(skill),
            Err(reason) => out.skipped.push(SkippedSkill { dir, reason }),
        }
    }
    Ok(out)
}

/// Loads one skill folder if it validates without errors.
pub fn load_valid(dir: &Path) -> Result<Skill, String> {
    let findings = validate::validate_dir(dir);
    if let Some(error) = findings.iter().find(|f| f.severity == Severity::Error) {
        return Err(format!(
            "{}:{}:{}: {}",
            dir.join(&error.path).display(),
            error.line,
            error.column,
            error.message
        ));
    }
    Skill::from_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, skill_md: &str) {
        let folder = dir.join(name);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("SKILL.md"), skill_md).unwrap();
    }

    #[test]
    fn broken_skills_are_skipped_with_file_and_line() {
        let root = tempfile::tempdir().unwrap();
        write(
            root.path(),
            "alpha-skill",
            "---\nname: alpha-skill\ndescription: Does alpha things. Use when alpha.\n---\n\n# Alpha\n\nText.\n",
        );
        write(
            root.path(),
            "broken-skill",
            "---\nname: Broken Skill!\ndescription: x\n---\n\n# B\n\nText.\n",
        );
        std::fs::create_dir_all(root.path().join("not-a-skill")).unwrap();
        let load = load_root(root.path()).unwrap();
        assert_eq!(load.skills.len(), 1);
        assert_eq!(load.skills[0].name(), "alpha-skill");
        assert_eq!(load.skipped.len(), 1);
        let reason = &load.skipped[0].reason;
        assert!(
            reason.contains("broken-skill") && reason.contains("SKILL.md:2:"),
            "{reason}"
        );
    }
}
