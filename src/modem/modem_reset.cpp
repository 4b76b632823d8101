// A reset asked for from outside (ModemActor::reset, POST /api/v1/modems/{id}/reset): the
// recovery ladder's port reopen and radio off/on in one go (modem_recovery.cpp climbs the
// same rungs one at a time when the actor finds a hang by itself).
#include "modem_impl.hpp"

namespace smsgw::modem {

Result<void> ModemActor::Impl::request_reset() {
  if (stopping) return make_error(ErrorCode::modem_not_ready, settings.id + " is stopping");
  if (resetting) {
    return make_error(ErrorCode::conflict, "a reset of " + settings.id + " is already running");
  }
  if (snap.state == ModemState::absent) {
    return make_error(ErrorCode::modem_not_ready,
                      settings.id + " is absent: its port " + settings.port +
                          " does not exist, so there is nothing to reset; it is reopened "
                          "when it returns");
  }
  log->warn("reset requested: reopening the port, then radio off and on");
  resetting = true;
  reset_requested = true;
  interrupt->set();
  wake->set();
  // Closing the port frees a serve loop or an init stuck on a command the hung modem never
  // answers. A send in flight keeps the port until it ends (serve() waits for it).
  if (!send_in_flight && channel) channel->close();
  return {};
}

awaitable<void> ModemActor::Impl::reset_radio() {
  set_state(ModemState::initialising);
  ++snap.recoveries_total;
  recovery_level = 0;  // the ladder starts afresh after a reset
  if (auto ch = channel) co_await ch->write_raw(kEsc);
  if (auto alive = co_await probe(); !alive) {
    log->warn("reset: {}; the init sequence tries again", alive.error().message);
    co_return;
  }
  log->warn("reset: radio off and on (AT+CFUN=0;+CFUN=1)");
  auto cycled = co_await command("AT+CFUN=0;+CFUN=1", settings.long_command_timeout);
  if (!cycled && !is_port_failure(cycled.error())) {
    (void)co_await command("AT+CFUN=0", settings.long_command_timeout);
    (void)co_await command("AT+CFUN=1", settings.long_command_timeout);
  }
}

awaitable<void> ModemActor::Impl::back_off(milliseconds duration) {
  set_state(ModemState::backoff);
  if (reset_requested || stopping) co_return;
  interrupt->reset();
  (void)co_await interrupt->wait(duration);
}

}  // namespace smsgw::modem
