// HTTP routes of notifications (docs/communication.md, "Notifications").
#include <mnemos/core/json.hpp>
#include <mnemos/http/json.hpp>

#include "routes.hpp"
#include "views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace mnemos::communication {
namespace {

using boost::json::array;
using boost::json::object;
using http::Request;
using http::Response;

object notification_settings_json(const std::vector<NotificationSetting>& settings) {
  array items;
  for (const auto& s : settings) items.push_back(object{{"kind", s.kind}, {"channel", s.channel}, {"chosen", s.chosen}});
  return {{"items", std::move(items)}};
}

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

}  // namespace

void register_notification_routes(http::Router& router, NotificationService& notifications) {
  router.get("/api/v1/notifications", {}, [&notifications](const Request& req, RequestContext& ctx) {
    const auto page_params = http::page_params(req, 20, 50);
    const auto page = notifications.list(ctx, page_params.cursor, page_params.limit);
    array items;
    for (const auto& n : page.items) items.push_back(notification_json(n));
    return http::json(200, object{{"items", std::move(items)},
                                  {"unread", page.unread},
                                  {"next_cursor", page.next_cursor ? boost::json::value(*page.next_cursor) : nullptr}});
  });
  router.get("/api/v1/notifications/{id}", {}, [&notifications](const Request& req, RequestContext& ctx) {
    return http::json(200, notification_json(notifications.get(ctx, http::uuid_param(req, "notification"))));
  });
  router.post("/api/v1/notifications/{id}/read", {.while_read_only = true}, [&notifications](const Request& req, RequestContext& ctx) {
    notifications.mark_read(ctx, http::uuid_param(req, "notification"));
    return no_content();
  });
  router.post("/api/v1/notifications/read-all", {.while_read_only = true}, [&notifications](const Request&, RequestContext& ctx) {
    notifications.mark_all_read(ctx);
    return no_content();
  });
  router.get("/api/v1/me/notification-settings", {}, [&notifications](const Request&, RequestContext& ctx) {
    return http::json(200, notification_settings_json(notifications.settings(ctx)));
  });
  // {"path_assigned": "email", ...}: only the kinds that change.
  router.put("/api/v1/me/notification-settings", {.body_limit = 4096},
             [&notifications](const Request& req, RequestContext& ctx) {
               const auto body = http::body_json(req);
               const json::Fields fields(body);  // 400 unless an object
               std::vector<std::pair<std::string, std::string>> choices;
               Validation v;
               for (const auto& [kind, channel] : fields.object()) {
                 if (!channel.is_string()) {
                   v.fail(std::string(kind), "Choose in_app, email, both or none.");
                   continue;
                 }
                 choices.emplace_back(std::string(kind), std::string(channel.get_string()));
               }
               v.throw_if_failed();
               return http::json(200, notification_settings_json(notifications.change_settings(ctx, choices)));
             });
}

}  // namespace mnemos::communication
