#pragma once
#include <string>

namespace mnemos {
// Sets up spdlog: human-readable lines, or JSON lines when format == "json".
void init_logging(const std::string& format, const std::string& level);
}  // namespace mnemos
