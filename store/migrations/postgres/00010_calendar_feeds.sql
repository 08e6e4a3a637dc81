-- Version 10: each person's calendar feed, the secret address from which
-- a calendar app reads their planned sessions and check-in reminders. A
-- person has at most one feed (person_id is the key): making a new one
-- replaces the row, and revoking deletes it, so the old address stops
-- working at once. The secret is kept as its SHA-256 only, like an access
-- token's. session_time and check_in_time are the local times of day
-- (HH:MM) at which the feed places the day's session and check-in;
-- last_used_at is written at most once an hour. The feed goes with its
-- person (ON DELETE CASCADE).

-- +goose Up
CREATE TABLE calendar_feeds (
    person_id     text PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    id            text NOT NULL UNIQUE CHECK (length(id) = 26),
    hash          text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    session_time  text NOT NULL CHECK (session_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    check_in_time text NOT NULL CHECK (check_in_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    created_at    timestamptz NOT NULL,
    last_used_at  timestamptz
);

-- +goose Down
DROP TABLE calendar_feeds;
