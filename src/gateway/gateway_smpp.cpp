// The gateway's side of the SMPP server: the hooks SmppBackend submits and stores through.
#include <spdlog/spdlog.h>

#include "smsgw/gateway/gateway.hpp"
#include "smsgw/gateway/queued_message.hpp"

namespace smsgw::gateway {

SmppHooks Gateway::smpp_hooks() {
  SmppHooks hooks;
  hooks.submit = [this](http::SubmitRequest request) {
    return submit(std::move(request), std::nullopt);
  };
  hooks.charge = [this](const std::string& client, std::size_t parts, TimePoint now) {
    return charge_client(client, parts, now);
  };
  hooks.refund = [this](const std::string& client, std::size_t parts, TimePoint now) {
    refund_client(client, parts, now);
  };
  hooks.build = [this](const http::SubmitRequest& request, TimePoint now) {
    return builder_.build(request, now);
  };
  hooks.store_group = [this](store::SmppGroupKey key, store::NewMessage message,
                             std::optional<std::string> fail_error) {
    return store_smpp_group(std::move(key), std::move(message), std::move(fail_error));
  };
  return hooks;
}

awaitable<Result<bool>> Gateway::store_smpp_group(store::SmppGroupKey key,
                                                  store::NewMessage message,
                                                  std::optional<std::string> fail_error) {
  const auto now = std::chrono::system_clock::now();
  std::vector<store::NewMessage> messages{std::move(message)};
  std::vector<http::StreamEvent> queued_events;
  auto job = [&key, &messages, &fail_error, &queued_events, now](store::Store& s) -> Result<bool> {
    auto stored = s.assemble_smpp_group(key, messages.front(), fail_error, now);
    if (!stored || !*stored || fail_error) return stored;
    auto events = LiveFeed::append_queued(s, messages, now);
    if (!events) return events.error();
    queued_events = std::move(events).value();
    return true;
  };
  auto stored = co_await store_.call(job);
  if (!stored || !*stored) co_return stored;
  const auto& m = messages.front();
  if (m.client) metrics_.client_submitted(*m.client, 1);
  if (fail_error) {
    on_message_status(m.id, store::MessageStatus::failed, "");
    co_return true;
  }
  feed_.publish(queued_events);
  metrics_.submitted(m.destination_operator.value_or(""));
  if (m.destination_operator) operator_of_message_[m.id] = *m.destination_operator;
  dispatcher_.enqueue(queued_from(m, now));
  co_return true;
}

}  // namespace smsgw::gateway
