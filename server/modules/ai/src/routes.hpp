#pragma once
#include <mnemos/http/router.hpp>

#include "generation_service.hpp"
#include "sources.hpp"
#include "tutor.hpp"

namespace mnemos::ai {
void register_routes(http::Router& router, SourceService& sources);
void register_tutor_routes(http::Router& router, TutorService& tutor);
void register_settings_routes(http::Router& router, SchoolAiService& settings);
void register_generation_routes(http::Router& router, GenerationService& generation);
}  // namespace mnemos::ai
