// Failure and Outcome<T>: how the SMPP codec reports a bad PDU.
//
// Contract: a decode or framing failure is a value, never an exception. It carries the
// command_status the server answers with (SMPP 3.4 section 5.1.3: ESME_RINVCMDLEN for a
// body that does not match command_length, ESME_RINVPARLEN for a field over its maximum,
// ...), the name of the field where decoding stopped, and one sentence for a human.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

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

// Either a T or a Failure; the same shape as smsgw::Result<T>.
template <class T>
class [[nodiscard]] Outcome {
 public:
  Outcome(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Outcome(Failure failure)
      : state_(std::in_place_index<1>, std::move(failure)) {
  }  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  const Failure& failure() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Failure&& failure() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Failure> state_;
};

}  // namespace smsgw::smpp
