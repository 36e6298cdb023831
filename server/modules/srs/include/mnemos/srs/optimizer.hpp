#pragma once
// Fits the model's parameters to one student's review history (docs/srs.md, `mnemos srs optimize`), and
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
  // The most recent labelled reviews, held out of training to choose the settings below; the
  // chosen ones are then trained again on the whole log.
  double held_out_fraction = 0.2;
  int epochs = 5;
  std::size_t batch_items = 512;
  double learning_rate = 0.04;
  // Strengths of the pull towards the starting parameters (a penalty on each parameter's move
  // relative to its range, weighed against the whole log's loss): one is chosen.
  std::vector<double> l2_choices{1, 10, 100};
  std::size_t minimum_items = 64;  // below: keep the starting parameters
  std::size_t full_fit_items = 256;  // below: fit the initial stabilities only
  bool refit = true;               // train the chosen settings again on every review
};

struct FitReport {
  // The chosen settings trained on every review, or the start when nothing fitted on the training
  // part predicted the held-out reviews better.
  Parameters parameters{};
  bool improved = false;
  std::string fitted;       // what was chosen: "nothing" | "initial_stabilities" | "all"
  double l2 = 0;            // the pull chosen when fitted is "all"
  // On the held-out reviews: the starting parameters, then the best fit on the training part.
  double log_loss_before = 0, log_loss_after = 0;
  double rmse_bins_before = 0, rmse_bins_after = 0;
  std::size_t reviews_used = 0, training_items = 0, held_out_items = 0;
};

// What a parameter set predicted for one labelled review (a review on a later day than the
// card's previous one): the card (numbered in order of first appearance), R, and the outcome.
struct Prediction {
  std::size_t card = 0;
  double p = 0;
  bool recalled = false;
};
// The predictions of `w` on the labelled reviews made at or after `from_ms`; each card's memory
// is built from all its reviews before, including earlier ones in the scored part.
std::vector<Prediction> predict(const std::vector<LoggedReview>& log, const Parameters& w, const DayOf& day_of,
                                std::int64_t from_ms);
// The instant from which the most recent `fraction` of the labelled reviews fall.
std::int64_t held_out_cutoff(const std::vector<LoggedReview>& log, const DayOf& day_of, double fraction);

struct Scores {
  double log_loss = 0;
  double rmse_bins = 0;  // over 20 equal-width bins of predicted R, weighted by items per bin
  std::size_t items = 0;
};
Scores score(const std::vector<Prediction>& predictions);

FitReport optimize(const std::vector<LoggedReview>& log, const Parameters& start, const DayOf& day_of,
                   const FitOptions& options = {});

}  // namespace mnemos::srs
