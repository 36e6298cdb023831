#pragma once
// `mnemos srs ...`: the memory engine for researchers and our own checks (docs/srs.md).
#include <iosfwd>
#include <string>

namespace mnemos::app {
// Reads one card's history as JSON from `in`, writes the state after each review to `out`.
// Returns the exit code; errors go to `err` naming the field.
int srs_replay(std::istream& in, std::ostream& out, std::ostream& err);
// Fits parameters to a review log (CSV: card_id,review_rating,review_time[,review_duration]) and
// prints them with the log loss and RMSE(bins) before and after, on reviews held out by time.
int srs_optimize(std::istream& csv, const std::string& timezone, int day_start_hour, std::ostream& out,
                 std::ostream& err);
}  // namespace mnemos::app
