-- Box office ledger, version 13: no secret in the ledger file (issue 14 §5).
--
-- The bank's MAC keys and the Nets Connect@Cloud password live in the encrypted secret store
-- (key file outside the data directory); the ledger keeps only their names. SQL cannot reach the
-- store, so the program moves the values of older ledgers on its first read-write open after this
-- migration (store first, then blank the column, then VACUUM so no free page keeps the old bytes).
-- From here on the database refuses a non-empty plaintext column, whatever program writes it.
ALTER TABLE bank_keys ADD COLUMN secret_name TEXT;      -- the key's name in the secret store
ALTER TABLE nets_account ADD COLUMN password_name TEXT; -- the password's name in the secret store

CREATE TRIGGER bank_keys_no_plain_secret_insert BEFORE INSERT ON bank_keys
WHEN NEW.secret <> '' OR NEW.secret_name IS NULL
BEGIN SELECT RAISE(ABORT, 'a bank key belongs in the secret store, not in the ledger'); END;
CREATE TRIGGER bank_keys_no_plain_secret_update BEFORE UPDATE ON bank_keys
WHEN NEW.secret <> '' OR NEW.secret_name IS NULL
BEGIN SELECT RAISE(ABORT, 'a bank key belongs in the secret store, not in the ledger'); END;
CREATE TRIGGER nets_account_no_plain_password_insert BEFORE INSERT ON nets_account
WHEN NEW.password <> '' OR NEW.password_name IS NULL
BEGIN SELECT RAISE(ABORT, 'the Nets password belongs in the secret store, not in the ledger'); END;
CREATE TRIGGER nets_account_no_plain_password_update BEFORE UPDATE ON nets_account
WHEN NEW.password <> '' OR NEW.password_name IS NULL
BEGIN SELECT RAISE(ABORT, 'the Nets password belongs in the secret store, not in the ledger'); END;
