#pragma once
#include <mnemos/core/clock.hpp>
#include <mnemos/http/dispatcher.hpp>
#include <mnemos/http/router.hpp>

namespace mnemos::db {
class Database;
}

namespace mnemos::app {
// `dispatcher` is set once the dispatcher exists (it is built from the finished router).
void register_support_routes(http::Router& router, db::Database& db, const Clock& clock,
                             const http::Dispatcher*& dispatcher);
}  // namespace mnemos::app
