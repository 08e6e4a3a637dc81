-- The first schema: accounts, profiles, assessments, plans, guided
-- sessions, the diary and the audit trail. Times are timestamptz (UTC,
-- microseconds); lists and documents are jsonb. The CHECKs repeat the
-- domain's rules as a second line.

-- +goose Up
CREATE TABLE persons (
    id         text PRIMARY KEY CHECK (length(id) = 26),
    handle     text UNIQUE CHECK (handle IS NULL OR length(handle) BETWEEN 1 AND 64),
    name       text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    role       text NOT NULL CHECK (role IN ('person', 'clinician')),
    created_at timestamptz NOT NULL
);

CREATE TABLE profiles (
    person_id          text PRIMARY KEY REFERENCES persons (id),
    time_zone          text NOT NULL CHECK (length(time_zone) BETWEEN 1 AND 64),
    conditions         jsonb NOT NULL CHECK (jsonb_typeof(conditions) = 'array'),
    places             jsonb NOT NULL CHECK (jsonb_typeof(places) = 'array'),
    equipment          jsonb NOT NULL CHECK (jsonb_typeof(equipment) = 'array'),
    minutes            integer NOT NULL CHECK (minutes BETWEEN 0 AND 60),
    clinician_assessed boolean NOT NULL,
    updated_at         timestamptz NOT NULL
);

CREATE TABLE assessments (
    id        text PRIMARY KEY CHECK (length(id) = 26),
    person_id text NOT NULL REFERENCES persons (id),
    taken_at  timestamptz NOT NULL,
    urgency   text NOT NULL CHECK (urgency IN ('self_care', 'soon', 'urgent', 'emergency')),
    stage     text NOT NULL CHECK (stage IN ('none', 'mild', 'moderate', 'high')),
    pain_now  integer NOT NULL CHECK (pain_now BETWEEN 0 AND 10),
    answers   jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'object'),
    result    jsonb NOT NULL CHECK (jsonb_typeof(result) = 'object')
);
CREATE INDEX assessments_person_time ON assessments (person_id, taken_at);

CREATE TABLE plans (
    id            text PRIMARY KEY CHECK (length(id) = 26),
    person_id     text NOT NULL REFERENCES persons (id),
    assessment_id text REFERENCES assessments (id),
    created_at    timestamptz NOT NULL,
    plan          jsonb NOT NULL CHECK (jsonb_typeof(plan) = 'object')
);
CREATE INDEX plans_person_time ON plans (person_id, created_at);
CREATE INDEX plans_assessment ON plans (assessment_id);

CREATE TABLE sessions (
    id               text PRIMARY KEY CHECK (length(id) = 26),
    person_id        text NOT NULL REFERENCES persons (id),
    plan_id          text REFERENCES plans (id),
    started_at       timestamptz NOT NULL,
    duration_seconds integer NOT NULL CHECK (duration_seconds BETWEEN 0 AND 14400),
    level            integer NOT NULL CHECK (level BETWEEN -10 AND 10),
    pain_before      integer NOT NULL CHECK (pain_before BETWEEN 0 AND 10),
    pain_after       integer CHECK (pain_after BETWEEN 0 AND 10)
);
CREATE INDEX sessions_person_time ON sessions (person_id, started_at);
CREATE INDEX sessions_plan ON sessions (plan_id);

CREATE TABLE session_exercises (
    session_id  text NOT NULL REFERENCES sessions (id),
    position    integer NOT NULL CHECK (position >= 0),
    exercise_id text NOT NULL CHECK (length(exercise_id) BETWEEN 1 AND 64),
    outcome     text NOT NULL CHECK (outcome IN ('done', 'skipped', 'stopped')),
    reason      text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    seconds     integer NOT NULL CHECK (seconds BETWEEN 0 AND 14400),
    PRIMARY KEY (session_id, position),
    CHECK (outcome <> 'stopped' OR reason <> ''),
    CHECK (outcome <> 'done' OR reason = '')
);

CREATE TABLE diary_entries (
    id          text PRIMARY KEY CHECK (length(id) = 26),
    person_id   text NOT NULL REFERENCES persons (id),
    at          timestamptz NOT NULL,
    pain        integer NOT NULL CHECK (pain BETWEEN 0 AND 10),
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    flags_asked boolean NOT NULL,
    flags       jsonb NOT NULL CHECK (jsonb_typeof(flags) = 'array'),
    CHECK (flags_asked OR flags = '[]'::jsonb)
);
CREATE INDEX diary_entries_person_time ON diary_entries (person_id, at);

CREATE TABLE audit_log (
    id        text PRIMARY KEY CHECK (length(id) = 26),
    at        timestamptz NOT NULL,
    actor_id  text NOT NULL CHECK (length(actor_id) = 26),
    person_id text NOT NULL CHECK (length(person_id) = 26),
    action    text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'read', 'export', 'import')),
    kind      text NOT NULL CHECK (length(kind) BETWEEN 1 AND 32),
    record_id text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_person_time ON audit_log (person_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE diary_entries;
DROP TABLE session_exercises;
DROP TABLE sessions;
DROP TABLE plans;
DROP TABLE assessments;
DROP TABLE profiles;
DROP TABLE persons;
