#pragma once
// A path's sources and their passages: the rules (source_service.cpp) and the SQL (repository.cpp).
#include <mnemos/ai/module.hpp>
#include <mnemos/core/context.hpp>
#include <mnemos/core/files.hpp>

#include "documents.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::ai {

class ProviderPool;

struct Source {
  std::string id;
  std::string school_id;
  std::string path_id;
  std::string name;
  std::string content_type;
  std::int64_t size_bytes = 0;
  std::string storage_path;
  std::string status;  // pending | ready | failed
  std::optional<std::string> error;
  std::optional<std::string> language;
  int pages = 0;
  int passages = 0;
  int words = 0;
  std::string created_by;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> indexed_at;
  std::string origin = "upload";  // upload | lessons (the path's own lessons, no file)
};

// A source's name as readers see it: the file's, or "The path's lessons" in their language.
std::string shown_name(const Source& source, const std::string& locale);

struct StoredPassage {
  std::string id;
  std::string school_id;
  std::string source_id;
  int position = 0;
  std::string heading;
  int page = 0;
  std::string text;
};

struct SearchHit {
  StoredPassage passage;
  std::string source_name;
  double score = 0;
};

// A passage to read again after a session, with the missed cards it answers.
struct Recommendation {
  SearchHit hit;
  std::vector<std::string> cards;  // the missed cards' questions
};

inline constexpr const char* kPassageKind = "ai.passage";
inline constexpr int kMaxSearchResults = 20;
inline constexpr std::size_t kMaxQueryBytes = 1000;

namespace repo {
void insert_source(soci::session& sql, const Source& source);
void update_source(soci::session& sql, const Source& source);
std::optional<Source> find_source(soci::session& sql, const std::string& school_id, const std::string& id);
std::vector<Source> sources_of(soci::session& sql, const std::string& school_id, const std::string& path_id);
std::int64_t school_sources_bytes(soci::session& sql, const std::string& school_id);
void delete_source(soci::session& sql, const std::string& school_id, const std::string& id);
void replace_passages(soci::session& sql, const Source& source, const std::vector<StoredPassage>& passages);
std::vector<StoredPassage> passages_by_id(soci::session& sql, const std::string& school_id,
                                          const std::vector<std::string>& ids);
}  // namespace repo

class SourceService {
 public:
  SourceService(const Dependencies& deps, ProviderPool& providers)
      : d_(deps), providers_(providers), files_(deps.files_dir) {}

  Source add(const RequestContext& ctx, const std::string& path_id, std::string_view declared_type,
             std::string_view name, std::string_view bytes);
  std::vector<Source> list(const RequestContext& ctx, const std::string& path_id);
  void remove(const RequestContext& ctx, const std::string& path_id, const std::string& source_id);
  std::vector<SearchHit> search(const RequestContext& ctx, const std::string& path_id, std::string_view query,
                                int limit);
  // One passage of the path's ready sources (a citation opened); for the path's teachers and students.
  SearchHit passage(const RequestContext& ctx, const std::string& path_id, const std::string& passage_id);
  // After a session: the passages of the path's sources that answer the cards the student missed
  // (each missed card's question and answer as the query), best first, at most `limit`.
  std::vector<Recommendation> recommendations(const RequestContext& ctx, const std::string& session_id, int limit);
  // The indexing job: reads the file, cuts it into passages and indexes them; a source that does
  // not read is marked failed with the reason (the job succeeds: trying again would not help).
  void index(const std::string& school_id, const std::string& source_id);
  // The path's own lessons as one source (origin "lessons"), read again after each change; removed
  // when the path has no lesson left.
  void index_lessons(const std::string& school_id, const std::string& path_id);

 private:
  // Cuts the blocks into passages (with their vectors when the school has an embedding model) and
  // writes them with the source's status; `create`: the source's row is new.
  void store(Source source, const std::vector<Block>& blocks, std::string failure, bool create);

  const Dependencies& d_;
  ProviderPool& providers_;
  files::Store files_;
};

}  // namespace mnemos::ai
