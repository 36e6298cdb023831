// Hybrid retrieval: full-text and vectors merged by reciprocal rank fusion (docs/ai.md, "Search").
#include <mnemos/core/db.hpp>

#include "providers.hpp"
#include "retrieval.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

namespace mnemos::ai {
namespace {

constexpr double kRrfK = 60;            // the usual constant of reciprocal rank fusion
constexpr std::size_t kEmbedBatch = 16;  // texts per embedding request
constexpr std::size_t kEmbedChars = 2000;

}  // namespace

std::string encode_vector(const std::vector<float>& vector) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(vector.size() * 8);
  for (const float value : vector) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &value, sizeof bits);
    for (int byte = 0; byte < 4; ++byte) {  // little-endian, whatever the machine
      const auto b = static_cast<unsigned>((bits >> (8 * byte)) & 0xFF);
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
    }
  }
  return out;
}

std::vector<float> decode_vector(std::string_view hex) {
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 8 != 0) return {};
  std::vector<float> out(hex.size() / 8);
  for (std::size_t i = 0; i < out.size(); ++i) {
    std::uint32_t bits = 0;
    for (int byte = 0; byte < 4; ++byte) {
      const int high = nibble(hex[i * 8 + byte * 2]);
      const int low = nibble(hex[i * 8 + byte * 2 + 1]);
      if (high < 0 || low < 0) return {};
      bits |= static_cast<std::uint32_t>(high * 16 + low) << (8 * byte);
    }
    std::memcpy(&out[i], &bits, sizeof bits);
  }
  return out;
}

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size() || a.empty()) return 0;
  double dot = 0, norm_a = 0, norm_b = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    dot += double(a[i]) * b[i];
    norm_a += double(a[i]) * a[i];
    norm_b += double(b[i]) * b[i];
  }
  if (norm_a == 0 || norm_b == 0) return 0;
  return dot / std::sqrt(norm_a * norm_b);
}

namespace repo {

void replace_vectors(soci::session& sql, const std::string& school_id, const std::string& source_id,
                     const std::string& model, const std::vector<PassageVector>& vectors) {
  delete_vectors(sql, school_id, source_id);
  std::string passage, hex;
  soci::statement insert = (sql.prepare << "INSERT INTO ai_passage_vectors (passage_id, school_id, source_id, model, "
                                           "vector) VALUES (:passage, :school, :source, :model, :vector)",
                            soci::use(passage), soci::use(school_id), soci::use(source_id), soci::use(model),
                            soci::use(hex));
  for (const auto& v : vectors) {
    passage = v.passage_id;
    hex = encode_vector(v.vector);
    insert.execute(true);
  }
}

void delete_vectors(soci::session& sql, const std::string& school_id, const std::string& source_id) {
  sql << "DELETE FROM ai_passage_vectors WHERE school_id = :school AND source_id = :source", soci::use(school_id),
      soci::use(source_id);
}

std::vector<PassageVector> vectors_of(soci::session& sql, const std::string& school_id,
                                      const std::vector<std::string>& source_ids, const std::string& model) {
  if (source_ids.empty()) return {};
  const std::string in_list = db::in_list(sql, "source_id", "ids");
  std::vector<PassageVector> out;
  std::string hex;
  PassageVector row;
  const std::string ids = db::json_list(source_ids);
  soci::statement select = (sql.prepare << "SELECT passage_id, source_id, vector FROM ai_passage_vectors WHERE "
                                           "school_id = :school AND model = :model AND " + in_list,
                            soci::use(school_id), soci::use(model), soci::use(ids), soci::into(row.passage_id),
                            soci::into(row.source_id), soci::into(hex));
  select.execute();
  while (select.fetch()) {
    row.vector = decode_vector(hex);
    if (!row.vector.empty()) out.push_back(row);
  }
  return out;
}

}  // namespace repo

std::optional<std::vector<std::vector<float>>> embed_texts(Provider* provider, const std::vector<std::string>& texts) {
  if (provider == nullptr || texts.empty()) return std::nullopt;
  std::vector<std::vector<float>> out;
  try {
    for (std::size_t start = 0; start < texts.size(); start += kEmbedBatch) {
      std::vector<std::string> batch;
      for (std::size_t i = start; i < texts.size() && i < start + kEmbedBatch; ++i) {
        batch.push_back(texts[i].substr(0, kEmbedChars));
      }
      auto vectors = provider->embed(batch);
      if (!vectors) return std::nullopt;  // no embedding model
      if (vectors->size() != batch.size()) {
        spdlog::warn("ai: {} returned {} embeddings for {} texts; search stays full-text", provider->name(),
                     vectors->size(), batch.size());
        return std::nullopt;
      }
      for (auto& v : *vectors) out.push_back(std::move(v));
    }
  } catch (const ProviderError& e) {
    spdlog::warn("ai: embeddings by {} failed ({}); search stays full-text", provider->name(), e.detail);
    return std::nullopt;
  }
  return out;
}

std::optional<std::vector<float>> embed_query(Provider* provider, std::string_view text) {
  auto vectors = embed_texts(provider, {std::string(text)});
  if (!vectors || vectors->empty()) return std::nullopt;
  return std::move(vectors->front());
}

std::vector<fulltext::Hit> hybrid_search(soci::session& sql, const fulltext::Query& query,
                                         const std::optional<std::vector<float>>& query_vector,
                                         const std::string& model) {
  if (!query_vector) return fulltext::search(sql, query);
  fulltext::Query wider = query;
  wider.limit = query.limit * 2;
  const auto textual = fulltext::search(sql, wider);
  std::vector<std::pair<double, const PassageVector*>> nearest;
  const auto vectors = repo::vectors_of(sql, query.school_id, query.scope_ids, model);
  for (const auto& v : vectors) {
    const double similarity = cosine(*query_vector, v.vector);
    if (similarity >= kMinVectorSimilarity) nearest.emplace_back(similarity, &v);
  }
  std::sort(nearest.begin(), nearest.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (nearest.size() > static_cast<std::size_t>(wider.limit)) nearest.resize(static_cast<std::size_t>(wider.limit));
  // Reciprocal rank fusion: each list adds 1 / (60 + rank) to a passage's score.
  std::map<std::string, fulltext::Hit> merged;
  for (std::size_t rank = 0; rank < textual.size(); ++rank) {
    auto& hit = merged.try_emplace(textual[rank].doc_id, fulltext::Hit{textual[rank].doc_id, textual[rank].scope_id, 0})
                    .first->second;
    hit.score += 1.0 / (kRrfK + double(rank) + 1);
  }
  for (std::size_t rank = 0; rank < nearest.size(); ++rank) {
    const auto& v = *nearest[rank].second;
    auto& hit = merged.try_emplace(v.passage_id, fulltext::Hit{v.passage_id, v.source_id, 0}).first->second;
    hit.score += 1.0 / (kRrfK + double(rank) + 1);
  }
  std::vector<fulltext::Hit> out;
  for (auto& [id, hit] : merged) out.push_back(std::move(hit));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.score > b.score; });
  if (out.size() > static_cast<std::size_t>(query.limit)) out.resize(static_cast<std::size_t>(query.limit));
  return out;
}

}  // namespace mnemos::ai
