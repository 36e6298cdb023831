#pragma once
// Who may write to whom, conversations, messages, read marks, reports and the school's rules
// (docs/communication.md). Every rule is checked here, so HTTP, WebSocket and jobs obey the same.
#include <mnemos/communication/module.hpp>
#include <mnemos/core/context.hpp>
#include <mnemos/http/rate_limit.hpp>

#include "domain.hpp"
#include "notifications.hpp"
#include "presence.hpp"

namespace soci {
class session;
}

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::communication {

constexpr std::size_t kMaxMessageBytes = 4000;
constexpr std::size_t kMaxParticipants = 49;  // a group of 50 with its creator
constexpr std::int64_t kEditWindowMs = 15 * 60 * 1000;
constexpr std::size_t kMaxBlockedWords = 200;
constexpr std::size_t kMaxAttachmentBytes = 10 << 20;
constexpr std::size_t kMaxAttachmentsPerMessage = 5;
// Members named per conversation: in the list, and in one conversation (with read marks and
// presence; a bigger channel shows how many it has).
constexpr std::size_t kMembersInList = 10;
constexpr std::size_t kMembersInDetail = 100;

struct Person {
  std::string id;
  std::string display_name;
  bool online = false;  // a WebSocket open (presence.hpp)
};

// A conversation as one of its members sees it.
struct ConversationView {
  ConversationEntry entry;
  std::vector<Person> members;            // in the order they joined
  std::vector<Member> read_marks;         // the detail view only: how far each member has read
  std::string last_author_name;           // of entry.last_message
  std::optional<std::string> subject_name;
  std::optional<std::string> path_title;
};

struct MessageView {
  Message message;
  std::string author_name;
  std::vector<Attachment> attachments;
};

struct NewConversation {
  std::vector<std::string> participant_ids;
  std::optional<std::string> subject_id;
  std::optional<std::string> path_id;
  std::optional<std::string> title;
};

struct MessagePage {
  std::vector<MessageView> messages;
  bool has_more = false;  // older ones (no `after`) or newer ones (with `after`) are left
};

struct SearchHit {
  MessageView message;
  std::string conversation_id;
};

struct ReportView {
  Report report;
  MessageView message;
  std::string reporter_name;
};

struct SettingsChange {
  std::optional<bool> students_may_message_students;
  std::optional<std::vector<std::string>> blocked_words;
};

class ConversationService {
 public:
  ConversationService(Dependencies& deps, NotificationService& notifications, PresenceService& presence);

  // A direct conversation with one person (the existing one if any: `created` false), or a group.
  std::pair<ConversationView, bool> create(const RequestContext& ctx, const NewConversation& input);
  std::vector<ConversationView> list(const RequestContext& ctx);
  ConversationView get(const RequestContext& ctx, const std::string& id);
  // People `ctx` may write to whose name holds `text` (all of them for an empty text, up to 50).
  std::vector<Person> contacts(const RequestContext& ctx, const std::string& text);

  MessagePage messages(const RequestContext& ctx, const std::string& conversation_id,
                       const std::optional<std::string>& after, const std::optional<std::string>& before,
                       int limit);
  // The new message (`created` false: the one an earlier request with the same key made).
  // `attachment_ids`: files `ctx` uploaded to this conversation and has not sent yet (the text may
  // then be empty).
  std::pair<MessageView, bool> send(const RequestContext& ctx, const std::string& conversation_id,
                                    const std::string& text, const std::optional<std::string>& idempotency_key,
                                    const std::vector<std::string>& attachment_ids = {});
  // A file for a message to come: its type is read from its bytes (images, PDF, office documents,
  // sound, plain text); anything else is refused.
  Attachment upload(const RequestContext& ctx, const std::string& conversation_id, const std::string& name,
                    const std::string& bytes);
  // A file of a sent message (or one's own upload), with its bytes: members only.
  std::pair<Attachment, std::string> attachment(const RequestContext& ctx, const std::string& conversation_id,
                                                const std::string& attachment_id);
  MessageView edit(const RequestContext& ctx, const std::string& conversation_id, const std::string& message_id,
                   const std::string& text);
  MessageView remove(const RequestContext& ctx, const std::string& conversation_id, const std::string& message_id);
  // Marks the conversation read up to the message; returns the member's read mark.
  Member read(const RequestContext& ctx, const std::string& conversation_id, const std::string& message_id);
  // Tells the other members that `ctx` is typing (WebSocket only; nothing stored).
  void typing(const RequestContext& ctx, const std::string& conversation_id);
  std::vector<SearchHit> search(const RequestContext& ctx, const std::string& text, int limit);

  Report report(const RequestContext& ctx, const std::string& conversation_id, const std::string& message_id,
                const std::string& reason);
  std::vector<ReportView> reports(const RequestContext& ctx, bool open_only);
  ReportView report_of(const RequestContext& ctx, const std::string& report_id);
  void resolve_report(const RequestContext& ctx, const std::string& report_id);

  Settings settings(const RequestContext& ctx, const std::string& school_id);
  Settings change_settings(const RequestContext& ctx, const std::string& school_id, const SettingsChange& change);

  // The class's channel made or brought in line with the class (none once the class is gone).
  void sync_class_channel(const std::string& school_id, const std::string& class_id);
  // A learning path's channel follows its people (learning::Catalog::people_of): made when the path
  // first reaches a student, its title the path's, gone when nobody is left.
  void sync_path_channel(const std::string& school_id, const std::string& path_id);
  void forget_user(const std::string& school_id, const std::string& user_id);

 private:
  // Messages and files count against one rate per person (429 with Retry-After past it).
  void check_send_rate(const RequestContext& ctx);
  // Edits or deletes a message its author may still change (`apply`), then tells the members.
  MessageView change(const RequestContext& ctx, const std::string& conversation_id, const std::string& message_id,
                     std::string_view event, const std::function<void(soci::session&, Message&)>& apply);

  Dependencies& deps_;
  NotificationService& notifications_;
  PresenceService& presence_;
  http::RateLimiter sends_;
};

// The first blocked word or phrase `text` holds (compared as a reader would: case, accents and
// punctuation aside), or nullopt.
std::optional<std::string> blocked_word_in(const std::string& text, const std::vector<std::string>& blocked);

}  // namespace mnemos::communication
