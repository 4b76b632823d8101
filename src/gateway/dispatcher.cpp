#include "smsgw/gateway/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "dispatcher_slot.hpp"

namespace smsgw::gateway {
namespace {

constexpr auto kIdleWait = std::chrono::hours(1);

using store::MessageStatus;
using store::PartStatus;
using store::Store;

// A store failure while dispatching is retried after this pause (the store is busy).
constexpr auto kStoreRetry = std::chrono::seconds(1);

}  // namespace

Dispatcher::Dispatcher(asio::any_io_executor executor, store::StoreWorker& store,
                       const scheduler::OperatorTable& operators, DispatcherOptions options,
                       DispatchObserver& observer)
    : executor_(executor),
      store_(store),
      operators_(operators),
      options_(std::move(options)),
      observer_(observer),
      policy_(options_.routing),
      retry_(options_.retry),
      wake_(executor),
      sends_(executor),
      jobs_(executor) {}

Dispatcher::~Dispatcher() = default;

void Dispatcher::stop() {
  stopping_ = true;
  wake();
}

void Dispatcher::attach(modem::PartSender& modem, scheduler::Limits limits) {
  auto slot = std::make_unique<Slot>();
  slot->modem = &modem;
  slot->own_limits = limits;
  slot->limiter = scheduler::RateLimiter(limits, options_.calendar);
  slot->health = scheduler::SimHealth(options_.health);
  const auto id = modem.snapshot().id;
  slots_[id] = std::move(slot);
  refresh_operator(*slots_[id]);
  wake();
}

void Dispatcher::detach(const std::string& modem_id) {
  auto it = slots_.find(modem_id);
  if (it == slots_.end()) return;
  if (it->second->busy) {
    it->second->detached = true;  // removed when its send ends
  } else {
    slots_.erase(it);
  }
}

void Dispatcher::refresh_operator(Slot& slot) {
  const auto& snap = slot.modem->snapshot();
  const auto sim = options_.sims.find(snap.iccid);
  const SimOverrides* own = sim != options_.sims.end() ? &sim->second : nullptr;
  std::string name;
  if (own != nullptr && !own->operator_name.empty()) {
    name = own->operator_name;  // [[sim]] operator over the IMSI's
  } else {
    const scheduler::Operator* op = nullptr;
    if (!snap.imsi.empty()) op = operators_.for_imsi(snap.imsi);
    if (op == nullptr && !snap.mccmnc.empty()) op = operators_.for_imsi(snap.mccmnc);
    if (op != nullptr) name = op->name;
  }
  slot.operator_name = std::move(name);
  slot.disabled = own != nullptr && !own->enabled;
  // [[sim]] over [[modem]] over [[operator]], key by key.
  scheduler::Limits limits;
  if (auto it = options_.operator_limits.find(slot.operator_name);
      it != options_.operator_limits.end()) {
    limits = it->second;
  }
  limits = scheduler::merge_limits(limits, slot.own_limits);
  if (own != nullptr) limits = scheduler::merge_limits(limits, own->limits);
  if (snap.iccid.empty() || snap.iccid == slot.iccid) {
    slot.limiter.set_limits(limits);  // what was counted stays counted
    return;
  }
  // Another SIM (or the first one seen): its counters follow its ICCID, from the store.
  slot.iccid = snap.iccid;
  slot.limiter = scheduler::RateLimiter(limits, options_.calendar);
  restore_usage(snap.id, snap.iccid);
}

void Dispatcher::modem_changed(const modem::ModemSnapshot& snapshot) {
  if (auto it = slots_.find(snapshot.id); it != slots_.end()) {
    refresh_operator(*it->second);
    wake();
  }
}

std::string Dispatcher::group_of(const QueuedMessage& m) const {
  return store::queue_group(m.pinned_modem, m.pinned_operator, m.destination_operator);
}

Dispatcher::QueueKey Dispatcher::key_of(const QueuedMessage& message) {
  return {-message.priority, -static_cast<std::int64_t>(message.parts), message.id};
}

void Dispatcher::place(QueuedMessage message) {
  const auto now = std::chrono::system_clock::now();
  const std::string id = message.id;
  // Only a message with no history of its own may stay in the store alone: one that failed
  // somewhere carries in memory which SIMs to avoid.
  const bool fresh = message.avoid_sims.empty();
  if (pinned_elsewhere(message)) return;  // its own node sends it
  message.placed = ++placements_;
  if (message.not_before > now) {
    if (fresh && deferred_.size() >= options_.deferred_window) {
      next_store_check_ = std::min(next_store_check_, message.not_before);
      return;
    }
    deferred_.emplace(message.not_before, id);
    messages_.insert_or_assign(id, std::move(message));
    return;
  }
  const std::string group = group_of(message);
  auto& queue = ready_[group];
  const auto key = key_of(message);
  if (queue.size() >= options_.group_window) {
    // The window keeps the group's first messages in its order; the rest wait in the store.
    spilled_.insert(group);
    const auto last = std::prev(queue.end());
    if (fresh && !(key < *last)) return;
    auto evicted = messages_.find(std::get<2>(*last));
    if (evicted != messages_.end() && evicted->second.avoid_sims.empty()) {
      queue.erase(last);
      messages_.erase(evicted);
    }
  }
  queue.insert(key);
  messages_.insert_or_assign(id, std::move(message));
}

void Dispatcher::unqueue(const QueuedMessage& message) {
  auto group = ready_.find(group_of(message));
  if (group != ready_.end()) {
    group->second.erase(key_of(message));
    if (group->second.empty()) ready_.erase(group);
  }
  for (auto it = deferred_.lower_bound(message.not_before);
       it != deferred_.end() && it->first == message.not_before; ++it) {
    if (it->second == message.id) {
      deferred_.erase(it);
      break;
    }
  }
}

void Dispatcher::enqueue(QueuedMessage message) {
  if (messages_.contains(message.id) || in_flight_.contains(message.id)) return;
  place(std::move(message));
  wake();
}

void Dispatcher::forget(const std::string& id) {
  auto it = messages_.find(id);
  if (it == messages_.end()) return;
  unqueue(it->second);
  messages_.erase(it);
}

std::vector<scheduler::SimView> Dispatcher::sim_views(TimePoint /*now*/) const {
  std::vector<scheduler::SimView> views;
  views.reserve(slots_.size());
  for (const auto& [id, slot] : slots_) {
    scheduler::SimView v;
    v.id = id;
    v.operator_name = slot->operator_name;
    v.ready = !slot->detached && modem::in_service(slot->modem->snapshot().state);
    v.busy = slot->busy;
    v.paused = paused(*slot);
    v.benched_until = slot->health.benched_until();
    v.limiter = &slot->limiter;
    if (auto q = ready_.find("modem:" + id); q != ready_.end()) v.queue = q->second.size();
    views.push_back(std::move(v));
  }
  return views;
}

std::optional<TimePoint> Dispatcher::dispatch_round(TimePoint now) {
  if (ready_.empty() || slots_.empty()) return std::nullopt;
  auto views = sim_views(now);
  bool waiting = false;
  const std::size_t n = views.size();
  const std::size_t start = dispatch_cursor_++ % n;

  std::vector<std::pair<QueueKey, const QueuedMessage*>> heads;
  std::vector<scheduler::MessageView> candidates;
  for (std::size_t k = 0; k < n && !ready_.empty(); ++k) {
    const std::size_t i = (start + k) % n;
    auto& view = views[i];
    if (!view.ready || view.busy || view.paused || view.benched_until > now) continue;

    collect_heads(heads);
    std::sort(heads.begin(), heads.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    spread_heads(heads);
    candidates.clear();
    for (const auto& [key, m] : heads) {
      scheduler::MessageView mv;
      mv.destination_operator = m->destination_operator;
      mv.parts = m->parts;
      mv.recipient = m->to;
      mv.pinned_modem = m->pinned_modem;
      mv.pinned_operator = m->pinned_operator;
      mv.eligible_since = m->eligible_since;
      mv.not_before = m->not_before;
      mv.avoid_sims = m->avoid_sims;
      candidates.push_back(std::move(mv));
    }
    auto chosen = policy_.choose_message(i, views, candidates, now);
    if (!chosen) {
      waiting = true;
      continue;
    }
    QueuedMessage message = messages_.at(heads[*chosen].second->id);
    unqueue(message);
    messages_.erase(message.id);
    in_flight_.insert(message.id);
    view.busy = true;
    auto& slot = *slots_.at(view.id);
    slot.busy = true;
    auto charge = slot.limiter.record(now, message.parts, message.to);
    sends_.spawn("dispatcher: send of " + message.id,
                 send(view.id, std::move(message), std::move(charge)));
  }
  // Messages remain that no free SIM could take now: look again soon (a limit, a bench or
  // a fallback wait may end), unless every SIM is busy (a send's end wakes the loop).
  const bool any_free = std::any_of(views.begin(), views.end(),
                                    [&](const auto& v) { return v.ready && !v.busy && !v.paused; });
  if (!ready_.empty() && (waiting || !any_free)) {
    return any_free ? std::optional<TimePoint>(now + options_.recheck) : std::nullopt;
  }
  return std::nullopt;
}

// What happened on a modem (a +CMGS, a failure) must reach the store, or the message stays
// `sending` until this node restarts: a database outage (a PostgreSQL restart, a lost
// connection) answers "unavailable", which is retried, 200 ms doubling to 5 s, until the
// write succeeds or fails otherwise; after stop() for 30 s more, then the restart rule
// takes over. A write whose commit went through although its answer was lost is retried
// into "conflict" (the store already holds it), logged by the caller like any other.
template <class Job>
awaitable<std::invoke_result_t<Job&, Store&>> Dispatcher::record(Job job, bool deferred) {
  auto delay = std::chrono::milliseconds(200);
  std::optional<TimePoint> give_up_at;
  for (;;) {
    // (Two statements: GCC 12 miscompiles co_await inside ?:.)
    std::invoke_result_t<Job&, Store&> result = make_error("unavailable", "not run");
    if (deferred) {
      result = co_await store_.call_deferred(job);
    } else {
      result = co_await store_.call(job);
    }
    if (result || result.error().code != "unavailable") co_return result;
    const auto now = std::chrono::system_clock::now();
    if (stopping_ && !give_up_at) give_up_at = now + std::chrono::seconds(30);
    if (give_up_at && now >= *give_up_at) co_return result;
    spdlog::warn("dispatcher: the store is unavailable ({}); retrying in {} ms",
                 result.error().message, delay.count());
    asio::steady_timer timer(executor_);
    timer.expires_after(delay);
    co_await timer.async_wait(use_awaitable);
    delay = std::min(delay * 2, std::chrono::milliseconds(5000));
  }
}

awaitable<bool> Dispatcher::give_back_claim(std::string id, std::string modem_id) {
  const auto now = std::chrono::system_clock::now();
  auto job = [id, modem_id, now](Store& s) -> Result<bool> {
    auto message = s.get_message(id);
    if (!message) return message.error();
    // Sending through this modem: the claim committed (no other node claims a message
    // that is not queued, and modem ids are the node's own); nothing was written yet.
    if (message->status == MessageStatus::sending && message->assigned_modem == modem_id) {
      auto back = s.requeue(id, now,
                            "the commit of its claim was in doubt (the store's connection was "
                            "lost); nothing was sent",
                            now);
      if (!back) return back.error();
      return true;
    }
    return message->status == MessageStatus::queued;
  };
  auto queued = co_await record(job);
  if (!queued) {
    spdlog::error("dispatcher: message {}: cannot read back its claim: {}", id,
                  queued.error().message);
    co_return false;
  }
  spdlog::debug("dispatcher: message {}: after the claim in doubt on {} it is {}", id, modem_id,
                *queued ? "queued (ours to place again)" : "another node's");
  co_return *queued;
}

awaitable<void> Dispatcher::send(std::string modem_id, QueuedMessage message,
                                 scheduler::RateLimiter::Charge charge) {
  Slot* slot = slots_.at(modem_id).get();
  const auto claimed_at = std::chrono::system_clock::now();
  const auto day = options_.calendar.day_of(claimed_at);
  const std::string id = message.id;

  // Claim, count the parts against the SIM's day, and mark the first part `sending`: one
  // job, one commit, before anything is written to the modem.
  std::optional<store::DailyCount> count;
  if (!slot->iccid.empty()) {
    count = store::DailyCount{slot->iccid, day, message.parts, message.to};
  }
  auto claim = [id, modem_id, claimed_at, count](Store& s) {
    return s.begin_send(id, modem_id, claimed_at, count);
  };
  auto claimed = co_await store_.call(claim);

  if (!claimed) {
    slot->limiter.refund(charge);  // nothing reached the modem
    if (claimed.error().code == "unavailable") {
      spdlog::warn("dispatcher: cannot claim message {}: {}", id, claimed.error().message);
      // The claim may have committed although its answer was lost: given back first.
      const bool queued = co_await give_back_claim(id, modem_id);
      if (queued) {
        message.not_before = std::chrono::system_clock::now() + kStoreRetry;
        place(std::move(message));
      }
    } else if (claimed.error().kind != ErrorCode::conflict &&
               claimed.error().kind != ErrorCode::not_found) {
      spdlog::warn("dispatcher: cannot claim message {}: {}", id, claimed.error().message);
      message.not_before = std::chrono::system_clock::now() + kStoreRetry;
      place(std::move(message));
    } else {
      // Claimed by another node (or cancelled, expired) since it was read.
      spdlog::debug("dispatcher: message {} is no longer queued: {}", id, claimed.error().message);
    }
    release(modem_id, id);
    co_return;
  }
  ++message.attempts;
  observer_.on_message_status(id, MessageStatus::sending, modem_id);

  std::vector<const store::StoredPart*> pending;
  for (const auto& part : claimed->parts) {
    if (part.status == PartStatus::queued || part.status == PartStatus::sending) {
      pending.push_back(&part);
    }
  }
  const auto accepted_at = claimed->created_at;
  std::optional<std::pair<int, int>> unrecorded_sent;  // (index, mr) not yet in the store

  for (std::size_t k = 0; k < pending.size(); ++k) {
    const auto& part = *pending[k];
    if (k > 0) {
      // Record the previous part's +CMGS and mark this one `sending`, in one commit.
      const auto now = std::chrono::system_clock::now();
      auto mark_next = [id, index = part.index, prev = unrecorded_sent,
                        now](Store& s) -> Result<void> {
        if (!prev) return s.part_sending(id, index, now);
        auto sent = s.part_sent(id, prev->first, prev->second, now, index);
        if (!sent) return sent.error();
        return {};
      };
      auto marked = co_await record(mark_next);
      unrecorded_sent.reset();
      if (!marked) {
        spdlog::warn("dispatcher: message {}: cannot mark part {} sending: {}", id, part.index,
                     marked.error().message);
        modem::PartResult not_written;
        not_written.error = make_error("store.unavailable", marked.error().message);
        co_await after_failure(*slot, std::move(message), not_written, part.index);
        release(modem_id, id);
        co_return;
      }
    }
    pdu::SubmitPart submit{part.pdu_hex, static_cast<std::size_t>(part.tpdu_length)};
    const modem::PartResult result = co_await slot->modem->send(std::move(submit));
    if (result.outcome == modem::PartResult::Outcome::sent) {
      unrecorded_sent = std::make_pair(part.index, static_cast<int>(result.mr));
      observer_.on_part_sent(
          modem_id,
          std::chrono::duration<double>(std::chrono::system_clock::now() - accepted_at).count());
      continue;
    }
    if (unrecorded_sent) {
      const auto now = std::chrono::system_clock::now();
      auto record_sent = [id, prev = *unrecorded_sent, now](Store& s) {
        return s.part_sent(id, prev.first, prev.second, now);
      };
      (void)co_await record(record_sent);
      unrecorded_sent.reset();
    }
    // Parts of this message already left through this SIM: the rest must follow through it
    // (contract: all parts of one message leave through one SIM), so the retry stays here.
    if (k > 0 || pending.size() < claimed->parts.size()) message.pinned_modem = modem_id;
    co_await after_failure(*slot, std::move(message), result, part.index);
    release(modem_id, id);
    co_return;
  }

  slot->health.record_success();
  release(modem_id, id);  // the modem is free for the next message while the result is recorded
  if (unrecorded_sent) {
    const auto now = std::chrono::system_clock::now();
    auto record_sent = [id, prev = *unrecorded_sent, now](Store& s) {
      return s.part_sent(id, prev.first, prev.second, now);
    };
    // Deferred: it joins the commit of the claim the freed modem's next message needs
    // before its PDU may be written, instead of making that claim wait one more commit.
    auto status = co_await record(record_sent, true);
    if (status) {
      observer_.on_message_status(id, *status, modem_id);
    } else {
      spdlog::error("dispatcher: message {} was sent but could not be recorded: {}", id,
                    status.error().message);
    }
  }
}

void Dispatcher::release(const std::string& modem_id, const std::string& id) {
  in_flight_.erase(id);
  if (auto it = slots_.find(modem_id); it != slots_.end()) {
    it->second->busy = false;
    if (it->second->detached) slots_.erase(it);
  }
  wake();
}

awaitable<void> Dispatcher::after_failure(Slot& slot, QueuedMessage message,
                                          const modem::PartResult& result, int part_index) {
  const auto now = std::chrono::system_clock::now();
  const std::string modem_id = slot.modem->snapshot().id;
  const Error error = result.error.value_or(make_error("modem.failed", "the send failed"));
  const bool unknown = result.outcome == modem::PartResult::Outcome::unknown;
  observer_.on_part_failed(modem_id, error);

  // The modem went away between the choice and the send: nothing was written, no attempt
  // is charged to the message or the SIM; it goes straight back to the queue.
  if (!unknown && error.kind == ErrorCode::modem_not_ready) {
    auto job = [id = message.id, now, error](Store& s) {
      return s.requeue(id, now, error.message, now);
    };
    (void)co_await record(job);
    --message.attempts;  // send() counted the claim as an attempt
    message.not_before = now;
    place(std::move(message));
    co_return;
  }

  // The modem reports `unknown` whenever the PDU was written; a timeout or a lost port it
  // reports as `failed` came before the body (no "> " prompt), so nothing left: another SIM
  // may carry it (retry_policy.hpp), it must not be left as an unknown outcome.
  auto failure =
      unknown ? scheduler::FailureClass::unknown_outcome : scheduler::classify_send_error(error);
  if (!unknown && failure == scheduler::FailureClass::unknown_outcome) {
    failure = scheduler::FailureClass::retry_other_sim;
  }
  if (auto benched = slot.health.record_failure(failure, now)) {
    spdlog::warn("modem {}: benched until {} after {} failures in a row (last: {})", modem_id,
                 scheduler::format_utc(*benched), options_.health.failures_to_bench, error.message);
  }
  scheduler::FailedAttempt attempt;
  attempt.attempts_made = message.attempts;
  attempt.sim = modem_id;
  attempt.error = error;
  attempt.failure = failure;
  attempt.avoid_sims = message.avoid_sims;
  attempt.expires_at = message.expires_at;
  const double random01 = std::uniform_real_distribution<double>(0.0, 1.0)(random_);
  const auto decision = retry_.after_failure(attempt, now, random01);

  const std::string text = error.code + ": " + error.message;
  if (const auto* retry = std::get_if<scheduler::RetryAt>(&decision)) {
    auto job = [id = message.id, failed = store::PartFailure{part_index, unknown, text},
                at = retry->at,
                now](Store& s) { return s.requeue(id, at, failed.error, now, failed); };
    auto stored = co_await record(job);
    if (!stored) spdlog::error("dispatcher: message {}: {}", message.id, stored.error().message);
    message.not_before = retry->at;
    message.avoid_sims = retry->avoid_sims;
    observer_.on_message_status(message.id, MessageStatus::queued, modem_id);
    place(std::move(message));
    co_return;
  }
  MessageStatus status = MessageStatus::failed;
  Error final_error = error;
  if (const auto* give_up = std::get_if<scheduler::GiveUp>(&decision)) {
    status = give_up->status;
    final_error = give_up->error;
  } else if (const auto* leave = std::get_if<scheduler::LeaveUnknown>(&decision)) {
    status = MessageStatus::unknown;  // it may have arrived: not `failed`
    final_error = leave->error;
  }
  const std::string final_text = final_error.message;
  auto job = [id = message.id, failed = store::PartFailure{part_index, unknown, text}, final_text,
              status, now, matching = options_.report_matching](Store& s) -> Result<MessageStatus> {
    Result<void> done;
    switch (status) {
      case MessageStatus::expired:
        done = s.expire(id, now, failed);
        break;
      case MessageStatus::unknown:
        // A report that arrived before the answer was given up on may settle it at once.
        return s.leave_unknown(id, final_text, now, failed, matching);
      default:
        done = s.fail(id, final_text, now, failed);
        break;
    }
    if (!done) return done.error();
    return status;
  };
  auto stored = co_await record(job);
  if (!stored) {
    spdlog::error("dispatcher: message {}: {}", message.id, stored.error().message);
    observer_.on_message_status(message.id, status, modem_id);
    co_return;
  }
  if (*stored == MessageStatus::queued) {
    // Settled by a report, with parts left to send: they go on through the same SIM.
    co_await place_from_store(message.id);
  }
  observer_.on_message_status(message.id, *stored, modem_id);
}

awaitable<void> Dispatcher::run() {
  loading_ = true;
  co_await load_from_store();
  loading_ = false;
  if (reload_queued_ && !stopping_) start_load();
  auto last_sweep = std::chrono::system_clock::now();
  while (!stopping_) {
    const auto now = std::chrono::system_clock::now();
    while (!deferred_.empty() && deferred_.begin()->first <= now) {
      const auto id = deferred_.begin()->second;
      deferred_.erase(deferred_.begin());
      if (auto it = messages_.find(id); it != messages_.end()) {
        ready_[group_of(it->second)].insert(key_of(it->second));
      }
    }
    if (!sweeping_ && now - last_sweep >= options_.expiry_sweep) {
      sweeping_ = true;
      last_sweep = now;
      jobs_.spawn("dispatcher: expiry sweep", [this, now]() -> awaitable<void> {
        co_await sweep_expired(now);
        sweeping_ = false;
      });
    }
    if (!stopping_) refill_low_groups();
    if (!loading_ && now >= next_store_check_) {
      next_store_check_ = TimePoint::max();
      start_load();
    }

    std::optional<TimePoint> deadline = dispatch_round(now);
    auto earlier = [&](TimePoint t) { deadline = deadline ? std::min(*deadline, t) : t; };
    if (!deferred_.empty()) earlier(deferred_.begin()->first);
    if (!messages_.empty() || !spilled_.empty() || next_store_check_ != TimePoint::max() ||
        options_.resend_unsettled_after) {
      earlier(last_sweep + options_.expiry_sweep);
    }
    if (next_store_check_ != TimePoint::max()) earlier(next_store_check_);

    wake_.reset();
    const auto timeout =
        deadline ? std::max<std::chrono::system_clock::duration>(
                       *deadline - std::chrono::system_clock::now(), std::chrono::milliseconds(1))
                 : std::chrono::duration_cast<std::chrono::system_clock::duration>(kIdleWait);
    co_await wake_.wait(std::chrono::duration_cast<std::chrono::steady_clock::duration>(timeout));
  }
  // The sends in flight go on to their end (each is bounded by its modem's send timeout).
  co_await sends_.join();
  co_await jobs_.join();
}

}  // namespace smsgw::gateway
