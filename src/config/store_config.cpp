// StoreConfig's helpers (config.hpp).
#include <string>

#include "smsgw/config/config.hpp"

namespace smsgw::config {

std::string StoreConfig::url_for_log() const {
  std::string text = url;
  if (const auto scheme = text.find("://"); scheme != std::string::npos) {
    const auto at = text.find('@', scheme + 3);
    const auto colon = text.find(':', scheme + 3);
    if (at != std::string::npos && colon != std::string::npos && colon < at) {
      text.replace(colon + 1, at - colon - 1, "***");
    }
  }
  for (auto at = text.find("password"); at != std::string::npos;
       at = text.find("password", at + 1)) {
    auto value = text.find_first_not_of(" ", at + 8);
    if (value == std::string::npos || text[value] != '=') continue;
    value = text.find_first_not_of(" ", value + 1);
    if (value == std::string::npos) break;
    const auto end = text.find_first_of(" &", value);
    text.replace(value, end == std::string::npos ? std::string::npos : end - value, "***");
  }
  return text;
}

}  // namespace smsgw::config
