#pragma once
// The storage seam: a SOCI connection pool over SQLite or PostgreSQL, transactions with the right
// locking on each, reconnection after a PostgreSQL restart, and the few dialect differences.
// Included by repositories (module src/) only, never by a module's public interface.
#include <soci/soci.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <typeindex>
#include <unordered_map>
#include <utility>
#include <vector>

// Lets SOCI bind std::optional as a nullable value (SOCI 4.0 only knows boost::optional).
namespace soci {
template <typename T>
struct type_conversion<std::optional<T>> {
  using base_type = typename type_conversion<T>::base_type;
  static void from_base(const base_type& in, indicator ind, std::optional<T>& out) {
    if (ind == i_null) {
      out.reset();
    } else {
      T value{};
      type_conversion<T>::from_base(in, ind, value);
      out = std::move(value);
    }
  }
  static void to_base(const std::optional<T>& in, base_type& out, indicator& ind) {
    if (in) {
      type_conversion<T>::to_base(*in, out, ind);
    } else {
      ind = i_null;
    }
  }
};
}  // namespace soci

namespace mnemos::db {

// Converts a database failure into the right Error: connection loss -> unavailable (503),
// unique violation -> conflict. Anything else is rethrown as-is (a bug: 500).
// Call it only from inside a catch block.
[[noreturn]] void rethrow_database_error(const std::exception& error);
bool is_unique_violation(const std::exception& error);

enum class Dialect { sqlite, postgresql };

// A list of ids bound as one parameter: `column IN (the ids)` for the connection's dialect, with the
// ids as a JSON array bound to `:param` (one statement, whatever the number of ids).
std::string in_list(soci::session& sql, const std::string& column, const std::string& param);
std::string json_list(const std::vector<std::string>& ids);

namespace detail {
// The statements prepared on one pooled connection, by query type (see `prepared`).
// PostgreSQL keeps the plan it chose for a prepared statement until the table's statistics
// change, and a plan made while a table was nearly empty (a sequential scan of the students'
// cards, chosen in the first seconds of a new database) stayed while the table grew by thousands
// of rows a second. With `replan` on, a statement is prepared again, and so planned for the
// tables as they are, once it is as old as the cache was when it was prepared: after 5 s, 10 s,
// 20 s... at most every 5 minutes.
class StatementCache {
 public:
  struct Entry {
    virtual ~Entry() = default;
    std::int64_t prepared_at_ms = 0;
    std::int64_t replan_at_ms = 0;  // 0: never
  };
  explicit StatementCache(bool replan = false);
  Entry* find(std::type_index type);
  Entry& add(std::type_index type, std::unique_ptr<Entry> entry);
  // By query text too (for_each_row): the same text bound to the same types.
  Entry* find(std::type_index type, const std::string& text);
  Entry& add(std::type_index type, const std::string& text, std::unique_ptr<Entry> entry);
  void clear() {
    entries_.clear();
    by_text_.clear();
  }

 private:
  bool due_for_replan(const Entry& entry) const;
  void stamp(Entry& entry) const;

  bool replan_;
  std::int64_t created_at_ms_;
  std::vector<std::pair<std::type_index, std::unique_ptr<Entry>>> entries_;
  std::unordered_map<std::string, std::unique_ptr<Entry>> by_text_;
};
// The cache of the connection the calling thread has leased, if `sql` is that connection.
StatementCache* leased_statement_cache(const soci::session& sql);

template <typename Query>
struct CachedQuery final : StatementCache::Entry {
  explicit CachedQuery(soci::session& sql) : query(sql) {}
  Query query;
};
}  // namespace detail

// A query prepared once per pooled connection and reused: parsing and planning were most of the
// cost of a simple read. `Query` owns its bound variables and a soci::statement built from them in
// `Query(soci::session&)`; callers set the inputs, execute and fetch. Only for hot paths: a
// statement stays prepared for the life of the connection (it is dropped on reconnect).
template <typename Query>
Query& prepared(soci::session& sql) {
  detail::StatementCache* cache = detail::leased_statement_cache(sql);
  if (cache == nullptr) throw std::logic_error("db::prepared needs a session leased from Database");
  if (auto* entry = cache->find(typeid(Query))) {
    return static_cast<detail::CachedQuery<Query>*>(entry)->query;
  }
  auto& entry = cache->add(typeid(Query), std::make_unique<detail::CachedQuery<Query>>(sql));
  return static_cast<detail::CachedQuery<Query>&>(entry).query;
}

// A query with its inputs, before its statement is made: outputs are added to it with the comma
// operator (`prepared, soci::into(row.id), ...`).
using Prepared = soci::details::prepare_temp_type;

namespace detail {
// An input given as `soci::use(value)`: its value can be copied into a statement kept prepared.
template <typename Use>
struct PlainUse : std::false_type {};
template <typename T>
struct PlainUse<soci::details::use_container<T, soci::details::no_indicator>> : std::true_type {
  using value_type = std::remove_const_t<T>;
};

// A for_each_row statement kept on its connection, with the row and the inputs it is bound to.
template <typename Row, typename... Values>
struct CachedRows final : StatementCache::Entry {
  Row row{};
  std::tuple<Values...> values;
  std::unique_ptr<soci::statement> statement;
  bool running = false;  // an on_row running the same query again gets a statement of its own
};
}  // namespace detail

// Runs `query` with its inputs (`soci::use(...)`), binds each row's columns with
// `bind(prepared, row)` and calls `on_row(row)` once per row fetched. On a pooled connection the
// statement is kept prepared, by its text, and reused: on PostgreSQL a statement made and dropped
// costs three round trips (prepare, execute, deallocate) and a plan; a kept one, one round trip.
template <typename Row, typename Bind, typename OnRow, typename... Uses>
void for_each_row(soci::session& sql, const std::string& query, Bind&& bind, OnRow&& on_row, Uses&&... uses) {
  if constexpr ((detail::PlainUse<std::decay_t<Uses>>::value && ...) && std::is_default_constructible_v<Row>) {
    if (detail::StatementCache* cache = detail::leased_statement_cache(sql)) {
      using Entry = detail::CachedRows<Row, typename detail::PlainUse<std::decay_t<Uses>>::value_type...>;
      auto* entry = static_cast<Entry*>(cache->find(typeid(Entry), query));
      if (entry == nullptr) {
        auto made = std::make_unique<Entry>();
        Prepared prepared = (sql.prepare << query);
        if constexpr (sizeof...(Uses) > 0) {
          std::apply([&](auto&... values) { (prepared, ..., soci::use(values)); }, made->values);
        }
        bind(prepared, made->row);
        made->statement = std::make_unique<soci::statement>(prepared);
        entry = static_cast<Entry*>(&cache->add(typeid(Entry), query, std::move(made)));
      }
      if (!entry->running) {
        entry->running = true;
        struct Done {
          bool& running;
          ~Done() { running = false; }
        } done{entry->running};
        entry->values = std::tuple<typename detail::PlainUse<std::decay_t<Uses>>::value_type...>(uses.t...);
        entry->row = Row{};
        if (entry->statement->execute(true)) {
          do {
            on_row(entry->row);
          } while (entry->statement->fetch());
        }
        return;
      }
    }
  }
  Row row{};
  Prepared prepared = (sql.prepare << query);
  if constexpr (sizeof...(Uses) > 0) (prepared, ..., std::forward<Uses>(uses));
  bind(prepared, row);
  soci::statement statement(prepared);
  statement.execute();
  while (statement.fetch()) on_row(row);
}

// The rows of `query`, each bound with `bind(prepared, row)`.
template <typename Row, typename Bind, typename... Uses>
std::vector<Row> fetch_rows(soci::session& sql, const std::string& query, Bind&& bind, Uses&&... uses) {
  std::vector<Row> rows;
  for_each_row<Row>(sql, query, std::forward<Bind>(bind), [&](const Row& row) { rows.push_back(row); },
                    std::forward<Uses>(uses)...);
  return rows;
}

class Database {
 public:
  // `url`: sqlite://relative/or/absolute/path.db, sqlite::memory: or postgresql://user@host/db...
  static std::unique_ptr<Database> open(const std::string& url, int pool_size);
  ~Database();

  Dialect dialect() const { return dialect_; }
  const std::string& url_for_logs() const { return redacted_url_; }

  // Runs `work` with a pooled session (reads). On SQLite inside one read transaction: one
  // snapshot for all its queries, and one check of the page cache against the writes committed
  // since (a connection's cache is emptied whenever the file changed, and is kept for the whole
  // transaction instead of being re-validated at each query).
  template <typename F>
  auto read(F&& work) {
    Lease lease(*this);
    begin_read(lease.session());
    try {
      if constexpr (std::is_void_v<decltype(work(lease.session()))>) {
        work(lease.session());
        end_read(lease.session());
      } else {
        auto result = work(lease.session());
        end_read(lease.session());
        return result;
      }
    } catch (const soci::soci_error& e) {
      end_read(lease.session());
      rethrow_database_error(e);
    } catch (...) {
      end_read(lease.session());
      throw;
    }
  }
  // Runs `work` in a write transaction, committed when it returns, rolled back if it throws; the
  // call returns only once the commit is durable. On an SQLite file every write goes through one
  // writer thread and connection, which commits the writes queued meanwhile together (group
  // commit), each in its own savepoint so that one that throws undoes only itself
  // (docs/decisions/0008-one-sqlite-writer-and-group-commit.md). On PostgreSQL, each write takes
  // a pooled connection and its own transaction; the server groups concurrent commits itself.
  template <typename F>
  auto write(F&& work) {
    using Result = decltype(work(std::declval<soci::session&>()));
    if constexpr (std::is_void_v<Result>) {
      run_write(WriteWork::of(work));
    } else {
      std::optional<Result> result;
      auto store = [&](soci::session& sql) { result.emplace(work(sql)); };
      run_write(WriteWork::of(store));
      return std::move(*result);
    }
  }

  // A write of exactly one statement (the caller's promise). On PostgreSQL it runs alone, without
  // BEGIN and COMMIT around it: one statement is atomic by itself and committed, durably, when it
  // returns; two round trips fewer. On SQLite it is a write like any other (the writer's group
  // commit).
  template <typename F>
  auto write_one_statement(F&& work) {
    using Result = decltype(work(std::declval<soci::session&>()));
    if constexpr (std::is_void_v<Result>) {
      run_write(WriteWork::of(work), true);
    } else {
      std::optional<Result> result;
      auto store = [&](soci::session& sql) { result.emplace(work(sql)); };
      run_write(WriteWork::of(store), true);
      return std::move(*result);
    }
  }

  // True when a trivial query succeeds.
  bool ping();
  // Connections in use / pool size, for /metrics.
  int in_use() const { return in_use_.load(); }
  int pool_size() const { return pool_size_; }

  // Dialect helpers for the few places SQL differs.
  // `INSERT ... ON CONFLICT (cols) DO NOTHING` works on both; these cover the rest.
  std::string for_update_skip_locked() const;  // "" on SQLite

 private:
  class Lease {
   public:
    explicit Lease(Database& db);
    ~Lease();
    soci::session& session() { return *session_; }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    Database& db_;
    std::size_t index_;
    soci::session* session_;
    int exceptions_at_lease_;
    // What this thread had leased before (leases nest only in tests); restored on release.
    const soci::session* previous_session_;
    detail::StatementCache* previous_cache_;
  };

  // A write transaction's body, type-erased without allocating (it lives on the caller's stack
  // until run_write returns).
  struct WriteWork {
    void (*call)(void* context, soci::session& sql);
    void* context;
    template <typename F>
    static WriteWork of(F& work) {
      return {[](void* context, soci::session& sql) { (*static_cast<F*>(context))(sql); }, &work};
    }
  };
  class Writer;

  Database();
  void run_write(WriteWork work, bool one_statement = false);
  void begin(soci::session& session);
  void commit(soci::session& session);
  void begin_read(soci::session& session);
  void end_read(soci::session& session) noexcept;
  void rollback(soci::session& session) noexcept;
  void configure(soci::session& session);
  void ensure_connected(soci::session& session, std::size_t index);

  Dialect dialect_ = Dialect::sqlite;
  std::string connect_string_;
  std::string redacted_url_;
  int pool_size_ = 0;
  std::atomic<int> in_use_{0};
  std::unique_ptr<soci::connection_pool> pool_;
  // One per pooled connection; declared after the pool so statements go before their sessions.
  std::vector<detail::StatementCache> statement_caches_;
  // PostgreSQL: when each pooled connection last worked, and the health epoch it was checked in.
  // A lease checks its connection (a round trip) only if it sat idle, or if any request failed
  // since (a failure bumps the epoch: after a database restart every connection is checked).
  struct ConnectionHealth {
    std::uint64_t epoch = 0;
    std::int64_t last_ok_ms = 0;
  };
  std::vector<ConnectionHealth> health_;
  std::atomic<std::uint64_t> health_epoch_{1};
  // SQLite files only: the one write connection and its thread; the thread is destroyed first
  // (it drains the queued writes), then its statements, then its connection.
  std::unique_ptr<soci::session> writer_session_;
  detail::StatementCache writer_statements_;
  std::unique_ptr<Writer> writer_;
};


}  // namespace mnemos::db
