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
    person_id  text PRIMARY KEY REFERENCES persons (id),
    hash       text NOT NULL CHECK (octet_length(hash) BETWEEN 2 AND 512 AND left(hash, 1) = '$'),
    updated_at timestamptz NOT NULL
);

CREATE TABLE access_tokens (
    id           text PRIMARY KEY CHECK (length(id) = 26),
    person_id    text NOT NULL REFERENCES persons (id),
    name         text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);
CREATE INDEX access_tokens_person_time ON access_tokens (person_id, created_at);

CREATE TABLE web_sessions (
    token     text PRIMARY KEY CHECK (token ~ '^[A-Za-z0-9_-]{22,128}$'),
    data      bytea NOT NULL CHECK (octet_length(data) <= 65536),
    expiry    timestamptz NOT NULL,
    person_id text REFERENCES persons (id),
    ended     boolean NOT NULL DEFAULT false,
    CHECK ((NOT ended AND octet_length(data) > 0) OR (ended AND octet_length(data) = 0 AND person_id IS NULL))
);
CREATE INDEX web_sessions_expiry ON web_sessions (expiry);
CREATE INDEX web_sessions_person ON web_sessions (person_id) WHERE person_id IS NOT NULL;

-- +goose Down
DROP TABLE web_sessions;
DROP TABLE access_tokens;
DROP TABLE credentials;
