-- Version 2: the diary's weekly PEG-3 and the break reminder's daily
-- statistics. The PEG items are all present or all absent.

-- +goose Up
ALTER TABLE diary_entries
    ADD COLUMN peg_pain integer CHECK (peg_pain BETWEEN 0 AND 10),
    ADD COLUMN peg_enjoyment integer CHECK (peg_enjoyment BETWEEN 0 AND 10),
    ADD COLUMN peg_activity integer CHECK (peg_activity BETWEEN 0 AND 10),
    ADD CONSTRAINT diary_entries_peg_whole CHECK (
        (peg_pain IS NULL) = (peg_enjoyment IS NULL) AND (peg_pain IS NULL) = (peg_activity IS NULL));

CREATE TABLE break_days (
    person_id      text NOT NULL REFERENCES persons (id),
    day            date NOT NULL,
    due            integer NOT NULL CHECK (due BETWEEN 0 AND 10000),
    taken          integer NOT NULL CHECK (taken BETWEEN 0 AND 10000),
    natural_breaks integer NOT NULL CHECK (natural_breaks BETWEEN 0 AND 10000),
    snoozed        integer NOT NULL CHECK (snoozed BETWEEN 0 AND 10000),
    skipped        integer NOT NULL CHECK (skipped BETWEEN 0 AND 10000),
    active_seconds integer NOT NULL CHECK (active_seconds BETWEEN 0 AND 90000),
    PRIMARY KEY (person_id, day)
);

-- +goose Down
DROP TABLE break_days;
ALTER TABLE diary_entries
    DROP CONSTRAINT diary_entries_peg_whole,
    DROP COLUMN peg_activity,
    DROP COLUMN peg_enjoyment,
    DROP COLUMN peg_pain;
