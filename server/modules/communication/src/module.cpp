#include <mnemos/communication/module.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/timezone.hpp>

#include "agenda.hpp"
#include "agenda_repository.hpp"
#include "messages.hpp"
#include "notifications.hpp"
#include "repository.hpp"
#include "routes.hpp"
#include "service.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace mnemos::communication {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql

struct Module::Impl {
  explicit Impl(Dependencies d) : deps(std::move(d)), notifications(deps), presence(deps), conversations(deps, notifications, presence), agenda(deps, notifications) {}

  // Records a notice for `users` in one transaction, then tells their open tabs.
  void notify(const std::string& school, const std::function<std::pair<std::vector<std::string>, Notice>(soci::session&)>& what) {
    std::vector<std::pair<std::string, Notification>> created;
    deps.db.write([&](soci::session& sql) {
      auto [users, notice] = what(sql);
      if (!users.empty()) created = notifications.notify(sql, school, users, notice);
    });
    notifications.push(created);
  }

  Dependencies deps;
  NotificationService notifications;
  PresenceService presence;
  ConversationService conversations;
  AgendaService agenda;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(std::move(deps))) {
  messages::add_catalog(french_messages());
}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"communication", migration_files()}; }

void Module::register_routes(http::Router& router) {
  communication::register_routes(router, impl_->conversations);
  register_notification_routes(router, impl_->notifications);
  register_agenda_routes(router, impl_->agenda, impl_->deps.public_url);
  router.on_connection([this](const RequestContext& ctx, bool open) { impl_->presence.connection(ctx, open); });
}

namespace {
std::vector<std::string> string_list(const std::string& payload, const char* field) {
  std::vector<std::string> out;
  const auto value = json::parse(payload);
  const auto* found = value.is_object() ? value.as_object().if_contains(field) : nullptr;
  if (found == nullptr || !found->is_array()) return out;
  for (const auto& item : found->as_array()) {
    if (item.is_string()) out.emplace_back(item.get_string());
  }
  return out;
}

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
    if (!job.school_id || !class_id) return;
    impl_->conversations.sync_class_channel(*job.school_id, *class_id);
    // The channels of the paths given to the class follow it too.
    const auto paths = impl_->deps.db.read([&](soci::session& sql) {
      return impl_->deps.paths.paths_of_class(sql, *job.school_id, *class_id);
    });
    for (const auto& path_id : paths) impl_->conversations.sync_path_channel(*job.school_id, path_id);
  });
  registry.subscribe("users.class_members_changed", "communication.sync_class_channel");
  // A path's channel follows the path's teachers and students.
  registry.handle("communication.sync_path_channel", [this](const jobs::Job& job) {
    const auto path_id = string_field(job.payload, "path_id");
    if (job.school_id && path_id) impl_->conversations.sync_path_channel(*job.school_id, *path_id);
  });
  for (const char* event : {"learning.path_created", "learning.path_activated", "learning.path_assigned",
                            "learning.path_people_changed"}) {
    registry.subscribe(event, "communication.sync_path_channel");
  }
  // A deleted account's messages are erased and it leaves every conversation (privacy).
  registry.handle("communication.forget_user", [this](const jobs::Job& job) {
    const auto user_id = string_field(job.payload, "user_id");
    if (!job.school_id || !user_id) return;
    impl_->conversations.forget_user(*job.school_id, *user_id);
    impl_->deps.db.write([&](soci::session& sql) { agenda_repo::forget_user(sql, *job.school_id, *user_id); });
  });
  registry.subscribe("users.user_deleted", "communication.forget_user");

  // Chat: one email digest of what is still unread a while after the first message.
  registry.handle("communication.send_digest", [this](const jobs::Job& job) {
    const auto user = string_field(job.payload, "user_id");
    if (job.school_id && user) impl_->notifications.send_digest(*job.school_id, *user);
  });

  // A path its students may now open: made active, published, or assigned to more of them while active.
  registry.handle("communication.notify_path", [this](const jobs::Job& job) {
    const auto path_id = string_field(job.payload, "path_id");
    if (!job.school_id || !path_id) return;
    impl_->notify(*job.school_id, [&](soci::session& sql) -> std::pair<std::vector<std::string>, Notice> {
      const auto path = impl_->deps.paths.find(sql, *job.school_id, *path_id);
      if (!path || path->status != "active") return {};
      return {string_list(job.payload, "student_ids"),
              Notice{"path_assigned", "New learning path: {}", {path->title},
                     "Your teacher gave you the path « {} » to work on.", {path->title},
                     "/learning/my/" + path->id, "path:" + path->id, false}};
    });
  });
  registry.subscribe("learning.path_created", "communication.notify_path");
  registry.subscribe("learning.path_activated", "communication.notify_path");
  registry.subscribe("learning.path_assigned", "communication.notify_path");

  // A session finished: the path's owner hears of it once a day per path, counted up.
  registry.handle("communication.notify_session", [this](const jobs::Job& job) {
    const auto path_id = string_field(job.payload, "path_id");
    const auto owner = string_field(job.payload, "owner_id");
    const auto student = string_field(job.payload, "student_id");
    if (!job.school_id || !path_id || !owner || owner->empty() || !student) return;
    impl_->notify(*job.school_id, [&](soci::session& sql) -> std::pair<std::vector<std::string>, Notice> {
      const auto path = impl_->deps.paths.find(sql, *job.school_id, *path_id);
      const auto who = impl_->deps.directory.person(sql, *job.school_id, *student);
      if (!path || !who) return {};
      const auto zone = TimeZone::named(impl_->deps.directory.school_timezone(sql, *job.school_id));
      const auto day = zone->local_day(impl_->deps.clock.now_ms());
      return {{*owner},
              Notice{"session_results", "Revision on « {} »", {path->title},
                     "{n} revision sessions finished today, the last one by {}.", {who->display_name},
                     "/learning/paths/" + path->id + "?tab=progress",
                     "sessions:" + path->id + ":" + std::to_string(day), true}};
    });
  });
  registry.subscribe("learning.session_finished", "communication.notify_session");

  // An invoice issued (billing): the school's admins, with its PDF attached to the email.
  registry.handle("communication.notify_invoice", [this](const jobs::Job& job) {
    const auto invoice_id = string_field(job.payload, "invoice_id");
    const auto number = string_field(job.payload, "number");
    const auto pdf = string_field(job.payload, "pdf_path");
    const auto value = json::parse(job.payload);
    const auto* total = value.is_object() ? value.as_object().if_contains("total") : nullptr;
    const auto* due = value.is_object() ? value.as_object().if_contains("due_at") : nullptr;
    const auto currency = string_field(job.payload, "currency").value_or("");
    if (!job.school_id || !invoice_id || !number || !pdf || !total || !total->is_int64() || !due || !due->is_int64()) return;
    const auto minor = total->as_int64();
    char amount[48];
    std::snprintf(amount, sizeof amount, "%lld.%02lld %s", static_cast<long long>(minor / 100),
                  static_cast<long long>(std::llabs(minor % 100)), currency.c_str());
    impl_->notify(*job.school_id, [&](soci::session& sql) -> std::pair<std::vector<std::string>, Notice> {
      const auto zone = TimeZone::named(impl_->deps.directory.school_timezone(sql, *job.school_id));
      const std::chrono::year_month_day due_day{std::chrono::sys_days{std::chrono::days{zone->local_day(due->as_int64())}}};
      char due_text[32];
      std::snprintf(due_text, sizeof due_text, "%04d-%02u-%02u", static_cast<int>(due_day.year()),
                    static_cast<unsigned>(due_day.month()), static_cast<unsigned>(due_day.day()));
      std::vector<std::string> admins;
      for (const auto& p : impl_->deps.directory.people_with_role(sql, *job.school_id, "school_admin")) admins.push_back(p.id);
      Notice notice{"invoice", "Invoice {} issued", {*number}, "Invoice {} is issued: {}, to pay by {}. The PDF is attached to the email.",
                    {*number, amount, due_text}, "/school/subscription", "invoice:" + *invoice_id, false, {}};
      if (string_field(job.payload, "kind").value_or("invoice") == "credit_note") {
        notice.title = "Credit note {} issued";
        notice.body = "Credit note {} ({}) cancels an invoice: nothing is to pay for it. The PDF is attached to the email.";
        notice.body_args.pop_back();
      }
      notice.attachments.push_back({*number + ".pdf", "application/pdf", *pdf});
      return {admins, notice};
    });
  });
  registry.subscribe("billing.invoice_issued", "communication.notify_invoice");

  // An invoice unpaid (billing's dunning, a failed card or SEPA payment) or paid: the school's admins.
  registry.handle("communication.notify_invoice_status", [this](const jobs::Job& job) {
    const auto invoice_id = string_field(job.payload, "invoice_id");
    const auto number = string_field(job.payload, "number");
    const auto reason = string_field(job.payload, "reason").value_or("paid");
    if (!job.school_id || !invoice_id || !number) return;
    const auto value = json::parse(job.payload);
    const auto* due = value.as_object().if_contains("amount_due");
    const auto minor = due && due->is_int64() ? due->as_int64() : 0;
    char amount[48];
    std::snprintf(amount, sizeof amount, "%lld.%02lld %s", static_cast<long long>(minor / 100),
                  static_cast<long long>(std::llabs(minor % 100)), string_field(job.payload, "currency").value_or("").c_str());
    impl_->notify(*job.school_id, [&](soci::session& sql) -> std::pair<std::vector<std::string>, Notice> {
      std::vector<std::string> admins;
      for (const auto& p : impl_->deps.directory.people_with_role(sql, *job.school_id, "school_admin")) admins.push_back(p.id);
      Notice notice{"invoice", "", {*number}, "", {*number, amount}, "/school/subscription",
                    "invoice-" + reason + ":" + *invoice_id, false, {}};
      if (reason == "payment_failed") {
        notice.title = "Payment of invoice {} failed";
        notice.body = "The payment of invoice {} ({}) failed: {}. It will be asked again; you can also pay by transfer.";
        notice.body_args.push_back(string_field(job.payload, "failure").value_or(""));
        notice.source_key += ":" + job.id;  // each failure told once
      } else if (reason == "overdue") {
        notice.title = "Invoice {} is overdue";
        notice.body = "Invoice {} ({} due) is past its due date. Please pay it to keep every feature.";
      } else if (reason == "final_notice") {
        notice.title = "Reminder: invoice {} is still unpaid";
        notice.body = "Invoice {} ({} due) is still unpaid. Without payment, the school's space becomes read-only in a week.";
      } else if (reason == "suspended") {
        notice.title = "Your school's space is read-only";
        notice.title_args.clear();
        notice.body = "Invoice {} ({} due) is unpaid: the space is read-only (nothing is deleted) until it is paid.";
      } else {
        notice.title = "Invoice {} paid";
        notice.body = "Invoice {} is paid. Thank you.";
        notice.body_args.pop_back();
      }
      return {admins, notice};
    });
  });
  registry.subscribe("billing.invoice_reminder", "communication.notify_invoice_status");
  registry.subscribe("billing.invoice_paid", "communication.notify_invoice_status");

  // 15 minutes before an accepted appointment, both people are reminded (unless it moved or ended).
  registry.handle("communication.appointment_reminder", [this](const jobs::Job& job) {
    const auto id = string_field(job.payload, "appointment_id");
    const auto value = json::parse(job.payload);
    const auto* starts = value.is_object() ? value.as_object().if_contains("starts_at") : nullptr;
    if (job.school_id && id && starts && starts->is_int64()) impl_->agenda.remind(*job.school_id, *id, starts->as_int64());
  });

  // A reported message: the school's admins.
  registry.handle("communication.notify_report", [this](const jobs::Job& job) {
    const auto report_id = string_field(job.payload, "report_id");
    if (!job.school_id || !report_id) return;
    impl_->notify(*job.school_id, [&](soci::session& sql) -> std::pair<std::vector<std::string>, Notice> {
      const auto report = repo::find_report(sql, *job.school_id, *report_id);
      if (!report) return {};
      const auto reporter = impl_->deps.directory.person(sql, *job.school_id, report->reporter_id);
      std::vector<std::string> admins;
      for (const auto& p : impl_->deps.directory.people_with_role(sql, *job.school_id, "school_admin")) {
        admins.push_back(p.id);
      }
      return {admins, Notice{"message_reported", "A message was reported", {}, "{} reported a message: {}",
                             {reporter ? reporter->display_name : std::string(), report->reason},
                             "/school/messages", "report:" + report->id, false}};
    });
  });
  registry.subscribe("communication.message_reported", "communication.notify_report");
}

void Module::seed_demo(const std::string& school_id, const std::vector<std::string>& class_ids) {
  std::set<std::string> paths;
  for (const auto& id : class_ids) {
    impl_->conversations.sync_class_channel(school_id, id);
    impl_->deps.db.read([&](soci::session& sql) {
      for (auto& path_id : impl_->deps.paths.paths_of_class(sql, school_id, id)) paths.insert(std::move(path_id));
    });
  }
  for (const auto& path_id : paths) impl_->conversations.sync_path_channel(school_id, path_id);
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
  array appointments;
  for (const auto& a : agenda_repo::appointments_of(sql, school_id, user_id)) {
    appointments.push_back(object{{"id", a.id},
                                  {"status", a.status},
                                  {"student_id", a.student_id},
                                  {"teacher_id", a.teacher_id},
                                  {"note", a.proposed_by == user_id ? a.note : std::string()},
                                  {"starts_at", a.starts_at ? boost::json::value(*a.starts_at) : nullptr},
                                  {"created_at", a.created_at}});
  }
  return boost::json::serialize(object{{"conversations", std::move(conversations)},
                                       {"messages", std::move(messages)},
                                       {"appointments", std::move(appointments)}});
}

}  // namespace mnemos::communication
