-- Box office ledger, version 5: the mail issue (servers, outbox).
-- Placeholder while the work is in progress; filled before anything lands.
SELECT 1;
