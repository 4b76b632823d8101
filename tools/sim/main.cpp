// smsgw-sim: N simulated GSM modems on pseudo-terminals (tools/sim/README.md).
//
//   smsgw-sim --dir DIR --modems N [--config FILE.json] [--personality P]
//   smsgw-sim ctl DIR '<json>'
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "simulator.hpp"
#include "smsgw/common/net.hpp"

namespace {

using smsgw::sim::Simulator;
namespace asio = smsgw::asio;

int run_control_client(const std::string& dir, const std::string& request) {
  try {
    asio::io_context io;
    asio::local::stream_protocol::socket socket(io);
    socket.connect(asio::local::stream_protocol::endpoint(dir + "/control.sock"));
    std::string line = request;
    if (line.empty() || line.back() != '\n') line += '\n';
    asio::write(socket, asio::buffer(line));
    std::string answer;
    asio::read_until(socket, asio::dynamic_buffer(answer), '\n');
    answer.erase(answer.find('\n'));
    std::cout << answer << std::endl;
    const auto parsed = nlohmann::json::parse(answer, nullptr, false);
    return parsed.is_object() && parsed.value("ok", false) ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "smsgw-sim ctl: " << dir << "/control.sock: " << e.what() << "\n";
    return 1;
  }
}

int run_simulator(const std::string& dir, int modems, const std::string& config_file,
                  const std::string& personality) {
  nlohmann::json file;
  if (!config_file.empty()) {
    std::ifstream in(config_file);
    if (!in) {
      std::cerr << "smsgw-sim: " << config_file << ": cannot open\n";
      return 2;
    }
    file = nlohmann::json::parse(in, nullptr, false);
    if (file.is_discarded()) {
      std::cerr << "smsgw-sim: " << config_file << ": not valid JSON\n";
      return 2;
    }
  }
  auto configs = smsgw::sim::build_modem_configs(modems, personality, file);
  if (!configs) {
    std::cerr << "smsgw-sim: " << (config_file.empty() ? "" : config_file + ": ")
              << configs.error().message << "\n";
    return 2;
  }
  asio::io_context io;
  Simulator simulator(io, dir, std::move(*configs));
  try {
    simulator.start();
  } catch (const std::exception& e) {
    std::cerr << "smsgw-sim: " << e.what() << "\n";
    return 1;
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const smsgw::error_code&, int) {
    simulator.stop();
    io.stop();
  });
  std::cout << "ready" << std::endl;
  io.run();
  simulator.stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto logger = spdlog::stderr_color_st("smsgw-sim");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::warn);

  CLI::App app{"smsgw-sim: simulated GSM modems on pseudo-terminals"};
  std::string dir, config_file, personality = "generic";
  int modems = 1;
  bool verbose = false;
  app.add_option("--dir", dir, "directory for modem links, sim.json, control.sock, sent.jsonl");
  app.add_option("--modems", modems, "number of modems")->check(CLI::Range(1, 1024));
  app.add_option("--config", config_file, "JSON config file (tools/sim/README.md)");
  app.add_option("--personality", personality,
                 "generic, huawei, zte, simcom, quectel, or mixed (cycles through all)");
  app.add_flag("-v,--verbose", verbose, "log port events on stderr");
  std::string ctl_dir, ctl_request;
  auto* ctl = app.add_subcommand("ctl", "send one JSON control command to a running simulator");
  ctl->add_option("dir", ctl_dir, "the simulator's --dir")->required();
  ctl->add_option("json", ctl_request, "one JSON object, e.g. '{\"cmd\":\"stats\"}'")->required();
  CLI11_PARSE(app, argc, argv);

  if (verbose) spdlog::set_level(spdlog::level::info);
  if (*ctl) return run_control_client(ctl_dir, ctl_request);
  if (dir.empty()) {
    std::cerr << "smsgw-sim: --dir is required\n" << app.help();
    return 2;
  }
  return run_simulator(dir, modems, config_file, personality);
}
