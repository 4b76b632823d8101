// BalanceMonitor: the SIMs' prepaid balances. It runs each operator's balance USSD
// ([[operator]] balance) on request and every balance.interval, keeps the latest reading of
// each SIM, and pauses a SIM for sending while it is under its operator's low_balance.
//
// Contract:
// - A SIM is checked as soon as its modem is ready (modem_ready()), then every interval of
//   its operator (an interval of 0: only on request).
// - Every reading is recorded in the store. A reading under the threshold pauses the SIM
//   (Dispatcher::set_paused) and, when it was not paused before, raises `sim.low_balance`;
//   any other reading resumes it (low_balance_decision).
// - run() returns after stop() once the checks in progress have ended.
// Single-threaded: everything runs on the executor given at construction.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/gateway/dispatcher.hpp"
#include "smsgw/gateway/modem_pool.hpp"
#include "smsgw/gateway/webhook_outbox.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/modem/modem.hpp"
#include "smsgw/store/records.hpp"
#include "smsgw/store/store_worker.hpp"

namespace smsgw::gateway {

struct LowBalanceDecision {
  bool paused = false;       // the SIM takes no messages
  bool raise_event = false;  // `sim.low_balance`: it has just become low
};

// After a reading of `amount` (none: the reply did not match the pattern) against the
// operator's `threshold` (none: no threshold) of a SIM that was `paused_before`.
LowBalanceDecision low_balance_decision(std::optional<double> amount,
                                        std::optional<double> threshold, bool paused_before);

class BalanceMonitor {
 public:
  // `operators`, `store`, `pool`, `dispatcher` and `outbox` must outlive the monitor.
  BalanceMonitor(asio::any_io_executor executor,
                 const std::vector<config::OperatorConfig>& operators, store::StoreWorker& store,
                 ModemPool& pool, Dispatcher& dispatcher, WebhookOutbox& outbox);
  BalanceMonitor(const BalanceMonitor&) = delete;
  BalanceMonitor& operator=(const BalanceMonitor&) = delete;

  // Checks the SIMs whose interval is due until stop().
  awaitable<void> run();
  void stop();
  // A modem became ready: its SIM is checked at once when it is due.
  void modem_ready();

  // One modem (a one-element list; "not_found" for an unknown id) or, with none, every modem
  // in parallel; a SIM that cannot be checked has BalanceResult::error.
  awaitable<Result<std::vector<http::BalanceResult>>> check(std::optional<std::string> modem_id);

  // Called with every check's result (scheduled or asked for), once it is recorded.
  void on_checked(std::function<void(const http::BalanceResult&)> listener) {
    on_checked_ = std::move(listener);
  }

  // The latest reading of the SIM, none when it was never checked.
  const store::BalanceRecord* latest(const std::string& iccid) const;
  // A reading from an earlier run, kept unless this run has read the SIM already.
  void restore(const store::BalanceRecord& record);

 private:
  awaitable<http::BalanceResult> check_one(modem::ModemActor& actor);
  awaitable<http::BalanceResult> run_check(modem::ModemActor& actor);
  const config::OperatorConfig* operator_config(const std::string& name) const;

  asio::any_io_executor executor_;
  const std::vector<config::OperatorConfig>& operators_;
  store::StoreWorker& store_;
  ModemPool& pool_;
  Dispatcher& dispatcher_;
  WebhookOutbox& outbox_;
  std::function<void(const http::BalanceResult&)> on_checked_;
  std::map<std::string, store::BalanceRecord> latest_;  // by ICCID
  Event wake_;                                          // stop, or a modem became ready
  TaskGroup checks_;                                    // the interval's checks
  bool stopping_ = false;
};

}  // namespace smsgw::gateway
