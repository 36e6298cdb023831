// SQL of conversations, members, messages, reports and settings (repository.hpp).
#include <mnemos/core/db.hpp>

#include "repository.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>

namespace mnemos::communication::repo {
namespace {

constexpr const char* kConversationColumns =
    "c.id, c.school_id, CASE WHEN c.channel_path_id IS NULL THEN c.kind ELSE 'path' END, c.title, c.direct_key, c.class_id, c.subject_id, c.path_id, c.created_by, "
    "c.created_at, c.last_seq, c.last_message_at";

void bind_conversation(db::Prepared& prepared, Conversation& c) {
  prepared, soci::into(c.id), soci::into(c.school_id), soci::into(c.kind), soci::into(c.title),
      soci::into(c.direct_key), soci::into(c.class_id), soci::into(c.subject_id), soci::into(c.path_id),
      soci::into(c.created_by), soci::into(c.created_at), soci::into(c.last_seq), soci::into(c.last_message_at);
}

constexpr const char* kMessageColumns =
    "m.id, m.school_id, m.conversation_id, m.seq, m.author_id, m.text, m.created_at, m.edited_at, m.deleted_at, "
    "m.idempotency_key";

void bind_message(db::Prepared& prepared, Message& m) {
  prepared, soci::into(m.id), soci::into(m.school_id), soci::into(m.conversation_id), soci::into(m.seq),
      soci::into(m.author_id), soci::into(m.text), soci::into(m.created_at), soci::into(m.edited_at),
      soci::into(m.deleted_at), soci::into(m.idempotency_key);
}

template <typename... Uses>
std::optional<Conversation> one_conversation(soci::session& sql, const std::string& where, Uses&&... uses) {
  auto rows = db::fetch_rows<Conversation>(
      sql, std::string("SELECT ") + kConversationColumns + " FROM communication_conversations c WHERE " + where,
      bind_conversation, std::forward<Uses>(uses)...);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

template <typename... Uses>
std::optional<Message> one_message(soci::session& sql, const std::string& where, Uses&&... uses) {
  auto rows = db::fetch_rows<Message>(
      sql, std::string("SELECT ") + kMessageColumns + " FROM communication_messages m WHERE " + where,
      bind_message, std::forward<Uses>(uses)...);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

}  // namespace

void insert_conversation(soci::session& sql, const Conversation& c) {
  // A path's channel is stored as a group naming its path (migration 0006).
  const bool path_channel = c.kind == "path";
  const std::string stored_kind = path_channel ? "group" : c.kind;
  const std::optional<std::string> channel_path_id = path_channel ? c.path_id : std::nullopt;
  sql << "INSERT INTO communication_conversations (id, school_id, kind, title, direct_key, class_id, subject_id, "
         "path_id, channel_path_id, created_by, created_at, last_seq, last_message_at) VALUES (:id, :school, :kind, "
         ":title, :direct, :class, :subject, :path, :channel_path, :by, :created, :seq, :last)",
      soci::use(c.id), soci::use(c.school_id), soci::use(stored_kind), soci::use(c.title), soci::use(c.direct_key),
      soci::use(c.class_id), soci::use(c.subject_id), soci::use(c.path_id), soci::use(channel_path_id),
      soci::use(c.created_by), soci::use(c.created_at), soci::use(c.last_seq), soci::use(c.last_message_at);
}

std::optional<Conversation> find_conversation(soci::session& sql, const std::string& school_id, const std::string& id) {
  return one_conversation(sql, "c.school_id = :school AND c.id = :id", soci::use(school_id), soci::use(id));
}

std::optional<Conversation> find_direct(soci::session& sql, const std::string& school_id, const std::string& key) {
  return one_conversation(sql, "c.school_id = :school AND c.direct_key = :key", soci::use(school_id),
                          soci::use(key));
}

std::optional<Conversation> find_class_channel(soci::session& sql, const std::string& school_id,
                                               const std::string& class_id) {
  return one_conversation(sql, "c.school_id = :school AND c.class_id = :class", soci::use(school_id),
                          soci::use(class_id));
}

std::optional<Conversation> find_path_channel(soci::session& sql, const std::string& school_id,
                                              const std::string& path_id) {
  return one_conversation(sql, "c.school_id = :school AND c.channel_path_id = :path", soci::use(school_id),
                          soci::use(path_id));
}

void set_title(soci::session& sql, const std::string& school_id, const std::string& id, const std::string& title) {
  sql << "UPDATE communication_conversations SET title = :title WHERE school_id = :school AND id = :id",
      soci::use(title), soci::use(school_id), soci::use(id);
}

void delete_conversation(soci::session& sql, const std::string& school_id, const std::string& id) {
  // Reports and members go with it (ON DELETE CASCADE needs foreign keys on, which SQLite has here).
  sql << "DELETE FROM communication_reports WHERE school_id = :school AND message_id IN (SELECT id FROM "
         "communication_messages WHERE conversation_id = :id)",
      soci::use(school_id), soci::use(id);
  sql << "DELETE FROM communication_messages WHERE school_id = :school AND conversation_id = :id",
      soci::use(school_id), soci::use(id);
  sql << "DELETE FROM communication_members WHERE school_id = :school AND conversation_id = :id",
      soci::use(school_id), soci::use(id);
  sql << "DELETE FROM communication_conversations WHERE school_id = :school AND id = :id", soci::use(school_id),
      soci::use(id);
}

void add_member(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                const std::string& user_id, std::int64_t now, std::int64_t last_read_seq) {
  sql << "INSERT INTO communication_members (conversation_id, user_id, school_id, joined_at, last_read_seq) "
         "VALUES (:conversation, :user, :school, :now, :seq) ON CONFLICT (conversation_id, user_id) DO NOTHING",
      soci::use(conversation_id), soci::use(user_id), soci::use(school_id), soci::use(now), soci::use(last_read_seq);
}

void remove_member(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                   const std::string& user_id) {
  sql << "DELETE FROM communication_members WHERE school_id = :school AND conversation_id = :conversation AND "
         "user_id = :user",
      soci::use(school_id), soci::use(conversation_id), soci::use(user_id);
}

std::optional<Member> find_member(soci::session& sql, const std::string& school_id,
                                  const std::string& conversation_id, const std::string& user_id) {
  Member m;
  sql << "SELECT user_id, joined_at, last_read_seq, last_read_at FROM communication_members WHERE school_id = "
         ":school AND conversation_id = :conversation AND user_id = :user",
      soci::use(school_id), soci::use(conversation_id), soci::use(user_id), soci::into(m.user_id),
      soci::into(m.joined_at), soci::into(m.last_read_seq), soci::into(m.last_read_at);
  if (!sql.got_data()) return std::nullopt;
  return m;
}

std::vector<Member> members_up_to(soci::session& sql, const std::string& school_id,
                                  const std::string& conversation_id, std::size_t limit) {
  const auto read = static_cast<long long>(limit);
  return db::fetch_rows<Member>(
      sql,
      "SELECT user_id, joined_at, last_read_seq, last_read_at FROM communication_members WHERE school_id = "
      ":school AND conversation_id = :conversation ORDER BY joined_at, user_id LIMIT :read",
      [](db::Prepared& prepared, Member& m) {
        prepared, soci::into(m.user_id), soci::into(m.joined_at), soci::into(m.last_read_seq),
            soci::into(m.last_read_at);
      },
      soci::use(school_id), soci::use(conversation_id), soci::use(read));
}

std::int64_t member_count(soci::session& sql, const std::string& school_id, const std::string& conversation_id) {
  std::int64_t count = 0;
  sql << "SELECT COUNT(*) FROM communication_members WHERE school_id = :school AND conversation_id = :conversation",
      soci::use(school_id), soci::use(conversation_id), soci::into(count);
  return count;
}

std::optional<std::vector<std::string>> member_ids_up_to(soci::session& sql, const std::string& school_id,
                                                         const std::string& conversation_id, std::size_t limit) {
  std::vector<std::string> out;
  std::string id;
  const auto read = static_cast<long long>(limit) + 1;
  soci::statement st = (sql.prepare << "SELECT user_id FROM communication_members WHERE school_id = :school AND "
                                       "conversation_id = :conversation LIMIT :read",
                        soci::use(school_id), soci::use(conversation_id), soci::use(read), soci::into(id));
  st.execute();
  while (st.fetch()) out.push_back(id);
  if (out.size() > limit) return std::nullopt;
  return out;
}

std::vector<std::string> member_ids(soci::session& sql, const std::string& school_id,
                                    const std::string& conversation_id) {
  std::vector<std::string> out;
  std::string id;
  soci::statement st = (sql.prepare << "SELECT user_id FROM communication_members WHERE school_id = :school AND "
                                       "conversation_id = :conversation",
                        soci::use(school_id), soci::use(conversation_id), soci::into(id));
  st.execute();
  while (st.fetch()) out.push_back(id);
  return out;
}

bool mark_read(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
               const std::string& user_id, std::int64_t seq, std::int64_t now) {
  soci::statement st = (sql.prepare << "UPDATE communication_members SET last_read_seq = :seq, last_read_at = :now "
                                       "WHERE school_id = :school AND conversation_id = :conversation AND user_id = "
                                       ":user AND last_read_seq < :seq2",
                        soci::use(seq), soci::use(now), soci::use(school_id), soci::use(conversation_id),
                        soci::use(user_id), soci::use(seq));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

std::vector<ConversationEntry> conversations_of(soci::session& sql, const std::string& school_id,
                                                const std::string& user_id, int limit, std::size_t members_each) {
  struct Row {
    Conversation c;
    std::int64_t last_read_seq = 0;
    int unread = 0;
    std::int64_t member_count = 0;
  };
  auto rows = db::fetch_rows<Row>(
      sql,
      std::string("SELECT ") + kConversationColumns +
          ", me.last_read_seq, (SELECT COUNT(*) FROM communication_messages x WHERE x.conversation_id = c.id AND "
          "x.seq > me.last_read_seq AND x.author_id <> me.user_id AND x.deleted_at IS NULL), "
          "(SELECT COUNT(*) FROM communication_members y WHERE y.conversation_id = c.id) "
          "FROM communication_members me JOIN communication_conversations c ON c.id = me.conversation_id "
          "WHERE me.school_id = :school AND me.user_id = :user "
          "ORDER BY COALESCE(c.last_message_at, c.created_at) DESC, c.id DESC LIMIT :limit",
      [](db::Prepared& prepared, Row& row) {
        bind_conversation(prepared, row.c);
        prepared, soci::into(row.last_read_seq), soci::into(row.unread), soci::into(row.member_count);
      },
      soci::use(school_id), soci::use(user_id), soci::use(limit));
  std::vector<ConversationEntry> out;
  out.reserve(rows.size());
  std::map<std::string, std::size_t> index;
  for (auto& row : rows) {
    index[row.c.id] = out.size();
    out.push_back({std::move(row.c), row.last_read_seq, row.unread, std::nullopt, {}, row.member_count});
  }
  if (out.empty()) return out;
  // The last message and the members of each, in two queries rather than two per conversation.
  db::for_each_row<Message>(
      sql,
      std::string("SELECT ") + kMessageColumns +
          " FROM communication_messages m JOIN communication_conversations c ON c.id = m.conversation_id AND "
          "m.seq = c.last_seq JOIN communication_members me ON me.conversation_id = c.id "
          "WHERE me.school_id = :school AND me.user_id = :user",
      bind_message,
      [&](const Message& m) {
        if (const auto at = index.find(m.conversation_id); at != index.end()) out[at->second].last_message = m;
      },
      soci::use(school_id), soci::use(user_id));
  // The first few members of each: the small ones (directs, groups) in one query, each bigger one
  // by the index of its joining order (a path's channel may hold a whole school).
  std::vector<std::string> small;
  for (const auto& e : out) {
    if (e.member_count <= static_cast<std::int64_t>(members_each)) small.push_back(e.conversation.id);
  }
  struct MemberRow {
    std::string conversation_id, user_id;
  };
  const std::string small_ids = db::json_list(small);
  db::for_each_row<MemberRow>(
      sql,
      "SELECT conversation_id, user_id FROM communication_members WHERE school_id = :school AND " +
          db::in_list(sql, "conversation_id", "ids") + " ORDER BY joined_at, user_id",
      [](db::Prepared& prepared, MemberRow& row) { prepared, soci::into(row.conversation_id), soci::into(row.user_id); },
      [&](const MemberRow& row) {
        if (const auto at = index.find(row.conversation_id); at != index.end()) {
          out[at->second].member_ids.push_back(row.user_id);
        }
      },
      soci::use(school_id), soci::use(small_ids));
  for (auto& e : out) {
    if (e.member_count <= static_cast<std::int64_t>(members_each)) continue;
    for (auto& m : members_up_to(sql, school_id, e.conversation.id, members_each)) {
      e.member_ids.push_back(std::move(m.user_id));
    }
  }
  return out;
}

std::vector<std::string> conversation_ids_of(soci::session& sql, const std::string& school_id,
                                             const std::string& user_id) {
  std::vector<std::string> out;
  std::string id;
  soci::statement st = (sql.prepare << "SELECT conversation_id FROM communication_members WHERE school_id = :school "
                                       "AND user_id = :user",
                        soci::use(school_id), soci::use(user_id), soci::into(id));
  st.execute();
  while (st.fetch()) out.push_back(id);
  return out;
}

std::int64_t next_seq(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                      std::int64_t now) {
  sql << "UPDATE communication_conversations SET last_seq = last_seq + 1, last_message_at = :now WHERE school_id "
         "= :school AND id = :id",
      soci::use(now), soci::use(school_id), soci::use(conversation_id);
  std::int64_t seq = 0;
  sql << "SELECT last_seq FROM communication_conversations WHERE school_id = :school AND id = :id",
      soci::use(school_id), soci::use(conversation_id), soci::into(seq);
  return seq;
}

void insert_message(soci::session& sql, const Message& m) {
  sql << "INSERT INTO communication_messages (id, school_id, conversation_id, seq, author_id, text, created_at, "
         "edited_at, deleted_at, idempotency_key) VALUES (:id, :school, :conversation, :seq, :author, :text, "
         ":created, :edited, :deleted, :key)",
      soci::use(m.id), soci::use(m.school_id), soci::use(m.conversation_id), soci::use(m.seq),
      soci::use(m.author_id), soci::use(m.text), soci::use(m.created_at), soci::use(m.edited_at),
      soci::use(m.deleted_at), soci::use(m.idempotency_key);
}

void update_message(soci::session& sql, const Message& m) {
  sql << "UPDATE communication_messages SET text = :text, edited_at = :edited, deleted_at = :deleted WHERE "
         "school_id = :school AND id = :id",
      soci::use(m.text), soci::use(m.edited_at), soci::use(m.deleted_at), soci::use(m.school_id), soci::use(m.id);
}

std::optional<Message> find_message(soci::session& sql, const std::string& school_id, const std::string& id) {
  return one_message(sql, "m.school_id = :school AND m.id = :id", soci::use(school_id), soci::use(id));
}

std::optional<Message> find_by_idempotency_key(soci::session& sql, const std::string& school_id,
                                               const std::string& author_id, const std::string& key) {
  return one_message(sql, "m.school_id = :school AND m.author_id = :author AND m.idempotency_key = :key",
                     soci::use(school_id), soci::use(author_id), soci::use(key));
}

std::vector<Message> messages(soci::session& sql, const std::string& school_id, const std::string& conversation_id,
                              std::int64_t after_seq, std::int64_t before_seq, int limit, bool oldest_first) {
  auto rows = db::fetch_rows<Message>(
      sql,
      std::string("SELECT ") + kMessageColumns +
          " FROM communication_messages m WHERE m.school_id = :school AND m.conversation_id = :conversation AND "
          "m.seq > :after AND m.seq < :before ORDER BY m.seq " +
          (oldest_first ? "ASC" : "DESC") + " LIMIT :limit",
      bind_message, soci::use(school_id), soci::use(conversation_id), soci::use(after_seq), soci::use(before_seq),
      soci::use(limit));
  if (!oldest_first) std::reverse(rows.begin(), rows.end());
  return rows;
}

std::vector<Message> messages_by_ids(soci::session& sql, const std::string& school_id,
                                     const std::vector<std::string>& ids) {
  std::vector<Message> out;
  for (const auto& id : ids) {
    if (auto m = find_message(sql, school_id, id)) out.push_back(std::move(*m));
  }
  return out;
}

void insert_report(soci::session& sql, const Report& r) {
  sql << "INSERT INTO communication_reports (id, school_id, message_id, reporter_id, reason, message_text, "
         "created_at) VALUES (:id, :school, :message, :reporter, :reason, :text, :created) ON CONFLICT (message_id, "
         "reporter_id) DO NOTHING",
      soci::use(r.id), soci::use(r.school_id), soci::use(r.message_id), soci::use(r.reporter_id),
      soci::use(r.reason), soci::use(r.message_text), soci::use(r.created_at);
}

namespace {
constexpr const char* kReportColumns =
    "id, school_id, message_id, reporter_id, reason, message_text, created_at, resolved_by, resolved_at";
void bind_report(db::Prepared& prepared, Report& r) {
  prepared, soci::into(r.id), soci::into(r.school_id), soci::into(r.message_id), soci::into(r.reporter_id),
      soci::into(r.reason), soci::into(r.message_text), soci::into(r.created_at), soci::into(r.resolved_by), soci::into(r.resolved_at);
}
}  // namespace

std::vector<Report> reports(soci::session& sql, const std::string& school_id, bool open_only, int limit) {
  return db::fetch_rows<Report>(sql,
                                std::string("SELECT ") + kReportColumns +
                                    " FROM communication_reports WHERE school_id = :school" +
                                    (open_only ? " AND resolved_at IS NULL" : "") +
                                    " ORDER BY created_at DESC, id DESC LIMIT :limit",
                                bind_report, soci::use(school_id), soci::use(limit));
}

std::optional<Report> find_report(soci::session& sql, const std::string& school_id, const std::string& id) {
  auto rows = db::fetch_rows<Report>(
      sql, std::string("SELECT ") + kReportColumns + " FROM communication_reports WHERE school_id = :school AND id = :id",
      bind_report, soci::use(school_id), soci::use(id));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

void resolve_report(soci::session& sql, const std::string& school_id, const std::string& id, const std::string& by,
                    std::int64_t now) {
  sql << "UPDATE communication_reports SET resolved_by = :by, resolved_at = :now WHERE school_id = :school AND id = "
         ":id AND resolved_at IS NULL",
      soci::use(by), soci::use(now), soci::use(school_id), soci::use(id);
}

Settings settings(soci::session& sql, const std::string& school_id) {
  Settings s;
  int students = 0;
  std::string words;
  sql << "SELECT students_may_message_students, blocked_words, updated_at FROM communication_settings WHERE "
         "school_id = :school",
      soci::use(school_id), soci::into(students), soci::into(words), soci::into(s.updated_at);
  if (!sql.got_data()) return Settings{};
  s.students_may_message_students = students != 0;
  const auto parsed = boost::json::parse(words);
  for (const auto& word : parsed.as_array()) s.blocked_words.emplace_back(word.as_string());
  return s;
}

void save_settings(soci::session& sql, const std::string& school_id, const Settings& s) {
  boost::json::array words;
  for (const auto& word : s.blocked_words) words.emplace_back(word);
  const std::string words_text = boost::json::serialize(words);
  const int students = s.students_may_message_students ? 1 : 0;
  sql << "INSERT INTO communication_settings (school_id, students_may_message_students, blocked_words, updated_at) "
         "VALUES (:school, :students, :words, :now) ON CONFLICT (school_id) DO UPDATE SET "
         "students_may_message_students = excluded.students_may_message_students, blocked_words = "
         "excluded.blocked_words, updated_at = excluded.updated_at",
      soci::use(school_id), soci::use(students), soci::use(words_text), soci::use(s.updated_at);
}

std::vector<UnreadMessage> unread_since(soci::session& sql, const std::string& school_id, const std::string& user_id,
                                        std::int64_t since, int limit) {
  return db::fetch_rows<UnreadMessage>(
      sql,
      std::string("SELECT ") + kMessageColumns +
          ", c.title FROM communication_messages m JOIN communication_members me ON me.conversation_id = "
          "m.conversation_id JOIN communication_conversations c ON c.id = m.conversation_id WHERE me.school_id = "
          ":school AND me.user_id = :user AND m.seq > me.last_read_seq AND m.author_id <> me.user_id AND "
          "m.deleted_at IS NULL AND m.created_at >= :since ORDER BY m.created_at, m.id LIMIT :limit",
      [](db::Prepared& prepared, UnreadMessage& row) {
        bind_message(prepared, row.message);
        prepared, soci::into(row.conversation_title);
      },
      soci::use(school_id), soci::use(user_id), soci::use(since), soci::use(limit));
}

std::vector<std::string> message_ids_of(soci::session& sql, const std::string& school_id, const std::string& author_id) {
  std::vector<std::string> out;
  std::string id;
  soci::statement st = (sql.prepare << "SELECT id FROM communication_messages WHERE school_id = :school AND "
                                       "author_id = :author",
                        soci::use(school_id), soci::use(author_id), soci::into(id));
  st.execute();
  while (st.fetch()) out.push_back(id);
  return out;
}

void forget_user(soci::session& sql, const std::string& school_id, const std::string& user_id, std::int64_t now) {
  sql << "UPDATE communication_messages SET text = '', deleted_at = :now WHERE school_id = :school AND author_id = "
         ":user AND deleted_at IS NULL",
      soci::use(now), soci::use(school_id), soci::use(user_id);
  sql << "DELETE FROM communication_reports WHERE school_id = :school AND reporter_id = :user", soci::use(school_id),
      soci::use(user_id);
  sql << "DELETE FROM communication_members WHERE school_id = :school AND user_id = :user", soci::use(school_id),
      soci::use(user_id);
  sql << "DELETE FROM communication_notifications WHERE school_id = :school AND user_id = :user", soci::use(school_id),
      soci::use(user_id);
  sql << "DELETE FROM communication_notification_settings WHERE school_id = :school AND user_id = :user",
      soci::use(school_id), soci::use(user_id);
  sql << "DELETE FROM communication_digests WHERE school_id = :school AND user_id = :user", soci::use(school_id),
      soci::use(user_id);
}

namespace {
constexpr const char* kAttachmentColumns =
    "a.id, a.school_id, a.conversation_id, a.uploader_id, a.message_id, a.name, a.content_type, a.size, a.created_at";
void bind_attachment(db::Prepared& p, Attachment& a) {
  p, soci::into(a.id), soci::into(a.school_id), soci::into(a.conversation_id), soci::into(a.uploader_id),
      soci::into(a.message_id), soci::into(a.name), soci::into(a.content_type), soci::into(a.size),
      soci::into(a.created_at);
}
}  // namespace

void insert_attachment(soci::session& sql, const Attachment& a) {
  sql << "INSERT INTO communication_attachments (id, school_id, conversation_id, uploader_id, message_id, name, "
         "content_type, size, created_at) VALUES (:id, :school, :conversation, :uploader, :message, :name, :type, "
         ":size, :created)",
      soci::use(a.id), soci::use(a.school_id), soci::use(a.conversation_id), soci::use(a.uploader_id),
      soci::use(a.message_id), soci::use(a.name), soci::use(a.content_type), soci::use(a.size),
      soci::use(a.created_at);
}

std::optional<Attachment> find_attachment(soci::session& sql, const std::string& school_id, const std::string& id) {
  auto rows = db::fetch_rows<Attachment>(
      sql, std::string("SELECT ") + kAttachmentColumns + " FROM communication_attachments a WHERE a.school_id = "
           ":school AND a.id = :id",
      bind_attachment, soci::use(school_id), soci::use(id));
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

bool attach(soci::session& sql, const Attachment& a, const std::string& message_id) {
  soci::statement st = (sql.prepare << "UPDATE communication_attachments SET message_id = :message WHERE school_id = "
                                       ":school AND id = :id AND conversation_id = :conversation AND uploader_id = "
                                       ":uploader AND message_id IS NULL",
                        soci::use(message_id), soci::use(a.school_id), soci::use(a.id), soci::use(a.conversation_id),
                        soci::use(a.uploader_id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<Attachment> attachments_of_messages(soci::session& sql, const std::string& school_id,
                                                const std::string& conversation_id, std::int64_t from_seq,
                                                std::int64_t to_seq) {
  return db::fetch_rows<Attachment>(
      sql, std::string("SELECT ") + kAttachmentColumns + " FROM communication_attachments a JOIN "
           "communication_messages m ON m.id = a.message_id WHERE a.school_id = :school AND m.conversation_id = "
           ":conversation AND m.seq BETWEEN :lo AND :hi ORDER BY a.created_at, a.id",
      bind_attachment, soci::use(school_id), soci::use(conversation_id), soci::use(from_seq), soci::use(to_seq));
}

std::vector<Attachment> attachments_of_message(soci::session& sql, const std::string& school_id,
                                               const std::string& message_id) {
  return db::fetch_rows<Attachment>(
      sql, std::string("SELECT ") + kAttachmentColumns + " FROM communication_attachments a WHERE a.school_id = "
           ":school AND a.message_id = :message ORDER BY a.created_at, a.id",
      bind_attachment, soci::use(school_id), soci::use(message_id));
}

std::vector<Attachment> attachments_of_uploader(soci::session& sql, const std::string& school_id,
                                                const std::string& uploader_id) {
  return db::fetch_rows<Attachment>(
      sql, std::string("SELECT ") + kAttachmentColumns + " FROM communication_attachments a WHERE a.school_id = "
           ":school AND a.uploader_id = :uploader",
      bind_attachment, soci::use(school_id), soci::use(uploader_id));
}

void delete_attachment(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "DELETE FROM communication_attachments WHERE school_id = :school AND id = :id", soci::use(school_id),
      soci::use(id);
}

}  // namespace mnemos::communication::repo
