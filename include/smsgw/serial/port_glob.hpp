// Expanding the configured `port` values ("/dev/smsgw/*", "/dev/ttyUSB*", "/dev/ttyUSB2")
// into concrete ports, and detecting one device reached through two names.
//
// Contract: a pattern with glob characters expands to the paths that exist now, sorted;
// a plain path is kept even when it does not exist yet (the modem may be plugged in later).
// Each path is resolved through symlinks; a path whose device was already listed (e.g.
// "/dev/smsgw/modem1" and "/dev/ttyUSB2" pointing at the same tty) is reported in
// `duplicates` and left out of `ports`.
#pragma once

#include <string>
#include <vector>

namespace smsgw::serial {

struct ExpandedPort {
  std::string path;    // as configured or as the glob matched it
  std::string device;  // the canonical path (symlinks resolved), or `path` when missing
};

struct DuplicatePort {
  std::string path;     // the name left out
  std::string same_as;  // the earlier name reaching the same device
  std::string device;
};

struct PortExpansion {
  std::vector<ExpandedPort> ports;
  std::vector<DuplicatePort> duplicates;
};

bool has_glob_characters(const std::string& pattern);
PortExpansion expand_ports(const std::vector<std::string>& patterns);

}  // namespace smsgw::serial
