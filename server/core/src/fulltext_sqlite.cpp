// The `mnemos` FTS5 tokenizer: `tokenize='mnemos french'` or `'mnemos english'` on a virtual
// table. It emits the terms of fulltext::terms with their byte offsets, for documents and queries.
#include <sqlite3.h>

#include <new>
#include <stdexcept>
#include <string>

#include "fulltext_terms.hpp"

namespace mnemos::fulltext::detail {
namespace {

struct Tokenizer {
  Language language = Language::french;
};

int create(void*, const char** arguments, int count, Fts5Tokenizer** out) {
  auto language = count > 0 ? parse_language(arguments[0]) : std::optional<Language>(Language::french);
  if (!language) return SQLITE_ERROR;
  auto* tokenizer = new (std::nothrow) Tokenizer{*language};
  if (tokenizer == nullptr) return SQLITE_NOMEM;
  *out = reinterpret_cast<Fts5Tokenizer*>(tokenizer);
  return SQLITE_OK;
}

void destroy(Fts5Tokenizer* tokenizer) { delete reinterpret_cast<Tokenizer*>(tokenizer); }

int tokenize(Fts5Tokenizer* handle, void* context, int, const char* text, int length,
             int (*on_token)(void*, int, const char*, int, int, int)) {
  const auto* tokenizer = reinterpret_cast<Tokenizer*>(handle);
  int status = SQLITE_OK;
  try {
    for_each_term(std::string_view(text, static_cast<std::size_t>(length)), tokenizer->language,
                  [&](const std::string& term, const Word& word) {
                    if (status != SQLITE_OK) return;
                    status = on_token(context, 0, term.data(), static_cast<int>(term.size()),
                                      static_cast<int>(word.start), static_cast<int>(word.end));
                  });
  } catch (const std::bad_alloc&) {
    return SQLITE_NOMEM;
  } catch (...) {
    return SQLITE_ERROR;
  }
  return status == SQLITE_DONE ? SQLITE_OK : status;
}

fts5_api* fts5_of(sqlite3* connection) {
  fts5_api* api = nullptr;
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(connection, "SELECT fts5(?1)", -1, &statement, nullptr) != SQLITE_OK) return nullptr;
  sqlite3_bind_pointer(statement, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(statement);
  sqlite3_finalize(statement);
  return api;
}

}  // namespace

void register_sqlite_tokenizer(void* connection) {
  fts5_api* api = fts5_of(static_cast<sqlite3*>(connection));
  if (api == nullptr) throw std::runtime_error("this SQLite has no FTS5");
  fts5_tokenizer tokenizer{create, destroy, tokenize};
  if (api->xCreateTokenizer(api, "mnemos", nullptr, &tokenizer, nullptr) != SQLITE_OK) {
    throw std::runtime_error("could not register the mnemos FTS5 tokenizer");
  }
}

}  // namespace mnemos::fulltext::detail
