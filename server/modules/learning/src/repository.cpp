// Paths, steps, items, media, assignments and sharing: a path and its content (SQL only).
#include "repository.hpp"
#include "repository_rows.hpp"

#include <cstdio>
#include <cstdlib>

namespace mnemos::learning::repo {

using namespace rows;

void insert_path(soci::session& sql, const Path& r) {
  sql << "INSERT INTO learning_paths (id, school_id, subject_id, owner_id, title, objectives, "
         "level, exam_date, status, desired_retention, new_cards_per_day, reviews_per_day, "
         "maximum_interval_days, copied_from, created_at, updated_at) VALUES (:id, :school, "
         ":subject, :owner, :title, :objectives, :level, :exam, :status, :retention, :new_cards, "
         ":reviews, :max_interval, :copied, :created, :updated)",
      use(r.id), use(r.school_id), use(r.subject_id), use(r.owner_id), use(r.title),
      use(r.objectives), use(r.level), use(r.exam_date), use(r.status), use(r.desired_retention),
      use(r.new_cards_per_day), use(r.reviews_per_day), use(r.maximum_interval_days),
      use(r.copied_from), use(r.created_at), use(r.updated_at);
}

void update_path(soci::session& sql, const Path& r) {
  sql << "UPDATE learning_paths SET subject_id = :subject, title = :title, objectives = "
         ":objectives, level = :level, exam_date = :exam, status = :status, desired_retention = "
         ":retention, new_cards_per_day = :new_cards, reviews_per_day = :reviews, "
         "maximum_interval_days = :max_interval, updated_at = :updated WHERE id = :id AND "
         "school_id = :school",
      use(r.subject_id), use(r.title), use(r.objectives), use(r.level), use(r.exam_date),
      use(r.status), use(r.desired_retention), use(r.new_cards_per_day), use(r.reviews_per_day),
      use(r.maximum_interval_days), use(r.updated_at), use(r.id), use(r.school_id);
}

std::optional<Path> find_path(soci::session& sql, const std::string& school_id,
                              const std::string& id) {
  return first(fetch<Path>(sql,
                           std::string("SELECT ") + kPathColumns +
                               "FROM learning_paths p WHERE p.school_id = :school AND p.id = :id",
                           bind_path, use(school_id), use(id)));
}

std::vector<Path> list_paths(soci::session& sql, const std::string& school_id,
                             const std::optional<std::string>& teacher_id) {
  if (!teacher_id) {
    return fetch<Path>(sql,
                       std::string("SELECT ") + kPathColumns +
                           "FROM learning_paths p WHERE p.school_id = :school ORDER BY p.updated_at DESC",
                       bind_path, use(school_id));
  }
  return fetch<Path>(
      sql,
      std::string("SELECT ") + kPathColumns +
          "FROM learning_paths p WHERE p.school_id = :school AND (p.owner_id = :teacher OR "
          "EXISTS (SELECT 1 FROM learning_path_teachers t WHERE t.path_id = p.id AND "
          "t.teacher_id = :shared)) ORDER BY p.updated_at DESC",
      bind_path, use(school_id), use(*teacher_id), use(*teacher_id));
}

std::vector<Path> paths_assigned_to(soci::session& sql, const std::string& school_id,
                                    const std::string& student_id,
                                    const std::vector<std::string>& class_ids) {
  // One text whatever the number of classes: the statement stays prepared (db::for_each_row).
  return fetch<Path>(sql,
                     std::string("SELECT ") + kPathColumns +
                         "FROM learning_paths p WHERE p.school_id = :school AND EXISTS (SELECT 1 "
                         "FROM learning_assignments a WHERE a.path_id = p.id AND (a.target_id = :student OR " +
                         db::in_list(sql, "a.target_id", "classes") + ")) ORDER BY p.title",
                     bind_path, use(school_id), use(student_id), use(db::json_list(class_ids)));
}

std::int64_t count_paths(soci::session& sql, const std::string& school_id) {
  std::int64_t count = 0;
  sql << "SELECT COUNT(*) FROM learning_paths WHERE school_id = :school AND status <> 'archived'",
      use(school_id), into(count);
  return count;
}

std::vector<std::string> path_teachers(soci::session& sql, const std::string& path_id) {
  return fetch<std::string>(
      sql, "SELECT teacher_id FROM learning_path_teachers WHERE path_id = :path ORDER BY added_at",
      [](Prepared& p, std::string& r) { p, into(r); }, use(path_id));
}

void set_path_teachers(soci::session& sql, const Path& path, const std::vector<std::string>& ids,
                       std::int64_t now) {
  sql << "DELETE FROM learning_path_teachers WHERE path_id = :path", use(path.id);
  for (const auto& id : ids) {
    sql << "INSERT INTO learning_path_teachers (path_id, teacher_id, school_id, added_at) VALUES "
           "(:path, :teacher, :school, :now)",
        use(path.id), use(id), use(path.school_id), use(now);
  }
}

bool shares(soci::session& sql, const std::string& path_id, const std::string& teacher_id) {
  int found = 0;
  sql << "SELECT COUNT(*) FROM learning_path_teachers WHERE path_id = :path AND teacher_id = :t",
      use(path_id), use(teacher_id), into(found);
  return found > 0;
}

std::vector<Assignment> assignments(soci::session& sql, const std::string& path_id) {
  return fetch<Assignment>(
      sql,
      "SELECT kind, target_id FROM learning_assignments WHERE path_id = :path ORDER BY kind, "
      "assigned_at",
      [](Prepared& p, Assignment& r) { p, into(r.kind), into(r.target_id); }, use(path_id));
}

void set_assignments(soci::session& sql, const Path& path, const std::vector<Assignment>& list,
                     std::int64_t now) {
  sql << "DELETE FROM learning_assignments WHERE path_id = :path", use(path.id);
  for (const auto& a : list) {
    sql << "INSERT INTO learning_assignments (path_id, school_id, kind, target_id, assigned_at) "
           "VALUES (:path, :school, :kind, :target, :now)",
        use(path.id), use(path.school_id), use(a.kind), use(a.target_id), use(now);
  }
}

std::vector<std::string> paths_assigned_to(soci::session& sql, const std::string& school_id, const std::string& kind,
                                           const std::string& target_id) {
  return fetch<std::string>(
      sql,
      "SELECT path_id FROM learning_assignments WHERE school_id = :school AND kind = :kind AND target_id = :target "
      "ORDER BY path_id",
      [](Prepared& p, std::string& r) { p, into(r); }, use(school_id), use(kind), use(target_id));
}

void insert_step(soci::session& sql, const Step& r) {
  sql << "INSERT INTO learning_steps (id, school_id, path_id, position, title, kind, "
         "unlock_rule, prerequisite_step_id, unlock_at, created_at, updated_at) VALUES (:id, "
         ":school, :path, :position, :title, :kind, :rule, :prerequisite, :unlock_at, :created, "
         ":updated)",
      use(r.id), use(r.school_id), use(r.path_id), use(r.position), use(r.title), use(r.kind),
      use(r.unlock_rule), use(r.prerequisite_step_id), use(r.unlock_at), use(r.created_at),
      use(r.updated_at);
}

void update_step(soci::session& sql, const Step& r) {
  sql << "UPDATE learning_steps SET position = :position, title = :title, kind = :kind, "
         "unlock_rule = :rule, prerequisite_step_id = :prerequisite, unlock_at = :unlock_at, "
         "updated_at = :updated WHERE id = :id AND school_id = :school",
      use(r.position), use(r.title), use(r.kind), use(r.unlock_rule), use(r.prerequisite_step_id),
      use(r.unlock_at), use(r.updated_at), use(r.id), use(r.school_id);
}

void delete_step(soci::session& sql, const std::string& school_id, const std::string& id) {
  // Cards and progress go with the items and the step (ON DELETE CASCADE); the review log stays
  // for the optimizer, which reads it by student and subject.
  sql << "DELETE FROM learning_steps WHERE id = :id AND school_id = :school", use(id),
      use(school_id);
}

std::optional<Step> find_step(soci::session& sql, const std::string& school_id,
                              const std::string& id) {
  return first(fetch<Step>(sql,
                           std::string("SELECT ") + kStepColumns +
                               "FROM learning_steps WHERE school_id = :school AND id = :id",
                           bind_step, use(school_id), use(id)));
}

std::vector<Step> steps_of(soci::session& sql, const std::string& path_id) {
  return fetch<Step>(sql,
                     std::string("SELECT ") + kStepColumns +
                         "FROM learning_steps WHERE path_id = :path ORDER BY position, created_at",
                     bind_step, use(path_id));
}

void insert_item(soci::session& sql, const Item& r) {
  sql << "INSERT INTO learning_items (id, school_id, step_id, position, kind, content, tags, "
         "origin, validation, created_by, created_at, updated_at) VALUES (:id, :school, :step, "
         ":position, :kind, :content, :tags, :origin, :validation, :by, :created, :updated)",
      use(r.id), use(r.school_id), use(r.step_id), use(r.position), use(r.kind), use(r.content),
      use(r.tags), use(r.origin), use(r.validation), use(r.created_by), use(r.created_at),
      use(r.updated_at);
}

namespace {
constexpr const char* kMediaColumns =
    "id, school_id, path_id, name, content_type, size_bytes, storage_path, created_by, created_at ";

void bind_media(Prepared& p, Media& r) {
  p, into(r.id), into(r.school_id), into(r.path_id), into(r.name), into(r.content_type),
      into(r.size_bytes), into(r.storage_path), into(r.created_by), into(r.created_at);
}
}  // namespace

void insert_media(soci::session& sql, const Media& r) {
  sql << "INSERT INTO learning_media (id, school_id, path_id, name, content_type, size_bytes, "
         "storage_path, created_by, created_at) VALUES (:id, :school, :path, :name, :type, :size, "
         ":storage, :by, :created)",
      use(r.id), use(r.school_id), use(r.path_id), use(r.name), use(r.content_type),
      use(r.size_bytes), use(r.storage_path), use(r.created_by), use(r.created_at);
}

std::optional<Media> find_media(soci::session& sql, const std::string& school_id,
                                const std::string& id) {
  return first(fetch<Media>(sql,
                            std::string("SELECT ") + kMediaColumns +
                                "FROM learning_media WHERE school_id = :school AND id = :id",
                            bind_media, use(school_id), use(id)));
}

std::optional<Media> find_media_by_name(soci::session& sql, const std::string& path_id,
                                        const std::string& name, std::int64_t size_bytes) {
  return first(fetch<Media>(sql,
                            std::string("SELECT ") + kMediaColumns +
                                "FROM learning_media WHERE path_id = :path AND name = :name AND "
                                "size_bytes = :size",
                            bind_media, use(path_id), use(name), use(size_bytes)));
}

void update_item(soci::session& sql, const Item& r) {
  sql << "UPDATE learning_items SET position = :position, kind = :kind, content = :content, tags "
         "= :tags, validation = :validation, updated_at = :updated WHERE id = :id AND school_id = "
         ":school",
      use(r.position), use(r.kind), use(r.content), use(r.tags), use(r.validation),
      use(r.updated_at), use(r.id), use(r.school_id);
}

void delete_item(soci::session& sql, const std::string& school_id, const std::string& id) {
  sql << "DELETE FROM learning_items WHERE id = :id AND school_id = :school", use(id),
      use(school_id);
}

std::optional<Item> find_item(soci::session& sql, const std::string& school_id,
                              const std::string& id) {
  return first(fetch<Item>(sql,
                           std::string("SELECT ") + kItemColumns +
                               "FROM learning_items WHERE school_id = :school AND id = :id",
                           bind_item, use(school_id), use(id)));
}

std::vector<Item> items_of(soci::session& sql, const std::string& step_id) {
  return fetch<Item>(sql,
                     std::string("SELECT ") + kItemColumns +
                         "FROM learning_items WHERE step_id = :step ORDER BY position, id",
                     bind_item, use(step_id));
}

int next_item_position(soci::session& sql, const std::string& step_id) {
  std::optional<int> last;
  sql << "SELECT MAX(position) FROM learning_items WHERE step_id = :step", use(step_id), into(last);
  return last ? *last + 1 : 0;
}

}  // namespace mnemos::learning::repo
