#include <mnemos/core/failpoint.hpp>

#include <cstdlib>
#include <string>

namespace mnemos {

void failpoint(std::string_view name) {
  static const std::string armed = [] {
    const char* value = std::getenv("MNEMOS_FAILPOINT");
    return std::string(value != nullptr ? value : "");
  }();
  if (!armed.empty() && armed == name) std::_Exit(86);
}

}  // namespace mnemos
