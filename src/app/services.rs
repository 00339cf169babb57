use crate::app::{AdminError, SaleError};
use crate::domain::JournalKind;
use crate::domain::ids::{OrderNumber, PerformanceId, UserId};
use std::path::{Path, PathBuf};

use chrono::{Duration, Local};

use super::login::hash_pin;
use super::{AppError, Receipt, demo};
use crate::domain::{Money, Permission, PricedCategory, Role, TicketCode, VatBasisPoints};
use crate::i18n::Lang;
use crate::ledger::{Ledger, LedgerError, PerformanceRow, Tx, UserRow};

/// How long after its start a performance is still on sale.
const SALE_GRACE_HOURS: i64 = 2;

/// A logged-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: UserId,
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
    pub price_cents: Money,
    pub vat_basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CatalogPerformance {
    pub id: PerformanceId,
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
            unit_price: self.price_cents,
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
    pub order_number: Option<OrderNumber>,
    pub reason: String,
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
    /// The control unit or signing step every sale's receipt goes through (none by default).
    pub(super) fiscal: super::fiscal::SharedFiscalDevice,
    /// Whether the shared ledger answers, as this counter knows it.
    pub(super) link: super::link::SharedLink,
}

impl Drop for Services {
    fn drop(&mut self) {
        self.anchor_batch();
    }
}

impl Services {
    pub fn open(data_dir: &Path) -> Result<Services, AppError> {
        let mut services = Services {
            ledger: Ledger::open(data_dir)?,
            data_dir: data_dir.to_path_buf(),
            card_links: super::card::Links::from_env(),
            fiscal: super::fiscal::no_device(),
            link: super::link::SharedLink::default(),
        };
        if let Err(error) = services.move_secrets_out() {
            // The values stay where they were (nothing is lost); the next start tries again.
            tracing::error!(%error, "could not move the ledger's secrets to the secret store");
        }
        // The key file is made for a new ledger and for one never anchored with a key (made
        // before anchors were authenticated). A ledger anchored before whose key file is missing
        // (the data directory copied to another machine) does not get a new key: its PINs and
        // anchor would never match one, and the sentences say the key file is missing instead.
        let anchored_before = std::fs::read_to_string(services.ledger.anchor_path())
            .is_ok_and(|text| text.contains("\"mac\""));
        services.set_up_anchor(!services.ledger.is_initialised() || !anchored_before);
        services.anchor_batch();
        Ok(services)
    }

    /// The services of this PC's register on the shared ledger at `url` (issue 15). No secret to
    /// move: the server keeps the history; the register's identity is the data directory's
    /// `shared-register.json` (written by `register join`), and the head of its journal chain is
    /// anchored in the data directory and beside the key file as on a counter's own ledger.
    pub fn open_shared(data_dir: &Path, url: &str) -> Result<Services, AppError> {
        let mut services = Services {
            ledger: Ledger::open_shared(data_dir, url)?,
            data_dir: data_dir.to_path_buf(),
            card_links: super::card::Links::from_env(),
            fiscal: super::fiscal::no_device(),
            link: super::link::SharedLink::default(),
        };
        // The venue's key file keys the register's anchor as it peppers the PINs; it is never
        // made here (a register without the venue's key file could not log anyone in).
        services.set_up_anchor(false);
        services.anchor_batch();
        Ok(services)
    }

    /// The services on this PC's own ledger (`database` none) or, given a PostgreSQL address,
    /// on its register of the shared ledger (see [`Services::open_shared`]).
    pub fn open_on(data_dir: &Path, database: Option<&str>) -> Result<Services, AppError> {
        match database {
            Some(url) => Services::open_shared(data_dir, url),
            None => Services::open(data_dir),
        }
    }

    /// Makes this PC a register of the shared ledger (admins): a new register row named `name`
    /// with its journal entry, and its identity kept in the data directory. A PC that already
    /// is a register of this ledger stays the one it is.
    pub fn join_register(
        &mut self,
        session: &Session,
        url: &str,
        name: &str,
    ) -> Result<crate::ledger::shared::Identity, AppError> {
        use crate::ledger::shared;
        let name = name.trim();
        if name.is_empty() {
            return Err(AppError::Admin(AdminError::Internal(
                "a register needs a name: --name \"Kassa 2\"".into(),
            )));
        }
        if let Some(identity) = shared::identity(&self.data_dir, url)? {
            return Ok(identity);
        }
        let register_id = format!("BO-{}", hex::encode(random_bytes::<4>()));
        let now = Local::now().to_rfc3339();
        self.ledger.transact(|tx| {
            require(tx, session, Permission::ManageUsers, "register join")?;
            tx.create_register(&register_id, name, false, &now)?;
            let content = serde_json::json!({"register_id": register_id, "name": name});
            tx.append_journal(
                JournalKind::RegisterJoin,
                Some(session.user_id),
                None,
                &content,
            )?;
            Ok::<_, AppError>(())
        })?;
        let identity = shared::Identity {
            database: crate::ledger::pg::redact(url),
            register_id,
            name: name.to_string(),
        };
        shared::save_identity(&self.data_dir, &identity)?;
        Ok(identity)
    }

    /// Runs a business operation that carries `operation` (its id, made once on the counter).
    /// A serialization failure or deadlock is tried again with the same id, a bounded number of
    /// times. On the shared ledger a dropped connection leaves the commit unknown: the counter
    /// reconnects and asks the ledger by the id first; an operation the ledger has is not done
    /// again (`recovered` gives its result), one it does not have is tried again.
    pub(super) fn with_operation<T>(
        &mut self,
        operation: &crate::ledger::operations::OperationId,
        mut attempt: impl FnMut(&mut Services) -> Result<T, AppError>,
        recovered: impl FnOnce(
            &mut Services,
            crate::ledger::operations::OperationRow,
        ) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        const RETRIES: usize = 3;
        let mut tries = 0;
        // A connection was lost during an attempt: its commit may still land.
        let mut lost = false;
        loop {
            tries += 1;
            match attempt(self) {
                Err(AppError::Ledger(LedgerError::Conflict)) if tries <= RETRIES => {
                    tracing::warn!(
                        operation = operation.as_str(),
                        "conflict; trying again with the same operation id"
                    );
                }
                Err(AppError::Ledger(error @ LedgerError::Unreachable { .. }))
                    if self.ledger.is_shared() && tries <= RETRIES =>
                {
                    tracing::warn!(
                        operation = operation.as_str(),
                        %error,
                        "connection lost; asking the ledger by the operation id"
                    );
                    if !self.reconnect() {
                        self.mark_unreachable(&error);
                        return Err(AppError::Ledger(error));
                    }
                    if let Some(done) = self.ledger.read(|tx| tx.operation(operation))? {
                        return recovered(self, done);
                    }
                    lost = true;
                }
                // The lost attempt's COMMIT reached the server after the counter asked: the
                // retry then waited on its rows and failed on them (the operation id, a receipt
                // number). Asked again, the operation is there: it was recorded once.
                Err(error) if lost => {
                    if let Ok(Some(done)) = self.ledger.read(|tx| tx.operation(operation)) {
                        tracing::warn!(
                            operation = operation.as_str(),
                            %error,
                            "the lost attempt committed after all; showing what it recorded"
                        );
                        return recovered(self, done);
                    }
                    return Err(error);
                }
                other => {
                    if other.is_ok() {
                        self.mark_reachable();
                    }
                    return other;
                }
            }
        }
    }

    /// A new connection to the shared ledger, trying for a few seconds (a restarting server).
    fn reconnect(&mut self) -> bool {
        for wait_ms in [0_u64, 250, 1000, 2000] {
            std::thread::sleep(std::time::Duration::from_millis(wait_ms));
            if self.ledger.reconnect().is_ok() {
                return true;
            }
        }
        false
    }

    /// Opens the ledger to read only (reports, search, `verify`, `doctor`…): nothing is written,
    /// so these work on a read-only data directory or a full disk, and an empty or foreign file
    /// is left exactly as it is. The key file is never created here.
    pub fn open_read_only(data_dir: &Path) -> Result<Services, AppError> {
        let ledger = Ledger::open_read_only(data_dir)?;
        if !ledger.is_read_only() {
            // A ledger from an older version was upgraded (the one write a read needs): the
            // rest of a read-write open follows (secrets moved out, anchor).
            drop(ledger);
            return Services::open(data_dir);
        }
        let mut services = Services {
            ledger,
            data_dir: data_dir.to_path_buf(),
            card_links: super::card::Links::from_env(),
            fiscal: super::fiscal::no_device(),
            link: super::link::SharedLink::default(),
        };
        services.set_up_anchor(false);
        Ok(services)
    }

    /// The journal anchor's MAC key (derived from the secret store's key file, outside the data
    /// directory) and the directory of its second copy (beside the key file).
    fn set_up_anchor(&mut self, create_key: bool) {
        let store = self.secret_store();
        let key = match store.derived_key("journal-anchor", create_key) {
            Ok(key) => key,
            Err(error) => {
                tracing::error!(%error, "the journal anchor's key cannot be read");
                None
            }
        };
        let mirror_dir = store.key_path().parent().map(|dir| dir.join("anchors"));
        self.ledger
            .set_anchor_setup(crate::ledger::AnchorSetup { key, mirror_dir });
    }

    /// Anchors the journal head after a batch of operations (every CLI command, every GUI
    /// command, and when the services close). A failure is logged: the operations stand, and
    /// `verify` names an anchor that was left behind.
    pub fn anchor_batch(&mut self) {
        // Fault injection for the crash tests (debug builds only): `BOXOFFICE_FAULT=
        // kill-before-anchor` ends the process the way a kill would, right after a batch
        // committed and before its anchor is written.
        #[cfg(debug_assertions)]
        if std::env::var_os("BOXOFFICE_FAULT").is_some_and(|fault| fault == "kill-before-anchor")
            && self.ledger.anchor_is_behind()
        {
            std::process::abort();
        }
        if let Err(error) = self.ledger.write_anchor() {
            tracing::error!(%error, "could not write the journal anchor");
        }
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
        let store_error = |e: crate::mail::secrets::SecretError| {
            AppError::Admin(AdminError::SecretStoreFailed(e))
        };
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
        let pepper = if demo { self.pin_pepper()? } else { [0; 32] };
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
                tx.append_journal(JournalKind::RegisterInit, None, None, &content)?;
            }
            if demo {
                let content = demo::seed(tx, |pin| hash_pin(&pepper, pin))?;
                tx.append_journal(JournalKind::DemoSeed, None, None, &content)?;
            }
            Ok::<_, AppError>(())
        })?;
        // A new register is anchored from its first entries on.
        self.anchor_batch();
        Ok(InitOutcome::Created { register_id, demo })
    }

    pub fn is_demo(&mut self) -> Result<bool, AppError> {
        Ok(self.ledger.read(|tx| tx.is_demo())?)
    }

    /// Training mode on or off for this register (admins).
    pub fn set_training(&mut self, session: &Session, training: bool) -> Result<(), AppError> {
        self.ledger.transact(|tx| {
            let user = require(tx, session, Permission::Settings, "switch training mode")?;
            tx.set_training(training)?;
            tx.append_journal(
                JournalKind::RegisterTraining,
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
                keys.push(OrderKey::OrderNumber(OrderNumber(number)));
                keys.push(OrderKey::ReceiptNumber(number));
            }
            if query.len() == 4 {
                keys.push(OrderKey::CardLast4(query));
            }
        } else if code.is_none() || query.len() < TicketCode::LEN {
            keys.push(OrderKey::NameOrEmailPrefix(query));
        }
        Ok(self.ledger.read(|tx| {
            let mut ids: Vec<OrderNumber> = Vec::new();
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

    /// A report over local dates `from`..=`to` (YYYY-MM-DD): `sales`, `refunds` or `z` (the
    /// shifts' Z reports, then the trading days' Z reports).
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
                return Err(AppError::Admin(AdminError::BadDate(date.to_string())));
            }
        }
        self.ledger.read(|tx| {
            require(tx, session, Permission::CloseShift, "see reports")?;
            Ok(match kind {
                "sales" => tx.sales_tables(from, to)?,
                "refunds" => vec![tx.refunds_table(from, to)?],
                "z" => vec![tx.z_table(from, to)?, tx.day_z_table(from, to)?],
                other => {
                    return Err(AppError::Admin(AdminError::UnknownReport(
                        other.to_string(),
                    )));
                }
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
        order_number: OrderNumber,
    ) -> Result<Vec<crate::ledger::RefundRow>, AppError> {
        Ok(self.ledger.read(|tx| tx.refunds_of(order_number))?)
    }

    /// The receipt of an order, in `lang`.
    pub fn receipt(&mut self, order_number: OrderNumber, lang: Lang) -> Result<Receipt, AppError> {
        let (details, currency) = self
            .ledger
            .read(|tx| Ok::<_, AppError>((tx.order_details(order_number)?, tx.currency()?)))?;
        let details = details.ok_or(AppError::Sale(SaleError::UnknownOrder(order_number)))?;
        let mut receipt = Receipt::from_details(&details, lang, currency);
        (receipt.rounding, receipt.seller) = self.ledger.read(|tx| {
            Ok::<_, AppError>((
                Money::from_cents(tx.sale_rounding_cents(order_number)?),
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
                price_cents: Money::from_cents(c.price_cents),
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
        .ok_or(AppError::Admin(AdminError::UnknownUser))?;
    let allowed = user.role.may(permission);
    if !allowed {
        tracing::warn!(user = %user.name, action, "refused: not permitted for the role");
        return Err(AppError::Admin(AdminError::Forbidden { action }));
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
        .ok_or_else(|| {
            AppError::Sale(SaleError::UnknownCategory {
                code: code.to_string(),
                available: categories.iter().map(|c| c.code.clone()).collect(),
            })
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

pub(super) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system has no random source");
    bytes
}
