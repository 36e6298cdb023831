#pragma once
// Outbox events and background jobs (docs/architecture.md, "Events and jobs"). Events and jobs are rows written
// in the same transaction as the change that caused them; the worker role runs them afterwards,
// retrying with exponential backoff until a job succeeds or is marked dead.
#include <mnemos/core/clock.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace soci {
class session;
}

namespace mnemos::db {
class Database;
}

namespace mnemos::jobs {

struct Job {
  std::string id;
  std::string type;
  std::string payload;  // JSON text
  std::optional<std::string> school_id;
  int attempts = 0;  // including the current one
};

using Handler = std::function<void(const Job&)>;

// Which handler runs each job type, and which job types an event fans out to.
class Registry {
 public:
  // A sensitive job's payload (a reset link, say) is erased once the job is done.
  void handle(std::string job_type, Handler handler, int max_attempts = 8, bool sensitive = false);
  void subscribe(std::string event_type, std::string job_type);

  const Handler* handler(const std::string& job_type) const;
  int max_attempts(const std::string& job_type) const;
  bool sensitive(const std::string& job_type) const;
  std::vector<std::string> subscribers(const std::string& event_type) const;

 private:
  struct Entry {
    Handler handler;
    int max_attempts;
    bool sensitive;
  };
  std::map<std::string, Entry> handlers_;
  std::multimap<std::string, std::string> subscriptions_;
};

// Writes a job in the caller's transaction. `run_at_ms` 0 means now.
void enqueue(soci::session& sql, const Clock& clock, const std::string& type,
             const std::string& payload_json, const std::optional<std::string>& school_id,
             std::int64_t run_at_ms = 0, int max_attempts = 8);

// True when a job of `type` waits or runs: a job that schedules itself again (a daily one) is
// started once.
bool scheduled(soci::session& sql, const std::string& type);

// Records an event in the outbox and one job per subscriber, in the caller's transaction.
void publish(soci::session& sql, const Clock& clock, const Registry& registry,
             const std::string& event_type, const std::string& payload_json,
             const std::optional<std::string>& school_id);

// Delay before retry number `attempt` (1-based): 2^attempt seconds, capped at one hour.
std::int64_t backoff_ms(int attempt);

struct QueueStats {
  std::int64_t queued = 0, running = 0, done = 0, dead = 0;
  std::int64_t failing = 0;  // queued again after a failed attempt
};

// What the job views show to support and platform staff: never the payload, which may hold a
// link or personal data.
struct JobSummary {
  std::string id;
  std::optional<std::string> school_id;
  std::string type;
  std::string status;  // queued | running | done | dead
  int attempts = 0;
  int max_attempts = 0;
  std::int64_t run_at = 0;
  std::optional<std::string> last_error;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

struct JobFilter {
  std::optional<std::string> school_id;  // nullopt: every school and the platform's own jobs
  std::optional<std::string> status;     // queued | running | done | dead | failing
  std::optional<std::string> before_id;  // cursor: jobs older than this one
  int limit = 50;
};

struct JobPage {
  std::vector<JobSummary> items;
  std::optional<std::string> next_cursor;
};

// Newest first.
JobPage list_jobs(soci::session& sql, const JobFilter& filter);
// `school_id` nullopt: any job; otherwise only that school's.
std::optional<JobSummary> find_job(soci::session& sql, const std::string& id,
                                   const std::optional<std::string>& school_id);
QueueStats count_jobs(soci::session& sql, const std::optional<std::string>& school_id);
// Puts a dead job back in the queue with a fresh set of attempts. False if it is not dead.
bool retry_job(soci::session& sql, const Clock& clock, const std::string& id);

class Worker {
 public:
  Worker(db::Database& db, const Registry& registry, const Clock& clock, std::string name);
  ~Worker();
  // Claims and runs one due job; false when none was due.
  bool run_once();
  // Runs jobs until none is due (tests and the CLI use this).
  int drain();
  // Background loop polling every `poll_ms`; stop() lets the current job finish.
  void start(int poll_ms = 250);
  void stop();
  void wake();
  QueueStats stats();

 private:
  std::optional<Job> claim();
  void finish(const Job& job, const std::string* error);

  db::Database& db_;
  const Registry& registry_;
  const Clock& clock_;
  std::string name_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
};

}  // namespace mnemos::jobs
