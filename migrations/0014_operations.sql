-- Box office ledger, version 14: operation ids (issue 15).
--
-- Every business operation (a sale, a refund, opening or closing a shift) carries an id made on
-- the counter before its first attempt: a UUID, unique in the whole ledger. When the connection to
-- a shared ledger drops during a commit, the counter asks by this id whether the operation was
-- recorded before it tries again (a sale is recorded once or not at all), and a retry after a
-- serialization failure keeps the same id. It is also the seam for selling offline later.
CREATE TABLE operations (
    id           TEXT PRIMARY KEY CHECK (length(id) = 36),
    register_id  TEXT NOT NULL REFERENCES register(id),
    kind         TEXT NOT NULL CHECK (kind IN ('sale', 'refund', 'shift.open', 'shift.close')),
    order_id     INTEGER REFERENCES orders(id),
    refund_id    INTEGER REFERENCES refunds(id),
    shift_id     INTEGER REFERENCES shifts(id),
    created_at   TEXT NOT NULL
) WITHOUT ROWID; -- one B-tree, keyed by the id: one more page per sale, not two
CREATE TRIGGER operations_no_update BEFORE UPDATE ON operations
BEGIN SELECT RAISE(ABORT, 'operations is append-only'); END;
CREATE TRIGGER operations_no_delete BEFORE DELETE ON operations
BEGIN SELECT RAISE(ABORT, 'operations is append-only'); END;
