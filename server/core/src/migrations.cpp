#include <mnemos/core/db.hpp>
#include <mnemos/core/migrations.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <set>
#include <stdexcept>

namespace mnemos::db {
namespace {

int version_of(std::string_view file_name) {
  int version = 0;
  std::size_t digits = 0;
  while (digits < file_name.size() && file_name[digits] >= '0' && file_name[digits] <= '9') {
    version = version * 10 + (file_name[digits] - '0');
    ++digits;
  }
  if (digits == 0) {
    throw std::invalid_argument("migration file name must start with its number: " +
                                std::string(file_name));
  }
  return version;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void ensure_table(Database& db) {
  db.write([](soci::session& sql) {
    sql << "CREATE TABLE IF NOT EXISTS core_migrations (module TEXT NOT NULL, version INTEGER NOT "
           "NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL, PRIMARY KEY (module, version))";
  });
}

std::set<std::pair<std::string, int>> applied(soci::session& sql) {
  std::set<std::pair<std::string, int>> done;
  std::string module;
  int version = 0;
  soci::statement select = (sql.prepare << "SELECT module, version FROM core_migrations",
                            soci::into(module), soci::into(version));
  select.execute();
  while (select.fetch()) done.emplace(module, version);
  return done;
}

}  // namespace

std::vector<std::string> split_statements(std::string_view sql) {
  std::vector<std::string> statements;
  std::string current;
  std::size_t pos = 0;
  while (pos < sql.size()) {
    auto end = sql.find('\n', pos);
    if (end == std::string_view::npos) end = sql.size();
    std::string_view line = sql.substr(pos, end - pos);
    pos = end + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos || line.substr(first, 2) == "--") continue;
    current.append(line);
    current.push_back('\n');
    const auto last = line.find_last_not_of(" \t\r");
    if (line[last] == ';') {
      current.erase(current.find_last_of(';'));
      statements.push_back(std::move(current));
      current.clear();
    }
  }
  if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
  return statements;
}

namespace {
// NNNN_name.sqlite.sql runs only on SQLite, NNNN_name.postgresql.sql only on PostgreSQL (the
// twins share their number); NNNN_name.sql on both.
bool for_dialect(std::string_view file_name, Dialect dialect) {
  if (file_name.ends_with(".sqlite.sql")) return dialect == Dialect::sqlite;
  if (file_name.ends_with(".postgresql.sql")) return dialect == Dialect::postgresql;
  return true;
}
}  // namespace

int migrate(Database& db, const std::vector<MigrationSet>& sets) {
  ensure_table(db);
  int count = 0;
  for (const auto& set : sets) {
    for (const auto& file : set.files) {
      if (!for_dialect(file.name, db.dialect())) continue;
      const int version = version_of(file.name);
      const bool ran = db.write([&](soci::session& sql) {
        if (db.dialect() == Dialect::postgresql) {
          // Several processes may start at once: one migrates, the others wait and skip.
          sql << "SELECT pg_advisory_xact_lock(727274)";
        }
        int exists = 0;
        sql << "SELECT COUNT(*) FROM core_migrations WHERE module = :m AND version = :v",
            soci::use(set.module), soci::use(version), soci::into(exists);
        if (exists > 0) return false;
        for (const auto& statement : split_statements(file.content)) sql << statement;
        const std::string name(file.name);
        const std::int64_t at = now_ms();
        sql << "INSERT INTO core_migrations (module, version, name, applied_at) VALUES (:m, :v, "
               ":n, :a)",
            soci::use(set.module), soci::use(version), soci::use(name), soci::use(at);
        return true;
      });
      if (ran) {
        spdlog::info("migration applied: {} {}", set.module, file.name);
        ++count;
      }
    }
  }
  return count;
}

bool migrations_applied(Database& db, const std::vector<MigrationSet>& sets) {
  try {
    const auto done = db.read([](soci::session& sql) { return applied(sql); });
    for (const auto& set : sets) {
      for (const auto& file : set.files) {
        if (!for_dialect(file.name, db.dialect())) continue;
        if (!done.contains({set.module, version_of(file.name)})) return false;
      }
    }
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

}  // namespace mnemos::db
