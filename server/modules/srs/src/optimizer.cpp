#include <mnemos/srs/optimizer.hpp>

#include "dual.hpp"
#include "formulas.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <unordered_map>

namespace mnemos::srs {
namespace {

struct Step {
  std::int64_t day;
  std::int64_t at_ms;
  int rating;
};

// One card's reviews in time order. Position i > 0 with a day gap is a labelled item: did the
// student recall (rating > 1) after elapsed days, given the reviews before?
struct Card {
  std::vector<Step> steps;
};

struct Items {
  std::vector<Card> cards;
  std::int64_t cutoff_ms = 0;  // items at or after: held out
  std::size_t training = 0, held_out = 0;
};

bool is_item(const Card& card, std::size_t i) { return i > 0 && card.steps[i].day > card.steps[i - 1].day; }

Items group(const std::vector<LoggedReview>& log, const DayOf& day_of, std::size_t& used) {
  std::unordered_map<std::string, std::size_t> index;
  Items items;
  used = 0;
  for (const auto& review : log) {
    if (review.rating < 1 || review.rating > 4) continue;
    auto [it, added] = index.try_emplace(review.card_id, items.cards.size());
    if (added) items.cards.emplace_back();
    items.cards[it->second].steps.push_back({day_of(review.at_ms), review.at_ms, review.rating});
    ++used;
  }
  for (auto& card : items.cards) {
    std::stable_sort(card.steps.begin(), card.steps.end(),
                     [](const Step& a, const Step& b) { return a.at_ms < b.at_ms; });
  }
  return items;
}

// Holds out the most recent `fraction` of the labelled items (by time).
void split(Items& items, double fraction) {
  std::vector<std::int64_t> times;
  for (const auto& card : items.cards) {
    for (std::size_t i = 0; i < card.steps.size(); ++i) {
      if (is_item(card, i)) times.push_back(card.steps[i].at_ms);
    }
  }
  std::sort(times.begin(), times.end());
  items.training = items.held_out = 0;
  if (times.empty()) return;
  const auto at = static_cast<std::size_t>(std::floor(static_cast<double>(times.size()) * (1.0 - fraction)));
  items.cutoff_ms = at >= times.size() ? times.back() + 1 : times[at];
  for (const auto t : times) (t < items.cutoff_ms ? items.training : items.held_out)++;
}

Items build(const std::vector<LoggedReview>& log, const DayOf& day_of, double held_out_fraction,
            std::size_t& used) {
  Items items = group(log, day_of, used);
  split(items, held_out_fraction);
  return items;
}

// Walks a card with parameters `w`, calling `on_item(position, elapsed_days, stability)` for
// each labelled item before applying that review.
template <typename T, typename W, typename F>
void walk(const W& w, const Card& card, F&& on_item) {
  T s = formulas::initial_stability<T>(w, card.steps[0].rating);
  T d = formulas::initial_difficulty<T>(w, card.steps[0].rating);
  for (std::size_t i = 1; i < card.steps.size(); ++i) {
    const auto elapsed = card.steps[i].day - card.steps[i - 1].day;
    const int rating = card.steps[i].rating;
    if (elapsed <= 0) {
      s = formulas::same_day_stability<T>(w, s, rating);
    } else {
      const T r = formulas::retrievability<T>(w, static_cast<double>(elapsed), s);
      on_item(i, static_cast<double>(elapsed), r);
      s = rating == 1 ? formulas::stability_after_failure<T>(w, s, d, r)
                      : formulas::stability_after_success<T>(w, s, d, r, rating);
    }
    d = formulas::next_difficulty<T>(w, d, rating);
  }
}

double clamp_probability(double p) { return std::clamp(p, 1e-4, 1.0 - 1e-4); }

std::vector<Prediction> predictions(const Parameters& w, const Items& items, std::int64_t from_ms) {
  std::vector<Prediction> out;
  for (std::size_t c = 0; c < items.cards.size(); ++c) {
    const auto& card = items.cards[c];
    walk<double>(w, card, [&](std::size_t i, double, double r) {
      if (card.steps[i].at_ms < from_ms) return;
      out.push_back({c, clamp_probability(r), card.steps[i].rating > 1});
    });
  }
  return out;
}

Scores evaluate(const Parameters& w, const Items& items) { return score(predictions(w, items, items.cutoff_ms)); }

// The stability after the first rating, estimated from what happened at the second review of
// cards first rated `rating` (a 1-D search of the likelihood), kept increasing with the rating.
void fit_initial_stabilities(Parameters& w, const Items& items) {
  std::array<std::vector<std::pair<double, double>>, 4> seen;  // (elapsed days, recalled)
  for (const auto& card : items.cards) {
    if (card.steps.size() < 2 || !is_item(card, 1) || card.steps[1].at_ms >= items.cutoff_ms) continue;
    seen[static_cast<std::size_t>(card.steps[0].rating - 1)].emplace_back(
        static_cast<double>(card.steps[1].day - card.steps[0].day), card.steps[1].rating > 1 ? 1.0 : 0.0);
  }
  std::array<double, 4> estimate{w[0], w[1], w[2], w[3]};
  std::array<double, 4> weight{};
  for (std::size_t g = 0; g < 4; ++g) {
    if (seen[g].empty()) continue;
    double best = estimate[g], best_loss = INFINITY;
    for (int k = 0; k <= 400; ++k) {
      const double s = std::exp(std::log(0.01) + (std::log(100.0) - std::log(0.01)) * k / 400.0);
      // A pseudo-observation at the current value keeps sparse ratings near it.
      double loss = 0.5 * std::pow(std::log(s) - std::log(estimate[g]), 2);
      for (const auto& [t, y] : seen[g]) {
        const double p = clamp_probability(formulas::retrievability<double>(w, t, s));
        loss += -(y * std::log(p) + (1 - y) * std::log(1 - p));
      }
      if (loss < best_loss) {
        best_loss = loss;
        best = s;
      }
    }
    estimate[g] = best;
    weight[g] = static_cast<double>(seen[g].size());
  }
  // Pool adjacent violators: S0(Again) <= S0(Hard) <= S0(Good) <= S0(Easy).
  std::vector<std::pair<double, double>> blocks;  // (value, weight)
  std::vector<std::size_t> sizes;
  for (std::size_t g = 0; g < 4; ++g) {
    blocks.emplace_back(estimate[g], std::max(weight[g], 1.0));
    sizes.push_back(1);
    while (blocks.size() > 1 && blocks[blocks.size() - 2].first > blocks.back().first) {
      auto [v2, w2] = blocks.back();
      blocks.pop_back();
      const auto n2 = sizes.back();
      sizes.pop_back();
      auto& [v1, w1] = blocks.back();
      v1 = (v1 * w1 + v2 * w2) / (w1 + w2);
      w1 += w2;
      sizes.back() += n2;
    }
  }
  std::size_t g = 0;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    for (std::size_t k = 0; k < sizes[b]; ++k) w[g++] = std::clamp(blocks[b].first, 0.001, 100.0);
  }
}

// Back inside the bounds, with the initial stabilities still increasing with the rating.
void clip(Parameters& w) {
  const auto& bounds = parameter_bounds();
  for (std::size_t i = 0; i < kParameterCount; ++i) w[i] = std::clamp(w[i], bounds[i].first, bounds[i].second);
  for (std::size_t i = 1; i < 4; ++i) w[i] = std::max(w[i], w[i - 1]);
}

// Adam over every parameter, on mini-batches of cards, with recency-weighted log loss and an
// L2 pull towards the parameters it started from.
void fit_all(Parameters& w, const Items& items, const FitOptions& options, double l2) {
  const Parameters anchor = w;
  const auto& bounds = parameter_bounds();
  std::vector<std::size_t> order(items.cards.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 random(7);
  std::array<double, kParameterCount> m{}, v{};
  const double b1 = 0.9, b2 = 0.999;
  int t = 0;
  std::int64_t first_ms = items.cutoff_ms;
  for (const auto& card : items.cards) first_ms = std::min(first_ms, card.steps.front().at_ms);
  const double window = std::max(1.0, static_cast<double>(items.cutoff_ms - first_ms));
  const auto total_steps = static_cast<double>(options.epochs) *
                           std::ceil(static_cast<double>(items.training) / static_cast<double>(options.batch_items));
  for (int epoch = 0; epoch < options.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), random);
    std::size_t at = 0;
    while (at < order.size()) {
      std::array<Dual, kParameterCount> dw;
      for (std::size_t i = 0; i < kParameterCount; ++i) dw[i] = Dual::variable(w[i], i);
      std::array<double, kParameterCount> gradient{};
      double batch = 0;
      while (at < order.size() && batch < static_cast<double>(options.batch_items)) {
        const auto& card = items.cards[order[at++]];
        walk<Dual>(dw, card, [&](std::size_t i, double, const Dual& r) {
          if (card.steps[i].at_ms >= items.cutoff_ms) return;
          const double p = clamp_probability(r.v);
          const double y = card.steps[i].rating > 1 ? 1.0 : 0.0;
          // Recent reviews say more about the student now: weights from 0.5 to 1.5.
          const double recency = 0.5 + static_cast<double>(card.steps[i].at_ms - first_ms) / window;
          const double dloss_dp = recency * (p - y) / (p * (1 - p));
          if (r.v > 1e-4 && r.v < 1 - 1e-4) {
            for (std::size_t k = 0; k < kParameterCount; ++k) gradient[k] += dloss_dp * r.d[k];
          }
          batch += 1;
        });
      }
      if (batch == 0) continue;
      ++t;
      const double rate = options.learning_rate * 0.5 * (1 + std::cos(M_PI * t / std::max(1.0, total_steps)));
      for (std::size_t k = 0; k < kParameterCount; ++k) {
        const double range = bounds[k].second - bounds[k].first;
        const double g = gradient[k] / batch +
                         l2 * 2 * (w[k] - anchor[k]) / (range * range) / static_cast<double>(items.training);
        m[k] = b1 * m[k] + (1 - b1) * g;
        v[k] = b2 * v[k] + (1 - b2) * g * g;
        const double m_hat = m[k] / (1 - std::pow(b1, t));
        const double v_hat = v[k] / (1 - std::pow(b2, t));
        w[k] -= rate * m_hat / (std::sqrt(v_hat) + 1e-8);
      }
      clip(w);
    }
  }
}

}  // namespace

std::vector<Prediction> predict(const std::vector<LoggedReview>& log, const Parameters& w, const DayOf& day_of,
                                std::int64_t from_ms) {
  std::size_t used = 0;
  return predictions(w, group(log, day_of, used), from_ms);
}

std::int64_t held_out_cutoff(const std::vector<LoggedReview>& log, const DayOf& day_of, double fraction) {
  std::size_t used = 0;
  return build(log, day_of, fraction, used).cutoff_ms;
}

Scores score(const std::vector<Prediction>& predictions) {
  double loss = 0;
  std::array<double, 20> predicted{}, actual{}, count{};
  for (const auto& each : predictions) {
    const double y = each.recalled ? 1.0 : 0.0;
    loss += -(y * std::log(each.p) + (1 - y) * std::log(1 - each.p));
    const auto bin = std::min<std::size_t>(19, static_cast<std::size_t>(each.p * 20));
    predicted[bin] += each.p;
    actual[bin] += y;
    count[bin] += 1;
  }
  Scores scores;
  scores.items = predictions.size();
  if (predictions.empty()) return scores;
  const auto n = static_cast<double>(predictions.size());
  scores.log_loss = loss / n;
  double squares = 0;
  for (std::size_t b = 0; b < 20; ++b) {
    if (count[b] == 0) continue;
    const double gap = predicted[b] / count[b] - actual[b] / count[b];
    squares += count[b] * gap * gap;
  }
  scores.rmse_bins = std::sqrt(squares / n);
  return scores;
}

FitReport optimize(const std::vector<LoggedReview>& log, const Parameters& start, const DayOf& day_of,
                   const FitOptions& options) {
  FitReport report;
  const Items items = build(log, day_of, options.held_out_fraction, report.reviews_used);
  report.training_items = items.training;
  report.held_out_items = items.held_out;
  const Scores before = evaluate(start, items);
  report.log_loss_before = report.log_loss_after = before.log_loss;
  report.rmse_bins_before = report.rmse_bins_after = before.rmse_bins;
  report.parameters = start;
  report.fitted = "nothing";
  if (items.training < options.minimum_items || items.held_out == 0) return report;

  // Candidates trained on the older part, judged on the held-out recent part.
  struct Candidate {
    std::string fitted;
    double l2 = 0;
    Scores scores;
  };
  Candidate best{"nothing", 0, before};
  const auto train = [&](const Candidate& setting, const Items& on) {
    Parameters w = start;
    fit_initial_stabilities(w, on);
    if (setting.fitted == "all") {
      fit_all(w, on, options, setting.l2);
    }
    return w;
  };
  std::vector<Candidate> settings{{"initial_stabilities", 0, {}}};
  if (items.training >= options.full_fit_items) {
    for (const double l2 : options.l2_choices) settings.push_back({"all", l2, {}});
  }
  Parameters best_parameters = start;
  for (auto& setting : settings) {
    const Parameters w = train(setting, items);
    setting.scores = evaluate(w, items);
    if (setting.scores.log_loss < best.scores.log_loss) {
      best = setting;
      best_parameters = w;
    }
  }
  report.fitted = best.fitted;
  report.l2 = best.l2;
  report.improved = best.fitted != "nothing";
  report.log_loss_after = best.scores.log_loss;
  report.rmse_bins_after = best.scores.rmse_bins;
  if (!report.improved) return report;
  if (!options.refit) {
    report.parameters = best_parameters;
    return report;
  }
  // The recent reviews held out above say the most about the student now: train on them too.
  Items everything = items;
  everything.training += everything.held_out;
  everything.held_out = 0;
  everything.cutoff_ms = std::numeric_limits<std::int64_t>::min();
  for (const auto& card : everything.cards) everything.cutoff_ms = std::max(everything.cutoff_ms, card.steps.back().at_ms + 1);
  report.parameters = train(best, everything);
  return report;
}

}  // namespace mnemos::srs
