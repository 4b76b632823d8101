// GSM 7-bit packed text outside SMS (USSD strings, TS 23.038 6.1.2.3).
#include "gsm7_alphabet.hpp"
#include "octet_reader.hpp"
#include "utf.hpp"

namespace smsgw::pdu {
namespace {

constexpr std::uint8_t kCarriageReturn = 0x0D;

}  // namespace

Result<Bytes> pack_gsm7_text(std::string_view utf8_text) {
  PDU_TRY(characters, detail::decode_utf8(utf8_text));
  const detail::Gsm7Alphabet alphabet(std::nullopt, std::nullopt);
  std::vector<std::uint8_t> septets;
  for (const auto& c : characters) {
    if (alphabet.septets_for(c.value) == 0) {
      return make_error("pdu.not_gsm7", "byte " + std::to_string(c.byte_offset) + ": character " +
                                            detail::describe(c.value) +
                                            " is not in the GSM 7-bit alphabet");
    }
    alphabet.append(septets, c.value);
  }
  // TS 23.038 6.1.2.3.1: 7 spare bits would read as '@', so pad them with CR; a wanted
  // final CR that ends on an octet boundary gets a second CR so it is not taken as padding.
  if (septets.size() % 8 == 7) {
    septets.push_back(kCarriageReturn);
  } else if (!septets.empty() && septets.size() % 8 == 0 && septets.back() == kCarriageReturn) {
    septets.push_back(kCarriageReturn);
  }
  return detail::pack_septets(septets, 0);
}

Result<std::string> unpack_gsm7_text(const Bytes& packed, std::size_t septets) {
  if (detail::packed_octets(septets) > packed.size()) {
    return make_error("pdu.truncated",
                      "octet " + std::to_string(packed.size()) + ": " + std::to_string(septets) +
                          " septets need " + std::to_string(detail::packed_octets(septets)) +
                          " octets but only " + std::to_string(packed.size()) + " are given");
  }
  auto codes = detail::unpack_septets(packed, 0, septets);
  // TS 23.038 6.1.2.3.1: a CR in the last septet of a whole number of octets' worth of
  // septets is the padding CR.
  if (!codes.empty() && codes.size() % 8 == 0 && codes.back() == kCarriageReturn) codes.pop_back();
  return detail::Gsm7Alphabet(std::nullopt, std::nullopt).decode(codes);
}

}  // namespace smsgw::pdu
