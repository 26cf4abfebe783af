-- Answers to changes sent with an Idempotency-Key, so a replay (an offline action sent
-- again after a lost answer) gets the first answer instead of acting twice.
CREATE TABLE idempotent_requests (
    key          TEXT PRIMARY KEY,
    method       TEXT NOT NULL,
    path         TEXT NOT NULL,
    -- NULL while the first request is still being handled.
    status       INTEGER,
    content_type TEXT,
    body         BLOB,
    created_at   TEXT NOT NULL
);
CREATE INDEX idempotent_requests_by_age ON idempotent_requests (created_at);
