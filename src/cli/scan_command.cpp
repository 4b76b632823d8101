// `smsgw scan [--probe] [--json] [--port PATH...]`: the serial ports of this machine with
// their USB identity, and with --probe, which of them answer AT commands and who they are.
//
// Probing opens each candidate exclusively (a port held by a running smsgw is reported as
// busy, never disturbed), sends AT (twice: the first may meet garbage or a half-typed
// line), then ATE0, AT+CGMI, AT+CGMM, AT+CGMR and AT+CGSN, each with a short timeout. All
// candidates are probed at once on one event loop. Without --port only USB ports are
// probed: writing "AT" to an arbitrary native UART could disturb whatever is attached.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "smsgw/at/channel.hpp"
#include "smsgw/at/posix_stream.hpp"
#include "smsgw/cli/commands.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/serial/discovery.hpp"
#include "smsgw/serial/tty.hpp"

namespace smsgw::cli {
namespace {

using nlohmann::json;

struct ScanOptions {
  bool probe = false;
  bool json_output = false;
  std::vector<std::string> ports;
  int timeout_ms = 1000;
  int baud = 115200;
};

struct ProbeResult {
  bool answered = false;  // answered AT with OK: an AT command port
  std::string manufacturer;
  std::string model;
  std::string revision;
  std::string imei;
  std::optional<Error> error;  // could not open it, or it stopped answering
};

struct ScannedPort {
  serial::PortInfo info;
  std::optional<ProbeResult> probe;
};

// The value of an identity reply: "+CGMI: \"Quectel\"" -> "Quectel", "QUECTEL" -> "QUECTEL".
std::string reply_value(const at::Response& response, std::string_view prefix) {
  for (const auto& line : response.lines) {
    std::string_view value = line;
    if (value.starts_with(prefix)) {
      value.remove_prefix(prefix.size());
    } else if (!value.empty() && value.front() == '+') {
      continue;  // some other information line
    }
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    if (!value.empty()) return std::string(value);
  }
  return {};
}

awaitable<ProbeResult> probe_port(std::string path, ScanOptions options) {
  ProbeResult result;
  auto fd = serial::open_tty(path, serial::TtyOptions{.baud = options.baud});
  if (!fd) {
    result.error = fd.error();
    co_return result;
  }
  auto executor = co_await asio::this_coro::executor;
  at::Channel channel(std::make_unique<at::PosixStream>(executor, fd->release(), path));
  asio::co_spawn(executor, channel.run(), asio::detached);

  const auto timeout = std::chrono::milliseconds(options.timeout_ms);
  auto hello = co_await channel.command("AT", timeout);
  if (!hello) hello = co_await channel.command("AT", timeout);
  if (!hello) {
    if (hello.error().kind != ErrorCode::at_timeout) result.error = hello.error();
    channel.close();
    co_return result;
  }
  result.answered = true;
  (void)co_await channel.command("ATE0", timeout);
  if (auto reply = co_await channel.command("AT+CGMI", timeout)) {
    result.manufacturer = reply_value(*reply, "+CGMI:");
  }
  if (auto reply = co_await channel.command("AT+CGMM", timeout)) {
    result.model = reply_value(*reply, "+CGMM:");
  }
  if (auto reply = co_await channel.command("AT+CGMR", timeout)) {
    result.revision = reply_value(*reply, "+CGMR:");
  }
  if (auto reply = co_await channel.command("AT+CGSN", timeout)) {
    result.imei = reply_value(*reply, "+CGSN:");
  } else if (reply.error().kind == ErrorCode::at_io) {
    result.error = reply.error();
  }
  channel.close();
  co_return result;
}

std::string or_dash(const std::string& text) { return text.empty() ? "-" : text; }

std::string bus_address(const serial::PortInfo& info) {
  if (!info.usb_bus || !info.usb_address) return {};
  return std::to_string(*info.usb_bus) + "/" + std::to_string(*info.usb_address);
}

json to_json(const ScannedPort& port) {
  const auto& info = port.info;
  auto optional_text = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json(text);
  };
  char hex[8];
  json item = {
      {"port", info.name},
      {"by_path", optional_text(info.by_path)},
      {"by_id", optional_text(info.by_id)},
      {"description", optional_text(info.description)},
      {"transport", info.transport},
      {"vid", nullptr},
      {"pid", nullptr},
      {"manufacturer", optional_text(info.usb_manufacturer)},
      {"product", optional_text(info.usb_product)},
      {"serial", optional_text(info.usb_serial)},
      {"bus", info.usb_bus ? json(*info.usb_bus) : json(nullptr)},
      {"address", info.usb_address ? json(*info.usb_address) : json(nullptr)},
  };
  if (info.usb_vendor_id && info.usb_product_id) {
    std::snprintf(hex, sizeof hex, "%04x", *info.usb_vendor_id);
    item["vid"] = hex;
    std::snprintf(hex, sizeof hex, "%04x", *info.usb_product_id);
    item["pid"] = hex;
  }
  if (port.probe) {
    const auto& probe = *port.probe;
    item["probe"] = {
        {"at", probe.answered},
        {"manufacturer", optional_text(probe.manufacturer)},
        {"model", optional_text(probe.model)},
        {"revision", optional_text(probe.revision)},
        {"imei", optional_text(probe.imei)},
        {"error", probe.error
                      ? json({{"code", probe.error->code}, {"message", probe.error->message}})
                      : json(nullptr)},
    };
  }
  return item;
}

void print_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const auto& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    std::cout << line << '\n';
  }
}

std::string probe_summary(const ProbeResult& probe) {
  if (probe.error) return probe.error->message;
  if (!probe.answered) return "no answer to AT (not an AT command port)";
  std::string identity = probe.manufacturer;
  if (!probe.model.empty()) identity += (identity.empty() ? "" : " ") + probe.model;
  return identity.empty() ? "answers AT" : identity;
}

void print_human(const std::vector<ScannedPort>& ports, bool probed) {
  if (ports.empty()) {
    std::cout << "no serial ports found\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  if (probed) {
    rows.push_back({"PORT", "BY-PATH", "VID:PID", "SERIAL", "BUS/ADDR", "AT", "IMEI", "IDENTITY"});
  } else {
    rows.push_back({"PORT", "BY-PATH", "DESCRIPTION", "VID:PID", "SERIAL", "BUS/ADDR"});
  }
  for (const auto& port : ports) {
    const auto& info = port.info;
    std::vector<std::string> row{info.name, or_dash(info.by_path)};
    if (!probed) row.push_back(or_dash(info.description));
    row.push_back(or_dash(serial::vid_pid_text(info)));
    row.push_back(or_dash(info.usb_serial));
    row.push_back(or_dash(bus_address(info)));
    if (probed) {
      if (port.probe) {
        row.push_back(port.probe->answered ? "yes" : (port.probe->error ? "error" : "no"));
        row.push_back(or_dash(port.probe->imei));
        row.push_back(probe_summary(*port.probe));
      } else {
        row.insert(row.end(), {"-", "-", "not probed (not USB; name it with --port)"});
      }
    }
    rows.push_back(std::move(row));
  }
  print_table(rows);

  if (!probed) return;
  // One line per USB device with several ttys: which of them is the AT port.
  std::map<std::tuple<int, int>, std::vector<const ScannedPort*>> devices;
  for (const auto& port : ports) {
    if (port.info.usb_bus && port.info.usb_address) {
      devices[{*port.info.usb_bus, *port.info.usb_address}].push_back(&port);
    }
  }
  for (const auto& [key, members] : devices) {
    if (members.size() < 2) continue;
    std::string at_ports;
    for (const auto* member : members) {
      if (member->probe && member->probe->answered) {
        at_ports += (at_ports.empty() ? "" : ", ") + member->info.name;
      }
    }
    std::cout << "USB device " << std::get<0>(key) << "/" << std::get<1>(key) << " ("
              << or_dash(serial::vid_pid_text(members.front()->info)) << ", " << members.size()
              << " ttys): AT port " << (at_ports.empty() ? "none answered" : at_ports) << '\n';
  }
}

int run_scan(const ScanOptions& options) {
  auto discovered = serial::list_ports();
  if (!discovered && options.ports.empty()) {
    std::cerr << "smsgw scan: " << discovered.error().message << '\n';
    return 1;
  }

  std::vector<ScannedPort> ports;
  if (options.ports.empty()) {
    for (auto& info : *discovered) ports.push_back(ScannedPort{std::move(info), std::nullopt});
  } else {
    for (const auto& path : options.ports) {
      serial::PortInfo info;
      info.name = path;
      info.transport = "unknown";
      if (discovered) {
        std::error_code ec;
        const auto wanted = std::filesystem::canonical(path, ec);
        for (const auto& candidate : *discovered) {
          std::error_code candidate_ec;
          const auto device = std::filesystem::canonical(candidate.name, candidate_ec);
          if (!ec && !candidate_ec && device == wanted) {
            info = candidate;
            info.name = path;
          }
        }
      }
      ports.push_back(ScannedPort{std::move(info), std::nullopt});
    }
  }

  int exit_code = 0;
  if (options.probe) {
    asio::io_context io;
    for (auto& port : ports) {
      const bool candidate = !options.ports.empty() || port.info.transport == "usb";
      if (!candidate) continue;
      asio::co_spawn(io, probe_port(port.info.name, options),
                     [&port](const std::exception_ptr& failure, ProbeResult result) {
                       if (failure) std::rethrow_exception(failure);  // a bug, not a port problem
                       port.probe = std::move(result);
                     });
    }
    io.run();
    for (const auto& port : ports) {
      // A port named on the command line that cannot be opened is a failure.
      if (!options.ports.empty() && port.probe && port.probe->error &&
          family_of(port.probe->error->kind) == ErrorCode::serial) {
        std::cerr << "smsgw scan: " << port.probe->error->message << '\n';
        exit_code = 1;
      }
    }
  }

  if (options.json_output) {
    json list = json::array();
    for (const auto& port : ports) list.push_back(to_json(port));
    std::cout << list.dump(2) << '\n';
  } else {
    print_human(ports, options.probe);
  }
  return exit_code;
}

}  // namespace

void add_scan_command(CLI::App& app) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* scan = app.add_subcommand(
      "scan",
      "List serial ports with USB vendor/product/serial; --probe asks each for its identity");
  scan->add_flag("--probe", options->probe,
                 "Open each USB port (or each --port) and ask AT, AT+CGMI, AT+CGMM, AT+CGSN");
  scan->add_flag("--json", options->json_output, "Print a JSON list instead of a table");
  scan->add_option("--port", options->ports,
                   "Only these ports (repeatable); probed even if not USB");
  scan->add_option("--timeout-ms", options->timeout_ms, "Per-command probe timeout")
      ->check(CLI::Range(50, 60000))
      ->capture_default_str();
  scan->add_option("--baud", options->baud, "Baud rate for probing")
      ->check([](const std::string& text) {
        try {
          return serial::is_supported_baud(std::stoi(text)) ? std::string()
                                                            : "unsupported baud rate " + text;
        } catch (const std::exception&) {
          return "not a number: " + text;
        }
      })
      ->capture_default_str();
  scan->callback([options] {
    const int code = run_scan(*options);
    if (code != 0) throw CliExit{code};
  });
}

}  // namespace smsgw::cli
