#pragma once
#include <mnemos/http/router.hpp>

#include "service.hpp"

namespace mnemos::billing {
void register_routes(http::Router& router, BillingService& billing);
}  // namespace mnemos::billing
