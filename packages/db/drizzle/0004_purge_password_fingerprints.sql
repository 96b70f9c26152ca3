-- Fingerprints of auth.changePassword stored before they were keyed with the server secret were
-- a plain SHA-256 of both passwords: guessable offline by anyone who can read this table or a
-- backup. They only ever served replays within 24 h; drop them (a replay then runs afresh and
-- fails on the current-password check, which is safe).
DELETE FROM "idempotency_records" WHERE "path" = 'auth.changePassword';
