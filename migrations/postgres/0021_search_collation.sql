-- Box office ledger, version 21, PostgreSQL twin of migrations/0021_search_collation.sql: the
-- search words compared by code point. The search (`ledger::search`) compares `word COLLATE "C"`,
-- as SQLite compares text; with the column in the database's default collation the primary key
-- (kind, word, order_id) could not serve that comparison, and every search read every word
-- (215 ms for a first name at 1,000,000 tickets, BENCHMARKS.md "Shared ledger, second round").
-- The column takes the "C" collation, and the primary key is rebuilt with it.
ALTER TABLE order_words ALTER COLUMN word TYPE text COLLATE "C";
