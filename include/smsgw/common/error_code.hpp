// ErrorCode: the closed set of error codes that code branches on.
//
// Contract: every value has one stable name (to_string), the machine-readable code users
// see in logs, in `last_error` of the API and in CLI output ("at.timeout", "conflict").
// Names are unique and from_name(to_string(c)) == c for every value. Branches compare an
// Error's `kind` with these values, never its code text.
//
// Three shapes of name:
// - exact: the code is the name ("at.timeout", "modem.not_ready");
// - a cause family, `cms` and `cme`: the code is "cms.<n>" / "cme.<n>" for a +CMS / +CME
//   ERROR number n (Error::number holds n), "cms.unknown" / "cme.unknown" for an error text
//   the cause table lacks (no number);
// - a code family, `pdu`, `route`, `number`, `serial`: the code is "<family>.<detail>" for
//   any detail that has no value of its own ("pdu.truncated" has kind `pdu`);
//   "pdu.bad_address" and "serial.missing" have their own values, whose family_of() is
//   the family.
// Any other code is free-form and has kind `other`: nothing may branch on it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace smsgw {

enum class ErrorCode : std::uint8_t {
  other,  // a free-form code; to_string gives "other", the Error's code keeps its own text
  // Store and gateway API.
  not_found,  // "not_found"
  conflict,   // "conflict"
  config,     // "config": start-up refused for a bad setting
  // AT channel.
  at_timeout,  // "at.timeout"
  at_io,       // "at.io": the port failed
  at_closed,   // "at.closed"
  at_error,    // "at.error": plain ERROR
  cms,         // "cms.<n>" (family)
  cme,         // "cme.<n>" (family)
  // Modem actor.
  modem_not_ready,         // "modem.not_ready"
  modem_ussd,              // "modem.ussd": the network refused the USSD request
  modem_ussd_code,         // "modem.ussd_code": the USSD string is malformed
  modem_ussd_timeout,      // "modem.ussd_timeout"
  modem_ussd_unsupported,  // "modem.ussd_unsupported"
  // Serial ports.
  serial,          // "serial.<detail>" (family)
  serial_missing,  // "serial.missing": the port does not exist
  // PDU codec, numbering and routing.
  pdu,              // "pdu.<detail>" (family)
  pdu_bad_address,  // "pdu.bad_address"
  number,           // "number.<detail>" (family)
  route,            // "route.<detail>" (family)
  // Webhooks.
  webhook_retry,  // "webhook.retry": a transient delivery failure
};

namespace detail {

struct ErrorCodeName {
  ErrorCode code;
  std::string_view name;
};

inline constexpr std::array<ErrorCodeName, 22> kErrorCodeNames{{
    {ErrorCode::other, "other"},
    {ErrorCode::not_found, "not_found"},
    {ErrorCode::conflict, "conflict"},
    {ErrorCode::config, "config"},
    {ErrorCode::at_timeout, "at.timeout"},
    {ErrorCode::at_io, "at.io"},
    {ErrorCode::at_closed, "at.closed"},
    {ErrorCode::at_error, "at.error"},
    {ErrorCode::cms, "cms"},
    {ErrorCode::cme, "cme"},
    {ErrorCode::modem_not_ready, "modem.not_ready"},
    {ErrorCode::modem_ussd, "modem.ussd"},
    {ErrorCode::modem_ussd_code, "modem.ussd_code"},
    {ErrorCode::modem_ussd_timeout, "modem.ussd_timeout"},
    {ErrorCode::modem_ussd_unsupported, "modem.ussd_unsupported"},
    {ErrorCode::serial, "serial"},
    {ErrorCode::serial_missing, "serial.missing"},
    {ErrorCode::pdu, "pdu"},
    {ErrorCode::pdu_bad_address, "pdu.bad_address"},
    {ErrorCode::number, "number"},
    {ErrorCode::route, "route"},
    {ErrorCode::webhook_retry, "webhook.retry"},
}};

}  // namespace detail

// Every value, in declaration order (for tests and tables).
inline constexpr auto kAllErrorCodes = [] {
  std::array<ErrorCode, detail::kErrorCodeNames.size()> all{};
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = detail::kErrorCodeNames[i].code;
  return all;
}();

// The name: the whole code for exact values, the prefix before "." for families.
constexpr std::string_view to_string(ErrorCode code) noexcept {
  for (const auto& entry : detail::kErrorCodeNames) {
    if (entry.code == code) return entry.name;
  }
  return "other";
}

// The value named `name` exactly (to_string's inverse); nullopt for any other text.
constexpr std::optional<ErrorCode> from_name(std::string_view name) noexcept {
  for (const auto& entry : detail::kErrorCodeNames) {
    if (entry.name == name) return entry.code;
  }
  return std::nullopt;
}

// True for the values whose codes are "<name>.<detail>".
constexpr bool is_family(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::cms:
    case ErrorCode::cme:
    case ErrorCode::serial:
    case ErrorCode::pdu:
    case ErrorCode::number:
    case ErrorCode::route:
      return true;
    default:
      return false;
  }
}

// The family a value belongs to: `pdu` for pdu_bad_address, `serial` for serial_missing,
// the value itself otherwise.
constexpr ErrorCode family_of(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::pdu_bad_address:
      return ErrorCode::pdu;
    case ErrorCode::serial_missing:
      return ErrorCode::serial;
    default:
      return code;
  }
}

// What a code text names: its kind and, for "cms.<n>" / "cme.<n>", the number. The one
// place that reads code text; Error's constructors use it so that code and kind agree.
struct ParsedErrorCode {
  ErrorCode kind = ErrorCode::other;
  std::optional<int> number;
};

constexpr ParsedErrorCode parse_error_code(std::string_view code) noexcept {
  if (const auto exact = from_name(code);
      exact && !is_family(*exact) && *exact != ErrorCode::other) {
    return {*exact, std::nullopt};
  }
  const auto dot = code.find('.');
  if (dot == std::string_view::npos || dot + 1 == code.size()) return {};
  const auto family = from_name(code.substr(0, dot));
  if (!family || !is_family(*family)) return {};
  if (*family == ErrorCode::cms || *family == ErrorCode::cme) {
    const auto digits = code.substr(dot + 1);
    if (digits == "unknown") return {*family, std::nullopt};
    if (digits.size() > 6) return {};
    int value = 0;
    for (const char c : digits) {
      if (c < '0' || c > '9') return {};
      value = value * 10 + (c - '0');
    }
    return {*family, value};
  }
  return {*family, std::nullopt};
}

}  // namespace smsgw
