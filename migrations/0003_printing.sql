-- Box office ledger, version 3: the printing issue (printers, print log, reprints).
-- Placeholder while the work is in progress; filled before anything lands.
SELECT 1;
