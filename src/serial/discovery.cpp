#include "smsgw/serial/discovery.hpp"

#include <libserialport.h>

#include <algorithm>
#include <cstdio>
#include <system_error>

namespace smsgw::serial {
namespace {

std::string text_or_empty(const char* text) { return text ? std::string(text) : std::string(); }

std::string transport_name(sp_transport transport) {
  switch (transport) {
    case SP_TRANSPORT_NATIVE:
      return "native";
    case SP_TRANSPORT_USB:
      return "usb";
    case SP_TRANSPORT_BLUETOOTH:
      return "bluetooth";
  }
  return "unknown";
}

std::string canonical_or_self(const std::string& path) {
  std::error_code ec;
  const auto canonical = std::filesystem::canonical(path, ec);
  return ec ? path : canonical.string();
}

}  // namespace

std::map<std::string, std::string> links_by_target(const std::filesystem::path& directory) {
  std::map<std::string, std::string> links;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(directory, ec), end; !ec && it != end;
       it.increment(ec)) {
    std::error_code link_ec;
    if (!it->is_symlink(link_ec) || link_ec) continue;
    const auto target = std::filesystem::canonical(it->path(), link_ec);
    if (link_ec) continue;  // a dangling link: its device is gone
    // Several links may reach one device; keep the first in name order for stability.
    auto [existing, inserted] = links.emplace(target.string(), it->path().string());
    if (!inserted && it->path().string() < existing->second) existing->second = it->path().string();
  }
  return links;
}

std::string vid_pid_text(const PortInfo& port) {
  if (!port.usb_vendor_id || !port.usb_product_id) return {};
  char text[16];
  std::snprintf(text, sizeof text, "%04x:%04x", *port.usb_vendor_id, *port.usb_product_id);
  return text;
}

Result<std::vector<PortInfo>> list_ports() {
  sp_port** list = nullptr;
  const sp_return listed = sp_list_ports(&list);
  if (listed != SP_OK) {
    char* message = sp_last_error_message();
    Error error =
        make_error("serial.discovery", "listing serial ports failed: " + text_or_empty(message));
    sp_free_error_message(message);
    return error;
  }
  const auto by_path = links_by_target("/dev/serial/by-path");
  const auto by_id = links_by_target("/dev/serial/by-id");

  std::vector<PortInfo> ports;
  for (sp_port** entry = list; *entry != nullptr; ++entry) {
    const sp_port* port = *entry;
    PortInfo info;
    info.name = text_or_empty(sp_get_port_name(port));
    info.description = text_or_empty(sp_get_port_description(port));
    const sp_transport transport = sp_get_port_transport(port);
    info.transport = transport_name(transport);
    if (transport == SP_TRANSPORT_USB) {
      int vendor = 0;
      int product = 0;
      if (sp_get_port_usb_vid_pid(port, &vendor, &product) == SP_OK) {
        info.usb_vendor_id = static_cast<std::uint16_t>(vendor);
        info.usb_product_id = static_cast<std::uint16_t>(product);
      }
      int bus = 0;
      int address = 0;
      if (sp_get_port_usb_bus_address(port, &bus, &address) == SP_OK) {
        info.usb_bus = bus;
        info.usb_address = address;
      }
      info.usb_manufacturer = text_or_empty(sp_get_port_usb_manufacturer(port));
      info.usb_product = text_or_empty(sp_get_port_usb_product(port));
      info.usb_serial = text_or_empty(sp_get_port_usb_serial(port));
    }
    const std::string device = canonical_or_self(info.name);
    if (auto link = by_path.find(device); link != by_path.end()) info.by_path = link->second;
    if (auto link = by_id.find(device); link != by_id.end()) info.by_id = link->second;
    ports.push_back(std::move(info));
  }
  sp_free_port_list(list);
  std::sort(ports.begin(), ports.end(),
            [](const PortInfo& a, const PortInfo& b) { return a.name < b.name; });
  return ports;
}

}  // namespace smsgw::serial
