//! One way to write results: `say!`/`say_raw!` instead of `println!`/`print!` (a closed
//! standard output ends the command quietly instead of panicking), JSON in the two shapes the
//! contracts use, and tables as text or CSV.

use std::io::Write;

use boxoffice::domain::Money;

use super::error::{CliError, CliResult};

/// Writes to standard output; a closed pipe becomes [`CliError::BrokenPipe`].
pub fn write(args: std::fmt::Arguments, newline: bool) -> CliResult {
    let mut out = std::io::stdout().lock();
    let written = out.write_fmt(args).and_then(|()| {
        if newline {
            out.write_all(b"\n")
        } else {
            Ok(())
        }
    });
    match written {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Err(CliError::BrokenPipe),
        Err(error) => Err(format!("standard output could not be written: {error}").into()),
    }
}

/// `println!` for the command line: `?`-propagates a closed standard output.
macro_rules! say {
    () => { $crate::cli::output::write(format_args!(""), true)? };
    ($($arg:tt)*) => { $crate::cli::output::write(format_args!($($arg)*), true)? };
}

/// `print!` for the command line.
macro_rules! say_raw {
    ($($arg:tt)*) => { $crate::cli::output::write(format_args!($($arg)*), false)? };
}

pub(crate) use {say, say_raw};

/// One JSON line (`--json` of most commands).
pub fn json_line(value: &impl serde::Serialize) -> CliResult {
    say!("{}", serde_json::to_string(value)?);
    Ok(())
}

/// Indented JSON (`--json` of catalog, search, lists and reports).
pub fn json_pretty(value: &impl serde::Serialize) -> CliResult {
    say!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// How a report is printed.
#[derive(clap::Args)]
pub struct ReportFormat {
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    #[arg(long)]
    pub csv: bool,
}

/// Report tables as indented JSON, CSV or text.
pub fn tables(tables: &[boxoffice::ledger::Table], format: &ReportFormat) -> CliResult {
    if format.json {
        return json_pretty(&tables);
    }
    for table in tables {
        if format.csv {
            say_raw!("{}", table.to_csv());
        } else {
            say_raw!("{}", table_text(table));
        }
    }
    Ok(())
}

fn table_text(table: &boxoffice::ledger::Table) -> String {
    let mut text = format!("== {}\n{}\n", table.name, table.columns.join(" | "));
    for row in &table.rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&table.columns)
            .map(|(value, column)| match value {
                serde_json::Value::Number(n) if column.ends_with("_cents") => {
                    Money::from_cents(n.as_i64().unwrap_or_default()).to_string()
                }
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "-".into(),
                other => other.to_string(),
            })
            .collect();
        text.push_str(&cells.join(" | "));
        text.push('\n');
    }
    text
}
