#pragma once
// The JSON of the module's resources, shared by its routes and its real-time messages (module
// src/ only: this pulls in Boost.JSON).
#include "notifications.hpp"
#include "service.hpp"

#include <boost/json/object.hpp>

namespace mnemos::communication {

boost::json::object message_json(const MessageView& m);
boost::json::object attachment_json(const Attachment& a);
// `detail`: with every member and how far each has read (GET /conversations/{id}); the list shows
// the first members only.
boost::json::object conversation_json(const ConversationView& v, bool detail);
boost::json::object settings_json(const Settings& s);
boost::json::object notification_json(const Notification& n);

}  // namespace mnemos::communication
