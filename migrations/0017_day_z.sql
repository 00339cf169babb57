-- Box office ledger, version 17: one numbered Z per register per day of trading, and the
-- fiscal stamps of receipts (issue 13).
--
-- A shift's close stays its own report (`z_reports`, one per shift, as before); the day's Z
-- covers every shift opened on one trading day (the local date of `shifts.opened_at`), is
-- numbered gaplessly per register and is made once: at the day's last close, by an explicit
-- command, or for a day left without one when the next day's first shift opens.
CREATE TABLE day_z_reports (
    id              INTEGER PRIMARY KEY,
    register_id     TEXT NOT NULL REFERENCES register(id),
    number          INTEGER NOT NULL CHECK (number > 0),
    trading_day     TEXT NOT NULL CHECK (length(trading_day) = 10),
    first_shift_id  INTEGER NOT NULL REFERENCES shifts(id),
    last_shift_id   INTEGER NOT NULL REFERENCES shifts(id),
    shifts          INTEGER NOT NULL CHECK (shifts > 0),
    closed_by       INTEGER NOT NULL REFERENCES users(id),
    closed_at       TEXT NOT NULL,
    first_receipt   INTEGER,
    last_receipt    INTEGER,
    content         TEXT NOT NULL,
    UNIQUE (register_id, number),
    UNIQUE (register_id, trading_day)
);

-- Numbers follow each other per register: 1, 2, 3… with no gap and no repeat.
CREATE TRIGGER day_z_reports_gapless BEFORE INSERT ON day_z_reports
WHEN NEW.number <> (SELECT coalesce(max(number), 0) + 1 FROM day_z_reports WHERE register_id = NEW.register_id)
BEGIN SELECT RAISE(ABORT, 'day Z reports are numbered gaplessly per register'); END;

-- One Z per trading day, in day order: never a second one for a day, never one for a day
-- before a day that has its Z.
CREATE TRIGGER day_z_reports_one_per_day BEFORE INSERT ON day_z_reports
WHEN EXISTS (SELECT 1 FROM day_z_reports d WHERE d.register_id = NEW.register_id
             AND d.trading_day >= NEW.trading_day)
BEGIN SELECT RAISE(ABORT, 'this trading day (or a later one) already has its Z report'); END;

-- The Z covers every shift of its day, all of them closed, and no earlier day is left without one.
CREATE TRIGGER day_z_reports_whole_day BEFORE INSERT ON day_z_reports
WHEN EXISTS (SELECT 1 FROM shifts s WHERE s.register_id = NEW.register_id
             AND substr(s.opened_at, 1, 10) <= NEW.trading_day
             AND NOT EXISTS (SELECT 1 FROM z_reports z WHERE z.shift_id = s.id))
  OR EXISTS (SELECT 1 FROM shifts s WHERE s.register_id = NEW.register_id
             AND substr(s.opened_at, 1, 10) < NEW.trading_day
             AND substr(s.opened_at, 1, 10) > coalesce((SELECT max(d.trading_day) FROM day_z_reports d
                                                        WHERE d.register_id = NEW.register_id), ''))
  OR NEW.first_shift_id IS NOT (SELECT min(id) FROM shifts WHERE register_id = NEW.register_id
                                AND substr(opened_at, 1, 10) = NEW.trading_day)
  OR NEW.last_shift_id IS NOT (SELECT max(id) FROM shifts WHERE register_id = NEW.register_id
                               AND substr(opened_at, 1, 10) = NEW.trading_day)
  OR NEW.shifts IS NOT (SELECT count(*) FROM shifts WHERE register_id = NEW.register_id
                        AND substr(opened_at, 1, 10) = NEW.trading_day)
BEGIN SELECT RAISE(ABORT, 'a day Z report covers every shift of its trading day, all closed, after every earlier day has its Z'); END;

-- Once a day has its Z, no shift opens on it (or on an earlier day).
CREATE TRIGGER shifts_not_on_a_closed_day BEFORE INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM day_z_reports d WHERE d.register_id = NEW.register_id
             AND d.trading_day >= substr(NEW.opened_at, 1, 10))
BEGIN SELECT RAISE(ABORT, 'the trading day of this shift already has its Z report'); END;

CREATE TRIGGER day_z_reports_no_update BEFORE UPDATE ON day_z_reports
BEGIN SELECT RAISE(ABORT, 'day_z_reports is append-only'); END;
CREATE TRIGGER day_z_reports_no_delete BEFORE DELETE ON day_z_reports
BEGIN SELECT RAISE(ABORT, 'day_z_reports is append-only'); END;

-- The shifts of a trading day, found by their register and opening time.
CREATE INDEX shifts_by_register_opened ON shifts (register_id, opened_at);

-- The seam for a control unit or a per-receipt signature (ARCHITECTURE.md, "Control units and
-- receipt signatures"): the stamp a fiscal device gave a receipt inside the sale's transaction
-- (a control code, a signature) with the device's name and key version. None is written while
-- the register has no device. One per receipt, append-only.
CREATE TABLE fiscal_stamps (
    id           INTEGER PRIMARY KEY,
    receipt_id   INTEGER NOT NULL UNIQUE REFERENCES receipts(id),
    device       TEXT NOT NULL,
    key_version  TEXT NOT NULL,
    stamp        TEXT NOT NULL CHECK (length(stamp) > 0),
    created_at   TEXT NOT NULL
);
CREATE TRIGGER fiscal_stamps_no_update BEFORE UPDATE ON fiscal_stamps
BEGIN SELECT RAISE(ABORT, 'fiscal_stamps is append-only'); END;
CREATE TRIGGER fiscal_stamps_no_delete BEFORE DELETE ON fiscal_stamps
BEGIN SELECT RAISE(ABORT, 'fiscal_stamps is append-only'); END;
