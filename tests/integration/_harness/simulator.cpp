#include "harness/simulator.hpp"

#include <sstream>
#include <stdexcept>
#include <thread>

#include "harness/temp_dir.hpp"

namespace smsgw::harness {

using nlohmann::json;

namespace {

json fast_defaults() {
  return json{{"send_latency_ms", 20},
              {"status_report_latency_ms", 100},
              {"ussd_latency_ms", 20},
              {"boot_ms", 50},
              {"reboot_ms", 200}};
}

}  // namespace

Simulator::Simulator(std::filesystem::path dir, SimOptions options)
    : dir_(std::move(dir)), options_(std::move(options)) {
  std::filesystem::create_directories(dir_);
  json defaults = fast_defaults();
  defaults.update(options_.defaults);
  json modems = json::array();
  for (int i = 0; i < options_.modems; ++i) {
    json modem{{"imsi", imsi(i)}, {"mnc_digits", mccmnc(i).size() == 6 ? 3 : 2}};
    if (auto it = options_.modem.find(i); it != options_.modem.end()) modem.update(it->second);
    modems.push_back(std::move(modem));
  }
  const json config{{"defaults", defaults}, {"modems", modems}};
  const auto config_path = dir_.parent_path() / (dir_.filename().string() + ".json");
  write_file(config_path, config.dump(2));
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{sim_binary(), "--dir", dir_.string(), "--modems",
                               std::to_string(options_.modems), "--config", config_path.string(),
                               "--personality", options_.personality},
      dir_.parent_path() / (dir_.filename().string() + ".log"));
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (process_->log().find("ready") == std::string::npos) {
    if (!process_->running() || std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("smsgw-sim did not come up in " + dir_.string() + ":\n" +
                               process_->log_tail());
    }
    std::this_thread::sleep_for(10ms);
  }
}

Simulator::~Simulator() {
  if (process_) process_->terminate(5s);
}

std::string Simulator::port_glob() const { return (dir_ / "modem*").string(); }

std::string Simulator::port(int modem) const {
  return (dir_ / ("modem" + std::to_string(modem))).string();
}

std::string Simulator::mccmnc(int modem) const {
  if (static_cast<std::size_t>(modem) < options_.mccmnc.size()) {
    return options_.mccmnc[static_cast<std::size_t>(modem)];
  }
  return modem % 2 == 0 ? "26201" : "26202";
}

std::string Simulator::imsi(int modem) const {
  std::string imsi = mccmnc(modem);
  const std::string index = std::to_string(1000 + modem);
  imsi.append(15 - imsi.size() - index.size(), '0');
  return imsi + index;
}

json Simulator::ctl(const json& command) const {
  const auto result = run_command({sim_binary(), "ctl", dir_.string(), command.dump()}, {}, 10s);
  const auto answer = json::parse(result.out, nullptr, false);
  if (!answer.is_object()) {
    throw std::runtime_error("smsgw-sim ctl " + command.dump() + ": exit " +
                             std::to_string(result.exit_code) + ": " + result.out + result.err);
  }
  return answer;
}

json Simulator::ctl_ok(const json& command) const {
  auto answer = ctl(command);
  if (!answer.value("ok", false)) {
    throw std::runtime_error("smsgw-sim ctl " + command.dump() + " failed: " + answer.dump());
  }
  return answer;
}

int Simulator::inject(int modem, const std::string& from, const std::string& text,
                      const json& extra) const {
  json command{{"cmd", "inject"}, {"modem", modem}, {"from", from}, {"text", text}};
  command.update(extra);
  return ctl_ok(command).value("parts", 0);
}

void Simulator::fault(int modem, const json& faults) const {
  json command{{"cmd", "fault"}, {"modem", modem}};
  command.update(faults);
  ctl_ok(command);
}

void Simulator::set(int modem, const json& keys) const {
  json command{{"cmd", "set"}, {"modem", modem}};
  command.update(keys);
  ctl_ok(command);
}

void Simulator::unplug(int modem) const { ctl_ok({{"cmd", "unplug"}, {"modem", modem}}); }

void Simulator::replug(int modem) const { ctl_ok({{"cmd", "replug"}, {"modem", modem}}); }

json Simulator::stats(int modem) const {
  return ctl_ok({{"cmd", "stats"}, {"modem", modem}}).at("modems").at(0);
}

json Simulator::stored_messages(int modem, const std::string& memory) const {
  return ctl_ok({{"cmd", "messages"}, {"modem", modem}, {"memory", memory}}).at("messages");
}

std::vector<json> Simulator::sent() const {
  std::vector<json> records;
  std::istringstream lines(read_file(dir_ / "sent.jsonl"));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    auto record = json::parse(line, nullptr, false);
    if (!record.is_discarded()) records.push_back(std::move(record));
  }
  return records;
}

std::string Simulator::log_tail(std::size_t lines) const { return process_->log_tail(lines); }

int Simulator::stop() { return process_->terminate(10s); }

}  // namespace smsgw::harness
