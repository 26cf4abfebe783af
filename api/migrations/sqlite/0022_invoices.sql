-- What each line was charged (see docs/checkout.md, "Invoices"): its VAT class and
-- rate, its share of the discount and the VAT in or on it, and the same for delivery.
-- A change of quantities prices the order again from these; an invoice prints them.
ALTER TABLE order_items ADD COLUMN tax_class TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE order_items ADD COLUMN tax_rate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_items ADD COLUMN discount_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_items ADD COLUMN tax_minor INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN delivery_tax_rate INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN delivery_tax_minor INTEGER NOT NULL DEFAULT 0;

-- Invoices and credit notes, numbered gap-free per kind: the next number is taken in
-- the transaction that writes the document. The document is stored whole (JSON), as
-- issued. Orders with documents are never deleted (erasure anonymises them instead).
CREATE TABLE document_sequences (
    kind TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);
INSERT INTO document_sequences (kind, last) VALUES ('invoice', 0), ('credit_note', 0);

CREATE TABLE invoices (
    id        INTEGER PRIMARY KEY,
    number    TEXT    NOT NULL UNIQUE,
    kind      TEXT    NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
    order_id  INTEGER NOT NULL REFERENCES orders (id),
    issued_at TEXT    NOT NULL,
    document  TEXT    NOT NULL,
    UNIQUE (order_id, kind)
);
