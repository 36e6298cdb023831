#pragma once
// Hybrid retrieval (docs/ai.md, "Search"): the full-text search of core, and — when the school's
// model has an embedding model — the passages nearest the question by cosine similarity, the two
// lists merged by reciprocal rank fusion.
#include <mnemos/core/fulltext.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::ai {

class Provider;

// Below this cosine similarity a passage found only by its vector is not "about" the question: the
// question stays off the course (typical sentence embeddings put unrelated texts under 0.3).
inline constexpr double kMinVectorSimilarity = 0.45;

std::string encode_vector(const std::vector<float>& vector);
std::vector<float> decode_vector(std::string_view hex);  // empty when malformed
double cosine(const std::vector<float>& a, const std::vector<float>& b);

struct PassageVector {
  std::string passage_id;
  std::string source_id;
  std::vector<float> vector;
};

namespace repo {
void replace_vectors(soci::session& sql, const std::string& school_id, const std::string& source_id,
                     const std::string& model, const std::vector<PassageVector>& vectors);
void delete_vectors(soci::session& sql, const std::string& school_id, const std::string& source_id);
std::vector<PassageVector> vectors_of(soci::session& sql, const std::string& school_id,
                                      const std::vector<std::string>& source_ids, const std::string& model);
}  // namespace repo

// The question's vector by the provider's embedding model: nullopt without a provider or an
// embedding model, or when the model fails (the search is then full-text only, as before).
std::optional<std::vector<float>> embed_query(Provider* provider, std::string_view text);

// Texts' vectors in batches; nullopt as above.
std::optional<std::vector<std::vector<float>>> embed_texts(Provider* provider, const std::vector<std::string>& texts);

// Full-text hits, merged with the nearest passages when `query_vector` is given.
std::vector<fulltext::Hit> hybrid_search(soci::session& sql, const fulltext::Query& query,
                                         const std::optional<std::vector<float>>& query_vector,
                                         const std::string& model);

}  // namespace mnemos::ai
