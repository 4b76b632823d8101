// TS 23.038 4 (data coding scheme) and TS 23.040 9.2.3.16/9.2.3.24 (TP-UDL, TP-UD) decoding.
#pragma once

#include <cstdint>
#include <optional>

#include "octet_reader.hpp"
#include "smsgw/pdu/pdu.hpp"

namespace smsgw::pdu::detail {

struct DataCoding {
  Encoding encoding = Encoding::gsm7;
  std::optional<int> message_class;
};

// TS 23.038 4: the alphabet and class a DCS octet announces. Compressed user data
// (general data coding bit 5) is reported as 8-bit data: the octets are kept as sent.
// Reserved alphabets and coding groups are read as the GSM 7-bit default alphabet.
DataCoding interpret_dcs(std::uint8_t dcs);

// The DCS octet for an encoding, with an optional message class (bits 1..0, bit 4 set).
std::uint8_t make_dcs(Encoding encoding, std::optional<int> message_class);

// Reads TP-UDL and TP-UD (to the end of the reader's input or as far as TP-UDL says).
Result<UserData> read_user_data(OctetReader& reader, std::uint8_t dcs, bool has_header);

}  // namespace smsgw::pdu::detail
