#include "smsgw/gateway/modem_pool.hpp"

#include <spdlog/spdlog.h>

#include "smsgw/serial/port_glob.hpp"

namespace smsgw::gateway {

struct ModemPool::Entry {
  std::unique_ptr<modem::ModemActor> actor;
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
  settings.profile = config.profile;
  settings.send_timeout =
      std::chrono::duration_cast<std::chrono::milliseconds>(config.send_timeout);
  settings.poll_interval =
      std::chrono::duration_cast<std::chrono::milliseconds>(polling_.poll_interval);
  settings.ussd_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(ussd_.timeout);

  auto entry = std::make_unique<Entry>();
  entry->actor = std::make_unique<modem::ModemActor>(executor_, settings, listener_, opener_);
  entry->running = true;
  auto& actor = *entry->actor;
  entries_[id] = std::move(entry);
  id_by_path_[path] = id;
  spdlog::info("modem {}: watching {}", id, path);
  if (hooks_.attach) {
    hooks_.attach(actor, scheduler::Limits{config.limits.per_minute, config.limits.per_day});
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
  if (it->second->retiring) entries_.erase(it);
}

void ModemPool::scan() {
  for (const auto& config : modems_) {
    if (!config.enabled) continue;
    const auto expansion = serial::expand_ports({config.port});
    for (const auto& port : expansion.ports) {
      if (id_by_path_.contains(port.path)) continue;
      const bool glob = serial::has_glob_characters(config.port);
      std::string id =
          (!glob && config.id) ? *config.id : std::filesystem::path(port.path).filename().string();
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

void ModemPool::retire(const std::string& id) {
  auto it = entries_.find(id);
  if (it == entries_.end()) return;
  it->second->retiring = true;
  if (hooks_.detach) hooks_.detach(id);
  std::erase_if(id_by_path_, [&](const auto& kv) { return kv.second == id; });
  it->second->actor->stop();
  if (!it->second->running) entries_.erase(it);
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
