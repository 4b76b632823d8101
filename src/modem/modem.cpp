#include "smsgw/modem/modem.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <set>
#include <tuple>
#include <utility>

#include "smsgw/at/channel.hpp"
#include "smsgw/causes/causes.hpp"
#include "smsgw/common/event.hpp"
#include "smsgw/modem/parsers.hpp"
#include "tracking_stream.hpp"

// GCC 12 coroutine pitfalls met here (each crashed at run time, at -O0 and -O2):
// - a co_await inside a negated or short-circuit condition (`if (!co_await f())`,
//   `a && co_await f()`): resumes a finished frame. Await into a local first.
// - a temporary bound to a reference parameter of a coroutine (`co_await f(Slot{...})`
//   with `f(const Slot&)`): destroyed twice. Coroutines here take parameters by value.

namespace smsgw::modem {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::string_view kEsc = "\x1b\r";  // aborts a stuck "> " prompt (Gammu, Telit)
constexpr std::size_t kRecentDirect = 64;    // +CMT / +CDS PDUs remembered for duplicates

bool is_port_failure(const Error& error) {
  return error.code == "at.io" || error.code == "at.closed";
}

// The first reply line that `parse` accepts.
template <class Parser>
auto first_parsed(const at::Response& response, Parser parse)
    -> decltype(parse(std::string_view{})) {
  std::optional<Error> first_error;
  for (const auto& line : response.lines) {
    auto parsed = parse(line);
    if (parsed) return parsed;
    if (!first_error) first_error = parsed.error();
  }
  return first_error ? *first_error
                     : make_error("modem.parse", "the reply had no information line");
}

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

std::string quoted(std::string_view text) { return "\"" + std::string(text) + "\""; }

// " (retry_soon)" etc. for a +CMS / +CME ERROR by the cause table (causes.hpp), for the
// log; empty for other errors.
std::string cause_class_note(const Error& error) {
  const std::string_view code = error.code;
  const bool cms = code.starts_with("cms.");
  if (!cms && !code.starts_with("cme.")) return {};
  const auto digits = code.substr(4);
  int number = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return {};
  const auto send_class = cms ? causes::cms_class(number) : causes::cme_class(number);
  return " (" + std::string(causes::to_string(send_class)) + ")";
}

}  // namespace

std::string_view to_string(ModemState state) {
  switch (state) {
    case ModemState::absent:
      return "absent";
    case ModemState::opening:
      return "opening";
    case ModemState::initialising:
      return "initialising";
    case ModemState::ready:
      return "ready";
    case ModemState::sending:
      return "sending";
    case ModemState::backoff:
      return "backoff";
  }
  return "absent";
}

std::string_view to_string(PartResult::Outcome outcome) {
  switch (outcome) {
    case PartResult::Outcome::sent:
      return "sent";
    case PartResult::Outcome::failed:
      return "failed";
    case PartResult::Outcome::unknown:
      return "unknown";
  }
  return "unknown";
}

struct ModemActor::Impl {
  // Why serve() returned.
  enum class Exit { recovered, stop, port_lost, reopen, reboot };

  // A message slot announced by +CMTI / +CDSI or left unacknowledged by the listener.
  struct Slot {
    std::string memory;
    int index = 0;
    bool report = false;  // announced by +CDSI
    friend bool operator<(const Slot& a, const Slot& b) {
      return std::tie(a.memory, a.index) < std::tie(b.memory, b.index);
    }
    friend bool operator==(const Slot& a, const Slot& b) {
      return a.memory == b.memory && a.index == b.index;
    }
  };

  Impl(asio::any_io_executor executor_in, ModemSettings settings_in, ModemListener& listener_in,
       std::shared_ptr<PortOpener> opener_in)
      : executor(std::move(executor_in)),
        settings(std::move(settings_in)),
        listener(listener_in),
        opener(std::move(opener_in)),
        log(spdlog::default_logger()->clone("modem." + settings.id)),
        wake(std::make_shared<Event>(executor)),
        stopped(std::make_shared<Event>(executor)),
        direct_done(std::make_shared<Event>(executor)),
        ussd_arrived(std::make_shared<Event>(executor)) {
    backoff = settings.backoff_initial;
    snap.id = settings.id;
    snap.port = settings.port;
    snap.state_since = std::chrono::system_clock::now();
    if (settings.profile != "auto") {
      auto found = find_profile(settings.profile);
      if (found) {
        forced_profile = *found;
        profile = *found;
      } else {
        log->error("{}; detecting the profile instead", found.error().message);
      }
    }
    snap.profile = std::string(profile->name);
  }

  asio::any_io_executor executor;
  ModemSettings settings;
  ModemListener& listener;
  std::shared_ptr<PortOpener> opener;
  std::shared_ptr<spdlog::logger> log;
  ModemSnapshot snap;
  const Profile* profile = &generic_profile();
  const Profile* forced_profile = nullptr;

  // The open port.
  std::shared_ptr<at::Channel> channel;
  std::shared_ptr<IoCounters> io;

  std::shared_ptr<Event> wake;     // work queued, a failure to look at, or stop
  std::shared_ptr<Event> stopped;  // stop() was called
  bool stopping = false;

  // Work for the serve loop, filled by the URC handler.
  std::deque<Slot> pending_reads;
  std::optional<Slot> reading;         // the slot being read now
  std::set<Slot> unacknowledged;       // the listener did not store it yet: offered again
  std::set<Slot> undecodable;          // kept on the SIM, never offered again this session
  std::deque<at::Urc> pending_direct;  // +CMT / +CDS with their PDU
  bool direct_in_progress = false;     // one of them is with the listener or being acked
  std::shared_ptr<Event> direct_done;  // set whenever pending_direct ran empty
  // PDUs of +CMT / +CDS the listener stored lately: a network that missed the
  // acknowledgement delivers the same TPDU again (dropped, acknowledged again).
  std::deque<std::string> recent_direct;
  bool reinit_requested = false;
  bool recovery_requested = false;

  // Storage (TS 27.005 3.2.2).
  std::string primary_memory = "SM";
  std::string read_memory;   // the current <mem1>, empty when unknown
  bool sr_memory = false;    // "SR" can be selected as <mem1>
  bool needs_cnma = false;   // +CSMS service 1: +CMT/+CDS must be acknowledged
  bool indications = false;  // some +CNMI variant was accepted
  std::string cnmi_command;  // the accepted variant

  // Sending and recovery.
  bool send_in_flight = false;
  int command_timeouts = 0;    // consecutive, outside sends
  bool resync_needed = false;  // a command timed out: probe before the next one
  int recovery_level = 0;
  Clock::time_point last_recovery{};
  std::chrono::milliseconds backoff{0};

  // USSD.
  bool ussd_in_flight = false;
  std::deque<UssdNotification> ussd_notes;
  std::shared_ptr<Event> ussd_arrived;

  // Identity of the modem last seen on this port.
  std::string known_imei;
  std::string known_iccid;
  bool pin_refused = false;

  // ---------------------------------------------------------------- state and events

  void set_state(ModemState state) {
    if (snap.state == state) return;
    log->info("state {} -> {}", to_string(snap.state), to_string(state));
    snap.state = state;
    snap.state_since = std::chrono::system_clock::now();
    listener.on_state_changed(snap);
  }

  void record_error(Error error) {
    ++snap.errors_total;
    snap.last_error = std::move(error);
  }

  void notify_changed() { listener.on_state_changed(snap); }

  awaitable<bool> sleep_unless_stopped(milliseconds duration) {
    const bool stop_requested = co_await stopped->wait(duration);
    co_return !stop_requested;
  }

  // ---------------------------------------------------------------- port

  Result<void> connect() {
    set_state(ModemState::opening);
    resync_needed = false;
    auto stream = opener->open(executor, settings.port, settings.baud);
    if (!stream) return std::move(stream).error();
    io = std::make_shared<IoCounters>();
    channel = std::make_shared<at::Channel>(
        std::make_unique<TrackingStream>(std::move(stream).value(), io));
    channel->on_urc([this](const at::Urc& urc) { on_urc(urc); });
    asio::co_spawn(
        executor,
        [ch = channel, woken = wake]() -> awaitable<void> {
          co_await ch->run();
          woken->set();  // the serve loop notices the port is gone
        },
        asio::detached);
    read_memory.clear();
    log->info("opened {}", settings.port);
    return {};
  }

  void disconnect() {
    if (!channel) return;
    channel->on_urc({});
    channel->close();
    channel.reset();
    pending_reads.clear();
    pending_direct.clear();
    direct_done->set();
    reading.reset();
    unacknowledged.clear();
    undecodable.clear();
    ussd_notes.clear();
  }

  awaitable<void> wait_for_port() {
    set_state(ModemState::absent);
    log->info("waiting for {} to appear", settings.port);
    while (!stopping && !opener->exists(settings.port)) {
      const bool slept = co_await sleep_unless_stopped(settings.absent_poll);
      if (!slept) co_return;
    }
  }

  // ---------------------------------------------------------------- commands

  awaitable<Result<at::Response>> command(std::string text, milliseconds timeout) {
    auto ch = channel;
    if (!ch) co_return make_error("at.closed", "the port of " + settings.id + " is not open");
    if (resync_needed) {
      // The answer of a timed-out command may still come and would be taken for this
      // command's (at/channel.hpp, "Limits"): let an "AT" absorb it first.
      resync_needed = false;
      (void)co_await probe();
    }
    auto reply = co_await ch->command(text, timeout);
    if (log->should_log(spdlog::level::trace)) {  // [log] level = "trace": every exchange
      std::string answer;
      if (reply) {
        for (const auto& line : reply->lines) answer += line + " | ";
        answer += "OK";
      } else {
        answer = reply.error().message;
      }
      log->trace("{} -> {}", text, answer);
    }
    if (reply) {
      command_timeouts = 0;
    } else if (reply.error().code == "at.timeout") {
      resync_needed = true;
      log->warn("{}", reply.error().message);
      if (++command_timeouts >= settings.timeouts_before_recovery &&
          snap.state != ModemState::initialising) {
        request_recovery();
      }
    } else if (!is_port_failure(reply.error())) {
      command_timeouts = 0;  // the modem answered, with an error
    }
    co_return reply;
  }

  awaitable<Result<at::Response>> command(std::string text) {
    co_return co_await command(std::move(text), settings.command_timeout);
  }

  // "AT" until it answers OK, up to probe_attempts times.
  awaitable<Result<void>> probe() {
    auto ch = channel;
    if (!ch) co_return make_error("at.closed", "the port is not open");
    Error last = make_error("at.timeout", "no answer");
    for (int attempt = 0; attempt < settings.probe_attempts; ++attempt) {
      auto reply = co_await ch->command("AT", settings.probe_timeout);
      if (reply) co_return Result<void>{};
      last = reply.error();
      if (is_port_failure(last)) break;
    }
    co_return make_error("modem.no_answer",
                         settings.port + " does not answer AT (" + last.message + ")");
  }

  void request_recovery() {
    recovery_requested = true;
    wake->set();
  }

  // ---------------------------------------------------------------- init

  awaitable<Result<void>> initialise() {
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
      co_return make_error("at.io", "the port of " + settings.id + " closed during init");
    }
    co_await sweep();
    co_return Result<void>{};
  }

  // The first +CNMI variant of the profile the modem accepts. Before a variant that
  // delivers messages directly (+CMT) it asks for +CSMS=1, so a +CMT is acknowledged
  // (AT+CNMA) only once the listener stored it: with service 0 the modem acknowledges it
  // by itself and a message the gateway fails to store is lost (TS 27.005 3.2.1, 3.4.4).
  awaitable<Result<void>> select_indications() {
    indications = false;
    cnmi_command.clear();
    bool asked_for_acknowledgement = false;
    for (auto cnmi : profile->cnmi_variants) {
      const auto setting = parse_cnmi(cnmi);
      if (setting && setting->delivers_messages_directly() && !asked_for_acknowledgement) {
        asked_for_acknowledgement = true;
        if (auto service = co_await command("AT+CSMS=1"); !service) {
          if (is_port_failure(service.error())) co_return service.error();
          log->warn(
              "AT+CSMS=1 refused ({}): the modem acknowledges +CMT by itself; a message "
              "the gateway fails to store is lost",
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
  awaitable<void> check_indications() {
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

  awaitable<Result<void>> run_step(const InitStep& step) {
    Error last = make_error("at.error", "no alternative");
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

  awaitable<Result<void>> unlock_sim() {
    auto reply = co_await command("AT+CPIN?");
    if (!reply) {
      const auto& error = reply.error();
      if (is_port_failure(error)) co_return error;
      if (error.code == "cme.10") {
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
    if (!settings.pin) {
      co_return make_error("modem.sim_pin",
                           "the SIM on " + settings.port + " needs a PIN and none is configured");
    }
    auto entered = co_await command("AT+CPIN=" + quoted(*settings.pin));
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

  awaitable<void> setup_storage() {
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
    sr_memory = !support.empty() &&
                std::find(support[0].begin(), support[0].end(), "SR") != support[0].end();
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

  awaitable<void> read_identity() {
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
    std::string iccid;
    for (auto query : profile->iccid_commands) {
      auto reply = co_await command(std::string(query));
      if (!reply) continue;
      if (auto parsed = first_parsed(*reply, parse_iccid)) {
        iccid = *parsed;
        break;
      }
    }
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
  awaitable<bool> poll_status() {
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

  // ---------------------------------------------------------------- inbound

  awaitable<Result<void>> select_memory(std::string memory) {
    if (read_memory == memory) co_return Result<void>{};
    auto reply = co_await command("AT+CPMS=" + quoted(memory));
    if (!reply) co_return reply.error();
    read_memory = memory;
    co_return Result<void>{};
  }

  // Every stored message of the primary memory, and the status reports in "SR".
  awaitable<void> sweep() {
    co_await sweep_memory(primary_memory);
    if (sr_memory && primary_memory != "SR") {
      co_await sweep_memory("SR");
      (void)co_await select_memory(primary_memory);
    }
  }

  awaitable<void> sweep_memory(std::string memory) {
    if (auto selected = co_await select_memory(memory); !selected) {
      log->info("cannot select {} for the sweep: {}", memory, selected.error().message);
      co_return;
    }
    auto reply = co_await command("AT+CMGL=4", settings.long_command_timeout);
    if (!reply) {
      log->info("AT+CMGL=4 in {} failed: {}", memory, reply.error().message);
      co_return;
    }
    const auto messages = parse_cmgl_listing(reply->lines);
    if (!messages.empty()) log->info("{} stored message(s) in {}", messages.size(), memory);
    for (const auto& message : messages) {
      const Slot slot{memory, *message.header.index, false};
      if (undecodable.contains(slot)) continue;
      // Unsent/sent drafts (stat 2, 3) are the user's, not inbound.
      if (message.header.stat == 2 || message.header.stat == 3) continue;
      co_await hand_over(slot, message.pdu_hex);
    }
  }

  void enqueue(Slot slot) {
    if (reading == slot ||
        std::find(pending_reads.begin(), pending_reads.end(), slot) != pending_reads.end()) {
      log->debug("duplicate announcement of {} {} dropped", slot.memory, slot.index);
      return;
    }
    pending_reads.push_back(std::move(slot));
    wake->set();
  }

  awaitable<void> read_slot(Slot slot) {
    reading = slot;
    std::vector<std::string> memories{slot.memory};
    // Quectel EC25/EG25 store the report in "SR" but announce "SM" (asterisk-chan-quectel
    // PR#75): read "SR" first, then the announced memory.
    if (slot.report && profile->status_report_announced_in_sm_stored_in_sr && slot.memory != "SR") {
      memories.insert(memories.begin(), "SR");
    }
    for (const auto& memory : memories) {
      if (auto selected = co_await select_memory(memory); !selected) continue;
      auto reply = co_await command("AT+CMGR=" + std::to_string(slot.index));
      if (!reply) {
        log->debug("AT+CMGR={} in {}: {}", slot.index, memory, reply.error().message);
        continue;
      }
      auto stored = parse_cmgr_reply(reply->lines);
      if (!stored) {
        log->debug("{} {}: {}", memory, slot.index, stored.error().message);
        continue;
      }
      Slot found{memory, slot.index, slot.report};
      co_await hand_over(found, stored->pdu_hex);
      reading.reset();
      co_return;
    }
    log->debug("{} {} holds nothing (already read: a duplicate announcement)", slot.memory,
               slot.index);
    reading.reset();
  }

  // Hands an SMS-DELIVER or SMS-STATUS-REPORT to the listener (storage "" and index -1
  // for direct delivery): true once it is stored. Nothing for an SMS-SUBMIT.
  awaitable<std::optional<bool>> offer(pdu::Decoded decoded, std::string storage, int index,
                                       std::string pdu_hex) {
    if (auto* deliver = std::get_if<pdu::Deliver>(&decoded.tpdu)) {
      InboundSms sms{settings.id, std::move(storage), index, std::move(*deliver),
                     std::move(pdu_hex)};
      const bool stored = co_await listener.on_inbound(std::move(sms));
      if (stored) ++snap.received_total;
      co_return stored;
    }
    if (auto* report = std::get_if<pdu::StatusReport>(&decoded.tpdu)) {
      StatusReportEvent event{settings.id, std::move(*report), std::move(pdu_hex)};
      const bool stored = co_await listener.on_status_report(std::move(event));
      if (stored) ++snap.reports_total;
      co_return stored;
    }
    co_return std::nullopt;
  }

  // Decodes a stored PDU, hands it to the listener, and deletes it once stored.
  awaitable<void> hand_over(Slot slot, std::string pdu_hex) {
    auto decoded = pdu::decode(pdu_hex);
    if (!decoded) {
      auto error = make_error("modem.bad_pdu", slot.memory + " " + std::to_string(slot.index) +
                                                   ": " + decoded.error().message + " (PDU " +
                                                   pdu_hex + "); kept on the SIM");
      log->error("{}", error.message);
      record_error(std::move(error));
      undecodable.insert(slot);
      co_return;
    }
    const auto offered =
        co_await offer(std::move(decoded).value(), slot.memory, slot.index, pdu_hex);
    if (!offered) co_return;  // an SMS-SUBMIT draft
    const bool stored = *offered;
    if (!stored) {
      log->warn("listener did not store {} {}; kept on the SIM", slot.memory, slot.index);
      unacknowledged.insert(slot);
      co_return;
    }
    unacknowledged.erase(slot);
    // From the delete on the slot is free: the modem may store the next message there and
    // announce it (+CMTI/+CDSI) right after the OK. That is a new message, not a repeat of
    // the one being read, so it must not be dropped as a duplicate announcement.
    reading.reset();
    if (auto selected = co_await select_memory(slot.memory); !selected) co_return;
    if (auto deleted = co_await command("AT+CMGD=" + std::to_string(slot.index)); !deleted) {
      log->warn("AT+CMGD={} in {} failed: {}", slot.index, slot.memory, deleted.error().message);
    }
  }

  // +CMT / +CDS: the PDU came with the URC (TS 27.005 3.4.1). With +CSMS=1 it is
  // acknowledged (AT+CNMA) once the listener stored it, and so is a repeat of a PDU stored
  // before; a refused or undecodable one is left unacknowledged for the network to send
  // again (check_indications() picks it up from storage).
  awaitable<void> handle_direct(at::Urc urc) {
    if (!urc.body) {
      log->warn("{} without its PDU line", urc.line);
      co_return;
    }
    const std::string pdu_hex = *urc.body;
    if (std::find(recent_direct.begin(), recent_direct.end(), pdu_hex) != recent_direct.end()) {
      log->info("the same {} again (the network missed the acknowledgement): dropped", urc.name);
      co_await acknowledge_direct();
      co_return;
    }
    auto decoded = pdu::decode(pdu_hex);
    if (!decoded) {
      auto error = make_error("modem.bad_pdu",
                              urc.name + ": " + decoded.error().message + " (PDU " + pdu_hex + ")");
      log->error("{}", error.message);
      record_error(std::move(error));
      co_return;
    }
    const auto offered = co_await offer(std::move(decoded).value(), "", -1, pdu_hex);
    const bool stored = offered.value_or(false);
    if (!stored) {
      log->warn("listener did not store the {}; {}", urc.name,
                needs_cnma ? "not acknowledged, the network sends it again"
                           : "it is lost (the modem acknowledged it by itself)");
      co_return;
    }
    recent_direct.push_back(pdu_hex);
    if (recent_direct.size() > kRecentDirect) recent_direct.pop_front();
    co_await acknowledge_direct();
  }

  awaitable<void> acknowledge_direct() {
    if (!needs_cnma) co_return;
    if (auto acked = co_await command("AT+CNMA"); !acked) {
      log->warn("AT+CNMA failed: {}", acked.error().message);
    }
  }

  // A +CMT / +CDS waiting for the listener goes before the next AT+CMGS, so its AT+CNMA is
  // not stuck behind a send (the network waits only seconds for it).
  awaitable<void> let_direct_deliveries_finish() {
    const auto deadline = Clock::now() + settings.command_timeout;
    while ((!pending_direct.empty() || direct_in_progress) && Clock::now() < deadline) {
      direct_done->reset();
      co_await direct_done->wait(deadline - Clock::now());
    }
  }

  // ---------------------------------------------------------------- URCs

  void on_urc(const at::Urc& urc) {
    const std::string& name = urc.name;
    if (name == "+CMTI" || name == "+CDSI") {
      auto slot = parse_storage_index(urc.line);
      if (!slot) {
        log->warn("{}", slot.error().message);
        return;
      }
      enqueue(Slot{slot->memory, slot->index, name == "+CDSI"});
      return;
    }
    if (name == "+CMT" || name == "+CDS") {
      pending_direct.push_back(urc);
      wake->set();
      return;
    }
    if (name == "+CUSD") {
      auto note = parse_cusd(urc.line);
      if (!note) {
        log->warn("{}", note.error().message);
        return;
      }
      if (!ussd_in_flight) {
        log->info("unsolicited {} ignored", urc.line);
        return;
      }
      ussd_notes.push_back(std::move(note).value());
      ussd_arrived->set();
      return;
    }
    if (name == "+CREG" || name == "+CGREG" || name == "+CEREG") {
      if (auto registration = parse_registration(urc.line, RegistrationForm::unsolicited)) {
        const std::string state(to_string(registration->state));
        if (state != snap.registration) {
          snap.registration = state;
          notify_changed();
        }
      }
      return;
    }
    if (is_boot_urc(name, urc.line)) {
      if (snap.state == ModemState::ready || snap.state == ModemState::sending) {
        log->warn("the modem restarted ({}); initialising again", urc.line);
        reinit_requested = true;
        wake->set();
      }
      return;
    }
    if (is_noise_urc(*profile, name)) {
      log->trace("noise {}", urc.line);
      return;
    }
    log->debug("unhandled URC {}", urc.line);
  }

  // ---------------------------------------------------------------- recovery

  // The recovery ladder (at-protocol.md): ESC + AT, then AT+CFUN=0;+CFUN=1, then
  // AT+CFUN=1,1 (re-enumerates), then reopening the port. Each run climbs one rung unless
  // the last run is long ago or a send succeeded since.
  awaitable<Exit> recover() {
    const auto now = Clock::now();
    if (now - last_recovery > std::chrono::minutes(30)) recovery_level = 0;
    last_recovery = now;
    const int level = recovery_level++;
    ++snap.recoveries_total;
    set_state(ModemState::initialising);
    log->warn("recovery, rung {}", level + 1);
    if (auto ch = channel) co_await ch->write_raw(kEsc);
    if (auto alive = co_await probe(); !alive) {
      log->warn("{}; reopening the port", alive.error().message);
      co_return Exit::reopen;
    }
    if (level == 1) {
      log->warn("resetting the radio: AT+CFUN=0;+CFUN=1");
      auto reset = co_await command("AT+CFUN=0;+CFUN=1", settings.long_command_timeout);
      if (!reset) {
        (void)co_await command("AT+CFUN=0", settings.long_command_timeout);
        (void)co_await command("AT+CFUN=1", settings.long_command_timeout);
      }
    } else if (level == 2) {
      log->warn("rebooting the modem: AT+CFUN=1,1");
      (void)co_await command("AT+CFUN=1,1", settings.long_command_timeout);
      co_return Exit::reboot;
    } else if (level >= 3) {
      co_return Exit::reopen;
    }
    if (auto again = co_await initialise(); !again) {
      log->warn("init after recovery failed: {}", again.error().message);
      record_error(std::move(again).error());
      co_return Exit::reopen;
    }
    set_state(ModemState::ready);
    co_return Exit::recovered;
  }

  // ---------------------------------------------------------------- serve loop

  awaitable<Exit> serve() {
    auto next_poll = Clock::now() + settings.poll_interval;
    while (true) {
      if (stopping) co_return Exit::stop;
      if (!channel || !channel->is_open()) co_return Exit::port_lost;
      if (recovery_requested) {
        recovery_requested = false;
        const auto outcome = co_await recover();
        if (outcome != Exit::recovered) co_return outcome;
        continue;
      }
      if (reinit_requested) {
        reinit_requested = false;
        set_state(ModemState::initialising);
        if (auto again = co_await initialise(); !again) {
          record_error(std::move(again).error());
          co_return Exit::reopen;
        }
        set_state(ModemState::ready);
        continue;
      }
      if (!pending_direct.empty()) {
        auto urc = std::move(pending_direct.front());
        pending_direct.pop_front();
        direct_in_progress = true;
        co_await handle_direct(std::move(urc));
        direct_in_progress = false;
        if (pending_direct.empty()) direct_done->set();
        continue;
      }
      if (!pending_reads.empty()) {
        auto slot = std::move(pending_reads.front());
        pending_reads.pop_front();
        co_await read_slot(std::move(slot));
        continue;
      }
      if (Clock::now() >= next_poll) {
        const bool changed = co_await poll_status();
        if (changed) notify_changed();
        co_await check_indications();
        if (!indications) co_await sweep();
        for (const auto& slot : unacknowledged) pending_reads.push_back(slot);
        unacknowledged.clear();
        next_poll = Clock::now() + settings.poll_interval;
        continue;
      }
      wake->reset();
      co_await wake->wait(next_poll - Clock::now());
    }
  }

  awaitable<void> run() {
    stopping = false;
    stopped->reset();
    while (!stopping) {
      if (!opener->exists(settings.port)) {
        co_await wait_for_port();
        continue;
      }
      if (auto connected = connect(); !connected) {
        const auto& error = connected.error();
        log->warn("{}", error.message);
        record_error(error);
        if (error.code == "serial.missing") continue;  // vanished meanwhile: wait for it
        set_state(ModemState::backoff);
        co_await sleep_unless_stopped(backoff);
        backoff = std::min(backoff * 2, settings.backoff_max);
        continue;
      }
      set_state(ModemState::initialising);
      if (auto ready = co_await initialise(); !ready) {
        log->warn("init failed: {}", ready.error().message);
        record_error(std::move(ready).error());
        disconnect();
        if (stopping) break;
        set_state(ModemState::backoff);
        co_await sleep_unless_stopped(backoff);
        backoff = std::min(backoff * 2, settings.backoff_max);
        continue;
      }
      set_state(ModemState::ready);
      const auto ready_since = Clock::now();
      const auto exit = co_await serve();
      disconnect();
      if (Clock::now() - ready_since >= settings.backoff_reset_after) {
        backoff = settings.backoff_initial;
      }
      switch (exit) {
        case Exit::recovered:
        case Exit::stop:
          break;
        case Exit::port_lost:
          log->warn("lost {}", settings.port);
          record_error(make_error("at.io", "lost " + settings.port));
          break;
        case Exit::reboot:
          set_state(ModemState::backoff);
          co_await sleep_unless_stopped(settings.reboot_wait);
          break;
        case Exit::reopen:
          set_state(ModemState::backoff);
          co_await sleep_unless_stopped(backoff);
          backoff = std::min(backoff * 2, settings.backoff_max);
          break;
      }
    }
    disconnect();
    set_state(ModemState::absent);
  }

  void stop() {
    stopping = true;
    stopped->set();
    wake->set();
    ussd_arrived->set();
    direct_done->set();
    if (channel) channel->close();
  }

  // ---------------------------------------------------------------- send

  // A pending recovery or re-init also closes the door: the modem is suspect until then.
  bool can_send() const {
    return snap.state == ModemState::ready && !send_in_flight && channel && channel->is_open() &&
           !recovery_requested && !reinit_requested;
  }

  awaitable<PartResult> send(pdu::SubmitPart part) {
    PartResult result;
    if (!can_send()) {
      result.error =
          make_error("modem.not_ready", settings.id + " is " + std::string(to_string(snap.state)) +
                                            (send_in_flight ? " with a send in flight" : ""));
      co_return result;
    }
    send_in_flight = true;
    set_state(ModemState::sending);
    const auto ch = channel;
    const auto counters = io;
    co_await let_direct_deliveries_finish();
    const auto bodies_before = counters->bodies_written;
    auto reply = co_await ch->command_with_body("AT+CMGS=" + std::to_string(part.length), part.pdu,
                                                settings.prompt_timeout, settings.send_timeout);
    if (reply) {
      result.outcome = PartResult::Outcome::sent;
      if (auto mr = first_parsed(*reply, parse_cmgs)) {
        result.mr = *mr;
      } else {
        result.error = make_error("modem.no_mr", "OK without +CMGS: <mr>");
        log->warn("AT+CMGS answered OK without +CMGS: <mr>");
      }
      ++snap.sent_total;
      recovery_level = 0;
      log->debug("part sent, MR {}", result.mr);
    } else {
      auto error = std::move(reply).error();
      const bool body_written = counters->bodies_written > bodies_before;
      const bool no_answer = error.code == "at.timeout" || is_port_failure(error);
      if (no_answer && body_written) {
        result.outcome = PartResult::Outcome::unknown;
        log->error("PDU written but no +CMGS ({}): outcome unknown", error.message);
      } else {
        result.outcome = PartResult::Outcome::failed;
        log->warn("send failed: {}{}", error.message, cause_class_note(error));
      }
      if (error.code == "at.timeout") request_recovery();
      record_error(error);
      result.error = std::move(error);
    }
    send_in_flight = false;
    if (snap.state == ModemState::sending) set_state(ModemState::ready);
    wake->set();
    co_return result;
  }

  // ---------------------------------------------------------------- USSD

  awaitable<Result<UssdReply>> ussd(std::string code) {
    if ((snap.state != ModemState::ready && snap.state != ModemState::sending) || !channel) {
      co_return make_error("modem.not_ready",
                           settings.id + " is " + std::string(to_string(snap.state)));
    }
    if (ussd_in_flight) {
      co_return make_error("modem.busy", "a USSD session is already running on " + settings.id);
    }
    auto request = encode_ussd_request(code, profile->ussd_encoding);
    if (!request) co_return std::move(request).error();

    ussd_in_flight = true;
    ussd_notes.clear();
    ussd_arrived->reset();
    struct Done {
      bool& flag;
      ~Done() { flag = false; }
    } done{ussd_in_flight};

    // TS 27.007 7.15: <dcs> 15 = GSM 7-bit, language unspecified.
    auto accepted = co_await command("AT+CUSD=1," + quoted(*request) + ",15");
    if (!accepted) {
      log->warn("AT+CUSD=1 for {} refused: {}", code, accepted.error().message);
      co_return std::move(accepted).error();
    }
    const auto deadline = Clock::now() + settings.ussd_timeout;
    std::optional<UssdNotification> answer;
    while (!answer) {
      if (stopping) co_return make_error("at.closed", "stopped");
      if (!ussd_notes.empty()) {
        auto note = std::move(ussd_notes.front());
        ussd_notes.pop_front();
        // "+CUSD: 2,"Initiating Release"" may precede the real answer (python-gsmmodem):
        // a later note wins; when none is queued yet, wait briefly for one.
        if (note.status == 2 && ussd_notes.empty()) {
          ussd_arrived->reset();
          const auto grace =
              std::min<Clock::duration>(settings.ussd_release_grace, deadline - Clock::now());
          if (grace > Clock::duration::zero()) co_await ussd_arrived->wait(grace);
        }
        const bool superseded = note.status == 2 && !ussd_notes.empty();
        if (!superseded) answer = std::move(note);
        continue;
      }
      ussd_arrived->reset();
      const auto left = deadline - Clock::now();
      bool arrived = false;
      if (left > Clock::duration::zero()) arrived = co_await ussd_arrived->wait(left);
      if (!arrived) {
        log->warn("no +CUSD for {} within {} ms; cancelling", code, settings.ussd_timeout.count());
        (void)co_await command("AT+CUSD=2");
        co_return make_error("modem.ussd_timeout",
                             "no USSD answer to " + code + " within " +
                                 std::to_string(settings.ussd_timeout.count()) + " ms");
      }
    }
    switch (answer->status) {
      case 3:
        co_return make_error("modem.ussd", "another local client answered the USSD request");
      case 4:
        co_return make_error("modem.ussd_unsupported",
                             "the network does not support the USSD request " + code);
      case 5:
        co_return make_error("modem.ussd_timeout", "the network timed out on " + code);
      default:
        break;
    }
    UssdReply reply;
    reply.status = answer->status;
    reply.dcs = answer->dcs;
    reply.raw = answer->text.value_or("");
    auto text = decode_ussd_text(reply.raw, reply.dcs, profile->ussd_encoding);
    reply.text = text ? std::move(text).value() : reply.raw;
    if (reply.status == 1) {
      // The network waits for a menu choice; this API is one request, one answer.
      (void)co_await command("AT+CUSD=2");
    }
    log->info("USSD {} -> [{}] {}", code, reply.status, reply.text);
    co_return reply;
  }
};

ModemActor::ModemActor(asio::any_io_executor executor, ModemSettings settings,
                       ModemListener& listener, std::shared_ptr<PortOpener> opener)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(settings), listener,
                                   std::move(opener))) {}

ModemActor::~ModemActor() { impl_->disconnect(); }

awaitable<void> ModemActor::run() { co_await impl_->run(); }

void ModemActor::stop() { impl_->stop(); }

const ModemSnapshot& ModemActor::snapshot() const { return impl_->snap; }

const Profile& ModemActor::profile() const { return *impl_->profile; }

bool ModemActor::can_send() const { return impl_->can_send(); }

awaitable<PartResult> ModemActor::send(pdu::SubmitPart part) {
  co_return co_await impl_->send(std::move(part));
}

awaitable<Result<UssdReply>> ModemActor::ussd(std::string code) {
  co_return co_await impl_->ussd(std::move(code));
}

}  // namespace smsgw::modem
