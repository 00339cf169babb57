//! Issue 13's subcommands: `register seller` (the seller settings), `receipt show|print`.

use boxoffice::app::Services;
use boxoffice::app::receipts::SellerUpdate;
use boxoffice::domain::ids::OrderNumber;
use boxoffice::i18n::Lang;
use boxoffice::ledger::SellerSettings;
use clap::Subcommand;

use super::error::{CliError, CliResult};
use super::output::{json_line, say, say_raw};

/// `register seller`: the seller data printed on every receipt (admins).
#[derive(clap::Args)]
pub struct SellerArgs {
    /// The seller's (organiser's) name.
    #[arg(long)]
    name: Option<String>,
    /// Y-tunnus (EUR register) or organisationsnummer (SEK register).
    #[arg(long)]
    business_id: Option<String>,
    /// Address; `\n` or a newline separates its lines.
    #[arg(long)]
    address: Option<String>,
    /// VAT number, e.g. FI01120389 or SE556012579001.
    #[arg(long)]
    vat_number: Option<String>,
    /// Print the customer's receipt after a sale: always, ask or never.
    #[arg(long)]
    receipt: Option<String>,
    /// EUR or SEK (only before the first shift or sale).
    #[arg(long)]
    currency: Option<String>,
    /// The ESC/POS receipt printer: queue:QUEUE, tcp:HOST:PORT, serial:PORT[:BAUD] or file:PATH.
    #[arg(long)]
    receipt_printer: Option<String>,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    auth: super::auth::Auth,
}

pub fn seller_command(services: &mut Services, args: SellerArgs) -> CliResult {
    let session = args.auth.session(services)?;
    let update = SellerUpdate {
        seller_name: args.name,
        business_id: args.business_id,
        seller_address: args.address.map(|a| a.replace("\\n", "\n")),
        vat_number: args.vat_number,
        receipt_print: args.receipt,
        currency: args.currency,
        receipt_printer: args.receipt_printer,
    };
    let settings = services.set_seller(&session, &update)?;
    if args.json {
        json_line(&settings)?;
    } else {
        say_raw!("{}", seller_text(&settings));
    }
    Ok(())
}

/// The seller settings as `doctor` and `register seller` show them.
pub fn seller_text(settings: &SellerSettings) -> String {
    let show = |value: &str| {
        if value.is_empty() {
            "-".to_string()
        } else {
            value.replace('\n', " / ")
        }
    };
    format!(
        "seller.name: {}\nseller.business_id: {}\nseller.address: {}\nseller.vat_number: {}\nregister.currency: {}\nreceipt.print: {}\nreceipt.printer: {}\n",
        show(&settings.seller_name),
        show(&settings.business_id),
        show(&settings.seller_address),
        show(&settings.vat_number),
        settings.currency,
        settings.receipt_print,
        show(&settings.receipt_printer)
    )
}

#[derive(Subcommand)]
pub enum ReceiptCommand {
    /// Show a sale's customer receipt (or its latest refund's) as it prints; writes nothing.
    Show {
        order: i64,
        /// The receipt of the order's latest refund.
        #[arg(long)]
        refund: bool,
        /// Show it as the copy would print.
        #[arg(long)]
        copy: bool,
        /// fi, sv or en
        #[arg(long, default_value = "fi")]
        lang: String,
    },
    /// Draw a receipt as the printer would print it: a PNG picture, or the ticket printer's
    /// Fingerprint or ZPL program of the receipt (the same layout as the picture).
    Render {
        order: i64,
        #[arg(long)]
        refund: bool,
        #[arg(long)]
        copy: bool,
        #[arg(long, default_value = "fi")]
        lang: String,
        /// png, fingerprint, zpl or escpos
        #[arg(long, default_value = "png")]
        format: String,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Mail a sale's receipt alone to the customer, now, through the register's mail server.
    Mail {
        order: i64,
        /// The customer's address.
        #[arg(long)]
        to: String,
        /// Your user name.
        #[arg(long)]
        user: String,
        /// Your PIN.
        #[arg(long)]
        pin: String,
    },
    /// Print a sale's receipt (or its latest refund's) on the ESC/POS receipt printer. The
    /// first print is the original; then one copy (--copy) may be printed, never a second.
    Print {
        order: i64,
        #[arg(long)]
        refund: bool,
        #[arg(long)]
        copy: bool,
        /// The printer for this print: queue:…, tcp:HOST:PORT, serial:…, file:PATH
        /// (default: the register's receipt printer).
        #[arg(long)]
        to: Option<String>,
        /// escpos (a receipt printer), or fingerprint / zpl to print the receipt on a ticket
        /// printer in the ticket's layout model.
        #[arg(long, default_value = "escpos")]
        language: String,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        auth: super::auth::Auth,
    },
}

/// `receipt mail`: the receipt to an address now; not delivered is an error with the
/// server's reply.
fn mail(services: &mut Services, order: i64, to: &str, user: &str, pin: &str) -> CliResult {
    let session = services.login(user, pin)?;
    let outcome = services.mail_receipt(&session, OrderNumber(order), to)?;
    if !outcome.delivered {
        return Err(format!(
            "the receipt was not sent to {to}: {} ({})",
            outcome.reply, outcome.meaning
        )
        .into());
    }
    say!("receipt of order {order} sent to {to}: {}", outcome.reply);
    Ok(())
}

/// What `receipt print` printed, as JSON or a sentence.
fn say_printed(printed: &boxoffice::app::receipts::PrintedReceipt, json: bool) -> CliResult {
    if json {
        say!(
            "{}",
            serde_json::json!({
                "receipt_number": printed.receipt_number,
                "copy": printed.copy,
                "transport": printed.transport,
                "bytes": printed.bytes,
            })
        );
    } else {
        say!(
            "receipt {}{} sent to {} ({} bytes)",
            printed.receipt_number,
            if printed.copy { " (copy)" } else { "" },
            printed.transport,
            printed.bytes
        );
    }
    Ok(())
}

pub fn receipt_command(services: &mut Services, command: ReceiptCommand) -> CliResult {
    match command {
        ReceiptCommand::Show {
            order,
            refund,
            copy,
            lang,
        } => {
            let lang = Lang::from_code(&lang).ok_or_else(|| format!("'{lang}': fi, sv or en"))?;
            let (_, rows) = services.receipt_rows(OrderNumber(order), refund, lang, copy)?;
            say_raw!("{}", boxoffice::printing::escpos::to_text(&rows));
        }
        ReceiptCommand::Render {
            order,
            refund,
            copy,
            lang,
            format,
            out,
        } => render(
            services,
            OrderNumber(order),
            refund,
            copy,
            &lang,
            &format,
            &out,
        )?,
        ReceiptCommand::Mail {
            order,
            to,
            user,
            pin,
        } => mail(services, order, &to, &user, &pin)?,
        ReceiptCommand::Print {
            order,
            refund,
            copy,
            to,
            language,
            json,
            auth,
        } => {
            let language = print_language(&language)?;
            let session = auth.session(services)?;
            let printed = services.print_receipt_as(
                &session,
                OrderNumber(order),
                refund,
                copy,
                to.as_deref(),
                language,
            )?;
            say_printed(&printed, json)?;
        }
    }
    Ok(())
}

/// `receipt render`: the receipt as a picture or in a printer's language, into a file.
fn render(
    services: &mut Services,
    order: OrderNumber,
    refund: bool,
    copy: bool,
    lang: &str,
    format: &str,
    out: &std::path::Path,
) -> CliResult {
    use boxoffice::printing::escpos;
    let lang = Lang::from_code(lang).ok_or_else(|| format!("'{lang}': fi, sv or en"))?;
    let (_, rows) = services.receipt_rows(order, refund, lang, copy)?;
    let bytes = match format {
        "png" => boxoffice::printing::render_png(&escpos::to_label(&rows)),
        "fingerprint" => pc43d::Language::Fingerprint.encode(&escpos::to_label(&rows)),
        "zpl" => pc43d::Language::Zpl.encode(&escpos::to_label(&rows)),
        "escpos" => escpos::encode(&rows),
        other => {
            return Err(format!("'{other}': the format is png, fingerprint, zpl or escpos").into());
        }
    };
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    say!("{} ({} bytes)", out.display(), bytes.len());
    Ok(())
}

/// `receipt print --language`: ESC/POS (`None`) or a label printer's language.
fn print_language(language: &str) -> Result<Option<pc43d::Language>, CliError> {
    match language {
        "escpos" => Ok(None),
        "fingerprint" => Ok(Some(pc43d::Language::Fingerprint)),
        "zpl" => Ok(Some(pc43d::Language::Zpl)),
        other => Err(format!("'{other}': the language is escpos, fingerprint or zpl").into()),
    }
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// The Z reports and the sales journal as a SAF-T Cash Register audit file (XML, the
    /// Norwegian Tax Administration's schema v1.00; managers).
    Saft {
        /// First day, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// Last day, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        /// Write here instead of standard output.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        #[command(flatten)]
        auth: super::auth::Auth,
    },
    /// The journal entries and Z reports as CSV (managers).
    Csv {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        #[command(flatten)]
        auth: super::auth::Auth,
    },
}

pub fn export_command(services: &mut Services, command: ExportCommand) -> CliResult {
    let (text, out) = match command {
        ExportCommand::Saft {
            from,
            to,
            out,
            auth,
        } => {
            let session = auth.session(services)?;
            (services.export_saft(&session, &from, &to)?, out)
        }
        ExportCommand::Csv {
            from,
            to,
            out,
            auth,
        } => {
            let session = auth.session(services)?;
            (services.export_csv(&session, &from, &to)?, out)
        }
    };
    match out {
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            say!("{}", path.display());
        }
        None => say_raw!("{text}"),
    }
    Ok(())
}
