// The AT command handlers of SimulatedModem: TS 27.007 (general, network, SIM),
// TS 27.005 (SMS) and the personalities' vendor commands.
#include <algorithm>
#include <charconv>
#include <cstdio>

#include "identity.hpp"
#include "simulated_modem.hpp"

namespace smsgw::sim {

namespace {

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

// UTF-8 -> UCS2/UTF-16BE hex, as modems print UCS2 strings.
std::string utf8_to_ucs2_hex(std::string_view text) {
  std::string out;
  auto put = [&out](unsigned unit) {
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "%04X", unit & 0xFFFF);
    out += buffer;
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    unsigned code = c;
    std::size_t extra = 0;
    if (c >= 0xF0) {
      code = c & 0x07;
      extra = 3;
    } else if (c >= 0xE0) {
      code = c & 0x0F;
      extra = 2;
    } else if (c >= 0xC0) {
      code = c & 0x1F;
      extra = 1;
    }
    ++i;
    for (std::size_t k = 0; k < extra && i < text.size(); ++k, ++i)
      code = (code << 6) | (static_cast<unsigned char>(text[i]) & 0x3F);
    if (code >= 0x10000) {
      code -= 0x10000;
      put(0xD800 + (code >> 10));
      put(0xDC00 + (code & 0x3FF));
    } else {
      put(code);
    }
  }
  return out;
}

// UCS2 hex -> text; only for the ASCII characters of USSD codes.
std::optional<std::string> ucs2_hex_to_ascii(std::string_view hex) {
  if (hex.size() % 4 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    unsigned unit = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = hex[i + k];
      unit <<= 4;
      if (c >= '0' && c <= '9')
        unit |= static_cast<unsigned>(c - '0');
      else if (c >= 'A' && c <= 'F')
        unit |= static_cast<unsigned>(c - 'A' + 10);
      else if (c >= 'a' && c <= 'f')
        unit |= static_cast<unsigned>(c - 'a' + 10);
      else
        return std::nullopt;
    }
    if (unit > 0x7F) return std::nullopt;
    out += static_cast<char>(unit);
  }
  return out;
}

std::string format_amount(double amount) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", amount);
  return buffer;
}

}  // namespace

const std::vector<std::pair<std::string_view, SimulatedModem::Handler>>&
SimulatedModem::handlers() {
  using M = SimulatedModem;
  static const std::vector<std::pair<std::string_view, Handler>> table{
      {"E", &M::cmd_basic},        {"V", &M::cmd_basic},        {"Q", &M::cmd_basic},
      {"Z", &M::cmd_basic},        {"&F", &M::cmd_basic},       {"&W", &M::cmd_basic},
      {"I", &M::cmd_basic},        {"S", &M::cmd_basic},        {"X", &M::cmd_basic},
      {"&C", &M::cmd_basic},       {"&D", &M::cmd_basic},       {"+CGMI", &M::cmd_identity},
      {"+GMI", &M::cmd_identity},  {"+CGMM", &M::cmd_identity}, {"+GMM", &M::cmd_identity},
      {"+CGMR", &M::cmd_identity}, {"+GMR", &M::cmd_identity},  {"+CGSN", &M::cmd_identity},
      {"+GSN", &M::cmd_identity},  {"+CIMI", &M::cmd_cimi},     {"^ICCID", &M::cmd_iccid},
      {"+QCCID", &M::cmd_iccid},   {"+CICCID", &M::cmd_iccid},  {"+CCID", &M::cmd_iccid},
      {"+CRSM", &M::cmd_crsm},     {"+CMEE", &M::cmd_cmee},     {"+CPIN", &M::cmd_cpin},
      {"+CMGF", &M::cmd_cmgf},     {"+CSCS", &M::cmd_cscs},     {"+CSMS", &M::cmd_csms},
      {"+CPMS", &M::cmd_cpms},     {"+CNMI", &M::cmd_cnmi},     {"+CSQ", &M::cmd_csq},
      {"+CREG", &M::cmd_creg},     {"+CGREG", &M::cmd_creg},    {"+CEREG", &M::cmd_creg},
      {"+COPS", &M::cmd_cops},     {"+CSCA", &M::cmd_csca},     {"+CMGS", &M::cmd_cmgs},
      {"+CMGR", &M::cmd_cmgr},     {"+CMGL", &M::cmd_cmgl},     {"+CMGD", &M::cmd_cmgd},
      {"+CNMA", &M::cmd_cnma},     {"+CUSD", &M::cmd_cusd},     {"+CFUN", &M::cmd_cfun},
      {"+CPAS", &M::cmd_cpas},     {"+CMMS", &M::cmd_cmms},
  };
  return table;
}

// V.250 basic commands.
SimulatedModem::Status SimulatedModem::cmd_basic(const AtCommand& c) {
  int n = 0;
  if (!c.number.empty()) {
    auto [end, ec] = std::from_chars(c.number.data(), c.number.data() + c.number.size(), n);
    if (ec != std::errc() || end != c.number.data() + c.number.size()) return fail_cme(50);
  }
  if (c.name == "E") {
    if (n > 1) return fail_cme(50);
    session_.echo = n == 1;
  } else if (c.name == "V") {
    if (n != 1 && !c.number.empty()) return fail_plain();  // numeric responses: not simulated
  } else if (c.name == "Q") {
    if (n != 0) return fail_plain();
  } else if (c.name == "Z" || c.name == "&F") {
    session_.echo = config_.echo;
    session_.cmee = 0;
  } else if (c.name == "I") {
    info_block({std::string(personality_->manufacturer), std::string(personality_->model),
                "Revision: " + std::string(personality_->revision)});
  } else if (c.name == "S" && c.form == AtCommand::Form::query) {
    info("000");
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_identity(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) return Status::done;
  const std::string& name = c.name;
  if (name == "+CGMI" || name == "+GMI")
    info(std::string(personality_->manufacturer));
  else if (name == "+CGMM" || name == "+GMM")
    info(std::string(personality_->model));
  else if (name == "+CGMR" || name == "+GMR")
    info(std::string(personality_->revision));
  else
    info(config_.imei);  // +CGSN: the bare IMEI (TS 27.007 5.4)
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cimi(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) return Status::done;
  if (sim_ == SimState::pin) return fail_cme(11);
  if (sim_ == SimState::puk) return fail_cme(12);
  info(config_.imsi);
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_iccid(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) return Status::done;
  const IccidForm form = iccid_form();
  const std::string& iccid = config_.iccid;
  if (c.name == "^ICCID" && form == IccidForm::huawei) {
    info("^ICCID: " + iccid);
  } else if (c.name == "+QCCID" && form == IccidForm::quectel) {
    info("+QCCID: " + iccid);
  } else if (c.name == "+CICCID" && form == IccidForm::simcom) {
    info("+ICCID: " + iccid);
  } else if (c.name == "+CCID" && form == IccidForm::ccid) {
    info("+CCID: " + iccid);
  } else if (c.name == "+CCID" && (form == IccidForm::bare || form == IccidForm::simcom)) {
    info(iccid);
  } else {
    return fail_unsupported();
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_crsm(const AtCommand& c) {
  // TS 27.007 8.18 restricted SIM access; READ BINARY (176) of EF_ICCID (12258 = 2FE2)
  // and EF_AD (28589 = 6FAD, TS 31.102 4.2.18: byte 4 is the MNC length).
  if (c.form == AtCommand::Form::test) return Status::done;
  if (c.form != AtCommand::Form::set) return fail_cme(50);
  const auto command = c.int_arg(0);
  const auto file = c.int_arg(1);
  if (!command) return fail_cme(50);
  if (*command != 176) {
    info("+CRSM: 109,0");  // 6D00: instruction not supported
    return Status::done;
  }
  if (file == 12258) {
    info("+CRSM: 144,0," + in_quotes(iccid_crsm_form(config_.iccid)));
  } else if (file == 28589) {
    char ad[16];
    std::snprintf(ad, sizeof ad, "000000%02X", config_.mnc_digits);
    info("+CRSM: 144,0," + in_quotes(ad));
  } else {
    info("+CRSM: 106,130");  // 6A82: file not found
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cmee(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query:
      info("+CMEE: " + std::to_string(session_.cmee));
      break;
    case AtCommand::Form::test:
      info("+CMEE: (0-2)");
      break;
    case AtCommand::Form::action:
      session_.cmee = 0;
      break;
    case AtCommand::Form::set: {
      const auto n = c.int_arg(0);
      if (!n || *n < 0 || *n > 2) return fail_cme(50);
      session_.cmee = *n;
      break;
    }
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cpin(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) return Status::done;
  if (c.form == AtCommand::Form::query || c.form == AtCommand::Form::action) {
    info(sim_ == SimState::ready ? "+CPIN: READY"
         : sim_ == SimState::pin ? "+CPIN: SIM PIN"
                                 : "+CPIN: SIM PUK");
    return Status::done;
  }
  const auto first = c.text_arg(0);
  if (!first) return fail_cme(50);
  if (sim_ == SimState::ready) return fail_cme(3);
  if (sim_ == SimState::pin) {
    if (*first != config_.pin) {
      if (--pin_attempts_left_ <= 0) sim_ = SimState::puk;
      return fail_cme(16);
    }
  } else {
    const auto new_pin = c.text_arg(1);
    if (*first != config_.puk || !new_pin) return fail_cme(16);
    config_.pin = *new_pin;
  }
  sim_ = SimState::ready;
  pin_attempts_left_ = 3;
  for (auto urc : personality_->after_pin_urcs) emit_urc(std::string(urc));
  registration_changed();
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cmgf(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query:
      info("+CMGF: 0");
      break;
    case AtCommand::Form::test:
      info("+CMGF: (0)");
      break;
    case AtCommand::Form::action:
      break;
    case AtCommand::Form::set: {
      const auto mode = c.int_arg(0);
      if (mode == 1) return fail_cms(303);  // text mode: not offered by the simulator
      if (mode != 0) return fail_cms(302);
      break;
    }
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cscs(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query:
      info("+CSCS: " + in_quotes(session_.cscs));
      break;
    case AtCommand::Form::test:
      info("+CSCS: (\"GSM\",\"IRA\",\"UCS2\",\"8859-1\")");
      break;
    case AtCommand::Form::action:
      break;
    case AtCommand::Form::set: {
      const auto set = c.text_arg(0);
      if (!set || (*set != "GSM" && *set != "IRA" && *set != "UCS2" && *set != "8859-1"))
        return fail_cme(4);
      session_.cscs = *set;
      break;
    }
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_csms(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query:
      info("+CSMS: " + std::to_string(session_.csms) + ",1,1,1");
      break;
    case AtCommand::Form::test:
      info("+CSMS: (0,1)");
      break;
    case AtCommand::Form::action:
      return fail_cms(302);
    case AtCommand::Form::set: {
      const auto service = c.int_arg(0);
      if (service != 0 && service != 1) return fail_cms(303);
      session_.csms = *service;
      info("+CSMS: 1,1,1");
      break;
    }
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cpms(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) {
    info("+CPMS: (\"SM\",\"ME\",\"SR\"),(\"SM\",\"ME\"),(\"SM\",\"ME\")");
    return Status::done;
  }
  if (sim_ != SimState::ready) return fail_cms(311);
  auto counts = [this](const std::string& memory) {
    return std::to_string(store_.used(memory)) + "," + std::to_string(store_.capacity(memory));
  };
  if (c.form == AtCommand::Form::query || c.form == AtCommand::Form::action) {
    std::string line = "+CPMS: ";
    for (std::size_t i = 0; i < 3; ++i) {
      if (i) line += ",";
      line += in_quotes(session_.cpms[i]) + "," + counts(session_.cpms[i]);
    }
    info(line);
    return Status::done;
  }
  auto chosen = session_.cpms;
  for (std::size_t i = 0; i < 3 && i < c.args.size(); ++i) {
    const auto memory = c.text_arg(i);
    if (!memory) continue;
    if (!store_.has_memory(*memory) || (i > 0 && *memory == "SR")) return fail_cms(302);
    chosen[i] = *memory;
  }
  session_.cpms = chosen;
  std::string line = "+CPMS: ";
  for (std::size_t i = 0; i < 3; ++i) {
    if (i) line += ",";
    line += counts(chosen[i]);
  }
  info(line);
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cnmi(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query: {
      std::string line = "+CNMI: ";
      for (std::size_t i = 0; i < 5; ++i) line += (i ? "," : "") + std::to_string(session_.cnmi[i]);
      info(line);
      return Status::done;
    }
    case AtCommand::Form::test:
      info(config_.cnmi_supported ? "+CNMI: " + format_cnmi_support(*config_.cnmi_supported)
                                  : std::string(personality_->cnmi_test_reply));
      return Status::done;
    case AtCommand::Form::action:
      return Status::done;
    case AtCommand::Form::set:
      break;
  }
  const CnmiSupport& supported =
      config_.cnmi_supported ? *config_.cnmi_supported : personality_->cnmi_accepted;
  auto chosen = session_.cnmi;
  for (std::size_t i = 0; i < c.args.size(); ++i) {
    if (!c.has_arg(i)) continue;  // omitted: unchanged
    const auto value = c.int_arg(i);
    if (i >= 5 || !value) return fail_cms(303);
    const auto& accepted = supported[i];
    if (std::find(accepted.begin(), accepted.end(), *value) == accepted.end()) return fail_cms(303);
    chosen[i] = *value;
  }
  session_.cnmi = chosen;
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_csq(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) {
    info("+CSQ: (0-31,99),(0-7,99)");
    return Status::done;
  }
  if (c.form == AtCommand::Form::set) return fail_cme(50);
  // TS 27.007 8.5; some modems only accept "AT+CSQ?" (MM), so both forms answer.
  info("+CSQ: " + std::to_string(session_.cfun == 1 ? config_.csq : 99) + ",99");
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_creg(const AtCommand& c) {
  int& n = c.name == "+CREG"    ? session_.creg_n
           : c.name == "+CGREG" ? session_.cgreg_n
                                : session_.cereg_n;
  switch (c.form) {
    case AtCommand::Form::test:
      info(c.name + ": (0-2)");
      return Status::done;
    case AtCommand::Form::action:
      return Status::done;
    case AtCommand::Form::set: {
      const auto value = c.int_arg(0);
      if (!value || *value < 0 || *value > 2) return fail_cme(50);
      n = *value;
      return Status::done;
    }
    case AtCommand::Form::query:
      break;
  }
  // TS 27.007 7.2: +CREG: <n>,<stat>[,<lac>,<ci>]
  std::string line =
      c.name + ": " + std::to_string(n) + "," + std::to_string(effective_registration());
  if (n == 2 && registered())
    line += "," + in_quotes(config_.lac) + "," + in_quotes(config_.cell_id);
  info(line);
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cops(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::test:
      info("+COPS: (2," + in_quotes(config_.operator_name) + "," +
           in_quotes(config_.operator_name) + "," + in_quotes(mccmnc()) + ",7),,(0-4),(0-2)");
      return Status::done;
    case AtCommand::Form::action:
      return Status::done;
    case AtCommand::Form::set: {
      const auto mode = c.int_arg(0);
      if (!mode || *mode < 0 || *mode > 4) return fail_cme(50);
      if (*mode == 3) {
        const auto format = c.int_arg(1);
        if (!format || *format < 0 || *format > 2) return fail_cme(50);
        session_.cops_format = *format;
      }
      return Status::done;
    }
    case AtCommand::Form::query:
      break;
  }
  if (!registered()) {
    info("+COPS: 0");
    return Status::done;
  }
  const std::string name = session_.cops_format == 2 ? mccmnc() : config_.operator_name;
  info("+COPS: 0," + std::to_string(session_.cops_format) + "," + in_quotes(name) + ",7");
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_csca(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::test:
      return Status::done;
    case AtCommand::Form::action:
      return fail_cms(302);
    case AtCommand::Form::query: {
      if (sim_ != SimState::ready) return fail_cms(311);
      const bool international = !config_.smsc.empty() && config_.smsc.front() == '+';
      info("+CSCA: " + in_quotes(config_.smsc) + "," + (international ? "145" : "129"));
      return Status::done;
    }
    case AtCommand::Form::set: {
      const auto number = c.text_arg(0);
      if (!number) return fail_cms(304);
      config_.smsc = *number;
      return Status::done;
    }
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cmgs(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) return Status::done;
  if (c.form != AtCommand::Form::set) return fail_cms(302);
  if (sim_ != SimState::ready) return fail_cms(311);
  if (!registered()) return fail_cms(331);
  const auto length = c.int_arg(0);
  if (!length || *length < 7 || *length > 180) return fail_cms(304);
  prompt_length_ = static_cast<std::size_t>(*length);
  pdu_hex_.clear();
  pdu_bad_char_ = false;
  reply_.clear();
  if (personality_->send_noise) {
    const std::string mcc = mccmnc().substr(0, 3), mnc = mccmnc().substr(3);
    emit_noise("+ZDONR: " + in_quotes(config_.operator_name) + "," + mcc + "," + mnc +
               ",\"CS_PS\",\"ROAM_OFF\"");
  }
  mode_ = Mode::prompt;
  emit("\r\n> ");  // TS 27.005 3.5.1: <CR><LF><greater_than><space>
  return Status::suspended;
}

SimulatedModem::Status SimulatedModem::cmd_cmgr(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) return Status::done;
  if (c.form != AtCommand::Form::set) return fail_cms(302);
  if (sim_ != SimState::ready) return fail_cms(311);
  const auto index = c.int_arg(0);
  const std::string& memory = session_.cpms[0];
  if (!index || !store_.in_range(memory, *index)) return fail_cms(321);
  const StoredPdu* message = store_.find(memory, *index);
  if (!message) return Status::done;  // empty slot: OK without information
  // TS 27.005 3.4.3 (PDU mode): +CMGR: <stat>,[<alpha>],<length><CR><LF><pdu>
  const std::string stat =
      personality_->cmgr_empty_stat ? "" : std::to_string(static_cast<int>(message->status));
  info_block({"+CMGR: " + stat + ",," + std::to_string(message->tpdu_length), message->pdu});
  store_.mark_read(memory, *index);
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cmgl(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) {
    info("+CMGL: (0-4)");
    return Status::done;
  }
  if (c.form == AtCommand::Form::query) return fail_cms(302);
  if (sim_ != SimState::ready) return fail_cms(311);
  int stat = 0;  // TS 27.005 3.4.2: default "received unread"
  if (c.form == AtCommand::Form::set) {
    const auto value = c.int_arg(0);
    if (!value || *value < 0 || *value > 4) return fail_cms(302);
    stat = *value;
  }
  const std::string& memory = session_.cpms[0];
  std::optional<MessageStatus> filter;
  if (stat != 4) filter = static_cast<MessageStatus>(stat);
  std::vector<std::string> lines;
  std::vector<int> to_mark;
  for (const auto& [index, message] : store_.list(memory, filter)) {
    lines.push_back("+CMGL: " + std::to_string(index) + "," +
                    std::to_string(static_cast<int>(message->status)) + ",," +
                    std::to_string(message->tpdu_length));
    lines.push_back(message->pdu);
    to_mark.push_back(index);
  }
  info_block(std::move(lines));
  for (int index : to_mark) store_.mark_read(memory, index);
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cmgd(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) {
    info("+CMGD: (" + std::to_string(store_.index_base()) + "-" +
         std::to_string(store_.index_base() + store_.capacity(session_.cpms[0]) - 1) + "),(0-4)");
    return Status::done;
  }
  if (c.form != AtCommand::Form::set) return fail_cms(302);
  if (sim_ != SimState::ready) return fail_cms(311);
  const std::string& memory = session_.cpms[0];
  const auto index = c.int_arg(0);
  const int flag = c.int_arg(1).value_or(0);
  if (flag < 0 || flag > 4) return fail_cms(302);
  if (flag > 0) {
    store_.remove_by_flag(memory, flag);
  } else {
    if (!index || !store_.in_range(memory, *index)) return fail_cms(321);
    store_.remove(memory, *index);
  }
  deliver_pending_inbound();
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cnma(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) return Status::done;
  if (!awaiting_ack_) return fail_cms(340);  // no +CNMA acknowledgement expected
  acknowledged();
  return Status::done;
}

std::optional<std::string> SimulatedModem::ussd_reply_for(const std::string& code) const {
  if (auto it = config_.ussd.find(code); it != config_.ussd.end()) return it->second;
  if (code == config_.balance_code) {
    std::string reply = config_.balance_reply;
    auto replace = [&reply](std::string_view key, const std::string& value) {
      const auto at = reply.find(key);
      if (at != std::string::npos) reply.replace(at, key.size(), value);
    };
    replace("{amount}", format_amount(config_.balance));
    replace("{currency}", config_.currency);
    return reply;
  }
  return std::nullopt;
}

std::string SimulatedModem::encode_ussd(const std::string& text, int& dcs) const {
  dcs = personality_->ussd_reply_dcs;
  switch (personality_->ussd_reply) {
    case UssdCoding::gsm7_packed: {
      auto packed = pdu::pack_gsm7_text(text);
      return packed ? pdu::to_hex(*packed) : std::string();
    }
    case UssdCoding::ucs2_hex:
      return utf8_to_ucs2_hex(text);
    case UssdCoding::plain:
      // Quectel M35: dcs 15 but the string is UCS2 hex when CSCS is "UCS2".
      return session_.cscs == "UCS2" ? utf8_to_ucs2_hex(text) : text;
  }
  return text;
}

SimulatedModem::Status SimulatedModem::cmd_cusd(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query:
      info("+CUSD: 1");
      return Status::done;
    case AtCommand::Form::test:
      info("+CUSD: (0,1,2)");
      return Status::done;
    case AtCommand::Form::action:
      return Status::done;
    case AtCommand::Form::set:
      break;
  }
  const int n = c.int_arg(0).value_or(0);
  if (n < 0 || n > 2) return fail_cme(50);
  if (config_.ussd_mode_required && !session_.ussd_mode_ok) return fail_plain();  // E1752
  if (n == 2 || !c.has_arg(1)) return Status::done;  // cancel / presentation only
  if (sim_ != SimState::ready) return fail_cme(11);
  if (!registered()) return fail_cme(30);
  std::string code = *c.text_arg(1);
  if (personality_->ussd_request == UssdCoding::gsm7_packed) {
    // Huawei: the request is GSM 7-bit packed hex (MM plugins/huawei encode()).
    auto bytes = pdu::from_hex(code);
    if (!bytes || bytes->empty()) return fail_plain();
    auto text = pdu::unpack_gsm7_text(*bytes, bytes->size() * 8 / 7);
    if (!text) return fail_plain();
    code = *text;
    while (!code.empty() && (code.back() == '\r' || code.back() == '@')) code.pop_back();
  } else if (session_.cscs == "UCS2") {
    auto text = ucs2_hex_to_ascii(code);
    if (!text) return fail_plain();
    code = *text;
  }
  ++counters_.ussd;
  std::string line;
  if (auto reply = ussd_reply_for(code)) {
    int dcs = 15;
    const std::string encoded = encode_ussd(*reply, dcs);
    line = "+CUSD: 0," + in_quotes(encoded) + "," + std::to_string(dcs);
  } else {
    line = "+CUSD: 4";  // TS 27.007 7.15: operation not supported
  }
  const int latency = plan_.jittered(config_.ussd_latency_ms, config_.ussd_jitter_ms);
  if (config_.ussd_reply_before_ok) {
    reply_.clear();
    after(latency, [this, line] {
      info(line);
      finish("OK");
    });
    return Status::suspended;
  }
  after(latency, [this, line] { emit_urc(line); });
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cfun(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query:
      info("+CFUN: " + std::to_string(session_.cfun));
      return Status::done;
    case AtCommand::Form::test:
      info("+CFUN: (0,1,4),(0,1)");
      return Status::done;
    case AtCommand::Form::action:
      return fail_cme(50);
    case AtCommand::Form::set:
      break;
  }
  const auto fun = c.int_arg(0);
  const int reset = c.int_arg(1).value_or(0);
  if (!fun || (*fun != 0 && *fun != 1 && *fun != 4) || (reset != 0 && reset != 1))
    return fail_cme(50);
  if (reset == 1) {
    reply_.clear();
    reboot(true);  // OK, silence, boot URCs (at-protocol.md recovery ladder 4)
    return Status::suspended;
  }
  if (*fun != session_.cfun) {
    session_.cfun = *fun;
    registration_changed();
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cpas(const AtCommand& c) {
  if (c.form == AtCommand::Form::test) {
    info("+CPAS: (0-5)");
  } else {
    info("+CPAS: 0");
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_cmms(const AtCommand& c) {
  switch (c.form) {
    case AtCommand::Form::query:
      info("+CMMS: " + std::to_string(session_.cmms));
      break;
    case AtCommand::Form::test:
      info("+CMMS: (0-2)");
      break;
    case AtCommand::Form::action:
      break;
    case AtCommand::Form::set: {
      const auto value = c.int_arg(0);
      if (!value || *value < 0 || *value > 2) return fail_cms(302);
      session_.cmms = *value;
      break;
    }
  }
  return Status::done;
}

SimulatedModem::Status SimulatedModem::cmd_vendor(const AtCommand& c) {
  if (c.name == "^CURC") {
    // Huawei: ^CURC=0 stops the periodic ^RSSI/^BOOT/... noise.
    if (c.form == AtCommand::Form::query) {
      info("^CURC: " + std::to_string(session_.curc ? 1 : 0));
    } else if (c.form == AtCommand::Form::set) {
      const auto value = c.int_arg(0);
      if (value != 0 && value != 1) return fail_cme(50);
      session_.curc = *value == 1;
      schedule_noise();
    }
    return Status::done;
  }
  if (c.name == "^USSDMODE") {
    // Huawei E1752: USSD works only after ^USSDMODE=0 (pgm fakemodems).
    if (c.form == AtCommand::Form::query) {
      info("^USSDMODE: " + std::to_string(session_.ussd_mode_ok ? 0 : 1));
    } else if (c.form == AtCommand::Form::set) {
      const auto value = c.int_arg(0);
      if (value != 0 && value != 1) return fail_cme(50);
      session_.ussd_mode_ok = *value == 0;
    }
    return Status::done;
  }
  for (const auto& vendor : personality_->vendor_commands) {
    if (vendor.name == c.name && !vendor.reply.empty() && c.form != AtCommand::Form::set &&
        c.form != AtCommand::Form::test)
      info(std::string(vendor.reply));
  }
  return Status::done;
}

}  // namespace smsgw::sim
