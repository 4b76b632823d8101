// ModemPool: one ModemActor per modem port, found by expanding the configured ports (globs
// re-scanned, so a modem plugged in later is picked up) and attached to the dispatcher.
//
// Contract:
// - A modem's id is the configured `id` for a plain port, else the port's file name
//   ("/dev/smsgw/quectel-usb-1-2" -> "quectel-usb-1-2"); with udev's stable names
//   (udev/90-smsgw.rules) the id survives unplugging and re-enumeration.
// - Identity by IMEI, not tty name: when a modem that vanished comes back under another
//   name, the actor of the old name (absent, same IMEI) is retired and its id freed.
// - A port that disappears keeps its actor (state `absent`): the actor reopens it when it
//   returns.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/config/config.hpp"
#include "smsgw/modem/modem.hpp"
#include "smsgw/scheduler/rate_limiter.hpp"

namespace smsgw::gateway {

class ModemPool {
 public:
  // Called when an actor joins (attach) or is retired (detach).
  struct Hooks {
    std::function<void(modem::ModemActor&, scheduler::Limits)> attach;
    std::function<void(const std::string& id)> detach;
    // A reload changed the [[modem]] limits of a running modem.
    std::function<void(const std::string& id, scheduler::Limits)> limits;
    // Returns once the modem has no send in flight.
    std::function<awaitable<void>(std::string id)> until_idle;
    // The [[sim]] pin of a SIM by its ICCID, asked when a SIM wants a PIN.
    std::function<std::optional<std::string>(const std::string& iccid)> sim_pin;
  };

  ModemPool(asio::any_io_executor executor, std::vector<config::ModemConfig> modems,
            config::ModemsConfig polling, config::UssdConfig ussd, modem::ModemListener& listener,
            Hooks hooks, std::shared_ptr<modem::PortOpener> opener = modem::make_tty_port_opener());
  ~ModemPool();

  // Scans now and every rescan_interval until stop(); returns when every actor has stopped.
  awaitable<void> run();
  void stop();

  // A config reload: ports added are started by the next scan (at once); a modem whose port
  // left the configuration, or was disabled, finishes its send and closes; one whose
  // [[modem]] settings changed (other than limits) finishes its send and is reopened with
  // them; changed limits apply at once.
  void reconfigure(std::vector<config::ModemConfig> modems, config::ModemsConfig polling,
                   config::UssdConfig ussd);

  // Retires absent actors whose IMEI now shows on another port (call on identity changes).
  void identity_seen(const modem::ModemSnapshot& snapshot);

  modem::ModemActor* find(const std::string& id);
  std::vector<modem::ModemActor*> actors();
  // Configured ids and ids of actors that exist (for pinning validation).
  bool knows(const std::string& id) const;

 private:
  struct Entry;
  void scan();
  void start(const config::ModemConfig& config, const std::string& path, const std::string& id);
  // The actor's run() returned (or threw): a retired actor is destroyed now.
  void actor_ended(const std::string& id);
  // Takes the actor out of the dispatcher, stops it once its send in flight has ended, and
  // frees its port for the scan when it has stopped.
  void retire(const std::string& id);

  asio::any_io_executor executor_;
  std::vector<config::ModemConfig> modems_;
  config::ModemsConfig polling_;
  config::UssdConfig ussd_;
  modem::ModemListener& listener_;
  Hooks hooks_;
  std::shared_ptr<modem::PortOpener> opener_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;  // by id
  std::map<std::string, std::string> id_by_path_;
  Event wake_;
  bool stopping_ = false;
  TaskGroup actors_running_;  // one per actor's run()
};

}  // namespace smsgw::gateway
