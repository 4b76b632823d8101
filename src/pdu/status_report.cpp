// TS 23.040 9.2.2.3: SMS-STATUS-REPORT.
#include "fields.hpp"
#include "tpdu.hpp"
#include "user_data.hpp"

namespace smsgw::pdu {

std::string encode_status_report(std::uint8_t message_reference, const Address& recipient,
                                 const Timestamp& scts, const Timestamp& discharge,
                                 std::uint8_t status, std::string_view smsc) {
  std::optional<Address> smsc_address;
  if (!smsc.empty()) {
    if (auto parsed = parse_address(smsc);
        parsed.ok() && parsed->type != Address::Type::alphanumeric) {
      smsc_address = *parsed;
    }
  }
  Bytes pdu;
  detail::append_smsc_address(pdu, smsc_address ? &*smsc_address : nullptr);
  pdu.push_back(detail::kMtiStatusReport | detail::kMoreMessagesToSend);
  pdu.push_back(message_reference);
  detail::append_tp_address(pdu, recipient);
  detail::append_timestamp(pdu, scts);
  detail::append_timestamp(pdu, discharge);
  pdu.push_back(status);
  return to_hex(pdu);
}

namespace detail {

// TS 23.040 9.2.3.27: TP-PI bits.
constexpr std::uint8_t kPiProtocolId = 0x01;
constexpr std::uint8_t kPiDataCoding = 0x02;
constexpr std::uint8_t kPiUserDataLength = 0x04;

Result<StatusReport> read_status_report(OctetReader& reader, std::uint8_t first_octet) {
  StatusReport report;
  PDU_TRY(reference, reader.octet("TP-MR"));
  report.message_reference = reference;
  PDU_TRY(recipient, read_tp_address(reader, "TP-RA"));
  report.recipient = std::move(recipient);
  PDU_TRY(scts, read_timestamp(reader, "TP-SCTS"));
  report.scts = scts;
  PDU_TRY(discharge, read_timestamp(reader, "TP-DT"));
  report.discharge = discharge;
  PDU_TRY(status, reader.octet("TP-ST"));
  report.status = status;
  report.status_class = classify_status(status);
  if (reader.at_end()) return report;

  // TS 23.040 9.2.2.3: optional TP-PI and the fields it announces. Only the first TP-PI
  // octet is interpreted; its extension bit (bit 7) announces further octets, skipped.
  PDU_TRY(pi, reader.octet("TP-PI"));
  std::uint8_t last_pi = pi;
  while (last_pi & 0x80) {
    PDU_TRY(extension, reader.octet("TP-PI extension"));
    last_pi = extension;
  }
  if (pi & kPiProtocolId) {
    PDU_TRY(pid, reader.octet("TP-PID"));
    report.protocol_id = pid;
  }
  if (pi & kPiDataCoding) {
    PDU_TRY(dcs, reader.octet("TP-DCS"));
    report.dcs = dcs;
  }
  if (pi & kPiUserDataLength) {
    // 9.2.3.27: without TP-DCS the default alphabet applies.
    PDU_TRY(user_data, read_user_data(reader, report.dcs.value_or(0), first_octet & kUdhi));
    report.user_data = std::move(user_data);
  }
  return report;
}

}  // namespace detail
}  // namespace smsgw::pdu
