// GatewayApi: the one facade of the gateway that the HTTP layer (and, through HTTP, the CLI)
// sees. The gateway module implements it over the store, the scheduler and the modems; the
// HTTP tests implement it with a fake.
//
// Contract:
// - Every method is a coroutine on the gateway's one io_context thread and returns its
//   expected failures as Result values, never as exceptions (an exception that escapes is a
//   bug: the HTTP layer answers 500 "internal" and logs it).
// - Plain structs in, plain structs out: no JSON here. The HTTP layer renders the contract's
//   shapes from these structs (include/smsgw/http/json.hpp).
// - Optional fields are std::optional; the HTTP layer renders an empty optional as JSON null.
// - Times are UTC system_clock time points; the HTTP layer renders them as RFC 3339 UTC.
//
// Error codes: `Error.code` selects the HTTP status; `Error.message` is shown to the client
// as is, so it names what and why ("message 01HX... is sending; only queued messages can be
// cancelled"). The code is passed through to the client in {"error": {"code", "message"}}.
//
//   code            status  meaning
//   "invalid"       400     the request cannot be understood (bad syntax of a value)
//   "not_found"     404     no such message / modem
//   "forbidden"     403     the caller's scope does not allow it
//   "rate_limited"  429     the client is over its limits; Error.retry_after says when
//                           it may try again (the Retry-After header)
//   "conflict"      409     state forbids it (cancel after sending began; an idempotency key
//                           reused with another request body)
//   "modem.on_other_node"
//                   409     a per-modem request (USSD, balance, pause, resume, reset) for a
//                           modem of another node; the message names the node and its url
//   "validation"    422     a well-formed request with a value the gateway refuses (a number
//                           that cannot be normalised, text that needs too many parts, an
//                           unknown pinned modem or operator). Start the message with the
//                           field name: "to: no country code for national number 0151...".
//   "unavailable"   503     cannot do it now (the modem is not ready, the store is busy, the
//                           gateway is stopping)
//   "timeout"       504     the operation did not finish in time (USSD reply never came)
//   anything else   500     reported as is; prefer the codes above
// The HTTP layer itself also answers 401 "unauthorized", 405 "method_not_allowed",
// 413 "too_large", 415 "unsupported_media_type" and 431 "headers_too_large"
// (include/smsgw/http/errors.hpp holds the mapping).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/common/message_origin.hpp"
#include "smsgw/common/net.hpp"
#include "smsgw/common/result.hpp"
#include "smsgw/http/event_hub.hpp"

namespace smsgw::http {

using TimePoint = std::chrono::system_clock::time_point;

// ---------------------------------------------------------------------------------------
// Submission (POST /api/v1/messages)

// One message to send, as the client asked for it. Validated for types and shapes by the
// HTTP layer (requests.hpp); the gateway validates the meaning (number, text length, pins).
struct SubmitRequest {
  std::string to;                                // as given; the gateway normalises it
  std::string text;                              // UTF-8, not empty
  std::int32_t priority = 0;                     // higher is sent first
  std::optional<TimePoint> send_at;              // not before this time
  std::optional<std::chrono::seconds> validity;  // > 0; expire if not sent within this
  bool flash = false;                            // class 0 message
  std::optional<bool> status_report;         // ask for delivery reports; none: [sms] status_report
  std::optional<std::string> modem;          // pin to this modem id
  std::optional<std::string> operator_name;  // pin to SIMs of this operator ("operator")
  // http(s) URL that receives this message's message.status events (signed; its host must
  // pass [http] callback_hosts, checked by the gateway: "validation" otherwise).
  std::optional<std::string> callback_url;
  std::optional<std::string> reference;  // the client's own string, 1..64 characters
  // The API client that submits it ([[client]] name), set by the HTTP layer from the
  // authenticated caller, never from the body; none when clients are not configured.
  std::optional<std::string> client;
  // Set by the SMPP server and /cgi-bin/sendsms, never from a REST body.
  std::optional<MessageOrigin> origin;

  friend bool operator==(const SubmitRequest&, const SubmitRequest&) = default;
};

// The Idempotency-Key of a submission and the fingerprint of its request (hex SHA-256 of the
// canonical JSON body, computed by the HTTP layer). The gateway keeps (key, fingerprint,
// answer) in the same transaction as the messages, then:
//   key unknown                      -> store the messages, answer with replayed = false
//   key known, same fingerprint      -> store nothing, answer the first answer again with
//                                       replayed = true (same ids, parts, encodings)
//   key known, different fingerprint -> Error{ErrorCode::conflict, "Idempotency-Key ... was
//                                       used with another request"}
struct IdempotencyKey {
  std::string key;
  std::string fingerprint;
};

// One stored message in a submission answer; its status is "queued" by definition.
struct AcceptedMessage {
  std::string id;
  int parts = 0;
  std::string encoding;  // "gsm7" or "ucs2"

  friend bool operator==(const AcceptedMessage&, const AcceptedMessage&) = default;
};

// The answer to a submission: one entry for a single message, one per message (in request
// order) for a batch. Returned only after every message is durably stored.
struct SubmitReply {
  std::vector<AcceptedMessage> accepted;
  bool replayed = false;  // true when this is the stored answer to an earlier request
};

// ---------------------------------------------------------------------------------------
// Messages (GET /api/v1/messages[/{id}], DELETE /api/v1/messages/{id})

struct MessagePart {
  int index = 0;                     // 1-based part number
  std::string status;                // queued|sending|sent|delivered|failed|unknown
  std::optional<std::string> modem;  // the modem it left through
  std::optional<int> mr;             // TP-Message-Reference the modem gave it
  std::optional<std::string> error;  // last error of this part
  std::optional<TimePoint> sent_at;
  std::optional<TimePoint> delivered_at;
};

// One entry of a message's append-only event log.
struct MessageEvent {
  TimePoint at;
  // "queued", "claimed", "part_sending", "part_sent", "part_failed", "part_unknown",
  // "requeued", "sent", "report", "delivered", "failed", "expired", "cancelled", "recovered"
  std::string kind;
  std::string detail;  // the event's details as a JSON object text; empty when it has none
};

struct Message {
  std::string id;
  std::string to;  // normalised +E.164
  std::string text;
  std::string status;  // queued|sending|sent|delivered|failed|expired|cancelled|unknown
  std::optional<std::string> operator_name;  // destination operator ("operator")
  std::optional<std::string> modem;          // the modem it was (or is being) sent through
  std::vector<MessagePart> parts;
  int attempts = 0;
  TimePoint created_at;
  std::optional<TimePoint> sent_at;
  std::optional<TimePoint> delivered_at;
  std::optional<std::string> error;
  std::vector<MessageEvent> events;   // filled by get_message; may be empty in lists
  std::optional<std::string> client;  // the submitting API client ([[client]] name)
  std::optional<std::string> reference;
  std::optional<std::string> callback_url;
};

// GET /api/v1/messages?status=&limit=&before=&reference=&client=&to=&modem=
struct MessageQuery {
  std::optional<std::string> status;     // one of Message::status values
  int limit = 50;                        // 1..1000
  std::optional<std::string> before;     // id: only messages older than this one
  std::optional<std::string> reference;  // exact match
  std::optional<std::string> client;     // exact match
  // The recipient as a user writes it; the gateway normalises it as a submission's `to`
  // ("validation", "to: ..." when it cannot) and matches Message::to exactly.
  std::optional<std::string> to;
  std::optional<std::string> modem;  // exact match on Message::modem (the assigned modem)
};

struct MessagePage {
  std::vector<Message> messages;           // newest first
  std::optional<std::string> next_before;  // pass as `before` for the next page; none at end
};

// ---------------------------------------------------------------------------------------
// Modems, USSD and balances

struct Balance {
  std::optional<double> amount;  // parsed with the operator's pattern; none if it did not match
  std::string currency;          // may be empty
  std::string raw;               // the USSD reply text
  TimePoint checked_at;
};

// One entry of GET /api/v1/modems.
struct ModemInfo {
  std::string id;
  std::string port;
  std::string state;  // absent|opening|initialising|ready|sending|backoff
  std::optional<std::string> imei;
  std::optional<std::string> imsi;
  std::optional<std::string> iccid;  // digits as the SIM reports them, padding F removed
  std::optional<std::string> operator_name;
  std::optional<std::string> mccmnc;  // the SIM's own MCC+MNC, e.g. "26201"
  std::optional<int> csq;             // 0..31, none when unknown (99)
  std::optional<int> dbm;
  std::string registration;  // home|roaming|searching|denied|unknown|...
  std::optional<Balance> balance;
  std::uint64_t sent_today = 0;
  std::optional<std::uint64_t> daily_limit;    // the SIM's per_day limit; none: unlimited
  std::uint64_t sent_this_month = 0;           // parts this local month
  std::optional<std::uint64_t> monthly_limit;  // the SIM's per_month limit; none: unlimited
  std::optional<std::string> number;           // the SIM's own MSISDN ([[sim]] number)
  std::optional<std::string> label;            // [[sim]] label
  std::uint64_t errors = 0;
  std::optional<std::string> last_error;  // the latest error's message, e.g. "+CMS ERROR: 38"
  // Why the SIM takes no messages although its modem is up: "manual" (paused through the
  // API), "disabled" (by configuration), "low_balance" (under its operator's threshold),
  // "id_conflict" (another node has a modem with this id and keeps it) or "benched" (failed
  // repeatedly, resting); the first of these when several apply; none when it sends.
  std::optional<std::string> paused;
  std::uint64_t queue = 0;  // messages assigned to this modem and waiting
  // A manual pause (kept by ICCID across restarts): who paused the SIM and when; none
  // otherwise (also while other reasons apply).
  std::optional<std::string> paused_by;
  std::optional<TimePoint> paused_at;
  // The node whose modem this is ([node] name; also with a store of one node).
  std::string node;
  // A modem of another node: its item as that node rendered it (stored by its heartbeat);
  // json_of lists it as is, with `node` set, and the fields above are not used.
  std::optional<std::string> snapshot_json;
};

struct UssdReply {
  std::string response;  // decoded text
  std::string status;    // "done" | "action_required" | "terminated" | "unsupported" | ...
};

// One entry of the list POST /api/v1/balance and POST /api/v1/modems/{id}/balance return.
struct BalanceResult {
  std::string modem;
  std::optional<std::string> imei;
  std::optional<std::string> iccid;
  std::optional<std::string> operator_name;
  std::optional<double> amount;
  std::string currency;
  std::string raw;
  std::optional<TimePoint> checked_at;
  std::optional<std::string> error;  // why this SIM has no balance (others still answer)
};

// ---------------------------------------------------------------------------------------
// Inbox (GET /api/v1/inbox?limit=&before=&since=&from=&modem=)

struct InboundMessage {
  std::string id;
  std::string modem;
  std::string from;
  std::string text;                  // reassembled from all parts received so far
  int parts = 1;                     // parts expected (1 for a single message)
  int parts_received = 1;            // < parts while a long message is incomplete
  std::optional<TimePoint> sent_at;  // the SMSC time stamp (TP-SCTS)
  TimePoint received_at;
};

struct InboxQuery {
  int limit = 50;                     // 1..1000
  std::optional<std::string> before;  // id: only messages older than this one
  std::optional<TimePoint> since;     // received at or after (RFC 3339 in the query)
  std::optional<std::string> from;    // sender, exactly as listed ("+4917...")
  std::optional<std::string> modem;   // receiving modem id
};

struct InboxPage {
  std::vector<InboundMessage> messages;  // newest first
  std::optional<std::string> next_before;
};

// ---------------------------------------------------------------------------------------
// Metrics (GET /metrics)

struct OperatorCounters {
  std::string operator_name;
  std::uint64_t submitted = 0;
  std::uint64_t sent = 0;
  std::uint64_t delivered = 0;
  std::uint64_t failed = 0;
};

struct ModemMetrics {
  std::string id;
  std::optional<std::string> operator_name;
  std::string state;  // ModemInfo::state values
  bool up = false;    // ready or sending
  std::optional<int> signal_dbm;
  std::optional<double> balance;
  std::string balance_currency;
  std::uint64_t sent = 0;  // parts accepted by the network (+CMGS) since start
  std::uint64_t failed = 0;
  std::uint64_t errors = 0;    // AT/CMS errors since start
  std::uint64_t received = 0;  // inbound messages stored whole (all parts) since start
  // The SIM's pause reasons (smsgw_modem_paused{reason}), each on its own.
  bool paused_manual = false;
  bool paused_disabled = false;
  bool paused_low_balance = false;
  bool paused_id_conflict = false;
};

// A Prometheus-style histogram. bucket_counts[i] counts observations in
// (upper_bounds[i-1], upper_bounds[i]] (NOT cumulative); `count` counts every observation,
// also those above the last bound; `sum` is their total in seconds.
struct Histogram {
  std::vector<double> upper_bounds;  // seconds, ascending
  std::vector<std::uint64_t> bucket_counts;
  std::uint64_t count = 0;
  double sum = 0;
};

struct MetricsSnapshot {
  std::uint64_t queue_depth = 0;  // messages queued and not yet sending
  std::vector<std::pair<std::string, std::uint64_t>> messages_by_status;  // status -> count
  std::vector<OperatorCounters> operators;
  std::vector<ModemMetrics> modems;
  // Messages accepted per API client ([[client]] name) since start.
  std::vector<std::pair<std::string, std::uint64_t>> client_submissions;
  Histogram send_latency;  // submission accepted -> +CMGS answered, seconds
  // Webhook deliveries still to be attempted (neither delivered nor given up), and how long
  // the first of them has waited since it was enqueued (0 when none waits).
  std::uint64_t webhook_outbox_pending = 0;
  // Open GET /api/v1/events streams, and those closed for falling behind since start.
  std::uint64_t event_streams = 0;
  std::uint64_t event_stream_overflows = 0;
  double webhook_outbox_oldest_seconds = 0;
  // deliver_sm (receipts, inbound messages) waiting for an SMPP receiver of their client.
  std::uint64_t smpp_outbox_pending = 0;
};

// ---------------------------------------------------------------------------------------
// The live stream and the dashboard's statistics (GET /api/v1/events, GET /api/v1/stats)

// Journaled events after a Last-Event-ID.
struct EventReplay {
  std::vector<StreamEvent> events;  // ascending ids
  // The journal cannot continue from the given id: events after it were trimmed, or the id
  // is beyond the newest (another database). The client must reload its lists.
  bool gap = false;
};

struct Stats {
  std::uint64_t queue_depth = 0;  // messages queued and not yet sending
  std::vector<std::pair<std::string, std::uint64_t>> messages_by_status;  // status -> count
  // Parts accepted by the network per minute, oldest first; the last entry is the minute
  // that began at `minute_start` (counted since the gateway started).
  std::vector<std::uint64_t> parts_per_minute;
  TimePoint minute_start;
};

// ---------------------------------------------------------------------------------------
// The gateway itself (GET /api/v1/info)

// One GSM 7-bit alphabet the encoder may use (TS 23.038 6.2.1, 6.2.1.1, Annex A), each table
// by code 0x00..0x7F: the character as UTF-8, "" where the code has none (always the escape
// 0x1B), so a client counts septets as the codec does.
struct Gsm7Alphabet {
  std::string name;  // "default", or the [sms] shift_tables name ("turkish")
  // 128 entries; none when the language has no locking-shift table (Spanish).
  std::optional<std::vector<std::string>> locking;
  std::vector<std::string> single;  // 128 entries: the single-shift (extension) table
};

struct GatewayInfo {
  std::string version;                    // the gateway's version, "0.1.0"
  std::uint32_t max_parts = 10;           // [sms] max_parts
  std::vector<std::string> shift_tables;  // [sms] shift_tables, as configured
  std::vector<Gsm7Alphabet> alphabets;    // "default" first, then one per shift table
};

// ---------------------------------------------------------------------------------------

class GatewayApi {
 public:
  virtual ~GatewayApi() = default;

  // Stores one message durably; fails with "validation", "conflict" (idempotency key reuse)
  // or "unavailable".
  virtual awaitable<Result<SubmitReply>> submit(SubmitRequest request,
                                                std::optional<IdempotencyKey> idempotency) = 0;
  // Stores all messages in one transaction, or none: the first invalid message fails the
  // whole batch with "validation" and a message starting "messages[<i>].<field>: ".
  virtual awaitable<Result<SubmitReply>> submit_batch(
      std::vector<SubmitRequest> requests, std::optional<IdempotencyKey> idempotency) = 0;

  // The message with its parts and event log; "not_found" for an unknown id.
  virtual awaitable<Result<Message>> get_message(std::string id) = 0;
  virtual awaitable<Result<MessagePage>> list_messages(MessageQuery query) = 0;
  // Cancels a queued message and returns it (status "cancelled"); "not_found", or
  // "conflict" once sending has begun or the message is final.
  virtual awaitable<Result<Message>> cancel_message(std::string id) = 0;

  virtual awaitable<Result<std::vector<ModemInfo>>> list_modems() = 0;
  // Sends any USSD code on one modem; "not_found", "unavailable" (not ready), "timeout".
  virtual awaitable<Result<UssdReply>> ussd(std::string modem_id, std::string code) = 0;
  // Runs the operator's balance USSD on one modem (a one-element list) or, with no id, on
  // every modem (per-SIM failures go into BalanceResult::error, not into the Result).
  virtual awaitable<Result<std::vector<BalanceResult>>> check_balance(
      std::optional<std::string> modem_id) = 0;

  // Live control (POST /api/v1/modems/{id}/pause|resume|reset; scope admin). Each answers
  // the modem as GET /api/v1/modems shows it after the change; "not_found" for an unknown
  // modem id.
  // pause_modem: the modem's SIM takes no new message (a message being sent finishes, all
  // its parts) until resume_modem, also across restarts: the pause is stored by ICCID with
  // `by` (the caller's name) and the time. Pausing a paused SIM keeps the first pause.
  // "conflict" while the modem's ICCID is not known yet (the pause belongs to the SIM);
  // "unavailable" when the store cannot record it.
  virtual awaitable<Result<ModemInfo>> pause_modem(std::string modem_id, std::string by) = 0;
  // Ends a manual pause (other reasons, e.g. low_balance, stay); nothing to do when the SIM
  // was not paused by hand. "conflict" while the ICCID is not known.
  virtual awaitable<Result<ModemInfo>> resume_modem(std::string modem_id) = 0;
  // Starts the modem's recovery now (the port closed and reopened, the radio switched off
  // and on, the init sequence) and answers once it has started; "conflict" while a reset
  // of this modem is running, "unavailable" when its port is absent.
  virtual awaitable<Result<ModemInfo>> reset_modem(std::string modem_id) = 0;

  virtual awaitable<Result<InboxPage>> inbox(InboxQuery query) = 0;
  virtual awaitable<Result<MetricsSnapshot>> metrics() = 0;

  // The live stream's fan-out: the HTTP layer subscribes each GET /api/v1/events to it.
  virtual EventHub& event_hub() = 0;
  // Up to `limit` journaled events with id > after (a reconnect's Last-Event-ID);
  // "unavailable" when the store cannot be read.
  virtual awaitable<Result<EventReplay>> events_after(std::int64_t after, int limit) = 0;
  virtual awaitable<Result<Stats>> stats() = 0;

  // What the gateway is and can encode (the running configuration, after a reload the new
  // one); the HTTP layer adds the caller and whether authentication is on.
  virtual awaitable<Result<GatewayInfo>> info() = 0;
};

}  // namespace smsgw::http
