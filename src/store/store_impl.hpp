// Store internals shared by the files of src/store/ (one file per aggregate): the
// connection, the transaction helper, the row readers and the message helpers every
// aggregate's operations build on. Private to the store module.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "database.hpp"
#include "json_object.hpp"
#include "smsgw/store/store.hpp"
#include "smsgw/store/transitions.hpp"
#include "smsgw/store/ulid.hpp"

// Early returns for Result values (store-internal).
#define STORE_CONCAT_INNER(a, b) a##b
#define STORE_CONCAT(a, b) STORE_CONCAT_INNER(a, b)
#define STORE_TRY(expr)                                                \
  do {                                                                 \
    auto&& store_try_result = (expr);                                  \
    if (!store_try_result) return std::move(store_try_result).error(); \
  } while (false)
#define STORE_TRY_ASSIGN(lhs, expr) \
  STORE_TRY_ASSIGN_IMPL(STORE_CONCAT(store_r_, __LINE__), lhs, expr)
#define STORE_TRY_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp) return std::move(tmp).error();    \
  lhs = std::move(*tmp)

#define MESSAGE_COLUMNS                                                                          \
  "id, recipient, text, encoding, part_count, priority, send_at, expires_at, flash, "            \
  "status_report, pinned_modem, pinned_operator, destination_operator, status, assigned_modem, " \
  "attempts, next_attempt_at, created_at, sent_at, delivered_at, last_error, client, "           \
  "reference, callback_url"

#define PART_COLUMNS                                                                             \
  "message_id, idx, pdu, tpdu_length, status, modem, mr, sent_at, delivered_at, report_status, " \
  "error, sending_at"

// unmatched_reports
#define REPORT_COLUMNS "modem, mr, recipient, tp_status, scts, discharge, pdu, received_at"

namespace smsgw::store {

// Rows of MESSAGE_COLUMNS / PART_COLUMNS (the latter starting at column `first`) as records.
inline constexpr int kMessageColumnCount = 24;  // MESSAGE_COLUMNS
StoredMessage read_message(const db::Query& q);
StoredPart read_part(const db::Query& q, int first = 0);
// "not_found": message `id` has no part `index`.
Error no_part(const std::string& id, int index);
// The part `index` of a message read with its parts, or no_part.
Result<StoredPart*> part_in(StoredMessage& message, int index);
// A row of REPORT_COLUMNS starting at column `first`.
DeliveryReport read_report(const db::Query& q, int first = 0);

// `given`, or `now` when the caller left it at the epoch.
inline TimePoint or_now(TimePoint given, TimePoint now) {
  return given == TimePoint{} ? now : given;
}

// "conflict": the transition table does not allow `event` from the current status.
Error refused(const std::string& id, MessageStatus from, MessageEvent event);
Error refused(const std::string& id, int index, PartStatus from, PartEvent event);

struct Store::Impl {
  std::filesystem::path path;  // SQLite's file; empty for PostgreSQL
  StoreOptions options;
  std::unique_ptr<db::Connection> db;
  UlidGenerator ids;
  std::uint64_t commits = 0;
  int version = 0;
  bool in_batch = false;
  // A job of the batch has begun (its savepoint "job" is set) and nothing of it has been
  // written through transaction() yet: the job's savepoint stands in for that call's own.
  bool fresh_job = false;
  int depth = 0;  // transaction() bodies running (outside a batch, or for a fresh job)

  Result<std::unique_ptr<db::Query>> q(const char* sql) { return db->query(sql); }
  Result<void> run(const char* sql);
  // run() through Query::send() (database.hpp): its answer is read with the next one waited for.
  Result<void> send(const char* sql);
  // Ends the open transaction, through exec(): the PostgreSQL engine must see this exact
  // statement to end a transaction its connection was lost in (postgres.cpp).
  Result<void> rollback() { return db->exec("ROLLBACK"); }

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back when it fails. In batch mode
  // (begin_batch), or inside another operation's transaction, the body runs in a savepoint
  // instead (the first body of a job in the job's own savepoint: one round trip less each
  // way on PostgreSQL). Every public operation that writes runs its body through this: one
  // operation, one transaction (or one savepoint of the transaction around it).
  template <class F>
  auto transaction(F&& body) -> decltype(body()) {
    if (in_batch && fresh_job && depth == 0) {
      // The first operation of a job: rolling back to the job's savepoint undoes exactly
      // this body's writes and leaves the savepoint in place for the job's next call.
      fresh_job = false;
      ++depth;
      auto result = body();
      --depth;
      if (!result) {
        (void)run("ROLLBACK TO job");
        fresh_job = true;
      }
      return result;
    }
    if (in_batch || depth > 0) {
      if (auto begun = send("SAVEPOINT call"); !begun) return begun.error();
      auto result = body();
      if (!result) (void)run("ROLLBACK TO call");
      if (auto released = run("RELEASE call"); !released && result) {
        // A write the body sent ahead failed (database.hpp): undone like a failed body.
        (void)run("ROLLBACK TO call");
        (void)run("RELEASE call");
        return released.error();
      }
      return result;
    }
    if (auto begun = db->begin_write(); !begun) return begun.error();
    ++depth;
    auto result = body();
    --depth;
    if (!result) {
      (void)rollback();
      return result;
    }
    if (auto committed = run("COMMIT"); !committed) {
      (void)rollback();
      return committed.error();
    }
    ++commits;
    return result;
  }

  // Brings the schema to version `target` (migrations.hpp), by the engine's own scheme;
  // "store.schema" when the database is newer than this code.
  Result<void> migrate(int target);
  Result<void> migrate_sqlite(int target);
  Result<void> migrate_postgres(int target);

  // ---- Messages and parts (store.cpp) ---------------------------------------------------
  Result<void> add_event(const std::string& id, std::string_view kind, const std::string& detail,
                         TimePoint now);
  Result<std::optional<StoredMessage>> find_message(const std::string& id);
  Result<StoredMessage> require_message(const std::string& id);
  Result<std::vector<StoredPart>> parts_of(const std::string& id);
  Result<StoredMessage> message_with_parts(const std::string& id);
  Result<StoredPart> require_part(const std::string& id, int index);

  // ---- Outbound messages (outbound_messages.cpp) ---------------------------------------
  Result<std::string> insert_one(const NewMessage& message, TimePoint now);

  // ---- Transitions (message_transitions.cpp) -------------------------------------------
  // The message, when the table allows `event` from its status ("conflict" otherwise).
  Result<StoredMessage> require_transition(const std::string& id, MessageEvent event);
  // Moves one part by `event` ("conflict" when the table refuses); sets `error` when given.
  Result<PartStatus> move_part(const std::string& id, int index, PartEvent event,
                               const std::optional<std::string>& error);
  // Moves every part of `id` the table allows `event` for; the others are kept. requeue
  // also clears the part's modem; `error` is set on parts that have none.
  Result<void> move_parts(const std::string& id, PartEvent event,
                          const std::optional<std::string>& error);
  // queued -> sending for `modem`, claimed by this node (claimed_by = options.node).
  Result<StoredMessage> claim(const std::string& id, const std::string& modem, TimePoint now);
  Result<void> record_part_sending(const std::string& id, int index, TimePoint now);
  // record_part_sending for a message and part already read in this transaction; `part`
  // gets its new status.
  Result<void> start_part(const StoredMessage& message, StoredPart& part, TimePoint now);
  Result<MessageStatus> record_part_sent(const std::string& id, int index, int mr, TimePoint now);
  Result<void> record_part_failure(const std::string& id, const PartFailure& failure,
                                   TimePoint now);
  // The message -> failed with `error` as its last_error ("conflict" when the table
  // refuses); its parts and its event are the caller's.
  Result<void> mark_failed(const std::string& id, const std::string& error);
  // The message -> unknown with `error` as its last_error ("conflict" unless sending); its
  // parts and its event are the caller's.
  Result<void> mark_unknown(const std::string& id, const std::string& error);
  // Parts of unknown outcome sent through `modem` whose send began at or after `since`,
  // earliest first.
  struct UnknownCandidate {
    std::string message_id;
    int index = 0;
    std::string recipient;
    TimePoint sending_at;
  };
  Result<std::vector<UnknownCandidate>> unknown_parts_on(const std::string& modem, TimePoint since);
  // unknown -> sent for the part, with the MR the status report carries; event "settled".
  Result<void> settle_unknown_part(const std::string& id, int index, int mr, TimePoint sending_at,
                                   const std::string& modem, TimePoint now);
  // Applies a status report to part `index` of `id` (record_report's body).
  Result<MessageStatus> apply_report(const std::string& id, int index,
                                     const DeliveryReport& report);
  // A report may arrive before its part is known to be unknown (the +CMGS was late or
  // lost, or the process died): it waits in unmatched_reports. Settles each unknown part
  // of `id` with the earliest such report that scheduler::match_unknown_part() accepts
  // (the report is taken out of unmatched_reports). Returns the message's status after,
  // or nullopt when no report settled anything.
  Result<std::optional<MessageStatus>> settle_from_unmatched(
      const std::string& id, const scheduler::MatchOptions& matching, TimePoint now);
  // After a report on a part of an `unknown` message: failed when a report says a part
  // failed; unknown while a part is; queued again (pinned) when parts are left to send;
  // else sent, then delivered when every part is. Returns the resulting status.
  Result<MessageStatus> resolve_unknown(const std::string& id, TimePoint now);
  // The message queued again (status, modem, next attempt, parts, pinning; no event),
  // claimed by no node. `error` replaces last_error when given.
  Result<void> requeue_message(const std::string& id, std::optional<TimePoint> next_attempt_at,
                               const std::optional<std::string>& error);
  // sending -> sent once every part is settled (sent, delivered, or failed by a status
  // report), then the report roll-up. Returns the resulting status.
  Result<MessageStatus> settle_if_done(const std::string& id, TimePoint now);
  // settle_if_done for the message and its parts as read (and changed) in this transaction.
  Result<MessageStatus> settle_parts(const StoredMessage& message, TimePoint now);
  Result<MessageStatus> apply_roll_up(const std::string& id, MessageStatus current,
                                      const std::vector<StoredPart>& parts, TimePoint now);
  // All parts of one message leave through one SIM (contract.md): once a part has left,
  // a message queued again is pinned to that part's modem.
  Result<void> pin_to_sim_of_sent_parts(const std::string& id);

  // ---- Restart rule (restart_recovery.cpp) ---------------------------------------------
  // Which `sending` messages the restart rule applies to: those claimed by `node`, and,
  // with `unclaimed`, those claimed by nobody (claimed_by NULL or ''): rows written before
  // nodes existed, and every claim of a single-process store (node "").
  struct ClaimOwner {
    std::string node;
    bool unclaimed = false;
  };
  // The restart rule (store.hpp) applied to the messages of `owner`; the caller's
  // transaction. recover_after_restart and take_over both run it.
  Result<RecoveryReport> recover_claims(const ClaimOwner& owner, bool at_least_once, TimePoint now,
                                        const scheduler::MatchOptions& options);

  // ---- SIMs (sims.cpp) -----------------------------------------------------------------
  Result<void> count_sent(const std::string& iccid, std::int64_t day, std::int64_t count);
  // Adds `recipient` to the SIM's distinct recipients of `day` (limits.recipients_per_day).
  Result<void> note_recipient(const std::string& iccid, std::int64_t day,
                              const std::string& recipient);

  // ---- SMPP outbox (smpp_outbox.cpp) ---------------------------------------------------
  // Up to `limit` due rows of `client` this node may claim (unclaimed, their claim past,
  // or already this node's), in id order, leaving out `excluding`; `claimed` gets the ids
  // of every row read, the excluded ones too (this node's binds hold them: their claim is
  // to be renewed).
  Result<std::vector<SmppDelivery>> read_due_smpp(const std::string& client, TimePoint now,
                                                  std::size_t limit,
                                                  std::span<const std::int64_t> excluding,
                                                  std::vector<std::int64_t>& claimed);
  // ---- Webhook outbox (webhook_outbox.cpp) ---------------------------------------------
  // Up to `limit` undelivered rows due at `now`, oldest first, leaving out rows another
  // node holds a live claim on.
  Result<std::vector<WebhookDelivery>> read_due_webhooks(TimePoint now, std::size_t limit);

  // ---- Idempotency (idempotency.cpp) ---------------------------------------------------
  Result<std::optional<IdempotencyRecord>> find_key(const std::string& key);
  // Stores `record` unless its key is known: then the stored record when the fingerprint
  // is the same (a replay), "conflict" when it is not.
  Result<std::optional<IdempotencyRecord>> claim_key(const IdempotencyRecord& record,
                                                     TimePoint now);
};

}  // namespace smsgw::store
