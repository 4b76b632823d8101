// SmppBackend: binds, submissions (whole messages and client-split parts) and the parts
// sweep. The deliveries (claims, wake-ups, deliver_sm bodies) are smpp_deliveries.cpp.
#include "smsgw/gateway/smpp_backend.hpp"

#include <spdlog/spdlog.h>

#include "smsgw/gateway/smpp_accounts.hpp"
#include "smsgw/scheduler/numbering.hpp"

namespace smsgw::gateway {
namespace {

using smpp::CommandStatus;
using smpp::Failure;

constexpr auto kSweepInterval = std::chrono::seconds(15);

// A gateway refusal as the submit_sm_resp status that carries it.
Failure submit_failure(const Error& error) {
  if (error.code == "rate_limited") {
    return Failure{CommandStatus::esme_rthrottled, "", error.message};
  }
  if (error.code == "validation") {
    if (error.message.starts_with("to:")) {
      return Failure{CommandStatus::esme_rinvdstadr, "destination_addr", error.message};
    }
    return Failure{CommandStatus::esme_rsubmitfail, "", error.message};
  }
  return Failure{CommandStatus::esme_rsyserr, "", error.message};
}

MessageOrigin origin_of(const smpp::SubmitSpec& spec) {
  MessageOrigin origin;
  origin.protocol = "smpp";
  origin.registered_delivery = spec.registered_delivery;
  origin.source_addr = spec.source_addr;
  origin.source_ton = spec.source_ton;
  origin.source_npi = spec.source_npi;
  origin.dest_addr = spec.dest_addr;
  origin.dest_ton = spec.dest_ton;
  origin.dest_npi = spec.dest_npi;
  return origin;
}

std::optional<std::string> client_name(const std::string& client) {
  if (client.empty()) return std::nullopt;
  return client;
}

}  // namespace

std::string short_duration(std::chrono::milliseconds duration) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(duration).count();
  if (seconds > 0 && seconds % 3600 == 0) return std::to_string(seconds / 3600) + "h";
  if (seconds > 0 && seconds % 60 == 0) return std::to_string(seconds / 60) + "m";
  return std::to_string(seconds) + "s";
}

SmppBackend::SmppBackend(asio::any_io_executor executor, const config::Config& config,
                         store::StoreWorker& store, SmppHooks hooks)
    : executor_(executor),
      config_(config),
      store_(store),
      hooks_(std::move(hooks)),
      sweep_timer_(executor) {}

smpp::Outcome<smpp::Account> SmppBackend::authenticate(const smpp::BindRequest& request) {
  auto account = authenticate_bind(config_.clients, config_.smpp, request);
  if (!account) {
    spdlog::warn("smpp: bind of system_id \"{}\" from {} refused: {}", request.system_id,
                 request.peer, account.error().message);
  }
  return account;
}

void SmppBackend::remember(const std::string& id, const std::string& client) {
  // Bounded: a message that never becomes final (no status report ever) must not hold
  // memory for ever; a forgotten one is found by the server's own timeout.
  if (client_of_message_.size() >= 100'000) client_of_message_.clear();
  client_of_message_[id] = client;
}

awaitable<smpp::Outcome<std::string>> SmppBackend::submit(smpp::Account account,
                                                          smpp::SubmitSpec spec) {
  if (spec.part) co_return co_await submit_part(std::move(account), std::move(spec));
  http::SubmitRequest request;
  request.to = spec.to;
  request.text = spec.text;
  request.priority = spec.priority;
  request.send_at = spec.send_at;
  request.validity = spec.validity;
  request.flash = spec.flash;
  if (spec.registered_delivery != 0) request.status_report = true;
  request.client = client_name(account.client);
  request.origin = origin_of(spec);
  auto reply = co_await hooks_.submit(std::move(request));
  if (!reply) co_return submit_failure(reply.error());
  if (reply->accepted.empty()) {
    co_return Failure{CommandStatus::esme_rsyserr, "", "the gateway stored no message"};
  }
  const std::string id = reply->accepted.front().id;
  remember(id, account.client);
  co_return id;
}

awaitable<smpp::Outcome<std::string>> SmppBackend::submit_part(smpp::Account account,
                                                               smpp::SubmitSpec spec) {
  // The group is keyed by the destination as normalised, so "0151..." and "+49151..."
  // parts of one message meet.
  auto to = scheduler::normalise_destination(spec.to, config_.routing.default_country_code);
  if (!to) {
    co_return Failure{CommandStatus::esme_rinvdstadr, "destination_addr",
                      "to: " + to.error().message};
  }
  if (spec.text.empty()) {
    co_return Failure{CommandStatus::esme_rsubmitfail, "short_message",
                      "text: a part must not be empty"};
  }
  const auto now = std::chrono::system_clock::now();
  const bool charged = !account.client.empty();
  if (charged) {
    if (auto charge = hooks_.charge(account.client, 1, now); !charge) {
      co_return submit_failure(charge.error());
    }
  }
  store::SmppPart part;
  part.key = store::SmppGroupKey{account.client, *to, spec.part->ref, spec.part->total};
  part.seq = spec.part->seq;
  part.text = spec.text;
  part.registered_delivery = spec.registered_delivery;
  part.message_id = ids_.next(now);
  part.source_addr = spec.source_addr;
  part.source_ton = spec.source_ton;
  part.source_npi = spec.source_npi;
  part.dest_addr = spec.dest_addr;
  part.dest_ton = spec.dest_ton;
  part.dest_npi = spec.dest_npi;
  part.priority = spec.priority;
  part.send_at = spec.send_at;
  part.validity = spec.validity;
  part.flash = spec.flash;
  part.received_at = now;
  auto job = [part](store::Store& s) { return s.store_smpp_part(part); };
  auto stored = co_await store_.call(job);
  if (!stored || stored->duplicate) {
    if (charged) hooks_.refund(account.client, 1, now);
  }
  if (!stored) {
    if (stored.error().code == "invalid") {
      co_return Failure{CommandStatus::esme_rsubmitfail, "sar_segment_seqnum",
                        stored.error().message};
    }
    spdlog::error("smpp: cannot store part {} of {} for {}: {}", part.seq, part.key.total,
                  part.key.destination, stored.error().message);
    co_return Failure{CommandStatus::esme_rsyserr, "", stored.error().message};
  }
  remember(stored->message_id, account.client);
  if (stored->complete) co_await finish_group(part.key, std::nullopt);
  co_return stored->message_id;
}

awaitable<void> SmppBackend::finish_group(store::SmppGroupKey key,
                                          std::optional<std::string> fail_error) {
  auto read = [key](store::Store& s) { return s.smpp_group_parts(key); };
  auto parts = co_await store_.call(read);
  if (!parts) {
    spdlog::error("smpp: cannot read the parts of a message to {}: {}", key.destination,
                  parts.error().message);
    co_return;
  }
  if (parts->empty()) co_return;       // made a message already
  const auto& first = parts->front();  // the lowest seq present: its settings are the message's
  http::SubmitRequest request;
  request.to = key.destination;
  int registered_delivery = 0;
  for (const auto& p : *parts) {
    request.text += p.text;
    registered_delivery |= p.registered_delivery;
  }
  request.text = smpp::join_surrogate_halves(request.text);  // a pair split between parts
  request.priority = first.priority;
  request.send_at = first.send_at;
  request.validity = first.validity;
  request.flash = first.flash;
  if (registered_delivery != 0) request.status_report = true;
  request.client = client_name(key.client);
  MessageOrigin origin;
  origin.protocol = "smpp";
  origin.registered_delivery = static_cast<std::uint8_t>(registered_delivery);
  origin.source_addr = first.source_addr;
  origin.source_ton = static_cast<std::uint8_t>(first.source_ton);
  origin.source_npi = static_cast<std::uint8_t>(first.source_npi);
  origin.dest_addr = first.dest_addr;
  origin.dest_ton = static_cast<std::uint8_t>(first.dest_ton);
  origin.dest_npi = static_cast<std::uint8_t>(first.dest_npi);
  request.origin = origin;
  const auto now = std::chrono::system_clock::now();
  auto built = hooks_.build(request, now);
  store::NewMessage message;
  if (built) {
    message = std::move(*built);
  } else {
    // Not sendable (e.g. more parts than [sms] max_parts): it is stored failed, so the
    // client's receipt says so. The placeholder part is never sent (a failed message is
    // never claimed).
    if (!fail_error) fail_error = "smpp: " + built.error().message;
    message.to = key.destination;
    message.text = request.text;
    message.encoding = "gsm7";
    message.priority = request.priority;
    message.status_report = true;
    message.parts.push_back(store::NewPart{"", 0});
    message.created_at = now;
    message.client = request.client;
    message.origin = origin;
  }
  message.id = first.message_id;
  remember(message.id, key.client);
  auto stored = co_await hooks_.store_group(key, std::move(message), fail_error);
  if (!stored) {
    spdlog::error(
        "smpp: cannot store the message {} to {} from its parts (the sweep tries "
        "again): {}",
        first.message_id, key.destination, stored.error().message);
  } else if (*stored && fail_error) {
    spdlog::warn("smpp: message {} to {} failed: {}", first.message_id, key.destination,
                 *fail_error);
  }
}

awaitable<void> SmppBackend::sweep(TimePoint now) {
  const auto timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(config_.smpp.parts_timeout);
  const auto cutoff = now - timeout;
  auto job = [cutoff](store::Store& s) { return s.smpp_groups_to_finish(cutoff); };
  auto groups = co_await store_.call(job);
  if (!groups) {
    spdlog::error("smpp: cannot read the parts waiting for their message: {}",
                  groups.error().message);
    co_return;
  }
  for (const auto& group : *groups) {
    std::optional<std::string> fail_error;
    if (!group.complete()) {
      fail_error = "smpp: " + std::to_string(group.parts_received) + " of " +
                   std::to_string(group.key.total) + " parts arrived within " +
                   short_duration(timeout);
    }
    co_await finish_group(group.key, std::move(fail_error));
  }
}

awaitable<void> SmppBackend::run() {
  while (!stopping_) {
    if (!config_.smpp.listen.empty()) co_await sweep(std::chrono::system_clock::now());
    if (stopping_) break;
    sweep_timer_.expires_after(kSweepInterval);
    error_code ec;
    co_await sweep_timer_.async_wait(asio::redirect_error(use_awaitable, ec));
  }
}

void SmppBackend::stop() {
  stopping_ = true;
  sweep_timer_.cancel();
  for (auto& [client, signal] : signals_) {
    for (auto* waiter : signal.waiters) waiter->cancel();
  }
}

}  // namespace smsgw::gateway
