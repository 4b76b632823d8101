#include "simulator.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <stdexcept>

namespace smsgw::sim {

using nlohmann::json;

Simulator::Simulator(asio::io_context& io, std::filesystem::path dir,
                     std::vector<ModemConfig> configs)
    : io_(io), dir_(std::move(dir)), configs_(std::move(configs)) {}

Simulator::~Simulator() { stop(); }

void Simulator::start() {
  std::filesystem::create_directories(dir_);
  sent_log_ = std::fopen((dir_ / "sent.jsonl").c_str(), "a");
  if (!sent_log_) throw std::runtime_error("cannot open " + (dir_ / "sent.jsonl").string());
  for (const auto& config : configs_) {
    auto runner = std::make_unique<ModemRunner>(
        io_, config, dir_ / ("modem" + std::to_string(config.index)),
        [this](const SentRecord& record) { log_sent(record); }, [this] { write_description(); });
    if (auto started = runner->start(); !started)
      throw std::runtime_error("modem " + std::to_string(config.index) + ": " +
                               started.error().message);
    runners_.push_back(std::move(runner));
  }
  control_ = std::make_unique<ControlServer>(io_, dir_ / "control.sock", *this);
  control_->start();
  started_ = true;
  write_description();
}

void Simulator::stop() {
  if (control_) control_->stop();
  control_.reset();
  runners_.clear();  // each removes its link
  if (sent_log_) {
    std::fclose(sent_log_);
    sent_log_ = nullptr;
  }
  if (started_) {
    std::error_code ec;
    std::filesystem::remove(dir_ / "sim.json", ec);
    started_ = false;
  }
}

SimulatedModem& Simulator::modem(int index) {
  return runners_.at(static_cast<std::size_t>(index))->modem();
}

Result<void> Simulator::unplug(int index, std::optional<int> replug_after_ms) {
  return runners_.at(static_cast<std::size_t>(index))->unplug(replug_after_ms);
}

Result<void> Simulator::replug(int index) {
  return runners_.at(static_cast<std::size_t>(index))->replug();
}

json Simulator::describe() const {
  json modems = json::array();
  for (const auto& runner : runners_) {
    const SimulatedModem& modem = runner->modem();
    const ModemConfig& c = modem.config();
    modems.push_back(json{
        {"index", c.index},
        {"port", runner->link().string()},
        {"tty", runner->tty()},
        {"plugged", runner->plugged()},
        {"personality", c.personality},
        {"imei", c.imei},
        {"imsi", c.imsi},
        {"mccmnc", modem.mccmnc()},
        {"iccid", c.iccid},
        {"iccid_form", to_string(modem.iccid_form())},
        {"operator", c.operator_name},
        {"smsc", c.smsc},
        {"pin", c.pin.empty() ? json(nullptr) : json(c.pin)},
    });
  }
  return json{{"dir", dir_.string()},
              {"control", (dir_ / "control.sock").string()},
              {"sent_log", (dir_ / "sent.jsonl").string()},
              {"modems", modems}};
}

void Simulator::write_description() {
  if (!started_) return;
  const auto path = dir_ / "sim.json";
  auto temporary = path;
  temporary += ".new";
  {
    std::ofstream out(temporary);
    out << describe().dump(2) << "\n";
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
}

void Simulator::log_sent(const SentRecord& record) {
  if (!sent_log_) return;
  const std::string line = to_json(record).dump() + "\n";
  std::fwrite(line.data(), 1, line.size(), sent_log_);
  std::fflush(sent_log_);
}

}  // namespace smsgw::sim
