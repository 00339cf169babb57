-- Box office ledger, version 11: receipts the law accepts (issue 13).

-- The register's currency and seller data. The currency is fixed once anything was sold,
-- so one ledger never mixes currencies; seller data are settings, journaled when changed.
ALTER TABLE register ADD COLUMN currency TEXT NOT NULL DEFAULT 'EUR' CHECK (currency IN ('EUR', 'SEK'));
ALTER TABLE register ADD COLUMN seller_name TEXT NOT NULL DEFAULT '';
ALTER TABLE register ADD COLUMN business_id TEXT NOT NULL DEFAULT '';
ALTER TABLE register ADD COLUMN seller_address TEXT NOT NULL DEFAULT '';
ALTER TABLE register ADD COLUMN vat_number TEXT NOT NULL DEFAULT '';
-- Print the customer's receipt after a sale: always, ask the customer, never.
ALTER TABLE register ADD COLUMN receipt_print TEXT NOT NULL DEFAULT 'ask'
    CHECK (receipt_print IN ('always', 'ask', 'never'));
-- The ESC/POS receipt printer's link (queue:, tcp:, serial:, file: as for ticket printers); '' = none.
ALTER TABLE register ADD COLUMN receipt_printer TEXT NOT NULL DEFAULT '';

CREATE TRIGGER register_currency_fixed BEFORE UPDATE OF currency ON register
WHEN NEW.currency IS NOT OLD.currency
 AND (EXISTS (SELECT 1 FROM orders) OR EXISTS (SELECT 1 FROM shifts))
BEGIN SELECT RAISE(ABORT, 'the currency of a register cannot change once it has shifts or sales'); END;

-- Cash rounding: the difference between what a cash tender paid and the lines' total (Finland:
-- to the nearest 5 cents, Sweden: to the whole krona). One row per sale (or cash refund) that
-- was rounded, written and journaled in the sale's transaction; never more than half a step.
CREATE TABLE cash_roundings (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders(id),
    refund_id     INTEGER REFERENCES refunds(id),
    shift_id      INTEGER NOT NULL REFERENCES shifts(id),
    amount_cents  INTEGER NOT NULL CHECK (amount_cents <> 0 AND amount_cents BETWEEN -50 AND 50),
    created_at    TEXT NOT NULL
);
CREATE UNIQUE INDEX cash_roundings_one_per_sale ON cash_roundings (order_id) WHERE refund_id IS NULL;
CREATE UNIQUE INDEX cash_roundings_one_per_refund ON cash_roundings (refund_id) WHERE refund_id IS NOT NULL;
CREATE INDEX cash_roundings_by_shift ON cash_roundings (shift_id);
CREATE TRIGGER cash_roundings_no_update BEFORE UPDATE ON cash_roundings
BEGIN SELECT RAISE(ABORT, 'cash_roundings is append-only'); END;
CREATE TRIGGER cash_roundings_no_delete BEFORE DELETE ON cash_roundings
BEGIN SELECT RAISE(ABORT, 'cash_roundings is append-only'); END;

-- Printed customer receipts. Any number of originals (a jammed printer is retried), but at most
-- one copy of a receipt (the Swedish rule), enforced here whatever program writes the row.
CREATE TABLE receipt_prints (
    id          INTEGER PRIMARY KEY,
    receipt_id  INTEGER NOT NULL REFERENCES receipts(id),
    kind        TEXT NOT NULL CHECK (kind IN ('original', 'copy')),
    user_id     INTEGER REFERENCES users(id),
    transport   TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX receipt_prints_one_copy ON receipt_prints (receipt_id) WHERE kind = 'copy';
CREATE INDEX receipt_prints_by_receipt ON receipt_prints (receipt_id);
CREATE TRIGGER receipt_prints_no_update BEFORE UPDATE ON receipt_prints
BEGIN SELECT RAISE(ABORT, 'receipt_prints is append-only'); END;
CREATE TRIGGER receipt_prints_no_delete BEFORE DELETE ON receipt_prints
BEGIN SELECT RAISE(ABORT, 'receipt_prints is append-only'); END;
