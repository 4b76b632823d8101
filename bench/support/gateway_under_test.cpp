#include "gateway_under_test.hpp"

#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace smsgw::bench {
namespace {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

std::string toml_string(const std::string& text) { return json(text).dump(); }

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

GatewayUnderTest::GatewayUnderTest(GatewayOptions options)
    : options_(std::move(options)), config_(options_.dir / "smsgw.toml") {
  std::filesystem::create_directories(options_.dir);
  const auto sim_dir = options_.dir / "sim";
  std::filesystem::create_directories(sim_dir);

  if (options_.modems > 0) {
    const auto sim_config = options_.dir / "sim-config.json";
    write_file(sim_config, json{{"defaults", options_.sim_defaults}}.dump(2));
    sim_ = std::make_unique<ChildProcess>(
        std::vector<std::string>{options_.sim, "--dir", sim_dir.string(), "--modems",
                                 std::to_string(options_.modems), "--config", sim_config.string()},
        options_.dir / "sim.log", options_.sim_cpus);
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (!std::filesystem::exists(sim_dir / "sim.json")) {
      if (!sim_->running() || Clock::now() > deadline) {
        throw std::runtime_error("smsgw-sim did not start:\n" + sim_->log_tail());
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  const auto port = free_tcp_port();
  endpoint_ = asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port);
  // No [[operator]]: every destination may leave through any SIM, no limit binds.
  std::string toml;
  if (options_.store_url.empty()) {
    toml += "[store]\npath = \"smsgw.db\"\n\n";
  } else {
    toml += "[store]\nurl = " + toml_string(options_.store_url) + "\n";
    if (!options_.password_file.empty()) {
      toml += "password_file = " + toml_string(options_.password_file.string()) + "\n";
    }
    toml += "\n[node]\nname = " + toml_string(options_.node_name) + "\n\n";
  }
  toml += "[http]\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\nmax_connections = 4096\n\n";
  toml +=
      "[[modem]]\nport = " +
      toml_string((options_.modems > 0 ? sim_dir / "modem*" : sim_dir / "no-modem-*").string()) +
      "\n\n";
  toml += "[routing]\ndefault_country_code = \"49\"\n\n";
  toml += "[log]\nlevel = " + toml_string(options_.log_level) + "\n\n";
  toml += options_.extra_toml;
  write_file(config_, toml);

  serve_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{options_.smsgw, "serve", "--config", config_.string()},
      options_.dir / "smsgw.log", options_.serve_cpus);
  const auto deadline = Clock::now() + options_.ready_timeout;
  for (;;) {
    if (!serve_->running()) fail("smsgw serve exited");
    if (Clock::now() > deadline) fail("smsgw serve did not answer /healthz in time");
    const auto reply = http_once(endpoint_, get_request("/healthz"), std::chrono::seconds(2));
    if (reply.status == 200) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  while (ready_modems() < options_.modems) {
    if (!serve_->running()) fail("smsgw serve exited");
    if (Clock::now() > deadline) {
      fail(std::to_string(ready_modems()) + " of " + std::to_string(options_.modems) +
           " modems ready in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

std::unique_ptr<GatewayUnderTest> start_gateway(GatewayOptions options) {
  try {
    return std::make_unique<GatewayUnderTest>(std::move(options));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return nullptr;
  }
}

GatewayUnderTest::~GatewayUnderTest() {
  if (serve_) serve_->stop(std::chrono::seconds(30));
  if (sim_) sim_->stop();
}

int GatewayUnderTest::ready_modems() const {
  const auto reply = http_once(endpoint_, get_request("/api/v1/modems"), std::chrono::seconds(10));
  if (reply.status != 200) return 0;
  const auto modems = json::parse(reply.body, nullptr, false);
  int ready = 0;
  if (modems.is_array()) {
    for (const auto& m : modems) {
      if (!options_.node_name.empty() && m.value("node", "") != options_.node_name) continue;
      ready += m.value("state", "") == "ready" ? 1 : 0;
    }
  }
  return ready;
}

void GatewayUnderTest::fail(const std::string& what) const {
  throw std::runtime_error(what + "; end of " + serve_->log_path().string() + ":\n" +
                           serve_->log_tail());
}

double prometheus_sum(std::string_view page, std::string_view family, std::string_view label) {
  double sum = 0;
  std::size_t pos = 0;
  while (pos < page.size()) {
    auto end = page.find('\n', pos);
    if (end == std::string_view::npos) end = page.size();
    const auto line = page.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(family)) continue;
    const auto rest = line.substr(family.size());
    if (rest.empty() || (rest.front() != '{' && rest.front() != ' ')) continue;  // a longer name
    const auto space = line.rfind(' ');
    if (space == std::string_view::npos) continue;
    const auto labels = line.substr(0, space);
    if (!label.empty() && labels.find(label) == std::string_view::npos) continue;
    sum += std::stod(std::string(line.substr(space + 1)));
  }
  return sum;
}

}  // namespace smsgw::bench
