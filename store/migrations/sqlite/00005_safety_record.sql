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
    via       TEXT NOT NULL CHECK (via IN ('web', 'api', 'terminal', 'desktop', 'unknown')),
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

-- The warning signs answered before this version are carried over, so
-- that a sign found then still stands until a clinician clears it: the
-- red flags of every assessment, and the flags of every check-in. Their
-- interface was not recorded ('unknown'). A screen's id is its source
-- record's id with the first letter changed, so it is as unguessable and
-- cannot equal the source's.
INSERT INTO safety_screens (id, person_id, at, kind, via, complete, signs)
SELECT CASE WHEN substr(id, 1, 1) = 's' THEN 't' ELSE 's' END || substr(id, 2), person_id, taken_at, 'assessment', 'unknown', 1,
       json_extract(result, '$.red_flags')
FROM assessments
WHERE json_array_length(json_extract(result, '$.red_flags')) > 0;

INSERT INTO safety_screens (id, person_id, at, kind, via, complete, signs)
SELECT CASE WHEN substr(id, 1, 1) = 's' THEN 't' ELSE 's' END || substr(id, 2), person_id, at, 'check_in', 'unknown', 1, flags
FROM diary_entries
WHERE json_array_length(flags) > 0;

-- +goose Down
DROP TABLE clearances;
DROP TABLE safety_screens;
