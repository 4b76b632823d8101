#include "smsgw/gateway/settings.hpp"

namespace smsgw::gateway {
namespace {

// The local calendar of [routing] timezone (empty: the system's zone); an Error naming the
// zone file and the problem when it cannot be read.
Result<scheduler::LocalCalendar> calendar_of(const config::RoutingConfig& routing) {
  auto calendar = scheduler::load_time_zone(routing.timezone);
  if (!calendar) {
    return make_error("config.invalid", "routing.timezone: " + calendar.error().message);
  }
  return calendar;
}

}  // namespace

Result<LoadedConfig> load_for_serving(const std::filesystem::path& path) {
  auto loaded = config::load_config(path);
  if (!loaded) return loaded.error();
  std::vector<scheduler::OperatorSpec> specs;
  for (const auto& op : loaded->operators) specs.push_back({op.name, op.mccmnc, op.prefixes});
  auto operators =
      scheduler::OperatorTable::create(std::move(specs), loaded->routing.default_country_code);
  if (!operators) {
    return make_error("config.invalid", path.string() + ": " + operators.error().message);
  }
  auto calendar = calendar_of(loaded->routing);
  if (!calendar) {
    return make_error("config.invalid", path.string() + ": " + calendar.error().message);
  }
  return LoadedConfig{std::move(*loaded), std::move(*operators), std::move(*calendar)};
}

scheduler::Limits scheduler_limits(const config::Limits& limits) {
  scheduler::Limits out;
  out.per_minute = limits.per_minute;
  out.per_day = limits.per_day;
  out.per_month = limits.per_month;
  out.recipients_per_day = limits.recipients_per_day;
  return out;
}

std::vector<http::BearerCredential> client_credentials(
    const std::vector<config::ClientConfig>& clients) {
  std::vector<http::BearerCredential> out;
  for (const auto& client : clients) {
    std::uint8_t scopes = 0;
    for (const auto& name : client.scopes) {
      if (auto scope = http::scope_from_name(name)) scopes |= static_cast<std::uint8_t>(*scope);
    }
    if (!client.token.empty()) {
      out.push_back(http::BearerCredential::client_token(client.name, scopes, client.token));
    } else if (auto digest = http::BearerCredential::client_digest(client.name, scopes,
                                                                   client.token_sha256)) {
      out.push_back(std::move(*digest));
    }
  }
  return out;
}

std::vector<http::SendsmsAccount> sendsms_accounts(
    const std::vector<config::ClientConfig>& clients) {
  std::vector<http::SendsmsAccount> out;
  for (const auto& client : clients) {
    if (client.system_id.empty()) continue;
    std::uint8_t scopes = 0;
    for (const auto& name : client.scopes) {
      if (auto scope = http::scope_from_name(name)) scopes |= static_cast<std::uint8_t>(*scope);
    }
    out.push_back(http::SendsmsAccount::of(client.name, scopes, client.system_id, client.password));
  }
  return out;
}

DispatcherOptions dispatcher_options(const config::Config& c, scheduler::LocalCalendar calendar) {
  DispatcherOptions o;
  o.calendar = std::move(calendar);
  o.routing.fallback = c.routing.fallback == config::Fallback::any ? scheduler::Fallback::any
                                                                   : scheduler::Fallback::none;
  o.routing.fallback_wait = c.routing.fallback_wait;
  o.retry.max_attempts = c.retry.max_attempts;
  o.retry.backoff_initial = c.retry.backoff_initial;
  o.retry.backoff_max = c.retry.backoff_max;
  o.retry.resend_unknown_outcome = c.store.at_least_once;
  o.health.failures_to_bench = c.retry.bench_after_failures;
  o.health.cooldown = c.retry.bench_cooldown;
  o.report_matching.window = c.sms.report_window;
  if (c.sms.after_settle == "resend") o.resend_unsettled_after = c.sms.settle_unknown;
  if (c.store.shared()) {
    // Several nodes: small windows read often (each node takes a share of the queue).
    o.shared_queue = true;
    o.claim_spread = kSharedClaimSpread;
    o.group_window = 256;
  }
  for (const auto& op : c.operators) o.operator_limits[op.name] = scheduler_limits(op.limits);
  for (const auto& sim : c.sims) {
    o.sims[sim.iccid] =
        SimOverrides{scheduler_limits(sim.limits), sim.operator_name.value_or(""), sim.enabled};
  }
  return o;
}

}  // namespace smsgw::gateway
