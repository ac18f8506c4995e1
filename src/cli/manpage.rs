//! `streaming-skill man`: the manual page in roff, generated from the command-line definition by
//! clap_mangen; with `--out-dir`, one page per command (`streaming-skill-search.1`, ...).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::CommandFactory;

/// Arguments of `man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write streaming-skill.1 and a page for every subcommand into DIR instead of printing the
    /// main page.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Prints the main page, or writes every page into the folder and names them.
pub fn run(args: &ManArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let command = super::Cli::command();
    match &args.out_dir {
        None => clap_mangen::Man::new(command).render(out)?,
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(command, dir)
                .with_context(|| format!("cannot write pages into {}", dir.display()))?;
            let mut pages: Vec<_> = std::fs::read_dir(dir)?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "1"))
                .collect();
            pages.sort();
            for page in pages {
                writeln!(out, "wrote {}", page.display())?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_page_names_the_program_and_its_commands() {
        let mut out = Vec::new();
        run(&ManArgs { out_dir: None }, &mut out).unwrap();
        let page = String::from_utf8(out).unwrap();
        assert!(page.starts_with(".ie"), "{}", &page[..page.len().min(200)]);
        assert!(page.contains(".TH streaming-skill 1"), "no title line");
        assert!(page.contains("kafka\\-config"), "subcommands missing");
    }

    #[test]
    fn out_dir_gets_a_page_per_command() {
        let tmp = tempfile::tempdir().unwrap();
        run(
            &ManArgs {
                out_dir: Some(tmp.path().to_path_buf()),
            },
            &mut Vec::new(),
        )
        .unwrap();
        for page in [
            "streaming-skill.1",
            "streaming-skill-search.1",
            "streaming-skill-skill-export.1",
        ] {
            assert!(tmp.path().join(page).is_file(), "{page} missing");
        }
    }
}
