#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <mutex>

namespace mnemos::db {
namespace {

constexpr int kLeaseTimeoutMs = 10'000;

// The connection this thread has leased and its statement cache (for db::prepared).
struct LeasedConnection {
  const soci::session* session = nullptr;
  detail::StatementCache* cache = nullptr;
};
thread_local LeasedConnection leased_connection;

// SQLite's defaults serialise every allocation of every connection on one global mutex (memory
// statistics) and lock each connection on each call. A pooled connection is used by one thread at
// a time, so neither is needed; under load they were most of the cost of a simple read. Must run
// before SQLite initialises, hence once, before the first connection opens.
void configure_sqlite_library() {
  static std::once_flag once;
  std::call_once(once, [] {
    using sqlite_api::sqlite3_config;  // soci-sqlite3.h wraps sqlite3.h in this namespace
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK ||
        sqlite3_config(SQLITE_CONFIG_MULTITHREAD) != SQLITE_OK) {
      spdlog::warn("SQLite was initialised before mnemos could configure it; using its defaults");
    }
  });
}

bool starts_with(const std::string& text, std::string_view prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// postgresql://user:secret@host/db -> postgresql://user:***@host/db
std::string redact(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto at = url.find('@');
  if (scheme_end == std::string::npos || at == std::string::npos) return url;
  const auto colon = url.find(':', scheme_end + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

std::string percent_decode(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// libpq key=value form, quoted, so that SOCI's own connection-string handling cannot mangle it.
std::string conninfo_value(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

// postgresql://user:password@host:port/dbname?sslmode=require -> host=... port=... dbname=...
std::string postgres_conninfo(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  std::string params;
  if (const auto q = rest.find('?'); q != std::string::npos) {
    params = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string out;
  auto add = [&](std::string_view key, std::string_view value) {
    if (value.empty()) return;
    out += std::string(key) + "=" + conninfo_value(percent_decode(value)) + " ";
  };
  std::string authority = rest.substr(0, rest.find('/'));
  const std::string dbname = rest.find('/') == std::string::npos ? "" : rest.substr(rest.find('/') + 1);
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    const std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    add("user", userinfo.substr(0, colon));
    if (colon != std::string::npos) add("password", userinfo.substr(colon + 1));
  }
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    add("host", authority.substr(0, colon));
    add("port", authority.substr(colon + 1));
  } else {
    add("host", authority);
  }
  add("dbname", dbname);
  std::size_t start = 0;
  while (start < params.size()) {
    auto end = params.find('&', start);
    if (end == std::string::npos) end = params.size();
    const std::string pair = params.substr(start, end - start);
    const auto eq = pair.find('=');
    if (eq != std::string::npos) add(pair.substr(0, eq), pair.substr(eq + 1));
    start = end + 1;
  }
  return out;
}

}  // namespace

std::unique_ptr<Database> Database::open(const std::string& url, int pool_size) {
  std::unique_ptr<Database> db(new Database());
  db->redacted_url_ = redact(url);
  if (starts_with(url, "sqlite:")) {
    db->dialect_ = Dialect::sqlite;
    configure_sqlite_library();
    std::string path = url.substr(std::string_view("sqlite:").size());
    if (starts_with(path, "//")) path = path.substr(2);
    if (path == ":memory:") {
      pool_size = 1;  // each in-memory connection would be a separate database
    } else {
      const auto parent = std::filesystem::path(path).parent_path();
      if (!parent.empty()) std::filesystem::create_directories(parent);
    }
    // SOCI's SQLite busy timeout defaults to 0: wait up to 10 s for the write lock instead.
    db->connect_string_ = "db=" + path + " timeout=10";
  } else if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
    db->dialect_ = Dialect::postgresql;
    db->connect_string_ = postgres_conninfo(url);
  } else {
    throw std::invalid_argument("MNEMOS_DATABASE_URL must start with sqlite:// or postgresql://");
  }
  db->pool_size_ = std::max(1, pool_size);
  db->pool_ = std::make_unique<soci::connection_pool>(static_cast<std::size_t>(db->pool_size_));
  db->statement_caches_.resize(static_cast<std::size_t>(db->pool_size_));
  for (int i = 0; i < db->pool_size_; ++i) {
    soci::session& session = db->pool_->at(static_cast<std::size_t>(i));
    if (db->dialect_ == Dialect::sqlite) {
      session.open(soci::sqlite3, db->connect_string_);
    } else {
      session.open(soci::postgresql, db->connect_string_);
    }
    db->configure(session);
  }
  return db;
}

Database::~Database() = default;

namespace detail {

StatementCache::Entry* StatementCache::find(std::type_index type) {
  for (auto& [key, entry] : entries_) {
    if (key == type) return entry.get();
  }
  return nullptr;
}

StatementCache::Entry& StatementCache::add(std::type_index type, std::unique_ptr<Entry> entry) {
  entries_.emplace_back(type, std::move(entry));
  return *entries_.back().second;
}

StatementCache* leased_statement_cache(const soci::session& sql) {
  return leased_connection.session == &sql ? leased_connection.cache : nullptr;
}

}  // namespace detail

void Database::configure(soci::session& session) {
  if (dialect_ == Dialect::sqlite) {
    session << "PRAGMA journal_mode=WAL";
    session << "PRAGMA foreign_keys=ON";
    // Acknowledged writes survive a power loss (ARCHITECTURE.md section 6).
    session << "PRAGMA synchronous=FULL";
    session << "PRAGMA busy_timeout=10000";
  } else {
    session << "SET TIME ZONE 'UTC'";
  }
}

void Database::ensure_connected(soci::session& session, std::size_t index) {
  if (dialect_ != Dialect::postgresql) return;
  bool connected = false;
  try {
    connected = session.is_connected();
  } catch (const std::exception&) {
    connected = false;
  }
  if (connected) return;
  statement_caches_[index].clear();  // prepared on the lost connection
  try {
    session.reconnect();
    configure(session);
    spdlog::info("database connection re-established");
  } catch (const std::exception& e) {
    throw Error(ErrorCode::unavailable,
                "The database is not reachable right now. Please try again in a moment.");
  }
}

Database::Lease::Lease(Database& db) : db_(db) {
  if (!db.pool_->try_lease(index_, kLeaseTimeoutMs)) {
    throw Error(ErrorCode::unavailable, "The server is busy. Please try again in a moment.");
  }
  session_ = &db.pool_->at(index_);
  ++db.in_use_;
  try {
    db.ensure_connected(*session_, index_);
  } catch (...) {
    --db.in_use_;
    db.pool_->give_back(index_);
    throw;
  }
  previous_session_ = leased_connection.session;
  previous_cache_ = leased_connection.cache;
  leased_connection = {session_, &db.statement_caches_[index_]};
}

Database::Lease::~Lease() {
  leased_connection = {previous_session_, previous_cache_};
  --db_.in_use_;
  db_.pool_->give_back(index_);
}

void Database::begin(soci::session& session) {
  try {
    session << (dialect_ == Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  } catch (const std::exception& e) {
    rethrow_database_error(e);
  }
}

void Database::commit(soci::session& session) { session << "COMMIT"; }

void Database::rollback(soci::session& session) noexcept {
  try {
    session << "ROLLBACK";
  } catch (...) {
    // The connection may be gone; ensure_connected repairs it on the next lease.
  }
}

bool Database::ping() {
  try {
    return read([](soci::session& sql) {
      int one = 0;
      sql << "SELECT 1", soci::into(one);
      return one == 1;
    });
  } catch (const std::exception&) {
    return false;
  }
}

std::string Database::for_update_skip_locked() const {
  return dialect_ == Dialect::postgresql ? " FOR UPDATE SKIP LOCKED" : "";
}

bool is_unique_violation(const std::exception& error) {
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    return pg->sqlstate() == "23505";
  }
  if (dynamic_cast<const soci::sqlite3_soci_error*>(&error) != nullptr) {
    return std::string_view(error.what()).find("UNIQUE constraint failed") != std::string::npos;
  }
  return false;
}

void rethrow_database_error(const std::exception& error) {
  if (const auto* known = dynamic_cast<const Error*>(&error)) throw *known;
  if (is_unique_violation(error)) throw Error::conflict("This already exists.");
  if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    const std::string state = pg->sqlstate();
    if (starts_with(state, "08") || starts_with(state, "57P") ||
        pg->get_error_category() == soci::soci_error::connection_error) {
      throw Error(ErrorCode::unavailable,
                  "The database is not reachable right now. Please try again in a moment.");
    }
  }
  if (const auto* soci_error = dynamic_cast<const soci::soci_error*>(&error)) {
    if (soci_error->get_error_category() == soci::soci_error::connection_error) {
      throw Error(ErrorCode::unavailable,
                  "The database is not reachable right now. Please try again in a moment.");
    }
  }
  if (std::current_exception()) throw;  // a bug or an unknown failure: 500
  throw std::runtime_error(error.what());
}

}  // namespace mnemos::db
