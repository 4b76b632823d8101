#include "smsgw/gateway/gateway.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "smsgw/gateway/api_mapping.hpp"
#include "smsgw/gateway/settings.hpp"
#include "smsgw/gateway/smpp_accounts.hpp"
#include "smsgw/gateway/time_convert.hpp"
#include "smsgw/scheduler/numbering.hpp"
#include "smsgw/store/ulid.hpp"

namespace smsgw::gateway {
namespace {

using store::Store;
using json = nlohmann::json;

}  // namespace

Gateway::Gateway(asio::any_io_executor executor, config::Config config, store::StoreWorker& store,
                 const scheduler::OperatorTable& operators, scheduler::LocalCalendar calendar,
                 std::shared_ptr<modem::PortOpener> opener)
    : executor_(executor),
      config_(std::move(config)),
      store_(store),
      operators_(operators),
      calendar_(std::move(calendar)),
      builder_(builder_options(), operators),
      dispatcher_(executor, store, operators, dispatcher_options(config_, calendar_), *this),
      pool_(
          executor, config_.modems, config_.modem_polling, config_.ussd, *this,
          ModemPool::Hooks{[this](modem::ModemActor& actor, scheduler::Limits limits) {
                             dispatcher_.attach(actor, limits);
                             watch_.observe(actor.snapshot(), std::nullopt);
                           },
                           [this](const std::string& id) {
                             dispatcher_.detach(id);
                             watch_.forget(id);
                           },
                           [this](const std::string& id, scheduler::Limits limits) {
                             dispatcher_.set_modem_limits(id, limits);
                           },
                           [this](std::string id) { return dispatcher_.until_idle(std::move(id)); },
                           [this](const std::string& iccid) { return sim_pin(iccid); }},
          std::move(opener)),
      outbox_(executor, config_.webhooks, store),
      balances_(executor, config_.operators, store, pool_, dispatcher_, outbox_),
      live_(store, dispatcher_, pool_),
      watch_(
          executor, config_.modem_polling.down_after,
          [this](const std::string& event, const std::string& payload) { emit(event, payload); }),
      feed_(executor, store,
            [this](const std::string& id) -> std::optional<http::ModemInfo> {
              auto info = info_of(id);
              if (!info) return std::nullopt;
              return std::move(info).value();
            }),
      smpp_(executor, config_, store, smpp_hooks()),
      nodes_(make_node_registry()),
      tasks_(executor) {
  apply_client_limits();
  balances_.on_checked([this](const http::BalanceResult& result) { feed_.balance(result); });
  // load_config() checked callback_hosts and that ca_file is readable; a file that holds no
  // certificate is the one failure left.
  if (auto configured = outbox_.reconfigure(WebhookSettings::from(config_)); !configured) {
    spdlog::error("webhooks: {}; https deliveries trust the system's CA store only",
                  configured.error().message);
    auto without_ca = WebhookSettings::from(config_);
    without_ca.ca_file.clear();
    (void)outbox_.reconfigure(std::move(without_ca));
  }
}

Gateway::~Gateway() = default;

void Gateway::stop() {
  if (stopping_) return;
  stopping_ = true;
  dispatcher_.stop();
  balances_.stop();
  outbox_.stop();
  watch_.stop();
  feed_.stop();
  smpp_.stop();
  if (nodes_) nodes_->stop();
  tasks_.spawn("gateway: closing the modems", close_modems_after_sends());
}

awaitable<void> Gateway::close_modems_after_sends() {
  // The ports close only after the sends in flight have ended (each within its modem's
  // send timeout), so a stop leaves no part of unknown outcome behind.
  co_await dispatcher_.sends_ended();
  pool_.stop();
}

awaitable<void> Gateway::run() {
  const auto now = std::chrono::system_clock::now();
  const bool at_least_once = config_.store.at_least_once;
  scheduler::MatchOptions matching;
  matching.window = config_.sms.report_window;
  auto job = [at_least_once, now, matching](Store& s) {
    return s.recover_after_restart(at_least_once, now, matching);
  };
  auto recovered = co_await store_.call(job);
  if (!recovered) {
    spdlog::error("store: restart recovery failed: {}", recovered.error().message);
  } else if (!recovered->unknown.empty() || !recovered->requeued.empty() ||
             !recovered->settled.empty()) {
    spdlog::warn(
        "store: after restart {} message(s) have parts of unknown outcome (not resent{}; a "
        "status report may still settle them), {} settled by a report that had arrived, {} "
        "requeued",
        recovered->unknown.size(), at_least_once ? "" : "; store.at_least_once is off",
        recovered->settled.size(), recovered->requeued.size());
  }

  // Paused SIMs are held before any modem runs: a pause survives the restart.
  if (auto pauses = co_await live_.load(); !pauses) {
    spdlog::error("store: cannot read the paused SIMs: {}", pauses.error().message);
  }
  tasks_.spawn("gateway: modem watch", watch_.run());
  co_await restore_client_counts();
  tasks_.spawn("gateway: modem pool", pool_.run());
  tasks_.spawn("gateway: dispatcher", dispatcher_.run());
  tasks_.spawn("gateway: webhook outbox", outbox_.run());
  tasks_.spawn("gateway: balance monitor", balances_.run());
  tasks_.spawn("gateway: live feed", feed_.run());
  tasks_.spawn("gateway: smpp parts sweep", smpp_.run());
  start_node_loops();
  co_await tasks_.join();
}

// ---- Submissions ------------------------------------------------------------------------

Result<void> Gateway::check_callback(const http::SubmitRequest& request) const {
  if (request.callback_url) {
    auto allowed = outbox_.check_callback_url(*request.callback_url);
    if (!allowed) return make_error("validation", "callback_url: " + allowed.error().message);
  }
  // A sendsms dlr-url is fetched like a callback: its host must pass [http] callback_hosts.
  // Its escapes ("%d", "%p") are only in the path and query, so the host is checked as is.
  if (request.origin && !request.origin->dlr_url.empty()) {
    auto allowed = outbox_.check_callback_url(request.origin->dlr_url);
    if (!allowed) return make_error("validation", "dlr-url: " + allowed.error().message);
  }
  return {};
}

awaitable<Result<http::SubmitReply>> Gateway::submit(http::SubmitRequest request,
                                                     std::optional<http::IdempotencyKey> key) {
  if (auto allowed = check_callback(request); !allowed) co_return allowed.error();
  auto built = builder_.build(request, std::chrono::system_clock::now());
  if (!built) co_return built.error();
  std::vector<store::NewMessage> messages;
  messages.push_back(std::move(*built));
  co_return co_await store_submission(std::move(messages), std::move(key), request.client);
}

awaitable<Result<http::SubmitReply>> Gateway::submit_batch(
    std::vector<http::SubmitRequest> requests, std::optional<http::IdempotencyKey> key) {
  if (requests.empty()) co_return make_error("validation", "messages: must not be empty");
  std::vector<store::NewMessage> messages;
  messages.reserve(requests.size());
  const auto now = std::chrono::system_clock::now();
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (auto allowed = check_callback(requests[i]); !allowed) {
      co_return make_error("validation",
                           "messages[" + std::to_string(i) + "]." + allowed.error().message);
    }
    auto built = builder_.build(requests[i], now);
    if (!built) {
      co_return make_error(built.error().code,
                           "messages[" + std::to_string(i) + "]." + built.error().message);
    }
    messages.push_back(std::move(*built));
  }
  co_return co_await store_submission(std::move(messages), std::move(key), requests.front().client);
}

awaitable<Result<http::SubmitReply>> Gateway::store_submission(
    std::vector<store::NewMessage> messages, std::optional<http::IdempotencyKey> key,
    std::optional<std::string> client) {
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
  std::size_t parts = 0;
  for (const auto& m : messages) parts += m.parts.size();
  bool charged = false;
  if (client) {
    auto charge = charge_client(*client, parts, now);
    charged = charge.ok();
    // A retry of a submission already stored gets its first answer, over a limit or not.
    bool retry_of_stored = false;
    if (!charged && key) retry_of_stored = co_await idempotency_key_known(key->key);
    if (!charged && !retry_of_stored) co_return charge.error();
  }
  std::optional<store::IdempotencyRecord> record;
  if (key) {
    record = store::IdempotencyRecord{key->key, key->fingerprint, 202, body.dump(), now};
  }
  // The `queued` events of the live stream are journaled in the same transaction.
  std::vector<http::StreamEvent> queued_events;
  auto job = [&messages, &record, &queued_events, now](Store& s) {
    auto inserted = s.insert_messages(messages, record);
    if (inserted && !inserted->replay) {
      auto events = LiveFeed::append_queued(s, messages, now);
      if (!events) return decltype(inserted)(events.error());
      queued_events = std::move(events).value();
    }
    return inserted;
  };
  auto stored = co_await store_.call(job);
  if (charged && (!stored || stored->replay)) refund_client(*client, parts, now);
  if (!stored) {
    if (stored.error().kind == ErrorCode::conflict) {
      co_return make_error(ErrorCode::conflict, stored.error().message);
    }
    co_return make_error("unavailable", stored.error().message);
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
  if (client) metrics_.client_submitted(*client, messages.size());
  feed_.publish(queued_events);
  for (auto& m : messages) {
    metrics_.submitted(m.destination_operator.value_or(""));
    if (m.destination_operator) operator_of_message_[m.id] = *m.destination_operator;
    dispatcher_.enqueue(queued_from(m, now));
  }
  co_return reply;
}

awaitable<bool> Gateway::idempotency_key_known(std::string key) {
  auto job = [key](Store& s) { return s.find_idempotency(key); };
  auto found = co_await store_.call(job);
  co_return found && found->has_value();
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
  q.reference = query.reference;
  q.client = query.client;
  q.modem = query.modem;
  if (query.to) {
    // As a submission's `to` is (MessageBuilder), so "0151..." finds "+49151...".
    auto to = scheduler::normalise_destination(*query.to, config_.routing.default_country_code);
    if (!to) co_return make_error("validation", "to: " + to.error().message);
    q.recipient = std::move(to).value();
  }
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
  for (auto* actor : pool_.actors()) out.push_back(info_of(actor->snapshot()));
  for (auto& remote : remote_modem_infos()) out.push_back(std::move(remote));
  co_return out;
}

awaitable<Result<http::UssdReply>> Gateway::ussd(std::string modem_id, std::string code) {
  if (auto other = elsewhere(modem_id)) co_return *other;
  auto* actor = pool_.find(modem_id);
  if (actor == nullptr)
    co_return make_error(ErrorCode::not_found, "no modem with id \"" + modem_id + "\"");
  auto reply = co_await actor->ussd(std::move(code));
  co_return to_api(reply);
}

awaitable<Result<std::vector<http::BalanceResult>>> Gateway::check_balance(
    std::optional<std::string> modem_id) {
  if (modem_id) {
    if (auto other = elsewhere(*modem_id)) co_return *other;
    co_return co_await balances_.check(std::move(modem_id));
  }
  // All SIMs: this node's are checked; the other nodes' are listed as not checked.
  auto checked = co_await balances_.check(std::nullopt);
  if (!checked) co_return checked;
  for (auto& entry : remote_balance_entries()) checked->push_back(std::move(entry));
  co_return checked;
}

// ---- Inbox and metrics ------------------------------------------------------------------

awaitable<Result<http::InboxPage>> Gateway::inbox(http::InboxQuery query) {
  store::InboxQuery q;
  q.limit = query.limit;
  q.before = query.before;
  q.since = query.since;
  q.from = query.from;
  q.modem = query.modem;
  auto job = [q](Store& s) { return s.list_inbox(q); };
  auto page = co_await store_.call(job);
  if (!page) co_return page.error();
  http::InboxPage out;
  for (const auto& m : page->messages) out.messages.push_back(to_api(m));
  out.next_before = page->next_before;
  co_return out;
}

awaitable<Result<http::MetricsSnapshot>> Gateway::metrics() {
  auto job = [](Store& s) { return s.count_by_status(); };
  auto counts = co_await store_.call(job);
  auto backlog_job = [](Store& s) { return s.webhook_backlog(); };
  auto backlog = co_await store_.call(backlog_job);
  auto smpp_job = [](Store& s) { return s.smpp_outbox_pending(); };
  auto smpp_pending = co_await store_.call(smpp_job);
  http::MetricsSnapshot snap;
  if (smpp_pending) snap.smpp_outbox_pending = static_cast<std::uint64_t>(*smpp_pending);
  if (counts) add_status_counts(*counts, snap);
  if (backlog) add_webhook_backlog(*backlog, std::chrono::system_clock::now(), snap);
  snap.operators = metrics_.operators();
  for (auto* actor : pool_.actors()) {
    const auto& s = actor->snapshot();
    snap.modems.push_back(modem_metrics(s, dispatcher_.sim_status(s.id), balances_.latest(s.iccid),
                                        metrics_.sent(s.id), metrics_.failed(s.id)));
    snap.modems.back().received = metrics_.received(s.id);
  }
  snap.send_latency = metrics_.send_latency();
  snap.event_streams = feed_.hub().subscribers();
  snap.event_stream_overflows = feed_.hub().overflows();
  for (const auto& [client, count] : metrics_.client_submissions()) {
    snap.client_submissions.emplace_back(client, count);
  }
  co_return snap;
}

// ---- Modem events -----------------------------------------------------------------------

void Gateway::on_state_changed(const modem::ModemSnapshot& snapshot) {
  dispatcher_.modem_changed(snapshot);
  note_in_service(snapshot);
  feed_.modem_changed(snapshot.id);
  watch_.observe(snapshot, operator_of(snapshot.id));
  pool_.identity_seen(snapshot);
  if (snapshot.state == modem::ModemState::ready) balances_.modem_ready();
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
    tasks_.spawn("gateway: recording SIM " + snapshot.iccid, record_sim(std::move(sim)));
  }
}

awaitable<void> Gateway::record_sim(store::SimSeen sim) {
  auto job = [sim](Store& s) -> Result<std::optional<store::BalanceRecord>> {
    if (auto r = s.upsert_sim(sim); !r) return r.error();
    return s.latest_balance(sim.iccid);
  };
  auto latest = co_await store_.call(job);
  if (latest && *latest) balances_.restore(**latest);
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
  std::optional<std::string> iccid;
  std::optional<std::string> number;
  if (const auto* actor = pool_.find(sms.modem_id)) {
    if (!actor->snapshot().iccid.empty()) iccid = actor->snapshot().iccid;
  }
  if (iccid) {
    if (const auto* sim = sim_config(*iccid)) number = sim->number;
  }
  part.smpp_clients = inbound_clients(config_.clients, config_.smpp, sms.modem_id,
                                      iccid.value_or(""), number.value_or(""));
  part.smpp_recipient = number.value_or("");
  auto job = [part](Store& s) { return s.store_inbound(part); };
  auto stored = co_await store_.call(job);
  if (!stored) {
    spdlog::error("modem {}: cannot store an inbound message (kept on the SIM): {}", sms.modem_id,
                  stored.error().message);
    co_return false;
  }
  if (stored->complete && !stored->duplicate) {
    metrics_.message_received(sms.modem_id);
    MessageReceivedEvent received;
    for (const auto& client : part.smpp_clients) smpp_.notify(client);
    received.id = stored->message_id;
    received.modem = sms.modem_id;
    received.iccid = iccid;
    received.operator_name = operator_of(sms.modem_id);
    received.number = number;
    received.from = part.sender;
    received.text = stored->text;
    received.parts = stored->total;
    received.sent_at = stored->smsc_time;
    received.received_at = part.received_at;
    const std::string payload = message_received_payload(received);
    emit("message.received", payload);
    feed_.inbound(payload);
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
    co_return true;
  }
  const std::string id = *applied->message_id;
  if (applied->settled_unknown) {
    spdlog::info(
        "modem {}: status report MR {} settles part {} of message {}, whose answer "
        "never came: it left; the message is now {}",
        event.modem_id, report.mr, applied->index, id, store::to_string(applied->status));
  }
  if (applied->status == store::MessageStatus::queued) {
    // Its remaining parts go on through the same SIM (the store pinned it).
    co_await dispatcher_.enqueue_from_store(id);
  }
  if (applied->status == store::MessageStatus::delivered ||
      applied->status == store::MessageStatus::failed ||
      (applied->settled_unknown && applied->status == store::MessageStatus::sent)) {
    on_message_status(id, applied->status, event.modem_id);
  }
  co_return true;
}

// ---- Dispatcher events ------------------------------------------------------------------

void Gateway::on_message_status(const std::string& id, store::MessageStatus status,
                                const std::string& modem) {
  const std::string name(store::to_string(status));
  feed_.message_changed(id, name, modem);
  if (store::is_final(status)) smpp_.message_final(id);  // its receipt may wait now
  if (status == store::MessageStatus::sending) return;  // news for the live stream only
  if (status != store::MessageStatus::queued) {
    auto op = operator_of_message_.find(id);
    metrics_.message_final(op == operator_of_message_.end() ? "" : op->second, name);
    if (store::is_final(status) && op != operator_of_message_.end()) operator_of_message_.erase(op);
  }
  if (status == store::MessageStatus::queued) return;  // a retry, not news for a webhook
  MessageStatusEvent event;
  event.id = id;
  event.status = name;
  event.at = std::chrono::system_clock::now();
  if (!modem.empty()) event.modem = modem;
  outbox_.emit_message_status(std::move(event));
}

void Gateway::on_part_sent(const std::string& modem, double seconds) {
  metrics_.part_sent(modem, seconds);
  feed_.part_sent(std::chrono::system_clock::now());
}

void Gateway::on_part_failed(const std::string& modem, const Error& error) {
  metrics_.part_failed(modem);
  spdlog::debug("modem {}: send failed: {}", modem, error.message);
}

void Gateway::emit(const std::string& event, const std::string& payload_json) {
  outbox_.emit(event, payload_json);
}

}  // namespace smsgw::gateway
