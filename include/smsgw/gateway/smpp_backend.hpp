// SmppBackend: the gateway's side of the SMPP server (smpp::Backend, issue 13).
//
// Contract:
// - authenticate(): authenticate_bind() over the configuration the gateway runs now (a
//   config reload applies to the next bind).
// - submit(): a whole message goes through the gateway's own submission path (the
//   `submit` hook: validation, normalisation, the client's limits, the durable store) with
//   an smpp MessageOrigin; its errors become submit_sm_resp statuses: "rate_limited" ->
//   ESME_RTHROTTLED; "validation" of `to` -> ESME_RINVDSTADR; any other "validation" ->
//   ESME_RSUBMITFAIL with its message; anything else (the store) -> ESME_RSYSERR.
//   A part of a client-split message (spec.part) is charged 1 part and stored durably
//   (Store::store_smpp_part) before it is answered with its group's message id; the part
//   that completes the group has the whole message built (the `build` hook, the text
//   joined in seq order, registered_delivery the OR of the parts') and stored with that id
//   in the transaction that removes the parts (the `store_group` hook). run()'s sweep, at
//   start and every 15 s, finishes complete groups left by a stop between the two steps
//   and fails those still incomplete after [smpp] parts_timeout ("smpp: 2 of 3 parts
//   arrived within 10m"). A part repeated after its group became a message starts a new
//   group (the client's reference is all there is to go by).
// - Deliveries: rows of the store's smpp_outbox, claimed in memory (a restart re-sends
//   what was in flight: at-least-once). delivered() deletes the row; refused() with
//   ESME_RX_R_APPN drops it (logged), any other status reschedules it 5 s after the first
//   failure, doubling up to 10 min. A row stays claimed until its store write committed.
// - Wake-ups, per client, no polling: notify(client) (inbound rows written, the gateway
//   calls it), message_final(id) for a message submitted over SMPP in this run (its
//   receipt may now wait), a claim released, a back-off ending. wait_for_deliveries()
//   returns at once when its client was notified since the last claim's read; stop()
//   wakes the waiters once (later waits sleep their timeout). Receipts of
//   messages submitted before a restart are found by the server's own timeout.
// Single-threaded: everything runs on the gateway's io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "smsgw/common/net.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/smpp/backend.hpp"
#include "smsgw/store/store_worker.hpp"
#include "smsgw/store/ulid.hpp"

namespace smsgw::gateway {

using TimePoint = std::chrono::system_clock::time_point;

// What the backend needs from the gateway (Gateway wires them; tests pass their own).
struct SmppHooks {
  // The submission path of POST /api/v1/messages (Gateway::submit without a key).
  std::function<awaitable<Result<http::SubmitReply>>(http::SubmitRequest)> submit;
  // Charges / refunds a client's parts against its [[client]] limits ("rate_limited",
  // "validation" when it can never fit).
  std::function<Result<void>(const std::string& client, std::size_t parts, TimePoint now)> charge;
  std::function<void(const std::string& client, std::size_t parts, TimePoint now)> refund;
  // The message builder (validation, normalisation, encoding).
  std::function<Result<store::NewMessage>(const http::SubmitRequest&, TimePoint now)> build;
  // Store::assemble_smpp_group, then what a stored submission sets off (dispatcher, live
  // stream, webhooks for a failed one). True when the group became a message here.
  std::function<awaitable<Result<bool>>(store::SmppGroupKey, store::NewMessage,
                                        std::optional<std::string> fail_error)>
      store_group;
};

// "10m", "90s", "2h": a parts_timeout as the failure message names it.
std::string short_duration(std::chrono::milliseconds duration);

// The delay before the next attempt after `earlier_failures` failed ones: 5 s doubling,
// at most 10 min.
std::chrono::seconds smpp_retry_delay(int earlier_failures);

// The deliver_sm body of a stored delivery; none when the row refers to nothing left.
std::optional<smpp::MessageBody> delivery_body(const store::SmppDelivery& delivery);

class SmppBackend final : public smpp::Backend {
 public:
  // `config` is the gateway's running configuration (a reload replaces it in place).
  SmppBackend(asio::any_io_executor executor, const config::Config& config,
              store::StoreWorker& store, SmppHooks hooks);

  smpp::Outcome<smpp::Account> authenticate(const smpp::BindRequest& request) override;
  awaitable<smpp::Outcome<std::string>> submit(smpp::Account account,
                                               smpp::SubmitSpec spec) override;
  awaitable<std::vector<smpp::Delivery>> claim_deliveries(std::string client,
                                                          std::size_t limit) override;
  awaitable<void> delivered(std::int64_t id) override;
  awaitable<void> refused(std::int64_t id, smpp::CommandStatus status) override;
  void released(const std::vector<std::int64_t>& ids) override;
  awaitable<void> wait_for_deliveries(std::string client,
                                      std::chrono::steady_clock::duration timeout) override;

  // The parts sweep (at once, then every 15 s) until stop().
  awaitable<void> run();
  void stop();
  // One pass of the sweep at `now` (run() calls it; tests too).
  awaitable<void> sweep(TimePoint now);

  // Deliveries for `client` may have been added.
  void notify(const std::string& client);
  // A message reached a final status: wakes its client when it was submitted over SMPP.
  void message_final(const std::string& id);

  // Claimed deliveries (tests, diagnostics).
  std::size_t claimed() const { return claims_.size(); }

 private:
  struct Claim {
    std::string client;
    int attempts = 0;
  };
  struct ClientSignal {
    std::uint64_t generation = 0;  // notifications so far
    std::uint64_t seen = 0;        // the generation the last claim's read started at
    std::vector<asio::steady_timer*> waiters;
    std::multiset<std::chrono::steady_clock::time_point> retries;  // back-offs ending
  };

  awaitable<smpp::Outcome<std::string>> submit_part(smpp::Account account, smpp::SubmitSpec spec);
  // Builds and stores the group's message (failed with `fail_error` when given).
  awaitable<void> finish_group(store::SmppGroupKey key, std::optional<std::string> fail_error);
  void remember(const std::string& id, const std::string& client);

  asio::any_io_executor executor_;
  const config::Config& config_;
  store::StoreWorker& store_;
  SmppHooks hooks_;
  store::UlidGenerator ids_;
  std::map<std::int64_t, Claim> claims_;
  std::map<std::string, ClientSignal> signals_;
  // Messages submitted over SMPP in this run and not yet final -> their client.
  std::unordered_map<std::string, std::string> client_of_message_;
  asio::steady_timer sweep_timer_;
  bool stopping_ = false;
};

}  // namespace smsgw::gateway
