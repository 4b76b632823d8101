// SmppBackend: the deliveries (delivery receipts and inbound messages as deliver_sm) --
// claims in memory, outcomes in the store, wake-ups per client.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "smsgw/gateway/smpp_backend.hpp"
#include "smsgw/smpp/deliveries.hpp"

namespace smsgw::gateway {
namespace {

constexpr auto kFirstRetry = std::chrono::seconds(5);
constexpr auto kLongestRetry = std::chrono::minutes(10);
// How long the store keeps a delivery claimed for this node (other nodes leave it alone).
// A bind holds its deliveries until their deliver_sm_resp or until it closes, and a bind
// whose client stops answering closes after [smpp] enquire_link_interval +
// enquire_link_timeout (40 s by default); each claim_deliveries of the client (at least
// every deliveries_poll, 5 s) renews the claims its binds still hold. A node that dies
// leaves its rows to the others once this has passed.
constexpr auto kDeliveryClaim = std::chrono::seconds(60);

// ReceiptFacts::status of a final message. A failed message none of whose parts left was
// refused before it was sent: REJECTD.
std::string receipt_status(const store::SmppReceiptRow& receipt) {
  using store::MessageStatus;
  switch (receipt.status) {
    case MessageStatus::delivered:
      return "delivered";
    case MessageStatus::expired:
      return "expired";
    case MessageStatus::cancelled:
      return "cancelled";
    case MessageStatus::failed:
      return receipt.sent_at ? "failed" : "rejected";
    default:
      return "unknown";
  }
}

}  // namespace

std::chrono::seconds smpp_retry_delay(int earlier_failures) {
  auto delay = std::chrono::seconds(kFirstRetry);
  for (int i = 0; i < earlier_failures && delay < kLongestRetry; ++i) delay *= 2;
  return std::min<std::chrono::seconds>(delay, kLongestRetry);
}

std::optional<smpp::MessageBody> delivery_body(const store::SmppDelivery& delivery) {
  if (const auto& r = delivery.receipt) {
    smpp::ReceiptFacts facts;
    facts.message_id = r->message_id;
    facts.status = receipt_status(*r);
    facts.submitted_at = r->submitted_at;
    facts.done_at = r->done_at;
    facts.text = r->text;
    facts.source_addr = r->origin.source_addr;
    facts.source_ton = r->origin.source_ton;
    facts.source_npi = r->origin.source_npi;
    facts.dest_addr = r->origin.dest_addr;
    facts.dest_ton = r->origin.dest_ton;
    facts.dest_npi = r->origin.dest_npi;
    return smpp::delivery_receipt(facts);
  }
  if (const auto& i = delivery.inbound) {
    // SMPP 3.4 4.6.1 has no NULL destination_addr, and Kannel 1.4.5 answers a deliver_sm
    // without one ESME_RINVDSTADR ("may not be empty"): when the receiving SIM's number is
    // unknown ([[sim]] number), the receiving modem's id stands in (an alphanumeric
    // address, TON 5).
    const std::string& to = i->recipient.empty() ? i->modem : i->recipient;
    return smpp::inbound_deliver(smpp::InboundFacts{i->sender, to, i->text});
  }
  return std::nullopt;
}

void SmppBackend::notify(const std::string& client) {
  auto& signal = signals_[client];
  ++signal.generation;
  for (auto* waiter : signal.waiters) waiter->cancel();
}

void SmppBackend::message_final(const std::string& id) {
  const auto it = client_of_message_.find(id);
  if (it == client_of_message_.end()) return;
  const std::string client = it->second;
  client_of_message_.erase(it);
  notify(client);
}

awaitable<std::vector<smpp::Delivery>> SmppBackend::claim_deliveries(std::string client,
                                                                     std::size_t limit) {
  std::vector<smpp::Delivery> out;
  if (limit == 0) co_return out;
  // What was notified after this read starts is news for the next wait.
  const std::uint64_t generation = signals_[client].generation;
  std::vector<std::int64_t> excluding;
  for (const auto& [id, claim] : claims_) {
    if (claim.client == client) excluding.push_back(id);
  }
  const auto now = std::chrono::system_clock::now();
  auto job = [client, now, limit, excluding](store::Store& s) {
    return s.due_smpp_deliveries(client, now, limit, excluding, now + kDeliveryClaim);
  };
  auto rows = co_await store_.call(job);
  // Seen even when the read failed: a wait then sleeps instead of spinning on the error.
  auto& signal = signals_[client];
  signal.seen = std::max(signal.seen, generation);
  if (!rows) {
    spdlog::error("smpp: cannot read the deliveries waiting for client \"{}\": {}", client,
                  rows.error().message);
    co_return out;
  }
  std::vector<std::int64_t> gone;
  for (const auto& row : *rows) {
    if (claims_.contains(row.id)) continue;  // another bind's claim took it meanwhile
    auto body = delivery_body(row);
    if (!body) {
      spdlog::warn("smpp: delivery {} for client \"{}\" refers to {} {}, which is gone; dropped",
                   row.id, client,
                   row.kind == store::SmppDeliveryKind::receipt ? "message" : "inbound message",
                   row.ref);
      gone.push_back(row.id);
      continue;
    }
    claims_[row.id] = Claim{client, row.attempts};
    out.push_back(smpp::Delivery{row.id, std::move(*body)});
  }
  for (const auto id : gone) {
    auto drop = [id](store::Store& s) { return s.smpp_delivery_done(id); };
    (void)co_await store_.call_deferred(drop);
  }
  co_return out;
}

awaitable<void> SmppBackend::delivered(std::int64_t id) {
  auto job = [id](store::Store& s) { return s.smpp_delivery_done(id); };
  auto done = co_await store_.call_deferred(job);
  if (!done) {
    spdlog::error(
        "smpp: cannot remove delivered deliver_sm {} from the outbox (it may be sent "
        "again): {}",
        id, done.error().message);
  }
  claims_.erase(id);  // only now: until the row is gone, no claim may read it again
}

awaitable<void> SmppBackend::refused(std::int64_t id, smpp::CommandStatus status) {
  const auto it = claims_.find(id);
  const Claim claim = it != claims_.end() ? it->second : Claim{};
  const std::string reason = "deliver_sm_resp " + smpp::to_string(status);
  if (status == smpp::CommandStatus::esme_rx_r_appn) {
    spdlog::warn("smpp: client \"{}\" rejects deliver_sm {} for good ({}); dropped", claim.client,
                 id, reason);
    auto job = [id](store::Store& s) { return s.smpp_delivery_done(id); };
    auto done = co_await store_.call_deferred(job);
    if (!done) spdlog::error("smpp: cannot drop deliver_sm {}: {}", id, done.error().message);
    claims_.erase(id);
    co_return;
  }
  const auto delay = smpp_retry_delay(claim.attempts);
  const auto next = std::chrono::system_clock::now() + delay;
  auto job = [id, reason, next](store::Store& s) {
    return s.smpp_delivery_failed(id, reason, next);
  };
  auto failed = co_await store_.call_deferred(job);
  if (!failed) {
    spdlog::error("smpp: cannot reschedule deliver_sm {}: {}", id, failed.error().message);
  } else {
    spdlog::info("smpp: client \"{}\" answered deliver_sm {} with {}; tried again in {} s",
                 claim.client, id, reason, delay.count());
  }
  claims_.erase(id);
  signals_[claim.client].retries.insert(std::chrono::steady_clock::now() + delay);
  notify(claim.client);  // a waiter recomputes its deadline
}

void SmppBackend::released(const std::vector<std::int64_t>& ids) {
  std::set<std::string> clients;
  for (const auto id : ids) {
    const auto it = claims_.find(id);
    if (it == claims_.end()) continue;
    clients.insert(it->second.client);
    claims_.erase(it);
  }
  for (const auto& client : clients) notify(client);
}

awaitable<void> SmppBackend::wait_for_deliveries(std::string client,
                                                 std::chrono::steady_clock::duration timeout) {
  const auto now = std::chrono::steady_clock::now();
  auto deadline = now + timeout;
  {
    auto& signal = signals_[client];
    if (signal.generation != signal.seen) co_return;
    const auto ended = signal.retries.upper_bound(now);
    const bool retry_due = ended != signal.retries.begin();
    signal.retries.erase(signal.retries.begin(), ended);
    if (retry_due) co_return;
    if (!signal.retries.empty()) deadline = std::min(deadline, *signal.retries.begin());
  }
  asio::steady_timer timer(executor_, deadline);
  signals_[client].waiters.push_back(&timer);
  error_code ec;
  co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
  std::erase(signals_[client].waiters, &timer);
}

}  // namespace smsgw::gateway
