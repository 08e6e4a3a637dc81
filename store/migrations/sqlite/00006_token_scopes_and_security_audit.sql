-- Version 6: personal access tokens get a scope and an expiry, and the
-- audit trail takes the security events.
--
-- A token's scope is 'read' (it may only read) or 'read_write'. Every
-- token stops working at expires_at. Tokens made before this version keep
-- working as they did, read and write, until 90 days after the upgrade.
--
-- The audit trail's new actions: a sign-in, a wrong password, a sign-in
-- refused because of too many attempts, and the use of an access token.
--
-- SQLite cannot change a column's checks in place, so both tables are
-- made anew and their rows copied.

-- +goose Up
CREATE TABLE access_tokens_v6 (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    person_id    TEXT NOT NULL REFERENCES persons (id),
    name         TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    hash         TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    created_at   TEXT NOT NULL CHECK (length(created_at) = 27),
    last_used_at TEXT CHECK (length(last_used_at) = 27),
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'read_write')),
    expires_at   TEXT NOT NULL CHECK (length(expires_at) = 27)
) STRICT;
INSERT INTO access_tokens_v6 (id, person_id, name, hash, created_at, last_used_at, scope, expires_at)
    SELECT id, person_id, name, hash, created_at, last_used_at, 'read_write',
           strftime('%Y-%m-%dT%H:%M:%S', 'now', '+90 days') || '.000000Z'
    FROM access_tokens;
DROP TABLE access_tokens;
ALTER TABLE access_tokens_v6 RENAME TO access_tokens;
CREATE INDEX access_tokens_person_time ON access_tokens (person_id, created_at);

CREATE TABLE audit_log_v6 (
    id        TEXT NOT NULL CHECK (length(id) = 26),
    at        TEXT NOT NULL CHECK (length(at) = 27),
    actor_id  TEXT NOT NULL CHECK (length(actor_id) = 26),
    person_id TEXT NOT NULL CHECK (length(person_id) = 26),
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'read', 'export', 'import',
                                              'sign_in', 'sign_in_failure', 'lock_out', 'use')),
    kind      TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    record_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, at, id)
) STRICT, WITHOUT ROWID;
INSERT INTO audit_log_v6 SELECT id, at, actor_id, person_id, action, kind, record_id FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_v6 RENAME TO audit_log;

-- +goose Down
CREATE TABLE audit_log_v5 (
    id        TEXT NOT NULL CHECK (length(id) = 26),
    at        TEXT NOT NULL CHECK (length(at) = 27),
    actor_id  TEXT NOT NULL CHECK (length(actor_id) = 26),
    person_id TEXT NOT NULL CHECK (length(person_id) = 26),
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'read', 'export', 'import')),
    kind      TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    record_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, at, id)
) STRICT, WITHOUT ROWID;
INSERT INTO audit_log_v5 SELECT id, at, actor_id, person_id, action, kind, record_id FROM audit_log
    WHERE action IN ('create', 'update', 'delete', 'read', 'export', 'import');
DROP TABLE audit_log;
ALTER TABLE audit_log_v5 RENAME TO audit_log;

CREATE TABLE access_tokens_v5 (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    person_id    TEXT NOT NULL REFERENCES persons (id),
    name         TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    hash         TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    created_at   TEXT NOT NULL CHECK (length(created_at) = 27),
    last_used_at TEXT CHECK (length(last_used_at) = 27)
) STRICT;
INSERT INTO access_tokens_v5 (id, person_id, name, hash, created_at, last_used_at)
    SELECT id, person_id, name, hash, created_at, last_used_at FROM access_tokens;
DROP TABLE access_tokens;
ALTER TABLE access_tokens_v5 RENAME TO access_tokens;
CREATE INDEX access_tokens_person_time ON access_tokens (person_id, created_at);
