#include <mnemos/core/error.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/timezone.hpp>

#include "services.hpp"

#include <algorithm>
#include <array>

namespace mnemos::users {
namespace {

// Passwords that appear at the top of every leaked-password list, in English and French.
// A short bundled list: enough to refuse the guesses an attacker tries first.
constexpr std::array<std::string_view, 64> kCommonPasswords = {
    "1234567890",   "12345678910",  "123456789a",   "0123456789",   "1111111111",
    "0000000000",   "1234512345",   "9876543210",   "qwertyuiop",   "azertyuiop",
    "password123",  "password1234", "passw0rd123",  "motdepasse",   "motdepasse1",
    "motdepasse123","iloveyou123",  "jetaime1234",  "soleil1234",   "bonjour1234",
    "football123",  "baseball123",  "superman123",  "batman12345",  "princess123",
    "dragon12345",  "sunshine123",  "trustno1234",  "welcome1234",  "letmein1234",
    "qwerty12345",  "qwerty123456", "azerty12345",  "azerty123456", "abcdef12345",
    "abc1234567",   "a1b2c3d4e5",   "1q2w3e4r5t",   "1qaz2wsx3edc", "zaq12wsx",
    "administrator","admin12345",   "adminadmin",   "changeme123",  "monkey12345",
    "starwars123",  "pokemon1234",  "chocolat123",  "marseille13",  "olympique13",
    "loveyou1234",  "michael1234",  "charlie1234",  "jordan23jordan","master12345",
    "computer123",  "internet123",  "secret12345",  "mnemos12345",  "ecole12345",
    "school12345",  "student1234",  "teacher1234",  "password",
};

}  // namespace

void check_password_policy(const std::string& password, const std::string& email,
                           const std::string& field) {
  if (!json::is_valid_utf8(password)) throw Error::invalid(field, "The password is not valid text.");
  std::size_t length = 0;
  for (unsigned char c : password) length += (c & 0xC0) != 0x80;
  if (length < 10) {
    throw Error::invalid(field, "Choose a password of at least 10 characters.");
  }
  if (password.size() > 256) {
    throw Error::invalid(field, "Choose a password of at most 256 characters.");
  }
  const std::string lowered = json::lowercase_ascii(password);
  if (std::find(kCommonPasswords.begin(), kCommonPasswords.end(), lowered) !=
      kCommonPasswords.end()) {
    throw Error::invalid(field, "This password is one of the most common ones. Choose another.");
  }
  const auto at = email.find('@');
  if (!email.empty() && (lowered == json::lowercase_ascii(email) ||
                         (at != std::string::npos && lowered == json::lowercase_ascii(email.substr(0, at))))) {
    throw Error::invalid(field, "The password must not be your email address.");
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; })) {
    throw Error::invalid(field, "The password must not repeat a single character.");
  }
}

bool is_valid_timezone(const std::string& name) { return TimeZone::exists(name); }

bool is_valid_slug(const std::string& slug) {
  if (slug.size() < 2 || slug.size() > 40 || slug.front() == '-' || slug.back() == '-') return false;
  return std::all_of(slug.begin(), slug.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

}  // namespace mnemos::users
