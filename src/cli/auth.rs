//! Who is asking: every command that changes the ledger or the settings logs in. The PIN never
//! needs to be on the command line (where `ps` shows it): it comes from `BOXOFFICE_PIN`, from
//! standard input with `--pin-stdin`, or from a prompt on the terminal; `--pin` stays for
//! scripts, with a warning.

use std::io::{BufRead, IsTerminal, Write};

use boxoffice::app::{Services, Session};

use super::error::{CliError, CliResult};

/// The environment variable a script puts the PIN in.
pub const PIN_ENV: &str = "BOXOFFICE_PIN";

/// Where the PIN comes from.
#[derive(clap::Args, Default)]
pub struct PinSource {
    /// Your PIN. Other users can see it in `ps`: prefer BOXOFFICE_PIN, --pin-stdin or the prompt.
    #[arg(long)]
    pub pin: Option<String>,
    /// Read your PIN from the first line of standard input.
    #[arg(long, conflicts_with = "pin")]
    pub pin_stdin: bool,
}

impl PinSource {
    /// The PIN for `user`: `--pin` (with a warning), `--pin-stdin`, `BOXOFFICE_PIN`, or a prompt.
    pub fn read(&self, user: &str) -> CliResult<String> {
        if let Some(pin) = &self.pin {
            eprintln!(
                "boxoffice: warning: --pin shows the PIN to anyone who lists the processes; use {PIN_ENV}, --pin-stdin or the prompt"
            );
            return Ok(pin.clone());
        }
        if self.pin_stdin {
            return first_line("--pin-stdin", "PIN");
        }
        if let Ok(pin) = std::env::var(PIN_ENV) {
            return Ok(pin);
        }
        if std::io::stdin().is_terminal() {
            return prompt(user);
        }
        Err(format!(
            "the PIN of {user} is needed: set {PIN_ENV}, give it on standard input with --pin-stdin, or run at a terminal"
        )
        .into())
    }
}

/// `--user NAME` (or `BOXOFFICE_USER`) and the PIN.
#[derive(clap::Args)]
pub struct Auth {
    /// Your user name (or BOXOFFICE_USER in the environment).
    #[arg(long, env = "BOXOFFICE_USER")]
    pub user: String,
    #[command(flatten)]
    pub pin: PinSource,
}

impl Auth {
    /// Logs in with the given name and PIN.
    pub fn session(&self, services: &mut Services) -> CliResult<Session> {
        let pin = self.pin.read(&self.user)?;
        Ok(services.login(&self.user, &pin)?)
    }
}

/// The login of the commands whose `--user` names something else (the SMTP or SMS gateway's
/// user): `--login NAME` or `BOXOFFICE_USER`, and the PIN as for [`Auth`].
#[derive(clap::Args)]
pub struct Login {
    /// Your user name in the box office (or BOXOFFICE_USER in the environment).
    #[arg(long = "login", env = "BOXOFFICE_USER")]
    pub login: String,
    #[command(flatten)]
    pub pin: PinSource,
}

impl Login {
    pub fn session(&self, services: &mut Services) -> CliResult<Session> {
        let pin = self.pin.read(&self.login)?;
        Ok(services.login(&self.login, &pin)?)
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
    pub fn login(&self, services: &mut Services) -> CliResult<Option<Session>> {
        match (&self.manager, &self.manager_pin) {
            (Some(name), Some(pin)) => Ok(Some(services.login(name, pin)?)),
            _ => Ok(None),
        }
    }
}

/// The first line of standard input without its line end; `what` names the argument.
fn first_line(argument: &str, what: &str) -> CliResult<String> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(|e| {
        format!("{argument}: the {what} could not be read from standard input: {e}")
    })?;
    let line = line.trim_end_matches(['\r', '\n']).to_string();
    if line.is_empty() {
        return Err(format!("{argument}: standard input had no {what}").into());
    }
    Ok(line)
}

/// Asks for the PIN on the terminal without echoing it (`stty -echo` around the read).
fn prompt(user: &str) -> CliResult<String> {
    let stty = |flag: &str| {
        std::process::Command::new("stty")
            .arg(flag)
            .stdin(std::process::Stdio::inherit())
            .status()
            .is_ok_and(|s| s.success())
    };
    eprint!("PIN for {user}: ");
    // A terminal that cannot hide the echo still gets the question; the PIN shows as typed.
    let hidden = stty("-echo");
    std::io::stderr().flush().ok(); // the prompt is a courtesy; reading goes on regardless
    let pin = first_line("the PIN prompt", "PIN");
    if hidden {
        stty("echo");
        eprintln!();
    }
    pin
}

/// The first line of standard input, for `--password-stdin`.
pub fn password_from_stdin() -> Result<boxoffice::mail::secrets::Secret, CliError> {
    first_line("--password-stdin", "password").map(boxoffice::mail::secrets::Secret::new)
}
