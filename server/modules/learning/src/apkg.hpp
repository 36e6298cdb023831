#pragma once
// Reading an Anki package (.apkg): a zip holding the collection (a SQLite database) and its media.
// Both layouts Anki writes are read: the legacy one (collection.anki2 / collection.anki21, media
// listed as JSON) and the current one (collection.anki21b and media compressed with zstd, the media
// list in protobuf). docs/learning.md, "Imports", says what is taken from it.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::learning::apkg {

enum class NoteKind { basic, cloze, type_in };

struct Note {
  std::int64_t id = 0;
  NoteKind kind = NoteKind::basic;
  std::string type_name;            // the note type's name, for the report
  bool reversed = false;            // basic notes that also give a back-to-front card
  std::vector<std::string> fields;  // HTML, as Anki stores it
  std::vector<std::string> tags;
};

struct Package {
  std::vector<Note> notes;
  // File name in the notes -> bytes, for the media files the notes show (others are not read).
  std::map<std::string, std::string> media;
  std::vector<std::string> missing_media;   // named by a note, absent from the package
  std::vector<std::string> oversized_media; // larger than kMaxMediaBytes
};

constexpr std::size_t kMaxCollectionBytes = 128u << 20;  // uncompressed
constexpr std::size_t kMaxMediaBytes = 2u << 20;
constexpr std::size_t kMaxNotes = 20000;

// Throws Error(invalid, field "file") when the bytes are not a package Mnemos can read, with a
// reason a teacher understands. Only the media files the notes show (<img>, [sound:]) are loaded.
Package read(std::string_view bytes);

}  // namespace mnemos::learning::apkg
