#include "smsgw/gateway/node_registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

namespace smsgw::gateway {
namespace {

using store::Store;

constexpr auto kMinInterval = std::chrono::milliseconds(1000);

// The snapshot with state "absent" (its node is gone); a snapshot that is no JSON object
// becomes the smallest item that still names the modem.
std::string absent_snapshot(const std::string& modem_id, const std::string& json) {
  auto item = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!item.is_object()) item = nlohmann::json{{"id", modem_id}};
  item["state"] = "absent";
  return item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The "imei" of a modems-list item; empty when unknown or not JSON.
std::string imei_of(const std::string& json) {
  const auto item = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!item.is_object()) return {};
  const auto imei = item.find("imei");
  return imei != item.end() && imei->is_string() ? imei->get<std::string>() : std::string{};
}

// A modems-list item of a modem in service ("ready" or "sending") and not paused.
bool can_take_messages(const std::string& json) {
  const auto item = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!item.is_object()) return false;
  const auto state = item.value("state", nlohmann::json());
  const auto paused = item.find("paused");
  return (state == "ready" || state == "sending") && (paused == item.end() || paused->is_null());
}

bool lease_holds(const store::NodeRecord& node, TimePoint now) {
  return node.heartbeat_at + node.lease >= now;
}

}  // namespace

std::chrono::milliseconds heartbeat_interval(std::chrono::milliseconds lease) {
  return std::max(std::chrono::duration_cast<std::chrono::milliseconds>(lease / 3), kMinInterval);
}

RemoteModems remote_view(const std::string& self, const std::vector<store::NodeRecord>& nodes,
                         const std::vector<store::NodeModemRecord>& modems, TimePoint now) {
  std::map<std::string, const store::NodeRecord*> by_name;
  for (const auto& node : nodes) by_name.emplace(node.name, &node);
  RemoteModems out;
  for (const auto& row : modems) {
    if (row.node == self) continue;
    auto node = by_name.find(row.node);
    if (node == by_name.end()) continue;
    RemoteModem modem;
    modem.node = row.node;
    modem.url = node->second->url;
    modem.node_down = node->second->heartbeat_at + node->second->lease < now;
    modem.snapshot_json =
        modem.node_down ? absent_snapshot(row.modem, row.snapshot_json) : row.snapshot_json;
    out.insert_or_assign(row.modem, std::move(modem));
  }
  return out;
}

std::set<std::string> modem_ids(const RemoteModems& modems) {
  std::set<std::string> ids;
  for (const auto& [id, modem] : modems) ids.insert(id);
  return ids;
}

scheduler::QueueShare queue_share(const std::string& self,
                                  const std::vector<store::NodeRecord>& nodes,
                                  const std::vector<store::NodeModemRecord>& modems,
                                  TimePoint now) {
  std::map<std::string, std::uint64_t> carrying;
  for (const auto& row : modems) {
    if (can_take_messages(row.snapshot_json)) ++carrying[row.node];
  }
  std::vector<scheduler::NodeWeight> live;
  for (const auto& node : nodes) {
    if (lease_holds(node, now)) live.push_back({node.name, carrying[node.name]});
  }
  return scheduler::share_among(self, std::move(live));
}

std::vector<ModemIdConflict> modem_id_conflicts(const std::string& self,
                                                const std::vector<store::NodeRecord>& nodes,
                                                const std::vector<store::NodeModemRecord>& rows,
                                                TimePoint now) {
  std::set<std::string> live;
  for (const auto& node : nodes) {
    if (node.name != self && lease_holds(node, now)) live.insert(node.name);
  }
  std::vector<ModemIdConflict> out;
  for (const auto& ours : rows) {
    if (ours.node != self) continue;
    const auto our_imei = imei_of(ours.snapshot_json);
    if (our_imei.empty()) continue;
    for (const auto& row : rows) {
      if (row.modem != ours.modem || !live.contains(row.node)) continue;
      auto their_imei = imei_of(row.snapshot_json);
      if (their_imei.empty() || their_imei == our_imei) continue;
      out.push_back({ours.modem, row.node, our_imei, std::move(their_imei), false});
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.modem, a.node) < std::tie(b.modem, b.node);
  });
  // Yields when any of them sorts first (a third node sorting first keeps it from both).
  for (auto& conflict : out) {
    conflict.yields = std::any_of(out.begin(), out.end(), [&](const auto& other) {
      return other.modem == conflict.modem && other.node < self;
    });
  }
  return out;
}

std::string describe_conflict(const ModemIdConflict& conflict) {
  return "modem id " + conflict.modem + " is also node " + conflict.node + "'s (IMEI " +
         conflict.their_imei + "; ours has IMEI " + conflict.our_imei +
         "): modem ids must be unique across nodes (set [[modem]] id, or [[modem]] id_prefix "
         "for a glob); " +
         (conflict.yields ? "this node sends nothing through it until then"
                          : "node " + conflict.node + " sends nothing through its own until then");
}

Error on_other_node(const std::string& modem_id, const RemoteModem& where) {
  std::string text = "modem " + modem_id + " is on node " + where.node;
  if (!where.url.empty()) text += " (" + where.url + ")";
  text += where.node_down ? ", which is not answering its heartbeat: send the request there "
                            "once it is back"
                          : ": send the request there";
  return make_error("modem.on_other_node", std::move(text));
}

std::string describe_take_over(const std::string& node, const store::RecoveryReport& report) {
  return "node " + node +
         " missed its lease: took over its claims: " + std::to_string(report.requeued.size()) +
         " message(s) queued again, " + std::to_string(report.unknown.size()) +
         " left unknown (a part may have left; only that node's SIM can receive the status "
         "report), " +
         std::to_string(report.settled.size()) + " settled by a report that had arrived";
}

NodeRegistry::NodeRegistry(asio::any_io_executor executor, store::StoreWorker& store,
                           NodeRegistryOptions options,
                           std::function<std::vector<store::NodeModemRecord>()> local_modems,
                           std::function<void(const RemoteModems&)> on_remote,
                           std::function<void()> on_recovered)
    : store_(store),
      options_(std::move(options)),
      local_modems_(std::move(local_modems)),
      on_remote_(std::move(on_remote)),
      on_recovered_(std::move(on_recovered)),
      wake_(executor),
      beat_soon_(executor) {}

void NodeRegistry::stop() {
  stopping_ = true;
  wake_.set();
  beat_soon_.set();
}

void NodeRegistry::modems_changed() { beat_soon_.set(); }

const RemoteModem* NodeRegistry::find(const std::string& modem_id) const {
  auto it = remote_.find(modem_id);
  return it == remote_.end() ? nullptr : &it->second;
}

awaitable<void> NodeRegistry::run() {
  const auto interval = heartbeat_interval(options_.lease);
  while (!stopping_) {
    const auto began = std::chrono::steady_clock::now();
    beat_soon_.reset();
    co_await round(std::chrono::system_clock::now());
    if (stopping_) break;
    (void)co_await beat_soon_.wait(interval);
    // An early round (modems_changed) comes at most one a second.
    const auto since = std::chrono::steady_clock::now() - began;
    if (since < kMinInterval && !stopping_) (void)co_await wake_.wait(kMinInterval - since);
  }
}

awaitable<void> NodeRegistry::poll(std::chrono::milliseconds every, std::function<void()> reload) {
  while (!stopping_) {
    co_await wake_.wait(every);
    if (stopping_) break;
    // A node that joined or left changes this node's share of the queue: learnt here
    // rather than at the next heartbeat round, a lease / 3 away.
    co_await read_others(std::chrono::system_clock::now(), false);
    reload();
  }
}

awaitable<void> NodeRegistry::round(TimePoint now) {
  const bool beat = co_await heartbeat(now);
  if (!beat) {
    beating_since_.reset();
  } else if (!beating_since_) {
    beating_since_ = now;
  }
  co_await read_others(now, true);
  if (beating_since_ && now - *beating_since_ >= options_.lease) co_await take_over_expired(now);
}

awaitable<bool> NodeRegistry::heartbeat(TimePoint now) {
  store::NodeRecord self;
  self.name = options_.name;
  self.url = options_.url;
  self.started_at = options_.started_at;
  self.heartbeat_at = now;
  self.lease = options_.lease;
  std::vector<store::NodeModemRecord> modems;
  if (local_modems_) modems = local_modems_();
  for (auto& modem : modems) {
    modem.node = options_.name;
    modem.updated_at = now;
  }
  auto job = [self, modems = std::move(modems), now](Store& s) {
    return s.node_heartbeat(self, modems, now);
  };
  auto beat = co_await store_.call(job);
  if (!beat) spdlog::error("node {}: heartbeat failed: {}", options_.name, beat.error().message);
  co_return beat.ok();
}

awaitable<void> NodeRegistry::read_others(TimePoint now, bool modems) {
  using Rows =
      std::pair<std::vector<store::NodeRecord>, std::optional<std::vector<store::NodeModemRecord>>>;
  auto read = [modems, known = beats_read_](Store& s) -> Result<Rows> {
    auto nodes = s.list_nodes();
    if (!nodes) return nodes.error();
    // A node's modems change only at its heartbeats: read again once one has beaten since.
    const bool changed = std::any_of(nodes->begin(), nodes->end(), [&](const auto& node) {
      const auto it = known.find(node.name);
      return it == known.end() || it->second != node.heartbeat_at;
    });
    if (!modems && !changed) return Rows{std::move(*nodes), std::nullopt};
    auto modem_rows = s.node_modems();
    if (!modem_rows) return modem_rows.error();
    return Rows{std::move(*nodes), std::move(*modem_rows)};
  };
  auto rows = co_await store_.call(read);
  if (!rows) {
    spdlog::error("node {}: cannot read the other nodes: {}", options_.name, rows.error().message);
    co_return;
  }
  if (rows->second) {
    modem_rows_ = std::move(*rows->second);
    beats_read_.clear();
    for (const auto& node : rows->first) beats_read_[node.name] = node.heartbeat_at;
  }
  remote_ = remote_view(options_.name, rows->first, modem_rows_, now);
  const auto share = queue_share(options_.name, rows->first, modem_rows_, now);
  if (share != share_) {
    spdlog::info(
        "node {}: its share of the queue is now {}/{} (its SIMs that can take a message / "
        "those of every live node)",
        options_.name, share.slots(), share.total);
  }
  share_ = share;
  id_conflicts_ = modem_id_conflicts(options_.name, rows->first, modem_rows_, now);
  if (on_remote_) on_remote_(remote_);
}

awaitable<void> NodeRegistry::take_over_expired(TimePoint now) {
  auto list = [now](Store& s) { return s.expired_nodes(now); };
  auto expired = co_await store_.call(list);
  if (!expired) {
    spdlog::error("node {}: cannot read the expired nodes: {}", options_.name,
                  expired.error().message);
    co_return;
  }
  bool moved = false;
  for (const auto& node : *expired) {
    if (stopping_) break;
    auto job = [node, at_least_once = options_.at_least_once, now, matching = options_.matching](
                   Store& s) { return s.take_over(node, at_least_once, now, matching); };
    auto report = co_await store_.call(job);
    if (!report) {
      spdlog::error("node {}: cannot take over node {}: {}", options_.name, node,
                    report.error().message);
      continue;
    }
    spdlog::warn("node {}: {}", options_.name, describe_take_over(node, *report));
    moved = true;
  }
  if (moved && on_recovered_) on_recovered_();
}

}  // namespace smsgw::gateway
