// The ai module's part of a person's data export (docs/api.md, "Personal data"): a student's
// exchanges with the tutor (their questions and its replies), a teacher's agents.
#include <mnemos/ai/module.hpp>

#include "tutor.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <mnemos/core/db.hpp>

#include <soci/soci.h>

namespace mnemos::ai {

using boost::json::array;
using boost::json::object;

std::string personal_data(soci::session& sql, const std::string& school_id, const std::string& user_id) {
  array conversations;
  for (const auto& c : repo::conversations_of_student(sql, school_id, user_id)) {
    array messages;
    for (const auto& m : repo::messages_of(sql, c.id)) {
      messages.push_back(object{{"role", m.role}, {"text", m.text}, {"created_at", m.created_at}});
    }
    conversations.push_back(object{{"id", c.id}, {"path_id", c.path_id}, {"created_at", c.created_at},
                                   {"messages", std::move(messages)}});
  }
  array agents;
  {
    std::string subject, instructions, level, language, policy;
    std::int64_t updated = 0;
    soci::statement st = (sql.prepare << "SELECT subject_id, instructions, level, language, answer_policy, updated_at "
                                         "FROM ai_agents WHERE school_id = :school AND teacher_id = :user",
                          soci::use(school_id), soci::use(user_id), soci::into(subject), soci::into(instructions),
                          soci::into(level), soci::into(language), soci::into(policy), soci::into(updated));
    st.execute();
    while (st.fetch()) {
      agents.push_back(object{{"subject_id", subject}, {"instructions", instructions}, {"level", level},
                              {"language", language}, {"answer_policy", policy}, {"updated_at", updated}});
    }
  }
  return boost::json::serialize(object{{"tutor_conversations", std::move(conversations)}, {"agents", std::move(agents)}});
}

}  // namespace mnemos::ai
