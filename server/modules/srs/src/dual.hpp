#pragma once
// Forward-mode automatic differentiation over the 21 parameters: a value and its gradient.
// Enough operations for formulas.hpp; every one follows the chain rule.
#include <array>
#include <cmath>
#include <cstddef>

namespace mnemos::srs {

struct Dual {
  static constexpr std::size_t N = 21;
  double v = 0;
  std::array<double, N> d{};

  Dual() = default;
  Dual(double value) : v(value) {}  // NOLINT: constants mix freely with duals
  static Dual variable(double value, std::size_t index) {
    Dual x(value);
    x.d[index] = 1;
    return x;
  }
};

namespace dual_detail {
inline Dual scaled(const Dual& a, double value, double da) {
  Dual out(value);
  for (std::size_t i = 0; i < Dual::N; ++i) out.d[i] = a.d[i] * da;
  return out;
}
}  // namespace dual_detail

inline Dual operator+(const Dual& a, const Dual& b) {
  Dual out(a.v + b.v);
  for (std::size_t i = 0; i < Dual::N; ++i) out.d[i] = a.d[i] + b.d[i];
  return out;
}
inline Dual operator-(const Dual& a, const Dual& b) {
  Dual out(a.v - b.v);
  for (std::size_t i = 0; i < Dual::N; ++i) out.d[i] = a.d[i] - b.d[i];
  return out;
}
inline Dual operator-(const Dual& a) { return dual_detail::scaled(a, -a.v, -1); }
inline Dual operator*(const Dual& a, const Dual& b) {
  Dual out(a.v * b.v);
  for (std::size_t i = 0; i < Dual::N; ++i) out.d[i] = a.d[i] * b.v + b.d[i] * a.v;
  return out;
}
inline Dual operator/(const Dual& a, const Dual& b) {
  Dual out(a.v / b.v);
  const double inv = 1.0 / (b.v * b.v);
  for (std::size_t i = 0; i < Dual::N; ++i) out.d[i] = (a.d[i] * b.v - b.d[i] * a.v) * inv;
  return out;
}
inline Dual operator+(const Dual& a, double b) { Dual out = a; out.v += b; return out; }
inline Dual operator+(double a, const Dual& b) { return b + a; }
inline Dual operator-(const Dual& a, double b) { Dual out = a; out.v -= b; return out; }
inline Dual operator-(double a, const Dual& b) { return dual_detail::scaled(b, a - b.v, -1); }
inline Dual operator*(const Dual& a, double b) { return dual_detail::scaled(a, a.v * b, b); }
inline Dual operator*(double a, const Dual& b) { return b * a; }
inline Dual operator/(const Dual& a, double b) { return dual_detail::scaled(a, a.v / b, 1.0 / b); }
inline Dual operator/(double a, const Dual& b) { return dual_detail::scaled(b, a / b.v, -a / (b.v * b.v)); }

inline bool operator<(const Dual& a, const Dual& b) { return a.v < b.v; }
inline bool operator<(const Dual& a, double b) { return a.v < b; }
inline bool operator>(const Dual& a, double b) { return a.v > b; }

inline Dual exp(const Dual& a) {
  const double e = std::exp(a.v);
  return dual_detail::scaled(a, e, e);
}
inline Dual log(const Dual& a) { return dual_detail::scaled(a, std::log(a.v), 1.0 / a.v); }
// x^y for a positive base.
inline Dual pow(const Dual& x, double y) {
  const double value = std::pow(x.v, y);
  return dual_detail::scaled(x, value, y * std::pow(x.v, y - 1));
}
inline Dual pow(double x, const Dual& y) {
  const double value = std::pow(x, y.v);
  return dual_detail::scaled(y, value, value * std::log(x));
}
inline Dual pow(const Dual& x, const Dual& y) { return exp(y * log(x)); }

}  // namespace mnemos::srs
