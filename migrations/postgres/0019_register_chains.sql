-- Box office ledger, version 19, PostgreSQL twin of migrations/0019_register_chains.sql: a
-- journal chain per register, operation ids for the rest (issue 15).
--
-- Each register's entries chain to the same register's entry before it; an append locks only its
-- own register's chain (a transaction advisory lock), so counters no longer wait for each other.
-- The entry's number comes from the column's identity sequence (numbers left unused by a
-- rolled-back operation are gaps between registers' entries, not breaks: each chain is checked by
-- its hashes). Until now the program wrote the numbers itself: the sequence continues after them.
CREATE INDEX journal_by_register ON journal (register_id, seq);
SELECT setval(pg_get_serial_sequence('journal', 'seq'), coalesce(max(seq), 0) + 1, false) FROM journal;
-- The application role may insert into the journal but has no right on its sequence; it draws
-- the next number through this function, which runs as the owner and does nothing else.
CREATE FUNCTION journal_next_seq() RETURNS bigint
    LANGUAGE sql SECURITY DEFINER SET search_path FROM CURRENT
    AS $$ SELECT nextval(pg_get_serial_sequence('journal', 'seq')) $$;

-- Operation ids for the drawer opened without a sale, reservations (made, paid, released) and
-- seat holds (held, let go).
ALTER TABLE operations DROP CONSTRAINT operations_kind_check;
ALTER TABLE operations ADD CONSTRAINT operations_kind_check
    CHECK (kind IN ('sale', 'refund', 'shift.open', 'shift.close', 'cash.in', 'cash.out',
                    'drawer.open', 'reservation.create', 'reservation.pay',
                    'reservation.release', 'seat.hold', 'seat.release'));
ALTER TABLE operations ADD COLUMN reservation_id bigint REFERENCES reservations(id);
ALTER TABLE operations ADD COLUMN detail text;
