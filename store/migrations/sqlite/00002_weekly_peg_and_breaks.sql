-- Version 2: the diary's weekly PEG-3 and the break reminder's daily
-- statistics. The PEG items are all present or all absent.

-- +goose Up
ALTER TABLE diary_entries ADD COLUMN peg_pain INTEGER CHECK (peg_pain BETWEEN 0 AND 10);
ALTER TABLE diary_entries ADD COLUMN peg_enjoyment INTEGER CHECK (peg_enjoyment BETWEEN 0 AND 10);
ALTER TABLE diary_entries ADD COLUMN peg_activity INTEGER CHECK (peg_activity BETWEEN 0 AND 10);
-- ADD COLUMN cannot carry a CHECK over several columns; a trigger keeps
-- the PEG whole instead.
-- +goose StatementBegin
CREATE TRIGGER diary_entries_peg_whole_insert BEFORE INSERT ON diary_entries
WHEN (NEW.peg_pain IS NULL) <> (NEW.peg_enjoyment IS NULL) OR (NEW.peg_pain IS NULL) <> (NEW.peg_activity IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: peg items must be all present or all absent');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER diary_entries_peg_whole_update BEFORE UPDATE ON diary_entries
WHEN (NEW.peg_pain IS NULL) <> (NEW.peg_enjoyment IS NULL) OR (NEW.peg_pain IS NULL) <> (NEW.peg_activity IS NULL)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: peg items must be all present or all absent');
END;
-- +goose StatementEnd

CREATE TABLE break_days (
    person_id      TEXT NOT NULL REFERENCES persons (id),
    day            TEXT NOT NULL CHECK (length(day) = 10),
    due            INTEGER NOT NULL CHECK (due BETWEEN 0 AND 10000),
    taken          INTEGER NOT NULL CHECK (taken BETWEEN 0 AND 10000),
    natural_breaks INTEGER NOT NULL CHECK (natural_breaks BETWEEN 0 AND 10000),
    snoozed        INTEGER NOT NULL CHECK (snoozed BETWEEN 0 AND 10000),
    skipped        INTEGER NOT NULL CHECK (skipped BETWEEN 0 AND 10000),
    active_seconds INTEGER NOT NULL CHECK (active_seconds BETWEEN 0 AND 90000),
    PRIMARY KEY (person_id, day)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE break_days;
DROP TRIGGER diary_entries_peg_whole_update;
DROP TRIGGER diary_entries_peg_whole_insert;
ALTER TABLE diary_entries DROP COLUMN peg_activity;
ALTER TABLE diary_entries DROP COLUMN peg_enjoyment;
ALTER TABLE diary_entries DROP COLUMN peg_pain;
