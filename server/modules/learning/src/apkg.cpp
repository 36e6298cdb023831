#include "apkg.hpp"

#include "html.hpp"

#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>

#include <boost/json/value.hpp>

#include <sqlite3.h>
#include <zip.h>
#include <zstd.h>

#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace mnemos::learning::apkg {
namespace {

[[noreturn]] void unreadable(const std::string& why) { throw Error::invalid("file", why); }

// --- the zip -----------------------------------------------------------------------------------

class Zip {
 public:
  explicit Zip(std::string_view bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
    if (source != nullptr) {
      archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
      if (archive_ == nullptr) zip_source_free(source);
    }
    zip_error_fini(&error);
    if (archive_ == nullptr) unreadable("This file is not an Anki package (.apkg): it is not a zip archive.");
  }
  ~Zip() {
    if (archive_ != nullptr) zip_discard(archive_);
  }
  Zip(const Zip&) = delete;
  Zip& operator=(const Zip&) = delete;

  bool has(const std::string& name) const { return zip_name_locate(archive_, name.c_str(), 0) >= 0; }

  // The entry's bytes, or nullopt when it is larger than `limit` once inflated (sizes in the
  // directory may lie, so the limit is enforced while reading).
  std::optional<std::string> read(const std::string& name, std::size_t limit) const {
    zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
    if (file == nullptr) unreadable("The package is damaged: a file inside cannot be read.");
    std::string out;
    char buffer[1 << 16];
    for (;;) {
      const zip_int64_t n = zip_fread(file, buffer, sizeof buffer);
      if (n < 0) {
        zip_fclose(file);
        unreadable("The package is damaged: a file inside cannot be read.");
      }
      if (n == 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
      if (out.size() > limit) {
        zip_fclose(file);
        return std::nullopt;
      }
    }
    zip_fclose(file);
    return out;
  }

 private:
  zip_t* archive_ = nullptr;
};

// --- zstd (the current layout compresses the collection, the media list and each media file) ------

bool is_zstd(std::string_view bytes) {
  return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("\x28\xB5\x2F\xFD", 4);
}

std::optional<std::string> unzstd(std::string_view bytes, std::size_t limit) {
  std::unique_ptr<ZSTD_DStream, decltype(&ZSTD_freeDStream)> stream(ZSTD_createDStream(), ZSTD_freeDStream);
  ZSTD_initDStream(stream.get());
  ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
  std::string out;
  char buffer[1 << 16];
  std::size_t last = 1;
  for (;;) {
    ZSTD_outBuffer chunk{buffer, sizeof buffer, 0};
    last = ZSTD_decompressStream(stream.get(), &chunk, &in);
    if (ZSTD_isError(last)) unreadable("The package is damaged: a compressed part cannot be read.");
    out.append(buffer, chunk.pos);
    if (out.size() > limit) return std::nullopt;
    if (in.pos == in.size && chunk.pos < chunk.size) break;
  }
  if (last != 0) unreadable("The package is damaged: a compressed part is cut short.");
  return out;
}

// --- protobuf, the little the current layout needs ----------------------------------------------

struct ProtoField {
  std::uint32_t number = 0;
  std::uint64_t varint = 0;
  std::string_view bytes;  // length-delimited fields
};

std::vector<ProtoField> proto_fields(std::string_view message) {
  std::vector<ProtoField> fields;
  std::size_t i = 0;
  auto varint = [&]() -> std::uint64_t {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (i >= message.size()) unreadable("The package is damaged: its media list cannot be read.");
      const auto byte = static_cast<unsigned char>(message[i++]);
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    unreadable("The package is damaged: its media list cannot be read.");
  };
  while (i < message.size()) {
    const std::uint64_t key = varint();
    ProtoField field;
    field.number = static_cast<std::uint32_t>(key >> 3);
    switch (key & 7) {
      case 0: field.varint = varint(); break;
      case 1: i += 8; break;
      case 5: i += 4; break;
      case 2: {
        const std::uint64_t length = varint();
        if (length > message.size() - i) unreadable("The package is damaged: its media list cannot be read.");
        field.bytes = message.substr(i, length);
        i += length;
        break;
      }
      default: unreadable("The package is damaged: its media list cannot be read.");
    }
    if (i > message.size()) unreadable("The package is damaged: its media list cannot be read.");
    fields.push_back(field);
  }
  return fields;
}

// --- the collection ------------------------------------------------------------------------------

int unicase(void*, int a_size, const void* a, int b_size, const void* b) {
  const int n = std::min(a_size, b_size);
  for (int i = 0; i < n; ++i) {
    const int x = std::tolower(static_cast<const unsigned char*>(a)[i]);
    const int y = std::tolower(static_cast<const unsigned char*>(b)[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return a_size == b_size ? 0 : (a_size < b_size ? -1 : 1);
}

class Collection {
 public:
  explicit Collection(std::string bytes) {
    if (bytes.size() < 100 || bytes.compare(0, 16, std::string("SQLite format 3\0", 16)) != 0) {
      unreadable("The package is damaged: its collection is not a database.");
    }
    // Anki keeps its collection in WAL mode; an in-memory copy can only be read in rollback mode.
    bytes[18] = 1;
    bytes[19] = 1;
    if (sqlite3_open_v2(":memory:", &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      throw std::runtime_error("sqlite3_open_v2 failed");
    }
    // The database comes from outside: nothing in its schema may run functions or write.
    sqlite3_db_config(db_, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db_, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    sqlite3_create_collation(db_, "unicase", SQLITE_UTF8, nullptr, unicase);
    auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
    if (copy == nullptr) throw std::bad_alloc();
    std::memcpy(copy, bytes.data(), bytes.size());
    const int rc = sqlite3_deserialize(db_, "main", copy, static_cast<sqlite3_int64>(bytes.size()),
                                       static_cast<sqlite3_int64>(bytes.size()),
                                       SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_READONLY);
    if (rc != SQLITE_OK) unreadable("The package is damaged: its collection is not a database.");
  }
  ~Collection() { sqlite3_close(db_); }
  Collection(const Collection&) = delete;
  Collection& operator=(const Collection&) = delete;

  // Runs `sql`, calling `row` with each row's statement.
  template <class Row>
  void each(const char* sql, Row&& row) const {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) {
      sqlite3_finalize(statement);
      unreadable("The package is damaged or too old: its collection lacks what Anki writes.");
    }
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      if (!row(statement)) break;
    }
    sqlite3_finalize(statement);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) unreadable("The package is damaged: its collection cannot be read.");
  }

  bool has_table(const char* name) const {
    bool found = false;
    each("SELECT name FROM sqlite_master WHERE type = 'table'", [&](sqlite3_stmt* s) {
      found = found || text(s, 0) == name;
      return true;
    });
    return found;
  }

  static std::string text(sqlite3_stmt* s, int column) {
    const auto* p = sqlite3_column_text(s, column);
    return p == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(p),
                                                      static_cast<std::size_t>(sqlite3_column_bytes(s, column)));
  }
  static std::string_view blob(sqlite3_stmt* s, int column) {
    const void* p = sqlite3_column_blob(s, column);
    return p == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(p),
                                                                static_cast<std::size_t>(sqlite3_column_bytes(s, column)));
  }

 private:
  sqlite3* db_ = nullptr;
};

struct NoteType {
  std::string name;
  NoteKind kind = NoteKind::basic;
  int templates = 0;
  int fields = 0;
};

// Schema 11 (legacy): the note types are one JSON object in col.models.
std::map<std::int64_t, NoteType> legacy_note_types(const Collection& collection) {
  std::string models;
  collection.each("SELECT models FROM col", [&](sqlite3_stmt* s) {
    models = Collection::text(s, 0);
    return false;
  });
  std::map<std::int64_t, NoteType> types;
  boost::json::value parsed;
  try {
    parsed = json::parse(models);
  } catch (const std::exception&) {
    unreadable("The package is damaged: its note types cannot be read.");
  }
  if (!parsed.is_object()) unreadable("The package is damaged: its note types cannot be read.");
  for (const auto& [key, model] : parsed.as_object()) {
    if (!model.is_object()) continue;
    const auto& m = model.get_object();
    NoteType type;
    if (const auto* name = m.if_contains("name"); name != nullptr && name->is_string()) type.name = name->get_string();
    if (const auto* kind = m.if_contains("type"); kind != nullptr && kind->is_int64() && kind->get_int64() == 1) {
      type.kind = NoteKind::cloze;
    }
    if (const auto* flds = m.if_contains("flds"); flds != nullptr && flds->is_array()) {
      type.fields = static_cast<int>(flds->get_array().size());
    }
    if (const auto* tmpls = m.if_contains("tmpls"); tmpls != nullptr && tmpls->is_array()) {
      type.templates = static_cast<int>(tmpls->get_array().size());
      for (const auto& t : tmpls->get_array()) {
        const auto* qfmt = t.is_object() ? t.get_object().if_contains("qfmt") : nullptr;
        if (type.kind == NoteKind::basic && type.templates == 1 && qfmt != nullptr && qfmt->is_string() &&
            std::string_view(qfmt->get_string()).find("{{type:") != std::string_view::npos) {
          type.kind = NoteKind::type_in;
        }
      }
    }
    try {
      types[std::stoll(std::string(key))] = type;
    } catch (const std::exception&) {
    }
  }
  return types;
}

// Schema 18 (current): notetypes, fields and templates tables, their settings in protobuf.
std::map<std::int64_t, NoteType> note_types(const Collection& collection) {
  std::map<std::int64_t, NoteType> types;
  collection.each("SELECT id, name, config FROM notetypes", [&](sqlite3_stmt* s) {
    NoteType type;
    type.name = Collection::text(s, 1);
    for (const auto& f : proto_fields(Collection::blob(s, 2))) {
      if (f.number == 1 && f.varint == 1) type.kind = NoteKind::cloze;
    }
    types[sqlite3_column_int64(s, 0)] = type;
    return true;
  });
  collection.each("SELECT ntid, count(*) FROM fields GROUP BY ntid", [&](sqlite3_stmt* s) {
    if (auto it = types.find(sqlite3_column_int64(s, 0)); it != types.end()) it->second.fields = sqlite3_column_int(s, 1);
    return true;
  });
  collection.each("SELECT ntid, config FROM templates ORDER BY ntid, ord", [&](sqlite3_stmt* s) {
    auto it = types.find(sqlite3_column_int64(s, 0));
    if (it == types.end()) return true;
    ++it->second.templates;
    for (const auto& f : proto_fields(Collection::blob(s, 1))) {
      if (f.number == 1 && it->second.kind == NoteKind::basic && it->second.templates == 1 &&
          f.bytes.find("{{type:") != std::string_view::npos) {
        it->second.kind = NoteKind::type_in;
      }
    }
    return true;
  });
  return types;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (;;) {
    const auto at = text.find(separator, from);
    parts.emplace_back(text.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from));
    if (at == std::string_view::npos) return parts;
    from = at + 1;
  }
}

std::vector<Note> read_notes(const Collection& collection) {
  const auto types = collection.has_table("notetypes") ? note_types(collection) : legacy_note_types(collection);
  std::vector<Note> notes;
  collection.each("SELECT id, mid, tags, flds FROM notes ORDER BY id", [&](sqlite3_stmt* s) {
    if (notes.size() >= kMaxNotes) {
      unreadable("The package holds more than 20,000 notes; split the deck.");
    }
    Note note;
    note.id = sqlite3_column_int64(s, 0);
    const auto type = types.find(sqlite3_column_int64(s, 1));
    note.fields = split(Collection::text(s, 3), '\x1f');
    for (auto& tag : split(Collection::text(s, 2), ' ')) {
      if (!tag.empty()) note.tags.push_back(std::move(tag));
    }
    if (type != types.end()) {
      note.kind = type->second.kind;
      note.type_name = type->second.name;
      // "Basic (and reversed card)" gives two cards; "Basic (optional reversed card)" only when
      // its third field is filled in.
      note.reversed = note.kind == NoteKind::basic && type->second.templates >= 2 &&
                      (note.fields.size() < 3 || !note.fields[2].empty());
    }
    notes.push_back(std::move(note));
    return true;
  });
  return notes;
}

// Media: zip entry name -> the file name notes use.
std::map<std::string, std::string> media_names(const Zip& zip) {
  std::map<std::string, std::string> names;
  if (!zip.has("media")) return names;
  auto list = zip.read("media", 16u << 20);
  if (!list) unreadable("The package is damaged: its media list is too large.");
  if (is_zstd(*list)) {
    auto message = unzstd(*list, 16u << 20);
    if (!message) unreadable("The package is damaged: its media list is too large.");
    int index = 0;
    for (const auto& entry : proto_fields(*message)) {
      if (entry.number != 1) continue;
      std::string name;
      std::optional<std::uint64_t> zip_name;
      for (const auto& f : proto_fields(entry.bytes)) {
        if (f.number == 1) name = f.bytes;
        if (f.number == 255) zip_name = f.varint;
      }
      names[std::to_string(zip_name.value_or(static_cast<std::uint64_t>(index)))] = name;
      ++index;
    }
    return names;
  }
  boost::json::value parsed;
  try {
    parsed = json::parse(*list);
  } catch (const std::exception&) {
    unreadable("The package is damaged: its media list cannot be read.");
  }
  if (!parsed.is_object()) unreadable("The package is damaged: its media list cannot be read.");
  for (const auto& [entry, name] : parsed.as_object()) {
    if (name.is_string()) names[std::string(entry)] = std::string(name.get_string());
  }
  return names;
}

}  // namespace

Package read(std::string_view bytes) {
  const Zip zip(bytes);
  std::optional<std::string> database;
  if (zip.has("collection.anki21b")) {
    auto compressed = zip.read("collection.anki21b", kMaxCollectionBytes);
    if (compressed) database = is_zstd(*compressed) ? unzstd(*compressed, kMaxCollectionBytes) : compressed;
  } else if (zip.has("collection.anki21")) {
    database = zip.read("collection.anki21", kMaxCollectionBytes);
  } else if (zip.has("collection.anki2")) {
    database = zip.read("collection.anki2", kMaxCollectionBytes);
  } else {
    unreadable("This zip is not an Anki package (.apkg): it holds no collection.");
  }
  if (!database) unreadable("The collection in this package is larger than 128 MiB; split the deck.");

  Package package;
  {
    const Collection collection(std::move(*database));
    package.notes = read_notes(collection);
  }

  std::set<std::string> wanted;
  for (const auto& note : package.notes) {
    for (const auto& field : note.fields) {
      for (auto& name : html::media_in(field)) wanted.insert(std::move(name));
    }
  }
  if (wanted.empty()) return package;
  for (const auto& [entry, name] : media_names(zip)) {
    if (!wanted.count(name) || !zip.has(entry)) continue;
    auto file = zip.read(entry, kMaxMediaBytes + (1u << 16));  // compressed files are a little larger
    if (file && is_zstd(*file)) file = unzstd(*file, kMaxMediaBytes);
    if (!file || file->size() > kMaxMediaBytes) {
      package.oversized_media.push_back(name);
    } else {
      package.media[name] = std::move(*file);
    }
    wanted.erase(name);
  }
  package.missing_media.assign(wanted.begin(), wanted.end());
  return package;
}

}  // namespace mnemos::learning::apkg
