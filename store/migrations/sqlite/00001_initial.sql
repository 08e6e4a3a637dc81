-- The first schema: accounts, profiles, assessments, plans, guided
-- sessions, the diary and the audit trail. Times are UTC text written
-- 'YYYY-MM-DDTHH:MM:SS.ffffffZ' (fixed width, so text order is time order);
-- lists and documents are JSON text. STRICT tables refuse values of the
-- wrong type; the CHECKs repeat the domain's rules as a second line.
--
-- The diary, the sessions and the audit trail are read a person and a time
-- range at a time, so they are stored in that order (WITHOUT ROWID tables
-- keyed by person, time and id): a year of them is one range of the
-- b-tree, and each write touches fewer pages. The audit trail's ids are
-- random and checked unique by the domain on import; a separate unique
-- index for them would cost a page write on every change.

-- +goose Up
CREATE TABLE persons (
    id         TEXT PRIMARY KEY CHECK (length(id) = 26),
    handle     TEXT UNIQUE CHECK (handle IS NULL OR length(handle) BETWEEN 1 AND 64),
    name       TEXT NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    role       TEXT NOT NULL CHECK (role IN ('person', 'clinician')),
    created_at TEXT NOT NULL CHECK (length(created_at) = 27)
) STRICT;

CREATE TABLE profiles (
    person_id          TEXT PRIMARY KEY REFERENCES persons (id),
    time_zone          TEXT NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    conditions         TEXT NOT NULL CHECK (json_valid(conditions)),
    places             TEXT NOT NULL CHECK (json_valid(places)),
    equipment          TEXT NOT NULL CHECK (json_valid(equipment)),
    minutes            INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 60),
    clinician_assessed INTEGER NOT NULL CHECK (clinician_assessed IN (0, 1)),
    updated_at         TEXT NOT NULL CHECK (length(updated_at) = 27)
) STRICT;

CREATE TABLE assessments (
    id        TEXT PRIMARY KEY CHECK (length(id) = 26),
    person_id TEXT NOT NULL REFERENCES persons (id),
    taken_at  TEXT NOT NULL CHECK (length(taken_at) = 27),
    urgency   TEXT NOT NULL CHECK (urgency IN ('self_care', 'soon', 'urgent', 'emergency')),
    stage     TEXT NOT NULL CHECK (stage IN ('none', 'mild', 'moderate', 'high')),
    pain_now  INTEGER NOT NULL CHECK (pain_now BETWEEN 0 AND 10),
    answers   TEXT NOT NULL CHECK (json_valid(answers)),
    result    TEXT NOT NULL CHECK (json_valid(result))
) STRICT;
CREATE INDEX assessments_person_time ON assessments (person_id, taken_at);

CREATE TABLE plans (
    id            TEXT PRIMARY KEY CHECK (length(id) = 26),
    person_id     TEXT NOT NULL REFERENCES persons (id),
    assessment_id TEXT REFERENCES assessments (id),
    created_at    TEXT NOT NULL CHECK (length(created_at) = 27),
    plan          TEXT NOT NULL CHECK (json_valid(plan))
) STRICT;
CREATE INDEX plans_person_time ON plans (person_id, created_at);
CREATE INDEX plans_assessment ON plans (assessment_id);

CREATE TABLE sessions (
    id               TEXT NOT NULL UNIQUE CHECK (length(id) = 26),
    person_id        TEXT NOT NULL REFERENCES persons (id),
    plan_id          TEXT REFERENCES plans (id),
    started_at       TEXT NOT NULL CHECK (length(started_at) = 27),
    duration_seconds INTEGER NOT NULL CHECK (duration_seconds BETWEEN 0 AND 14400),
    level            INTEGER NOT NULL CHECK (level BETWEEN -10 AND 10),
    pain_before      INTEGER NOT NULL CHECK (pain_before BETWEEN 0 AND 10),
    pain_after       INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    PRIMARY KEY (person_id, started_at, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_plan ON sessions (plan_id);

CREATE TABLE session_exercises (
    session_id  TEXT NOT NULL REFERENCES sessions (id),
    position    INTEGER NOT NULL CHECK (position >= 0),
    exercise_id TEXT NOT NULL CHECK (length(exercise_id) BETWEEN 1 AND 64),
    outcome     TEXT NOT NULL CHECK (outcome IN ('done', 'skipped', 'stopped')),
    reason      TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    seconds     INTEGER NOT NULL CHECK (seconds BETWEEN 0 AND 14400),
    PRIMARY KEY (session_id, position),
    CHECK (outcome <> 'stopped' OR reason <> ''),
    CHECK (outcome <> 'done' OR reason = '')
) STRICT, WITHOUT ROWID;

CREATE TABLE diary_entries (
    id          TEXT NOT NULL UNIQUE CHECK (length(id) = 26),
    person_id   TEXT NOT NULL REFERENCES persons (id),
    at          TEXT NOT NULL CHECK (length(at) = 27),
    pain        INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
    note        TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    flags_asked INTEGER NOT NULL CHECK (flags_asked IN (0, 1)),
    flags       TEXT NOT NULL CHECK (json_valid(flags)),
    CHECK (flags_asked = 1 OR flags = '[]'),
    PRIMARY KEY (person_id, at, id)
) STRICT, WITHOUT ROWID;

CREATE TABLE audit_log (
    id        TEXT NOT NULL CHECK (length(id) = 26),
    at        TEXT NOT NULL CHECK (length(at) = 27),
    actor_id  TEXT NOT NULL CHECK (length(actor_id) = 26),
    person_id TEXT NOT NULL CHECK (length(person_id) = 26),
    action    TEXT NOT NULL CHECK (action IN ('create', 'update', 'delete', 'read', 'export', 'import')),
    kind      TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    record_id TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (person_id, at, id)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE audit_log;
DROP TABLE diary_entries;
DROP TABLE session_exercises;
DROP TABLE sessions;
DROP TABLE plans;
DROP TABLE assessments;
DROP TABLE profiles;
DROP TABLE persons;
