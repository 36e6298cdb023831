#pragma once
#include <mnemos/http/router.hpp>

#include "services.hpp"

namespace mnemos::learning {
void register_routes(http::Router& router, PathService& paths, RevisionService& revision);
}
