-- PostgreSQL twin of migrations/sqlite/0010_rate_hits.sql: each rate-limited request,
-- counted here so that every instance on this database shares one allowance per key.
CREATE TABLE rate_hits (
    key   TEXT COLLATE "C" NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits (key, at_ms);
CREATE INDEX rate_hits_by_age ON rate_hits (at_ms);
