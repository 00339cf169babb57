-- Box office ledger, version 22, PostgreSQL twin of migrations/0022_shift_sums.sql: each
-- shift's running sums, added to by a trigger on every real receipt in the receipt's own
-- transaction. Two transactions adding to one shift's row at once (READ COMMITTED, as the
-- ledger's writes are) queue on the row's lock, and the second adds to what the first committed.
-- The trigger's function runs as the owner: the application role may read the sums but not
-- write them (docs/postgres.md revokes its INSERT), so only a receipt adds to them.
CREATE TABLE shift_sums (
    shift_id              bigint PRIMARY KEY REFERENCES shifts(id),
    receipts              bigint NOT NULL,
    first_receipt         bigint NOT NULL,
    last_receipt          bigint NOT NULL,
    orders                bigint NOT NULL,
    tickets               bigint NOT NULL,
    gross_cents           bigint NOT NULL,
    net_cents             bigint NOT NULL,
    vat_cents             bigint NOT NULL,
    min_vat_basis_points  bigint,
    max_vat_basis_points  bigint,
    cash_cents            bigint,
    card_cents            bigint,
    bank_cents            bigint
);

CREATE FUNCTION receipts_add_to_shift_sums() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    INSERT INTO shift_sums (shift_id, receipts, first_receipt, last_receipt, orders, tickets,
                            gross_cents, net_cents, vat_cents, min_vat_basis_points,
                            max_vat_basis_points, cash_cents, card_cents, bank_cents)
    SELECT NEW.shift_id, 1, NEW.number, NEW.number, CASE WHEN NEW.kind = 'sale' THEN 1 ELSE 0 END,
           coalesce(l.tickets, 0), coalesce(l.gross, 0), coalesce(l.net, 0), coalesce(l.vat, 0),
           l.low, l.high, p.cash, p.card, p.bank
    FROM (SELECT sum(quantity)::bigint AS tickets, sum(gross_cents)::bigint AS gross,
                 sum(net_cents)::bigint AS net, sum(vat_cents)::bigint AS vat,
                 min(vat_basis_points) AS low, max(vat_basis_points) AS high
          FROM order_lines WHERE order_id = NEW.order_id AND NEW.kind = 'sale') AS l,
         (SELECT sum(CASE tender WHEN 'cash' THEN amount_cents END)::bigint AS cash,
                 sum(CASE tender WHEN 'card' THEN amount_cents END)::bigint AS card,
                 sum(CASE tender WHEN 'bank' THEN amount_cents END)::bigint AS bank
          FROM payments WHERE order_id = NEW.order_id AND state = 'approved' AND NEW.kind = 'sale') AS p
    ON CONFLICT (shift_id) DO UPDATE SET
        receipts = shift_sums.receipts + 1,
        first_receipt = least(shift_sums.first_receipt, excluded.first_receipt),
        last_receipt = greatest(shift_sums.last_receipt, excluded.last_receipt),
        orders = shift_sums.orders + excluded.orders,
        tickets = shift_sums.tickets + excluded.tickets,
        gross_cents = shift_sums.gross_cents + excluded.gross_cents,
        net_cents = shift_sums.net_cents + excluded.net_cents,
        vat_cents = shift_sums.vat_cents + excluded.vat_cents,
        -- least and greatest leave NULLs out.
        min_vat_basis_points = least(shift_sums.min_vat_basis_points, excluded.min_vat_basis_points),
        max_vat_basis_points = greatest(shift_sums.max_vat_basis_points, excluded.max_vat_basis_points),
        cash_cents = CASE WHEN excluded.cash_cents IS NULL THEN shift_sums.cash_cents
                          ELSE coalesce(shift_sums.cash_cents, 0) + excluded.cash_cents END,
        card_cents = CASE WHEN excluded.card_cents IS NULL THEN shift_sums.card_cents
                          ELSE coalesce(shift_sums.card_cents, 0) + excluded.card_cents END,
        bank_cents = CASE WHEN excluded.bank_cents IS NULL THEN shift_sums.bank_cents
                          ELSE coalesce(shift_sums.bank_cents, 0) + excluded.bank_cents END;
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

INSERT INTO shift_sums (shift_id, receipts, first_receipt, last_receipt, orders, tickets,
                        gross_cents, net_cents, vat_cents, min_vat_basis_points,
                        max_vat_basis_points, cash_cents, card_cents, bank_cents)
SELECT r.shift_id, r.receipts, r.first_receipt, r.last_receipt, r.orders, coalesce(l.tickets, 0),
       coalesce(l.gross, 0), coalesce(l.net, 0), coalesce(l.vat, 0), l.low, l.high,
       p.cash, p.card, p.bank
FROM (SELECT shift_id, count(*) AS receipts, min(number) AS first_receipt,
             max(number) AS last_receipt, count(*) FILTER (WHERE kind = 'sale') AS orders
      FROM receipts WHERE training = 0 GROUP BY shift_id) AS r
LEFT JOIN (SELECT r.shift_id, sum(l.quantity)::bigint AS tickets, sum(l.gross_cents)::bigint AS gross,
                  sum(l.net_cents)::bigint AS net, sum(l.vat_cents)::bigint AS vat,
                  min(l.vat_basis_points) AS low, max(l.vat_basis_points) AS high
           FROM receipts r JOIN order_lines l ON l.order_id = r.order_id
           WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id) AS l
       ON l.shift_id = r.shift_id
LEFT JOIN (SELECT r.shift_id, sum(CASE p.tender WHEN 'cash' THEN p.amount_cents END)::bigint AS cash,
                  sum(CASE p.tender WHEN 'card' THEN p.amount_cents END)::bigint AS card,
                  sum(CASE p.tender WHEN 'bank' THEN p.amount_cents END)::bigint AS bank
           FROM receipts r JOIN payments p ON p.order_id = r.order_id AND p.state = 'approved'
           WHERE r.training = 0 AND r.kind = 'sale' GROUP BY r.shift_id) AS p
       ON p.shift_id = r.shift_id;
