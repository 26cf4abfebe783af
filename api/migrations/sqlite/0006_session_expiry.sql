-- Expired sessions are deleted every hour (accounts::delete_expired_sessions); this
-- index lets that find them without reading every session.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
