#pragma once
// Notifications for every module (docs/communication.md, "Notifications"): in the app (a list, an
// unread count, pushed live) and by email, as each person chooses per kind. Other modules' events
// become notifications in jobs (module.cpp), so a crash loses none and a job run twice sends none
// twice. Chat messages are not notified one by one: an unread message's in-app form is the
// Messages badge, and an offline recipient gets one email digest after a delay.
#include <mnemos/communication/module.hpp>
#include <mnemos/core/context.hpp>
#include <mnemos/core/mail.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::communication {

// The kinds, with the channel each has until a person chooses.
struct NotificationKind {
  const char* name;
  const char* default_channel;
};
const std::vector<NotificationKind>& notification_kinds();

struct Notification {
  std::string id;
  std::string kind;
  std::string title;
  std::string body;
  std::optional<std::string> link;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

struct NotificationPage {
  std::vector<Notification> items;
  int unread = 0;
  std::optional<std::string> next_cursor;
};

struct NotificationSetting {
  std::string kind;
  std::string channel;
  bool chosen = false;  // false: the kind's default
};

// What a module asks to tell: texts are English patterns of the catalog, `{}` filled with `args`,
// written in each recipient's language.
struct Notice {
  std::string kind;
  std::string title;
  std::vector<std::string> title_args;
  std::string body;
  std::vector<std::string> body_args;
  std::optional<std::string> link;
  std::string source_key;
  // Grouped notices (same source key) count up: `count` replaces {n} in the texts.
  bool grouped = false;
  // Sent with its email (an invoice's PDF), from the files store.
  std::vector<mail::Attachment> attachments;
};

class NotificationService {
 public:
  explicit NotificationService(Dependencies& deps) : deps_(deps) {}

  // Records the notice for each person (as they chose), mails those who chose email; in the
  // caller's transaction. Returns the people to tell live once it commits.
  std::vector<std::pair<std::string, Notification>> notify(soci::session& sql, const std::string& school_id,
                                                           const std::vector<std::string>& user_ids,
                                                           const Notice& notice);
  // Tells each person's open tabs (after the commit).
  void push(const std::vector<std::pair<std::string, Notification>>& created);

  NotificationPage list(const RequestContext& ctx, const std::optional<std::string>& cursor, int limit);
  Notification get(const RequestContext& ctx, const std::string& id);
  void mark_read(const RequestContext& ctx, const std::string& id);
  void mark_all_read(const RequestContext& ctx);
  std::vector<NotificationSetting> settings(const RequestContext& ctx);
  std::vector<NotificationSetting> change_settings(const RequestContext& ctx,
                                                   const std::vector<std::pair<std::string, std::string>>& choices);

  // Chat: a message in a conversation starts (or joins) the pending digest of each member but its author.
  void message_sent(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                    const std::string& author_id, std::int64_t now);
  // The digest job: one email listing the messages still unread since the digest began, if any.
  void send_digest(const std::string& school_id, const std::string& user_id);

 private:
  std::string channel_of(soci::session& sql, const std::string& user_id, const std::string& kind);
  Dependencies& deps_;
};

}  // namespace mnemos::communication
