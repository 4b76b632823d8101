// Gateway: live control of modems and SIMs (http::GatewayApi pause_modem, resume_modem,
// reset_modem) over LiveControl, and a modem's entry as GET /api/v1/modems shows it.
#include "smsgw/gateway/api_mapping.hpp"
#include "smsgw/gateway/gateway.hpp"

namespace smsgw::gateway {

http::ModemInfo Gateway::info_of(const modem::ModemSnapshot& snapshot) const {
  const auto status = dispatcher_.sim_status(snapshot.id);
  auto info = modem_info(snapshot, status, balances_.latest(snapshot.iccid),
                         live_.pause_of(snapshot.iccid));
  info.node = config_.node.name;
  if (status) {
    info.sent_this_month = status->sent_this_month;
    info.monthly_limit = status->per_month;
  }
  if (const auto* sim = sim_config(snapshot.iccid)) {
    info.number = sim->number;
    if (!sim->label.empty()) info.label = sim->label;
  }
  return info;
}

Result<http::ModemInfo> Gateway::info_of(const std::string& modem_id) {
  auto* actor = pool_.find(modem_id);
  if (actor == nullptr) {
    return make_error(ErrorCode::not_found, "no modem with id \"" + modem_id + "\"");
  }
  return info_of(actor->snapshot());
}

std::optional<std::string> Gateway::operator_of(const std::string& modem_id) const {
  auto status = dispatcher_.sim_status(modem_id);
  if (!status || status->operator_name.empty()) return std::nullopt;
  return status->operator_name;
}

awaitable<Result<http::ModemInfo>> Gateway::pause_modem(std::string modem_id, std::string by) {
  if (auto other = elsewhere(modem_id)) co_return *other;
  auto paused = co_await live_.pause(modem_id, std::move(by));
  if (!paused) co_return paused.error();
  feed_.modem_changed(modem_id);
  co_return info_of(modem_id);
}

awaitable<Result<http::ModemInfo>> Gateway::resume_modem(std::string modem_id) {
  if (auto other = elsewhere(modem_id)) co_return *other;
  auto resumed = co_await live_.resume(modem_id);
  if (!resumed) co_return resumed.error();
  feed_.modem_changed(modem_id);
  co_return info_of(modem_id);
}

awaitable<Result<http::ModemInfo>> Gateway::reset_modem(std::string modem_id) {
  if (auto other = elsewhere(modem_id)) co_return *other;
  if (auto started = live_.reset(modem_id); !started) co_return started.error();
  feed_.modem_changed(modem_id);
  co_return info_of(modem_id);
}

awaitable<Result<http::EventReplay>> Gateway::events_after(std::int64_t after, int limit) {
  return feed_.events_after(after, limit);
}

awaitable<Result<http::Stats>> Gateway::stats() { return feed_.stats(); }

}  // namespace smsgw::gateway
