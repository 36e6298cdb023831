#pragma once
#include <mnemos/http/router.hpp>

#include "notifications.hpp"
#include "service.hpp"

namespace mnemos::communication {
void register_routes(http::Router& router, ConversationService& conversations);
void register_notification_routes(http::Router& router, NotificationService& notifications);
}  // namespace mnemos::communication
