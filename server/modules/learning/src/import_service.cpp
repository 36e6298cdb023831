// Imports (CSV, GIFT, Anki packages) and media: content brought in from elsewhere (docs/imports.md).
#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/messages.hpp>

#include "apkg.hpp"
#include "html.hpp"
#include "imports.hpp"

#include "authoring.hpp"
#include "content.hpp"
#include "repository.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;
using namespace authoring;

namespace {

constexpr std::size_t kMaxTextImportBytes = 4u << 20;

// The text a student is asked about: two items with the same prompt in a step are one too many.
std::string prompt_key(const std::string& kind, const object& content) {
  const char* field = kind == "flashcard" ? "front" : kind == "cloze" ? "text" : "question";
  const auto* value = content.if_contains(field);
  return value != nullptr && value->is_string() ? json::trim(std::string(value->get_string())) : std::string();
}

// Swaps each media placeholder of html::to_markdown ("![alt](<placeholder>)") for the file's
// address, or removes it when the file could not be kept; true when one was removed.
bool resolve_media(boost::json::value& value, const std::map<std::string, std::string>& urls) {
  bool removed = false;
  if (value.is_string()) {
    std::string text(value.get_string());
    for (auto at = text.find("](\x01"); at != std::string::npos; at = text.find("](\x01", at)) {
      const auto open = text.rfind("![", at);
      const auto close = text.find("\x01)", at + 3);
      if (open == std::string::npos || close == std::string::npos) break;
      const auto url = urls.find(text.substr(at + 3, close - at - 3));
      const std::string replacement =
          url == urls.end() ? std::string() : text.substr(open, at - open) + "](" + url->second + ")";
      removed = removed || url == urls.end();
      text.replace(open, close + 2 - open, replacement);
      at = open + replacement.size();
    }
    if (removed) text = json::trim(text);
    value = text;
  } else if (value.is_array()) {
    for (auto& element : value.get_array()) removed = resolve_media(element, urls) || removed;
  } else if (value.is_object()) {
    for (auto& entry : value.get_object()) removed = resolve_media(entry.value(), urls) || removed;
  }
  return removed;
}

// A file name as the alt text of a picture: no extension, no brackets that would end the link.
std::string alt_text(const std::string& file_name) {
  std::string alt = file_name.substr(0, file_name.rfind('.'));
  std::erase_if(alt, [](char c) { return c == '[' || c == ']' || c == '\n'; });
  return alt == "audio" ? "picture" : alt;
}

std::string import_format(std::string format, std::string_view content_type) {
  const std::string type(json::trim(std::string(content_type.substr(0, content_type.find(';')))));
  if (format.empty()) {
    if (type == "text/x-gift") return "gift";
    if (type == "text/csv" || type == "text/plain") return "csv";
    if (type == "application/zip" || type == "application/x-zip-compressed" ||
        type == "application/octet-stream" || type == "application/vnd.anki") {
      return "apkg";
    }
    throw Error(ErrorCode::unsupported_media,
                "Send a CSV file (text/csv), a GIFT file (text/plain with format=gift) or an Anki package (application/zip).");
  }
  if (format != "csv" && format != "gift" && format != "apkg") throw Error::invalid("format", "Use csv, gift or apkg.");
  if (format != "apkg" && type.substr(0, 5) != "text/") {
    throw Error(ErrorCode::unsupported_media, "Send a CSV or GIFT file as text (Content-Type: text/csv or text/plain).");
  }
  return format;
}

}  // namespace

std::string PathService::store_media(soci::session& sql, const RequestContext& ctx, const Path& path,
                                     const std::string& name, std::string_view bytes) {
  const std::string type = media_type_of(name, bytes);
  if (type.empty()) return {};
  const auto size = static_cast<std::int64_t>(bytes.size());
  if (auto known = repo::find_media_by_name(sql, path.id, name, size)) return known->id;
  Media media;
  media.id = new_id();
  media.school_id = path.school_id;
  media.path_id = path.id;
  media.name = json::truncate_utf8(name, 200);
  media.content_type = type;
  media.size_bytes = size;
  media.storage_path = "learning/" + path.school_id + "/" + media.id + "." + type.substr(6);
  media.created_by = *ctx.user_id;
  media.created_at = ctx.now_ms();
  files_.put(media.storage_path, bytes);  // written before the row points at it
  repo::insert_media(sql, media);
  return media.id;
}

namespace {
// Thrown at the end of a dry run so that its transaction rolls back: the report is all it leaves.
struct DryRun {
  ImportReport report;
};
}  // namespace

ImportReport PathService::import_items(const RequestContext& ctx, const std::string& step_id,
                                       std::string format, std::string_view content_type,
                                       std::string_view body, bool dry_run) {
  try {
    return import_items_in(ctx, step_id, std::move(format), content_type, body, dry_run);
  } catch (DryRun& done) {
    return std::move(done.report);
  }
}

ImportReport PathService::import_items_in(const RequestContext& ctx, const std::string& step_id,
                                          std::string format, std::string_view content_type,
                                          std::string_view body, bool dry_run) {
  return write_content(d_, [&](soci::session& sql) {
    auto [step, path] = access_.editable_step(sql, ctx, step_id);
    format = import_format(std::move(format), content_type);
    if (!step_accepts(step.kind, "flashcard")) {
      throw Error::invalid("file", "Import cards into a cards or quiz step.");
    }
    ImportReport report;
    report.format = format;
    std::vector<imports::Candidate> candidates;
    std::map<std::string, std::string> media_urls;
    if (format == "apkg") {
      const auto package = apkg::read(body);
      for (const auto& [name, bytes] : package.media) {
        // A dry run writes no file: a file that would be kept gets a stand-in address.
        const std::string id = dry_run ? (media_type_of(name, bytes).empty() ? "" : "dry-run")
                                       : store_media(sql, ctx, path, name, bytes);
        if (!id.empty()) media_urls[name] = "/api/v1/learning-media/" + id;
      }
      candidates = imports::from_anki(package.notes);
    } else {
      if (body.size() > kMaxTextImportBytes) {
        throw Error(ErrorCode::payload_too_large, "A CSV or GIFT file may weigh at most 4 MiB.");
      }
      // Not UTF-8: read as Windows-1252 (Moodle on Windows, Excel), and the report says so.
      const auto decoded = imports::decode_text(body);
      report.encoding = decoded.encoding;
      if (format == "csv") {
        candidates = imports::from_csv(decoded.text);
      } else {
        candidates = imports::from_gift(decoded.text, {messages::translate(ctx.locale, "True"),
                                                       messages::translate(ctx.locale, "False")});
      }
    }
    if (candidates.empty()) throw Error::invalid("file", "The file holds no card or question.");

    auto existing = repo::items_of(sql, step.id);
    int position = repo::next_item_position(sql, step.id);
    const std::size_t room = kMaxItemsPerStep - std::min(kMaxItemsPerStep, existing.size());
    std::set<std::string> prompts;
    for (const auto& i : existing) {
      if (is_card_kind(i.kind)) prompts.insert(prompt_key(i.kind, json::parse(i.content).as_object()));
    }
    for (auto& candidate : candidates) {
      ImportLine line;
      line.line = candidate.line;
      line.kind = candidate.kind;
      line.front = json::truncate_utf8(html::readable_label(candidate.label), 80);
      line.reason = candidate.skipped;
      std::string content;
      if (line.reason.empty()) {
        boost::json::value given(std::move(candidate.content));
        if (resolve_media(given, media_urls)) {
          candidate.note = "A picture or sound was left out: it is missing, larger than 2 MiB, or of a kind Mnemos cannot show.";
        }
        try {
          content = checked_content(candidate.kind, given);
        } catch (const Error& e) {
          line.reason = e.fields().empty() ? e.what() : e.fields().front().message;
        }
      }
      if (line.reason.empty()) {
        const auto key = prompt_key(candidate.kind, json::parse(content).as_object());
        if (prompts.count(key)) {
          line.reason = candidate.kind == "flashcard" ? "The step already has a card with this front."
                                                      : "The step already has this question.";
        } else if (static_cast<std::size_t>(report.taken) >= room) {
          line.reason = "The step is full (2000 items).";
        }
      }
      if (!line.reason.empty()) {
        line.status = "skipped";
        ++report.skipped;
        report.lines.push_back(std::move(line));
        continue;
      }
      Item item;
      item.id = new_id();
      item.school_id = step.school_id;
      item.step_id = step.id;
      item.position = position++;
      item.kind = candidate.kind;
      item.content = content;
      // Tags that are not single words are left out rather than losing the card.
      Validation ignored;
      std::vector<std::string> tags;
      for (auto& tag : candidate.tags) {
        Validation check;
        tags_text({tag}, check, "tags");
        if (check.ok() && tags.size() < 20) tags.push_back(std::move(tag));
      }
      item.tags = tags_text(tags, ignored, "tags");
      item.origin = "imported";
      item.validation = "validated";
      item.created_by = *ctx.user_id;
      item.created_at = item.updated_at = ctx.now_ms();
      repo::insert_item(sql, item);
      prompts.insert(prompt_key(item.kind, json::parse(content).as_object()));
      line.status = "taken";
      line.reason = candidate.note;
      line.item_id = item.id;
      ++report.taken;
      report.lines.push_back(std::move(line));
    }
    report.dry_run = dry_run;
    if (dry_run) throw DryRun{std::move(report)};
    record_activity(sql, ctx, "learning_step.imported", "learning_step", step.id, labelled(step.title));
    return report;
  });
}

MediaAdded PathService::add_media(const RequestContext& ctx, const std::string& path_id,
                                           std::string_view content_type, std::string_view name,
                                           std::string_view bytes) {
  return write_content(d_, [&](soci::session& sql) {
    const Path path = access_.editable(sql, ctx, path_id);
    const std::string declared(content_type.substr(0, content_type.find(';')));
    const bool sound = declared.starts_with("audio/");
    if (declared != "image/png" && declared != "image/jpeg" && declared != "image/webp" && declared != "image/gif" && !sound) {
      throw Error(ErrorCode::unsupported_media, "Send a picture (PNG, JPEG, WebP or GIF) or a sound (MP3, Ogg, WAV or M4A).");
    }
    if (bytes.size() > apkg::kMaxMediaBytes) {
      throw Error(ErrorCode::payload_too_large, "A picture or sound may weigh at most 2 MiB.");
    }
    // Browsers name sounds in several ways (audio/mp3, audio/x-wav): the bytes decide.
    const std::string type = sound ? files::sniff_audio_type(bytes) : files::sniff_image_type(bytes);
    if (type.empty() || (!sound && type != declared)) {
      throw Error::invalid("file", "This file is not the picture or sound it claims to be.");
    }
    std::string file_name = json::trim(std::string(name));
    if (!json::is_printable_utf8(file_name)) {
      throw Error::invalid("name", "A file name may not hold control characters.");
    }
    if (file_name.empty()) file_name = sound ? "sound" : "picture";
    file_name = json::truncate_utf8(file_name, 200);
    const std::string id = store_media(sql, ctx, path, file_name, bytes);
    record_activity(sql, ctx, "learning_media.added", "learning_path", path.id, labelled(file_name));
    const std::string url = "/api/v1/learning-media/" + id;
    return MediaAdded{.id = id,
                      .url = url,
                      .name = file_name,
                      .content_type = type,
                      .markdown = "![" + (sound ? std::string("audio") : alt_text(file_name)) + "](" + url + ")",
                      .size_bytes = static_cast<std::int64_t>(bytes.size())};
  });
}

std::pair<std::string, std::string> PathService::media(const RequestContext& ctx, const std::string& id) {
  const auto media = d_.db.read([&](soci::session& sql) { return repo::find_media(sql, ctx.school(), id); });
  if (!media) throw Error::not_found("No such media file.");
  auto bytes = files_.get(media->storage_path);
  if (!bytes) throw Error::not_found("No such media file.");
  return {media->content_type, std::move(*bytes)};
}

}  // namespace mnemos::learning
