#pragma once
#include <mnemos/http/router.hpp>

#include "service.hpp"

namespace mnemos::communication {
void register_routes(http::Router& router, ConversationService& conversations);
}  // namespace mnemos::communication
