-- Box office ledger, version 7: fewer pages written per sale (issue 16).
-- A sale used to touch about nineteen B-tree pages; each index on a column that only `verify` or a
-- rare report read cost one page per sale. These go:
--   journal_by_order       nothing looks a journal entry up by order: verify walks the chain in order.
--   tickets_by_performance the sold count is kept by triggers; verify counts the tickets as it walks.
--   orders_by_shift        the orders of a shift are found through their sale receipts (below).
-- receipts_by_shift now also covers the Z figures' receipt columns and the orders of a shift, so one
-- index serves what two did.
DROP INDEX journal_by_order;
DROP INDEX tickets_by_performance;
DROP INDEX orders_by_shift;
DROP INDEX receipts_by_shift;
CREATE INDEX receipts_by_shift ON receipts (shift_id, training, kind, order_id, number);
