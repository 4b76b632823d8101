// NodeRegistry: this process as one node of several sharing a PostgreSQL store (README,
// "Several hosts"; pg-design decisions 8-10).
//
// Contract:
// - Active only with a shared store ([store] url); the gateway creates none with SQLite.
// - Every lease / 3 (heartbeat_interval) one round: the heartbeat (this node's row and its
//   modems, each rendered exactly as a GET /api/v1/modems item), then the other nodes'
//   modems read back (remote_view: kept in a cache for the modems list and for refusing
//   per-modem requests; queue_share: this node's share among the live ones;
//   modem_id_conflicts: ids this node shares with another's modems), then every
//   node whose lease ran out is taken over (take_over: the restart rule applied to its
//   claims; what was recovered is logged as a warning and on_recovered is called so the
//   dispatcher reloads the queue).
// - A store failure in a round is logged and the next round tries again; the cache keeps
//   its last good value meanwhile.
// Single-threaded: runs on the gateway's io_context, the store behind StoreWorker.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/scheduler/dlr_matcher.hpp"
#include "smsgw/scheduler/queue_share.hpp"
#include "smsgw/store/node_records.hpp"
#include "smsgw/store/store_worker.hpp"

namespace smsgw::gateway {

using TimePoint = std::chrono::system_clock::time_point;

// One modem of another node, as that node last reported it.
struct RemoteModem {
  std::string node;
  std::string url;            // the node's [node] url
  std::string snapshot_json;  // its GET /api/v1/modems item (state "absent" once node_down)
  bool node_down = false;     // the node's lease has passed
};

// The other nodes' modems by modem id.
using RemoteModems = std::map<std::string, RemoteModem>;

// ---- Pure parts ------------------------------------------------------------------------

// How often a node heartbeats: a third of its lease (so two beats may be missed).
std::chrono::milliseconds heartbeat_interval(std::chrono::milliseconds lease);

// The modems of the nodes other than `self` from the registry's rows. A modem row of a
// node that has no node row is left out. The snapshot of a node whose lease has passed
// by `now` shows state "absent" (nobody can reach that modem now); the rest is kept as
// stored.
RemoteModems remote_view(const std::string& self, const std::vector<store::NodeRecord>& nodes,
                         const std::vector<store::NodeModemRecord>& modems, TimePoint now);

// Ids of `modems`.
std::set<std::string> modem_ids(const RemoteModems& modems);

// This node's share of the queue (queue_share.hpp) among the nodes whose lease has not
// passed by `now`, itself included, each weighing its SIMs that can take a message as its
// rows in `modems` report them (state ready or sending, not paused).
scheduler::QueueShare queue_share(const std::string& self,
                                  const std::vector<store::NodeRecord>& nodes,
                                  const std::vector<store::NodeModemRecord>& modems, TimePoint now);

// A modem id this node shares with a modem of another live node: modem ids must be unique
// across the nodes of one database (the store knows the SIM a part left through, and
// matches its status reports, by modem id). Two rows with one id and the same IMEI are one
// modem moved between nodes, not a conflict; a row whose IMEI is not known yet is none
// either. Of the nodes sharing an id, the one whose name sorts first keeps sending through
// its modem; on the others it `yields` (takes no new message: README, "Several hosts").
struct ModemIdConflict {
  std::string modem;
  std::string node;  // the other node
  std::string our_imei;
  std::string their_imei;
  bool yields = false;
  friend bool operator==(const ModemIdConflict&, const ModemIdConflict&) = default;
};

// The conflicts of this node's modems with the other live nodes', all as their heartbeats
// stored them in `rows` (the same rows every node reads), by modem id then node.
std::vector<ModemIdConflict> modem_id_conflicts(const std::string& self,
                                                const std::vector<store::NodeRecord>& nodes,
                                                const std::vector<store::NodeModemRecord>& rows,
                                                TimePoint now);

// One line for the log about a conflict, naming both IMEIs and how to resolve it.
std::string describe_conflict(const ModemIdConflict& conflict);

// The answer to a per-modem request (USSD, balance, pause, resume, reset) for a modem of
// another node: code "modem.on_other_node" (HTTP 409), the message naming the node and
// where to send the request. Refused, not forwarded: nodes hold no credentials for each
// other, and the client already holds the token of the node it should ask.
Error on_other_node(const std::string& modem_id, const RemoteModem& where);

// One line for the log about what a take-over recovered.
std::string describe_take_over(const std::string& node, const store::RecoveryReport& report);

// ---- The loop ----------------------------------------------------------------------------

struct NodeRegistryOptions {
  std::string name;  // [node] name
  std::string url;   // [node] url
  std::chrono::milliseconds lease{30'000};
  bool at_least_once = false;        // [store] at_least_once: the restart rule
  scheduler::MatchOptions matching;  // how take_over matches reports that arrived
  TimePoint started_at{};
};

class NodeRegistry {
 public:
  // `local_modems` renders this node's modems for the heartbeat; `on_remote` hears the
  // other nodes' modems after each successful read; `on_recovered` hears that a take-over
  // moved messages (the queue must be read again).
  NodeRegistry(asio::any_io_executor executor, store::StoreWorker& store,
               NodeRegistryOptions options,
               std::function<std::vector<store::NodeModemRecord>()> local_modems,
               std::function<void(const RemoteModems&)> on_remote,
               std::function<void()> on_recovered);

  // Rounds every heartbeat_interval until stop(); the first at once.
  awaitable<void> run();
  // Every `every` until stop() (the [node] poll of the queue: the fallback for missed
  // wake-ups) reads the nodes again (which are alive: this node's share, their modems'
  // states) and calls `reload`; stop() ends it at once.
  awaitable<void> poll(std::chrono::milliseconds every, std::function<void()> reload);
  void stop();
  // This node's modems changed (one came into service or left it): the next round comes
  // now rather than a lease / 3 later, at most one a second, so that the other nodes see
  // this node's weight in the queue's split soon.
  void modems_changed();
  // One round at `now` (run() calls it; tests too).
  awaitable<void> round(TimePoint now);

  // The other nodes' modems as last read.
  const RemoteModems& remote() const { return remote_; }
  // The other node holding `modem_id`, or null when it is none of theirs.
  const RemoteModem* find(const std::string& modem_id) const;
  // This node's share of the queue as of the last read of the nodes (before on_remote).
  const scheduler::QueueShare& share() const { return share_; }
  // This node's modem id conflicts as of the last read of the nodes (before on_remote).
  const std::vector<ModemIdConflict>& id_conflicts() const { return id_conflicts_; }

 private:
  // Returns whether the heartbeat was stored.
  awaitable<bool> heartbeat(TimePoint now);
  // Reads the nodes, and their modems too with `modems` or when a node has beaten since
  // they were last read (they change only at heartbeats), then remote_, share_, the modem
  // id conflicts and on_remote.
  awaitable<void> read_others(TimePoint now, bool modems);
  awaitable<void> take_over_expired(TimePoint now);

  store::StoreWorker& store_;
  NodeRegistryOptions options_;
  std::function<std::vector<store::NodeModemRecord>()> local_modems_;
  std::function<void(const RemoteModems&)> on_remote_;
  std::function<void()> on_recovered_;
  Event wake_;       // set by stop()
  Event beat_soon_;  // set by modems_changed() and stop()
  bool stopping_ = false;
  // Since when this node's heartbeats have been stored without a gap (none: the last one
  // failed). Another node is taken over only after this node has beaten for a whole lease:
  // after a database outage every live node first gets its chance to beat again, so none
  // is taken over for the outage's silence.
  std::optional<TimePoint> beating_since_;
  RemoteModems remote_;
  std::vector<store::NodeModemRecord> modem_rows_;  // as last read
  std::map<std::string, TimePoint> beats_read_;     // each node's heartbeat as of that read
  scheduler::QueueShare share_;
  std::vector<ModemIdConflict> id_conflicts_;
};

}  // namespace smsgw::gateway
