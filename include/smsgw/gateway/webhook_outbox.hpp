// WebhookOutbox: the durable outbox of webhook events ([[webhook]] in the configuration) and
// of per-message callbacks (a message's callback_url).
//
// Contract:
// - emit(event, payload) queues one row per webhook subscribed to `event` in the store's
//   outbox (one store job), then wakes the delivery loop; a receiver that is down loses
//   nothing. Emitting after stop() still queues the rows (delivered after the next start).
// - emit_message_status(event) does the same for message.status and, in the same store
//   job, reads the message's client, reference and callback URL: the payload carries client
//   and reference (webhook_payloads.hpp), and a message with a callback_url gets one more
//   row for it (kind callback, with the message's client).
// - The dlr-url calls of /cgi-bin/sendsms messages are not emitted here: the store's trigger
//   sendsms_dlr writes their rows (kind dlr_url) in the transaction of the status change, so
//   a crash after it loses none (src/store/migrations.cpp). At delivery the row's dlr-url has
//   its escapes expanded from the row's type, status, time and modem and the message's facts
//   (kannel_dlr.hpp), then is fetched with GET (unsigned; callback_hosts apply; retried like
//   every row); a row whose message no longer exists is given up.
// - run() delivers the due rows until stop(). A failed delivery is retried with back-off
//   (webhook_retry_at); the loop returns after the delivery in progress and the queued
//   emits have ended. https URLs are verified against the system's CA store plus ca_file
//   (http/webhook.hpp); a TLS failure is retried like any transient failure.
// - Signing: a [[webhook]] row with its webhook's secret; a row whose URL is no longer
//   configured (after reconfigure) is given up. A callback row with callback_secret_for():
//   the message's client's secret (set_client_secrets) when it has one, else [http]
//   callback_secret, else the secret of the first [[webhook]] subscribed to message.status
//   that has one, else unsigned. Chosen at delivery, so a reload applies to queued rows.
// - Callback URLs and dlr-urls must pass [http] callback_hosts (http/callback_hosts.hpp):
//   check_callback_url() at submission, and again at delivery for the host and every
//   address it resolves to (a refused one is a rejection: not retried).
// - reconfigure() and set_client_secrets() apply at once, also to rows already queued; a
//   delivery in progress finishes with the settings it started with.
// Single-threaded: everything runs on the executor given at construction.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/gateway/webhook_payloads.hpp"
#include "smsgw/http/callback_hosts.hpp"
#include "smsgw/http/webhook.hpp"
#include "smsgw/scheduler/retry_policy.hpp"
#include "smsgw/store/store_worker.hpp"

namespace smsgw::gateway {

using TimePoint = std::chrono::system_clock::time_point;

// The back-off of webhook deliveries: 5 s after the first failure, doubling up to 1 h.
scheduler::RetryPolicy webhook_retry_policy();

// When to try a delivery again after it failed with `error` at `failed_at`, having failed
// `earlier_failures` times before; none to give up: the answer will not change
// (http::webhook_error_is_retryable is false) or the event is 3 days old.
std::optional<TimePoint> webhook_retry_at(const Error& error, std::uint32_t earlier_failures,
                                          TimePoint created_at, TimePoint failed_at);

// What the outbox delivers with; everything a config reload may change.
struct WebhookSettings {
  std::vector<config::WebhookConfig> webhooks;  // [[webhook]]
  std::vector<std::string> callback_hosts;      // [http] callback_hosts
  std::filesystem::path ca_file;                // [http] ca_file (resolved); empty: none
  std::string callback_secret;                  // [http] callback_secret

  static WebhookSettings from(const config::Config& config);
};

// The secret that signs a callback of a message submitted by `client` (see the contract
// above); empty = unsigned.
std::string callback_secret_for(const std::optional<std::string>& client,
                                const std::map<std::string, std::string>& client_secrets,
                                const std::string& callback_secret,
                                const std::vector<config::WebhookConfig>& webhooks);

class WebhookOutbox {
 public:
  // Only [[webhook]]s: no callbacks allowed, the system's CA store; reconfigure() for more.
  WebhookOutbox(asio::any_io_executor executor, std::vector<config::WebhookConfig> webhooks,
                store::StoreWorker& store);
  WebhookOutbox(const WebhookOutbox&) = delete;
  WebhookOutbox& operator=(const WebhookOutbox&) = delete;

  // Replaces the [[webhook]]s, callback hosts, CA file and callback secret (a SIGHUP
  // reload). On failure (an entry of callback_hosts that does not parse, a ca_file that
  // cannot be loaded: the message names the key) nothing changes.
  Result<void> reconfigure(WebhookSettings settings);
  // The secrets of the API clients by client name ([[client]] name -> secret; empty secrets
  // may be left out). Replaces the previous map.
  void set_client_secrets(std::map<std::string, std::string> name_to_secret);

  // Whether a message may carry `url` as its callback_url: "validation" with the reason
  // (e.g. "host 10.0.0.5 is a private address; list it in [http] callback_hosts to allow
  // it") when its host is not allowed; no field prefix.
  Result<void> check_callback_url(const std::string& url) const;

  // `payload_json` is the event's "data" object.
  void emit(const std::string& event, const std::string& payload_json);
  // message.status for one message; client and reference are filled from the store.
  void emit_message_status(MessageStatusEvent event);

  awaitable<void> run();
  void stop();

 private:
  awaitable<void> deliver_due();
  awaitable<void> deliver(store::WebhookDelivery delivery);
  std::vector<std::string> subscribers(const std::string& event) const;

  asio::any_io_executor executor_;
  WebhookSettings settings_;
  std::shared_ptr<const http::CallbackHosts> callback_hosts_;
  std::shared_ptr<http::WebhookTls> tls_;  // none: built per https delivery (system store)
                                           // when the CA store could not be loaded
  std::map<std::string, std::string> client_secrets_;
  store::StoreWorker& store_;
  Event wake_;
  TaskGroup emits_;
  bool stopping_ = false;
};

}  // namespace smsgw::gateway
