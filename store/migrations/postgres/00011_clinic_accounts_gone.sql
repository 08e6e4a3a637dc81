-- Version 11: a clinician's account can go while the programmes they
-- assigned stay with their patients. A programme whose clinician_id is
-- NULL was assigned by a clinician who has since deleted their account
-- (it is inactive from then on). The diary's index by person and time
-- also holds the pain, so that the clinic dashboard reads the pain of
-- every patient's last two weeks from the index alone.

-- +goose Up
ALTER TABLE programmes ALTER COLUMN clinician_id DROP NOT NULL;
CREATE INDEX diary_entries_person_time_pain ON diary_entries (person_id, at) INCLUDE (pain);
DROP INDEX diary_entries_person_time;
ALTER INDEX diary_entries_person_time_pain RENAME TO diary_entries_person_time;

-- +goose Down
DROP INDEX diary_entries_person_time;
CREATE INDEX diary_entries_person_time ON diary_entries (person_id, at);
DELETE FROM programmes WHERE clinician_id IS NULL;
ALTER TABLE programmes ALTER COLUMN clinician_id SET NOT NULL;
