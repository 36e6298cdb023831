#pragma once
#include <mnemos/http/router.hpp>

#include "sources.hpp"

namespace mnemos::ai {
void register_routes(http::Router& router, SourceService& sources);
}  // namespace mnemos::ai
