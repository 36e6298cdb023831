#include <mnemos/core/db.hpp>
#include <mnemos/core/jobs.hpp>
#include <mnemos/core/json.hpp>
#include <mnemos/learning/module.hpp>

#include "messages.hpp"
#include "inputs.hpp"
#include "repository.hpp"
#include "routes.hpp"

#include <boost/json/object.hpp>

#include <spdlog/spdlog.h>

namespace mnemos::learning {

std::vector<EmbeddedFile> migration_files();  // generated from migrations/*.sql
std::unique_ptr<Catalog> make_catalog(Deps deps);  // catalog.cpp

struct Module::Impl {
  explicit Impl(Dependencies d)
      : deps(d),
        cache(d.broadcaster),
        services{d.db, d.clock, d.jobs, d.directory, d.plan, d.files_dir, cache, d.usage},
        paths(services),
        revision(services),
        catalog(make_catalog(services)) {}
  Dependencies deps;
  LearningCache cache;  // before the services, which keep a reference
  Deps services;
  PathService paths;
  RevisionService revision;
  std::unique_ptr<Catalog> catalog;
};

Module::Module(Dependencies deps) : impl_(std::make_unique<Impl>(deps)) {
  messages::add_catalog(french_messages());
}
Module::~Module() = default;

db::MigrationSet Module::migrations() { return {"learning", migration_files()}; }

void Module::register_routes(http::Router& router) {
  learning::register_routes(router, impl_->paths, impl_->revision);
}

const Catalog& Module::catalog() const { return *impl_->catalog; }

namespace {
std::string field(const jobs::Job& job, const char* name) {
  const auto payload = json::parse(job.payload);
  const auto* value = payload.as_object().if_contains(name);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}
}  // namespace

void Module::register_jobs(jobs::Registry& registry) {
  registry.handle("learning.fit_parameters", [this](const jobs::Job& job) {
    if (!job.school_id) return;
    impl_->revision.fit_parameters(*job.school_id, field(job, "student_id"), field(job, "subject_id"));
  });
  // A deleted account takes its cards, reviews, sessions and settings with it (privacy).
  registry.handle("learning.forget_user", [this](const jobs::Job& job) {
    if (!job.school_id) return;
    const std::string user = field(job, "user_id");
    impl_->deps.db.write([&](soci::session& sql) { repo::forget_student(sql, *job.school_id, user); });
  });
  registry.subscribe("users.user_deleted", "learning.forget_user");
}

// The sample path a new visitor finds: a lesson, a deck of cards and a quiz for class 4e A.
constexpr const char* kDemoPath = R"json({
  "title": "Anglais : le prétérit (exemple)",
  "objectives": "Connaître le prétérit de 10 verbes irréguliers courants.",
  "level": "4e",
  "steps": [
  {"title": "Leçon : les verbes irréguliers", "kind": "lesson", "items": [{"kind": "lesson", "content": {"markdown":
    "# Les verbes irréguliers\n\nAu prétérit, ces verbes ne prennent pas **-ed** : il faut apprendre leur forme.\n\n| base | prétérit |\n| --- | --- |\n| go | went |\n| see | saw |"}}]},
  {"title": "Cartes : base → prétérit", "kind": "cards", "items": [
    {"kind": "flashcard", "content": {"front": "to go", "back": "went"}, "tags": ["verbes"]},
    {"kind": "flashcard", "content": {"front": "to see", "back": "saw"}, "tags": ["verbes"]},
    {"kind": "flashcard", "content": {"front": "to eat", "back": "ate"}, "tags": ["verbes"]},
    {"kind": "flashcard", "content": {"front": "to take", "back": "took"}, "tags": ["verbes"]},
    {"kind": "flashcard", "content": {"front": "to write", "back": "wrote"}, "tags": ["verbes"]},
    {"kind": "flashcard", "content": {"front": "to be", "back": "was / were", "reversed": true}, "tags": ["verbes"]}]},
  {"title": "Quiz", "kind": "quiz", "items": [
    {"kind": "short_answer", "content": {"question": "Prétérit de « to buy » ?", "accepted": ["bought"]}},
    {"kind": "choice", "content": {"question": "Lesquels sont irréguliers ?", "options": ["walk", "swim", "play", "think"], "answers": [1, 3]}},
    {"kind": "cloze", "content": {"text": "Yesterday I {{c1::went}} to school and {{c2::saw::see}} my friends."}}]}
]})json";

void Module::seed_demo(const std::string& school_id, const std::string& teacher_id,
                       const std::string& class_id, const std::string& subject_id) {
  const bool has_paths = impl_->deps.db.read([&](soci::session& sql) {
    return !repo::list_paths(sql, school_id, teacher_id).empty();
  });
  if (has_paths) return;
  RequestContext ctx = RequestContext::system(impl_->deps.clock, school_id);
  ctx.user_id = teacher_id;
  ctx.roles = RoleSet({Role::teacher});
  auto body = json::parse(kDemoPath);
  body.as_object()["subject_id"] = subject_id;
  body.as_object()["class_ids"] = boost::json::array{boost::json::value(class_id)};
  impl_->paths.create(ctx, new_path_input(body));
  spdlog::info("demo learning path seeded for 4e A");
}

std::string Module::seed_load_test(const std::string& school_id, const std::string& teacher_id,
                                   const std::string& subject_id,
                                   const std::vector<std::string>& class_ids, int cards) {
  RequestContext ctx = RequestContext::system(impl_->deps.clock, school_id);
  ctx.user_id = teacher_id;
  ctx.roles = RoleSet({Role::teacher});
  boost::json::array items;
  for (int i = 1; i <= cards; ++i) {
    items.push_back(boost::json::object{
        {"kind", "flashcard"},
        {"content", boost::json::object{{"front", "Question " + std::to_string(i)},
                                        {"back", "Réponse " + std::to_string(i)}}}});
  }
  const std::string title = "Cartes de test de charge";
  boost::json::object body{
      {"title", title},
      {"subject_id", subject_id},
      {"status", "active"},
      {"new_cards_per_day", 1000},
      {"reviews_per_day", 9999},
      {"steps", boost::json::array{boost::json::object{
                    {"title", "Cards"}, {"kind", "cards"}, {"items", std::move(items)}}}}};
  const std::string path_id = impl_->paths.create(ctx, new_path_input(body)).path.id;
  // Past the 50 classes one request may name: assigned in one go.
  return impl_->deps.db.write([&](soci::session& sql) {
    const auto path = repo::find_path(sql, school_id, path_id);
    std::vector<Assignment> list;
    for (const auto& id : class_ids) list.push_back({"class", id});
    repo::set_assignments(sql, *path, list, impl_->deps.clock.now_ms());
    return repo::steps_of(sql, path_id).at(0).id;
  });
}

}  // namespace mnemos::learning
