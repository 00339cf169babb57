-- Box office ledger, version 22: each shift's running sums, kept by the database (issue 16).
--
-- A shift's Z figures were summed from its rows on every X report and close: 19 ms for the
-- busiest shift of the 1,000,000-ticket ledger, against a target of 10 ms. `shift_sums` holds
-- what those sums add up to, added to by a trigger on every real (not training) receipt in the
-- receipt's own transaction: a sale receipt adds its order's approved payments and its lines
-- (the sale writes them before its receipt, and nothing adds to them afterwards), a refund
-- receipt only counts itself. A shift has one row of its receipts and payments (rate -1) and one
-- row per VAT rate of its lines; a WITHOUT ROWID table keeps them side by side, so a sale writes
-- one page more. The rows stay the only record: `verify` sums them again and holds this table,
-- and every closed shift's Z report, to them.
CREATE TABLE shift_sums (
    shift_id          INTEGER NOT NULL REFERENCES shifts(id),
    vat_basis_points  INTEGER NOT NULL CHECK (vat_basis_points >= -1),
    -- The receipts and payments row (rate -1): real receipts, sales and refunds; sale receipts.
    receipts          INTEGER NOT NULL DEFAULT 0,
    first_receipt     INTEGER,
    last_receipt      INTEGER,
    orders            INTEGER NOT NULL DEFAULT 0,
    cash_cents        INTEGER,            -- NULL while no approved payment of the tender
    card_cents        INTEGER,
    bank_cents        INTEGER,
    -- A rate's row: the quantities and amounts of the lines at that rate.
    tickets           INTEGER NOT NULL DEFAULT 0,
    net_cents         INTEGER NOT NULL DEFAULT 0,
    vat_cents         INTEGER NOT NULL DEFAULT 0,
    gross_cents       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (shift_id, vat_basis_points)
) WITHOUT ROWID;

CREATE TRIGGER receipts_add_to_shift_sums AFTER INSERT ON receipts WHEN NEW.training = 0
BEGIN
    INSERT INTO shift_sums (shift_id, vat_basis_points, receipts, first_receipt, last_receipt,
                            orders, cash_cents, card_cents, bank_cents)
    SELECT NEW.shift_id, -1, 1, NEW.number, NEW.number, NEW.kind = 'sale', p.cash, p.card, p.bank
    FROM (SELECT sum(CASE tender WHEN 'cash' THEN amount_cents END) AS cash,
                 sum(CASE tender WHEN 'card' THEN amount_cents END) AS card,
                 sum(CASE tender WHEN 'bank' THEN amount_cents END) AS bank
          FROM payments WHERE order_id = NEW.order_id AND state = 'approved' AND NEW.kind = 'sale') AS p
    WHERE true
    ON CONFLICT (shift_id, vat_basis_points) DO UPDATE SET
        receipts = receipts + 1,
        first_receipt = min(first_receipt, excluded.first_receipt),
        last_receipt = max(last_receipt, excluded.last_receipt),
        orders = orders + excluded.orders,
        cash_cents = CASE WHEN excluded.cash_cents IS NULL THEN cash_cents
                          ELSE coalesce(cash_cents, 0) + excluded.cash_cents END,
        card_cents = CASE WHEN excluded.card_cents IS NULL THEN card_cents
                          ELSE coalesce(card_cents, 0) + excluded.card_cents END,
        bank_cents = CASE WHEN excluded.bank_cents IS NULL THEN bank_cents
                          ELSE coalesce(bank_cents, 0) + excluded.bank_cents END;
    INSERT INTO shift_sums (shift_id, vat_basis_points, tickets, net_cents, vat_cents, gross_cents)
    SELECT NEW.shift_id, vat_basis_points, sum(quantity), sum(net_cents), sum(vat_cents),
           sum(gross_cents)
    FROM order_lines WHERE order_id = NEW.order_id AND NEW.kind = 'sale'
    GROUP BY vat_basis_points
    ON CONFLICT (shift_id, vat_basis_points) DO UPDATE SET
        tickets = tickets + excluded.tickets,
        net_cents = net_cents + excluded.net_cents,
        vat_cents = vat_cents + excluded.vat_cents,
        gross_cents = gross_cents + excluded.gross_cents;
END;

-- The sums of the shifts written before.
INSERT INTO shift_sums (shift_id, vat_basis_points, receipts, first_receipt, last_receipt, orders,
                        cash_cents, card_cents, bank_cents)
SELECT r.shift_id, -1, r.receipts, r.first_receipt, r.last_receipt, r.orders, p.cash, p.card, p.bank
FROM (SELECT shift_id, count(*) AS receipts, min(number) AS first_receipt,
             max(number) AS last_receipt, sum(kind = 'sale') AS orders
      FROM receipts WHERE training = 0 GROUP BY shift_id) AS r
LEFT JOIN (SELECT r.shift_id, sum(CASE p.tender WHEN 'cash' THEN p.amount_cents END) AS cash,
                  sum(CASE p.tender WHEN 'card' THEN p.amount_cents END) AS card,
                  sum(CASE p.tender WHEN 'bank' THEN p.amount_cents END) AS bank
           FROM receipts r JOIN payments p ON p.order_id = r.order_id AND p.state = 'approved'
           WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id) AS p
       ON p.shift_id = r.shift_id;
INSERT INTO shift_sums (shift_id, vat_basis_points, tickets, net_cents, vat_cents, gross_cents)
SELECT r.shift_id, l.vat_basis_points, sum(l.quantity), sum(l.net_cents), sum(l.vat_cents),
       sum(l.gross_cents)
FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
WHERE r.training = 0 AND r.kind = 'sale'
GROUP BY r.shift_id, l.vat_basis_points;
