#include <mnemos/core/json.hpp>

#include "views.hpp"

#include <boost/json/array.hpp>

namespace mnemos::communication {
namespace {

using json::or_null;

}  // namespace

boost::json::object message_json(const MessageView& v) {
  const auto& m = v.message;
  boost::json::array files;
  for (const auto& a : v.attachments) files.push_back(attachment_json(a));
  return {{"id", m.id},
          {"conversation_id", m.conversation_id},
          {"seq", m.seq},
          {"author_id", m.author_id},
          {"author_name", v.author_name},
          {"text", m.deleted_at ? std::string() : m.text},
          {"created_at", m.created_at},
          {"edited_at", or_null(m.edited_at)},
          {"deleted_at", or_null(m.deleted_at)},
          {"attachments", std::move(files)}};
}

boost::json::object attachment_json(const Attachment& a) {
  return {{"id", a.id},
          {"conversation_id", a.conversation_id},
          {"name", a.name},
          {"content_type", a.content_type},
          {"size", a.size},
          {"url", "/api/v1/conversations/" + a.conversation_id + "/attachments/" + a.id},
          {"created_at", a.created_at}};
}

boost::json::object conversation_json(const ConversationView& v, bool detail) {
  const auto& c = v.entry.conversation;
  boost::json::array members;
  for (std::size_t i = 0; i < v.members.size(); ++i) {
    boost::json::object member{
        {"id", v.members[i].id}, {"display_name", v.members[i].display_name}, {"online", v.members[i].online}};
    if (detail) {
      for (const auto& mark : v.read_marks) {
        if (mark.user_id != v.members[i].id) continue;
        member["last_read_seq"] = mark.last_read_seq;
        member["last_read_at"] = or_null(mark.last_read_at);
      }
    }
    members.push_back(std::move(member));
  }
  boost::json::object out{{"id", c.id},
                          {"kind", c.kind},
                          {"title", or_null(c.title)},
                          {"class_id", or_null(c.class_id)},
                          {"subject_id", or_null(c.subject_id)},
                          {"subject_name", or_null(v.subject_name)},
                          {"path_id", or_null(c.path_id)},
                          {"path_title", or_null(v.path_title)},
                          {"created_at", c.created_at},
                          {"last_message_at", or_null(c.last_message_at)},
                          {"last_seq", c.last_seq},
                          {"last_read_seq", v.entry.last_read_seq},
                          {"unread", v.entry.unread},
                          {"member_count", v.entry.member_count},
                          {"members", std::move(members)}};
  if (v.entry.last_message) {
    out["last_message"] = message_json({*v.entry.last_message, v.last_author_name});
  } else {
    out["last_message"] = nullptr;
  }
  return out;
}

boost::json::object settings_json(const Settings& s) {
  boost::json::array words;
  for (const auto& w : s.blocked_words) words.emplace_back(w);
  return {{"students_may_message_students", s.students_may_message_students},
          {"blocked_words", std::move(words)},
          {"updated_at", s.updated_at > 0 ? boost::json::value(s.updated_at) : nullptr}};
}

boost::json::object notification_json(const Notification& n) {
  return {{"id", n.id},
          {"kind", n.kind},
          {"title", n.title},
          {"body", n.body},
          {"link", or_null(n.link)},
          {"created_at", n.created_at},
          {"read_at", or_null(n.read_at)}};
}

}  // namespace mnemos::communication
