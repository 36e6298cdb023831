// The memory engine's speed (issue #3, figures in docs/performance.md):
//   - scheduling updates per second on one core (target >= 5 million);
//   - the optimizer on 10,000 reviews (target < 1 s).
#include <mnemos/srs/fsrs.hpp>
#include <mnemos/srs/optimizer.hpp>

#include <benchmark/benchmark.h>

#include <random>

namespace {

using namespace mnemos::srs;
constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kStart = 1'767'254'400'000;

// One rating of a card in review: retrievability, new stability and difficulty, the three
// intervals (Hard <= Good < Easy) and the due date — what a student's answer costs.
void ScheduleReview(benchmark::State& state) {
  const Scheduler scheduler(Settings{}, fixed_offset_days(0));
  CardState card{State::review, 12.0, 5.0, 0, 6, 0, kStart, kStart + 12 * kDay};
  std::int64_t now = kStart + 12 * kDay;
  int i = 0;
  for (auto _ : state) {
    const auto rating = static_cast<Rating>(2 + (i++ & 1));  // Hard, Good, Hard, ...
    auto review = scheduler.review(card, rating, now, 17);
    benchmark::DoNotOptimize(review);
    card.last_review_ms = now - (1 + (i & 7)) * kDay;  // keep the card in review, days apart
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(ScheduleReview);

// The memory update alone (what replaying a history for the optimizer costs per review).
void MemoryUpdate(benchmark::State& state) {
  const Model model(default_parameters());
  double s = 3.0, d = 5.0;
  int i = 0;
  for (auto _ : state) {
    const double r = model.retrievability(static_cast<double>(1 + (i & 15)), s);
    s = (i++ % 7 == 0) ? model.stability_after_failure(s, d, r) : model.stability_after_success(s, d, r, Rating::good);
    d = model.next_difficulty(d, Rating::good);
    if (s > 1000) s = 3.0;
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(MemoryUpdate);

// 10,000 reviews of a simulated student (1,250 cards × 8 reviews on the default schedule).
std::vector<LoggedReview> simulated_log() {
  const Scheduler scheduler(Settings{}, fixed_offset_days(0));
  std::mt19937_64 random(5);
  std::vector<LoggedReview> log;
  for (int c = 0; c < 1250; ++c) {
    CardState card;
    std::int64_t now = kStart + (c % 90) * kDay;
    for (int k = 0; k < 8; ++k) {
      const double r = scheduler.retrievability(card, now);
      const int rating = (random() % 1000) / 1000.0 < r * 0.95 ? 3 : 1;
      log.push_back({"c" + std::to_string(c), rating, now});
      card = scheduler.review(card, static_cast<Rating>(rating), now).after;
      now = card.due_ms + static_cast<std::int64_t>(random() % 3) * kDay;
    }
  }
  return log;
}

void Optimize10kReviews(benchmark::State& state) {
  const auto log = simulated_log();
  for (auto _ : state) {
    auto report = optimize(log, default_parameters(), fixed_offset_days(0));
    benchmark::DoNotOptimize(report);
  }
  state.counters["reviews"] = static_cast<double>(log.size());
}
BENCHMARK(Optimize10kReviews)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
