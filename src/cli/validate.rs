//! `streaming-skill validate`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::skill::SkillFiles;
use crate::validate::{self, Severity};

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// The skill folder; the embedded skill when omitted (and no --skill-dir is given).
    pub dir: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(dir: Option<&PathBuf>, args: &ValidateArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let findings = match dir {
        Some(dir) => validate::validate_dir(dir),
        None => validate::validate_files(SkillFiles::embedded()),
    };
    let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
    let warnings = findings.len() - errors;
    if args.json {
        let json =
            serde_json::json!({"valid": errors == 0, "errors": errors, "warnings": warnings, "findings": findings});
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        for finding in &findings {
            writeln!(out, "{finding}")?;
        }
        let what = dir.map_or_else(|| "the embedded skill".to_string(), |d| d.display().to_string());
        writeln!(out, "{what}: {errors} error(s), {warnings} warning(s)")?;
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
