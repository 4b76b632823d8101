// Result<T>: the value of an operation that can fail in an expected way.
//
// Contract: a Result holds either a T or an Error, never both. Expected failures
// (a timeout, a +CMS ERROR, a malformed PDU, a busy database) travel as values;
// exceptions are reserved for start-up errors and bugs.
#pragma once

#include <cassert>
#include <chrono>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "smsgw/common/error_code.hpp"

namespace smsgw {

// An expected failure.
//
// `code` is stable and machine-readable ("pdu.truncated", "at.timeout", "cms.38"): the
// text users see in logs, in the API's `last_error` and in CLI output. `kind` is the same
// code as a closed enum (error_code.hpp) and is what code branches on; `number` is the
// +CMS / +CME ERROR number for kinds `cms` and `cme`. Every constructor sets code, kind and
// number together, so they always agree: from an ErrorCode (the name is to_string), from a
// cause number, or from a code text (the kind is what parse_error_code reads in it, `other`
// for a free-form code). `message` is one sentence for a human that names what went wrong
// and why ("octet 12: user data length 160 exceeds the 140 octets left").
struct Error {
  std::string code;
  std::string message;
  ErrorCode kind = ErrorCode::other;
  std::optional<int> number;
  // When the caller may try again (HTTP Retry-After), for a limit that will lift.
  std::optional<std::chrono::seconds> retry_after;

  Error() = default;
  // A code of an exact kind; for a family (is_family) use the code text or the cause form.
  Error(ErrorCode exact, std::string message_text)
      : code(to_string(exact)), message(std::move(message_text)), kind(exact) {
    assert(!is_family(exact));
  }
  // "cms.<n>" / "cme.<n>" for `family` cms or cme.
  Error(ErrorCode family, int cause_number, std::string message_text)
      : code(std::string(to_string(family)) + "." + std::to_string(cause_number)),
        message(std::move(message_text)),
        kind(family),
        number(cause_number) {
    assert(family == ErrorCode::cms || family == ErrorCode::cme);
  }
  // Any code text; the kind is read from it.
  Error(std::string code_text, std::string message_text)
      : code(std::move(code_text)), message(std::move(message_text)) {
    const auto parsed = parse_error_code(code);
    kind = parsed.kind;
    number = parsed.number;
  }
  Error(const char* code_text, std::string message_text)
      : Error(std::string(code_text), std::move(message_text)) {}

  friend bool operator==(const Error&, const Error&) = default;
};

inline Error make_error(ErrorCode exact, std::string message) {
  return Error{exact, std::move(message)};
}
inline Error make_error(ErrorCode family, int number, std::string message) {
  return Error{family, number, std::move(message)};
}
inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}
inline Error make_error(const char* code, std::string message) {
  return Error{code, std::move(message)};
}

// `E` is Error everywhere but where a protocol's failure carries more than an Error does
// (smpp::Failure: the command_status to answer with).
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(E error)
      : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT(google-explicit-constructor)

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
  const E& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, E> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() = default;
  Result(Error error)
      : error_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return ok(); }
  const Error& error() const& {
    assert(!ok());
    return error_;
  }
  Error&& error() && {
    assert(!ok());
    return std::move(error_);
  }

 private:
  Error error_;
  bool failed_ = false;
};

}  // namespace smsgw
