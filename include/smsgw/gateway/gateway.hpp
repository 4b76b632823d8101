// Gateway: the running smsgw. It implements the facade the HTTP API serves
// (http::GatewayApi), listens to the modems (modem::ModemListener) and to the dispatcher
// (DispatchObserver), and owns what connects them: the message builder, the dispatcher, the
// modem pool, the balance monitor, metrics and the webhook outbox.
//
// Contract:
// - A submission is answered only after the store committed it (StoreWorker), then the
//   dispatcher gets it at once.
// - An inbound message or a status report is acknowledged to the modem (which then deletes
//   it from the SIM) only after it is committed.
// - Webhook events (message.status, message.received, sim.low_balance, modem.down,
//   modem.up) are written to the store's outbox right after the change is recorded, then
//   delivered with retries and back-off; a receiver that is down loses nothing.
// - Balance checks run on request and every [[operator]] balance.interval; a SIM below its
//   operator's low_balance is paused for sending and raises `sim.low_balance`.
// - Live control (live_control.hpp): SIMs paused by hand are read from the store before
//   any modem runs, so a pause survives a restart; modem.down / modem.up come from
//   ModemWatch (modem_watch.hpp), fed with every state change.
// - The live stream (live_feed.hpp) hears of every message status change (also `queued`
//   and `sending`), complete inbound message, balance result, modem change and part sent.
// - stop(): no new send starts; once the sends in flight have ended the modems close, and
//   run() returns when the loops have ended (it waits for them, never for a timer).
// Single-threaded: everything runs on the io_context given at construction (the store's
// thread excepted, behind StoreWorker).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "smsgw/common/net.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/gateway/balance_monitor.hpp"
#include "smsgw/gateway/dispatcher.hpp"
#include "smsgw/gateway/live_control.hpp"
#include "smsgw/gateway/live_feed.hpp"
#include "smsgw/gateway/message_builder.hpp"
#include "smsgw/gateway/metrics.hpp"
#include "smsgw/gateway/modem_pool.hpp"
#include "smsgw/gateway/modem_watch.hpp"
#include "smsgw/gateway/node_registry.hpp"
#include "smsgw/gateway/smpp_backend.hpp"
#include "smsgw/gateway/webhook_outbox.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/modem/modem.hpp"
#include "smsgw/scheduler/client_quota.hpp"
#include "smsgw/scheduler/operators.hpp"
#include "smsgw/store/store_worker.hpp"

namespace smsgw::gateway {

class Gateway final : public http::GatewayApi,
                      public modem::ModemListener,
                      public DispatchObserver {
 public:
  // `operators` must outlive the gateway; `calendar` is the one of [routing] timezone
  // (load_for_serving). `opener` lets tests hand in their own ports.
  Gateway(asio::any_io_executor executor, config::Config config, store::StoreWorker& store,
          const scheduler::OperatorTable& operators, scheduler::LocalCalendar calendar,
          std::shared_ptr<modem::PortOpener> opener = modem::make_tty_port_opener());
  ~Gateway() override;

  // Applies the store's restart rule, then runs the modems, the dispatcher, the balance
  // monitor and the webhook outbox until stop(); returns when all of them have ended.
  awaitable<void> run();
  void stop();

  // A config reload (SIGHUP): applies what can change live (limits, operators' settings,
  // routing, retry, [[sim]] tables, modem ports, clients' limits, webhooks, balance
  // checks) and keeps the running [store] and [http] listen. `calendar` is the one of
  // next.routing.timezone; the operator table was replaced in place by the caller.
  void reconfigure(config::Config next, scheduler::LocalCalendar calendar);
  // The webhook outbox, for a config reload (WebhookOutbox::reconfigure) and the API
  // clients' secrets (WebhookOutbox::set_client_secrets).
  WebhookOutbox& webhooks() { return outbox_; }
  // The SMPP server's backend (smpp_backend.hpp): binds over the running [[client]]s,
  // submissions through this gateway, receipts and inbound messages from the store's
  // smpp_outbox. Lives as long as the gateway; its parts sweep runs inside run().
  SmppBackend& smpp_backend() { return smpp_; }
  // The queue in the shared store changed (store::QueueListener's callback): the
  // dispatcher reads it again. Safe from any thread (posted to the gateway's executor).
  void request_reload();
  // The other nodes' registry; null unless the store is shared ([store] url).
  const NodeRegistry* nodes() const { return nodes_.get(); }

  // http::GatewayApi
  awaitable<Result<http::SubmitReply>> submit(http::SubmitRequest request,
                                              std::optional<http::IdempotencyKey> key) override;
  awaitable<Result<http::SubmitReply>> submit_batch(
      std::vector<http::SubmitRequest> requests, std::optional<http::IdempotencyKey> key) override;
  awaitable<Result<http::Message>> get_message(std::string id) override;
  awaitable<Result<http::MessagePage>> list_messages(http::MessageQuery query) override;
  awaitable<Result<http::Message>> cancel_message(std::string id) override;
  awaitable<Result<std::vector<http::ModemInfo>>> list_modems() override;
  awaitable<Result<http::UssdReply>> ussd(std::string modem_id, std::string code) override;
  awaitable<Result<std::vector<http::BalanceResult>>> check_balance(
      std::optional<std::string> modem_id) override;
  awaitable<Result<http::ModemInfo>> pause_modem(std::string modem_id, std::string by) override;
  awaitable<Result<http::ModemInfo>> resume_modem(std::string modem_id) override;
  awaitable<Result<http::ModemInfo>> reset_modem(std::string modem_id) override;
  awaitable<Result<http::InboxPage>> inbox(http::InboxQuery query) override;
  awaitable<Result<http::MetricsSnapshot>> metrics() override;
  http::EventHub& event_hub() override { return feed_.hub(); }
  awaitable<Result<http::EventReplay>> events_after(std::int64_t after, int limit) override;
  awaitable<Result<http::Stats>> stats() override;
  awaitable<Result<http::GatewayInfo>> info() override;

  // modem::ModemListener
  void on_state_changed(const modem::ModemSnapshot& snapshot) override;
  // Both resume after the store's commit: true (stored, the modem may delete or acknowledge
  // it) or false (kept on the SIM, offered again).
  awaitable<bool> on_inbound(modem::InboundSms sms) override;
  awaitable<bool> on_status_report(modem::StatusReportEvent event) override;

  // DispatchObserver
  void on_message_status(const std::string& id, store::MessageStatus status,
                         const std::string& modem) override;
  void on_part_sent(const std::string& modem, double seconds_since_accepted) override;
  void on_part_failed(const std::string& modem, const Error& error) override;

 private:
  awaitable<Result<http::SubmitReply>> store_submission(std::vector<store::NewMessage> messages,
                                                        std::optional<http::IdempotencyKey> key,
                                                        std::optional<std::string> client);
  MessageBuilderOptions builder_options();
  // The [[sim]] pin of the SIM with `iccid`, if any.
  std::optional<std::string> sim_pin(const std::string& iccid) const;
  // The [[sim]] table of `iccid`, or null.
  const config::SimConfig* sim_config(const std::string& iccid) const;
  // Charges a client's submission of `parts` to its [[client]] limits: an Error
  // "rate_limited" (with retry_after) or "validation" when it does not fit.
  Result<void> charge_client(const std::string& client, std::size_t parts, TimePoint now);
  void refund_client(const std::string& client, std::size_t parts, TimePoint now);
  // The store holds an answer for this Idempotency-Key.
  awaitable<bool> idempotency_key_known(std::string key);
  void apply_client_limits();
  // After a start (or a change of time zone): each client's parts submitted today, from
  // the store, so per_day holds across restarts.
  awaitable<void> restore_client_counts();
  awaitable<void> record_sim(store::SimSeen sim);
  awaitable<void> close_modems_after_sends();
  void emit(const std::string& event, const std::string& payload_json);
  // SmppBackend's hooks into this gateway (src/gateway/gateway_smpp.cpp).
  SmppHooks smpp_hooks();
  // A client-split SMPP message made whole (or failed): stored with its `queued` event in
  // one job, then handed to the dispatcher (or reported failed).
  awaitable<Result<bool>> store_smpp_group(store::SmppGroupKey key, store::NewMessage message,
                                           std::optional<std::string> fail_error);
  // GET /api/v1/modems' entry of one modem (live_control: after a pause, resume or reset).
  http::ModemInfo info_of(const modem::ModemSnapshot& snapshot) const;
  Result<http::ModemInfo> info_of(const std::string& modem_id);
  std::optional<std::string> operator_of(const std::string& modem_id) const;
  // ---- Several nodes (src/gateway/gateway_nodes.cpp) ----
  // The registry when the store is shared, else null.
  std::unique_ptr<NodeRegistry> make_node_registry();
  // The heartbeat loop and the [node] poll of the queue (shared store only).
  void start_node_loops();
  // "modem.on_other_node" (409) when `modem_id` is a modem of another node.
  std::optional<Error> elsewhere(const std::string& modem_id);
  // This node's modems as the heartbeat stores them (GET /api/v1/modems items).
  std::vector<store::NodeModemRecord> local_modem_rows();
  // The other nodes' modems by id, less any that has moved to this node since (one with
  // our id but another IMEI is listed: a conflict, apply_id_conflicts).
  std::vector<std::pair<std::string, const RemoteModem*>> remote_modems();
  // The other nodes' modems as GET /api/v1/modems lists them.
  std::vector<http::ModemInfo> remote_modem_infos();
  // POST /api/v1/balance's entries for the other nodes' SIMs: not checked here.
  std::vector<http::BalanceResult> remote_balance_entries();
  // After each read of the nodes: this node's modem id conflicts (NodeRegistry) logged as
  // they begin and end, and the modems that yield paused in the dispatcher (returned: their
  // pinned messages are the other node's).
  std::set<std::string> apply_id_conflicts();
  // A modem came into service or left it: the other nodes learn this node's new weight in
  // the queue's split (queue_share.hpp) from an early heartbeat.
  void note_in_service(const modem::ModemSnapshot& snapshot);

  // "validation" ("callback_url: <reason>") when the request's callback_url may not be used.
  Result<void> check_callback(const http::SubmitRequest& request) const;

  asio::any_io_executor executor_;
  config::Config config_;
  store::StoreWorker& store_;
  const scheduler::OperatorTable& operators_;
  scheduler::LocalCalendar calendar_;  // [routing] timezone
  MessageBuilder builder_;
  Metrics metrics_;
  Dispatcher dispatcher_;
  ModemPool pool_;
  WebhookOutbox outbox_;
  BalanceMonitor balances_;
  LiveControl live_;  // pause, resume, reset (src/gateway/live_control.cpp)
  ModemWatch watch_;  // modem.down / modem.up
  LiveFeed feed_;     // GET /api/v1/events, GET /api/v1/stats
  SmppBackend smpp_;  // the SMPP server's backend (its network side is src/smpp_server)
  std::unique_ptr<NodeRegistry> nodes_;                   // other nodes; null unless [store] url
  std::map<std::string, scheduler::ClientQuota> quotas_;  // by [[client]] name
  std::set<std::string> sims_seen_;                       // ICCIDs recorded this run
  std::set<std::pair<std::string, std::string>> id_conflicts_;  // (modem, node) as logged
  std::map<std::string, bool> in_service_;  // by modem id, as note_in_service last saw it
  std::map<std::string, std::string> operator_of_message_;  // id -> destination operator (metrics)
  TaskGroup tasks_;  // the loops above, SIM records, the closing of the modems
  bool stopping_ = false;
};

}  // namespace smsgw::gateway
