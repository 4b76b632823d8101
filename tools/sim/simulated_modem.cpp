#include "simulated_modem.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <ctime>

namespace smsgw::sim {

namespace {

constexpr char kCtrlZ = '\x1a';
constexpr char kEsc = '\x1b';
constexpr std::size_t kMaxLine = 2048;
constexpr std::size_t kMaxPendingInput = 16384;
constexpr std::size_t kMaxPduHex = 2 * 200;

std::string upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string_view cme_text(int code) {
  switch (code) {
    case 3:
      return "operation not allowed";
    case 4:
      return "operation not supported";
    case 10:
      return "SIM not inserted";
    case 11:
      return "SIM PIN required";
    case 12:
      return "SIM PUK required";
    case 13:
      return "SIM failure";
    case 16:
      return "incorrect password";
    case 30:
      return "no network service";
    case 50:
      return "incorrect parameters";
    default:
      return "unknown";
  }
}

// TS 27.005 3.4.1 / 3.5.1: <length> counts the TPDU octets, the SMSC field excluded.
std::size_t tpdu_octets(const std::string& pdu_hex) {
  const std::size_t smsc_octets = 1 + std::stoul(pdu_hex.substr(0, 2), nullptr, 16);
  return pdu_hex.size() / 2 - smsc_octets;
}

int base_of(const ModemConfig& config, const Personality& personality) {
  return config.index_base >= 0 ? config.index_base : personality.index_base;
}

// The part indexes in the order the network delivers them: `order` (a
// permutation of 0..parts-1) or 0..parts-1, with `repeat_part` again right after itself.
Result<std::vector<int>> delivery_sequence(const InjectDelivery& delivery, int parts) {
  std::vector<int> order = delivery.order;
  if (order.empty()) {
    for (int part = 0; part < parts; ++part) order.push_back(part);
  } else {
    const std::string message_has = "the message has " + std::to_string(parts) + " part" +
                                    (parts == 1 ? "" : "s") + " (0-" + std::to_string(parts - 1) +
                                    ")";
    if (static_cast<int>(order.size()) != parts)
      return make_error("sim.bad_order",
                        "\"order\" must list every part exactly once: " + message_has +
                            ", \"order\" has " + std::to_string(order.size()));
    std::vector<bool> seen(static_cast<std::size_t>(parts), false);
    for (int part : order) {
      if (part < 0 || part >= parts)
        return make_error("sim.bad_order",
                          "\"order\" names part " + std::to_string(part) + ": " + message_has);
      if (seen[static_cast<std::size_t>(part)])
        return make_error("sim.bad_order", "\"order\" names part " + std::to_string(part) +
                                               " twice (use \"repeat_part\" to repeat one)");
      seen[static_cast<std::size_t>(part)] = true;
    }
  }
  if (!delivery.repeat_part) return order;
  const int repeat = *delivery.repeat_part;
  if (repeat < 0 || repeat >= parts)
    return make_error("sim.bad_repeat_part",
                      "\"repeat_part\" " + std::to_string(repeat) +
                          " is not a part: the message has " + std::to_string(parts) + " part" +
                          (parts == 1 ? "" : "s") + " (0-" + std::to_string(parts - 1) + ")");
  std::vector<int> sequence;
  for (int part : order) {
    sequence.push_back(part);
    if (part == repeat) sequence.push_back(part);
  }
  return sequence;
}

}  // namespace

SimulatedModem::SimulatedModem(ModemConfig config, ModemHost& host)
    : config_(std::move(config)),
      personality_(find_personality(config_.personality)),
      host_(host),
      plan_(config_.seed),
      store_(0, 1, 1) {
  if (!personality_) personality_ = find_personality("generic");
  store_ = MessageStore(base_of(config_, *personality_), config_.sm_capacity, config_.sr_capacity);
  // Messages on the SIM before start (the gateway's start-up sweep finds them).
  for (const auto& preset : config_.stored) {
    pdu::DeliverOptions options;
    options.scts = timestamp_now();
    auto parts = pdu::encode_deliver(preset.from, preset.text, options);
    if (!parts) continue;
    for (const auto& hex : *parts) {
      StoredPdu message{hex, tpdu_octets(hex),
                        preset.read ? MessageStatus::read : MessageStatus::unread, 0};
      (void)store_.store("SM", std::move(message));
    }
  }
}

IccidForm SimulatedModem::iccid_form() const {
  return config_.iccid_form ? *config_.iccid_form : personality_->iccid_form;
}

std::string SimulatedModem::mccmnc() const {
  return config_.imsi.substr(0, 3 + static_cast<std::size_t>(config_.mnc_digits));
}

// ---------------------------------------------------------------------------------------
// Power.

void SimulatedModem::power_on(bool already_booted) {
  ++epoch_;
  power_ = Power::booting;
  mode_ = Mode::command;
  session_ = Session{};
  session_.echo = config_.echo;
  {
    // The power-on +CNMI from the config ("2,1,0,2,0").
    std::array<int, 5> cnmi = session_.cnmi;
    std::size_t field = 0;
    int value = 0;
    bool any = false;
    for (char c : config_.cnmi + ",") {
      if (c >= '0' && c <= '9') {
        value = value * 10 + (c - '0');
        any = true;
      } else if (c == ',') {
        if (any && field < cnmi.size()) cnmi[field] = value;
        ++field;
        value = 0;
        any = false;
      }
    }
    session_.cnmi = cnmi;
  }
  sim_ = config_.pin.empty() ? SimState::ready : SimState::pin;
  pin_attempts_left_ = 3;
  line_.clear();
  pending_input_.clear();
  reply_.clear();
  urc_queue_.clear();
  awaiting_ack_.reset();
  held_direct_.clear();
  noise_scheduled_ = false;
  if (already_booted) {
    boot_complete();
    flush();
    return;
  }
  after(config_.boot_ms, [this] { boot_complete(); });
}

void SimulatedModem::power_off() {
  ++epoch_;
  power_ = Power::off;
  mode_ = Mode::command;
  line_.clear();
  pending_input_.clear();
  reply_.clear();
  urc_queue_.clear();
  out_.clear();
  // Unacknowledged +CMT and +CDS go back to the network, which delivers them once the
  // modem is back.
  if (awaiting_ack_) held_direct_.push_front(std::move(*awaiting_ack_));
  awaiting_ack_.reset();
  for (auto& delivery : held_direct_) return_to_network(std::move(delivery));
  held_direct_.clear();
  noise_scheduled_ = false;
  if (config_.faults.hang == FaultConfig::Hang::total)
    config_.faults.hang = FaultConfig::Hang::none;
}

void SimulatedModem::boot_complete() {
  power_ = Power::on;
  const auto& urcs = sim_ready() ? personality_->boot_urcs : personality_->boot_urcs_locked;
  for (auto urc : urcs) emit("\r\n" + std::string(urc) + "\r\n");
  schedule_noise();
  deliver_pending_inbound();
}

void SimulatedModem::reboot(bool reply_ok) {
  pending_input_.clear();
  if (reply_ok) finish("OK");
  ++counters_.reboots;
  flush();
  if (config_.cfun_reset_replugs) {
    power_off();
    host_.request_replug(std::chrono::milliseconds(config_.reboot_ms));
    return;
  }
  power_off();
  power_ = Power::booting;
  const int down = std::max(0, config_.reboot_ms - config_.boot_ms);
  after(down, [this] { power_on(); });
}

void SimulatedModem::on_port_opened() {
  if (config_.faults.hang == FaultConfig::Hang::total) {
    config_.faults.hang = FaultConfig::Hang::none;
    line_.clear();
  }
}

void SimulatedModem::network_after(int ms, std::function<void()> action) {
  host_.schedule(std::chrono::milliseconds(std::max(0, ms)), [this, action = std::move(action)] {
    action();
    flush();
  });
}

void SimulatedModem::after(int ms, std::function<void()> action) {
  const std::uint64_t epoch = epoch_;
  host_.schedule(std::chrono::milliseconds(std::max(0, ms)),
                 [this, epoch, action = std::move(action)] {
                   if (epoch != epoch_) return;
                   action();
                   flush();
                 });
}

void SimulatedModem::schedule_noise() {
  const int interval =
      config_.noise_interval_ms >= 0 ? config_.noise_interval_ms : personality_->noise_interval_ms;
  if (interval <= 0 || noise_scheduled_ || power_ != Power::on) return;
  noise_scheduled_ = true;
  after(interval, [this] {
    noise_scheduled_ = false;
    const int now_interval = config_.noise_interval_ms >= 0 ? config_.noise_interval_ms
                                                            : personality_->noise_interval_ms;
    if (now_interval <= 0 || !session_.curc) return;  // ^CURC=0 silences until re-enabled
    if (config_.faults.hang != FaultConfig::Hang::total)
      emit_noise(noise_line(static_cast<std::size_t>(
          plan_.uniform(0, static_cast<int>(personality_->noise_urcs.size()) - 1))));
    schedule_noise();
  });
}

// ---------------------------------------------------------------------------------------
// Input.

void SimulatedModem::on_input(std::string_view bytes) {
  process_bytes(bytes);
  flush();
}

void SimulatedModem::process_bytes(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (power_ != Power::on) return;  // off or booting: the UART is not listening
    if (config_.faults.hang == FaultConfig::Hang::total) {
      hung_byte(bytes[i]);
      continue;
    }
    switch (mode_) {
      case Mode::busy:
        if (pending_input_.size() + (bytes.size() - i) <= kMaxPendingInput)
          pending_input_.append(bytes.substr(i));
        return;
      case Mode::prompt:
        prompt_byte(bytes[i]);
        break;
      case Mode::command:
        command_byte(bytes[i]);
        break;
    }
  }
}

void SimulatedModem::hung_byte(char byte) {
  // Nothing answers; only AT+CFUN still resets the baseband (silently).
  if (byte == '\r') {
    const bool cfun = upper(line_).find("+CFUN=") != std::string::npos;
    line_.clear();
    if (cfun) {
      config_.faults.hang = FaultConfig::Hang::none;
      reboot(false);
    }
    return;
  }
  if (line_.size() < kMaxLine) line_ += byte;
}

void SimulatedModem::command_byte(char byte) {
  if (byte == '\n') return;
  if (byte == kEsc || byte == kCtrlZ) {  // abandons a partly typed line
    line_.clear();
    return;
  }
  if (session_.echo) emit(std::string_view(&byte, 1));
  if (byte == '\b' || byte == '\x7f') {
    if (!line_.empty()) line_.pop_back();
    return;
  }
  if (byte != '\r') {
    if (line_.size() < kMaxLine) line_ += byte;
    return;
  }
  std::string line;
  line.swap(line_);
  execute_line(line);
}

void SimulatedModem::execute_line(const std::string& line) {
  // V.250 5.2.1: the line starts at "AT" (either case); anything before it is noise.
  const std::string up = upper(line);
  const auto at = up.find("AT");
  if (at == std::string::npos) return;
  const std::string body = line.substr(at + 2);
  auto commands = parse_command_line(body);
  mode_ = Mode::busy;
  if (!commands) {
    finish("ERROR");
    return;
  }
  run_commands(std::move(*commands));
}

void SimulatedModem::run_commands(std::vector<AtCommand> commands) {
  for (const auto& command : commands) {
    ++counters_.commands;
    switch (dispatch(command)) {
      case Status::done:
        continue;
      case Status::failed:
        finish(error_final_);
        return;
      case Status::suspended:
        return;  // the command finishes the line later; the rest of it is dropped
    }
  }
  finish("OK");
}

SimulatedModem::Status SimulatedModem::dispatch(const AtCommand& command) {
  for (const auto& [name, handler] : handlers()) {
    if (name == command.name) return (this->*handler)(command);
  }
  for (const auto& vendor : personality_->vendor_commands) {
    if (vendor.name == command.name) return cmd_vendor(command);
  }
  return fail_unsupported();
}

void SimulatedModem::prompt_byte(char byte) {
  if (byte == kEsc) {  // TS 27.005 3.5.1: ESC cancels the send
    pdu_hex_.clear();
    finish("OK");
    return;
  }
  if (byte == kCtrlZ) {
    finish_pdu();
    return;
  }
  if (session_.echo) emit(std::string_view(&byte, 1));
  if (byte == '\r' || byte == '\n' || byte == ' ') return;
  if (!std::isxdigit(static_cast<unsigned char>(byte))) {
    pdu_bad_char_ = true;
    return;
  }
  if (pdu_hex_.size() < kMaxPduHex + 2) pdu_hex_ += byte;
}

// ---------------------------------------------------------------------------------------
// Output.

void SimulatedModem::flush() {
  if (out_.empty()) return;
  std::string bytes;
  bytes.swap(out_);
  host_.write(bytes);
}

void SimulatedModem::info(std::string line) { reply_.push_back({std::move(line)}); }

void SimulatedModem::info_block(std::vector<std::string> lines) {
  if (!lines.empty()) reply_.push_back(std::move(lines));
}

std::string SimulatedModem::render_reply(std::string_view final_result) {
  // V.250 5.7.1 (V1): every response is <CR><LF>text<CR><LF>; lines of one response are
  // separated by <CR><LF> only. Faults may put garbage or a noise URC between them.
  std::vector<std::string> segments;
  for (const auto& block : reply_) {
    std::string segment = "\r\n";
    for (std::size_t i = 0; i < block.size(); ++i) {
      segment += block[i];
      segment += "\r\n";
    }
    segments.push_back(std::move(segment));
  }
  segments.push_back("\r\n" + std::string(final_result) + "\r\n");
  reply_.clear();
  std::string out;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0 || segments.size() == 1) {
      if (plan_.chance(config_.faults.garbage_probability)) out += plan_.garbage();
      if (plan_.chance(config_.faults.urc_in_reply_probability))
        out += "\r\n" + noise_line(0) + "\r\n";
    }
    out += segments[i];
  }
  return out;
}

void SimulatedModem::finish(std::string_view final_result) {
  emit(render_reply(final_result));
  back_to_command_mode();
}

void SimulatedModem::back_to_command_mode() {
  mode_ = Mode::command;
  flush_urcs();
  if (!pending_input_.empty()) {
    std::string input;
    input.swap(pending_input_);
    process_bytes(input);
  }
}

void SimulatedModem::emit_urc(std::string text) {
  std::string bytes = "\r\n" + text + "\r\n";
  if (mode_ == Mode::command) {
    emit(bytes);
  } else {
    urc_queue_.push_back(std::move(bytes));  // CNMI mode 2: buffered while the link is busy
  }
}

void SimulatedModem::emit_noise(std::string text) { emit("\r\n" + text + "\r\n"); }

void SimulatedModem::flush_urcs() {
  for (auto& urc : urc_queue_) emit(urc);
  urc_queue_.clear();
}

std::string SimulatedModem::noise_line(std::size_t which) {
  const auto& lines = personality_->noise_urcs;
  std::string line =
      lines.empty() ? std::string("^RSSI:{csq}") : std::string(lines[which % lines.size()]);
  const auto slot = line.find("{csq}");
  if (slot != std::string::npos) line.replace(slot, 5, std::to_string(config_.csq));
  return line;
}

void SimulatedModem::urc_flood(int lines) {
  if (power_ != Power::on) return;
  for (int i = 0; i < lines; ++i) {
    if (i % 2 == 0) {
      emit_noise("^RSSI:" + std::to_string(config_.csq));
    } else {
      emit_noise("+CREG: " + std::to_string(effective_registration()));
    }
  }
  flush();
}

SimulatedModem::Status SimulatedModem::fail_cme(int code) {
  // TS 27.007 9.1: +CMEE=0 plain ERROR, 1 numeric, 2 verbose.
  if (session_.cmee == 1) {
    error_final_ = "+CME ERROR: " + std::to_string(code);
  } else if (session_.cmee == 2) {
    error_final_ = "+CME ERROR: " + std::string(cme_text(code));
  } else {
    error_final_ = "ERROR";
  }
  return Status::failed;
}

SimulatedModem::Status SimulatedModem::fail_cms(int code) {
  // TS 27.005 3.2.5: +CMS ERROR is the final result of SMS commands whatever +CMEE says.
  error_final_ = "+CMS ERROR: " + std::to_string(code);
  return Status::failed;
}

SimulatedModem::Status SimulatedModem::fail_plain() {
  error_final_ = "ERROR";
  return Status::failed;
}

SimulatedModem::Status SimulatedModem::fail_unsupported() {
  error_final_ = std::string(personality_->unsupported_final);
  return Status::failed;
}

// ---------------------------------------------------------------------------------------
// Network state.

int SimulatedModem::effective_registration() const {
  if (session_.cfun != 1 || !sim_ready()) return 0;
  return config_.registration;
}

bool SimulatedModem::registered() const {
  const int stat = effective_registration();
  return stat == 1 || stat == 5;
}

void SimulatedModem::registration_changed() {
  const int stat = effective_registration();
  if (session_.creg_n == 1) {
    emit_urc("+CREG: " + std::to_string(stat));
  } else if (session_.creg_n == 2) {
    emit_urc("+CREG: " + std::to_string(stat) + ",\"" + config_.lac + "\",\"" + config_.cell_id +
             "\"");
  }
  if (registered()) deliver_pending_inbound();
}

pdu::Timestamp SimulatedModem::timestamp_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(host_.now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  pdu::Timestamp stamp;
  stamp.year = utc.tm_year + 1900;
  stamp.month = utc.tm_mon + 1;
  stamp.day = utc.tm_mday;
  stamp.hour = utc.tm_hour;
  stamp.minute = utc.tm_min;
  stamp.second = utc.tm_sec;
  return stamp;
}

// ---------------------------------------------------------------------------------------
// Sending.

void SimulatedModem::finish_pdu() {
  std::string hex;
  hex.swap(pdu_hex_);
  const bool bad_char = pdu_bad_char_;
  pdu_bad_char_ = false;

  // TS 27.005 3.5.1: <length> counts the TPDU octets, the SMSC field excluded.
  auto reject = [this] {
    ++counters_.bad_pdus;
    fail_cms(304);
    finish(error_final_);
  };
  if (bad_char || hex.size() < 4 || hex.size() % 2 != 0 || hex.size() > kMaxPduHex) return reject();
  auto bytes = pdu::from_hex(hex);
  if (!bytes) return reject();
  const std::size_t smsc_octets = 1 + (*bytes)[0];
  if (bytes->size() <= smsc_octets || bytes->size() - smsc_octets != prompt_length_)
    return reject();
  auto decoded = pdu::decode(hex);
  if (!decoded || decoded->type() != pdu::MessageType::submit) return reject();
  if ((*bytes)[0] == 0 && config_.smsc.empty()) {  // no SMSC anywhere
    fail_cms(330);
    return finish(error_final_);
  }
  const pdu::Submit submit = std::get<pdu::Submit>(decoded->tpdu);

  if (config_.faults.hang == FaultConfig::Hang::cmgs) {
    ++counters_.swallowed;
    mode_ = Mode::command;  // AT answers again; this send never will
    return;
  }
  const SendDecision decision = plan_.decide_send(config_.faults);
  if (decision.fault == SendFault::swallow) {
    ++counters_.swallowed;
    mode_ = Mode::command;  // AT answers again; this send never will
    return;
  }
  const int latency = plan_.jittered(config_.send_latency_ms, config_.send_jitter_ms);
  mode_ = Mode::busy;
  if (decision.fault == SendFault::cms_error) {
    ++counters_.send_errors;
    const int code = decision.cms_code;
    after(latency, [this, code] {
      fail_cms(code);
      finish(error_final_);
    });
    return;
  }

  const std::uint8_t mr = next_mr_++;  // 8 bits: 255 wraps to 0 (TS 23.040 9.2.3.6)
  const bool lost = decision.fault == SendFault::lost_answer;
  ++counters_.sent;
  if (lost) ++counters_.lost_answers;
  config_.balance -= config_.sms_cost;
  SentRecord record{config_.index, config_.imei, host_.now(), mr, !lost, hex, submit};
  host_.record_sent(record);
  const pdu::Timestamp scts = timestamp_now();
  // The network has the message: its reports come whatever becomes of the modem.
  if (submit.status_report_request) schedule_status_reports(mr, submit.to, scts, latency);
  after(latency, [this, mr, lost] {
    if (personality_->send_noise) emit_noise("+ZPASR: \"UMTS\"");
    if (lost) {
      reply_.clear();
      back_to_command_mode();
    } else {
      info("+CMGS: " + std::to_string(mr));
      finish("OK");
    }
  });
}

void SimulatedModem::schedule_status_reports(std::uint8_t mr, const pdu::Address& recipient,
                                             pdu::Timestamp scts, int answer_ms) {
  const int delay = config_.status_report_latency_ms;
  auto report = [this, mr, recipient, scts](int status) {
    deliver_status_report(pdu::encode_status_report(
        mr, recipient, scts, timestamp_now(), static_cast<std::uint8_t>(status), config_.smsc));
  };
  switch (config_.status_report_outcome) {
    case ReportOutcome::none:
      return;
    case ReportOutcome::delivered:
      network_after(answer_ms + delay, [report] { report(0x00); });
      return;
    case ReportOutcome::failed:
      network_after(answer_ms + delay,
                    [report, status = config_.failed_status] { report(status); });
      return;
    case ReportOutcome::pending_then_delivered:
      network_after(answer_ms + delay,
                    [report, status = config_.pending_status] { report(status); });
      network_after(answer_ms + 2 * delay, [report] { report(0x00); });
      return;
  }
}

void SimulatedModem::deliver_status_report(const std::string& pdu_hex) {
  pending_reports_.push_back(pdu_hex);
  deliver_pending_inbound();
}

void SimulatedModem::route_status_report(const std::string& pdu_hex) {
  const int ds = session_.cnmi[3];
  const bool direct = ds == 1 || (ds == 2 && personality_->report_route == ReportRoute::cds_direct);
  if (direct) {
    deliver_direct(DirectDelivery{true, pdu_hex});
    return;
  }
  const std::size_t length = tpdu_octets(pdu_hex);
  const int index =
      store_.store_evicting_oldest("SR", StoredPdu{pdu_hex, length, MessageStatus::unread, 0});
  if (ds == 2) {
    const char* memory = personality_->report_route == ReportRoute::cdsi_sm_bug ? "SM" : "SR";
    emit_urc("+CDSI: \"" + std::string(memory) + "\"," + std::to_string(index));
  }
}

void SimulatedModem::deliver_direct(DirectDelivery delivery) {
  const bool twice = plan_.chance(config_.faults.duplicate_direct_probability);
  if (twice) {
    // The network did not get the acknowledgement and sends the same TPDU again.
    ++counters_.duplicates;
    deliver_direct_once(delivery);
  }
  deliver_direct_once(std::move(delivery));
}

void SimulatedModem::deliver_direct_once(DirectDelivery delivery) {
  // TS 27.005 3.4.1: with <service> 1 no new +CMT/+CDS before the previous one is
  // acknowledged.
  if (session_.csms == 1 && awaiting_ack_) {
    held_direct_.push_back(std::move(delivery));
    return;
  }
  // +CMT: [<alpha>],<length><CR><LF><pdu> and +CDS: <length><CR><LF><pdu>.
  const std::string length = std::to_string(tpdu_octets(delivery.pdu_hex));
  emit_urc((delivery.report ? "+CDS: " : "+CMT: ,") + length + "\r\n" + delivery.pdu_hex);
  if (session_.csms != 1) return;  // phase 2: the ME acknowledges by itself
  awaiting_ack_ = std::move(delivery);
  const std::uint64_t serial = ++ack_serial_;
  after(config_.cnma_timeout_ms, [this, serial] {
    if (!awaiting_ack_ || serial != ack_serial_) return;
    // TS 27.005 3.4.4: the ME rejects it to the network (which delivers it again later)
    // and sets <mt> and <ds> to 0, so what follows is stored without indication.
    ++counters_.unacknowledged;
    session_.cnmi[1] = 0;
    session_.cnmi[3] = 0;
    std::deque<DirectDelivery> back;
    back.swap(held_direct_);
    back.push_front(std::move(*awaiting_ack_));
    awaiting_ack_.reset();
    for (auto& missed : back) return_to_network(std::move(missed));
  });
}

void SimulatedModem::acknowledged() {
  ++counters_.acknowledged;
  awaiting_ack_.reset();
  if (held_direct_.empty()) return;
  DirectDelivery next = std::move(held_direct_.front());
  held_direct_.pop_front();
  deliver_direct_once(std::move(next));
}

void SimulatedModem::return_to_network(DirectDelivery delivery) {
  auto& pending = delivery.report ? pending_reports_ : pending_inbound_;
  pending.push_back(std::move(delivery.pdu_hex));
  deliver_pending_inbound();
}

// ---------------------------------------------------------------------------------------
// Receiving.

Result<int> SimulatedModem::inject_message(const InjectRequest& request,
                                           const InjectDelivery& delivery) {
  pdu::DeliverOptions options;
  options.encoding = request.encoding;
  options.scts = timestamp_now();
  options.message_class = request.message_class;
  options.concat_reference = static_cast<std::uint8_t>(request.concat_reference);
  options.smsc = config_.smsc;
  auto parts = pdu::encode_deliver(request.from, request.text, options);
  if (!parts) return parts.error();
  auto sequence = delivery_sequence(delivery, static_cast<int>(parts->size()));
  if (!sequence) return sequence.error();
  for (int part : *sequence) pending_inbound_.push_back((*parts)[static_cast<std::size_t>(part)]);
  deliver_pending_inbound();
  flush();
  return static_cast<int>(parts->size());
}

void SimulatedModem::deliver_pending_inbound() {
  while (!pending_reports_.empty() && power_ == Power::on && registered()) {
    ++counters_.status_reports;
    const std::string hex = std::move(pending_reports_.front());
    pending_reports_.pop_front();
    route_status_report(hex);
  }
  while (!pending_inbound_.empty()) {
    // The network holds messages while the modem is off, unregistered or full.
    if (power_ != Power::on || !registered()) return;
    const std::string& hex = pending_inbound_.front();
    const std::size_t length = tpdu_octets(hex);
    const int mt = session_.cnmi[1];
    if (mt == 2) {
      deliver_direct(DirectDelivery{false, hex});
    } else {
      const std::string memory = session_.cpms[2];
      auto index = store_.store(memory, StoredPdu{hex, length, MessageStatus::unread, 0});
      if (!index) return;  // full: delivered once AT+CMGD frees a slot
      if (mt == 1 || mt == 3) {
        const std::string urc = "+CMTI: \"" + memory + "\"," + std::to_string(*index);
        emit_urc(urc);
        if (plan_.chance(config_.faults.duplicate_cmti_probability)) emit_urc(urc);
      }
    }
    ++counters_.received;
    pending_inbound_.pop_front();
  }
}

Result<void> SimulatedModem::inject_status_report(std::uint8_t mr, std::string_view recipient,
                                                  int status) {
  auto address = pdu::parse_address(recipient);
  if (!address) return address.error();
  if (status < 0 || status > 0xFF) return make_error("sim.bad_status", "status must be 0-255");
  deliver_status_report(pdu::encode_status_report(mr, *address, timestamp_now(), timestamp_now(),
                                                  static_cast<std::uint8_t>(status), config_.smsc));
  flush();
  return {};
}

// ---------------------------------------------------------------------------------------
// Control.

void SimulatedModem::clear_faults() {
  const bool was_hung = config_.faults.hang == FaultConfig::Hang::total;
  config_.faults.hang = FaultConfig::Hang::none;
  config_.faults.cms_error_next = 0;
  config_.faults.lost_answer_next = 0;
  if (was_hung) line_.clear();
}

Result<void> SimulatedModem::set(const nlohmann::json& settings) {
  const int old_registration = config_.registration;
  const std::string old_personality = config_.personality;
  if (auto applied = apply_settings(config_, settings); !applied) return applied;
  if (config_.personality != old_personality) {
    personality_ = find_personality(config_.personality);
  }
  if (config_.registration != old_registration && power_ == Power::on) registration_changed();
  schedule_noise();
  deliver_pending_inbound();
  flush();
  return {};
}

Result<void> SimulatedModem::set_faults(const nlohmann::json& settings) {
  return apply_faults(config_.faults, settings);
}

nlohmann::json SimulatedModem::stats() const {
  const auto& c = counters_;
  return nlohmann::json{
      {"modem", config_.index},
      {"personality", config_.personality},
      {"powered", power_ != Power::off},
      {"commands", c.commands},
      {"sent", c.sent},
      {"send_errors", c.send_errors},
      {"lost_answers", c.lost_answers},
      {"swallowed", c.swallowed},
      {"bad_pdus", c.bad_pdus},
      {"received", c.received},
      {"status_reports", c.status_reports},
      {"ussd", c.ussd},
      {"reboots", c.reboots},
      {"unplugs", c.unplugs},
      {"unacknowledged", c.unacknowledged},
      {"acknowledged", c.acknowledged},
      {"duplicates", c.duplicates},
      {"awaiting_ack", awaiting_ack_.has_value()},
      {"next_mr", next_mr_},
      {"sm_used", store_.used("SM")},
      {"sr_used", store_.used("SR")},
      {"pending_inbound", pending_inbound_.size()},
      {"pending_reports", pending_reports_.size()},
      {"balance", config_.balance},
      {"faults", faults_to_json(config_.faults)},
  };
}

}  // namespace smsgw::sim
