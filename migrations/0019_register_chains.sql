-- Box office ledger, version 19: a journal chain per register, operation ids for the rest
-- (issue 15).
--
-- Each register's journal entries form their own hash chain: an entry's prev_hash is the hash of
-- the same register's entry before it (the first one's is the genesis hash), so counters on a
-- shared ledger append without waiting for each other. A ledger with one register reads exactly
-- as before. The register's newest entry is found by this index.
CREATE INDEX journal_by_register ON journal (register_id, seq);

-- Operation ids for the operations that lacked one: the drawer opened without a sale (its cash
-- movement in movement_id), a reservation made, paid or released (reservation_id) and seats held
-- or let go (detail: what was held, as canonical JSON). SQLite cannot change a CHECK in place: the
-- table is built again with its rows, and its append-only triggers made again.
CREATE TABLE operations_0019 (
    id              TEXT PRIMARY KEY CHECK (length(id) = 36),
    register_id     TEXT NOT NULL REFERENCES register(id),
    kind            TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'shift.open', 'shift.close', 'cash.in', 'cash.out',
                                                  'drawer.open', 'reservation.create', 'reservation.pay',
                                                  'reservation.release', 'seat.hold', 'seat.release')),
    order_id        INTEGER REFERENCES orders(id),
    refund_id       INTEGER REFERENCES refunds(id),
    shift_id        INTEGER REFERENCES shifts(id),
    created_at      TEXT NOT NULL,
    movement_id     INTEGER REFERENCES cash_movements(id),
    reservation_id  INTEGER REFERENCES reservations(id),
    detail          TEXT
) WITHOUT ROWID;
INSERT INTO operations_0019 (id, register_id, kind, order_id, refund_id, shift_id, created_at, movement_id)
    SELECT id, register_id, kind, order_id, refund_id, shift_id, created_at, movement_id FROM operations;
DROP TABLE operations;
ALTER TABLE operations_0019 RENAME TO operations;
CREATE TRIGGER operations_no_update BEFORE UPDATE ON operations
BEGIN SELECT RAISE(ABORT, 'operations is append-only'); END;
CREATE TRIGGER operations_no_delete BEFORE DELETE ON operations
BEGIN SELECT RAISE(ABORT, 'operations is append-only'); END;
