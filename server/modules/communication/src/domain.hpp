#pragma once
// What the communication module keeps: conversations, their members and messages
// (docs/communication.md).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::communication {

struct Conversation {
  std::string id;
  std::string school_id;
  std::string kind;  // direct | group | class | path (a learning path's channel)
  std::optional<std::string> title;
  std::optional<std::string> direct_key;
  std::optional<std::string> class_id;
  std::optional<std::string> subject_id;
  std::optional<std::string> path_id;
  std::optional<std::string> created_by;
  std::int64_t created_at = 0;
  std::int64_t last_seq = 0;
  std::optional<std::int64_t> last_message_at;
};

struct Member {
  std::string user_id;
  std::int64_t joined_at = 0;
  std::int64_t last_read_seq = 0;
  std::optional<std::int64_t> last_read_at;
};

struct Message {
  std::string id;
  std::string school_id;
  std::string conversation_id;
  std::int64_t seq = 0;
  std::string author_id;
  std::string text;  // empty once deleted
  std::int64_t created_at = 0;
  std::optional<std::int64_t> edited_at;
  std::optional<std::int64_t> deleted_at;
  std::optional<std::string> idempotency_key;
};

struct Attachment {
  std::string id;
  std::string school_id;
  std::string conversation_id;
  std::string uploader_id;
  std::optional<std::string> message_id;  // empty until sent with a message
  std::string name;
  std::string content_type;  // as found in the bytes, never as declared
  std::int64_t size = 0;
  std::int64_t created_at = 0;
};

// One line of a person's conversation list: the conversation, what they have not read, the last
// message and who is in it.
struct ConversationEntry {
  Conversation conversation;
  std::int64_t last_read_seq = 0;
  int unread = 0;
  std::optional<Message> last_message;
  std::vector<std::string> member_ids;  // the first ones (a channel may hold a whole school)
  std::int64_t member_count = 0;
};

struct Report {
  std::string id;
  std::string school_id;
  std::string message_id;
  std::string reporter_id;
  std::string reason;
  std::string message_text;  // as it was when reported: an author deleting it keeps no evidence away
  std::int64_t created_at = 0;
  std::optional<std::string> resolved_by;
  std::optional<std::int64_t> resolved_at;
};

struct Settings {
  bool students_may_message_students = false;
  std::vector<std::string> blocked_words;
  std::int64_t updated_at = 0;  // 0: never changed (the defaults)
};

}  // namespace mnemos::communication
