#pragma once
// Fits the model's parameters to one student's review history (SRS.md, "the optimizer"), and
// measures how well a parameter set predicts reviews it has not seen.
#include <mnemos/srs/fsrs.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mnemos::srs {

struct LoggedReview {
  std::string card_id;
  int rating = 0;  // 1..4
  std::int64_t at_ms = 0;
};

struct FitOptions {
  double held_out_fraction = 0.2;  // the most recent reviews, kept out of training
  int epochs = 5;
  std::size_t batch_items = 512;
  double learning_rate = 0.04;
  double l2 = 1.0;                 // pull towards the starting parameters (per item, scaled)
  std::size_t minimum_items = 64;  // below: keep the starting parameters
  std::size_t full_fit_items = 256;  // below: fit the initial stabilities only
};

struct FitReport {
  Parameters parameters{};  // the fitted ones if they predict the held-out reviews better, else the start
  bool improved = false;
  std::string fitted;       // "nothing" | "initial_stabilities" | "all"
  // On the held-out reviews: the starting parameters, then the fitted ones (kept or not).
  double log_loss_before = 0, log_loss_after = 0;
  double rmse_bins_before = 0, rmse_bins_after = 0;
  std::size_t reviews_used = 0, training_items = 0, held_out_items = 0;
};

FitReport optimize(const std::vector<LoggedReview>& log, const Parameters& start, const DayOf& day_of,
                   const FitOptions& options = {});

}  // namespace mnemos::srs
