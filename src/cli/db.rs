//! `boxoffice db`: the shared ledger on PostgreSQL (issue 15): `migrate` creates or updates its
//! schema, `copy` moves a counter's SQLite ledger into a new shared ledger (and back). Commands
//! that do not run on the shared ledger yet refuse a PostgreSQL address rather than quietly
//! writing to the local file.

use std::path::Path;

use boxoffice::ledger::{Ledger, pg, shared};
use clap::Subcommand;

use super::error::CliResult;
use super::output::say;

#[derive(Subcommand)]
pub enum DbCommand {
    /// Create or update the shared ledger's schema (run once as the owner role after each upgrade).
    Migrate,
    /// Copy this counter's ledger into a new (empty) shared ledger: `--to postgres://…` (as the
    /// owner role; this PC becomes its first register); or, with --database, the shared ledger
    /// into a new SQLite ledger in the directory `--to DIR` (backups, support).
    Copy {
        /// Where to: postgres://USER@HOST/DATABASE, or a directory for a SQLite ledger.
        #[arg(long)]
        to: String,
    },
}

pub fn db_command(command: DbCommand, database: Option<&str>, data_dir: &Path) -> CliResult {
    match command {
        DbCommand::Migrate => migrate(database),
        DbCommand::Copy { to } => copy(database, data_dir, &to),
    }
}

fn copy(database: Option<&str>, data_dir: &Path, to: &str) -> CliResult {
    let copied = match database {
        Some(url) if pg::is_url(url) => {
            if pg::is_url(to) {
                return Err("`db copy` copies between a shared ledger and a SQLite ledger: --to names a directory when --database is given".into());
            }
            let copied = shared::copy_to_sqlite(url, Path::new(to))?;
            say!(
                "the shared ledger at {} is copied into {to}",
                pg::redact(url)
            );
            copied
        }
        Some(other) => return Err(not_an_address(other).into()),
        None => {
            if !pg::is_url(to) {
                return Err("`db copy --to` needs the shared ledger's address: postgres://USER@HOST/DATABASE (or give --database to copy a shared ledger into the directory)".into());
            }
            let mut ledger = Ledger::open_read_only(data_dir)?;
            let register_id = ledger.register_id()?.to_string();
            let copied = shared::copy_to_postgres(&mut ledger, to)?;
            shared::save_identity(
                data_dir,
                &shared::Identity {
                    database: pg::redact(to),
                    register_id: register_id.clone(),
                    name: "Box office".into(),
                },
            )?;
            say!(
                "this counter's ledger is copied into the shared ledger at {}; this PC is its register {register_id}",
                pg::redact(to)
            );
            copied
        }
    };
    let rows: u64 = copied.iter().map(|(_, n)| n).sum();
    say!("{rows} rows in {} tables", copied.len());
    Ok(())
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

/// The sentence for a `--database` that is no shared ledger's address.
pub fn not_an_address(database: &str) -> String {
    format!(
        "--database (or BOXOFFICE_DATABASE_URL) takes the shared ledger's address, postgres://USER@HOST/DATABASE, not {}. Nothing was done; run without it to use this counter's own ledger",
        pg::redact(database)
    )
}

/// The sentence for a command that does not run on the shared ledger.
pub fn not_yet(database: &str) -> String {
    format!(
        "this command does not run on the shared ledger ({}): `init` (a shared ledger is made by `db copy --to` and each PC joins it with `register join`), `bench seed` and `bench counter` (they write and time a counter's own file) run on a counter's own ledger. Nothing was done; run without --database / BOXOFFICE_DATABASE_URL to use this counter's own ledger",
        pg::redact(database)
    )
}
