#include <mnemos/core/broadcaster.hpp>

namespace mnemos::realtime {

std::string user_topic(std::string_view user_id) { return "user:" + std::string(user_id); }
std::string school_topic(std::string_view school_id) { return "school:" + std::string(school_id); }
std::string session_topic(std::string_view session_id) {
  return "session:" + std::string(session_id);
}

std::string envelope(std::string_view type, std::string_view data_json) {
  // `type` is one of our own constants (letters, dots, underscores): no escaping needed.
  std::string out;
  out.reserve(type.size() + data_json.size() + 32);
  out += "{\"type\":\"";
  out += type;
  out += "\",\"id\":null,\"data\":";
  out += data_json;
  out += '}';
  return out;
}

void InProcessBroadcaster::publish(std::string_view topic, const std::string& message) {
  std::vector<std::shared_ptr<Listener>> live;
  {
    std::lock_guard lock(mutex_);
    std::erase_if(listeners_, [](const std::weak_ptr<Listener>& weak) { return weak.expired(); });
    for (const auto& weak : listeners_) {
      if (auto listener = weak.lock()) live.push_back(std::move(listener));
    }
  }
  for (const auto& listener : live) (*listener)(topic, message);
}

std::shared_ptr<void> InProcessBroadcaster::listen(Listener listener) {
  auto owned = std::make_shared<Listener>(std::move(listener));
  std::lock_guard lock(mutex_);
  listeners_.push_back(owned);
  return owned;
}

}  // namespace mnemos::realtime
