#pragma once
// What each school uses, counted per day for billing (docs/billing.md, "Usage"): modules count in
// their own transaction, the billing module keeps the figures. Until it is wired, nothing counts.
#include <cstdint>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace mnemos {

class UsageMeter {
 public:
  virtual ~UsageMeter() = default;
  // Adds `amount` to the school's `metric` for the day of `at_ms` (ai_requests, ai_tokens; for
  // storage_bytes a change: + on upload, - on deletion).
  virtual void add(soci::session& sql, const std::string& school_id, std::string_view metric, std::int64_t amount,
                   std::int64_t at_ms) const = 0;
  // A student was active on the day of `at_ms` (counted once a day).
  virtual void active(soci::session& sql, const std::string& school_id, const std::string& user_id,
                      std::int64_t at_ms) const = 0;
};

class NoUsageMeter final : public UsageMeter {
 public:
  void add(soci::session&, const std::string&, std::string_view, std::int64_t, std::int64_t) const override {}
  void active(soci::session&, const std::string&, const std::string&, std::int64_t) const override {}
};

}  // namespace mnemos
