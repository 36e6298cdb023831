#include <mnemos/http/metrics.hpp>

#include <cstdio>

namespace mnemos::http {

const std::vector<double>& Metrics::bucket_bounds() {
  static const std::vector<double> bounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                          0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};
  return bounds;
}

Metrics::Metrics(std::size_t route_count) {
  for (std::size_t i = 0; i <= route_count; ++i) {
    auto stats = std::make_unique<RouteStats>();
    stats->buckets = std::vector<std::atomic<std::uint64_t>>(bucket_bounds().size());
    routes_.push_back(std::move(stats));
  }
}

void Metrics::observe(std::size_t route_index, int status, double seconds) {
  if (route_index >= routes_.size()) route_index = routes_.size() - 1;
  auto& stats = *routes_[route_index];
  const int status_class = std::min(std::max(status / 100, 1), 5) - 1;
  stats.by_class[status_class].fetch_add(1, std::memory_order_relaxed);
  stats.count.fetch_add(1, std::memory_order_relaxed);
  stats.sum_micros.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  const auto& bounds = bucket_bounds();
  for (std::size_t b = 0; b < bounds.size(); ++b) {
    if (seconds <= bounds[b]) {
      stats.buckets[b].fetch_add(1, std::memory_order_relaxed);
      break;
    }
  }
}

void Metrics::add_gauge(std::string name, std::string help, std::function<double()> read) {
  std::lock_guard lock(gauges_mutex_);
  gauges_.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::render(const std::function<std::string(std::size_t)>& route_label) const {
  std::string out;
  char line[512];
  out += "# HELP mnemos_http_requests_total HTTP requests by route and status class.\n";
  out += "# TYPE mnemos_http_requests_total counter\n";
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const std::string label = route_label(i);
    for (int c = 0; c < 5; ++c) {
      const auto n = routes_[i]->by_class[c].load();
      if (n == 0) continue;
      std::snprintf(line, sizeof line, "mnemos_http_requests_total{route=\"%s\",status=\"%dxx\"} %llu\n",
                    label.c_str(), c + 1, static_cast<unsigned long long>(n));
      out += line;
    }
  }
  out += "# HELP mnemos_http_request_duration_seconds Time to answer, by route.\n";
  out += "# TYPE mnemos_http_request_duration_seconds histogram\n";
  const auto& bounds = bucket_bounds();
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const auto& stats = *routes_[i];
    const auto count = stats.count.load();
    if (count == 0) continue;
    const std::string label = route_label(i);
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b < bounds.size(); ++b) {
      cumulative += stats.buckets[b].load();
      std::snprintf(line, sizeof line,
                    "mnemos_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                    label.c_str(), bounds[b], static_cast<unsigned long long>(cumulative));
      out += line;
    }
    std::snprintf(line, sizeof line,
                  "mnemos_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
                  "mnemos_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                  "mnemos_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                  label.c_str(), static_cast<unsigned long long>(count), label.c_str(),
                  static_cast<double>(stats.sum_micros.load()) / 1e6, label.c_str(),
                  static_cast<unsigned long long>(count));
    out += line;
  }
  out += "# HELP mnemos_websocket_connections Open WebSocket connections.\n";
  out += "# TYPE mnemos_websocket_connections gauge\n";
  out += "mnemos_websocket_connections " + std::to_string(websocket_connections_.load()) + "\n";
  std::lock_guard lock(gauges_mutex_);
  for (const auto& gauge : gauges_) {
    std::snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s gauge\n%s %g\n", gauge.name.c_str(),
                  gauge.help.c_str(), gauge.name.c_str(), gauge.name.c_str(), gauge.read());
    out += line;
  }
  return out;
}

}  // namespace mnemos::http
