-- Categories as a tree, each with a photo and its name in the shop's other languages
-- (see docs/catalogue.md, "Categories").

-- The category it sits in; NULL at the top level. The catalogue writer refuses a
-- circle and a fourth level (domain/src/catalogue/tree.rs).
ALTER TABLE categories ADD COLUMN parent_id INTEGER REFERENCES categories (id);
-- Its photo as JSON (one Photo), or NULL for the drawn tile.
ALTER TABLE categories ADD COLUMN photo TEXT;

CREATE TABLE category_translations (
    category_id INTEGER NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (category_id, lang)
);
