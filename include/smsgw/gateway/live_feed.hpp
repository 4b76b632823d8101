// LiveFeed: what the gateway tells the dashboard's live stream (GET /api/v1/events) and its
// statistics (GET /api/v1/stats). The event shapes are in docs/openapi.json ("StreamEvents").
//
// Contract:
// - History events (`message`, `inbound`, `balance`) are appended to the store's event
//   journal, then published with the journal's id, in id order: a client that reconnects
//   with Last-Event-ID gets every one it missed (events_after). A submission's `queued`
//   events are appended in the submission's own transaction (append_queued) and published
//   after its commit (publish); the others in a deferred job of their own, which joins
//   the next commit.
// - State events (`modem`, `stats`) are not journaled: a modem's entry as GET
//   /api/v1/modems shows it, at most once per kModemInterval per modem, and the statistics
//   at most once per kStatsInterval, each only while something changed and someone listens.
// - stop() ends run() and every open stream.
// Single-threaded: the gateway's io_context (the store's jobs excepted).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/gateway/throughput_history.hpp"
#include "smsgw/http/event_hub.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/store/store_worker.hpp"

namespace smsgw::gateway {

class LiveFeed {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  using ModemLookup = std::function<std::optional<http::ModemInfo>(const std::string& modem_id)>;
  static constexpr std::chrono::seconds kModemInterval{1};
  static constexpr std::chrono::seconds kStatsInterval{2};

  LiveFeed(asio::any_io_executor executor, store::StoreWorker& store, ModemLookup modem_info);
  LiveFeed(const LiveFeed&) = delete;
  LiveFeed& operator=(const LiveFeed&) = delete;

  http::EventHub& hub() { return hub_; }

  // A message's status changed (also `queued` again for a retry, and `sending`).
  void message_changed(const std::string& id, std::string_view status, const std::string& modem);
  // message.received's payload (webhook_payloads.hpp).
  void inbound(const std::string& payload_json);
  void balance(const http::BalanceResult& result);

  // In a submission's store job, after its messages were inserted: their `queued` events.
  static Result<std::vector<http::StreamEvent>> append_queued(
      store::Store& store, const std::vector<store::NewMessage>& messages, TimePoint at);
  // After that job committed.
  void publish(const std::vector<http::StreamEvent>& events);

  void modem_changed(const std::string& modem_id);
  void part_sent(TimePoint at);

  awaitable<Result<http::EventReplay>> events_after(std::int64_t after, int limit);
  awaitable<Result<http::Stats>> stats();

  awaitable<void> run();
  void stop();

 private:
  void journal(std::string type, std::optional<std::string> client, std::string data);
  awaitable<void> write_journal(std::string type, std::optional<std::string> client,
                                std::string data);
  awaitable<void> write_message(std::string id, std::string status, std::string modem);
  void stats_changed();
  awaitable<void> flush();

  store::StoreWorker& store_;
  ModemLookup modem_info_;
  http::EventHub hub_;
  ThroughputHistory throughput_;
  std::set<std::string> dirty_modems_;
  bool stats_dirty_ = false;
  std::chrono::steady_clock::time_point last_stats_{};
  Event wake_;
  Event stopped_;
  TaskGroup journal_writes_;
  bool stopping_ = false;
};

}  // namespace smsgw::gateway
