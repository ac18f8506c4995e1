//! `streaming-skill completions <shell>`: the shell completion script, generated from the
//! command-line definition by clap_complete, so it never lags behind the flags.

use std::io::Write;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

/// Arguments of `completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: Shell,
}

/// Writes the completion script for the shell.
pub fn run(args: &CompletionsArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let mut command = super::Cli::command();
    let name = command.get_name().to_string();
    // clap_complete panics when its writer fails (a closed pipe): generate into memory first.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, name, &mut script);
    out.write_all(&script)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_script_completes_the_subcommands_and_their_flags() {
        let mut out = Vec::new();
        run(&CompletionsArgs { shell: Shell::Bash }, &mut out).unwrap();
        let script = String::from_utf8(out).unwrap();
        assert!(script.contains("complete -F _streaming__skill"), "{script}");
        for word in ["kafka-config", "--skill-dir", "--stateless", "export"] {
            assert!(script.contains(word), "{word} missing");
        }
    }
}
