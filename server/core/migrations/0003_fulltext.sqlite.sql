-- Full-text search (fulltext.hpp). The documents, then one FTS5 index per language over them
-- (external content: the text is stored once, here), tokenized by mnemos's own tokenizer. The
-- scope is indexed too, so that a search matches within its scopes instead of ranking every
-- school's documents first (it weighs nothing in the ranking).
CREATE TABLE core_fulltext (
  id INTEGER PRIMARY KEY,
  school_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  scope_id TEXT NOT NULL,
  doc_id TEXT NOT NULL,
  language TEXT NOT NULL CHECK (language IN ('french', 'english')),
  body TEXT NOT NULL
);
CREATE UNIQUE INDEX core_fulltext_doc ON core_fulltext (kind, doc_id);
CREATE INDEX core_fulltext_scope ON core_fulltext (school_id, kind, scope_id);
CREATE VIRTUAL TABLE core_fulltext_french USING fts5(body, scope_id, content='core_fulltext', content_rowid='id', tokenize='mnemos french');
CREATE VIRTUAL TABLE core_fulltext_english USING fts5(body, scope_id, content='core_fulltext', content_rowid='id', tokenize='mnemos english');
