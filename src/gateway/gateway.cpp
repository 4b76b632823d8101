#include "smsgw/gateway/gateway.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "smsgw/gateway/balance_parser.hpp"
#include "smsgw/gateway/time_convert.hpp"
#include "smsgw/http/webhook.hpp"
#include "smsgw/store/ulid.hpp"

namespace smsgw::gateway {
namespace {

using store::Store;
using json = nlohmann::json;

std::vector<pdu::NationalLanguage> languages_of(const std::vector<std::string>& names) {
  std::vector<pdu::NationalLanguage> out;
  for (const auto& name : names) {
    if (auto lang = pdu::national_language_from_name(name)) out.push_back(*lang);
  }
  return out;
}

DispatcherOptions dispatcher_options(const config::Config& c) {
  DispatcherOptions o;
  o.routing.fallback = c.routing.fallback == config::Fallback::any ? scheduler::Fallback::any
                                                                   : scheduler::Fallback::none;
  o.routing.fallback_wait = c.routing.fallback_wait;
  o.retry.max_attempts = c.retry.max_attempts;
  o.retry.backoff_initial = c.retry.backoff_initial;
  o.retry.backoff_max = c.retry.backoff_max;
  o.retry.resend_unknown_outcome = c.store.at_least_once;
  o.health.failures_to_bench = c.retry.bench_after_failures;
  o.health.cooldown = c.retry.bench_cooldown;
  for (const auto& op : c.operators) {
    o.operator_limits[op.name] = scheduler::Limits{op.limits.per_minute, op.limits.per_day};
  }
  return o;
}

http::Message to_api(const store::StoredMessage& m) {
  http::Message out;
  out.id = m.id;
  out.to = m.to;
  out.text = m.text;
  out.status = std::string(store::to_string(m.status));
  out.operator_name = m.destination_operator;
  out.modem = m.assigned_modem;
  for (const auto& p : m.parts) {
    http::MessagePart part;
    part.index = p.index;
    part.status = std::string(store::to_string(p.status));
    part.modem = p.modem;
    part.mr = p.mr;
    part.error = p.error;
    part.sent_at = p.sent_at;
    part.delivered_at = p.delivered_at;
    out.parts.push_back(std::move(part));
  }
  out.attempts = m.attempts;
  out.created_at = m.created_at;
  out.sent_at = m.sent_at;
  out.delivered_at = m.delivered_at;
  out.error = m.last_error;
  for (const auto& e : m.events) {
    out.events.push_back(
        http::MessageEvent{e.at, e.kind, e.detail_json == "{}" ? "" : e.detail_json});
  }
  return out;
}

std::string ussd_status_name(int m) {
  switch (m) {
    case 0:
      return "done";
    case 1:
      return "action_required";
    case 2:
      return "terminated";
    case 3:
      return "other_client";
    case 4:
      return "unsupported";
    case 5:
      return "timeout";
    default:
      return "unknown";
  }
}

// Maps modem-layer errors to the facade's codes (gateway_api.hpp).
Error to_api_error(const Error& e) {
  std::string code = "unavailable";
  if (e.code == "modem.ussd_timeout" || e.code == "at.timeout") code = "timeout";
  if (e.code == "modem.ussd_code") code = "validation";
  return make_error(code, e.message);
}

// An empty snapshot field means "not known yet": absent in the API.
std::optional<std::string> opt(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional(v);
}

std::string rfc3339(TimePoint t) { return scheduler::format_utc(t); }

}  // namespace

Gateway::Gateway(asio::any_io_executor executor, config::Config config, store::StoreWorker& store,
                 const scheduler::OperatorTable& operators,
                 std::shared_ptr<modem::PortOpener> opener)
    : executor_(executor),
      config_(std::move(config)),
      store_(store),
      operators_(operators),
      builder_(MessageBuilderOptions{config_.routing.default_country_code, config_.sms.max_parts,
                                     languages_of(config_.sms.shift_tables),
                                     [this](const std::string& id) { return pool_.knows(id); }},
               operators),
      dispatcher_(executor, store, operators, dispatcher_options(config_), *this),
      pool_(executor, config_.modems, config_.modem_polling, config_.ussd, *this,
            ModemPool::Hooks{[this](modem::ModemActor& actor, scheduler::Limits limits) {
                               dispatcher_.attach(actor, limits);
                             },
                             [this](const std::string& id) { dispatcher_.detach(id); }},
            std::move(opener)),
      balance_wake_(executor),
      webhook_wake_(executor) {}

Gateway::~Gateway() = default;

void Gateway::stop() {
  if (stopping_) return;
  stopping_ = true;
  dispatcher_.stop();
  balance_wake_.set();
  webhook_wake_.set();
  // The ports close only after the sends in flight have ended (each within its modem's
  // send timeout), so a stop leaves no part of unknown outcome behind.
  auto longest = std::chrono::seconds(60);
  for (const auto& m : config_.modems) {
    longest = std::max(longest, std::chrono::duration_cast<std::chrono::seconds>(m.send_timeout));
  }
  const auto deadline = std::chrono::steady_clock::now() + longest + std::chrono::seconds(5);
  asio::co_spawn(
      executor_,
      [this, deadline]() -> awaitable<void> {
        while (dispatcher_.sends_in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
          asio::steady_timer pause(executor_, std::chrono::milliseconds(20));
          co_await pause.async_wait(use_awaitable);
        }
        pool_.stop();
      },
      asio::detached);
}

awaitable<void> Gateway::run() {
  const auto now = std::chrono::system_clock::now();
  const bool at_least_once = config_.store.at_least_once;
  auto job = [at_least_once, now](Store& s) { return s.recover_after_restart(at_least_once, now); };
  auto recovered = co_await store_.call(job);
  if (!recovered) {
    spdlog::error("store: restart recovery failed: {}", recovered.error().message);
  } else if (!recovered->unknown.empty() || !recovered->requeued.empty()) {
    spdlog::warn(
        "store: after restart {} message(s) have parts of unknown outcome (not resent{}), "
        "{} requeued",
        recovered->unknown.size(), at_least_once ? "" : "; store.at_least_once is off",
        recovered->requeued.size());
  }

  std::size_t running = 3;
  Event done(executor_);
  auto track = [&](awaitable<void> task, const char* name) -> awaitable<void> {
    try {
      co_await std::move(task);
    } catch (const std::exception& e) {
      spdlog::critical("gateway: {} stopped by a bug: {}", name, e.what());
    }
    if (--running == 0) done.set();
  };
  asio::co_spawn(executor_, track(pool_.run(), "modem pool"), asio::detached);
  asio::co_spawn(executor_, track(dispatcher_.run(), "dispatcher"), asio::detached);
  asio::co_spawn(executor_, track(webhook_loop(), "webhooks"), asio::detached);
  asio::co_spawn(executor_, balance_loop(), asio::detached);
  co_await done.wait();
}

// ---- Submissions ------------------------------------------------------------------------

awaitable<Result<http::SubmitReply>> Gateway::submit(http::SubmitRequest request,
                                                     std::optional<http::IdempotencyKey> key) {
  auto built = builder_.build(request, std::chrono::system_clock::now());
  if (!built) co_return built.error();
  std::vector<store::NewMessage> messages;
  messages.push_back(std::move(*built));
  co_return co_await store_submission(std::move(messages), std::move(key));
}

awaitable<Result<http::SubmitReply>> Gateway::submit_batch(
    std::vector<http::SubmitRequest> requests, std::optional<http::IdempotencyKey> key) {
  if (requests.empty()) co_return make_error("validation", "messages: must not be empty");
  std::vector<store::NewMessage> messages;
  messages.reserve(requests.size());
  const auto now = std::chrono::system_clock::now();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto built = builder_.build(requests[i], now);
    if (!built) {
      co_return make_error(built.error().code,
                           "messages[" + std::to_string(i) + "]." + built.error().message);
    }
    messages.push_back(std::move(*built));
  }
  co_return co_await store_submission(std::move(messages), std::move(key));
}

awaitable<Result<http::SubmitReply>> Gateway::store_submission(
    std::vector<store::NewMessage> messages, std::optional<http::IdempotencyKey> key) {
  // Ids are given here so that the idempotency record (the answer to replay) is written in
  // the same transaction as the messages.
  static thread_local store::UlidGenerator ids;
  const auto now = std::chrono::system_clock::now();
  http::SubmitReply reply;
  json body = json::array();
  for (auto& m : messages) {
    m.id = ids.next(now);
    reply.accepted.push_back(
        http::AcceptedMessage{m.id, static_cast<int>(m.parts.size()), m.encoding});
    body.push_back({{"id", m.id}, {"parts", m.parts.size()}, {"encoding", m.encoding}});
  }
  std::optional<store::IdempotencyRecord> record;
  if (key) {
    record = store::IdempotencyRecord{key->key, key->fingerprint, 202, body.dump(), now};
  }
  auto job = [&messages, &record](Store& s) { return s.insert_messages(messages, record); };
  auto stored = co_await store_.call(job);
  if (!stored) {
    co_return make_error(stored.error().code == "conflict" ? "conflict" : "unavailable",
                         stored.error().message);
  }
  if (stored->replay) {
    http::SubmitReply replay;
    replay.replayed = true;
    const auto first = json::parse(stored->replay->response_body, nullptr, false);
    if (first.is_array()) {
      for (const auto& entry : first) {
        replay.accepted.push_back(http::AcceptedMessage{
            entry.value("id", ""), entry.value("parts", 0), entry.value("encoding", "")});
      }
    }
    co_return replay;
  }
  for (auto& m : messages) {
    metrics_.submitted(m.destination_operator.value_or(""));
    if (m.destination_operator) operator_of_message_[m.id] = *m.destination_operator;
    dispatcher_.enqueue(queued_from(m, now));
  }
  co_return reply;
}

// ---- Messages ---------------------------------------------------------------------------

awaitable<Result<http::Message>> Gateway::get_message(std::string id) {
  auto job = [id](Store& s) { return s.get_message(id); };
  auto m = co_await store_.call(job);
  if (!m) co_return m.error();
  co_return to_api(*m);
}

awaitable<Result<http::MessagePage>> Gateway::list_messages(http::MessageQuery query) {
  store::ListQuery q;
  if (query.status) {
    q.status = store::parse_message_status(*query.status);
    if (!q.status)
      co_return make_error("invalid", "status: unknown status \"" + *query.status + "\"");
  }
  q.limit = query.limit;
  q.before = query.before;
  auto job = [q](Store& s) { return s.list_messages(q); };
  auto page = co_await store_.call(job);
  if (!page) co_return page.error();
  http::MessagePage out;
  for (const auto& m : page->messages) out.messages.push_back(to_api(m));
  out.next_before = page->next_before;
  co_return out;
}

awaitable<Result<http::Message>> Gateway::cancel_message(std::string id) {
  const auto now = std::chrono::system_clock::now();
  auto job = [id, now](Store& s) { return s.cancel(id, now); };
  auto m = co_await store_.call(job);
  if (!m) co_return m.error();
  dispatcher_.forget(id);
  on_message_status(id, store::MessageStatus::cancelled, "");
  co_return to_api(*m);
}

// ---- Modems, USSD, balances ---------------------------------------------------------------

awaitable<Result<std::vector<http::ModemInfo>>> Gateway::list_modems() {
  std::vector<http::ModemInfo> out;
  for (auto* actor : pool_.actors()) {
    const auto& s = actor->snapshot();
    http::ModemInfo info;
    info.id = s.id;
    info.port = s.port;
    info.state = std::string(modem::to_string(s.state));
    info.imei = opt(s.imei);
    info.imsi = opt(s.imsi);
    info.iccid = opt(s.iccid);
    info.mccmnc = opt(s.mccmnc);
    if (s.csq && *s.csq != 99) info.csq = s.csq;
    info.dbm = s.dbm;
    info.registration = s.registration;
    info.errors = s.errors_total;
    if (s.last_error) info.last_error = s.last_error->message;
    if (auto sim = dispatcher_.sim_status(s.id)) {
      if (!sim->operator_name.empty()) info.operator_name = sim->operator_name;
      info.sent_today = sim->sent_today;
      info.daily_limit = sim->per_day;
      if (sim->paused) {
        info.paused = "low_balance";
      } else if (sim->benched) {
        info.paused = "benched";
      }
      info.queue = sim->queue;
    }
    if (auto b = balances_.find(s.iccid); !s.iccid.empty() && b != balances_.end()) {
      info.balance =
          http::Balance{b->second.amount, b->second.currency, b->second.raw, b->second.checked_at};
    }
    out.push_back(std::move(info));
  }
  co_return out;
}

awaitable<Result<http::UssdReply>> Gateway::ussd(std::string modem_id, std::string code) {
  auto* actor = pool_.find(modem_id);
  if (actor == nullptr) co_return make_error("not_found", "no modem with id \"" + modem_id + "\"");
  auto reply = co_await actor->ussd(std::move(code));
  // The network's own refusals are answers, not failures of the gateway (TS 27.007 +CUSD <m>).
  if (!reply && reply.error().code == "modem.ussd_unsupported") {
    co_return http::UssdReply{"", ussd_status_name(4)};
  }
  if (!reply && reply.error().code == "modem.ussd") {
    co_return http::UssdReply{"", ussd_status_name(3)};
  }
  if (!reply) co_return to_api_error(reply.error());
  co_return http::UssdReply{reply->text, ussd_status_name(reply->status)};
}

const config::OperatorConfig* Gateway::operator_config(const std::string& name) const {
  for (const auto& op : config_.operators) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

awaitable<http::BalanceResult> Gateway::balance_of(modem::ModemActor& actor) {
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
  auto reply = co_await actor.ussd(op->balance->ussd);
  if (!reply) {
    r.error = reply.error().message;
    co_return r;
  }
  const auto now = std::chrono::system_clock::now();
  r.raw = reply->text;
  r.amount = parse_balance(reply->text, op->balance->pattern);
  r.currency = op->balance->currency;
  r.checked_at = now;
  if (!r.amount) r.error = "the reply did not match the operator's balance pattern";
  if (!snap.iccid.empty()) {
    store::BalanceRecord record{snap.iccid, r.amount, r.currency, r.raw, now};
    balances_[snap.iccid] = record;
    auto job = [record](Store& s) { return s.record_balance(record); };
    (void)co_await store_.call(job);
    const bool low = r.amount && op->balance->low_balance && *r.amount < *op->balance->low_balance;
    const bool was_paused = sim && sim->paused;
    dispatcher_.set_paused(snap.id, low);
    if (low && !was_paused) {
      spdlog::warn("modem {}: balance {} {} is below {}; paused for sending", snap.id, *r.amount,
                   r.currency, *op->balance->low_balance);
      emit("sim.low_balance", json{{"modem", snap.id},
                                   {"iccid", snap.iccid},
                                   {"operator", op_name},
                                   {"amount", *r.amount},
                                   {"currency", r.currency},
                                   {"threshold", *op->balance->low_balance},
                                   {"checked_at", rfc3339(now)}}
                                  .dump());
    }
  }
  co_return r;
}

awaitable<Result<std::vector<http::BalanceResult>>> Gateway::check_balance(
    std::optional<std::string> modem_id) {
  std::vector<modem::ModemActor*> targets;
  if (modem_id) {
    auto* actor = pool_.find(*modem_id);
    if (actor == nullptr)
      co_return make_error("not_found", "no modem with id \"" + *modem_id + "\"");
    targets.push_back(actor);
  } else {
    targets = pool_.actors();
  }
  // In parallel across modems: each USSD takes seconds.
  std::vector<http::BalanceResult> results(targets.size());
  std::size_t pending = targets.size();
  Event all_done(executor_);
  if (pending == 0) all_done.set();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    asio::co_spawn(
        executor_,
        [this, &results, &pending, &all_done, i, actor = targets[i]]() -> awaitable<void> {
          results[i] = co_await balance_of(*actor);
          if (--pending == 0) all_done.set();
        },
        asio::detached);
  }
  co_await all_done.wait();
  co_return results;
}

awaitable<void> Gateway::balance_loop() {
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
      asio::co_spawn(
          executor_, [this, actor]() -> awaitable<void> { (void)co_await balance_of(*actor); },
          asio::detached);
    }
    balance_wake_.reset();
    if (stopping_) break;
    co_await balance_wake_.wait(std::chrono::seconds(30));
  }
}

// ---- Inbox and metrics ------------------------------------------------------------------

awaitable<Result<http::InboxPage>> Gateway::inbox(http::InboxQuery query) {
  auto job = [query](Store& s) { return s.list_inbox(query.limit, query.before); };
  auto page = co_await store_.call(job);
  if (!page) co_return page.error();
  http::InboxPage out;
  for (const auto& m : page->messages) {
    http::InboundMessage msg;
    msg.id = m.id;
    msg.modem = m.modem;
    msg.from = m.sender;
    msg.text = m.text;
    msg.parts = m.total;
    msg.parts_received = m.parts_received;
    msg.sent_at = m.smsc_time;
    msg.received_at = m.received_at;
    out.messages.push_back(std::move(msg));
  }
  out.next_before = page->next_before;
  co_return out;
}

awaitable<Result<http::MetricsSnapshot>> Gateway::metrics() {
  auto job = [](Store& s) { return s.count_by_status(); };
  auto counts = co_await store_.call(job);
  http::MetricsSnapshot snap;
  if (counts) {
    for (const auto& [status, n] : *counts) {
      snap.messages_by_status.emplace_back(std::string(store::to_string(status)),
                                           static_cast<std::uint64_t>(n));
      if (status == store::MessageStatus::queued) snap.queue_depth = static_cast<std::uint64_t>(n);
    }
  }
  snap.operators = metrics_.operators();
  for (auto* actor : pool_.actors()) {
    const auto& s = actor->snapshot();
    http::ModemMetrics m;
    m.id = s.id;
    const auto sim = dispatcher_.sim_status(s.id);
    if (sim && !sim->operator_name.empty()) m.operator_name = sim->operator_name;
    m.state = std::string(modem::to_string(s.state));
    m.up = s.state == modem::ModemState::ready || s.state == modem::ModemState::sending;
    m.signal_dbm = s.dbm;
    if (auto b = balances_.find(s.iccid); !s.iccid.empty() && b != balances_.end()) {
      m.balance = b->second.amount;
      m.balance_currency = b->second.currency;
    }
    m.sent = metrics_.sent(s.id);
    m.failed = metrics_.failed(s.id);
    m.errors = s.errors_total;
    snap.modems.push_back(std::move(m));
  }
  snap.send_latency = metrics_.send_latency();
  co_return snap;
}

// ---- Modem events -----------------------------------------------------------------------

void Gateway::on_state_changed(const modem::ModemSnapshot& snapshot) {
  dispatcher_.modem_changed(snapshot);
  pool_.identity_seen(snapshot);
  if (snapshot.state == modem::ModemState::ready) balance_wake_.set();
  if (!snapshot.iccid.empty() && sims_seen_.insert(snapshot.iccid).second) {
    store::SimSeen sim;
    sim.iccid = snapshot.iccid;
    if (!snapshot.imei.empty()) sim.imei = snapshot.imei;
    if (!snapshot.imsi.empty()) sim.imsi = snapshot.imsi;
    sim.modem = snapshot.id;
    const auto now = std::chrono::system_clock::now();
    sim.first_seen = sim.last_seen = now;
    if (auto status = dispatcher_.sim_status(snapshot.id);
        status && !status->operator_name.empty()) {
      sim.operator_name = status->operator_name;
    }
    asio::co_spawn(executor_, record_sim(std::move(sim)), asio::detached);
  }
}

awaitable<void> Gateway::record_sim(store::SimSeen sim) {
  auto job = [sim](Store& s) -> Result<std::optional<store::BalanceRecord>> {
    if (auto r = s.upsert_sim(sim); !r) return r.error();
    return s.latest_balance(sim.iccid);
  };
  auto latest = co_await store_.call(job);
  if (latest && *latest && !balances_.contains(sim.iccid)) balances_[sim.iccid] = **latest;
}

awaitable<bool> Gateway::on_inbound(modem::InboundSms sms) {
  store::InboundPart part;
  part.modem = sms.modem_id;
  part.sender = sms.deliver.from.text;
  part.smsc_time = to_time_point(sms.deliver.scts);
  if (const auto& concat = sms.deliver.user_data.concat) {
    part.concat_ref = static_cast<int>(concat->ref);
    part.part = static_cast<int>(concat->part);
    part.total = static_cast<int>(concat->total);
  }
  part.text = sms.deliver.user_data.encoding == pdu::Encoding::eight_bit
                  ? pdu::to_hex(sms.deliver.user_data.data)
                  : sms.deliver.user_data.text;
  part.pdu_hex = sms.pdu_hex;
  part.received_at = std::chrono::system_clock::now();
  auto job = [part](Store& s) { return s.store_inbound(part); };
  auto stored = co_await store_.call(job);
  if (!stored) {
    spdlog::error("modem {}: cannot store an inbound message (kept on the SIM): {}", sms.modem_id,
                  stored.error().message);
    co_return false;
  }
  if (stored->complete && !stored->duplicate) {
    emit("message.received", json{{"id", stored->message_id},
                                  {"modem", sms.modem_id},
                                  {"from", part.sender},
                                  {"text", stored->text},
                                  {"parts", stored->total},
                                  {"received_at", rfc3339(part.received_at)}}
                                 .dump());
  }
  co_return true;
}

awaitable<bool> Gateway::on_status_report(modem::StatusReportEvent event) {
  store::DeliveryReport report;
  report.modem = event.modem_id;
  report.mr = event.report.message_reference;
  if (!event.report.recipient.text.empty()) report.recipient = event.report.recipient.text;
  report.tp_status = event.report.status;
  report.scts = to_time_point(event.report.scts);
  report.discharge = to_time_point(event.report.discharge);
  report.pdu_hex = event.pdu_hex;
  report.received_at = std::chrono::system_clock::now();
  scheduler::MatchOptions matching;
  matching.window = config_.sms.report_window;
  auto job = [report, matching](Store& s) { return s.settle_report(report, matching); };
  auto applied = co_await store_.call(job);
  if (!applied) {
    spdlog::error("modem {}: cannot store a status report (kept on the SIM): {}", event.modem_id,
                  applied.error().message);
    co_return false;
  }
  if (!applied->message_id) {
    spdlog::info("modem {}: status report for MR {} matches no sent part; kept as unmatched",
                 event.modem_id, report.mr);
  } else if (applied->status == store::MessageStatus::delivered ||
             applied->status == store::MessageStatus::failed) {
    on_message_status(*applied->message_id, applied->status, event.modem_id);
  }
  co_return true;
}

// ---- Dispatcher events ------------------------------------------------------------------

void Gateway::on_message_status(const std::string& id, store::MessageStatus status,
                                const std::string& modem) {
  const std::string name(store::to_string(status));
  if (status != store::MessageStatus::queued) {
    auto op = operator_of_message_.find(id);
    metrics_.message_final(op == operator_of_message_.end() ? "" : op->second, name);
    if (store::is_final(status) && op != operator_of_message_.end()) operator_of_message_.erase(op);
  }
  if (status == store::MessageStatus::queued) return;  // a retry, not news for a webhook
  json payload{{"id", id}, {"status", name}, {"at", rfc3339(std::chrono::system_clock::now())}};
  if (!modem.empty()) payload["modem"] = modem;
  emit("message.status", payload.dump());
}

void Gateway::on_part_sent(const std::string& modem, double seconds) {
  metrics_.part_sent(modem, seconds);
}

void Gateway::on_part_failed(const std::string& modem, const Error& error) {
  metrics_.part_failed(modem);
  spdlog::debug("modem {}: send failed: {}", modem, error.message);
}

// ---- Webhooks ---------------------------------------------------------------------------

void Gateway::emit(const std::string& event, const std::string& payload_json) {
  std::vector<std::string> urls;
  for (const auto& hook : config_.webhooks) {
    if (hook.events.empty() ||
        std::find(hook.events.begin(), hook.events.end(), event) != hook.events.end()) {
      urls.push_back(hook.url);
    }
  }
  if (urls.empty()) return;
  const auto body = json{{"event", event}, {"data", json::parse(payload_json)}}.dump();
  asio::co_spawn(
      executor_,
      [this, event, body, urls]() -> awaitable<void> {
        const auto now = std::chrono::system_clock::now();
        auto job = [&](Store& s) -> Result<void> {
          for (const auto& url : urls) {
            if (auto r = s.enqueue_webhook(event, body, url, now); !r) return r.error();
          }
          return {};
        };
        auto queued = co_await store_.call(job);
        if (!queued) spdlog::error("webhooks: cannot queue {}: {}", event, queued.error().message);
        webhook_wake_.set();
      },
      asio::detached);
}

awaitable<void> Gateway::webhook_loop() {
  if (config_.webhooks.empty()) co_return;
  std::map<std::string, std::string> secrets;
  for (const auto& hook : config_.webhooks) secrets[hook.url] = hook.secret;
  while (!stopping_) {
    const auto now = std::chrono::system_clock::now();
    auto fetch_due = [now](Store& s) { return s.due_webhooks(now, 64); };
    auto due = co_await store_.call(fetch_due);
    if (due) {
      for (const auto& d : *due) {
        if (stopping_) break;
        auto posted = co_await http::post_webhook(d.url, d.payload_json, secrets[d.url]);
        const auto after = std::chrono::system_clock::now();
        if (posted) {
          auto mark_delivered = [id = d.id, after](Store& s) {
            return s.webhook_delivered(id, after);
          };
          (void)co_await store_.call(mark_delivered);
          continue;
        }
        // Back-off: 5 s, 10 s, 20 s ... at most 1 h; given up after 3 days of trying, or at
        // once for an answer that will never change (4xx other than 408/429).
        const auto delay = std::min<std::chrono::seconds>(
            std::chrono::seconds(5) * (1LL << std::min(d.attempts, 10)), std::chrono::hours(1));
        std::optional<TimePoint> next;
        if (http::webhook_error_is_retryable(posted.error()) &&
            after - d.created_at < std::chrono::hours(72)) {
          next = after + delay;
        }
        spdlog::warn("webhook {} to {}: {}{}", d.event, d.url, posted.error().message,
                     next ? "; will retry" : "; giving up");
        auto mark_failed = [id = d.id, e = posted.error().message, next](Store& s) {
          return s.webhook_failed(id, e, next);
        };
        (void)co_await store_.call(mark_failed);
      }
    }
    webhook_wake_.reset();
    if (stopping_) break;
    co_await webhook_wake_.wait(std::chrono::seconds(1));
  }
}

}  // namespace smsgw::gateway
