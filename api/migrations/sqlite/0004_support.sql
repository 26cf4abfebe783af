-- Reaching a person: live chat, call-back requests, contact tickets, the FAQ, feedback
-- and product ratings. Times are UTC ISO-8601 text, like everywhere else.
--
-- Whose is what: a signed-in shopper's rows carry their customer_id. A guest's carry
-- the SHA-256 of a secret support token their browser made (guest_token_hash); the
-- token itself is never stored. When the guest signs in, their rows are adopted into
-- the account (customer_id set, the hash kept for the record).

CREATE TABLE conversations (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    guest_token_hash TEXT,
    customer_name    TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    started_at       TEXT    NOT NULL
);
CREATE INDEX conversations_by_customer ON conversations (customer_id, id);
CREATE INDEX conversations_by_guest ON conversations (guest_token_hash, id);
CREATE INDEX conversations_by_status ON conversations (status, id);

-- The id grows across every conversation, so a client can ask for "everything after N".
-- client_id is the sender's own id for a message: a resend after a dropped connection
-- hits the unique key and is stored once.
CREATE TABLE chat_messages (
    id              INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    client_id       TEXT    NOT NULL,
    author          TEXT    NOT NULL CHECK (author IN ('customer', 'agent')),
    author_name     TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    at              TEXT    NOT NULL,
    UNIQUE (conversation_id, client_id)
);
CREATE INDEX chat_messages_by_conversation ON chat_messages (conversation_id, id);

-- "window" is a reserved word in PostgreSQL, hence call_window.
CREATE TABLE callbacks (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    guest_token_hash TEXT,
    name             TEXT    NOT NULL,
    phone            TEXT    NOT NULL,
    call_window      TEXT    NOT NULL CHECK (call_window IN ('asap', 'morning', 'afternoon')),
    topic            TEXT    NOT NULL,
    order_number     TEXT,
    status           TEXT    NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'scheduled', 'done')),
    expected         TEXT    NOT NULL,
    scheduled_for    TEXT,
    note             TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX callbacks_by_customer ON callbacks (customer_id, id);
CREATE INDEX callbacks_by_guest ON callbacks (guest_token_hash, id);
CREATE INDEX callbacks_by_status ON callbacks (status, created_at);

CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    guest_token_hash TEXT,
    name             TEXT    NOT NULL,
    email            TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    order_number     TEXT,
    status           TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX tickets_by_customer ON tickets (customer_id, id);
CREATE INDEX tickets_by_guest ON tickets (guest_token_hash, id);
CREATE INDEX tickets_by_status ON tickets (status, id);
CREATE INDEX tickets_by_email ON tickets (email);

CREATE TABLE ticket_messages (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    author      TEXT    NOT NULL CHECK (author IN ('customer', 'agent')),
    author_name TEXT    NOT NULL,
    body        TEXT    NOT NULL,
    at          TEXT    NOT NULL
);
CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, id);

CREATE TABLE faq_categories (
    slug     TEXT    PRIMARY KEY,
    name     TEXT    NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE faq_articles (
    id            INTEGER PRIMARY KEY,
    slug          TEXT    NOT NULL UNIQUE,
    category_slug TEXT    NOT NULL REFERENCES faq_categories (slug),
    question      TEXT    NOT NULL,
    answer        TEXT    NOT NULL,
    position      INTEGER NOT NULL,
    helpful       INTEGER NOT NULL DEFAULT 0 CHECK (helpful >= 0),
    unhelpful     INTEGER NOT NULL DEFAULT 0 CHECK (unhelpful >= 0)
);
CREATE INDEX faq_articles_by_category ON faq_articles (category_slug, position);

-- One vote per browser session and article; the counts above are kept in step with
-- it. No foreign key to sessions: a vote outlives the session that cast it (signing in
-- rotates the session).
CREATE TABLE faq_votes (
    article_id   INTEGER NOT NULL REFERENCES faq_articles (id) ON DELETE CASCADE,
    session_hash TEXT    NOT NULL,
    helpful      INTEGER NOT NULL,
    PRIMARY KEY (article_id, session_hash)
);

CREATE TABLE feedback (
    id               INTEGER PRIMARY KEY,
    customer_id      INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    guest_token_hash TEXT,
    email            TEXT,
    kind             TEXT    NOT NULL CHECK (kind IN ('complaint', 'compliment')),
    body             TEXT    NOT NULL,
    order_number     TEXT,
    created_at       TEXT    NOT NULL
);
CREATE INDEX feedback_by_customer ON feedback (customer_id, id);
CREATE INDEX feedback_by_guest ON feedback (guest_token_hash, id);

-- One rating per product of a delivered order; rating again replaces it.
CREATE TABLE ratings (
    order_id    INTEGER NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id  INTEGER NOT NULL,
    customer_id INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     TEXT    NOT NULL DEFAULT '',
    at          TEXT    NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
CREATE INDEX ratings_by_customer ON ratings (customer_id, at);
CREATE INDEX ratings_by_product ON ratings (product_id);
