-- Version 7: clinic mode. A clinic has clinicians (clinic_members, one
-- of them at least an admin who adds the others); a clinician invites a
-- person with a secret code, of which only the SHA-256 is kept, usable
-- once before it expires; the person's consent lets the clinician (or,
-- with no clinician named, every clinician of the clinic) read the parts
-- of their record it lists until it is revoked; a clinician may assign a
-- programme, of which at most one per person is active.

-- +goose Up
CREATE TABLE clinics (
    id         text PRIMARY KEY CHECK (length(id) = 26),
    name       text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL
);

CREATE TABLE clinic_members (
    clinic_id text NOT NULL REFERENCES clinics (id),
    person_id text NOT NULL REFERENCES persons (id),
    role      text NOT NULL CHECK (role IN ('clinician', 'admin')),
    added_at  timestamptz NOT NULL,
    PRIMARY KEY (clinic_id, person_id)
);
CREATE INDEX clinic_members_person ON clinic_members (person_id);

CREATE TABLE clinic_invitations (
    id           text PRIMARY KEY CHECK (length(id) = 26),
    clinic_id    text NOT NULL REFERENCES clinics (id),
    clinician_id text NOT NULL REFERENCES persons (id),
    hash         text NOT NULL UNIQUE CHECK (hash ~ '^[0-9a-f]{64}$'),
    shares       jsonb NOT NULL CHECK (jsonb_typeof(shares) = 'array'),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz
);
CREATE INDEX clinic_invitations_clinician ON clinic_invitations (clinician_id);

CREATE TABLE consents (
    id           text PRIMARY KEY CHECK (length(id) = 26),
    patient_id   text NOT NULL REFERENCES persons (id),
    clinic_id    text NOT NULL REFERENCES clinics (id),
    clinician_id text REFERENCES persons (id),
    shares       jsonb NOT NULL CHECK (jsonb_typeof(shares) = 'array'),
    granted_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    CHECK (clinician_id IS NULL OR clinician_id <> patient_id)
);
CREATE INDEX consents_patient ON consents (patient_id, granted_at);
CREATE INDEX consents_clinician ON consents (clinician_id) WHERE revoked_at IS NULL;
CREATE INDEX consents_clinic ON consents (clinic_id) WHERE revoked_at IS NULL;

CREATE TABLE programmes (
    id           text PRIMARY KEY CHECK (length(id) = 26),
    patient_id   text NOT NULL REFERENCES persons (id),
    clinician_id text NOT NULL REFERENCES persons (id),
    exercises    jsonb NOT NULL CHECK (jsonb_typeof(exercises) = 'array'),
    notes        text NOT NULL DEFAULT '' CHECK (length(notes) <= 2000),
    days         jsonb NOT NULL CHECK (jsonb_typeof(days) = 'array'),
    created_at   timestamptz NOT NULL,
    active       boolean NOT NULL
);
CREATE INDEX programmes_patient ON programmes (patient_id, created_at);
CREATE UNIQUE INDEX programmes_active ON programmes (patient_id) WHERE active;

-- +goose Down
DROP TABLE programmes;
DROP TABLE consents;
DROP TABLE clinic_invitations;
DROP TABLE clinic_members;
DROP TABLE clinics;
