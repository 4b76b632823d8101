// The node registry (tables nodes and node_modems, migration 11): several `smsgw serve`
// on one database each heartbeat their row and their modems; a node whose lease ran out is
// taken over by a live one, which applies the restart rule to the messages it had claimed.
#include <chrono>

#include "store_impl.hpp"

namespace smsgw::store {

Result<void> Store::node_heartbeat(const NodeRecord& self, std::span<const NodeModemRecord> modems,
                                   TimePoint now) {
  return impl_->transaction([&]() -> Result<void> {
    STORE_TRY_ASSIGN(
        auto upsert,
        impl_->q("INSERT INTO nodes (name, url, started_at, heartbeat_at, lease_ms, "
                 "recovered_at) VALUES (?, ?, ?, ?, ?, NULL) ON CONFLICT (name) DO UPDATE SET "
                 "url = excluded.url, started_at = excluded.started_at, heartbeat_at = "
                 "excluded.heartbeat_at, lease_ms = excluded.lease_ms, recovered_at = NULL"));
    STORE_TRY(upsert
                  ->bind_all(self.name, self.url, or_now(self.started_at, now), now,
                             static_cast<std::int64_t>(self.lease.count()))
                  .run());
    STORE_TRY_ASSIGN(auto clear, impl_->q("DELETE FROM node_modems WHERE node = ?"));
    STORE_TRY(clear->bind(1, self.name).run());
    STORE_TRY_ASSIGN(auto insert, impl_->q("INSERT INTO node_modems (node, modem, snapshot, "
                                           "updated_at) VALUES (?, ?, ?, ?)"));
    for (const auto& modem : modems) {
      STORE_TRY(
          insert
              ->bind_all(self.name, modem.modem, modem.snapshot_json, or_now(modem.updated_at, now))
              .run());
    }
    return {};
  });
}

Result<std::vector<NodeRecord>> Store::list_nodes() {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT name, url, started_at, heartbeat_at, lease_ms, recovered_at "
                            "FROM nodes ORDER BY name"));
  std::vector<NodeRecord> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(NodeRecord{query->text(0), query->text(1), query->time(2), query->time(3),
                             std::chrono::milliseconds(query->integer(4)),
                             query->optional_time(5)});
  }
  return out;
}

Result<std::vector<NodeModemRecord>> Store::node_modems() {
  STORE_TRY_ASSIGN(auto query, impl_->q("SELECT node, modem, snapshot, updated_at FROM "
                                        "node_modems ORDER BY node, modem"));
  std::vector<NodeModemRecord> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(NodeModemRecord{query->text(0), query->text(1), query->text(2), query->time(3)});
  }
  return out;
}

Result<std::vector<std::string>> Store::expired_nodes(TimePoint now) {
  STORE_TRY_ASSIGN(auto query,
                   impl_->q("SELECT name FROM nodes WHERE name <> ? AND heartbeat_at + lease_ms < "
                            "? AND recovered_at IS NULL ORDER BY name"));
  query->bind_all(impl_->options.node, now);
  std::vector<std::string> out;
  while (true) {
    STORE_TRY_ASSIGN(const bool row, query->step());
    if (!row) break;
    out.push_back(query->text(0));
  }
  return out;
}

Result<RecoveryReport> Store::take_over(const std::string& node, bool at_least_once, TimePoint now,
                                        const scheduler::MatchOptions& options) {
  if (node == impl_->options.node) {
    return make_error("invalid", "node \"" + node + "\" cannot take itself over");
  }
  return impl_->transaction([&]() -> Result<RecoveryReport> {
    // The check and the mark in one statement, under the writers' lock: of two live nodes
    // that see the same dead one, the first marks it and recovers its messages; the second
    // changes nothing and gets an empty report. A heartbeat that came meanwhile keeps the
    // node alive (its lease has not passed any more).
    STORE_TRY_ASSIGN(auto mark,
                     impl_->q("UPDATE nodes SET recovered_at = ? WHERE name = ? AND heartbeat_at "
                              "+ lease_ms < ? AND recovered_at IS NULL"));
    STORE_TRY(mark->bind_all(now, node, now).run());
    if (impl_->db->changes() == 0) return RecoveryReport{};
    // The restart rule, as the dead node would apply it at its own restart. A message
    // requeued here after some of its parts left through the dead node's SIM stays pinned
    // to that modem (requeue_message pins it): all parts of a message leave through one
    // SIM, and only that SIM can carry the rest. It waits in the queue until its node
    // comes back; if it never does, the message expires with its validity (or an operator
    // cancels it). A message left `unknown` keeps claimed_by = the dead node: only its SIM
    // receives the status reports that may settle it.
    return impl_->recover_claims(Impl::ClaimOwner{node, false}, at_least_once, now, options);
  });
}

}  // namespace smsgw::store
