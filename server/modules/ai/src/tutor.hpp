#pragma once
// Agents and the tutor (docs/ai.md, "The tutor"): the rules (tutor_service.cpp) and the SQL
// (tutor_repository.cpp).
#include <mnemos/ai/module.hpp>
#include <mnemos/core/context.hpp>

#include "answering.hpp"
#include "providers.hpp"
#include "school_settings.hpp"
#include "sources.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::ai {

// A teacher's tutor for a subject. Without a row, the defaults below.
struct Agent {
  std::string id;
  std::string school_id;
  std::string teacher_id;
  std::string subject_id;
  std::string instructions;
  std::string level;
  std::string language = "fr";             // fr | en: the tutor's own words
  std::string answer_policy = "hints_only";  // hints_only | explain | full_answers
  std::optional<std::vector<std::string>> source_ids;  // nullopt: every source of the path
  bool allow_off_topic = false;
  std::int64_t updated_at = 0;
  bool stored = false;
};

struct AgentChange {
  std::optional<std::string> instructions;
  std::optional<std::string> level;
  std::optional<std::string> language;
  std::optional<std::string> answer_policy;
  std::optional<std::optional<std::vector<std::string>>> source_ids;  // null: every source
  std::optional<bool> allow_off_topic;
};

struct TutorMessage {
  std::string id;
  std::string school_id;
  std::string conversation_id;
  std::string author_id;
  std::string role;  // student | tutor
  std::string text;
  std::vector<Citation> citations;
  std::string provider;  // builtin | ollama | openai ("" for the student's own)
  bool fallback = false;
  int prompt_tokens = 0;
  int completion_tokens = 0;
  int latency_ms = 0;
  bool refused = false;
  std::optional<std::string> refusal;  // answer | off_topic
  int bloom_level = 1;
  double readability = 0;
  std::int64_t created_at = 0;
};

struct Conversation {
  std::string id;
  std::string school_id;
  std::string student_id;
  std::string path_id;
  std::optional<std::string> step_id;
  std::optional<std::string> session_id;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct TutorQuestion {
  std::string path_id;
  std::optional<std::string> step_id;
  std::optional<std::string> session_id;
  std::optional<std::string> conversation_id;
  std::string text;
};

struct TutorReply {
  std::string conversation_id;
  TutorMessage message;
  int questions_left_today = 0;
};

// What a path's tutor offers the reader before they ask (the student's panel).
struct TutorStatus {
  int ready_sources = 0;
  std::string answer_policy;
  std::string provider;  // builtin | ollama | openai
  int daily_limit = 0;
  int questions_left_today = 0;
};

struct ConversationView {
  Conversation conversation;
  std::string student_name;
  std::vector<TutorMessage> messages;
};

inline constexpr std::size_t kMaxQuestionBytes = 2000;
inline constexpr std::size_t kMaxInstructionsBytes = 4000;

namespace repo {
std::optional<Agent> find_agent(soci::session& sql, const std::string& school_id, const std::string& teacher_id,
                                const std::string& subject_id);
void save_agent(soci::session& sql, const Agent& agent);
std::optional<Conversation> find_conversation(soci::session& sql, const std::string& school_id, const std::string& id);
void insert_conversation(soci::session& sql, const Conversation& conversation);
void touch_conversation(soci::session& sql, const std::string& id, std::int64_t at);
void insert_message(soci::session& sql, const TutorMessage& message);
std::vector<TutorMessage> messages_of(soci::session& sql, const std::string& conversation_id);
std::vector<Conversation> conversations_of_path(soci::session& sql, const std::string& school_id,
                                                const std::string& path_id,
                                                const std::optional<std::string>& student_id);
std::vector<Conversation> conversations_of_student(soci::session& sql, const std::string& school_id,
                                                   const std::string& student_id);
int questions_since(soci::session& sql, const std::string& school_id, const std::string& author_id, std::int64_t since);
void forget_user(soci::session& sql, const std::string& school_id, const std::string& user_id);
}  // namespace repo

// What answering a question needs, read and checked before anything is sent.
struct TutorContext {
  learning::PathRef path;
  Agent agent;
  std::vector<PassageForAnswer> passages;
  std::vector<learning::CardAnswer> answers;
  std::optional<Conversation> conversation;
  std::vector<TutorMessage> history;
  int asked_today = 0;
  int daily_questions = 0;       // the school's limit
  Provider* provider = nullptr;  // the school's model; nullptr: built-in
};

class TutorService {
 public:
  TutorService(const Dependencies& deps, ProviderPool& providers) : d_(deps), providers_(providers) {}

  Agent agent(const RequestContext& ctx, const std::string& subject_id);
  Agent change_agent(const RequestContext& ctx, const std::string& subject_id, const AgentChange& change);
  TutorReply ask(const RequestContext& ctx, const TutorQuestion& question) {
    return answer(ctx, question, prepare(ctx, question), nullptr);
  }
  // Checks the question, the path, the quota (throws the errors a client must hear before any
  // streamed byte) and reads what answering needs.
  TutorContext prepare(const RequestContext& ctx, const TutorQuestion& question);
  // Answers and archives. `on_text`, when given, receives the reply's text as it may go out to the
  // student (already held to the policy); the returned reply is the whole, final one.
  TutorReply answer(const RequestContext& ctx, const TutorQuestion& question, TutorContext c, const TokenSink* on_text);
  // The exchanges on a path: its teachers (and the school's admins and support) see every
  // student's, a student their own.
  TutorStatus status(const RequestContext& ctx, const std::string& path_id);
  std::vector<ConversationView> conversations(const RequestContext& ctx, const std::string& path_id,
                                              const std::optional<std::string>& student_id);

 private:
  const Dependencies& d_;
  ProviderPool& providers_;
};

}  // namespace mnemos::ai
