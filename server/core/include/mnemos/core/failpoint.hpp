#pragma once
// Crash points for tests of "stop half-way and run again": when MNEMOS_FAILPOINT names the point
// reached, the process ends there at once (std::_Exit, no destructor, no flush), as a power cut or
// SIGKILL would. Unset, a point costs one comparison.
#include <string_view>

namespace mnemos {
void failpoint(std::string_view name);
}  // namespace mnemos
