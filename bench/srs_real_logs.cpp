// The optimizer on real review logs. For each CSV of the directory (by default
// ../shared/data/reviewlogs, which stays outside the repository), the product's optimizer sees only
// the first 80% of the labelled reviews by time — whatever it chooses, it chooses inside that
// part — and the parameters it returns are scored on the last 20%, against the defaults.
// Prints a Markdown table (docs/srs.md): log loss and RMSE(bins), the change in log loss with a
// 95% interval from resampling cards, and a summary over the logs.
//   build/bench/mnemos_srs_real_logs [DIR]
// To try other settings: L2="1,10,100" (the pulls to choose from), EPOCHS=5, REFIT=0.
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/optimizer.hpp>
#include <mnemos/srs/review_log.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace mnemos::srs;

namespace {

double loss_of(const Prediction& each) { return each.recalled ? -std::log(each.p) : -std::log(1 - each.p); }

// The mean change in log loss (fitted - defaults) and its 95% interval, resampling whole cards
// (reviews of one card are not independent).
struct Change {
  double mean = 0, low = 0, high = 0;
};
Change change_in_log_loss(const std::vector<Prediction>& defaults, const std::vector<Prediction>& fitted) {
  std::vector<std::pair<double, double>> per_card;  // (sum of differences, items)
  std::vector<std::size_t> slot;
  double total = 0;
  for (std::size_t i = 0; i < defaults.size(); ++i) {
    const auto card = defaults[i].card;
    if (card >= slot.size()) slot.resize(card + 1, SIZE_MAX);
    if (slot[card] == SIZE_MAX) {
      slot[card] = per_card.size();
      per_card.emplace_back(0, 0);
    }
    const double difference = loss_of(fitted[i]) - loss_of(defaults[i]);
    per_card[slot[card]].first += difference;
    per_card[slot[card]].second += 1;
    total += difference;
  }
  Change change;
  if (defaults.empty()) return change;
  change.mean = total / static_cast<double>(defaults.size());
  std::mt19937_64 random(11);
  std::uniform_int_distribution<std::size_t> pick(0, per_card.size() - 1);
  std::vector<double> means;
  for (int round = 0; round < 2000; ++round) {
    double sum = 0, count = 0;
    for (std::size_t k = 0; k < per_card.size(); ++k) {
      const auto& [s, n] = per_card[pick(random)];
      sum += s;
      count += n;
    }
    means.push_back(sum / count);
  }
  std::sort(means.begin(), means.end());
  change.low = means[means.size() * 25 / 1000];
  change.high = means[means.size() * 975 / 1000];
  return change;
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path directory = argc > 1 ? argv[1] : "../shared/data/reviewlogs";
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  }
  if (error || files.empty()) {
    std::fprintf(stderr, "mnemos_srs_real_logs: no .csv review log in %s\n", directory.c_str());
    return 2;
  }
  std::sort(files.begin(), files.end());
  const DayOf day_of = fixed_offset_days(0, 4);
  FitOptions options;
  if (const char* l2 = std::getenv("L2")) {
    options.l2_choices.clear();
    for (std::string rest = l2; !rest.empty();) {
      const auto comma = rest.find(',');
      options.l2_choices.push_back(std::stod(rest.substr(0, comma)));
      rest = comma == std::string::npos ? "" : rest.substr(comma + 1);
    }
  }
  if (const char* epochs = std::getenv("EPOCHS")) options.epochs = std::atoi(epochs);
  if (const char* refit = std::getenv("REFIT")) options.refit = std::string(refit) != "0";
  const double noise = 0.005;

  std::printf("| log | reviews | scored | log loss defaults | log loss fitted | change (95%% interval) | "
              "RMSE(bins) defaults | RMSE(bins) fitted | fitted | fit time |\n");
  std::printf("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- | ---: |\n");
  std::vector<double> changes, rmse_defaults, rmse_fitted, losses_defaults, losses_fitted;
  int better = 0, worse_than_noise = 0;
  for (const auto& file : files) {
    std::ifstream in(file);
    ReviewLog log;
    try {
      log = read_review_log(in);
    } catch (const ReviewLogError& problem) {
      std::fprintf(stderr, "%s: %s\n", file.filename().c_str(), problem.what());
      return 2;
    }
    const std::int64_t cutoff = held_out_cutoff(log.reviews, day_of, 0.2);
    std::vector<LoggedReview> seen;
    for (const auto& review : log.reviews) {
      if (review.at_ms < cutoff) seen.push_back(review);
    }
    const auto started = std::chrono::steady_clock::now();
    const FitReport report = optimize(seen, default_parameters(), day_of, options);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    const auto by_defaults = predict(log.reviews, default_parameters(), day_of, cutoff);
    const auto by_fit = predict(log.reviews, report.parameters, day_of, cutoff);
    const Scores defaults = score(by_defaults), fitted = score(by_fit);
    const Change change = change_in_log_loss(by_defaults, by_fit);
    changes.push_back(change.mean);
    losses_defaults.push_back(defaults.log_loss);
    losses_fitted.push_back(fitted.log_loss);
    rmse_defaults.push_back(defaults.rmse_bins);
    rmse_fitted.push_back(fitted.rmse_bins);
    if (change.mean < 0) ++better;
    if (change.mean > noise) ++worse_than_noise;
    std::printf("| %s | %zu | %zu | %.4f | %.4f | %+.4f (%+.4f, %+.4f) | %.4f | %.4f | %s | %.2f s |\n",
                file.stem().c_str(), log.reviews.size(), defaults.items, defaults.log_loss, fitted.log_loss,
                change.mean, change.low, change.high, defaults.rmse_bins, fitted.rmse_bins,
                report.improved ? (report.fitted == "all" ? ("all, l2 " + std::to_string(static_cast<int>(report.l2))).c_str() : report.fitted.c_str()) : "kept defaults", seconds);
    std::fflush(stdout);
  }
  const auto mean = [](const std::vector<double>& values) {
    double sum = 0;
    for (const double v : values) sum += v;
    return sum / static_cast<double>(values.size());
  };
  const auto spread = [&](const std::vector<double>& values) {
    const double m = mean(values);
    double squares = 0;
    for (const double v : values) squares += (v - m) * (v - m);
    return values.size() > 1 ? std::sqrt(squares / static_cast<double>(values.size() - 1)) : 0.0;
  };
  std::printf("\n%zu logs: mean log loss %.4f (defaults) -> %.4f (fitted); mean change %+.4f (sd %.4f over logs); "
              "better on %d, worse by more than %.3f on %d; mean RMSE(bins) %.4f -> %.4f\n",
              files.size(), mean(losses_defaults), mean(losses_fitted), mean(changes), spread(changes), better, noise,
              worse_than_noise, mean(rmse_defaults), mean(rmse_fitted));
  return 0;
}
