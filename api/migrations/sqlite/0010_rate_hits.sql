-- Rate-limited requests counted in the database, so that several instances on one
-- database share each allowance (see platform/rate_limit.rs). Only PostgreSQL counts
-- here; one SQLite server counts in memory, but the schemas stay twins.
CREATE TABLE rate_hits (
    key   TEXT NOT NULL,
    at_ms INTEGER NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits (key, at_ms);
CREATE INDEX rate_hits_by_age ON rate_hits (at_ms);
