#include "smsgw/gateway/modem_watch.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "smsgw/scheduler/policy.hpp"

namespace smsgw::gateway {
namespace {

constexpr auto kIdleWait = std::chrono::hours(1);

nlohmann::json nullable(const std::string& text) {
  return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
}

}  // namespace

ModemWatch::ModemWatch(asio::any_io_executor executor, Clock::duration down_after, Emit emit)
    : down_after_(down_after), emit_(std::move(emit)), wake_(std::move(executor)) {}

void ModemWatch::observe(const modem::ModemSnapshot& snapshot,
                         std::optional<std::string> operator_name) {
  auto& watched = watched_[snapshot.id];
  watched.last = snapshot;
  if (operator_name) watched.operator_name = std::move(operator_name);
  if (modem::in_service(snapshot.state)) {
    if (watched.reported) {
      spdlog::info("modem {}: up again", snapshot.id);
      auto event = payload(watched, Clock::now());
      event["down_since"] = scheduler::format_utc(*watched.down_since);
      emit_("modem.up", event.dump());
    }
    watched.down_since.reset();
    watched.reported = false;
    return;
  }
  if (!watched.down_since) {
    watched.down_since = Clock::now();
    wake_.set();
  }
}

void ModemWatch::forget(const std::string& modem_id) { watched_.erase(modem_id); }

void ModemWatch::report_down(Watched& watched) {
  watched.reported = true;
  spdlog::warn("modem {}: not ready since {} ({})", watched.last.id,
               scheduler::format_utc(*watched.down_since), modem::to_string(watched.last.state));
  emit_("modem.down", payload(watched, *watched.down_since).dump());
}

nlohmann::json ModemWatch::payload(const Watched& watched, Clock::time_point since) const {
  const auto& s = watched.last;
  nlohmann::json event{
      {"modem", s.id},
      {"port", s.port},
      {"iccid", nullable(s.iccid)},
      {"operator",
       watched.operator_name ? nlohmann::json(*watched.operator_name) : nullable(s.operator_name)},
      {"state", std::string(modem::to_string(s.state))},
      {"since", scheduler::format_utc(since)},
      {"last_error", s.last_error ? nlohmann::json(s.last_error->message) : nlohmann::json()},
  };
  return event;
}

awaitable<void> ModemWatch::run() {
  while (!stopping_) {
    const auto now = Clock::now();
    std::optional<Clock::time_point> next;
    for (auto& [id, watched] : watched_) {
      if (!watched.down_since || watched.reported) continue;
      const auto due = *watched.down_since + down_after_;
      if (due <= now) {
        report_down(watched);
      } else {
        next = next ? std::min(*next, due) : due;
      }
    }
    wake_.reset();
    const auto wait =
        next ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   *next - now + std::chrono::milliseconds(1))
             : std::chrono::duration_cast<std::chrono::steady_clock::duration>(kIdleWait);
    co_await wake_.wait(wait);
  }
}

void ModemWatch::stop() {
  stopping_ = true;
  wake_.set();
}

}  // namespace smsgw::gateway
