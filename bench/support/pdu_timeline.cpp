#include "pdu_timeline.hpp"

#include <algorithm>
#include <ctime>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

namespace smsgw::bench {
namespace {

// "2026-12-05T12:57:16.672Z" -> seconds since the epoch; negative when malformed.
double parse_utc(const std::string& text) {
  std::tm tm{};
  int millis = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &tm.tm_year, &tm.tm_mon,
                  &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &millis) != 7) {
    return -1;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return static_cast<double>(timegm(&tm)) + millis / 1000.0;
}

}  // namespace

std::vector<PduStart> read_pdu_starts(const std::filesystem::path& sent_jsonl) {
  std::vector<PduStart> out;
  std::ifstream in(sent_jsonl);
  std::string line;
  while (std::getline(in, line)) {
    const auto row = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!row.is_object() || !row.contains("modem") || !row.contains("time") ||
        !row["time"].is_string()) {
      continue;
    }
    const double at = parse_utc(row["time"].get<std::string>());
    if (at < 0) continue;
    out.push_back(PduStart{sent_jsonl.string() + "#" + row["modem"].dump(), at});
  }
  return out;
}

double per_modem_steady_rate(const std::vector<PduStart>& starts) {
  if (starts.size() < 10) return 0;
  std::vector<double> times;
  times.reserve(starts.size());
  for (const auto& s : starts) times.push_back(s.at);
  std::sort(times.begin(), times.end());
  const double from = times[times.size() / 10];
  const double upto = times[times.size() * 9 / 10];
  std::map<std::string, std::vector<double>> by_modem;
  for (const auto& s : starts) {
    if (s.at >= from && s.at <= upto) by_modem[s.modem].push_back(s.at);
  }
  double rate = 0;
  for (auto& [modem, at] : by_modem) {
    if (at.size() < 2) continue;
    const auto [first, last] = std::minmax_element(at.begin(), at.end());
    if (*last > *first) rate += static_cast<double>(at.size() - 1) / (*last - *first);
  }
  return rate;
}

}  // namespace smsgw::bench
