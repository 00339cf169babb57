use std::path::{Path, PathBuf};

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Local, Utc};

use super::{AppError, Receipt, demo, seats};
use crate::domain::{
    Cart, Money, Permission, PricedCategory, Role, TicketCode, VatBasisPoints, cart::cash_change,
};
use crate::i18n::Lang;
use crate::ledger::{Ledger, LedgerError, PerformanceRow, SaleRecord, Tx, UserRow};

/// Wrong PINs in a row before the user is locked, and for how long.
pub const MAX_PIN_FAILURES: i64 = 5;
pub const PIN_LOCK_SECS: i64 = 60;
/// How long after its start a performance is still on sale.
const SALE_GRACE_HOURS: i64 = 2;

/// A logged-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: i64,
    pub name: String,
    pub role: Role,
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CatalogCategory {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    #[serde(skip)]
    pub names: [String; 3],
    pub price_cents: i64,
    pub vat_basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CatalogPerformance {
    pub id: i64,
    pub event: String,
    #[serde(skip)]
    pub event_names: [String; 3],
    pub venue: String,
    pub starts_at: String,
    pub capacity: i64,
    pub remaining: i64,
    /// Numbered seats (a seat plan) rather than free seating.
    pub seated: bool,
    pub categories: Vec<CatalogCategory>,
}

impl CatalogCategory {
    pub fn priced(&self) -> PricedCategory {
        PricedCategory {
            category_id: self.id,
            code: self.code.clone(),
            unit_price: Money::from_cents(self.price_cents),
            vat_rate: VatBasisPoints(self.vat_basis_points),
        }
    }
}

/// What `ticket check` says about a ticket code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TicketStatus {
    pub code: String,
    /// valid, revoked, training or unknown
    pub state: String,
    pub order_number: Option<i64>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SaleRequest {
    pub performance_id: i64,
    /// (category code, quantity)
    pub items: Vec<(String, u32)>,
    pub tendered: Money,
    /// Who bought, for finding the order later (optional at the counter).
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    /// Seats at a seated performance (best available unless told); ignored at free seating
    /// only when left at `Auto`.
    pub seats: super::seats::SeatChoice,
    /// The cart whose held seats this sale takes (the GUI's cart token).
    pub cart_token: Option<String>,
    /// Queue the tickets for mail to `customer_email` in the sale's own transaction (a crash
    /// after the sale can then never lose the mail).
    pub mail_tickets: bool,
}

#[derive(Debug, Clone)]
pub struct SaleOutcome {
    pub receipt: Receipt,
    /// Where the tickets were printed, or why printing failed (the sale stands either way).
    pub printed: Result<String, String>,
    pub labels: Vec<pc43d::Label>,
    /// The customer's receipt printed by itself after the sale (the register's setting
    /// `always` with a receipt printer): where it went, or why it did not; `None` otherwise.
    pub receipt_printed: Option<Result<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitOutcome {
    Created { register_id: String, demo: bool },
    AlreadyInitialised { register_id: String },
}

/// The services of one register on one ledger.
pub struct Services {
    ledger: Ledger,
    data_dir: PathBuf,
    card_links: super::card::Links,
}

impl Services {
    pub fn open(data_dir: &Path) -> Result<Services, AppError> {
        let mut services = Services {
            ledger: Ledger::open(data_dir)?,
            data_dir: data_dir.to_path_buf(),
            card_links: super::card::Links::from_env(),
        };
        if let Err(error) = services.move_secrets_out() {
            // The values stay where they were (nothing is lost); the next start tries again.
            tracing::error!(%error, "could not move the ledger's secrets to the secret store");
        }
        Ok(services)
    }

    /// A ledger from before version 13 holds the bank keys and the Nets password in plain
    /// text: each goes to the secret store first, then its column is blanked and the file
    /// rewritten (VACUUM) so that no free page or WAL frame keeps the old bytes. A crash in
    /// between leaves the value in both places and the next start finishes the move.
    fn move_secrets_out(&mut self) -> Result<(), AppError> {
        use crate::mail::secrets::{Secret, SecretStore};
        let plain = self.ledger.read(|tx| tx.plaintext_secrets())?;
        if plain.is_empty() {
            return Ok(());
        }
        let mut store = self.secret_store();
        let store_error =
            |e: crate::mail::secrets::SecretError| AppError::SecretStore(e.to_string());
        for (valid_from, secret) in &plain.bank_keys {
            let name = super::bank::bank_key_secret_name(valid_from);
            store
                .put(&name, &Secret::new(secret.as_str()))
                .map_err(store_error)?;
        }
        if let Some(password) = &plain.nets_password {
            store
                .put(
                    super::card::NETS_PASSWORD_SECRET,
                    &Secret::new(password.as_str()),
                )
                .map_err(store_error)?;
        }
        self.ledger.transact(|tx| {
            for (valid_from, _) in &plain.bank_keys {
                tx.forget_plaintext_bank_key(
                    valid_from,
                    &super::bank::bank_key_secret_name(valid_from),
                )?;
            }
            if plain.nets_password.is_some() {
                tx.forget_plaintext_nets_password(super::card::NETS_PASSWORD_SECRET)?;
            }
            Ok::<_, LedgerError>(())
        })?;
        self.ledger.scrub()?;
        tracing::info!(
            bank_keys = plain.bank_keys.len(),
            nets_password = plain.nets_password.is_some(),
            "moved the ledger's secrets to the secret store"
        );
        Ok(())
    }

    pub fn ledger_mut(&mut self) -> &mut Ledger {
        &mut self.ledger
    }

    /// The links to the card terminals and their timeouts.
    pub fn card_links(&mut self) -> &mut super::card::Links {
        &mut self.card_links
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The file the demo ticket printer writes to.
    pub fn print_file(&self) -> PathBuf {
        self.data_dir.join("print").join("pc43d.prn")
    }

    /// Creates the register (and with `demo` the demo users and events) once.
    pub fn init(&mut self, demo: bool) -> Result<InitOutcome, AppError> {
        self.init_with_currency(demo, crate::domain::Currency::Eur)
    }

    /// [`Services::init`] for a register in `currency`: a Swedish (SEK) register gets Sweden's
    /// VAT rates as data instead of Finland's. The currency is set before anything is sold.
    pub fn init_with_currency(
        &mut self,
        demo: bool,
        currency: crate::domain::Currency,
    ) -> Result<InitOutcome, AppError> {
        if let Ok(register_id) = self.ledger.register_id() {
            let register_id = register_id.to_string();
            let has_events = self.ledger.read(|tx| tx.count_events())? > 0;
            if !demo || has_events {
                return Ok(InitOutcome::AlreadyInitialised { register_id });
            }
        }
        let already = self.ledger.register_id().ok().map(str::to_string);
        let register_id = already
            .clone()
            .unwrap_or_else(|| format!("BO-{}", hex::encode(random_bytes::<4>())));
        let now = Local::now().to_rfc3339();
        self.ledger.transact(|tx| {
            if already.is_none() {
                tx.create_register(&register_id, "Box office", demo, &now)?;
                let rates = match currency {
                    crate::domain::Currency::Eur => demo::VAT_RATES,
                    crate::domain::Currency::Sek => crate::domain::currency::SWEDISH_VAT_RATES,
                };
                for (class, valid_from, basis_points) in rates {
                    tx.insert_vat_rate(class, valid_from, *basis_points)?;
                }
                let mut content = serde_json::json!({"register_id": register_id, "demo": demo, "vat_rates": rates});
                if currency != crate::domain::Currency::Eur {
                    tx.set_currency(currency)?;
                    content["currency"] = currency.code().into();
                }
                tx.append_journal("register.init", None, None, &content)?;
            }
            if demo {
                let content = demo::seed(tx, hash_pin)?;
                tx.append_journal("demo.seed", None, None, &content)?;
            }
            Ok::<_, AppError>(())
        })?;
        Ok(InitOutcome::Created { register_id, demo })
    }

    pub fn is_demo(&mut self) -> Result<bool, AppError> {
        Ok(self.ledger.read(|tx| tx.is_demo())?)
    }

    /// Checks a user's PIN. Wrong PINs are counted; five in a row lock the user for a minute.
    pub fn login(&mut self, name: &str, pin: &str) -> Result<Session, AppError> {
        self.ledger.register_id()?;
        let user = self
            .ledger
            .read(|tx| tx.user_by_name(name.trim()))?
            .filter(|user| user.active)
            .ok_or(AppError::UnknownUser)?;
        let now = Utc::now();
        if let Some(until) = user
            .locked_until
            .as_deref()
            .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
        {
            let seconds = (until.with_timezone(&Utc) - now).num_seconds();
            if seconds > 0 {
                return Err(AppError::UserLocked { seconds });
            }
        }
        if verify_pin(&user.pin_hash, pin) {
            if user.failed_pins != 0 || user.locked_until.is_some() {
                self.ledger
                    .transact(|tx| tx.set_pin_failures(user.id, 0, None))?;
            }
            let role = Role::from_code(&user.role)
                .ok_or_else(|| AppError::UnknownRole(user.role.clone()))?;
            return Ok(Session {
                user_id: user.id,
                name: user.name,
                role,
                lang: Lang::from_code(&user.lang).unwrap_or_default(),
            });
        }
        let failures = user.failed_pins + 1;
        if failures >= MAX_PIN_FAILURES {
            let until = (now + Duration::seconds(PIN_LOCK_SECS)).to_rfc3339();
            self.ledger
                .transact(|tx| tx.set_pin_failures(user.id, 0, Some(&until)))?;
            tracing::warn!(user = %user.name, "user locked after {MAX_PIN_FAILURES} wrong PINs");
            return Err(AppError::UserLocked {
                seconds: PIN_LOCK_SECS,
            });
        }
        self.ledger
            .transact(|tx| tx.set_pin_failures(user.id, failures, None))?;
        Err(AppError::WrongPin {
            attempts_left: MAX_PIN_FAILURES - failures,
        })
    }

    /// Training mode on or off for this register (admins).
    pub fn set_training(&mut self, session: &Session, training: bool) -> Result<(), AppError> {
        self.ledger.transact(|tx| {
            let user = require(tx, session, Permission::Settings, "switch training mode")?;
            tx.set_training(training)?;
            tx.append_journal(
                "register.training",
                Some(user.id),
                None,
                &serde_json::json!({"training": training}),
            )?;
            Ok(())
        })
    }

    pub fn set_language(&mut self, session: &Session, lang: Lang) -> Result<(), AppError> {
        Ok(self
            .ledger
            .transact(|tx| tx.set_user_lang(session.user_id, lang.code()))?)
    }

    /// Demo users as (name, PIN) when this is a demo register, else nothing.
    pub fn demo_logins(&mut self) -> Result<Vec<(String, String)>, AppError> {
        if !self.is_demo()? {
            return Ok(Vec::new());
        }
        let users = self.ledger.read(|tx| tx.active_users())?;
        Ok(demo::DEMO_USERS
            .iter()
            .filter(|(name, _, _)| users.iter().any(|u| u.name == *name))
            .map(|(name, _, pin)| (name.to_string(), pin.to_string()))
            .collect())
    }

    /// Performances still on sale, earliest first, with their categories and what is left.
    pub fn catalog(&mut self, lang: Lang) -> Result<Vec<CatalogPerformance>, AppError> {
        self.ledger.register_id()?;
        let from = (Local::now() - Duration::hours(SALE_GRACE_HOURS)).to_rfc3339();
        let today = Local::now().date_naive().to_string();
        Ok(self.ledger.read(|tx| {
            let mut catalog = Vec::new();
            for performance in tx.performances_from(&from)? {
                let categories = tx.categories(performance.event.id, &today)?;
                let seated = tx.performance_plan(performance.id)?.is_some();
                catalog.push(catalog_entry(performance, categories, seated, lang));
            }
            Ok::<_, LedgerError>(catalog)
        })?)
    }

    /// Sells tickets for cash: one transaction (order, tickets, payment, receipt, journal),
    /// then the tickets go to the printer. A printer fault never undoes the sale.
    pub fn sell(
        &mut self,
        session: &Session,
        request: &SaleRequest,
    ) -> Result<SaleOutcome, AppError> {
        let record = self.record_cash_sale(session, request)?;
        tracing::info!(
            order = record.order_number,
            receipt = record.receipt_number,
            "cash sale committed"
        );
        self.deliver(session, record.order_number)
    }

    /// After a sale commits: the receipt, and the tickets to the default printer (the print log
    /// records the attempt). A printer fault is reported in the outcome and never undoes the sale.
    pub fn deliver(
        &mut self,
        session: &Session,
        order_number: i64,
    ) -> Result<SaleOutcome, AppError> {
        let receipt = self.receipt(order_number, session.lang)?;
        let (printed, labels) = match self.print_unprinted(session, order_number, None) {
            Ok(Some(outcome)) => {
                let printed = match &outcome.result {
                    super::PrintResult::Failed(error) => Err(error.clone()),
                    _ => Ok(outcome.transport.clone()),
                };
                (printed, outcome.labels)
            }
            // Nothing left to print (every ticket already reached a printer).
            Ok(None) => (Ok(String::new()), Vec::new()),
            Err(error) => {
                tracing::error!(order = order_number, %error, "printing failed");
                (Err(error.to_string()), Vec::new())
            }
        };
        let receipt_printed = self.print_receipt_after_sale(session, order_number);
        Ok(SaleOutcome {
            receipt,
            printed,
            labels,
            receipt_printed,
        })
    }

    /// The ledger half of a cash sale: prices from the ledger (never from the caller),
    /// capacity and tender checked, everything written in one transaction or nothing.
    pub fn record_cash_sale(
        &mut self,
        session: &Session,
        request: &SaleRequest,
    ) -> Result<SaleRecord, AppError> {
        self.record_sale(session, request, &[])
    }

    /// [`Services::record_cash_sale`] where approved card attempts pay part or all of the
    /// total; cash (`request.tendered`) pays the rest.
    pub(super) fn record_sale(
        &mut self,
        session: &Session,
        request: &SaleRequest,
        cards: &[crate::ledger::CardTender<'_>],
    ) -> Result<SaleRecord, AppError> {
        self.ledger.register_id()?;
        let customer_name = request
            .customer_name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty());
        let customer_email = request
            .customer_email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty());
        if let Some(email) = customer_email
            && !valid_email(email)
        {
            return Err(AppError::InvalidEmail(email.to_string()));
        }
        let today = Local::now().date_naive().to_string();
        let now = Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false);
        let now_utc = seats::utc_text(Utc::now());
        let mail_now = crate::ledger::now_text();
        self.ledger.transact(|tx| {
            require(tx, session, Permission::Sell, "sell")?;
            let training = tx.is_training()?;
            let shift = tx.open_shift()?.ok_or(AppError::NoOpenShift)?;
            let (cart, seating) = priced_cart(tx, request, &today, &now_utc)?;
            let totals = cart.totals();
            let card_cents = super::card::check_card_tenders(tx, cards, totals.gross)?;
            let (rounding, change) = cash_rounding_and_change(
                tx,
                totals.gross - Money::from_cents(card_cents),
                request.tendered,
            )?;
            let codes: Vec<String> = (0..totals.n_tickets)
                .map(|_| TicketCode::from_random(random_bytes()).as_str().to_string())
                .collect();
            let seat_ids = seating
                .as_ref()
                .map(|(view, chosen)| seats::seat_ids(view, chosen))
                .unwrap_or_default();
            let record = tx.insert_sale_with_cards(
                &crate::ledger::NewSale {
                    shift_id: shift.id,
                    user_id: session.user_id,
                    performance_id: request.performance_id,
                    lang: session.lang.code(),
                    lines: cart.lines(),
                    ticket_codes: &codes,
                    seats: &seat_ids,
                    total_cents: totals.gross.cents(),
                    tender: "cash",
                    tendered_cents: Some(request.tendered.cents()),
                    change_cents: Some(change.cents()),
                    card_last4: None,
                    customer_name,
                    customer_email,
                    training,
                    now: &now,
                },
                cards,
            )?;
            record_cash_rounding(tx, &record, shift.id, rounding, session.user_id, &now)?;
            if request.mail_tickets
                && let Some(email) = customer_email
            {
                super::mail::queue_in(
                    tx,
                    record.order_number,
                    Some(email),
                    None,
                    Some(session.user_id),
                    &mail_now,
                )?;
            }
            if let Some((view, chosen)) = &seating {
                seats::purge_expired(tx, view.performance_id, &now_utc)?;
                seats::occupy_order_seats(
                    tx,
                    view,
                    record.order_number,
                    chosen,
                    request.cart_token.as_deref(),
                    session.user_id,
                    &now,
                )?;
            }
            Ok(record)
        })
    }

    /// What the cart of `request` costs now (prices and capacity from the ledger).
    pub fn quote(&mut self, request: &SaleRequest) -> Result<Money, AppError> {
        let today = Local::now().date_naive().to_string();
        let now_utc = seats::utc_text(Utc::now());
        self.ledger
            .read(|tx| Ok(priced_cart(tx, request, &today, &now_utc)?.0.totals().gross))
    }

    /// Orders matching what a person typed or a scanner read: a ticket code, an order or receipt
    /// number, the last four digits of a card, or the start of a customer's name or e-mail.
    /// Newest first, each order once.
    pub fn search_orders(
        &mut self,
        query: &str,
        limit: usize,
    ) -> Result<Vec<crate::ledger::OrderHit>, AppError> {
        use crate::ledger::OrderKey;
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let code = TicketCode::parse(query);
        let mut keys = Vec::new();
        if let Some(code) = &code {
            keys.push(OrderKey::TicketCode(code.as_str()));
        }
        if query.bytes().all(|b| b.is_ascii_digit()) {
            if let Ok(number) = query.parse::<i64>() {
                keys.push(OrderKey::OrderNumber(number));
                keys.push(OrderKey::ReceiptNumber(number));
            }
            if query.len() == 4 {
                keys.push(OrderKey::CardLast4(query));
            }
        } else if code.is_none() || query.len() < TicketCode::LEN {
            keys.push(OrderKey::NameOrEmailPrefix(query));
        }
        Ok(self.ledger.read(|tx| {
            let mut ids: Vec<i64> = Vec::new();
            for key in &keys {
                for id in tx.find_orders(key, limit as i64)? {
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
            }
            ids.truncate(limit);
            let mut hits = Vec::new();
            for id in ids {
                hits.extend(tx.order_hit(id)?);
            }
            Ok::<_, LedgerError>(hits)
        })?)
    }

    /// A report over local dates `from`..=`to` (YYYY-MM-DD): `sales`, `refunds` or `z`.
    /// Managers and admins only (they carry the shift's money).
    pub fn report(
        &mut self,
        session: &Session,
        kind: &str,
        from: &str,
        to: &str,
    ) -> Result<Vec<crate::ledger::Table>, AppError> {
        for date in [from, to] {
            if chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_err() {
                return Err(AppError::BadDate(date.to_string()));
            }
        }
        self.ledger.read(|tx| {
            require(tx, session, Permission::CloseShift, "see reports")?;
            Ok(match kind {
                "sales" => tx.sales_tables(from, to)?,
                "refunds" => vec![tx.refunds_table(from, to)?],
                "z" => vec![tx.z_table(from, to)?],
                other => return Err(AppError::UnknownReport(other.to_string())),
            })
        })
    }

    /// Whether a ticket is valid, and why not: unknown, refunded (with the refund receipt and
    /// reason), or a training ticket.
    pub fn check_ticket(&mut self, code: &str) -> Result<TicketStatus, AppError> {
        let normalised = TicketCode::parse(code)
            .map(|c| c.as_str().to_string())
            .unwrap_or_else(|| code.trim().to_string());
        let found = match TicketCode::parse(code) {
            Some(_) => self.ledger.read(|tx| tx.ticket_by_code(&normalised))?,
            None => None,
        };
        let Some(found) = found else {
            return Ok(TicketStatus {
                code: normalised,
                state: "unknown".into(),
                order_number: None,
                reason: "no such ticket".into(),
            });
        };
        if let Some(number) = found.replaced_by_reissue {
            return Ok(TicketStatus {
                code: normalised,
                state: "revoked".into(),
                order_number: Some(found.order_number),
                reason: format!("replaced by reissue no. {number}"),
            });
        }
        let order_number = found.order_number;
        let receipt = self.receipt(order_number, Lang::En)?;
        // A reissued ticket is listed under the code it was sold with.
        let ticket = receipt
            .tickets
            .iter()
            .find(|t| t.code == found.original_code);
        let state = ticket.map_or("unknown", |t| t.state.as_str()).to_string();
        let reason = match state.as_str() {
            "valid" => format!(
                "{} – {} – {}",
                receipt.event_name,
                receipt.starts_at,
                ticket.map(|t| t.category_name.as_str()).unwrap_or("")
            ),
            "training" => "a training ticket, never valid".into(),
            _ => self
                .refunds_of(order_number)?
                .into_iter()
                .find(|r| r.tickets.contains(&found.original_code))
                .map(|r| {
                    let why = if r.reason_text.is_empty() {
                        r.reason_code
                    } else {
                        r.reason_text
                    };
                    format!(
                        "refunded (refund receipt {}, {why})",
                        r.receipt_number.unwrap_or_default()
                    )
                })
                .unwrap_or_else(|| "revoked".into()),
        };
        Ok(TicketStatus {
            code: normalised,
            state,
            order_number: Some(order_number),
            reason,
        })
    }

    /// The refunds of an order, oldest first.
    pub fn refunds_of(
        &mut self,
        order_number: i64,
    ) -> Result<Vec<crate::ledger::RefundRow>, AppError> {
        Ok(self.ledger.read(|tx| tx.refunds_of(order_number))?)
    }

    /// The receipt of an order, in `lang`.
    pub fn receipt(&mut self, order_number: i64, lang: Lang) -> Result<Receipt, AppError> {
        let details = self
            .ledger
            .read(|tx| tx.order_details(order_number))?
            .ok_or(AppError::UnknownOrder(order_number))?;
        let mut receipt = Receipt::from_details(&details, lang);
        (receipt.rounding, receipt.currency, receipt.seller) = self.ledger.read(|tx| {
            Ok::<_, AppError>((
                Money::from_cents(tx.sale_rounding_cents(order_number)?),
                tx.currency()?,
                tx.seller_settings()?,
            ))
        })?;
        receipt.card = self
            .ledger
            .read(|tx| tx.order_card_payments(order_number))?
            .into_iter()
            .filter_map(|attempt| attempt.approval)
            .map(|approval| super::ReceiptCard {
                amount: Money::from_cents(approval.authorized_cents),
                brand: approval.brand,
                masked_pan: approval.masked_pan,
                approval_code: approval.approval_code,
                customer_receipt: approval.customer_receipt,
            })
            .collect();
        Ok(receipt)
    }
}

/// The cash rounding of what cash pays of a sale (the register's currency decides: 5 cents in
/// Finland, the whole krona in Sweden) and the change from `tendered` for the rounded amount.
pub(super) fn cash_rounding_and_change(
    tx: &Tx<'_>,
    cash_due: Money,
    tendered: Money,
) -> Result<(Money, Money), AppError> {
    let rounding = tx.currency()?.cash_rounding("cash", cash_due);
    let change = cash_change(cash_due + rounding, tendered)
        .map_err(|missing| AppError::InsufficientTender { missing })?;
    Ok((rounding, change))
}

/// Writes and journals a sale's cash rounding, in the sale's transaction (nothing when 0).
pub(super) fn record_cash_rounding(
    tx: &mut Tx<'_>,
    record: &SaleRecord,
    shift_id: i64,
    rounding: Money,
    user_id: i64,
    now: &str,
) -> Result<(), AppError> {
    if rounding != Money::ZERO {
        tx.insert_cash_rounding(
            record.order_number,
            None,
            shift_id,
            rounding.cents(),
            user_id,
            now,
        )?;
    }
    Ok(())
}

/// The cart of a sale request priced from the ledger: the performance exists, every category
/// is one of its own, and there are enough tickets left.
/// A seated sale's seat map and the seats its tickets get, in ticket order.
type SaleSeats = (seats::SeatingView, Vec<usize>);

/// The cart of `request` priced from the ledger, capacity checked; at a seated performance also
/// the seats its tickets get (in ticket order, as `NewSale::seats` wants them), each priced by
/// its zone when its category costs otherwise there. Expired holds count as free.
fn priced_cart(
    tx: &Tx<'_>,
    request: &SaleRequest,
    today: &str,
    now_utc: &str,
) -> Result<(Cart, Option<SaleSeats>), AppError> {
    if request.items.iter().all(|(_, quantity)| *quantity == 0) {
        return Err(AppError::EmptyCart);
    }
    let performance = tx
        .performance(request.performance_id)?
        .ok_or(AppError::UnknownPerformance(request.performance_id))?;
    let categories = tx.categories(performance.event.id, today)?;
    let n_tickets: usize = request.items.iter().map(|(_, q)| *q as usize).sum();
    if n_tickets as i64 > performance.remaining {
        return Err(AppError::NotEnoughLeft {
            requested: n_tickets as i64,
            remaining: performance.remaining,
        });
    }
    let seating = seats::seating(tx, performance.id, now_utc)?;
    let chosen = match &seating {
        Some(view) => seats::choose_seats(
            view,
            &request.seats,
            n_tickets,
            request.cart_token.as_deref(),
        )?,
        None if request.seats == seats::SeatChoice::Auto => Vec::new(),
        None => {
            return Err(AppError::Seating(seats::SeatProblem::NotSeated(
                performance.id,
            )));
        }
    };
    let mut chosen_seats = chosen.iter();
    // Seats per cart line (category and price), in the cart's line order.
    let mut line_seats: Vec<(i64, Money, Vec<usize>)> = Vec::new();
    let mut cart = Cart::new();
    for (code, quantity) in &request.items {
        let category = find_category(&categories, code)?;
        for _ in 0..*quantity {
            let seat = chosen_seats.next().copied();
            let zone_price = match (seat, &seating) {
                (Some(index), Some(view)) => {
                    tx.zone_price(category.id, view.plan.seats[index].rank)?
                }
                _ => None,
            };
            let unit_price = Money::from_cents(zone_price.unwrap_or(category.price_cents));
            cart.add(
                &PricedCategory {
                    category_id: category.id,
                    code: category.code.clone(),
                    unit_price,
                    vat_rate: VatBasisPoints(category.vat_basis_points),
                },
                1,
            );
            match line_seats
                .iter_mut()
                .find(|(id, price, _)| *id == category.id && *price == unit_price)
            {
                Some((_, _, seats)) => seats.extend(seat),
                None => line_seats.push((category.id, unit_price, seat.into_iter().collect())),
            }
        }
    }
    let in_ticket_order: Vec<usize> = line_seats
        .into_iter()
        .flat_map(|(_, _, seats)| seats)
        .collect();
    Ok((cart, seating.map(|view| (view, in_ticket_order))))
}

fn catalog_entry(
    performance: PerformanceRow,
    categories: Vec<crate::ledger::CategoryRow>,
    seated: bool,
    lang: Lang,
) -> CatalogPerformance {
    let event_names = [
        performance.event.name_fi.clone(),
        performance.event.name_sv.clone(),
        performance.event.name_en.clone(),
    ];
    CatalogPerformance {
        id: performance.id,
        event: lang.pick(&event_names).to_string(),
        event_names,
        venue: performance.event.venue,
        starts_at: performance.starts_at,
        capacity: performance.capacity,
        remaining: performance.remaining,
        seated,
        categories: categories
            .into_iter()
            .map(|c| CatalogCategory {
                id: c.id,
                code: c.code,
                names: [c.name_fi, c.name_sv, c.name_en],
                price_cents: c.price_cents,
                vat_basis_points: c.vat_basis_points,
            })
            .collect(),
    }
}

/// Checks against the ledger, not the session's copy, that the user is still active and that
/// their role allows `permission`. Every service that changes something calls this first.
pub(super) fn require(
    tx: &Tx<'_>,
    session: &Session,
    permission: Permission,
    action: &'static str,
) -> Result<UserRow, AppError> {
    let user = tx
        .user_by_id(session.user_id)?
        .filter(|user| user.active)
        .ok_or(AppError::UnknownUser)?;
    let allowed = Role::from_code(&user.role).is_some_and(|role| role.may(permission));
    if !allowed {
        tracing::warn!(user = %user.name, action, "refused: not permitted for the role");
        return Err(AppError::Forbidden { action });
    }
    Ok(user)
}

/// Who does it and who approves it: the same user when their role allows `permission`; else
/// the manager whose PIN was given in place (`authoriser`), who must hold it. Both go into the
/// journal entry.
pub(super) fn require_approved(
    tx: &Tx<'_>,
    session: &Session,
    authoriser: Option<&Session>,
    permission: Permission,
    action: &'static str,
) -> Result<(UserRow, UserRow), AppError> {
    match authoriser {
        Some(manager) => Ok((
            require(tx, session, Permission::Sell, action)?,
            require(tx, manager, permission, action)?,
        )),
        None => {
            let user = require(tx, session, permission, action)?;
            Ok((user.clone(), user))
        }
    }
}

/// A plausible e-mail address: something@domain.tld, no spaces.
/// The price category with this code (any case), or the codes there are.
pub(super) fn find_category<'a>(
    categories: &'a [crate::ledger::CategoryRow],
    code: &str,
) -> Result<&'a crate::ledger::CategoryRow, AppError> {
    categories
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
        .ok_or_else(|| AppError::UnknownCategory {
            code: code.to_string(),
            available: categories.iter().map(|c| c.code.clone()).collect(),
        })
}

pub fn valid_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.chars().any(|c| c.is_whitespace() || c.is_control())
                && !domain.contains('@')
        }
        None => false,
    }
}

/// Argon2id with the crate's default (OWASP) parameters, as a PHC string.
pub(super) fn hash_pin(pin: &str) -> String {
    let salt = SaltString::encode_b64(&random_bytes::<16>()).expect("16 bytes is a valid salt");
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .expect("argon2 with default parameters cannot fail")
        .to_string()
}

pub(super) fn verify_pin(phc: &str, pin: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(pin.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

pub(super) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system has no random source");
    bytes
}
