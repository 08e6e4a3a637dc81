-- Version 11: a clinician's account can go while the programmes they
-- assigned stay with their patients (see the PostgreSQL migration): a
-- NULL clinician_id is a clinician who has deleted their account. SQLite
-- cannot drop NOT NULL, so the table is made again (nothing refers to it).
-- The screens that found warning signs have an index of their own, so
-- that the clinic dashboard reads them without a year of clean screens;
-- so do the assessments that did not allow exercise.

-- +goose Up
CREATE TABLE programmes_new (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    patient_id   TEXT NOT NULL REFERENCES persons (id),
    clinician_id TEXT REFERENCES persons (id),
    exercises    TEXT NOT NULL CHECK (json_valid(exercises) AND json_type(exercises) = 'array'),
    notes        TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    days         TEXT NOT NULL CHECK (json_valid(days) AND json_type(days) = 'array'),
    created_at   TEXT NOT NULL CHECK (length(created_at) = 27),
    active       INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;
INSERT INTO programmes_new SELECT id, patient_id, clinician_id, exercises, notes, days, created_at, active FROM programmes;
DROP TABLE programmes;
ALTER TABLE programmes_new RENAME TO programmes;
CREATE INDEX programmes_patient ON programmes (patient_id, created_at);
CREATE UNIQUE INDEX programmes_active ON programmes (patient_id) WHERE active = 1;
CREATE INDEX safety_screens_signs ON safety_screens (person_id, at) WHERE json_array_length(signs) > 0;
CREATE INDEX assessments_blocked ON assessments (person_id, taken_at) WHERE NOT json_extract(result, '$.exercise_allowed');

-- +goose Down
DROP INDEX assessments_blocked;
DROP INDEX safety_screens_signs;
CREATE TABLE programmes_old (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    patient_id   TEXT NOT NULL REFERENCES persons (id),
    clinician_id TEXT NOT NULL REFERENCES persons (id),
    exercises    TEXT NOT NULL CHECK (json_valid(exercises) AND json_type(exercises) = 'array'),
    notes        TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    days         TEXT NOT NULL CHECK (json_valid(days) AND json_type(days) = 'array'),
    created_at   TEXT NOT NULL CHECK (length(created_at) = 27),
    active       INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;
INSERT INTO programmes_old SELECT id, patient_id, clinician_id, exercises, notes, days, created_at, active FROM programmes WHERE clinician_id IS NOT NULL;
DROP TABLE programmes;
ALTER TABLE programmes_old RENAME TO programmes;
CREATE INDEX programmes_patient ON programmes (patient_id, created_at);
CREATE UNIQUE INDEX programmes_active ON programmes (patient_id) WHERE active = 1;
