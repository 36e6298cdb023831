#pragma once
// Expected failures are thrown as mnemos::Error at the service boundary and mapped to
// RFC 9457 problem+json in exactly one place (server/http). See docs/decisions/0002-errors.md.
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace mnemos {

enum class ErrorCode {
  invalid,            // 422: a field is wrong
  bad_request,        // 400: the request itself is malformed (JSON syntax, encoding)
  unauthorized,       // 401: no valid session or token
  forbidden,          // 403: authenticated but not allowed (same school)
  not_found,          // 404: absent, or belongs to another school
  conflict,           // 409: duplicate or state conflict
  payload_too_large,  // 413
  unsupported_media,  // 415
  limit_reached,      // 402/409-style business limit (plan quota)
  too_many_requests,  // 429
  unavailable,        // 503: infrastructure down (database)
};

struct FieldError {
  std::string field;
  std::string message;
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, std::vector<FieldError> fields = {})
      : std::runtime_error(message), code_(code), fields_(std::move(fields)) {}

  static Error invalid(std::string field, std::string message) {
    std::string text = message;
    return Error(ErrorCode::invalid, std::move(text), {{std::move(field), std::move(message)}});
  }
  static Error not_found(std::string what) { return Error(ErrorCode::not_found, std::move(what)); }
  static Error forbidden(std::string why) { return Error(ErrorCode::forbidden, std::move(why)); }
  static Error conflict(std::string why) { return Error(ErrorCode::conflict, std::move(why)); }
  static Error unauthorized(std::string why) {
    return Error(ErrorCode::unauthorized, std::move(why));
  }
  static Error bad_request(std::string why) { return Error(ErrorCode::bad_request, std::move(why)); }

  ErrorCode code() const { return code_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  // Seconds a client should wait before retrying (too_many_requests); 0 when not applicable.
  int retry_after_seconds() const { return retry_after_; }
  Error& with_retry_after(int seconds) {
    retry_after_ = seconds;
    return *this;
  }

 private:
  ErrorCode code_;
  std::vector<FieldError> fields_;
  int retry_after_ = 0;
};

// Collects several field errors so a form can show all of them at once.
class Validation {
 public:
  // A person fixes a form a few fields at a time; a body with thousands of bad fields must not
  // be echoed back whole (one request of 20,000 unknown fields answered 909 KB).
  static constexpr std::size_t kMaxFieldErrors = 50;
  static constexpr std::size_t kMaxFieldNameBytes = 100;

  void fail(std::string field, std::string message) {
    if (fields_.size() >= kMaxFieldErrors) return;
    if (field.size() > kMaxFieldNameBytes) {
      std::size_t end = kMaxFieldNameBytes;  // cut before a character, not inside one
      while (end > 0 && (static_cast<unsigned char>(field[end]) & 0xC0) == 0x80) --end;
      field.resize(end);
      field += "…";
    }
    fields_.push_back({std::move(field), std::move(message)});
  }
  bool ok() const { return fields_.empty(); }
  bool failed(std::string_view field) const {
    for (const auto& f : fields_) {
      if (f.field == field) return true;
    }
    return false;
  }
  // Throws Error(invalid) naming every failed field, if any.
  void throw_if_failed() const {
    if (fields_.empty()) return;
    std::string message = fields_.size() == 1 ? fields_[0].message
                                              : "Some fields are not valid: see the list of errors.";
    throw Error(ErrorCode::invalid, message, fields_);
  }

 private:
  std::vector<FieldError> fields_;
};

// An internal failure's message, fit for logs: SOCI appends a failed statement's bound values
// (` with :1="..."`), which may be an email address or a password hash.
inline std::string loggable_message(std::string_view message) {
  return std::string(message.substr(0, message.find(" with :")));
}

}  // namespace mnemos
