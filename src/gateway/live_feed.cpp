#include "smsgw/gateway/live_feed.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "smsgw/gateway/api_mapping.hpp"
#include "smsgw/http/json.hpp"
#include "smsgw/http/rfc3339.hpp"

namespace smsgw::gateway {

using json = nlohmann::json;
using store::Store;

namespace {

json nullable(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

// The `message` event's data (docs/openapi.json StreamMessage).
std::string message_data(const std::string& id, std::string_view status, TimePoint at,
                         const std::string& modem, const store::MessageTags& tags) {
  return http::dump(json{{"id", id},
                         {"to", tags.to},
                         {"status", status},
                         {"at", http::format_rfc3339(at)},
                         {"modem", modem.empty() ? json(nullptr) : json(modem)},
                         {"client", nullable(tags.client)},
                         {"reference", nullable(tags.reference)},
                         {"parts", tags.parts},
                         {"error", nullable(tags.error)}});
}

}  // namespace

LiveFeed::LiveFeed(asio::any_io_executor executor, store::StoreWorker& store,
                   ModemLookup modem_info)
    : store_(store),
      modem_info_(std::move(modem_info)),
      hub_(executor),
      wake_(executor),
      stopped_(executor),
      journal_writes_(executor) {}

void LiveFeed::journal(std::string type, std::optional<std::string> client, std::string data) {
  journal_writes_.spawn(
      "live feed: journal " + type, [this, type, client, data]() -> awaitable<void> {
        const auto now = std::chrono::system_clock::now();
        auto job = [&](Store& s) { return s.append_journal(type, client, data, now); };
        auto id = co_await store_.call_deferred(job);
        if (!id) {
          spdlog::warn("live feed: cannot journal a {} event: {}", type, id.error().message);
          co_return;
        }
        hub_.publish(http::StreamEvent{*id, type, data, client});
      });
}

void LiveFeed::message_changed(const std::string& id, std::string_view status,
                               const std::string& modem) {
  stats_dirty_ = true;
  if (!modem.empty()) dirty_modems_.insert(modem);
  wake_.set();
  journal_writes_.spawn("live feed: message " + id,
                        [this, id, status = std::string(status), modem]() -> awaitable<void> {
                          const auto now = std::chrono::system_clock::now();
                          std::optional<std::string> client;
                          std::string data;
                          auto job = [&](Store& s) -> Result<std::int64_t> {
                            auto tags = s.message_tags(id);
                            if (!tags) return tags.error();
                            client = tags->client;
                            data = message_data(id, status, now, modem, *tags);
                            return s.append_journal("message", client, data, now);
                          };
                          auto event_id = co_await store_.call_deferred(job);
                          if (!event_id) {
                            spdlog::warn("live feed: cannot journal message {} {}: {}", id, status,
                                         event_id.error().message);
                            co_return;
                          }
                          hub_.publish(http::StreamEvent{*event_id, "message", data, client});
                        });
}

void LiveFeed::inbound(const std::string& payload_json) {
  journal("inbound", std::nullopt, payload_json);
}

void LiveFeed::balance(const http::BalanceResult& result) {
  dirty_modems_.insert(result.modem);
  wake_.set();
  journal("balance", std::nullopt, http::dump(http::json_of(result)));
}

Result<std::vector<http::StreamEvent>> LiveFeed::append_queued(
    Store& store, const std::vector<store::NewMessage>& messages, TimePoint at) {
  std::vector<http::StreamEvent> events;
  events.reserve(messages.size());
  for (const auto& message : messages) {
    store::MessageTags tags;
    tags.client = message.client;
    tags.reference = message.reference;
    tags.to = message.to;
    tags.parts = static_cast<int>(message.parts.size());
    std::string data = message_data(message.id, "queued", at, "", tags);
    auto id = store.append_journal("message", message.client, data, at);
    if (!id) return id.error();
    events.push_back(http::StreamEvent{*id, "message", std::move(data), message.client});
  }
  return events;
}

void LiveFeed::publish(const std::vector<http::StreamEvent>& events) {
  for (const auto& event : events) hub_.publish(event);
  stats_dirty_ = true;
  wake_.set();
}

void LiveFeed::modem_changed(const std::string& modem_id) {
  dirty_modems_.insert(modem_id);
  wake_.set();
}

void LiveFeed::part_sent(TimePoint at) {
  throughput_.record(at);
  stats_dirty_ = true;
  wake_.set();
}

awaitable<Result<http::EventReplay>> LiveFeed::events_after(std::int64_t after, int limit) {
  auto job =
      [after, limit](
          Store& s) -> Result<std::pair<store::JournalBounds, std::vector<store::JournalEvent>>> {
    auto bounds = s.journal_bounds();
    if (!bounds) return bounds.error();
    auto events = s.journal_after(after, limit);
    if (!events) return events.error();
    return std::make_pair(*bounds, std::move(*events));
  };
  auto read = co_await store_.call(job);
  if (!read) co_return make_error("unavailable", read.error().message);
  const auto& [bounds, events] = *read;
  http::EventReplay replay;
  // Events after `after` are gone when the oldest kept is later than the next one, or when
  // the journal never got as far (another database).
  replay.gap = after > bounds.last || after < bounds.first - 1;
  for (const auto& event : events) {
    replay.events.push_back(http::StreamEvent{event.id, event.type, event.data, event.client});
  }
  co_return replay;
}

awaitable<Result<http::Stats>> LiveFeed::stats() {
  auto job = [](Store& s) { return s.count_by_status(); };
  auto counts = co_await store_.call(job);
  if (!counts) co_return make_error("unavailable", counts.error().message);
  http::MetricsSnapshot snapshot;
  add_status_counts(*counts, snapshot);
  http::Stats stats;
  stats.queue_depth = snapshot.queue_depth;
  stats.messages_by_status = std::move(snapshot.messages_by_status);
  const auto now = std::chrono::system_clock::now();
  stats.parts_per_minute = throughput_.per_minute(now);
  stats.minute_start = ThroughputHistory::minute_start(now);
  co_return stats;
}

awaitable<void> LiveFeed::flush() {
  const auto modems = std::move(dirty_modems_);
  dirty_modems_.clear();
  for (const auto& id : modems) {
    if (auto info = modem_info_(id)) {
      hub_.publish(http::StreamEvent{std::nullopt, "modem", http::dump(http::json_of(*info)), {}});
    }
  }
  const auto now = std::chrono::steady_clock::now();
  if (stats_dirty_ && now - last_stats_ >= kStatsInterval) {
    stats_dirty_ = false;
    last_stats_ = now;
    auto stats = co_await this->stats();
    if (stats) {
      hub_.publish(http::StreamEvent{std::nullopt, "stats", http::dump(http::json_of(*stats)), {}});
    }
  }
}

awaitable<void> LiveFeed::run() {
  while (!stopping_) {
    co_await wake_.wait();
    wake_.reset();
    if (stopping_) break;
    if (!hub_.has_subscribers()) {
      dirty_modems_.clear();
      stats_dirty_ = false;
      continue;
    }
    co_await flush();
    // Changes within the next interval are coalesced into one event each; statistics
    // still due come with the next round.
    if (stats_dirty_) wake_.set();
    co_await stopped_.wait(kModemInterval);
  }
  co_await journal_writes_.join();
}

void LiveFeed::stop() {
  stopping_ = true;
  stopped_.set();
  wake_.set();
  hub_.close_all();
}

}  // namespace smsgw::gateway
