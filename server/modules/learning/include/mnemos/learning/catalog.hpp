#pragma once
// What other modules may ask the learning module about paths (the AI tutor: whose sources these
// are, who may search them): read-only, tenant-scoped, in the caller's transaction. Every refusal
// is a 404, as for the learning routes themselves.
#include <mnemos/core/context.hpp>

#include <string>

namespace soci {
class session;
}

namespace mnemos::learning {

struct PathRef {
  std::string id;
  std::string school_id;
  std::string owner_id;
  std::string subject_id;
  std::string title;
  std::string status;  // draft | active | archived
};

class Catalog {
 public:
  virtual ~Catalog() = default;
  // The path if `ctx` may change it (its owner or a teacher it is shared with); 404 otherwise.
  virtual PathRef editable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const = 0;
  // The path if `ctx` may use what it holds: those who may read it (its teachers, the school's
  // admins and support) and the students it is assigned to while it is active; 404 otherwise.
  virtual PathRef usable(soci::session& sql, const RequestContext& ctx, const std::string& path_id) const = 0;
};

}  // namespace mnemos::learning
