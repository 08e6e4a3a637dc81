-- Version 6: personal access tokens get a scope and an expiry, and the
-- audit trail takes the security events.
--
-- A token's scope is 'read' (it may only read) or 'read_write'. Every
-- token stops working at expires_at. Tokens made before this version keep
-- working as they did, read and write, until 90 days after the upgrade.
--
-- The audit trail's new actions: a sign-in, a wrong password, a sign-in
-- refused because of too many attempts, and the use of an access token.

-- +goose Up
ALTER TABLE access_tokens
    ADD COLUMN scope text NOT NULL DEFAULT 'read_write' CHECK (scope IN ('read', 'read_write')),
    ADD COLUMN expires_at timestamptz;
UPDATE access_tokens SET expires_at = date_trunc('second', now()) + interval '90 days';
ALTER TABLE access_tokens ALTER COLUMN scope DROP DEFAULT, ALTER COLUMN expires_at SET NOT NULL;

ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN ('create', 'update', 'delete', 'read', 'export', 'import',
                                                                            'sign_in', 'sign_in_failure', 'lock_out', 'use'));

-- +goose Down
DELETE FROM audit_log WHERE action IN ('sign_in', 'sign_in_failure', 'lock_out', 'use');
ALTER TABLE audit_log DROP CONSTRAINT audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN ('create', 'update', 'delete', 'read', 'export', 'import'));
ALTER TABLE access_tokens DROP COLUMN expires_at, DROP COLUMN scope;
