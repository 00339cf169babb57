-- Box office ledger, version 22, PostgreSQL twin of migrations/0022_shift_sums.sql: each
-- shift's running sums, added to by a trigger on every real receipt in the receipt's own
-- transaction: a row of its receipts and payments (rate -1) and a row per VAT rate of its lines.
-- Two transactions adding to one shift's rows at once (READ COMMITTED, as the
-- ledger's writes are) queue on the row's lock, and the second adds to what the first committed.
-- The trigger's function runs as the owner: the application role may read the sums but not
-- write them (docs/postgres.md revokes its INSERT), so only a receipt adds to them.
CREATE TABLE shift_sums (
    shift_id          bigint NOT NULL REFERENCES shifts(id),
    vat_basis_points  bigint NOT NULL CHECK (vat_basis_points >= -1),
    receipts          bigint NOT NULL DEFAULT 0,
    first_receipt     bigint,
    last_receipt      bigint,
    orders            bigint NOT NULL DEFAULT 0,
    cash_cents        bigint,
    card_cents        bigint,
    bank_cents        bigint,
    tickets           bigint NOT NULL DEFAULT 0,
    net_cents         bigint NOT NULL DEFAULT 0,
    vat_cents         bigint NOT NULL DEFAULT 0,
    gross_cents       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (shift_id, vat_basis_points)
);

CREATE FUNCTION receipts_add_to_shift_sums() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO shift_sums (shift_id, vat_basis_points, receipts, first_receipt, last_receipt,
                            orders, cash_cents, card_cents, bank_cents)
    SELECT NEW.shift_id, -1, 1, NEW.number, NEW.number,
           CASE WHEN NEW.kind = 'sale' THEN 1 ELSE 0 END, p.cash, p.card, p.bank
    FROM (SELECT sum(CASE tender WHEN 'cash' THEN amount_cents END)::bigint AS cash,
                 sum(CASE tender WHEN 'card' THEN amount_cents END)::bigint AS card,
                 sum(CASE tender WHEN 'bank' THEN amount_cents END)::bigint AS bank
          FROM payments WHERE order_id = NEW.order_id AND state = 'approved' AND NEW.kind = 'sale') AS p
    ON CONFLICT (shift_id, vat_basis_points) DO UPDATE SET
        receipts = shift_sums.receipts + 1,
        first_receipt = least(shift_sums.first_receipt, excluded.first_receipt),
        last_receipt = greatest(shift_sums.last_receipt, excluded.last_receipt),
        orders = shift_sums.orders + excluded.orders,
        cash_cents = CASE WHEN excluded.cash_cents IS NULL THEN shift_sums.cash_cents
                          ELSE coalesce(shift_sums.cash_cents, 0) + excluded.cash_cents END,
        card_cents = CASE WHEN excluded.card_cents IS NULL THEN shift_sums.card_cents
                          ELSE coalesce(shift_sums.card_cents, 0) + excluded.card_cents END,
        bank_cents = CASE WHEN excluded.bank_cents IS NULL THEN shift_sums.bank_cents
                          ELSE coalesce(shift_sums.bank_cents, 0) + excluded.bank_cents END;
    INSERT INTO shift_sums (shift_id, vat_basis_points, tickets, net_cents, vat_cents, gross_cents)
    SELECT NEW.shift_id, vat_basis_points, sum(quantity)::bigint, sum(net_cents)::bigint,
           sum(vat_cents)::bigint, sum(gross_cents)::bigint
    FROM order_lines WHERE order_id = NEW.order_id AND NEW.kind = 'sale'
    GROUP BY vat_basis_points
    ON CONFLICT (shift_id, vat_basis_points) DO UPDATE SET
        tickets = shift_sums.tickets + excluded.tickets,
        net_cents = shift_sums.net_cents + excluded.net_cents,
        vat_cents = shift_sums.vat_cents + excluded.vat_cents,
        gross_cents = shift_sums.gross_cents + excluded.gross_cents;
    RETURN NULL;
END $$;
CREATE TRIGGER receipts_add_to_shift_sums AFTER INSERT ON receipts
FOR EACH ROW WHEN (NEW.training = 0) EXECUTE FUNCTION receipts_add_to_shift_sums();

-- The functions that run as the owner find tables in the ledger's schema only, never in a
-- session's temporary schema (searched first unless named, and a temporary table could stand in
-- for a ledger table there): the schema the migrations run in, then pg_temp last. This includes
-- migration 19's journal_next_seq, whose `SET search_path FROM CURRENT` left pg_temp first.
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION receipts_add_to_shift_sums() SET search_path = %I, pg_temp',
                   current_schema());
    EXECUTE format('ALTER FUNCTION journal_next_seq() SET search_path = %I, pg_temp',
                   current_schema());
END $$;

-- The sums of the shifts written before.
INSERT INTO shift_sums (shift_id, vat_basis_points, receipts, first_receipt, last_receipt, orders,
                        cash_cents, card_cents, bank_cents)
SELECT r.shift_id, -1, r.receipts, r.first_receipt, r.last_receipt, r.orders, p.cash, p.card, p.bank
FROM (SELECT shift_id, count(*) AS receipts, min(number) AS first_receipt,
             max(number) AS last_receipt, count(*) FILTER (WHERE kind = 'sale') AS orders
      FROM receipts WHERE training = 0 GROUP BY shift_id) AS r
LEFT JOIN (SELECT r.shift_id, sum(CASE p.tender WHEN 'cash' THEN p.amount_cents END)::bigint AS cash,
                  sum(CASE p.tender WHEN 'card' THEN p.amount_cents END)::bigint AS card,
                  sum(CASE p.tender WHEN 'bank' THEN p.amount_cents END)::bigint AS bank
           FROM receipts r JOIN payments p ON p.order_id = r.order_id AND p.state = 'approved'
           WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id) AS p
       ON p.shift_id = r.shift_id;
INSERT INTO shift_sums (shift_id, vat_basis_points, tickets, net_cents, vat_cents, gross_cents)
SELECT r.shift_id, l.vat_basis_points, sum(l.quantity)::bigint, sum(l.net_cents)::bigint,
       sum(l.vat_cents)::bigint, sum(l.gross_cents)::bigint
FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
WHERE r.training = 0 AND r.kind = 'sale'
GROUP BY r.shift_id, l.vat_basis_points;
