#pragma once
// The FSRS-6 formulas of docs/srs.md, written once for any number type: `double` for scheduling,
// `Dual` (value + gradient) for fitting parameters. `W` is indexable by 0..20.
#include <algorithm>
#include <cmath>

namespace mnemos::srs::formulas {

using std::exp;
using std::log;
using std::pow;

template <typename T>
T clamp(const T& x, double lo, double hi) {
  if (x < lo) return T(lo);
  if (x > hi) return T(hi);
  return x;
}
template <typename T>
T minimum(const T& a, const T& b) { return b < a ? b : a; }
template <typename T>
T maximum(const T& a, const T& b) { return a < b ? b : a; }

constexpr double kMinS = 0.001, kMaxS = 36500;

template <typename T, typename W>
T factor(const W& w) { return pow(0.9, 1.0 / -w[20]) - 1.0; }

template <typename T, typename W>
T retrievability(const W& w, double elapsed_days, const T& s) {
  return pow(1.0 + factor<T>(w) * std::max(0.0, elapsed_days) / s, -w[20]);
}

template <typename T, typename W>
T initial_stability(const W& w, int rating) { return clamp(T(w[rating - 1]), kMinS, kMaxS); }

template <typename T, typename W>
T initial_difficulty_unclamped(const W& w, int rating) { return w[4] - exp(w[5] * double(rating - 1)) + 1.0; }

template <typename T, typename W>
T initial_difficulty(const W& w, int rating) { return clamp(initial_difficulty_unclamped<T>(w, rating), 1, 10); }

template <typename T, typename W>
T next_difficulty(const W& w, const T& d, int rating) {
  const T delta = -w[6] * double(rating - 3);
  const T damped = d + delta * (10.0 - d) / 9.0;
  return clamp(w[7] * initial_difficulty_unclamped<T>(w, 4) + (1.0 - w[7]) * damped, 1, 10);
}

template <typename T, typename W>
T stability_after_success(const W& w, const T& s, const T& d, const T& r, int rating) {
  T out = s * (1.0 + exp(w[8]) * (11.0 - d) * pow(s, -w[9]) * (exp(w[10] * (1.0 - r)) - 1.0) *
                         (rating == 2 ? T(w[15]) : T(1.0)) * (rating == 4 ? T(w[16]) : T(1.0)));
  return clamp(out, kMinS, kMaxS);
}

template <typename T, typename W>
T stability_after_failure(const W& w, const T& s, const T& d, const T& r) {
  const T long_term = w[11] * pow(d, -w[12]) * (pow(s + 1.0, w[13]) - 1.0) * exp(w[14] * (1.0 - r));
  return clamp(minimum(long_term, s / exp(w[17] * w[18])), kMinS, kMaxS);
}

template <typename T, typename W>
T same_day_stability(const W& w, const T& s, int rating) {
  T increase = exp(w[17] * (double(rating - 3) + w[18])) * pow(s, -w[19]);
  if (rating >= 2) increase = maximum(increase, T(1.0));
  return clamp(s * increase, kMinS, kMaxS);
}

}  // namespace mnemos::srs::formulas
