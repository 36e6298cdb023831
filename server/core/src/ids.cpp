#include <mnemos/core/ids.hpp>

#include <sodium.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace mnemos {

// Ids of one process increase strictly, even within a millisecond (RFC 9562 section 6.2, method
// 1: a 12-bit counter in rand_a, started at a random value below half its range each millisecond),
// so "newest first" paging by id is exact.
std::string new_id() {
  static std::mutex mutex;
  static std::uint64_t last_ms = 0;
  static std::uint16_t counter = 0;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
  std::array<unsigned char, 16> bytes{};
  randombytes_buf(bytes.data() + 6, 10);
  {
    std::lock_guard lock(mutex);
    if (ms > last_ms) {
      last_ms = ms;
      counter = static_cast<std::uint16_t>(((bytes[6] << 8) | bytes[7]) & 0x07FF);
    } else if (++counter > 0x0FFF) {  // 4096 ids in one millisecond: borrow the next one
      ++last_ms;
      counter = 0;
    }
    ms = last_ms;
  }
  for (int i = 0; i < 6; ++i) bytes[i] = static_cast<unsigned char>(ms >> (8 * (5 - i)));
  bytes[6] = static_cast<unsigned char>(0x70 | ((counter >> 8) & 0x0F));  // version 7
  bytes[7] = static_cast<unsigned char>(counter & 0xFF);
  bytes[8] = static_cast<unsigned char>(0x80 | (bytes[8] & 0x3F));  // RFC 9562 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  text.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text.push_back('-');
    text.push_back(kHex[bytes[i] >> 4]);
    text.push_back(kHex[bytes[i] & 0x0F]);
  }
  return text;
}

bool is_uuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace mnemos
