#pragma once
// A person's data export (GDPR articles 15 and 20): the users module answers GET /api/v1/me/export
// and each module that keeps something about a person adds its section, read in the export's
// transaction. The application wires them (server/app).
#include <functional>
#include <string>

namespace soci {
class session;
}

namespace mnemos {

// The section of one module for one person of a school: a JSON document (text, so that no module's
// public header needs a JSON library).
using PersonalDataSection =
    std::function<std::string(soci::session& sql, const std::string& school_id, const std::string& user_id)>;

}  // namespace mnemos
