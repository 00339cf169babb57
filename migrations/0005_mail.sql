-- Box office ledger, version 5: ticket mail (SMTP servers, DKIM domains, the outbox).
-- Secrets (SMTP passwords, DKIM private keys) are never in this file: they live in the
-- encrypted secret store under the name given in `secret_name`.

CREATE TABLE mail_servers (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    host          TEXT NOT NULL,
    port          INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
    security      TEXT NOT NULL CHECK (security IN ('starttls', 'tls', 'none')),
    username      TEXT,
    secret_name   TEXT,                    -- the password's name in the secret store
    from_name     TEXT NOT NULL,
    from_address  TEXT NOT NULL,
    -- the HTML templates that travel with the server: JSON {"fi": "...", ...}; NULL = the bundled ones
    templates     TEXT,
    builtin       INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    copied_from   INTEGER REFERENCES mail_servers(id),
    created_at    TEXT NOT NULL
);

-- The built-in server: the local relay on the counter PC. It can be copied, never edited or deleted,
-- so one working server always exists.
INSERT INTO mail_servers (name, host, port, security, from_name, from_address, builtin, created_at)
VALUES ('builtin', 'localhost', 25, 'none', 'Box office', 'tickets@localhost', 1, '1970-01-01T00:00:00+00:00');

CREATE TRIGGER mail_servers_builtin_no_update BEFORE UPDATE ON mail_servers WHEN OLD.builtin = 1
BEGIN SELECT RAISE(ABORT, 'the built-in mail server cannot be edited: copy it'); END;
CREATE TRIGGER mail_servers_builtin_no_delete BEFORE DELETE ON mail_servers WHEN OLD.builtin = 1
BEGIN SELECT RAISE(ABORT, 'the built-in mail server cannot be deleted'); END;

-- Which server sends: user_id NULL is the register's default, else the server of that user
-- (mail for an event goes out through the server of the user who created the event).
-- Append-only: the newest row wins.
CREATE TABLE mail_server_choices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER REFERENCES users(id),
    server_id   INTEGER NOT NULL REFERENCES mail_servers(id),
    chosen_at   TEXT NOT NULL
);

-- DKIM: one 2048-bit RSA key per sending domain; the private key is in the secret store.
CREATE TABLE dkim_keys (
    id            INTEGER PRIMARY KEY,
    domain        TEXT NOT NULL COLLATE NOCASE,
    selector      TEXT NOT NULL,
    public_key    TEXT NOT NULL,           -- base64 DER (SubjectPublicKeyInfo), the p= of the TXT record
    secret_name   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX dkim_keys_by_domain ON dkim_keys (domain);

-- The outbox: every message is a row here before anything is sent.
CREATE TABLE mail_outbox (
    id            INTEGER PRIMARY KEY,
    order_id      INTEGER NOT NULL REFERENCES orders(id),
    server_id     INTEGER NOT NULL REFERENCES mail_servers(id),
    to_address    TEXT NOT NULL,
    lang          TEXT NOT NULL CHECK (lang IN ('fi', 'sv', 'en')),
    message_id    TEXT NOT NULL UNIQUE,    -- kept across retries so receivers can drop duplicates
    replaces      INTEGER REFERENCES mail_outbox(id),  -- a corrected address or a re-mail
    created_by    INTEGER REFERENCES users(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX mail_outbox_by_order ON mail_outbox (order_id);

-- What happened to a message, newest last: its state is its newest row (none = queued).
CREATE TABLE mail_attempts (
    id               INTEGER PRIMARY KEY,
    mail_id          INTEGER NOT NULL REFERENCES mail_outbox(id),
    at               TEXT NOT NULL,
    outcome          TEXT NOT NULL CHECK (outcome IN ('sent', 'retry', 'failed', 'replaced', 'cancelled')),
    reply            TEXT NOT NULL,        -- the server's words (code and text) or the network error
    next_attempt_at  TEXT                  -- for 'retry': not before this time
);
CREATE INDEX mail_attempts_by_mail ON mail_attempts (mail_id, id);
CREATE INDEX mail_attempts_failed ON mail_attempts (id) WHERE outcome = 'failed';

-- Up to which failure each user has looked (the red count at the top right is what came after).
CREATE TABLE mail_failures_seen (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users(id),
    seen_up_to      INTEGER NOT NULL,      -- mail_attempts.id
    at              TEXT NOT NULL
);

CREATE TRIGGER mail_outbox_no_update BEFORE UPDATE ON mail_outbox
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
CREATE TRIGGER mail_outbox_no_delete BEFORE DELETE ON mail_outbox
BEGIN SELECT RAISE(ABORT, 'the outbox is append-only'); END;
CREATE TRIGGER mail_attempts_no_update BEFORE UPDATE ON mail_attempts
BEGIN SELECT RAISE(ABORT, 'mail attempts are append-only'); END;
CREATE TRIGGER mail_attempts_no_delete BEFORE DELETE ON mail_attempts
BEGIN SELECT RAISE(ABORT, 'mail attempts are append-only'); END;

-- Tickets to a phone as an SMS with links, through a configurable HTTP SMS gateway (for when
-- the ticket printer is down). The newest settings row is in force; the password is in the
-- secret store.
CREATE TABLE sms_gateway_settings (
    id             INTEGER PRIMARY KEY,
    url_template   TEXT NOT NULL,          -- {to} and {text} are filled in, URL-encoded
    method         TEXT NOT NULL CHECK (method IN ('GET', 'POST')),
    body_template  TEXT,                   -- POST: {to} and {text} are filled in, JSON-escaped
    username       TEXT,
    secret_name    TEXT,
    link_template  TEXT NOT NULL,          -- the ticket's link; {code} is filled in
    saved_by       INTEGER REFERENCES users(id),
    saved_at       TEXT NOT NULL
);

-- Every SMS is a row before the gateway is asked; its outcome is a row after.
CREATE TABLE sms_messages (
    id          INTEGER PRIMARY KEY,
    order_id    INTEGER NOT NULL REFERENCES orders(id),
    to_phone    TEXT NOT NULL,
    text        TEXT NOT NULL,
    created_by  INTEGER REFERENCES users(id),
    created_at  TEXT NOT NULL
);
CREATE TABLE sms_attempts (
    id          INTEGER PRIMARY KEY,
    sms_id      INTEGER NOT NULL REFERENCES sms_messages(id),
    at          TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
    reply       TEXT NOT NULL          -- the gateway's HTTP status and body (or the network error)
);
CREATE TRIGGER sms_messages_no_update BEFORE UPDATE ON sms_messages
BEGIN SELECT RAISE(ABORT, 'SMS messages are append-only'); END;
CREATE TRIGGER sms_messages_no_delete BEFORE DELETE ON sms_messages
BEGIN SELECT RAISE(ABORT, 'SMS messages are append-only'); END;
CREATE TRIGGER sms_attempts_no_update BEFORE UPDATE ON sms_attempts
BEGIN SELECT RAISE(ABORT, 'SMS attempts are append-only'); END;
CREATE TRIGGER sms_attempts_no_delete BEFORE DELETE ON sms_attempts
BEGIN SELECT RAISE(ABORT, 'SMS attempts are append-only'); END;
