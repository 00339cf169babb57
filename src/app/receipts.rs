//! The customer's receipt (issue 13): seller settings, printing a receipt or its one copy on
//! the ESC/POS receipt printer, and the receipt's text in the customer's language.

use crate::app::{MailError, SaleError};
use crate::domain::JournalKind;
use crate::domain::ids::OrderNumber;
use chrono::Local;

use super::services::require;
use super::{AppError, Receipt, Services, Session};
use crate::domain::seller::{valid_organisationsnummer, valid_y_tunnus};
use crate::domain::{Currency, Money, Permission, VatBasisPoints};
use crate::i18n::Lang;
use crate::ledger::SellerSettings;
use crate::printing::escpos;

pub use crate::receipt::RefundReceipt;

pub use super::error::ReceiptProblem;

/// Changes to the seller settings; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct SellerUpdate {
    pub seller_name: Option<String>,
    pub business_id: Option<String>,
    pub seller_address: Option<String>,
    pub vat_number: Option<String>,
    pub receipt_print: Option<String>,
    pub currency: Option<String>,
    pub receipt_printer: Option<String>,
}

/// A printed receipt: where it went and which it was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedReceipt {
    pub receipt_number: i64,
    pub copy: bool,
    pub transport: String,
    pub bytes: usize,
}

fn problem(problem: ReceiptProblem) -> AppError {
    AppError::Receipt(problem)
}

impl Services {
    pub fn seller_settings(&mut self) -> Result<SellerSettings, AppError> {
        Ok(self.ledger_mut().read(|tx| tx.seller_settings())?)
    }

    /// Changes the seller settings (admins; checked here against the user's row), journaled.
    /// The business ID must be a valid Y-tunnus (EUR) or organisationsnummer (SEK); the
    /// currency cannot change once the register has shifts or sales.
    pub fn set_seller(
        &mut self,
        session: &Session,
        update: &SellerUpdate,
    ) -> Result<SellerSettings, AppError> {
        self.ledger_mut().transact(|tx| {
            let user = require(
                tx,
                session,
                Permission::Settings,
                "change the seller settings",
            )?;
            let mut settings = tx.seller_settings()?;
            let old_currency = settings.currency.clone();
            let set = |field: &mut String, value: &Option<String>| {
                if let Some(value) = value {
                    *field = value.trim().to_string();
                }
            };
            set(&mut settings.seller_name, &update.seller_name);
            set(&mut settings.business_id, &update.business_id);
            set(&mut settings.seller_address, &update.seller_address);
            set(&mut settings.vat_number, &update.vat_number);
            set(&mut settings.receipt_print, &update.receipt_print);
            set(&mut settings.receipt_printer, &update.receipt_printer);
            if let Some(code) = &update.currency {
                let currency = Currency::parse(code).ok_or_else(|| {
                    problem(ReceiptProblem::BadSetting(format!("currency {code}")))
                })?;
                settings.currency = currency.code().to_string();
            }
            if !["always", "ask", "never"].contains(&settings.receipt_print.as_str()) {
                return Err(problem(ReceiptProblem::BadSetting(format!(
                    "receipt {}",
                    settings.receipt_print
                ))));
            }
            if !settings.receipt_printer.is_empty() {
                pc43d::TransportSpec::parse(&settings.receipt_printer)
                    .map_err(|why| problem(ReceiptProblem::BadSetting(why)))?;
            }
            if settings.currency != old_currency && tx.has_shifts_or_sales()? {
                return Err(problem(ReceiptProblem::CurrencyFixed));
            }
            let currency = Currency::parse(&settings.currency).unwrap_or_default();
            let id = settings.business_id.as_str();
            let valid = match currency {
                Currency::Eur => valid_y_tunnus(id),
                Currency::Sek => valid_organisationsnummer(id),
            };
            if !id.is_empty() && !valid {
                return Err(problem(ReceiptProblem::BadBusinessId(id.to_string())));
            }
            tx.set_seller_settings(&settings, user.id)?;
            Ok(settings)
        })
    }

    /// The receipt of a refund of `order_number` (its latest refund), with the sale's receipt.
    pub fn refund_receipt(
        &mut self,
        order_number: OrderNumber,
        lang: Lang,
    ) -> Result<(Receipt, RefundReceipt), AppError> {
        let receipt = self.receipt(order_number, lang)?;
        let refund = self
            .refunds_of(order_number)?
            .into_iter()
            .max_by_key(|r| r.refund_id)
            .ok_or_else(|| problem(ReceiptProblem::NoRefund(order_number)))?;
        let (vat, rounding) = self.ledger_mut().read(|tx| {
            Ok::<_, AppError>((
                tx.refund_vat(refund.refund_id)?,
                tx.refund_rounding_cents(refund.refund_id)?,
            ))
        })?;
        Ok((
            receipt,
            RefundReceipt {
                receipt_number: refund.receipt_number,
                created_at: refund.created_at,
                tender: refund.tender,
                amount: Money::from_cents(refund.amount_cents),
                vat: vat
                    .into_iter()
                    .map(|(rate, gross, tax)| {
                        (
                            VatBasisPoints(rate),
                            Money::from_cents(gross),
                            Money::from_cents(tax),
                        )
                    })
                    .collect(),
                tickets: refund.tickets,
                rounding: Money::from_cents(rounding),
            },
        ))
    }

    /// The rows of a sale's receipt (or of its latest refund's) in `lang`.
    pub fn receipt_rows(
        &mut self,
        order_number: OrderNumber,
        refund: bool,
        lang: Lang,
        copy: bool,
    ) -> Result<(Option<i64>, Vec<escpos::Row>), AppError> {
        if refund {
            let (receipt, refund) = self.refund_receipt(order_number, lang)?;
            Ok((
                refund.receipt_number,
                receipt.refund_rows(&refund, lang, copy),
            ))
        } else {
            let receipt = self.receipt(order_number, lang)?;
            Ok((receipt.receipt_number, receipt.customer_rows(lang, copy)))
        }
    }

    /// After a sale: with the setting `always` and a receipt printer, the receipt's original is
    /// printed (a fault is reported, never undoes the sale); `ask` leaves it to the receipt key,
    /// `never` prints nothing.
    pub fn print_receipt_after_sale(
        &mut self,
        session: &Session,
        order_number: OrderNumber,
    ) -> Option<Result<String, String>> {
        let settings = self.seller_settings().ok()?;
        if settings.receipt_print != "always" || settings.receipt_printer.is_empty() {
            return None;
        }
        Some(
            self.print_receipt(session, order_number, false, false, None)
                .map(|printed| printed.transport)
                .map_err(|error| {
                    tracing::error!(order = order_number.get(), %error, "receipt not printed");
                    error.to_string()
                }),
        )
    }

    /// Prints a sale's (or its latest refund's) receipt on the receipt printer (`to`, or the
    /// register's setting) as ESC/POS. The first print is the original; after it only one
    /// copy, marked KOPIO / KOPIA / COPY, may ever be printed (the database refuses a second).
    /// Each print is journaled after the printer took the bytes.
    pub fn print_receipt(
        &mut self,
        session: &Session,
        order_number: OrderNumber,
        refund: bool,
        copy: bool,
        to: Option<&str>,
    ) -> Result<PrintedReceipt, AppError> {
        self.print_receipt_as(session, order_number, refund, copy, to, None)
    }

    /// [`Services::print_receipt`] on a ticket printer: `language` Fingerprint or ZPL prints
    /// the receipt's label (the ticket's layout model); `None` is the receipt printer's ESC/POS.
    pub fn print_receipt_as(
        &mut self,
        session: &Session,
        order_number: OrderNumber,
        refund: bool,
        copy: bool,
        to: Option<&str>,
        language: Option<pc43d::Language>,
    ) -> Result<PrintedReceipt, AppError> {
        let lang = session.lang;
        let (receipt_id, prints, printer) = self
            .ledger_mut()
            .read(|tx| receipt_to_print(tx, session, order_number, refund, copy))?;
        let (number, rows) = self.receipt_rows(order_number, refund, lang, copy)?;
        let number = number.unwrap_or_default();
        if copy && prints.iter().any(|p| p.kind == "copy") {
            return Err(problem(ReceiptProblem::CopyAlreadyPrinted(number)));
        }
        if !copy && prints.iter().any(|p| p.kind == "original") {
            return Err(problem(ReceiptProblem::OriginalAlreadyPrinted(number)));
        }
        let spec_text = to.map(str::to_string).unwrap_or(printer);
        if spec_text.is_empty() {
            return Err(problem(ReceiptProblem::NoReceiptPrinter));
        }
        let spec = pc43d::TransportSpec::parse(&spec_text)
            .map_err(|why| problem(ReceiptProblem::BadSetting(why)))?;
        let bytes = match language {
            Some(language) => language.encode(&escpos::to_label(&rows)),
            None => escpos::encode(&rows),
        };
        let mut transport = spec.open(pc43d::DEFAULT_TIMEOUT);
        let described = transport.describe();
        transport
            .send(&bytes)
            .map_err(|e| problem(ReceiptProblem::Printer(format!("{described}: {e}"))))?;
        let kind = if copy { "copy" } else { "original" };
        let now = Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Sell, "print a receipt")?;
            tx.insert_receipt_print(receipt_id, order_number, kind, user.id, &described, &now)
                .map_err(|error| {
                    if error.is_duplicate() {
                        problem(ReceiptProblem::CopyAlreadyPrinted(number))
                    } else {
                        error.into()
                    }
                })
        })?;
        Ok(PrintedReceipt {
            receipt_number: number,
            copy,
            transport: described,
            bytes: bytes.len(),
        })
    }
}

impl Services {
    /// Mails a sale's receipt alone to `to` through the register's sending server, now; the
    /// server's reply is journaled (`receipt.mail`) and returned.
    pub fn mail_receipt(
        &mut self,
        session: &Session,
        order_number: OrderNumber,
        to: &str,
    ) -> Result<super::TestMailOutcome, AppError> {
        if !super::services::valid_email(to) {
            return Err(AppError::Sale(SaleError::InvalidEmail(to.to_string())));
        }
        let server = self.ledger_mut().read(|tx| {
            require(tx, session, Permission::Sell, "mail a receipt")?;
            Ok::<_, AppError>(tx.sending_mail_server(None)?)
        })?;
        let receipt = self.receipt(order_number, session.lang)?;
        let settings = self
            .server_settings(&server)
            .map_err(|e| AppError::Mail(MailError::MailSetup(e)))?;
        let mailer = settings
            .mailer()
            .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        let dkim = self.dkim_config(&server.from_address)?;
        let message = crate::mail::compose::receipt_mail(
            &crate::mail::compose::Sender {
                name: server.from_name.clone(),
                address: server.from_address.clone(),
            },
            to,
            &receipt,
            session.lang,
            dkim.as_ref(),
        )
        .map_err(|e| AppError::Mail(MailError::MailSetup(e.to_string())))?;
        let delivery = mailer.session().deliver(&message);
        let delivered = matches!(delivery, crate::mail::smtp::Delivery::Sent(_));
        let reply = delivery.reply().to_string();
        let now = Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        self.ledger_mut().transact(|tx| {
            let user = require(tx, session, Permission::Sell, "mail a receipt")?;
            tx.append_journal(
                JournalKind::ReceiptMail,
                Some(user.id),
                Some(order_number),
                &serde_json::json!({
                    "receipt_number": receipt.receipt_number,
                    "to": to,
                    "server": server.name,
                    "delivered": delivered,
                    "reply": reply,
                    "at": now,
                }),
            )?;
            Ok::<_, AppError>(())
        })?;
        let meaning = crate::i18n::smtp_reply_meaning(
            session.lang,
            crate::mail::smtp::reply_code(&reply),
            &reply,
        );
        Ok(super::TestMailOutcome {
            delivered,
            reply,
            meaning,
        })
    }
}

/// The receipt to print (the order's, or its newest refund's), the prints it already had and
/// the register's receipt printer, once the user may print it.
fn receipt_to_print(
    tx: &crate::ledger::Tx<'_>,
    session: &Session,
    order_number: OrderNumber,
    refund: bool,
    copy: bool,
) -> Result<(i64, Vec<crate::ledger::ReceiptPrintRow>, String), AppError> {
    require(
        tx,
        session,
        if copy {
            Permission::Reprint
        } else {
            Permission::Sell
        },
        "print a receipt",
    )?;
    let refund_id = if refund {
        Some(
            tx.refunds_of(order_number)?
                .into_iter()
                .map(|r| r.refund_id)
                .max()
                .ok_or_else(|| problem(ReceiptProblem::NoRefund(order_number)))?,
        )
    } else {
        None
    };
    let receipt_id = tx
        .receipt_id(order_number, refund_id)?
        .ok_or(AppError::Sale(SaleError::UnknownOrder(order_number)))?;
    Ok((
        receipt_id,
        tx.receipt_prints(receipt_id)?,
        tx.seller_settings()?.receipt_printer,
    ))
}
