//! `boxoffice db`: the shared ledger on PostgreSQL (issue 15). Only the schema is handled so far:
//! the counters still sell on their own SQLite ledger, so any other command given a PostgreSQL
//! address is refused rather than quietly writing to the local file.

use boxoffice::ledger::pg;
use clap::Subcommand;

use super::error::CliResult;
use super::output::say;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Create or update the shared ledger's schema (run once as the owner role after each upgrade).
    Migrate,
}

pub fn db_command(command: DbCommand, database: Option<&str>) -> CliResult {
    match command {
        DbCommand::Migrate => migrate(database),
    }
}

fn migrate(database: Option<&str>) -> CliResult {
    let url = database.filter(|d| pg::is_url(d)).ok_or(
        "`db migrate` needs the shared ledger's address: --database postgres://… or BOXOFFICE_DATABASE_URL",
    )?;
    let mut client = pg::connect(url)?;
    let version = pg::migrate(&mut client, url)?;
    say!(
        "the shared ledger at {} is at version {version}",
        pg::redact(url)
    );
    Ok(())
}

/// The sentence for a command that cannot run on the shared ledger yet.
pub fn not_yet(database: &str) -> String {
    format!(
        "the shared ledger ({}) is not yet used for sales, reports or settings in this version: only `boxoffice db migrate` runs on it. Nothing was done; run without --database / BOXOFFICE_DATABASE_URL to use this counter's own ledger",
        pg::redact(database)
    )
}
