-- Several servers may deliver the outbox (on PostgreSQL); each claims an e-mail before
-- sending it, until this time, so no two send the same one. A server that dies after
-- claiming leaves it to the others once the claim runs out.
ALTER TABLE emails ADD COLUMN claimed_until TEXT;
