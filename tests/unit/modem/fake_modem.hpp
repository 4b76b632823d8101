// A tiny fake modem for the actor tests: an in-memory ByteStream that answers AT commands
// at once, the way the generic device of shared/reference/at-protocol.md does, with
// per-test overrides, scripted URCs and faults (hang, CMGS hang, unplug mid-command).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/at/byte_stream.hpp"
#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/modem/port_opener.hpp"

namespace smsgw::modem::testing {

class FakeModem {
 public:
  explicit FakeModem(asio::any_io_executor executor) : executor_(executor), readable_(executor) {}

  // ---- identity and state a test may change ----
  std::string manufacturer = "Fake Inc.";
  std::string model = "FM-1";
  std::string imei = "490154203237518";
  std::string imsi = "262011234567890";
  std::string iccid_crsm = R"(+CRSM: 144,0,"984402003576012594F9")";
  std::optional<std::string> pin;  // the SIM asks for it until unlocked
  bool unlocked = false;
  int csms_service = 0;
  std::string cpms_support = R"(+CPMS: ("SM","SR"),("SM","SR"),("SM","SR"))";
  std::vector<std::string> refused;            // commands answered with ERROR
  std::map<std::string, std::string> replies;  // command -> raw reply bytes (overrides)
  // Consulted first; returns the raw reply or nullopt for the default behaviour.
  std::function<std::optional<std::string>(const std::string&)> hook;

  // Storage: memory -> index -> PDU hex.
  std::map<std::string, std::map<int, std::string>> storage;
  std::string mem1 = "SM";

  // ---- send behaviour ----
  int next_mr = 0;
  std::vector<std::string> cmgs_errors;  // consumed one per send: "+CMS ERROR: 38"
  bool cmgs_hang = false;                // PDU accepted, +CMGS never comes
  bool unplug_on_cmgs = false;           // unplugged right after AT+CMGS=<n>
  bool unplug_on_body = false;           // unplugged right after the PDU
  std::string before_prompt;             // noise before "> " (ZTE +ZDONR)
  std::string inside_cmgs_reply;         // noise between +CMGS and OK

  // ---- USSD: the +CUSD lines sent after OK (or before, with ussd_before_ok) ----
  std::vector<std::string> ussd_lines{R"(+CUSD: 0,"Your balance is 12.34 EUR",15)"};
  bool ussd_before_ok = false;
  std::chrono::milliseconds ussd_delay{0};

  // ---- faults ----
  bool hung = false;  // answers nothing at all
  bool present = true;

  // ---- what the host did ----
  std::vector<std::string> commands;
  std::vector<std::string> bodies;
  int opens = 0;

  // Bytes to the host (URCs, replies).
  void emit(std::string_view bytes) {
    outbox_ += bytes;
    readable_.set();
  }
  void emit_later(std::chrono::milliseconds delay, std::string bytes) {
    auto timer = std::make_shared<asio::steady_timer>(executor_, delay);
    timer->async_wait([this, timer, bytes = std::move(bytes)](error_code ec) {
      if (!ec) emit(bytes);
    });
  }
  void urc(std::string_view line) { emit("\r\n" + std::string(line) + "\r\n"); }

  // The port vanishes: reads of the open stream fail, opens fail until replug().
  void unplug() {
    present = false;
    ++generation_;
    outbox_.clear();
    readable_.set();
  }
  void replug() {
    present = true;
    hung = false;
    unlocked = false;
  }

  std::size_t count(std::string_view command) const {
    return static_cast<std::size_t>(std::count(commands.begin(), commands.end(), command));
  }

  // ---- used by FakeStream ----
  int generation() const { return generation_; }
  Event& readable() { return readable_; }
  std::string& outbox() { return outbox_; }

  void on_open() {
    ++opens;
    ++generation_;
    outbox_.clear();
    hung = false;  // like the simulator: reopening clears a total hang
    in_body_ = false;
    input_.clear();
  }

  void on_input(std::string_view bytes) {
    for (char c : bytes) {
      if (in_body_) {
        if (c == '\x1a') {
          in_body_ = false;
          finish_body();
        } else if (c == '\x1b') {
          in_body_ = false;
          reply_final("OK");
        } else {
          body_.push_back(c);
        }
        continue;
      }
      if (c == '\r') {
        std::string line = std::move(input_);
        input_.clear();
        // ESC / garbage before a command is dropped, as modems do.
        const auto at = line.find("AT");
        if (at == std::string::npos) continue;
        line = line.substr(at);
        commands.push_back(line);
        if (!hung) execute(line);
      } else if (c != '\n') {
        input_.push_back(c);
      }
    }
  }

 private:
  void reply(const std::vector<std::string>& lines, std::string_view final_line = "OK") {
    std::string out;
    for (const auto& line : lines) out += "\r\n" + line + "\r\n";
    out += "\r\n" + std::string(final_line) + "\r\n";
    emit(out);
  }
  void reply_final(std::string_view final_line) { reply({}, final_line); }

  void execute(const std::string& command) {
    if (hook) {
      if (auto raw = hook(command)) {
        emit(*raw);
        return;
      }
    }
    if (auto it = replies.find(command); it != replies.end()) {
      emit(it->second);
      return;
    }
    if (std::find(refused.begin(), refused.end(), command) != refused.end()) {
      reply_final("ERROR");
      return;
    }
    auto starts = [&](std::string_view prefix) { return command.rfind(prefix, 0) == 0; };
    if (command == "AT+CGMI") return reply({manufacturer});
    if (command == "AT+CGMM") return reply({model});
    if (command == "AT+CGMR") return reply({"1.0"});
    if (command == "AT+CGSN") return reply({imei});
    if (command == "AT+CIMI") return reply({imsi});
    if (command == "AT+CRSM=176,28589,0,0,4") return reply({R"(+CRSM: 144,0,"00000002")"});
    if (command == "AT+CRSM=176,12258,0,0,10") return reply({iccid_crsm});
    if (command == "AT+CPIN?") {
      return reply({pin && !unlocked ? "+CPIN: SIM PIN" : "+CPIN: READY"});
    }
    if (starts("AT+CPIN=")) {
      if (pin && command == "AT+CPIN=\"" + *pin + "\"") {
        unlocked = true;
        return reply_final("OK");
      }
      return reply_final("+CME ERROR: 16");
    }
    if (command == "AT+CSMS?") {
      return reply({"+CSMS: " + std::to_string(csms_service) + ",1,1,1"});
    }
    if (command == "AT+CPMS=?") return reply({cpms_support});
    if (starts("AT+CPMS=")) {
      mem1 = command.substr(9, 2);
      return reply({"+CPMS: 0,30,0,30,0,30"});
    }
    if (command == "AT+CSQ") return reply({"+CSQ: 20,99"});
    if (command == "AT+CREG?") return reply({"+CREG: 0,1"});
    if (command == "AT+CEREG?") return reply({"+CEREG: 0,4"});
    if (command == "AT+COPS?") return reply({R"(+COPS: 0,0,"Fake Net",7)"});
    if (command == "AT+CSCA?") return reply({R"(+CSCA: "+491710760000",145)"});
    if (command == "AT+CMGL=4") {
      std::vector<std::string> lines;
      for (const auto& [index, pdu] : storage[mem1]) {
        lines.push_back("+CMGL: " + std::to_string(index) + ",0,," +
                        std::to_string(pdu.size() / 2 - 1));
        lines.push_back(pdu);
      }
      return reply(lines);
    }
    if (starts("AT+CMGR=")) {
      const int index = std::stoi(command.substr(8));
      auto& memory = storage[mem1];
      if (auto it = memory.find(index); it != memory.end()) {
        return reply({"+CMGR: 0,," + std::to_string(it->second.size() / 2 - 1), it->second});
      }
      return reply_final("OK");
    }
    if (starts("AT+CMGD=")) {
      storage[mem1].erase(std::stoi(command.substr(8)));
      return reply_final("OK");
    }
    if (starts("AT+CMGS=")) {
      if (unplug_on_cmgs) return unplug();
      in_body_ = true;
      body_.clear();
      emit(before_prompt + "\r\n> ");
      return;
    }
    if (starts("AT+CUSD=1,")) {
      std::string urcs;
      for (const auto& line : ussd_lines) urcs += "\r\n" + line + "\r\n";
      if (ussd_before_ok) {
        emit(urcs);
        return reply_final("OK");
      }
      reply_final("OK");
      if (ussd_delay.count() > 0) {
        emit_later(ussd_delay, urcs);
      } else if (!urcs.empty()) {
        emit(urcs);
      }
      return;
    }
    if (starts("AT+CMEE") || starts("AT+CMGF") || starts("AT+CSCS") || starts("AT+CSMS=") ||
        starts("AT+CNMI=") || starts("AT+CFUN") || starts("AT+CUSD=2") || starts("AT+CNMA") ||
        command == "AT" || command == "ATE0") {
      return reply_final("OK");
    }
    reply_final("ERROR");
  }

  void finish_body() {
    bodies.push_back(body_);
    if (unplug_on_body) return unplug();
    if (cmgs_hang) return;
    if (!cmgs_errors.empty()) {
      auto error = cmgs_errors.front();
      cmgs_errors.erase(cmgs_errors.begin());
      return reply_final(error);
    }
    const int mr = next_mr;
    next_mr = (next_mr + 1) % 256;
    emit("\r\n+CMGS: " + std::to_string(mr) + "\r\n" + inside_cmgs_reply + "\r\nOK\r\n");
  }

  asio::any_io_executor executor_;
  Event readable_;
  std::string outbox_;
  std::string input_;
  std::string body_;
  bool in_body_ = false;
  int generation_ = 0;
};

class FakeStream final : public at::ByteStream {
 public:
  FakeStream(asio::any_io_executor executor, std::shared_ptr<FakeModem> modem)
      : executor_(std::move(executor)),
        modem_(std::move(modem)),
        generation_(modem_->generation()) {}

  awaitable<Result<std::size_t>> read_some(std::span<char> buffer) override {
    while (true) {
      if (closed_) co_return make_error(ErrorCode::at_closed, "closed");
      if (modem_->generation() != generation_)
        co_return make_error(ErrorCode::at_io, "EIO: unplugged");
      auto& outbox = modem_->outbox();
      if (!outbox.empty()) {
        const auto n = std::min(buffer.size(), outbox.size());
        std::copy_n(outbox.begin(), n, buffer.begin());
        outbox.erase(0, n);
        co_return n;
      }
      modem_->readable().reset();
      co_await modem_->readable().wait(std::chrono::hours(1));
    }
  }

  awaitable<Result<void>> write_all(std::string_view bytes) override {
    if (closed_) co_return make_error(ErrorCode::at_closed, "closed");
    if (modem_->generation() != generation_)
      co_return make_error(ErrorCode::at_io, "EIO: unplugged");
    modem_->on_input(bytes);
    co_return Result<void>{};
  }

  void close() override {
    closed_ = true;
    modem_->readable().set();
  }
  asio::any_io_executor executor() override { return executor_; }

 private:
  asio::any_io_executor executor_;
  std::shared_ptr<FakeModem> modem_;
  int generation_;
  bool closed_ = false;
};

class FakeOpener final : public PortOpener {
 public:
  explicit FakeOpener(std::shared_ptr<FakeModem> modem) : modem_(std::move(modem)) {}
  Result<std::unique_ptr<at::ByteStream>> open(asio::any_io_executor executor,
                                               const std::string& port, int) override {
    if (!modem_->present) return make_error(ErrorCode::serial_missing, port + " does not exist");
    modem_->on_open();
    std::unique_ptr<at::ByteStream> stream =
        std::make_unique<FakeStream>(std::move(executor), modem_);
    return stream;
  }
  bool exists(const std::string&) override { return modem_->present; }

 private:
  std::shared_ptr<FakeModem> modem_;
};

}  // namespace smsgw::modem::testing
