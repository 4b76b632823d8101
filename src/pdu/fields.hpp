// TPDU fields shared by SUBMIT, DELIVER and STATUS-REPORT: addresses (TS 23.040 9.1.2.5),
// time stamps (9.2.3.11) and the relative validity period (9.2.3.12.1).
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "octet_reader.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::detail {

// TP-DA / TP-OA / TP-RA: length in useful semi-octets, type of address, value.
void append_tp_address(Bytes& out, const Address& address);
Result<Address> read_tp_address(OctetReader& reader, std::string_view what);

// The SMSC field that precedes the TPDU (TS 24.011 8.2.5.1 RP address; length in
// octets, 0 = none).
void append_smsc_address(Bytes& out, const Address* address);
Result<std::optional<Address>> read_smsc_address(OctetReader& reader);

// TP-SCTS / TP-DT: 7 semi-octet swapped BCD octets with a signed time zone.
void append_timestamp(Bytes& out, const Timestamp& timestamp);
Result<Timestamp> read_timestamp(OctetReader& reader, std::string_view what);

// TP-VP relative format: the smallest value whose period is at least `validity`
// (periods beyond 63 weeks are capped at 63 weeks, the format's maximum).
std::uint8_t relative_validity_octet(std::chrono::seconds validity);
std::chrono::seconds relative_validity_period(std::uint8_t octet);

}  // namespace smsgw::pdu::detail
