// Serial port discovery: which ttys exist and what USB device is behind each.
//
// Uses libserialport for enumeration and USB metadata (it refuses pseudo-terminals, so it
// is used for discovery only; ports are opened with open_tty()). The stable udev links
// in /dev/serial/by-path and /dev/serial/by-id are matched to each port by target.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/common/result.hpp"

namespace smsgw::serial {

struct PortInfo {
  std::string name;         // "/dev/ttyUSB2"
  std::string description;  // libserialport's description, e.g. "HUAWEI Mobile - HUAWEI Mobile"
  std::string transport;    // "usb", "native", "bluetooth" or "unknown"
  std::optional<std::uint16_t> usb_vendor_id;
  std::optional<std::uint16_t> usb_product_id;
  std::string usb_manufacturer;
  std::string usb_product;
  std::string usb_serial;  // empty when the device has none
  std::optional<int> usb_bus;
  std::optional<int> usb_address;
  std::string by_path;  // "/dev/serial/by-path/pci-0000:00:14.0-usb-0:2:1.2-port0", or empty
  std::string by_id;    // "/dev/serial/by-id/usb-HUAWEI_...-if02-port0", or empty
};

// Every serial port of the system, sorted by name. An Error ("serial.discovery") only
// when enumeration itself fails; no ports is an empty list.
Result<std::vector<PortInfo>> list_ports();

// The symlinks in `directory`, keyed by the canonical path of their target
// ("/dev/ttyUSB2" -> "<directory>/<link>"). A missing directory gives an empty map.
std::map<std::string, std::string> links_by_target(const std::filesystem::path& directory);

// "12d1:1506", or empty when either id is unknown.
std::string vid_pid_text(const PortInfo& port);

}  // namespace smsgw::serial
