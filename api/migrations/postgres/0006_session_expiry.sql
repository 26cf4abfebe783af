-- PostgreSQL twin of migrations/sqlite/0006_session_expiry.sql: BIGINT where SQLite says INTEGER (SQLite's
-- integers are 64-bit), identity ids, BYTEA, and the C collation so text sorts and
-- compares byte by byte as in SQLite.
-- Expired sessions are deleted every hour (accounts::delete_expired_sessions); this
-- index lets that find them without reading every session.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
