-- Box office ledger, version 12, PostgreSQL twin of migrations/0012_search_words.sql: each
-- order's search words (lower-cased by the program, which writes them in the sale's transaction).
-- No PostgreSQL ledger holds orders from before version 12 (the program sells on PostgreSQL only
-- from a later version), so nothing is filled in here.
CREATE TABLE order_words (
    kind     bigint NOT NULL CHECK (kind IN (0, 1)),
    word     text NOT NULL CHECK (length(word) > 0),
    order_id bigint NOT NULL REFERENCES orders(id),
    PRIMARY KEY (kind, word, order_id)
);

DROP INDEX orders_by_name;
DROP INDEX orders_by_email;
