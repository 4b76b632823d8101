#include "wire.hpp"

#include <algorithm>
#include <cctype>

namespace smsgw::harness::wire {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

void for_each_header(const std::string& head,
                     const std::function<void(const std::string&, const std::string&)>& field) {
  std::size_t line_end = head.find("\r\n");
  while (line_end != std::string::npos) {
    const auto start = line_end + 2;
    line_end = head.find("\r\n", start);
    const std::string line =
        head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    field(lower(trim(line.substr(0, colon))), trim(line.substr(colon + 1)));
  }
}

}  // namespace smsgw::harness::wire
