// The gateway's live settings: a config reload, [[sim]] lookups, [[client]] limits, and
// what GET /api/v1/info shows of them.

#include <spdlog/spdlog.h>

#include "smsgw/gateway/api_mapping.hpp"
#include "smsgw/gateway/gateway.hpp"
#include "smsgw/gateway/settings.hpp"

namespace smsgw::gateway {

MessageBuilderOptions Gateway::builder_options() {
  std::vector<pdu::NationalLanguage> languages;
  for (const auto& name : config_.sms.shift_tables) {
    if (auto language = pdu::national_language_from_name(name)) languages.push_back(*language);
  }
  // A modem of another node may be pinned too: that node sends the message.
  return MessageBuilderOptions{
      config_.routing.default_country_code, config_.sms.max_parts, std::move(languages),
      [this](const std::string& id) { return pool_.knows(id) || (nodes_ && nodes_->find(id)); },
      config_.sms.status_report};
}

awaitable<Result<http::GatewayInfo>> Gateway::info() { co_return gateway_info(config_.sms); }

const config::SimConfig* Gateway::sim_config(const std::string& iccid) const {
  if (iccid.empty()) return nullptr;
  for (const auto& sim : config_.sims) {
    if (sim.iccid == iccid) return &sim;
  }
  return nullptr;
}

std::optional<std::string> Gateway::sim_pin(const std::string& iccid) const {
  const auto* sim = sim_config(iccid);
  return sim != nullptr ? sim->pin : std::nullopt;
}

void Gateway::reconfigure(config::Config next, scheduler::LocalCalendar calendar) {
  // What only a restart changes stays as it runs.
  if (next.store != config_.store) {
    spdlog::warn("config reload: [store] changed; it applies after a restart ({} stays open)",
                 config_.store.name_for_log());
    next.store = config_.store;
  }
  if (next.node != config_.node) {
    // The node's name and url are in the store's rows and in other nodes' caches.
    spdlog::warn("config reload: [node] changed; it applies after a restart (node {} runs on)",
                 config_.node.name);
    next.node = config_.node;
  }
  const bool calendar_changed = next.routing.timezone != config_.routing.timezone;
  config_ = std::move(next);
  calendar_ = std::move(calendar);
  builder_.set_options(builder_options());
  dispatcher_.reconfigure(dispatcher_options(config_, calendar_), calendar_changed);
  pool_.reconfigure(config_.modems, config_.modem_polling, config_.ussd);
  watch_.set_down_after(config_.modem_polling.down_after);
  if (calendar_changed) quotas_.clear();  // counted again in the new days
  apply_client_limits();
  if (calendar_changed) tasks_.spawn("gateway: counting clients' parts", restore_client_counts());
  if (auto webhooks = outbox_.reconfigure(WebhookSettings::from(config_)); !webhooks) {
    spdlog::error("config reload: webhooks: {}; the previous webhook settings stay",
                  webhooks.error().message);
  }
  balances_.modem_ready();  // looks at the (new) intervals now
}

void Gateway::apply_client_limits() {
  std::map<std::string, std::string> secrets;
  for (const auto& client : config_.clients) {
    if (!client.secret.empty()) secrets[client.name] = client.secret;
  }
  outbox_.set_client_secrets(std::move(secrets));
  std::map<std::string, scheduler::ClientQuota> quotas;
  for (const auto& client : config_.clients) {
    const scheduler::ClientLimits limits{client.limits.per_minute, client.limits.per_day};
    auto it = quotas_.find(client.name);
    if (it != quotas_.end()) {
      it->second.set_limits(limits);
      quotas.emplace(client.name, std::move(it->second));
    } else {
      quotas.emplace(client.name, scheduler::ClientQuota(limits, calendar_));
    }
  }
  quotas_ = std::move(quotas);
}

awaitable<void> Gateway::restore_client_counts() {
  const auto now = std::chrono::system_clock::now();
  const auto day_start = calendar_.start_of_day(calendar_.day_of(now));
  for (const auto& client : config_.clients) {
    if (!client.limits.per_day) continue;
    auto job = [name = client.name, day_start](store::Store& s) {
      return s.client_parts_since(name, day_start);
    };
    auto parts = co_await store_.call(job);
    auto it = quotas_.find(client.name);
    if (parts && it != quotas_.end()) {
      it->second.restore_today(
          now, it->second.submitted_today(now) + static_cast<std::uint32_t>(*parts));
    }
  }
}

Result<void> Gateway::charge_client(const std::string& client, std::size_t parts, TimePoint now) {
  auto it = quotas_.find(client);
  if (it == quotas_.end()) return {};
  const auto decision = it->second.take(now, static_cast<std::uint32_t>(parts));
  if (const auto* retry = std::get_if<scheduler::ClientQuota::RetryAt>(&decision)) {
    const auto wait = std::chrono::ceil<std::chrono::seconds>(retry->at - now);
    Error error("rate_limited", "client " + client + " is over its limit of " + retry->reason +
                                    "; try again in " + std::to_string(wait.count()) + " s");
    error.retry_after = std::max(wait, std::chrono::seconds(1));
    return error;
  }
  if (const auto* never = std::get_if<scheduler::ClientQuota::Never>(&decision)) {
    return make_error("validation", "messages: " + std::to_string(parts) +
                                        " parts in one submission exceed client " + client +
                                        "'s limit of " + never->reason + "; split it");
  }
  return {};
}

void Gateway::refund_client(const std::string& client, std::size_t parts, TimePoint now) {
  if (auto it = quotas_.find(client); it != quotas_.end()) {
    it->second.refund(now, static_cast<std::uint32_t>(parts));
  }
}

}  // namespace smsgw::gateway
