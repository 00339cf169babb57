//! `bank …`: the Verkkomaksu computations (no ledger), and the settings and keys (in the ledger).

use boxoffice::app::AdminError;
use boxoffice::app::{AppError, Services};
use clap::Subcommand;

use super::auth::Auth;
use super::error::CliResult;
use super::output::{json_pretty, say};

#[derive(Subcommand)]
pub enum BankCommand {
    /// Print the TARKISTE of a payment request, over exactly the strings given.
    SignRequest {
        #[arg(long)]
        secret: String,
        #[arg(long)]
        merchant: String,
        #[arg(long)]
        amount: String,
        #[arg(long)]
        reference: String,
        #[arg(long)]
        version: String,
        #[arg(long)]
        currency: String,
        #[arg(long)]
        ok_url: String,
        #[arg(long)]
        cancel_url: String,
        #[arg(long)]
        due: String,
    },
    /// Verify a reply at OKURL: exit 0 and `ok VIITE SUMMA`, or exit 1 with the reason.
    VerifyResponse {
        #[arg(long)]
        secret: String,
        query: String,
    },
    /// Print the verifycode of a payment query.
    QueryCode {
        #[arg(long)]
        secret: String,
        #[arg(long)]
        merchant: String,
        #[arg(long)]
        reference: String,
    },
    /// Reference numbers: check, new, rf.
    Reference {
        #[command(subcommand)]
        command: ReferenceCommand,
    },
    /// Show the bank settings, or change them (settings permission): merchant, contract, endpoints.
    Settings {
        /// KNRO, 12 digits.
        #[arg(long, requires = "contract")]
        merchant: Option<String>,
        /// Business Online contract number (gsaftlnr), 6 digits.
        #[arg(long, requires = "merchant")]
        contract: Option<String>,
        #[arg(long)]
        payment_url: Option<String>,
        #[arg(long)]
        payment_url_alt: Option<String>,
        #[arg(long)]
        query_url: Option<String>,
        #[arg(long)]
        query_url_alt: Option<String>,
        /// To change them: your user name (or BOXOFFICE_USER).
        #[arg(long, env = "BOXOFFICE_USER")]
        user: Option<String>,
        #[command(flatten)]
        pin: super::auth::PinSource,
    },
    /// The bank's secret keys with their activation dates.
    Key {
        #[command(subcommand)]
        command: BankKeyCommand,
    },
}

impl BankCommand {
    /// Settings and keys live in the ledger; the rest are pure computations.
    pub fn needs_ledger(&self) -> bool {
        matches!(self, BankCommand::Settings { .. } | BankCommand::Key { .. })
    }
}

#[derive(Subcommand)]
pub enum BankKeyCommand {
    /// Add the bank's secret key, taking effect on a date (the previous key stays accepted on replies).
    Add {
        /// YYYY-MM-DD
        #[arg(long)]
        valid_from: String,
        /// Read the key from standard input (keeps it out of the shell history).
        #[arg(long)]
        secret_stdin: bool,
        #[command(flatten)]
        auth: Auth,
    },
    /// The keys' dates (never the keys).
    List,
}

#[derive(Subcommand)]
pub enum ReferenceCommand {
    /// Exit 0 if REF is a valid reference number; 1 with the reason.
    Check { reference: String },
    /// The full reference number for BASE (3–19 digits): BASE + check digit.
    New { base: String },
    /// The ISO 11649 RF form of a reference number.
    Rf { reference: String },
}

pub fn bank_command(command: BankCommand) -> CliResult {
    use boxoffice::payments::reference::ReferenceNumber;
    use boxoffice::payments::verkkomaksu::{Reply, Request, query_code, request_mac};
    match command {
        BankCommand::SignRequest {
            secret,
            merchant,
            amount,
            reference,
            version,
            currency,
            ok_url,
            cancel_url,
            due,
        } => say!(
            "{}",
            request_mac(
                &secret,
                &Request {
                    merchant: &merchant,
                    amount: &amount,
                    reference: &reference,
                    version: &version,
                    currency: &currency,
                    ok_url: &ok_url,
                    cancel_url: &cancel_url,
                    due_date: &due,
                }
            )
        ),
        BankCommand::VerifyResponse { secret, query } => {
            let reply = Reply::parse(&query)?;
            reply.verify(&[&secret])?;
            say!("ok {} {}", reply.reference, reply.amount);
        }
        BankCommand::QueryCode {
            secret,
            merchant,
            reference,
        } => say!("{}", query_code(&secret, &merchant, &reference)),
        BankCommand::Reference { command } => match command {
            ReferenceCommand::Check { reference } => {
                let valid = ReferenceNumber::parse(&reference)?;
                say!("ok {} ({})", valid, valid.grouped());
            }
            ReferenceCommand::New { base } => {
                say!("{}", ReferenceNumber::from_base(&base)?);
            }
            ReferenceCommand::Rf { reference } => {
                say!("{}", ReferenceNumber::parse(&reference)?.rf());
            }
        },
        BankCommand::Settings { .. } | BankCommand::Key { .. } => {
            return Err("bank settings and keys are kept in the ledger".into());
        }
    }
    Ok(())
}

pub fn bank_settings_command(services: &mut Services, command: BankCommand) -> CliResult {
    use boxoffice::app::bank::{BANK_PAYMENT_URL, BANK_QUERY_URL};
    match command {
        BankCommand::Settings {
            merchant,
            contract,
            payment_url,
            payment_url_alt,
            query_url,
            query_url_alt,
            user,
            pin,
        } => {
            if let (Some(merchant), Some(contract)) = (merchant, contract) {
                let Some(user) = user else {
                    return Err(
                        "changing the bank settings needs --user (or BOXOFFICE_USER) and the PIN"
                            .into(),
                    );
                };
                let session = services.login(&user, &pin.read(&user)?)?;
                let settings = boxoffice::ledger::BankSettingsRow {
                    merchant,
                    contract,
                    payment_url: payment_url.unwrap_or_else(|| BANK_PAYMENT_URL.into()),
                    payment_url_alt,
                    query_url: query_url.unwrap_or_else(|| BANK_QUERY_URL.into()),
                    query_url_alt,
                };
                services.set_bank_settings(&session, &settings)?;
            }
            match services.bank_config() {
                Ok(config) => {
                    json_pretty(&config.settings)?;
                    for date in config.keys.dates() {
                        say!("key valid from {date}");
                    }
                }
                Err(error) => say!("{error}"),
            }
        }
        BankCommand::Key {
            command:
                BankKeyCommand::Add {
                    valid_from,
                    secret_stdin,
                    auth,
                },
        } => {
            if !secret_stdin {
                return Err("give the key on standard input with --secret-stdin".into());
            }
            let valid_from =
                chrono::NaiveDate::parse_from_str(&valid_from, "%Y-%m-%d").map_err(|_| {
                    AppError::Admin(AdminError::BadDate(valid_from.clone())).to_string()
                })?;
            let mut secret = String::new();
            std::io::stdin().read_line(&mut secret)?;
            let session = auth.session(services)?;
            services.add_bank_key(&session, valid_from, secret.trim())?;
            say!("key added, valid from {valid_from}");
        }
        BankCommand::Key {
            command: BankKeyCommand::List,
        } => match services.bank_config() {
            Ok(config) => {
                for date in config.keys.dates() {
                    say!("key valid from {date}");
                }
            }
            Err(error) => return Err(error.into()),
        },
        _ => unreachable!("pure bank commands are handled without the ledger"),
    }
    Ok(())
}
