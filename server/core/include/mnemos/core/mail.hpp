#pragma once
#include <memory>
#include <string>

#include <mnemos/core/clock.hpp>

#include <optional>
#include <vector>

namespace soci {
class session;
}
namespace mnemos::db {
class Database;
}
namespace mnemos::jobs {
class Registry;
}

namespace mnemos::mail {

// A file sent with a message, named by its path in the files store (MNEMOS_FILES_DIR): the queued
// job carries the path, not the bytes, which are read when the message goes out.
struct Attachment {
  std::string filename;      // as the recipient sees it
  std::string content_type;  // application/pdf
  std::string file;          // relative path in the files store
};

struct Message {
  std::string to;
  std::string subject;
  std::string text;
  std::vector<Attachment> attachments;
};

// Where mail goes. Services never call it directly: they enqueue a "mail.send" job
// (mnemos::mail::enqueue) so a failed delivery is retried and nothing is lost.
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual void send(const Message& message) = 0;
};

// Default: keeps every message in core_mail_log (readable by a platform admin), its attachments
// named at the end of its text, and logs its subject and recipient (never its body: it can hold a
// reset link).
std::unique_ptr<Mailer> make_log_mailer(db::Database& db);
// SMTP through libcurl, for MNEMOS_SMTP_URL (smtp://user:pass@host:587 or smtps://...); attachments
// read from `files_dir` and sent as multipart/mixed.
std::unique_ptr<Mailer> make_smtp_mailer(std::string url, std::string from, std::string files_dir);
// The message as SMTP sends it (RFC 5322 headers, MIME parts for attachments), for tests.
std::string mime_message(const std::string& from, const Message& message, const std::string& files_dir);

struct StoredMessage {
  std::string id, to, subject, text;
  std::int64_t created_at = 0;
};
// The mail log, newest first: messages to `recipient` (all when empty) older than `before_id`.
std::vector<StoredMessage> recent(db::Database& db, const std::string& recipient,
                                  const std::string& before_id, int limit);

// Erases every logged message to `recipient`, in the caller's transaction (personal data deletion).
void forget(soci::session& sql, const std::string& recipient);

// Queues `message` for delivery in the caller's transaction (job "mail.send").
void enqueue(soci::session& sql, const Clock& clock, const Message& message,
             const std::optional<std::string>& school_id);
// Registers the "mail.send" job handler that hands queued messages to `mailer`.
void register_jobs(jobs::Registry& registry, Mailer& mailer);

}  // namespace mnemos::mail
