-- Version 4: each person's break-reminder settings, read by the web app's
-- reminder and the desktop daemon. Durations are whole minutes; a
-- movement or stretch interval of 0 turns that kind of break off, and at
-- least one kind stays on. A person who never saved settings has no row
-- and gets the defaults.

-- +goose Up
CREATE TABLE break_settings (
    person_id              TEXT PRIMARY KEY REFERENCES persons (id),
    enabled                INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    movement_every_minutes INTEGER NOT NULL CHECK (movement_every_minutes = 0 OR movement_every_minutes BETWEEN 5 AND 720),
    movement_for_minutes   INTEGER NOT NULL CHECK (movement_for_minutes BETWEEN 1 AND 60),
    stretch_every_minutes  INTEGER NOT NULL CHECK (stretch_every_minutes = 0 OR stretch_every_minutes BETWEEN 5 AND 720),
    stretch_for_minutes    INTEGER NOT NULL CHECK (stretch_for_minutes BETWEEN 1 AND 60),
    daily_limit_minutes    INTEGER NOT NULL CHECK (daily_limit_minutes BETWEEN 0 AND 1440),
    reset_hour             INTEGER NOT NULL CHECK (reset_hour BETWEEN 0 AND 23),
    snooze_minutes         INTEGER NOT NULL CHECK (snooze_minutes BETWEEN 1 AND 120),
    updated_at             TEXT NOT NULL CHECK (length(updated_at) = 27),
    CHECK (movement_every_minutes > 0 OR stretch_every_minutes > 0),
    CHECK (movement_every_minutes = 0 OR movement_for_minutes < movement_every_minutes),
    CHECK (stretch_every_minutes = 0 OR stretch_for_minutes < stretch_every_minutes)
) STRICT;

-- +goose Down
DROP TABLE break_settings;
