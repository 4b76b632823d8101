#include <algorithm>
#include <tuple>
#include <vector>

#include "modem_impl.hpp"

namespace smsgw::modem {
namespace {

// Text of an identification reply ("+CGMI: huawei" or "huawei").
std::string identification_text(const at::Response& response) {
  for (const auto& line : response.lines) {
    std::string_view text = line;
    if (!text.empty() && text.front() == '+') {
      const auto colon = text.find(':');
      if (colon != std::string_view::npos) text.remove_prefix(colon + 1);
    }
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    if (!text.empty()) return std::string(text);
  }
  return {};
}

}  // namespace

awaitable<Result<void>> ModemActor::Impl::initialise() {
  command_timeouts = 0;
  read_memory.clear();
  if (auto ch = channel) co_await ch->write_raw(kEsc);  // abort a half-entered PDU
  if (auto alive = co_await probe(); !alive) co_return alive;
  (void)co_await command("ATE0");

  // Identification and profile.
  if (auto reply = co_await command("AT+CGMI")) snap.manufacturer = identification_text(*reply);
  if (auto reply = co_await command("AT+CGMM")) snap.model = identification_text(*reply);
  if (auto reply = co_await command("AT+CGMR")) snap.revision = identification_text(*reply);
  if (forced_profile == nullptr) {
    std::string identification = snap.manufacturer + " " + snap.model;
    if (snap.manufacturer.empty()) {
      if (auto reply = co_await command("ATI")) {
        for (const auto& line : reply->lines) identification += " " + line;
      }
    }
    profile = &detect_profile(identification);
    log->info("{} {} ({}): profile {}", snap.manufacturer, snap.model, snap.revision,
              profile->name);
  }
  snap.profile = std::string(profile->name);

  const auto steps = generic_init_steps();
  for (const auto& step : steps) {
    if (step.after_sim_unlock) continue;
    if (auto done = co_await run_step(step); !done) co_return done;
  }
  if (auto unlocked = co_await unlock_sim(); !unlocked) co_return unlocked;
  for (const auto& step : steps) {
    if (!step.after_sim_unlock) continue;
    if (auto done = co_await run_step(step); !done) co_return done;
  }
  co_await setup_storage();
  if (auto routed = co_await select_indications(); !routed) co_return routed;
  for (auto extra : profile->extra_commands) {
    if (auto reply = co_await command(std::string(extra)); !reply) {
      if (is_port_failure(reply.error())) co_return reply.error();
      log->info("{} refused ({}); continuing", extra, reply.error().code);
    }
  }

  co_await read_identity();
  co_await poll_status();
  if (auto reply = co_await command("AT+CSCA?")) {
    if (auto centre = first_parsed(*reply, parse_csca)) snap.smsc = centre->number;
  }
  if (!channel || !channel->is_open()) {
    co_return make_error(ErrorCode::at_io, "the port of " + settings.id + " closed during init");
  }
  co_await sweep();
  co_return Result<void>{};
}

// The first +CNMI variant of the profile the modem accepts. Before a variant that
// delivers messages (+CMT) or status reports (+CDS) directly it asks for +CSMS=1, so each
// is acknowledged (AT+CNMA) only once the listener stored it: with service 0 the modem
// acknowledges it by itself, and one that arrives while the gateway is down or fails to
// store it is lost. Under service 1 an unacknowledged one goes back to the network, which
// delivers it again, stored, and the start-up sweep reads it (TS 27.005 3.2.1, 3.4.4).
awaitable<Result<void>> ModemActor::Impl::select_indications() {
  indications = false;
  cnmi_command.clear();
  bool asked_for_acknowledgement = false;
  for (auto cnmi : profile->cnmi_variants) {
    const auto setting = parse_cnmi(cnmi);
    const bool direct =
        setting && (setting->delivers_messages_directly() || setting->delivers_reports_directly());
    if (direct && !asked_for_acknowledgement) {
      asked_for_acknowledgement = true;
      if (auto service = co_await command("AT+CSMS=1"); !service) {
        if (is_port_failure(service.error())) co_return service.error();
        log->warn(
            "AT+CSMS=1 refused ({}): the modem acknowledges +CMT and +CDS by itself; one "
            "that arrives while the gateway is down or cannot store it is lost",
            service.error().code);
      }
    }
    if (auto reply = co_await command(std::string(cnmi)); reply) {
      log->info("new-message indications: {}", cnmi);
      indications = true;
      cnmi_command = std::string(cnmi);
      break;
    } else if (is_port_failure(reply.error())) {
      co_return reply.error();
    }
  }
  if (!indications) {
    log->warn("no AT+CNMI variant accepted; stored messages are polled");
    if (asked_for_acknowledgement) (void)co_await command("AT+CSMS=0");
  }
  // TS 27.005 3.2.1: with <service> 1, +CMT and +CDS need AT+CNMA.
  needs_cnma = false;
  if (auto reply = co_await command("AT+CSMS?")) {
    for (const auto& line : reply->lines) {
      if (auto params = strip_prefix(line, "+CSMS")) {
        const auto fields = split_fields(*params);
        needs_cnma = !fields.empty() && fields[0].text == "1";
      }
    }
  }
  co_return Result<void>{};
}

// TS 27.005 3.4.4: a +CMT / +CDS not acknowledged in time makes the modem set <mt> and
// <ds> to 0; the network delivers it again, stored without indication. Restores the
// routing and sweeps what was stored meanwhile.
awaitable<void> ModemActor::Impl::check_indications() {
  if (!needs_cnma || cnmi_command.empty()) co_return;
  const auto wanted = parse_cnmi(cnmi_command);
  if (!wanted) co_return;
  auto reply = co_await command("AT+CNMI?");
  if (!reply) co_return;
  auto now = first_parsed(*reply, parse_cnmi);
  if (!now || (now->mt == wanted->mt && now->ds == wanted->ds)) co_return;
  log->warn(
      "the modem turned new-message indications off (+CNMI: {},{},{},{},{}: a +CMT or "
      "+CDS went unacknowledged); restoring {}",
      now->mode, now->mt, now->bm, now->ds, now->bfr, cnmi_command);
  if (auto restored = co_await command(cnmi_command); !restored) {
    log->warn("{} refused: {}", cnmi_command, restored.error().message);
  }
  co_await sweep();
}

awaitable<Result<void>> ModemActor::Impl::run_step(InitStep step) {
  Error last = make_error(ErrorCode::at_error, "no alternative");
  for (auto alternative : step.alternatives) {
    auto reply = co_await command(std::string(alternative));
    if (reply) co_return Result<void>{};
    last = reply.error();
    if (is_port_failure(last)) co_return last;
  }
  if (step.required) {
    co_return make_error("modem.init", std::string(step.purpose) + " refused: " + last.message);
  }
  log->info("{}: not supported ({}); continuing", step.purpose, last.code);
  co_return Result<void>{};
}

awaitable<Result<void>> ModemActor::Impl::unlock_sim() {
  auto reply = co_await command("AT+CPIN?");
  if (!reply) {
    const auto& error = reply.error();
    if (is_port_failure(error)) co_return error;
    if (error.kind == ErrorCode::cme && error.number == 10) {
      co_return make_error("modem.no_sim", "no SIM in the modem on " + settings.port);
    }
    // Wavecom answers +CPIN without OK (python-gsmmodem fakemodems): go on and let the
    // SMS commands tell.
    log->info("AT+CPIN? gave {}; continuing", error.code);
    co_return Result<void>{};
  }
  auto status = first_parsed(*reply, parse_cpin);
  if (!status || status->state == PinState::ready) co_return Result<void>{};
  switch (status->state) {
    case PinState::sim_pin:
      break;
    case PinState::sim_puk:
    case PinState::sim_puk2:
      co_return make_error("modem.sim_puk",
                           "the SIM on " + settings.port + " is PUK-locked; unlock it by hand");
    default:
      co_return make_error("modem.sim_locked",
                           "the SIM on " + settings.port + " asks for " + status->text);
  }
  if (pin_refused) {
    co_return make_error("modem.sim_pin",
                         "the SIM refused the configured PIN before; not "
                         "trying again (protects against a PUK lock)");
  }
  std::optional<std::string> pin = settings.pin;
  if (settings.pin_for_sim) {
    const auto iccid = co_await read_iccid();
    if (auto own = iccid.empty() ? std::nullopt : settings.pin_for_sim(iccid)) pin = own;
  }
  if (!pin) {
    co_return make_error("modem.sim_pin",
                         "the SIM on " + settings.port + " needs a PIN and none is configured");
  }
  auto entered = co_await command("AT+CPIN=" + quoted(*pin));
  if (!entered) {
    if (is_port_failure(entered.error())) co_return entered.error();
    pin_refused = true;
    co_return make_error("modem.sim_pin", "the SIM refused the configured PIN (" +
                                              entered.error().code +
                                              "); fix the config, it is not tried again");
  }
  log->info("SIM PIN accepted");
  const auto deadline = Clock::now() + settings.sim_ready_wait;
  while (Clock::now() < deadline) {
    if (auto again = co_await command("AT+CPIN?")) {
      auto now_status = first_parsed(*again, parse_cpin);
      if (now_status && now_status->state == PinState::ready) co_return Result<void>{};
    }
    const bool slept = co_await sleep_unless_stopped(milliseconds(500));
    if (!slept) break;
  }
  co_return make_error("modem.sim_pin", "the SIM did not become ready after the PIN");
}

awaitable<void> ModemActor::Impl::setup_storage() {
  std::vector<std::vector<std::string>> support;
  if (auto reply = co_await command("AT+CPMS=?")) {
    if (auto parsed = first_parsed(*reply, parse_cpms_support)) support = std::move(*parsed);
  }
  const auto pick = [&](std::size_t position) -> std::string {
    if (position >= support.size() || support[position].empty()) return "SM";
    const auto& memories = support[position];
    if (std::find(memories.begin(), memories.end(), "SM") != memories.end()) return "SM";
    return memories.front();
  };
  primary_memory = pick(0);
  sr_memory =
      !support.empty() && std::find(support[0].begin(), support[0].end(), "SR") != support[0].end();
  const std::string set =
      "AT+CPMS=" + quoted(pick(0)) + "," + quoted(pick(1)) + "," + quoted(pick(2));
  auto all_three = co_await command(set);
  if (all_three) {
    read_memory = primary_memory;
    co_return;
  }
  auto first_only = co_await command("AT+CPMS=" + quoted(primary_memory));
  if (first_only) {
    read_memory = primary_memory;
  } else {
    log->warn("the modem refused AT+CPMS; using its default memories");
  }
}

awaitable<std::string> ModemActor::Impl::read_iccid() {
  for (auto query : profile->iccid_commands) {
    auto reply = co_await command(std::string(query));
    if (!reply) continue;
    if (auto parsed = first_parsed(*reply, parse_iccid)) co_return *parsed;
  }
  co_return std::string();
}

awaitable<void> ModemActor::Impl::read_identity() {
  if (auto reply = co_await command("AT+CGSN")) {
    if (auto imei = first_parsed(*reply, parse_imei)) snap.imei = *imei;
  }
  if (auto reply = co_await command("AT+CIMI")) {
    if (auto imsi = first_parsed(*reply, parse_imsi)) snap.imsi = *imsi;
  }
  if (!snap.imsi.empty()) {
    std::optional<int> mnc_length;
    // EF_AD byte 4: the MNC length (TS 31.102 4.2.18; ModemManager mm-base-sim.c).
    if (auto reply = co_await command("AT+CRSM=176,28589,0,0,4")) {
      if (auto length = first_parsed(*reply, parse_mnc_length_from_ef_ad)) mnc_length = *length;
    }
    if (auto mccmnc = mccmnc_from_imsi(snap.imsi, mnc_length)) snap.mccmnc = *mccmnc;
  }
  const std::string iccid = co_await read_iccid();
  if (iccid.empty()) log->warn("no ICCID from any of the profile's commands");
  snap.iccid = iccid;

  const bool imei_changed = !known_imei.empty() && !snap.imei.empty() && snap.imei != known_imei;
  const bool iccid_changed =
      !known_iccid.empty() && !snap.iccid.empty() && snap.iccid != known_iccid;
  if (imei_changed || iccid_changed) {
    ++snap.identity_changes;
    auto error =
        make_error("modem.identity_changed", settings.port + " now holds IMEI " + snap.imei +
                                                 " / ICCID " + snap.iccid + " (was IMEI " +
                                                 known_imei + " / ICCID " + known_iccid + ")");
    log->warn("{}", error.message);
    record_error(std::move(error));
  }
  if (!snap.imei.empty()) known_imei = snap.imei;
  if (!snap.iccid.empty()) known_iccid = snap.iccid;
  log->info("IMEI {} IMSI {} MCC/MNC {} ICCID {}", snap.imei, snap.imsi, snap.mccmnc, snap.iccid);
}

// Signal, registration and operator. Returns true when something changed.
awaitable<bool> ModemActor::Impl::poll_status() {
  const auto old = std::make_tuple(snap.csq, snap.registration, snap.operator_name);
  if (auto reply = co_await command("AT+CSQ")) {
    if (auto quality = first_parsed(*reply, parse_csq)) {
      snap.csq = quality->rssi;
      snap.dbm = quality->dbm;
    }
  }
  std::optional<RegistrationState> state;
  if (auto reply = co_await command("AT+CREG?")) {
    auto parse = [](std::string_view line) {
      return parse_registration(line, RegistrationForm::solicited);
    };
    if (auto registration = first_parsed(*reply, parse)) state = registration->state;
  }
  if (state != RegistrationState::home && state != RegistrationState::roaming) {
    // LTE-only modules register in EPS only (at-protocol.md "Network").
    if (auto reply = co_await command("AT+CEREG?")) {
      auto parse = [](std::string_view line) {
        return parse_registration(line, RegistrationForm::solicited);
      };
      if (auto registration = first_parsed(*reply, parse)) {
        if (registration->state == RegistrationState::home ||
            registration->state == RegistrationState::roaming || !state) {
          state = registration->state;
        }
      }
    }
  }
  if (state) snap.registration = std::string(to_string(*state));
  if (auto reply = co_await command("AT+COPS?", settings.long_command_timeout)) {
    if (auto selection = first_parsed(*reply, parse_cops)) {
      snap.operator_name = selection->name.value_or("");
    }
  }
  co_return std::make_tuple(snap.csq, snap.registration, snap.operator_name) != old;
}

}  // namespace smsgw::modem
