-- Version 12: the keys of forms and records already handled, so that two
-- quick taps, or a record sent again after its answer was lost, make one
-- record, whichever server takes them and across restarts (see the
-- PostgreSQL migration). A claim is a row; outcome is the record it made
-- ('' while the first request is still at work).

-- +goose Up
CREATE TABLE form_keys (
    person_id  TEXT NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
    key        TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 80),
    claimed_at TEXT NOT NULL CHECK (length(claimed_at) = 27),
    outcome    TEXT NOT NULL DEFAULT '' CHECK (length(outcome) <= 100),
    PRIMARY KEY (person_id, key)
) STRICT;
CREATE INDEX form_keys_claimed_at ON form_keys (claimed_at);

-- +goose Down
DROP TABLE form_keys;
