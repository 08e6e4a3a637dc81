-- Version 5: the safety record (docs/clinical.md §3). Every time the
-- warning signs are asked, in any interface, one screen row keeps when,
-- where and the signs answered yes; a clearance row keeps that a
-- clinician checked the person and said they may exercise, and the signs
-- it covers. Nothing here is ever updated: the record only grows, and
-- goes with the person's export and deletion.

-- +goose Up
CREATE TABLE safety_screens (
    id        text PRIMARY KEY CHECK (length(id) = 26),
    person_id text NOT NULL REFERENCES persons (id),
    at        timestamptz NOT NULL,
    kind      text NOT NULL CHECK (kind IN ('assessment', 'check_in', 'session', 'break')),
    via       text NOT NULL CHECK (via IN ('web', 'api', 'terminal', 'desktop', 'unknown')),
    complete  boolean NOT NULL,
    signs     jsonb NOT NULL
);
CREATE INDEX safety_screens_person_time ON safety_screens (person_id, at);

CREATE TABLE clearances (
    id          text PRIMARY KEY CHECK (length(id) = 26),
    person_id   text NOT NULL REFERENCES persons (id),
    recorded_at timestamptz NOT NULL,
    cleared_by  text NOT NULL CHECK (cleared_by IN ('gp', 'physiotherapist', 'emergency_team')),
    name        text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    checked_on  text NOT NULL CHECK (length(checked_on) = 10),
    signs       jsonb NOT NULL,
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 500)
);
CREATE INDEX clearances_person_time ON clearances (person_id, recorded_at);

-- The warning signs answered before this version are carried over, so
-- that a sign found then still stands until a clinician clears it: the
-- red flags of every assessment, and the flags of every check-in. Their
-- interface was not recorded ('unknown'). A screen's id is its source
-- record's id with the first letter changed, so it is as unguessable and
-- cannot equal the source's.
INSERT INTO safety_screens (id, person_id, at, kind, via, complete, signs)
SELECT CASE WHEN substr(id, 1, 1) = 's' THEN 't' ELSE 's' END || substr(id, 2), person_id, taken_at, 'assessment', 'unknown', true,
       (result::jsonb) -> 'red_flags'
FROM assessments
WHERE jsonb_array_length((result::jsonb) -> 'red_flags') > 0;

INSERT INTO safety_screens (id, person_id, at, kind, via, complete, signs)
SELECT CASE WHEN substr(id, 1, 1) = 's' THEN 't' ELSE 's' END || substr(id, 2), person_id, at, 'check_in', 'unknown', true, flags
FROM diary_entries
WHERE jsonb_array_length(flags) > 0;

-- +goose Down
DROP TABLE clearances;
DROP TABLE safety_screens;
