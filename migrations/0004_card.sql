-- Box office ledger, version 4: card terminals, card attempts and their outcomes, reconciliations.
-- Never a card number: only the masked PAN, brand, approval code, the terminal's transaction id
-- and the receipt texts. Everything here is append-only except the terminal settings.

CREATE TABLE card_terminals (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('agent', 'nets_cloud')),
    address     TEXT NOT NULL,             -- host:port of the agent, or the Nets terminal id
    created_at  TEXT NOT NULL
);

-- The organisation's Nets Connect@Cloud account (one for every location; entered once).
CREATE TABLE nets_account (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    base_url  TEXT NOT NULL,               -- https://connectcloud.aws.nets.eu (test: connectcloud-test…)
    base_url_alt TEXT,                     -- used when the primary cannot be reached
    username  TEXT NOT NULL,
    password  TEXT NOT NULL                -- never logged, never in a support report
);

-- One request to a terminal (purchase, refund), written before the request leaves, together with
-- a 'pending' payments row whose attempt_id is the service_id.
CREATE TABLE card_attempts (
    id              INTEGER PRIMARY KEY,
    service_id      TEXT NOT NULL UNIQUE,  -- the nexo ServiceID: 1-10 characters
    terminal_id     INTEGER NOT NULL REFERENCES card_terminals(id),
    kind            TEXT NOT NULL CHECK (kind IN ('purchase', 'refund')),
    amount_cents    INTEGER NOT NULL CHECK (amount_cents > 0),
    order_id        INTEGER REFERENCES orders(id),   -- refunds: the order refunded
    user_id         INTEGER NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL
);
CREATE INDEX card_attempts_by_terminal ON card_attempts (terminal_id, id);

-- What became of an attempt, appended as it becomes known; the newest row is its state.
--   unknown   no answer (timeout, dropped connection): ask the terminal, keep it blocked
--   approved  the terminal approved (the fields below are filled)
--   declined  not approved (declined, aborted, busy, or never sent)
--   settled   the approved payment is in an order (order_id)
--   reversed  the approved payment was reversed on the terminal
CREATE TABLE card_outcomes (
    id                   INTEGER PRIMARY KEY,
    service_id           TEXT NOT NULL REFERENCES card_attempts(service_id),
    state                TEXT NOT NULL CHECK (state IN ('unknown', 'approved', 'declined', 'settled', 'reversed')),
    authorized_cents     INTEGER,
    brand                TEXT,
    masked_pan           TEXT,
    approval_code        TEXT,
    poi_transaction_id   TEXT,
    poi_timestamp        TEXT,
    cashier_receipt      TEXT,
    customer_receipt     TEXT,
    detail               TEXT NOT NULL DEFAULT '',  -- ErrorCondition, reason, who resolved it
    order_id             INTEGER REFERENCES orders(id),
    user_id              INTEGER REFERENCES users(id),
    at                   TEXT NOT NULL
);
CREATE INDEX card_outcomes_by_attempt ON card_outcomes (service_id, id);
CREATE INDEX card_outcomes_by_order ON card_outcomes (order_id) WHERE order_id IS NOT NULL;

-- Day end on a terminal: its batch totals and the ledger's for the same batch (the attempts after
-- the previous reconciliation up to last_attempt_id).
CREATE TABLE card_reconciliations (
    id                     INTEGER PRIMARY KEY,
    terminal_id            INTEGER NOT NULL REFERENCES card_terminals(id),
    poi_reconciliation_id  TEXT NOT NULL,
    last_attempt_id        INTEGER NOT NULL,
    terminal_debit_count   INTEGER NOT NULL,
    terminal_debit_cents   INTEGER NOT NULL,
    terminal_credit_count  INTEGER NOT NULL,
    terminal_credit_cents  INTEGER NOT NULL,
    ledger_debit_count     INTEGER NOT NULL,
    ledger_debit_cents     INTEGER NOT NULL,
    ledger_credit_count    INTEGER NOT NULL,
    ledger_credit_cents    INTEGER NOT NULL,
    user_id                INTEGER REFERENCES users(id),
    at                     TEXT NOT NULL
);

CREATE TRIGGER card_attempts_no_update BEFORE UPDATE ON card_attempts
BEGIN SELECT RAISE(ABORT, 'card_attempts is append-only'); END;
CREATE TRIGGER card_attempts_no_delete BEFORE DELETE ON card_attempts
BEGIN SELECT RAISE(ABORT, 'card_attempts is append-only'); END;
CREATE TRIGGER card_outcomes_no_update BEFORE UPDATE ON card_outcomes
BEGIN SELECT RAISE(ABORT, 'card_outcomes is append-only'); END;
CREATE TRIGGER card_outcomes_no_delete BEFORE DELETE ON card_outcomes
BEGIN SELECT RAISE(ABORT, 'card_outcomes is append-only'); END;
CREATE TRIGGER card_reconciliations_no_update BEFORE UPDATE ON card_reconciliations
BEGIN SELECT RAISE(ABORT, 'card_reconciliations is append-only'); END;
CREATE TRIGGER card_reconciliations_no_delete BEFORE DELETE ON card_reconciliations
BEGIN SELECT RAISE(ABORT, 'card_reconciliations is append-only'); END;
