// Fuzzes the SMPP 3.4 codec: the input is a byte stream fed to smpp::Framer in chunks
// whose sizes come from the first octet; every whole PDU is decoded, and what decodes is
// re-encoded and must decode again to the same value and re-encode to the same octets.
// Invariants: no crash, no read past the end (ASan), failures carry a non-zero status.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_support.hpp"
#include "smsgw/smpp/framer.hpp"
#include "smsgw/smpp/pdu.hpp"

namespace {

using namespace smsgw;

void check_pdu(const std::vector<std::uint8_t>& octets) {
  auto header = smpp::decode_header(octets);
  fuzz::require(header.ok(), "the framer yielded a PDU shorter than its header");
  fuzz::require(header->command_length == octets.size(), "frame size != command_length");
  auto decoded = smpp::decode(octets);
  if (!decoded) {
    fuzz::require(decoded.error().status != smpp::CommandStatus::esme_rok,
                  "a decode failure with status ESME_ROK");
    fuzz::require(!decoded.error().field.empty(), "a decode failure names no field");
    return;
  }
  auto encoded = smpp::encode(*decoded);
  fuzz::require(encoded.ok(), "a decoded PDU does not encode");
  auto again = smpp::decode(*encoded);
  fuzz::require(again.ok(), "a re-encoded PDU does not decode");
  fuzz::require(*again == *decoded, "decode(encode(pdu)) != pdu");
  auto twice = smpp::encode(*again);
  fuzz::require(twice.ok() && *twice == *encoded, "encoding is not stable");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = static_cast<std::size_t>(data[0] % 32) + 1;
  std::span<const std::uint8_t> stream(data + 1, size - 1);

  // The whole input as one PDU, without the framer.
  if (smpp::decode(stream).ok()) check_pdu(std::vector<std::uint8_t>(stream.begin(), stream.end()));

  smpp::Framer framer(4096);
  std::size_t yielded = 0;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    framer.feed(stream.subspan(at, std::min(chunk, stream.size() - at)));
    for (;;) {
      auto next = framer.next();
      if (!next) {
        fuzz::require(next.error().status == smpp::CommandStatus::esme_rinvcmdlen,
                      "a framing failure that is not ESME_RINVCMDLEN");
        return 0;
      }
      if (!next->has_value()) break;
      yielded += (*next)->size();
      check_pdu(**next);
    }
  }
  fuzz::require(yielded + framer.buffered() == stream.size(), "the framer lost octets");
  return 0;
}
