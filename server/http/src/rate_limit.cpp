#include <mnemos/http/rate_limit.hpp>

#include <algorithm>
#include <cmath>

namespace mnemos::http {

bool RateLimiter::allow(const std::string& key, std::int64_t now_ms, int* retry_after_s) {
  if (!enabled()) return true;
  std::lock_guard lock(mutex_);
  prune(now_ms);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{burst_, now_ms});
  Bucket& bucket = it->second;
  if (!inserted) {
    const auto elapsed = std::max<std::int64_t>(0, now_ms - bucket.updated_ms);
    bucket.tokens = std::min(burst_, bucket.tokens + static_cast<double>(elapsed) * rate_per_ms_);
    bucket.updated_ms = now_ms;
  }
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return true;
  }
  if (retry_after_s != nullptr) {
    *retry_after_s = std::max(1, static_cast<int>(std::ceil((1.0 - bucket.tokens) / rate_per_ms_ / 1000.0)));
  }
  return false;
}

void RateLimiter::refund(const std::string& key) {
  if (!enabled()) return;
  std::lock_guard lock(mutex_);
  if (auto it = buckets_.find(key); it != buckets_.end()) {
    it->second.tokens = std::min(burst_, it->second.tokens + 1.0);
  }
}

// Drops buckets that have refilled completely: they hold no information.
void RateLimiter::prune(std::int64_t now_ms) {
  if (now_ms - last_prune_ms_ < 60'000) return;
  last_prune_ms_ = now_ms;
  std::erase_if(buckets_, [&](const auto& entry) {
    const double refilled = entry.second.tokens +
                            static_cast<double>(now_ms - entry.second.updated_ms) * rate_per_ms_;
    return refilled >= burst_;
  });
}

}  // namespace mnemos::http
