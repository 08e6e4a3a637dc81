-- Version 7: clinic mode. A clinic has clinicians (clinic_members, one
-- of them at least an admin who adds the others); a clinician invites a
-- person with a secret code, of which only the SHA-256 is kept, usable
-- once before it expires; the person's consent lets the clinician (or,
-- with no clinician named, every clinician of the clinic) read the parts
-- of their record it lists until it is revoked; a clinician may assign a
-- programme, of which at most one per person is active.

-- +goose Up
CREATE TABLE clinics (
    id         TEXT PRIMARY KEY CHECK (length(id) = 26),
    name       TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    created_at TEXT NOT NULL CHECK (length(created_at) = 27)
) STRICT;

CREATE TABLE clinic_members (
    clinic_id TEXT NOT NULL REFERENCES clinics (id),
    person_id TEXT NOT NULL REFERENCES persons (id),
    role      TEXT NOT NULL CHECK (role IN ('clinician', 'admin')),
    added_at  TEXT NOT NULL CHECK (length(added_at) = 27),
    PRIMARY KEY (clinic_id, person_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX clinic_members_person ON clinic_members (person_id);

CREATE TABLE clinic_invitations (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    clinic_id    TEXT NOT NULL REFERENCES clinics (id),
    clinician_id TEXT NOT NULL REFERENCES persons (id),
    hash         TEXT NOT NULL UNIQUE CHECK (length(hash) = 64 AND hash NOT GLOB '*[^0-9a-f]*'),
    shares       TEXT NOT NULL CHECK (json_valid(shares) AND json_type(shares) = 'array'),
    created_at   TEXT NOT NULL CHECK (length(created_at) = 27),
    expires_at   TEXT NOT NULL CHECK (length(expires_at) = 27),
    used_at      TEXT CHECK (length(used_at) = 27)
) STRICT;
CREATE INDEX clinic_invitations_clinician ON clinic_invitations (clinician_id);

CREATE TABLE consents (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    patient_id   TEXT NOT NULL REFERENCES persons (id),
    clinic_id    TEXT NOT NULL REFERENCES clinics (id),
    clinician_id TEXT REFERENCES persons (id),
    shares       TEXT NOT NULL CHECK (json_valid(shares) AND json_type(shares) = 'array'),
    granted_at   TEXT NOT NULL CHECK (length(granted_at) = 27),
    revoked_at   TEXT CHECK (length(revoked_at) = 27),
    CHECK (clinician_id IS NULL OR clinician_id <> patient_id)
) STRICT;
CREATE INDEX consents_patient ON consents (patient_id, granted_at);
CREATE INDEX consents_clinician ON consents (clinician_id) WHERE revoked_at IS NULL;
CREATE INDEX consents_clinic ON consents (clinic_id) WHERE revoked_at IS NULL;

CREATE TABLE programmes (
    id           TEXT PRIMARY KEY CHECK (length(id) = 26),
    patient_id   TEXT NOT NULL REFERENCES persons (id),
    clinician_id TEXT NOT NULL REFERENCES persons (id),
    exercises    TEXT NOT NULL CHECK (json_valid(exercises) AND json_type(exercises) = 'array'),
    notes        TEXT NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    days         TEXT NOT NULL CHECK (json_valid(days) AND json_type(days) = 'array'),
    created_at   TEXT NOT NULL CHECK (length(created_at) = 27),
    active       INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;
CREATE INDEX programmes_patient ON programmes (patient_id, created_at);
CREATE UNIQUE INDEX programmes_active ON programmes (patient_id) WHERE active = 1;

-- +goose Down
DROP TABLE programmes;
DROP TABLE consents;
DROP TABLE clinic_invitations;
DROP TABLE clinic_members;
DROP TABLE clinics;
