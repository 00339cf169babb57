-- Box office ledger, version 8: rules the database enforces so that no program (ours or another)
-- can quietly undo or rewrite money history (issue 14).

-- A card attempt belongs to the process that made it while that process lives: a lease taken in
-- the attempt's transaction and renewed by a heartbeat. Start-up resolution (status query,
-- reversal of an approval in no order) touches only attempts whose lease ran out or that it
-- holds itself. Times are milliseconds since the Unix epoch. Not history: a row is dropped when
-- its attempt reaches an outcome nobody needs to resolve.
CREATE TABLE card_leases (
    service_id    TEXT PRIMARY KEY REFERENCES card_attempts(service_id),
    owner         TEXT NOT NULL,           -- pid and a random token of the process
    heartbeat_ms  INTEGER NOT NULL,
    expires_ms    INTEGER NOT NULL CHECK (expires_ms >= heartbeat_ms)
);
CREATE INDEX card_leases_by_owner ON card_leases (owner);

-- Outcomes move forward only: `settled` and `reversed` are final, so no code path can undo a
-- settlement or bring back a reversed payment; `settled` and `reversed` follow an `approved`.
CREATE TRIGGER card_outcomes_forward_only BEFORE INSERT ON card_outcomes
WHEN (SELECT state FROM card_outcomes WHERE service_id = NEW.service_id ORDER BY id DESC LIMIT 1)
     IN ('settled', 'reversed')
BEGIN SELECT RAISE(ABORT, 'card outcome after a final one (settled or reversed)'); END;
CREATE TRIGGER card_outcomes_final_after_approved BEFORE INSERT ON card_outcomes
WHEN NEW.state IN ('settled', 'reversed')
 AND coalesce((SELECT state FROM card_outcomes WHERE service_id = NEW.service_id ORDER BY id DESC LIMIT 1), '') <> 'approved'
BEGIN SELECT RAISE(ABORT, 'a card payment is settled or reversed only after its approval'); END;

-- Amounts that cannot overflow (issue 14 §4): every amount column holds at most
-- ±100 000 000,00 € (Money::LEDGER_MAX), whatever program writes the row, so a sum over a
-- column needs 9.2 × 10⁸ rows at the bound before it could leave i64. What a person types is
-- bounded lower, at 1 000 000,00 € (Money::MAX).
CREATE TRIGGER shifts_amounts_bounded_insert BEFORE INSERT ON shifts
WHEN NEW.float_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER shifts_amounts_bounded_update BEFORE UPDATE ON shifts
WHEN NEW.float_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER cash_movements_amounts_bounded_insert BEFORE INSERT ON cash_movements
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER cash_movements_amounts_bounded_update BEFORE UPDATE ON cash_movements
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER orders_amounts_bounded_insert BEFORE INSERT ON orders
WHEN NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER orders_amounts_bounded_update BEFORE UPDATE ON orders
WHEN NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER order_lines_amounts_bounded_insert BEFORE INSERT ON order_lines
WHEN NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.gross_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.net_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER order_lines_amounts_bounded_update BEFORE UPDATE ON order_lines
WHEN NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.gross_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.net_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER tickets_amounts_bounded_insert BEFORE INSERT ON tickets
WHEN NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER tickets_amounts_bounded_update BEFORE UPDATE ON tickets
WHEN NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER payments_amounts_bounded_insert BEFORE INSERT ON payments
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.tendered_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.change_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER payments_amounts_bounded_update BEFORE UPDATE ON payments
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.tendered_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.change_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER refunds_amounts_bounded_insert BEFORE INSERT ON refunds
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER refunds_amounts_bounded_update BEFORE UPDATE ON refunds
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER refund_lines_amounts_bounded_insert BEFORE INSERT ON refund_lines
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER refund_lines_amounts_bounded_update BEFORE UPDATE ON refund_lines
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
   OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER price_categories_amounts_bounded_insert BEFORE INSERT ON price_categories
WHEN NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER price_categories_amounts_bounded_update BEFORE UPDATE ON price_categories
WHEN NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER zone_prices_amounts_bounded_insert BEFORE INSERT ON zone_prices
WHEN NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER zone_prices_amounts_bounded_update BEFORE UPDATE ON zone_prices
WHEN NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER card_attempts_amounts_bounded_insert BEFORE INSERT ON card_attempts
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER card_attempts_amounts_bounded_update BEFORE UPDATE ON card_attempts
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER card_outcomes_amounts_bounded_insert BEFORE INSERT ON card_outcomes
WHEN NEW.authorized_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER card_outcomes_amounts_bounded_update BEFORE UPDATE ON card_outcomes
WHEN NEW.authorized_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER reservations_amounts_bounded_insert BEFORE INSERT ON reservations
WHEN NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER reservations_amounts_bounded_update BEFORE UPDATE ON reservations
WHEN NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER reservation_lines_amounts_bounded_insert BEFORE INSERT ON reservation_lines
WHEN NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER reservation_lines_amounts_bounded_update BEFORE UPDATE ON reservation_lines
WHEN NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER reservation_payments_amounts_bounded_insert BEFORE INSERT ON reservation_payments
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;
CREATE TRIGGER reservation_payments_amounts_bounded_update BEFORE UPDATE ON reservation_payments
WHEN NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
BEGIN SELECT RAISE(ABORT, 'an amount is beyond the ledger''s bound of 100 000 000,00 €'); END;

-- Changes that would pass unnoticed are refused (issue 14 §2); only the transitions the
-- program makes are allowed.

-- A ticket's state: valid -> revoked (a refund, a revocation) and nothing else. A training
-- ticket stays training; a revoked ticket stays revoked. (A reissue is a ticket_reissues row.)
CREATE TRIGGER tickets_state_forward_only BEFORE UPDATE OF state ON tickets
WHEN NEW.state IS NOT OLD.state AND NOT (OLD.state = 'valid' AND NEW.state = 'revoked')
BEGIN SELECT RAISE(ABORT, 'a ticket only goes from valid to revoked'); END;

-- Which seat a sold ticket has: the sold row is written with the sale or an exchange and goes
-- only when its ticket is revoked; no row is ever changed in place.
CREATE TRIGGER seat_occupancy_sold_no_update BEFORE UPDATE ON seat_occupancy
WHEN OLD.kind = 'sold' OR NEW.kind = 'sold'
BEGIN SELECT RAISE(ABORT, 'seat occupancy is never changed in place'); END;
CREATE TRIGGER seat_occupancy_sold_stays BEFORE DELETE ON seat_occupancy
WHEN OLD.kind = 'sold'
 AND (SELECT state FROM tickets WHERE id = OLD.ticket_id) = 'valid'
 AND NOT EXISTS (SELECT 1 FROM ticket_seats ts WHERE ts.ticket_id = OLD.ticket_id
                 AND ts.id = (SELECT max(id) FROM ticket_seats WHERE ticket_id = OLD.ticket_id)
                 AND ts.seat_id <> OLD.seat_id)
BEGIN SELECT RAISE(ABORT, 'a sold seat is released only by revoking its ticket or an exchange'); END;

-- Capacity: set by the seat plan (one place per seat), never otherwise.
CREATE TRIGGER performances_capacity_from_plan BEFORE UPDATE OF capacity ON performances
WHEN NEW.capacity IS NOT OLD.capacity
 AND NEW.capacity IS NOT (SELECT count(*) FROM seats s JOIN performance_plans p ON p.plan_id = s.plan_id
                          WHERE p.performance_id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'the capacity of a performance changes only with its seat plan'); END;

-- Prices: a category's price and its zone prices are fixed once written (a new price is a
-- new category), and never deleted.
CREATE TRIGGER price_categories_price_fixed BEFORE UPDATE ON price_categories
WHEN NEW.price_cents IS NOT OLD.price_cents OR NEW.event_id IS NOT OLD.event_id
  OR NEW.vat_class IS NOT OLD.vat_class
BEGIN SELECT RAISE(ABORT, 'a price is fixed once written'); END;
CREATE TRIGGER price_categories_no_delete BEFORE DELETE ON price_categories
BEGIN SELECT RAISE(ABORT, 'price categories are never deleted'); END;
CREATE TRIGGER zone_prices_no_update BEFORE UPDATE ON zone_prices
BEGIN SELECT RAISE(ABORT, 'a price is fixed once written'); END;
CREATE TRIGGER zone_prices_no_delete BEFORE DELETE ON zone_prices
BEGIN SELECT RAISE(ABORT, 'a price is fixed once written'); END;

-- A user's role is set when the user is added (journaled) and never changed in place.
CREATE TRIGGER users_role_fixed BEFORE UPDATE OF role ON users
WHEN NEW.role IS NOT OLD.role
BEGIN SELECT RAISE(ABORT, 'a user''s role is fixed when the user is added'); END;
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'users are never deleted (disable them)'); END;

