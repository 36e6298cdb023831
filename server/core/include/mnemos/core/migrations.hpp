#pragma once
#include <mnemos/core/embedded.hpp>

#include <string>
#include <vector>

namespace mnemos::db {
class Database;

// One module's numbered SQL files (NNNN_name.sql). Statements end with ';' at the end of a line.
// Where the databases differ, twins NNNN_name.sqlite.sql and NNNN_name.postgresql.sql share a number.
struct MigrationSet {
  std::string module;
  std::vector<EmbeddedFile> files;
};

// Applies every migration not yet recorded in core_migrations, each in its own transaction.
// Returns how many were applied.
int migrate(Database& db, const std::vector<MigrationSet>& sets);
// True when every migration of `sets` is recorded (for /readyz).
bool migrations_applied(Database& db, const std::vector<MigrationSet>& sets);
// Splits a migration file into statements (exposed for tests).
std::vector<std::string> split_statements(std::string_view sql);

}  // namespace mnemos::db

namespace mnemos::core {
// The core tables: outbox events, jobs, mail log, activity log.
std::vector<EmbeddedFile> migration_files();
}  // namespace mnemos::core
