// Conversations and messages (service.hpp): who may write to whom, in one place.
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/fulltext.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>

#include <mnemos/core/files.hpp>

#include "attachments.hpp"
#include "repository.hpp"
#include "service.hpp"
#include "views.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace mnemos::communication {
namespace {

constexpr const char* kMessageKind = "communication.message";

// Whom a person may write to, worked out once per request: the rule of docs/communication.md.
class Reach {
 public:
  Reach(soci::session& sql, const users::Directory& directory, const std::string& school,
        users::PersonRef me, const Settings& settings)
      : me_(std::move(me)), settings_(settings) {
    // A teacher reaches the students of their classes, a student the teachers of theirs.
    auto gather = [&](const char* my_role, const char* their_role) {
      for (const auto& c : directory.classes_of(sql, school, me_.id, my_role)) {
        for (const auto& m : directory.class_members(sql, school, c.id)) {
          if (m.role == their_role) class_peers_.insert(m.user_id);
        }
      }
    };
    if (me_.teacher) gather("teacher", "student");
    if (me_.student) gather("student", "teacher");
  }

  const users::PersonRef& me() const { return me_; }
  const std::set<std::string>& class_peers() const { return class_peers_; }

  bool allows(const users::PersonRef& other) const {
    if (other.id == me_.id || other.status == "disabled" || me_.status == "disabled") return false;
    if (me_.staff || other.staff) return true;
    if (me_.teacher && other.teacher) return true;
    if (me_.student && other.student && settings_.students_may_message_students) return true;
    // A teacher and a student of one of their classes (either way round).
    return class_peers_.contains(other.id) && ((me_.teacher && other.student) || (me_.student && other.teacher));
  }

 private:
  users::PersonRef me_;
  const Settings& settings_;
  std::set<std::string> class_peers_;
};

users::PersonRef person_acting(soci::session& sql, const users::Directory& directory, const RequestContext& ctx) {
  auto me = ctx.user_id ? directory.person(sql, ctx.school(), *ctx.user_id) : std::nullopt;
  if (!me) throw Error::forbidden("Conversations are for the people of a school.");
  return *me;
}

// A conversation `ctx` is a member of, or 404 (another school's, someone else's, none).
Conversation conversation_of_member(soci::session& sql, const RequestContext& ctx, const std::string& id) {
  auto c = is_uuid(id) ? repo::find_conversation(sql, ctx.school(), id) : std::nullopt;
  if (!c || !repo::find_member(sql, ctx.school(), id, *ctx.user_id)) {
    throw Error::not_found("No conversation of yours has this id.");
  }
  return *c;
}

Message message_in(soci::session& sql, const RequestContext& ctx, const Conversation& c, const std::string& id,
                   const char* field) {
  auto m = is_uuid(id) ? repo::find_message(sql, ctx.school(), id) : std::nullopt;
  if (!m || m->conversation_id != c.id) {
    if (field == nullptr) throw Error::not_found("No message of this conversation has this id.");
    throw Error::invalid(field, "No message of this conversation has this id.");
  }
  return *m;
}

bool is_control(unsigned char c) { return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F; }

// Trimmed, not empty, not too long, no control characters; throws naming `text`.
std::string checked_text(const std::string& raw) {
  const std::string text = json::trim(raw);
  if (text.empty()) throw Error::invalid("text", "Write a message.");
  if (text.size() > kMaxMessageBytes) throw Error::invalid("text", "A message is at most 4000 characters long.");
  if (std::any_of(text.begin(), text.end(), [](char c) { return is_control(static_cast<unsigned char>(c)); })) {
    throw Error::invalid("text", "A message may not hold control characters.");
  }
  return text;
}

void refuse_blocked(const std::string& text, const Settings& settings) {
  if (const auto word = blocked_word_in(text, settings.blocked_words)) {
    throw Error::invalid("text", "This message holds a word the school does not allow: " + *word + ".");
  }
}

void index_message(soci::session& sql, const Message& m) {
  fulltext::put(sql, {m.school_id, kMessageKind, m.conversation_id, m.id,
                      fulltext::guess_language(m.text), m.deleted_at ? std::string() : m.text});
}

std::string direct_key(const std::string& a, const std::string& b) { return a < b ? a + ":" + b : b + ":" + a; }

}  // namespace

std::optional<std::string> blocked_word_in(const std::string& text, const std::vector<std::string>& blocked) {
  if (blocked.empty()) return std::nullopt;
  const auto words = fulltext::words(text);
  for (const auto& entry : blocked) {
    const auto phrase = fulltext::words(entry);
    if (phrase.empty() || phrase.size() > words.size()) continue;
    for (std::size_t at = 0; at + phrase.size() <= words.size(); ++at) {
      if (std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<std::ptrdiff_t>(at))) return entry;
    }
  }
  return std::nullopt;
}

ConversationService::ConversationService(Dependencies& deps, NotificationService& notifications,
                                         PresenceService& presence)
    : deps_(deps), notifications_(notifications), presence_(presence), sends_(deps.limits.messages_per_minute, deps.limits.messages_burst) {}

namespace {

// Names of people, by id, in one look-up.
std::map<std::string, std::string> names_of(soci::session& sql, const users::Directory& directory,
                                            const std::string& school, const std::set<std::string>& ids) {
  std::map<std::string, std::string> out;
  for (const auto& p : directory.people(sql, school, std::vector<std::string>(ids.begin(), ids.end()))) {
    out[p.id] = p.display_name;
  }
  return out;
}

std::string name_in(const std::map<std::string, std::string>& names, const std::string& id) {
  const auto at = names.find(id);
  return at == names.end() ? std::string() : at->second;
}

ConversationView view_of(soci::session& sql, const Dependencies& deps, const ConversationEntry& entry,
                         const std::map<std::string, std::string>& names) {
  ConversationView v;
  v.entry = entry;
  const auto& c = entry.conversation;
  for (const auto& id : entry.member_ids) v.members.push_back({id, name_in(names, id)});
  if (entry.last_message) v.last_author_name = name_in(names, entry.last_message->author_id);
  if (c.subject_id) {
    if (auto s = deps.directory.subject(sql, c.school_id, *c.subject_id)) v.subject_name = s->name;
  }
  if (c.path_id) {
    if (auto p = deps.paths.find(sql, c.school_id, *c.path_id)) v.path_title = p->title;
  }
  if (c.class_id) {
    // The class's name as it is now (renamed since the channel was made, say).
    if (auto k = deps.directory.school_class(sql, c.school_id, *c.class_id)) v.entry.conversation.title = k->name;
  }
  return v;
}

ConversationView detail_view(soci::session& sql, const Dependencies& deps, const RequestContext& ctx,
                             const Conversation& c) {
  ConversationEntry entry;
  entry.conversation = c;
  // The first members (read marks and presence are shown for conversations of up to this size),
  // and always oneself.
  auto marks = repo::members_up_to(sql, ctx.school(), c.id, kMembersInDetail);
  if (std::none_of(marks.begin(), marks.end(), [&](const Member& m) { return m.user_id == *ctx.user_id; })) {
    if (auto me = repo::find_member(sql, ctx.school(), c.id, *ctx.user_id)) marks.push_back(std::move(*me));
  }
  entry.member_count = marks.size() < kMembersInDetail ? static_cast<std::int64_t>(marks.size())
                                                       : repo::member_count(sql, ctx.school(), c.id);
  std::set<std::string> ids;
  for (const auto& m : marks) {
    entry.member_ids.push_back(m.user_id);
    ids.insert(m.user_id);
    if (m.user_id == *ctx.user_id) entry.last_read_seq = m.last_read_seq;
  }
  const auto recent = repo::messages(sql, ctx.school(), c.id, 0, c.last_seq + 1, 1, false);
  if (!recent.empty()) {
    entry.last_message = recent.back();
    ids.insert(entry.last_message->author_id);
  }
  // Unread: messages of others after the read mark, counted the way the list counts them.
  for (const auto& m : repo::messages(sql, ctx.school(), c.id, entry.last_read_seq, c.last_seq + 1, 1000, true)) {
    if (m.author_id != *ctx.user_id && !m.deleted_at) ++entry.unread;
  }
  auto v = view_of(sql, deps, entry, names_of(sql, deps.directory, ctx.school(), ids));
  v.read_marks = marks;
  return v;
}

// A channel the server keeps (a class's or a path's), before its insertion.
Conversation new_channel(const std::string& school_id, const std::string& kind, const std::string& title,
                         std::int64_t now) {
  Conversation c;
  c.id = new_id();
  c.school_id = school_id;
  c.kind = kind;
  c.title = title;
  c.created_at = now;
  return c;
}

// A channel's members made `wanted`. Newcomers start with nothing unread: the channel's past is
// there to scroll, not to catch up on.
void set_channel_members(soci::session& sql, const Conversation& channel, const std::set<std::string>& wanted,
                         std::int64_t now) {
  const auto current = repo::member_ids(sql, channel.school_id, channel.id);
  const std::set<std::string> present(current.begin(), current.end());
  for (const auto& id : current) {
    if (!wanted.contains(id)) repo::remove_member(sql, channel.school_id, channel.id, id);
  }
  for (const auto& id : wanted) {
    if (!present.contains(id)) repo::add_member(sql, channel.school_id, channel.id, id, now, channel.last_seq);
  }
}

}  // namespace

std::pair<ConversationView, bool> ConversationService::create(const RequestContext& ctx, const NewConversation& input) {
  std::set<std::string> others(input.participant_ids.begin(), input.participant_ids.end());
  if (ctx.user_id) others.erase(*ctx.user_id);
  if (others.empty()) throw Error::invalid("participant_ids", "Choose at least one person to write to.");
  if (others.size() > kMaxParticipants) {
    throw Error::invalid("participant_ids", "A conversation has at most 50 people.");
  }
  for (const auto& id : others) {
    if (!is_uuid(id)) throw Error::invalid("participant_ids", "Each participant is a person's id.");
  }
  if (input.title && input.title->size() > 100) throw Error::invalid("title", "A title is at most 100 characters long.");
  auto result = [&] {
    return deps_.db.write([&](soci::session& sql) -> std::pair<ConversationView, bool> {
      const auto settings = repo::settings(sql, ctx.school());
      const Reach reach(sql, deps_.directory, ctx.school(), person_acting(sql, deps_.directory, ctx), settings);
      const auto people = deps_.directory.people(sql, ctx.school(), std::vector<std::string>(others.begin(), others.end()));
      if (people.size() != others.size()) throw Error::not_found("No one of this school has one of these ids.");
      // The existing direct conversation, even when the rule no longer lets one write in it: to
      // read it again (a message is refused then, with the reason).
      if (others.size() == 1) {
        if (auto existing = repo::find_direct(sql, ctx.school(), direct_key(*ctx.user_id, *others.begin()))) {
          return {detail_view(sql, deps_, ctx, *existing), false};
        }
      }
      for (const auto& p : people) {
        if (!reach.allows(p)) throw Error::forbidden("You may not write to this person.");
      }
      if (input.subject_id && !deps_.directory.subject(sql, ctx.school(), *input.subject_id)) {
        throw Error::invalid("subject_id", "No subject of this school has this id.");
      }
      if (input.path_id) {
        try {
          (void)deps_.paths.usable(sql, ctx, *input.path_id);
        } catch (const Error& error) {
          if (error.code() != ErrorCode::not_found) throw;
          throw Error::invalid("path_id", "No path you may use has this id.");
        }
      }
      const std::int64_t now = ctx.now_ms();
      Conversation c;
      if (others.size() == 1) {
        c.kind = "direct";
        c.direct_key = direct_key(*ctx.user_id, *others.begin());
      } else {
        c.kind = "group";
        if (input.title && !json::trim(*input.title).empty()) c.title = json::trim(*input.title);
      }
      c.id = new_id();
      c.school_id = ctx.school();
      c.subject_id = input.subject_id;
      c.path_id = input.path_id;
      c.created_by = *ctx.user_id;
      c.created_at = now;
      repo::insert_conversation(sql, c);
      repo::add_member(sql, c.school_id, c.id, *ctx.user_id, now, 0);
      for (const auto& id : others) repo::add_member(sql, c.school_id, c.id, id, now, 0);
      return {detail_view(sql, deps_, ctx, c), true};
    });
  };
  try {
    return result();
  } catch (const Error& error) {
    // Two first messages to the same person at once: the other request made the conversation.
    if (error.code() != ErrorCode::conflict || others.size() != 1) throw;
    return result();
  }
}

std::vector<ConversationView> ConversationService::list(const RequestContext& ctx) {
  return deps_.db.read([&](soci::session& sql) {
    person_acting(sql, deps_.directory, ctx);
    const auto entries = repo::conversations_of(sql, ctx.school(), *ctx.user_id, 200, kMembersInList);
    std::set<std::string> ids, members;
    for (const auto& e : entries) {
      members.insert(e.member_ids.begin(), e.member_ids.end());
      if (e.last_message) ids.insert(e.last_message->author_id);
    }
    ids.insert(members.begin(), members.end());
    const auto names = names_of(sql, deps_.directory, ctx.school(), ids);
    std::vector<ConversationView> out;
    out.reserve(entries.size());
    for (const auto& e : entries) out.push_back(view_of(sql, deps_, e, names));
    const auto online = presence_.online(sql, ctx.school(), {members.begin(), members.end()});
    for (auto& v : out) {
      for (auto& p : v.members) p.online = online.contains(p.id);
    }
    return out;
  });
}

ConversationView ConversationService::get(const RequestContext& ctx, const std::string& id) {
  return deps_.db.read([&](soci::session& sql) {
    person_acting(sql, deps_.directory, ctx);
    auto view = detail_view(sql, deps_, ctx, conversation_of_member(sql, ctx, id));
    const auto online = presence_.online(sql, ctx.school(), view.entry.member_ids);
    for (auto& p : view.members) p.online = online.contains(p.id);
    return view;
  });
}

std::vector<Person> ConversationService::contacts(const RequestContext& ctx, const std::string& text) {
  return deps_.db.read([&](soci::session& sql) {
    const auto settings = repo::settings(sql, ctx.school());
    const Reach reach(sql, deps_.directory, ctx.school(), person_acting(sql, deps_.directory, ctx), settings);
    std::vector<users::PersonRef> candidates;
    if (json::trim(text).empty() && !reach.me().staff) {
      // The people of one's classes first: whom a student or a teacher writes to most.
      const auto& peers = reach.class_peers();
      candidates = deps_.directory.people(sql, ctx.school(), std::vector<std::string>(peers.begin(), peers.end()));
      for (auto& p : deps_.directory.find_people(sql, ctx.school(), "", 200)) {
        if (p.staff || (p.teacher && reach.me().teacher)) candidates.push_back(std::move(p));
      }
    } else {
      candidates = deps_.directory.find_people(sql, ctx.school(), json::trim(text), 200);
    }
    std::sort(candidates.begin(), candidates.end(),
              [](const auto& a, const auto& b) { return std::tie(a.display_name, a.id) < std::tie(b.display_name, b.id); });
    std::vector<Person> out;
    std::set<std::string> seen;
    for (const auto& p : candidates) {
      if (out.size() >= 50) break;
      if (reach.allows(p) && seen.insert(p.id).second) out.push_back({p.id, p.display_name});
    }
    const auto online = presence_.online(sql, ctx.school(), {seen.begin(), seen.end()});
    for (auto& p : out) p.online = online.contains(p.id);
    return out;
  });
}

MessagePage ConversationService::messages(const RequestContext& ctx, const std::string& conversation_id,
                                          const std::optional<std::string>& after,
                                          const std::optional<std::string>& before, int limit) {
  return deps_.db.read([&](soci::session& sql) {
    const auto c = conversation_of_member(sql, ctx, conversation_id);
    std::int64_t after_seq = 0;
    std::int64_t before_seq = c.last_seq + 1;
    if (after) after_seq = message_in(sql, ctx, c, *after, "after").seq;
    if (before) before_seq = message_in(sql, ctx, c, *before, "before").seq;
    auto rows = repo::messages(sql, ctx.school(), c.id, after_seq, before_seq, limit + 1, after.has_value());
    MessagePage page;
    page.has_more = rows.size() > static_cast<std::size_t>(limit);
    if (page.has_more) {
      if (after) rows.pop_back();
      else rows.erase(rows.begin());
    }
    std::set<std::string> authors;
    for (const auto& m : rows) authors.insert(m.author_id);
    const auto names = names_of(sql, deps_.directory, ctx.school(), authors);
    std::map<std::string, std::vector<Attachment>> files;
    if (!rows.empty()) {
      for (auto& a : repo::attachments_of_messages(sql, ctx.school(), c.id, rows.front().seq, rows.back().seq)) {
        files[*a.message_id].push_back(std::move(a));
      }
    }
    for (auto& m : rows) {
      auto name = name_in(names, m.author_id);
      auto attached = std::move(files[m.id]);
      page.messages.push_back({std::move(m), std::move(name), std::move(attached)});
    }
    return page;
  });
}

namespace {
void publish_to(realtime::Broadcaster& broadcaster, const std::vector<std::string>& user_ids, std::string_view type,
                const boost::json::object& data) {
  const auto message = realtime::envelope(type, boost::json::serialize(data));
  for (const auto& id : user_ids) broadcaster.publish(realtime::user_topic(id), message);
}
}  // namespace

void ConversationService::check_send_rate(const RequestContext& ctx) {
  int retry_after = 0;
  if (ctx.user_id && !sends_.allow(ctx.school() + ":" + *ctx.user_id, ctx.now_ms(), &retry_after)) {
    throw Error(ErrorCode::too_many_requests, "You are sending messages too fast. Wait a moment and send it again.")
        .with_retry_after(retry_after);
  }
}

std::pair<MessageView, bool> ConversationService::send(const RequestContext& ctx, const std::string& conversation_id,
                                                       const std::string& raw_text,
                                                       const std::optional<std::string>& idempotency_key,
                                                       const std::vector<std::string>& attachment_ids) {
  check_send_rate(ctx);
  struct Sent {
    MessageView view;
    bool created = false;
    std::vector<std::string> members;
  };
  auto attempt = [&] {
    return deps_.db.write([&](soci::session& sql) {
      const auto c = conversation_of_member(sql, ctx, conversation_id);
      if (attachment_ids.size() > kMaxAttachmentsPerMessage) {
        throw Error::invalid("attachment_ids", "A message holds at most 5 files.");
      }
      const std::string text = attachment_ids.empty() || !json::trim(raw_text).empty() ? checked_text(raw_text) : "";
      Sent sent;
      const auto me = person_acting(sql, deps_.directory, ctx);
      if (idempotency_key) {
        if (auto earlier = repo::find_by_idempotency_key(sql, ctx.school(), *ctx.user_id, *idempotency_key)) {
          if (earlier->conversation_id != c.id || (earlier->text != text && !earlier->edited_at && !earlier->deleted_at)) {
            throw Error::conflict("This Idempotency-Key was used for another message.");
          }
          auto files = repo::attachments_of_message(sql, ctx.school(), earlier->id);
          sent.view = {std::move(*earlier), me.display_name, std::move(files)};
          return sent;
        }
      }
      const auto settings = repo::settings(sql, ctx.school());
      refuse_blocked(text, settings);
      if (c.kind == "direct") {
        // The rule holds for every message, not only the first: a student who left the class
        // no longer writes to its teacher.
        const Reach reach(sql, deps_.directory, ctx.school(), me, settings);
        for (const auto& id : repo::member_ids(sql, ctx.school(), c.id)) {
          if (id == me.id) continue;
          const auto other = deps_.directory.person(sql, ctx.school(), id);
          if (!other || !reach.allows(*other)) throw Error::forbidden("You may no longer write to this person.");
        }
      }
      const std::int64_t now = ctx.now_ms();
      Message m;
      m.id = new_id();
      m.school_id = ctx.school();
      m.conversation_id = c.id;
      m.seq = repo::next_seq(sql, ctx.school(), c.id, now);
      m.author_id = me.id;
      m.text = text;
      m.created_at = now;
      m.idempotency_key = idempotency_key;
      repo::insert_message(sql, m);
      index_message(sql, m);
      std::vector<Attachment> files;
      for (const auto& id : attachment_ids) {
        auto a = is_uuid(id) ? repo::find_attachment(sql, ctx.school(), id) : std::nullopt;
        if (!a || a->conversation_id != c.id || a->uploader_id != me.id || !repo::attach(sql, *a, m.id)) {
          throw Error::invalid("attachment_ids", "Send files you uploaded to this conversation, once each.");
        }
        a->message_id = m.id;
        files.push_back(std::move(*a));
      }
      repo::mark_read(sql, ctx.school(), c.id, me.id, m.seq, now);
      sent.members = repo::member_ids(sql, ctx.school(), c.id);
      // Whoever leaves it unread gets it in an email digest after a while.
      notifications_.message_sent(sql, ctx.school(), c.id, me.id, now);
      sent.view = {std::move(m), me.display_name, std::move(files)};
      sent.created = true;
      return sent;
    });
  };
  Sent sent;
  try {
    sent = attempt();
  } catch (const Error& error) {
    // The same key sent twice at once: the other request's message is the one.
    if (error.code() != ErrorCode::conflict || !idempotency_key) throw;
    sent = attempt();
  }
  // Committed first, then delivered: what a client is told about is never lost.
  if (sent.created) publish_to(deps_.broadcaster, sent.members, "message.created", message_json(sent.view));
  return {std::move(sent.view), sent.created};
}

namespace {
// A message its author may still change: their own, not deleted, sent less than 15 minutes ago.
void check_changeable(const RequestContext& ctx, const Message& m) {
  if (m.author_id != *ctx.user_id) throw Error::forbidden("You may only change your own messages.");
  if (m.deleted_at) throw Error::conflict("This message was deleted.");
  if (ctx.now_ms() - m.created_at > kEditWindowMs) {
    throw Error::conflict("A message can be changed for 15 minutes after it is sent.");
  }
}
}  // namespace

MessageView ConversationService::change(const RequestContext& ctx, const std::string& conversation_id,
                                        const std::string& message_id, std::string_view event,
                                        const std::function<void(soci::session&, Message&)>& apply) {
  std::vector<std::string> members;
  auto view = deps_.db.write([&](soci::session& sql) {
    const auto c = conversation_of_member(sql, ctx, conversation_id);
    auto m = message_in(sql, ctx, c, message_id, nullptr);
    check_changeable(ctx, m);
    apply(sql, m);
    members = repo::member_ids(sql, ctx.school(), c.id);
    return MessageView{m, person_acting(sql, deps_.directory, ctx).display_name,
                       repo::attachments_of_message(sql, ctx.school(), m.id)};
  });
  publish_to(deps_.broadcaster, members, event, message_json(view));
  return view;
}

MessageView ConversationService::edit(const RequestContext& ctx, const std::string& conversation_id,
                                      const std::string& message_id, const std::string& raw_text) {
  return change(ctx, conversation_id, message_id, "message.updated", [&](soci::session& sql, Message& m) {
    const std::string text = checked_text(raw_text);
    refuse_blocked(text, repo::settings(sql, ctx.school()));
    if (m.text == text) return;
    m.text = text;
    m.edited_at = ctx.now_ms();
    repo::update_message(sql, m);
    index_message(sql, m);
  });
}

MessageView ConversationService::remove(const RequestContext& ctx, const std::string& conversation_id,
                                        const std::string& message_id) {
  return change(ctx, conversation_id, message_id, "message.deleted", [&](soci::session& sql, Message& m) {
    m.text.clear();
    m.deleted_at = ctx.now_ms();
    repo::update_message(sql, m);
    index_message(sql, m);
    // A deleted message's files go with its text.
    files::Store store(deps_.files_dir);
    for (const auto& a : repo::attachments_of_message(sql, ctx.school(), m.id)) {
      repo::delete_attachment(sql, ctx.school(), a.id);
      store.remove(attachment_path(a));
    }
  });
}

Member ConversationService::read(const RequestContext& ctx, const std::string& conversation_id,
                                 const std::string& message_id) {
  std::vector<std::string> members;
  bool moved = false;
  std::string read_id;
  auto mark = deps_.db.write([&](soci::session& sql) {
    const auto c = conversation_of_member(sql, ctx, conversation_id);
    const auto m = message_in(sql, ctx, c, message_id, "message_id");
    read_id = m.id;
    moved = repo::mark_read(sql, ctx.school(), c.id, *ctx.user_id, m.seq, ctx.now_ms());
    members = repo::member_ids(sql, ctx.school(), c.id);
    return *repo::find_member(sql, ctx.school(), c.id, *ctx.user_id);
  });
  if (moved) {
    // The other members see it read (receipts); one's other tabs clear its unread count.
    publish_to(deps_.broadcaster, members, "conversation.read",
               {{"conversation_id", conversation_id},
                {"user_id", *ctx.user_id},
                {"last_read_seq", mark.last_read_seq},
                {"message_id", read_id}});
  }
  return mark;
}

void ConversationService::typing(const RequestContext& ctx, const std::string& conversation_id) {
  std::vector<std::string> others;
  std::string name;
  deps_.db.read([&](soci::session& sql) {
    const auto c = conversation_of_member(sql, ctx, conversation_id);
    name = person_acting(sql, deps_.directory, ctx).display_name;
    for (auto& id : repo::member_ids(sql, ctx.school(), c.id)) {
      if (id != *ctx.user_id) others.push_back(std::move(id));
    }
  });
  publish_to(deps_.broadcaster, others, "typing",
             {{"conversation_id", conversation_id}, {"user_id", *ctx.user_id}, {"display_name", name}});
}

std::vector<SearchHit> ConversationService::search(const RequestContext& ctx, const std::string& raw, int limit) {
  const std::string text = json::trim(raw);
  if (text.size() < 2) throw Error::invalid("q", "Search for at least 2 characters.");
  if (text.size() > 200) throw Error::invalid("q", "A search is at most 200 characters long.");
  return deps_.db.read([&](soci::session& sql) {
    person_acting(sql, deps_.directory, ctx);
    fulltext::Query query;
    query.school_id = ctx.school();
    query.kind = kMessageKind;
    query.scope_ids = repo::conversation_ids_of(sql, ctx.school(), *ctx.user_id);
    query.text = text;
    query.limit = limit;
    std::vector<std::string> ids;
    for (const auto& hit : fulltext::search(sql, query)) ids.push_back(hit.doc_id);
    auto found = repo::messages_by_ids(sql, ctx.school(), ids);
    std::set<std::string> authors;
    for (const auto& m : found) authors.insert(m.author_id);
    const auto names = names_of(sql, deps_.directory, ctx.school(), authors);
    std::vector<SearchHit> out;
    for (auto& m : found) {
      if (m.deleted_at) continue;
      auto conversation = m.conversation_id;
      auto name = name_in(names, m.author_id);
      out.push_back({{std::move(m), std::move(name)}, std::move(conversation)});
    }
    return out;
  });
}

Report ConversationService::report(const RequestContext& ctx, const std::string& conversation_id,
                                   const std::string& message_id, const std::string& raw) {
  const std::string reason = json::trim(raw);
  Report r;
  deps_.db.write([&](soci::session& sql) {
    const auto c = conversation_of_member(sql, ctx, conversation_id);
    const auto m = message_in(sql, ctx, c, message_id, nullptr);
    if (reason.empty()) throw Error::invalid("reason", "Say what is wrong with this message.");
    if (reason.size() > 1000) throw Error::invalid("reason", "A reason is at most 1000 characters long.");
    if (m.author_id == *ctx.user_id) throw Error::conflict("You cannot report your own message.");
    if (m.deleted_at) throw Error::conflict("This message was deleted.");
    r = Report{new_id(), ctx.school(), m.id, *ctx.user_id, reason, m.text, ctx.now_ms(), std::nullopt, std::nullopt};
    repo::insert_report(sql, r);
    const boost::json::object event{{"report_id", r.id}, {"message_id", m.id}, {"conversation_id", m.conversation_id},
                                    {"reporter_id", r.reporter_id}};
    jobs::publish(sql, deps_.clock, deps_.jobs, "communication.message_reported", boost::json::serialize(event),
                  ctx.school_id);
  });
  return r;
}

namespace {
std::vector<ReportView> report_views(soci::session& sql, const Dependencies& deps, const RequestContext& ctx,
                                     const std::vector<Report>& rows) {
  std::set<std::string> people;
  std::vector<ReportView> out;
  for (const auto& r : rows) {
    auto m = repo::find_message(sql, ctx.school(), r.message_id);
    if (!m) continue;
    people.insert(m->author_id);
    people.insert(r.reporter_id);
    out.push_back({r, {std::move(*m), ""}, ""});
  }
  const auto names = names_of(sql, deps.directory, ctx.school(), people);
  for (auto& v : out) {
    v.message.author_name = name_in(names, v.message.message.author_id);
    v.reporter_name = name_in(names, v.report.reporter_id);
  }
  return out;
}
}  // namespace

std::vector<ReportView> ConversationService::reports(const RequestContext& ctx, bool open_only) {
  ctx.require(Permission::school_manage);
  return deps_.db.read([&](soci::session& sql) {
    return report_views(sql, deps_, ctx, repo::reports(sql, ctx.school(), open_only, 200));
  });
}

ReportView ConversationService::report_of(const RequestContext& ctx, const std::string& report_id) {
  ctx.require(Permission::school_manage);
  return deps_.db.read([&](soci::session& sql) {
    auto r = is_uuid(report_id) ? repo::find_report(sql, ctx.school(), report_id) : std::nullopt;
    auto views = r ? report_views(sql, deps_, ctx, {*r}) : std::vector<ReportView>{};
    if (views.empty()) throw Error::not_found("No report of this school has this id.");
    return views.front();
  });
}

void ConversationService::resolve_report(const RequestContext& ctx, const std::string& report_id) {
  ctx.require(Permission::school_manage);
  deps_.db.write([&](soci::session& sql) {
    if (!is_uuid(report_id) || !repo::find_report(sql, ctx.school(), report_id)) {
      throw Error::not_found("No report of this school has this id.");
    }
    repo::resolve_report(sql, ctx.school(), report_id, *ctx.user_id, ctx.now_ms());
  });
}

namespace {
void require_own_school(const RequestContext& ctx, const std::string& school_id) {
  if (!ctx.school_id || *ctx.school_id != school_id) throw Error::not_found("No such school.");
}
}  // namespace

Settings ConversationService::settings(const RequestContext& ctx, const std::string& school_id) {
  ctx.require(Permission::users_read);  // the school's adults; students are told a rule when it applies
  require_own_school(ctx, school_id);
  return deps_.db.read([&](soci::session& sql) { return repo::settings(sql, school_id); });
}

Settings ConversationService::change_settings(const RequestContext& ctx, const std::string& school_id,
                                              const SettingsChange& change) {
  ctx.require(Permission::school_manage);
  require_own_school(ctx, school_id);
  std::vector<std::string> words;
  if (change.blocked_words) {
    if (change.blocked_words->size() > kMaxBlockedWords) {
      throw Error::invalid("blocked_words", "A school blocks at most 200 words.");
    }
    std::set<std::string> seen;
    for (const auto& raw : *change.blocked_words) {
      const auto word = json::trim(raw);
      if (word.empty()) continue;
      if (word.size() > 60) throw Error::invalid("blocked_words", "A blocked word is at most 60 characters long.");
      if (fulltext::words(word).empty()) {
        throw Error::invalid("blocked_words", "A blocked word holds at least one letter or digit.");
      }
      if (seen.insert(fulltext::fold(word)).second) words.push_back(word);
    }
  }
  return deps_.db.write([&](soci::session& sql) {
    auto s = repo::settings(sql, school_id);
    if (change.students_may_message_students) s.students_may_message_students = *change.students_may_message_students;
    if (change.blocked_words) s.blocked_words = words;
    s.updated_at = ctx.now_ms();
    repo::save_settings(sql, school_id, s);
    return s;
  });
}

void ConversationService::sync_class_channel(const std::string& school_id, const std::string& class_id) {
  deps_.db.write([&](soci::session& sql) {
    const auto klass = deps_.directory.school_class(sql, school_id, class_id);
    auto channel = repo::find_class_channel(sql, school_id, class_id);
    if (!klass) {
      if (channel) repo::delete_conversation(sql, school_id, channel->id);
      return;
    }
    const std::int64_t now = deps_.clock.now_ms();
    if (!channel) {
      channel = new_channel(school_id, "class", klass->name, now);
      channel->class_id = class_id;
      repo::insert_conversation(sql, *channel);
    }
    std::set<std::string> wanted;
    for (const auto& m : deps_.directory.class_members(sql, school_id, class_id)) wanted.insert(m.user_id);
    set_channel_members(sql, *channel, wanted, now);
  });
}

void ConversationService::sync_path_channel(const std::string& school_id, const std::string& path_id) {
  deps_.db.write([&](soci::session& sql) {
    const auto path = deps_.paths.find(sql, school_id, path_id);
    auto channel = repo::find_path_channel(sql, school_id, path_id);
    std::set<std::string> wanted;
    if (path) {
      for (auto& id : deps_.paths.people_of(sql, *path)) wanted.insert(std::move(id));
    }
    const bool reaches_students = path && path->status == "active" && wanted.size() > 1;
    if (!channel && !reaches_students) return;  // a draft's teachers have their own conversations
    if (!path) {
      repo::delete_conversation(sql, school_id, channel->id);
      return;
    }
    const std::int64_t now = deps_.clock.now_ms();
    if (!channel) {
      channel = new_channel(school_id, "path", path->title, now);
      channel->path_id = path_id;
      channel->subject_id = path->subject_id;
      repo::insert_conversation(sql, *channel);
    } else if (channel->title != path->title) {
      repo::set_title(sql, school_id, channel->id, path->title);
    }
    set_channel_members(sql, *channel, wanted, now);
  });
}

void ConversationService::forget_user(const std::string& school_id, const std::string& user_id) {
  deps_.db.write([&](soci::session& sql) {
    for (const auto& id : repo::message_ids_of(sql, school_id, user_id)) {
      if (auto m = repo::find_message(sql, school_id, id)) {
        m->text.clear();
        m->deleted_at = m->deleted_at.value_or(deps_.clock.now_ms());
        index_message(sql, *m);
      }
    }
    files::Store store(deps_.files_dir);
    for (const auto& a : repo::attachments_of_uploader(sql, school_id, user_id)) {
      repo::delete_attachment(sql, school_id, a.id);
      store.remove(attachment_path(a));
    }
    repo::forget_user(sql, school_id, user_id, deps_.clock.now_ms());
  });
}

Attachment ConversationService::upload(const RequestContext& ctx, const std::string& conversation_id,
                                       const std::string& name, const std::string& bytes) {
  check_send_rate(ctx);
  Attachment a;
  deps_.db.write([&](soci::session& sql) {
    const auto c = conversation_of_member(sql, ctx, conversation_id);
    if (bytes.empty()) throw Error::invalid("file", "The file is empty.");
    if (bytes.size() > kMaxAttachmentBytes) throw Error::invalid("file", "A file is at most 10 MB.");
    a.content_type = attachment_type(bytes, name);
    if (a.content_type.empty()) {
      throw Error::invalid("file",
                           "This kind of file is not accepted: send a picture, a PDF, an office document, a sound or "
                           "a text file.");
    }
    a.id = new_id();
    a.school_id = ctx.school();
    a.conversation_id = c.id;
    a.uploader_id = *ctx.user_id;
    a.name = attachment_name(name);
    a.size = static_cast<std::int64_t>(bytes.size());
    a.created_at = ctx.now_ms();
    // The bytes first: a row never points at a file that is not there.
    files::Store(deps_.files_dir).put(attachment_path(a), bytes);
    repo::insert_attachment(sql, a);
  });
  return a;
}

std::pair<Attachment, std::string> ConversationService::attachment(const RequestContext& ctx,
                                                                   const std::string& conversation_id,
                                                                   const std::string& attachment_id) {
  const auto a = deps_.db.read([&](soci::session& sql) {
    const auto c = conversation_of_member(sql, ctx, conversation_id);
    auto found = is_uuid(attachment_id) ? repo::find_attachment(sql, ctx.school(), attachment_id) : std::nullopt;
    // Sent, or one's own upload waiting to be sent.
    if (!found || found->conversation_id != c.id || (!found->message_id && found->uploader_id != *ctx.user_id)) {
      throw Error::not_found("No file of this conversation has this id.");
    }
    return *found;
  });
  auto bytes = files::Store(deps_.files_dir).get(attachment_path(a));
  if (!bytes) throw Error::not_found("No file of this conversation has this id.");
  return {a, std::move(*bytes)};
}

}  // namespace mnemos::communication
