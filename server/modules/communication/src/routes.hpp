#pragma once
#include <mnemos/http/router.hpp>

#include "notifications.hpp"
#include "service.hpp"

namespace mnemos::communication {
void register_routes(http::Router& router, ConversationService& conversations);
void register_notification_routes(http::Router& router, NotificationService& notifications);
class AgendaService;
void register_agenda_routes(http::Router& router, AgendaService& agenda, const std::string& public_url);

}  // namespace mnemos::communication
