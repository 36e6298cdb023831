#pragma once
// Anki packages (.apkg) made in tests, in the two layouts Anki writes: the legacy one
// (collection.anki2, media listed in JSON) and the current one (collection.anki21b and media in
// zstd, the media list in protobuf, the collection marked as WAL like Anki's own).
#include <map>
#include <string>
#include <vector>

namespace mnemos::test {

struct AnkiNote {
  std::string type;  // basic | reversed | optional_reversed | cloze | type_in | single_field
  std::vector<std::string> fields;
  std::string tags;  // space-separated, as Anki stores them
};

struct AnkiDeck {
  std::vector<AnkiNote> notes;
  std::map<std::string, std::string> media;  // file name -> bytes
  bool current_layout = false;
};

std::string make_apkg(const AnkiDeck& deck);
// A zip holding the given files, as they are.
std::string make_zip(const std::map<std::string, std::string>& files);

// Bytes that start like a PNG picture.
std::string tiny_png();

}  // namespace mnemos::test
