-- Version 11: a clinician's account can go while the programmes they
-- assigned stay with their patients. A programme whose clinician_id is
-- NULL was assigned by a clinician who has since deleted their account
-- (it is inactive from then on). The diary's index by person and time
-- also holds the pain, so that the clinic dashboard reads the pain of
-- every patient's last two weeks from the index alone; and the screens
-- that found warning signs have an index of their own, so that it reads
-- them without a year of clean daily screens; so do the assessments that
-- did not allow exercise, so that it finds when the plan began without
-- reading every assessment.

-- +goose Up
ALTER TABLE programmes ALTER COLUMN clinician_id DROP NOT NULL;
CREATE INDEX diary_entries_person_time_pain ON diary_entries (person_id, at) INCLUDE (pain);
DROP INDEX diary_entries_person_time;
ALTER INDEX diary_entries_person_time_pain RENAME TO diary_entries_person_time;
CREATE INDEX safety_screens_signs ON safety_screens (person_id, at) WHERE jsonb_array_length(signs) > 0;
CREATE INDEX assessments_blocked ON assessments (person_id, taken_at) WHERE NOT (result->>'exercise_allowed')::boolean;

-- +goose Down
DROP INDEX assessments_blocked;
DROP INDEX safety_screens_signs;
DROP INDEX diary_entries_person_time;
CREATE INDEX diary_entries_person_time ON diary_entries (person_id, at);
DELETE FROM programmes WHERE clinician_id IS NULL;
ALTER TABLE programmes ALTER COLUMN clinician_id SET NOT NULL;
