-- Box office ledger, version 12: order search by what counter staff type (issue 16).
-- Names were stored "First Last" and searched by prefix, so a first name was found through the
-- name index but a last name scanned every order, and the 20 newest of a common first name meant
-- reading every match. Each order now has its search words, lower-cased by the program (Unicode,
-- so Ä and ä are one): kind 0 holds each word of the customer's name and the first word of the
-- e-mail; kind 1 the whole name and the whole e-mail. A search reads the 20 newest orders of each
-- word in its prefix range, so it costs a few index seeks however large the ledger grows.
-- The program writes the words in the sale's transaction; existing orders are filled in by the
-- program right after this migration. The two prefix indexes on orders are no longer read.
CREATE TABLE order_words (
    kind     INTEGER NOT NULL CHECK (kind IN (0, 1)),
    word     TEXT NOT NULL CHECK (length(word) > 0),
    order_id INTEGER NOT NULL REFERENCES orders(id),
    PRIMARY KEY (kind, word, order_id)
) WITHOUT ROWID;

DROP INDEX orders_by_name;
DROP INDEX orders_by_email;
