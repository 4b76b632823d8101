// The configuration as the gateway's parts take it: config::Config in, each part's
// options out; used at start-up, by `smsgw check-config` and on every reload.
#pragma once

#include "smsgw/config/config.hpp"
#include "smsgw/gateway/dispatcher.hpp"
#include "smsgw/http/bearer_auth.hpp"
#include "smsgw/http/sendsms_auth.hpp"
#include "smsgw/scheduler/local_calendar.hpp"
#include "smsgw/scheduler/operators.hpp"
#include "smsgw/scheduler/rate_limiter.hpp"
#include "smsgw/scheduler/time_zone.hpp"

namespace smsgw::gateway {

// A config file read and checked as far as serving needs before anything starts: the
// config itself, its operator table and the calendar of its time zone.
struct LoadedConfig {
  config::Config config;
  scheduler::OperatorTable operators;
  scheduler::LocalCalendar calendar;
};
// Errors are the one line a config error is everywhere (file, key, reason).
Result<LoadedConfig> load_for_serving(const std::filesystem::path& path);

scheduler::Limits scheduler_limits(const config::Limits& limits);


// The [[client]] tables as bearer credentials (token, or token_sha256) with their scopes.
std::vector<http::BearerCredential> client_credentials(
    const std::vector<config::ClientConfig>& clients);
// The [[client]] tables that have a system_id as /cgi-bin/sendsms accounts, with their
// scopes.
std::vector<http::SendsmsAccount> sendsms_accounts(
    const std::vector<config::ClientConfig>& clients);

// Routing, retry, health, report matching, [[operator]] and [[sim]] limits; days and months
// in `calendar` ([routing] timezone, loaded by the caller).
DispatcherOptions dispatcher_options(const config::Config& config,
                                     scheduler::LocalCalendar calendar);

}  // namespace smsgw::gateway
