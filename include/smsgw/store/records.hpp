// The rows the store keeps, as plain structs (the store's vocabulary; no SQL here).
//
// Times are UTC system_clock time points, stored as milliseconds since the Unix epoch.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "smsgw/common/message_origin.hpp"
#include "smsgw/pdu/pdu.hpp"
#include "smsgw/scheduler/message_status.hpp"

namespace smsgw::store {

using TimePoint = std::chrono::system_clock::time_point;

// The message and part statuses (scheduler/message_status.hpp), in the store's vocabulary.
using scheduler::is_final;
using scheduler::kAllMessageStatuses;
using scheduler::kAllPartStatuses;
using scheduler::MessageStatus;
using scheduler::parse_message_status;
using scheduler::parse_part_status;
using scheduler::PartStatus;
using scheduler::to_string;

// What a status report's TP-ST means (3GPP TS 23.040 9.2.3.15), as pdu::classify_status
// says: 0x00-0x1F the SC delivered it; 0x20-0x3F the SC is still trying (the part stays
// `sent`); 0x40-0x7F (and the reserved values above) the SC gave up. A value outside one
// octet is failed.
using ReportOutcome = pdu::StatusClass;
ReportOutcome classify_report_status(int tp_status);

// Message status from its parts' statuses (pure roll-up, applied after each delivery
// report). Only a `sent` or `unknown` message changes: to `delivered` when every part is
// delivered, to `failed` when any part failed; it stays as it is while reports are pending
// (or a part's outcome is still unknown). Any other `current` is returned unchanged (the
// dispatcher owns queued/sending; final stays final).
MessageStatus roll_up(MessageStatus current, std::span<const PartStatus> parts);

// The dispatcher's queue a message waits in: "modem:<id>" when pinned to a SIM, else
// "op:<name>" for its pinned operator, else for its recipient's operator, else "any"
// (empty means none). The store keeps the same rule as SQL (QUEUE_GROUP_SQL) to read a
// group's queue by index.
std::string queue_group(std::string_view pinned_modem, std::string_view pinned_operator,
                        std::string_view destination_operator);

// ---------------------------------------------------------------------------------------
// Outbound messages

struct NewPart {
  std::string pdu_hex;  // as written after the "> " prompt (SMSC field "00" first)
  int tpdu_length = 0;  // the number given to AT+CMGS= (SMSC field excluded)
};

// A message as the gateway accepted it (validated, normalised, encoded).
struct NewMessage {
  std::string id;  // empty: the store assigns a ULID (see ulid.hpp)
  std::string to;  // normalised +E.164
  std::string text;
  std::string encoding;  // "gsm7" | "ucs2"
  int priority = 0;      // higher first
  std::optional<TimePoint> send_at;
  std::optional<TimePoint> expires_at;  // validity end
  bool flash = false;
  bool status_report = true;
  std::optional<std::string> pinned_modem;
  std::optional<std::string> pinned_operator;
  std::optional<std::string> destination_operator;
  std::vector<NewPart> parts;  // at least one
  TimePoint created_at{};      // epoch: the store uses the time of the insert
  // Who submitted it: the API client's name ([[client]] name); none when unknown. Set by
  // the HTTP layer from the authenticated caller; it chooses the secret that signs the
  // message's callbacks and is a list filter.
  std::optional<std::string> client;
  std::optional<std::string> reference;     // the client's own string (<= 64 characters)
  std::optional<std::string> callback_url;  // receives this message's message.status events
  // Set for submissions over SMPP and sendsms (table message_origins, same transaction).
  std::optional<MessageOrigin> origin;
};

struct StoredPart {
  std::string message_id;
  int index = 1;  // 1-based
  std::string pdu_hex;
  int tpdu_length = 0;
  PartStatus status = PartStatus::queued;
  std::optional<std::string> modem;
  std::optional<int> mr;  // TP-MR from +CMGS
  std::optional<TimePoint> sent_at;
  std::optional<TimePoint> delivered_at;  // time the report arrived with a final TP-ST
  std::optional<int> report_status;       // last TP-ST
  std::optional<std::string> error;
  std::optional<TimePoint> sending_at;  // when its (last) send began
};

// One entry of a message's append-only log. `detail_json` is a JSON object ("{}" if none).
struct StoredEvent {
  std::int64_t id = 0;
  std::string message_id;
  TimePoint at;
  std::string kind;  // queued, claimed, part_sent, part_failed, part_unknown, requeued,
                     // sent, report, delivered, failed, expired, cancelled, recovered, ...
  std::string detail_json;
};

struct StoredMessage {
  std::string id;
  std::string to;
  std::string text;
  std::string encoding;
  int part_count = 1;
  int priority = 0;
  std::optional<TimePoint> send_at;
  std::optional<TimePoint> expires_at;
  bool flash = false;
  bool status_report = true;
  std::optional<std::string> pinned_modem;
  std::optional<std::string> pinned_operator;
  std::optional<std::string> destination_operator;
  MessageStatus status = MessageStatus::queued;
  std::optional<std::string> assigned_modem;
  int attempts = 0;  // claims so far (each claim is one attempt to send)
  std::optional<TimePoint> next_attempt_at;
  TimePoint created_at;
  std::optional<TimePoint> sent_at;
  std::optional<TimePoint> delivered_at;
  std::optional<std::string> last_error;
  std::optional<std::string> client;  // as NewMessage
  std::optional<std::string> reference;
  std::optional<std::string> callback_url;
  std::vector<StoredPart> parts;    // filled where the call says so
  std::vector<StoredEvent> events;  // filled by Store::get_message
};

// A part whose send did not succeed, recorded in the same transaction as what then
// happens to its message (Store::requeue / fail / expire).
struct PartFailure {
  int index = 1;
  bool outcome_unknown = false;  // the PDU was written: it may have left (part `unknown`)
  std::string error;
};

// Parts to count against a SIM's day when a send begins (per-day limits).
struct DailyCount {
  std::string iccid;
  std::int64_t day = 0;  // the caller's local day number
  std::int64_t parts = 0;
  std::string recipient{};  // recorded among the SIM's recipients of `day` when not empty
};

// What a SIM has used of its limits, as the store counted it (after a restart).
struct SimUsage {
  std::int64_t sent_today = 0;
  std::int64_t sent_this_month = 0;
  std::vector<std::string> recipients_today;
};

// ---------------------------------------------------------------------------------------
// Idempotency

// The first answer to a request that carried an Idempotency-Key.
struct IdempotencyRecord {
  std::string key;
  std::string fingerprint;  // e.g. hex SHA-256 of the canonical request body
  int response_status = 202;
  std::string response_body;
  TimePoint created_at{};  // epoch: the store uses the time of the insert
};

struct SubmissionResult {
  std::vector<std::string> ids;  // stored ids, in request order (empty on replay)
  // Set when the key was already known with the same fingerprint: nothing was stored and
  // this is the first answer, to be sent again.
  std::optional<IdempotencyRecord> replay;
};

// ---------------------------------------------------------------------------------------
// Delivery reports

struct ReportCandidate {
  std::string message_id;
  int index = 1;
  std::string to;  // the message's recipient
  std::string modem;
  int mr = 0;
  TimePoint sent_at;
  PartStatus status = PartStatus::sent;
};

// What Store::settle_report did with a report: the part it matched (and its message's
// status after it), or none (kept as unmatched).
struct ReportSettlement {
  std::optional<std::string> message_id;
  int index = 0;
  MessageStatus status = MessageStatus::sent;
  // The report settled a part of unknown outcome (scheduler::match_unknown_part): the
  // message may now be sent, delivered, failed, or queued again for its remaining parts.
  bool settled_unknown = false;
};

struct DeliveryReport {
  std::string modem;
  int mr = 0;
  std::optional<std::string> recipient;  // as the report gave it
  int tp_status = 0;                     // TP-ST
  std::optional<TimePoint> scts;         // service centre time stamp
  std::optional<TimePoint> discharge;    // discharge time
  std::string pdu_hex;                   // the raw report (kept for unmatched ones)
  TimePoint received_at{};
};

// ---------------------------------------------------------------------------------------
// Inbound

struct InboundPart {
  std::string modem;
  std::string sender;
  std::optional<TimePoint> smsc_time;  // TP-SCTS
  // Concatenation (3GPP TS 23.040 9.2.3.24.1/.8); absent for a single message.
  std::optional<int> concat_ref;
  int part = 1;   // 1-based
  int total = 1;  // parts in the message
  std::string text;
  std::string pdu_hex;
  TimePoint received_at{};
  // SMPP (issue 13): the [[client]]s whose receivers get this message as a deliver_sm (the
  // gateway applies the inbound rules), and the receiving SIM's number ("" when unknown).
  // One smpp_outbox row per client is written in the transaction that completes the
  // message; none for a duplicate or an incomplete message.
  std::vector<std::string> smpp_clients{};
  std::string smpp_recipient{};
};

struct InboundStoreResult {
  std::string message_id;  // the inbound message this part belongs to
  bool duplicate = false;  // the part was already stored; nothing changed
  bool complete = false;   // every part is present
  int parts_received = 0;
  int total = 1;
  std::string text;                    // reassembled text of the parts present, in order
  std::optional<TimePoint> smsc_time;  // TP-SCTS of the first part stored
};

struct StoredInbound {
  std::string id;
  std::string modem;
  std::string sender;
  std::optional<TimePoint> smsc_time;  // of the first part
  std::optional<int> concat_ref;
  int total = 1;
  int parts_received = 0;
  bool complete = false;  // "reassembled"
  std::string text;
  TimePoint received_at;  // of the first part
};

// ---------------------------------------------------------------------------------------
// SIMs, balances, counters, webhooks

struct SimSeen {
  std::string iccid;
  std::optional<std::string> imei;
  std::optional<std::string> imsi;
  std::optional<std::string> operator_name;
  std::optional<std::string> modem;  // modem id it was last seen in
  TimePoint first_seen;
  TimePoint last_seen;
};

struct BalanceRecord {
  std::string iccid;
  std::optional<double> amount;
  std::string currency;
  std::string raw;
  TimePoint checked_at;
};

// A SIM an operator paused by hand (POST /api/v1/modems/{id}/pause): it takes no new
// message until resumed, also across restarts. Kept by ICCID: the pause follows the SIM.
struct SimPause {
  std::string iccid;
  std::string paused_by;  // the API caller's name ("api", "token", a client's name)
  TimePoint paused_at;
  std::optional<std::string> modem;  // the modem id it was in when paused (informative)
  friend bool operator==(const SimPause&, const SimPause&) = default;
};

// Who a webhook row is for: a [[webhook]] of the configuration (signed with its secret), or
// a message's callback_url (signed per the callback rule, and its address checked against
// [http] callback_hosts at delivery), or a /cgi-bin/sendsms message's dlr-url (fetched with
// GET, unsigned, checked like a callback). A dlr_url row is stored as kind 'callback' with
// the event kDlrUrlEvent (no schema change); read back as dlr_url. The trigger sendsms_dlr
// writes them with the status change (docs/store.md): the URL unexpanded and a payload the
// outbox expands it from; a row with an empty payload carries its URL expanded already.
enum class WebhookKind { webhook, callback, dlr_url };
inline constexpr std::string_view kDlrUrlEvent = "sendsms.dlr";

// The labels a message carries into its events: client, reference and callback URL.
struct MessageTags {
  std::optional<std::string> client;
  std::optional<std::string> reference;
  std::optional<std::string> callback_url;
  std::string to;  // the recipient
  int parts = 1;
  std::optional<std::string> error;  // the message's last error
};

// One entry of the event journal (table events): what GET /api/v1/events replays after a
// reconnect. `id` is the stream's event id (ascending, never reused); `client` the API client
// a message event belongs to.
struct JournalEvent {
  std::int64_t id = 0;
  TimePoint at{};
  std::string type;  // "message", "inbound", "balance"
  std::optional<std::string> client;
  std::string data;  // the event's JSON object
};

// One event to append to the journal.
struct NewJournalEvent {
  std::string type;
  std::optional<std::string> client;
  std::string data;
};

// The journal's ids: the first one still kept and the last one given (0 when none ever
// was).
struct JournalBounds {
  std::int64_t first = 1;
  std::int64_t last = 0;
};

struct WebhookDelivery {
  std::int64_t id = 0;
  std::string event;
  std::string payload_json;
  std::string url;
  WebhookKind kind = WebhookKind::webhook;
  std::optional<std::string> client;  // callback rows: the message's client (its secret signs)
  int attempts = 0;
  std::optional<TimePoint> next_attempt_at;  // none: given up or delivered
  std::optional<TimePoint> delivered_at;
  std::optional<std::string> last_error;
  TimePoint created_at;
};

// The webhook outbox's backlog: deliveries that will still be attempted (neither delivered
// nor given up).
struct WebhookBacklog {
  std::int64_t pending = 0;
  std::optional<TimePoint> oldest_created_at;  // of the first one enqueued; none when empty
};

// ---------------------------------------------------------------------------------------
// Queries

// Store::list_messages filters; every one given must hold.
struct ListQuery {
  std::optional<MessageStatus> status{};
  int limit = 50;                          // clamped to 1..1000
  std::optional<std::string> before{};     // id cursor: only older messages
  std::optional<std::string> reference{};  // exact match (index messages_by_reference)
  std::optional<std::string> client{};     // exact match (index messages_by_client)
  std::optional<std::string> recipient{};  // exact, "+49..." (index messages_by_recipient)
  std::optional<std::string> modem{};      // assigned_modem, exact (no index: checked per row)
};

struct MessagePage {
  std::vector<StoredMessage> messages;  // newest first, parts filled, events not
  std::optional<std::string> next_before;
};

// Store::list_inbox filters; every one given must hold.
struct InboxQuery {
  int limit = 50;                     // clamped to 1..1000
  std::optional<std::string> before;  // id cursor: only older messages
  std::optional<TimePoint> since;     // received at or after
  std::optional<std::string> from;    // sender, exactly as stored ("+4917...")
  std::optional<std::string> modem;   // receiving modem id
};

struct InboxPage {
  std::vector<StoredInbound> messages;  // newest first
  std::optional<std::string> next_before;
};

struct RecoveryReport {
  std::vector<std::string> unknown;   // messages whose parts may have left; not resent
  std::vector<std::string> settled;   // ... settled at once by a report that had arrived
  std::vector<std::string> requeued;  // messages queued again (at_least_once, or no part left)
};

}  // namespace smsgw::store
