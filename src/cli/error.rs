//! The command line's one error type: every failure flows here as a typed error, and
//! [`CliError::report`] prints its sentence and picks the exit code in one place.

use std::process::ExitCode;

use boxoffice::app::AppError;
use boxoffice::domain::drawer::CountError;
use boxoffice::domain::money::MoneyParseError;
use boxoffice::ledger::LedgerError;
use boxoffice::payments::reference::ReferenceError;
use boxoffice::payments::verkkomaksu::ReplyError;

pub type CliResult<T = ()> = Result<T, CliError>;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The application refused or failed (its sentence says why).
    #[error(transparent)]
    App(#[from] AppError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    #[error(transparent)]
    Amount(#[from] MoneyParseError),
    #[error(transparent)]
    Count(#[from] CountError),
    #[error(transparent)]
    Reference(#[from] ReferenceError),
    #[error(transparent)]
    BankReply(#[from] ReplyError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Json(#[from] serde_json::Error),
    /// Standard output was closed (`boxoffice … | head -1`): nothing more to say.
    #[error("standard output was closed")]
    BrokenPipe,
    /// A bad argument, or an operation that ended without success: the sentence says which.
    #[error("{0}")]
    Message(String),
}

impl From<String> for CliError {
    fn from(message: String) -> Self {
        CliError::Message(message)
    }
}

impl From<&str> for CliError {
    fn from(message: &str) -> Self {
        CliError::Message(message.to_string())
    }
}

impl CliError {
    /// Prints the sentence on standard error and gives the exit code: 1 for every failure, 0
    /// when the reader of standard output went away (the work itself was done).
    pub fn report(self) -> ExitCode {
        match self {
            CliError::BrokenPipe => ExitCode::SUCCESS,
            error => {
                eprintln!("boxoffice: {error}");
                ExitCode::FAILURE
            }
        }
    }
}
