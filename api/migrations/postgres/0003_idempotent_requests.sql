-- PostgreSQL twin of migrations/sqlite/0003_idempotent_requests.sql: BIGINT where SQLite says INTEGER (SQLite's
-- integers are 64-bit), identity ids, BYTEA, and the C collation so text sorts and
-- compares byte by byte as in SQLite.
-- Answers to changes sent with an Idempotency-Key, so a replay (an offline action sent
-- again after a lost answer) gets the first answer instead of acting twice.
CREATE TABLE idempotent_requests (
    key          TEXT COLLATE "C" PRIMARY KEY,
    method       TEXT COLLATE "C" NOT NULL,
    path         TEXT COLLATE "C" NOT NULL,
    -- NULL while the first request is still being handled.
    status       BIGINT ,
    content_type TEXT COLLATE "C",
    body         BYTEA,
    created_at   TEXT COLLATE "C" NOT NULL
);
CREATE INDEX idempotent_requests_by_age ON idempotent_requests (created_at);
