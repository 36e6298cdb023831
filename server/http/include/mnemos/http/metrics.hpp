#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace mnemos::http {

// Request counts and latency histograms by route, plus gauges, in Prometheus text format.
class Metrics {
 public:
  explicit Metrics(std::size_t route_count);
  // `route_index` is the index in the router's table, or route_count for unmatched requests.
  void observe(std::size_t route_index, int status, double seconds);
  void add_gauge(std::string name, std::string help, std::function<double()> read);
  // `route_label(i)` names route i as "GET /api/v1/me".
  std::string render(const std::function<std::string(std::size_t)>& route_label) const;
  std::atomic<std::int64_t>& websocket_connections() { return websocket_connections_; }

  static const std::vector<double>& bucket_bounds();

 private:
  struct RouteStats {
    std::atomic<std::uint64_t> by_class[5]{};  // 1xx..5xx
    std::vector<std::atomic<std::uint64_t>> buckets;
    std::atomic<std::uint64_t> count{0};
    std::atomic<std::uint64_t> sum_micros{0};
  };
  std::vector<std::unique_ptr<RouteStats>> routes_;
  struct Gauge {
    std::string name, help;
    std::function<double()> read;
  };
  mutable std::mutex gauges_mutex_;
  std::vector<Gauge> gauges_;
  std::atomic<std::int64_t> websocket_connections_{0};
};

}  // namespace mnemos::http
