#pragma once
// Review logs as text: the CSV of `mnemos srs optimize` (card_id,review_rating,review_time
// [,review_duration]; a header names the columns, in any order) and ISO 8601 instants. Shared by
// the CLI and the benchmark that evaluates the optimizer on real logs.
#include <mnemos/srs/optimizer.hpp>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos::srs {

// what() is "<field>: <message>", e.g. "line 12 review_time: use ISO 8601, e.g. ...".
struct ReviewLogError : std::runtime_error {
  ReviewLogError(const std::string& field, const std::string& message)
      : std::runtime_error(field + ": " + message) {}
};

// "2022-11-29T12:30:00Z", with optional fractional seconds and a Z or ±HH:MM offset, as
// milliseconds since 1970 UTC. Throws ReviewLogError naming `field`.
std::int64_t parse_instant(std::string_view text, const std::string& field);

struct ReviewLog {
  std::vector<LoggedReview> reviews;  // in file order
  std::size_t rows_skipped = 0;       // ratings outside 1..4 (Anki's manual reschedules)
};

// Throws ReviewLogError naming the line (or "reviews" for a missing header).
ReviewLog read_review_log(std::istream& csv);

}  // namespace mnemos::srs
