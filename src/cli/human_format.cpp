#include "smsgw/cli/human_format.hpp"

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace smsgw::cli {

namespace {

struct SignalThreshold {
  int min_dbm;
  int level;
};

// Strongest first; the usual 4-bar mapping of GSM RSSI.
constexpr std::array<SignalThreshold, 4> kSignalThresholds{{
    {-73, 4},
    {-83, 3},
    {-93, 2},
    {-109, 1},
}};

constexpr std::array<std::string_view, 4> kUnicodeBars{"\u2582", "\u2584", "\u2586", "\u2588"};

}  // namespace

int signal_level(std::optional<int> dbm, std::optional<int> csq) {
  if (!dbm && csq && *csq >= 0 && *csq <= 31) dbm = -113 + 2 * *csq;  // TS 27.007 8.5
  if (!dbm) return -1;
  for (const auto& threshold : kSignalThresholds) {
    if (*dbm >= threshold.min_dbm) return threshold.level;
  }
  return 0;
}

std::string signal_bars(int level, bool unicode) {
  if (level < 0) return "????";
  std::string bars;
  for (int bar = 0; bar < 4; ++bar) {
    const bool lit = bar < level;
    if (unicode) {
      bars += lit ? kUnicodeBars[static_cast<std::size_t>(bar)] : "_";
    } else {
      bars += lit ? '#' : '.';
    }
  }
  return bars;
}

std::string format_signal(std::optional<int> dbm, std::optional<int> csq, bool unicode) {
  if (!dbm && csq && *csq >= 0 && *csq <= 31) dbm = -113 + 2 * *csq;
  const int level = signal_level(dbm, std::nullopt);
  if (level < 0) return "?";
  return signal_bars(level, unicode) + " " + std::to_string(*dbm);
}

std::string format_age(std::chrono::seconds age) {
  using namespace std::chrono;
  const auto seconds = age.count();
  if (seconds < 5) return "just now";
  if (seconds < 60) return std::to_string(seconds) + "s ago";
  if (seconds < 3600) return std::to_string(seconds / 60) + "m ago";
  if (seconds < 86400) return std::to_string(seconds / 3600) + "h ago";
  return std::to_string(seconds / 86400) + "d ago";
}

std::string format_amount(double amount) {
  char buffer[64];
  // Two decimals unless that loses digits the amount has (a tariff of 0.125).
  for (int decimals = 2; decimals <= 6; ++decimals) {
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, amount);
    const double shown = std::strtod(buffer, nullptr);
    if (std::fabs(shown - amount) < 1e-9) break;
  }
  return buffer;
}

std::string format_balance(std::optional<double> amount, const std::string& currency,
                           std::optional<TimePoint> checked_at, TimePoint now) {
  std::string text = amount ? format_amount(*amount) : "?";
  if (amount && !currency.empty()) text += " " + currency;
  if (checked_at) {
    text += " ";
    text += format_age(std::chrono::duration_cast<std::chrono::seconds>(now - *checked_at));
  }
  return text;
}

std::string format_count_of(std::uint64_t count, std::optional<std::uint64_t> limit) {
  std::string text = std::to_string(count);
  if (limit) text += "/" + std::to_string(*limit);
  return text;
}

}  // namespace smsgw::cli
