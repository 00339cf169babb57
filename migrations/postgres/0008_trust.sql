-- Box office ledger, version 8, PostgreSQL twin of migrations/0008_trust.sql: rules the
-- database enforces so that no program can quietly undo or rewrite money history.

CREATE TABLE card_leases (
    service_id    text PRIMARY KEY REFERENCES card_attempts(service_id),
    owner         text NOT NULL,
    heartbeat_ms  bigint NOT NULL,
    expires_ms    bigint NOT NULL CHECK (expires_ms >= heartbeat_ms)
);
CREATE INDEX card_leases_by_owner ON card_leases (owner);

-- Outcomes move forward only. The attempt's row is locked first, so two counters appending an
-- outcome to one attempt take turns and the second sees the first's.
CREATE FUNCTION card_outcomes_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM card_attempts WHERE service_id = NEW.service_id FOR UPDATE;
    IF (SELECT state FROM card_outcomes WHERE service_id = NEW.service_id ORDER BY id DESC LIMIT 1)
       IN ('settled', 'reversed') THEN
        RAISE EXCEPTION 'card outcome after a final one (settled or reversed)' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER card_outcomes_forward_only BEFORE INSERT ON card_outcomes
FOR EACH ROW EXECUTE FUNCTION card_outcomes_forward_only();

CREATE FUNCTION card_outcomes_final_after_approved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM card_attempts WHERE service_id = NEW.service_id FOR UPDATE;
    IF coalesce((SELECT state FROM card_outcomes WHERE service_id = NEW.service_id ORDER BY id DESC LIMIT 1), '')
       <> 'approved' THEN
        RAISE EXCEPTION 'a card payment is settled or reversed only after its approval' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER card_outcomes_final_after_approved BEFORE INSERT ON card_outcomes
FOR EACH ROW WHEN (NEW.state IN ('settled', 'reversed'))
EXECUTE FUNCTION card_outcomes_final_after_approved();

-- Amounts that cannot overflow: at most ±100 000 000,00 € (Money::LEDGER_MAX) in every amount column.
CREATE TRIGGER shifts_amounts_bounded_insert BEFORE INSERT ON shifts
FOR EACH ROW WHEN (NEW.float_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER shifts_amounts_bounded_update BEFORE UPDATE ON shifts
FOR EACH ROW WHEN (NEW.float_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER cash_movements_amounts_bounded_insert BEFORE INSERT ON cash_movements
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER cash_movements_amounts_bounded_update BEFORE UPDATE ON cash_movements
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER orders_amounts_bounded_insert BEFORE INSERT ON orders
FOR EACH ROW WHEN (NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER orders_amounts_bounded_update BEFORE UPDATE ON orders
FOR EACH ROW WHEN (NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER order_lines_amounts_bounded_insert BEFORE INSERT ON order_lines
FOR EACH ROW WHEN (NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.gross_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.net_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER order_lines_amounts_bounded_update BEFORE UPDATE ON order_lines
FOR EACH ROW WHEN (NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.gross_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.net_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER tickets_amounts_bounded_insert BEFORE INSERT ON tickets
FOR EACH ROW WHEN (NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER tickets_amounts_bounded_update BEFORE UPDATE ON tickets
FOR EACH ROW WHEN (NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER payments_amounts_bounded_insert BEFORE INSERT ON payments
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.tendered_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.change_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER payments_amounts_bounded_update BEFORE UPDATE ON payments
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.tendered_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.change_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER refunds_amounts_bounded_insert BEFORE INSERT ON refunds
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER refunds_amounts_bounded_update BEFORE UPDATE ON refunds
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER refund_lines_amounts_bounded_insert BEFORE INSERT ON refund_lines
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER refund_lines_amounts_bounded_update BEFORE UPDATE ON refund_lines
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000
  OR NEW.vat_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER price_categories_amounts_bounded_insert BEFORE INSERT ON price_categories
FOR EACH ROW WHEN (NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER price_categories_amounts_bounded_update BEFORE UPDATE ON price_categories
FOR EACH ROW WHEN (NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER zone_prices_amounts_bounded_insert BEFORE INSERT ON zone_prices
FOR EACH ROW WHEN (NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER zone_prices_amounts_bounded_update BEFORE UPDATE ON zone_prices
FOR EACH ROW WHEN (NEW.price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER card_attempts_amounts_bounded_insert BEFORE INSERT ON card_attempts
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER card_attempts_amounts_bounded_update BEFORE UPDATE ON card_attempts
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER card_outcomes_amounts_bounded_insert BEFORE INSERT ON card_outcomes
FOR EACH ROW WHEN (NEW.authorized_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER card_outcomes_amounts_bounded_update BEFORE UPDATE ON card_outcomes
FOR EACH ROW WHEN (NEW.authorized_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER reservations_amounts_bounded_insert BEFORE INSERT ON reservations
FOR EACH ROW WHEN (NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER reservations_amounts_bounded_update BEFORE UPDATE ON reservations
FOR EACH ROW WHEN (NEW.total_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER reservation_lines_amounts_bounded_insert BEFORE INSERT ON reservation_lines
FOR EACH ROW WHEN (NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER reservation_lines_amounts_bounded_update BEFORE UPDATE ON reservation_lines
FOR EACH ROW WHEN (NEW.unit_price_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER reservation_payments_amounts_bounded_insert BEFORE INSERT ON reservation_payments
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');
CREATE TRIGGER reservation_payments_amounts_bounded_update BEFORE UPDATE ON reservation_payments
FOR EACH ROW WHEN (NEW.amount_cents NOT BETWEEN -10000000000 AND 10000000000)
EXECUTE FUNCTION boxoffice_refuse('an amount is beyond the ledger''s bound of 100 000 000,00 €');

-- A ticket's state: valid -> revoked and nothing else.
CREATE TRIGGER tickets_state_forward_only BEFORE UPDATE OF state ON tickets
FOR EACH ROW WHEN (NEW.state IS DISTINCT FROM OLD.state AND NOT (OLD.state = 'valid' AND NEW.state = 'revoked'))
EXECUTE FUNCTION boxoffice_refuse('a ticket only goes from valid to revoked');

CREATE TRIGGER seat_occupancy_sold_no_update BEFORE UPDATE ON seat_occupancy
FOR EACH ROW WHEN (OLD.kind = 'sold' OR NEW.kind = 'sold')
EXECUTE FUNCTION boxoffice_refuse('seat occupancy is never changed in place');

CREATE FUNCTION seat_occupancy_sold_stays() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT state FROM tickets WHERE id = OLD.ticket_id) = 'valid'
       AND NOT EXISTS (SELECT 1 FROM ticket_seats ts WHERE ts.ticket_id = OLD.ticket_id
                       AND ts.id = (SELECT max(id) FROM ticket_seats WHERE ticket_id = OLD.ticket_id)
                       AND ts.seat_id <> OLD.seat_id) THEN
        RAISE EXCEPTION 'a sold seat is released only by revoking its ticket or an exchange' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER seat_occupancy_sold_stays BEFORE DELETE ON seat_occupancy
FOR EACH ROW WHEN (OLD.kind = 'sold')
EXECUTE FUNCTION seat_occupancy_sold_stays();

CREATE FUNCTION performances_capacity_from_plan() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.capacity IS DISTINCT FROM (SELECT count(*) FROM seats s JOIN performance_plans p ON p.plan_id = s.plan_id
                                      WHERE p.performance_id = NEW.id) THEN
        RAISE EXCEPTION 'the capacity of a performance changes only with its seat plan' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER performances_capacity_from_plan BEFORE UPDATE OF capacity ON performances
FOR EACH ROW WHEN (NEW.capacity IS DISTINCT FROM OLD.capacity)
EXECUTE FUNCTION performances_capacity_from_plan();

CREATE TRIGGER price_categories_price_fixed BEFORE UPDATE ON price_categories
FOR EACH ROW WHEN (NEW.price_cents IS DISTINCT FROM OLD.price_cents OR NEW.event_id IS DISTINCT FROM OLD.event_id
  OR NEW.vat_class IS DISTINCT FROM OLD.vat_class)
EXECUTE FUNCTION boxoffice_refuse('a price is fixed once written');
CREATE TRIGGER price_categories_no_delete BEFORE DELETE ON price_categories
FOR EACH ROW EXECUTE FUNCTION boxoffice_refuse('price categories are never deleted');
CREATE TRIGGER zone_prices_no_update BEFORE UPDATE ON zone_prices
FOR EACH ROW EXECUTE FUNCTION boxoffice_refuse('a price is fixed once written');
CREATE TRIGGER zone_prices_no_delete BEFORE DELETE ON zone_prices
FOR EACH ROW EXECUTE FUNCTION boxoffice_refuse('a price is fixed once written');

CREATE TRIGGER users_role_fixed BEFORE UPDATE OF role ON users
FOR EACH ROW WHEN (NEW.role IS DISTINCT FROM OLD.role)
EXECUTE FUNCTION boxoffice_refuse('a user''s role is fixed when the user is added');
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
FOR EACH ROW EXECUTE FUNCTION boxoffice_refuse('users are never deleted (disable them)');
