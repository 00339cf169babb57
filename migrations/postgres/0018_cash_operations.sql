-- Box office ledger, version 18, PostgreSQL twin of migrations/0018_cash_operations.sql:
-- operation ids for cash in and cash out (issue 15). The kind list grows by 'cash.in' and
-- 'cash.out'; the row names the cash movement it recorded.
ALTER TABLE operations DROP CONSTRAINT operations_kind_check;
ALTER TABLE operations ADD CONSTRAINT operations_kind_check
    CHECK (kind IN ('sale', 'refund', 'shift.open', 'shift.close', 'cash.in', 'cash.out'));
ALTER TABLE operations ADD COLUMN movement_id bigint REFERENCES cash_movements(id);
