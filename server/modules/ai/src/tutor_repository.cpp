// SQL of agents and the tutor's archive: no rules here, every query filtered on the school.
#include <mnemos/core/db.hpp>

#include "tutor.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace mnemos::ai::repo {
namespace {

std::string ids_text(const std::optional<std::vector<std::string>>& ids) {
  if (!ids) return {};
  boost::json::array array;
  for (const auto& id : *ids) array.emplace_back(id);
  return boost::json::serialize(array);
}

std::optional<std::vector<std::string>> ids_of(const std::optional<std::string>& text) {
  if (!text || text->empty()) return std::nullopt;
  std::vector<std::string> ids;
  const auto parsed = boost::json::parse(*text);
  for (const auto& v : parsed.as_array()) ids.emplace_back(v.as_string());
  return ids;
}

std::string citations_text(const std::vector<Citation>& citations) {
  boost::json::array array;
  for (const auto& c : citations) {
    array.push_back(boost::json::object{{"source_id", c.source_id}, {"passage_id", c.passage_id}, {"quote", c.quote}, {"marker", c.marker}});
  }
  return boost::json::serialize(array);
}

std::vector<Citation> citations_of(const std::string& text) {
  std::vector<Citation> out;
  const auto parsed = boost::json::parse(text);
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    const auto* marker = o.if_contains("marker");
    out.push_back({std::string(o.at("source_id").as_string()), std::string(o.at("passage_id").as_string()),
                   std::string(o.at("quote").as_string()),
                   marker != nullptr && marker->is_int64() ? static_cast<int>(marker->as_int64())
                                                           : static_cast<int>(out.size()) + 1});
  }
  return out;
}

constexpr const char* kConversationColumns = "id, school_id, student_id, path_id, step_id, session_id, created_at, updated_at";

void bind_conversation(db::Prepared& prepared, Conversation& c) {
  prepared, soci::into(c.id), soci::into(c.school_id), soci::into(c.student_id), soci::into(c.path_id),
      soci::into(c.step_id), soci::into(c.session_id), soci::into(c.created_at), soci::into(c.updated_at);
}

}  // namespace

std::optional<Agent> find_agent(soci::session& sql, const std::string& school_id, const std::string& teacher_id,
                                const std::string& subject_id) {
  struct Row {
    Agent agent;
    std::optional<std::string> sources;
    int off_topic = 0;
  };
  auto rows = db::fetch_rows<Row>(
      sql,
      "SELECT id, school_id, teacher_id, subject_id, instructions, level, language, answer_policy, source_ids, "
      "allow_off_topic, updated_at FROM ai_agents WHERE school_id = :school AND teacher_id = :teacher AND "
      "subject_id = :subject",
      [](db::Prepared& p, Row& r) {
        p, soci::into(r.agent.id), soci::into(r.agent.school_id), soci::into(r.agent.teacher_id),
            soci::into(r.agent.subject_id), soci::into(r.agent.instructions), soci::into(r.agent.level),
            soci::into(r.agent.language), soci::into(r.agent.answer_policy), soci::into(r.sources),
            soci::into(r.off_topic), soci::into(r.agent.updated_at);
      },
      soci::use(school_id), soci::use(teacher_id), soci::use(subject_id));
  if (rows.empty()) return std::nullopt;
  Agent agent = std::move(rows.front().agent);
  agent.source_ids = ids_of(rows.front().sources);
  agent.allow_off_topic = rows.front().off_topic != 0;
  agent.stored = true;
  return agent;
}

void save_agent(soci::session& sql, const Agent& a) {
  const std::optional<std::string> sources =
      a.source_ids ? std::optional<std::string>(ids_text(a.source_ids)) : std::nullopt;
  const int off_topic = a.allow_off_topic ? 1 : 0;
  sql << "INSERT INTO ai_agents (id, school_id, teacher_id, subject_id, instructions, level, language, "
         "answer_policy, source_ids, allow_off_topic, updated_at) VALUES (:id, :school, :teacher, :subject, "
         ":instructions, :level, :language, :policy, :sources, :off_topic, :at) "
         "ON CONFLICT (school_id, teacher_id, subject_id) DO UPDATE SET instructions = EXCLUDED.instructions, "
         "level = EXCLUDED.level, language = EXCLUDED.language, answer_policy = EXCLUDED.answer_policy, "
         "source_ids = EXCLUDED.source_ids, allow_off_topic = EXCLUDED.allow_off_topic, updated_at = EXCLUDED.updated_at",
      soci::use(a.id), soci::use(a.school_id), soci::use(a.teacher_id), soci::use(a.subject_id),
      soci::use(a.instructions), soci::use(a.level), soci::use(a.language), soci::use(a.answer_policy),
      soci::use(sources), soci::use(off_topic), soci::use(a.updated_at);
}

std::optional<Conversation> find_conversation(soci::session& sql, const std::string& school_id, const std::string& id) {
  auto rows = db::fetch_rows<Conversation>(
      sql, std::string("SELECT ") + kConversationColumns + " FROM ai_conversations WHERE id = :id AND school_id = :school",
      bind_conversation, soci::use(id), soci::use(school_id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

void insert_conversation(soci::session& sql, const Conversation& c) {
  sql << "INSERT INTO ai_conversations (" << kConversationColumns
      << ") VALUES (:id, :school, :student, :path, :step, :session, :created, :updated)",
      soci::use(c.id), soci::use(c.school_id), soci::use(c.student_id), soci::use(c.path_id), soci::use(c.step_id),
      soci::use(c.session_id), soci::use(c.created_at), soci::use(c.updated_at);
}

void touch_conversation(soci::session& sql, const std::string& id, std::int64_t at) {
  sql << "UPDATE ai_conversations SET updated_at = :at WHERE id = :id", soci::use(at), soci::use(id);
}

void insert_message(soci::session& sql, const TutorMessage& m) {
  const std::string citations = citations_text(m.citations);
  const int fallback = m.fallback ? 1 : 0;
  const int refused = m.refused ? 1 : 0;
  sql << "INSERT INTO ai_messages (id, school_id, conversation_id, author_id, role, text, citations, provider, "
         "fallback, prompt_tokens, completion_tokens, latency_ms, refused, refusal, bloom_level, readability, "
         "created_at) VALUES (:id, :school, :conversation, :author, :role, :text, :citations, :provider, :fallback, "
         ":prompt, :completion, :latency, :refused, :refusal, :bloom, :readability, :at)",
      soci::use(m.id), soci::use(m.school_id), soci::use(m.conversation_id), soci::use(m.author_id), soci::use(m.role),
      soci::use(m.text), soci::use(citations), soci::use(m.provider), soci::use(fallback), soci::use(m.prompt_tokens),
      soci::use(m.completion_tokens), soci::use(m.latency_ms), soci::use(refused), soci::use(m.refusal),
      soci::use(m.bloom_level), soci::use(m.readability), soci::use(m.created_at);
}

std::vector<TutorMessage> messages_of(soci::session& sql, const std::string& conversation_id) {
  struct Row {
    TutorMessage m;
    std::string citations;
    int fallback = 0;
    int refused = 0;
  };
  const auto rows = db::fetch_rows<Row>(
      sql,
      "SELECT id, school_id, conversation_id, author_id, role, text, citations, provider, fallback, prompt_tokens, "
      "completion_tokens, latency_ms, refused, refusal, bloom_level, readability, created_at FROM ai_messages "
      "WHERE conversation_id = :id ORDER BY created_at, role DESC",
      [](db::Prepared& p, Row& r) {
        p, soci::into(r.m.id), soci::into(r.m.school_id), soci::into(r.m.conversation_id), soci::into(r.m.author_id),
            soci::into(r.m.role), soci::into(r.m.text), soci::into(r.citations), soci::into(r.m.provider),
            soci::into(r.fallback), soci::into(r.m.prompt_tokens), soci::into(r.m.completion_tokens),
            soci::into(r.m.latency_ms), soci::into(r.refused), soci::into(r.m.refusal), soci::into(r.m.bloom_level),
            soci::into(r.m.readability), soci::into(r.m.created_at);
      },
      soci::use(conversation_id));
  std::vector<TutorMessage> out;
  for (const auto& r : rows) {
    TutorMessage m = r.m;
    m.citations = citations_of(r.citations);
    m.fallback = r.fallback != 0;
    m.refused = r.refused != 0;
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<Conversation> conversations_of_path(soci::session& sql, const std::string& school_id,
                                                const std::string& path_id,
                                                const std::optional<std::string>& student_id) {
  const std::string student = student_id.value_or("");
  return db::fetch_rows<Conversation>(
      sql,
      std::string("SELECT ") + kConversationColumns +
          " FROM ai_conversations WHERE school_id = :school AND path_id = :path AND (:student = '' OR student_id = "
          ":student2) ORDER BY updated_at DESC LIMIT 200",
      bind_conversation, soci::use(school_id), soci::use(path_id), soci::use(student), soci::use(student));
}

std::vector<Conversation> conversations_of_student(soci::session& sql, const std::string& school_id,
                                                   const std::string& student_id) {
  return db::fetch_rows<Conversation>(
      sql,
      std::string("SELECT ") + kConversationColumns +
          " FROM ai_conversations WHERE school_id = :school AND student_id = :student ORDER BY created_at, id",
      bind_conversation, soci::use(school_id), soci::use(student_id));
}

int questions_since(soci::session& sql, const std::string& school_id, const std::string& author_id, std::int64_t since) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM ai_messages WHERE school_id = :school AND author_id = :author AND role = 'student' "
         "AND created_at >= :since",
      soci::use(school_id), soci::use(author_id), soci::use(since), soci::into(count);
  return count;
}

void forget_user(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  sql << "DELETE FROM ai_messages WHERE school_id = :school AND conversation_id IN (SELECT id FROM ai_conversations "
         "WHERE school_id = :school2 AND student_id = :user)",
      soci::use(school_id), soci::use(school_id), soci::use(user_id);
  sql << "DELETE FROM ai_conversations WHERE school_id = :school AND student_id = :user", soci::use(school_id),
      soci::use(user_id);
  sql << "DELETE FROM ai_agents WHERE school_id = :school AND teacher_id = :user", soci::use(school_id),
      soci::use(user_id);
}

}  // namespace mnemos::ai::repo
