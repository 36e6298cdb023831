// Reading imported files, without the database: an Anki package of 2,000 notes (half basic with a
// picture, half cloze) and 100 pictures of 50 KiB, in both layouts, and a GIFT file of 1,000
// multiple-choice questions. Figures in docs/performance.md.
#include "apkg.hpp"
#include "imports.hpp"

#include <anki_package.hpp>

#include <benchmark/benchmark.h>

#include <random>

namespace {

using namespace mnemos;

std::string deck(bool current_layout) {
  test::AnkiDeck d;
  d.current_layout = current_layout;
  std::mt19937 random(1);
  for (int i = 0; i < 100; ++i) {
    std::string noise(50'000, '\0');
    for (auto& c : noise) c = static_cast<char>(random());
    d.media["img" + std::to_string(i) + ".png"] = test::tiny_png() + noise;
  }
  for (int i = 0; i < 2000; ++i) {
    if (i % 2 == 0) {
      d.notes.push_back({"basic",
                         {"<div>Word <b>" + std::to_string(i) + "</b> <img src=\"img" + std::to_string(i / 20) + ".png\"></div>",
                          "meaning " + std::to_string(i) + "<br>more"},
                         "deck"});
    } else {
      d.notes.push_back({"cloze", {"The {{c1::answer " + std::to_string(i) + "}} is in {{c2::sentence::hint}}.", ""}, "deck"});
    }
  }
  return test::make_apkg(d);
}

void ReadAnkiPackage(benchmark::State& state) {
  const std::string package = deck(state.range(0) == 1);
  for (auto _ : state) {
    const auto read = learning::apkg::read(package);
    auto candidates = learning::imports::from_anki(read.notes);
    benchmark::DoNotOptimize(candidates);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * package.size()));
  state.counters["notes_per_s"] = benchmark::Counter(2000.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(ReadAnkiPackage)->Arg(0)->Arg(1)->ArgName("current_layout")->Unit(benchmark::kMillisecond);

void ReadGift(benchmark::State& state) {
  std::string gift;
  for (int i = 0; i < 1000; ++i) {
    gift += "::q" + std::to_string(i) + ":: Question " + std::to_string(i) + "? {=right ~wrong a ~wrong b}\n\n";
  }
  for (auto _ : state) {
    auto candidates = learning::imports::from_gift(gift, {});
    benchmark::DoNotOptimize(candidates);
  }
  state.counters["questions_per_s"] = benchmark::Counter(1000.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(ReadGift)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
