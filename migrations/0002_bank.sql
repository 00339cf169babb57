-- Box office ledger, version 2: Danske Bank Verkkomaksu settings, reservations paid by reference,
-- and the status of every external integration (the operations screen).

-- One row: the merchant's bank contract. Endpoints may each have an alternative URL.
CREATE TABLE bank_settings (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    merchant           TEXT NOT NULL CHECK (length(merchant) = 12),   -- KNRO
    contract           TEXT NOT NULL,                                 -- gsaftlnr, Business Online contract (6 digits)
    payment_url        TEXT NOT NULL,
    payment_url_alt    TEXT,
    query_url          TEXT NOT NULL,
    query_url_alt      TEXT,
    updated_at         TEXT NOT NULL
);

-- The bank rotates the secret key: the key in force on a date is the one with the latest
-- valid_from on or before it; the one before it is still accepted on replies.
CREATE TABLE bank_keys (
    id          INTEGER PRIMARY KEY,
    valid_from  TEXT NOT NULL UNIQUE,      -- YYYY-MM-DD
    secret      TEXT NOT NULL,
    added_at    TEXT NOT NULL
);

-- A reservation holds tickets until its due date against a reference number. A bank payment at
-- the counter is a reservation of kind 'counter' due today. Append-only: what happened to it is
-- a row in reservation_events.
CREATE TABLE reservations (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,  -- viitenumero, digits only
    kind            TEXT NOT NULL CHECK (kind IN ('reservation', 'counter')),
    register_id     TEXT NOT NULL REFERENCES register(id),
    user_id         INTEGER NOT NULL REFERENCES users(id),
    performance_id  INTEGER NOT NULL REFERENCES performances(id),
    created_at      TEXT NOT NULL,
    due_date        TEXT NOT NULL,         -- YYYY-MM-DD, Europe/Helsinki
    total_cents     INTEGER NOT NULL CHECK (total_cents > 0),
    lang            TEXT NOT NULL DEFAULT 'fi',
    customer_name   TEXT COLLATE NOCASE,
    customer_email  TEXT COLLATE NOCASE,
    customer_phone  TEXT
);

CREATE TABLE reservation_lines (
    id                INTEGER PRIMARY KEY,
    reservation_id    INTEGER NOT NULL REFERENCES reservations(id),
    line_no           INTEGER NOT NULL,
    category_id       INTEGER NOT NULL REFERENCES price_categories(id),
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents  INTEGER NOT NULL,
    vat_basis_points  INTEGER NOT NULL,
    UNIQUE (reservation_id, line_no)
);

-- The end of a reservation, once: paid, released (past due or by hand) or cancelled (the customer
-- left the counter's bank page). The hold is given back first; a payment then sells the tickets.
CREATE TABLE reservation_events (
    id              INTEGER PRIMARY KEY,
    reservation_id  INTEGER NOT NULL UNIQUE REFERENCES reservations(id),
    state           TEXT NOT NULL CHECK (state IN ('paid', 'released', 'cancelled')),
    user_id         INTEGER REFERENCES users(id),
    detail          TEXT NOT NULL DEFAULT '',
    at              TEXT NOT NULL
);

-- The order a paid reservation became, and how the payment was learnt.
CREATE TABLE reservation_payments (
    reservation_id  INTEGER NOT NULL UNIQUE REFERENCES reservations(id),
    order_id        INTEGER NOT NULL UNIQUE REFERENCES orders(id),
    source          TEXT NOT NULL CHECK (source IN ('reply', 'query')),
    pay_type        TEXT,                  -- MTAPA / PayType as the bank said; informative only
    amount_cents    INTEGER NOT NULL,
    at              TEXT NOT NULL
);
CREATE TRIGGER reservation_payments_no_update BEFORE UPDATE ON reservation_payments
BEGIN SELECT RAISE(ABORT, 'reservation_payments is append-only'); END;
CREATE TRIGGER reservation_payments_no_delete BEFORE DELETE ON reservation_payments
BEGIN SELECT RAISE(ABORT, 'reservation_payments is append-only'); END;

-- Held tickets take capacity like sold ones: performances.sold <= capacity covers both.
CREATE TRIGGER reservation_lines_hold AFTER INSERT ON reservation_lines
BEGIN
    UPDATE performances SET sold = sold + NEW.quantity
    WHERE id = (SELECT performance_id FROM reservations WHERE id = NEW.reservation_id);
END;
CREATE TRIGGER reservation_events_release AFTER INSERT ON reservation_events
BEGIN
    UPDATE performances SET sold = sold - (SELECT coalesce(sum(quantity), 0) FROM reservation_lines
                                           WHERE reservation_id = NEW.reservation_id)
    WHERE id = (SELECT performance_id FROM reservations WHERE id = NEW.reservation_id);
END;

CREATE TRIGGER reservations_no_update BEFORE UPDATE ON reservations
BEGIN SELECT RAISE(ABORT, 'reservations is append-only'); END;
CREATE TRIGGER reservations_no_delete BEFORE DELETE ON reservations
BEGIN SELECT RAISE(ABORT, 'reservations is append-only'); END;
CREATE TRIGGER reservation_lines_no_update BEFORE UPDATE ON reservation_lines
BEGIN SELECT RAISE(ABORT, 'reservation_lines is append-only'); END;
CREATE TRIGGER reservation_lines_no_delete BEFORE DELETE ON reservation_lines
BEGIN SELECT RAISE(ABORT, 'reservation_lines is append-only'); END;
CREATE TRIGGER reservation_events_no_update BEFORE UPDATE ON reservation_events
BEGIN SELECT RAISE(ABORT, 'reservation_events is append-only'); END;
CREATE TRIGGER reservation_events_no_delete BEFORE DELETE ON reservation_events
BEGIN SELECT RAISE(ABORT, 'reservation_events is append-only'); END;

-- Refunds of bank payments: one per payment, at most its amount (the money goes back in the bank's
-- own service; the box office records it).
CREATE UNIQUE INDEX refunds_one_per_bank_order ON refunds (order_id) WHERE tender = 'bank';

-- The last thing each integration did, for the operations screen (not money history: replaced).
CREATE TABLE integration_status (
    name        TEXT PRIMARY KEY,          -- 'bank.payment', 'bank.query', 'printer', 'smtp', ...
    ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
    detail      TEXT NOT NULL,             -- which endpoint answered, or the error
    at          TEXT NOT NULL,
    last_error  TEXT,
    last_error_at TEXT
);
