// Gateway: one node of several sharing a PostgreSQL store (README, "Several hosts"). The
// node registry's heartbeat and take-overs, the [node] poll that reads the queue again,
// and what the API says about the other nodes' modems: listed as their node reported
// them, and every per-modem request for one of them refused with "modem.on_other_node"
// (409) naming the node and its url. Refused rather than forwarded: the nodes hold no
// credentials for each other's APIs, and the client already holds the token of the node
// the message points it to; a forwarded USSD session would also outlive our request
// timeout.
#include <spdlog/spdlog.h>

#include "smsgw/gateway/gateway.hpp"
#include "smsgw/http/json.hpp"

namespace smsgw::gateway {

std::unique_ptr<NodeRegistry> Gateway::make_node_registry() {
  if (!config_.store.shared()) return nullptr;
  NodeRegistryOptions options;
  options.name = config_.node.name;
  options.url = config_.node.url;
  options.lease = config_.node.lease;
  options.at_least_once = config_.store.at_least_once;
  options.matching.window = config_.sms.report_window;
  options.started_at = std::chrono::system_clock::now();
  return std::make_unique<NodeRegistry>(
      executor_, store_, std::move(options), [this] { return local_modem_rows(); },
      [this](const RemoteModems& remote) {
        const auto yielding = apply_id_conflicts();
        std::set<std::string> elsewhere;
        for (const auto& [id, modem] : remote) {
          // One of ours (moved here, or kept in an id conflict) unless this node yields it.
          const auto* here = pool_.find(id);
          const bool ours = here != nullptr && here->snapshot().state != modem::ModemState::absent;
          if (!ours || yielding.contains(id)) elsewhere.insert(id);
        }
        dispatcher_.set_remote_modems(std::move(elsewhere));
        dispatcher_.set_queue_share(nodes_->share());
      },
      [this] { dispatcher_.reload(); });
}

void Gateway::start_node_loops() {
  if (!nodes_) return;
  tasks_.spawn("gateway: node registry", nodes_->run());
  tasks_.spawn("gateway: queue poll",
               nodes_->poll(config_.node.poll, [this] { dispatcher_.reload(); }));
}

void Gateway::request_reload() {
  asio::post(executor_, [this] {
    if (!stopping_) dispatcher_.reload();
  });
}

std::optional<Error> Gateway::elsewhere(const std::string& modem_id) {
  if (!nodes_ || pool_.find(modem_id) != nullptr) return std::nullopt;
  const auto* remote = nodes_->find(modem_id);
  if (remote == nullptr) return std::nullopt;
  return on_other_node(modem_id, *remote);
}

std::set<std::string> Gateway::apply_id_conflicts() {
  std::set<std::string> yielding;
  std::set<std::pair<std::string, std::string>> current;
  for (const auto& conflict : nodes_->id_conflicts()) {
    if (conflict.yields) yielding.insert(conflict.modem);
    auto key = std::make_pair(conflict.modem, conflict.node);
    if (!id_conflicts_.contains(key)) {
      spdlog::error("node {}: {}", config_.node.name, describe_conflict(conflict));
    }
    current.insert(std::move(key));
  }
  for (const auto& [modem, node] : id_conflicts_) {
    if (!current.contains({modem, node})) {
      spdlog::info("node {}: modem id {} is no longer node {}'s too", config_.node.name, modem,
                   node);
    }
  }
  id_conflicts_ = std::move(current);
  dispatcher_.set_id_conflicts(yielding);
  return yielding;
}

void Gateway::note_in_service(const modem::ModemSnapshot& snapshot) {
  if (!nodes_) return;
  const bool in_service = modem::in_service(snapshot.state);
  auto [it, first] = in_service_.try_emplace(snapshot.id, in_service);
  if (!first && it->second == in_service) return;  // ready <-> sending: no change
  it->second = in_service;
  nodes_->modems_changed();
}

std::vector<store::NodeModemRecord> Gateway::local_modem_rows() {
  std::vector<store::NodeModemRecord> rows;
  for (auto* actor : pool_.actors()) {
    store::NodeModemRecord row;
    row.node = config_.node.name;
    row.modem = actor->snapshot().id;
    row.snapshot_json = http::dump(http::json_of(info_of(actor->snapshot())));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<std::pair<std::string, const RemoteModem*>> Gateway::remote_modems() {
  std::vector<std::pair<std::string, const RemoteModem*>> out;
  if (!nodes_) return out;
  for (const auto& [id, remote] : nodes_->remote()) {
    // Moved here since its node last reported it, unless it is another modem with our id.
    const bool here = pool_.find(id) != nullptr;
    if (here && !id_conflicts_.contains({id, remote.node})) continue;
    out.emplace_back(id, &remote);
  }
  return out;
}

std::vector<http::ModemInfo> Gateway::remote_modem_infos() {
  std::vector<http::ModemInfo> out;
  for (const auto& [id, remote] : remote_modems()) {
    http::ModemInfo info;
    info.id = id;
    info.node = remote->node;
    info.snapshot_json = remote->snapshot_json;
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<http::BalanceResult> Gateway::remote_balance_entries() {
  std::vector<http::BalanceResult> out;
  for (const auto& [id, remote] : remote_modems()) {
    http::BalanceResult entry;
    entry.modem = id;
    entry.error = "not checked: " + on_other_node(id, *remote).message;
    out.push_back(std::move(entry));
  }
  return out;
}

}  // namespace smsgw::gateway
