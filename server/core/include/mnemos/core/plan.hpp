#pragma once
// What a school's subscription plan allows. The billing module answers for real; until it exists
// the application wires AllowEverything.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace mnemos {

class PlanPolicy {
 public:
  virtual ~PlanPolicy() = default;
  // Nothing if the school's plan allows `count_after` of `resource` (e.g. "learning_paths"),
  // otherwise the reason to show. Asked in the caller's transaction.
  virtual std::optional<std::string> refusal(soci::session& sql, const std::string& school_id,
                                             std::string_view resource,
                                             std::int64_t count_after) const = 0;
  // True while the school's space is read-only (billing: suspended for an unpaid invoice). Asked
  // when a session is authenticated; nothing is refused to read.
  virtual bool read_only(soci::session&, const std::string&) const { return false; }
  // The same when it is known without asking the database (kept from a recent read), else nothing.
  virtual std::optional<bool> known_read_only(const std::string&) const { return false; }
};

class AllowEverything final : public PlanPolicy {
 public:
  std::optional<std::string> refusal(soci::session&, const std::string&, std::string_view,
                                     std::int64_t) const override {
    return std::nullopt;
  }
};

}  // namespace mnemos
