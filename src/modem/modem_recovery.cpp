#include "modem_impl.hpp"

namespace smsgw::modem {

// The recovery ladder (at-protocol.md): ESC + AT, then AT+CFUN=0;+CFUN=1, then
// AT+CFUN=1,1 (re-enumerates), then reopening the port. Each run climbs one rung unless
// the last run is long ago or a send succeeded since.
awaitable<ModemActor::Impl::Exit> ModemActor::Impl::recover() {
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

}  // namespace smsgw::modem
