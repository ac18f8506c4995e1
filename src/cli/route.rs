//! `streaming-skill route`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use super::config::shell_quote;
use crate::library::SkillLibrary;
use crate::routing::{NextStep, RouteDecision, eval};

/// Arguments of `route`.
#[derive(Debug, clap::Args)]
pub struct RouteArgs {
    /// The request to route.
    #[arg(required_unless_present = "eval", conflicts_with = "eval")]
    pub text: Option<String>,
    /// Route every case of a labelled set (JSON lines of {"text", "expect"}; `expect` is a skill
    /// name or "decline") and print accuracy, a confusion matrix and the misses.
    #[arg(long, value_name = "FILE.jsonl")]
    pub eval: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Routes the text, or evaluates a labelled set. `program` is the command line that reaches the
/// same skills (`streaming-skill --skill-dir ./my-skill`): the next steps printed start with it.
pub fn run(library: &SkillLibrary, program: &str, args: &RouteArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    if let Some(file) = &args.eval {
        let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
        let cases = eval::parse_cases(&text).with_context(|| format!("{}", file.display()))?;
        library.router()?;
        let report = eval::evaluate_with(|text| library.route(text).expect("the rules were built above"), &cases);
        if args.json {
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        } else {
            write!(out, "{report}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let text = args.text.as_deref().unwrap_or_default();
    let decision = library.route(text)?;
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&decision)?)?;
    } else {
        let commands = Commands {
            program,
            primary: library.primary().name(),
        };
        write!(out, "{}", commands.route(&decision))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// How the command line says a routing answer to a person: each next step as the command to
/// run, with what it is for after a `#`, so the line can be pasted into a shell as it is.
struct Commands<'a> {
    /// The command line that reaches the routed skills.
    program: &'a str,
    /// The skill that `read` and `tables` use without `--skill`.
    primary: &'a str,
}

impl Commands<'_> {
    fn route(&self, decision: &RouteDecision) -> String {
        let mut out = format!("{}\n", decision.headline());
        for reason in &decision.reasons {
            out.push_str(&format!("  because {reason}\n"));
        }
        for step in &decision.next_steps {
            out.push_str(&format!("  next: {}\n", self.step(step)));
        }
        out
    }

    fn step(&self, step: &NextStep) -> String {
        match step {
            NextStep::Read {
                skill,
                document,
                section,
                heading,
                ..
            } => {
                let mut command = format!("{} read {}", self.program, shell_quote(document));
                if let Some(section) = section {
                    command.push_str(&format!(" {}", shell_quote(section)));
                }
                command.push_str(&self.skill_flag(skill));
                match heading {
                    Some(heading) => format!("{command}  # {heading}"),
                    None => format!("{command}  # read it and follow it"),
                }
            }
            NextStep::ReadTable { skill, table, title } => format!(
                "{} tables {}{}  # {title}",
                self.program,
                shell_quote(table),
                self.skill_flag(skill)
            ),
            NextStep::CallTool { tool, table } => match subcommand(tool) {
                Some(command) => format!(
                    "{} {command} --help  # then run it with your own values: it applies the table {table}",
                    self.program
                ),
                None => format!("the MCP tool {tool}, with your own values: it applies the table {table}"),
            },
            NextStep::HandOff { skill, pass, loaded } => {
                let pass = pass.as_deref().map(|p| format!(" {p}")).unwrap_or_default();
                if *loaded {
                    format!(
                        "{} read SKILL.md --skill {}  # {skill} is loaded here: read its SKILL.md and follow it.{pass}",
                        self.program,
                        shell_quote(skill)
                    )
                } else {
                    format!("hand the request to {skill}.{pass}")
                }
            }
            NextStep::OutOfScope { area, reason } => format!("Out of scope ({area}): {reason}"),
            NextStep::Explain { text } => text.clone(),
        }
    }

    /// ` --skill NAME` for a skill other than the primary one.
    fn skill_flag(&self, skill: &str) -> String {
        if skill == self.primary {
            String::new()
        } else {
            format!(" --skill {}", shell_quote(skill))
        }
    }
}

/// The command that runs deciding tool `tool` from the command line.
fn subcommand(tool: &str) -> Option<&'static str> {
    Some(match tool {
        "recommend_architecture" => "architecture",
        "evaluate_stream_health" => "health",
        "check_schema_compatibility" => "schema-compat",
        "generate_kafka_config" => "kafka-config",
        "review_config" => "review",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::Decision;

    const COMMANDS: Commands<'static> = Commands {
        program: "streaming-skill",
        primary: "streaming-data-skill",
    };

    #[test]
    fn each_step_is_a_command_a_person_runs() {
        let read = NextStep::Read {
            skill: "streaming-data-skill".into(),
            document: "kafka-deep-dive".into(),
            section: Some("consumer-lag".into()),
            heading: Some("Kafka > Consumer lag".into()),
            uri: "skill://streaming-data-skill/sections/kafka-deep-dive/consumer-lag".into(),
        };
        assert_eq!(
            COMMANDS.step(&read),
            "streaming-skill read kafka-deep-dive consumer-lag  # Kafka > Consumer lag"
        );
        let whole = NextStep::Read {
            skill: "dbt-skill".into(),
            document: "SKILL.md".into(),
            section: None,
            heading: None,
            uri: "skill://dbt-skill/SKILL.md".into(),
        };
        assert_eq!(
            COMMANDS.step(&whole),
            "streaming-skill read SKILL.md --skill dbt-skill  # read it and follow it"
        );
        let table = NextStep::ReadTable {
            skill: "streaming-data-skill".into(),
            table: "monitoring-thresholds".into(),
            title: "Monitoring thresholds".into(),
        };
        assert_eq!(
            COMMANDS.step(&table),
            "streaming-skill tables monitoring-thresholds  # Monitoring thresholds"
        );
    }

    #[test]
    fn every_deciding_tool_has_a_command() {
        use clap::CommandFactory;
        let cli = super::super::Cli::command();
        let tools = crate::decide::contract::FEATURES.iter().filter(|f| !f.prompt);
        for tool in tools.map(|f| f.name).chain(["check_schema_compatibility"]) {
            let command = subcommand(tool).unwrap_or_else(|| panic!("{tool} has no command"));
            assert!(cli.find_subcommand(command).is_some(), "{tool}: no command {command}");
        }
        let step = NextStep::CallTool {
            tool: "evaluate_stream_health".into(),
            table: "monitoring-thresholds".into(),
        };
        assert_eq!(
            COMMANDS.step(&step),
            "streaming-skill health --help  # then run it with your own values: it applies the table monitoring-thresholds"
        );
    }

    #[test]
    fn a_hand_off_runs_a_command_only_when_the_skill_is_loaded() {
        let program = Commands {
            program: "streaming-skill --skills-root '/my skills'",
            primary: "streaming-data-skill",
        };
        let loaded = NextStep::HandOff {
            skill: "dbt-skill".into(),
            pass: Some("Pass the warehouse.".into()),
            loaded: true,
        };
        assert_eq!(
            program.step(&loaded),
            "streaming-skill --skills-root '/my skills' read SKILL.md --skill dbt-skill  # dbt-skill is loaded here: read its SKILL.md and follow it. Pass the warehouse."
        );
        let away = NextStep::HandOff {
            skill: "dbt-skill".into(),
            pass: Some("Pass the warehouse.".into()),
            loaded: false,
        };
        assert_eq!(
            program.step(&away),
            "hand the request to dbt-skill. Pass the warehouse."
        );
    }

    #[test]
    fn reasons_and_steps_are_indented_under_the_answer() {
        let decision = RouteDecision {
            decision: Decision::Decline,
            skill: None,
            confidence: 0.7,
            reasons: vec!["no data-engineering term matched".into()],
            next_steps: vec![NextStep::Explain {
                text: "Answer it without these skills.".into(),
            }],
        };
        assert_eq!(
            COMMANDS.route(&decision),
            "decline (confidence 0.70)\n  because no data-engineering term matched\n  next: Answer it without these skills.\n"
        );
    }
}
