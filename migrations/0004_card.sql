-- Box office ledger, version 4: the card-terminal issue (terminals, attempts).
-- Placeholder while the work is in progress; filled before anything lands.
SELECT 1;
