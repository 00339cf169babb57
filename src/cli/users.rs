//! `user add|list|set-pin|disable` and `register training`.

use boxoffice::app::Services;
use clap::Subcommand;

use super::auth::Auth;
use super::error::CliResult;
use super::output::{json_pretty, say};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a user.
    Add {
        #[arg(long)]
        name: String,
        /// cashier, staff, manager or admin
        #[arg(long)]
        role: String,
        /// The new user's PIN (4–8 digits).
        #[arg(long)]
        new_pin: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// List users.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        auth: Auth,
    },
    /// Set a user's PIN.
    SetPin {
        #[arg(long)]
        name: String,
        #[arg(long)]
        new_pin: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// Disable a user (history stays; they can no longer log in).
    Disable {
        #[arg(long)]
        name: String,
        #[command(flatten)]
        auth: Auth,
    },
}

#[derive(Subcommand)]
pub enum RegisterCommand {
    /// The seller's name, business ID, address and VAT number on receipts, the currency and
    /// the receipt printer (admins).
    Seller(super::receipt::SellerArgs),
    /// Training mode on or off (admins).
    Training {
        /// on or off
        mode: String,
        #[command(flatten)]
        auth: Auth,
    },
    /// Make this PC a register of the shared ledger given by --database (admins).
    Join {
        /// The register's name, e.g. "Kassa 2".
        #[arg(long)]
        name: String,
        #[command(flatten)]
        auth: Auth,
    },
}

/// `register join`: this PC becomes a register of the shared ledger at `url`.
pub fn join(services: &mut Services, url: &str, name: &str, auth: &Auth) -> CliResult {
    if name.trim().is_empty() {
        return Err("--name: a register needs a name, e.g. --name \"Kassa 2\"".into());
    }
    let session = auth.session(services)?;
    let identity = services.join_register(&session, url, name)?;
    say!(
        "this PC is register {} ({}) of the shared ledger at {}",
        identity.name,
        identity.register_id,
        identity.database
    );
    Ok(())
}

pub fn user_command(services: &mut Services, command: UserCommand) -> CliResult {
    match command {
        UserCommand::Add {
            name,
            role,
            new_pin,
            auth,
        } => {
            let session = auth.session(services)?;
            services.add_user(&session, &name, &role, &new_pin)?;
            say!("user {name} added as {role}");
        }
        UserCommand::List { json, auth } => {
            let session = auth.session(services)?;
            let users = services.list_users(&session)?;
            if json {
                json_pretty(&users)?;
            } else {
                for user in users {
                    let state = match (user.active, user.locked) {
                        (false, _) => "disabled",
                        (true, true) => "locked",
                        (true, false) => "active",
                    };
                    say!(
                        "{:<16} {:<8} {:<3} {state}",
                        user.name,
                        user.role,
                        user.lang
                    );
                }
            }
        }
        UserCommand::SetPin {
            name,
            new_pin,
            auth,
        } => {
            let session = auth.session(services)?;
            services.set_pin(&session, &name, &new_pin)?;
            say!("PIN of {name} changed");
        }
        UserCommand::Disable { name, auth } => {
            let session = auth.session(services)?;
            services.disable_user(&session, &name)?;
            say!("user {name} disabled");
        }
    }
    Ok(())
}

pub fn register(services: &mut Services, command: RegisterCommand) -> CliResult {
    let (mode, auth) = match command {
        RegisterCommand::Seller(args) => return super::receipt::seller_command(services, args),
        RegisterCommand::Training { mode, auth } => (mode, auth),
        RegisterCommand::Join { .. } => {
            return Err(
                "`register join` needs the shared ledger's address: --database postgres://… or BOXOFFICE_DATABASE_URL"
                    .into(),
            );
        }
    };
    let on = match mode.as_str() {
        "on" => true,
        "off" => false,
        other => return Err(format!("'{other}': say on or off").into()),
    };
    let session = auth.session(services)?;
    services.set_training(&session, on)?;
    say!(
        "training mode {}",
        if on {
            "on: sales are marked TRAINING and kept out of the Z"
        } else {
            "off"
        }
    );
    Ok(())
}
