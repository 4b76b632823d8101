// Readers for the three TPDU bodies (TS 23.040 9.2.2.1, 9.2.2.2, 9.2.2.3); each starts
// after the first octet, which the caller has read.
#pragma once

#include <cstdint>

#include "octet_reader.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::detail {

// TS 23.040 9.2.3: first-octet bits.
inline constexpr std::uint8_t kMtiDeliver = 0x00;
inline constexpr std::uint8_t kMtiSubmit = 0x01;
inline constexpr std::uint8_t kMtiStatusReport = 0x02;
inline constexpr std::uint8_t kMoreMessagesToSend = 0x04;  // TP-MMS (DELIVER, STATUS-REPORT)
inline constexpr std::uint8_t kRejectDuplicates = 0x04;    // TP-RD (SUBMIT)
inline constexpr std::uint8_t kVpfMask = 0x18;             // TP-VPF (SUBMIT)
inline constexpr std::uint8_t kVpfRelative = 0x10;
inline constexpr std::uint8_t kStatusReportFlag = 0x20;  // TP-SRR / TP-SRI / TP-SRQ
inline constexpr std::uint8_t kUdhi = 0x40;              // TP-UDHI

Result<Deliver> read_deliver(OctetReader& reader, std::uint8_t first_octet);
Result<Submit> read_submit(OctetReader& reader, std::uint8_t first_octet);
Result<StatusReport> read_status_report(OctetReader& reader, std::uint8_t first_octet);

}  // namespace smsgw::pdu::detail
