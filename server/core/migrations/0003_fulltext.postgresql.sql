-- Full-text search (fulltext.hpp): PostgreSQL's French and English configurations with accents
-- folded first (unaccent, a trusted extension: the database's owner may create it).
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION mnemos_french (COPY = pg_catalog.french);
ALTER TEXT SEARCH CONFIGURATION mnemos_french ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION mnemos_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION mnemos_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TABLE core_fulltext (
  id BIGSERIAL PRIMARY KEY,
  school_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  language TEXT NOT NULL CHECK (language IN ('french', 'english')),
  body TEXT NOT NULL,
  terms TSVECTOR NOT NULL
);
CREATE UNIQUE INDEX core_fulltext_doc ON core_fulltext (kind, doc_id);
CREATE INDEX core_fulltext_scope ON core_fulltext (school_id, kind, scope_id);
CREATE INDEX core_fulltext_terms ON core_fulltext USING GIN (terms);
