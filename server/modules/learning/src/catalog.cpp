// The learning module's answers to other modules (include/mnemos/learning/catalog.hpp), decided
// by the same Access rules as its own routes.
#include <mnemos/learning/catalog.hpp>

#include <mnemos/core/db.hpp>

#include "services.hpp"

namespace mnemos::learning {
namespace {

PathRef ref_of(const Path& path) {
  return {path.id, path.school_id, path.owner_id, path.subject_id, path.title, path.status};
}

class AccessCatalog final : public Catalog {
 public:
  explicit AccessCatalog(Deps deps) : access_(deps) {}

  PathRef editable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const override {
    return ref_of(access_.editable(sql, ctx, path_id));
  }

  PathRef usable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const override {
    if (ctx.roles.has(Role::student) && !ctx.can(Permission::paths_manage)) {
      return ref_of(access_.assigned(sql, ctx, path_id));
    }
    return ref_of(access_.readable(sql, ctx, path_id));
  }

 private:
  Access access_;
};

}  // namespace

std::unique_ptr<Catalog> make_catalog(Deps deps) { return std::make_unique<AccessCatalog>(deps); }

}  // namespace mnemos::learning
