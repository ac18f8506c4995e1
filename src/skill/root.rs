//! A folder of skill folders (`.agents/skills/`, `~/.claude/skills/`): every direct subfolder
//! with a `SKILL.md` is a skill. A skill that fails validation is skipped, with the file, line
//! and problem that kept it out, so one broken skill never takes the others down.

use std::path::{Path, PathBuf};

use super::Skill;
use crate::validate::{self, Severity};

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
                && p.join(super::SKILL_MD).is_file()
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
