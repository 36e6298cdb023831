#include <mnemos/core/security.hpp>

#include <sodium.h>

#include <algorithm>
#include <semaphore>
#include <stdexcept>
#include <thread>
#include <vector>

namespace mnemos::security {
namespace {

// argon2id takes 64 MiB for each hash in flight. More hashes at once than there are cores only
// add memory, not speed, so they queue here: a login storm costs cores × 64 MiB at most.
std::counting_semaphore<256>& hashing_slots() {
  static std::counting_semaphore<256> slots(
      std::clamp(static_cast<std::ptrdiff_t>(std::thread::hardware_concurrency()), std::ptrdiff_t{1},
                 std::ptrdiff_t{256}));
  return slots;
}

class HashingSlot {
 public:
  HashingSlot() { hashing_slots().acquire(); }
  ~HashingSlot() { hashing_slots().release(); }
  HashingSlot(const HashingSlot&) = delete;
  HashingSlot& operator=(const HashingSlot&) = delete;
};

}  // namespace

void init() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  int result = 0;
  {
    HashingSlot slot;
    result = crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                               crypto_pwhash_MEMLIMIT_INTERACTIVE);
  }
  if (result != 0) throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(std::string_view password, const std::string& hash) {
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  HashingSlot slot;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string random_token(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string out(sodium_base64_encoded_len(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), raw.data(), raw.size(),
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::string token_hash(std::string_view token) {
  unsigned char digest[32];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool constant_time_equals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace mnemos::security
