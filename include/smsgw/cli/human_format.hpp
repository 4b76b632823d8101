// Small human renderings of API values: signal bars, ages, amounts (pure).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace smsgw::cli {

using TimePoint = std::chrono::system_clock::time_point;

// Signal strength in 0..4 bars, -1 when unknown. From dBm when known, else from CSQ
// (3GPP TS 27.007 8.5: dBm = -113 + 2 * rssi, rssi 0..31, 99 unknown). Thresholds:
// >= -73 dBm 4 bars, >= -83 3, >= -93 2, >= -109 1, weaker 0.
int signal_level(std::optional<int> dbm, std::optional<int> csq);

// Four bar cells: lit bars "▂▄▆█" and unlit "_" ("▂▄▆_" is 3 bars); ASCII "###." for 3.
// Unknown strength: "????" / "????".
std::string signal_bars(int level, bool unicode);

// Bars and dBm: "▂▄▆_ -71"; "?" alone when nothing is known.
std::string format_signal(std::optional<int> dbm, std::optional<int> csq, bool unicode);

// How long ago: "just now" (< 5 s or in the future), "42s ago", "5m ago", "3h ago",
// "2d ago". Whole units, rounded down.
std::string format_age(std::chrono::seconds age);

// An amount with two decimals ("12.34", "-3.50"), more when they matter ("0.125").
std::string format_amount(double amount);

// "12.34 EUR 5m ago"; the currency and the age are left out when unknown; "?" for an amount
// that could not be parsed (then the age still follows).
std::string format_balance(std::optional<double> amount, const std::string& currency,
                           std::optional<TimePoint> checked_at, TimePoint now);

// A count over its limit when there is one: "12/500", else "12".
std::string format_count_of(std::uint64_t count, std::optional<std::uint64_t> limit);

}  // namespace smsgw::cli
