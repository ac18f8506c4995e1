//! `streaming-skill tables`.

use std::io::Write;
use std::process::ExitCode;

use crate::library::SkillLibrary;
use crate::tables::{self, DecisionTable};

/// Arguments of `tables`.
#[derive(Debug, clap::Args)]
pub struct TablesArgs {
    /// A table id (`architecture-decision-matrix`); a unique part of one is enough.
    pub id: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// The skill whose tables to list, when --skills-root loads several (default: the first).
    #[arg(long, value_name = "NAME")]
    pub skill: Option<String>,
}

pub fn run(library: &SkillLibrary, args: &TablesArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    let all = library.tables(args.skill.as_deref())?;
    let Some(id) = &args.id else {
        if args.json {
            let list: Vec<_> = all.iter().map(summary).collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&list)?)?;
        } else {
            for table in &all {
                writeln!(
                    out,
                    "{}  ({})\n  {}\n  columns: {}\n",
                    table.id,
                    table.title,
                    table.description,
                    table.columns.join(", ")
                )?;
            }
        }
        return Ok(ExitCode::SUCCESS);
    };
    let table = tables::find(&all, id)?;
    if args.json {
        let rows: Vec<_> = table.rows.iter().map(|r| table.row_object(r)).collect();
        let json = serde_json::json!({"table": table.id, "title": table.title, "description": table.description, "columns": table.columns, "rows": rows});
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        writeln!(out, "{} — {}\n", table.title, table.description)?;
        write!(out, "{}", table.to_markdown(&table.rows.iter().collect::<Vec<_>>()))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn summary(table: &DecisionTable) -> serde_json::Value {
    serde_json::json!({"id": table.id, "title": table.title, "description": table.description, "columns": table.columns})
}
