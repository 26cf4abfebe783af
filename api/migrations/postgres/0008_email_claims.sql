-- PostgreSQL twin of migrations/sqlite/0008_email_claims.sql: several servers deliver
-- the outbox; each claims an e-mail before sending it, so no two send the same one.
ALTER TABLE emails ADD COLUMN claimed_until TEXT COLLATE "C";
