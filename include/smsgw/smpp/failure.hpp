// Failure and Outcome<T>: how the SMPP codec reports a bad PDU.
//
// Contract: a decode or framing failure is a value, never an exception. It carries the
// command_status the server answers with (SMPP 3.4 section 5.1.3: ESME_RINVCMDLEN for a
// body that does not match command_length, ESME_RINVPARLEN for a field over its maximum,
// ...), the name of the field where decoding stopped, and one sentence for a human.
#pragma once

#include <string>

#include "smsgw/common/result.hpp"
#include "smsgw/smpp/status.hpp"

namespace smsgw::smpp {

struct Failure {
  CommandStatus status = CommandStatus::esme_runknownerr;
  std::string field;    // "system_id", "sm_length", "command_length", "tlv 0x0424"
  std::string message;  // "octet 20: system_id is longer than 15 characters"

  // The project's Error: code "smpp.<status name>" ("smpp.esme_rinvcmdlen"), same message.
  Error to_error() const;

  friend bool operator==(const Failure&, const Failure&) = default;
};

// Either a T or a Failure: smsgw::Result with the codec's failure.
template <class T>
using Outcome = Result<T, Failure>;

}  // namespace smsgw::smpp
