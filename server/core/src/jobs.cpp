#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>

#include <pthread.h>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace mnemos::jobs {
namespace {
// A job still "running" after this long belongs to a worker that died: it is claimed again.
constexpr std::int64_t kStaleLockMs = 10 * kMinuteMs;
}  // namespace

void Registry::handle(std::string job_type, Handler handler, int max_attempts, bool sensitive) {
  handlers_[std::move(job_type)] = Entry{std::move(handler), max_attempts, sensitive};
}

bool Registry::sensitive(const std::string& job_type) const {
  const auto it = handlers_.find(job_type);
  return it != handlers_.end() && it->second.sensitive;
}

void Registry::subscribe(std::string event_type, std::string job_type) {
  subscriptions_.emplace(std::move(event_type), std::move(job_type));
}

const Handler* Registry::handler(const std::string& job_type) const {
  const auto it = handlers_.find(job_type);
  return it == handlers_.end() ? nullptr : &it->second.handler;
}

int Registry::max_attempts(const std::string& job_type) const {
  const auto it = handlers_.find(job_type);
  return it == handlers_.end() ? 8 : it->second.max_attempts;
}

std::vector<std::string> Registry::subscribers(const std::string& event_type) const {
  std::vector<std::string> jobs;
  const auto [first, last] = subscriptions_.equal_range(event_type);
  for (auto it = first; it != last; ++it) jobs.push_back(it->second);
  return jobs;
}

bool scheduled(soci::session& sql, const std::string& type) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM core_jobs WHERE type = :type AND status IN ('queued', 'running')", soci::use(type),
      soci::into(count);
  return count > 0;
}

void enqueue(soci::session& sql, const Clock& clock, const std::string& type,
             const std::string& payload_json, const std::optional<std::string>& school_id,
             std::int64_t run_at_ms, int max_attempts) {
  const std::string id = new_id();
  const std::int64_t now = clock.now_ms();
  const std::int64_t run_at = run_at_ms > 0 ? run_at_ms : now;
  sql << "INSERT INTO core_jobs (id, school_id, type, payload, status, attempts, max_attempts, "
         "run_at, created_at, updated_at) VALUES (:id, :school, :type, :payload, 'queued', 0, "
         ":max, :run_at, :now, :now2)",
      soci::use(id), soci::use(school_id), soci::use(type), soci::use(payload_json),
      soci::use(max_attempts), soci::use(run_at), soci::use(now), soci::use(now);
}

void publish(soci::session& sql, const Clock& clock, const Registry& registry,
             const std::string& event_type, const std::string& payload_json,
             const std::optional<std::string>& school_id) {
  const std::string id = new_id();
  const std::int64_t now = clock.now_ms();
  sql << "INSERT INTO core_events (id, school_id, type, payload, created_at) VALUES (:id, "
         ":school, :type, :payload, :now)",
      soci::use(id), soci::use(school_id), soci::use(event_type), soci::use(payload_json),
      soci::use(now);
  for (const auto& job_type : registry.subscribers(event_type)) {
    enqueue(sql, clock, job_type, payload_json, school_id, 0, registry.max_attempts(job_type));
  }
}

std::int64_t backoff_ms(int attempt) {
  const int exponent = std::clamp(attempt, 1, 12);
  return std::min<std::int64_t>((std::int64_t{1} << exponent) * 1000, kHourMs);
}

Worker::Worker(db::Database& db, const Registry& registry, const Clock& clock, std::string name)
    : db_(db), registry_(registry), clock_(clock), name_(std::move(name)) {}

Worker::~Worker() { stop(); }

std::optional<Job> Worker::claim() {
  return db_.write([&](soci::session& sql) -> std::optional<Job> {
    const std::int64_t now = clock_.now_ms();
    const std::int64_t stale = now - kStaleLockMs;
    std::string id;
    soci::indicator found = soci::i_null;
    sql << "SELECT id FROM core_jobs WHERE (status = 'queued' AND run_at <= :now) OR (status = "
           "'running' AND locked_at < :stale) ORDER BY run_at LIMIT 1" +
               db_.for_update_skip_locked(),
        soci::use(now), soci::use(stale), soci::into(id, found);
    if (!sql.got_data() || found != soci::i_ok) return std::nullopt;
    Job job;
    job.id = id;
    sql << "UPDATE core_jobs SET status = 'running', attempts = attempts + 1, locked_by = :w, "
           "locked_at = :now, updated_at = :now2 WHERE id = :id",
        soci::use(name_), soci::use(now), soci::use(now), soci::use(id);
    sql << "SELECT type, payload, school_id, attempts FROM core_jobs WHERE id = :id",
        soci::use(id), soci::into(job.type), soci::into(job.payload), soci::into(job.school_id),
        soci::into(job.attempts);
    return job;
  });
}

void Worker::finish(const Job& job, const std::string* error) {
  db_.write([&](soci::session& sql) {
    const std::int64_t now = clock_.now_ms();
    if (error == nullptr) {
      sql << "UPDATE core_jobs SET status = 'done', locked_by = NULL, last_error = NULL, "
             "updated_at = :now WHERE id = :id",
          soci::use(now), soci::use(job.id);
      if (registry_.sensitive(job.type)) {
        sql << "UPDATE core_jobs SET payload = '{}' WHERE id = :id", soci::use(job.id);
      }
      return;
    }
    const int max_attempts = registry_.max_attempts(job.type);
    const bool dead = job.attempts >= max_attempts;
    const std::string status = dead ? "dead" : "queued";
    const std::int64_t run_at = now + backoff_ms(job.attempts);
    const std::string message = error->substr(0, 2000);
    sql << "UPDATE core_jobs SET status = :status, locked_by = NULL, run_at = :run_at, "
           "last_error = :error, updated_at = :now WHERE id = :id",
        soci::use(status), soci::use(run_at), soci::use(message), soci::use(now),
        soci::use(job.id);
    if (dead) spdlog::error("job {} ({}) is dead after {} attempts", job.id, job.type, job.attempts);
  });
}

bool Worker::run_once() {
  auto job = claim();
  if (!job) return false;
  const Handler* handler = registry_.handler(job->type);
  if (handler == nullptr) {
    const std::string error = "no handler for job type " + job->type;
    finish(*job, &error);
    return true;
  }
  try {
    (*handler)(*job);
    finish(*job, nullptr);
  } catch (const std::exception& e) {
    const std::string error = loggable_message(e.what());
    spdlog::warn("job {} ({}) failed on attempt {}: {}", job->id, job->type, job->attempts, error);
    finish(*job, &error);
  }
  return true;
}

int Worker::drain() {
  int count = 0;
  while (run_once()) ++count;
  return count;
}

void Worker::start(int poll_ms) {
  thread_ = std::thread([this, poll_ms] {
    pthread_setname_np(pthread_self(), "mnemos-jobs");
    while (true) {
      {
        std::unique_lock lock(mutex_);
        if (stopping_) return;
      }
      bool worked = false;
      try {
        worked = run_once();
      } catch (const std::exception& e) {
        spdlog::warn("worker {}: {}", name_, loggable_message(e.what()));  // database down: try again later
      }
      if (!worked) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, std::chrono::milliseconds(poll_ms), [this] { return stopping_ || woken_; });
        woken_ = false;
      }
    }
  });
}

void Worker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

namespace {
constexpr const char* kSummaryColumns =
    "id, school_id, type, status, attempts, max_attempts, run_at, last_error, created_at, updated_at";

template <typename Statement>
void bind_summary(Statement& st, JobSummary& job) {
  st, soci::into(job.id), soci::into(job.school_id), soci::into(job.type), soci::into(job.status),
      soci::into(job.attempts), soci::into(job.max_attempts), soci::into(job.run_at),
      soci::into(job.last_error), soci::into(job.created_at), soci::into(job.updated_at);
}
}  // namespace

JobPage list_jobs(soci::session& sql, const JobFilter& filter) {
  const std::string school = filter.school_id.value_or("");
  const int all_schools = filter.school_id ? 0 : 1;
  const std::string status = filter.status.value_or("");
  const std::string before = filter.before_id.value_or("");
  const int fetch = filter.limit + 1;
  JobPage page;
  page.items = db::fetch_rows<JobSummary>(
      sql,
      std::string("SELECT ") + kSummaryColumns +
          " FROM core_jobs WHERE (:all = 1 OR school_id = :school) AND "
          "(:status = '' OR (:status2 = 'failing' AND status = 'queued' AND "
          "last_error IS NOT NULL) OR status = :status3) AND (:before = '' OR id < "
          ":before2) ORDER BY id DESC LIMIT :n",
      bind_summary<db::Prepared>, soci::use(all_schools), soci::use(school), soci::use(status), soci::use(status),
      soci::use(status), soci::use(before), soci::use(before), soci::use(fetch));
  if (static_cast<int>(page.items.size()) > filter.limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().id;
  }
  return page;
}

std::optional<JobSummary> find_job(soci::session& sql, const std::string& id,
                                   const std::optional<std::string>& school_id) {
  const std::string school = school_id.value_or("");
  const int any_school = school_id ? 0 : 1;
  auto found = db::fetch_rows<JobSummary>(
      sql, std::string("SELECT ") + kSummaryColumns + " FROM core_jobs WHERE id = :id AND (:any = 1 OR school_id = :school)",
      bind_summary<db::Prepared>, soci::use(id), soci::use(any_school), soci::use(school));
  if (found.empty()) return std::nullopt;
  return found.front();
}

QueueStats count_jobs(soci::session& sql, const std::optional<std::string>& school_id) {
  const std::string school = school_id.value_or("");
  const int all_schools = school_id ? 0 : 1;
  QueueStats stats;
  std::string status;
  int failed_before = 0;
  std::int64_t count = 0;
  soci::statement st =
      (sql.prepare << "SELECT status, CASE WHEN last_error IS NULL THEN 0 ELSE 1 END, COUNT(*) "
                      "FROM core_jobs WHERE (:all = 1 OR school_id = :school) GROUP BY status, "
                      "CASE WHEN last_error IS NULL THEN 0 ELSE 1 END",
       soci::use(all_schools), soci::use(school), soci::into(status), soci::into(failed_before),
       soci::into(count));
  st.execute();
  while (st.fetch()) {
    if (status == "queued") {
      stats.queued += count;
      if (failed_before == 1) stats.failing += count;
    } else if (status == "running") {
      stats.running += count;
    } else if (status == "done") {
      stats.done += count;
    } else if (status == "dead") {
      stats.dead += count;
    }
  }
  return stats;
}

bool retry_job(soci::session& sql, const Clock& clock, const std::string& id) {
  const std::int64_t now = clock.now_ms();
  soci::statement st =
      (sql.prepare << "UPDATE core_jobs SET status = 'queued', attempts = 0, run_at = :now, "
                      "locked_by = NULL, updated_at = :now2 WHERE id = :id AND status = 'dead'",
       soci::use(now), soci::use(now), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

QueueStats Worker::stats() {
  return db_.read([](soci::session& sql) {
    QueueStats stats;
    sql << "SELECT COUNT(*) FROM core_jobs WHERE status = 'queued'", soci::into(stats.queued);
    sql << "SELECT COUNT(*) FROM core_jobs WHERE status = 'running'", soci::into(stats.running);
    sql << "SELECT COUNT(*) FROM core_jobs WHERE status = 'done'", soci::into(stats.done);
    sql << "SELECT COUNT(*) FROM core_jobs WHERE status = 'dead'", soci::into(stats.dead);
    return stats;
  });
}

}  // namespace mnemos::jobs
