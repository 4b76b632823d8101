// WebhookOutbox: the durable outbox of webhook events ([[webhook]] in the configuration).
//
// Contract:
// - emit(event, payload) queues one row per webhook subscribed to `event` in the store's
//   outbox (one store job), then wakes the delivery loop; a receiver that is down loses
//   nothing. Emitting after stop() still queues the rows (delivered after the next start).
// - run() delivers the due rows, each POSTed with its webhook's secret, until stop(). A
//   failed delivery is retried with back-off (webhook_retry_at); the loop returns after the
//   delivery in progress and the queued emits have ended.
// Single-threaded: everything runs on the executor given at construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/store/store_worker.hpp"
#include "smsgw/scheduler/retry_policy.hpp"

namespace smsgw::gateway {

using TimePoint = std::chrono::system_clock::time_point;

// The back-off of webhook deliveries: 5 s after the first failure, doubling up to 1 h.
scheduler::RetryPolicy webhook_retry_policy();

// When to try a delivery again after it failed with `error` at `failed_at`, having failed
// `earlier_failures` times before; none to give up: the answer will not change
// (http::webhook_error_is_retryable is false) or the event is 3 days old.
std::optional<TimePoint> webhook_retry_at(const Error& error, std::uint32_t earlier_failures,
                                          TimePoint created_at, TimePoint failed_at);

class WebhookOutbox {
 public:
  WebhookOutbox(asio::any_io_executor executor, std::vector<config::WebhookConfig> webhooks,
                store::StoreWorker& store);
  WebhookOutbox(const WebhookOutbox&) = delete;
  WebhookOutbox& operator=(const WebhookOutbox&) = delete;

  // `payload_json` is the event's "data" object.
  void emit(const std::string& event, const std::string& payload_json);

  awaitable<void> run();
  void stop();

 private:
  awaitable<void> deliver_due();

  asio::any_io_executor executor_;
  std::vector<config::WebhookConfig> webhooks_;
  store::StoreWorker& store_;
  std::map<std::string, std::string> secrets_;  // by URL
  Event wake_;
  TaskGroup emits_;
  bool stopping_ = false;
};

}  // namespace smsgw::gateway
