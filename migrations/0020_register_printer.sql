-- Box office ledger, version 20: each register's own ticket printer (issue 15).
--
-- On a shared ledger the printers are the venue's (any register may print a copy on any of
-- them), but the one a register's sales print their tickets on is that register's: a printer
-- made the default at Kassa 2 must not move counter 1's tickets there. NULL: the venue's default
-- printer (printers.is_default), as before; a ledger with one register reads exactly as before.
ALTER TABLE register ADD COLUMN ticket_printer TEXT;
