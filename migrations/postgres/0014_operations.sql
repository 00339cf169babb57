-- Box office ledger, version 14, PostgreSQL twin of migrations/0014_operations.sql: operation ids
-- (issue 15). A UUID made on the counter per business operation, unique in the ledger: after a
-- dropped commit the counter asks by it before trying again; retries keep it.
CREATE TABLE operations (
    id           text PRIMARY KEY CHECK (length(id) = 36),
    register_id  text NOT NULL REFERENCES register(id),
    kind         text NOT NULL CHECK (kind IN ('sale', 'refund', 'shift.open', 'shift.close')),
    order_id     bigint REFERENCES orders(id),
    refund_id    bigint REFERENCES refunds(id),
    shift_id     bigint REFERENCES shifts(id),
    created_at   text NOT NULL
);
CREATE TRIGGER operations_no_update BEFORE UPDATE ON operations
FOR EACH ROW EXECUTE FUNCTION boxoffice_refuse('operations is append-only');
CREATE TRIGGER operations_no_delete BEFORE DELETE ON operations
FOR EACH ROW EXECUTE FUNCTION boxoffice_refuse('operations is append-only');
