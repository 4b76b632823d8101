// Fuzzes smsgw::pdu::encode_submit with arbitrary bytes as the text. The first octet picks
// the options (encoding choice, national tables, status report, part limit). Invariants:
// invalid UTF-8 is an Error ("pdu.invalid_utf8"), never a PDU; valid UTF-8 fails only as
// "pdu.too_long" (or "pdu.not_gsm7" when GSM 7-bit is forced); every PDU produced decodes
// back as an SMS-SUBMIT to the same number, with consistent concatenation headers and the
// AT+CMGS length, and the parts' texts joined give back the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "fuzz_support.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace {

using namespace smsgw;
using fuzz::require;

pdu::SubmitOptions options_from(std::uint8_t selector) {
  pdu::SubmitOptions options;
  switch (selector & 3) {
    case 1:
      options.encoding = pdu::EncodingChoice::gsm7;
      break;
    case 2:
      options.encoding = pdu::EncodingChoice::ucs2;
      break;
    default:
      options.encoding = pdu::EncodingChoice::automatic;
  }
  if (selector & 4) options.national_languages.push_back(pdu::NationalLanguage::turkish);
  if (selector & 8) options.national_languages.push_back(pdu::NationalLanguage::spanish);
  if (selector & 16) options.national_languages.push_back(pdu::NationalLanguage::portuguese);
  options.status_report = (selector & 32) != 0;
  options.max_parts = (selector & 64) ? 3 : 10;
  options.concat_reference = selector;
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const pdu::SubmitOptions options = options_from(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string_view to = "+4917012345678";

  Result<pdu::EncodedSubmit> encoded = pdu::encode_submit(to, text, options);
  if (!fuzz::is_valid_utf8(text)) {
    require(!encoded.ok(), "encode_submit accepted invalid UTF-8");
    require(encoded.error().code == "pdu.invalid_utf8", "invalid UTF-8 gave another error code");
    return 0;
  }
  if (!encoded) {
    const std::string& code = encoded.error().code;
    const bool forced_gsm7 = options.encoding == pdu::EncodingChoice::gsm7;
    require(code == "pdu.too_long" || (forced_gsm7 && code == "pdu.not_gsm7"),
            "valid UTF-8 was refused for a reason other than length (or a forced alphabet)");
    return 0;
  }

  const std::size_t total = encoded->parts.size();
  require(total >= 1, "an encoded message has no parts");
  require(total <= options.max_parts, "more parts than max_parts");
  std::string joined;
  for (std::size_t i = 0; i < total; ++i) {
    const pdu::SubmitPart& part = encoded->parts[i];
    require(part.pdu.size() >= 2 && part.pdu.substr(0, 2) == "00", "PDU lacks the 00 SMSC field");
    require(part.length * 2 + 2 == part.pdu.size(), "length is not the TPDU octet count");
    Result<pdu::Decoded> decoded = pdu::decode(part.pdu);
    require(decoded.ok(), "a PDU from encode_submit does not decode");
    require(decoded->type() == pdu::MessageType::submit, "encoded PDU is not an SMS-SUBMIT");
    const auto& submit = std::get<pdu::Submit>(decoded->tpdu);
    require(submit.to.text == to, "destination changed in the round trip");
    require(submit.status_report_request == options.status_report, "TP-SRR lost");
    require(submit.user_data.encoding == encoded->encoding, "part encoding differs from result");
    if (total > 1) {
      require(submit.user_data.concat.has_value(),
              "a part of a multipart message has no concat IE");
      require(submit.user_data.concat->part == i + 1, "concat part number out of order");
      require(submit.user_data.concat->total == total, "concat total differs from part count");
      require(submit.user_data.concat->ref == options.concat_reference, "concat reference lost");
    }
    joined += submit.user_data.text;
  }
  require(joined == text, "decoded parts do not join to the input text");
  return 0;
}
