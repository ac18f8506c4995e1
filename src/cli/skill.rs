//! `streaming-skill skill export [DIR]`: writes the served skill (SKILL.md, `references/`,
//! `skill/`) as a folder for clients that read Agent Skills natively, by default into
//! `~/.claude/skills/<name>/`. A file already there with other bytes is never replaced without
//! `--force`, and nothing is written when one would be.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use crate::skill::Skill;

/// Arguments of `skill`.
#[derive(Debug, clap::Args)]
pub struct SkillArgs {
    /// What to do with the skill.
    #[command(subcommand)]
    pub action: SkillAction,
}

/// The `skill` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum SkillAction {
    /// Write the skill's files (SKILL.md, references/, skill/) to a folder.
    Export(ExportArgs),
}

/// Arguments of `skill export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The folder to write; by default ~/.claude/skills/<skill name>/ (Claude Code's personal
    /// skills folder).
    pub dir: Option<PathBuf>,
    /// Replace files that differ from the skill's (local edits are lost).
    #[arg(long)]
    pub force: bool,
}

/// Whether a file belongs to the exported parts of a skill folder (SKILL.md, `references/`,
/// `skill/`); anything else is left out.
fn is_exported(path: &str) -> bool {
    path == "SKILL.md" || path.starts_with("references/") || path.starts_with("skill/")
}

/// What export did, or would do, with one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Not there before: written.
    Created,
    /// There with the same bytes: left alone.
    Unchanged,
    /// There with other bytes: replaced (only with --force).
    Replaced,
}

/// Runs `skill` for `skill`.
pub fn run(skill: &Skill, args: &SkillArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    match &args.action {
        SkillAction::Export(export_args) => {
            let dir = match &export_args.dir {
                Some(dir) => dir.clone(),
                None => default_dir(skill.name())?,
            };
            export(skill, &dir, export_args.force, out)
        }
    }
}

/// `~/.claude/skills/<name>/`.
fn default_dir(name: &str) -> anyhow::Result<PathBuf> {
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .context("HOME is not set: name the folder to export to, e.g. `streaming-skill skill export ./skills/NAME`")?;
    Ok(PathBuf::from(home).join(".claude").join("skills").join(name))
}

fn export(skill: &Skill, dir: &Path, force: bool, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let files: Vec<(&str, &[u8])> = skill
        .files()
        .entries()
        .into_iter()
        .filter(|(path, _)| is_exported(path))
        .collect();
    // Look at every file first, so that a refusal writes nothing.
    let mut plan = Vec::with_capacity(files.len());
    let mut changed = Vec::new();
    for (relative, bytes) in &files {
        let target = dir.join(relative);
        let outcome = match std::fs::read(&target) {
            Ok(existing) if existing == *bytes => Outcome::Unchanged,
            Ok(_) => {
                changed.push(target.clone());
                Outcome::Replaced
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Outcome::Created,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", target.display())),
        };
        plan.push((target, *bytes, outcome));
    }
    if !changed.is_empty() && !force {
        for path in &changed {
            eprintln!("differs from the skill: {}", path.display());
        }
        anyhow::bail!(
            "{} file(s) in {} differ from the skill's (edited by hand, or from another version); nothing was written. Run again with --force to replace them.",
            changed.len(),
            dir.display()
        );
    }
    let mut written = 0;
    for (target, bytes, outcome) in &plan {
        let verb = match outcome {
            Outcome::Unchanged => "unchanged",
            Outcome::Created => "wrote",
            Outcome::Replaced => "replaced",
        };
        if *outcome != Outcome::Unchanged {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
            }
            std::fs::write(target, bytes).with_context(|| format!("cannot write {}", target.display()))?;
            written += 1;
        }
        writeln!(out, "{verb:9} {}", target.display())?;
    }
    writeln!(
        out,
        "exported the skill {} to {}: {written} file(s) written, {} unchanged",
        skill.name(),
        dir.display(),
        plan.len() - written
    )?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exported(dir: &Path) -> Vec<String> {
        let mut found = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    found.push(path.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"));
                }
            }
        }
        found.sort();
        found
    }

    #[test]
    fn exports_every_file_then_refuses_to_overwrite_an_edit_without_force() {
        let skill = Skill::embedded().unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join(skill.name());
        let mut out = Vec::new();
        export(&skill, &dir, false, &mut out).unwrap();
        let expected: Vec<String> = skill.files().entries().iter().map(|(p, _)| p.to_string()).collect();
        assert_eq!(exported(&dir), expected);
        assert!(String::from_utf8(out).unwrap().contains("wrote     "));

        // A second run changes nothing.
        let mut out = Vec::new();
        export(&skill, &dir, false, &mut out).unwrap();
        assert!(
            String::from_utf8(out)
                .unwrap()
                .contains(&format!("0 file(s) written, {} unchanged", expected.len()))
        );

        // A local edit blocks the export, and nothing else is rewritten meanwhile.
        std::fs::write(dir.join("SKILL.md"), "edited").unwrap();
        std::fs::remove_file(dir.join(&expected[expected.len() - 1])).unwrap();
        let error = export(&skill, &dir, false, &mut Vec::new()).unwrap_err().to_string();
        assert!(error.contains("--force"), "{error}");
        assert_eq!(std::fs::read_to_string(dir.join("SKILL.md")).unwrap(), "edited");
        assert!(!dir.join(&expected[expected.len() - 1]).exists());

        let mut out = Vec::new();
        export(&skill, &dir, true, &mut out).unwrap();
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("replaced "), "{out}");
        assert_eq!(
            std::fs::read(dir.join("SKILL.md")).unwrap(),
            skill.files().read("SKILL.md").unwrap()
        );
    }

    #[test]
    fn only_the_skill_parts_are_exported_from_a_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("demo-skill");
        std::fs::create_dir_all(source.join("references")).unwrap();
        std::fs::write(
            source.join("SKILL.md"),
            "---\nname: demo-skill\ndescription: A demo skill for the export test.\n---\n# Demo\n\nSee [the guide](references/guide.md).\n",
        )
        .unwrap();
        std::fs::write(source.join("references/guide.md"), "# Guide\n\nText.\n").unwrap();
        std::fs::write(source.join("Cargo.toml"), "[package]\n").unwrap();
        let skill = Skill::from_dir(&source).unwrap();
        let dir = tmp.path().join("out");
        export(&skill, &dir, false, &mut Vec::new()).unwrap();
        assert_eq!(exported(&dir), ["SKILL.md", "references/guide.md"]);
    }
}
