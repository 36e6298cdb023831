// The job and error views of support staff and platform admins. Support sees its own school only;
// platform admins see every school and may put a dead job back in the queue.
#include "support_routes.hpp"

#include <mnemos/core/activity.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/http/json.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <array>

namespace mnemos::app {
namespace {

using http::Request;
using http::Response;

constexpr std::array<std::string_view, 5> kStatuses = {"queued", "running", "done", "dead", "failing"};

boost::json::value optional_json(const std::optional<std::string>& value) {
  return value ? boost::json::value(*value) : boost::json::value(nullptr);
}

boost::json::object to_json(const jobs::JobSummary& job) {
  return {{"id", job.id},
          {"school_id", optional_json(job.school_id)},
          {"type", job.type},
          {"status", job.status},
          {"attempts", job.attempts},
          {"max_attempts", job.max_attempts},
          {"run_at", job.run_at},
          {"last_error", optional_json(job.last_error)},
          {"created_at", job.created_at},
          {"updated_at", job.updated_at}};
}

// Support works inside its school; platform staff across all (and may narrow to one school).
std::optional<std::string> scope_of(const Request& req, const RequestContext& ctx) {
  if (ctx.school_id) return ctx.school_id;
  if (auto school = req.query_param("school_id"); school && !school->empty()) {
    if (!is_uuid(*school)) throw Error::invalid("school_id", "Not a school id.");
    return std::string(*school);
  }
  return std::nullopt;
}

const std::string& job_id(const Request& req) {
  const std::string& id = req.param("id");
  if (!is_uuid(id)) throw Error::not_found("No such job.");
  return id;
}

}  // namespace

void register_support_routes(http::Router& router, db::Database& db, const Clock& clock,
                             const http::Dispatcher*& dispatcher) {
  router.get("/api/v1/jobs", {.permission = Permission::jobs_read},
             [&db](const Request& req, RequestContext& ctx) {
               const auto page = http::page_params(req);
               jobs::JobFilter filter;
               filter.school_id = scope_of(req, ctx);
               filter.limit = page.limit;
               if (page.cursor) {
                 if (!is_uuid(*page.cursor)) throw Error::invalid("cursor", "This cursor is not one the server gave.");
                 filter.before_id = page.cursor;
               }
               if (auto status = req.query_param("status"); status && !status->empty()) {
                 if (std::find(kStatuses.begin(), kStatuses.end(), *status) == kStatuses.end()) {
                   throw Error::invalid("status", "Use queued, running, done, dead or failing.");
                 }
                 filter.status = std::string(*status);
               }
               const auto found = db.read([&](soci::session& sql) { return jobs::list_jobs(sql, filter); });
               boost::json::array items;
               for (const auto& job : found.items) items.push_back(to_json(job));
               return http::json(200, boost::json::object{{"items", std::move(items)},
                                                          {"next_cursor", optional_json(found.next_cursor)}});
             });
  router.get("/api/v1/jobs/summary", {.permission = Permission::jobs_read},
             [&db](const Request& req, RequestContext& ctx) {
               const auto scope = scope_of(req, ctx);
               const auto stats = db.read([&](soci::session& sql) { return jobs::count_jobs(sql, scope); });
               return http::json(200, boost::json::object{{"queued", stats.queued},
                                                          {"running", stats.running},
                                                          {"done", stats.done},
                                                          {"dead", stats.dead},
                                                          {"failing", stats.failing}});
             });
  router.get("/api/v1/jobs/{id}", {.permission = Permission::jobs_read},
             [&db](const Request& req, RequestContext& ctx) {
               const auto& id = job_id(req);
               const auto job = db.read([&](soci::session& sql) { return jobs::find_job(sql, id, ctx.school_id); });
               if (!job) throw Error::not_found("No such job.");
               return http::json(200, to_json(*job));
             });
  router.post("/api/v1/jobs/{id}/retry", {.permission = Permission::jobs_manage},
              [&db, &clock](const Request& req, RequestContext& ctx) {
                const auto& id = job_id(req);
                const auto job = db.write([&](soci::session& sql) {
                  auto found = jobs::find_job(sql, id, ctx.school_id);
                  if (!found) throw Error::not_found("No such job.");
                  if (!jobs::retry_job(sql, clock, id)) {
                    throw Error::conflict("Only a dead job can be retried; this one is " + found->status + ".");
                  }
                  record_activity(sql, ctx, "job.retried", "job", id);
                  return jobs::find_job(sql, id, ctx.school_id);
                });
                return http::json(200, to_json(*job));
              });
  router.get("/api/v1/errors", {.permission = Permission::jobs_read},
             [&dispatcher](const Request& req, RequestContext& ctx) {
               const auto scope = scope_of(req, ctx);
               boost::json::array items;
               for (const auto& error : dispatcher->errors().recent(scope)) {
                 boost::json::object item{{"at", error.at_ms},
                                          {"request_id", error.request_id},
                                          {"method", error.method},
                                          {"route", error.route},
                                          {"status", error.status},
                                          {"school_id", optional_json(error.school_id)}};
                 // The internal message may name tables or values: platform staff only.
                 if (!ctx.school_id) item["detail"] = error.detail;
                 items.push_back(std::move(item));
               }
               return http::json(200, boost::json::object{{"items", std::move(items)}});
             });
}

}  // namespace mnemos::app
