-- Box office ledger, version 2: the bank issue (Verkkomaksu, reservations, operations).
-- Placeholder while the work is in progress; filled before anything lands.
SELECT 1;
