#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace mnemos::http {

// Token buckets keyed by a string (an address, an account): `per_minute` sustained, with bursts
// up to `burst`. In-process; several instances behind a balancer each keep their own.
class RateLimiter {
 public:
  RateLimiter(double per_minute, double burst) : rate_per_ms_(per_minute / 60'000.0), burst_(burst) {}
  // Takes one token; false when the bucket is empty. `retry_after_s` tells when one is back.
  bool allow(const std::string& key, std::int64_t now_ms, int* retry_after_s = nullptr);
  // Gives back the token an attempt took, when it turned out not to be what the limit is for
  // (a login that succeeded). A bucket already pruned is full: nothing to give back.
  void refund(const std::string& key);
  bool enabled() const { return rate_per_ms_ > 0; }

 private:
  struct Bucket {
    double tokens;
    std::int64_t updated_ms;
  };
  void prune(std::int64_t now_ms);
  double rate_per_ms_;
  double burst_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::int64_t last_prune_ms_ = 0;
};

}  // namespace mnemos::http
