// Fuzzes smsgw::pdu::unpack_gsm7_text: the first two octets give the septet count (big
// endian), the rest is the packed data. Invariants: no crash, no read past the end, a count
// that needs more octets than given is an Error, and the text it returns is UTF-8.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "smsgw/pdu/pdu.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t septets = (std::size_t{data[0]} << 8) | data[1];
  const smsgw::pdu::Bytes packed(data + 2, data + size);

  smsgw::Result<std::string> text = smsgw::pdu::unpack_gsm7_text(packed, septets);
  // TS 23.038 6.1.2.1.1: n septets occupy ceil(7n / 8) octets.
  const std::size_t octets_needed = (septets * 7 + 7) / 8;
  if (octets_needed > packed.size()) {
    smsgw::fuzz::require(!text.ok(), "unpack_gsm7_text read more septets than the octets hold");
  }
  if (text) {
    smsgw::fuzz::require(smsgw::fuzz::is_valid_utf8(text.value()), "unpacked text is not UTF-8");
  }
  return 0;
}
