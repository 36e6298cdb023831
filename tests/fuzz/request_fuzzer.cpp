// Fuzzes what the server does with untrusted bytes before any business rule runs.
#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/http/request.hpp>
#include <mnemos/http/router.hpp>

#include <mnemos/core/csv.hpp>

#include "apkg.hpp"     // learning: imported files come from anywhere
#include "content.hpp"  // learning: item content and answers come from teachers and students
#include "gift_writer.hpp"
#include "html.hpp"
#include "imports.hpp"
#include "documents.hpp"
#include "policy.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/url/parse.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

namespace bhttp = boost::beast::http;
using mnemos::Error;

namespace {

mnemos::http::Router make_router() {
  mnemos::http::Router router;
  auto ok = [](const mnemos::http::Request&, mnemos::RequestContext&) {
    return mnemos::http::Response::no_content();
  };
  for (const char* pattern : {"/api/v1/me", "/api/v1/users", "/api/v1/users/{id}",
                              "/api/v1/classes/{id}/members", "/api/v1/schools/{id}"}) {
    router.get(pattern, {}, ok);
    router.post(pattern, {}, ok);
  }
  return router;
}

void validate_body(const std::string& body) {
  try {
    const auto value = mnemos::json::parse(body);
    mnemos::json::Fields fields(value);
    fields.required_string("email", 254);
    fields.optional_string("display_name", 120);
    fields.optional_int("limit", 1, 100);
    fields.optional_bool("flag");
    fields.optional_string_list("roles", 5, 20);
    fields.done();
  } catch (const Error&) {
    // Expected: a 4xx answer.
  }
  try {
    mnemos::csv::parse(body);
  } catch (const Error&) {
  }
  // A body as the content of each kind of item, then as an answer to it.
  for (const char* kind : {"lesson", "flashcard", "cloze", "choice", "short_answer", "matching", "numerical", "ordering"}) {
    try {
      mnemos::learning::Item item;
      item.kind = kind;
      item.content = mnemos::learning::checked_content(kind, mnemos::json::parse(body));
      for (int variant : mnemos::learning::variants_of(item)) {
        (void)mnemos::learning::prompt_of(item, variant);
        (void)mnemos::learning::solution_of(item, variant);
        (void)mnemos::learning::expected_in_words(item, variant);
        try {
          const auto answer = mnemos::json::parse(body);
          if (answer.is_object()) (void)mnemos::learning::grade(item, variant, answer.get_object(), 4000);
        } catch (const Error&) {
        }
      }
    } catch (const Error&) {
    }
  }
  // A body as an imported file: GIFT text, HTML from a card, an Anki package.
  // What a GIFT file gives (decoded to UTF-8, as the service does), written back as GIFT and read
  // again (the export's round trip).
  {
    mnemos::learning::gift::Section section{"fuzz", {}};
    for (const auto& candidate : mnemos::learning::imports::from_gift(mnemos::learning::imports::decode_text(body).text, {})) {
      if (!candidate.skipped.empty()) continue;
      try {
        mnemos::learning::Item item;
        item.id = "fuzz";
        item.kind = candidate.kind;
        item.content = mnemos::learning::checked_content(candidate.kind, candidate.content);
        section.items.push_back(std::move(item));
      } catch (const Error&) {
      }
    }
    (void)mnemos::learning::imports::from_gift(mnemos::learning::gift::write({section}), {});
  }
  (void)mnemos::learning::html::to_markdown(body);
  (void)mnemos::learning::html::media_in(body);
  try {
    const auto package = mnemos::learning::apkg::read(body);
    (void)mnemos::learning::imports::from_anki(package.notes);
  } catch (const Error&) {
  }
  // A body as a source of the tutor: read as each kind, cut into passages; a PDF's pages.
  for (const auto kind : {mnemos::ai::SourceKind::markdown, mnemos::ai::SourceKind::text, mnemos::ai::SourceKind::html}) {
    try {
      (void)mnemos::ai::split_passages(mnemos::ai::blocks_of_text(kind, body));
    } catch (const Error&) {
    }
  }
  try {
    (void)mnemos::ai::identify_source("text/markdown", "fuzz.md", body);
  } catch (const Error&) {
  }
  {
    std::vector<std::string> pages;
    for (std::size_t start = 0; start <= body.size();) {
      const auto end = std::min(body.find('\f', start), body.size());
      pages.emplace_back(body.substr(start, end - start));
      start = end + 1;
    }
    (void)mnemos::ai::split_passages(mnemos::ai::blocks_of_pdf(pages));
  }
  // The answer policy: the body's first line holds the answers (split on '|'), the rest is a reply,
  // checked whole and streamed in pieces of 7 bytes.
  {
    const auto line_end = std::min(body.find('\n'), body.size());
    mnemos::learning::CardAnswer card{"item", "step", "question", {}};
    const std::string answers = body.substr(0, line_end);
    for (std::size_t start = 0; start <= answers.size() && card.answers.size() < 8;) {
      const auto end = std::min(answers.find('|', start), answers.size());
      card.answers.push_back(answers.substr(start, end - start));
      start = end + 1;
    }
    const mnemos::ai::AnswerGuard guard({card});
    const std::string reply = line_end < body.size() ? body.substr(line_end + 1) : std::string();
    (void)guard.leaks(reply);
    const auto masked = guard.masked(reply);
    if (!guard.leaks(masked).empty() && mnemos::json::is_valid_utf8(reply)) {
      // A masked reply must give no answer away: a failure of the policy is a crash here.
      // (Only for valid UTF-8: the server never sends anything else to the guard.)
      __builtin_trap();
    }
    mnemos::ai::StreamingGuard streaming(guard);
    for (std::size_t at = 0; at < reply.size(); at += 7) (void)streaming.push(std::string_view(reply).substr(at, 7));
    (void)streaming.finish();
  }
  (void)mnemos::learning::fold(body, false, false);
  (void)mnemos::json::is_valid_utf8(body);
  (void)mnemos::json::looks_like_email(body);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const mnemos::http::Router router = make_router();
  const std::string input(reinterpret_cast<const char*>(data), size);

  // 1. The HTTP parser, with the server's limits.
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1 << 20);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(input), ec);
  if (!ec && parser.is_done()) {
    const auto& message = parser.get();
    mnemos::http::Request request;
    const auto target = message.target();
    if (auto url = boost::urls::parse_origin_form(std::string_view(target.data(), target.size()))) {
      request.method = std::string(message.method_string());
      request.path = url->path();
      for (const auto& param : url->params()) request.query.emplace_back(param.key, param.value);
      for (const auto& field : message) {
        request.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      request.body = message.body();
      bool known = false;
      router.match(request.method, request.path, request.params, known);
      (void)request.cookie("mnemos_session");
      (void)request.bearer_token();
      validate_body(request.body);
    }
  }
  // 2. The same bytes as a body.
  validate_body(input);
  return 0;
}
