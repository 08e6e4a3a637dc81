-- Version 9: what several servers on one database must share besides the
-- web sessions. rate_limits holds the limits on password guessing and
-- sign-ups: under each key (a hash naming the limit and what it counts),
-- the time at which that limit is full again, or, for a mark (an address
-- known to an account), the time the mark lapses. A row whose time has
-- passed means nothing and is purged. break_pauses holds each person's
-- pause of the break reminder, so that a pause set through one server is
-- kept by every other: paused_until is when it ends (NULL: the reminder
-- was resumed), until_day the day a pause "until tomorrow" began in, and
-- set_at orders the changes, the latest winning.

-- +goose Up
CREATE TABLE rate_limits (
    key   text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 128),
    until timestamptz NOT NULL
);
CREATE INDEX rate_limits_until ON rate_limits (until);

CREATE TABLE break_pauses (
    person_id    text PRIMARY KEY REFERENCES persons (id) ON DELETE CASCADE,
    paused_until timestamptz,
    until_day    text NOT NULL DEFAULT '' CHECK (until_day = '' OR length(until_day) = 10),
    set_at       timestamptz NOT NULL
);

-- +goose Down
DROP TABLE break_pauses;
DROP TABLE rate_limits;
