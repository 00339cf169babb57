-- Box office ledger, version 18: operation ids for cash in and cash out (issue 15).
--
-- Money put into or taken out of the drawer carries an operation id like a sale: after a dropped
-- commit on the shared ledger the counter asks by it, and a movement is recorded once. The kind
-- list grows by 'cash.in' and 'cash.out' and the row names the movement it recorded. SQLite
-- cannot change a CHECK in place: the table is built again with its rows (the append-only
-- triggers go with the old table and are made again; DROP TABLE fires no trigger).
CREATE TABLE operations_0018 (
    id           TEXT PRIMARY KEY CHECK (length(id) = 36),
    register_id  TEXT NOT NULL REFERENCES register(id),
    kind         TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'shift.open', 'shift.close', 'cash.in', 'cash.out')),
    order_id     INTEGER REFERENCES orders(id),
    refund_id    INTEGER REFERENCES refunds(id),
    shift_id     INTEGER REFERENCES shifts(id),
    created_at   TEXT NOT NULL,
    movement_id  INTEGER REFERENCES cash_movements(id)
) WITHOUT ROWID;
INSERT INTO operations_0018 (id, register_id, kind, order_id, refund_id, shift_id, created_at)
    SELECT id, register_id, kind, order_id, refund_id, shift_id, created_at FROM operations;
DROP TABLE operations;
ALTER TABLE operations_0018 RENAME TO operations;
CREATE TRIGGER operations_no_update BEFORE UPDATE ON operations
BEGIN SELECT RAISE(ABORT, 'operations is append-only'); END;
CREATE TRIGGER operations_no_delete BEFORE DELETE ON operations
BEGIN SELECT RAISE(ABORT, 'operations is append-only'); END;
