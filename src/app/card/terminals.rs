//! Card terminals: adding them (agent or Nets Connect@Cloud), the link to each (opened once,
//! kept), their status and the day-end reconciliation against the ledger.

use super::*;

impl Services {
    /// Adds a terminal: `agent` with `host:port`, or `nets_cloud` with the Nets terminal id.
    pub fn add_terminal(
        &mut self,
        session: &Session,
        name: &str,
        kind: &str,
        address: &str,
    ) -> Result<TerminalRow, AppError> {
        let name = name.trim();
        if name.is_empty() || address.trim().is_empty() {
            return Err(AppError::Admin(AdminError::Internal(
                "a terminal needs a name and an address".into(),
            )));
        }
        if kind == "agent" {
            emv_agent::check_agent_address(address)
                .map_err(|e| AppError::Admin(AdminError::Internal(e)))?;
        }
        let now = now();
        self.ledger_mut().transact(|tx| {
            require(tx, session, Permission::Settings, "add a terminal")?;
            if tx.terminals()?.iter().any(|t| t.name == name) {
                return Err(AppError::Card(CardError::TerminalExists(name.to_string())));
            }
            tx.insert_terminal(name, kind, address.trim(), &now)?;
            Ok(tx
                .terminals()?
                .into_iter()
                .find(|t| t.name == name)
                .expect("just added"))
        })
    }

    /// In a demo ledger, the terminal `demo` is the in-process simulator at `address`: made on
    /// first use, re-pointed when the simulator got another port.
    pub fn ensure_demo_terminal(&mut self, address: &str) -> Result<(), AppError> {
        let now = now();
        self.card_links().open.remove(DEMO_TERMINAL);
        self.ledger_mut().transact(|tx| {
            if !tx.is_demo()? {
                return Ok(());
            }
            match tx
                .terminals()?
                .into_iter()
                .find(|t| t.name == DEMO_TERMINAL)
            {
                None => {
                    tx.insert_terminal(DEMO_TERMINAL, "agent", address, &now)?;
                }
                Some(t) if t.address != address => {
                    tx.set_terminal_address(DEMO_TERMINAL, address)?
                }
                Some(_) => {}
            }
            Ok::<_, AppError>(())
        })
    }

    pub fn terminals(&mut self) -> Result<Vec<TerminalRow>, AppError> {
        Ok(self.ledger_mut().read(|tx| tx.terminals())?)
    }

    /// The terminal by name, or the only one when no name is given.
    pub fn terminal(&mut self, name: Option<&str>) -> Result<TerminalRow, AppError> {
        let terminals = self.terminals()?;
        match name {
            Some(name) => terminals
                .into_iter()
                .find(|t| t.name == name)
                .ok_or_else(|| AppError::Card(CardError::UnknownTerminal(name.to_string()))),
            None if terminals.len() == 1 => Ok(terminals.into_iter().next().expect("one")),
            None => Err(AppError::Card(CardError::NoTerminal(
                terminals.into_iter().map(|t| t.name).collect(),
            ))),
        }
    }

    /// Sets the organisation's Nets Connect@Cloud account (entered once for every location).
    pub fn set_nets_account(
        &mut self,
        session: &Session,
        base_url: &str,
        base_url_alt: Option<&str>,
        username: &str,
        password: &str,
    ) -> Result<(), AppError> {
        let is_url = |url: &str| url.starts_with("https://") || url.starts_with("http://");
        if !is_url(base_url) || !base_url_alt.is_none_or(is_url) || username.trim().is_empty() {
            return Err(AppError::Admin(AdminError::Internal(
                "the Nets account needs an http(s) URL and a user name".into(),
            )));
        }
        self.ledger_mut()
            .read(|tx| require(tx, session, Permission::Settings, "set the Nets account"))?;
        self.card_links().open.clear();
        // The password goes to the secret store first: the ledger row names it, never holds it.
        self.secret_store()
            .put(NETS_PASSWORD_SECRET, &Secret::new(password))
            .map_err(|e| AppError::Admin(AdminError::SecretStoreFailed(e)))?;
        Ok(self.ledger_mut().transact(|tx| {
            tx.set_nets_account(
                base_url.trim(),
                base_url_alt.map(str::trim),
                username.trim(),
                NETS_PASSWORD_SECRET,
            )
        })?)
    }

    /// The open link to a terminal (made on first use).
    pub(super) fn link(
        &mut self,
        terminal: &TerminalRow,
    ) -> Result<&mut Box<dyn Terminal>, AppError> {
        if !self.card_links().open.contains_key(&terminal.name) {
            let link: Box<dyn Terminal> = match terminal.kind.as_str() {
                "agent" => {
                    let register_id = self.ledger_mut().register_id()?.to_string();
                    Box::new(AgentLink::new(
                        &terminal.address,
                        &register_id,
                        self.card_links().timeouts,
                    ))
                }
                "nets_cloud" => {
                    let account = self
                        .ledger_mut()
                        .read(|tx| tx.nets_account())?
                        .ok_or(AppError::Card(CardError::NetsAccountMissing))?;
                    let name = account
                        .password_name
                        .as_deref()
                        .unwrap_or(NETS_PASSWORD_SECRET);
                    let password = self
                        .secret_store()
                        .get(name)
                        .map_err(|e| AppError::Admin(AdminError::SecretStoreFailed(e)))?
                        .ok_or(AppError::Card(CardError::NetsAccountMissing))?;
                    let links = self.card_links();
                    let mut nets = crate::payments::nets::NetsCloud::new(
                        &account.base_url,
                        &account.username,
                        password.expose(),
                        &terminal.address,
                        links.timeouts.payment,
                    )
                    .map_err(terminal_error)?;
                    nets.alternative = account.base_url_alt;
                    nets.lookup_wait = links.nets_lookup_wait;
                    Box::new(nets)
                }
                _ => {
                    return Err(AppError::Card(CardError::TerminalUnsupported(
                        terminal.name.clone(),
                    )));
                }
            };
            self.card_links().open.insert(terminal.name.clone(), link);
        }
        Ok(self
            .card_links()
            .open
            .get_mut(&terminal.name)
            .expect("just made"))
    }

    /// Whether the terminal answers, and what blocks it.
    pub fn terminal_status(&mut self, name: &str) -> Result<TerminalStatus, AppError> {
        let terminal = self.terminal(Some(name))?;
        let unresolved = self
            .ledger_mut()
            .read(|tx| tx.unknown_card_attempts(Some(terminal.id)))?
            .into_iter()
            .map(|a| a.service_id)
            .collect();
        let probe = format!("p{}", hex::encode(random_bytes::<4>()));
        let link = match self
            .link(&terminal)
            .and_then(|link| link.status(&probe).map_err(terminal_error))
        {
            Ok(_) => "ok".to_string(),
            Err(error) => error.to_string(),
        };
        Ok(TerminalStatus {
            name: terminal.name,
            kind: terminal.kind,
            address: terminal.address,
            link,
            unresolved,
        })
    }

    /// Day end on a terminal: its batch totals against the ledger's, both recorded.
    pub fn reconcile_terminal(
        &mut self,
        session: &Session,
        name: &str,
    ) -> Result<CardReconciliationRow, AppError> {
        let terminal = self.terminal(Some(name))?;
        self.ledger_mut()
            .read(|tx| require(tx, session, Permission::CloseShift, "reconcile a terminal"))?;
        let blocking: Vec<String> = self
            .resolve_card_attempts(Some(name))?
            .into_iter()
            .filter(|a| a.state != "approved")
            .map(|a| a.service_id)
            .collect();
        if !blocking.is_empty() {
            return Err(AppError::Card(CardError::TerminalBlocked {
                terminal: terminal.name,
                attempts: blocking,
            }));
        }
        let totals = self.link(&terminal)?.reconcile().map_err(terminal_error)?;
        let now = now();
        let user_id = Some(session.user_id);
        let rows = self.ledger_mut().transact(|tx| {
            let batch = tx.card_batch(terminal.id)?;
            tx.insert_card_reconciliation(&NewCardReconciliation {
                terminal_id: terminal.id,
                poi_reconciliation_id: &totals.reconciliation_id,
                last_attempt_id: batch.last_attempt_id,
                terminal_debit: (totals.debit.count, totals.debit.cents),
                terminal_credit: (totals.credit.count, totals.credit.cents),
                ledger_debit: batch.debit,
                ledger_credit: batch.credit,
                user_id,
                now: &now,
            })?;
            tx.card_reconciliations_since(&now)
        })?;
        let row = rows.into_iter().last().ok_or_else(|| {
            AppError::Admin(AdminError::Internal("reconciliation not recorded".into()))
        })?;
        if row.difference_cents != 0 {
            tracing::warn!(terminal = %row.terminal, difference = row.difference_cents, "terminal and ledger totals differ");
        }
        Ok(row)
    }
}
