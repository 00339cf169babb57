-- Box office ledger, version 3: the printing issue (printers, print log, reprints).

-- The register's ticket printers. Settings, not money: a printer can be changed (`printer add`
-- with an existing name replaces its link and language); every change is journaled.
CREATE TABLE printers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    -- queue:QUEUE | tcp:HOST:PORT | serial:PORT[:BAUD[:PARITY[:FLOW]]] | file:PATH
    transport   TEXT NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('fingerprint', 'zpl')),
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
-- At most one default printer.
CREATE UNIQUE INDEX printers_one_default ON printers (is_default) WHERE is_default = 1;

-- A reissue: the ticket gets a new code, the old code is revoked from then on.
-- The ticket row itself (price, order, seat count) is untouched, so the sale stays as it was sold.
CREATE TABLE ticket_reissues (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    number      INTEGER NOT NULL CHECK (number > 0),   -- 1 for the ticket's first reissue
    old_code    TEXT NOT NULL UNIQUE,                  -- a code is replaced at most once
    new_code    TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    UNIQUE (ticket_id, number)
);
CREATE INDEX ticket_reissues_by_ticket ON ticket_reissues (ticket_id);

CREATE TRIGGER ticket_reissues_chain BEFORE INSERT ON ticket_reissues
WHEN NEW.number != 1 + (SELECT count(*) FROM ticket_reissues WHERE ticket_id = NEW.ticket_id)
  OR NEW.old_code IS NOT coalesce(
        (SELECT new_code FROM ticket_reissues WHERE ticket_id = NEW.ticket_id ORDER BY number DESC LIMIT 1),
        (SELECT code FROM tickets WHERE id = NEW.ticket_id))
  OR EXISTS (SELECT 1 FROM tickets WHERE code = NEW.new_code)
  OR (SELECT state FROM tickets WHERE id = NEW.ticket_id) IS NOT 'valid'
BEGIN SELECT RAISE(ABORT, 'a reissue replaces the current code of a valid ticket with a new code'); END;
CREATE TRIGGER ticket_reissues_no_update BEFORE UPDATE ON ticket_reissues
BEGIN SELECT RAISE(ABORT, 'ticket_reissues is append-only'); END;
CREATE TRIGGER ticket_reissues_no_delete BEFORE DELETE ON ticket_reissues
BEGIN SELECT RAISE(ABORT, 'ticket_reissues is append-only'); END;

-- Every print attempt, one row per ticket (ticket_id NULL for a test ticket), written
-- after the device or the spooler answered (or did not).
CREATE TABLE print_log (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER REFERENCES tickets(id),
    code        TEXT,                                  -- the code on the paper
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'copy', 'reissue', 'test')),
    printer     TEXT NOT NULL,
    transport   TEXT NOT NULL,
    language    TEXT NOT NULL,
    user_id     INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL,
    -- sent: the printer took the bytes; spooled: the system queue took the job; failed: neither
    result      TEXT NOT NULL CHECK (result IN ('sent', 'spooled', 'failed')),
    error       TEXT,
    CHECK ((result = 'failed') = (error IS NOT NULL))
);
CREATE INDEX print_log_by_ticket ON print_log (ticket_id, result);

CREATE TRIGGER print_log_no_update BEFORE UPDATE ON print_log
BEGIN SELECT RAISE(ABORT, 'print_log is append-only'); END;
CREATE TRIGGER print_log_no_delete BEFORE DELETE ON print_log
BEGIN SELECT RAISE(ABORT, 'print_log is append-only'); END;
