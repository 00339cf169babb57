//! `boxoffice`: no subcommand opens the GUI; subcommands run the same services headless
//! (src/cli/).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli::Cli {
        data_dir,
        database,
        command,
    } = cli::Cli::parse();
    let data_dir = data_dir.unwrap_or_else(cli::default_data_dir);
    let Some(command) = command else {
        // The GUI runs on this PC's register of the shared ledger (PostgreSQL) when given its
        // address; anything else given as --database is refused rather than ignored.
        if let Some(database) = &database
            && !boxoffice::ledger::pg::is_url(database)
        {
            eprintln!("boxoffice: {}", cli::db_not_an_address(database));
            return ExitCode::FAILURE;
        }
        boxoffice::logging::init(&data_dir, "info");
        return match boxoffice::ui::run(data_dir, database, started) {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("boxoffice: the window could not be opened: {error}");
                ExitCode::FAILURE
            }
        };
    };
    if command.needs_ledger() {
        boxoffice::logging::init(&data_dir, "off");
    }
    cli::main(command, &data_dir, database.as_deref())
}
