-- Version 9: what several servers on one database must share besides the
-- web sessions (see the PostgreSQL migration; a SQLite file has one
-- server, but keeps the same schema). rate_limits holds the limits on
-- password guessing and sign-ups: under each key, the time at which that
-- limit is full again, or when a mark lapses. break_pauses holds each
-- person's pause of the break reminder: paused_until is when it ends
-- (NULL: resumed), until_day the day a pause "until tomorrow" began in,
-- set_at orders the changes.

-- +goose Up
CREATE TABLE rate_limits (
    key   TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 128),
    until TEXT NOT NULL CHECK (length(until) = 27)
) STRICT;
CREATE INDEX rate_limits_until ON rate_limits (until);

CREATE TABLE break_pauses (
    person_id    TEXT PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    paused_until TEXT CHECK (paused_until IS NULL OR length(paused_until) = 27),
    until_day    TEXT NOT NULL DEFAULT '' CHECK (until_day = '' OR length(until_day) = 10),
    set_at       TEXT NOT NULL CHECK (length(set_at) = 27)
) STRICT;

-- +goose Down
DROP TABLE break_pauses;
DROP TABLE rate_limits;
