#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/fulltext.hpp>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>

namespace mnemos::db {
namespace {

constexpr int kLeaseTimeoutMs = 10'000;
// How long a PostgreSQL connection that just worked is trusted without a check.
constexpr std::int64_t kTrustedIdleMs = 5'000;

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
// How long a PostgreSQL prepared statement keeps its plan: between these (see StatementCache).
constexpr std::int64_t kFirstReplanMs = 5'000;
constexpr std::int64_t kLongestPlanLifeMs = 300'000;
// Statements kept by their text on one connection at most (for_each_row).
constexpr std::size_t kMaxStatementsByText = 256;
// Writes committed together at most: bounds how long the first of a batch waits for the others.
constexpr std::size_t kMaxWritesPerCommit = 256;

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

// A prepared statement that returned a row and was not stepped to its end keeps its read
// transaction open, and with it a snapshot of the database as it was: a pooled connection would
// then miss every write committed since (by the writer's own connection), and the WAL could not be
// checkpointed past it. Every statement is reset when a connection is given back.
void reset_statements(soci::session& session) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  if (backend == nullptr || backend->conn_ == nullptr) return;
  using namespace sqlite_api;
  for (sqlite3_stmt* statement = sqlite3_next_stmt(backend->conn_, nullptr); statement != nullptr;
       statement = sqlite3_next_stmt(backend->conn_, statement)) {
    if (sqlite3_stmt_busy(statement)) sqlite3_reset(statement);
  }
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

// The single writer of an SQLite file. SQLite lets one connection write at a time; writers on
// several connections wait for the lock on the busy timeout and give the long tail (a 2.8 s
// maximum under 31 students answering at once). Here callers queue their writes; one thread runs
// every queued write in one transaction, each inside a savepoint, then commits once: one fsync
// for the batch. A caller returns (or rethrows its own error) only after that commit.
class Database::Writer {
 public:
  Writer(Database& db, soci::session& session, detail::StatementCache& cache)
      : db_(db), session_(session), cache_(cache), thread_([this] {
          pthread_setname_np(pthread_self(), "mnemos-writer");
          loop();
        }) {}

  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();  // the queued writes are committed first: shutdown drains
  }

  bool on_writer_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

  void submit(WriteWork work) {
    Request request{work, {}};
    auto done = request.promise.get_future();
    {
      std::lock_guard lock(mutex_);
      if (stopping_) throw Error(ErrorCode::unavailable, "The server is shutting down.");
      queue_.push_back(&request);
    }
    wake_.notify_one();
    done.get();  // rethrows the write's own error, or the commit's
  }

  // A write from inside a write (the writer's own thread): part of the running transaction.
  void run_nested(WriteWork work) {
    session_ << "SAVEPOINT mnemos_nested";
    try {
      work.call(work.context, session_);
    } catch (...) {
      session_ << "ROLLBACK TO mnemos_nested";
      session_ << "RELEASE mnemos_nested";
      throw;
    }
    session_ << "RELEASE mnemos_nested";
  }

 private:
  struct Request {
    WriteWork work;
    std::promise<void> promise;
  };

  void loop() {
    leased_connection = {&session_, &cache_};
    std::vector<Request*> batch;
    while (true) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        while (!queue_.empty() && batch.size() < kMaxWritesPerCommit) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      commit_batch(batch);
      reset_statements(session_);
      batch.clear();
    }
  }

  void commit_batch(const std::vector<Request*>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    try {
      db_.begin(session_);
    } catch (...) {
      for (auto* request : batch) request->promise.set_exception(std::current_exception());
      return;
    }
    bool transaction_lost = false;
    for (std::size_t i = 0; i < batch.size() && !transaction_lost; ++i) {
      session_ << "SAVEPOINT mnemos_write";
      try {
        batch[i]->work.call(batch[i]->work.context, session_);
        session_ << "RELEASE mnemos_write";
      } catch (...) {
        errors[i] = std::current_exception();
        try {
          session_ << "ROLLBACK TO mnemos_write";
          session_ << "RELEASE mnemos_write";
        } catch (...) {
          // SQLite rolled the whole transaction back (disk full, I/O error): the writes before
          // this one are gone too, so none of the batch may be acknowledged.
          transaction_lost = true;
        }
      }
    }
    std::exception_ptr failure;
    if (transaction_lost) {
      db_.rollback(session_);
      failure = std::make_exception_ptr(
          Error(ErrorCode::unavailable, "The database could not save this. Please try again in a moment."));
    } else {
      try {
        db_.commit(session_);
      } catch (...) {
        failure = std::current_exception();
        db_.rollback(session_);
      }
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (errors[i]) {
        batch[i]->promise.set_exception(errors[i]);
      } else if (failure) {
        batch[i]->promise.set_exception(failure);
      } else {
        batch[i]->promise.set_value();
      }
    }
  }

  Database& db_;
  soci::session& session_;
  detail::StatementCache& cache_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Request*> queue_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once the rest is built
};

Database::Database() = default;

void Database::run_write(WriteWork work, bool one_statement) {
  if (writer_) {
    try {
      if (writer_->on_writer_thread()) {
        writer_->run_nested(work);
      } else {
        writer_->submit(work);
      }
    } catch (const soci::soci_error& e) {
      rethrow_database_error(e);
    }
    return;
  }
  Lease lease(*this);
  if (one_statement) {
    try {
      work.call(work.context, lease.session());  // autocommit: the statement is its own transaction
    } catch (const soci::soci_error& e) {
      rethrow_database_error(e);
    }
    return;
  }
  begin(lease.session());
  try {
    work.call(work.context, lease.session());
    commit(lease.session());
  } catch (const soci::soci_error& e) {
    rollback(lease.session());
    rethrow_database_error(e);
  } catch (...) {
    rollback(lease.session());
    throw;
  }
}

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
  // PostgreSQL plans a prepared statement for the tables as they were: prepared again from time
  // to time, a statement's plan follows a table that grows (see StatementCache).
  for (int i = 0; i < db->pool_size_; ++i) db->statement_caches_.emplace_back(db->dialect_ == Dialect::postgresql);
  db->health_.resize(static_cast<std::size_t>(db->pool_size_));
  for (int i = 0; i < db->pool_size_; ++i) {
    soci::session& session = db->pool_->at(static_cast<std::size_t>(i));
    if (db->dialect_ == Dialect::sqlite) {
      session.open(soci::sqlite3, db->connect_string_);
    } else {
      session.open(soci::postgresql, db->connect_string_);
    }
    db->configure(session);
  }
  if (db->dialect_ == Dialect::sqlite && db->pool_size_ > 1) {
    // The pool keeps its connections for reads; the writer has its own (not for :memory:, where
    // each connection would be a separate database).
    db->writer_session_ = std::make_unique<soci::session>(soci::sqlite3, db->connect_string_);
    db->configure(*db->writer_session_);
    db->writer_ = std::make_unique<Writer>(*db, *db->writer_session_, db->writer_statements_);
  }
  return db;
}

Database::~Database() = default;

namespace detail {

StatementCache::StatementCache(bool replan) : replan_(replan), created_at_ms_(steady_ms()) {}

bool StatementCache::due_for_replan(const Entry& entry) const {
  return entry.replan_at_ms != 0 && steady_ms() >= entry.replan_at_ms;
}

void StatementCache::stamp(Entry& entry) const {
  const std::int64_t now = steady_ms();
  entry.prepared_at_ms = now;
  if (replan_) entry.replan_at_ms = now + std::clamp(now - created_at_ms_, kFirstReplanMs, kLongestPlanLifeMs);
}

StatementCache::Entry* StatementCache::find(std::type_index type) {
  for (auto it = entries_.begin(); it != entries_.end(); ++it) {
    if (it->first != type) continue;
    if (due_for_replan(*it->second)) {
      entries_.erase(it);  // deallocated here, prepared again (and planned afresh) by the caller
      return nullptr;
    }
    return it->second.get();
  }
  return nullptr;
}

StatementCache::Entry& StatementCache::add(std::type_index type, std::unique_ptr<Entry> entry) {
  stamp(*entry);
  entries_.emplace_back(type, std::move(entry));
  return *entries_.back().second;
}

namespace {
std::string text_key(std::type_index type, const std::string& text) { return std::string(type.name()) + '\n' + text; }
}  // namespace

StatementCache::Entry* StatementCache::find(std::type_index type, const std::string& text) {
  const auto it = by_text_.find(text_key(type, text));
  if (it == by_text_.end()) return nullptr;
  if (due_for_replan(*it->second)) {
    by_text_.erase(it);
    return nullptr;
  }
  return it->second.get();
}

StatementCache::Entry& StatementCache::add(std::type_index type, const std::string& text, std::unique_ptr<Entry> entry) {
  // Query texts are a fixed set in the code; one built with values in it would fill the cache.
  if (by_text_.size() >= kMaxStatementsByText) by_text_.clear();
  stamp(*entry);
  auto& slot = by_text_[text_key(type, text)];
  slot = std::move(entry);
  return *slot;
}

StatementCache* leased_statement_cache(const soci::session& sql) {
  return leased_connection.session == &sql ? leased_connection.cache : nullptr;
}

}  // namespace detail

void Database::configure(soci::session& session) {
  if (dialect_ == Dialect::sqlite) {
    // The busy timeout first: switching to WAL takes a lock, and a second process starting at the
    // same moment (say, migrating) would otherwise fail at once with "database is locked".
    session << "PRAGMA busy_timeout=10000";
    session << "PRAGMA journal_mode=WAL";
    session << "PRAGMA foreign_keys=ON";
    // Acknowledged writes survive a power loss (docs/architecture.md, "Storage").
    session << "PRAGMA synchronous=FULL";
    // Savepoints' statement journals and sorts stay in memory instead of temporary files.
    session << "PRAGMA temp_store=MEMORY";
    // The full-text tables' tokenizer lives in this process (fulltext.hpp).
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
    fulltext::detail::register_sqlite_tokenizer(static_cast<void*>(backend->conn_));
  } else {
    session << "SET TIME ZONE 'UTC'";
    // A prepared statement is planned once, for any inputs (and again as it ages: StatementCache):
    // left to choose, PostgreSQL planned some of the start of a session afresh at every call
    // (0.3 ms for the student's classes) when its generic plan did not look cheaper.
    session << "SET plan_cache_mode = force_generic_plan";
  }
}

void Database::ensure_connected(soci::session& session, std::size_t index) {
  if (dialect_ != Dialect::postgresql) return;
  // A connection that answered within the last seconds, with no failure anywhere since, is taken
  // as it is: the check is a round trip, two per answer under load.
  auto& health = health_[index];
  const std::int64_t now = steady_ms();
  if (health.epoch == health_epoch_.load() && now - health.last_ok_ms < kTrustedIdleMs) return;
  bool connected = false;
  try {
    connected = session.is_connected();
  } catch (const std::exception&) {
    connected = false;
  }
  if (connected) {
    health.epoch = health_epoch_.load();
    health.last_ok_ms = now;
    return;
  }
  health_epoch_.fetch_add(1);  // the others were probably cut too
  statement_caches_[index].clear();  // prepared on the lost connection
  try {
    session.reconnect();
    configure(session);
    health.epoch = health_epoch_.load();
    health.last_ok_ms = steady_ms();
    spdlog::info("database connection re-established");
  } catch (const std::exception& e) {
    throw Error(ErrorCode::unavailable,
                "The database is not reachable right now. Please try again in a moment.");
  }
}

Database::Lease::Lease(Database& db) : db_(db), exceptions_at_lease_(std::uncaught_exceptions()) {
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
  if (db_.dialect_ == Dialect::sqlite) reset_statements(*session_);
  if (db_.dialect_ == Dialect::postgresql) {
    if (std::uncaught_exceptions() > exceptions_at_lease_) {
      // Perhaps the connection failed (a restart): every connection is checked on its next lease.
      db_.health_epoch_.fetch_add(1);
    } else {
      db_.health_[index_].last_ok_ms = steady_ms();
    }
  }
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

void Database::begin_read(soci::session& session) {
  if (dialect_ == Dialect::sqlite) session << "BEGIN";
}

void Database::end_read(soci::session& session) noexcept {
  if (dialect_ != Dialect::sqlite) return;
  reset_statements(session);  // a statement left mid-way would keep the transaction open
  try {
    session << "COMMIT";
  } catch (...) {
    rollback(session);
  }
}

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

std::string in_list(soci::session& sql, const std::string& column, const std::string& param) {
  if (sql.get_backend_name() == "sqlite3") return column + " IN (SELECT value FROM json_each(:" + param + "))";
  return column + " = ANY (ARRAY(SELECT json_array_elements_text(CAST(:" + param + " AS json))))";
}

std::string json_list(const std::vector<std::string>& ids) {
  boost::json::array array;
  for (const auto& id : ids) array.emplace_back(id);
  return boost::json::serialize(array);
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
