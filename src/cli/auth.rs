//! Who is asking: logins for the commands that change something.

use boxoffice::app::Services;

use super::error::CliError;

#[derive(clap::Args)]
pub struct Auth {
    /// Your user name.
    #[arg(long)]
    pub user: String,
    /// Your PIN.
    #[arg(long)]
    pub pin: String,
}

impl Auth {
    /// Logs in with the given name and PIN.
    pub fn session(&self, services: &mut Services) -> Result<boxoffice::app::Session, CliError> {
        services
            .login(&self.user, &self.pin)
            .map_err(CliError::from)
    }
}

/// A manager approving in place what the user may not do alone.
#[derive(clap::Args)]
pub struct Approval {
    /// A manager approving this in place.
    #[arg(long, requires = "manager_pin")]
    pub manager: Option<String>,
    #[arg(long, requires = "manager")]
    pub manager_pin: Option<String>,
}

impl Approval {
    pub fn login(
        &self,
        services: &mut Services,
    ) -> Result<Option<boxoffice::app::Session>, CliError> {
        match (&self.manager, &self.manager_pin) {
            (Some(name), Some(pin)) => services.login(name, pin).map(Some).map_err(CliError::from),
            _ => Ok(None),
        }
    }
}

/// The bank commands need no ledger: they only compute.
/// The first line of standard input, for `--password-stdin`.
pub fn password_from_stdin() -> Result<boxoffice::mail::secrets::Secret, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("the password could not be read from standard input: {e}"))?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        return Err("--password-stdin: standard input had no password".into());
    }
    Ok(boxoffice::mail::secrets::Secret::new(line))
}
