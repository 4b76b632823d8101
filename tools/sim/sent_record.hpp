// SentRecord: one PDU a simulated modem accepted for sending, as sent.jsonl logs it.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::sim {

struct SentRecord {
  int modem = 0;
  std::string imei;
  std::chrono::system_clock::time_point time;
  int mr = 0;            // the TP-MR the modem assigned (what +CMGS reports)
  bool answered = true;  // false: a "lost answer" fault swallowed the +CMGS
  std::string pdu;       // as received after the prompt
  pdu::Submit submit;    // decoded
};

// {"modem","imei","time","mr","to","text","encoding","concat","srr","validity","pdu",
//  "answered"}; 8-bit data goes in "data" as hex instead of "text".
nlohmann::json to_json(const SentRecord& record);

// "2024-05-01T12:00:00.123Z"
std::string iso8601_utc(std::chrono::system_clock::time_point time);

}  // namespace smsgw::sim
