// The rows of the SMPP server's tables (issue 13; schema in src/store/migrations.cpp,
// kSmppOutbox): the parts of long messages a client split itself (smpp_parts) and the
// deliver_sm bodies owed to SMPP receivers (smpp_outbox).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "smsgw/common/message_origin.hpp"
#include "smsgw/scheduler/message_status.hpp"

namespace smsgw::store {

using SmppTimePoint = std::chrono::system_clock::time_point;

// What identifies one client-split message: the [[client]] ("" for the anonymous loopback
// account), the destination as normalised (+E.164), the client's reference and the count
// of parts (SMPP 3.4 5.3.2.22-24, TS 23.040 9.2.3.24.1).
struct SmppGroupKey {
  std::string client;
  std::string destination;
  int ref = 0;
  int total = 2;
  friend bool operator==(const SmppGroupKey&, const SmppGroupKey&) = default;
};

// One part as received (a submit_sm with a concatenation UDH or sar_* TLVs).
struct SmppPart {
  SmppGroupKey key;
  int seq = 1;  // 1..total
  std::string text;
  int registered_delivery = 0;
  // The id for the group's message when this part is the group's first; a later part
  // answers the id its group already has (Store::store_smpp_part).
  std::string message_id;
  // The submit_sm's addresses (MessageOrigin), priority, times and class 0 flag.
  std::string source_addr;
  int source_ton = 0;
  int source_npi = 0;
  std::string dest_addr;
  int dest_ton = 0;
  int dest_npi = 0;
  int priority = 0;
  std::optional<SmppTimePoint> send_at;
  std::optional<std::chrono::seconds> validity;
  bool flash = false;
  SmppTimePoint received_at{};
};

struct SmppPartResult {
  std::string message_id;  // the group's message id (every part answers it)
  bool duplicate = false;  // this seq was stored already; nothing changed
  int parts_received = 0;
  bool complete = false;  // every seq 1..total is present
};

// A group the sweep must finish: complete but not yet made a message (the process stopped
// between the two steps), or older than the parts timeout.
struct SmppGroupState {
  SmppGroupKey key;
  std::string message_id;
  int parts_received = 0;
  SmppTimePoint first_received_at{};
  bool complete() const { return parts_received == key.total; }
};

enum class SmppDeliveryKind { receipt, inbound };

// What a delivery receipt says (smpp::ReceiptFacts is built from it).
struct SmppReceiptRow {
  std::string message_id;
  scheduler::MessageStatus status = scheduler::MessageStatus::failed;
  SmppTimePoint submitted_at{};
  std::optional<SmppTimePoint> sent_at;  // none: no part ever left (refused before sending)
  SmppTimePoint done_at{};               // delivered_at, else the time the receipt row was written
  std::string text;
  std::optional<std::string> error;  // the message's last error
  MessageOrigin origin;
};

// What an inbound deliver_sm says (smpp::InboundFacts is built from it).
struct SmppInboundRow {
  std::string inbound_id;
  std::string sender;
  std::string text;
  std::string modem;      // the receiving modem id
  std::string recipient;  // the receiving SIM's number ([[sim]] number) or ""
  std::optional<SmppTimePoint> smsc_time;
  SmppTimePoint received_at{};
};

// One row of smpp_outbox with what its deliver_sm needs. When the message it refers to is
// gone, neither `receipt` nor `inbound` is set (the caller drops the row).
struct SmppDelivery {
  std::int64_t id = 0;
  std::string client;
  SmppDeliveryKind kind = SmppDeliveryKind::receipt;
  std::string ref;  // message id (receipt) or inbound message id
  int attempts = 0;
  SmppTimePoint created_at{};
  std::optional<std::string> last_error;
  std::optional<SmppReceiptRow> receipt;
  std::optional<SmppInboundRow> inbound;
};

}  // namespace smsgw::store
