// Entry point of the decoder: SMSC field, first octet, then the TPDU by its TP-MTI
// (TS 23.040 9.2.3.1).
#include "fields.hpp"
#include "tpdu.hpp"

namespace smsgw::pdu {
namespace {

std::string_view trim(std::string_view text) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

Result<Decoded> decode(std::string_view hex) {
  PDU_TRY(octets, from_hex(trim(hex)));
  if (octets.empty()) return make_error("pdu.truncated", "octet 0: the PDU is empty");
  detail::OctetReader reader(octets);
  PDU_TRY(smsc, detail::read_smsc_address(reader));
  const std::size_t first_octet_offset = reader.offset();
  PDU_TRY(first_octet, reader.octet("first octet"));
  Decoded decoded;
  decoded.smsc = std::move(smsc);
  switch (first_octet & 0x03) {
    case detail::kMtiDeliver: {
      PDU_TRY(deliver, detail::read_deliver(reader, first_octet));
      decoded.tpdu = std::move(deliver);
      break;
    }
    case detail::kMtiSubmit: {
      PDU_TRY(submit, detail::read_submit(reader, first_octet));
      decoded.tpdu = std::move(submit);
      break;
    }
    case detail::kMtiStatusReport: {
      PDU_TRY(report, detail::read_status_report(reader, first_octet));
      decoded.tpdu = std::move(report);
      break;
    }
    default:
      return detail::error_at(first_octet_offset, "pdu.bad_mti",
                              "TP-MTI 11 is reserved (TS 23.040 9.2.3.1)");
  }
  return decoded;
}

}  // namespace smsgw::pdu
