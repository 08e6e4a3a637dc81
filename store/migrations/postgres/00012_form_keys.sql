-- Version 12: the keys of forms and records already handled. Each form
-- carries a key drawn when its page was drawn, and the player's record a
-- key of its own; the first request with a key claims it by inserting
-- this row (a second insert of the same person and key fails, on any
-- server of the database), makes its record and writes the record's id
-- into outcome; a later request with the key answers with that record
-- instead of making another. outcome is '' while the first request is at
-- work. Claims older than a few days are pruned.

-- +goose Up
CREATE TABLE form_keys (
    person_id  text NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    key        text NOT NULL CHECK (length(key) BETWEEN 1 AND 80),
    claimed_at timestamptz NOT NULL,
    outcome    text NOT NULL DEFAULT '' CHECK (length(outcome) <= 100),
    PRIMARY KEY (person_id, key)
);
CREATE INDEX form_keys_claimed_at ON form_keys (claimed_at);

-- +goose Down
DROP TABLE form_keys;
