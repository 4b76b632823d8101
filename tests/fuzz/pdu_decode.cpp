// Fuzzes smsgw::pdu::decode on any input. The first octet picks the shape: odd -> the rest
// is passed as it is (any string, mostly hex-like seeds), even -> the rest is hex-encoded
// first, so mutations reach deep into the TPDU layouts. Invariants: no crash, no read past
// the end (ASan), decoded text is UTF-8, and the hex case does not change the result.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <variant>

#include "fuzz_support.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace {

using namespace smsgw;

void check_user_data(const pdu::UserData& user_data) {
  fuzz::require(fuzz::is_valid_utf8(user_data.text), "decoded text is not valid UTF-8");
  if (user_data.concat) {
    fuzz::require(user_data.concat->part >= 1, "concat part numbers are 1-based");
  }
  if (user_data.message_class) {
    fuzz::require(*user_data.message_class >= 0 && *user_data.message_class <= 3,
                  "message class outside 0-3");
  }
  (void)pdu::to_string(user_data.encoding);
}

void check(const pdu::Decoded& decoded) {
  if (decoded.smsc) {
    fuzz::require(fuzz::is_valid_utf8(decoded.smsc->text), "SMSC text is not valid UTF-8");
  }
  std::visit(
      [](const auto& tpdu) {
        using T = std::decay_t<decltype(tpdu)>;
        if constexpr (std::is_same_v<T, pdu::Deliver>) {
          fuzz::require(fuzz::is_valid_utf8(tpdu.from.text), "sender is not valid UTF-8");
          (void)tpdu.scts.iso8601();
          check_user_data(tpdu.user_data);
        } else if constexpr (std::is_same_v<T, pdu::Submit>) {
          fuzz::require(fuzz::is_valid_utf8(tpdu.to.text), "destination is not valid UTF-8");
          check_user_data(tpdu.user_data);
        } else {
          fuzz::require(fuzz::is_valid_utf8(tpdu.recipient.text), "recipient is not valid UTF-8");
          (void)tpdu.scts.iso8601();
          (void)tpdu.discharge.iso8601();
          fuzz::require(tpdu.status_class == pdu::classify_status(tpdu.status),
                        "status_class disagrees with classify_status(status)");
          if (tpdu.user_data) check_user_data(*tpdu.user_data);
        }
      },
      decoded.tpdu);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t* rest = data + 1;
  const std::size_t rest_size = size - 1;
  std::string input;
  if (data[0] & 1) {
    input.assign(reinterpret_cast<const char*>(rest), rest_size);
  } else {
    input = pdu::to_hex(pdu::Bytes(rest, rest + rest_size));
  }

  smsgw::Result<pdu::Decoded> decoded = pdu::decode(input);
  if (decoded) check(decoded.value());

  // "hex (either case)": lower-casing the input must not change whether it decodes.
  std::string lower = input;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  smsgw::Result<pdu::Decoded> decoded_lower = pdu::decode(lower);
  fuzz::require(decoded.ok() == decoded_lower.ok(), "the hex case changes whether a PDU decodes");
  if (decoded && decoded_lower) {
    fuzz::require(decoded->type() == decoded_lower->type(), "the hex case changes the type");
  }
  return 0;
}
