#include "smsgw/gateway/live_feed.hpp"

#include <spdlog/spdlog.h>

#include "smsgw/gateway/api_mapping.hpp"
#include "smsgw/http/json.hpp"
#include "smsgw/http/rfc3339.hpp"

namespace smsgw::gateway {

using store::Store;

namespace {

// RFC 8259 7: a JSON string. Text from the store is valid UTF-8 (checked at submission),
// so only '"', '\\' and control characters need escapes.
void append_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0f];
    } else {
      out += c;
    }
  }
  out += '"';
}

void append_field(std::string& out, std::string_view name,
                  const std::optional<std::string>& value) {
  out += ",\"";
  out += name;
  out += "\":";
  if (value) {
    append_string(out, *value);
  } else {
    out += "null";
  }
}

// The `message` event's data (docs/openapi.json StreamMessage). Built by hand: a submission
// builds one per message on the store's thread, where nlohmann::json's allocations showed.
std::string message_data(const std::string& id, std::string_view status, const std::string& at,
                         const std::string& modem, const store::MessageTags& tags) {
  std::string out;
  out.reserve(192 + id.size() + tags.to.size());
  out += "{\"id\":";
  append_string(out, id);
  out += ",\"to\":";
  append_string(out, tags.to);
  out += ",\"status\":";
  append_string(out, status);
  out += ",\"at\":";
  append_string(out, at);
  append_field(out, "modem", modem.empty() ? std::nullopt : std::optional<std::string>(modem));
  append_field(out, "client", tags.client);
  append_field(out, "reference", tags.reference);
  out += ",\"parts\":" + std::to_string(tags.parts);
  append_field(out, "error", tags.error);
  out += '}';
  return out;
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
  journal_writes_.spawn("live feed: journal " + type,
                        write_journal(std::move(type), std::move(client), std::move(data)));
}

awaitable<void> LiveFeed::write_journal(std::string type, std::optional<std::string> client,
                                        std::string data) {
  const auto now = std::chrono::system_clock::now();
  const store::NewJournalEvent event{type, client, data};
  auto job = [&](Store& s) { return s.append_journal({&event, 1}, now); };
  auto id = co_await store_.call_deferred(job);
  if (!id) {
    spdlog::warn("live feed: cannot journal a {} event: {}", type, id.error().message);
    co_return;
  }
  hub_.publish(http::StreamEvent{*id, std::move(type), std::move(data), std::move(client)});
}

void LiveFeed::message_changed(const std::string& id, std::string_view status,
                               const std::string& modem) {
  if (!modem.empty()) modem_changed(modem);
  stats_changed();
  journal_writes_.spawn("live feed: message " + id, write_message(id, std::string(status), modem));
}

awaitable<void> LiveFeed::write_message(std::string id, std::string status, std::string modem) {
  // The message's recipient, client and reference are read in the same job.
  const auto now = std::chrono::system_clock::now();
  store::NewJournalEvent event{"message", std::nullopt, {}};
  auto job = [&](Store& s) -> Result<std::int64_t> {
    auto tags = s.message_tags(id);
    if (!tags) return tags.error();
    event.client = tags->client;
    event.data = message_data(id, status, http::format_rfc3339(now), modem, *tags);
    return s.append_journal({&event, 1}, now);
  };
  auto event_id = co_await store_.call_deferred(job);
  if (!event_id) {
    spdlog::warn("live feed: cannot journal message {} {}: {}", id, status,
                 event_id.error().message);
    co_return;
  }
  hub_.publish(
      http::StreamEvent{*event_id, "message", std::move(event.data), std::move(event.client)});
}

void LiveFeed::inbound(const std::string& payload_json) {
  journal("inbound", std::nullopt, payload_json);
}

void LiveFeed::balance(const http::BalanceResult& result) {
  modem_changed(result.modem);
  journal("balance", std::nullopt, http::dump(http::json_of(result)));
}

Result<std::vector<http::StreamEvent>> LiveFeed::append_queued(
    Store& store, const std::vector<store::NewMessage>& messages, TimePoint at) {
  std::vector<store::NewJournalEvent> rows;
  rows.reserve(messages.size());
  const std::string queued_at = http::format_rfc3339(at);
  for (const auto& message : messages) {
    store::MessageTags tags;
    tags.client = message.client;
    tags.reference = message.reference;
    tags.to = message.to;
    tags.parts = static_cast<int>(message.parts.size());
    rows.push_back(
        {"message", message.client, message_data(message.id, "queued", queued_at, "", tags)});
  }
  auto first = store.append_journal(rows, at);
  if (!first) return first.error();
  std::vector<http::StreamEvent> events;
  events.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    events.push_back(http::StreamEvent{*first + static_cast<std::int64_t>(i), "message",
                                       std::move(rows[i].data), std::move(rows[i].client)});
  }
  return events;
}

void LiveFeed::publish(const std::vector<http::StreamEvent>& events) {
  for (const auto& event : events) hub_.publish(event);
  stats_changed();
}

// State events are built only while someone listens; a stream that opens reads the state
// from the API (GET /api/v1/modems, /api/v1/stats).
void LiveFeed::modem_changed(const std::string& modem_id) {
  if (!hub_.has_subscribers()) return;
  dirty_modems_.insert(modem_id);
  wake_.set();
}

void LiveFeed::stats_changed() {
  if (!hub_.has_subscribers()) return;
  stats_dirty_ = true;
  wake_.set();
}

void LiveFeed::part_sent(TimePoint at) {
  throughput_.record(at);
  stats_changed();
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
