-- A yonetici who loses their authenticator logs in with one of ten single-use recovery codes
-- given with the secret, then renews the secret themselves (issue 15). Only a SHA-256 of each
-- code is kept: the codes are 50 random bits each, shown once.
CREATE TABLE staff_recovery_codes (
    staff_id   INTEGER NOT NULL REFERENCES staff (id),
    code_hash  TEXT NOT NULL,
    used_at    INTEGER,
    PRIMARY KEY (staff_id, code_hash)
);
