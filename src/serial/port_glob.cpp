#include "smsgw/serial/port_glob.hpp"

#include <glob.h>

#include <filesystem>
#include <map>
#include <system_error>

namespace smsgw::serial {
namespace {

std::vector<std::string> glob_paths(const std::string& pattern) {
  std::vector<std::string> paths;
  glob_t matches{};
  if (::glob(pattern.c_str(), 0, nullptr, &matches) == 0) {
    for (std::size_t i = 0; i < matches.gl_pathc; ++i) paths.emplace_back(matches.gl_pathv[i]);
  }
  ::globfree(&matches);
  return paths;  // glob(3) sorts its matches
}

std::string device_of(const std::string& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(path, ec);
  return ec ? path : canonical.string();
}

}  // namespace

bool has_glob_characters(const std::string& pattern) {
  return pattern.find_first_of("*?[") != std::string::npos;
}

PortExpansion expand_ports(const std::vector<std::string>& patterns) {
  PortExpansion expansion;
  std::map<std::string, std::string> first_path_of_device;
  for (const auto& pattern : patterns) {
    const std::vector<std::string> paths =
        has_glob_characters(pattern) ? glob_paths(pattern) : std::vector<std::string>{pattern};
    for (const auto& path : paths) {
      const std::string device = device_of(path);
      const auto [seen, inserted] = first_path_of_device.emplace(device, path);
      if (!inserted) {
        if (seen->second != path) {
          expansion.duplicates.push_back(DuplicatePort{path, seen->second, device});
        }
        continue;
      }
      expansion.ports.push_back(ExpandedPort{path, device});
    }
  }
  return expansion;
}

}  // namespace smsgw::serial
