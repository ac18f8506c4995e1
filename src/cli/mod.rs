//! The command line: `serve` (the default), `search`, `read`, `tables`, `route`, the deciding
//! commands (`architecture`, `health`, `schema-compat`, `kafka-config`), `review`, `config` and `validate`. Parsing
//! is clap's; each subcommand lives in its own module and writes to the stdout it is given.

mod completions;
mod config;
mod decide;
mod manpage;
mod read;
mod review;
mod route;
mod search;
mod serve;
mod skill;
mod tables;
mod validate;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::library::SkillSources;
use crate::search::cache::IndexCache;

/// Serve the streaming-data Agent Skill to coding agents over MCP, and search, read and check
/// skills from the terminal.
#[derive(Debug, Parser)]
#[command(name = "streaming-skill", version, after_help = EXAMPLES)]
pub struct Cli {
    /// Use this Agent Skill folder instead of the embedded streaming-data skill.
    #[arg(long, global = true, value_name = "DIR", env = "STREAMING_SKILL_DIR", help_heading = GLOBAL)]
    pub skill_dir: Option<PathBuf>,

    /// Also use every skill folder under DIR (a `.agents/skills/` or `~/.claude/skills/`
    /// layout); a folder that fails validation is skipped with a warning. search covers every
    /// skill; read and tables take --skill; the deciding commands and review use the first
    /// skill (--skill-dir, else the embedded one, else the first under DIR).
    #[arg(long, global = true, value_name = "DIR", env = "STREAMING_SKILLS_ROOT", help_heading = GLOBAL)]
    pub skills_root: Option<PathBuf>,

    /// Leave out the embedded streaming-data skill (with --skills-root).
    #[arg(long, global = true, help_heading = GLOBAL)]
    pub no_embedded: bool,

    /// Keep the search index of --skill-dir and --skills-root folders in DIR (default: the
    /// platform cache folder, e.g. $XDG_CACHE_HOME/streaming-skill).
    #[arg(long, global = true, value_name = "DIR", env = "STREAMING_SKILL_INDEX_CACHE")]
    pub index_cache: Option<PathBuf>,

    /// Do not keep search indexes on disk; build them in RAM (wins over --index-cache).
    #[arg(long, global = true)]
    pub no_index_cache: bool,

    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The help heading of the options every command takes.
const GLOBAL: &str = "Skill options (every command)";

const EXAMPLES: &str = "Examples:
  streaming-skill                                   serve the embedded skill over stdio (MCP)
  streaming-skill search \"consumer lag\"             search the reference documents
  streaming-skill read kafka-deep-dive --sections   a document's sections
  streaming-skill tables architecture-decision-matrix
  streaming-skill route \"my Airflow DAG restarts a Kafka connector\"
  streaming-skill architecture --latency-target-seconds 2 --delivery exactly-once --team jvm
  streaming-skill health --consumer-lag-seconds 420
  streaming-skill kafka-config --role consumer --delivery exactly-once --profile balanced --security mtls --tier regulated
  streaming-skill review producer.properties --system kafka-producer --delivery exactly-once
  streaming-skill validate path/to/skill            check a skill folder";

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the MCP server (the default): stdio, or Streamable HTTP with --http.
    #[command(
        after_help = "Examples:\n  streaming-skill serve\n  streaming-skill serve --http 127.0.0.1:8808\n  STREAMING_SKILL_TOKEN=$(cat token) streaming-skill serve --http 0.0.0.0:8808 --allowed-host mcp.example.com --stateless"
    )]
    Serve(serve::ServeArgs),
    /// Search the skill's documents; hits are ranked sections with snippets.
    #[command(
        after_help = "Examples:\n  streaming-skill search \"exactly once kafka transactions\"\n  streaming-skill search watermark --doc flink-spark-streaming --limit 3\n  streaming-skill search \"idempotant consumer\" --json\n  streaming-skill search --eval queries.jsonl"
    )]
    Search(search::SearchArgs),
    /// Print a document, or one section of it, as markdown.
    #[command(
        after_help = "Examples:\n  streaming-skill read SKILL.md\n  streaming-skill read kafka-deep-dive --sections\n  streaming-skill read kafka-deep-dive \"consumer groups and rebalancing\""
    )]
    Read(read::ReadArgs),
    /// List the decision tables, or print one.
    #[command(
        after_help = "Examples:\n  streaming-skill tables\n  streaming-skill tables windowing-patterns\n  streaming-skill tables monitoring --json"
    )]
    Tables(tables::TablesArgs),
    /// Decide whether a request belongs to this skill, a sibling skill, or none; or evaluate the
    /// routing on a labelled set.
    #[command(
        after_help = "Examples:\n  streaming-skill route \"our fraud alerts fire 20 minutes late\"\n  streaming-skill route \"schedule the connector restart in Airflow\" --json\n  streaming-skill route --eval tests/routing/cases.jsonl"
    )]
    Route(route::RouteArgs),
    /// Recommend an architecture and rank stream processors for a latency target, delivery
    /// guarantee and team, from the skill's decision tables.
    #[command(
        after_help = "Examples:\n  streaming-skill architecture --latency-target-seconds 0.5 --delivery exactly-once --team jvm --use-case \"fraud detection\"\n  streaming-skill architecture --latency-target-seconds 21600 --delivery at-least-once --team sql-first --json"
    )]
    Architecture(decide::ArchitectureArgs),
    /// Check pipeline metrics against the skill's monitoring thresholds and alert tiers.
    #[command(
        after_help = "Examples:\n  streaming-skill health --consumer-lag-seconds 420 --error-rate 0.002 --critical-pipeline true\n  streaming-skill health --checkpoint-duration-seconds 130 --checkpoint-interval-seconds 60 --json\n\nExit status: 0 when no alert is above the least urgent tier (info), 1 when one is (warning or critical), 2 on a usage error, such as no metric given."
    )]
    Health(decide::HealthArgs),
    /// Check a new schema against the registered versions as a Schema Registry would.
    #[command(
        after_help = "Examples:\n  streaming-skill schema-compat --format avro --mode BACKWARD order-v3.avsc order-v1.avsc order-v2.avsc\n  streaming-skill schema-compat --format protobuf --mode FULL_TRANSITIVE new.proto v1.proto --json\n\nExit status: 0 when compatible, 1 when not, 2 on a usage error."
    )]
    SchemaCompat(decide::SchemaCompatArgs),
    /// Generate a Kafka client configuration with a reason for every setting: the properties
    /// file on stdout, warnings, review notes and sources on stderr.
    #[command(
        after_help = "Examples:\n  streaming-skill kafka-config --role producer --delivery exactly-once --profile balanced --security sasl-scram --tier regulated\n  streaming-skill kafka-config --role consumer --delivery at-least-once --profile low-latency --security oauth --tier cloud-native --client librdkafka\n  streaming-skill kafka-config --role producer --delivery at-least-once --profile balanced --security mtls --tier regulated > producer.properties"
    )]
    KafkaConfig(decide::KafkaConfigArgs),
    /// Review a Kafka, Flink or Spark configuration file against the skill's rules.
    #[command(
        after_help = "Examples:\n  streaming-skill review producer.properties --system kafka-producer --delivery exactly-once --environment production\n  streaming-skill review conf/config.yaml --system flink --json\n  git show HEAD:app.properties | streaming-skill review - --system kafka-consumer\n\nExit status: 0 when no finding is an error, 1 when one is, 2 when the file cannot be read or parsed."
    )]
    Review(review::ReviewArgs),
    /// Print a ready configuration snippet for an editor or agent (uses this binary's absolute
    /// path and any --skill-dir, --skills-root or --no-embedded given).
    #[command(
        after_help = "Examples:\n  streaming-skill config claude-code\n  streaming-skill config vscode > .vscode/mcp.json\n  streaming-skill --skill-dir ./my-skill config cursor"
    )]
    Config(config::ConfigArgs),
    /// Check a skill folder against the Agent Skills rules and for broken links, empty
    /// sections, ragged tables and code fences without a language.
    #[command(
        after_help = "Examples:\n  streaming-skill validate\n  streaming-skill validate ~/.claude/skills/my-skill --json\n\nExit status: 0 when no error was found, 1 otherwise."
    )]
    Validate(validate::ValidateArgs),
    /// Write the skill as a folder for clients that read Agent Skills natively.
    #[command(
        after_help = "Examples:\n  streaming-skill skill export\n  streaming-skill skill export .claude/skills/streaming-data-skill\n  streaming-skill skill export ~/.agents/skills/streaming-data-skill --force"
    )]
    Skill(skill::SkillArgs),
    /// Print the shell completion script for bash, zsh, fish, elvish or PowerShell.
    #[command(
        after_help = "Examples:\n  streaming-skill completions bash > ~/.local/share/bash-completion/completions/streaming-skill\n  streaming-skill completions zsh > ~/.zfunc/_streaming-skill"
    )]
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    #[command(
        after_help = "Examples:\n  streaming-skill man | man -l -\n  streaming-skill man --out-dir ~/.local/share/man/man1"
    )]
    Man(manpage::ManArgs),
}

/// Runs a parsed command line and returns the process exit code. The skill options are
/// resolved once, into [`SkillSources`], and every command that reads a skill gets its library
/// from there, so `--skill-dir`, `--skills-root`, `--no-embedded` and the index cache options
/// mean the same to all of them.
pub fn run(mut cli: Cli) -> anyhow::Result<ExitCode> {
    let sources = cli.sources();
    let command = match cli
        .command
        .take()
        .unwrap_or_else(|| Command::Serve(serve::ServeArgs::default()))
    {
        // The server owns stdout for protocol messages: never hold its lock here.
        Command::Serve(args) => {
            serve::run(sources.load()?, sources, &args)?;
            return Ok(ExitCode::SUCCESS);
        }
        other => other,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let code = match command {
        Command::Serve(_) => unreachable!("handled above"),
        Command::Search(args) => search::run(&sources.load()?, &args, &mut out)?,
        Command::Read(args) => read::run(&sources.load()?, &args, &mut out)?,
        Command::Tables(args) => tables::run(&sources.load()?, &args, &mut out)?,
        Command::Route(args) => route::run(&sources.load()?, &command_line(&sources), &args, &mut out)?,
        Command::Architecture(args) => decide::architecture(&sources.load()?, &args, &mut out)?,
        Command::Health(args) => decide::health(&sources.load()?, &args, &mut out)?,
        Command::SchemaCompat(args) => decide::schema_compat(&sources.load()?, &args, &mut out)?,
        Command::KafkaConfig(args) => decide::kafka_config(&sources.load()?, &args, &mut out)?,
        Command::Review(args) => review::run(sources.load()?.primary(), &args, &mut out)?,
        Command::Config(args) => config::run(&sources, &args, &mut out)?,
        Command::Validate(args) => validate::run(args.dir.as_ref().or(sources.skill_dir.as_ref()), &args, &mut out)?,
        Command::Skill(args) => skill::run(sources.load()?.primary(), &args, &mut out)?,
        Command::Completions(args) => completions::run(&args, &mut out)?,
        Command::Man(args) => manpage::run(&args, &mut out)?,
    };
    out.flush()?;
    Ok(code)
}

impl Cli {
    /// The skill options, resolved once: every command that reads a skill loads it from here.
    pub fn sources(&self) -> SkillSources {
        SkillSources {
            skill_dir: self.skill_dir.clone(),
            skills_root: self.skills_root.clone(),
            no_embedded: self.no_embedded,
            index_cache: IndexCache::from_options(self.index_cache.clone(), self.no_index_cache),
        }
    }
}

/// The environment variables that name skill folders (`--skill-dir`, `--skills-root`).
pub const FOLDER_VARIABLES: [&str; 2] = ["STREAMING_SKILL_DIR", "STREAMING_SKILLS_ROOT"];

/// Whether an environment value means "not set": empty, or a `${user_config.NAME}` placeholder
/// that an MCP Bundle host passes through unchanged when the user left an optional setting blank.
pub fn is_unset_setting(value: &std::ffi::OsStr) -> bool {
    let Some(value) = value.to_str() else { return false };
    let value = value.trim();
    value.is_empty() || (value.starts_with("${user_config.") && value.ends_with('}'))
}

/// Exit code for a request that named something that does not exist.
const NOT_FOUND: u8 = 1;

/// The command line that reaches these skills again: `streaming-skill` with the same
/// `--skill-dir`, `--skills-root` and `--no-embedded`, quoted for a shell.
pub fn command_line(sources: &SkillSources) -> String {
    let mut line = String::from("streaming-skill");
    for (flag, dir) in [
        ("--skill-dir", &sources.skill_dir),
        ("--skills-root", &sources.skills_root),
    ] {
        if let Some(dir) = dir {
            line.push_str(&format!(" {flag} {}", config::shell_quote(&dir.display().to_string())));
        }
    }
    if sources.no_embedded {
        line.push_str(" --no-embedded");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn blank_and_unfilled_bundle_settings_count_as_unset() {
        for unset in ["", "  ", "${user_config.skills_root}"] {
            assert!(is_unset_setting(std::ffi::OsStr::new(unset)), "{unset:?}");
        }
        for set in ["/srv/skills", "./${user_config}", "${HOME}/skills"] {
            assert!(!is_unset_setting(std::ffi::OsStr::new(set)), "{set:?}");
        }
    }

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
