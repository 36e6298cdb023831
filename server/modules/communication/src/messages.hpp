#pragma once
// The communication module's French catalog of messages (messages.cpp beside this file).
#include <mnemos/core/messages.hpp>

#include <vector>

namespace mnemos::communication {
const std::vector<messages::Entry>& french_messages();
}  // namespace mnemos::communication
