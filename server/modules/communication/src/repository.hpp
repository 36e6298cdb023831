#pragma once
// SQL of the communication module: no rules here, every query filtered on the school.
#include "domain.hpp"

namespace soci {
class session;
}

namespace mnemos::communication::repo {

void insert_conversation(soci::session& sql, const Conversation& c);
std::optional<Conversation> find_conversation(soci::session& sql, const std::string& school_id, const std::string& id);
std::optional<Conversation> find_direct(soci::session& sql, const std::string& school_id, const std::string& key);
std::optional<Conversation> find_class_channel(soci::session& sql, const std::string& school_id,
                                               const std::string& class_id);
// The channel of a learning path, if it has one.
std::optional<Conversation> find_path_channel(soci::session& sql, const std::string& school_id,
                                              const std::string& path_id);
void set_title(soci::session& sql, const std::string& school_id, const std::string& id, const std::string& title);
void delete_conversation(soci::session& sql, const std::string& school_id, const std::string& id);

void add_member(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                const std::string& user_id, std::int64_t now, std::int64_t last_read_seq);
void remove_member(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                   const std::string& user_id);
std::optional<Member> find_member(soci::session& sql, const std::string& school_id,
                                  const std::string& conversation_id, const std::string& user_id);
// The first `limit` members in the order they joined, and how many there are.
std::vector<Member> members_up_to(soci::session& sql, const std::string& school_id,
                                  const std::string& conversation_id, std::size_t limit);
std::int64_t member_count(soci::session& sql, const std::string& school_id, const std::string& conversation_id);
// The members of a conversation of at most `limit` people; nullopt for a bigger one (read no further).
std::optional<std::vector<std::string>> member_ids_up_to(soci::session& sql, const std::string& school_id,
                                                         const std::string& conversation_id, std::size_t limit);
std::vector<std::string> member_ids(soci::session& sql, const std::string& school_id,
                                    const std::string& conversation_id);
// Moves the member's read mark forward (never back); true when it moved.
bool mark_read(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
               const std::string& user_id, std::int64_t seq, std::int64_t now);

// The person's conversations, the most recently active first, each with its first `members_each`
// members and its member count.
std::vector<ConversationEntry> conversations_of(soci::session& sql, const std::string& school_id,
                                                const std::string& user_id, int limit, std::size_t members_each);
// The ids of every conversation the person is in (for search).
std::vector<std::string> conversation_ids_of(soci::session& sql, const std::string& school_id,
                                             const std::string& user_id);

// The next number of a message in the conversation (locks the conversation's row on PostgreSQL
// until the transaction ends, so numbers follow commit order).
std::int64_t next_seq(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                      std::int64_t now);
void insert_message(soci::session& sql, const Message& m);
void update_message(soci::session& sql, const Message& m);
std::optional<Message> find_message(soci::session& sql, const std::string& school_id, const std::string& id);
std::optional<Message> find_by_idempotency_key(soci::session& sql, const std::string& school_id,
                                               const std::string& author_id, const std::string& key);
// Messages of the conversation with seq in (after, before), the `limit` oldest when `oldest_first`,
// else the `limit` newest; always returned in order.
std::vector<Message> messages(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                              std::int64_t after_seq, std::int64_t before_seq, int limit, bool oldest_first);
std::vector<Message> messages_by_ids(soci::session& sql, const std::string& school_id,
                                     const std::vector<std::string>& ids);

void insert_report(soci::session& sql, const Report& r);
std::vector<Report> reports(soci::session& sql, const std::string& school_id, bool open_only, int limit);
std::optional<Report> find_report(soci::session& sql, const std::string& school_id, const std::string& id);
void resolve_report(soci::session& sql, const std::string& school_id, const std::string& id,
                    const std::string& by, std::int64_t now);

Settings settings(soci::session& sql, const std::string& school_id);
void save_settings(soci::session& sql, const std::string& school_id, const Settings& s);

std::vector<std::string> message_ids_of(soci::session& sql, const std::string& school_id, const std::string& author_id);
// Messages of others, unread by the person, in any of their conversations, sent since `since`,
// oldest first, with the title of a group or class conversation.
struct UnreadMessage {
  Message message;
  std::optional<std::string> conversation_title;
};
std::vector<UnreadMessage> unread_since(soci::session& sql, const std::string& school_id, const std::string& user_id,
                                        std::int64_t since, int limit);

// A deleted account: out of every conversation, its messages' texts erased, its notifications,
// their settings and any pending digest gone.
void forget_user(soci::session& sql, const std::string& school_id, const std::string& user_id, std::int64_t now);

// Attachments
void insert_attachment(soci::session& sql, const Attachment& a);
std::optional<Attachment> find_attachment(soci::session& sql, const std::string& school_id, const std::string& id);
// Gives an unsent upload of `uploader_id` in the conversation to the message; false otherwise.
bool attach(soci::session& sql, const Attachment& a, const std::string& message_id);
// The files of the conversation's messages numbered `from_seq` to `to_seq`.
std::vector<Attachment> attachments_of_messages(soci::session& sql, const std::string& school_id,
                                                const std::string& conversation_id, std::int64_t from_seq,
                                                std::int64_t to_seq);
std::vector<Attachment> attachments_of_message(soci::session& sql, const std::string& school_id,
                                               const std::string& message_id);
std::vector<Attachment> attachments_of_uploader(soci::session& sql, const std::string& school_id,
                                                const std::string& uploader_id);
void delete_attachment(soci::session& sql, const std::string& school_id, const std::string& id);

}  // namespace mnemos::communication::repo
