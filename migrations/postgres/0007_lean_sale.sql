-- Box office ledger, version 7, PostgreSQL twin of migrations/0007_lean_sale.sql: the same
-- indexes go and receipts_by_shift covers the shift's receipts (fewer pages per sale).
DROP INDEX journal_by_order;
DROP INDEX tickets_by_performance;
DROP INDEX orders_by_shift;
DROP INDEX receipts_by_shift;
CREATE INDEX receipts_by_shift ON receipts (shift_id, training, kind, order_id, number);
