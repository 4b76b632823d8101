// MessageBuilder: turns a client's submission into the message the store keeps.
//
// Contract (contract.md, HTTP API and Numbers):
// - `to` is normalised to E.164 (scheduler/numbering.hpp) and its operator looked up by
//   prefix; the text is encoded into SMS-SUBMIT parts right away (pdu/pdu.hpp), so a message
//   that cannot be sent (too many parts, bad number, unknown pin) is refused before it is
//   stored, never after.
// - Every refusal is Error{"validation", "<field>: <reason>"}; in a batch the caller
//   prefixes "messages[<i>].".
// - Concatenated messages get an 8-bit reference from a rolling counter, so two long
//   messages to one recipient are never merged by the handset (3GPP TS 23.040 9.2.3.24.1).
// - The PDU carries the validity as a relative TP-VP from the submission; the store also
//   keeps expires_at, after which the message is never sent.
// Pure apart from the counter it owns.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "smsgw/common/result.hpp"
#include "smsgw/http/gateway_api.hpp"
#include "smsgw/pdu/pdu.hpp"
#include "smsgw/scheduler/operators.hpp"
#include "smsgw/store/records.hpp"

namespace smsgw::gateway {

struct MessageBuilderOptions {
  std::string default_country_code;
  std::size_t max_parts = 10;
  std::vector<pdu::NationalLanguage> national_languages;
  // Answers whether a modem id may be pinned (configured or seen). Empty: any id.
  std::function<bool(const std::string&)> modem_known;
  // Whether a message asks for a status report when its request does not say ([sms]
  // status_report).
  bool status_report = true;
};

class MessageBuilder {
 public:
  MessageBuilder(MessageBuilderOptions options, const scheduler::OperatorTable& operators);

  Result<store::NewMessage> build(const http::SubmitRequest& request, store::TimePoint now);
  // New options (a config reload), for the messages built after it.
  void set_options(MessageBuilderOptions options) { options_ = std::move(options); }

 private:
  MessageBuilderOptions options_;
  const scheduler::OperatorTable& operators_;
  std::uint8_t next_concat_reference_;
};

}  // namespace smsgw::gateway
