-- Box office shared ledger, version 20: each register's own ticket printer (the twin of
-- migrations/0020_register_printer.sql).
ALTER TABLE register ADD COLUMN ticket_printer text;
