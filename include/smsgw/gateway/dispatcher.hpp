// Dispatcher: carries out the scheduler's decisions. It keeps the queued messages in memory
// (grouped by destination operator and pinned modem, ordered by priority, then the most
// parts first, then age: when the backlog is more than the modems take in one round, the
// long messages start early and the last round is short ones spread over every SIM), hands
// each free modem the message the selection policy picks for it, writes every step to the
// store before it happens on the modem, and applies the retry policy to failures.
//
// Contract:
// - Durability order: a message is claimed and its part marked `sending` (committed)
//   before the part's PDU is written to the modem; the store's restart rule relies on it.
// - One send in flight per modem; all parts of a message leave through one modem, back
//   to back (the modem stays reserved between parts).
// - A failing message goes back to the queue with a back-off and an avoid list, or fails
//   for good; a modem that keeps failing is benched. Nothing waits on one message or one
//   modem: the loop moves on at once.
// - Idle costs nothing: the loop sleeps until a message arrives, a modem becomes free or
//   ready, or the earliest timed event (send_at, back-off, rate limit, fallback wait).
// Single-threaded: all of it runs on the gateway's io_context.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "smsgw/common/event.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/task_group.hpp"
#include "smsgw/gateway/queued_message.hpp"
#include "smsgw/modem/part_sender.hpp"
#include "smsgw/scheduler/local_calendar.hpp"
#include "smsgw/scheduler/operators.hpp"
#include "smsgw/scheduler/policy.hpp"
#include "smsgw/scheduler/queue_share.hpp"
#include "smsgw/scheduler/rate_limiter.hpp"
#include "smsgw/scheduler/retry_policy.hpp"
#include "smsgw/store/records.hpp"
#include "smsgw/store/store_worker.hpp"

namespace smsgw::gateway {

// What the dispatcher reports about sends (metrics, webhooks).
struct DispatchObserver {
  virtual ~DispatchObserver() = default;
  // After a message's status changed in the store (sent, failed, expired, requeued...).
  virtual void on_message_status(const std::string& id, store::MessageStatus status,
                                 const std::string& modem) = 0;
  // After a part's +CMGS (seconds since the message was accepted).
  virtual void on_part_sent(const std::string& modem, double seconds_since_accepted) = 0;
  virtual void on_part_failed(const std::string& modem, const Error& error) = 0;
};

// [[sim]] settings the dispatcher applies to a SIM wherever it is plugged in.
struct SimOverrides {
  scheduler::Limits limits;   // over the modem's and the operator's, key by key
  std::string operator_name;  // over the IMSI's operator; empty = the IMSI's
  bool enabled = true;        // false: the SIM carries nothing
};

struct DispatcherOptions {
  scheduler::RoutingOptions routing;
  scheduler::RetryOptions retry;
  scheduler::HealthOptions health;
  scheduler::LocalCalendar calendar;
  // Per-SIM limits of each operator ([[operator]] limits); a modem's own limits override
  // them key by key.
  std::map<std::string, scheduler::Limits> operator_limits;
  // [[sim]] tables by ICCID.
  std::map<std::string, SimOverrides> sims;
  std::chrono::milliseconds expiry_sweep{1000};
  // While messages wait for a limit or the fallback wait and nothing else happens, how
  // often the loop looks again.
  std::chrono::milliseconds recheck{200};
  // How a status report that arrived before a part was given up on is matched to it
  // (config sms.report_window).
  scheduler::MatchOptions report_matching;
  // sms.after_settle = "resend": a part of unknown outcome no report settled within this
  // long (sms.settle_unknown) is sent again through the same SIM, once; nullopt ("keep"):
  // it stays unknown. Checked with the expiry sweep.
  std::optional<scheduler::Clock::duration> resend_unsettled_after;
  // Memory stays bounded whatever the backlog: each queue group (store::queue_group) keeps
  // at most this many ready messages in memory, in its order; the rest wait in the store
  // and are read by index when the group's window runs below half.
  std::size_t group_window = 2000;
  // At most this many messages not yet due (send_at) are held in memory; the others are
  // read from the store when they come due.
  std::size_t deferred_window = 10000;
  // Several nodes read the same queue: a free SIM with none of its node's share
  // (set_queue_share) left at the leading rank takes a message at random among the first
  // `claim_spread` of equal priority and parts (instead of the very first), so that the
  // nodes do not all claim the same head message and lose the race to each other (each
  // lost claim is a store round and an idle modem). 1: strict order (one node).
  std::size_t claim_spread = 1;
  // The queue is shared with other nodes: a group's window read from the store also drops
  // the messages this node holds that another node claimed meanwhile (prune_group).
  bool shared_queue = false;
};

// The claim spread of a node on a shared store.
inline constexpr std::size_t kSharedClaimSpread = 16;
// A group starved of this node's share is read again at most this often.
inline constexpr std::chrono::milliseconds kStarvedRefillGap{250};

class Dispatcher {
 public:
  Dispatcher(asio::any_io_executor executor, store::StoreWorker& store,
             const scheduler::OperatorTable& operators, DispatcherOptions options,
             DispatchObserver& observer);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Loads the store's queue (after its restart recovery) and dispatches until stop();
  // returns once the sends in flight and its store jobs have ended.
  awaitable<void> run();
  // No new sends start; those in flight go on to their end.
  void stop();
  // Returns once no send is in flight: at once when none is, else when the last one has
  // ended (its outcome recorded). After stop() that is the end of sending.
  awaitable<void> sends_ended() { co_await sends_.join(); }

  // New options (a config reload). Limits change at once and keep what was counted; with
  // `calendar_changed` every SIM's counters are read again in the new calendar. Messages
  // in the queue keep the destination operator they were given.
  void reconfigure(DispatcherOptions options, bool calendar_changed);
  // New [[modem]] limits for one modem (a config reload).
  void set_modem_limits(const std::string& modem_id, scheduler::Limits limits);
  // Returns once the modem has no send in flight (at once when it has none).
  awaitable<void> until_idle(std::string modem_id);

  // A modem joins or leaves the pool. The modem must outlive its attachment: until detach()
  // and the end of its send in flight (sends_ended()).
  void attach(modem::PartSender& modem, scheduler::Limits limits);
  void detach(const std::string& modem_id);
  // The modem's snapshot changed (state, identity): re-evaluate its SIM.
  void modem_changed(const modem::ModemSnapshot& snapshot);
  // The reasons a SIM takes no new message, each set and cleared on its own; the SIM sends
  // when none is set. A message in flight finishes, all its parts (contract.md); messages
  // pinned to a paused SIM wait in the queue (they are not failed), others go to other SIMs.
  // Low balance (BalanceMonitor):
  void set_paused(const std::string& modem_id, bool paused);
  // Switched off by configuration ([[sim]] enabled = false): DispatcherOptions::sims,
  // applied by reconfigure().
  // Paused by hand (POST /api/v1/modems/{id}/pause): by ICCID, since the pause belongs to
  // the SIM whichever modem holds it.
  void set_manual_pause(const std::string& iccid, bool paused);
  // Its modem id is also another node's modem, which keeps it (NodeRegistry,
  // ModemIdConflict): by modem id, set at every read of the nodes.
  void set_id_conflicts(const std::set<std::string>& modem_ids);

  // A message was stored as queued: dispatch it.
  void enqueue(QueuedMessage message);
  // A message the store moved back to queued (a report settled its unknown part and parts
  // are left): read it and dispatch it.
  awaitable<void> enqueue_from_store(std::string id);
  // A queued message was cancelled: forget it.
  void forget(const std::string& id);

  // ---- Several nodes on one store (src/gateway/dispatcher_nodes.cpp) ----
  // Reads every queue group's window from the store again (another node queued, requeued
  // or released messages: a LISTEN/NOTIFY wake-up or the [node] poll). Coalesced: at most
  // one load runs; a call while it runs queues exactly one more. Memory stays within the
  // windows (messages already in memory or in flight are skipped).
  void reload();
  // The modems of other nodes. Messages pinned to one of them are never held in memory
  // (nor failed as an unknown modem): they stay queued in the store for their node. Those
  // in memory are dropped when their modem becomes remote; a modem that stops being remote
  // (its node's modems changed) triggers a reload.
  void set_remote_modems(std::set<std::string> modems);
  const std::set<std::string>& remote_modems() const { return remote_modems_; }
  // This node's share of the shared queue (queue_share.hpp): of the messages of equal
  // rank, a free SIM takes those of its share first; when the window in memory holds none
  // of them any more, the group is read again from the store (at most every
  // kStarvedRefillGap), which drops what the other nodes sent meanwhile.
  void set_queue_share(scheduler::QueueShare share);

  struct SimStatus {
    std::uint32_t sent_today = 0;
    std::optional<std::uint32_t> per_day;
    std::size_t queue = 0;  // messages pinned to it
    bool busy = false;
    // Pause reasons (see set_paused above), and benched: resting after failures in a row.
    bool manual = false;
    bool disabled = false;  // [[sim]] enabled = false
    bool low_balance = false;
    bool id_conflict = false;
    bool benched = false;
    std::string operator_name;
    std::optional<std::uint32_t> per_month;
    std::uint32_t sent_this_month = 0;
  };
  std::optional<SimStatus> sim_status(const std::string& modem_id) const;
  // Messages held in memory (bounded by the windows), for tests and benchmarks.
  std::size_t messages_in_memory() const { return messages_.size(); }

 private:
  struct Slot;
  using QueueKey = std::tuple<int, std::int64_t, std::string>;  // (-priority, -parts, id)
  using Queue = std::set<QueueKey>;
  static QueueKey key_of(const QueuedMessage& message);

  std::string group_of(const QueuedMessage& message) const;
  void place(QueuedMessage message);
  // Reads message `id` from the store and places it (also while its send is ending).
  awaitable<void> place_from_store(std::string id);
  void unqueue(const QueuedMessage& message);
  void wake() { wake_.set(); }

  // Reads every queue group's window from the store (at start, and when a message that
  // was left in the store comes due).
  awaitable<void> load_from_store();
  // Reads up to group_window due messages of `group` by index, skipping those in memory.
  awaitable<void> load_group(std::string group, TimePoint now);
  // Starts load_from_store as a job unless one runs (loading_), then again while reload()
  // asked for one meanwhile.
  void start_load();
  // A message pinned to another node's modem (it stays in the store for that node).
  bool pinned_elsewhere(const QueuedMessage& message) const;
  // Shared queue: drops the messages of `group` held since before placement `read_from`
  // that are due, fresh and missing from `page` (the group's due messages in queue order,
  // all of them unless `full`, then up to its last): another node claimed them.
  void prune_group(const std::string& group, const std::vector<store::StoredMessage>& page,
                   bool full, std::uint64_t read_from);
  // Starts a refill of each group that left messages in the store and runs low.
  void refill_low_groups();
  awaitable<void> sweep_expired(TimePoint now);
  std::optional<TimePoint> dispatch_round(TimePoint now);
  // The heads of every group a free SIM chooses from: the first of each group, and on a
  // shared queue also the first of this node's share further on (queue_share.hpp). A group
  // whose heads hold none of this node's share is marked starved_.
  void collect_heads(std::vector<std::pair<QueueKey, const QueuedMessage*>>& heads);
  static constexpr std::size_t kHeadsPerGroup = 4;  // candidates from the head of each group
  // Orders the round's sorted heads: in the leading run of equal rank, this node's share
  // first; without any, DispatcherOptions::claim_spread (a random one of the first).
  void spread_heads(std::vector<std::pair<QueueKey, const QueuedMessage*>>& heads);
  std::vector<scheduler::SimView> sim_views(TimePoint now) const;
  // Claims `message` for `modem_id` and sends its parts; `charge`: what choosing it cost
  // the SIM's limiter, refunded when the claim fails (nothing was sent).
  awaitable<void> send(std::string modem_id, QueuedMessage message,
                       scheduler::RateLimiter::Charge charge);
  awaitable<void> after_failure(Slot& slot, QueuedMessage message, const modem::PartResult& result,
                                int part_index);
  // The slot's operator, limits and [[sim]] settings from its modem's snapshot and the
  // options; a new SIM's counters are read from the store.
  void refresh_operator(Slot& slot);
  void restore_usage(const std::string& modem_id, const std::string& iccid);
  // dispatcher_pauses.cpp: the SIM's ICCID (as its modem last reported it) and its pauses.
  static const std::string& iccid_of(const Slot& slot);
  bool manually_paused(const Slot& slot) const;
  bool id_conflict(const Slot& slot) const;  // its modem id is in id_conflicts_
  bool paused(const Slot& slot) const;
  // After a claim of `id` on `modem_id` answered "unavailable" (its COMMIT may have gone
  // through although the answer was lost): once the store answers, a claim of ours that
  // did commit is given back (requeued: nothing was written to the modem). Returns whether
  // the message is queued, i.e. still this node's to place.
  awaitable<bool> give_back_claim(std::string id, std::string modem_id);
  // Runs a store job that records what already happened on a modem (dispatcher.cpp).
  template <class Job>
  awaitable<std::invoke_result_t<Job&, store::Store&>> record(Job job, bool deferred = false);
  // The send of `id` on `modem_id` ended: the modem is free again.
  void release(const std::string& modem_id, const std::string& id);

  asio::any_io_executor executor_;
  store::StoreWorker& store_;
  const scheduler::OperatorTable& operators_;
  DispatcherOptions options_;
  DispatchObserver& observer_;
  scheduler::SelectionPolicy policy_;
  scheduler::RetryPolicy retry_;
  Event wake_;
  TaskGroup sends_;  // one per message being sent
  TaskGroup jobs_;   // store reads off the loop: queue loads, expiry sweeps, daily counts
  bool stopping_ = false;
  bool sweeping_ = false;
  bool loading_ = false;
  bool reload_queued_ = false;  // reload() was called while a load ran
  std::mt19937_64 random_{std::random_device{}()};

  std::map<std::string, std::unique_ptr<Slot>> slots_;       // by modem id
  std::unordered_map<std::string, QueuedMessage> messages_;  // queued, held in memory
  std::map<std::string, Queue> ready_;                       // group -> due messages
  std::multimap<TimePoint, std::string> deferred_;           // not yet due
  std::set<std::string> spilled_;        // groups with due messages in the store, not in memory
  std::set<std::string> refilling_;      // groups being read from the store
  std::set<std::string> in_flight_;      // claimed, being sent
  std::set<std::string> manual_pauses_;  // ICCIDs paused by hand
  std::set<std::string> id_conflicts_;   // modem ids another node keeps (set_id_conflicts)
  std::set<std::string> remote_modems_;  // modems of other nodes (set_remote_modems)
  scheduler::QueueShare share_;          // set_queue_share
  // Groups whose heads held none of this node's share, and when each was last read for it.
  std::set<std::string> starved_;
  std::map<std::string, std::chrono::steady_clock::time_point> starved_read_at_;
  std::uint64_t dispatch_cursor_ = 0;
  std::uint64_t placements_ = 0;  // QueuedMessage::placed
  TimePoint next_store_check_{};
};

}  // namespace smsgw::gateway
