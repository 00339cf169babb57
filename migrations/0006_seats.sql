-- Box office ledger, version 6: reserved seating. Seat plans per venue, the plan a performance
-- uses, prices by zone (rank), which seat each ticket has, and who occupies a seat now.

-- A venue's plans; `version` grows with each import, a performance keeps the plan it was given.
CREATE TABLE seat_plans (
    id           INTEGER PRIMARY KEY,
    venue        TEXT NOT NULL,
    version      INTEGER NOT NULL CHECK (version > 0),
    imported_by  INTEGER REFERENCES users(id),
    imported_at  TEXT NOT NULL,
    UNIQUE (venue, version)
);

CREATE TABLE seat_sections (
    id        INTEGER PRIMARY KEY,
    plan_id   INTEGER NOT NULL REFERENCES seat_plans(id),
    code      TEXT NOT NULL,
    name_fi   TEXT NOT NULL,
    name_sv   TEXT NOT NULL,
    name_en   TEXT NOT NULL,
    sort_order INTEGER NOT NULL,
    UNIQUE (plan_id, code)
);

CREATE TABLE seats (
    id          INTEGER PRIMARY KEY,
    plan_id     INTEGER NOT NULL REFERENCES seat_plans(id),
    section_id  INTEGER NOT NULL REFERENCES seat_sections(id),
    row_label   TEXT NOT NULL,
    seat_label  TEXT NOT NULL,
    x           REAL NOT NULL,
    y           REAL NOT NULL,
    rank        INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 99),
    wheelchair  INTEGER NOT NULL DEFAULT 0 CHECK (wheelchair IN (0, 1)),
    companion   INTEGER NOT NULL DEFAULT 0 CHECK (companion IN (0, 1)),
    restricted  INTEGER NOT NULL DEFAULT 0 CHECK (restricted IN (0, 1)),
    sort_order  INTEGER NOT NULL,
    UNIQUE (plan_id, section_id, row_label, seat_label)
);

-- A performance uses one plan or none (free seating). Set once.
CREATE TABLE performance_plans (
    performance_id  INTEGER PRIMARY KEY REFERENCES performances(id),
    plan_id         INTEGER NOT NULL REFERENCES seat_plans(id)
);
CREATE TRIGGER performance_plans_no_update BEFORE UPDATE ON performance_plans
BEGIN SELECT RAISE(ABORT, 'the plan of a performance is set once'); END;

-- The price of a category in a zone; a category without a row for a rank costs its own price.
CREATE TABLE zone_prices (
    category_id  INTEGER NOT NULL REFERENCES price_categories(id),
    rank         INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 99),
    price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
    PRIMARY KEY (category_id, rank)
);

-- Which seat a ticket is for. Append-only: an exchange to another seat is a new row; the
-- ticket's seat is its newest row.
CREATE TABLE ticket_seats (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    seat_id     INTEGER NOT NULL REFERENCES seats(id),
    created_at  TEXT NOT NULL
);
CREATE INDEX ticket_seats_by_ticket ON ticket_seats (ticket_id);
CREATE TRIGGER ticket_seats_no_update BEFORE UPDATE ON ticket_seats
BEGIN SELECT RAISE(ABORT, 'ticket_seats is append-only'); END;
CREATE TRIGGER ticket_seats_no_delete BEFORE DELETE ON ticket_seats
BEGIN SELECT RAISE(ABORT, 'ticket_seats is append-only'); END;

-- Who has a seat of a performance now: a sold ticket, a cashier's cart (until expires_at) or a
-- manager's hold (until expires_at, a set time before the performance). The primary key makes
-- selling or holding a seat twice impossible, whichever program writes. Not money history: what
-- happened is in the journal and in ticket_seats; a row goes when its seat is released.
CREATE TABLE seat_occupancy (
    performance_id  INTEGER NOT NULL REFERENCES performances(id),
    seat_id         INTEGER NOT NULL REFERENCES seats(id),
    kind            TEXT NOT NULL CHECK (kind IN ('sold', 'cart', 'hold')),
    ticket_id       INTEGER UNIQUE REFERENCES tickets(id),
    holder          TEXT,                  -- cart: the cart's token; hold: press, artist or technical
    user_id         INTEGER REFERENCES users(id),
    expires_at      TEXT,                  -- UTC, 'YYYY-MM-DDTHH:MM:SS.sssZ'; NULL for sold
    created_at      TEXT NOT NULL,
    PRIMARY KEY (performance_id, seat_id),
    CHECK ((kind = 'sold') = (ticket_id IS NOT NULL)),
    CHECK ((kind = 'sold') = (expires_at IS NULL)),
    CHECK (kind <> 'hold' OR holder IN ('press', 'artist', 'technical')),
    CHECK (kind <> 'cart' OR holder IS NOT NULL)
) WITHOUT ROWID;

-- A seat belongs to the plan of its performance; a sold seat to a ticket of that performance.
CREATE TRIGGER seat_occupancy_same_plan BEFORE INSERT ON seat_occupancy
WHEN (SELECT plan_id FROM seats WHERE id = NEW.seat_id)
     IS NOT (SELECT plan_id FROM performance_plans WHERE performance_id = NEW.performance_id)
  OR (NEW.ticket_id IS NOT NULL AND
      (SELECT performance_id FROM tickets WHERE id = NEW.ticket_id) IS NOT NEW.performance_id)
BEGIN SELECT RAISE(ABORT, 'the seat is not in the plan of this performance'); END;

-- A refunded or revoked ticket gives its seat back.
CREATE TRIGGER tickets_release_seat AFTER UPDATE OF state ON tickets
WHEN NEW.state <> 'valid' AND OLD.state = 'valid'
BEGIN
    DELETE FROM seat_occupancy WHERE ticket_id = NEW.id;
END;
