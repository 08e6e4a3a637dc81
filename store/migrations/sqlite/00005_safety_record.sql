-- Version 5: the safety record (docs/clinical.md §3). Every time the
-- warning signs are asked, in any interface, one screen row keeps when,
-- where and the signs answered yes; a clearance row keeps that a
-- clinician checked the person and said they may exercise, and the signs
-- it covers. Nothing here is ever updated: the record only grows, and
-- goes with the person's export and deletion.

-- +goose Up
CREATE TABLE safety_screens (
    id        TEXT NOT NULL UNIQUE CHECK (length(id) = 26),
    person_id TEXT NOT NULL REFERENCES persons (id),
    at        TEXT NOT NULL CHECK (length(at) = 27),
    kind      TEXT NOT NULL CHECK (kind IN ('assessment', 'check_in', 'session', 'break')),
    via       TEXT NOT NULL CHECK (via IN ('web', 'api', 'terminal', 'desktop')),
    complete  INTEGER NOT NULL CHECK (complete IN (0, 1)),
    signs     TEXT NOT NULL CHECK (json_valid(signs)),
    PRIMARY KEY (person_id, at, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE clearances (
    id          TEXT NOT NULL UNIQUE CHECK (length(id) = 26),
    person_id   TEXT NOT NULL REFERENCES persons (id),
    recorded_at TEXT NOT NULL CHECK (length(recorded_at) = 27),
    cleared_by  TEXT NOT NULL CHECK (cleared_by IN ('gp', 'physiotherapist', 'emergency_team')),
    name        TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    checked_on  TEXT NOT NULL CHECK (length(checked_on) = 10),
    signs       TEXT NOT NULL CHECK (json_valid(signs)),
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    PRIMARY KEY (person_id, recorded_at, id)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE clearances;
DROP TABLE safety_screens;
