// The learning module asks the users module about people and classes only through
// users::Directory, so its rules run on a database that holds no users tables at all: here, core's
// and learning's tables, and a directory written in the test.
#include <mnemos/core/clock.hpp>
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/migrations.hpp>
#include <mnemos/core/plan.hpp>
#include <mnemos/learning/module.hpp>

#include "../src/repository.hpp"
#include "../src/services.hpp"

#include <test_support.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace mnemos::learning {
namespace {

constexpr const char* kSchool = "01900000-0000-7000-8000-00000000000a";
constexpr const char* kOtherSchool = "01900000-0000-7000-8000-00000000000b";
constexpr const char* kTeacher = "01900000-0000-7000-8000-000000000001";
constexpr const char* kAda = "01900000-0000-7000-8000-000000000002";
constexpr const char* kBoris = "01900000-0000-7000-8000-000000000003";
constexpr const char* kChloe = "01900000-0000-7000-8000-000000000004";
constexpr const char* kClass = "01900000-0000-7000-8000-0000000000c1";

// A school of one teacher, one class of two students and a student outside it.
class FakeDirectory final : public users::Directory {
 public:
  std::map<std::string, users::PersonRef> people_by_id{
      {kTeacher, {kTeacher, "Mme Teacher", "active", true, false}},
      {kAda, {kAda, "Ada", "active", false, true}},
      {kBoris, {kBoris, "Boris", "active", false, true}},
      {kChloe, {kChloe, "Chloé", "active", false, true}},
  };
  std::vector<std::string> class_students{kAda, kBoris};

  std::optional<users::PersonRef> person(soci::session&, const std::string& school,
                                         const std::string& id) const override {
    const auto found = people_by_id.find(id);
    if (school != kSchool || found == people_by_id.end()) return std::nullopt;
    return found->second;
  }
  std::vector<users::PersonRef> people(soci::session& sql, const std::string& school,
                                       const std::vector<std::string>& ids) const override {
    std::vector<users::PersonRef> out;
    for (const auto& id : ids) {
      if (auto p = person(sql, school, id)) out.push_back(*p);
    }
    return out;
  }
  std::optional<users::SubjectRef> subject(soci::session&, const std::string&, const std::string& id) const override {
    return users::SubjectRef{id, "Maths"};
  }
  std::vector<users::SubjectRef> subjects(soci::session&, const std::string&) const override { return {}; }
  std::optional<users::ClassRef> school_class(soci::session&, const std::string& school,
                                              const std::string& id) const override {
    if (school != kSchool || id != kClass) return std::nullopt;
    return users::ClassRef{kClass, "4e A", "2026-2027"};
  }
  std::vector<users::ClassRef> classes_of(soci::session&, const std::string& school, const std::string& user,
                                          const std::string& role) const override {
    const bool member = role == "teacher" ? user == kTeacher
                                          : std::find(class_students.begin(), class_students.end(), user) != class_students.end();
    if (school != kSchool || !member) return {};
    return {{kClass, "4e A", "2026-2027"}};
  }
  std::vector<users::PersonRef> students_of_classes(soci::session& sql, const std::string& school,
                                                    const std::vector<std::string>& ids) const override {
    if (std::find(ids.begin(), ids.end(), kClass) == ids.end()) return {};
    return people(sql, school, class_students);
  }
  std::vector<users::ClassMemberRef> class_members_of(const std::string& id) const {
    if (id != kClass) return {};
    std::vector<users::ClassMemberRef> out{{kTeacher, "teacher"}};
    for (const auto& student : class_students) out.push_back({student, "student"});
    return out;
  }
  std::vector<users::ClassMemberRef> class_members(soci::session&, const std::string& school,
                                                   const std::string& id) const override {
    return school == kSchool ? class_members_of(id) : std::vector<users::ClassMemberRef>{};
  }
  std::vector<users::PersonRef> find_people(soci::session&, const std::string&, const std::string&, int) const override {
    return {};
  }
  std::vector<users::PersonRef> people_with_role(soci::session&, const std::string&, const std::string&) const override {
    return {};
  }
  std::int64_t seats(soci::session&, const std::string&, const std::string&) const override { return 0; }
  std::optional<std::string> school_name(soci::session&, const std::string&) const override { return std::nullopt; }
  std::vector<users::PersonRef> students_taught_by(soci::session& sql, const std::string& school,
                                                   const std::string& teacher) const override {
    return teacher == kTeacher ? people(sql, school, class_students) : std::vector<users::PersonRef>{};
  }
  bool school_exists(soci::session&, const std::string&) const override { return true; }
  std::string school_timezone(soci::session&, const std::string&) const override { return "Europe/Paris"; }
};

class LearningWithoutUsersTables : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = db::Database::open(database_.url(), 2);
    db::migrate(*db_, {{"core", core::migration_files()}, Module::migrations()});
    path_.id = "01900000-0000-7000-8000-0000000000a1";
    path_.school_id = kSchool;
    path_.subject_id = "01900000-0000-7000-8000-0000000000b1";
    path_.owner_id = kTeacher;
    path_.title = "Fractions";
    path_.status = "active";
    db_->write([&](soci::session& sql) {
      repo::insert_path(sql, path_);
      repo::set_assignments(sql, path_, {{"class", kClass}, {"student", kChloe}}, 0);
    });
  }
  RequestContext as(const char* user, Role role, const char* school = kSchool) const {
    RequestContext ctx = RequestContext::system(clock_, std::string(school));
    ctx.user_id = user;
    ctx.roles = RoleSet({role});
    return ctx;
  }

  testing::TestDatabase database_;
  std::unique_ptr<db::Database> db_;
  ManualClock clock_{1'772'438'400'000};
  jobs::Registry jobs_;
  AllowEverything plan_;
  NoUsageMeter usage_;
  realtime::InProcessBroadcaster broadcaster_;
  LearningCache cache_{broadcaster_};
  FakeDirectory directory_;
  Path path_;
};

// Two processes' caches on one broadcaster (Redis between processes): a change made through one
// drops the other's copies at once; what was not changed stays.
TEST(LearningCacheAcrossProcesses, AChangeThroughOneDropsTheOthersCopies) {
  realtime::InProcessBroadcaster broadcaster;
  LearningCache here(broadcaster), there(broadcaster);
  int loads = 0;
  auto settings_there = [&] {
    return there.settings.get("school/student/chloe", [&] {
      ++loads;
      return SettingsRow{};
    });
  };
  auto fit_there = [&](const std::string& key) {
    return there.fits.get(key, [&] {
      ++loads;
      return std::optional<FittedParameters>();
    });
  };
  settings_there();
  fit_there("chloe/maths");
  fit_there("chloe/history");
  ASSERT_EQ(loads, 3);
  settings_there();
  fit_there("chloe/maths");
  EXPECT_EQ(loads, 3);  // kept

  here.settings_changed();
  settings_there();
  EXPECT_EQ(loads, 4);
  here.fit_changed("chloe", "maths");
  fit_there("chloe/maths");
  fit_there("chloe/history");
  EXPECT_EQ(loads, 5);  // only the fit that changed was read again
}

TEST_F(LearningWithoutUsersTables, APathReachesItsClassAndItsStudentsOnce) {
  Deps deps{*db_, clock_, jobs_, directory_, plan_, "", cache_, usage_};
  const Access access(deps);
  const auto students = db_->read([&](soci::session& sql) { return access.students_of(sql, path_); });
  ASSERT_EQ(students.size(), 3u);
  EXPECT_EQ(students[0].display_name, "Ada");
  EXPECT_EQ(students[1].display_name, "Boris");
  EXPECT_EQ(students[2].display_name, "Chloé");
}

TEST_F(LearningWithoutUsersTables, OnlyAssignedStudentsAndTheTeachersReachThePath) {
  Deps deps{*db_, clock_, jobs_, directory_, plan_, "", cache_, usage_};
  const Access access(deps);
  db_->read([&](soci::session& sql) {
    EXPECT_EQ(access.assigned(sql, as(kAda, Role::student), path_.id).id, path_.id);  // through the class
    EXPECT_EQ(access.assigned(sql, as(kChloe, Role::student), path_.id).id, path_.id);  // by name
    EXPECT_EQ(access.editable(sql, as(kTeacher, Role::teacher), path_.id).id, path_.id);
    // Removed from the class, a student no longer reaches it: the directory is asked each time.
    directory_.class_students = {kBoris};
    EXPECT_THROW(access.assigned(sql, as(kAda, Role::student), path_.id), Error);
    // Another school never sees it, whatever the id.
    EXPECT_THROW(access.readable(sql, as(kTeacher, Role::teacher, kOtherSchool), path_.id), Error);
    return 0;
  });
}

}  // namespace
}  // namespace mnemos::learning
