#include "migrations.hpp"

namespace smsgw::store {
namespace {

// Version 1: outbound messages, their parts, the event log and idempotency keys.
constexpr std::string_view kVersion1 = R"sql(
CREATE TABLE messages (
  id                   TEXT PRIMARY KEY,
  recipient            TEXT NOT NULL,
  text                 TEXT NOT NULL,
  encoding             TEXT NOT NULL,
  part_count           INTEGER NOT NULL CHECK (part_count >= 1),
  priority             INTEGER NOT NULL DEFAULT 0,
  send_at              INTEGER,
  expires_at           INTEGER,
  flash                INTEGER NOT NULL DEFAULT 0,
  status_report        INTEGER NOT NULL DEFAULT 1,
  pinned_modem         TEXT,
  pinned_operator      TEXT,
  destination_operator TEXT,
  status               TEXT NOT NULL CHECK (status IN
                         ('queued','sending','sent','delivered','failed','expired','cancelled')),
  assigned_modem       TEXT,
  attempts             INTEGER NOT NULL DEFAULT 0,
  next_attempt_at      INTEGER,
  created_at           INTEGER NOT NULL,
  sent_at              INTEGER,
  delivered_at         INTEGER,
  last_error           TEXT
);
CREATE INDEX messages_queue ON messages (priority DESC, id) WHERE status = 'queued';
CREATE INDEX messages_by_status ON messages (status, id);

CREATE TABLE message_parts (
  message_id    TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  idx           INTEGER NOT NULL CHECK (idx >= 1),
  pdu           TEXT NOT NULL,
  tpdu_length   INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN
                  ('queued','sending','sent','delivered','failed','unknown')),
  modem         TEXT,
  mr            INTEGER,
  sent_at       INTEGER,
  delivered_at  INTEGER,
  report_status INTEGER,
  error         TEXT,
  PRIMARY KEY (message_id, idx)
) WITHOUT ROWID;
CREATE INDEX parts_by_reference ON message_parts (modem, mr, sent_at) WHERE mr IS NOT NULL;

CREATE TABLE message_events (
  id         INTEGER PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  detail     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX events_by_message ON message_events (message_id, id);

CREATE TABLE idempotency_keys (
  key             TEXT PRIMARY KEY,
  fingerprint     TEXT NOT NULL,
  response_status INTEGER NOT NULL,
  response_body   TEXT NOT NULL,
  created_at      INTEGER NOT NULL
);
CREATE INDEX idempotency_by_age ON idempotency_keys (created_at);
)sql";

// Version 2: inbound messages, unmatched reports, SIMs, balances, daily counters and the
// webhook outbox.
constexpr std::string_view kVersion2 = R"sql(
CREATE TABLE inbound_messages (
  id             TEXT PRIMARY KEY,
  modem          TEXT NOT NULL,
  sender         TEXT NOT NULL,
  smsc_time      INTEGER,
  concat_ref     INTEGER,
  total          INTEGER NOT NULL CHECK (total >= 1),
  parts_received INTEGER NOT NULL,
  complete       INTEGER NOT NULL,
  text           TEXT NOT NULL,
  received_at    INTEGER NOT NULL
);
CREATE INDEX inbound_open ON inbound_messages (modem, sender, concat_ref, total, received_at)
  WHERE complete = 0;

CREATE TABLE inbound_parts (
  inbound_id  TEXT NOT NULL REFERENCES inbound_messages (id) ON DELETE CASCADE,
  part        INTEGER NOT NULL,
  text        TEXT NOT NULL,
  pdu         TEXT NOT NULL,
  smsc_time   INTEGER,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (inbound_id, part)
) WITHOUT ROWID;
CREATE INDEX inbound_parts_by_pdu ON inbound_parts (pdu, received_at);

CREATE TABLE unmatched_reports (
  id          INTEGER PRIMARY KEY,
  modem       TEXT NOT NULL,
  mr          INTEGER NOT NULL,
  recipient   TEXT,
  tp_status   INTEGER NOT NULL,
  scts        INTEGER,
  discharge   INTEGER,
  pdu         TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

CREATE TABLE sims (
  iccid      TEXT PRIMARY KEY,
  imei       TEXT,
  imsi       TEXT,
  operator   TEXT,
  modem      TEXT,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL
);

CREATE TABLE balances (
  id         INTEGER PRIMARY KEY,
  iccid      TEXT NOT NULL,
  amount     REAL,
  currency   TEXT NOT NULL,
  raw        TEXT NOT NULL,
  checked_at INTEGER NOT NULL
);
CREATE INDEX balances_by_sim ON balances (iccid, checked_at);

CREATE TABLE daily_counters (
  iccid TEXT NOT NULL,
  day   INTEGER NOT NULL,
  sent  INTEGER NOT NULL,
  PRIMARY KEY (iccid, day)
) WITHOUT ROWID;

CREATE TABLE webhook_outbox (
  id              INTEGER PRIMARY KEY,
  event           TEXT NOT NULL,
  payload         TEXT NOT NULL,
  url             TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER,
  delivered_at    INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL
);
CREATE INDEX webhook_due ON webhook_outbox (next_attempt_at)
  WHERE delivered_at IS NULL AND next_attempt_at IS NOT NULL;
)sql";

// A message may be `unknown` (message_status.hpp). SQLite cannot change a CHECK in place:
// the table is rebuilt (https://www.sqlite.org/lang_altertable.html#otheralter, the 12
// steps; Impl::migrate runs migrations with foreign keys off and checks them after).
// A part records when its send began (sending_at), so that a status report can settle a
// part whose +CMGS never came (scheduler::match_unknown_part), and whether it was sent
// again after no report came (resent_unknown: sms.after_settle = "resend", once).
// The expiry sweep finds queued messages whose validity ended by index (messages_expiry),
// not by reading every queued row. The dispatcher reads a bounded window of each queue
// group by index (messages_group_ready: due at once, in its order; messages_group_timed:
// by the time a message comes due; they replace messages_queue) and finds when the next
// message not yet due comes due by index (messages_due_time). The
// count of messages in each status is kept as it changes (message_counts, by triggers),
// not counted, for /metrics.
constexpr std::string_view kVersion3 = R"sql(
CREATE TABLE messages_v3 (
  id                   TEXT PRIMARY KEY,
  recipient            TEXT NOT NULL,
  text                 TEXT NOT NULL,
  encoding             TEXT NOT NULL,
  part_count           INTEGER NOT NULL CHECK (part_count >= 1),
  priority             INTEGER NOT NULL DEFAULT 0,
  send_at              INTEGER,
  expires_at           INTEGER,
  flash                INTEGER NOT NULL DEFAULT 0,
  status_report        INTEGER NOT NULL DEFAULT 1,
  pinned_modem         TEXT,
  pinned_operator      TEXT,
  destination_operator TEXT,
  status               TEXT NOT NULL CHECK (status IN
                         ('queued','sending','sent','delivered','failed','expired','cancelled',
                          'unknown')),
  assigned_modem       TEXT,
  attempts             INTEGER NOT NULL DEFAULT 0,
  next_attempt_at      INTEGER,
  created_at           INTEGER NOT NULL,
  sent_at              INTEGER,
  delivered_at         INTEGER,
  last_error           TEXT
);
INSERT INTO messages_v3 SELECT * FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v3 RENAME TO messages;
CREATE INDEX messages_by_status ON messages (status, id);
CREATE INDEX messages_expiry ON messages (expires_at)
  WHERE status = 'queued' AND expires_at IS NOT NULL;
CREATE INDEX messages_group_ready ON messages ()sql" QUEUE_GROUP_SQL R"sql(,
  priority DESC, part_count DESC, id)
  WHERE status = 'queued' AND send_at IS NULL AND next_attempt_at IS NULL;
CREATE INDEX messages_group_timed ON messages ()sql" QUEUE_GROUP_SQL ", " DUE_TIME_SQL R"sql()
  WHERE status = 'queued' AND )sql" HAS_DUE_TIME_SQL R"sql(;
CREATE INDEX messages_due_time ON messages ()sql" DUE_TIME_SQL R"sql()
  WHERE status = 'queued' AND )sql" HAS_DUE_TIME_SQL R"sql(;
ALTER TABLE message_parts ADD COLUMN sending_at INTEGER;
ALTER TABLE message_parts ADD COLUMN resent_unknown INTEGER NOT NULL DEFAULT 0;
CREATE INDEX parts_unknown ON message_parts (modem, sending_at) WHERE status = 'unknown';
CREATE TABLE message_counts (
  status TEXT PRIMARY KEY,
  n      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO message_counts (status, n) VALUES ('queued', 0), ('sending', 0), ('sent', 0),
  ('delivered', 0), ('failed', 0), ('expired', 0), ('cancelled', 0), ('unknown', 0);
UPDATE message_counts SET n = (SELECT COUNT(*) FROM messages m WHERE m.status =
  message_counts.status);
CREATE TRIGGER message_counts_insert AFTER INSERT ON messages BEGIN
  UPDATE message_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER message_counts_update AFTER UPDATE OF status ON messages
  WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE message_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE message_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER message_counts_delete AFTER DELETE ON messages BEGIN
  UPDATE message_counts SET n = n - 1 WHERE status = OLD.status;
END;
)sql";

// A message carries its API client's name, the client's own reference and a callback URL
// for its status events; lists filter by reference and client, newest first, by index
// (messages_by_reference, messages_by_client: equality, then id). A webhook row says whom
// it is for (kind 'webhook' or 'callback') and, for a callback, the message's client, so
// that its secret is chosen at delivery. The inbox filters by sender and by modem by index.
constexpr std::string_view kVersion4 = R"sql(
ALTER TABLE messages ADD COLUMN client TEXT;
ALTER TABLE messages ADD COLUMN reference TEXT;
ALTER TABLE messages ADD COLUMN callback_url TEXT;
CREATE INDEX messages_by_reference ON messages (reference, id) WHERE reference IS NOT NULL;
CREATE INDEX messages_by_client ON messages (client, id) WHERE client IS NOT NULL;
ALTER TABLE webhook_outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'webhook'
  CHECK (kind IN ('webhook', 'callback'));
ALTER TABLE webhook_outbox ADD COLUMN client TEXT;
CREATE INDEX inbound_by_sender ON inbound_messages (sender, id);
CREATE INDEX inbound_by_modem ON inbound_messages (modem, id);
)sql";

// The distinct recipients each SIM sent to per local day (limits
// recipients_per_day; kept for the days still counted).
constexpr std::string_view kSimRecipients = R"sql(
CREATE TABLE sim_recipients (
  iccid     TEXT NOT NULL,
  day       INTEGER NOT NULL,
  recipient TEXT NOT NULL,
  PRIMARY KEY (iccid, day, recipient)
) WITHOUT ROWID;
)sql";

// Manual pauses of SIMs (POST /api/v1/modems/{id}/pause): by ICCID, because a pause
// belongs to the SIM wherever it is plugged in, with who paused it and when; the row is
// deleted on resume. Self-contained (touches no other table), so it can take any place in
// the list.
constexpr std::string_view kSimPauses = R"sql(
CREATE TABLE sim_pauses (
  iccid      TEXT PRIMARY KEY,
  paused_by  TEXT NOT NULL,
  paused_at  INTEGER NOT NULL,
  modem      TEXT
) WITHOUT ROWID;
)sql";

// The dashboard: the live event journal that GET /api/v1/events replays after a reconnect
// (Last-Event-ID = id; trimming deletes only the oldest rows and always keeps the newest,
// so max(id) + 1, SQLite's next rowid, never reuses an id), with the client a message
// event belongs to; and the message list's filters by recipient (by index) and by modem.
constexpr std::string_view kEventJournal = R"sql(
CREATE TABLE events (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  type   TEXT NOT NULL,
  client TEXT,
  data   TEXT NOT NULL
);
CREATE INDEX messages_by_recipient ON messages (recipient, id);
)sql";

// Messages submitted over SMPP or Kannel's sendsms: what their protocol needs for the
// receipt or the dlr-url call (common/message_origin.hpp). A row lives as long as its message.
constexpr std::string_view kMessageOrigins = R"sql(
CREATE TABLE message_origins (
  message_id          TEXT PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
  protocol            TEXT NOT NULL,
  registered_delivery INTEGER NOT NULL DEFAULT 0,
  source_addr         TEXT NOT NULL DEFAULT '',
  source_ton          INTEGER NOT NULL DEFAULT 0,
  source_npi          INTEGER NOT NULL DEFAULT 0,
  dest_addr           TEXT NOT NULL DEFAULT '',
  dest_ton            INTEGER NOT NULL DEFAULT 0,
  dest_npi            INTEGER NOT NULL DEFAULT 0,
  dlr_url             TEXT NOT NULL DEFAULT '',
  dlr_mask            INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
)sql";

// The SMPP server (issue 13). smpp_parts: the parts of a long message a client split itself,
// kept durably as they arrive, keyed by (client, destination as normalised, the client's
// reference, total, seq); every row of a group carries the message id allocated at its first
// part, and the group becomes one message (same id) when complete (or failed when
// [smpp] parts_timeout passes first). smpp_outbox: the deliver_sm bodies owed to SMPP
// receivers: a delivery receipt, written by the trigger smpp_receipt in the transaction of
// the status change (registered_delivery 1: any final status; 2: a final status other than
// delivered; `unknown` is not final), keyed to the message's client ('' when none); and an
// inbound message for each client whose [[client]] inbound rule matches, written by
// Store::store_inbound in the transaction that completes it. next_attempt_at 0 = due now;
// a client's due rows are read by index (smpp_outbox_by_client: client, then id order).
constexpr std::string_view kSmppOutbox = R"sql(
CREATE TABLE smpp_parts (
  client              TEXT NOT NULL,
  destination         TEXT NOT NULL,
  ref                 INTEGER NOT NULL,
  total               INTEGER NOT NULL CHECK (total >= 2),
  seq                 INTEGER NOT NULL CHECK (seq >= 1 AND seq <= total),
  text                TEXT NOT NULL,
  registered_delivery INTEGER NOT NULL DEFAULT 0,
  message_id          TEXT NOT NULL,
  source_addr         TEXT NOT NULL DEFAULT '',
  source_ton          INTEGER NOT NULL DEFAULT 0,
  source_npi          INTEGER NOT NULL DEFAULT 0,
  dest_addr           TEXT NOT NULL DEFAULT '',
  dest_ton            INTEGER NOT NULL DEFAULT 0,
  dest_npi            INTEGER NOT NULL DEFAULT 0,
  priority            INTEGER NOT NULL DEFAULT 0,
  send_at             INTEGER,
  validity_seconds    INTEGER,
  flash               INTEGER NOT NULL DEFAULT 0,
  received_at         INTEGER NOT NULL,
  PRIMARY KEY (client, destination, ref, total, seq)
) WITHOUT ROWID;
CREATE INDEX smpp_parts_by_age ON smpp_parts (received_at);

CREATE TABLE smpp_outbox (
  id              INTEGER PRIMARY KEY,
  client          TEXT NOT NULL,
  kind            TEXT NOT NULL CHECK (kind IN ('receipt', 'inbound')),
  ref             TEXT NOT NULL,
  recipient       TEXT NOT NULL DEFAULT '',
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT
);
CREATE INDEX smpp_outbox_by_client ON smpp_outbox (client, id, next_attempt_at);

CREATE TRIGGER smpp_receipt AFTER UPDATE OF status ON messages
  WHEN OLD.status IS NOT NEW.status
   AND NEW.status IN ('delivered', 'failed', 'expired', 'cancelled')
   AND EXISTS (SELECT 1 FROM message_origins o WHERE o.message_id = NEW.id
               AND o.protocol = 'smpp'
               AND ((o.registered_delivery & 3) = 1
                    OR ((o.registered_delivery & 3) = 2 AND NEW.status <> 'delivered')))
BEGIN
  INSERT INTO smpp_outbox (client, kind, ref, created_at, next_attempt_at)
  VALUES (COALESCE(NEW.client, ''), 'receipt', NEW.id,
          CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER), 0);
END;
)sql";

// The dlr-url calls of /cgi-bin/sendsms messages, made durable like the SMPP receipts: the
// trigger sendsms_dlr writes the webhook_outbox row of a status change in the transaction of
// that change. The row (event 'sendsms.dlr', kind 'callback', the message's client, due now)
// carries the dlr-url as the client gave it (escapes not expanded) and the payload
// {"id":"I","type":T,"status":"S","at":MS,"modem":"M"|null}: the message, the Kannel DLR
// type, the new status, when it changed (ms since the epoch) and the modem assigned then; the
// outbox expands the escapes at delivery from these and the message (WebhookOutbox). The type
// follows gateway::dlr_type_for (kannel_dlr.hpp): sent -> 8, delivered -> 1, expired or failed
// after a part left (the message's or a part's sent_at) -> 2, failed before any part left or
// cancelled -> 16 (also when the mask asks for 2 only); no row when the mask does not ask for
// it, for an empty dlr-url, for any other protocol and for the other statuses.
constexpr std::string_view kSendsmsDlr = R"sql(
CREATE TRIGGER sendsms_dlr AFTER UPDATE OF status ON messages
  WHEN OLD.status IS NOT NEW.status
   AND NEW.status IN ('sent', 'delivered', 'failed', 'expired', 'cancelled')
BEGIN
  INSERT INTO webhook_outbox (event, payload, url, next_attempt_at, created_at, kind, client)
  SELECT 'sendsms.dlr',
         '{"id":"' || NEW.id || '","type":' || d.type || ',"status":"' || NEW.status ||
           '","at":' || d.at || ',"modem":' ||
           CASE WHEN NEW.assigned_modem IS NULL THEN 'null'
                ELSE '"' || replace(replace(NEW.assigned_modem, '\', '\\'), '"', '\"') || '"'
           END || '}',
         d.dlr_url, d.at, d.at, 'callback', NEW.client
  FROM (SELECT o.dlr_url AS dlr_url,
               CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS at,
               CASE
                 WHEN NEW.status = 'sent' THEN CASE WHEN (o.dlr_mask & 8) <> 0 THEN 8 END
                 WHEN NEW.status = 'delivered' THEN CASE WHEN (o.dlr_mask & 1) <> 0 THEN 1 END
                 WHEN NEW.status = 'expired'
                      OR (NEW.status = 'failed'
                          AND (NEW.sent_at IS NOT NULL
                               OR EXISTS (SELECT 1 FROM message_parts p
                                          WHERE p.message_id = NEW.id
                                            AND p.sent_at IS NOT NULL)))
                   THEN CASE WHEN (o.dlr_mask & 2) <> 0 THEN 2 END
                 ELSE CASE WHEN (o.dlr_mask & 18) <> 0 THEN 16 END
               END AS type
        FROM message_origins o
        WHERE o.message_id = NEW.id AND o.protocol = 'sendsms' AND o.dlr_url <> '') d
  WHERE d.type IS NOT NULL;
END;
)sql";

// Several nodes on one database (issue 14, docs/store.md). A message records the node that
// claimed it (claimed_by: set by claim / begin_send, cleared by requeue), so that the
// restart rule and a take-over apply to one node's messages, found by index
// (messages_by_node: a node's messages in a status, in id order). nodes: one row per node,
// upserted by its heartbeat; a node whose heartbeat_at + lease_ms has passed and whose
// recovered_at is NULL may be taken over (recovered_at = when). node_modems: the modems
// each node reported last (the GET /api/v1/modems item as JSON), replaced by each
// heartbeat. The outboxes are claimed with a lease (claimed_by, claimed_until): a row is
// due for node N when due and unclaimed, its claim past, or claimed by N.
constexpr std::string_view kNodes = R"sql(
ALTER TABLE messages ADD COLUMN claimed_by TEXT;
CREATE INDEX messages_by_node ON messages (claimed_by, status, id) WHERE claimed_by IS NOT NULL;
CREATE TABLE nodes (
  name         TEXT PRIMARY KEY,
  url          TEXT NOT NULL,
  started_at   INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL,
  lease_ms     INTEGER NOT NULL,
  recovered_at INTEGER
) WITHOUT ROWID;
CREATE TABLE node_modems (
  node       TEXT NOT NULL REFERENCES nodes (name) ON DELETE CASCADE,
  modem      TEXT NOT NULL,
  snapshot   TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (node, modem)
) WITHOUT ROWID;
ALTER TABLE webhook_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE webhook_outbox ADD COLUMN claimed_until INTEGER;
ALTER TABLE smpp_outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE smpp_outbox ADD COLUMN claimed_until INTEGER;
)sql";

// The PostgreSQL half of entry 11 (kNodes above; design decision 7): the same columns,
// tables and index in PostgreSQL's types (BIGINT for integers and times, TEXT COLLATE "C"
// for names ordered by byte, as SQLite's BINARY does). Not in kMigrations yet: the
// Migration { sqlite; postgres; } entry type takes both texts when the engines merge.
[[maybe_unused]] constexpr std::string_view kNodesPostgres = R"sql(
ALTER TABLE messages ADD COLUMN claimed_by TEXT COLLATE "C";
CREATE INDEX messages_by_node ON messages (claimed_by, status, id) WHERE claimed_by IS NOT NULL;
CREATE TABLE nodes (
  name         TEXT COLLATE "C" PRIMARY KEY,
  url          TEXT NOT NULL,
  started_at   BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  lease_ms     BIGINT NOT NULL,
  recovered_at BIGINT
);
CREATE TABLE node_modems (
  node       TEXT COLLATE "C" NOT NULL REFERENCES nodes (name) ON DELETE CASCADE,
  modem      TEXT COLLATE "C" NOT NULL,
  snapshot   TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (node, modem)
);
ALTER TABLE webhook_outbox ADD COLUMN claimed_by TEXT COLLATE "C";
ALTER TABLE webhook_outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE smpp_outbox ADD COLUMN claimed_by TEXT COLLATE "C";
ALTER TABLE smpp_outbox ADD COLUMN claimed_until BIGINT;
)sql";

// Version 4 (client, reference, callback_url), then the SIMs' recipients and pauses, the
// event journal, the origins of SMPP and sendsms submissions, the SMPP server's tables, the
// sendsms dlr-url trigger and the node registry.
constexpr std::string_view kMigrations[] = {
    kVersion1,     kVersion2,       kVersion3,   kVersion4,   kSimRecipients, kSimPauses,
    kEventJournal, kMessageOrigins, kSmppOutbox, kSendsmsDlr, kNodes};

}  // namespace

std::span<const std::string_view> migrations() { return kMigrations; }

}  // namespace smsgw::store
