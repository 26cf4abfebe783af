-- Product content in the shop's other languages (see docs/catalogue.md, "Languages").
-- The products row holds the shop's own language; a row here, its translation into
-- one other. A shopper reading in a language with no row gets the products row.
CREATE TABLE product_translations (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (product_id, lang)
);
-- A translated web address names one product in its language.
CREATE UNIQUE INDEX product_translations_by_slug ON product_translations (lang, slug);
