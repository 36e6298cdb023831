#pragma once
// The billing module's French catalog of messages (messages.cpp beside this file).
#include <mnemos/core/messages.hpp>

#include <vector>

namespace mnemos::billing {
const std::vector<messages::Entry>& french_messages();
}  // namespace mnemos::billing
