#include "anki_package.hpp"

#include <sqlite3.h>
#include <zip.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace mnemos::test {
namespace {

void exec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error != nullptr ? error : "sqlite error";
    sqlite3_free(error);
    throw std::runtime_error(message + " in " + sql);
  }
}

void insert(sqlite3* db, const std::string& sql, const std::vector<std::string>& texts) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    throw std::runtime_error(sqlite3_errmsg(db));
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    sqlite3_bind_blob(statement, static_cast<int>(i + 1), texts[i].data(), static_cast<int>(texts[i].size()),
                      SQLITE_TRANSIENT);
  }
  if (sqlite3_step(statement) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
  sqlite3_finalize(statement);
}

std::string serialized(sqlite3* db) {
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db, "main", &size, 0);
  std::string out(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  sqlite3_close(db);
  return out;
}

std::string zstd(const std::string& bytes) {
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  const auto n = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), 3);
  if (ZSTD_isError(n)) throw std::runtime_error("zstd");
  out.resize(n);
  return out;
}

std::string varint(std::uint64_t v) {
  std::string out;
  do {
    unsigned char byte = v & 0x7F;
    v >>= 7;
    if (v != 0) byte |= 0x80;
    out += static_cast<char>(byte);
  } while (v != 0);
  return out;
}

std::string proto_bytes(int field, const std::string& bytes) {
  return varint(static_cast<std::uint64_t>(field) << 3 | 2) + varint(bytes.size()) + bytes;
}

// Note type ids: one per kind the tests use.
int type_id(const std::string& type) {
  if (type == "basic") return 1;
  if (type == "reversed") return 2;
  if (type == "cloze") return 3;
  if (type == "type_in") return 4;
  if (type == "optional_reversed") return 5;
  return 6;  // single_field
}

const char* kNotesTable =
    "CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, "
    "mod integer not null, usn integer not null, tags text not null, flds text not null, "
    "sfld integer not null, csum integer not null, flags integer not null, data text not null)";

void add_notes(sqlite3* db, const std::vector<AnkiNote>& notes) {
  int id = 1000;
  for (const auto& note : notes) {
    std::string fields;
    for (std::size_t i = 0; i < note.fields.size(); ++i) fields += (i ? "\x1f" : "") + note.fields[i];
    ++id;
    insert(db,
           "INSERT INTO notes VALUES (" + std::to_string(id) + ", 'g" + std::to_string(id) + "', " +
               std::to_string(type_id(note.type)) + ", 0, 0, ?, ?, '', 0, 0, '')",
           {" " + note.tags + " ", fields});
  }
}

std::string legacy_collection(const std::vector<AnkiNote>& notes) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  exec(db, "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, "
           "dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text)");
  const std::string models = R"j({
    "1": {"name": "Basic", "type": 0, "flds": [{"name": "Front"}, {"name": "Back"}], "tmpls": [{"qfmt": "{{Front}}"}]},
    "2": {"name": "Basic (and reversed card)", "type": 0, "flds": [{"name": "Front"}, {"name": "Back"}],
          "tmpls": [{"qfmt": "{{Front}}"}, {"qfmt": "{{Back}}"}]},
    "3": {"name": "Cloze", "type": 1, "flds": [{"name": "Text"}, {"name": "Back Extra"}], "tmpls": [{"qfmt": "{{cloze:Text}}"}]},
    "4": {"name": "Basic (type in the answer)", "type": 0, "flds": [{"name": "Front"}, {"name": "Back"}],
          "tmpls": [{"qfmt": "{{Front}}\n\n{{type:Back}}"}]},
    "5": {"name": "Basic (optional reversed card)", "type": 0,
          "flds": [{"name": "Front"}, {"name": "Back"}, {"name": "Add Reverse"}],
          "tmpls": [{"qfmt": "{{Front}}"}, {"qfmt": "{{#Add Reverse}}{{Back}}{{/Add Reverse}}"}]},
    "6": {"name": "Notes", "type": 0, "flds": [{"name": "Text"}], "tmpls": [{"qfmt": "{{Text}}"}]}
  })j";
  insert(db, "INSERT INTO col VALUES (1, 0, 0, 0, 11, 0, 0, 0, '{}', ?, '{}', '{}', '{}')", {models});
  exec(db, kNotesTable);
  add_notes(db, notes);
  return serialized(db);
}

int unicase(void*, int a_size, const void* a, int b_size, const void* b) {
  const int n = std::memcmp(a, b, static_cast<std::size_t>(std::min(a_size, b_size)));
  return n != 0 ? n : a_size - b_size;
}

std::string current_collection(const std::vector<AnkiNote>& notes) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  sqlite3_create_collation(db, "unicase", SQLITE_UTF8, nullptr, unicase);
  exec(db, "CREATE TABLE col (id integer primary key, crt integer, mod integer, scm integer, ver integer, "
           "dty integer, usn integer, ls integer, conf text, models text, decks text, dconf text, tags text)");
  exec(db, "INSERT INTO col VALUES (1, 0, 0, 0, 18, 0, 0, 0, '', '', '', '', '')");
  // Anki declares the names with its own collation; the reader must cope with it.
  exec(db, "CREATE TABLE notetypes (id integer primary key, name text not null COLLATE unicase, "
           "mtime_secs integer not null, usn integer not null, config blob not null)");
  exec(db, "CREATE TABLE fields (ntid integer not null, ord integer not null, name text not null COLLATE unicase, "
           "config blob not null, primary key (ntid, ord)) without rowid");
  exec(db, "CREATE TABLE templates (ntid integer not null, ord integer not null, name text not null COLLATE unicase, "
           "mtime_secs integer not null, usn integer not null, config blob not null, primary key (ntid, ord)) without rowid");
  const std::string cloze_kind("\x08\x01", 2);
  struct Type {
    int id;
    const char* name;
    std::string config;
    std::vector<std::string> templates;
    int fields;
  };
  const std::vector<Type> types = {
      {1, "Basic", "", {"{{Front}}"}, 2},
      {2, "Basic (and reversed card)", "", {"{{Front}}", "{{Back}}"}, 2},
      {3, "Cloze", cloze_kind, {"{{cloze:Text}}"}, 2},
      {4, "Basic (type in the answer)", "", {"{{Front}}\n\n{{type:Back}}"}, 2},
      {5, "Basic (optional reversed card)", "", {"{{Front}}", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}"}, 3},
      {6, "Notes", "", {"{{Text}}"}, 1},
  };
  for (const auto& t : types) {
    insert(db, "INSERT INTO notetypes VALUES (" + std::to_string(t.id) + ", ?, 0, 0, ?)", {t.name, t.config});
    for (int f = 0; f < t.fields; ++f) {
      insert(db, "INSERT INTO fields VALUES (" + std::to_string(t.id) + ", " + std::to_string(f) + ", ?, ?)",
             {"Field " + std::to_string(f), ""});
    }
    for (std::size_t n = 0; n < t.templates.size(); ++n) {
      insert(db, "INSERT INTO templates VALUES (" + std::to_string(t.id) + ", " + std::to_string(n) + ", ?, 0, 0, ?)",
             {"Card " + std::to_string(n + 1), proto_bytes(1, t.templates[n]) + proto_bytes(2, "{{Back}}")});
    }
  }
  exec(db, kNotesTable);
  add_notes(db, notes);
  std::string bytes = serialized(db);
  bytes[18] = 2;  // WAL, as Anki leaves it
  bytes[19] = 2;
  return bytes;
}

}  // namespace

std::string make_zip(const std::map<std::string, std::string>& files) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  if (archive == nullptr) throw std::runtime_error("zip_open_from_source");
  zip_source_keep(buffer);
  for (const auto& [name, bytes] : files) {
    zip_source_t* file = zip_source_buffer(archive, bytes.data(), bytes.size(), 0);
    if (zip_file_add(archive, name.c_str(), file, ZIP_FL_OVERWRITE) < 0) throw std::runtime_error("zip_file_add");
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close");
  zip_stat_t stat;
  zip_source_stat(buffer, &stat);
  std::string out(stat.size, '\0');
  zip_source_open(buffer);
  zip_source_read(buffer, out.data(), stat.size);
  zip_source_close(buffer);
  zip_source_free(buffer);
  return out;
}

std::string make_apkg(const AnkiDeck& deck) {
  std::map<std::string, std::string> files;
  int index = 0;
  if (!deck.current_layout) {
    files["collection.anki2"] = legacy_collection(deck.notes);
    std::string media = "{";
    for (const auto& [name, bytes] : deck.media) {
      media += (index ? ", \"" : "\"") + std::to_string(index) + "\": \"" + name + "\"";
      files[std::to_string(index++)] = bytes;
    }
    files["media"] = media + "}";
    return make_zip(files);
  }
  files["collection.anki21b"] = zstd(current_collection(deck.notes));
  // Current Anki adds a legacy collection that only asks to update Anki; it must be ignored.
  files["collection.anki2"] = legacy_collection({{"basic", {"Please update to the latest Anki version", "."}, ""}});
  std::string entries;
  for (const auto& [name, bytes] : deck.media) {
    entries += proto_bytes(1, proto_bytes(1, name) + varint(2 << 3) + varint(bytes.size()));
    files[std::to_string(index++)] = zstd(bytes);
  }
  files["media"] = zstd(entries);
  files["meta"] = std::string("\x08\x03", 2);
  return make_zip(files);
}

std::string tiny_png() { return std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16) + std::string(64, '\x01'); }

}  // namespace mnemos::test
