-- Version 3: what signing in needs. A person's password hash
-- (credentials), their personal access tokens, kept by the SHA-256 of the
-- secret, and the web app's server-side sessions.
--
-- A web session's data is opaque (the session library encodes it); its
-- person_id says who signed in with it, so that all of a person's sessions
-- can be ended at once. An ended session stays as a tombstone, with no data
-- and no person, until its expiry: a request that was under way when the
-- session was ended cannot write it back.

-- +goose Up
CREATE TABLE credentials (
    person_id  TEXT PRIMARY KEY REFERENCES persons (id),
    hash       TEXT NOT NULL CHECK (length(hash) BETWEEN 2 AND 512 AND substr(hash, 1, 1) = '$'),
    updated_at TEXT NOT NULL CHECK (length(updated_at) = 27)
) STRICT;

CREATE TABLE access_tokens (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    person_id    TEXT NOT NULL REFERENCES persons (id),
    name         TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    hash         TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    created_at   TEXT NOT NULL CHECK (length(created_at) = 27),
    last_used_at TEXT CHECK (length(last_used_at) = 27)
) STRICT;
CREATE INDEX access_tokens_person_time ON access_tokens (person_id, created_at);

CREATE TABLE web_sessions (
    token     TEXT PRIMARY KEY CHECK (length(token) BETWEEN 22 AND 128 AND token NOT GLOB '*[^A-Za-z0-9_-]*'),
    data      BLOB NOT NULL CHECK (length(data) <= 65536),
    expiry    TEXT NOT NULL CHECK (length(expiry) = 27),
    person_id TEXT REFERENCES persons (id),
    ended     INTEGER NOT NULL DEFAULT 0 CHECK (ended IN (0, 1)),
    CHECK ((ended = 0 AND length(data) > 0) OR (ended = 1 AND length(data) = 0 AND person_id IS NULL))
) STRICT;
CREATE INDEX web_sessions_expiry ON web_sessions (expiry);
CREATE INDEX web_sessions_person ON web_sessions (person_id) WHERE person_id IS NOT NULL;

-- +goose Down
DROP TABLE web_sessions;
DROP TABLE access_tokens;
DROP TABLE credentials;
