#include <mnemos/core/db.hpp>
#include <mnemos/core/files.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/core/mail.hpp>

#include <curl/curl.h>
#include <sodium.h>
#include <spdlog/spdlog.h>

#include <algorithm>
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
    std::string body = message.text;
    for (const auto& a : message.attachments) body += "\n[" + a.filename + ", " + a.content_type + "]";
    db_.write([&](soci::session& sql) {
      const std::string id = new_id();
      const std::int64_t at = now_ms();
      sql << "INSERT INTO core_mail_log (id, recipient, subject, body, created_at) VALUES (:id, "
             ":to, :subject, :body, :at)",
          soci::use(id), soci::use(message.to), soci::use(message.subject),
          soci::use(body), soci::use(at);
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

// Base64 in lines of 76 characters (RFC 2045).
std::string base64_lines(std::string_view bytes) {
  std::string encoded(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::strlen(encoded.c_str()));
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) out += encoded.substr(i, 76) + "\r\n";
  return out;
}

// A header value in RFC 2047 UTF-8 base64 when it is not plain ASCII.
std::string encoded_word(std::string_view text) {
  const std::string value = header_value(text);
  const bool ascii = std::all_of(value.begin(), value.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return value;
  std::string b64 = base64_lines(value);
  std::erase(b64, '\r');
  std::erase(b64, '\n');
  return "=?UTF-8?B?" + b64 + "?=";
}

class SmtpMailer final : public Mailer {
 public:
  SmtpMailer(std::string url, std::string from, std::string files_dir)
      : url_(std::move(url)), from_(std::move(from)), files_dir_(std::move(files_dir)) {}

  void send(const Message& message) override {
    CURL* curl = curl_easy_init();
    if (curl == nullptr) throw std::runtime_error("curl could not be initialised");
    const std::string payload = mime_message(from_, message, files_dir_);
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
  std::string files_dir_;
};

}  // namespace

std::string mime_message(const std::string& from, const Message& message, const std::string& files_dir) {
  std::string out = "From: " + header_value(from) + "\r\nTo: " + header_value(message.to) +
                    "\r\nSubject: " + encoded_word(message.subject) + "\r\nMIME-Version: 1.0\r\n";
  if (message.attachments.empty()) {
    return out + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + message.text + "\r\n";
  }
  const std::string boundary = "mnemos-" + new_id();
  out += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "--" + boundary + "\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + message.text + "\r\n";
  const files::Store store(files_dir);
  for (const auto& a : message.attachments) {
    const auto bytes = store.get(a.file);
    // Retried by the job: a file not there yet (or gone) is an error, not a message without it.
    if (!bytes) throw std::runtime_error("mail: the attachment " + a.filename + " is not in the files store");
    std::string name = header_value(a.filename);
    std::erase(name, '"');
    out += "--" + boundary + "\r\nContent-Type: " + header_value(a.content_type) + "; name=\"" + name +
           "\"\r\nContent-Disposition: attachment; filename=\"" + name +
           "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64_lines(*bytes);
  }
  return out + "--" + boundary + "--\r\n";
}

std::unique_ptr<Mailer> make_log_mailer(db::Database& db) { return std::make_unique<LogMailer>(db); }

std::unique_ptr<Mailer> make_smtp_mailer(std::string url, std::string from, std::string files_dir) {
  return std::make_unique<SmtpMailer>(std::move(url), std::move(from), std::move(files_dir));
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
  boost::json::array attachments;
  for (const auto& a : message.attachments) {
    attachments.push_back(boost::json::object{{"filename", a.filename}, {"content_type", a.content_type}, {"file", a.file}});
  }
  const boost::json::object payload{{"to", message.to},
                                    {"subject", message.subject},
                                    {"text", message.text},
                                    {"attachments", std::move(attachments)}};
  jobs::enqueue(sql, clock, "mail.send", json::serialize(payload), school_id);
}

void register_jobs(jobs::Registry& registry, Mailer& mailer) {
  registry.handle(
      "mail.send",
      [&mailer](const jobs::Job& job) {
        const auto value = json::parse(job.payload);
        const auto& object = value.as_object();
        Message message{std::string(object.at("to").as_string()), std::string(object.at("subject").as_string()),
                        std::string(object.at("text").as_string()), {}};
        if (const auto* attachments = object.if_contains("attachments"); attachments != nullptr && attachments->is_array()) {
          for (const auto& a : attachments->as_array()) {
            const auto& o = a.as_object();
            message.attachments.push_back({std::string(o.at("filename").as_string()),
                                           std::string(o.at("content_type").as_string()),
                                           std::string(o.at("file").as_string())});
          }
        }
        mailer.send(message);
      },
      8, /*sensitive=*/true);
}

}  // namespace mnemos::mail
