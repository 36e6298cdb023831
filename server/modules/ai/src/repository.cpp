// SQL of the ai module's sources: no rules here, every query filtered on the school.
#include <mnemos/core/db.hpp>
#include <mnemos/core/fulltext.hpp>

#include "sources.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace mnemos::ai::repo {
namespace {

constexpr const char* kSourceColumns =
    "id, school_id, path_id, name, content_type, size_bytes, storage_path, status, error, language, pages, "
    "passages, words, created_by, created_at, indexed_at, origin";

void bind_source(db::Prepared& prepared, Source& s) {
  prepared, soci::into(s.id), soci::into(s.school_id), soci::into(s.path_id), soci::into(s.name),
      soci::into(s.content_type), soci::into(s.size_bytes), soci::into(s.storage_path), soci::into(s.status),
      soci::into(s.error), soci::into(s.language), soci::into(s.pages), soci::into(s.passages), soci::into(s.words),
      soci::into(s.created_by), soci::into(s.created_at), soci::into(s.indexed_at), soci::into(s.origin);
}

}  // namespace

void insert_source(soci::session& sql, const Source& s) {
  sql << "INSERT INTO ai_sources (" << kSourceColumns
      << ") VALUES (:id, :school, :path, :name, :type, :size, :storage, :status, :error, :language, :pages, "
         ":passages, :words, :by, :at, :indexed, :origin)",
      soci::use(s.id), soci::use(s.school_id), soci::use(s.path_id), soci::use(s.name), soci::use(s.content_type),
      soci::use(s.size_bytes), soci::use(s.storage_path), soci::use(s.status), soci::use(s.error),
      soci::use(s.language), soci::use(s.pages), soci::use(s.passages), soci::use(s.words), soci::use(s.created_by),
      soci::use(s.created_at), soci::use(s.indexed_at), soci::use(s.origin);
}

void update_source(soci::session& sql, const Source& s) {
  sql << "UPDATE ai_sources SET status = :status, error = :error, language = :language, pages = :pages, "
         "passages = :passages, words = :words, indexed_at = :indexed WHERE id = :id AND school_id = :school",
      soci::use(s.status), soci::use(s.error), soci::use(s.language), soci::use(s.pages), soci::use(s.passages),
      soci::use(s.words), soci::use(s.indexed_at), soci::use(s.id), soci::use(s.school_id);
}

std::optional<Source> find_source(soci::session& sql, const std::string& school_id, const std::string& id) {
  auto rows = db::fetch_rows<Source>(
      sql, std::string("SELECT ") + kSourceColumns + " FROM ai_sources WHERE id = :id AND school_id = :school",
      bind_source, soci::use(id), soci::use(school_id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::vector<Source> sources_of(soci::session& sql, const std::string& school_id, const std::string& path_id) {
  return db::fetch_rows<Source>(sql,
                                std::string("SELECT ") + kSourceColumns +
                                    " FROM ai_sources WHERE school_id = :school AND path_id = :path "
                                    "ORDER BY created_at, id",
                                bind_source, soci::use(school_id), soci::use(path_id));
}

std::int64_t school_sources_bytes(soci::session& sql, const std::string& school_id) {
  std::int64_t total = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT SUM(size_bytes) FROM ai_sources WHERE school_id = :school", soci::use(school_id),
      soci::into(total, ind);
  return ind == soci::i_null ? 0 : total;
}

void delete_source(soci::session& sql, const std::string& school_id, const std::string& id) {
  fulltext::remove_scope(sql, school_id, kPassageKind, id);
  sql << "DELETE FROM ai_passages WHERE source_id = :id AND school_id = :school", soci::use(id), soci::use(school_id);
  sql << "DELETE FROM ai_sources WHERE id = :id AND school_id = :school", soci::use(id), soci::use(school_id);
}

void replace_passages(soci::session& sql, const Source& source, const std::vector<StoredPassage>& passages) {
  fulltext::remove_scope(sql, source.school_id, kPassageKind, source.id);
  sql << "DELETE FROM ai_passages WHERE source_id = :id AND school_id = :school", soci::use(source.id),
      soci::use(source.school_id);
  const auto language = fulltext::parse_language(source.language.value_or("french")).value_or(fulltext::Language::french);
  StoredPassage row;
  soci::statement insert = (sql.prepare << "INSERT INTO ai_passages (id, school_id, source_id, position, heading, "
                                           "page, text) VALUES (:id, :school, :source, :position, :heading, :page, :text)",
                            soci::use(row.id), soci::use(row.school_id), soci::use(row.source_id),
                            soci::use(row.position), soci::use(row.heading), soci::use(row.page), soci::use(row.text));
  for (const auto& passage : passages) {
    row = passage;
    insert.execute(true);
    // The heading trail is searched with the text: "Photosynthèse" in a title finds its section.
    fulltext::put(sql, {source.school_id, kPassageKind, source.id, passage.id, language,
                        passage.heading.empty() ? passage.text : passage.heading + "\n" + passage.text});
  }
}

std::vector<StoredPassage> passages_by_id(soci::session& sql, const std::string& school_id,
                                          const std::vector<std::string>& ids) {
  const std::string list = db::json_list(ids);
  const std::string in_list = db::in_list(sql, "id", "ids");
  return db::fetch_rows<StoredPassage>(
      sql,
      "SELECT id, school_id, source_id, position, heading, page, text FROM ai_passages WHERE school_id = :school AND " +
          in_list,
      [](db::Prepared& prepared, StoredPassage& p) {
        prepared, soci::into(p.id), soci::into(p.school_id), soci::into(p.source_id), soci::into(p.position),
            soci::into(p.heading), soci::into(p.page), soci::into(p.text);
      },
      soci::use(school_id), soci::use(list));
}

}  // namespace mnemos::ai::repo
