#include <mnemos/communication/module.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include "messages.hpp"
#include "repository.hpp"
#include "routes.hpp"
#include "service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace mnemos::communication {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

struct Module::Impl {
  explicit Impl(Dependencies d) : deps(std::move(d)), conversations(deps) {}
  Dependencies deps;
  ConversationService conversations;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  messages::add_catalog(french_messages());
}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"communication", migration_files()}; }

void Module::register_routes(http::Router& router) { communication::register_routes(router, impl_->conversations); }

namespace {
std::optional<std::string> string_field(const std::string& payload, const char* field) {
  const auto value = json::parse(payload);
  const auto* found = value.is_object() ? value.as_object().if_contains(field) : nullptr;
  if (found == nullptr || !found->is_string()) return std::nullopt;
  return std::string(found->get_string());
}
}  // namespace

void Module::register_jobs(jobs::Registry& registry) {
  // A class's channel follows the class: made with its first members, changed with them, gone with it.
  registry.handle("communication.sync_class_channel", [this](const jobs::Job& job) {
    const auto class_id = string_field(job.payload, "class_id");
    if (job.school_id && class_id) impl_->conversations.sync_class_channel(*job.school_id, *class_id);
  });
  registry.subscribe("users.class_members_changed", "communication.sync_class_channel");
  // A deleted account's messages are erased and it leaves every conversation (privacy).
  registry.handle("communication.forget_user", [this](const jobs::Job& job) {
    const auto user_id = string_field(job.payload, "user_id");
    if (job.school_id && user_id) impl_->conversations.forget_user(*job.school_id, *user_id);
  });
  registry.subscribe("users.user_deleted", "communication.forget_user");
}

void Module::seed_demo(const std::string& school_id, const std::vector<std::string>& class_ids) {
  for (const auto& id : class_ids) impl_->conversations.sync_class_channel(school_id, id);
}

std::string personal_data(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  using boost::json::array;
  using boost::json::object;
  array messages;
  for (const auto& id : repo::message_ids_of(sql, school_id, user_id)) {
    const auto m = repo::find_message(sql, school_id, id);
    if (!m || m->deleted_at) continue;
    messages.push_back(object{{"conversation_id", m->conversation_id},
                              {"text", m->text},
                              {"created_at", m->created_at},
                              {"edited_at", m->edited_at ? boost::json::value(*m->edited_at) : nullptr}});
  }
  array conversations;
  for (const auto& id : repo::conversation_ids_of(sql, school_id, user_id)) {
    if (auto c = repo::find_conversation(sql, school_id, id)) {
      conversations.push_back(object{{"id", c->id}, {"kind", c->kind}, {"created_at", c->created_at}});
    }
  }
  return boost::json::serialize(object{{"conversations", std::move(conversations)}, {"messages", std::move(messages)}});
}

}  // namespace mnemos::communication
