// Names of the codec's enumerations, as the CLI and HTTP API print them.
#include <algorithm>
#include <cctype>
#include <string>

#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu {

std::string_view to_string(Encoding encoding) {
  switch (encoding) {
    case Encoding::gsm7:
      return "gsm7";
    case Encoding::eight_bit:
      return "8bit";
    case Encoding::ucs2:
      return "ucs2";
  }
  return "gsm7";
}

std::optional<NationalLanguage> national_language_from_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "turkish" || lower == "tr") return NationalLanguage::turkish;
  if (lower == "spanish" || lower == "es") return NationalLanguage::spanish;
  if (lower == "portuguese" || lower == "pt") return NationalLanguage::portuguese;
  return std::nullopt;
}

// TS 23.040 9.2.3.15: 0x00-0x1F transaction completed, 0x20-0x3F temporary error with
// the SC still trying, 0x40-0x7F permanent error or temporary error with the SC no
// longer trying. Values with bit 7 set are reserved; since none of them confirms a
// delivery or a further attempt, they count as failed.
StatusClass classify_status(std::uint8_t tp_st) {
  if (tp_st <= 0x1F) return StatusClass::delivered;
  if (tp_st <= 0x3F) return StatusClass::pending;
  return StatusClass::failed;
}

std::string_view to_string(StatusClass status) {
  switch (status) {
    case StatusClass::delivered:
      return "delivered";
    case StatusClass::pending:
      return "pending";
    case StatusClass::failed:
      return "failed";
  }
  return "failed";
}

MessageType Decoded::type() const {
  switch (tpdu.index()) {
    case 0:
      return MessageType::deliver;
    case 1:
      return MessageType::submit;
    default:
      return MessageType::status_report;
  }
}

}  // namespace smsgw::pdu
