-- Box office ledger, version 13, PostgreSQL twin of migrations/0013_secrets.sql: no secret in the
-- ledger; the bank's MAC keys and the Nets password are named, their values in the secret store.
ALTER TABLE bank_keys ADD COLUMN secret_name text;
ALTER TABLE nets_account ADD COLUMN password_name text;

CREATE TRIGGER bank_keys_no_plain_secret_insert BEFORE INSERT ON bank_keys
FOR EACH ROW WHEN (NEW.secret <> '' OR NEW.secret_name IS NULL)
EXECUTE FUNCTION boxoffice_refuse('a bank key belongs in the secret store, not in the ledger');
CREATE TRIGGER bank_keys_no_plain_secret_update BEFORE UPDATE ON bank_keys
FOR EACH ROW WHEN (NEW.secret <> '' OR NEW.secret_name IS NULL)
EXECUTE FUNCTION boxoffice_refuse('a bank key belongs in the secret store, not in the ledger');
CREATE TRIGGER nets_account_no_plain_password_insert BEFORE INSERT ON nets_account
FOR EACH ROW WHEN (NEW.password <> '' OR NEW.password_name IS NULL)
EXECUTE FUNCTION boxoffice_refuse('the Nets password belongs in the secret store, not in the ledger');
CREATE TRIGGER nets_account_no_plain_password_update BEFORE UPDATE ON nets_account
FOR EACH ROW WHEN (NEW.password <> '' OR NEW.password_name IS NULL)
EXECUTE FUNCTION boxoffice_refuse('the Nets password belongs in the secret store, not in the ledger');
