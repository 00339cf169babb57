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
