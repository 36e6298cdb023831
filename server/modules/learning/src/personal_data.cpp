// The learning module's part of a person's data export (docs/api.md, "Personal data"): as a
// student, their sessions and every answer in the review log; as a teacher, the paths they own
// (their content stays with the school).
#include <mnemos/learning/module.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <mnemos/core/db.hpp>

#include <soci/soci.h>

#include <optional>

namespace mnemos::learning {

using boost::json::array;
using boost::json::object;

std::string personal_data(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  object out;
  {
    array sessions;
    std::string id, path, step, mode, status;
    std::int64_t started = 0;
    std::optional<std::int64_t> finished;
    std::optional<std::string> summary;
    soci::statement st = (sql.prepare << "SELECT id, path_id, step_id, mode, status, started_at, finished_at, summary "
                                         "FROM learning_sessions WHERE school_id = :school AND student_id = :user "
                                         "ORDER BY started_at",
                          soci::use(school_id), soci::use(user_id), soci::into(id), soci::into(path), soci::into(step),
                          soci::into(mode), soci::into(status), soci::into(started), soci::into(finished),
                          soci::into(summary));
    st.execute();
    while (st.fetch()) {
      sessions.push_back(object{{"id", id}, {"path_id", path}, {"step_id", step}, {"mode", mode}, {"status", status},
                                {"started_at", started},
                                {"finished_at", finished ? boost::json::value(*finished) : nullptr},
                                {"summary", summary ? boost::json::value(*summary) : nullptr}});
    }
    out["revision_sessions"] = std::move(sessions);
  }
  {
    array reviews;
    std::string item, session_text;
    int variant = 0, rating = 0, practice = 0;
    std::optional<int> correct;
    std::optional<std::string> session;
    std::int64_t duration = 0, at = 0;
    soci::statement st = (sql.prepare << "SELECT item_id, variant, session_id, rating, correct, practice, duration_ms, "
                                         "reviewed_at FROM learning_reviews WHERE school_id = :school AND "
                                         "student_id = :user ORDER BY reviewed_at",
                          soci::use(school_id), soci::use(user_id), soci::into(item), soci::into(variant),
                          soci::into(session), soci::into(rating), soci::into(correct), soci::into(practice),
                          soci::into(duration), soci::into(at));
    st.execute();
    while (st.fetch()) {
      reviews.push_back(object{{"item_id", item}, {"variant", variant},
                               {"session_id", session ? boost::json::value(*session) : nullptr},
                               {"rating", rating}, {"correct", correct ? boost::json::value(*correct != 0) : nullptr},
                               {"practice", practice != 0}, {"duration_ms", duration}, {"reviewed_at", at}});
    }
    out["review_log"] = std::move(reviews);
  }
  {
    array paths;
    std::string id, title;
    std::int64_t created = 0;
    soci::statement st = (sql.prepare << "SELECT id, title, created_at FROM learning_paths WHERE school_id = :school "
                                         "AND owner_id = :user ORDER BY created_at",
                          soci::use(school_id), soci::use(user_id), soci::into(id), soci::into(title),
                          soci::into(created));
    st.execute();
    while (st.fetch()) paths.push_back(object{{"id", id}, {"title", title}, {"created_at", created}});
    out["paths_owned"] = std::move(paths);
  }
  return boost::json::serialize(out);
}

}  // namespace mnemos::learning
