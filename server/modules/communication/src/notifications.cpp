// Notifications (notifications.hpp): recorded and mailed as each person chose, pushed live, and
// the chat's email digest.
#include <mnemos/core/broadcaster.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/mail.hpp>
#include <mnemos/core/messages.hpp>

#include "notifications.hpp"
#include "views.hpp"
#include "repository.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <set>

namespace mnemos::communication {

const std::vector<NotificationKind>& notification_kinds() {
  // A student is not mailed for every path; a chat message waiting unread is worth an email.
  static const std::vector<NotificationKind> kinds = {
      {"message", "both"},
      {"path_assigned", "in_app"},
      {"session_results", "in_app"},
      {"message_reported", "both"},
      {"appointment", "both"},
      {"class_event", "in_app"},
      {"invoice", "both"},
  };
  return kinds;
}

namespace {

bool known_kind(std::string_view kind) {
  const auto& kinds = notification_kinds();
  return std::any_of(kinds.begin(), kinds.end(), [&](const auto& k) { return kind == k.name; });
}
std::string default_channel(std::string_view kind) {
  for (const auto& k : notification_kinds()) {
    if (kind == k.name) return k.default_channel;
  }
  return "in_app";
}

// The English pattern with its {} filled in order, then put in the reader's language.
std::string written(const std::string& locale, const std::string& pattern, const std::vector<std::string>& args,
                    int count) {
  std::string english;
  std::size_t next = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern.compare(i, 2, "{}") == 0 && next < args.size()) {
      english += args[next++];
      ++i;
    } else {
      english += pattern[i];
    }
  }
  auto text = messages::translate(locale, english);
  if (const auto at = text.find("{n}"); at != std::string::npos) text.replace(at, 3, std::to_string(count));
  return text;
}

constexpr const char* kNotificationColumns = "id, kind, title, body, link, created_at, read_at";
void bind_notification(db::Prepared& prepared, Notification& n) {
  prepared, soci::into(n.id), soci::into(n.kind), soci::into(n.title), soci::into(n.body), soci::into(n.link),
      soci::into(n.created_at), soci::into(n.read_at);
}

void require_person(const RequestContext& ctx) {
  if (!ctx.user_id) throw Error::unauthorized("Please log in to continue.");
  (void)ctx.school();
}

}  // namespace

std::string NotificationService::channel_of(soci::session& sql, const std::string& user_id, const std::string& kind) {
  std::string channel;
  sql << "SELECT channel FROM communication_notification_settings WHERE user_id = :user AND kind = :kind",
      soci::use(user_id), soci::use(kind), soci::into(channel);
  return sql.got_data() ? channel : default_channel(kind);
}

std::vector<std::pair<std::string, Notification>> NotificationService::notify(
    soci::session& sql, const std::string& school_id, const std::vector<std::string>& user_ids, const Notice& notice) {
  std::vector<std::pair<std::string, Notification>> created;
  const std::int64_t now = deps_.clock.now_ms();
  for (const auto& person : deps_.directory.people(sql, school_id, user_ids)) {
    if (person.status == "disabled") continue;
    const auto channel = channel_of(sql, person.id, notice.kind);
    if (channel == "none") continue;
    const bool in_app = channel == "in_app" || channel == "both";
    const bool email = channel == "email" || channel == "both";
    // A grouped notice already there counts one more and is unread again.
    int count = 1;
    std::string existing_id;
    sql << "SELECT id, grouped FROM communication_notifications WHERE school_id = :school AND user_id = :user AND "
           "source_key = :key",
        soci::use(school_id), soci::use(person.id), soci::use(notice.source_key), soci::into(existing_id),
        soci::into(count);
    const bool exists = sql.got_data();
    if (exists && !notice.grouped) continue;  // told already (a job run again)
    if (exists) ++count;
    Notification n;
    n.id = exists ? existing_id : new_id();
    n.kind = notice.kind;
    n.title = written(person.locale, notice.title, notice.title_args, count);
    n.body = written(person.locale, notice.body, notice.body_args, count);
    n.link = notice.link;
    n.created_at = now;
    const int shown = in_app ? 1 : 0;
    if (exists) {
      sql << "UPDATE communication_notifications SET title = :title, body = :body, grouped = :count, created_at = "
             ":now, read_at = NULL, in_app = :in_app WHERE id = :id",
          soci::use(n.title), soci::use(n.body), soci::use(count), soci::use(now), soci::use(shown), soci::use(n.id);
    } else {
      sql << "INSERT INTO communication_notifications (id, school_id, user_id, kind, title, body, link, source_key, "
             "grouped, in_app, created_at) VALUES (:id, :school, :user, :kind, :title, :body, :link, :key, 1, :in_app, "
             ":now)",
          soci::use(n.id), soci::use(school_id), soci::use(person.id), soci::use(n.kind), soci::use(n.title),
          soci::use(n.body), soci::use(n.link), soci::use(notice.source_key), soci::use(shown), soci::use(now);
    }
    // A grouped notice is mailed once, when it starts: not at every session of the day.
    if (email && !exists && !person.email.empty()) {
      std::string text = n.body;
      if (n.link) text += "\n\n" + deps_.public_url + *n.link;
      mail::enqueue(sql, deps_.clock, {person.email, n.title, text, notice.attachments}, school_id);
    }
    if (in_app) created.emplace_back(person.id, std::move(n));
  }
  return created;
}

void NotificationService::push(const std::vector<std::pair<std::string, Notification>>& created) {
  for (const auto& [user, n] : created) {
    deps_.broadcaster.publish(realtime::user_topic(user),
                              realtime::envelope("notification.created", boost::json::serialize(notification_json(n))));
  }
}

NotificationPage NotificationService::list(const RequestContext& ctx, const std::optional<std::string>& cursor,
                                           int limit) {
  require_person(ctx);
  return deps_.db.read([&](soci::session& sql) {
    NotificationPage page;
    // The cursor is the last item's "created_at:id": newest first, ties by id.
    std::int64_t before_at = std::numeric_limits<std::int64_t>::max();
    std::string before_id = "~";
    if (cursor) {
      const auto colon = cursor->find(':');
      std::int64_t at = 0;
      const auto end = colon == std::string::npos ? nullptr : cursor->data() + colon;
      if (end == nullptr || std::from_chars(cursor->data(), end, at).ec != std::errc()) {
        throw Error::invalid("cursor", "This cursor is not one the server gave.");
      }
      before_at = at;
      before_id = cursor->substr(colon + 1);
    }
    page.items = db::fetch_rows<Notification>(
        sql,
        std::string("SELECT ") + kNotificationColumns + " FROM communication_notifications WHERE school_id = "
        ":school AND user_id = :user AND in_app = 1 AND (created_at < :at OR (created_at = :at2 AND id < :id)) "
        "ORDER BY created_at DESC, id DESC LIMIT :limit",
        bind_notification,
        soci::use(ctx.school()), soci::use(*ctx.user_id), soci::use(before_at), soci::use(before_at),
        soci::use(before_id), soci::use(limit + 1));
    if (page.items.size() > static_cast<std::size_t>(limit)) {
      page.items.pop_back();
      page.next_cursor = std::to_string(page.items.back().created_at) + ":" + page.items.back().id;
    }
    sql << "SELECT COUNT(*) FROM communication_notifications WHERE school_id = :school AND user_id = :user AND "
           "in_app = 1 AND read_at IS NULL",
        soci::use(ctx.school()), soci::use(*ctx.user_id), soci::into(page.unread);
    return page;
  });
}

Notification NotificationService::get(const RequestContext& ctx, const std::string& id) {
  require_person(ctx);
  return deps_.db.read([&](soci::session& sql) {
    auto rows = db::fetch_rows<Notification>(
        sql,
        std::string("SELECT ") + kNotificationColumns + " FROM communication_notifications WHERE school_id = "
        ":school AND user_id = :user AND id = :id AND in_app = 1",
        bind_notification,
        soci::use(ctx.school()), soci::use(*ctx.user_id), soci::use(id));
    if (rows.empty()) throw Error::not_found("No notification of yours has this id.");
    return rows.front();
  });
}

void NotificationService::mark_read(const RequestContext& ctx, const std::string& id) {
  require_person(ctx);
  deps_.db.write([&](soci::session& sql) {
    int found = 0;
    sql << "SELECT COUNT(*) FROM communication_notifications WHERE school_id = :school AND user_id = :user AND id = :id",
        soci::use(ctx.school()), soci::use(*ctx.user_id), soci::use(id), soci::into(found);
    if (found == 0) throw Error::not_found("No notification of yours has this id.");
    const std::int64_t now = ctx.now_ms();
    sql << "UPDATE communication_notifications SET read_at = :now WHERE id = :id AND read_at IS NULL", soci::use(now),
        soci::use(id);
  });
}

void NotificationService::mark_all_read(const RequestContext& ctx) {
  require_person(ctx);
  deps_.db.write([&](soci::session& sql) {
    const std::int64_t now = ctx.now_ms();
    sql << "UPDATE communication_notifications SET read_at = :now WHERE school_id = :school AND user_id = :user AND "
           "read_at IS NULL",
        soci::use(now), soci::use(ctx.school()), soci::use(*ctx.user_id);
  });
}

std::vector<NotificationSetting> NotificationService::settings(const RequestContext& ctx) {
  require_person(ctx);
  return deps_.db.read([&](soci::session& sql) {
    std::map<std::string, std::string> chosen;
    std::string kind, channel;
    soci::statement st = (sql.prepare << "SELECT kind, channel FROM communication_notification_settings WHERE user_id "
                                         "= :user",
                          soci::use(*ctx.user_id), soci::into(kind), soci::into(channel));
    st.execute();
    while (st.fetch()) chosen[kind] = channel;
    std::vector<NotificationSetting> out;
    for (const auto& k : notification_kinds()) {
      const auto found = chosen.find(k.name);
      out.push_back({k.name, found != chosen.end() ? found->second : k.default_channel, found != chosen.end()});
    }
    return out;
  });
}

std::vector<NotificationSetting> NotificationService::change_settings(
    const RequestContext& ctx, const std::vector<std::pair<std::string, std::string>>& choices) {
  require_person(ctx);
  Validation v;
  for (const auto& [kind, channel] : choices) {
    if (!known_kind(kind)) v.fail(kind, "No notification has this kind.");
    else if (channel != "in_app" && channel != "email" && channel != "both" && channel != "none") {
      v.fail(kind, "Choose in_app, email, both or none.");
    }
  }
  v.throw_if_failed();
  deps_.db.write([&](soci::session& sql) {
    for (const auto& [kind, channel] : choices) {
      sql << "INSERT INTO communication_notification_settings (school_id, user_id, kind, channel) VALUES (:school, "
             ":user, :kind, :channel) ON CONFLICT (user_id, kind) DO UPDATE SET channel = excluded.channel",
          soci::use(ctx.school()), soci::use(*ctx.user_id), soci::use(kind), soci::use(channel);
    }
  });
  return settings(ctx);
}

void NotificationService::message_sent(soci::session& sql, const std::string& school_id,
                                       const std::string& conversation_id, const std::string& author_id,
                                       std::int64_t now) {
  const std::int64_t due = now + static_cast<std::int64_t>(deps_.limits.digest_delay_s) * 1000;
  // One statement for every member, not one per member: a message to a channel of 500 took 84 ms
  // on PostgreSQL with a round trip each (bench/chat). RETURNING names the digests begun now.
  const auto begun = db::fetch_rows<std::string>(
      sql,
      "INSERT INTO communication_digests (user_id, school_id, since, due_at) SELECT m.user_id, :school, :since, :due "
      "FROM communication_members m WHERE m.school_id = :school2 AND m.conversation_id = :conversation AND "
      "m.user_id <> :author ON CONFLICT (user_id) DO NOTHING RETURNING user_id",
      [](db::Prepared& prepared, std::string& user) { prepared, soci::into(user); }, soci::use(school_id),
      soci::use(now), soci::use(due), soci::use(school_id), soci::use(conversation_id), soci::use(author_id));
  // One job per digest, not per message.
  for (const auto& user : begun) {
    jobs::enqueue(sql, deps_.clock, "communication.send_digest",
                  boost::json::serialize(boost::json::object{{"user_id", user}}), school_id, due);
  }
}

void NotificationService::send_digest(const std::string& school_id, const std::string& user_id) {
  deps_.db.write([&](soci::session& sql) {
    std::int64_t since = 0;
    sql << "SELECT since FROM communication_digests WHERE user_id = :user", soci::use(user_id), soci::into(since);
    if (!sql.got_data()) return;  // sent already (a job run again)
    sql << "DELETE FROM communication_digests WHERE user_id = :user", soci::use(user_id);
    const auto person = deps_.directory.person(sql, school_id, user_id);
    if (!person || person->status == "disabled" || person->email.empty()) return;
    const auto channel = channel_of(sql, user_id, "message");
    if (channel != "email" && channel != "both") return;
    // What is still unread of what came since the digest began: read online, nothing to send.
    const auto unread = repo::unread_since(sql, school_id, user_id, since, 20);
    if (unread.empty()) return;
    std::set<std::string> authors;
    for (const auto& u : unread) authors.insert(u.message.author_id);
    std::map<std::string, std::string> names;
    for (const auto& p : deps_.directory.people(sql, school_id, {authors.begin(), authors.end()})) names[p.id] = p.display_name;
    const auto& locale = person->locale;
    const std::string count = std::to_string(unread.size());
    const std::string subject = unread.size() == 1 ? messages::translate(locale, "1 new message on Mnemos")
                                                   : written(locale, "{} new messages on Mnemos", {count}, 0);
    std::string text = written(locale, "Hello {},", {person->display_name}, 0) + "\n\n";
    for (const auto& u : unread) {
      std::string excerpt = u.message.text.substr(0, 200);
      if (excerpt.size() < u.message.text.size()) excerpt += "…";
      text += "- " + names[u.message.author_id];
      if (u.conversation_title) text += " (" + *u.conversation_title + ")";
      text += " : " + excerpt + "\n";
    }
    text += "\n" + messages::translate(locale, "Read and answer them in Mnemos:") + " " + deps_.public_url + "/messages\n";
    mail::enqueue(sql, deps_.clock, {person->email, subject, text}, school_id);
  });
}

}  // namespace mnemos::communication
