// A path's sources: upload, list, delete, indexing and search (docs/ai.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/fulltext.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/messages.hpp>

#include "documents.hpp"
#include "retrieval.hpp"
#include "school_settings.hpp"
#include "sources.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

namespace mnemos::ai {
namespace {

std::string extension_for(SourceKind kind) {
  switch (kind) {
    case SourceKind::pdf: return "pdf";
    case SourceKind::markdown: return "md";
    case SourceKind::html: return "html";
    case SourceKind::text: break;
  }
  return "txt";
}

SourceKind kind_of(const std::string& content_type) {
  if (content_type == "application/pdf") return SourceKind::pdf;
  if (content_type == "text/markdown") return SourceKind::markdown;
  if (content_type == "text/html") return SourceKind::html;
  return SourceKind::text;
}

bool is_student_only(const RequestContext& ctx) {
  return ctx.roles.has(Role::student) && !ctx.can(Permission::paths_manage) && !ctx.can(Permission::paths_read);
}

// A lesson's headings one level down, under its step's title ("# Le magma" -> "## Le magma");
// code blocks are left as they are.
constexpr const char* kLessonsName = "The path's lessons";

std::string demoted_headings(const std::string& markdown) {
  std::string out;
  bool in_code = false;
  std::size_t start = 0;
  while (start < markdown.size()) {
    auto end = markdown.find('\n', start);
    if (end == std::string::npos) end = markdown.size();
    const std::string_view line(markdown.data() + start, end - start);
    if (line.starts_with("```") || line.starts_with("~~~")) in_code = !in_code;
    if (!in_code && line.starts_with('#') && line.find_first_not_of('#') < 6) out += '#';
    out.append(line);
    out += '\n';
    start = end + 1;
  }
  return out;
}

}  // namespace

std::string shown_name(const Source& source, const std::string& locale) {
  return source.origin == "lessons" ? messages::translate(locale, kLessonsName) : source.name;
}

Source SourceService::add(const RequestContext& ctx, const std::string& path_id, std::string_view declared_type,
                          std::string_view name, std::string_view bytes) {
  return d_.db.write([&](soci::session& sql) {
    const auto path = d_.paths.editable(sql, ctx, path_id);
    if (static_cast<std::int64_t>(bytes.size()) > d_.limits.max_source_bytes) {
      throw Error(ErrorCode::payload_too_large, "A source may weigh at most 20 MiB.");
    }
    std::string file_name = json::trim(std::string(name));
    if (!json::is_printable_utf8(file_name)) throw Error::invalid("name", "A file name may not hold control characters.");
    const SourceKind kind = identify_source(declared_type, file_name, bytes);
    if (file_name.empty()) file_name = "source." + extension_for(kind);
    file_name = json::truncate_utf8(file_name, 200);
    const auto used = repo::school_sources_bytes(sql, path.school_id);
    const auto quota = effective(d_, repo::find_school_ai(sql, path.school_id)).sources_quota_bytes;
    if (used + static_cast<std::int64_t>(bytes.size()) > quota) {
      throw Error(ErrorCode::limit_reached,
                  "The school's space for sources is full: delete sources it no longer needs, or ask the platform to enlarge it.");
    }
    Source source;
    source.id = new_id();
    source.school_id = path.school_id;
    source.path_id = path.id;
    source.name = file_name;
    source.content_type = std::string(content_type_of(kind));
    source.size_bytes = static_cast<std::int64_t>(bytes.size());
    source.storage_path = "ai/" + path.school_id + "/" + source.id + "." + extension_for(kind);
    source.status = "pending";
    source.created_by = *ctx.user_id;
    source.created_at = ctx.now_ms();
    repo::insert_source(sql, source);
    d_.usage.add(sql, path.school_id, "storage_bytes", source.size_bytes, source.created_at);
    // The file is written before the commit: a source row never points at nothing. A commit that
    // fails after it leaves an orphan file, not a lost upload.
    files_.put(source.storage_path, bytes);
    jobs::enqueue(sql, d_.clock, "ai.index_source",
                  boost::json::serialize(boost::json::object{{"source_id", source.id}}), source.school_id);
    record_activity(sql, ctx, "ai_source.added", "learning_path", path.id,
                    boost::json::serialize(boost::json::object{{"source_id", source.id}, {"name", source.name}}));
    return source;
  });
}

std::vector<Source> SourceService::list(const RequestContext& ctx, const std::string& path_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto path = d_.paths.usable(sql, ctx, path_id);
    auto sources = repo::sources_of(sql, path.school_id, path.id);
    // Students see the documents their tutor quotes, not the teacher's work in progress.
    if (is_student_only(ctx)) {
      std::erase_if(sources, [](const Source& s) { return s.status != "ready"; });
    }
    return sources;
  });
}

void SourceService::remove(const RequestContext& ctx, const std::string& path_id, const std::string& source_id) {
  const std::string storage_path = d_.db.write([&](soci::session& sql) {
    const auto path = d_.paths.editable(sql, ctx, path_id);
    const auto source = repo::find_source(sql, path.school_id, source_id);
    if (!source || source->path_id != path.id) throw Error::not_found("No such source.");
    if (source->origin == "lessons") {
      throw Error::conflict("The path's own lessons stay with the tutor while the path has them: to leave them out, untick them in the tutor's documents.");
    }
    repo::delete_vectors(sql, path.school_id, source->id);
    repo::delete_source(sql, path.school_id, source->id);
    d_.usage.add(sql, path.school_id, "storage_bytes", -source->size_bytes, ctx.now_ms());
    record_activity(sql, ctx, "ai_source.deleted", "learning_path", path.id,
                    boost::json::serialize(boost::json::object{{"source_id", source->id}, {"name", source->name}}));
    return source->storage_path;
  });
  files_.remove(storage_path);  // after the commit: a rolled-back delete keeps its file
}

std::vector<SearchHit> SourceService::search(const RequestContext& ctx, const std::string& path_id,
                                             std::string_view query, int limit) {
  // The question's vector, asked of the school's model before the transaction (it may take a while).
  const auto model = effective(d_, d_.db.read([&](soci::session& sql) { return repo::find_school_ai(sql, ctx.school()); })).provider;
  const auto query_vector = query.size() <= kMaxQueryBytes && !model.embedding_model.empty()
                                ? embed_query(provider_for(providers_, model), query)
                                : std::nullopt;
  return d_.db.read([&](soci::session& sql) {
    const auto path = d_.paths.usable(sql, ctx, path_id);
    if (query.size() > kMaxQueryBytes) throw Error::invalid("q", "A search is at most 1000 characters long.");
    if (!json::is_printable_utf8(std::string(query))) throw Error::invalid("q", "A search may not hold control characters.");
    if (limit < 1 || limit > kMaxSearchResults) throw Error::invalid("limit", "Ask for 1 to 20 passages.");
    std::map<std::string, std::string> source_names;
    std::vector<std::string> scope;
    for (const auto& source : repo::sources_of(sql, path.school_id, path.id)) {
      if (source.status != "ready") continue;
      source_names[source.id] = shown_name(source, ctx.locale);
      scope.push_back(source.id);
    }
    const auto hits = hybrid_search(sql, {path.school_id, kPassageKind, scope, std::string(query), limit}, query_vector,
                                    model.embedding_model);
    std::vector<std::string> ids;
    for (const auto& hit : hits) ids.push_back(hit.doc_id);
    std::map<std::string, StoredPassage> passages;
    for (auto& p : repo::passages_by_id(sql, path.school_id, ids)) passages.emplace(p.id, std::move(p));
    std::vector<SearchHit> results;
    for (const auto& hit : hits) {
      auto it = passages.find(hit.doc_id);
      if (it == passages.end()) continue;
      results.push_back({it->second, source_names[hit.scope_id], hit.score});
    }
    return results;
  });
}

std::vector<Recommendation> SourceService::recommendations(const RequestContext& ctx, const std::string& session_id,
                                                           int limit) {
  return d_.db.read([&](soci::session& sql) {
    const auto missed = d_.paths.missed_in_session(sql, ctx, session_id);
    std::map<std::string, std::string> source_names;
    std::vector<std::string> scope;
    for (const auto& source : repo::sources_of(sql, missed.path.school_id, missed.path.id)) {
      if (source.status != "ready") continue;
      source_names[source.id] = shown_name(source, ctx.locale);
      scope.push_back(source.id);
    }
    std::vector<Recommendation> out;
    if (scope.empty()) return out;
    std::map<std::string, std::size_t> index_of;  // passage -> its place in `out`
    constexpr std::size_t kCardsAsked = 20;
    for (std::size_t i = 0; i < missed.cards.size() && i < kCardsAsked; ++i) {
      const auto& card = missed.cards[i];
      std::string query = card.prompt;
      for (const auto& answer : card.answers) query += " " + answer;
      query = json::truncate_utf8(query, kMaxQueryBytes);
      const auto hits = fulltext::search(sql, {missed.path.school_id, kPassageKind, scope, query, 1});
      if (hits.empty()) continue;
      const auto& best = hits.front();
      if (auto it = index_of.find(best.doc_id); it != index_of.end()) {
        out[it->second].cards.push_back(card.prompt);
        out[it->second].hit.score += best.score;
        continue;
      }
      auto passages = repo::passages_by_id(sql, missed.path.school_id, {best.doc_id});
      if (passages.empty()) continue;
      index_of[best.doc_id] = out.size();
      out.push_back({{std::move(passages.front()), source_names[best.scope_id], best.score}, {card.prompt}});
    }
    // The passages that answer the most missed cards first.
    std::stable_sort(out.begin(), out.end(), [](const Recommendation& a, const Recommendation& b) {
      return a.cards.size() > b.cards.size();
    });
    if (out.size() > static_cast<std::size_t>(limit)) out.resize(static_cast<std::size_t>(limit));
    return out;
  });
}

SearchHit SourceService::passage(const RequestContext& ctx, const std::string& path_id,
                                  const std::string& passage_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto path = d_.paths.usable(sql, ctx, path_id);
    auto found = repo::passages_by_id(sql, path.school_id, {passage_id});
    if (found.empty()) throw Error::not_found("No such passage.");
    const auto source = repo::find_source(sql, path.school_id, found.front().source_id);
    if (!source || source->path_id != path.id || source->status != "ready") throw Error::not_found("No such passage.");
    return SearchHit{std::move(found.front()), shown_name(*source, ctx.locale), 0};
  });
}

void SourceService::index(const std::string& school_id, const std::string& source_id) {
  auto source = d_.db.read([&](soci::session& sql) { return repo::find_source(sql, school_id, source_id); });
  if (!source || source->status == "ready") return;  // deleted meanwhile, or indexed by an earlier attempt
  const auto bytes = files_.get(source->storage_path);
  if (!bytes) {
    // A row without its file: the upload's commit failed after the file was written elsewhere.
    throw std::runtime_error("source file missing: " + source->storage_path);
  }
  std::vector<Block> blocks;
  std::string failure;
  try {
    const SourceKind kind = kind_of(source->content_type);
    if (kind == SourceKind::pdf) {
      const auto pages = pdf_pages(*bytes);
      source->pages = static_cast<int>(pages.size());
      blocks = blocks_of_pdf(pages);
    } else {
      blocks = blocks_of_text(kind, *bytes);
    }
  } catch (const SourceError& e) {
    failure = e.message;
  } catch (const Error& e) {
    failure = e.what();
  }
  store(*source, blocks, failure, false);
}

void SourceService::store(Source source, const std::vector<Block>& blocks, std::string failure, bool create) {
  const std::string school_id = source.school_id;
  const std::string source_id = source.id;
  const std::int64_t now = d_.clock.now_ms();
  std::vector<StoredPassage> passages;
  if (failure.empty()) {
    std::string sample;
    for (const auto& block : blocks) {
      if (sample.size() > 20000) break;
      sample += block.text + "\n";
    }
    source.language = std::string(fulltext::language_name(fulltext::guess_language(sample)));
    int position = 0;
    source.words = 0;
    for (auto& passage : split_passages(blocks)) {
      source.words += passage.words;
      passages.push_back({new_id(), school_id, source.id, position++, std::move(passage.heading), passage.page,
                          std::move(passage.text)});
    }
    if (passages.empty()) failure = "This file holds no text to learn from.";
  }
  // Each passage's vector when the school's model has an embedding model (hybrid ranking); a
  // model that fails leaves the source searchable by its words alone.
  std::optional<std::vector<std::vector<float>>> vectors;
  const auto model = effective(d_, d_.db.read([&](soci::session& sql) { return repo::find_school_ai(sql, school_id); })).provider;
  if (failure.empty() && !model.embedding_model.empty()) {
    std::vector<std::string> texts;
    for (const auto& p : passages) texts.push_back(p.heading.empty() ? p.text : p.heading + "\n" + p.text);
    vectors = embed_texts(provider_for(providers_, model), texts);
  }
  d_.db.write([&](soci::session& sql) {
    // Deleted while it was read: nothing to write.
    if (create) {
      repo::insert_source(sql, source);
    } else if (!repo::find_source(sql, school_id, source_id)) {
      return;
    }
    source.indexed_at = now;
    if (failure.empty()) {
      repo::replace_passages(sql, source, passages);
      if (vectors && vectors->size() == passages.size()) {
        std::vector<PassageVector> rows;
        for (std::size_t i = 0; i < passages.size(); ++i) rows.push_back({passages[i].id, source.id, std::move((*vectors)[i])});
        repo::replace_vectors(sql, school_id, source.id, model.embedding_model, rows);
      } else {
        repo::delete_vectors(sql, school_id, source.id);
      }
      source.status = "ready";
      source.error.reset();
      source.passages = static_cast<int>(passages.size());
    } else {
      source.status = "failed";
      source.error = failure;
      source.passages = 0;
    }
    repo::update_source(sql, source);
  });
  spdlog::info("ai source {} {}: {} passages", source.id, source.status, source.passages);
}

void SourceService::index_lessons(const std::string& school_id, const std::string& path_id) {
  struct Read {
    std::optional<learning::PathRef> path;
    std::vector<learning::LessonText> lessons;
    std::optional<Source> source;
  };
  const auto read = d_.db.read([&](soci::session& sql) {
    Read r;
    r.path = d_.paths.find(sql, school_id, path_id);
    if (r.path) r.lessons = d_.paths.lessons_of(sql, *r.path);
    for (auto& s : repo::sources_of(sql, school_id, path_id)) {
      if (s.origin == "lessons") r.source = std::move(s);
    }
    return r;
  });
  if (!read.path || read.lessons.empty()) {
    // No lesson left (or no path): nothing of them to quote.
    if (read.source) {
      d_.db.write([&](soci::session& sql) {
        repo::delete_vectors(sql, school_id, read.source->id);
        repo::delete_source(sql, school_id, read.source->id);
      });
    }
    return;
  }
  // Each lesson under its step's title, as students read them.
  std::vector<Block> blocks;
  std::size_t bytes = 0;
  for (const auto& lesson : read.lessons) {
    const std::string text = "# " + lesson.step_title + "\n\n" + demoted_headings(lesson.markdown);
    bytes += text.size();
    for (auto& block : blocks_of_text(SourceKind::markdown, text)) blocks.push_back(std::move(block));
  }
  Source source;
  if (read.source) {
    source = *read.source;
  } else {
    source.id = new_id();
    source.school_id = school_id;
    source.path_id = path_id;
    source.name = "lessons";
    source.content_type = std::string(content_type_of(SourceKind::markdown));
    source.status = "pending";
    source.created_by = read.path->owner_id;
    source.created_at = d_.clock.now_ms();
    source.origin = "lessons";
  }
  source.size_bytes = 0;  // the school's own content: not counted against its space for sources
  store(std::move(source), blocks, "", !read.source);
}


}  // namespace mnemos::ai
