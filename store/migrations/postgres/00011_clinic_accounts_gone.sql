-- Version 11: a clinician's account can go while the programmes they
-- assigned stay with their patients. A programme whose clinician_id is
-- NULL was assigned by a clinician who has since deleted their account
-- (it is inactive from then on).

-- +goose Up
ALTER TABLE programmes ALTER COLUMN clinician_id DROP NOT NULL;

-- +goose Down
DELETE FROM programmes WHERE clinician_id IS NULL;
ALTER TABLE programmes ALTER COLUMN clinician_id SET NOT NULL;
