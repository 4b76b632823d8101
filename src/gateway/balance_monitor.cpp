#include "smsgw/gateway/balance_monitor.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "smsgw/gateway/balance_parser.hpp"
#include "smsgw/scheduler/policy.hpp"

namespace smsgw::gateway {
namespace {

using json = nlohmann::json;
using store::Store;

// With nothing to wake it, the loop looks for due SIMs this often.
constexpr auto kDueCheck = std::chrono::seconds(30);

std::optional<std::string> opt(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional(v);
}

}  // namespace

LowBalanceDecision low_balance_decision(std::optional<double> amount,
                                        std::optional<double> threshold, bool paused_before) {
  const bool low = amount && threshold && *amount < *threshold;
  return LowBalanceDecision{low, low && !paused_before};
}

BalanceMonitor::BalanceMonitor(asio::any_io_executor executor,
                               const std::vector<config::OperatorConfig>& operators,
                               store::StoreWorker& store, ModemPool& pool, Dispatcher& dispatcher,
                               WebhookOutbox& outbox)
    : executor_(executor),
      operators_(operators),
      store_(store),
      pool_(pool),
      dispatcher_(dispatcher),
      outbox_(outbox),
      wake_(executor),
      checks_(executor) {}

void BalanceMonitor::stop() {
  stopping_ = true;
  wake_.set();
}

void BalanceMonitor::modem_ready() { wake_.set(); }

const store::BalanceRecord* BalanceMonitor::latest(const std::string& iccid) const {
  if (iccid.empty()) return nullptr;
  auto it = latest_.find(iccid);
  return it == latest_.end() ? nullptr : &it->second;
}

void BalanceMonitor::restore(const store::BalanceRecord& record) {
  latest_.try_emplace(record.iccid, record);
}

const config::OperatorConfig* BalanceMonitor::operator_config(const std::string& name) const {
  for (const auto& op : operators_) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

awaitable<void> BalanceMonitor::run() {
  // Each operator's interval; the first check as soon as the SIM is ready, so a SIM under
  // its threshold is paused before it sends much.
  std::map<std::string, TimePoint> due;
  while (!stopping_) {
    const auto now = std::chrono::system_clock::now();
    for (auto* actor : pool_.actors()) {
      const auto& snap = actor->snapshot();
      const auto sim = dispatcher_.sim_status(snap.id);
      if (!sim || snap.state != modem::ModemState::ready) continue;
      const auto* op = operator_config(sim->operator_name);
      if (op == nullptr || !op->balance || op->balance->interval.count() == 0) continue;
      auto [it, fresh] = due.try_emplace(snap.id, now);
      if (now < it->second) continue;
      it->second = now + op->balance->interval;
      checks_.spawn("balance: check of modem " + snap.id,
                    [this, actor]() -> awaitable<void> { (void)co_await check_one(*actor); });
    }
    wake_.reset();
    if (stopping_) break;
    co_await wake_.wait(kDueCheck);
  }
  co_await checks_.join();
}

awaitable<Result<std::vector<http::BalanceResult>>> BalanceMonitor::check(
    std::optional<std::string> modem_id) {
  std::vector<modem::ModemActor*> targets;
  if (modem_id) {
    auto* actor = pool_.find(*modem_id);
    if (actor == nullptr) {
      co_return make_error(ErrorCode::not_found, "no modem with id \"" + *modem_id + "\"");
    }
    targets.push_back(actor);
  } else {
    targets = pool_.actors();
  }
  // In parallel across modems: each USSD takes seconds.
  std::vector<http::BalanceResult> results(targets.size());
  TaskGroup checks(executor_);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    checks.spawn("balance: check of modem " + targets[i]->snapshot().id,
                 [this, &results, i, actor = targets[i]]() -> awaitable<void> {
                   results[i] = co_await check_one(*actor);
                 });
  }
  co_await checks.join();
  co_return results;
}

awaitable<http::BalanceResult> BalanceMonitor::check_one(modem::ModemActor& actor) {
  auto result = co_await run_check(actor);
  if (on_checked_) on_checked_(result);
  co_return result;
}

awaitable<http::BalanceResult> BalanceMonitor::run_check(modem::ModemActor& actor) {
  const auto snap = actor.snapshot();
  http::BalanceResult r;
  r.modem = snap.id;
  r.imei = opt(snap.imei);
  r.iccid = opt(snap.iccid);
  const auto sim = dispatcher_.sim_status(snap.id);
  const std::string op_name = sim ? sim->operator_name : "";
  if (!op_name.empty()) r.operator_name = op_name;
  const auto* op = operator_config(op_name);
  if (op == nullptr || !op->balance) {
    r.error = op == nullptr ? "the SIM's operator is not configured ([[operator]] mccmnc)"
                            : "no balance check configured for operator " + op_name;
    co_return r;
  }
  // A copy: a config reload may replace the operators while the USSD runs.
  const config::BalanceConfig balance = *op->balance;
  auto reply = co_await actor.ussd(balance.ussd);
  if (!reply) {
    r.error = reply.error().message;
    co_return r;
  }
  const auto now = std::chrono::system_clock::now();
  r.raw = reply->text;
  r.amount = parse_balance(reply->text, balance.pattern);
  r.currency = balance.currency;
  r.checked_at = now;
  if (!r.amount) r.error = "the reply did not match the operator's balance pattern";
  if (!snap.iccid.empty()) {
    store::BalanceRecord record{snap.iccid, r.amount, r.currency, r.raw, now};
    latest_[snap.iccid] = record;
    auto job = [record](Store& s) { return s.record_balance(record); };
    (void)co_await store_.call(job);
    const auto decision =
        low_balance_decision(r.amount, balance.low_balance, sim && sim->low_balance);
    dispatcher_.set_paused(snap.id, decision.paused);
    if (decision.raise_event) {
      spdlog::warn("modem {}: balance {} {} is below {}; paused for sending", snap.id, *r.amount,
                   r.currency, *balance.low_balance);
      outbox_.emit("sim.low_balance", json{{"modem", snap.id},
                                           {"iccid", snap.iccid},
                                           {"operator", op_name},
                                           {"amount", *r.amount},
                                           {"currency", r.currency},
                                           {"threshold", *balance.low_balance},
                                           {"checked_at", scheduler::format_utc(now)}}
                                          .dump());
    }
  }
  co_return r;
}

}  // namespace smsgw::gateway
