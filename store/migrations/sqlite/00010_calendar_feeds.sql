-- Version 10: each person's calendar feed (see the PostgreSQL migration).
-- A person has at most one feed (person_id is the key); the secret is kept
-- as its SHA-256 only; the feed goes with its person.

-- +goose Up
CREATE TABLE calendar_feeds (
    person_id     TEXT PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    id            TEXT NOT NULL UNIQUE CHECK (length(id) = 26),
    hash          TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    session_time  TEXT NOT NULL CHECK (length(session_time) = 5),
    check_in_time TEXT NOT NULL CHECK (length(check_in_time) = 5),
    created_at    TEXT NOT NULL CHECK (length(created_at) = 27),
    last_used_at  TEXT CHECK (last_used_at IS NULL OR length(last_used_at) = 27)
) STRICT;

-- +goose Down
DROP TABLE calendar_feeds;
