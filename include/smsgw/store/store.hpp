// Store: the gateway's durable memory, one SQLite database file.
//
// Contract:
// - Synchronous calls on one thread at a time: in the gateway, the StoreWorker's thread
//   (store_worker.hpp), which owns the Store; no locking inside (the object is not
//   thread-safe). Expected failures are Result values with Error.code (and Error.kind,
//   error_code.hpp, for the codes callers branch on):
//     "not_found"    ErrorCode::not_found: no such message / part
//     "conflict"     ErrorCode::conflict: the state forbids it (cancel once sending began,
//                    claim of a message that is not queued, idempotency key reused with
//                    another fingerprint)
//     "invalid"      a bad argument (a message without parts, an unknown part index)
//     "unavailable"  the database is busy, full or failing I/O; try again later
//     "store.schema" the file was written by a newer smsgw (refused at open)
//     "store.error"  any other SQLite failure (the message carries SQLite's text)
//   The last four are free-form (kind `other`): callers treat them alike.
// - Durability: WAL journal, synchronous=FULL, foreign keys on. When a call that writes
//   returns success, its rows survive a process kill and a power cut. Each public call
//   that writes is one transaction (one fsync), or one savepoint of the StoreWorker's
//   batch (begin_batch).
// - Status changes follow the table in transitions.hpp; a move it does not list is
//   refused with "conflict".
// - Schema: numbered migrations (PRAGMA user_version), applied at open in one transaction;
//   a database newer than this code is refused with "store.schema".
// - Ids are ULIDs (ulid.hpp): sorting by id sorts by creation time.
//
// Restart rule (docs/store.md): call recover_after_restart() once at start, before the
// dispatcher runs. Parts left `sending` by the previous process may have left the modem.
//   at_least_once = false (default): those parts become `unknown`, their message `unknown`
//     with error "unknown outcome: ...", an event "recovered" says so; nothing is resent.
//   at_least_once = true: those parts are requeued with the message (event "recovered"
//     saying they may be sent twice).
// A `sending` message none of whose parts reached `sending` is requeued in both modes (no
// PDU can have left). Queued messages simply go on. A message requeued (here or by
// requeue()) after some of its parts left is pinned to the modem they left through: all
// parts of one message leave through one SIM (contract.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/scheduler/dlr_matcher.hpp"
#include "smsgw/store/node_records.hpp"
#include "smsgw/store/records.hpp"
#include "smsgw/store/smpp_records.hpp"

namespace smsgw::store {

struct StoreOptions {
  std::chrono::milliseconds busy_timeout{5000};
  // Migrate only up to this version (tests build older databases); default: latest.
  std::optional<int> schema_version;
  // Identical inbound PDUs from one modem within this window are one message (modems
  // re-deliver after a reset when the SIM was not cleared in time).
  std::chrono::milliseconds inbound_dedupe_window = std::chrono::hours(24);
  // This process's node name ([node] name): claims record it (messages.claimed_by), the
  // restart rule and outbox claims apply to it. "" for a store used by one process only.
  std::string node{};
  // PostgreSQL only: a libpq password file ([store] password_file); empty = libpq's own
  // PGPASSFILE or ~/.pgpass.
  std::filesystem::path password_file{};
};

class Store {
 public:
  // Opens (creating when absent) and migrates the database at `path`.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& path,
                                             StoreOptions options = {});
  // Opens (migrating) the PostgreSQL database at `url` (a libpq URI or conninfo string;
  // docs/store.md): the shared store of several nodes.
  static Result<std::unique_ptr<Store>> open_url(const std::string& url, StoreOptions options = {});
  // The schema version this code writes.
  static int latest_schema_version();

  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  int schema_version() const;
  // Transactions committed through this object (each is one fsync); for tests and metrics.
  std::uint64_t commit_count() const;
  // The SQLite database file this store was opened on; empty for a PostgreSQL store
  // (open_url), which has no file.
  const std::filesystem::path& path() const;

  // ---- Batches (StoreWorker) ------ ----------------------------------------------------

  // begin_batch() opens one outer transaction; every call until commit_batch() runs in it,
  // each in a savepoint of its own (a failing call undoes only its own writes), and
  // commit_batch() commits them all with ONE fsync. Nothing written in a batch is durable
  // before commit_batch() succeeds; if it fails, nothing of the batch was stored.
  Result<void> begin_batch();
  Result<void> commit_batch();
  // Inside a batch: a job of several calls that must stand or fall together.
  // end_job(false) undoes everything since begin_job().
  Result<void> begin_job();
  Result<void> end_job(bool keep);

  // ---- Submissions ---------------------------------------------------------------------

  // Generates a fresh ULID for `now` (monotonic within this Store).
  std::string new_id(TimePoint now);

  // Stores all messages (parts, "queued" events) and the idempotency record in ONE
  // transaction, or nothing. Returns the ids in order. With an idempotency record whose key
  // exists: same fingerprint -> result.replay set and nothing stored; other fingerprint ->
  // "conflict".
  Result<SubmissionResult> insert_messages(
      std::span<const NewMessage> messages,
      const std::optional<IdempotencyRecord>& idempotency = std::nullopt);
  // The stored record for an idempotency key, if any.
  Result<std::optional<IdempotencyRecord>> find_idempotency(const std::string& key);
  // Deletes idempotency records created before `cutoff`; returns how many.
  Result<std::int64_t> purge_idempotency(TimePoint cutoff);

  // ---- Queue (dispatcher) --------------------------------------------------------------

  // The queue groups (queue_group()) that hold queued messages, in order; found by index
  // (one step per group), not by reading the queue.
  Result<std::vector<std::string>> queue_groups();
  // Up to `limit` messages of one queue group ready to send at `now` (queued, send_at <=
  // now or none, next_attempt_at <= now or none, not expired), in the dispatcher's order:
  // priority desc, parts desc (longest first), id (creation) asc; by index. Parts are not
  // filled.
  Result<std::vector<StoredMessage>> due_in_group(const std::string& group, TimePoint now,
                                                  std::size_t limit);
  // The earliest future time a queued message becomes due (send_at / next_attempt_at), for
  // the dispatcher's sleep; none when nothing is waiting.
  Result<std::optional<TimePoint>> next_due_time(TimePoint now);
  // Queued messages whose validity ended by `now` become `expired` (event each); returns ids.
  Result<std::vector<std::string>> expire_due(TimePoint now);

  // The message's transitions (transitions.hpp), each one transaction.
  //
  // claim: queued -> sending for `modem`: attempts + 1, the queued parts get the modem
  // (they stay queued until part_sending), event "claimed". Returns the message with all
  // parts. "conflict" unless queued.
  Result<StoredMessage> claim_message(const std::string& id, const std::string& modem,
                                      TimePoint now);
  // claim, `count` added to the SIM's daily counter, and the first queued part -> sending,
  // in one transaction: commit it before writing that part's PDU. Returns the message
  // with that part `sending`.
  Result<StoredMessage> begin_send(const std::string& id, const std::string& modem, TimePoint now,
                                   const std::optional<DailyCount>& count = std::nullopt);
  // queued -> sending for one part of a claimed message. Call it (and let it commit) right
  // before writing the PDU to the modem: the restart rule trusts it. "conflict" unless the
  // part is queued and the message sending.
  Result<void> part_sending(const std::string& id, int index, TimePoint now);
  // Records +CMGS success of one part (-> sent, mr, sent_at) and, with `next_index`, marks
  // that part `sending` in the same transaction. When every part is settled (sent,
  // delivered, or failed by a status report) the message becomes `sent` (sent_at, event
  // "sent") and is rolled up at once. Returns the message status after it.
  Result<MessageStatus> part_sent(const std::string& id, int index, int mr, TimePoint now,
                                  std::optional<int> next_index = std::nullopt);
  // A part's send failed (-> failed, error). The message stays `sending`: the dispatcher
  // then requeues or fails it (or passes the failure to requeue()/fail()/expire(), which
  // record it in their own transaction).
  Result<void> part_failed(const std::string& id, int index, const std::string& error,
                           TimePoint now);
  // The outcome of a part's send is unknown (timeout after the PDU was written).
  Result<void> part_unknown(const std::string& id, int index, const std::string& error,
                            TimePoint now);
  // sending (or queued) -> queued again with next_attempt_at and last_error (attempts is
  // not changed: the next claim counts); parts not known to be sent (queued, sending,
  // failed, unknown) -> queued; sent/delivered parts are kept. The dispatcher requeues an
  // unknown part only to resend it (store.at_least_once), so it must be sendable again.
  // `part`, when given, is recorded first (part_failed / part_unknown). Event "requeued".
  // "conflict" when the message is sent or final.
  Result<void> requeue(const std::string& id, TimePoint next_attempt_at, const std::string& error,
                       TimePoint now, const std::optional<PartFailure>& part = std::nullopt);
  // queued/sending -> failed (permanent; parts not sent -> failed), `part` recorded first.
  // "conflict" if final.
  Result<void> fail(const std::string& id, const std::string& error, TimePoint now,
                    const std::optional<PartFailure>& part = std::nullopt);
  // sending -> unknown: `part` (outcome unknown) recorded first; the message's parts not
  // yet sent stay queued, so it is not `failed` for something that may have arrived.
  // Event "unknown". A status report that already arrived for the part (kept unmatched:
  // its MR was not known) settles it at once (scheduler::match_unknown_part). Returns the
  // message's status after: unknown, or what the report made it (sent, delivered,
  // failed, queued for its remaining parts). "conflict" unless sending.
  Result<MessageStatus> leave_unknown(const std::string& id, const std::string& error,
                                      TimePoint now, const PartFailure& part,
                                      const scheduler::MatchOptions& options = {});
  // sms.after_settle = "resend": every `unknown` message with a part of unknown outcome
  // whose send began before `began_before` (no report settled it within settle_unknown)
  // and that was not resent yet is queued again, pinned to the SIM the part went to; the
  // part is marked so that it is resent once only. Event "resend". Returns their ids.
  Result<std::vector<std::string>> resend_unsettled(TimePoint began_before, TimePoint now);
  // queued/sending -> expired (the validity period ended), `part` recorded first.
  // "conflict" otherwise.
  Result<void> expire(const std::string& id, TimePoint now,
                      const std::optional<PartFailure>& part = std::nullopt);
  // queued -> cancelled; "conflict" once sending has begun or the message is final;
  // "not_found" for an unknown id. Returns the message (parts filled; they keep their
  // status, the dispatcher never claims a cancelled message).
  Result<StoredMessage> cancel(const std::string& id, TimePoint now);
  // Appends one event to a message's log.
  Result<void> append_event(const std::string& id, const std::string& kind,
                            const std::string& detail_json, TimePoint now);

  // ---- Delivery reports ----------------------------------------------------------------

  // Parts sent through `modem` with TP-MR `mr` at or after `since`, newest first, whatever
  // their status (the 8-bit MR wraps, so older sends may share it).
  Result<std::vector<ReportCandidate>> report_candidates(const std::string& modem, int mr,
                                                         TimePoint since);
  // Applies a report to a part: TP-ST classified by classify_report_status() moves the part
  // by the table (delivered: delivered_at = report.received_at; pending: stays; failed:
  // failed); a part already delivered or failed keeps its status. Then the message is
  // rolled up (roll_up()) and an event "report" appended. Returns the message status.
  Result<MessageStatus> record_report(const std::string& id, int index,
                                      const DeliveryReport& report);
  // A report as it arrives, in one transaction: the candidates sent through its modem with
  // its MR within options.window, the one scheduler::match_status_report() picks gets the
  // report (record_report), or the report is kept as unmatched.
  Result<ReportSettlement> settle_report(const DeliveryReport& report,
                                         const scheduler::MatchOptions& options = {});
  // Keeps a report no part matched.
  Result<std::int64_t> store_unmatched_report(const DeliveryReport& report);
  Result<std::vector<DeliveryReport>> unmatched_reports(std::size_t limit);

  // ---- Restart -------------------------------------------------------------------------

  // Applies the restart rule in the header comment. One transaction. A part left unknown
  // is settled at once by a report that arrived for it meanwhile (see leave_unknown).
  Result<RecoveryReport> recover_after_restart(bool at_least_once, TimePoint now,
                                               const scheduler::MatchOptions& options = {});

  // ---- Reading -------------------------------------------------------------------------

  // One message with its parts and events; "not_found" for an unknown id.
  Result<StoredMessage> get_message(const std::string& id);
  // Newest first, with parts; `next_before` set when more may follow.
  Result<MessagePage> list_messages(const ListQuery& query);
  // Count of messages in every status (all statuses listed, zeros included).
  Result<std::vector<std::pair<MessageStatus, std::int64_t>>> count_by_status();

  // ---- Inbound -------------------------------------------------------------------------

  // Stores a received part. Concatenated parts join the incomplete message with the same
  // (modem, sender, ref, total) received within the dedupe window; a part already present
  // is a duplicate. A single-part message identical (modem, PDU) to one received within the
  // window is a duplicate. Returns whether the message is now complete and its text.
  Result<InboundStoreResult> store_inbound(const InboundPart& part);
  // Received messages newest first (text reassembled from the parts present).
  Result<InboxPage> list_inbox(int limit, const std::optional<std::string>& before);
  // The same with filters (since by the id range: ids are ULIDs of the receive time; from
  // and modem by index).
  Result<InboxPage> list_inbox(const InboxQuery& query);

  // ---- SIMs, balances, daily counters, webhooks ----------------------------------------

  // Inserts or refreshes a SIM (first_seen kept; other fields updated when given).
  Result<void> upsert_sim(const SimSeen& sim);
  Result<std::vector<SimSeen>> list_sims();
  Result<void> record_balance(const BalanceRecord& balance);
  Result<std::optional<BalanceRecord>> latest_balance(const std::string& iccid);
  Result<std::vector<BalanceRecord>> balance_history(const std::string& iccid, std::size_t limit);

  // Manual pauses (table sim_pauses, src/store/sim_pauses.cpp). pause_sim keeps the first
  // pause of a SIM already paused (its who and when) and returns the pause in force;
  // resume_sim returns whether a pause was removed.
  Result<SimPause> pause_sim(const SimPause& pause);
  Result<bool> resume_sim(const std::string& iccid);
  Result<std::vector<SimPause>> sim_pauses();

  // Per-SIM sent counters per day, so per-day limits survive a restart. `day` is the
  // caller's local day number (e.g. days since the epoch in the gateway's time zone).
  Result<std::int64_t> add_daily_sent(const std::string& iccid, std::int64_t day,
                                      std::int64_t count);
  Result<std::int64_t> daily_sent(const std::string& iccid, std::int64_t day);
  // The SIM's sent parts on `day` and on days [month_first_day, day], and the distinct
  // recipients of `day`. Also forgets recipients of days before `month_first_day`.
  Result<SimUsage> sim_usage(const std::string& iccid, std::int64_t day,
                             std::int64_t month_first_day);

  // A dlr_url row's event is stored as kDlrUrlEvent whatever `event` says (records.hpp).
  Result<std::int64_t> enqueue_webhook(const std::string& event, const std::string& payload_json,
                                       const std::string& url, TimePoint now,
                                       WebhookKind kind = WebhookKind::webhook,
                                       const std::optional<std::string>& client = std::nullopt);
  // The event journal (event_journal.cpp). append_journal appends `events` in order, with
  // consecutive ids, and returns the first one's id; now and then it trims the journal to
  // its newest kEventsKept entries (never the newest).
  static constexpr std::int64_t kEventsKept = 100'000;
  Result<std::int64_t> append_journal(std::span<const NewJournalEvent> events, TimePoint at);
  // Up to `limit` events with id > after, ascending.
  Result<std::vector<JournalEvent>> journal_after(std::int64_t after, int limit);
  Result<JournalBounds> journal_bounds();

  // A message's client, reference, callback URL, recipient, parts and last error;
  // "not_found" for an unknown id.
  Result<MessageTags> message_tags(const std::string& id);
  // The SMPP or sendsms origin of a message (src/store/message_origins.cpp); none for a
  // REST submission, "not_found" when the message does not exist.
  Result<std::optional<MessageOrigin>> message_origin(const std::string& id);
  // Parts of the messages API client `client` submitted at or after `since` (its per_day
  // limit after a restart); by the messages_by_client index, ids being time-ordered ULIDs.
  Result<std::int64_t> client_parts_since(const std::string& client, TimePoint since);
  // ---- SMPP (issue 13; src/store/smpp_parts.cpp, smpp_outbox.cpp) ----------------------

  // Stores one part of a client-split message (one transaction). The group's message id is
  // the one its first stored part brought (`part.message_id` when the group is new); a seq
  // already stored is a duplicate: nothing changes and the same id is answered. The caller
  // assembles the group once complete (assemble_smpp_group).
  Result<SmppPartResult> store_smpp_part(const SmppPart& part);
  // The group's parts in seq order (empty when it has none, e.g. already assembled).
  Result<std::vector<SmppPart>> smpp_group_parts(const SmppGroupKey& key);
  // In ONE transaction: deletes the group's parts (those carrying `message.id`) and inserts
  // `message` (built by the gateway, with the group's id and an smpp origin); with
  // `fail_error` the message then fails at once by the transition table (queued -fail->
  // failed, event "failed"), which writes its receipt row if one is asked. Returns false,
  // and stores nothing, when the group has no parts left (already assembled).
  Result<bool> assemble_smpp_group(const SmppGroupKey& key, const NewMessage& message,
                                   const std::optional<std::string>& fail_error, TimePoint now);
  // Groups to finish: complete ones, and those whose first part arrived before `cutoff`.
  Result<std::vector<SmppGroupState>> smpp_groups_to_finish(TimePoint cutoff);

  // Up to `limit` outbox rows of `client` due at `now` (next_attempt_at <= now), oldest
  // (lowest id) first, leaving out `excluding` (rows claimed by a bind of this node); by
  // index. One transaction: rows another node claimed until after `now` are left out, the
  // rows read (the excluded ones met on the way too) are claimed for this node until
  // `claim_until`, so that of several nodes one delivers each row. smpp_delivery_done /
  // smpp_delivery_failed end the claim.
  Result<std::vector<SmppDelivery>> due_smpp_deliveries(const std::string& client, TimePoint now,
                                                        std::size_t limit,
                                                        std::span<const std::int64_t> excluding,
                                                        TimePoint claim_until);
  // The row leaves the outbox (delivered, or dropped). Deleting a missing row is no error.
  Result<void> smpp_delivery_done(std::int64_t id);
  // attempts + 1, last_error, tried again at `next_attempt_at`. "not_found" for no row.
  Result<void> smpp_delivery_failed(std::int64_t id, const std::string& error,
                                    TimePoint next_attempt_at);
  // Rows waiting in the outbox (smsgw_smpp_outbox_pending).
  Result<std::int64_t> smpp_outbox_pending();

  // Undelivered webhooks with next_attempt_at <= now, oldest first (rows another node
  // holds a live claim on left out).
  Result<std::vector<WebhookDelivery>> due_webhooks(TimePoint now, std::size_t limit);
  // The same, claimed for this node until `claim_until` (one transaction): rows claimed by
  // another node whose claim has not run out are left out, so a webhook leaves once across
  // nodes. webhook_delivered / webhook_failed end the claim.
  Result<std::vector<WebhookDelivery>> claim_due_webhooks(TimePoint now, TimePoint claim_until,
                                                          std::size_t limit);
  // How many deliveries are pending and when the first of them was enqueued (/metrics).
  // Reads only the pending rows, through the webhook_due index.
  Result<WebhookBacklog> webhook_backlog();
  Result<void> webhook_delivered(std::int64_t id, TimePoint now);
  // attempts + 1, last_error; next_attempt_at none = give up.
  Result<void> webhook_failed(std::int64_t id, const std::string& error,
                              std::optional<TimePoint> next_attempt_at);

  // ---- Nodes (several smsgw serve on one database; src/store/nodes.cpp) ---------------

  // This node's heartbeat: upserts its row (heartbeat_at = now, recovered_at cleared) and
  // replaces its modem rows with `modems`, in one transaction.
  Result<void> node_heartbeat(const NodeRecord& self, std::span<const NodeModemRecord> modems,
                              TimePoint now);
  Result<std::vector<NodeRecord>> list_nodes();
  // Every node's modems (this node's too), by node then modem.
  Result<std::vector<NodeModemRecord>> node_modems();
  // Nodes other than this one whose lease ran out by `now` (heartbeat_at + lease < now) and
  // that nobody took over yet.
  Result<std::vector<std::string>> expired_nodes(TimePoint now);
  // Applies the restart rule to the messages `node` had claimed, as recover_after_restart
  // does for this node's own, and marks the node recovered; one transaction. Nothing
  // happens (an empty report) when the node heartbeat again meanwhile or was already taken
  // over. "invalid" for this node's own name (its claims are recover_after_restart's).
  Result<RecoveryReport> take_over(const std::string& node, bool at_least_once, TimePoint now,
                                   const scheduler::MatchOptions& options = {});

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace smsgw::store
