-- Box office ledger, version 1.
-- Money is integer cents, VAT rates basis points, times RFC 3339 text.
-- Money history is append-only: triggers refuse UPDATE and DELETE.

CREATE TABLE register (
    id          TEXT PRIMARY KEY,          -- fixed id of this counter, printed on receipts
    name        TEXT NOT NULL,
    demo        INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    -- training mode: sales are marked, numbered apart, and never in the real totals or the Z
    training    INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1)),
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL CHECK (role IN ('cashier', 'staff', 'manager', 'admin')),
    pin_hash        TEXT NOT NULL,         -- argon2id PHC string, never the PIN
    lang            TEXT NOT NULL DEFAULT 'fi' CHECK (lang IN ('fi', 'sv', 'en')),
    active          INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_pins     INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT
);

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    name_fi     TEXT NOT NULL,
    name_sv     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    venue       TEXT NOT NULL,
    organiser   TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id)
);

-- Date-effective VAT rates: the rate of a class on a date is the row with the
-- latest valid_from on or before that date.
CREATE TABLE vat_rates (
    class        TEXT NOT NULL,            -- 'general', 'culture', ...
    valid_from   TEXT NOT NULL,            -- YYYY-MM-DD
    basis_points INTEGER NOT NULL CHECK (basis_points >= 0),
    PRIMARY KEY (class, valid_from)
);

CREATE TABLE performances (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    starts_at   TEXT NOT NULL,
    capacity    INTEGER NOT NULL CHECK (capacity >= 0),
    -- valid tickets, kept by the triggers on tickets; the CHECK makes overselling impossible
    sold        INTEGER NOT NULL DEFAULT 0 CHECK (sold >= 0 AND sold <= capacity)
);

CREATE TABLE price_categories (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL REFERENCES events(id),
    code        TEXT NOT NULL,
    name_fi     TEXT NOT NULL,
    name_sv     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    vat_class   TEXT NOT NULL,
    sort_order  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (event_id, code)
);

-- A shift: opened with a float, closed by exactly one Z report. At most one open shift per register.
CREATE TABLE shifts (
    id           INTEGER PRIMARY KEY,
    register_id  TEXT NOT NULL REFERENCES register(id),
    opened_by    INTEGER NOT NULL REFERENCES users(id),
    opened_at    TEXT NOT NULL,
    float_cents  INTEGER NOT NULL CHECK (float_cents >= 0)
);

-- Cash put in or taken out of the drawer, and the drawer opened without a sale.
CREATE TABLE cash_movements (
    id            INTEGER PRIMARY KEY,
    shift_id      INTEGER NOT NULL REFERENCES shifts(id),
    kind          TEXT NOT NULL CHECK (kind IN ('cash_in', 'cash_out', 'drawer_open')),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
    reason        TEXT NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users(id),
    at            TEXT NOT NULL
);

-- Z reports: numbered gaplessly per register, one per shift, the whole report as canonical JSON.
CREATE TABLE z_reports (
    id             INTEGER PRIMARY KEY,
    register_id    TEXT NOT NULL REFERENCES register(id),
    number         INTEGER NOT NULL CHECK (number > 0),
    shift_id       INTEGER NOT NULL UNIQUE REFERENCES shifts(id),
    closed_by      INTEGER NOT NULL REFERENCES users(id),
    closed_at      TEXT NOT NULL,
    first_receipt  INTEGER,
    last_receipt   INTEGER,
    content        TEXT NOT NULL,
    UNIQUE (register_id, number)
);

CREATE TRIGGER shifts_one_open BEFORE INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM shifts s WHERE s.register_id = NEW.register_id
             AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.shift_id = s.id))
BEGIN SELECT RAISE(ABORT, 'a shift is already open on this register'); END;

CREATE TABLE orders (
    id            INTEGER PRIMARY KEY,     -- the order number
    register_id   TEXT NOT NULL REFERENCES register(id),
    shift_id      INTEGER NOT NULL REFERENCES shifts(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    total_cents   INTEGER NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'fi',
    customer_name   TEXT COLLATE NOCASE,
    customer_email  TEXT COLLATE NOCASE,
    training        INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1))
);
-- Partial: a counter sale without a name or e-mail touches neither index.
CREATE INDEX orders_by_name ON orders (customer_name COLLATE NOCASE) WHERE customer_name IS NOT NULL;
CREATE INDEX orders_by_email ON orders (customer_email COLLATE NOCASE) WHERE customer_email IS NOT NULL;
CREATE INDEX orders_by_shift ON orders (shift_id);

CREATE TABLE order_lines (
    id                INTEGER PRIMARY KEY,
    order_id          INTEGER NOT NULL REFERENCES orders(id),
    line_no           INTEGER NOT NULL,
    performance_id    INTEGER NOT NULL REFERENCES performances(id),
    category_id       INTEGER NOT NULL REFERENCES price_categories(id),
    quantity          INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents  INTEGER NOT NULL,
    vat_basis_points  INTEGER NOT NULL,
    gross_cents       INTEGER NOT NULL,
    vat_cents         INTEGER NOT NULL,
    net_cents         INTEGER NOT NULL,
    UNIQUE (order_id, line_no)
);

CREATE TABLE tickets (
    id              INTEGER PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    order_id        INTEGER NOT NULL REFERENCES orders(id),
    line_id         INTEGER NOT NULL REFERENCES order_lines(id),
    performance_id  INTEGER NOT NULL REFERENCES performances(id),
    price_cents     INTEGER NOT NULL,
    -- training tickets never validate and take no capacity
    state           TEXT NOT NULL DEFAULT 'valid' CHECK (state IN ('valid', 'revoked', 'training'))
);
CREATE INDEX tickets_by_performance ON tickets (performance_id, state);
CREATE INDEX tickets_by_order ON tickets (order_id);

-- A payment attempt. Card and bank attempts are written 'pending' before any
-- device or bank is asked; cash is approved when the sale commits.
CREATE TABLE payments (
    id              INTEGER PRIMARY KEY,
    attempt_id      TEXT NOT NULL UNIQUE,
    order_id        INTEGER REFERENCES orders(id),
    tender          TEXT NOT NULL CHECK (tender IN ('cash', 'card', 'bank')),
    amount_cents    INTEGER NOT NULL,
    tendered_cents  INTEGER,
    change_cents    INTEGER,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined', 'unknown', 'reversed')),
    card_last4      TEXT,                   -- the last four digits of a card, never more
    created_at      TEXT NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_id);
CREATE INDEX payments_by_last4 ON payments (card_last4) WHERE card_last4 IS NOT NULL;

-- A refund: money back by the original tender, from the current shift's drawer.
CREATE TABLE refunds (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders(id),
    shift_id       INTEGER NOT NULL REFERENCES shifts(id),
    user_id        INTEGER NOT NULL REFERENCES users(id),
    authorised_by  INTEGER NOT NULL REFERENCES users(id),
    reason_code    TEXT NOT NULL CHECK (reason_code IN ('cancelled', 'customer_request', 'duplicate', 'wrong_price', 'other')),
    reason_text    TEXT NOT NULL,
    tender         TEXT NOT NULL CHECK (tender IN ('cash', 'card', 'bank')),
    amount_cents   INTEGER NOT NULL CHECK (amount_cents > 0),
    created_at     TEXT NOT NULL
);
CREATE INDEX refunds_by_order ON refunds (order_id);
CREATE INDEX refunds_by_shift ON refunds (shift_id);

-- What a refund took back from each original line: never more tickets or money than the line had.
CREATE TABLE refund_lines (
    id            INTEGER PRIMARY KEY,
    refund_id     INTEGER NOT NULL REFERENCES refunds(id),
    line_id       INTEGER NOT NULL REFERENCES order_lines(id),
    quantity      INTEGER NOT NULL CHECK (quantity >= 0),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
    vat_cents     INTEGER NOT NULL,
    UNIQUE (refund_id, line_id)
);
CREATE INDEX refund_lines_by_line ON refund_lines (line_id);

-- Each ticket is refunded at most once.
CREATE TABLE refund_tickets (
    refund_id  INTEGER NOT NULL REFERENCES refunds(id),
    ticket_id  INTEGER NOT NULL UNIQUE REFERENCES tickets(id)
);
CREATE INDEX refund_tickets_by_refund ON refund_tickets (refund_id);

CREATE TRIGGER refund_lines_within_line BEFORE INSERT ON refund_lines
WHEN (SELECT coalesce(sum(quantity), 0) FROM refund_lines WHERE line_id = NEW.line_id) + NEW.quantity
       > (SELECT quantity FROM order_lines WHERE id = NEW.line_id)
  OR (SELECT coalesce(sum(amount_cents), 0) FROM refund_lines WHERE line_id = NEW.line_id) + NEW.amount_cents
       > (SELECT gross_cents FROM order_lines WHERE id = NEW.line_id)
BEGIN SELECT RAISE(ABORT, 'refund exceeds what the line was paid'); END;

CREATE TABLE receipts (
    id           INTEGER PRIMARY KEY,
    register_id  TEXT NOT NULL REFERENCES register(id),
    number       INTEGER NOT NULL CHECK (number > 0),
    order_id     INTEGER NOT NULL REFERENCES orders(id),
    shift_id     INTEGER NOT NULL REFERENCES shifts(id),
    refund_id    INTEGER REFERENCES refunds(id),
    kind         TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
    training     INTEGER NOT NULL DEFAULT 0 CHECK (training IN (0, 1)),
    created_at   TEXT NOT NULL,
    UNIQUE (register_id, training, number)
);
CREATE INDEX receipts_by_order ON receipts (order_id);
CREATE INDEX receipts_by_shift ON receipts (shift_id);
CREATE INDEX receipts_by_refund ON receipts (refund_id) WHERE refund_id IS NOT NULL;

-- One entry per business operation, hash-chained:
-- hash = sha256(prev_hash || '\n' || content), hex; the first prev_hash is 64 zeros.
CREATE TABLE journal (
    seq          INTEGER PRIMARY KEY,
    register_id  TEXT NOT NULL,
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL,
    user_id      INTEGER,
    order_id     INTEGER,
    content      TEXT NOT NULL,            -- canonical JSON (sorted keys)
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX journal_by_order ON journal (order_id);

-- Count valid tickets per performance; performances.sold <= capacity does the rest,
-- whichever program writes the row.
CREATE TRIGGER tickets_count_sold AFTER INSERT ON tickets WHEN NEW.state = 'valid'
BEGIN
    UPDATE performances SET sold = sold + 1 WHERE id = NEW.performance_id;
END;
CREATE TRIGGER tickets_count_state AFTER UPDATE OF state ON tickets WHEN NEW.state IS NOT OLD.state
BEGIN
    UPDATE performances SET sold = sold + (NEW.state = 'valid') - (OLD.state = 'valid') WHERE id = NEW.performance_id;
END;

CREATE TRIGGER tickets_no_delete BEFORE DELETE ON tickets
BEGIN SELECT RAISE(ABORT, 'tickets are never deleted'); END;
CREATE TRIGGER tickets_only_state BEFORE UPDATE ON tickets
WHEN NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.order_id IS NOT OLD.order_id
  OR NEW.line_id IS NOT OLD.line_id OR NEW.performance_id IS NOT OLD.performance_id
  OR NEW.price_cents IS NOT OLD.price_cents
BEGIN SELECT RAISE(ABORT, 'only the state of a ticket can change'); END;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

CREATE TRIGGER orders_no_update BEFORE UPDATE ON orders
BEGIN SELECT RAISE(ABORT, 'orders is append-only'); END;
CREATE TRIGGER orders_no_delete BEFORE DELETE ON orders
BEGIN SELECT RAISE(ABORT, 'orders is append-only'); END;

CREATE TRIGGER order_lines_no_update BEFORE UPDATE ON order_lines
BEGIN SELECT RAISE(ABORT, 'order_lines is append-only'); END;
CREATE TRIGGER order_lines_no_delete BEFORE DELETE ON order_lines
BEGIN SELECT RAISE(ABORT, 'order_lines is append-only'); END;

CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;
CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments is append-only'); END;

CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts is append-only'); END;
CREATE TRIGGER receipts_no_delete BEFORE DELETE ON receipts
BEGIN SELECT RAISE(ABORT, 'receipts is append-only'); END;

CREATE TRIGGER shifts_no_update BEFORE UPDATE ON shifts
BEGIN SELECT RAISE(ABORT, 'shifts is append-only'); END;
CREATE TRIGGER shifts_no_delete BEFORE DELETE ON shifts
BEGIN SELECT RAISE(ABORT, 'shifts is append-only'); END;

CREATE TRIGGER cash_movements_no_update BEFORE UPDATE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash_movements is append-only'); END;
CREATE TRIGGER cash_movements_no_delete BEFORE DELETE ON cash_movements
BEGIN SELECT RAISE(ABORT, 'cash_movements is append-only'); END;

CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
BEGIN SELECT RAISE(ABORT, 'z_reports is append-only'); END;
CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
BEGIN SELECT RAISE(ABORT, 'z_reports is append-only'); END;

CREATE TRIGGER refunds_no_update BEFORE UPDATE ON refunds
BEGIN SELECT RAISE(ABORT, 'refunds is append-only'); END;
CREATE TRIGGER refunds_no_delete BEFORE DELETE ON refunds
BEGIN SELECT RAISE(ABORT, 'refunds is append-only'); END;

CREATE TRIGGER refund_lines_no_update BEFORE UPDATE ON refund_lines
BEGIN SELECT RAISE(ABORT, 'refund_lines is append-only'); END;
CREATE TRIGGER refund_lines_no_delete BEFORE DELETE ON refund_lines
BEGIN SELECT RAISE(ABORT, 'refund_lines is append-only'); END;

CREATE TRIGGER refund_tickets_no_update BEFORE UPDATE ON refund_tickets
BEGIN SELECT RAISE(ABORT, 'refund_tickets is append-only'); END;
CREATE TRIGGER refund_tickets_no_delete BEFORE DELETE ON refund_tickets
BEGIN SELECT RAISE(ABORT, 'refund_tickets is append-only'); END;
