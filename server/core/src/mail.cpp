#include <mnemos/core/db.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/mail.hpp>

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstring>
#include <stdexcept>

namespace mnemos::mail {
namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class LogMailer final : public Mailer {
 public:
  explicit LogMailer(db::Database& db) : db_(db) {}
  void send(const Message& message) override {
    db_.write([&](soci::session& sql) {
      const std::string id = new_id();
      const std::int64_t at = now_ms();
      sql << "INSERT INTO core_mail_log (id, recipient, subject, body, created_at) VALUES (:id, "
             ":to, :subject, :body, :at)",
          soci::use(id), soci::use(message.to), soci::use(message.subject),
          soci::use(message.text), soci::use(at);
    });
    spdlog::info("mail kept in the mail log (no SMTP configured): \"{}\" to a recipient",
                 message.subject);
  }

 private:
  db::Database& db_;
};

// Strips CR and LF so a header value cannot inject another header.
std::string header_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  return out;
}

std::string address_of(const std::string& from) {
  const auto open = from.find('<');
  const auto close = from.find('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return from.substr(open, close - open + 1);
  }
  return "<" + from + ">";
}

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(std::string url, std::string from) : url_(std::move(url)), from_(std::move(from)) {}

  void send(const Message& message) override {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) throw std::runtime_error("curl could not be initialised");
    const std::string payload = "From: " + header_value(from_) + "\r\nTo: " +
                                header_value(message.to) + "\r\nSubject: " +
                                header_value(message.subject) +
                                "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
                                message.text + "\r\n";
    struct Reader {
      const std::string* data;
      std::size_t offset = 0;
    } reader{&payload};
    curl_slist* recipients = curl_slist_append(nullptr, ("<" + header_value(message.to) + ">").c_str());
    const std::string from_address = address_of(from_);
    curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from_address.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_READDATA, &reader);
    curl_easy_setopt(
        curl, CURLOPT_READFUNCTION, +[](char* buffer, size_t size, size_t count, void* user) {
          auto* r = static_cast<Reader*>(user);
          const std::size_t n = std::min(size * count, r->data->size() - r->offset);
          std::memcpy(buffer, r->data->data() + r->offset, n);
          r->offset += n;
          return n;
        });
    const CURLcode result = curl_easy_perform(curl);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (result != CURLE_OK) {
      throw std::runtime_error(std::string("SMTP delivery failed: ") + curl_easy_strerror(result));
    }
  }

 private:
  std::string url_;
  std::string from_;
};

}  // namespace

std::unique_ptr<Mailer> make_log_mailer(db::Database& db) { return std::make_unique<LogMailer>(db); }

std::unique_ptr<Mailer> make_smtp_mailer(std::string url, std::string from) {
  return std::make_unique<SmtpMailer>(std::move(url), std::move(from));
}

std::vector<StoredMessage> recent(db::Database& db, const std::string& recipient,
                                  const std::string& before_id, int limit) {
  return db.read([&](soci::session& sql) {
    std::vector<StoredMessage> messages;
    StoredMessage m;
    const std::string before = before_id.empty() ? "~" : before_id;  // '~' sorts after any id
    soci::statement st =
        (sql.prepare << "SELECT id, recipient, subject, body, created_at FROM core_mail_log WHERE "
                        "(:to = '' OR recipient = :to2) AND id < :before ORDER BY id DESC LIMIT :n",
         soci::use(recipient), soci::use(recipient), soci::use(before), soci::use(limit),
         soci::into(m.id), soci::into(m.to), soci::into(m.subject), soci::into(m.text),
         soci::into(m.created_at));
    st.execute();
    while (st.fetch()) messages.push_back(m);
    return messages;
  });
}

void forget(soci::session& sql, const std::string& recipient) {
  sql << "DELETE FROM core_mail_log WHERE recipient = :to", soci::use(recipient);
}

void enqueue(soci::session& sql, const Clock& clock, const Message& message,
             const std::optional<std::string>& school_id) {
  const boost::json::object payload{
      {"to", message.to}, {"subject", message.subject}, {"text", message.text}};
  jobs::enqueue(sql, clock, "mail.send", json::serialize(payload), school_id);
}

void register_jobs(jobs::Registry& registry, Mailer& mailer) {
  registry.handle(
      "mail.send",
      [&mailer](const jobs::Job& job) {
        const auto value = json::parse(job.payload);
        const auto& object = value.as_object();
        mailer.send(Message{std::string(object.at("to").as_string()),
                            std::string(object.at("subject").as_string()),
                            std::string(object.at("text").as_string())});
      },
      8, /*sensitive=*/true);
}

}  // namespace mnemos::mail
