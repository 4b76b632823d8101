#include "smsgw/gateway/modem_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "smsgw/gateway/settings.hpp"
#include "smsgw/serial/port_glob.hpp"

namespace smsgw::gateway {

struct ModemPool::Entry {
  std::unique_ptr<modem::ModemActor> actor;
  config::ModemConfig config;  // the [[modem]] table it was started from
  bool retiring = false;
  bool running = false;
};

ModemPool::ModemPool(asio::any_io_executor executor, std::vector<config::ModemConfig> modems,
                     config::ModemsConfig polling, config::UssdConfig ussd,
                     modem::ModemListener& listener, Hooks hooks,
                     std::shared_ptr<modem::PortOpener> opener)
    : executor_(executor),
      modems_(std::move(modems)),
      polling_(polling),
      ussd_(ussd),
      listener_(listener),
      hooks_(std::move(hooks)),
      opener_(std::move(opener)),
      wake_(executor),
      actors_running_(executor) {}

ModemPool::~ModemPool() = default;

void ModemPool::start(const config::ModemConfig& config, const std::string& path,
                      const std::string& id) {
  modem::ModemSettings settings;
  settings.id = id;
  settings.port = path;
  settings.baud = static_cast<int>(config.baud);
  settings.pin = config.pin;
  settings.pin_for_sim = hooks_.sim_pin;
  settings.profile = config.profile;
  settings.send_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.send_timeout);
  settings.poll_interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(polling_.poll_interval);
  settings.ussd_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(ussd_.timeout);

  auto entry = std::make_unique<Entry>();
  entry->actor = std::make_unique<modem::ModemActor>(executor_, settings, listener_, opener_);
  entry->config = config;
  entry->running = true;
  auto& actor = *entry->actor;
  entries_[id] = std::move(entry);
  id_by_path_[path] = id;
  spdlog::info("modem {}: watching {}", id, path);
  if (hooks_.attach) {
    hooks_.attach(actor, scheduler_limits(config.limits));
  }
  actors_running_.spawn("modem " + id + ": actor", [this, id, &actor]() -> awaitable<void> {
    try {
      co_await actor.run();
    } catch (...) {
      actor_ended(id);
      throw;
    }
    actor_ended(id);
  });
}

void ModemPool::actor_ended(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second->running = false;
  // A retired actor is destroyed only after its coroutine has returned.
  if (!it->second->retiring) return;
  std::erase_if(id_by_path_, [&](const auto& kv) { return kv.second == id; });
  wake_.set();  // the port may be started again (with new settings, after a reload)
  entries_.erase(it);
}

void ModemPool::reconfigure(std::vector<config::ModemConfig> modems, config::ModemsConfig polling,
                            config::UssdConfig ussd) {
  modems_ = std::move(modems);
  polling_ = polling;
  ussd_ = ussd;
  std::vector<std::string> reopen;
  for (auto& [id, entry] : entries_) {
    if (entry->retiring) continue;
    const auto same_port = [&](const config::ModemConfig& c) {
      return c.port == entry->config.port;
    };
    const auto it = std::find_if(modems_.begin(), modems_.end(), same_port);
    if (it == modems_.end() || !it->enabled) {
      spdlog::info("modem {}: its port {} left the configuration; closing after its send", id,
                   entry->config.port);
      reopen.push_back(id);
      continue;
    }
    config::ModemConfig limits_only = entry->config;
    limits_only.limits = it->limits;
    if (limits_only != *it) {
      spdlog::info("modem {}: its [[modem]] settings changed; reopening after its send", id);
      reopen.push_back(id);
      continue;
    }
    if (entry->config.limits != it->limits) {
      entry->config.limits = it->limits;
      if (hooks_.limits) hooks_.limits(id, scheduler_limits(it->limits));
    }
  }
  for (const auto& id : reopen) retire(id);
  wake_.set();  // new ports are scanned now
}

void ModemPool::retire(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end() || it->second->retiring) return;
  auto& entry = *it->second;
  entry.retiring = true;
  if (hooks_.detach) hooks_.detach(id);  // no new send starts on it
  if (!entry.running) {
    actor_ended(id);
    return;
  }
  actors_running_.spawn("modem " + id + ": closing after its send",
                        [this, id, actor = entry.actor.get()]() -> awaitable<void> {
                          if (hooks_.until_idle) co_await hooks_.until_idle(id);
                          auto still = entries_.find(id);
                          if (still != entries_.end() && still->second->actor.get() == actor) {
                            actor->stop();
                          }
                        });
}

void ModemPool::scan() {
  for (const auto& config : modems_) {
    if (!config.enabled) continue;
    const auto expansion = serial::expand_ports({config.port});
    for (const auto& port : expansion.ports) {
      if (id_by_path_.contains(port.path)) continue;
      const bool glob = serial::has_glob_characters(config.port);
      std::string id =
          (!glob && config.id)
              ? *config.id
              : config.id_prefix + std::filesystem::path(port.path).filename().string();
      if (entries_.contains(id)) id += "@" + port.path;  // two globs naming one file name
      start(config, port.path, id);
    }
  }
}

void ModemPool::identity_seen(const modem::ModemSnapshot& snapshot) {
  if (snapshot.imei.empty()) return;
  std::vector<std::string> stale;
  for (const auto& [id, entry] : entries_) {
    if (id == snapshot.id || entry->retiring) continue;
    const auto& other = entry->actor->snapshot();
    if (other.imei == snapshot.imei && other.state == modem::ModemState::absent) {
      stale.push_back(id);
    }
  }
  for (const auto& id : stale) {
    spdlog::info("modem {}: IMEI {} is back as {}; retiring the old name", id, snapshot.imei,
                 snapshot.id);
    retire(id);
  }
}

modem::ModemActor* ModemPool::find(const std::string& id) {
  auto it = entries_.find(id);
  return it == entries_.end() || it->second->retiring ? nullptr : it->second->actor.get();
}

std::vector<modem::ModemActor*> ModemPool::actors() {
  std::vector<modem::ModemActor*> all;
  for (auto& [id, entry] : entries_) {
    if (!entry->retiring) all.push_back(entry->actor.get());
  }
  return all;
}

bool ModemPool::knows(const std::string& id) const {
  if (entries_.contains(id)) return true;
  for (const auto& config : modems_) {
    if (config.id && *config.id == id) return true;
  }
  return false;
}

void ModemPool::stop() {
  stopping_ = true;
  for (auto& [id, entry] : entries_) entry->actor->stop();
  wake_.set();
}

awaitable<void> ModemPool::run() {
  while (!stopping_) {
    scan();
    wake_.reset();
    co_await wake_.wait(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(polling_.rescan_interval));
  }
  co_await actors_running_.join();
}

}  // namespace smsgw::gateway
