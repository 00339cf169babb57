-- Box office ledger, version 22: each shift's running sums, kept by the database (issue 16).
--
-- A shift's Z figures were summed from its rows on every X report and close: 19 ms for the
-- busiest shift of the 1,000,000-ticket ledger, against a target of 10 ms. `shift_sums` holds
-- what those sums add up, one row per shift, added to by a trigger on every real (not training)
-- receipt in the receipt's own transaction: a sale receipt adds its order's lines and approved
-- payments (the sale writes them before its receipt, and nothing adds to them afterwards), a
-- refund receipt only counts itself. The rows stay the only record: `verify` sums them again and
-- holds this table to them, and the slow path (`shift_totals_order_by_order`) still reads them.
CREATE TABLE shift_sums (
    shift_id              INTEGER PRIMARY KEY REFERENCES shifts(id),
    receipts              INTEGER NOT NULL,   -- real receipts, sales and refunds
    first_receipt         INTEGER NOT NULL,
    last_receipt          INTEGER NOT NULL,
    orders                INTEGER NOT NULL,   -- real sale receipts
    tickets               INTEGER NOT NULL,   -- the quantities of their lines
    gross_cents           INTEGER NOT NULL,
    net_cents             INTEGER NOT NULL,
    vat_cents             INTEGER NOT NULL,
    min_vat_basis_points  INTEGER,            -- NULL while no line is summed
    max_vat_basis_points  INTEGER,
    cash_cents            INTEGER,            -- NULL while no approved payment of the tender
    card_cents            INTEGER,
    bank_cents            INTEGER
);

CREATE TRIGGER receipts_add_to_shift_sums AFTER INSERT ON receipts WHEN NEW.training = 0
BEGIN
    INSERT INTO shift_sums (shift_id, receipts, first_receipt, last_receipt, orders, tickets,
                            gross_cents, net_cents, vat_cents, min_vat_basis_points,
                            max_vat_basis_points, cash_cents, card_cents, bank_cents)
    SELECT NEW.shift_id, 1, NEW.number, NEW.number, NEW.kind = 'sale', coalesce(l.tickets, 0),
           coalesce(l.gross, 0), coalesce(l.net, 0), coalesce(l.vat, 0), l.low, l.high,
           p.cash, p.card, p.bank
    FROM (SELECT sum(quantity) AS tickets, sum(gross_cents) AS gross, sum(net_cents) AS net,
                 sum(vat_cents) AS vat, min(vat_basis_points) AS low, max(vat_basis_points) AS high
          FROM order_lines WHERE order_id = NEW.order_id AND NEW.kind = 'sale') AS l,
         (SELECT sum(CASE tender WHEN 'cash' THEN amount_cents END) AS cash,
                 sum(CASE tender WHEN 'card' THEN amount_cents END) AS card,
                 sum(CASE tender WHEN 'bank' THEN amount_cents END) AS bank
          FROM payments WHERE order_id = NEW.order_id AND state = 'approved' AND NEW.kind = 'sale') AS p
    WHERE true
    ON CONFLICT (shift_id) DO UPDATE SET
        receipts = receipts + 1,
        first_receipt = min(first_receipt, excluded.first_receipt),
        last_receipt = max(last_receipt, excluded.last_receipt),
        orders = orders + excluded.orders,
        tickets = tickets + excluded.tickets,
        gross_cents = gross_cents + excluded.gross_cents,
        net_cents = net_cents + excluded.net_cents,
        vat_cents = vat_cents + excluded.vat_cents,
        min_vat_basis_points = coalesce(min(min_vat_basis_points, excluded.min_vat_basis_points),
                                        min_vat_basis_points, excluded.min_vat_basis_points),
        max_vat_basis_points = coalesce(max(max_vat_basis_points, excluded.max_vat_basis_points),
                                        max_vat_basis_points, excluded.max_vat_basis_points),
        cash_cents = CASE WHEN excluded.cash_cents IS NULL THEN cash_cents
                          ELSE coalesce(cash_cents, 0) + excluded.cash_cents END,
        card_cents = CASE WHEN excluded.card_cents IS NULL THEN card_cents
                          ELSE coalesce(card_cents, 0) + excluded.card_cents END,
        bank_cents = CASE WHEN excluded.bank_cents IS NULL THEN bank_cents
                          ELSE coalesce(bank_cents, 0) + excluded.bank_cents END;
END;

-- The sums of the shifts written before.
INSERT INTO shift_sums (shift_id, receipts, first_receipt, last_receipt, orders, tickets,
                        gross_cents, net_cents, vat_cents, min_vat_basis_points,
                        max_vat_basis_points, cash_cents, card_cents, bank_cents)
SELECT r.shift_id, r.receipts, r.first_receipt, r.last_receipt, r.orders, coalesce(l.tickets, 0),
       coalesce(l.gross, 0), coalesce(l.net, 0), coalesce(l.vat, 0), l.low, l.high,
       p.cash, p.card, p.bank
FROM (SELECT shift_id, count(*) AS receipts, min(number) AS first_receipt,
             max(number) AS last_receipt, sum(kind = 'sale') AS orders
      FROM receipts WHERE training = 0 GROUP BY shift_id) AS r
LEFT JOIN (SELECT r.shift_id, sum(l.quantity) AS tickets, sum(l.gross_cents) AS gross,
                  sum(l.net_cents) AS net, sum(l.vat_cents) AS vat,
                  min(l.vat_basis_points) AS low, max(l.vat_basis_points) AS high
           FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
           WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id) AS l
       ON l.shift_id = r.shift_id
LEFT JOIN (SELECT r.shift_id, sum(CASE p.tender WHEN 'cash' THEN p.amount_cents END) AS cash,
                  sum(CASE p.tender WHEN 'card' THEN p.amount_cents END) AS card,
                  sum(CASE p.tender WHEN 'bank' THEN p.amount_cents END) AS bank
           FROM receipts r JOIN payments p ON p.order_id = r.order_id AND p.state = 'approved'
           WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id) AS p
       ON p.shift_id = r.shift_id;
