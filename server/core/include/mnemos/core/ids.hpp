#pragma once
#include <string>
#include <string_view>

namespace mnemos {
// A random, time-ordered UUIDv7 (RFC 9562) in its canonical lowercase text form.
std::string new_id();
// True when `text` is a canonical lowercase or uppercase UUID (8-4-4-4-12 hex digits).
bool is_uuid(std::string_view text);
}  // namespace mnemos
