// ModemSnapshot: what a modem is and how it is doing, as its actor last saw it (state,
// identity, signal, counters). A value: copied out to the gateway, the API and metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "smsgw/common/result.hpp"

namespace smsgw::modem {

enum class ModemState { absent, opening, initialising, ready, sending, backoff };
std::string_view to_string(ModemState);  // the contract names
// In service: initialised and registered, idle or sending (the one rule the dispatcher,
// the modem watch and /metrics share).
constexpr bool in_service(ModemState state) {
  return state == ModemState::ready || state == ModemState::sending;
}

struct ModemSnapshot {
  std::string id;
  std::string port;
  ModemState state = ModemState::absent;
  std::string imei;
  std::string imsi;
  std::string iccid;   // digits as the SIM reports them, padding F removed
  std::string mccmnc;  // "26201"
  std::string manufacturer;
  std::string model;
  std::string revision;
  std::string profile;        // the profile in use ("generic", "huawei", ...)
  std::string operator_name;  // +COPS as the modem names it
  std::string smsc;           // +CSCA
  std::optional<int> csq;     // 0..31, 99
  std::optional<int> dbm;
  std::string registration = "unknown";  // home | roaming | searching | denied | unknown
  std::optional<Error> last_error;
  std::uint64_t errors_total = 0;
  std::uint64_t sent_total = 0;        // parts with +CMGS
  std::uint64_t received_total = 0;    // inbound messages handed to the listener
  std::uint64_t reports_total = 0;     // status reports handed to the listener
  std::uint64_t recoveries_total = 0;  // recovery ladder runs
  std::uint64_t identity_changes = 0;  // reopened port showed another IMEI/ICCID
  std::chrono::system_clock::time_point state_since{};
};

}  // namespace smsgw::modem
